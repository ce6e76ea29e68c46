"""The trainer's commands tell what to do next: a browser's second download is named with
the name to give it, the country report takes ids in any capitals and --course, and says
whose answers it lacks, and grading says where the reflections are graded."""

from __future__ import annotations

import contextlib
import types

import pytest
from conftest import copy_course

from eic import cli
from eic.answers import AnswerStore
from eic.course import syllabus
from eic.trainer import commands, reflections
from eic.trainer.collect import ParticipantFileCollector
from eic.trainer.course import Course
from eic.trainer.roster import import_participants, read_roster

M01 = syllabus()["modules"][0]
ROSTER = (
    "id,first_name,last_name,country,email\n"
    "ph-01,Maria,Santos,Philippines,maria@example.org\n"
    "ph-02,Jose,Reyes,Philippines,jose@example.org\n"
    "th-01,Niran,Chaiyo,Thailand,niran@example.org\n"
)


# -- collect: a browser's second download ------------------------------------------------


@pytest.fixture
def collector(tmp_path):
    released = tmp_path / "m01-eic-in-asia.ipynb"
    released.write_text("{}", encoding="utf-8")
    return ParticipantFileCollector(
        participants={"th-01": "Niran Chaiyo"},
        expected_files=["m01-eic-in-asia.ipynb", "m01-answers.json"],
        released_notebook=str(released),
        answers_file="m01-answers.json",
    )


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("th-01_m01-answers (1).json", "th-01_m01-answers.json"),
        ("m01-answers (2).json", "m01-answers.json"),
        ("th-01_m01-eic-in-asia (1).ipynb", "th-01_m01-eic-in-asia.ipynb"),
    ],
)
def test_a_second_download_is_named_with_the_name_to_give_it(collector, name, plain):
    reason = collector._not_a_module_file("th-01", name)
    assert f"rename it to {plain} " in reason
    assert "collect again" in reason


def test_another_file_is_still_named_as_not_the_modules(collector):
    reason = collector._not_a_module_file("th-01", "th-01_notes.txt")
    assert reason == "th-01's file, but not one of m01-eic-in-asia.ipynb or m01-answers.json"
    assert "rename" not in collector._not_a_module_file("th-01", "th-01_m01-notes (1).json")


# -- report: ids in any capitals, --course, and what the report lacks ---------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("fixes") / "course", release=False)
    people, problems = read_roster(ROSTER)
    assert not problems
    with Course(course).gradebook() as gb:
        import_participants(gb, people)
    store = AnswerStore.for_module("m01", course / "submitted" / "ph-01" / M01["folder"])
    store.record("q1_not_foundation", "Chosen by Maria", kind="single_choice", question="1?")
    damaged = course / "submitted" / "th-01" / M01["folder"] / "m01-answers.json"
    damaged.parent.mkdir(parents=True)
    damaged.write_text('{"module": "m01", "answers": {"q1_', encoding="utf-8")
    return course


def test_report_takes_an_id_in_other_capitals_and_the_course_folder(course, tmp_path, capsys):
    with contextlib.chdir(tmp_path):  # outside the course folder
        status = cli.main(["report", "--course", str(course), "PH-01"])
    out = capsys.readouterr()
    assert status == 0, out.err
    page = (course / "reports" / "philippines-ph-01.html").read_text(encoding="utf-8")
    assert "Chosen by Maria" in page


def test_report_of_an_unknown_id_lists_the_rosters_ids(course, capsys):
    assert cli.main(["report", "--course", str(course), "vn-09"]) == 1
    err = capsys.readouterr().err
    assert "not in the roster: vn-09" in err and "ph-01, ph-02, th-01" in err


def test_report_names_members_with_nothing_collected_and_unreadable_files(course, capsys):
    assert cli.main(["report", "--course", str(course), "--country", "Philippines"]) == 0
    out = capsys.readouterr().out
    assert "nothing collected yet in submitted/ from Jose Reyes (ph-02)" in out
    assert "Maria Santos (ph-01)" not in out
    assert cli.main(["report", "--course", str(course), "--country", "Thailand"]) == 0
    out = capsys.readouterr().out
    assert "note: m01: Niran Chaiyo: m01-answers.json could not be read" in out
    assert "nothing collected" not in out


# -- grade: where the reflections are graded next ---------------------------------------


def _course_with_waiting(monkeypatch, waiting):
    monkeypatch.setattr(
        reflections,
        "waiting_for_hand_grading",
        lambda gb, assignment=None: [w for w in waiting if w[0] == assignment],
    )
    return types.SimpleNamespace(gradebook=lambda: contextlib.nullcontext())


def test_grading_says_where_the_reflections_are_graded_next(monkeypatch):
    modules = [types.SimpleNamespace(id="m01", folder="m01-eic-in-asia")]
    course = _course_with_waiting(
        monkeypatch, [("m01-eic-in-asia", "ph-01"), ("m01-eic-in-asia", "th-01")]
    )
    step = commands._hand_grading_step(course, modules)
    assert "2 reflection(s) wait for a grade by hand (2 in m01)" in step
    assert "Formgrader > Manual Grading" in step
    assert "eic-course feedback m01 and eic-course export" in step


def test_grading_says_nothing_of_reflections_when_none_waits(monkeypatch):
    modules = [types.SimpleNamespace(id="m01", folder="m01-eic-in-asia")]
    assert commands._hand_grading_step(_course_with_waiting(monkeypatch, []), modules) == ""


# -- export: a module nobody of a country submitted ---------------------------------------


def test_a_module_nobody_of_a_country_submitted_has_no_mean_in_the_country_summary():
    import csv
    import io

    from eic.trainer.export import Row, countries_csv

    def row(pid, country, m01, m02=None, not_graded=()):
        scores = {"m01-x": m01, "m02-y": m02}
        return Row(pid, "A", "B", country, "", scores, {"m01-x": 4, "m02-y": 4}, not_graded)

    rows = [
        row("ph-01", "Philippines", 4.0),
        row("ph-02", "Philippines", None),
        row("vn-01", "Viet Nam", None, None, not_graded=("m02-y",)),
    ]
    text = countries_csv(["m01-x", "m02-y"], rows).decode("utf-8-sig")
    countries = {r["country"]: r for r in csv.DictReader(io.StringIO(text))}
    ph, vn = countries["Philippines"], countries["Viet Nam"]
    # submitted by one of two: the mean counts the other as 0
    assert (ph["m01-x_mean"], ph["m01-x_submitted"]) == ("2.00", "1")
    # submitted by nobody: blank, not "0.00"
    assert (ph["m02-y_mean"], ph["m02-y_submitted"]) == ("", "0")
    assert (vn["m01-x_mean"], vn["m01-x_submitted"]) == ("", "0")
    # submitted, grading failed: counted as submitted, so a mean (0 so far)
    assert (vn["m02-y_mean"], vn["m02-y_submitted"]) == ("0.00", "1")


# -- grade all: modules nobody submitted ---------------------------------------------------


def test_grade_all_checks_and_lists_only_the_modules_submitted(tmp_path, monkeypatch, capsys):
    from eic.trainer import grading, release

    course = copy_course(tmp_path / "course")
    modules = Course(course).modules()
    with Course(course).gradebook() as gb:
        for module in modules:  # every module released, as eic-course release all leaves it
            gb.add_assignment(module.folder)
    submission = course / "submitted" / "ph-01" / modules[0].folder
    submission.mkdir(parents=True)
    (submission / "m01-answers.json").write_text("{}", encoding="utf-8")
    checked = []
    monkeypatch.setattr(release, "release_differs", lambda c, m: checked.append(m.id) or [])
    monkeypatch.setattr(release, "points_problem", lambda c, m: "")
    nobody = {m.id: ["ph-01"] for m in modules[1:]}
    monkeypatch.setattr(
        grading,
        "grade",
        lambda *a, **k: (grading.Plan(not_submitted=nobody), grading.Summary()),
    )
    monkeypatch.setattr(reflections, "waiting_for_hand_grading", lambda gb, assignment=None: [])
    assert cli.main(["grade", "all", "--course", str(course)]) == 0
    out = capsys.readouterr().out
    # checking a module against source/ makes it again with nbgrader: only where it counts
    assert checked == ["m01"]
    assert "Not submitted by anyone yet: m02, m03, m04, m05, m06, m07, m08" in out
    assert "No submission for m02" not in out
