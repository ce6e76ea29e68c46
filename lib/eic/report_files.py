"""The country report's files, beside a participant's answers: its web page, its Word
document and its Markdown (:mod:`eic.report_pages` and :mod:`eic.report_markdown` make
them).

:func:`write_report` writes each file whole (:func:`eic.file_lock.write_whole`): a full disk
leaves the report made before as it was. The Markdown file is there to be edited, and a
participant may edit it where it is; it ends with a hidden note (an HTML comment) holding a
check of the text as the course wrote it, so that making the report again first keeps an
edited file as a dated copy instead of writing over it. The Word document carries the same
check in its properties (:func:`eic.report_docx.edited_since_written`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from eic import report_docx
from eic.file_lock import write_whole
from eic.report import Report
from eic.report_markdown import to_markdown
from eic.report_pages import to_html

_WRITTEN = (
    "<!-- Written by the EIC Course (check {check}). If you edit this file here, making the "
    "report again keeps your version as a dated copy beside it. -->"
)
_WRITTEN_TEXT = re.compile(
    r"(?P<text>.*)\n\n<!-- Written by the EIC Course \(check (?P<check>[0-9a-f]{16})\)\."
    r"[^\n]*-->\n",
    re.DOTALL,
)


def _check(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def as_written(text: str) -> str:
    """The Markdown ``text`` as :func:`write_report` writes it: with its check at the end."""
    return f"{text}\n\n{_WRITTEN.format(check=_check(text))}\n"


def edited_since_written(content: bytes) -> bool:
    """Whether a Markdown report's file holds anything but the text the course wrote
    (an edited text, or one written before the course kept a check).

    >>> edited_since_written(as_written("# Report").encode("utf-8"))
    False
    >>> edited_since_written(as_written("# Report").replace("Report", "Our report").encode())
    True
    """
    try:
        found = _WRITTEN_TEXT.fullmatch(content.decode("utf-8"))
    except UnicodeDecodeError:
        return True
    return found is None or _check(found["text"]) != found["check"]


class ReportFiles(tuple[Path, Path]):
    """What :func:`write_report` wrote: ``(html_path, md_path)``, in ``docx`` the Word
    document, and in ``kept`` and ``kept_docx`` the dated copies of a Markdown file and a
    Word document edited since the course wrote them (``None`` if there was none)."""

    kept: Path | None
    docx: Path | None
    kept_docx: Path | None

    def __new__(
        cls,
        html_path: Path,
        md_path: Path,
        kept: Path | None = None,
        docx: Path | None = None,
        kept_docx: Path | None = None,
    ) -> ReportFiles:
        files = super().__new__(cls, (html_path, md_path))
        files.kept, files.docx, files.kept_docx = kept, docx, kept_docx
        return files

    @property
    def note(self) -> str:
        """For the person who made the report: where their edited text is now ("" if none)."""
        notes = []
        for written, kept in ((self[1], self.kept), (self.docx, self.kept_docx)):
            if kept is not None and written is not None:
                notes.append(
                    f"You had edited {written.name} since the course wrote it: your version is "
                    f"kept as {kept.name} beside it, and {written.name} now holds the new report."
                )
        return " ".join(notes)


def write_report(report: Report, folder: Path, stem: str = "country-report") -> ReportFiles:
    """Write ``<stem>.html``, ``<stem>.docx`` and ``<stem>.md`` (with ``<stem>-images/``)
    into ``folder``.

    Each file is written whole or not at all: an :class:`OSError` (a full disk) leaves the
    files written before as they were. A ``<stem>.md`` or ``<stem>.docx`` edited since the
    course wrote it is first kept as ``<stem>-edited-<date>-<time>.md`` (or ``.docx``); the
    result's ``kept``, ``kept_docx`` and ``note`` say so.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text, images = to_markdown(report, f"{stem}-images")
    markdown = as_written(text).encode("utf-8")
    md_path = folder / f"{stem}.md"
    kept = _keep_edited(md_path, markdown)
    if images:
        (folder / f"{stem}-images").mkdir(exist_ok=True)
        for name, png in images.items():
            write_whole(folder / f"{stem}-images" / name, png)
    write_whole(md_path, markdown)
    html_path = folder / f"{stem}.html"
    page = to_html(report)
    write_whole(html_path, page.encode("utf-8"))
    docx_path = folder / f"{stem}.docx"
    author = ", ".join(report.participants)
    docx = report_docx.html_to_docx(page, title=report.title, author=author)
    kept_docx = _keep_edited(docx_path, docx, edited=report_docx.edited_since_written)
    write_whole(docx_path, docx)
    return ReportFiles(html_path, md_path, kept, docx_path, kept_docx)


def _keep_edited(
    md_path: Path, markdown: bytes, *, edited: Callable[[bytes], bool] = edited_since_written
) -> Path | None:
    """Copy ``md_path`` to a dated name if it was ``edited`` since the course wrote it (and
    is not ``markdown`` already); return the copy's path."""
    try:
        content = md_path.read_bytes()
    except FileNotFoundError:
        return None
    if content == markdown or not edited(content):
        return None
    made = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    kept = md_path.with_name(f"{md_path.stem}-edited-{made}{md_path.suffix}")
    number = 2
    while kept.exists():
        kept = md_path.with_name(f"{md_path.stem}-edited-{made}-{number}{md_path.suffix}")
        number += 1
    write_whole(kept, content)
    return kept
