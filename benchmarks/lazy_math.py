"""What MathJax costs a Voila page without mathematics: the course's page, which loads it
only for text that may hold mathematics, against the same page loading it always.

Voila's page typesets every reading and widget label as it starts, so every page fetched
and ran MathJax (about 0.8 MB of scripts) although only Module 2 has formulas. The course's
page template (``eic``) wraps the typesetter so that MathJax is fetched only the first time
text with mathematics is met (its block ``lazy_math``). This serves the minimal one-slider
notebook, the course home and ``--modules`` (default m01, which has no formulas, and m02,
which has: there both pages must load MathJax) twice, preheated as ``eic-course serve``
serves them: with the ``eic`` template, and with a template that is ``eic`` less that block.

Each page is opened in a browser context of its own, as on a participant's first visit,
alternately on the two servers, ``--repeat`` times each, each time when both servers and
their kernels are idle. For each it prints the median seconds from navigation until the
first worksheet widget is enabled (on the course home, until the list of modules shows);
then, once every widget is drawn and no request has finished for a second since (the page
settled, MathJax fetched or not), the megabytes received and the seconds the browser's main
thread was busy (Chromium's TaskDuration); and whether the page had loaded MathJax.

    python benchmarks/lazy_math.py [--repeat 3] [--modules m01 m02]
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
from typing import NamedTuple

import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.course import syllabus  # noqa: E402

EAGER = "eic-eager-math"  # the course's template less its block "lazy_math"
SERVERS = ("lazy", "eager")
QUIET_SECONDS = 1.0  # no request finished for this long: the page has settled


class Settled(NamedTuple):
    seconds: float  # until the first worksheet widget was enabled
    megabytes: float  # received once the page had settled
    busy: float  # seconds the main thread was busy by then
    mathjax: bool  # whether the page had loaded MathJax


def eager_template(base: Path) -> Path:
    """A Jupyter data folder under ``base`` holding the template EAGER."""
    folder = base / "share" / "jupyter" / "voila" / "templates" / EAGER
    folder.mkdir(parents=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "eic"}))
    page = ["{%- extends 'eic/index.html.j2' -%}", "{%- block lazy_math -%}{%- endblock -%}"]
    (folder / "index.html.j2").write_text("\n".join(page) + "\n")
    return base / "share" / "jupyter"


# how many widget outputs the page holds, counted before Voila's scripts draw them (and take
# the outputs out of the page); and whether as many widget views are drawn
COUNT_WIDGET_OUTPUTS = """
  document.addEventListener("DOMContentLoaded", () => {
    window.__eicWidgetOutputs = [...document.querySelectorAll(
      'script[type="application/vnd.voila.cell-output+json"]')]
      .filter((output) => output.textContent.includes("application/vnd.jupyter.widget-view+json"))
      .length;
  });
"""
WIDGETS_DRAWN = """() => window.__eicWidgetOutputs !== undefined &&
  [...document.querySelectorAll(".jupyter-widgets")]
    .filter((view) => !view.parentElement.closest(".jupyter-widgets")).length
  >= window.__eicWidgetOutputs"""


def visit(browser, url: str, notebook: str, ready: str) -> Settled:
    """One page opened in ``browser`` (a context of its own), timed until ``ready`` shows,
    then left until it settles: every widget drawn (the course's page typesets formulas only
    then), and no request finished for QUIET_SECONDS since."""
    page = browser.new_page()
    page.add_init_script(COUNT_WIDGET_OUTPUTS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Network.enable")
    received: list[float] = []
    last = [time.perf_counter()]

    def finished(event: dict) -> None:
        received.append(event["encodedDataLength"])
        last[0] = time.perf_counter()

    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    page.goto(f"{url}/voila/render/{notebook}", timeout=180_000)
    page.wait_for_selector(ready, state="visible", timeout=180_000)
    seconds = time.perf_counter() - start
    page.wait_for_function(WIDGETS_DRAWN, timeout=180_000)
    last[0] = max(last[0], time.perf_counter())
    while time.perf_counter() - last[0] < QUIET_SECONDS:
        page.wait_for_timeout(100)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    # MathJax, once started, puts its style sheet in the page
    mathjax = page.evaluate("() => document.getElementById('MJX-CHTML-styles') !== null")
    page.goto("about:blank")  # the page stops its kernel
    page.close()
    return Settled(seconds, sum(received) / 1e6, metrics["TaskDuration"], mathjax)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modules", nargs="*", default=["m01", "m02"], help="module ids")
    args = parser.parse_args()
    modules = [m for m in syllabus()["modules"] if m["id"] in args.modules]
    pages = {"minimal": (vr.MINIMAL, vr.READY),
             "home": ("index.ipynb", f".eic-progress-{modules[0]['id']}")}  # fmt: skip
    for module in modules:
        pages[module["id"]] = (f"{module['folder']}/{module['folder']}.ipynb", vr.READY)
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str], list[Settled]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = vr.course_copy(Path(tmp), [m["folder"] for m in modules])
        cache_note = vr.use_own_chart_cache(Path(tmp))
        data = eager_template(Path(tmp))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(data), *filter(None, [os.environ.get("JUPYTER_PATH")])]
        )
        browser = pw.chromium.launch(executable_path=vr.CHROMIUM, args=vr.CHROMIUM_ARGS)
        with (
            vr.voila(folder, preheat=True) as (lazy, lazy_proc),
            vr.voila(folder, preheat=True, template=EAGER) as (eager, eager_proc),
        ):
            servers = (lazy_proc, eager_proc)
            urls = {"lazy": lazy, "eager": eager}
            vr.wait_until_idle(servers, timeout=vr.STARTUP_SECONDS)  # every pool is ready
            for notebook, ready in pages.values():  # each page once before timing
                for url in urls.values():
                    vr.time_to_widget(browser, url, notebook, ready=ready)
            refill_from = time.time() + vr.REFILL_DELAY
            for turn in range(args.repeat):
                for name, (notebook, ready) in pages.items():
                    for server in SERVERS if turn % 2 == 0 else SERVERS[::-1]:
                        vr.wait_until_idle(servers, refill_from=refill_from)
                        context = browser.new_context()
                        settled = visit(context, urls[server], notebook, ready)
                        context.close()
                        refill_from = time.time() + vr.REFILL_DELAY
                        results.setdefault((name, server), []).append(settled)
        browser.close()
    print(report(results, pages))
    print(cache_note)


def report(results: dict[tuple[str, str], list[Settled]], pages: dict) -> str:
    lines = [
        "medians: seconds until the first widget works; once settled, megabytes received "
        "and seconds the browser was busy; whether MathJax was loaded (every time)",
        f"{'page':<8} {'eager_s':>8} {'lazy_s':>7} {'lazy/eager':>10} {'eager_MB':>8} "
        f"{'lazy_MB':>7} {'eager_busy':>10} {'lazy_busy':>9} {'eager_math':>10} "
        f"{'lazy_math':>9}",
    ]

    def median(name: str, server: str, field: str) -> float:
        return statistics.median(getattr(s, field) for s in results[(name, server)])

    def loaded(name: str, server: str) -> str:
        seen = {s.mathjax for s in results[(name, server)]}
        return "mixed" if len(seen) > 1 else "yes" if seen.pop() else "no"

    for name in pages:
        eager_s, lazy_s = median(name, "eager", "seconds"), median(name, "lazy", "seconds")
        lines.append(
            f"{name:<8} {eager_s:>8.2f} {lazy_s:>7.2f} {lazy_s / eager_s:>10.2f} "
            f"{median(name, 'eager', 'megabytes'):>8.2f} "
            f"{median(name, 'lazy', 'megabytes'):>7.2f} "
            f"{median(name, 'eager', 'busy'):>10.2f} {median(name, 'lazy', 'busy'):>9.2f} "
            f"{loaded(name, 'eager'):>10} {loaded(name, 'lazy'):>9}"
        )
    lines.append("lazy: the course's page (eic); eager: the same less its block lazy_math; "
                 "both from eic.voila_server, preheated, compressed")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
