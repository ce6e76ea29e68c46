"""One grading command at a time in a course folder: grade, collect, release and feedback
each read what the others write, so two at once would save wrong grades. The command
that runs holds a lock; another says at once which command holds it, and since when.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import socket
from collections.abc import Iterator

from eic import file_lock
from eic.trainer.course import Course, CourseError

# Held by the command that changes what grading reads or writes (release/, submitted/,
# autograded/, feedback/ and the grades in the gradebook), for as long as it runs.
LOCK_FILE = ".eic-course.lock"


@contextlib.contextmanager
def running_alone(course: Course, command: str) -> Iterator[None]:
    """Run ``command`` (``"eic-course grade all"``) as the only command at work on the
    course's grading: two at once (two grading runs, or collect replacing the files that
    grading reads) would save wrong grades. Another such command that runs already makes
    this one stop at once with a :class:`CourseError` saying which it is and since when.

    The lock is the file :data:`LOCK_FILE` in the course folder, held with
    :func:`eic.file_lock.held_at_once`: the system releases it when the command ends,
    however it ends, so a command that was stopped or killed never keeps another out.
    """
    note = json.dumps(
        {
            "command": command,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }
    )
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock.held_at_once(course.root / LOCK_FILE, note))
        except file_lock.LockTaken as taken:
            raise CourseError(busy_message(taken.note)) from None
        yield


def busy_message(note: str, *, today: _dt.date | None = None) -> str:
    """Why a command did not start, from the note of the command that holds the lock.

    >>> note = json.dumps({"command": "eic-course grade all", "pid": 4123,
    ...     "host": socket.gethostname(), "since": "2025-03-04T14:02:11+07:00"})
    >>> print(busy_message(note, today=_dt.date(2025, 3, 4)))  # doctest: +NORMALIZE_WHITESPACE
    eic-course grade all (process 4123) has been running in this course folder since
    14:02:11, so this command did not start: grade, collect, release and feedback each read
    what the others write, and two at once save wrong grades. Wait until it has finished (or
    stop it with Ctrl-C in its window), then run this command again.
    """
    try:
        holder = json.loads(note)
        since = _dt.datetime.fromisoformat(holder["since"])
        who = f"{holder['command']} (process {int(holder['pid'])}"
    except (ValueError, TypeError, KeyError):
        who, since = "another eic-course command", None
    else:
        if holder.get("host") != socket.gethostname():
            who += f" on the computer {holder.get('host')}"
        who += ")"
    when = ""
    if since is not None:
        day = since.date() == (today or _dt.date.today())
        when = f" since {since:%H:%M:%S}" if day else f" since {since:%d %b %Y %H:%M}"
    return (
        f"{who} has been running in this course folder{when}, so this command did not "
        "start: grade, collect, release and feedback each read what the others write, and "
        "two at once save wrong grades. Wait until it has finished (or stop it with Ctrl-C "
        "in its window), then run this command again."
    )
