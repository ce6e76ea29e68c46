"""Grades as CSV: one row per participant (each module and the total), and per country.

:class:`CourseGradesExport` is an nbgrader export plugin, so ``nbgrader export
--ExportApp.plugin_class=eic.trainer.export.CourseGradesExport`` writes the same files as
``eic-course export``. A module's score is nbgrader's: automatic and manual points, less
any late penalty, never below zero; a module not submitted counts 0. A submission whose
last autograde failed or was stopped has no score yet: its cell is left blank, the module is
named in the ``not_graded`` column, and it counts 0 in the total until it is graded. A
submission whose reflection still waits for a grade by hand in formgrader is named in the
``not_graded`` column too, with its score so far (the automatic points only).

The files are written with a byte order mark (UTF-8 with BOM, as Excel's "CSV UTF-8"),
so that Excel shows names in Vietnamese, Thai or any other script as they are; Python's
``utf-8-sig`` reads them back the same as without it.

Each file is written whole or not at all (:func:`eic.file_lock.write_whole`): a full disk,
or a file that Excel has open on Windows, leaves the earlier file as it was.
:class:`ExportNotWritten` then names the file that could not be written, the files this
export wrote before it and those it left as they were.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin

from eic.answers import cannot_write
from eic.file_lock import write_whole
from eic.trainer import records
from eic.trainer.reflections import waiting_for_hand_grading

# Excel reads a CSV file without a byte order mark in the computer's own code page
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class Row:
    id: str
    first_name: str
    last_name: str
    country: str
    email: str
    scores: dict[str, float | None]  # module folder -> score; None when not submitted
    maxima: dict[str, float]
    not_graded: tuple[str, ...] = ()  # submitted modules whose autograde failed or stopped
    to_grade_by_hand: tuple[str, ...] = ()  # modules whose reflection waits for a grade

    @property
    def total(self) -> float:
        return sum(s or 0.0 for s in self.scores.values())

    @property
    def max_total(self) -> float:
        return sum(self.maxima.values())


def class_grades(gradebook) -> tuple[list[str], list[Row]]:
    """The modules in the gradebook (by name) and every participant's scores in them."""
    countries = records.countries(gradebook)
    log = records.grading_records(gradebook)
    assignments = sorted(gradebook.assignments, key=lambda a: a.name)
    maxima = {a.name: float(a.max_score) for a in assignments}
    waiting = set(waiting_for_hand_grading(gradebook))
    rows = []
    for student in sorted(gradebook.students, key=lambda s: s.id):
        scores: dict[str, float | None] = {}
        not_graded = []
        for assignment in assignments:
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                scores[assignment.name] = None
                continue
            last = log.get((assignment.name, student.id))
            if last is not None and last.status != records.GRADED:
                scores[assignment.name] = None
                not_graded.append(assignment.name)
                continue
            penalty = submission.late_submission_penalty or 0.0
            scores[assignment.name] = max(0.0, submission.score - penalty)
        rows.append(
            Row(
                student.id,
                student.first_name or "",
                student.last_name or "",
                countries.get(student.id, ""),
                student.email or "",
                scores,
                maxima,
                tuple(not_graded),
                tuple(a.name for a in assignments if (a.name, student.id) in waiting),
            )
        )
    return [a.name for a in assignments], rows


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _csv_bytes(lines: list[list]) -> bytes:
    """The rows as a CSV file's bytes, as ``csv.writer`` on a file opened with
    ``newline=""`` writes them (lines end in CR LF), with the byte order mark."""
    text = io.StringIO(newline="")
    csv.writer(text).writerows(lines)
    return text.getvalue().encode(CSV_ENCODING)


def grades_csv(modules: list[str], rows: list[Row]) -> bytes:
    """The content of ``grades.csv``: one row per participant; ``not_graded`` names the
    modules whose autograde failed or whose reflection is not graded by hand yet."""
    person = ["id", "first_name", "last_name", "country", "email"]
    lines = [[*person, *modules, "total", "max_total", "not_graded"]]
    for r in rows:
        lines.append(
            [r.id, r.first_name, r.last_name, r.country, r.email]
            + [_number(r.scores[m]) for m in modules]
            + [_number(r.total), _number(r.max_total), " ".join(_not_graded(r, modules))]
        )
    return _csv_bytes(lines)


def write_grades(path: Path, modules: list[str], rows: list[Row]) -> None:
    """Write :func:`grades_csv` to ``path`` whole; :class:`OSError` leaves it as it was."""
    write_whole(path, grades_csv(modules, rows))


def _not_graded(row: Row, modules: list[str]) -> list[str]:
    return [m for m in modules if m in row.not_graded or m in row.to_grade_by_hand]


def countries_csv(modules: list[str], rows: list[Row]) -> bytes:
    """The content of ``grades-by-country.csv``: per country, the participants, mean total
    and share of the maximum, per-module means (blank while nobody of the country has
    submitted the module) and the number of participants who submitted each module."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[r.country or "(not given)"].append(r)
    header = ["country", "participants", "mean_total", "mean_percent"]
    for m in modules:
        header += [f"{m}_mean", f"{m}_submitted"]
    lines = [header]
    for country in sorted(groups):
        group = groups[country]
        mean_total = sum(r.total for r in group) / len(group)
        max_total = group[0].max_total
        line = [country, len(group), f"{mean_total:.2f}"]
        line.append(f"{100 * mean_total / max_total:.1f}" if max_total else "")
        for m in modules:
            submitted = sum(r.scores[m] is not None or m in r.not_graded for r in group)
            # no mean of a module nobody of the country submitted: "0.00" would read as a
            # score of nothing, not as a module not done yet
            mean = sum(r.scores[m] or 0.0 for r in group) / len(group)
            line += [f"{mean:.2f}" if submitted else "", submitted]
        lines.append(line)
    return _csv_bytes(lines)


def write_countries(path: Path, modules: list[str], rows: list[Row]) -> None:
    """Write :func:`countries_csv` to ``path`` whole; :class:`OSError` leaves it as it was."""
    write_whole(path, countries_csv(modules, rows))


def summary_path(grades: Path) -> Path:
    """``grades.csv`` -> ``grades-by-country.csv`` beside it."""
    return grades.with_name(f"{grades.stem}-by-country{grades.suffix or '.csv'}")


class ExportNotWritten(Exception):
    """A file of the export could not be written (``error`` says why). ``written``: the
    files this export wrote before it; ``kept``: the files left as they were, this one
    first, each still the earlier export's if it ``existed``."""

    def __init__(self, path: Path, error: OSError, written: list[Path], kept: list[Path]) -> None:
        self.path, self.error, self.written, self.kept = path, error, written, kept
        self.existed = {p: p.exists() for p in kept}
        super().__init__(f"{path} could not be written: {cannot_write(error)}. {self.state()}")

    def state(self) -> str:
        """What the export left, e.g. "grades.csv was written; grades-by-country.csv is
        unchanged, so they do not match until you export again."."""
        if not self.written and all(self.existed.values()):
            return f"The earlier {' and '.join(p.name for p in self.kept)} are unchanged."
        parts = [f"{p.name} was written" for p in self.written] + [
            f"{p.name} is unchanged" if self.existed[p] else f"{p.name} was not written"
            for p in self.kept
        ]
        mixed = self.written and any(self.existed.values())
        return "; ".join(parts) + (
            ", so they do not match until you export again." if mixed else "."
        )


def write_export(dest: Path, modules: list[str], rows: list[Row]) -> list[Path]:
    """Write ``dest`` (:func:`grades_csv`) and its :func:`summary_path`
    (:func:`countries_csv`), each whole; the files written. Both are made before either
    is written, so an error in the data changes neither. :class:`ExportNotWritten` if one
    cannot be written."""
    files = [(dest, grades_csv(modules, rows)), (summary_path(dest), countries_csv(modules, rows))]
    written: list[Path] = []
    for path, content in files:
        try:
            write_whole(path, content)
        except OSError as err:
            kept = [p for p, _ in files if p not in written]
            raise ExportNotWritten(path, err, written, kept) from err
        written.append(path)
    return written


class CourseGradesExport(ExportPlugin):
    """nbgrader export plugin: ``grades.csv`` and ``grades-by-country.csv``; after an export,
    ``rows`` holds the rows written."""

    rows: list[Row]

    def export(self, gradebook) -> None:
        dest = Path(self.to or "grades.csv")
        modules, rows = class_grades(gradebook)
        if self.assignment:
            modules = [m for m in modules if m in self.assignment]
            rows = [
                replace(
                    r,
                    scores={m: r.scores[m] for m in modules},
                    maxima={m: r.maxima[m] for m in modules},
                    not_graded=tuple(m for m in r.not_graded if m in modules),
                    to_grade_by_hand=tuple(m for m in r.to_grade_by_hand if m in modules),
                )
                for r in rows
            ]
        if self.student:
            rows = [r for r in rows if r.id in self.student]
        write_export(dest, modules, rows)
        self.rows = rows  # what was written, for the command's summary of what is not graded
        self.log.info("Wrote %s and %s", dest, summary_path(dest))
