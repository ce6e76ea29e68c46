"""The Jupyter server's settings for the course, written where that Python's Jupyter reads them.

JupyterLab on a participant's laptop (``scripts/start.sh``, set up by ``scripts/setup.sh``)
and on Binder (``binder/postBuild``) run a Jupyter server, which also serves the course's
Voila pages. Both write these settings with this module:

- kernels are managed by :class:`eic.ready_kernels.ReadyKernelManager`: a kernel stopped
  because its page was left first records the answers the page sent (``eic.kernels``), and
  one kernel is kept started and warmed for the next page or notebook opened, so a module's
  page does not wait for Python and the course's library to load;
- pages and scripts are sent compressed (``eic.serve.WEB_SETTINGS``), each script and style
  sheet compressed once and kept for later pages (the server extension ``eic.compression``);
- kernels' traffic with the server is encrypted, with keys made for each kernel.

    python -m eic.server_config [--ready-kernels N]

writes them into ``etc/jupyter/jupyter_server_config.json`` under this Python's prefix (the
course's ``.venv``, or Binder's environment), keeping every other setting the file holds.
(A server reads its extensions, but no other setting, from ``jupyter_server_config.d``.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eic.serve import COMPRESSION_EXTENSION, READY_KERNEL_MANAGER, REFILL_DELAY, WEB_SETTINGS

SETTINGS_FILE = Path("etc", "jupyter", "jupyter_server_config.json")
# one participant's server: one kernel kept ready is the next module they open
READY_FOR_ONE = 1


def server_settings(ready_kernels: int = READY_FOR_ONE) -> dict:
    """The course's settings for a Jupyter server, as its configuration file holds them."""
    return {
        "ServerApp": {
            "kernel_manager_class": READY_KERNEL_MANAGER,
            "tornado_settings": dict(WEB_SETTINGS),
            "jpserver_extensions": {COMPRESSION_EXTENSION: True},
        },
        "ReadyKernelManager": {"ready": ready_kernels, "refill_delay": REFILL_DELAY},
        # kernels talk to the server over local network ports: encrypted, with keys made for
        # each kernel, rather than in plain text with a warning printed for each one
        "KernelManager": {"transport_encryption": "auto"},
    }


def write_settings(prefix: Path, ready_kernels: int = READY_FOR_ONE) -> Path:
    """Write the settings into the server's configuration file under ``prefix``, keeping the
    file's other settings; the file written."""
    path = Path(prefix) / SETTINGS_FILE
    settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for section, values in server_settings(ready_kernels).items():
        kept = settings.setdefault(section, {})
        for name, value in values.items():
            kept[name] = {**kept.get(name, {}), **value} if isinstance(value, dict) else value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eic.server_config", description=__doc__)
    parser.add_argument("--ready-kernels", type=int, default=READY_FOR_ONE,
                        help=f"kernels kept ready (default {READY_FOR_ONE})")  # fmt: skip
    args = parser.parse_args(argv)
    if args.ready_kernels < 0:
        parser.error(f"--ready-kernels must be 0 or more, not {args.ready_kernels}")
    write_settings(Path(sys.prefix), args.ready_kernels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
