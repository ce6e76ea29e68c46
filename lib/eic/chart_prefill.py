"""``eic-course charts``: draw the charts the modules show on opening, into the chart cache.

Run where participants' kernels will find the cache (Binder's build runs it), so that a
participant opening a module does not wait for its worked examples' charts to be drawn.
Each notebook runs in a copy of its folder, so nothing is written beside the course. Its
kernel talks to the command over local network ports encrypted with keys made for it, as
nbgrader's and the served course's kernels do, so no kernel warns of eavesdropping.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config

from eic import chart_cache
from eic.course import syllabus

if TYPE_CHECKING:
    from nbclient import NotebookClient

# the kernels' traffic encrypted, with keys made for each kernel (its kernel spec supports
# it): a kernel in plain text prints a warning about eavesdropping in the trainer's terminal
KERNEL_SETTINGS = {"KernelManager": {"transport_encryption": "auto"}}


def release_notebooks(release: Path) -> list[Path]:
    """The module notebooks found in ``release``, in syllabus order."""
    found = []
    for module in syllabus()["modules"]:
        path = release / module["folder"] / f"{module['folder']}.ipynb"
        if path.is_file():
            found.append(path)
    return found


def participant_env() -> dict[str, str]:
    """This process's environment as a participant's kernel has it: without nbgrader's or
    Voila's settings, so that the notebook runs as it does when opened."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}


def notebook_client(path: Path, *, allow_errors: bool = False) -> NotebookClient:
    """A client that runs the notebook at ``path`` in its own folder, in a kernel whose
    traffic is encrypted (``KERNEL_SETTINGS``); its notebook is ``client.nb``."""
    import nbformat
    from nbclient import NotebookClient

    return NotebookClient(
        nbformat.read(path, as_version=4),
        timeout=300,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(path.parent)}},
        config=Config(KERNEL_SETTINGS),
    )


def draw_charts(notebooks: list[Path]) -> int:
    """Run each notebook once in a copy of its folder; the number of pictures then kept."""
    env = participant_env()
    for path in notebooks:
        with tempfile.TemporaryDirectory(prefix="eic-charts-") as tmp:
            folder = Path(shutil.copytree(path.parent, Path(tmp) / path.parent.name))
            client = notebook_client(folder / path.name, allow_errors=True)
            nb = client.nb
            with client.setup_kernel(env=env):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type == "code":
                        client.execute_cell(cell, index)
        print(f"drew the charts of {path.name}")
    where = chart_cache.folder()
    return len(list(where.glob("*.png"))) if where and where.is_dir() else 0


def _charts(args: argparse.Namespace) -> int:
    where = chart_cache.folder()
    if where is None:
        print("The chart cache is turned off (EIC_CHART_CACHE=off): nothing to draw.")
        return 1
    notebooks = release_notebooks(Path(args.release))
    if not notebooks:
        print(f"No module notebooks in {args.release}: give the course's release folder.")
        return 1
    kept = draw_charts(notebooks)
    print(f"{kept} chart(s) kept in {where}")
    return 0


def add_charts_command(commands: argparse._SubParsersAction) -> None:
    charts = commands.add_parser(
        "charts", help="draw the charts the modules show on opening, into the chart cache"
    )
    charts.add_argument(
        "--release", default="release", help="the course's release folder (default: release)"
    )
    charts.set_defaults(run=_charts)
