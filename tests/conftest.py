"""Shared fixtures: copies of the course in temporary folders, notebook execution, the
model answers recorded by running each instructor notebook, local servers started for a
test, and the Chromium that the browser tests open their pages in."""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from eic.answers import AnswerStore, activate
from eic.chart_prefill import participant_env
from eic.course import syllabus
from eic.own_data import SPECS

ROOT = Path(__file__).resolve().parents[1]
# a cluster's self-assessment and three sectors' location quotients, for the chart tests
RATINGS = {
    "Inter-firm networks": 3,
    "Enabling technologies": 2,
    "Social capital": 4,
    "Public policy support": 1,
}
LQS = pd.DataFrame(
    {"sector": ["Fishing", "Textiles", "Tourism"], "lq": [2.0, 0.6, 1.3], "candidate": [1, 0, 1]}
).astype({"candidate": bool})
ANSWER_PATTERNS = (
    "*-answers*.json*",
    ".*-answers*",
    "*-own-*",
    ".*-own-*",
    ".ipynb_checkpoints",
    "__pycache__",
)
# the browser tests' Chromium (see the fixture browser)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A script run as on Windows (tests of eic.file_lock's other way of locking): after it has
# made a module "msvcrt" whose locking() it defines, this makes "import fcntl" fail and
# "import msvcrt" give that module, until the script sets builtins.__import__ back to
# real_import once the course's modules are loaded
AS_ON_WINDOWS_IMPORTS = """
msvcrt.locking = locking
real_import = builtins.__import__


def windows_import(name, *args, **kwargs):
    if name == "fcntl":
        raise ImportError("No module named 'fcntl'")
    if name == "msvcrt":
        return msvcrt
    return real_import(name, *args, **kwargs)


builtins.__import__ = windows_import
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str], *, cwd: Path, env: dict, log_path: Path, ready_url: str):
    """Start a local server and wait until ``ready_url`` answers; fail with its log if not."""
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(ready_url, timeout=2)
            return proc, log
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                log.close()
                pytest.fail(f"{args[2]} did not start:\n" + log_path.read_text())
            time.sleep(0.3)


def stop_server(proc: subprocess.Popen, log) -> None:
    proc.terminate()
    proc.wait(30)
    log.close()


def kernel_alive(url: str, kernel_id: str) -> bool:
    """Whether the Voila server at ``url`` still runs the kernel ``kernel_id``."""
    try:
        urllib.request.urlopen(f"{url}/api/kernels/{kernel_id}", timeout=10)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise
    return True


def kernel_stops(url: str, kernel_id: str, timeout: float = 30) -> bool:
    """Whether the kernel ``kernel_id`` stops within ``timeout`` seconds."""
    deadline = time.time() + timeout
    while kernel_alive(url, kernel_id):
        if time.time() > deadline:
            return False
        time.sleep(0.5)
    return True


ANY_VALUE = object()


def wait_for_answer(path: Path, qid: str, timeout: float = 20, expected: Any = ANY_VALUE):
    """The value recorded for ``qid`` in the answer file ``path``, once it is there; given
    ``expected``, once it is that value (an answer recorded before does not count)."""
    deadline = time.time() + timeout
    value: Any = ANY_VALUE
    while time.time() < deadline:
        if path.exists():
            answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
            if qid in answers:
                value = answers[qid]["value"]
                if expected is ANY_VALUE or value == expected:
                    return value
        time.sleep(0.2)
    if value is ANY_VALUE:
        raise AssertionError(f"{qid} was not recorded in {path.name}")
    return value  # not the value expected: the caller's assertion says so


def run_cli(*argv: str, with_errors: bool = False) -> tuple[int, str]:
    """``eic-course`` run in this process, as a trainer runs it: its exit status and what
    it printed (with ``with_errors``, what it wrote to stderr too)."""
    import contextlib

    from eic.cli import main

    out = io.StringIO()
    errors = contextlib.redirect_stderr(out) if with_errors else contextlib.nullcontext()
    with contextlib.redirect_stdout(out), errors:
        status = main(list(argv))
    return status, out.getvalue()


def is_answer_file(name: str) -> bool:
    """Answer files, their backups, locks and temporary files (never part of a release)."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in ANSWER_PATTERNS)


def released_modules() -> list[dict]:
    """The syllabus entries of the modules that have a source notebook."""
    return [m for m in syllabus()["modules"] if (ROOT / "source" / m["folder"]).is_dir()]


def notebook_path(base: Path, kind: str, module: dict) -> Path:
    return base / kind / module["folder"] / f"{module['folder']}.ipynb"


def copy_course(dest: Path, *, release: bool = True) -> Path:
    """A course directory in ``dest`` with the repository's config, course, source (and
    release) folders, and none of the answer files a local run may have left."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", dest)
    ignore = shutil.ignore_patterns(*ANSWER_PATTERNS)
    for folder in ["course", "source"] + (["release"] if release else []):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    return dest


def run_notebook(path: Path, *, env: dict[str, str] | None = None, timeout: int = 180):
    """Execute a notebook in its own folder like a participant's "Run All"; return it."""
    nb = nbformat.read(path, as_version=4)
    kernel_env = participant_env()
    kernel_env.update(env or {})
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=kernel_env)
    return nb


@pytest.fixture(scope="session", autouse=True)
def chart_cache_of_this_run(tmp_path_factory) -> Path:
    """Charts are kept in a folder of this test run's own (kernels started by tests too)."""
    folder = tmp_path_factory.mktemp("charts")
    os.environ["EIC_CHART_CACHE"] = str(folder)
    return folder


def answer_files_in_the_course() -> set[Path]:
    """Answer files in the course folder itself and in its module folders."""
    folders = [ROOT, *ROOT.glob("source/m*"), *ROOT.glob("release/m*")]
    return {f for d in folders for f in d.iterdir() if f.is_file() and is_answer_file(f.name)}


@pytest.fixture(autouse=True)
def the_course_folder_is_left_clean():
    """A test records answers in its own temporary folder, never in the course's: a test
    that leaves an answer file there fails, naming it, and the file is removed."""
    before = answer_files_in_the_course()
    yield
    left = sorted(answer_files_in_the_course() - before)
    for path in left:
        path.unlink(missing_ok=True)
    assert not left, f"the test left answer files in the course: {[str(p) for p in left]}"


@pytest.fixture(scope="session")
def model_answers(tmp_path_factory) -> dict[str, dict]:
    """For each module: its id and the model answers its instructor notebook records."""
    base = copy_course(tmp_path_factory.mktemp("model"), release=False)
    found = {}
    for module in released_modules():
        path = notebook_path(base, "source", module)
        run_notebook(path)
        model_file = path.parent / f"{module['id']}-answers.model.json"
        found[module["id"]] = json.loads(model_file.read_text(encoding="utf-8"))
    return found


@pytest.fixture
def folder(tmp_path):
    """A participant's module folder with one answer already recorded for each module."""
    for module in SPECS:
        store = activate(AnswerStore.for_module(module, tmp_path))
        store.record("q1_test", "kept", question="An earlier answer")
    return tmp_path


@pytest.fixture(scope="module")
def browser():
    """Chromium, headless, shared by the browser tests of one test file."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def widgets_in(widget):
    """A widget and every widget inside it, in the order a page shows them."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets_in(child)


def shown_html(widget) -> str:
    """The HTML and text values of a widget and every widget inside it, one per line."""
    values = (getattr(w, "value", None) for w in widgets_in(widget))
    return "\n".join(v for v in values if isinstance(v, str))


def as_upload(content: bytes, name: str) -> tuple[dict, ...]:
    """The value the browser gives a FileUpload widget for one chosen file."""
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime.now(dt.UTC),
        },
    )


def workbook(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx file with these sheets (name -> rows), the ``hidden`` ones hidden."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def old_workbook(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    """An Excel 97-2003 (.xls) file with these sheets, as :func:`workbook` makes an .xlsx:
    dates shown as dates, and text such as "#N/A" written as Excel's error of that name."""
    import xlwt
    from xlwt.Cell import error_code_map

    book = xlwt.Workbook()
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        sheet.visibility = int(name in hidden)
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                if isinstance(value, str) and value.rstrip("!") + "!" in error_code_map:
                    sheet.row(row_number).set_cell_error(column, value.rstrip("!") + "!")
                elif isinstance(value, dt.date):
                    sheet.write(row_number, column, value, as_date)
                elif value is not None:
                    sheet.write(row_number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
