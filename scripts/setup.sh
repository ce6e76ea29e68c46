#!/usr/bin/env bash
# Create (or update) the course's virtual environment in .venv with the pinned packages.
#   scripts/setup.sh          what the course needs
#   scripts/setup.sh --test   and what the tests need (Python packages and Chromium)
# Safe to run again: it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "EIC Course needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1)." >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in .venv ..."
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)

stamp="$venv/.installed"
wanted=$(cat binder/requirements.txt pyproject.toml; [ "${1:-}" = --test ] && cat tests/requirements.txt || true)
wanted_hash=$(printf '%s' "$wanted" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || ! grep -qx "$wanted_hash" "$stamp"; then
  echo "Installing the course's packages (about a minute the first time) ..."
  "${pip[@]}" install -r binder/requirements.txt
  "${pip[@]}" install --no-deps -e .
  if [ "${1:-}" = --test ]; then
    "${pip[@]}" install -r tests/requirements.txt
  fi
  echo "$wanted_hash" >> "$stamp"
fi

if [ "${1:-}" = --test ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (Debian package) ..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
