"""Locking a file and replacing one in a single step, the same on Linux, macOS and Windows.

:func:`write_whole` writes a file so that a reader, or a crash or a full disk halfway, sees
the old file whole or the new one whole, never a file cut short.

The answer store (:mod:`eic.answers`) and the saved own-data tables (:mod:`eic.own_tables`)
write under an exclusive lock and then replace the old file with the new one whole. Linux
and macOS lock with ``fcntl.flock``; Windows has no ``fcntl`` (a module that imported it
would not even load there, and with it every worksheet), so it locks the lock file's first
byte with ``msvcrt.locking``, which waits for another process's lock to be released. Both
kinds of lock are released by the system when the process that holds one ends.

On Windows a file that another program has open at that moment (a grader or the course
home reading answers) cannot be replaced: :func:`replace` tries again for a short while,
as such a reader holds the file for milliseconds.

A process killed in the middle of :func:`write_whole` (a kernel stopped, a laptop switched
off) leaves its hidden temporary file behind. :func:`remove_stale_temporaries` removes such
files once they are older than :data:`STALE_TEMPORARY_AGE`; the answer store and the own-data
tables call it each time they take their lock.

A command that must run alone, such as grading a class (:mod:`eic.trainer.course_lock`),
holds :func:`held_at_once` for as long as it runs: a second one is refused at once and told
who holds the lock, and a lock is never left behind by a process that has ended.

Only the standard library is used, as in :mod:`eic.answers`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

WINDOWS = os.name == "nt"
# How long a process waits for another's lock on Windows before it gives up (seconds); each
# msvcrt.locking(LK_LOCK) call waits about 10 s itself. A lock is held for milliseconds.
LOCK_PATIENCE = 60.0
# How long a replacement is tried again on Windows while a reader has the file open.
REPLACE_PATIENCE = 5.0
REPLACE_PAUSE = 0.05
# A temporary file of write_whole older than this (seconds) was left by a process that was
# stopped: a live write takes well under a second.
STALE_TEMPORARY_AGE = 10 * 60


@contextlib.contextmanager
def exclusive(file: IO[bytes]) -> Iterator[None]:
    """Hold an exclusive lock on the open ``file`` for the duration of the ``with``;
    another process asking for it waits. :class:`OSError` if it cannot be had."""
    if fcntl is not None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)
        return
    _lock_first_byte(file.fileno())
    try:
        yield
    finally:
        os.lseek(file.fileno(), 0, os.SEEK_SET)
        msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)


def _lock_first_byte(descriptor: int) -> None:
    deadline = time.monotonic() + LOCK_PATIENCE
    while True:
        os.lseek(descriptor, 0, os.SEEK_SET)  # msvcrt locks from the current position
        try:
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)
            return
        except OSError:  # still locked after LK_LOCK's own ten tries
            if time.monotonic() >= deadline:
                raise


def replace(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """``os.replace(source, target)``: ``target`` becomes ``source`` in one step. On
    Windows, tried again for up to :data:`REPLACE_PATIENCE` seconds while another program
    has ``target`` open; the last :class:`PermissionError` is raised if it stays open."""
    deadline = time.monotonic() + REPLACE_PATIENCE
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not WINDOWS or time.monotonic() >= deadline:
                raise
            time.sleep(REPLACE_PAUSE)


def write_whole(path: str | os.PathLike, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all: into a hidden temporary file beside
    it, flushed to the disk, which then replaces ``path`` in one step. If anything fails on
    the way (a full disk, a folder that cannot be written) the error is raised, ``path`` is
    as it was, and the temporary file is removed.

    The file keeps the permissions it had, and a new one gets those any program's new file
    gets (the user's umask), not the temporary file's owner-only ones: a report or a grades
    table is there to be shared."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    os.makedirs(folder or ".", exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    handle, tmp = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if not WINDOWS:
            os.chmod(tmp, mode)
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask: as Linux reports it, else read by setting it and setting it
    back at once (a file another thread makes meanwhile could get the wrong mode)."""
    with (
        contextlib.suppress(OSError, ValueError, StopIteration),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_names(name: str) -> re.Pattern[str]:
    """The names :func:`write_whole` gives its temporary files for a file called ``name``:
    ``.<name>.`` and the eight characters ``tempfile.mkstemp`` draws, then ``.tmp``."""
    return re.compile(re.escape(f".{name}.") + r"[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(
    path: str | os.PathLike, *, older_than: float = STALE_TEMPORARY_AGE
) -> list[str]:
    """Remove the temporary files that :func:`write_whole` left beside ``path`` when its
    process was stopped halfway: hidden files named ``.<name>.XXXXXXXX.tmp``, last changed
    more than ``older_than`` seconds ago. Return the paths removed.

    Call it while holding the lock under which ``path`` is written, so that no other writer
    of ``path`` is at work; the age is checked as well. No other file is touched, and a file
    that cannot be removed (on Windows, one that a program still has open) is left for the
    next time: this never raises.

    >>> folder = tempfile.mkdtemp()
    >>> left = os.path.join(folder, ".m01-answers.json.k3j9x0qa.tmp")
    >>> open(left, "wb").close()
    >>> os.utime(left, (time.time() - 3600, time.time() - 3600))  # an hour old
    >>> [os.path.basename(p) for p in remove_stale_temporaries(os.path.join(folder,
    ...     "m01-answers.json"))]
    ['.m01-answers.json.k3j9x0qa.tmp']
    """
    folder, name = os.path.split(os.fspath(path))
    temporary = _temporary_names(name)
    removed: list[str] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return removed
    for entry in entries:
        if not temporary.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue  # perhaps a write under way
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.path)
    return removed


# -- a lock that one process holds for a whole command -------------------------------------
# Room for the holder's note at the start of the lock file; on Windows the lock is on the
# byte after it, so that another process can still read the note.
NOTE_ROOM = 4096


class LockTaken(Exception):
    """Another process holds the lock of :func:`held_at_once`; ``note`` is what it wrote in
    the lock file to say who it is ("" if it could not be read)."""

    def __init__(self, path: str | os.PathLike, note: str) -> None:
        super().__init__(f"{os.fspath(path)} is locked by another process: {note or '?'}")
        self.path = os.fspath(path)
        self.note = note


@contextlib.contextmanager
def held_at_once(path: str | os.PathLike, note: str) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (made if missing) for the duration of the
    ``with``, with ``note`` written in it to say who holds it. If another process holds the
    lock, raise :class:`LockTaken` at once, with that process's note, instead of waiting.

    The system releases the lock when its process ends, however it ends (stopped, killed,
    the computer switched off), so a process that is gone never keeps another out. The file
    itself stays, emptied on leaving: a note in it means nothing unless its lock is held.

    >>> lock = os.path.join(tempfile.mkdtemp(), ".course.lock")
    >>> with held_at_once(lock, "grading m01"):
    ...     print(open(lock).read())
    grading m01
    """
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
    descriptor = os.open(os.fspath(path), flags, 0o644)
    with os.fdopen(descriptor, "r+b", buffering=0) as file:
        if not _lock_at_once(descriptor):
            file.seek(0)
            raise LockTaken(path, file.read(NOTE_ROOM).decode("utf-8", "replace").strip())
        try:
            file.seek(0)
            file.truncate()
            file.write(note.encode("utf-8")[:NOTE_ROOM])
            yield
        finally:
            with contextlib.suppress(OSError):
                file.seek(0)
                file.truncate()
            _unlock(descriptor)


def _lock_at_once(descriptor: int) -> bool:
    """Lock without waiting; False if another process holds the lock."""
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    os.lseek(descriptor, NOTE_ROOM, os.SEEK_SET)  # msvcrt locks from the current position
    try:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EDEADLK):  # another process holds it
            return False
        raise
    return True


def _unlock(descriptor: int) -> None:
    if fcntl is not None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return
    os.lseek(descriptor, NOTE_ROOM, os.SEEK_SET)
    msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
