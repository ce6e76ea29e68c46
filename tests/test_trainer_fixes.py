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


