"""``eic-course grade``: autograde a class in parallel and merge the grades safely.

A run plans its work from the course gradebook: a submission is graded again only when
its files or its module's release changed since it was last graded, or it was not graded
then (or with ``force``). Grades reach the course
gradebook one submission at a time, each in one transaction, with Ctrl-C held back while
a transaction is written; so an interrupted run leaves a consistent gradebook, and
running the command again grades only what is left.

The fingerprint that lets the next run skip a submission ("already graded from the same
files") is that of the files before grading; they are read again once graded, and a
submission whose files changed meanwhile keeps no grade from this run (it is reported as not
graded, and the next run grades it). ``eic-course`` runs no collect while it grades
(:func:`eic.trainer.course_lock.running_alone`); this catches files replaced by other means.
"""

from __future__ import annotations

import dataclasses
import signal
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from eic.trainer import records
from eic.trainer.course import Course, CourseError, Module
from eic.trainer.merge import merge_outcome, remove_partial_output
from eic.trainer.parallel import Outcome, Task, run_tasks, warm_up
from eic.trainer.progress import Progress
from eic.trainer.reflections import changed_reflections, graded_by_hand, reflection_texts

LOG_NAME = "eic-grading.log"
CHANGED_WHILE_GRADED = (
    "its files in submitted/ changed while it was being graded, so no grade was kept: run "
    "the same command again to grade them as they are now"
)


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    digests: dict[Task, str] = field(default_factory=dict)
    releases: dict[str, str] = field(default_factory=dict)  # module folder -> release digest
    already: list[records.GradingRecord] = field(default_factory=list)
    not_submitted: dict[str, list[str]] = field(default_factory=dict)
    not_in_roster: set[str] = field(default_factory=set)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)


def default_cell_timeout(course: Course) -> int:
    return int(course.config().Execute.get("timeout", 120) or 120)


def plan(course: Course, modules: list[Module], *, force: bool = False) -> Plan:
    """Which submissions to grade now, and which are already graded from the same files.

    A submission is graded again when its files changed, when the module was released
    again with other tests or points, or when it was not graded last time (it failed or was
    stopped: the trainer may have fixed the cause). Submissions from ids not in the roster
    are left out, and listed.
    """
    result = Plan()
    with course.gradebook() as gb:
        released = {a.name for a in gb.assignments}
        missing = [m.folder for m in modules if m.folder not in released]
        if missing:
            raise CourseError(
                f"not released yet: {', '.join(missing)}; run eic-course release "
                "first (it records each module in the gradebook)"
            )
        roster = {s.id for s in gb.students}
        done = records.grading_records(gb)
        for module in modules:
            submitted = course.submitted(module.folder)
            result.not_submitted[module.id] = sorted(roster - set(submitted))
            result.not_in_roster |= set(submitted) - roster
            release = result.releases[module.folder] = records.release_digest(gb, module.folder)
            for student, folder in submitted.items():
                if student not in roster:  # graded once they are in the roster
                    continue
                task = Task(module.folder, student, module.notebook)
                digest = records.submission_digest(folder, release)
                last = done.get((module.folder, student))
                graded_file = course.root / "autograded" / student / module.folder / module.notebook
                if (
                    not force
                    and last is not None
                    and last.digest == digest
                    and last.status == records.GRADED
                    and graded_file.is_file()
                ):
                    result.already.append(last)
                    continue
                result.tasks.append(task)
                result.digests[task] = digest
        records.forget_grading(gb, [(t.assignment, t.student) for t in result.tasks])
    return result


def _status_text(outcome: Outcome, merged) -> str:
    if outcome.status == records.GRADED:
        text = f"graded {merged.score:g}/{merged.max_score:g}"
        if merged.regrade:
            text += ", reflection changed since it was graded: grade it again"
        elif merged.needs_manual_grade:
            text += ", reflection to grade by hand"
        return text + (f"; {outcome.detail}" if outcome.detail else "")
    return f"{outcome.status.upper()}: {outcome.detail}"


def grade(
    course: Course,
    modules: list[Module],
    *,
    jobs: int,
    cell_timeout: int | None = None,
    submission_timeout: float | None = None,
    force: bool = False,
    stream: TextIO | None = None,
) -> tuple[Plan, Summary]:
    """Autograde ``modules`` for the whole class; print progress to ``stream``."""
    warnings.filterwarnings("ignore", message="Object of type <Submitted")  # nbgrader's noise
    warm_up()  # the worker processes' nbgrader loads while the class is planned
    cell_timeout = cell_timeout or default_cell_timeout(course)
    submission_timeout = submission_timeout or 3 * cell_timeout + 60
    work = plan(course, modules, force=force)
    summary = Summary()
    with course.gradebook() as gb:
        labels = {}
        countries = records.countries(gb)
        for s in gb.students:
            name = " ".join(filter(None, [s.first_name, s.last_name]))
            labels[s.id] = f"{name} ({countries[s.id]})" if s.id in countries else name
    progress = Progress(len(work.tasks), labels, stream)
    ids = {m.folder: m.id for m in modules}
    log_path = course.root / "autograded" / LOG_NAME
    timestamps = {t: _timestamp(course, t) for t in work.tasks}
    # the reflections as the trainer read them when grading by hand, before they are graded
    # again: one whose text changed is to be graded again
    with course.gradebook() as gb:
        by_hand = graded_by_hand(gb, {t.assignment for t in work.tasks})
    graded_before = {
        t: reflection_texts(_graded_notebook(course, t))
        for t in work.tasks
        if (t.assignment, t.student) in by_hand
    }

    active: set[Task] = set()
    with course.gradebook() as gb, tempfile.TemporaryDirectory(prefix="eic-grade-") as scratch:

        def on_done(outcome: Outcome) -> None:
            if outcome.status == records.GRADED and _changed_since_planned(course, work, outcome):
                outcome = dataclasses.replace(
                    outcome, status=records.FAILED, detail=CHANGED_WHILE_GRADED, record=None
                )
            # Ctrl-C waits until this submission's grades are committed (or rolled back)
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                changed: set[str] = set()
                if outcome.status == records.GRADED and outcome.task in graded_before:
                    now = reflection_texts(_graded_notebook(course, outcome.task))
                    changed = changed_reflections(graded_before[outcome.task], now)
                merged = merge_outcome(
                    gb,
                    outcome,
                    digest=work.digests[outcome.task],
                    timestamp=timestamps[outcome.task],
                    changed=changed,
                )
                remove_partial_output(course.root, outcome)
                summary.outcomes.append(outcome)
                active.discard(outcome.task)
                if outcome.log or outcome.status != records.GRADED:
                    _append_log(log_path, outcome)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            task = outcome.task
            text = _status_text(outcome, merged)
            progress.finished(ids[task.assignment], task.student, text, outcome.seconds)

        try:
            run_tasks(
                work.tasks,
                root=course.root,
                db=course.db_path,
                scratch=Path(scratch),
                jobs=jobs,
                cell_timeout=cell_timeout,
                submission_timeout=submission_timeout,
                on_start=active.add,
                on_done=on_done,
                on_tick=lambda active: progress.status(
                    [(ids[t.assignment], t.student) for t in active]
                ),
            )
        except KeyboardInterrupt:
            summary.interrupted = True
            for task in active:  # half-written by a stopped worker, as nbgrader does on Ctrl-C
                remove_partial_output(course.root, Outcome(task, "stopped", "", 0.0, None))
        finally:
            progress.close()
    return work, summary


def _changed_since_planned(course: Course, work: Plan, outcome: Outcome) -> bool:
    """Whether a submission's files differ now from those fingerprinted before grading."""
    task = outcome.task
    folder = course.root / "submitted" / task.student / task.assignment
    now = records.submission_digest(folder, work.releases[task.assignment])
    return now != work.digests[task]


def _graded_notebook(course: Course, task: Task) -> Path:
    return course.root / "autograded" / task.student / task.assignment / task.notebook


def _timestamp(course: Course, task: Task) -> str | None:
    path = course.root / "submitted" / task.student / task.assignment / "timestamp.txt"
    text = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    return text or None


def _append_log(path: Path, outcome: Outcome) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    task = outcome.task
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"=== {task.assignment} {task.student}: {outcome.status}: {outcome.detail}\n")
        log.write(outcome.log.rstrip() + "\n\n")
