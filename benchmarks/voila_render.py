"""How long a participant waits for a worksheet in Voila: cold against preheated kernels.

For every module's release notebook, and for a minimal notebook holding one slider, this
measures in Chromium the time from navigation until the first worksheet widget is on the
page and enabled, each page opened in a browser context of its own (nothing cached, as on a
participant's first visit), or with ``--returning`` in a browser that has opened pages of
each server before (see RETURNING_VISITS), or with ``--from-home`` in a browser context of
its own after the course home, in the same tab, as a participant opens a module (from the
home's table, which opens modules in its own tab):

- cold: a Voila server that starts a kernel and runs the notebook on each request;
- preheated: a Voila server with a pool of kernels that have already run the notebook
  (``--preheat_kernel=True``), measured after the pool has refilled. As with
  ``eic-course serve``, a pool waits ``REFILL_DELAY`` seconds after a page takes its kernel
  before refilling, so the refill does not compete with the page being drawn.

Both servers serve a copy of ``release/`` holding only the modules measured, and are
measured in the same run, ``--repeat`` times each, alternately. Each measurement starts
when both servers and their kernels are idle: a preheated pool refills by running its
notebook again once a page takes a kernel (after the refill delay), and that work must not
fall into the next measurement.

The table gives medians and two ratios: preheated / cold (target at most 0.5) and
module / minimal notebook, served the same way (target at most 1.5). Below it, for each
module, the cold times that would meet both targets at once: at least twice its preheated
time, and at most 1.5 times the minimal notebook's cold time. When even the preheated page
takes more than three quarters of the minimal notebook's cold time to build, there is none.
Then, for each notebook, how much of the wait the browser's main thread was busy building
the page (Chromium's own count): the part preheating cannot remove. Then the server's
share: the seconds until the page itself (the notebook's outputs, before its scripts run)
had arrived whole, cold and preheated, and their ratio: the part preheating removes.

Last, the bytes each page received until its widget was ready: the whole of Voila's
scripts on a first visit, little more than the page itself on a returning one.

    python benchmarks/voila_render.py [--repeat 3] [--modules m01 m02 ...]
                                      [--returning | --from-home]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import nbformat
import psutil
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.course import syllabus  # noqa: E402
from eic.serve import REFILL_DELAY, TEMPLATE, voila_command  # noqa: E402  (as eic-course serve)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
# A preheated server runs every notebook it serves as it starts: on two busy cores, with no
# chart drawn yet, that takes minutes. Pages are asked for only once that is done (in one
# clean run, a page asked for during it was still not drawn after 180 s).
STARTUP_SECONDS = 600
READY = ".eic-question input:enabled, .eic-question textarea:enabled, .widget-slider"
# --returning: how many times the browser opens a page of each server before timing.
# Chromium keeps a script the first time, makes its compiled code the second time it runs
# it, and uses that code from the third on: a participant's browser after the course home
# and a module or two (every page opened at a workshop but the first few).
RETURNING_VISITS = 3
MINIMAL = "minimal/minimal.ipynb"
HOME_NOTEBOOK = "index.ipynb"
HOME_READY = "table.eic-modules"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila(folder: Path, *, preheat: bool, template: str = TEMPLATE, compress: bool = True,
          ready_kernels: int = 0, extra: tuple[str, ...] = ()):  # fmt: skip
    """A Voila server for ``folder``, as ``eic-course serve`` starts it, with ``extra``
    options added; its address and process."""
    port = free_port()
    # a preheated pool of one kernel, refilled as eic-course serve refills it; or none, with
    # ready_kernels kernels kept warmed for any page, as for a class
    args = voila_command(folder, ip="127.0.0.1", port=port, pool_size=1 if preheat else None,
                         cull_after_minutes=None, template=template, compress=compress,
                         ready_kernels=ready_kernels) + list(extra)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    kind = "preheated" if preheat else f"ready{ready_kernels}" if ready_kernels else "cold"
    name = f"voila-{template}-{kind}-{port}.log"
    log = open(folder.parent / name, "w")  # noqa: SIM115
    proc = subprocess.Popen(args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise SystemExit("Voila did not start; see " + log.name) from None
            time.sleep(0.3)
    try:
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def at_once(tasks: list[Callable[[], object]]) -> list[float]:
    """Run each task in a thread of its own, all starting at the same moment, as a room of
    participants does; the seconds each took."""
    seconds = [0.0] * len(tasks)
    go = threading.Barrier(len(tasks))

    def run(i: int) -> None:
        go.wait()
        start = time.perf_counter()
        tasks[i]()
        seconds[i] = time.perf_counter() - start

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seconds


def burst_rows(
    sizes: list[int | str],
    times: dict[str, dict[int | str, list[float]]],
    third: Callable[[str, int | str], str],
) -> list[str]:
    """A table's rows, one for each burst size ``k`` (or a row's label): for each server of
    ``times`` (seconds of each participant, by ``k``), the median and slowest participant
    and a third column (``third(server, k)``, 8 characters wide); last, the last server's
    slowest against the first's."""
    first, last = list(times)[0], list(times)[-1]
    rows = []
    for k in sizes:
        row = f"{k:>4}"
        for name, by_size in times.items():
            row += (f" {statistics.median(by_size[k]):>8.2f} {max(by_size[k]):>9.2f}"
                    f" {third(name, k):>8}  ")  # fmt: skip
        rows.append(row + f"{max(times[last][k]) / max(times[first][k]):>17.2f}")
    return rows


def busy_seconds(procs) -> float:
    """CPU seconds used so far by the servers and every kernel they started."""
    total = 0.0
    for proc in procs:
        try:
            server = psutil.Process(proc.pid)
            for each in [server, *server.children(recursive=True)]:
                times = each.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def wait_until_idle(procs, *, refill_from: float = 0.0, timeout: float = 120) -> None:
    """Wait until the servers and all their kernels use less than a fifth of one core
    (a kernel running a notebook uses a whole core; idle kernels only answer heartbeats).

    ``refill_from`` is when a preheated pool, whose kernel a page took, starts refilling
    (``time.time()`` seconds): the servers are idle until then, but not done.
    """
    time.sleep(max(0.0, refill_from + 0.5 - time.time()))
    deadline = time.time() + timeout
    before = busy_seconds(procs)
    while time.time() < deadline:
        time.sleep(0.5)
        now = busy_seconds(procs)
        if now - before < 0.1:
            return
        before = now


class Visit(NamedTuple):
    """What one page cost, from navigation."""

    seconds: float  # until the first worksheet widget was enabled
    busy: float  # the browser's main thread busy building the page
    received: int  # bytes received by then
    # until the page itself (the notebook's outputs, without its scripts) had arrived whole:
    # the server's share, the time its kernel took to run the notebook (or none, preheated)
    page_sent: float


def time_to_widget(
    browser,
    url: str,
    notebook: str,
    *,
    link: tuple[float, float] | None = None,
    ready: str = READY,
    before: Callable[[object], None] | None = None,
) -> Visit:
    """One page opened in ``browser`` (a :class:`Visit`): the seconds from navigation until
    the first worksheet widget is enabled; the seconds of them the page's main thread in the
    browser was busy (scripts, style, layout, paint: Chromium's TaskDuration); the bytes of
    the requests that had finished by then, as they came over the connection (compressed or
    not, headers included); and the seconds until the page itself had arrived whole.

    ``link`` (megabits per second, milliseconds of latency) makes the browser's connection
    that narrow and slow, both ways (Chromium's network emulation); None leaves it as it is.
    ``ready`` is what to wait for instead of a worksheet widget (a CSS selector).
    ``before`` is done with the new page before timing starts (such as opening the course
    home in it); what it cost is not counted.
    """
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Network.enable")
    if before is not None:
        before(page)
    received: list[float] = []
    cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
    if link is not None:
        bytes_per_second = link[0] * 1_000_000 / 8
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": link[1],
            "downloadThroughput": bytes_per_second, "uploadThroughput": bytes_per_second,
        })  # fmt: skip
    start = time.perf_counter()
    page.goto(f"{url}/voila/render/{notebook}", timeout=180_000)
    page.wait_for_selector(ready, state="visible", timeout=180_000)
    seconds = time.perf_counter() - start
    received_bytes = int(sum(received))
    busy = task_duration(cdp)  # counted from the page's last navigation: not ``before``'s
    sent_ms = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
    # leave the page as a participant does, so it stops its kernel: kernels of pages already
    # measured do not pile up on the server (wait_until_idle waits for their shutdown)
    page.goto("about:blank")
    page.close()
    return Visit(seconds, busy, received_bytes, sent_ms / 1000)


def task_duration(cdp) -> float:
    """The seconds the page's main thread has been busy so far (Chromium's TaskDuration)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def from_the_home(url: str, servers) -> Callable[[object], None]:
    """What a participant does before opening a module: open the course home of ``url`` in
    the page, wait until its table of modules is shown, then until the servers are idle
    again (a preheated pool refills the home's kernel after its delay), so that the home's
    work does not fall into the module's time."""

    def open_home(page) -> None:
        page.goto(f"{url}/voila/render/{HOME_NOTEBOOK}", timeout=180_000)
        page.wait_for_selector(HOME_READY, state="visible", timeout=180_000)
        wait_until_idle(servers, refill_from=time.time() + REFILL_DELAY)

    return open_home


def course_copy(base: Path, modules: list[str] | None = None) -> Path:
    """A copy of ``release/`` under ``base`` with the minimal notebook added; with
    ``modules`` (folder names), only those modules' folders: a preheated server runs every
    notebook it finds as it starts, so a copy holds only the notebooks to be measured."""
    folder = base / "release"
    skip = shutil.ignore_patterns("*-answers*", ".ipynb_checkpoints")

    def ignore(where: str, names: list[str]) -> set[str]:
        left_out = set(skip(where, names))
        if modules is not None and Path(where) == ROOT / "release":
            left_out |= {n for n in names if (Path(where) / n).is_dir() and n not in modules}
        return left_out

    shutil.copytree(ROOT / "release", folder, ignore=ignore)
    (folder / "minimal").mkdir()
    cell = new_code_cell("import ipywidgets as w\n\nw.IntSlider(description='One slider')")
    nbformat.write(new_notebook(cells=[cell]), folder / MINIMAL)
    return folder


def use_own_chart_cache(base: Path) -> str:
    """Keep charts in a folder under ``base``, empty at first, unless EIC_CHART_CACHE is set
    (``EIC_CHART_CACHE=off`` measures with no cache); says which, for the report."""
    if "EIC_CHART_CACHE" in os.environ:
        return f"chart cache: EIC_CHART_CACHE={os.environ['EIC_CHART_CACHE']}"
    os.environ["EIC_CHART_CACHE"] = str(base / "charts")
    return "chart cache: filled by opening each notebook once before timing, as on Binder"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modules", nargs="*", help="module ids (default: every module)")
    parser.add_argument("--returning", action="store_true",
                        help="time pages in a browser that has opened each server's pages "
                             f"{RETURNING_VISITS} times before (its caches filled)")  # fmt: skip
    parser.add_argument("--from-home", action="store_true",
                        help="open each timed page in a new browser context after the course "
                             "home, in the same tab, as a participant opens a module")  # fmt: skip
    args = parser.parse_args()
    if args.returning and args.from_home:
        parser.error("--returning and --from-home are two ways of opening pages: give one")
    modules = [m for m in syllabus()["modules"] if (ROOT / "release" / m["folder"]).is_dir()]
    if args.modules:
        modules = [m for m in modules if m["id"] in args.modules]
    notebooks = {"minimal": MINIMAL} | {
        m["id"]: f"{m['folder']}/{m['folder']}.ipynb" for m in modules
    }
    from playwright.sync_api import sync_playwright

    times: dict[tuple[str, str], list[float]] = {}
    busy: dict[tuple[str, str], list[float]] = {}
    sent: dict[tuple[str, str], list[float]] = {}
    received: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = course_copy(Path(tmp), [m["folder"] for m in modules])
        cache_note = use_own_chart_cache(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # where each timed page opens: a new context each time (nothing cached), or the
        # pages of one browser profile, kept on disk as a participant's browser keeps it
        opener = browser
        if args.returning:
            opener = pw.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        with (
            voila(folder, preheat=False) as (cold, cold_proc),
            voila(folder, preheat=True) as (warm, warm_proc),
        ):
            servers = (cold_proc, warm_proc)
            wait_until_idle(servers, timeout=STARTUP_SECONDS)  # every pool has run its notebook
            for notebook in notebooks.values():  # fill each notebook's preheated pool
                time_to_widget(browser, warm, notebook)
            if args.returning:
                for _ in range(RETURNING_VISITS):
                    for url in (cold, warm):
                        wait_until_idle(servers, refill_from=time.time() + REFILL_DELAY)
                        time_to_widget(opener, url, MINIMAL)
            refill_from = time.time() + REFILL_DELAY
            for _ in range(args.repeat):
                for name, notebook in notebooks.items():
                    for kind, url in (("cold", cold), ("preheated", warm)):
                        wait_until_idle(servers, refill_from=refill_from)  # pools refilled
                        before = from_the_home(url, servers) if args.from_home else None
                        visit = time_to_widget(opener, url, notebook, before=before)
                        times.setdefault((name, kind), []).append(visit.seconds)
                        busy.setdefault((name, kind), []).append(visit.busy)
                        sent.setdefault((name, kind), []).append(visit.page_sent)
                        received.setdefault((name, kind), []).append(visit.received / 1e6)
                        if kind == "preheated":
                            refill_from = time.time() + REFILL_DELAY
        if opener is not browser:
            opener.close()
        browser.close()
    median = {key: statistics.median(values) for key, values in times.items()}
    print(f"{'notebook':<9} {'cold_s':>7} {'preheated_s':>11} {'warm/cold':>9} "
          f"{'cold/minimal':>12} {'warm/minimal':>12}")  # fmt: skip
    for name in notebooks:
        cold_s, warm_s = median[(name, "cold")], median[(name, "preheated")]
        print(
            f"{name:<9} {cold_s:>7.2f} {warm_s:>11.2f} {warm_s / cold_s:>9.2f} "
            f"{cold_s / median[('minimal', 'cold')]:>12.2f} "
            f"{warm_s / median[('minimal', 'preheated')]:>12.2f}"
        )
    print("targets: warm/cold at most 0.50; module/minimal at most 1.50 (cold and preheated)")
    print(cache_note)
    print(f"browser: one that had opened pages of each server {RETURNING_VISITS} times before "
          "(its caches filled), as for a participant's later pages" if args.returning else
          "browser: a new context for each page, opened from the course home in the same tab "
          "(the home's own wait not counted), as a participant opens a module" if args.from_home
          else "browser: a new context for each page (nothing cached), as for a participant's "
          "first page")  # fmt: skip
    print(joint_targets(median, [name for name in notebooks if name != "minimal"]))
    print(browser_work({key: statistics.median(values) for key, values in busy.items()}, median))
    # until each page itself had arrived whole: the server's share of the wait, the part
    # preheating removes (a preheated kernel has run the notebook before it is asked)
    print(per_page("the server's share: until the page itself had arrived whole",
                   {key: statistics.median(values) for key, values in sent.items()},
                   "s", ratio=True))  # fmt: skip
    # as it came over the connection: on a first visit, Voila's scripts with the page; on a
    # returning one, little more than the page, the scripts coming from the browser's cache
    print(per_page("received until the widget was ready",
                   {key: statistics.median(values) for key, values in received.items()},
                   "MB", ratio=False))  # fmt: skip


def browser_work(busy: dict[tuple[str, str], float], median: dict[tuple[str, str], float]) -> str:
    """The part of each wait the browser's main thread was busy building the page: what
    preheating cannot remove, since a preheated kernel has only spared the kernel's part."""
    head = f"{'notebook':<9} {'cold_s':>7} {'share':>6} {'preheated_s':>11} {'share':>6}"
    lines = ["browser main thread busy until the widget was ready (median s, share of the wait)",
             head]  # fmt: skip
    for name in dict.fromkeys(name for name, _ in busy):
        row = f"{name:<9}"
        for kind, width in (("cold", 7), ("preheated", 11)):
            seconds = busy[(name, kind)]
            row += f" {seconds:>{width}.2f} {seconds / median[(name, kind)]:>6.2f}"
        lines.append(row)
    return "\n".join(lines)


def per_page(title: str, values: dict[tuple[str, str], float], unit: str, ratio: bool) -> str:
    """A table of one median per page, cold and preheated, with their ratio if asked."""
    lines = [f"{title} (median {unit})",
             f"{'notebook':<9} {'cold_' + unit:>7} {'preheated_' + unit:>12}"
             + (f" {'warm/cold':>9}" if ratio else "")]  # fmt: skip
    for name in dict.fromkeys(name for name, _ in values):
        cold, warm = values[(name, "cold")], values[(name, "preheated")]
        lines.append(f"{name:<9} {cold:>7.3f} {warm:>12.3f}"
                     + (f" {warm / cold:>9.3f}" if ratio else ""))  # fmt: skip
    return "\n".join(lines)


def joint_targets(median: dict[tuple[str, str], float], modules: list[str]) -> str:
    """Where a module's cold time would have to be for both targets to hold at once.

    Preheated at most 0.5 of cold means cold at least twice the preheated time; cold at most
    1.5 times the minimal notebook's cold time caps it. A page that is slow to build in the
    browser even when preheated has no cold time that meets both.
    """
    ceiling = 1.5 * median[("minimal", "cold")]
    lines = [f"both targets at once: cold between 2 x preheated and {ceiling:.2f} s "
             "(1.5 x the minimal notebook's cold time)"]  # fmt: skip
    for name in modules:
        floor = 2 * median[(name, "preheated")]
        where = (f"from {floor:.2f} to {ceiling:.2f} s" if floor <= ceiling
                 else f"none (2 x preheated = {floor:.2f} s > {ceiling:.2f} s)")  # fmt: skip
        lines.append(f"  {name:<9} cold {median[(name, 'cold')]:.2f} s; possible: {where}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
