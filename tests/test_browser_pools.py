"""eic-course serve's preheated kernels (a pool per notebook, which has run it before a page
asks) never give a page out-of-date answers: eic.fresh_pools."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    free_port,
    is_answer_file,
    released_modules,
    start_server,
    stop_server,
    wait_for_answer,
)

from eic.fresh_pools import SETTLED
from eic.serve import voila_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODULE_1 = released_modules()[0]
NOTEBOOK = f"{MODULE_1['folder']}/{MODULE_1['folder']}.ipynb"
REFILL_DELAY = 1.0  # seconds: a pool refills soon after a page takes its kernel


class Pooled:
    """A copy of release/ served as eic-course serve serves it without a roster: a pool of
    one preheated kernel per notebook."""

    def __init__(self, folder: Path) -> None:
        answer_files = lambda _d, names: [n for n in names if is_answer_file(n)]  # noqa: E731
        shutil.copytree(ROOT / "release", folder, ignore=answer_files)
        self.folder = folder
        self.url = f"http://127.0.0.1:{free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
        self.log_path = folder.parent / "voila.log"
        command = voila_command(folder, ip="127.0.0.1", port=port, pool_size=1,
                                cull_after_minutes=None, refill_delay=REFILL_DELAY)  # fmt: skip
        self.proc, self.log = start_server(command, cwd=folder, env=env,
                                           log_path=self.log_path, ready_url=self.url)  # fmt: skip

    def said(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.said()))

    def wait_for(self, pattern: str, times: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while self.count(pattern) < times:
            assert time.monotonic() < deadline, f"{pattern!r} not {times} times:\n{self.said()}"
            time.sleep(0.3)

    def stop(self) -> None:
        stop_server(self.proc, self.log)


FILLED = re.escape(f"Kernel pool of {NOTEBOOK} is filled")
PREHEATED = re.escape("Using pre-heated kernel") + r".*" + re.escape(NOTEBOOK)
REPLACED = re.escape(f"Out-of-date preheated kernel(s) for {NOTEBOOK} replaced")


def open_module(browser, server: Pooled):
    page = browser.new_page()
    page.goto(f"{server.url}/voila/render/{NOTEBOOK}", timeout=120_000)
    page.wait_for_selector(".eic-question", timeout=120_000)
    page.wait_for_load_state("networkidle")
    return page


def choose(page, qid: str, option: int) -> str:
    """Click the ``option``-th choice of a single-choice question; the choice's text."""
    label = page.locator(f".eic-q-{qid} label:has(input[type=radio])").nth(option)
    text = label.inner_text().strip()
    label.click()
    return text


def chosen(page, qid: str) -> list[str]:
    checked = page.locator(f".eic-q-{qid} input[type=radio]:checked")
    return [checked.nth(i).evaluate("el => el.closest('label').innerText").strip()
            for i in range(checked.count())]  # fmt: skip


def test_a_reloaded_page_shows_the_answers_given_after_its_kernel_was_preheated(browser, tmp_path):
    server = Pooled(tmp_path / "release")
    answers = server.folder / MODULE_1["folder"] / f"{MODULE_1['id']}-answers.json"
    try:
        server.wait_for(FILLED, 1)
        page = open_module(browser, server)
        assert server.count(PREHEATED) == 1
        # the pool refills: its kernel runs the notebook while nothing is answered yet
        server.wait_for(FILLED, 2)
        first = choose(page, "q3_match_type", 1)
        assert wait_for_answer(answers, "q3_match_type") == first
        answered = time.monotonic()
        page.close()  # leaving the page stops its kernel, once the answer is recorded

        # the kernel in the pool ran before the answer: the page runs the notebook afresh
        page = open_module(browser, server)
        assert chosen(page, "q3_match_type") == [first]
        assert server.count(REPLACED) == 1
        if time.monotonic() - answered < SETTLED - 2:  # else the server may have refilled
            assert server.count(PREHEATED) == 1  # the pool by itself, as it should

        # the pool refilled after the answer: the next page is preheated, and up to date
        server.wait_for(FILLED, 3)
        page.close()
        page = open_module(browser, server)
        assert server.count(PREHEATED) == 2
        assert chosen(page, "q3_match_type") == [first]

        # an answer given on it outdates the kernel that refilled the pool meanwhile; once
        # the files have settled, the server replaces that kernel with no page asking
        server.wait_for(FILLED, 4)
        second = choose(page, "q1_not_foundation", 2)
        assert wait_for_answer(answers, "q1_not_foundation") == second
        page.close()
        server.wait_for(REPLACED, 2, timeout=60)
        server.wait_for(FILLED, 5)
        page = open_module(browser, server)
        assert server.count(PREHEATED) == 3
        assert chosen(page, "q3_match_type") == [first]
        assert chosen(page, "q1_not_foundation") == [second]
        page.close()

        # the course home's kernel ran before any answer: its progress is counted afresh
        home = browser.new_page()
        home.goto(f"{server.url}/voila/render/index.ipynb", timeout=120_000)
        progress = home.locator(f".eic-progress-{MODULE_1['id']}")
        progress.wait_for(timeout=120_000)
        assert re.fullmatch(r"2 of \d+ answered", progress.inner_text().strip())
        home.close()
    finally:
        server.stop()
