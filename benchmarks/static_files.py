"""A room loading a page's scripts at once: files compressed for every page, or compressed
once and kept.

Before its first widget works, a Voila page loads about 5 MB of scripts and style sheets,
which the course's server sends compressed (about 1.4 MB). Tornado, the web server under
Voila, compresses each response afresh; the course's server compresses each file once and
keeps the result for later pages (``eic.compression``). When the trainer says "open Module
1", every participant's browser asks for the same files within seconds, and the server,
which does one thing at a time, also has the room's kernels to answer.

This opens the module's page once in Chromium, from the first server below (which keeps
nothing), to learn which files it loads, then asks a server for all of them, compressed,
for ``k`` participants at the same moment (each participant one file after another), for
each ``k`` of ``--burst``. Each burst is timed until the last participant has every file,
on two servers in the same run, alternately:

- each time: the course's Voila server with ``--CourseVoila.compress_once=False``, which
  compresses every response as Tornado does;
- once: the course's Voila server as ``eic-course serve`` starts it.

The first burst, of the largest ``k``, comes to servers that have sent none of the files
yet, as when a room opens its first page after the server starts: on the second server,
each file is compressed when it is first asked for, and participants who ask for it at the
same moment may each compress it. That burst has its own row (``32*``). The others come
after each server has sent every file. The table gives the median and slowest participant,
and the server's processor time for each participant's files; the last column is the
slowest participant on the second server against the first. Each burst starts when both
servers are idle; ``--repeat`` bursts of each size.

    python benchmarks/static_files.py [--burst 1 8 32] [--repeat 3] [--module m01]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.course import syllabus  # noqa: E402

SERVERS = {"each time": ("--CourseVoila.compress_once=False",), "once": ()}


def files_of_page(url: str, notebook: str) -> list[str]:
    """The addresses (path and query) of the scripts and style sheets the page loads."""
    from playwright.sync_api import sync_playwright

    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=vr.CHROMIUM, args=vr.CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: seen.append(request.url))
        page.goto(f"{url}/voila/render/{notebook}", timeout=180_000)
        page.wait_for_selector(vr.READY, state="visible", timeout=180_000)
        page.goto("about:blank")
        browser.close()
    files = []
    for address in dict.fromkeys(seen):
        parts = urlsplit(address)
        if "/static/" in parts.path or "/labextensions/" in parts.path:
            files.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return files


def fetch(url: str, files: list[str]) -> tuple[int, int]:
    """Every file, asked for compressed as a browser asks; bytes received and their size
    once decompressed."""
    received = size = 0
    for path in files:
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=600) as response:
            body = response.read()
            compressed = response.headers.get("Content-Encoding") == "gzip"
        received += len(body)
        size += len(gzip.decompress(body)) if compressed else len(body)
    return received, size


def burst(url: str, files: list[str], k: int) -> list[float]:
    """``k`` participants asking for every file at the same moment; each one's seconds."""
    return vr.at_once([lambda: fetch(url, files)] * k)


def server_seconds(proc) -> float:
    """Processor seconds the server process itself has used (not its kernels)."""
    times = psutil.Process(proc.pid).cpu_times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--module", default="m01", help="module id (default: m01)")
    args = parser.parse_args()
    module = next(m for m in syllabus()["modules"] if m["id"] == args.module)
    notebook = f"{module['folder']}/{module['folder']}.ipynb"
    first_k = max(args.burst)
    first = f"{first_k}*"  # the first burst's row, before the servers have sent any file
    times: dict[tuple[str, int | str], list[float]] = {}
    cpu: dict[tuple[str, int | str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="eic-static-") as scratch:
        base = Path(scratch)
        vr.use_own_chart_cache(base)
        folder = vr.course_copy(base, [module["folder"]])
        with (
            vr.voila(folder, preheat=False, extra=SERVERS["each time"]) as (each, each_proc),
            vr.voila(folder, preheat=False, extra=SERVERS["once"]) as (once, once_proc),
        ):
            servers = {"each time": (each, each_proc), "once": (once, once_proc)}
            procs = [proc for _, proc in servers.values()]

            def timed_burst(k: int, key: int | str) -> None:
                for name, (url, proc) in servers.items():
                    vr.wait_until_idle(procs)
                    before = server_seconds(proc)
                    times.setdefault((name, key), []).extend(burst(url, files, k))
                    cpu.setdefault((name, key), []).append((server_seconds(proc) - before) / k)

            # learnt from the server that keeps nothing: the other has sent no file yet
            files = files_of_page(each, notebook)
            timed_burst(first_k, first)
            sizes = {name: fetch(url, files) for name, (url, _) in servers.items()}
            if sizes["each time"] != sizes["once"]:
                raise SystemExit(f"the servers sent different files: {sizes}")
            for _ in range(args.repeat):
                for k in args.burst:
                    timed_burst(k, k)
    received, size = sizes["once"]
    print(f"{module['id']}'s scripts and style sheets ({len(files)} files, {size / 1e6:.1f} MB; "
          f"{received / 1e6:.1f} MB compressed) sent to k participants at once, "
          f"{args.repeat} bursts of each size")  # fmt: skip
    print("(each time: compressed for every participant; once: compressed once and kept; "
          "cpu: the server's processor seconds per participant)")  # fmt: skip
    print(f"{'':>4} {'compressed each time':^28} {'compressed once':^28}")
    print(f"{'k':>4}" + f" {'median s':>8} {'slowest s':>9} {'cpu s':>8}  " * 2
          + f"{'once / each time':>17}")  # fmt: skip
    for row in vr.burst_rows(
        [first, *args.burst],
        {name: {k: times[(name, k)] for k in [first, *args.burst]} for name in SERVERS},
        lambda name, k: f"{statistics.median(cpu[(name, k)]):.3f}",
    ):
        print(row)
    print(f"{first}: the first burst, to servers that had sent none of these files before")


if __name__ == "__main__":
    main()
