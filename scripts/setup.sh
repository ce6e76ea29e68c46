#!/usr/bin/env bash
# Create (or update) the course's virtual environment in .venv with the pinned packages.
#   scripts/setup.sh          what the course needs
#   scripts/setup.sh --hub    and JupyterHub with configurable-http-proxy, for a workshop
#                             on one JupyterHub (see course/running-on-jupyterhub.md)
#   scripts/setup.sh --test   and what the tests need (Python packages, Chromium, the hub's)
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
mode=${1:-}
hub=""
if [ "$mode" = --hub ] || [ "$mode" = --test ]; then hub=yes; fi

stamp="$venv/.installed"
wanted=$(cat binder/requirements.txt pyproject.toml
  [ -z "$hub" ] || cat deploy/requirements.txt
  [ "$mode" != --test ] || cat tests/requirements.txt)
wanted_hash=$(printf '%s' "$wanted" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || ! grep -qx "$wanted_hash" "$stamp"; then
  echo "Installing the course's packages (about a minute the first time) ..."
  "${pip[@]}" install -r binder/requirements.txt
  "${pip[@]}" install --no-deps -e .
  if [ -n "$hub" ]; then
    "${pip[@]}" install -r deploy/requirements.txt
  fi
  if [ "$mode" = --test ]; then
    "${pip[@]}" install -r tests/requirements.txt
  fi
  echo "$wanted_hash" >> "$stamp"
fi
# eic is installed editable, and Python writes no bytecode when PYTHONDONTWRITEBYTECODE is
# set: compile it (only what changed), or every kernel compiles it again as it starts.
"$venv/bin/python" -m compileall -q lib/eic
# An editable install leaves out the course's Voila page template (a data file): put it
# where Voila looks for templates, fresh each time.
templates="$venv/share/jupyter/voila/templates"
rm -rf "$templates/eic" && cp -r share/jupyter/voila/templates/eic "$templates/"
# The Jupyter server's settings for the course (eic.server_config): a kernel kept warmed
# for the next module opened, answers recorded before a kernel stops, compressed pages.
"$venv/bin/python" -m eic.server_config

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_updated=""
if [ "$mode" = --test ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (Debian package) ..."
  $sudo apt-get update -qq
  apt_updated=yes
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# Fonts for the letters of Chinese, Japanese, Korean and Thai names, which the charts draw
# from an official's own table (eic.fonts; Windows and macOS have their own). The tests draw
# such charts, so --test installs them; otherwise say how to.
fonts=(fonts-wqy-zenhei fonts-tlwg-loma-ttf)
if ! [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] \
   || ! [ -f /usr/share/fonts/truetype/tlwg/Loma.ttf ]; then
  if [ "$mode" = --test ]; then
    echo "Installing fonts for Chinese, Japanese, Korean and Thai names (Debian packages) ..."
    [ -n "$apt_updated" ] || $sudo apt-get update -qq
    apt_updated=yes
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${fonts[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    echo "Charts show Chinese, Japanese, Korean and Thai names once their fonts are" \
         "installed: sudo apt-get install ${fonts[*]}"
  fi
fi

# JupyterHub's web proxy, configurable-http-proxy, from npm into deploy/node_modules at the
# versions deploy/package-lock.json pins (Node.js 20 or newer).
if [ -n "$hub" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Node.js and npm for JupyterHub's proxy (Debian packages) ..."
    [ -n "$apt_updated" ] || $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  proxy_stamp=deploy/node_modules/.installed
  proxy_hash=$(sha256sum deploy/package-lock.json | cut -d' ' -f1)
  if [ ! -x deploy/node_modules/.bin/configurable-http-proxy ] \
     || ! grep -qx "$proxy_hash" "$proxy_stamp" 2>/dev/null; then
    echo "Installing configurable-http-proxy (npm) into deploy/node_modules ..."
    npm ci --prefix deploy --no-audit --no-fund --loglevel=error >/dev/null
    echo "$proxy_hash" > "$proxy_stamp"
  fi
fi
