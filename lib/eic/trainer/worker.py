"""A grading worker: a process that autogrades one submission at a time with nbgrader.

Each worker has a gradebook of its own (a copy of the course's, made when the worker
starts), so that no two processes ever write to the same SQLite file. For each submission
it runs nbgrader's ``autograde`` through ``NbGraderAPI`` -- the course's own preprocessors
included -- and sends back what nbgrader wrote in its gradebook, for the parent process to
merge into the course gradebook (:mod:`eic.trainer.merge`).

The worker ignores Ctrl-C: the parent decides when to stop it. Its output, and that of the
kernels it starts, goes to a log file rather than to the trainer's terminal.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

TIMEOUT_ERRORS = ("CellTimeoutError", "Timeout waiting for")
KERNEL_DEATH = ("DeadKernelError", "Kernel died", "kernel died")
# A kernel that dies before it answers its first message has run nothing of the notebook:
# the grading machine failed to start it (two kernels started at the same moment can be
# given the same network port). It is not the participant's doing, so the submission is
# graded again at once, up to START_ATTEMPTS times; if it still does not start, it is
# reported as such and graded again by the next run.
KERNEL_NOT_STARTED = "Kernel died before replying to kernel_info"
START_ATTEMPTS = 3
NOT_STARTED = "its kernel did not start on this machine (not a fault of the notebook)"


def _said(result: dict[str, Any]) -> str:
    """What nbgrader logged and raised while autograding."""
    return (result.get("log") or "") + "\n" + (result.get("error") or "")


def kernel_did_not_start(result: dict[str, Any]) -> bool:
    """Whether nbgrader failed because the kernel died before running anything."""
    return not result.get("success") and KERNEL_NOT_STARTED in _said(result)


def describe_failure(result: dict[str, Any], cell_timeout: int) -> str:
    """One line saying why nbgrader could not autograde a submission."""
    text = _said(result)
    if kernel_did_not_start(result):
        return NOT_STARTED + "; the next run grades it again"
    if any(sign in text for sign in KERNEL_DEATH):
        return "its kernel stopped: the notebook exits Python or crashes it"
    if any(sign in text for sign in TIMEOUT_ERRORS):
        return f"a cell ran past the {cell_timeout} s limit and could not be interrupted"
    if "UnresponsiveKernelError" in text:
        return "its kernel stopped responding"
    lines = [line.strip() for line in (result.get("error") or "").splitlines() if line.strip()]
    return lines[-1] if lines else "nbgrader could not autograde it"


def timed_out_cells(path: Path) -> list[str]:
    """Cells of an autograded notebook that nbgrader interrupted at the time limit."""
    import nbformat

    if not path.is_file():
        return []
    nb = nbformat.read(path, as_version=4)
    return [
        cell.get("id", "?")
        for cell in nb.cells
        if cell.cell_type == "code"
        and any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
    ]


def read_submission(gradebook, assignment: str, student: str) -> dict[str, Any] | None:
    """What autograde recorded for a submission: the fields that are autograde's to set."""
    from nbgrader.api import MissingEntry

    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return None
    return {
        "timestamp": submission.timestamp.isoformat() if submission.timestamp else None,
        "notebooks": {
            nb.name: {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: [g.auto_score, g.needs_manual_grade] for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
            for nb in submission.notebooks
        },
    }


def grade_one(course, api, db_url: str, task: tuple[str, str, str], cell_timeout: int) -> dict:
    """Autograde one submission; return its outcome for the parent process."""
    from nbgrader.api import Gradebook

    assignment, student, notebook = task
    start = time.monotonic()
    for attempt in range(START_ATTEMPTS):
        if attempt:
            time.sleep(attempt)  # let whatever took the kernel's ports finish starting
        result = api.autograde(assignment, student, force=True, create=True)
        if not kernel_did_not_start(result):
            break
    seconds = time.monotonic() - start
    if result.get("success"):
        status, detail = "graded", ""
        graded = course.root / "autograded" / student / assignment / notebook
        if timed_out_cells(graded):
            detail = f"a cell ran past the {cell_timeout} s limit and was stopped"
    else:
        status, detail = "failed", describe_failure(result, cell_timeout)
    with Gradebook(db_url, course.course_id) as gb:
        record = read_submission(gb, assignment, student)
    log = "" if status == "graded" else (result.get("log", "") + result.get("error", ""))
    return {"status": status, "detail": detail, "seconds": seconds, "record": record, "log": log}


def log_to(log_path: str) -> None:
    """Send this process's output, and that of the programs it starts, to the end of the
    file ``log_path``: in UTF-8 whatever the computer's own encoding, so that a participant's
    name or answer in Thai or Vietnamese, quoted in a grading message, never stops it."""
    log = open(log_path, "ab", buffering=0)  # noqa: SIM115 - lives as long as the process
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    for name, descriptor in (("stdout", 1), ("stderr", 2)):
        stream = open(descriptor, "w", buffering=1, closefd=False, encoding="utf-8")  # noqa: SIM115
        setattr(sys, name, stream)


def worker_main(conn, root: str, db_path: str, cell_timeout: int, log_path: str) -> None:
    """The body of a worker process: take tasks from ``conn`` until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    log_to(log_path)
    import warnings

    warnings.simplefilter("ignore")

    from eic.trainer.course import Course

    course = Course(Path(root))
    db_url = f"sqlite:///{db_path}"
    api = course.api(**{"CourseDirectory.db_url": db_url, "Execute.timeout": cell_timeout})
    conn.send(("ready", os.getpid()))
    while True:
        task = conn.recv()
        if task is None:
            break
        try:
            outcome = grade_one(course, api, db_url, task, cell_timeout)
        except Exception as err:  # report it; the parent goes on with the class
            outcome = {
                "status": "failed",
                "detail": f"{type(err).__name__}: {err}",
                "seconds": 0.0,
                "record": None,
                "log": "",
            }
        conn.send(("done", outcome))
    conn.close()
