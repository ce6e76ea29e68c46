"""The README's first command, ``bash scripts/start.sh``: it installs what is missing, then
opens JupyterLab at the course home, with nbgrader's trainer tools hidden from a participant
and shown to a trainer (``--trainer``). Its other options go to JupyterLab."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, free_port

# where scripts/env.sh keeps the course's own JupyterLab settings, which the command changes
PAGE_CONFIG = ROOT / ".venv" / "etc" / "jupyter-user" / "labconfig" / "page_config.json"
RUNTIME = ROOT / ".venv" / "var" / "jupyter-runtime"
TRAINER_TOOLS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]


@pytest.fixture
def own_settings_kept():
    """The command changes which of nbgrader's tools JupyterLab shows, in the course's own
    settings: they are put back as they were after the test."""
    before = PAGE_CONFIG.read_bytes() if PAGE_CONFIG.exists() else None
    yield
    if before is None:
        PAGE_CONFIG.unlink(missing_ok=True)
    else:
        PAGE_CONFIG.write_bytes(before)


class Started:
    """``bash scripts/start.sh`` running, as a participant or trainer runs it."""

    def __init__(self, log_path: Path, *args: str, timeout: float = 300) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = ["bash", "scripts/start.sh", *args, f"--port={self.port}",
                   "--no-browser", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}"]  # fmt: skip
        with open(log_path, "w") as log:
            # its own process group: JupyterLab and the kernel it keeps ready stop together
            self.proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.get("/api/status")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("scripts/start.sh did not start JupyterLab:\n" + self.said())
                time.sleep(0.5)

    def get(self, path: str) -> str:
        # the token in a header, which a redirect keeps
        headers = {"Authorization": f"token {self.token}"}
        request = urllib.request.Request(self.url + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode("utf-8")

    def opens(self) -> str:
        """The address of the page the server opens in the browser (the file it writes for
        the browser to open)."""
        for page in RUNTIME.glob("jpserver-file-to-run-*-open.html"):
            found = re.search(r'url=(http://[^"]+)"', page.read_text(encoding="utf-8"))
            if found and f":{self.port}/" in found[1]:
                return found[1]
        raise AssertionError(f"no page to open in {sorted(RUNTIME.iterdir())}")

    def page_config(self, path: str) -> dict:
        page = self.get(path)
        return json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1])

    def said(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)


@pytest.mark.slow
def test_start_opens_jupyterlab_at_the_course_home_with_the_trainer_tools_hidden(
    tmp_path, own_settings_kept
):
    lab = Started(tmp_path / "participant.log")
    try:
        # the browser opens at the course home
        assert f":{lab.port}/lab/tree/release/index.ipynb?token=" in lab.opens()
        config = lab.page_config("/lab/tree/release/index.ipynb")
        disabled = config["disabledExtensions"]
        assert all(tool in disabled for tool in TRAINER_TOOLS), disabled
        # a participant keeps the list of assignments to fetch and submit
        assert "@jupyter/nbgrader:assignment-list" not in disabled
        # the server's folder is the course
        top = {item["name"] for item in json.loads(lab.get("/api/contents"))["content"]}
        assert {"release", "source", "nbgrader_config.py"} <= top, top
        home = json.loads(lab.get("/api/contents/release/index.ipynb"))
        assert home["type"] == "notebook"
    finally:
        lab.stop()
    # installed once: a later start installs nothing
    again = Started(tmp_path / "again.log")
    again.stop()
    assert "Installing" not in again.said(), again.said()


@pytest.mark.slow
def test_start_with_trainer_shows_nbgrader_tools_and_a_participant_start_hides_them_again(
    tmp_path, own_settings_kept
):
    trainer = Started(tmp_path / "trainer.log", "--trainer")
    try:
        disabled = trainer.page_config("/lab/tree/release/index.ipynb")["disabledExtensions"]
        assert not any(tool in disabled for tool in TRAINER_TOOLS), disabled
        # the page the Formgrader menu item opens
        assert "<title>nbgrader formgrade</title>" in trainer.get("/formgrader")
    finally:
        trainer.stop()
    participant = Started(tmp_path / "participant.log")
    try:
        disabled = participant.page_config("/lab")["disabledExtensions"]
        assert all(tool in disabled for tool in TRAINER_TOOLS), disabled
    finally:
        participant.stop()
