"""``eic-course report``: draft country reports from the participants' submitted answers.

A participant's answers are in ``submitted/<id>/<module folder>/mNN-answers.json`` once
their modules are collected. One participant gives one report; ``--country`` gathers every
participant of that country in the roster into one group report, each answer credited.
Reports are written to ``reports/`` in the course folder, as HTML and Markdown.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from eic.answers import ANSWERS_SUFFIX
from eic.report import build_report
from eic.report_files import ReportFiles, write_report
from eic.trainer.course import Course, CourseError
from eic.trainer.roster import roster


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "report"


def make_reports(
    course: Course,
    participants: list[str],
    *,
    country: str | None = None,
    out: Path | None = None,
) -> list[ReportFiles]:
    """Write the reports asked for; return each report's files (``files``: ``(html, md)``,
    with a note where a text edited in place was kept as a copy) and the ``notes`` the
    trainer should read before sending it."""
    with course.gradebook() as gradebook:
        people = {p.id: p for p in roster(gradebook)}
    # an id in other capitals (PH-01) is the same id, as everywhere in the course
    by_folded = {pid.casefold(): pid for pid in people}
    participants = [by_folded.get(p.casefold(), p) for p in participants]
    unknown = [p for p in participants if p not in people]
    if unknown:
        raise CourseError(
            f"not in the roster: {', '.join(unknown)}; the roster's ids are "
            f"{', '.join(sorted(people)) or 'none yet'} (a participant not in it: add them "
            "to the roster file and run 'eic-course roster import FILE')"
        )
    if not participants and not country:
        raise CourseError("name a participant id, or give --country to report a whole country")
    folder = Path(out) if out else course.root / "reports"
    written = []
    if country:
        group = [p for p in people.values() if p.country.casefold() == country.casefold()]
        if not group:
            known = sorted({p.country for p in people.values() if p.country})
            raise CourseError(
                f"nobody in the roster is from '{country}'; countries: {', '.join(known)}"
            )
        # each author as the report names them: with their id where two share a name
        shared = {p.name for p in group if sum(q.name == p.name for q in group) > 1}
        sources = [
            (f"{p.name} [{p.id}]" if p.name in shared else p.name, course.root / "submitted" / p.id)
            for p in group
        ]
        report = build_report(sources, country=group[0].country)
        files = write_report(report, folder, f"{_slug(group[0].country)}-group")
        written.append(Written(files, _notes(course, report, group)))
    for pid in participants:
        person = people[pid]
        report = build_report(
            [(person.name, course.root / "submitted" / pid)],
            country=person.country or "(country not given)",
        )
        files = write_report(report, folder, f"{_slug(person.country)}-{_slug(pid)}")
        written.append(Written(files, _notes(course, report, [person])))
    return written


@dataclass
class Written:
    """A report written (its files) and what the trainer should know of it (``notes``)."""

    files: ReportFiles
    notes: list[str] = field(default_factory=list)


def _notes(course: Course, report, people) -> list[str]:
    """What a report holds that the trainer should know before sending it: the members with
    nothing collected in ``submitted/`` (the report names them as authors all the same),
    and every answer file it could not read, by module."""
    notes = []
    absent = [p for p in people if not _has_answers(course.root / "submitted" / p.id)]
    if absent:
        notes.append(
            "nothing collected yet in submitted/ from "
            + ", ".join(f"{p.name} ({p.id})" for p in absent)
            + ": collect their modules (eic-course collect) and make the report again"
        )
    for section in report.sections:
        for problem in section.problems:
            notes.append(f"{section.module['id']}: {problem}")
    return notes


def _has_answers(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob(f"*/*{ANSWERS_SUFFIX}"))


def _report(args: argparse.Namespace) -> int:
    course = Course.at(args.course)
    for done in make_reports(course, args.participants, country=args.country, out=args.out):
        print(f"wrote {done.files[0]} (and its Word and Markdown versions beside it)")
        if done.files.note:
            print(f"  {done.files.note}")
        for note in done.notes:
            print(f"  note: {note}")
    return 0


def add_report_command(commands) -> None:
    parser = commands.add_parser(
        "report",
        help="draft country reports from the participants' submitted answers",
        description="Write a draft country report (HTML, Word and Markdown) for each participant "
        "named, or one group report for every participant of --country, from the answers "
        "in submitted/. Modules not submitted yet are listed as not yet done.",
    )
    parser.add_argument("participants", nargs="*", help="participant ids from the roster")
    parser.add_argument("--country", help="report every participant of this country together")
    parser.add_argument("--out", type=Path, help="folder for the reports (default: reports/)")
    parser.add_argument(
        "--course",
        metavar="FOLDER",
        help="the course folder (default: the one holding the current folder)",
    )
    parser.set_defaults(run=_report)
