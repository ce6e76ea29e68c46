"""Feedback that reveals no hidden test: nbgrader's feedback step, with two more steps.

nbgrader's feedback HTML shows the autograded notebook as it ran, hidden tests included
(nbgrader issue #917). ``nbgrader_config.py`` adds two preprocessors to
``GenerateFeedback.preprocessors``, so that both ``nbgrader generate_feedback`` and
``eic-course feedback`` leave hidden tests out:

- nbgrader's own ``ClearHiddenTests`` removes the hidden region from each test cell's code;
- :class:`HideTestTracebacks` (below) replaces the traceback of a failed test cell -- which
  quotes the failing line, a hidden one -- by its last line, the check's own message
  (e.g. "Question 3: the recorded answer is not the expected one.").

``eic-course feedback`` then reads every page it wrote and removes any page in which a
line of a hidden test still appears, saying so (:func:`leaked_lines`), and names the pages
that show a reflection not graded by hand yet (scored 0 until it is), which are not ready
to send.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from eic.trainer.reflections import waiting_for_hand_grading

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MIN_LINE = 12  # shorter lines ('],', '"m01",') say nothing about a test
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class FeedbackExporter(HTMLExporter):
    """The exporter of the course's feedback pages: nbgrader's HTML exporter, configured in
    ``nbgrader_config.py`` with the course's template (``eic/feedback_templates``), which
    names each score by its question and shows no code."""


class HideTestTracebacks(NbGraderPreprocessor):
    """Keep only the message of an error in an autograded test cell, not its traceback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    ename = ANSI.sub("", output.get("ename", "Error"))
                    evalue = ANSI.sub("", output.get("evalue", ""))
                    # a failed check's own message says it all ("Question 3: the recorded
                    # answer is not the expected one."); another error keeps its kind
                    failed = ename == "AssertionError" and evalue
                    output["traceback"] = [
                        evalue if failed else f"{ename}: {evalue}" if evalue else ename
                    ]
        return cell, resources


def hidden_lines(source_notebook: Path) -> list[str]:
    """The lines of a notebook's hidden tests that could tell a participant something.

    Lines that also appear outside the hidden regions (imports, module ids) are left out.
    """
    nb = nbformat.read(source_notebook, as_version=4)
    hidden, shown = [], set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside:
                hidden.append(" ".join(line.split()))
            else:
                shown.add(" ".join(line.split()))
    return sorted({h for h in hidden if len(h.replace(" ", "")) >= MIN_LINE} - shown)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(page: str) -> str:
    """The text a reader sees in an HTML page (tags and syntax colouring removed)."""
    parser = _Text()
    parser.feed(page)
    return " ".join(html.unescape("".join(parser.parts)).split())


def leaked_lines(page: str, lines: list[str]) -> list[str]:
    """The hidden-test lines that appear in a feedback page."""
    text = page_text(page)
    return [line for line in lines if line in text]


@dataclass
class FeedbackReport:
    folder: str
    pages: list[Path] = field(default_factory=list)
    withheld: dict[Path, list[str]] = field(default_factory=dict)
    error: str = ""
    reflection_not_graded: list[Path] = field(default_factory=list)  # pages it shows as 0


def generate_feedback(course, module) -> FeedbackReport:
    """nbgrader's feedback for every autograded submission of ``module``, checked."""
    report = FeedbackReport(module.folder)
    result = course.api().generate_feedback(module.folder, force=True)
    if not result.get("success"):
        lines = (result.get("error") or result.get("log") or "").strip().splitlines()
        report.error = lines[-1] if lines else "nbgrader could not make the feedback"
    lines = hidden_lines(course.root / "source" / module.folder / module.notebook)
    for page in sorted((course.root / "feedback").glob(f"*/{module.folder}/*.html")):
        leaks = leaked_lines(page.read_text(encoding="utf-8"), lines)
        if leaks:
            page.unlink()
            report.withheld[page] = leaks
        else:
            report.pages.append(page)
    with course.gradebook() as gb:
        waiting = {student for _, student in waiting_for_hand_grading(gb, module.folder)}
    report.reflection_not_graded = [p for p in report.pages if p.parts[-3] in waiting]
    return report
