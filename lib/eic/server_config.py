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
- kernels' traffic with the server is encrypted, with keys made for each kernel;
- a notebook saved with widgets drawn in it (JupyterLab saves every few minutes) keeps a short
  note in each widget's place, "run the page to show this again" (:func:`replace_widget_views`):
  the widgets live in the kernel, so once it has stopped the notebook reopened would show
  "Error displaying widget: model not found" for every question instead.

JupyterLab itself is set not to ask participants whether to fetch "official Jupyter news"
(a pop-up that means nothing to them, and a request to the internet a workshop room may not
have): ``share/jupyter/lab/settings/overrides.d/eic-course.json`` under the same prefix,
beside any overrides of the user's own.

    python -m eic.server_config [--ready-kernels N] [--lab-only]

writes them into ``etc/jupyter/jupyter_server_config.json`` under this Python's prefix (the
course's ``.venv``, or Binder's environment), keeping every other setting the file holds.
(A server reads its extensions, but no other setting, from ``jupyter_server_config.d``.)
``--lab-only`` writes JupyterLab's settings alone (the hub's image keeps its server's
settings in files of its own).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import sys
from pathlib import Path
from typing import Any

from eic.serve import COMPRESSION_EXTENSION, READY_KERNEL_MANAGER, REFILL_DELAY, WEB_SETTINGS

SETTINGS_FILE = Path("etc", "jupyter", "jupyter_server_config.json")
LAB_SETTINGS_FILE = Path("share", "jupyter", "lab", "settings", "overrides.d", "eic-course.json")
# JupyterLab's defaults, as the course sets them: no question about news, no update check
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
}
# one participant's server: one kernel kept ready is the next module they open
READY_FOR_ONE = 1

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RUN_THE_PAGE = "Run the page (Run → Run All Cells) to show this question or chart again."
# the server imports the hook by this name
PRE_SAVE_HOOK = "eic.server_config.keep_notes_for_widgets"

log = logging.getLogger(__name__)


def replace_widget_views(notebook: dict[str, Any]) -> int:
    """Put a plain note in the place of each widget drawn in ``notebook`` (a notebook as its
    file holds it, changed in place); the number of widgets replaced.

    Only the widget outputs change: cell sources, metadata (nbgrader's too) and every other
    output stay as they are.

    >>> nb = {"cells": [{"cell_type": "code", "source": "q1", "metadata": {}, "outputs": [
    ...     {"output_type": "display_data", "metadata": {},
    ...      "data": {WIDGET_VIEW: {"model_id": "1a"}, "text/plain": "VBox()"}}]}]}
    >>> replace_widget_views(nb), nb["cells"][0]["outputs"][0]["data"]["text/plain"]
    (1, 'Run the page (Run → Run All Cells) to show this question or chart again.')
    """
    note = {"text/plain": RUN_THE_PAGE, "text/html": f"<p><em>{html.escape(RUN_THE_PAGE)}</em></p>"}
    replaced = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if isinstance(cell, dict) else []:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and WIDGET_VIEW in data:
                output["data"] = dict(note)
                replaced += 1
    return replaced


def keep_notes_for_widgets(
    model: dict[str, Any], path: str, contents_manager: Any = None, **_details: Any
) -> None:
    """The Jupyter server's pre-save hook: a notebook is saved with a note in each widget's
    place (:func:`replace_widget_views`); any other file as it is. It never stops a save: a
    notebook it cannot read is saved unchanged, and the problem logged."""
    try:
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            replace_widget_views(model["content"])
    except Exception:
        (getattr(contents_manager, "log", None) or log).exception(
            "The widgets in %s were saved as they are (not replaced by a note)", path
        )


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
        # a notebook saved keeps a note in each widget's place, not a widget gone with its kernel
        "ContentsManager": {"pre_save_hook": PRE_SAVE_HOOK},
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


def write_lab_settings(prefix: Path) -> Path:
    """Write JupyterLab's settings for the course under ``prefix`` (a file of the course's
    own among JupyterLab's overrides); the file written."""
    path = Path(prefix) / LAB_SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LAB_SETTINGS, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eic.server_config", description=__doc__)
    parser.add_argument("--ready-kernels", type=int, default=READY_FOR_ONE,
                        help=f"kernels kept ready (default {READY_FOR_ONE})")  # fmt: skip
    parser.add_argument("--lab-only", action="store_true",
                        help="write JupyterLab's settings alone, not the server's")  # fmt: skip
    args = parser.parse_args(argv)
    if args.ready_kernels < 0:
        parser.error(f"--ready-kernels must be 0 or more, not {args.ready_kernels}")
    if not args.lab_only:
        write_settings(Path(sys.prefix), args.ready_kernels)
    write_lab_settings(Path(sys.prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
