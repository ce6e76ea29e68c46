"""One machine serving the class: a course folder per participant, collected by id."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_course, released_modules

from eic.classroom import participant_folders, participant_label
from eic.course import question_ids
from eic.serve import class_folder

M01 = released_modules()[0]
ROSTER = (
    "id,first_name,last_name,country,email\n"
    "ph-01,Maria,Santos,Philippines,maria@example.gov.ph\n"
    "vn-01,An,Nguyen,Viet Nam,an@example.gov.vn\n"
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "eic.cli", *args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def clock_in_bangkok(monkeypatch):
    """This machine's clock set to Bangkok's time, 7 hours ahead of UTC (a POSIX zone, which
    needs no zone database), for this process and the commands it starts."""
    monkeypatch.setenv("TZ", "ICT-7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def answers(module: dict, qid: str, value: str) -> str:
    entry = {"value": value, "recorded_at": "2026-12-05T09:00:00", "kind": "single choice"}
    return json.dumps({"module": module["id"], "answers": {qid: entry}})


def test_each_participant_gets_the_course_and_keeps_their_own_work(tmp_path):
    release = tmp_path / "release"
    (release / "m01").mkdir(parents=True)
    (release / "index.ipynb").write_text("home v1")
    (release / "m01" / "m01.ipynb").write_text("module v1")
    (release / "m01" / "m01-answers.json").write_text("the trainer's own try")
    root = participant_folders(release, tmp_path / "participants", ["ph-01", "vn-01"])
    for pid in ("ph-01", "vn-01"):
        assert (root / pid / "index.ipynb").read_text() == "home v1"
        assert (root / pid / "m01" / "m01.ipynb").read_text() == "module v1"
        assert not (root / pid / "m01" / "m01-answers.json").exists()
    # the participant works; the trainer corrects a notebook and releases a module
    work = {
        "m01/m01-answers.json": "ph-01's answers",
        "m01/.m01-answers.json.lock": "",
        "m01/m01-own-employment.csv": "ph-01's table",
        "m01/country-report.html": "ph-01's report",
    }
    for name, text in work.items():
        (root / "ph-01" / name).write_text(text)
    (release / "m01" / "m01.ipynb").write_text("module v2")
    (release / "m02").mkdir()
    (release / "m02" / "m02.ipynb").write_text("module 2")
    participant_folders(release, root, ["ph-01", "vn-01"])
    assert (root / "ph-01" / "m01" / "m01.ipynb").read_text() == "module v2"
    assert (root / "vn-01" / "m02" / "m02.ipynb").read_text() == "module 2"
    for name, text in work.items():
        assert (root / "ph-01" / name).read_text() == text, name


@pytest.mark.parametrize("bad", ["../ph-01", "ph 01", "", ".hidden", "a/b"])
def test_an_id_that_cannot_name_a_folder_is_refused_before_anything_is_made(tmp_path, bad):
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "index.ipynb").write_text("home")
    with pytest.raises(ValueError, match="cannot name a folder") as err:
        participant_folders(tmp_path / "release", tmp_path / "participants", ["ph-01", bad])
    assert repr(bad) in str(err.value) and "roster" in str(err.value)
    assert not (tmp_path / "participants").exists()


@pytest.mark.slow
def test_serve_gives_the_rostered_class_own_folders_and_collect_takes_them(
    tmp_path, clock_in_bangkok
):
    course = copy_course(tmp_path / "course")
    release = course / "release"
    # no roster yet: release/ itself is served (and the command says answers are shared)
    assert class_folder(release, shared=False) == (release, [])
    (tmp_path / "roster.csv").write_text(ROSTER)
    cli("roster", "import", str(tmp_path / "roster.csv"), cwd=course)
    folder, ids = class_folder(release, shared=False)
    assert folder == course / "participants" and ids == ["ph-01", "vn-01"]
    assert class_folder(release, shared=True) == (release, [])
    home = folder / "ph-01" / "index.ipynb"
    assert home.read_bytes() == (release / "index.ipynb").read_bytes()
    # two participants answer the same question differently, each in their own folder
    module = M01["folder"]
    for pid, value in (("ph-01", "Eco-industrial park"), ("vn-01", "Eco-town")):
        (folder / pid / module / f"{M01['id']}-answers.json").write_text(
            answers(M01, "q3_match_type", value)
        )
    # while the class works, the trainer sees how far each has got
    shown = cli("progress", cwd=course).stdout.splitlines()
    questions = len(question_ids(release / module / f"{module}.ipynb"))
    assert shown[1].split()[:3] == ["id", M01["id"], released_modules()[1]["id"]]
    for line, pid in zip(shown[2:], ("ph-01", "vn-01"), strict=True):
        assert line.split()[:3] == [pid, f"1/{questions}", "-"]
        # recorded at 09:00 UTC: 16:00 on the trainer's clock in Bangkok, saying so
        assert line.endswith("2026-12-05 16:00 UTC+7")
    # and the class dashboard shows the same, as a table the trainer can save
    from eic.trainer.dashboard import answers_so_far_html

    shown = answers_so_far_html(folder)
    assert shown.count(f"<td style='text-align:left;padding:2px 8px'>1/{questions}</td>") == 2
    assert "2026-12-05 16:00 UTC+7" in shown and "Save table (CSV)" in shown
    assert "No class is served" in answers_so_far_html(tmp_path / "nowhere")
    cli("release", M01["id"], cwd=course)
    out = cli("collect", M01["id"], "--from", str(folder), cwd=course).stdout
    # the other modules' folders and the course home are not reported as stray files
    assert "not collected" not in out, out
    for pid, value in (("ph-01", "Eco-industrial park"), ("vn-01", "Eco-town")):
        submitted = course / "submitted" / pid / module
        assert (submitted / f"{module}.ipynb").is_file(), out
        recorded = json.loads((submitted / f"{M01['id']}-answers.json").read_text())
        assert recorded["answers"]["q3_match_type"]["value"] == value


def test_the_course_folder_of_the_repository_has_no_participants_folder_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "participants/ph-01/m01-answers.json"], cwd=ROOT
    )
    assert ignored.returncode == 0, "participants/ must be ignored by git"


def test_progress_without_participants_folders_says_how_they_are_made(tmp_path, capsys):
    from eic.cli import main

    assert main(["progress", "--folder", str(tmp_path / "participants")]) == 1
    said = capsys.readouterr().err
    assert "no folder" in said and "eic-course serve" in said


def test_progress_finds_the_class_from_any_folder_of_the_course(tmp_path, monkeypatch, capsys):
    from eic.cli import main

    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    module = M01["folder"]
    for pid in ("ph-01", "vn-01"):
        place = course / "participants" / pid / module
        place.mkdir(parents=True)
        (place / f"{module}.ipynb").write_bytes(
            (ROOT / "release" / module / f"{module}.ipynb").read_bytes()
        )
    (course / "participants" / "ph-01" / module / f"{M01['id']}-answers.json").write_text(
        answers(M01, "q3_match_type", "Eco-town")
    )
    # a folder Jupyter made beside the participants' is nobody's
    (course / "participants" / ".ipynb_checkpoints").mkdir()
    (course / "trainer").mkdir()
    questions = len(question_ids(ROOT / "release" / module / f"{module}.ipynb"))
    for where, argv in [(course / "trainer", []), (tmp_path, ["--course", str(course)])]:
        monkeypatch.chdir(where)
        assert main(["progress", *argv]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[1].split() == ["id", M01["id"], "last", "answer"], lines
        assert lines[2].split()[:2] == ["ph-01", f"1/{questions}"]
        assert lines[3].split()[:2] == ["vn-01", "-"] and len(lines) == 4


def test_a_participants_course_home_says_whose_course_it_is(tmp_path):
    from eic.course import module_map

    names = {"ph-01": "Maria Santos", "vn-01": ""}
    mine = participant_folders(ROOT / "release", tmp_path / "participants", list(names), names)
    home = module_map(link_from=mine / "ph-01")
    assert "The course of <b>Maria Santos (ph-01)</b>" in home and "Back to the list" in home
    assert "The course of <b>vn-01</b>" in module_map(link_from=mine / "vn-01")
    assert participant_label(mine / "ph-01" / M01["folder"]) == "Maria Santos (ph-01)"
    assert "eic-owner" not in module_map(link_from=ROOT / "release")


def test_the_last_answer_is_shown_on_the_trainers_clock_with_its_zone(clock_in_bangkok):
    from eic.classroom import progress_table

    # an answer recorded at 12:32 UTC is 19:32 in Bangkok (UTC+7)
    rows = [{"id": "th-01", "m01": (1, 8), "last": "2026-12-06T12:32:10+00:00"}]
    assert progress_table(rows).splitlines()[1].split() == [
        "th-01", "1/8", "2026-12-06", "19:32", "UTC+7"
    ]  # fmt: skip
