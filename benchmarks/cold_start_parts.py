"""Where a module's cold start goes: kernel start, imports, chart drawing and the rest.

``voila_render.py`` gives the time a participant waits; this splits the kernel's part of it.
For each module's release notebook (no answers recorded, as a participant first opens it)
and for the minimal one-slider notebook, in a fresh kernel each, it measures:

- kernel: starting the kernel until it answers;
- imports: importing pandas and ipywidgets, in a first cell of their own (the minimal
  notebook imports ipywidgets only), so the notebook's cells find them loaded;
- charts: the time spent rendering charts to PNG (building each figure before that counts
  under "cells");
- cells: every cell of the notebook, charts included;
- models: the widget models the page holds, layouts and styles included. The browser
  builds each before the page is usable (``eic.widgets`` shares layouts and styles to keep
  them few);
- matplotlib: whether the notebook loaded matplotlib at all. A module whose opening charts
  are all in the chart cache shows them without it; with no cache (``EIC_CHART_CACHE=off``)
  loading it is part of "cells".

Kernels are run one after another, ``--repeat`` times each, and the table gives medians.
Seconds vary with the machine's load; compare the parts within one run.

    python benchmarks/cold_start_parts.py [--repeat 3] [--modules m01 m02 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from voila_render import MINIMAL, course_copy, use_own_chart_cache  # noqa: E402

from eic.chart_prefill import draw_charts, notebook_client, participant_env  # noqa: E402
from eic.course import syllabus  # noqa: E402

IMPORTS = "import pandas, ipywidgets"
TIMED_RENDER = """\
def _bench_time_render():
    import time
    from eic import chart_cache

    original = chart_cache.render
    spent = [0.0]

    def timed(fig):
        start = time.perf_counter()
        try:
            return original(fig)
        finally:
            spent[0] += time.perf_counter() - start

    chart_cache.render = timed
    return spent


_bench_charts = _bench_time_render()
"""
REPORT = """\
import sys, ipywidgets
print(_bench_charts[0], 'matplotlib' in sys.modules,
      len(ipywidgets.Widget.get_manager_state()['state']))"""


def measure(path: Path, *, imports: str, charts: bool) -> dict[str, float]:
    """The parts of one cold start of the notebook at ``path``, in seconds."""
    client = notebook_client(path)
    nb = client.nb
    env = participant_env()
    # the notebook's own code cells, listed first: nbclient stores each extra cell run
    # below (the imports, the timer) in the notebook at the index it is given
    code = [(index, cell) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    parts = {}
    start = time.perf_counter()
    with client.setup_kernel(env=env):
        parts["kernel"] = time.perf_counter() - start
        tick = time.perf_counter()
        client.execute_cell(new_code_cell(imports), 0)
        parts["imports"] = time.perf_counter() - tick
        if charts:
            client.execute_cell(new_code_cell(TIMED_RENDER), 0)
        tick = time.perf_counter()
        for index, cell in code:
            client.execute_cell(cell, index)
        parts["cells"] = time.perf_counter() - tick
        report = new_code_cell(REPORT if charts else REPORT.replace("_bench_charts[0]", "0.0"))
        client.execute_cell(report, 0)
        # what the cell printed; a kernel's warning on stderr (a kernel over TCP says it is
        # unencrypted) can come first
        printed = "".join(o["text"] for o in report.outputs if o.get("name") == "stdout")
        spent, loaded, models = printed.split()
        parts["charts"], parts["matplotlib"] = float(spent), float(loaded == "True")
        parts["models"] = float(models)
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modules", nargs="*", help="module ids (default: every module)")
    args = parser.parse_args(argv)
    modules = [m for m in syllabus()["modules"] if (ROOT / "release" / m["folder"]).is_dir()]
    if args.modules:
        modules = [m for m in modules if m["id"] in args.modules]
    with tempfile.TemporaryDirectory(prefix="eic-bench-") as tmp:
        work = course_copy(Path(tmp))  # the same copy and minimal notebook as voila_render
        minimal = work / MINIMAL
        cache_note = use_own_chart_cache(Path(tmp))
        notebooks = {"minimal": (minimal, "import ipywidgets", False)} | {
            m["id"]: (work / m["folder"] / f"{m['folder']}.ipynb", IMPORTS, True) for m in modules
        }
        if os.environ["EIC_CHART_CACHE"] != "off":  # as Binder's build does
            draw_charts([path for name, (path, _, _) in notebooks.items() if name != "minimal"])
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in notebooks}
        for _ in range(args.repeat):
            for name, (path, imports, charts) in notebooks.items():
                runs[name].append(measure(path, imports=imports, charts=charts))
                for left in path.parent.glob("*-answers*"):
                    left.unlink()  # every run starts with no answers recorded
    keys = ["kernel", "imports", "cells", "charts"]
    print(f"Cold start of each notebook, split (median of {args.repeat}, seconds)")
    print(f"{'notebook':<9}" + "".join(f"{k:>9}" for k in keys) + f"{'total':>9}"
          f"{'models':>8} matplotlib")  # fmt: skip
    table = {}
    for name, parts in runs.items():
        median = {k: statistics.median(p[k] for p in parts) for k in keys}
        total = median["kernel"] + median["imports"] + median["cells"]
        loaded = any(p["matplotlib"] for p in parts)
        models = int(max(p["models"] for p in parts))
        table[name] = median | {"total": total, "models": models, "matplotlib": loaded}
        print(
            f"{name:<9}" + "".join(f"{median[k]:>9.2f}" for k in keys) + f"{total:>9.2f}"
            + f"{models:>8} " + ("loaded" if loaded else "not loaded")
        )  # fmt: skip
    print("total = kernel + imports + cells; charts (PNG rendering) is part of cells")
    print(cache_note)
    if os.environ.get("EIC_BENCH_JSON"):
        Path(os.environ["EIC_BENCH_JSON"]).write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
