"""A served class's kernels kept ready: warmed ahead, taken by any page, which then works in
its own folder with its own environment, as a kernel started for it would."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

from eic.ready_kernels import WARM_MODULES, ReadyKernelManager, in_kernel


def imported_modules(notebook: Path) -> set[str]:
    """The top-level and ``eic.*`` modules a notebook's code cells import."""
    names = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            found = re.match(r"\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", line)
            if found:
                names.add(found.group(1) or found.group(2))
    return names


def test_kept_kernels_load_every_course_module_the_notebooks_import():
    wanted = set()
    for notebook in [*ROOT.glob("release/*/*.ipynb"), ROOT / "release" / "index.ipynb"]:
        wanted |= {name for name in imported_modules(notebook) if name.startswith("eic.")}
    assert len(wanted) > 10  # the modules' notebooks were read
    assert wanted <= set(WARM_MODULES), sorted(wanted - set(WARM_MODULES))
    assert {"pandas", "ipywidgets"} <= set(WARM_MODULES)


def test_a_kernel_taken_over_works_in_the_pages_folder_with_its_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EIC_TEST_KEPT", "started with")
    monkeypatch.setenv("EIC_TEST_GONE", "not given to the page")
    folder = tmp_path / "ph-01" / "m01 'quoted' \"folder\" Việt Nam 🌏"
    folder.mkdir(parents=True)
    code = in_kernel("take_over", str(folder), {"EIC_TEST_KEPT": "the page's"}, ["EIC_TEST_GONE"])
    exec(code, {})  # as the kernel runs it: names and quotes survive the trip as code
    assert Path.cwd() == folder
    assert os.environ["EIC_TEST_KEPT"] == "the page's" and "EIC_TEST_GONE" not in os.environ


async def run_in(manager: ReadyKernelManager, kernel_id: str, code: str) -> str:
    """What ``code`` prints in the kernel."""
    client = manager.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed: list[str] = []
        reply = await client.execute_interactive(
            code, timeout=60, output_hook=lambda msg: printed.append(msg["content"].get("text", ""))
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(printed)
    finally:
        client.stop_channels()


async def until(condition, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not within the time allowed")


@pytest.mark.slow
def test_a_page_takes_a_kept_kernel_and_another_is_warmed_once_pages_stop_coming(tmp_path):
    page_folder = tmp_path / "ph-01" / "m01-eic-in-asia"
    page_folder.mkdir(parents=True)
    seen = {}

    async def serve_two_pages() -> None:
        manager = ReadyKernelManager(root_dir=str(tmp_path), ready=1, refill_delay=1.0)
        try:
            await until(lambda: len(manager.kept) == 1)
            kept = manager.kept[0]
            seen["listed while kept"] = manager.list_kernels()  # JupyterLab shows none
            page_env = {**os.environ, "VOILA_APP_PORT": "8866", "QUERY_STRING": "a=1",
                        "JPY_SESSION_NAME": "ph-01/m01-eic-in-asia/m01.ipynb"}  # fmt: skip
            taken = await manager.start_kernel(
                path="ph-01/m01-eic-in-asia", kernel_name="python3", env=page_env
            )
            seen["taken is the kept one"], seen["taken"] = taken == kept, taken
            seen["listed"] = [model["id"] for model in manager.list_kernels()]
            seen["kept right after"] = list(manager.kept)
            seen["in the kernel"] = await run_in(
                manager, taken,
                "import os, sys; print(os.getcwd()); print(os.environ.get('VOILA_APP_PORT'));"
                "print('pandas' in sys.modules and 'eic.worksheet' in sys.modules);"
                "print(__session__)",
            )  # fmt: skip
            # a second page while none is kept starts its own kernel, elsewhere
            second = await manager.start_kernel(path="ph-01", kernel_name="python3", env=page_env)
            # restarted (after a crash, or from JupyterLab's menu), it is still the page's
            await manager.restart_kernel(taken)
            seen["after a restart"] = await run_in(
                manager, taken, "import os; print(os.getcwd(), os.environ.get('VOILA_APP_PORT'))"
            )
            seen["second"] = second not in (taken, kept)
            seen["second cwd"] = await run_in(manager, second, "import os; print(os.getcwd())")
            await until(lambda: len(manager.kept) == 1)  # refilled once quiet
            seen["refilled"] = manager.kept[0] not in (taken, second)
            # waiting for a page is not idling: a kept kernel is never culled, a taken one is
            manager.cull_idle_timeout = 0
            await manager.cull_kernel_if_idle(manager.kept[0])
            await manager.cull_kernel_if_idle(taken)
            seen["after culling"] = (manager.kept[0] in manager, taken in manager)
        finally:
            await manager.shutdown_all(now=True)

    asyncio.run(serve_two_pages())
    assert seen["taken is the kept one"] and seen["kept right after"] == []
    assert seen["listed while kept"] == [] and seen["listed"] == [seen["taken"]]
    cwd, port, loaded, session = seen["in the kernel"].split()
    assert Path(cwd) == page_folder and port == "8866" and loaded == "True"
    assert session == "ph-01/m01-eic-in-asia/m01.ipynb"  # as ipykernel names a notebook
    cwd, port = seen["after a restart"].split()
    assert Path(cwd) == page_folder and port == "8866"
    assert seen["second"] and Path(seen["second cwd"].strip()) == tmp_path / "ph-01"
    assert seen["refilled"] and seen["after culling"] == (True, False)


@pytest.mark.slow
def test_a_kernel_that_cannot_warm_up_is_replaced_not_given_to_a_page(tmp_path, monkeypatch):
    # a course library that fails to load in a kernel: nothing is kept, pages start their own
    monkeypatch.setattr("eic.ready_kernels.in_kernel", lambda *_: "raise ImportError('broken')")
    seen = {}

    async def serve() -> None:
        manager = ReadyKernelManager(root_dir=str(tmp_path), ready=1, refill_delay=0.5)
        try:
            await asyncio.sleep(8)
            seen["kept"] = list(manager.kept)
            seen["running"] = len(manager.list_kernel_ids())
            page = await manager.start_kernel(path="", kernel_name="python3", env=dict(os.environ))
            seen["page kernel"] = page in manager
        finally:
            await manager.shutdown_all(now=True)

    asyncio.run(serve())
    assert seen["kept"] == [] and seen["running"] <= 1 and seen["page kernel"]


@pytest.mark.slow
def test_ctrl_c_while_kernels_are_being_kept_ready_stops_the_server_and_its_kernels(tmp_path):
    import signal
    import subprocess
    import time

    from conftest import free_port, start_server

    from eic.serve import voila_command

    folder = tmp_path / "class"
    folder.mkdir()
    port = free_port()
    command = voila_command(folder, ip="127.0.0.1", port=port, pool_size=None,
                            cull_after_minutes=None, ready_kernels=8)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    log_path = tmp_path / "serve.log"
    # as in a terminal, where Ctrl-C reaches the server (a background job would ignore it)
    restore = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        proc, log = start_server(command, cwd=folder, env=env, log_path=log_path,
                                 ready_url=f"http://127.0.0.1:{port}")  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, restore)
    try:
        deadline = time.monotonic() + 120
        while "Kernel started" not in log_path.read_text():  # filling, not yet full
            assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    finally:
        log.close()
    said = log_path.read_text()
    assert "Kernels kept ready for pages: 8" not in said  # stopped while filling
    assert "RuntimeError" not in said and "Task exception" not in said, said
    # every kernel the server had started, it stopped itself
    started = re.findall(r"Kernel started: ([\w-]+)", said)
    assert started and sorted(re.findall(r"Kernel shutdown: ([\w-]+)", said)) == sorted(started)
