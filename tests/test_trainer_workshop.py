"""A class run as the README's workshop recipe runs it, in a temporary course: roster
import, a folder for each participant as ``eic-course serve`` makes them, answers given
there, ``collect --from participants`` and ``grade`` without ``eic-course release`` (the
course ships release/). Then the trainer grades two reflections by hand and leaves one:
feedback and export name the one left; a reflection rewritten after it was graded is to be
graded again; and an export run from a served folder writes to the course folder."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import copy_course
from conftest import run_cli as cli
from nbgrader.api import Gradebook

from eic.answers import AnswerStore

pytestmark = pytest.mark.slow
FOLDER = "m01-eic-in-asia"
TASK = "r1_reflection_task"
ROSTER = (
    "id,first_name,last_name,country,email\n"
    "ph-01,María José,Dela Cruz,Philippines,maria@example.org\n"
    "th-01,สมชาย,ใจดี,Thailand,somchai@example.org\n"
    "vn-01,Hương,Nguyễn Thị,Viet Nam,huong@example.org\n"
)
REFLECTION = "Our cluster lacks trust between firms; a first step is a by-product survey."


def eic_course(course: Path, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eic.cli", *argv],
        cwd=cwd or course,
        capture_output=True,
        text=True,
        timeout=900,
    )


def answer(course: Path, pid: str, qid: str, value: object) -> None:
    """An answer given on the participant's page, recorded in their own folder."""
    AnswerStore.for_module("m01", course / "participants" / pid / FOLDER).record(qid, value)


def grade_by_hand(course: Path, pid: str, score: float) -> None:
    """A reflection graded in formgrader: a manual score, and no longer flagged."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        grade = gb.find_grade(TASK, FOLDER, FOLDER, pid)
        grade.manual_score, grade.needs_manual_grade = score, False
        gb.db.commit()


def reflection_grades(course: Path) -> dict[str, tuple[float | None, bool]]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        return {
            pid: (g.manual_score, g.needs_manual_grade)
            for pid in ("ph-01", "th-01", "vn-01")
            for g in [gb.find_grade(TASK, FOLDER, FOLDER, pid)]
        }


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    from eic.serve import class_folder

    base = tmp_path_factory.mktemp("recipe")
    course = copy_course(base / "course")
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    w = SimpleNamespace(course=course, out={})
    w.out["import"] = cli("roster", "import", str(base / "roster.csv"), "--course", str(course))
    served, ids = class_folder(course / "release", shared=False)  # as serve starts
    assert served == course / "participants" and ids == ["ph-01", "th-01", "vn-01"]
    for pid in ids:
        answer(course, pid, "r1_reflection", f"{REFLECTION} ({pid})")
    w.out["collect"] = cli("collect", "m01", "--from", str(served), "--course", str(course))
    w.out["grade"] = eic_course(course, "grade", "m01", "--jobs", "2")
    grade_by_hand(course, "vn-01", 2.0)
    grade_by_hand(course, "th-01", 1.0)  # ph-01's reflection is not graded yet
    w.out["feedback"] = cli("feedback", "m01", "--course", str(course))
    w.out["export"] = eic_course(course, "export", cwd=course / "release")
    w.exported = {
        r["id"]: r
        for r in csv.DictReader((course / "grades.csv").open(encoding="utf-8-sig"))
    } if (course / "grades.csv").is_file() else {}  # fmt: skip
    # vn-01 rewrites the reflection; th-01 answers another question, the reflection as it was
    answer(course, "vn-01", "r1_reflection", "I changed my mind. Nothing to say.")
    answer(course, "th-01", "q4_eco_towns", 26.0)
    w.out["collect again"] = cli("collect", "m01", "--from", str(served), "--course", str(course))
    w.out["grade again"] = eic_course(course, "grade", "m01", "--jobs", "2")
    return w


def test_grading_after_serving_the_shipped_release_records_the_module_itself(workshop):
    graded = workshop.out["grade"]
    assert workshop.out["collect"][0] == 0, workshop.out["collect"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert f"{FOLDER}: recorded in the gradebook from release/{FOLDER}" in graded.stdout
    assert "3 graded, 0 failed" in graded.stdout


def test_grading_a_module_whose_release_is_out_of_date_says_to_release_it(tmp_path):
    course = copy_course(tmp_path / "course")
    cli("roster", "import", str(_roster(tmp_path)), "--course", str(course))
    released = course / "release" / FOLDER / f"{FOLDER}.ipynb"
    released.write_text(released.read_text().replace("Reflection", "Reflexion"))
    answer_dir = course / "submitted" / "ph-01" / FOLDER
    answer_dir.mkdir(parents=True)
    AnswerStore.for_module("m01", answer_dir).record("r1_reflection", REFLECTION)
    done = eic_course(course, "grade", "m01")
    assert done.returncode == 1
    assert f"release/{FOLDER} is not what source/ makes now" in done.stderr
    assert "run eic-course release m01" in done.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        assert [a.name for a in gb.assignments] == []  # not graded against a stale release


def _roster(folder: Path) -> Path:
    path = folder / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_feedback_names_the_pages_whose_reflection_is_not_graded_yet(workshop):
    status, said = workshop.out["feedback"]
    assert status == 0, said
    assert "1 page(s) show a reflection not graded yet" in said
    assert f"feedback/ph-01/{FOLDER}/{FOLDER}.html" in said
    assert "feedback/vn-01" not in said and "feedback/th-01" not in said


def test_export_names_the_submissions_whose_reflection_is_not_graded_yet(workshop):
    said = workshop.out["export"].stdout
    assert workshop.out["export"].returncode == 0, said + workshop.out["export"].stderr
    assert f"reflections not graded yet: {FOLDER} ph-01." in said
    rows = workshop.exported
    not_graded = {pid: rows[pid]["not_graded"] for pid in rows}
    assert not_graded == {"ph-01": FOLDER, "th-01": "", "vn-01": ""}
    assert (rows["vn-01"]["first_name"], rows["th-01"]["last_name"]) == ("Hương", "ใจดี")


def test_export_from_a_served_folder_writes_to_the_course_folder(workshop):
    course = workshop.course
    said = workshop.out["export"].stdout
    assert f"Wrote {course / 'grades.csv'}" in said
    assert (course / "grades-by-country.csv").is_file()
    assert not list((course / "release").glob("grades*.csv"))


def test_an_export_into_a_served_folder_is_refused(workshop):
    course = workshop.course
    target = course / "participants" / "vn-01" / "grades.csv"
    done = eic_course(course, "export", "--output", str(target))
    assert done.returncode == 1 and "which participants are served" in done.stderr
    assert not target.exists()


def test_a_reflection_rewritten_after_it_was_graded_is_to_be_graded_again(workshop):
    again = workshop.out["grade again"]
    assert again.returncode == 0, again.stdout + again.stderr
    lines = {pid: line for line in again.stdout.splitlines() for pid in ["vn-01", "th-01"]
             if f" {pid} " in line and "graded " in line}  # fmt: skip
    assert "reflection changed since it was graded: grade it again" in lines["vn-01"]
    assert "changed" not in lines["th-01"]  # graded again for another answer
    grades = reflection_grades(workshop.course)
    assert grades["vn-01"] == (None, True)  # the old score is gone, formgrader asks for one
    assert grades["th-01"] == (1.0, False)  # the same text keeps its grade
    assert grades["ph-01"] == (None, True)  # never graded, still waiting
