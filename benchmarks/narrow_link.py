"""What a narrow connection costs a Voila page: the course's server, which compresses what
it sends, against Voila's own, which does not.

A Voila page loads about 5 MB of scripts before its first widget works. In a training room
the participants share one connection (a hotel's, or a ministry's), and on Binder every
page comes over the internet. The course's Voila server (``eic.voila_server``, started by
``eic-course serve``) sends scripts and pages compressed when the browser accepts it, as
every browser does.

This serves the minimal one-slider notebook, the course home and one module both ways,
preheated as ``eic-course serve`` serves them, and times in Chromium the wait from
navigation until the first worksheet widget is enabled (on the course home, until the list
of modules shows). Each page is opened in a browser context of its own, as on a
participant's first visit, with nothing cached; and the module once more right after the
course home in the same browser ("m01 next"), which by then has Voila's scripts and only
asks the server whether they changed. Each is timed over:

- the machine's own connection, as fast as it gets (compressing costs the server time);
- a link of ``--mbit`` megabits per second with ``--latency`` milliseconds of latency
  each way (Chromium's network emulation): for example a 100 Mbit/s line shared by a room
  of twelve gives each about 8 Mbit/s.

Both servers are measured in the same run, alternately, ``--repeat`` times each, each
measurement starting when both servers and their kernels are idle.

    python benchmarks/narrow_link.py [--mbit 8] [--latency 40] [--repeat 3] [--module m01]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.course import syllabus  # noqa: E402

SERVERS = ("course", "voila")  # eic.voila_server, compressing; Voila's own, not


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbit", type=float, default=8.0, help="link speed, Mbit/s")
    parser.add_argument("--latency", type=float, default=40.0, help="link latency, ms")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--module", default="m01", help="module id (default: m01)")
    args = parser.parse_args()
    module = next(m for m in syllabus()["modules"] if m["id"] == args.module)
    home = ("index.ipynb", f".eic-progress-{module['id']}")  # the home has no widget
    page = (f"{module['folder']}/{module['folder']}.ipynb", vr.READY)
    # each visit opens its pages in a browser of its own, one after the other, and times
    # the last: a first visit, or the module opened from the course home, scripts cached
    visits = {"minimal": [(vr.MINIMAL, vr.READY)], "home": [home], module["id"]: [page],
              f"{module['id']} next": [home, page]}  # fmt: skip
    links = {"own": None, f"{args.mbit:g} Mbit/s": (args.mbit, args.latency)}
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str, str], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = vr.course_copy(Path(tmp), [module["folder"]])
        cache_note = vr.use_own_chart_cache(Path(tmp))
        browser = pw.chromium.launch(executable_path=vr.CHROMIUM, args=vr.CHROMIUM_ARGS)
        with (
            vr.voila(folder, preheat=True, compress=True) as (course, course_proc),
            vr.voila(folder, preheat=True, compress=False) as (own, own_proc),
        ):
            servers = (course_proc, own_proc)
            urls = {"course": course, "voila": own}
            vr.wait_until_idle(servers, timeout=vr.STARTUP_SECONDS)  # every pool is ready
            for notebook, ready in [(vr.MINIMAL, vr.READY), home, page]:  # fill the pools
                for url in urls.values():
                    vr.time_to_widget(browser, url, notebook, ready=ready)
            refill_from = time.time() + vr.REFILL_DELAY
            for _ in range(args.repeat):
                for link_name, link in links.items():
                    for name, steps in visits.items():
                        for server in SERVERS:
                            context = browser.new_context()
                            for notebook, ready in steps:
                                vr.wait_until_idle(servers, refill_from=refill_from)
                                visit = vr.time_to_widget(
                                    context, urls[server], notebook, link=link, ready=ready
                                )
                                refill_from = time.time() + vr.REFILL_DELAY
                            context.close()
                            results.setdefault((link_name, name, server), []).append(
                                (visit.seconds, visit.received)
                            )
        browser.close()
    print(report(results, links, visits))
    print(cache_note)


def report(results, links, visits) -> str:
    lines = [
        "median seconds until the first widget works, and megabytes received by then",
        f"{'link':<12} {'page':<8} {'voila_s':>8} {'course_s':>8} {'course/voila':>12} "
        f"{'voila_MB':>8} {'course_MB':>9}",
    ]
    for link_name in links:
        for name in visits:
            seconds = {s: statistics.median(t for t, _ in results[(link_name, name, s)])
                       for s in SERVERS}  # fmt: skip
            megabytes = {s: statistics.median(b for _, b in results[(link_name, name, s)]) / 1e6
                         for s in SERVERS}  # fmt: skip
            lines.append(
                f"{link_name:<12} {name:<8} {seconds['voila']:>8.2f} {seconds['course']:>8.2f} "
                f"{seconds['course'] / seconds['voila']:>12.2f} "
                f"{megabytes['voila']:>8.2f} {megabytes['course']:>9.2f}"
            )
    lines.append("voila: Voila's own server; course: eic.voila_server (compressed), both "
                 "preheated and with the course's page template")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
