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

It does so twice in one run: on a server whose pages each start their kernel, and on one
that keeps ``--ready`` kernels started and warmed for any page to take, as ``eic-course
serve`` does for a class (``eic.ready_kernels``); a page then only runs its cells.

Each burst is measured ``--repeat`` times, starting when the server and its kernels are
idle (and its kernels kept ready are all replaced). The table gives, for each burst size and
each server, the median and the slowest page, and the slowest as a multiple of a page
opened alone (``k = 1``) starting its kernel, in the same run: on a machine of ``c`` cores,
expect about ``k / c`` once ``k`` passes ``c``. The last column is the slowest page with
kernels kept ready against the slowest starting its kernel.

    python benchmarks/class_burst.py [--burst 1 2 4 8] [--repeat 2] [--module m01] [--ready 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.classroom import participant_folders  # noqa: E402
from eic.course import syllabus  # noqa: E402
from eic.serve import READY_KERNELS, REFILL_DELAY  # noqa: E402


def fetch_all(urls: list[str]) -> list[float]:
    """Ask for every page at the same moment; the seconds until each was sent whole."""

    def fetch(url: str) -> None:
        with urllib.request.urlopen(url, timeout=600) as response:
            body = response.read()
        if b"eic-question" not in body:
            raise SystemExit(f"{url} was sent without its worksheet")

    return vr.at_once([lambda url=url: fetch(url) for url in urls])


def bursts(
    url: str, proc, page: str, fresh, sizes: list[int], repeat: int, refill_delay: float
) -> dict[int, list[float]]:
    """Seconds of each page of ``repeat`` bursts of each size, different participants each."""
    fetch_all([f"{url}/voila/render/{next(fresh)}/{page}"])  # charts drawn once; a first kernel
    vr.wait_until_idle([proc], refill_from=time.time() + refill_delay)
    times: dict[int, list[float]] = {k: [] for k in sizes}
    for _ in range(repeat):
        for k in sizes:
            times[k] += fetch_all([f"{url}/voila/render/{next(fresh)}/{page}" for _ in range(k)])
            # a server with kernels kept ready replaces those taken once it has been quiet
            vr.wait_until_idle([proc], refill_from=time.time() + refill_delay)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--module", default="m01", help="module id (default: m01)")
    parser.add_argument("--ready", type=int, default=READY_KERNELS,
                        help=f"kernels kept ready (default {READY_KERNELS}, as eic-course "
                        "serve keeps for a class)")  # fmt: skip
    args = parser.parse_args()
    if 1 not in args.burst:
        args.burst = [1, *args.burst]  # the baseline, measured in the same run
    module = next(m for m in syllabus()["modules"] if m["id"] == args.module)
    page = f"{module['folder']}/{module['folder']}.ipynb"
    needed = 2 * (1 + args.repeat * sum(args.burst))  # each server's first page fills the cache
    with tempfile.TemporaryDirectory(prefix="eic-burst-") as scratch:
        base = Path(scratch)
        cache = vr.use_own_chart_cache(base)
        release = vr.course_copy(base, [module["folder"]])
        ids = [f"p{n:03d}" for n in range(needed)]
        root = participant_folders(release, base / "participants", ids)
        fresh = iter(ids)
        times = {}
        for ready in (0, args.ready):
            with vr.voila(root, preheat=False, ready_kernels=ready) as (url, proc):
                times[ready] = bursts(url, proc, page, fresh, args.burst, args.repeat,
                                      REFILL_DELAY if ready else 0.0)  # fmt: skip
    alone = statistics.median(times[0][1])
    print(f"{module['id']} opened by k participants at once: each page starting its kernel, "
          f"and with {args.ready} kernels kept ready")  # fmt: skip
    print(
        f"({os.cpu_count()} cores; {cache}; {args.repeat} bursts of each size; "
        f"'/ alone': the slowest page against one page opened alone, starting its kernel)"
    )
    print(f"{'':>4} {'starting its kernel':^29} {'with kernels kept ready':^29}")
    print(f"{'k':>4}" + f" {'median s':>8} {'slowest s':>9} {'/ alone':>8}  " * 2
          + f"{'ready / starting':>17}")  # fmt: skip
    named = {"starting": times[0], "kept ready": times[args.ready]}
    ready_of = {"starting": 0, "kept ready": args.ready}
    for row in vr.burst_rows(
        args.burst, named, lambda name, k: f"{max(times[ready_of[name]][k]) / alone:.2f}"
    ):
        print(row)  # fmt: skip


if __name__ == "__main__":
    main()
