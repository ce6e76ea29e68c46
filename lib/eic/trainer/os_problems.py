"""A problem of the computer's (a full disk, a file open in Excel, a folder that may not be
written) in one line for the trainer: what happened and what to do."""

from __future__ import annotations

import errno

from eic.answers import cannot_write


def not_written(err: OSError, elsewhere: str = "use a folder you may write in") -> tuple[str, str]:
    """Why a file could not be written, and what the trainer can do about it; ``elsewhere``
    says how to write it somewhere else.

    >>> not_written(OSError(errno.ENOSPC, "No space left on device"))
    ('the disk is full', 'free some space on that disk, or use a folder you may write in')
    """
    if err.errno in (errno.EACCES, errno.EPERM):
        # on Windows, also a file that Excel has open
        return (
            "permission denied (the file may be open in Excel or another program)",
            f"close the file in that program, or {elsewhere}",
        )
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return cannot_write(err), f"free some space on that disk, or {elsewhere}"
    return cannot_write(err), elsewhere


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def os_problem(err: OSError) -> str:
    """An :class:`OSError` that reached the command, in one line for the trainer."""
    where = err.filename2 or err.filename or "a file"
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
        reason, fix = not_written(err)
        return f"{where} could not be written: {reason}. {sentence(fix)}, then run it again."
    return (
        f"{where}: {err.strerror or err}. Check that the file and its folder are there and "
        "that you may use them, then run it again."
    )
