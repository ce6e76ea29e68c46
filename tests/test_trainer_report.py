"""``eic-course report``: a participant's report and a country's group report from the
submitted answers, written to reports/."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import copy_course

from eic.answers import AnswerStore
from eic.course import syllabus

M01 = syllabus()["modules"][0]
ROSTER = (
    "id,first_name,last_name,country,email\n"
    "ana,Ana,Reyes,Philippines,ana@example.org\n"
    "ben,Ben,Santos,Philippines,ben@example.org\n"
    "chi,Chi,Nguyen,Viet Nam,chi@example.org\n"
)


def eic_course(course, *args):
    return subprocess.run(
        [sys.executable, "-m", "eic.cli", *args],
        cwd=course, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("reports") / "course")
    (course / "roster.csv").write_text(ROSTER, encoding="utf-8")
    imported = eic_course(course, "roster", "import", "roster.csv")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    for pid, answer in [("ana", "Choice made by Ana"), ("ben", "Choice made by Ben")]:
        store = AnswerStore.for_module("m01", course / "submitted" / pid / M01["folder"])
        store.record("q1_not_foundation", answer, kind="single_choice", question="1. Which?")
    return course


def test_a_participants_report_is_written_from_their_submission(course):
    result = eic_course(course, "report", "ana")
    assert result.returncode == 0, result.stderr
    page = (course / "reports" / "philippines-ana.html").read_text(encoding="utf-8")
    assert "Philippines: eco-industrial clusters" in page and "Ana Reyes" in page
    assert "Choice made by Ana" in page and "Choice made by Ben" not in page
    markdown = course / "reports" / "philippines-ana.md"
    assert markdown.is_file()
    # the trainer rewrites the draft where it is, then makes the reports again
    markdown.write_text("# Philippines\n\nRewritten by the trainer.\n", encoding="utf-8")
    again = eic_course(course, "report", "ana")
    [kept] = (course / "reports").glob("philippines-ana-edited-*.md")
    assert kept.read_text(encoding="utf-8") == "# Philippines\n\nRewritten by the trainer.\n"
    assert f"your version is kept as {kept.name}" in again.stdout


def test_a_country_report_gathers_and_credits_every_participant_of_the_country(course):
    result = eic_course(course, "report", "--country", "philippines")
    assert result.returncode == 0, result.stderr
    page = (course / "reports" / "philippines-group.html").read_text(encoding="utf-8")
    assert "(Ana Reyes)" in page and "(Ben Santos)" in page and "Chi Nguyen" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "zed"], "not in the roster: zed"),
        (["report", "--country", "Chile"], "nobody in the roster is from 'Chile'"),
        (["report"], "name a participant id, or give --country"),
    ],
)
def test_report_problems_are_one_line_not_a_traceback(course, args, message):
    result = eic_course(course, *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_group_report_tells_apart_two_participants_who_share_a_name(tmp_path):
    course = copy_course(tmp_path / "course")
    (course / "roster.csv").write_text(
        "id,first_name,last_name,country,email\n"
        "vn-01,An,Nguyen,Viet Nam,\nvn-02,An,Nguyen,Viet Nam,\nvn-03,Binh,Tran,Viet Nam,\n",
        encoding="utf-8",
    )
    assert eic_course(course, "roster", "import", "roster.csv").returncode == 0
    for pid in ("vn-01", "vn-02", "vn-03"):
        store = AnswerStore.for_module("m01", course / "submitted" / pid / M01["folder"])
        store.record("q1_not_foundation", f"Chosen by {pid}", kind="single_choice",
                     question="1. Which?")  # fmt: skip
    result = eic_course(course, "report", "--country", "Viet Nam")
    assert result.returncode == 0, result.stderr
    page = (course / "reports" / "viet-nam-group.html").read_text(encoding="utf-8")
    assert "(An Nguyen [vn-01])" in page and "(An Nguyen [vn-02])" in page
    assert "(Binh Tran)" in page and "[vn-03]" not in page  # a name of their own
