"""Collecting and the roster in the cases a real class brings: two participants with the
same name, an answer file sent again on its own, a download cut short, a damaged answer
file, a served class where some never opened the module, and ids written in capitals.

Each test works on its own copy of a small course with Module 1 released once."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import copy_course, run_cli
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook

from eic.classroom import participant_folders

pytestmark = pytest.mark.slow
FOLDER, MID = "m01-eic-in-asia", "m01"
NOTEBOOK, ANSWERS = f"{FOLDER}.ipynb", f"{MID}-answers.json"
HEADER = "id,first_name,last_name,country,email"
ONE_ANSWER = json.dumps(
    {
        "module": MID,
        "format": 1,
        "answers": {"q1": {"value": "a recorded answer", "recorded_at": "2024-05-02T09:00:00"}},
    }
)


cli = functools.partial(run_cli, with_errors=True)  # what the trainer sees, both outputs


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    course = copy_course(tmp_path_factory.mktemp("released") / "course", release=False)
    status, text = cli("release", MID, "--course", str(course))
    assert status == 0, text
    return course


@pytest.fixture
def course(released, tmp_path) -> Path:
    return Path(shutil.copytree(released, tmp_path / "course"))


MARIA = "ph-01,Maria,Santos,Philippines,maria@example.org"
JOSE = "ph-02,Jose,Reyes,Philippines,jose@example.org"


def import_roster(course: Path, *rows: str) -> tuple[int, str]:
    path = course.parent / "roster.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return cli("roster", "import", str(path), "--course", str(course))


def released_notebook(course: Path) -> bytes:
    return (course / "release" / FOLDER / NOTEBOOK).read_bytes()


def edited_notebook(course: Path) -> str:
    """The released notebook with a cell of the participant's own added ("Go further")."""
    nb = nbformat.reads(released_notebook(course).decode(), 4)
    nb.cells.append(new_code_cell("capacity = 2 * 1200  # my own figure"))
    return nbformat.writes(nb)


def collect(course: Path, downloads: Path) -> tuple[int, str]:
    return cli("collect", MID, "--from", str(downloads), "--course", str(course))


def submitted(course: Path, pid: str) -> dict[str, bytes]:
    folder = course / "submitted" / pid / FOLDER
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def student_ids(course: Path) -> list[str]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        return sorted(s.id for s in gb.students)


# -- 1. two participants with the same name -------------------------------------------------


def test_a_download_named_by_a_name_two_participants_share_is_not_collected(course, tmp_path):
    import_roster(
        course,
        "vn-01,An,Nguyen,Viet Nam,an1@example.org",
        "vn-02,An,Nguyen,Viet Nam,an2@example.org",
        MARIA,
    )
    downloads = tmp_path / "downloads"
    for platform_folder in ["An Nguyen_4411_assignsubmission_file_", "Maria Santos_4412_x_"]:
        (downloads / platform_folder).mkdir(parents=True)
        (downloads / platform_folder / ANSWERS).write_text(ONE_ANSWER)
        (downloads / platform_folder / NOTEBOOK).write_text(edited_notebook(course))
    status, text = collect(course, downloads)
    assert status == 1
    assert submitted(course, "vn-01") == submitted(course, "vn-02") == {}
    assert set(submitted(course, "ph-01")) == {NOTEBOOK, ANSWERS}  # a name no one shares
    refused = [line for line in text.splitlines() if "An Nguyen_4411" in line]
    assert len(refused) == 2  # the notebook and the answer file
    for line in refused:
        assert "vn-01" in line and "vn-02" in line and "rename" in line
    # renamed to start with the id, as the message says, the files are collected
    (downloads / "An Nguyen_4411_assignsubmission_file_").rename(downloads / "vn-01_4411")
    status, text = collect(course, downloads)
    assert set(submitted(course, "vn-01")) == {NOTEBOOK, ANSWERS}
    assert submitted(course, "vn-02") == {}


def test_roster_import_warns_when_two_participants_share_a_full_name(course):
    status, text = import_roster(
        course,
        "vn-01,An,Nguyen,Viet Nam,an1@example.org",
        "vn-02,An ,NGUYEN,Viet Nam,an2@example.org",
        MARIA,
    )
    assert status == 0  # a warning, not a refusal: both are imported
    assert student_ids(course) == ["ph-01", "vn-01", "vn-02"]
    warning = [line for line in text.splitlines() if "vn-01" in line and "vn-02" in line]
    assert warning and "An Nguyen" in warning[0]
    assert "ph-01" not in " ".join(warning)


# -- 2. an answer file sent again on its own -------------------------------------------------


def test_an_answer_file_collected_alone_gets_the_released_notebook_and_is_graded(course, tmp_path):
    import_roster(course, MARIA)
    first = tmp_path / "first"
    first.mkdir()
    (first / f"ph-01_{NOTEBOOK}").write_text(edited_notebook(course))
    collect(course, first)
    again = tmp_path / "again"
    again.mkdir()
    (again / f"ph-01_{ANSWERS}").write_text(ONE_ANSWER)
    status, text = collect(course, again)
    assert status == 0
    files = submitted(course, "ph-01")
    assert files == {NOTEBOOK: released_notebook(course), ANSWERS: ONE_ANSWER.encode()}
    assert "release/" in text and "ph-01" in text
    graded = subprocess.run(
        [sys.executable, "-m", "eic.cli", "grade", MID, "--jobs", "1", "--course", str(course)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "1 graded, 0 failed" in graded.stdout
    assert "Traceback" not in graded.stdout + graded.stderr


# -- 3. a download cut short; a zip named in capitals ---------------------------------------


def write_zip(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{FOLDER}/{name}", text)


def test_a_damaged_zip_is_reported_and_the_other_downloads_are_collected(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / f"ph-01_{ANSWERS}").write_text(ONE_ANSWER)
    whole = tmp_path / "whole.zip"
    write_zip(whole, {NOTEBOOK: edited_notebook(course), ANSWERS: ONE_ANSWER})
    (downloads / "ph-02_m01.zip").write_bytes(whole.read_bytes()[:3000])  # cut short
    status, text = collect(course, downloads)
    assert status == 1
    assert set(submitted(course, "ph-01")) == {NOTEBOOK, ANSWERS}
    assert submitted(course, "ph-02") == {}
    (line,) = [line for line in text.splitlines() if "ph-02_m01.zip" in line]
    assert "download it again" in line
    assert "Traceback" not in text
    assert (downloads / "ph-02_m01.zip").stat().st_size == 3000  # the download is only read


def test_a_zip_whose_name_ends_in_capitals_is_opened_like_any_zip(course, tmp_path):
    import_roster(course, JOSE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    write_zip(downloads / "ph-02_m01.ZIP", {NOTEBOOK: edited_notebook(course), ANSWERS: ONE_ANSWER})
    status, text = collect(course, downloads)
    assert (status, "not collected" in text) == (0, False), text
    assert submitted(course, "ph-02")[ANSWERS] == ONE_ANSWER.encode()


def test_an_id_written_in_other_capitals_is_matched(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    (downloads / "PH-01").mkdir(parents=True)  # a folder named by the id, in capitals
    (downloads / "PH-01" / ANSWERS).write_text(ONE_ANSWER)
    write_zip(downloads / "Ph-02_m01.zip", {NOTEBOOK: edited_notebook(course), ANSWERS: ONE_ANSWER})
    status, text = collect(course, downloads)
    assert "not collected" not in text, text
    assert submitted(course, "ph-01")[ANSWERS] == ONE_ANSWER.encode()
    assert submitted(course, "ph-02")[ANSWERS] == ONE_ANSWER.encode()


def test_a_download_named_in_decomposed_unicode_is_matched(course, tmp_path):
    import unicodedata

    import_roster(course, "vn-01,Hương,Nguyễn Thị,Viet Nam,huong@example.org", MARIA)
    # as macOS zip tools name it: each accent a character of its own after its letter
    platform_folder = unicodedata.normalize("NFD", "Hương Nguyễn Thị_124_assignsubmission_file_")
    assert platform_folder != "Hương Nguyễn Thị_124_assignsubmission_file_"
    downloads = tmp_path / "downloads"
    (downloads / platform_folder).mkdir(parents=True)
    (downloads / platform_folder / ANSWERS).write_text(ONE_ANSWER)
    status, text = collect(course, downloads)
    assert "not collected" not in text, text
    assert submitted(course, "vn-01")[ANSWERS] == ONE_ANSWER.encode()


# -- 4. and 5. a damaged answer file ---------------------------------------------------------

DAMAGED = {
    "cut short": ONE_ANSWER[: len(ONE_ANSWER) // 2],
    "no answers table": json.dumps({"module": MID, "format": 1}),
}


@pytest.mark.parametrize("damage", DAMAGED)
def test_collect_names_a_participant_whose_answer_file_cannot_be_read(course, tmp_path, damage):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for pid in ("ph-01", "ph-02"):
        (downloads / f"{pid}_{NOTEBOOK}").write_text(edited_notebook(course))
    (downloads / f"ph-01_{ANSWERS}").write_text(ONE_ANSWER)
    (downloads / f"ph-02_{ANSWERS}").write_text(DAMAGED[damage])
    status, text = collect(course, downloads)
    assert status == 1
    assert submitted(course, "ph-02")[ANSWERS] == DAMAGED[damage].encode()  # kept as sent
    lines = [line for line in text.splitlines() if ANSWERS in line and "ph-02" in line]
    assert lines, text
    assert "ph-01" not in " ".join(lines)
    assert "again" in text and ".unreadable-" in text


def test_answers_only_reads_a_damaged_answer_file_and_tells_the_trainer_what_to_do(course):
    folder = course / "submitted" / "ph-02" / FOLDER
    folder.mkdir(parents=True)
    (folder / ANSWERS).write_text(DAMAGED["cut short"])
    before = sorted(os.listdir(folder))
    status, text = cli("answers", str(folder))
    assert status == 1
    assert sorted(os.listdir(folder)) == before  # nothing written beside it
    assert "not valid JSON" in text
    assert "ask" in text.lower() and "collect" in text
    assert "Your answer file" not in text  # the participants' message is not the trainer's


def test_collect_and_answers_give_the_same_advice_on_one_damaged_file(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / f"ph-02_{NOTEBOOK}").write_text(edited_notebook(course))
    (downloads / f"ph-02_{ANSWERS}").write_text(DAMAGED["cut short"])
    _, collected = collect(course, downloads)
    _, read = cli("answers", str(course / "submitted" / "ph-02" / FOLDER))

    def advice(text: str) -> str:
        (line,) = [x for x in text.splitlines() if "cannot be read completely" in x]
        return line[line.index(ANSWERS) :].removesuffix(" Nothing was changed here.")

    # the sentence a trainer acts on, whichever command showed it (only the name differs)
    assert advice(collected) == advice(read).replace("the participant", "ph-02")


# -- 6. a served class ---------------------------------------------------------------------


def test_a_served_participant_who_never_opened_the_module_has_not_submitted(course):
    import_roster(course, MARIA, JOSE)
    served = participant_folders(course / "release", course / "participants", ["ph-01", "ph-02"])
    (served / "ph-01" / FOLDER / ANSWERS).write_text(ONE_ANSWER)  # ph-02 never opened m01
    status, text = collect(course, served)
    assert status == 0, text
    assert submitted(course, "ph-01") == {
        NOTEBOOK: released_notebook(course),
        ANSWERS: ONE_ANSWER.encode(),
    }
    (ph_01,) = [line for line in text.splitlines() if line.strip().startswith("ph-01")]
    assert NOTEBOOK in ph_01  # the notebook was among ph-01's files, unchanged as it may be
    assert not (course / "submitted" / "ph-02").exists()
    (no_submission,) = [line for line in text.splitlines() if line.startswith("No submission")]
    assert "ph-02" in no_submission and "ph-01" not in no_submission


# -- 7. ids written in capitals; a folder for a file -----------------------------------------


def test_ids_differing_only_in_capitals_in_one_file_are_refused_as_a_duplicate(course):
    status, text = import_roster(
        course,
        "PH-02,Jose,Reyes,Philippines,jose@example.org",
        JOSE,
    )
    assert status == 1
    assert student_ids(course) == ["PH-02"]
    assert "row 3 (id 'ph-02')" in text and "row 2" in text


def test_an_id_imported_again_in_other_capitals_is_refused_and_keeps_its_spelling(course):
    import_roster(course, JOSE)
    (course / "submitted" / "ph-02" / FOLDER).mkdir(parents=True)
    status, text = import_roster(course, "PH-02,Jose,Reyes,Philippines,jose.reyes@example.org")
    assert status == 1
    assert student_ids(course) == ["ph-02"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        assert gb.find_student("ph-02").email == "jose@example.org"  # nothing changed
    assert "'PH-02'" in text and "'ph-02'" in text
    assert "not in this file" not in text


def test_ids_imported_in_two_spellings_before_are_named_in_a_warning(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        for pid in ("PH-02", "ph-02"):  # as an import before such ids were refused left them
            gb.add_student(pid, first_name="Jose", last_name="Reyes")
    status, text = import_roster(course, JOSE)
    assert status == 0
    assert student_ids(course) == ["PH-02", "ph-02"]
    warning = [line for line in text.splitlines() if "PH-02" in line and "ph-02" in line]
    assert warning and "capitals" in warning[0]


def test_roster_import_given_a_folder_says_to_give_the_csv_file(course):
    status, text = cli("roster", "import", str(course / "course"), "--course", str(course))
    assert status == 1
    assert "folder" in text and "CSV" in text
    assert "Traceback" not in text and "IsADirectoryError" not in text


def test_collecting_again_says_whose_submission_it_replaced_and_whether_it_changed(
    course, tmp_path
):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    for pid in ("ph-01", "ph-02"):
        (downloads / pid).mkdir(parents=True)
        (downloads / pid / ANSWERS).write_text(ONE_ANSWER)
    status, text = collect(course, downloads)
    assert status == 0 and "replaces" not in text  # first submissions
    changed = json.loads(ONE_ANSWER)
    for entry in changed["answers"].values():
        entry["recorded_at"] = "2031-01-01T00:00:00+00:00"  # answered again later
    (downloads / "ph-02" / ANSWERS).write_text(json.dumps(changed))
    status, text = collect(course, downloads)
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ph-")}
    assert "replaces the earlier submission, the same files" in lines["ph-01"]
    assert "replaces the earlier submission, changed" in lines["ph-02"]


def test_a_damaged_file_sent_again_never_replaces_a_submission_that_can_be_read(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    for pid in ("ph-01", "ph-02"):
        (downloads / pid).mkdir(parents=True)
        (downloads / pid / ANSWERS).write_text(ONE_ANSWER)
    assert collect(course, downloads)[0] == 0
    good = submitted(course, "ph-02")
    # ph-02's file sent again, cut short in the download
    again = tmp_path / "again"
    again.mkdir()
    (again / f"ph-02_{ANSWERS}").write_text(ONE_ANSWER[:40])
    status, text = collect(course, again)
    assert status == 1
    assert submitted(course, "ph-02") == good  # the earlier submission, unchanged
    (said,) = [line for line in text.splitlines() if "cannot be read completely" in line]
    assert said.startswith(f"ph-02's new {ANSWERS} cannot be read completely: ")
    assert "earlier submission, whose answers can be read, is kept in submitted/ unchanged" in said
    assert "replaces" not in text
    # a first submission that cannot be read is still collected, and said as before; so is
    # one replacing a submission that had no answer file (what it still gives is graded)
    (again / f"ph-02_{ANSWERS}").unlink()
    (again / f"ph-01_{ANSWERS}").write_text(ONE_ANSWER[:40])
    (course / "submitted" / "ph-01" / FOLDER / ANSWERS).unlink()
    status, text = collect(course, again)
    assert status == 1 and submitted(course, "ph-01")[ANSWERS] == ONE_ANSWER[:40].encode()
    assert f"ph-01's {ANSWERS} cannot be read completely" in text
    assert "is kept in submitted/ unchanged" not in text
    shutil.rmtree(course / "submitted" / "ph-01")
    status, text = collect(course, again)
    assert status == 1 and submitted(course, "ph-01")[ANSWERS] == ONE_ANSWER[:40].encode()
    assert f"ph-01's {ANSWERS} cannot be read completely" in text


# -- 8. Check pressed on questions not answered, and nothing else ---------------------------

CHECK_ONLY = json.dumps(
    {
        "module": MID,
        "format": 1,
        "answers": {
            "q5_timeline": {
                "value": ["", "", "", ""],
                "recorded_at": "2024-05-02T09:00:00",
                "incomplete": "choose an item for the 1st place",
            },
            "r1_reflection": {"value": "", "recorded_at": "2024-05-02T09:01:00"},
        },
    }
)


def test_a_served_participant_who_only_pressed_check_has_not_submitted(course):
    import_roster(course, MARIA, JOSE)
    served = participant_folders(course / "release", course / "participants", ["ph-01", "ph-02"])
    (served / "ph-01" / FOLDER / ANSWERS).write_text(ONE_ANSWER)
    (served / "ph-02" / FOLDER / ANSWERS).write_text(CHECK_ONLY)  # the notebook unchanged
    status, text = collect(course, served)
    assert status == 0, text
    assert set(submitted(course, "ph-01")) == {NOTEBOOK, ANSWERS}
    assert submitted(course, "ph-02") == {}
    (no_submission,) = [line for line in text.splitlines() if line.startswith("No submission")]
    assert "ph-02" in no_submission and "ph-01" not in no_submission
    (blank,) = [line for line in text.splitlines() if line.startswith("Answer file holding")]
    assert blank.endswith("not collected: ph-02")
    (blank,) = [line for line in text.splitlines() if line.startswith("Answer file holding")]
    assert blank.endswith("not collected: ph-02")


def test_a_notebook_copied_before_the_module_was_released_again_is_no_submission(course):
    import_roster(course, MARIA, JOSE)
    served = participant_folders(course / "release", course / "participants", ["ph-01", "ph-02"])
    # the trainer changes a question's points and wording, and releases the module again,
    # while the participants' folders keep the notebook as it was first released
    path = course / "source" / FOLDER / NOTEBOOK
    nb = nbformat.read(path, 4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("points"))
    test.metadata["nbgrader"]["points"] += 1
    nb.cells[0].source += "\n\nA sentence added for this class."
    nbformat.write(nb, path)
    assert cli("release", MID, "--course", str(course))[1].startswith(FOLDER)
    old_copy = (served / "ph-02" / FOLDER / NOTEBOOK).read_bytes()
    assert old_copy != released_notebook(course)
    (served / "ph-01" / FOLDER / ANSWERS).write_text(ONE_ANSWER)
    status, text = collect(course, served)
    assert status == 0, text
    # ph-01 answered: graded with the notebook as released now; ph-02 never started
    assert submitted(course, "ph-01") == {
        NOTEBOOK: released_notebook(course),
        ANSWERS: ONE_ANSWER.encode(),
    }
    assert submitted(course, "ph-02") == {}
    (no_submission,) = [line for line in text.splitlines() if line.startswith("No submission")]
    assert "ph-02" in no_submission and "ph-01" not in no_submission


def test_a_copy_of_the_notebook_that_was_run_is_the_participants_own(course, tmp_path):
    import_roster(course, MARIA)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    nb = nbformat.reads(released_notebook(course).decode(), 4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 1
    (downloads / f"ph-01_{NOTEBOOK}").write_text(nbformat.writes(nb))
    (downloads / f"ph-01_{ANSWERS}").write_text(ONE_ANSWER)
    status, text = collect(course, downloads)
    assert status == 0, text
    assert submitted(course, "ph-01")[NOTEBOOK] == (downloads / f"ph-01_{NOTEBOOK}").read_bytes()


def test_an_answer_file_that_says_nothing_is_collected_as_no_answer_file(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    # ph-01 added code to the notebook but answered nothing; ph-02 sent only such a file
    (downloads / f"ph-01_{NOTEBOOK}").write_text(edited_notebook(course))
    (downloads / f"ph-01_{ANSWERS}").write_text(CHECK_ONLY)
    (downloads / f"ph-02_{ANSWERS}").write_text(CHECK_ONLY)
    status, text = collect(course, downloads)
    assert status == 1  # as for a submission without an answer file
    assert set(submitted(course, "ph-01")) == {NOTEBOOK}
    (no_answers,) = [line for line in text.splitlines() if line.startswith(f"No {ANSWERS}")]
    assert "ph-01" in no_answers
    assert submitted(course, "ph-02") == {}
    (no_submission,) = [line for line in text.splitlines() if line.startswith("No submission")]
    assert "ph-02" in no_submission


def test_answers_counts_only_answers_marks_drafts_and_names_entries_left_blank(tmp_path):
    answers = json.loads(CHECK_ONLY)
    answers["answers"]["q3_match_type"] = {
        "value": "Eco-industrial park",
        "recorded_at": "2024-05-02T09:02:00",
    }
    answers["answers"]["q4_towns"] = {
        "value": 2,
        "recorded_at": "2024-05-02T09:03:00",
        "incomplete": "2 Eco-Towns is outside the plausible range",
    }
    (tmp_path / ANSWERS).write_text(json.dumps(answers))
    status, text = cli("answers", str(tmp_path))
    assert status == 0
    # two answers of four entries: the ranking with no place and the empty reflection are not
    summary = f"{ANSWERS}: 2 answer(s), 1 of them a draft (not complete yet)"
    assert text.splitlines()[0].endswith(summary)
    (towns,) = [line for line in text.splitlines() if "q4_towns" in line]
    assert "draft: 2 Eco-Towns is outside the plausible range" in towns
    (blank,) = [line for line in text.splitlines() if "q5_timeline" in line]
    assert "Left blank, not answers: q5_timeline, r1_reflection" in blank


# -- 9. taking a participant off the roster --------------------------------------------------


def students(course: Path) -> list[str]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return sorted(s.id for s in gb.students)


def test_a_participant_imported_by_mistake_is_removed_and_no_longer_counts(course):
    import_roster(course, MARIA, JOSE, "ph-09,Ana,Lim,Philippines,")
    assert students(course) == ["ph-01", "ph-02", "ph-09"]
    status, text = cli("roster", "remove", "PH-09", "--course", str(course))
    assert status == 0, text
    assert "Removed from the gradebook: ph-09." in text
    assert students(course) == ["ph-01", "ph-02"]
    status, text = cli("export", "--course", str(course))
    assert status == 0, text
    grades = (course / "grades.csv").read_text()
    assert "ph-09" not in grades and "ph-01" in grades
    # importing the roster again without the row keeps the others, and does not bring it back
    _, text = import_roster(course, MARIA, JOSE)
    assert "not in this file" not in text and students(course) == ["ph-01", "ph-02"]


def test_a_participant_with_grades_or_a_wrong_id_removes_nobody_without_being_told(course):
    import_roster(course, MARIA, JOSE)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(FOLDER)
        gb.add_submission(FOLDER, "ph-02")
    status, text = cli("roster", "remove", "ph-01", "ph-02", "--course", str(course))
    assert status == 1 and "Nobody was removed" in text
    assert "ph-02 has submissions in the gradebook (m01-eic-in-asia)" in text
    assert "--with-grades" in text
    status, text = cli("roster", "remove", "ph-01", "ph-03", "--course", str(course))
    assert status == 1 and "'ph-03' is not in the gradebook" in text
    assert students(course) == ["ph-01", "ph-02"]
    (course / "submitted" / "ph-02").mkdir(parents=True)
    status, text = cli("roster", "remove", "ph-02", "--with-grades", "--course", str(course))
    assert status == 0, text
    assert students(course) == ["ph-01"]
    assert "ph-02's files are kept in submitted/ph-02/" in text
    assert (course / "submitted" / "ph-02").is_dir()  # files on disk are never touched


def test_grades_are_exported_only_under_a_csv_name(course, tmp_path):
    import_roster(course, MARIA, JOSE)
    status, text = cli("export", "--output", str(tmp_path / "day1.xlsx"), "--course", str(course))
    assert status != 0
    assert "give a name ending in .csv, e.g. day1.csv" in text
    assert not (tmp_path / "day1.xlsx").exists()


def test_releasing_during_a_served_class_says_to_restart_the_server(course):
    status, text = cli("release", MID, "--course", str(course))
    assert status == 0 and "serve starts again" not in text  # no class served yet
    participant_folders(course / "release", course / "participants", ["ph-01"])
    status, text = cli("release", MID, "--course", str(course))
    assert status == 0, text
    assert (
        "The class's copies in participants/ (made by eic-course serve) take this release when "
        "eic-course serve starts again: restart it" in text
    )
