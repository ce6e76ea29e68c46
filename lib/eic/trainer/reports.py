"""``eic-course report``: draft country reports from the participants' submitted answers.

A participant's answers are in ``submitted/<id>/<module folder>/mNN-answers.json`` once
their modules are collected. One participant gives one report; ``--country`` gathers every
participant of that country in the roster into one group report, each answer credited.
Reports are written to ``reports/`` in the course folder, as HTML and Markdown.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from eic.report import build_report
from eic.report_pages import ReportFiles, write_report
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
    """Write the reports asked for; return the files written, each ``(html, md)``, with a
    note where a Markdown text edited in place was kept as a copy."""
    with course.gradebook() as gradebook:
        people = {p.id: p for p in roster(gradebook)}
    unknown = [p for p in participants if p not in people]
    if unknown:
        raise CourseError(
            f"not in the roster: {', '.join(unknown)}; import it first with "
            "'eic-course roster import FILE'"
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
        sources = [(p.name, course.root / "submitted" / p.id) for p in group]
        report = build_report(sources, country=group[0].country)
        written.append(write_report(report, folder, f"{_slug(group[0].country)}-group"))
    for pid in participants:
        person = people[pid]
        report = build_report(
            [(person.name, course.root / "submitted" / pid)],
            country=person.country or "(country not given)",
        )
        written.append(write_report(report, folder, f"{_slug(person.country)}-{_slug(pid)}"))
    return written


def _report(args: argparse.Namespace) -> int:
    course = Course.at()
    for files in make_reports(course, args.participants, country=args.country, out=args.out):
        print(f"wrote {files[0]} (and its Word and Markdown versions beside it)")
        if files.note:
            print(f"  {files.note}")
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
    parser.set_defaults(run=_report)
