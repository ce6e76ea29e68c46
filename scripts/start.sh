#!/usr/bin/env bash
# Install the course (first time only) and open it in JupyterLab at the course home.
#   scripts/start.sh            as a participant
#   scripts/start.sh --trainer  with nbgrader's formgrader and assignment tools shown
# Other options are passed to JupyterLab (e.g. --port=8899 --no-browser). On Windows and
# macOS, scripts/start.py does the same; this script opens JupyterLab with it too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python scripts/start.py --installed "$@"
