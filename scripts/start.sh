#!/usr/bin/env bash
# Install the course (first time only) and open it in JupyterLab at the course home.
#   scripts/start.sh            as a participant
#   scripts/start.sh --trainer  with nbgrader's formgrader and assignment tools shown
# Other options are passed to JupyterLab (e.g. --port=8899 --no-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

tools=(@jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment)
if [ "${1:-}" = --trainer ]; then
  shift
  jupyter labextension enable --level=user "${tools[@]}" >/dev/null 2>&1 || true
else
  jupyter labextension disable --level=user "${tools[@]}" >/dev/null 2>&1 || true
fi
extra=()
[ "$(id -u)" -ne 0 ] || extra+=(--allow-root)
exec jupyter lab "${extra[@]}" --ServerApp.root_dir="$(pwd)" "$@" release/index.ipynb
