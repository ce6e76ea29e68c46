"""The class as tables, read from the gradebook: who, which modules, scores, questions.

Everything the class dashboard shows comes from here, as pandas tables that can be tested
without a browser. A participant's status in a module is one of:

- ``graded``: autograded (it may still wait for the trainer to grade the reflection);
- ``not gradable``: the autograder could not run it (it crashed, hung or was stopped);
- ``not graded yet``: collected into ``submitted/`` but not autograded;
- ``not submitted``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from eic.trainer import records
from eic.trainer.course import Course

STATUSES = ("graded", "not gradable", "not graded yet", "not submitted")


@dataclass(frozen=True)
class ClassData:
    participants: pd.DataFrame  # id, name, country
    modules: pd.DataFrame  # module, folder, title, max_score
    scores: pd.DataFrame  # id, module, status, score, max_score, percent
    questions: pd.DataFrame  # module, question, label, graded, right, share_right

    @property
    def empty(self) -> bool:
        return self.participants.empty or self.modules.empty


def question_label(grade_id: str) -> str:
    """'q3_match_type_test' -> 'Q3 match type'.

    >>> question_label("q12_lq_by_hand_test")
    'Q12 lq by hand'
    """
    name = grade_id.removesuffix("_test")
    match = re.fullmatch(r"q(\d+)_(.*)", name)
    if match:
        return f"Q{int(match[1])} " + match[2].replace("_", " ")
    return name.replace("_", " ")


def _autograded_questions(notebook) -> list[str]:
    """Names of a notebook's autograded test cells (code grade cells that are not answers)."""
    answers = {c.name for c in notebook.solution_cells}
    return [c.name for c in notebook.grade_cells if c.cell_type == "code" and c.name not in answers]


def load_class(course: Course) -> ClassData:
    """Read the class from the course gradebook (an absent gradebook is an empty class)."""
    columns = {
        "participants": ["id", "name", "country"],
        "modules": ["module", "folder", "title", "max_score"],
        "scores": ["id", "module", "status", "score", "max_score", "percent"],
        "questions": ["module", "question", "label", "graded", "right", "share_right"],
    }
    if not course.db_path.is_file():
        return ClassData(*(pd.DataFrame(columns=c) for c in columns.values()))
    titles = {m.folder: (m.id, m.title) for m in course.modules()}
    people, modules, scores, questions = [], [], [], []
    with course.gradebook() as gb:
        countries = records.countries(gb)
        log = records.grading_records(gb)
        students = sorted(gb.students, key=lambda s: s.id)
        for s in students:
            name = " ".join(filter(None, [s.first_name, s.last_name])) or s.id
            people.append((s.id, name, countries.get(s.id, "")))
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            mid, title = titles.get(assignment.name, (assignment.name, assignment.name))
            modules.append((mid, assignment.name, title, float(assignment.max_score)))
            submitted = course.submitted(assignment.name)
            graded = {sub.student_id: sub for sub in gb.assignment_submissions(assignment.name)}
            for s in students:
                entry = log.get((assignment.name, s.id))
                sub = graded.get(s.id)
                if entry is not None and entry.status != records.GRADED:
                    status = "not gradable"
                elif entry is not None or sub is not None:
                    status = "graded"
                elif s.id in submitted:
                    status = "not graded yet"
                else:
                    status = "not submitted"
                score = sub.score if sub is not None and status == "graded" else None
                maximum = float(assignment.max_score)
                percent = 100 * score / maximum if score is not None and maximum else None
                scores.append((s.id, mid, status, score, maximum, percent))
            for notebook in assignment.notebooks:
                names = _autograded_questions(notebook)
                right = dict.fromkeys(names, 0)
                count = 0
                for sub in graded.values():
                    log_entry = log.get((assignment.name, sub.student_id))
                    if log_entry is not None and log_entry.status != records.GRADED:
                        continue
                    count += 1
                    for nb in sub.notebooks:
                        if nb.name != notebook.name:
                            continue
                        for grade in nb.grades:
                            if grade.name in right and (grade.score or 0) >= grade.max_score > 0:
                                right[grade.name] += 1
                for name in names:
                    share = 100 * right[name] / count if count else None
                    questions.append((mid, name, question_label(name), count, right[name], share))
    return ClassData(
        pd.DataFrame(people, columns=columns["participants"]),
        pd.DataFrame(modules, columns=columns["modules"]),
        pd.DataFrame(scores, columns=columns["scores"]),
        pd.DataFrame(questions, columns=columns["questions"]),
    )


def progress_table(data: ClassData) -> pd.DataFrame:
    """One row per participant: country, each module's score (or status), total and percent."""
    table = data.participants.rename(columns={"name": "participant"}).set_index("id")
    for module in data.modules["module"]:
        rows = data.scores[data.scores["module"] == module].set_index("id")
        table[module] = [
            rows.at[pid, "score"] if rows.at[pid, "status"] == "graded" else rows.at[pid, "status"]
            for pid in table.index
        ]
    numeric = data.scores.pivot(index="id", columns="module", values="score").astype(float)
    table["total"] = numeric.sum(axis=1, min_count=0).reindex(table.index).fillna(0.0)
    maximum = data.modules["max_score"].sum()
    table["percent"] = 100 * table["total"] / maximum if maximum else 0.0
    return table.reset_index()


def completion_table(data: ClassData) -> pd.DataFrame:
    """Per module, how many participants are in each status."""
    counts = (
        data.scores.groupby(["module", "status"]).size().unstack(fill_value=0)
        if not data.scores.empty
        else pd.DataFrame()
    )
    counts = counts.reindex(index=data.modules["module"], columns=list(STATUSES), fill_value=0)
    counts.index.name = "module"
    return counts
