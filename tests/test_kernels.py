"""A kernel stopped because its page was left first handles what the page sent it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from eic.kernels import AnswerKeepingKernelManager

pytestmark = pytest.mark.slow


async def stop_while_busy(manager_class, folder: Path) -> tuple[bool, float]:
    """Send a kernel a slow cell (7 s, longer than the 5 s Jupyter waits for a kernel to
    stop before killing it), then a cell recording an answer, then stop it at once (as a
    page left right after a click does); whether the answer was recorded, and the seconds
    the stop took."""
    manager = manager_class(root_dir=str(folder))
    kernel_id = await manager.start_kernel(path=str(folder))
    client = manager.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        client.execute("import time; open('started.txt', 'w').write('1'); time.sleep(7)")
        client.execute("open('answer.txt', 'w').write('recorded')")
        while not (folder / "started.txt").exists():  # the kernel is busy with the slow cell
            await asyncio.sleep(0.05)
        start = time.perf_counter()
        await manager.shutdown_kernel(kernel_id)
        return (folder / "answer.txt").exists(), time.perf_counter() - start
    finally:
        client.stop_channels()
        await manager.shutdown_all(now=True)


def test_a_stopped_kernel_first_records_the_answer_it_was_sent(tmp_path):
    recorded, seconds = asyncio.run(stop_while_busy(AnswerKeepingKernelManager, tmp_path))
    assert recorded and seconds >= 6  # it waited for the slow cell, then the answer


def test_a_kernel_stuck_in_long_work_is_stopped_anyway(tmp_path, monkeypatch):
    async def stuck() -> tuple[bool, float]:
        manager = AnswerKeepingKernelManager(root_dir=str(tmp_path))
        kernel_id = await manager.start_kernel(path=str(tmp_path))
        client = manager.get_kernel(kernel_id).client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        client.execute("import time; time.sleep(600)")
        await asyncio.sleep(0.3)
        start = time.perf_counter()
        done = await manager.finish_shell_work(kernel_id, timeout=1.0)
        await manager.shutdown_kernel(kernel_id, now=True)
        client.stop_channels()
        return done, time.perf_counter() - start

    done, seconds = asyncio.run(stuck())
    assert done is False and seconds < 30


# a typed answer waits for a pause in the typing before it is saved (eic.typed_answers)
TYPED = """
import eic.typed_answers
eic.typed_answers.TYPING_PAUSE = 600  # a pause that never comes before the page is left
from eic.worksheet import Worksheet
reflection = Worksheet("m01", ".").reflection("r1_reflection", "Reflect", min_words=1)
reflection.input.value = "typed just before the page was closed"
"""


def test_a_stopping_kernel_first_saves_an_answer_still_being_typed(tmp_path):
    async def typed_then_left() -> tuple[bool, bool]:
        manager = AnswerKeepingKernelManager(root_dir=str(tmp_path))
        kernel_id = await manager.start_kernel(path=str(tmp_path))
        client = manager.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute(TYPED, reply=True, timeout=60)
            assert reply["content"]["status"] == "ok", reply["content"]
            answers = tmp_path / "m01-answers.json"
            waiting = not answers.exists()  # typed, not yet saved
            await manager.finish_shell_work(kernel_id)  # what a stop does first
            saved = answers.exists() and "typed just before" in answers.read_text()
            return waiting, saved
        finally:
            client.stop_channels()
            await manager.shutdown_all(now=True)

    waiting, saved = asyncio.run(typed_then_left())
    assert waiting and saved
