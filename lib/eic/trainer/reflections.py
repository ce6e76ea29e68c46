"""Reflections, the answers a trainer grades by hand in formgrader: which still wait for a
grade, and which a participant changed after they were graded.

A reflection is a task cell of the module (``r1_reflection_task``): nbgrader gives it no
automatic score, and it needs a manual grade until the trainer enters one. The text the
trainer reads and grades is the output of the reflection's code cell (``r1_reflection``)
in the autograded notebook: the participant's recorded text, as autograde showed it. When
a submission collected again is graded again, :func:`reflection_texts` of the notebook
graded before and of the one graded now tell whether that text changed.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import nbformat

from eic.trainer import records

TASK_SUFFIX = "_task"


def waiting_for_hand_grading(gradebook, assignment: str | None = None) -> list[tuple[str, str]]:
    """``(module folder, participant id)`` of every autograded submission that still has an
    answer (a reflection) to grade by hand, sorted.

    A submission whose last autograde failed or was stopped is left out: it is not graded
    at all yet (an export names it as such).
    """
    log = records.grading_records(gradebook, assignment)
    names = [assignment] if assignment else sorted(a.name for a in gradebook.assignments)
    waiting = []
    for name in names:
        for submission in gradebook.assignment_submissions(name):
            last = log.get((name, submission.student_id))
            if last is not None and last.status != records.GRADED:
                continue
            if any(g.needs_manual_grade for nb in submission.notebooks for g in nb.grades):
                waiting.append((name, submission.student_id))
    return sorted(waiting)


def graded_by_hand(gradebook, assignments: Collection[str]) -> set[tuple[str, str]]:
    """``(module folder, participant id)`` of the submissions with a grade entered by hand."""
    found = set()
    for name in assignments:
        for submission in gradebook.assignment_submissions(name):
            if any(g.manual_score is not None for nb in submission.notebooks for g in nb.grades):
                found.add((name, submission.student_id))
    return found


def _shown_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        text = data.get("text/markdown") or data.get("text/plain") or output.get("text", "")
        parts.append("".join(text) if isinstance(text, list) else str(text))
    return "\n".join(parts)


def reflection_texts(notebook: Path) -> dict[str, str]:
    """Task (reflection) grade id -> the text its reflection cell shows in an autograded
    notebook; empty when the notebook is not there.

    A task ``r1_reflection_task`` is answered in the code cell ``r1_reflection``; a task
    named otherwise, in the first code cell after it.
    """
    if not notebook.is_file():
        return {}
    cells = nbformat.read(notebook, as_version=4).cells
    ids = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in cells]
    texts = {}
    for index, cell in enumerate(cells):
        if not cell.metadata.get("nbgrader", {}).get("task"):
            continue
        task = ids[index]
        answer = task.removesuffix(TASK_SUFFIX)
        if answer != task and answer in ids:
            texts[task] = _shown_text(cells[ids.index(answer)])
            continue
        after = [c for c in cells[index + 1 :] if c.cell_type == "code"]
        texts[task] = _shown_text(after[0]) if after else ""
    return texts


def changed_reflections(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The task grade ids whose text differs between two :func:`reflection_texts`; a task
    with no notebook graded before has nothing to compare with, and is not counted."""
    return {task for task, text in before.items() if now.get(task, "") != text}
