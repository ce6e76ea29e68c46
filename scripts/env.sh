# Sourced by the other scripts: keep every Jupyter setting and cache inside .venv, so the
# course neither reads nor changes a user's own Jupyter set-up.
venv="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv"
export PATH="$venv/bin:$PATH"
export JUPYTER_CONFIG_DIR="$venv/etc/jupyter-user"
export JUPYTER_DATA_DIR="$venv/share/jupyter-user"
export JUPYTER_RUNTIME_DIR="$venv/var/jupyter-runtime"
export IPYTHONDIR="$venv/etc/ipython"
export MPLCONFIGDIR="$venv/etc/matplotlib"
export XDG_CACHE_HOME="$venv/var/cache"
mkdir -p "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR" \
  "$MPLCONFIGDIR" "$XDG_CACHE_HOME"
