#!/usr/bin/env bash
# Create (or update) the course's virtual environment in .venv with the pinned packages.
#   scripts/setup.sh          what the course needs
#   scripts/setup.sh --hub    and JupyterHub with configurable-http-proxy, for a workshop
#                             on one JupyterHub (see course/running-on-jupyterhub.md)
#   scripts/setup.sh --test   and what the tests need (Python packages, Chromium, the hub's)
# Safe to run again: it only installs what changed. What Python installs is in
# scripts/install.py; this script adds what Debian installs.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
mode=${1:-}
hub=""
if [ "$mode" = --hub ] || [ "$mode" = --test ]; then hub=yes; fi

# The Python packages, the course's Voila template and its Jupyter server settings, into
# .venv: scripts/install.py, which scripts/start.py also runs on Windows and macOS.
"$python" scripts/install.py ${mode:+"$mode"}

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
