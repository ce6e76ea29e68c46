"""What a slow internet connection costs a Voila page: Voila's own page against the course's.

Voila's "lab" page loads two icon style sheets from cdn.jsdelivr.net, and a browser shows
nothing until its style sheets arrive. The course's page template, ``eic``, leaves them out.
This serves the minimal one-slider notebook both ways (preheated, as ``eic-course serve``
does) and times, in Chromium, navigation until the slider is on the page, while every
request to another host is held for ``--delay`` seconds and then fails, as on a slow link
or in a room with no internet. Measured in the same run, alternately, ``--repeat`` times.

    python benchmarks/slow_connection.py [--delay 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import voila_render as vr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.serve import TEMPLATE  # noqa: E402


async def time_to_slider(browser, url: str, delay: float) -> tuple[float, int]:
    """Seconds until the slider shows, and how many requests went to another host."""
    page = await browser.new_page()
    outside = 0

    async def hold_then_fail(route) -> None:
        nonlocal outside
        outside += 1
        await asyncio.sleep(delay)
        await route.abort("timedout")

    await page.route(lambda address: not address.startswith(url.split("/voila/")[0]),
                     hold_then_fail)  # fmt: skip
    start = time.perf_counter()
    await page.goto(url, timeout=180_000)
    await page.wait_for_selector(vr.READY, state="visible", timeout=180_000)
    seconds = time.perf_counter() - start
    await page.close()
    return seconds, outside


async def measure(delay: float, repeat: int) -> dict[str, list[tuple[float, int]]]:
    from playwright.async_api import async_playwright

    times: dict[str, list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = vr.course_copy(Path(tmp), modules=[])  # the minimal notebook only
        with (
            vr.voila(folder, preheat=True, template="lab") as (lab, lab_proc),
            vr.voila(folder, preheat=True, template=TEMPLATE) as (ours, ours_proc),
        ):
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=vr.CHROMIUM, args=vr.CHROMIUM_ARGS
                )
                pages = {"lab": f"{lab}/voila/render/{vr.MINIMAL}",
                         TEMPLATE: f"{ours}/voila/render/{vr.MINIMAL}"}  # fmt: skip
                vr.wait_until_idle((lab_proc, ours_proc), timeout=vr.STARTUP_SECONDS)
                for url in pages.values():  # fill each preheated pool
                    await time_to_slider(browser, url, 0)
                refill_from = time.time() + vr.REFILL_DELAY  # each page took its pool's kernel
                for _ in range(repeat):
                    for name, url in pages.items():
                        vr.wait_until_idle((lab_proc, ours_proc), refill_from=refill_from)
                        times.setdefault(name, []).append(await time_to_slider(browser, url, delay))
                        refill_from = time.time() + vr.REFILL_DELAY
                await browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--delay", type=float, default=3.0, help="seconds each outside request is held"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times = asyncio.run(measure(args.delay, args.repeat))
    median = {name: statistics.median(s for s, _ in runs) for name, runs in times.items()}
    print(
        f"outside requests held {args.delay:.1f} s each, then failed; minimal notebook, preheated"
    )
    print(f"{'template':<9} {'seconds':>8} {'outside_requests':>16}")
    for name, runs in times.items():
        print(f"{name:<9} {median[name]:>8.2f} {max(n for _, n in runs):>16}")
    print(f"{TEMPLATE}/lab: {median[TEMPLATE] / median['lab']:.2f}")


if __name__ == "__main__":
    main()
