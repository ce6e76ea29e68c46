"""A room opening a module at once: how the serving machine copes, against one page alone.

When one machine serves the class (``eic-course serve`` with a roster: a course folder per
participant, ``eic.classroom``), each page starts its own kernel and runs its module when
it is opened. At the start of a session the trainer says "open Module 1" and the whole
room does, within seconds. The participants' browsers run on their own laptops; the
serving machine does the kernels' work for all of them at once.

This serves a copy of the course for ``--participants`` made-up participants, as
``eic-course serve`` does, and asks for Module 1's page for ``k`` participants at the same
moment, for each ``k`` of ``--burst`` (different participants each time, so every page
starts its kernel, as on a first opening). A request is timed until the server has sent
the whole page, which it does once the page's kernel has run the notebook: the server's
share of a participant's wait. The browser's own work (about 1.2 s on this project's test
machine, ``benchmarks/voila_render.py``) comes on top, on each participant's laptop.

Each burst is measured ``--repeat`` times, starting when the server and its kernels are
idle. The table gives, for each burst size, the median and the slowest page, and the
slowest as a multiple of a page opened alone (``k = 1``) in the same run: on a machine of
``c`` cores, expect about ``k / c`` once ``k`` passes ``c``.

    python benchmarks/class_burst.py [--burst 1 2 4 8] [--repeat 2] [--module m01]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.classroom import participant_folders  # noqa: E402
from eic.course import syllabus  # noqa: E402


def fetch_all(urls: list[str]) -> list[float]:
    """Ask for every page at the same moment; the seconds until each was sent whole."""
    seconds: list[float] = [0.0] * len(urls)
    go = threading.Barrier(len(urls))

    def fetch(i: int) -> None:
        go.wait()
        start = time.perf_counter()
        with urllib.request.urlopen(urls[i], timeout=600) as response:
            body = response.read()
        seconds[i] = time.perf_counter() - start
        if b"eic-question" not in body:
            raise SystemExit(f"{urls[i]} was sent without its worksheet")

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--module", default="m01", help="module id (default: m01)")
    args = parser.parse_args()
    if 1 not in args.burst:
        args.burst = [1, *args.burst]  # the baseline, measured in the same run
    module = next(m for m in syllabus()["modules"] if m["id"] == args.module)
    page = f"{module['folder']}/{module['folder']}.ipynb"
    needed = 1 + args.repeat * sum(args.burst)  # one to fill the chart cache first
    with tempfile.TemporaryDirectory(prefix="eic-burst-") as scratch:
        base = Path(scratch)
        cache = vr.use_own_chart_cache(base)
        release = vr.course_copy(base, [module["folder"]])
        ids = [f"p{n:03d}" for n in range(needed)]
        root = participant_folders(release, base / "participants", ids)
        fresh = iter(ids)
        with vr.voila(root, preheat=False) as (url, proc):
            fetch_all([f"{url}/voila/render/{next(fresh)}/{page}"])  # charts drawn once
            vr.wait_until_idle([proc])
            times: dict[int, list[float]] = {k: [] for k in args.burst}
            for _ in range(args.repeat):
                for k in args.burst:
                    pages = [f"{url}/voila/render/{next(fresh)}/{page}" for _ in range(k)]
                    times[k] += fetch_all(pages)
                    vr.wait_until_idle([proc])
    alone = statistics.median(times[1])
    print(f"{module['id']} opened by k participants at once, each page starting its kernel")
    print(f"({os.cpu_count()} cores; {cache}; {args.repeat} bursts of each size)")
    print(f"{'k':>4} {'median s':>9} {'slowest s':>10} {'slowest / alone':>16}")
    for k in args.burst:
        slowest = max(times[k])
        print(f"{k:>4} {statistics.median(times[k]):>9.2f} {slowest:>10.2f} "
              f"{slowest / alone:>16.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
