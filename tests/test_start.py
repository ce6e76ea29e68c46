"""The README's first command, ``bash scripts/start.sh``: it installs what is missing, then
opens JupyterLab at the course home, with nbgrader's trainer tools hidden from a participant
and shown to a trainer (``--trainer``). Its other options go to JupyterLab."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, free_port

# where scripts/env.sh keeps the course's own JupyterLab settings, which the command changes
PAGE_CONFIG = ROOT / ".venv" / "etc" / "jupyter-user" / "labconfig" / "page_config.json"
RUNTIME = ROOT / ".venv" / "var" / "jupyter-runtime"
TRAINER_TOOLS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
]
START_SH = ("bash", "scripts/start.sh")
# the command for Windows and macOS, run by the Python a self-learner has installed
START_PY = (shutil.which("python3", path=os.defpath) or sys.executable, "scripts/start.py")


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
    """``bash scripts/start.sh`` running, as a participant or trainer runs it (or ``start``,
    another command that starts the course)."""

    def __init__(
        self, log_path: Path, *args: str, timeout: float = 300, start: tuple = START_SH
    ) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [*start, *args, f"--port={self.port}",
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


def assert_prints_the_course_home(lab: Started) -> None:
    """The addresses JupyterLab printed (for a browser opened by hand) are the course
    home's."""
    printed = re.findall(rf"http://\S+:{lab.port}/\S*", lab.said())
    assert printed, lab.said()
    # JupyterLab prints a token given to it as "..."
    home = f":{lab.port}/lab/tree/release/index.ipynb?token="
    assert all(home in address for address in printed), printed


@pytest.mark.slow
def test_start_opens_jupyterlab_at_the_course_home_with_the_trainer_tools_hidden(
    tmp_path, own_settings_kept
):
    lab = Started(tmp_path / "participant.log")
    try:
        # the browser opens at the course home
        assert f":{lab.port}/lab/tree/release/index.ipynb?token=" in lab.opens()
        # and the address printed, for a browser opened by hand (--no-browser), is the course
        # home's too, not the Launcher's
        assert_prints_the_course_home(lab)
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
        assert_prints_the_course_home(trainer)
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


@pytest.mark.slow
def test_start_py_the_command_for_windows_and_macos_installs_and_opens_the_course_home(
    tmp_path, own_settings_kept
):
    trainer = Started(tmp_path / "trainer.log", "--trainer", start=START_PY)
    try:
        assert f":{trainer.port}/lab/tree/release/index.ipynb?token=" in trainer.opens()
        assert_prints_the_course_home(trainer)
        disabled = trainer.page_config("/lab")["disabledExtensions"]
        assert not any(tool in disabled for tool in TRAINER_TOOLS), disabled
    finally:
        trainer.stop()
    # it checked what is installed itself (nothing was missing), with no shell script
    assert "Installing" not in trainer.said(), trainer.said()
    participant = Started(tmp_path / "participant.log", start=START_PY)
    try:
        disabled = participant.page_config("/lab")["disabledExtensions"]
        assert all(tool in disabled for tool in TRAINER_TOOLS), disabled
        home = json.loads(participant.get("/api/contents/release/index.ipynb"))
        assert home["type"] == "notebook"
    finally:
        participant.stop()


def test_start_py_keeps_jupyters_settings_where_env_sh_keeps_them():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import install
    finally:
        sys.path.pop(0)
    shell = subprocess.run(["bash", "-c", "source scripts/env.sh && env -0"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode()  # fmt: skip
    exported = dict(line.split("=", 1) for line in shell.split("\0") if "=" in line)
    from_python = install.course_environment()
    names = ["JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
             "MPLCONFIGDIR", "XDG_CACHE_HOME"]  # fmt: skip
    assert {n: exported[n] for n in names} == {n: from_python[n] for n in names}
    assert from_python["PATH"].split(os.pathsep)[0] == exported["PATH"].split(os.pathsep)[0]


def test_an_older_python_is_told_which_it_needs(monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import install
    finally:
        sys.path.pop(0)
    monkeypatch.setattr(sys, "version_info", (3, 9, 7, "final", 0))
    with pytest.raises(SystemExit) as stopped:
        install.install()
    assert str(stopped.value).startswith("EIC Course needs Python 3.11 or newer;")
    assert str(stopped.value).endswith(" is 3.9.7.")
