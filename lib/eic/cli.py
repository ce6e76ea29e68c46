"""The ``eic-course`` command: the course's modules, a participant's recorded answers, and
the trainer's steps (built on nbgrader's Python API, in :mod:`eic.trainer`).

eic-course modules                         the eight modules, their time and points
eic-course answers FOLDER [...]            the answers recorded in module folders
eic-course roster import FILE              participants from a CSV file, checked row by row
eic-course release MODULE|all              the student version, checked to fail blank
eic-course collect MODULE --from FOLDER    downloaded submissions into submitted/
eic-course grade MODULE|all [--jobs N]     autograde the class in parallel
eic-course feedback MODULE|all             feedback pages without hidden tests
eic-course export                          grades.csv and grades-by-country.csv
eic-course report ID... | --country C      draft country reports from submitted answers
eic-course serve [--port N] [--pool-size N] the course home as Voila apps from this computer
eic-course progress                        how far each participant of a served class has got
eic-course hub accounts|start|release|collect the workshop on one JupyterHub
eic-course charts [--release FOLDER]        draw the modules' charts into the chart cache
eic-course binder OWNER/NAME [--module M]   the links that open the course on Binder

Each command has --help.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from eic.answers import ANSWERS_SUFFIX, AnswerStore, answers_given, damaged_file_advice
from eic.binder_links import add_binder_command
from eic.chart_prefill import add_charts_command
from eic.classroom import add_progress_command
from eic.course import syllabus
from eic.hub import add_hub_command
from eic.serve import add_serve_command
from eic.trainer.command_parser import add_trainer_commands
from eic.trainer.commands import run
from eic.trainer.reports import add_report_command


def _modules(_args: argparse.Namespace) -> int:
    plan = syllabus()
    print(plan["course"]["title"])
    print(f"{'id':<5}{'day':>4}{'min':>6}{'points':>8}  title")
    for m in plan["modules"]:
        print(f"{m['id']:<5}{m['day']:>4}{m['duration_minutes']:>6}{m['points']:>8}  {m['title']}")
    print(f"{plan['course']['total_hours']:g} hours in all")
    return 0


def _answer_lines(answers: dict[str, dict]) -> list[str]:
    """What ``eic-course answers`` says of the entries of one answer file: how many answers
    and drafts it holds, one line for each, and the questions whose entry says nothing
    (:func:`eic.answers.is_blank`), named apart and not counted as answers.

    >>> print("\\n".join(_answer_lines({
    ...     "q1_x": {"value": "Water", "recorded_at": "2026-12-05T10:42:07+00:00"},
    ...     "q5_y": {"value": ["A", ""], "incomplete": "choose an item for the 2nd place"},
    ...     "r1_z": {"value": ""}})))
    2 answer(s), 1 of them a draft (not complete yet)
      q1_x                       Water  (2026-12-05T10:42:07+00:00)
      q5_y                       ['A', '']  (no time)  draft: choose an item for the 2nd place
      Left blank, not answers: r1_z (Check or Save pressed with nothing given, or an answer removed)
    """  # noqa: E501
    given = answers_given(answers)
    drafts = sum(1 for entry in given.values() if entry.get("incomplete"))
    lines = [f"{len(given)} answer(s)" + (f", {drafts} of them a draft (not complete yet)"
                                         if drafts else "")]  # fmt: skip
    for qid, entry in sorted(given.items()):
        value = str(entry["value"]).replace("\n", " ")
        short = value if len(value) <= 70 else value[:67] + "..."
        line = f"  {qid:<26} {short}  ({entry.get('recorded_at', 'no time')})"
        if entry.get("incomplete"):
            line += f"  draft: {entry['incomplete']}"
        lines.append(line)
    blank = sorted(set(answers) - set(given))
    if blank:
        lines.append(
            f"  Left blank, not answers: {', '.join(blank)} (Check or Save pressed with nothing "
            "given, or an answer removed)"
        )
    return lines


def _answers(args: argparse.Namespace) -> int:
    status = 0
    for folder in map(Path, args.folders):
        files = sorted(folder.glob(f"*{ANSWERS_SUFFIX}")) if folder.is_dir() else []
        if not files:
            print(f"{folder}: no answer file (a file named like m01{ANSWERS_SUFFIX})")
            status = 1
            continue
        for path in files:
            # only read: in submitted/, a file written beside it would change the submission
            report = AnswerStore(path, path.name.removesuffix(ANSWERS_SUFFIX)).read()
            summary, *lines = _answer_lines(report.answers)
            print(f"{path}: {summary}")
            if report.problems:
                advice = damaged_file_advice(path.name, "; ".join(report.problems))
                print(f"  {advice} Nothing was changed here.")
                status = 1
            for line in lines:
                print(line)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eic-course", description="EIC Course: eco-industrial clusters training course."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    modules = commands.add_parser("modules", help="list the eight modules")
    modules.set_defaults(run=_modules)
    answers = commands.add_parser(
        "answers", help="show the answers recorded in module folders (e.g. a submission)"
    )
    answers.add_argument("folders", nargs="+", help="folders holding mNN-answers.json files")
    answers.set_defaults(run=_answers)
    add_trainer_commands(commands)
    add_report_command(commands)
    add_serve_command(commands)
    add_progress_command(commands)
    add_hub_command(commands)
    add_charts_command(commands)
    add_binder_command(commands)
    return parser


def print_any_script(*streams: TextIO) -> None:
    """Let names and answers in any script be printed on any output. Where an output is
    not UTF-8 (on Windows when it is redirected to a file, which takes the computer's code
    page; in the C locale), a character it cannot hold is written as its code
    (``Cụm`` as ``C\\u1ee5m``) instead of stopping the command with an error."""
    for stream in streams:
        encoding = getattr(stream, "encoding", None) or "ascii"
        every_character = codecs.lookup(encoding).name.startswith("utf-")
        # Python's own choices (surrogateescape in the C locale), not a replacement the
        # user chose with PYTHONIOENCODING
        stops = getattr(stream, "errors", None) in ("strict", "surrogateescape")
        if stops and not every_character and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    print_any_script(sys.stdout, sys.stderr)
    args = build_parser().parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
