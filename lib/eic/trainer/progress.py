"""A progress bar for grading a class, with one line per participant as each finishes.

On a terminal the last line is redrawn in place and says who is being graded now; in a
log file (or a pipe) only the finished lines are written, so the log reads cleanly.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 20


def bar(done: int, total: int, width: int = WIDTH) -> str:
    """``[#####···············]`` for ``done`` of ``total``.

    >>> bar(1, 4, 8)
    '[##······]'
    """
    filled = round(width * done / total) if total else width
    return "[" + "#" * filled + "·" * (width - filled) + "]"


class Progress:
    def __init__(self, total: int, labels: dict[str, str], stream: TextIO | None = None):
        self.total = total
        self.done = 0
        self.labels = labels
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.start = time.monotonic()
        self._shown = ""

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _clear(self) -> None:
        if self.live and self._shown:
            self._write("\r\x1b[2K")
            self._shown = ""

    def status(self, active: list[tuple[str, str]]) -> None:
        """Redraw the live line: who (participant, module) is being graded now."""
        if not self.live:
            return
        now = ", ".join(f"{student} ({module})" for module, student in active) or "starting"
        elapsed = time.monotonic() - self.start
        line = f"{bar(self.done, self.total)} {self.done:>3}/{self.total}  {elapsed:4.0f} s  {now}"
        self._clear()
        self._shown = line[:160]
        self._write(self._shown)

    def finished(self, module: str, student: str, status: str, seconds: float) -> None:
        """Print one participant's result above the live line."""
        self.done += 1
        self._clear()
        label = self.labels.get(student, "")
        self._write(
            f"{bar(self.done, self.total)} {self.done:>3}/{self.total}  {module}  "
            f"{student:<10} {label:<32} {status}  ({seconds:.1f} s)\n"
        )

    def close(self) -> None:
        self._clear()
