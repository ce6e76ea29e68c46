"""The trainer's subcommands of ``eic-course``: roster, release, collect, grade, feedback,
export. Each prints what it did in plain words and returns the exit status; their
arguments and help are in :mod:`eic.trainer.command_parser`."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from eic.trainer.course import Course, CourseError
from eic.trainer.course_lock import running_alone
from eic.trainer.os_problems import not_written, os_problem, sentence


def _course(args: argparse.Namespace) -> Course:
    return Course.at(args.course)


def _command_line(args: argparse.Namespace) -> str:
    """The command as the trainer wrote it, enough to recognise it: ``eic-course grade all``."""
    words = [getattr(args, name, None) for name in ("command", "roster_command", "module")]
    return " ".join(["eic-course", *filter(None, words)])


def runs_alone(step: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A subcommand that changes what grading reads or writes: it runs under
    :func:`running_alone`."""

    @functools.wraps(step)
    def run(args: argparse.Namespace) -> int:
        with running_alone(_course(args), _command_line(args)):
            return step(args)

    return run


def roster_import_command(args: argparse.Namespace) -> int:
    """``eic-course roster import``: the participants of a CSV file into the gradebook,
    added or updated, with every row that was not imported and why."""
    from eic.trainer.roster import (
        RosterError,
        import_participants,
        load_roster,
        roster,
        roster_warnings,
    )

    course = _course(args)
    try:
        participants, problems = load_roster(args.file)
    except RosterError as err:
        raise CourseError(f"{args.file}: {err}") from None
    with course.gradebook() as gb:
        report = import_participants(gb, participants)
        warnings = roster_warnings(roster(gb))
    problems = problems + report.problems
    print(
        f"{len(report.created)} participant(s) added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged."
    )
    if report.not_in_file:
        print(
            f"In the gradebook but not in this file (kept): {', '.join(report.not_in_file)}. "
            "To take one off the roster: eic-course roster remove ID"
        )
    if report.no_email:
        print(
            f"{len(report.no_email)} participant(s) have no e-mail address (allowed: grades.csv "
            f"leaves it blank): {', '.join(report.no_email)}"
        )
    for warning in warnings:
        print(f"Warning: {warning}")
    if problems:
        print(f"{len(problems)} problem(s); these rows were not imported:")
        for problem in problems:
            print(f"  {problem}")
        print("Correct them and import the file again: rows already imported are updated.")
        return 1
    return 0


def roster_remove_command(args: argparse.Namespace) -> int:
    """``eic-course roster remove``: participants taken off the gradebook, so that they no
    longer count in grades.csv and their country's means; their files are kept."""
    from eic.trainer.roster import remove_participants

    course = _course(args)
    with course.gradebook() as gb:
        report = remove_participants(gb, args.ids, with_grades=args.with_grades)
    if report.problems:
        print("Nobody was removed:")
        for problem in report.problems:
            print(f"  {problem}.")
        return 1
    print(
        f"Removed from the gradebook: {', '.join(report.removed)}. They no longer count in "
        "grades.csv, its countries' means or the class's progress."
    )
    for pid in report.removed:
        kept = [
            f"{folder}/{pid}/"
            for folder in ("submitted", "autograded", "feedback", "participants")
            if (course.root / folder / pid).is_dir()
        ]
        if kept:
            print(
                f"  {pid}'s files are kept in {', '.join(kept)}; delete them if they are not "
                "needed (a folder in participants/ is still listed when the class is served)."
            )
    return 0


def release_command(args: argparse.Namespace) -> int:
    """``eic-course release``: the student version of each module named, and whether its
    blank notebook fails every test as it should."""
    from eic.classroom import PARTICIPANTS
    from eic.trainer.release import release

    course = _course(args)
    status = 0
    for module in course.resolve(args.module):
        check = release(course, module)
        if check.ok:
            print(
                f"{module.folder}: released to release/{module.folder}; blank, it fails all "
                f"{check.tests} tests, as it should."
            )
        else:
            print(f"{module.folder}: released, but fix this before participants fetch it:")
            for problem in check.problems:
                print(f"  - {problem}.")
            status = 1
        if check.kept:
            print(
                f"  What was recorded in release/{module.folder} is kept there, with the new "
                f"release: {', '.join(path.as_posix() for path in check.kept)}."
            )
    served = course.root / PARTICIPANTS
    if served.is_dir() and any(served.iterdir()):
        print(
            f"The class's copies in {PARTICIPANTS}/ (made by eic-course serve) take this release "
            "when eic-course serve starts again: restart it, and ask participants to reload "
            "their pages (their answers are kept)."
        )
    return status


def collect_command(args: argparse.Namespace) -> int:
    """``eic-course collect``: the downloaded submissions of one module into submitted/,
    with each file not collected and why."""
    from eic.answers import damaged_file_advice
    from eic.trainer.collect import collect

    course = _course(args)
    (module,) = course.resolve(args.module)
    report = collect(course, module, Path(args.source))
    print(f"{module.folder}: collected {len(report.collected)} participant(s) into submitted/.")
    for pid, files in sorted(report.collected.items()):
        again = f" ({report.replaced[pid]})" if pid in report.replaced else ""
        print(f"  {pid:<12} {', '.join(files)}{again}")
    if report.notebook_from_release:
        print(
            f"Notebook taken from release/ (their files held no {module.notebook} of their "
            f"own, only none or one never run; the answers are in {module.answers_file}): "
            f"{', '.join(report.notebook_from_release)}"
        )
    if report.no_answers:
        print(
            f"No {module.answers_file} (their worksheet answers; without it every question "
            f"scores 0): {', '.join(report.no_answers)}"
        )
    for pid, problem in sorted(report.unreadable_answers.items()):
        print(f"{pid}'s {damaged_file_advice(module.answers_file, problem, pid)}")
    for pid, problem in sorted(report.kept_earlier.items()):
        print(
            f"{pid}'s new {module.answers_file} cannot be read completely: {problem}. Their "
            "earlier submission, whose answers can be read, is kept in submitted/ unchanged; "
            f"ask {pid} to send the file again, then collect again."
        )
    if report.unmatched:
        print(f"{len(report.unmatched)} file(s) not collected:")
        for path, reason in report.unmatched:
            print(f"  {path}: {reason}")
    if report.no_submission:
        print(f"No submission from: {', '.join(report.no_submission)}")
        blank = [pid for pid in report.released_notebook_only if pid in report.no_submission]
        if blank:
            print(
                f"  ({', '.join(blank)}: only the notebook as released, never run, and no "
                "answer file with an answer in it, which is not a submission)"
            )
    if report.blank_answer_files:
        print(
            f"Answer file holding no answer (only questions left blank), not collected: "
            f"{', '.join(report.blank_answer_files)}"
        )
    needs_doing = report.unreadable_answers or report.kept_earlier
    return 1 if report.unmatched or report.no_answers or needs_doing else 0


def grade_command(args: argparse.Namespace) -> int:
    """``eic-course grade``: autograde the submissions of the modules named, and say what
    was graded, what was not and what to do next."""
    from eic.trainer.grading import LOG_NAME, grade
    from eic.trainer.release import points_problem, record_release, release_differs

    course = _course(args)
    modules = course.resolve(args.module)
    with course.gradebook() as gb:
        released = {a.name for a in gb.assignments}
    recorded_now: set[str] = set()  # just checked against source/ by record_release
    for module in modules:
        # served from the release/ folder the course ships, without eic-course release
        if module.folder not in released and (
            args.module != "all" or course.submitted(module.folder)
        ):
            record_release(course, module)
            released.add(module.folder)
            recorded_now.add(module.folder)
            print(
                f"{module.folder}: recorded in the gradebook from release/{module.folder} "
                "(what source/ makes now), as eic-course release does."
            )
    if args.module == "all":
        modules = [m for m in modules if m.folder in released]
        if not modules:
            raise CourseError("no module is released yet: run eic-course release first")
    if args.jobs < 1:
        raise CourseError("--jobs must be at least 1")
    for module in modules:
        if not (course.root / "release" / module.folder / module.notebook).is_file():
            continue
        if args.module == "all" and not course.submitted(module.folder):
            # nothing of it to grade: checking it makes the module again with nbgrader,
            # several seconds for each of the modules not yet submitted on day 1
            continue
        differ = points_problem(course, module)
        if differ:
            print(f"{module.folder}: note: {differ}. Scores are out of the cells' points.")
        if module.folder not in recorded_now:
            differ = release_differs(course, module)
            if differ:
                print(
                    f"{module.folder}: note: release/{module.folder} is not what source/ makes "
                    f"now ({', '.join(differ)} differs). It is graded with the tests of its "
                    "last eic-course release. If release/ was edited by hand, participants "
                    "answered the edited page, and an answer whose wording changed may score "
                    "0: make the same change in source/, run eic-course release "
                    f"{module.id}, then eic-course grade {module.id} --force. If source/ "
                    f"changed since, run eic-course release {module.id} before participants "
                    "fetch it."
                )
    work, summary = grade(
        course,
        modules,
        jobs=args.jobs,
        cell_timeout=args.timeout,
        submission_timeout=args.submission_timeout,
        force=args.force,
    )
    counts = summary.counts()
    if work.already:
        print(f"Already graded from the same files (skipped): {len(work.already)}")
    nobody = []  # modules of "all" that nobody has submitted yet: one line, not a list each
    for module in modules:
        missing = work.not_submitted.get(module.id)
        if args.module == "all" and missing and not course.submitted(module.folder):
            nobody.append(module.id)
        elif missing:
            print(f"No submission for {module.id}: {', '.join(missing)}")
    if nobody:
        print(f"Not submitted by anyone yet: {', '.join(nobody)}")
    if work.not_in_roster:
        strangers = ", ".join(sorted(work.not_in_roster))
        print(
            f"Submitted but not in the roster, so not graded: {strangers}. Add them to the "
            "roster file, run eic-course roster import, then grade again."
        )
    print(
        f"{counts['graded']} graded, {counts['failed']} failed, {counts['stopped']} stopped "
        f"at the time limit, of {len(work.tasks)} to grade."
    )
    not_graded = [o.task for o in summary.outcomes if o.status != "graded"]
    if not_graded:
        ids = {m.folder: m.id for m in modules}
        print(
            "Not graded: "
            + ", ".join(
                f"{ids[t.assignment]} {t.student}"
                for t in sorted(not_graded, key=lambda t: (t.assignment, t.student))
            )
            + f". What nbgrader said about each is in autograded/{LOG_NAME}; fix the cause "
            "and run the same command again: it grades these again (an export leaves their "
            "scores blank until then)."
        )
    hand = _hand_grading_step(course, modules)
    if hand:
        print(hand)
    if summary.interrupted:
        left = len(work.tasks) - len(summary.outcomes)
        print(
            f"Interrupted: {left} submission(s) not graded; the gradebook holds every "
            "grade saved so far. Run the same command again to grade the rest."
        )
        return 130
    return 1 if not_graded else 0


def _hand_grading_step(course: Course, modules) -> str:
    """The next step after autograding when reflections wait for a grade by hand: where to
    grade them, and what to run afterwards; "" when none waits."""
    from eic.trainer.reflections import waiting_for_hand_grading

    with course.gradebook() as gb:
        waiting = [w for m in modules for w in waiting_for_hand_grading(gb, m.folder)]
    if not waiting:
        return ""
    ids = {m.folder: m.id for m in modules}
    per_module = {}
    for folder, _pid in waiting:
        per_module[ids[folder]] = per_module.get(ids[folder], 0) + 1
    counts = ", ".join(f"{n} in {mid}" for mid, n in per_module.items())
    first = next(iter(per_module))
    return (
        f"Next: {len(waiting)} reflection(s) wait for a grade by hand ({counts}). Open "
        "JupyterLab with 'bash scripts/start.sh --trainer', then Nbgrader > Formgrader > "
        "Manual Grading; afterwards run eic-course feedback "
        f"{first if len(per_module) == 1 else 'all'} and eic-course export (until then a "
        "reflection scores 0)."
    )


def feedback_command(args: argparse.Namespace) -> int:
    """``eic-course feedback``: the feedback pages of the autograded submissions of the
    modules named, with any page withheld or showing a reflection not graded yet."""
    from eic.trainer.feedback import generate_feedback

    course = _course(args)
    status = 0
    for module in course.resolve(args.module):
        if not list((course.root / "autograded").glob(f"*/{module.folder}/{module.notebook}")):
            if args.module != "all":
                raise CourseError(f"no submission of {module.folder} is autograded yet")
            continue
        report = generate_feedback(course, module)
        print(f"{module.folder}: {len(report.pages)} feedback page(s) in feedback/.")
        if report.error:
            print(f"  nbgrader reported a problem: {report.error}")
            status = 1
        for page in report.withheld:
            print(f"  WITHHELD {page.relative_to(course.root)}: it shows a hidden test line")
            status = 1
        if report.reflection_not_graded:
            print(
                f"  {len(report.reflection_not_graded)} page(s) show a reflection not graded "
                "yet, scored 0 until it is: grade it in formgrader (Manual Grading) and run "
                "eic-course feedback again before sending these pages:"
            )
            for page in report.reflection_not_graded:
                print(f"    {page.relative_to(course.root)}")
    return status


def export_command(args: argparse.Namespace) -> int:
    """``eic-course export``: the grades as CSV, per participant and per country, with
    what is not graded yet."""
    from eic.classroom import PARTICIPANTS
    from eic.course import module as syllabus_module
    from eic.trainer.export import CourseGradesExport, ExportNotWritten, summary_path
    from eic.trainer.grading import LOG_NAME

    course = _course(args)
    # the course folder, wherever the command runs: never a served folder, whose files
    # eic-course serve copies into every participant's course
    output = Path(args.output or course.root / "grades.csv").resolve()
    for served in (course.root / "release", course.root / PARTICIPANTS):
        if output.is_relative_to(served.resolve()):
            raise CourseError(
                f"{output} is in {served.name}/, which participants are served: the grades "
                "would be copied into every participant's course. Give a file outside it "
                f"with --output, or leave --output out to write {course.root / 'grades.csv'}"
            )
    if output.is_dir():
        raise CourseError(f"{output} is a folder: give a file name, e.g. {output / 'grades.csv'}")
    if output.suffix.lower() != ".csv":
        # a CSV file named .xlsx is refused by Excel, or opened with a warning
        raise CourseError(
            f"{output.name}: the grades are written as CSV, which Excel and every spreadsheet "
            f"open; give a name ending in .csv, e.g. {output.with_suffix('.csv').name}"
        )
    if not output.parent.is_dir():
        raise CourseError(f"there is no folder {output.parent}: make it, or choose another")
    exporter = CourseGradesExport(to=str(output))
    with course.gradebook() as gb:
        try:
            exporter.export(gb)
        except ExportNotWritten as err:
            reason, fix = not_written(err.error, "choose another file with --output")
            raise CourseError(
                f"{err.path} could not be written: {reason}. {err.state()} "
                f"{sentence(fix)}, then export again."
            ) from None
        out_of = {a.name: a.max_score for a in gb.assignments}
    rows = exporter.rows
    print(f"Wrote {output} (per participant) and {summary_path(output)} (per country).")
    for module in course.modules():
        listed = syllabus_module(module.id)["points"]
        if module.folder in out_of and out_of[module.folder] != listed:
            print(
                f"{module.id}: its scores are out of {out_of[module.folder]:g} points, as its "
                f"cells give them, but course/syllabus.yml gives {listed:g}: change the one "
                f"that is wrong, run eic-course release {module.id}, grade and export again."
            )
    not_graded = [f"{module} {r.id}" for r in rows for module in r.not_graded]
    if not_graded:
        print(
            f"Not graded yet, left blank: {', '.join(not_graded)} (their last autograde failed "
            f"or was stopped: see autograded/{LOG_NAME}, then run eic-course grade again)."
        )
    by_hand = [f"{module} {r.id}" for r in rows for module in r.to_grade_by_hand]
    if by_hand:
        print(
            f"Warning: reflections not graded yet: {', '.join(by_hand)}. Their scores count "
            "only the automatic points so far: grade the reflections in formgrader (Manual "
            "Grading), then export again."
        )
    return 0


def run(args: argparse.Namespace) -> int:
    """Run a trainer subcommand; a problem the trainer can fix is one line, not a traceback:
    one of the course's (:class:`CourseError`), or of the computer's (:class:`OSError`: a
    full disk, a file open in another program)."""
    try:
        return args.run(args)
    except CourseError as err:
        print(f"eic-course {args.command}: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the output's reader stopped (e.g. | head): nothing to tell
        raise
    except OSError as err:
        print(f"eic-course {args.command}: {os_problem(err)}", file=sys.stderr)
        return 1
