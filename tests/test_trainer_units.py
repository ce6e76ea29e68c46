"""The trainer's tools piece by piece, on small made-up inputs: the roster, the merge of
autograded scores, feedback without hidden tests, the export, and each command's --help."""

from __future__ import annotations

import csv
import datetime as _dt
import doctest
import importlib
import json
import pkgutil
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT, copy_course
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.api import Gradebook

import eic.trainer
from eic.cli import build_parser
from eic.trainer import records
from eic.trainer.classdata import load_class
from eic.trainer.course import Course
from eic.trainer.dashboard import overview_html
from eic.trainer.export import CourseGradesExport, summary_path
from eic.trainer.feedback import HideTestTracebacks, hidden_lines, leaked_lines
from eic.trainer.merge import merge_outcome
from eic.trainer.parallel import Outcome, Task
from eic.trainer.progress import bar
from eic.trainer.roster import RosterError, import_participants, read_roster

TRAINER_MODULES = [m.name for m in pkgutil.iter_modules(eic.trainer.__path__, "eic.trainer.")]

HEADER = "id,first_name,last_name,country,email\n"


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """An empty gradebook made once (nbgrader takes seconds to set up a new one)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    Gradebook(f"sqlite:///{path}", "eic").close()
    return path


@pytest.fixture
def gradebook(empty_gradebook, tmp_path):
    shutil.copy(empty_gradebook, tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "eic") as gb:
        yield gb


def test_roster_reports_each_bad_row_with_its_row_number_and_a_fix():
    text = (
        HEADER + "ph-01,Maria,Santos,Philippines,maria@example.org\n"
        "ph 02,Jose,Reyes,Philippines,jose@example.org\n"
        ",Ana,Cruz,Philippines,ana@example.org\n"
        "vn-01,An,Nguyen,,an@example\n"
        "ph-01,Maria,Santos,Philippines,maria2@example.org\n"
    )
    people, problems = read_roster(text)
    assert [p.id for p in people] == ["ph-01"]
    assert problems[0].startswith("row 3 (id 'ph 02'): id 'ph 02' may hold only letters")
    assert problems[1].startswith("row 4: id is empty")
    assert "row 5 (id 'vn-01'): country is empty" in problems[2]
    assert "row 5 (id 'vn-01'): email 'an@example' is not an e-mail address" in problems[3]
    assert problems[4].startswith("row 6 (id 'ph-01'): id 'ph-01' is already used in row 2")
    assert len(problems) == 5


def test_roster_reads_a_spreadsheet_export_with_other_header_names():
    text = "\ufeffParticipant ID;Given name;Surname;Economy;E-mail\n\n"
    text += "th-01;Somchai;Dee;Thailand;s@d.org\n"
    (person,), problems = read_roster(text)
    assert problems == []
    assert (person.id, person.name, person.country) == ("th-01", "Somchai Dee", "Thailand")


def test_a_roster_without_a_needed_column_is_refused_as_a_whole():
    with pytest.raises(RosterError, match="no column country"):
        read_roster("id,first_name,last_name,email\nph-01,Maria,Santos,m@example.org\n")


def test_importing_again_updates_participants_and_never_duplicates_them(gradebook):
    people, _ = read_roster(HEADER + "ph-01,Maria,Santos,Philippines,maria@example.org\n")
    first = import_participants(gradebook, people)
    again = import_participants(gradebook, people)
    moved, _ = read_roster(
        HEADER + "ph-01,Maria,Santos,Viet Nam,maria@example.gov\nvn-01,An,Nguyen,Viet Nam,a@b.org\n"
    )
    third = import_participants(gradebook, moved)
    assert (first.created, again.unchanged) == (["ph-01"], ["ph-01"])
    assert (third.updated, third.created) == (["ph-01"], ["vn-01"])
    assert sorted(s.id for s in gradebook.students) == ["ph-01", "vn-01"]
    assert gradebook.find_student("ph-01").email == "maria@example.gov"
    assert records.countries(gradebook) == {"ph-01": "Viet Nam", "vn-01": "Viet Nam"}


def small_assignment(gb) -> None:
    """One module, one notebook: two autograded tests (1 point each), a reflection (2)."""
    gb.add_assignment("m01-x")
    gb.add_notebook("m01-x", "m01-x")
    for name in ["q1_test", "q2_test"]:
        gb.add_grade_cell(name, "m01-x", "m01-x", max_score=1, cell_type="code")
    gb.add_solution_cell("r1", "m01-x", "m01-x")
    gb.add_grade_cell("r1", "m01-x", "m01-x", max_score=2, cell_type="code")
    gb.add_student("ph-01")


def test_merging_autograded_scores_leaves_the_trainers_grades_alone(gradebook):
    small_assignment(gradebook)
    gradebook.add_submission("m01-x", "ph-01")
    reflection = gradebook.find_grade("r1", "m01-x", "m01-x", "ph-01")
    reflection.manual_score, reflection.extra_credit = 1.5, 0.5
    gradebook.find_comment("r1", "m01-x", "m01-x", "ph-01").manual_comment = "Good evidence."
    gradebook.db.commit()
    record = {
        "timestamp": None,
        "notebooks": {
            "m01-x": {
                "late_submission_penalty": None,
                "grades": {"q1_test": [1.0, False], "q2_test": [0.0, False], "r1": [None, True]},
                "comments": {"r1": None},
            }
        },
    }
    outcome = Outcome(Task("m01-x", "ph-01", "m01-x.ipynb"), "graded", "", 3.2, record)
    merged = merge_outcome(gradebook, outcome, digest="abc", timestamp=None)
    assert merged.score == 1.0 + 1.5 + 0.5  # q1 right, q2 wrong, reflection as graded by hand
    assert merged.max_score == 4.0
    reflection = gradebook.find_grade("r1", "m01-x", "m01-x", "ph-01")
    assert (reflection.manual_score, reflection.extra_credit) == (1.5, 0.5)
    assert gradebook.find_comment("r1", "m01-x", "m01-x", "ph-01").manual_comment == (
        "Good evidence."
    )
    logged = records.grading_records(gradebook)[("m01-x", "ph-01")]
    assert (logged.status, logged.digest, logged.seconds) == ("graded", "abc", 3.2)


def test_export_writes_module_scores_totals_and_country_means(gradebook, tmp_path):
    small_assignment(gradebook)
    gradebook.add_student("ph-02", first_name="Jose", last_name="Reyes")
    gradebook.add_student("vn-01")
    for student in ["ph-01", "vn-01"]:
        records.set_country(gradebook, student, "Viet Nam" if student == "vn-01" else "")
    records.set_country(gradebook, "ph-02", "Philippines")
    records.set_country(gradebook, "ph-01", "Philippines")
    gradebook.db.commit()
    for student, (q1, q2, r1) in {"ph-01": (1, 1, 2), "vn-01": (1, 0, None)}.items():
        gradebook.add_submission("m01-x", student)
        for name, value in [("q1_test", q1), ("q2_test", q2)]:
            gradebook.find_grade(name, "m01-x", "m01-x", student).auto_score = value
        gradebook.find_grade("r1", "m01-x", "m01-x", student).manual_score = r1
    gradebook.db.commit()
    out = tmp_path / "grades.csv"
    CourseGradesExport(to=str(out)).export(gradebook)
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["ph-01"]["m01-x"], rows["ph-01"]["total"], rows["ph-01"]["max_total"]) == (
        "4",
        "4",
        "4",
    )
    assert (rows["vn-01"]["total"], rows["ph-02"]["m01-x"], rows["ph-02"]["total"]) == (
        "1",
        "",
        "0",
    )
    countries = {
        r["country"]: r for r in csv.DictReader(summary_path(out).open(encoding="utf-8-sig"))
    }
    # Philippines: ph-01 has 4 of 4 points and ph-02 submitted nothing: mean 2 points, 50 %
    assert countries["Philippines"]["mean_total"] == "2.00"
    assert countries["Philippines"]["mean_percent"] == "50.0"
    assert countries["Philippines"]["m01-x_submitted"] == "1"
    assert countries["Viet Nam"]["participants"] == "1"


def test_export_leaves_a_submission_whose_grading_failed_blank_and_names_it(gradebook, tmp_path):
    small_assignment(gradebook)
    gradebook.add_student("vn-01")
    for student, q1 in {"ph-01": 1, "vn-01": 1}.items():
        submission = gradebook.add_submission("m01-x", student)
        gradebook.find_grade("q1_test", "m01-x", "m01-x", student).auto_score = q1
        for grade in submission.notebooks[0].grades:  # as autograde leaves them, all graded
            grade.needs_manual_grade = False
    # vn-01 was graded once, then sent new files whose grading stopped at the time limit
    records.log_grading(gradebook, "m01-x", "ph-01", digest="a", status="graded")
    records.log_grading(gradebook, "m01-x", "vn-01", digest="b", status="stopped")
    gradebook.db.commit()
    out = tmp_path / "grades.csv"
    CourseGradesExport(to=str(out)).export(gradebook)
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["ph-01"]["m01-x"], rows["ph-01"]["not_graded"]) == ("1", "")
    # not the old files' score: no score until the new files are graded
    assert (rows["vn-01"]["m01-x"], rows["vn-01"]["total"]) == ("", "0")
    assert rows["vn-01"]["not_graded"] == "m01-x"
    countries = next(csv.DictReader(summary_path(out).open(encoding="utf-8-sig")))
    assert countries["m01-x_submitted"] == "2"


def graded_automatically(gb, student: str, scores: dict[str, float]) -> None:
    """A submission of ``small_assignment`` as autograde leaves it: the tests scored, the
    reflection ``r1`` waiting for a grade by hand."""
    submission = gb.add_submission("m01-x", student)
    for grade in submission.notebooks[0].grades:
        grade.auto_score = scores.get(grade.name)
        grade.needs_manual_grade = grade.name == "r1"
    records.log_grading(gb, "m01-x", student, digest=student, status="graded")
    gb.db.commit()


def test_export_names_a_submission_whose_reflection_is_not_graded_yet(gradebook, tmp_path):
    small_assignment(gradebook)
    gradebook.add_student("vn-01")
    for student in ["ph-01", "vn-01"]:
        graded_automatically(gradebook, student, {"q1_test": 1.0, "q2_test": 1.0})
    # the trainer grades ph-01's reflection in formgrader (which clears the flag)
    reflection = gradebook.find_grade("r1", "m01-x", "m01-x", "ph-01")
    reflection.manual_score, reflection.needs_manual_grade = 2.0, False
    gradebook.db.commit()
    out = tmp_path / "grades.csv"
    exporter = CourseGradesExport(to=str(out))
    exporter.export(gradebook)
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["ph-01"]["m01-x"], rows["ph-01"]["not_graded"]) == ("4", "")
    # vn-01: the two tests so far (1 + 1), and the reflection still to grade
    assert (rows["vn-01"]["m01-x"], rows["vn-01"]["not_graded"]) == ("2", "m01-x")
    assert [r.to_grade_by_hand for r in exporter.rows] == [(), ("m01-x",)]


def test_export_files_open_in_excel_with_names_in_any_script(gradebook, tmp_path):
    small_assignment(gradebook)
    gradebook.add_student("vn-01", first_name="Hương", last_name="Nguyễn Thị")
    gradebook.add_student("th-01", first_name="สมชาย", last_name="ใจดี")
    records.set_country(gradebook, "vn-01", "Viet Nam")
    gradebook.db.commit()
    out = tmp_path / "grades.csv"
    CourseGradesExport(to=str(out)).export(gradebook)
    for path in (out, summary_path(out)):
        # the byte order mark by which Excel knows a CSV file is UTF-8 ("CSV UTF-8")
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path.name
    text = out.read_bytes()[3:].decode("utf-8")
    assert "vn-01,Hương,Nguyễn Thị,Viet Nam" in text and "th-01,สมชาย,ใจดี" in text


def submitted_late(gb, student: str, scores: dict[str, float], penalty: float) -> None:
    """A graded submission of ``small_assignment`` from the Philippines, handed in late: the
    penalty is on its notebook, where nbgrader's LateSubmissionPlugin puts it."""
    submission = gb.add_submission("m01-x", student)
    for grade in submission.notebooks[0].grades:
        if grade.name == "r1":
            grade.manual_score = scores.get(grade.name)
        else:
            grade.auto_score = scores.get(grade.name)
        grade.needs_manual_grade = False
    submission.notebooks[0].late_submission_penalty = penalty
    records.set_country(gb, student, "Philippines")
    gb.db.commit()


def test_export_takes_the_late_penalty_off_the_score(gradebook, tmp_path):
    small_assignment(gradebook)
    # 1 + 1 + 2 = 4 points of 4, less a penalty of 1.5 points: 2.5
    submitted_late(gradebook, "ph-01", {"q1_test": 1, "q2_test": 1, "r1": 2}, penalty=1.5)
    out = tmp_path / "grades.csv"
    CourseGradesExport(to=str(out)).export(gradebook)
    (row,) = csv.DictReader(out.open(encoding="utf-8-sig"))
    assert (row["m01-x"], row["total"], row["max_total"]) == ("2.5", "2.5", "4")


def test_a_late_penalty_larger_than_the_score_leaves_0_not_less(gradebook, tmp_path):
    small_assignment(gradebook)
    gradebook.add_student("ph-02")
    # ph-01: 1 + 1 + 2 = 4, less 1: 3. ph-02: 1 + 0 = 1, less 3 would be -2: 0, not -2
    submitted_late(gradebook, "ph-01", {"q1_test": 1, "q2_test": 1, "r1": 2}, penalty=1.0)
    submitted_late(gradebook, "ph-02", {"q1_test": 1, "q2_test": 0}, penalty=3.0)
    out = tmp_path / "grades.csv"
    CourseGradesExport(to=str(out)).export(gradebook)
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["ph-01"]["m01-x"], rows["ph-01"]["total"]) == ("3", "3")
    # submitted, so 0 and not blank
    assert (rows["ph-02"]["m01-x"], rows["ph-02"]["total"]) == ("0", "0")
    (country,) = csv.DictReader(summary_path(out).open(encoding="utf-8-sig"))
    # (3 + 0) / 2 = 1.5 points of 4 on average: 37.5 %
    assert (country["mean_total"], country["mean_percent"]) == ("1.50", "37.5")
    assert (country["m01-x_mean"], country["m01-x_submitted"]) == ("1.50", "2")


def test_a_saved_dashboard_table_opens_in_excel_with_names_in_any_script():
    import base64
    import re

    import pandas as pd

    from eic.trainer.dashboard import saved_table_html

    table = pd.DataFrame({"id": ["vn-01"], "name": ["Hương Nguyễn Thị"]})
    page = saved_table_html(table, "Participants", "participants.csv")
    saved = base64.b64decode(re.search(r"href='data:text/csv;base64,([^']+)'", page).group(1))
    assert saved[:3] == b"\xef\xbb\xbf"
    assert saved[3:].decode("utf-8").splitlines() == ["id,name", "vn-01,Hương Nguyễn Thị"]


def test_a_reflection_changed_since_it_was_graded_is_to_be_graded_again(gradebook):
    small_assignment(gradebook)
    gradebook.add_student("vn-01")
    record = {
        "timestamp": None,
        "notebooks": {
            "m01-x": {
                "late_submission_penalty": None,
                # what autograde copies from the course gradebook: graded by hand, no flag
                "grades": {"q1_test": [1.0, False], "q2_test": [1.0, False], "r1": [None, False]},
                "comments": {"r1": None},
            }
        },
    }
    for student in ["ph-01", "vn-01"]:
        gradebook.add_submission("m01-x", student)
        gradebook.find_grade("r1", "m01-x", "m01-x", student).manual_score = 2.0
    gradebook.db.commit()
    # vn-01 rewrote the reflection; ph-01 sent it again unchanged
    changed = merge_outcome(
        gradebook,
        Outcome(Task("m01-x", "vn-01", "m01-x.ipynb"), "graded", "", 1.0, record),
        digest="new",
        timestamp=None,
        changed={"r1"},
    )
    kept = merge_outcome(
        gradebook,
        Outcome(Task("m01-x", "ph-01", "m01-x.ipynb"), "graded", "", 1.0, record),
        digest="same",
        timestamp=None,
        changed=set(),
    )
    assert (changed.score, changed.needs_manual_grade, changed.regrade) == (2.0, True, ("r1",))
    assert gradebook.find_grade("r1", "m01-x", "m01-x", "vn-01").manual_score is None
    assert (kept.score, kept.needs_manual_grade, kept.regrade) == (4.0, False, ())
    assert gradebook.find_grade("r1", "m01-x", "m01-x", "ph-01").manual_score == 2.0


def reflection_notebook(path, text: str) -> None:
    task = nbformat.v4.new_markdown_cell("### 8. Reflection (2 points)")
    task.metadata["nbgrader"] = {"grade_id": "r1_reflection_task", "task": True, "points": 2}
    answer = new_code_cell("r1 = ws.reflection('r1_reflection', 'Your reflection')")
    answer.metadata["nbgrader"] = {"grade_id": "r1_reflection", "solution": True}
    answer.outputs = [
        new_output("display_data", data={"text/markdown": f"Recorded reflection:\n\n> {text}"})
    ]
    nbformat.write(new_notebook(cells=[task, answer]), path)


def test_the_reflection_text_is_read_from_its_cell_in_the_graded_notebook(tmp_path):
    from eic.trainer.reflections import changed_reflections, reflection_texts

    reflection_notebook(tmp_path / "before.ipynb", "Our weakest foundation is trust.")
    reflection_notebook(tmp_path / "again.ipynb", "Our weakest foundation is trust.")
    reflection_notebook(tmp_path / "now.ipynb", "I changed my mind.")
    before = reflection_texts(tmp_path / "before.ipynb")
    assert before == {
        "r1_reflection_task": "Recorded reflection:\n\n> Our weakest foundation is trust."
    }
    assert changed_reflections(before, reflection_texts(tmp_path / "again.ipynb")) == set()
    now = reflection_texts(tmp_path / "now.ipynb")
    assert changed_reflections(before, now) == {"r1_reflection_task"}
    assert reflection_texts(tmp_path / "never-graded.ipynb") == {}


def test_export_to_a_missing_folder_or_onto_a_folder_says_what_to_give(tmp_path, capsys):
    from eic.cli import main

    course = copy_course(tmp_path / "course", release=False)
    for output, words in [
        (tmp_path / "results" / "grades.csv", "there is no folder"),
        (tmp_path, "is a folder: give a file name"),
    ]:
        assert main(["export", "--output", str(output), "--course", str(course)]) == 1
        said = capsys.readouterr().err
        assert said.startswith("eic-course export: ") and words in said, said
        assert "Traceback" not in said


HIDDEN_CELL = (
    'from eic import grading\n\ngrading.answered("m01", "q3")\n### BEGIN HIDDEN TESTS\n'
    'grading.assert_choice("m01", "q3", "Eco-industrial park")\n### END HIDDEN TESTS'
)


def test_a_failed_test_keeps_its_message_but_not_the_traceback_that_quotes_it():
    cell = new_code_cell(HIDDEN_CELL)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q3_test"}
    cell.outputs = [
        new_output(
            "error",
            ename="AssertionError",
            evalue="Question 3: the recorded answer is not the expected one.",
            traceback=[
                "\x1b[0;31mAssertionError\x1b[0m  Traceback (most recent call last)",
                '----> 5 grading.assert_choice("m01", "q3", "Eco-industrial park")',
            ],
        )
    ]
    nb, _ = HideTestTracebacks().preprocess(new_notebook(cells=[cell]), {})
    (output,) = nb.cells[0].outputs
    # a failed check says only its message, as a participant reads it
    assert output.traceback == ["Question 3: the recorded answer is not the expected one."]


def test_an_error_other_than_a_failed_check_keeps_its_kind_and_not_its_traceback():
    cell = new_code_cell(HIDDEN_CELL)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q3_test"}
    cell.outputs = [
        new_output("error", ename="NameError", evalue="name 'grading' is not defined",
                   traceback=["\x1b[0;31mNameError\x1b[0m  Traceback", "----> 5 grading"])
    ]  # fmt: skip
    nb, _ = HideTestTracebacks().preprocess(new_notebook(cells=[cell]), {})
    assert nb.cells[0].outputs[0].traceback == ["NameError: name 'grading' is not defined"]


def test_a_hidden_line_is_found_in_a_page_even_through_syntax_colouring(tmp_path):
    path = tmp_path / "m.ipynb"
    cell = new_code_cell(HIDDEN_CELL)
    nbformat.write(new_notebook(cells=[cell]), path)
    lines = hidden_lines(path)
    assert lines == ['grading.assert_choice("m01", "q3", "Eco-industrial park")']
    page = (
        '<span class="n">grading</span><span class="o">.</span><span class="n">assert_choice'
        '</span><span class="p">(</span><span class="s2">&quot;m01&quot;</span>, '
        '<span class="s2">&quot;q3&quot;</span>, <span>&quot;Eco-industrial park&quot;)</span>'
    )
    assert leaked_lines(page, lines) == lines
    assert leaked_lines("<p>grading.answered(&quot;m01&quot;, &quot;q3&quot;)</p>", lines) == []


def test_the_progress_bar_fills_in_proportion():
    assert bar(0, 4, 8) == "[········]"
    assert bar(1, 4, 8) == "[##······]"
    assert bar(4, 4, 8) == "[########]"


@pytest.mark.parametrize(
    "argv, words",
    [
        (["roster", "import"], ["first_name", "country", "without duplicates"]),
        (["release"], ["generate_assignment", "fails every test"]),
        (["collect"], ["zip_collect", "ph-01_m01-eic-in-asia.ipynb", "--from"]),
        (["grade"], ["--jobs", "--timeout", "Ctrl-C", "manual"]),
        (["feedback"], ["hidden test", "traceback"]),
        (["export"], ["per country", "--output"]),
    ],
)
def test_every_trainer_command_explains_itself(argv, words, capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args([*argv, "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for word in words:
        assert word in text


def test_the_dashboard_of_a_course_not_graded_yet_says_what_to_do(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    data = load_class(Course(tmp_path))
    assert data.empty
    assert "Import the roster" in overview_html(data)
    assert not (tmp_path / "gradebook.db").exists()  # looking creates no gradebook


@pytest.mark.parametrize("name", TRAINER_MODULES)
def test_docstring_examples_of_the_trainer_modules_hold(name):
    module = importlib.import_module(name)
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_the_dashboard_notebook_passes_ruff():
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "trainer"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


class FlakyStartApi:
    """nbgrader's API whose kernel dies before it starts, the first ``failures`` times."""

    START_FAILURE = {
        "success": False,
        "log": "[ERROR] Error occurred while starting new kernel client for kernel 1b2c: "
        "Kernel died before replying to kernel_info\n",
        "error": "NbGraderException: Please see the the above traceback",
    }

    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, 0

    def autograde(self, assignment, student, *, force, create):
        self.calls += 1
        if self.calls <= self.failures:
            return dict(self.START_FAILURE)
        return {"success": True, "log": "", "error": ""}


def test_a_kernel_that_dies_before_starting_is_started_again_not_blamed_on_the_notebook(
    empty_gradebook, tmp_path, monkeypatch
):
    from types import SimpleNamespace

    from eic.trainer import worker

    monkeypatch.setattr(worker.time, "sleep", lambda _s: None)
    course = SimpleNamespace(root=tmp_path, course_id="eic")
    db = f"sqlite:///{empty_gradebook}"
    task = ("m01-eic-in-asia", "ph-01", "m01-eic-in-asia.ipynb")
    # the machine failed to start the kernel once: graded on the second start
    api = FlakyStartApi(failures=1)
    outcome = worker.grade_one(course, api, db, task, cell_timeout=15)
    assert (outcome["status"], outcome["detail"], api.calls) == ("graded", "", 2)
    # it never starts: reported as the machine's failure, which the next run grades again
    api = FlakyStartApi(failures=worker.START_ATTEMPTS)
    outcome = worker.grade_one(course, api, db, task, cell_timeout=15)
    assert api.calls == worker.START_ATTEMPTS and outcome["status"] == "failed"
    assert outcome["detail"].startswith(worker.NOT_STARTED)
    assert "not a fault of the notebook" in outcome["detail"]
    # a kernel the notebook itself stops, once running, is still put down to the notebook
    died = {"success": False, "log": "[ERROR] Kernel died while waiting for execute reply."}
    assert "the notebook exits Python" in worker.describe_failure(died, 15)
    assert not worker.kernel_did_not_start(died)


def a_class_with_one_submission(tmp_path, *others: str):
    """A course whose m01 is in the gradebook (one test cell of 1 point), with ph-01 (and
    ``others``) in the roster and a submission from ph-01."""
    course = Course(copy_course(tmp_path / "course", release=False))
    module = course.resolve("m01")[0]
    with course.gradebook() as gb:
        gb.update_or_create_assignment(module.folder)
        gb.update_or_create_notebook(module.folder, module.folder)
        gb.update_or_create_grade_cell(
            "q1_test", module.folder, module.folder, max_score=1, cell_type="code"
        )
        gb.update_or_create_source_cell(
            "q1_test", module.folder, module.folder, cell_type="code", locked=True,
            source="grading.answered('m01', 'q1')", checksum="0",
        )  # fmt: skip
        for pid in ("ph-01", *others):
            gb.update_or_create_student(pid)
    folder = course.root / "submitted" / "ph-01" / module.folder
    folder.mkdir(parents=True)
    (folder / module.notebook).write_text("{}")
    return course, module


def record_grading(course, module, work, status: str, detail: str = "") -> None:
    """What a grading run leaves for each task of ``work``: its log entry, and for a graded
    submission its autograded notebook."""
    with course.gradebook() as gb:
        for task, digest in work.digests.items():
            records.log_grading(gb, task.assignment, task.student, digest=digest,
                                status=status, detail=detail, seconds=1.0)  # fmt: skip
            graded = course.root / "autograded" / task.student / task.assignment
            if status == records.GRADED:
                graded.mkdir(parents=True, exist_ok=True)
                (graded / module.notebook).write_text("{}")
        gb.db.commit()


def test_a_submission_not_graded_last_time_is_graded_again_by_the_next_run(tmp_path):
    from eic.trainer.grading import plan
    from eic.trainer.worker import NOT_STARTED

    course, module = a_class_with_one_submission(tmp_path)
    machine = NOT_STARTED + "; the next run grades it again"
    notebook = "its kernel stopped: the notebook exits Python"
    timeout = "a cell ran past the 15 s limit and could not be interrupted"
    for status, detail in [("failed", machine), ("failed", notebook), ("stopped", timeout)]:
        record_grading(course, module, plan(course, [module]), status, detail)
        work = plan(course, [module])  # the same files: the trainer may have fixed the cause
        assert [t.student for t in work.tasks] == ["ph-01"] and not work.already, detail
    record_grading(course, module, work, records.GRADED)
    work = plan(course, [module])
    assert not work.tasks and [r.student_id for r in work.already] == ["ph-01"]


def test_a_module_released_again_with_other_tests_or_points_is_graded_again(tmp_path):
    from eic.trainer.grading import plan

    course, module = a_class_with_one_submission(tmp_path)
    record_grading(course, module, plan(course, [module]), records.GRADED)
    assert not plan(course, [module]).tasks  # graded, nothing changed
    changes = [
        lambda gb: gb.update_or_create_grade_cell(  # the question is now worth 3 points
            "q1_test", module.folder, module.folder, max_score=3, cell_type="code"
        ),
        lambda gb: gb.update_or_create_source_cell(  # its (hidden) test changed
            "q1_test",
            module.folder,
            module.folder,
            cell_type="code",
            locked=True,
            source="grading.assert_choice('m01', 'q1', 'Eco-town')",
            checksum="1",
        ),  # fmt: skip
    ]
    for change in changes:
        with course.gradebook() as gb:
            change(gb)
        work = plan(course, [module])
        assert [t.student for t in work.tasks] == ["ph-01"]
        record_grading(course, module, work, records.GRADED)
        assert not plan(course, [module]).tasks
    # forced: graded again whatever changed
    assert [t.student for t in plan(course, [module], force=True).tasks] == ["ph-01"]


def test_a_submission_from_someone_not_in_the_roster_is_listed_not_graded(tmp_path):
    from eic.trainer.grading import plan

    course, module = a_class_with_one_submission(tmp_path, "vn-01")
    stranger = course.root / "submitted" / "zz-99" / module.folder
    shutil.copytree(course.root / "submitted" / "ph-01" / module.folder, stranger)
    work = plan(course, [module])
    assert [t.student for t in work.tasks] == ["ph-01"]
    assert work.not_in_roster == {"zz-99"} and work.not_submitted["m01"] == ["vn-01"]
    with course.gradebook() as gb:  # and the roster is as it was
        assert sorted(s.id for s in gb.students) == ["ph-01", "vn-01"]


def test_a_grading_line_shows_a_participants_long_name_whole():
    import io

    from eic.trainer.progress import Progress

    label = "María José Dela Cruz (Philippines)"  # 34 characters
    out = io.StringIO()
    Progress(1, {"ph-01": label}, out).finished("m01", "ph-01", "graded 5/9", 12.0)
    assert f"ph-01      {label} graded 5/9" in out.getvalue()


def test_a_participant_without_an_e_mail_is_imported_with_none_and_counted(gradebook):
    text = (
        HEADER + "jp-01,Yuki,Sato,Japan,\n"  # no e-mail: allowed
        "ph-01,Maria,Santos,Philippines,maria@example.org\n"
        "vn-01,An,Nguyen,Viet Nam,an@example\n"  # an e-mail written wrongly: refused
    )
    people, problems = read_roster(text)
    assert [p.id for p in people] == ["jp-01", "ph-01"]
    assert len(problems) == 1 and "email 'an@example' is not an e-mail address" in problems[0]
    first = import_participants(gradebook, people)
    assert (first.created, first.no_email) == (["jp-01", "ph-01"], ["jp-01"])
    assert gradebook.find_student("jp-01").email is None  # none, as nbgrader keeps it
    again = import_participants(gradebook, people)
    assert again.unchanged == ["jp-01", "ph-01"]


def test_roster_import_says_how_many_have_no_e_mail_and_the_export_leaves_it_blank(
    tmp_path, capsys
):
    from eic.cli import main

    course = copy_course(tmp_path / "course", release=False)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        HEADER + "jp-01,Yuki,Sato,Japan,\njp-02,Ken,Mori,Japan, \n"
        "ph-01,Maria,Santos,Philippines,maria@example.org\n",
        encoding="utf-8",
    )
    assert main(["roster", "import", str(roster), "--course", str(course)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("3 participant(s) added, 0 updated, 0 unchanged.\n")
    assert "2 participant(s) have no e-mail address (allowed" in said
    assert said.count("\n") == 2  # the count and this one line, no refusal
    assert main(["export", "--course", str(course)]) == 0
    rows = {r["id"]: r for r in csv.DictReader((course / "grades.csv").open(encoding="utf-8-sig"))}
    assert [rows[pid]["email"] for pid in ("jp-01", "jp-02", "ph-01")] == [
        "",
        "",
        "maria@example.org",
    ]


# -- a served class's progress: entries that say nothing; a participant added late ----------

M01_FOLDER = "m01-eic-in-asia"


def served_participant(participants, pid: str, entries: dict[str, dict]) -> None:
    """A participant's course folder with Module 1 and the entries of its answer file."""
    place = participants / pid / M01_FOLDER
    place.mkdir(parents=True)
    shutil.copy(ROOT / "release" / M01_FOLDER / f"{M01_FOLDER}.ipynb", place)
    (place / "m01-answers.json").write_text(
        json.dumps({"module": "m01", "format": 1, "answers": entries}), encoding="utf-8"
    )


def given(value: object, at: str) -> dict:
    return {"value": value, "recorded_at": at}


def left_blank(value: object, at: str) -> dict:
    """An entry Check recorded on a question not answered, marked not complete as it was."""
    return {"value": value, "recorded_at": at, "incomplete": "not answered yet"}


def test_the_last_answer_of_a_served_class_is_never_an_entry_that_says_nothing(tmp_path):
    from eic.classroom import class_progress, progress_cells

    participants = tmp_path / "participants"
    served_participant(participants, "vn-02", {
        "q3_match_type": given("Eco-town", "2026-12-05T09:00:00+00:00"),
        "q5_timeline": left_blank(["", "", "", ""], "2026-12-05T10:00:00+00:00"),
        "r1_reflection": left_blank("", "2026-12-05T10:05:00+00:00"),
    })  # fmt: skip
    served_participant(participants, "vn-03", {
        "q5_timeline": left_blank(["", "", "", ""], "2026-12-05T10:00:00+00:00"),
        "r1_reflection": left_blank("  ", "2026-12-05T10:01:00+00:00"),
    })  # fmt: skip
    rows = {row["id"]: row for row in class_progress(participants)}
    assert rows["vn-02"]["last"] == "2026-12-05T09:00:00+00:00"
    assert rows["vn-03"]["last"] == ""
    cells = {c["id"]: c for c in progress_cells(list(rows.values()), _dt.UTC)}
    assert cells["vn-02"]["m01"].startswith("1/")
    assert cells["vn-02"]["last answer"] == "2026-12-05 09:00 UTC"
    assert (cells["vn-03"]["m01"], cells["vn-03"]["last answer"]) == ("-", "none yet")


def test_a_participant_added_to_the_roster_after_serve_started_is_listed_without_a_folder(
    empty_gradebook, tmp_path, capsys
):
    from eic.cli import main
    from eic.trainer.dashboard import answers_so_far_html

    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    shutil.copy(empty_gradebook, course / "gradebook.db")
    people, _ = read_roster(
        HEADER + "ph-01,Maria,Santos,Philippines,maria@example.org\n"
        "vn-09,Lan,Pham,Viet Nam,lan@example.org\n"  # imported while serve ran
    )
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        import_participants(gb, people)
    served_participant(course / "participants", "ph-01", {
        "q3_match_type": given("Eco-town", "2026-12-05T09:00:00+00:00"),
    })  # fmt: skip
    assert main(["progress", "--course", str(course)]) == 0
    lines = capsys.readouterr().out.splitlines()
    (late,) = [line for line in lines if line.startswith("vn-09")]
    assert "no course folder yet" in late and "restart eic-course serve" in late
    assert [line.split()[0] for line in lines[2:]] == ["ph-01", "vn-09"]
    page = answers_so_far_html(course / "participants")
    assert "vn-09" in page
    assert "no course folder yet: restart eic-course serve to make one for them" in page
