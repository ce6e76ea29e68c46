"""How ``eic-course`` reads the trainer's subcommands (roster import, release, collect,
grade, feedback, export): each one's arguments, help and description, and which of them
run alone in the course folder. What each does is in :mod:`eic.trainer.commands`."""

from __future__ import annotations

import argparse
import os
import textwrap

from eic.trainer.commands import (
    collect_command,
    export_command,
    feedback_command,
    grade_command,
    release_command,
    roster_import_command,
    roster_remove_command,
    runs_alone,
)

COLLECT_NAMING = """\
How downloaded files are matched to participants: a file belongs to a participant when
its name, or the name of a folder or zip file it is in, starts with the participant's id
(or full name, as a learning platform writes it, if no other participant has that name)
followed by '_', or when a folder is named exactly by the id. The file itself must be the
module's notebook or its answer file, as released, possibly after such a prefix. For
example, for ph-01 and module m01:
  ph-01_m01-eic-in-asia.ipynb  ph-01_m01-answers.json     (files side by side)
  ph-01_m01.zip                                           (a zip of the module folder)
  ph-01/m01-eic-in-asia.ipynb  ph-01/m01-answers.json     (a folder per participant)
  Maria Santos_1234_assignsubmission_file_/m01-answers.json   (a platform's download)
Every other file is listed as not collected, with the reason; so is a zip file that
cannot be opened, and the rest are collected. A participant whose files hold no notebook
is given the released one; the released notebook alone, never run, is no submission."""


def add_trainer_commands(commands) -> None:
    """Add the trainer's subcommands to ``eic-course``'s subparsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--course",
        metavar="FOLDER",
        help="the course folder (default: the one holding the current folder)",
    )
    module_help = "a module id (m01), its folder name, or 'all'"

    roster = commands.add_parser(
        "roster",
        help="the participants' list",
        description="Keep the participants' list in the gradebook.",
    )
    roster_commands = roster.add_subparsers(dest="roster_command", required=True)
    importer = roster_commands.add_parser(
        "import",
        parents=[common],
        help="import or update participants from a CSV file",
        description=(
            "Import participants from a CSV file with the columns id, first_name, last_name, "
            "country, email (the e-mail may be left blank). Each row is checked; a bad row is "
            "reported and skipped. "
            "Importing again updates participants already there, without duplicates (ids "
            "that differ only in capitals are the same id). Participants who share a full "
            "name are named in a warning: downloads named by that name cannot be collected."
        ),
    )
    importer.add_argument("file", help="the CSV file (UTF-8; ',' or ';' between columns)")
    importer.set_defaults(run=roster_import_command)
    remover = roster_commands.add_parser(
        "remove",
        parents=[common],
        help="take participants off the roster (imported by mistake, or who never came)",
        description=(
            "Take participants off the gradebook, so that they no longer count in grades.csv "
            "and their country's means. A participant with submissions in the gradebook is "
            "removed only with --with-grades, which removes their grades too. Their files "
            "(submitted/, participants/, ...) are kept. Nobody is removed if an id is wrong."
        ),
    )
    remover.add_argument("ids", nargs="+", metavar="ID", help="participant ids, e.g. ph-04")
    remover.add_argument(
        "--with-grades",
        action="store_true",
        help="also remove participants who have submissions, and their grades",
    )
    remover.set_defaults(run=runs_alone(roster_remove_command))

    release = commands.add_parser(
        "release",
        parents=[common],
        help="make the student version of a module and check it",
        description=(
            "Make the student version of a module in release/ with nbgrader "
            "generate_assignment, and check that the blank notebook fails every test."
        ),
    )
    release.add_argument("module", help=module_help)
    release.set_defaults(run=runs_alone(release_command))

    collect = commands.add_parser(
        "collect",
        parents=[common],
        help="collect downloaded submissions of a module into submitted/",
        description=textwrap.fill(
            "Collect the submissions of one module from a folder of downloaded files and "
            "zip files (nbgrader zip_collect), and list the files that match no participant.",
            79,
        ),
        epilog=COLLECT_NAMING,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    collect.add_argument("module", help="a module id (m01) or its folder name")
    collect.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FOLDER",
        help="the folder of downloaded files (it is only read)",
    )
    collect.set_defaults(run=runs_alone(collect_command))

    grade = commands.add_parser(
        "grade",
        parents=[common],
        help="autograde the class in parallel",
        description=(
            "Autograde every submission of a module (or all) with nbgrader, in parallel "
            "processes, and merge the grades into the gradebook without touching manual "
            "grades, except that a reflection whose text changed since it was graded is "
            "flagged to be graded again. A module served from the release/ folder without "
            "eic-course release is first recorded in the gradebook. Submissions already "
            "graded from the same files are skipped; a submission that hangs or crashes is "
            "stopped and reported. Safe to interrupt (Ctrl-C): run it again to grade the rest. "
            "It does not start while a grade, collect, release or feedback command runs in "
            "the same course folder."
        ),
    )
    grade.add_argument("module", help=module_help)
    grade.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the number of CPUs, %(default)s)",
    )
    grade.add_argument(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="time limit of one cell (default: Execute.timeout in nbgrader_config.py)",
    )
    grade.add_argument(
        "--submission-timeout",
        type=float,
        metavar="SECONDS",
        help="time limit of one whole submission (default: 3 x the cell limit + 60)",
    )
    grade.add_argument("--force", action="store_true", help="grade every submission again")
    grade.set_defaults(run=runs_alone(grade_command))

    feedback = commands.add_parser(
        "feedback",
        parents=[common],
        help="feedback pages that reveal no hidden test",
        description=(
            "Make a feedback page (HTML, in feedback/) for each autograded submission with "
            "nbgrader generate_feedback. No hidden test is shown: neither its code nor a "
            "traceback line; a page that would show one is withheld and reported."
        ),
    )
    feedback.add_argument("module", help=module_help)
    feedback.set_defaults(run=runs_alone(feedback_command))

    export = commands.add_parser(
        "export",
        parents=[common],
        help="grades as CSV, per participant and per country",
        description=(
            "Write the grades as CSV: one row per participant with each module's score and "
            "the total, and a summary per country beside it (NAME-by-country.csv)."
        ),
    )
    export.add_argument(
        "--output",
        metavar="FILE",
        help="a .csv file (default: grades.csv in the course folder, the one with "
        "nbgrader_config.py)",
    )
    export.set_defaults(run=export_command)
