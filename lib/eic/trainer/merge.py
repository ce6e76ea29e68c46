"""Merge what a worker's autograde recorded into the course gradebook.

Only the fields that nbgrader's autograde sets are copied: the submission's timestamp,
each notebook's late-submission penalty, each grade's automatic score and whether it
needs a manual grade, and each answer's automatic comment ("No response."). What a
trainer entered in formgrader -- manual scores, extra credit, manual comments, flags --
is never touched, with one exception: a reflection the trainer graded whose text changed
since (the participant's submission was collected again) loses its manual score, so that
it needs a manual grade again (:mod:`eic.trainer.reflections`). The course's grading log
entry (:mod:`eic.trainer.records`) is written in the same transaction as the scores, so
the log never claims a submission whose scores were not saved.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from eic.trainer import records
from eic.trainer.parallel import Outcome


@dataclass(frozen=True)
class Merged:
    score: float
    max_score: float
    needs_manual_grade: bool
    regrade: tuple[str, ...] = ()  # reflections graded by hand whose text changed since


def merge_outcome(
    gradebook,
    outcome: Outcome,
    *,
    digest: str,
    timestamp: str | None,
    changed: Collection[str] = (),
) -> Merged:
    """Write one graded (or failed, or stopped) submission into the course gradebook.

    ``changed`` names the reflections (task grade ids) whose text differs from the one
    graded before: those graded by hand lose their manual score and need grading again.
    """
    regrade = []
    task, record = outcome.task, outcome.record
    gradebook.update_or_create_student(task.student)
    stamp = (record or {}).get("timestamp") or timestamp
    submission = gradebook.update_or_create_submission(
        task.assignment, task.student, **({"timestamp": stamp} if stamp else {})
    )
    if record is not None:
        for notebook in submission.notebooks:
            data = record["notebooks"].get(notebook.name)
            if data is None:
                continue
            notebook.late_submission_penalty = data["late_submission_penalty"]
            for grade in notebook.grades:
                if grade.name in data["grades"]:
                    grade.auto_score, grade.needs_manual_grade = data["grades"][grade.name]
                if grade.name in changed and grade.manual_score is not None:
                    grade.manual_score = None
                    grade.needs_manual_grade = True
                    regrade.append(grade.name)
            for comment in notebook.comments:
                if comment.name in data["comments"]:
                    comment.auto_comment = data["comments"][comment.name]
    records.log_grading(
        gradebook,
        task.assignment,
        task.student,
        digest=digest,
        status=outcome.status,
        detail=outcome.detail,
        seconds=outcome.seconds,
    )
    try:
        gradebook.db.commit()
    except Exception:
        gradebook.db.rollback()
        raise
    return Merged(
        submission.score, submission.max_score, submission.needs_manual_grade, tuple(regrade)
    )


def remove_partial_output(root: Path, outcome: Outcome) -> None:
    """A stopped submission leaves a half-written autograded folder: remove it, as nbgrader
    does for a submission it could not grade."""
    folder = root / "autograded" / outcome.task.student / outcome.task.assignment
    if outcome.status != "graded" and folder.exists():
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)
