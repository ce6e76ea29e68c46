"""Run grading tasks in worker processes, each on its own gradebook, within a time limit.

nbgrader's autograde grades one submission after another (nbgrader issue #174). Here
``jobs`` worker processes (:mod:`eic.trainer.worker`) each take one submission at a
time. The parent process hands out the tasks, and:

- merges each result into the course gradebook as soon as it arrives (through the
  ``on_done`` callback), so that an interrupted run keeps every submission finished so far;
- stops a worker whose submission runs past ``submission_timeout`` seconds (together
  with the kernel it started), reports that submission, and starts a fresh worker for the
  rest of the class;
- does the same when a worker process dies.

A worker stops at once, with the kernel it started, when the process that started it ends
in any way (stopped with ``kill``, or killed), rather than finishing the submission in hand:
otherwise it could still be writing that submission's autograded notebook while a new
grading run, no longer kept out by the course's lock, grades the same submission.

nbgrader's own per-cell time limit (``Execute.timeout``) stops ordinary infinite loops
first; the submission limit is the safety net for anything that escapes it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from eic.trainer.worker import worker_main

START_TIMEOUT = 180.0
# Workers are forked from a server process that has imported nbgrader once, so a worker
# (or a replacement for a stopped one) starts at once; the server itself starts while the
# parent is still planning. Where there is no fork (Windows), workers are spawned.
PRELOAD = ["eic.trainer.worker", "nbgrader.apps", "nbgrader.api", "nbconvert.preprocessors"]


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def warm_up() -> None:
    """Start the server that forks the workers, so that it loads nbgrader meanwhile."""
    if start_method() == "forkserver":
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()


@dataclass(frozen=True)
class Task:
    assignment: str
    student: str
    notebook: str


@dataclass
class Outcome:
    task: Task
    status: str  # graded | failed | stopped
    detail: str
    seconds: float
    record: dict | None
    log: str = ""


class GradingError(RuntimeError):
    pass


def copy_database(source: Path, dest: Path) -> None:
    """A consistent copy of a SQLite file, even while another program is using it."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(dest)) as dst,
    ):
        src.backup(dst)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its kernels, and theirs), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process) -> None:
    """Stop a worker process and every process it started, at once."""
    for pid in [*_descendants(process.pid), process.pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    process.join(10)


def stopping_with_parent(target: Callable[..., object], *args: object) -> None:
    """``target(*args)``, in a process started by :mod:`multiprocessing`, which ends (with
    every process it started) as soon as the process that started it has ended."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    target(*args)


def _end_with(parent_sentinel: int) -> None:
    wait([parent_sentinel])  # ready once the parent process has ended
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    os._exit(1)


class _Worker:
    def __init__(self, ctx, index: int, root: Path, scratch: Path, db: Path, cell_timeout: int):
        self.index = index
        self.db = scratch / f"worker-{index}.db"
        copy_database(db, self.db)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=stopping_with_parent,
            args=(
                worker_main,
                child,
                str(root),
                str(self.db),
                cell_timeout,
                str(scratch / "workers.log"),
            ),
            daemon=True,
            name=f"eic-grade-{index}",
        )
        self.process.start()
        child.close()
        self.ready = False
        self.task: Task | None = None
        self.started = time.monotonic()

    def give(self, task: Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send((task.assignment, task.student, task.notebook))


def run_tasks(
    tasks: Iterable[Task],
    *,
    root: Path,
    db: Path,
    scratch: Path,
    jobs: int,
    cell_timeout: int,
    submission_timeout: float,
    on_start: Callable[[Task], None] = lambda task: None,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
    on_tick: Callable[[list[Task]], None] = lambda active: None,
) -> None:
    """Grade every task in ``jobs`` worker processes; report each through the callbacks."""
    pending = deque(tasks)
    if not pending:
        return
    warm_up()
    ctx = multiprocessing.get_context(start_method())
    count = 0

    def new_worker() -> _Worker:
        nonlocal count
        count += 1
        return _Worker(ctx, count, root, scratch, db, cell_timeout)

    workers = [new_worker() for _ in range(min(jobs, len(pending)))]
    try:
        while pending or any(w.task for w in workers):
            for worker in workers:
                if worker.ready and worker.task is None and pending:
                    worker.give(pending.popleft())
                    on_start(worker.task)
            on_tick([w.task for w in workers if w.task])
            ready = wait([w.conn for w in workers] + [w.process.sentinel for w in workers], 1.0)
            for i, worker in enumerate(list(workers)):
                if worker.conn in ready:
                    try:
                        message = worker.conn.recv()
                    except (EOFError, OSError):
                        message = None
                    if message and message[0] == "ready":
                        worker.ready = True
                        continue
                    if message and message[0] == "done":
                        task, worker.task = worker.task, None
                        on_done(Outcome(task, **message[1]))
                        continue
                if not worker.process.is_alive() or (
                    worker.process.sentinel in ready and worker.conn not in ready
                ):
                    if not worker.ready:
                        raise GradingError(_start_failure(scratch, "stopped before it was ready"))
                    workers[i] = _replace(worker, new_worker, on_done, "its grading process died")
                elif not worker.ready and time.monotonic() - worker.started > START_TIMEOUT:
                    raise GradingError(
                        _start_failure(scratch, f"did not start within {START_TIMEOUT:.0f} s")
                    )
                elif worker.task and time.monotonic() - worker.started > submission_timeout:
                    reason = f"ran past the {submission_timeout:.0f} s limit for a submission"
                    workers[i] = _replace(worker, new_worker, on_done, reason)
    finally:
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                if worker.task is None and worker.process.is_alive():
                    worker.conn.send(None)
        deadline = time.monotonic() + 10
        for worker in workers:
            if worker.task is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                kill_tree(worker.process)


def _start_failure(scratch: Path, what: str) -> str:
    log = scratch / "workers.log"
    tail = log.read_text(errors="replace").strip().splitlines()[-15:] if log.is_file() else []
    return f"a grading process {what}" + ("; it wrote:\n" + "\n".join(tail) if tail else "")


def _replace(worker: _Worker, new_worker, on_done, reason: str) -> _Worker:
    """Stop a worker (and its kernel); report its task as stopped; start another worker."""
    task, seconds = worker.task, time.monotonic() - worker.started
    kill_tree(worker.process)
    if task is not None:
        on_done(Outcome(task, "stopped", reason, seconds, None))
    return new_worker()
