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

Only the standard library is used, as in :mod:`eic.answers`.
"""

from __future__ import annotations

import contextlib
import os
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
    as it was, and the temporary file is removed."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    os.makedirs(folder or ".", exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
