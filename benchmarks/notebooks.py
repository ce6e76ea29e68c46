"""How long each module's release notebook takes to run headless, as a ratio to a bare kernel.

For every module with a release notebook, this runs (in a temporary copy of the course):

- the release notebook with the model answers recorded, as a participant's "Run All" or a
  Voila render would, kernel start included;
- a bare notebook whose only cell imports ``eic``, kernel start included.

Both are measured alternately in the same run, ``--repeat`` times each, and the table gives
the medians and their ratio. The ratio is what to compare between runs and machines: the
shared machines this course is built on are too noisy for absolute seconds.

    python benchmarks/notebooks.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.chart_prefill import notebook_client, participant_env  # noqa: E402
from eic.course import syllabus  # noqa: E402

IGNORE = shutil.ignore_patterns("*-answers*.json*", ".*-answers*", ".ipynb_checkpoints")


def execute(path: Path) -> float:
    """Seconds to start a kernel in the notebook's folder and run every cell."""
    client = notebook_client(path)
    env = participant_env()
    start = time.perf_counter()
    client.execute(env=env)
    return time.perf_counter() - start


def prepare(work: Path) -> list[tuple[dict, Path]]:
    """Copy the course to ``work``; give each released module its model answers."""
    for name in ["course", "source", "release"]:
        shutil.copytree(ROOT / name, work / name, ignore=IGNORE)
    shutil.copy2(ROOT / "nbgrader_config.py", work)
    ready = []
    for module in syllabus()["modules"]:
        folder = module["folder"]
        release = work / "release" / folder / f"{folder}.ipynb"
        source = work / "source" / folder / f"{folder}.ipynb"
        if not release.is_file() or not source.is_file():
            continue
        execute(source)  # records the model answers next to the instructor notebook
        model = json.loads((source.parent / f"{module['id']}-answers.model.json").read_text())
        (release.parent / f"{module['id']}-answers.json").write_text(json.dumps(model))
        ready.append((module, release))
    return ready


def bare_notebook(work: Path) -> Path:
    path = work / "bare" / "bare.ipynb"
    path.parent.mkdir()
    nb = new_notebook(cells=[new_code_cell("import eic")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each notebook (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="eic-bench-") as tmp:
        work = Path(tmp)
        modules = prepare(work)
        bare = bare_notebook(work)
        execute(bare)  # warm the disk cache once, unmeasured
        rows = []
        for module, release in modules:
            module_times, bare_times = [], []
            for _ in range(args.repeat):
                bare_times.append(execute(bare))
                module_times.append(execute(release))
            rows.append((module, statistics.median(module_times), statistics.median(bare_times)))
    print(
        f"Release notebooks with model answers vs a bare kernel importing eic "
        f"(median of {args.repeat} runs each)"
    )
    print(f"{'module':<8}{'notebook s':>12}{'bare s':>10}{'ratio':>8}")
    for module, notebook_s, bare_s in rows:
        print(f"{module['id']:<8}{notebook_s:>12.2f}{bare_s:>10.2f}{notebook_s / bare_s:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
