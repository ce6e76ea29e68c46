"""eic-course release: a module whose cells are broken (a worked example that no longer
fits the data) or whose points differ from the syllabus is released with a message that
says what to fix, and a non-zero exit status; grading names the points' difference."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import copy_course
from conftest import run_cli as cli
from nbgrader.api import Gradebook

pytestmark = pytest.mark.slow
FOLDER = "m02-clusters-competitiveness"


def edit_source(course: Path, change) -> None:
    path = course / "source" / FOLDER / f"{FOLDER}.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def cell(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_a_worked_example_that_fails_on_new_data_stops_the_release_with_its_error(tmp_path):
    course = copy_course(tmp_path, release=False)
    # as after a change of data: the worked example names a province the table no longer has
    example = next(
        c
        for c in nbformat.read(course / "source" / FOLDER / f"{FOLDER}.ipynb", 4).cells
        if 'candidate_clusters(employment, "Coastal Port"' in c.source
    )

    def rename(nb) -> None:
        for c in nb.cells:
            if c.source == example.source:
                c.source = c.source.replace('"Coastal Port"', '"Hai Duong"')

    edit_source(course, rename)
    status, said = cli("release", "m02", "--course", str(course))
    assert status == 1, said
    assert "released, but fix this before participants fetch it:" in said, said
    # where the cell is, for a trainer who does not read code: the heading above it
    assert "Under the heading 'Worked example: the clusters of Coastal Port'" in said, said
    assert "the code cell that begins 'from IPython.display import display' raises" in said
    assert "Hai Duong" in said, said  # the error names what is missing
    assert f"Fix it in source/{FOLDER}/{FOLDER}.ipynb, then run eic-course release m02" in said
    # the tests still fail blank, and the points still agree: only the cell is named
    assert "tests pass with no answer" not in said and "syllabus" not in said, said


def test_the_unchanged_module_releases_without_a_problem(tmp_path):
    course = copy_course(tmp_path, release=False)
    status, said = cli("release", "m02", "--course", str(course))
    assert status == 0, said
    assert "as it should" in said and "raises" not in said, said
    status, said = cli("export", "--course", str(course))
    assert status == 0 and "are out of" not in said, said


def test_points_that_differ_from_the_syllabus_are_named_at_release_and_at_grading(tmp_path):
    course = copy_course(tmp_path, release=False)

    def one_more_point(nb) -> None:
        cell(nb, "q2_lq_textiles_test").metadata["nbgrader"]["points"] += 1

    edit_source(course, one_more_point)
    status, said = cli("release", "m02", "--course", str(course))
    assert status == 1, said
    assert "its cells give 11 points but course/syllabus.yml gives m02 10" in said, said
    assert "raises" not in said, said
    status, said = cli("grade", "m02", "--course", str(course))
    assert f"{FOLDER}: note: its cells give 11 points" in said, said
    assert "Scores are out of the cells' points" in said, said
    status, said = cli("export", "--course", str(course))
    assert status == 0, said
    assert "m02: its scores are out of 11 points, as its cells give them, but " in said, said
    assert "course/syllabus.yml gives 10" in said, said


def test_grading_names_a_release_edited_by_hand_after_it_was_recorded(tmp_path):
    course = copy_course(tmp_path, release=False)
    assert cli("release", "m02", "--course", str(course))[0] == 0
    status, said = cli("grade", "m02", "--course", str(course))
    assert "note:" not in said, said  # as released: nothing to say
    released = course / "release" / FOLDER / f"{FOLDER}.ipynb"
    released.write_text(released.read_text(encoding="utf-8").replace("Riverside", "Riversyde"))
    status, said = cli("grade", "m02", "--course", str(course))
    assert (
        f"{FOLDER}: note: release/{FOLDER} is not what source/ makes now ({FOLDER}.ipynb " in said
    )
    # answers given to the edited page: how to grade them against it
    assert "make the same change in source/, run eic-course release m02, then eic-course " in said
    assert "grade m02 --force" in said, said


def test_checking_the_release_leaves_the_gradebook_with_the_released_tests(tmp_path):
    # source/ changed after the release, not released again: grading says so, and grades
    # with the points (and tests) that were released, which participants have
    course = copy_course(tmp_path, release=False)
    assert cli("release", "m02", "--course", str(course))[0] == 0

    def one_more_point(nb) -> None:
        cell(nb, "q2_lq_textiles_test").metadata["nbgrader"]["points"] += 1

    edit_source(course, one_more_point)
    status, said = cli("grade", "m02", "--course", str(course))
    assert f"note: release/{FOLDER} is not what source/ makes now" in said, said
    assert "points" not in said, said  # release/ still gives the syllabus's points
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        recorded = gb.find_grade_cell("q2_lq_textiles_test", FOLDER, FOLDER)
        released = nbformat.read(course / "release" / FOLDER / f"{FOLDER}.ipynb", 4)
        assert recorded.max_score == cell(released, "q2_lq_textiles_test").metadata.nbgrader.points


def test_a_release_keeps_what_was_recorded_in_the_release_folder(tmp_path):
    # release/ itself is worked in when the course is served with --shared, or by one
    # person: nbgrader replaces the whole folder, but answers and own tables stay
    course = copy_course(tmp_path, release=False)
    assert cli("release", "m02", "--course", str(course))[0] == 0
    folder = course / "release" / FOLDER
    recorded = {
        "m02-answers.json": '{"q1_lq_definition": "b"}',
        "m02-answers.json.unreadable-1": "{half a fil",
        "m02-own-regions.csv": "region,sector,employment\nA,Textiles,10\n",
    }
    for name, text in recorded.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / f"{FOLDER}-checkpoint.ipynb").write_text("{}")

    def retitle(nb) -> None:
        nb.cells[0].source = nb.cells[0].source.replace("# ", "# Revised: ", 1)

    edit_source(course, retitle)
    status, said = cli("release", "m02", "--course", str(course))
    assert status == 0, said
    assert "# Revised: " in nbformat.read(folder / f"{FOLDER}.ipynb", 4).cells[0].source
    for name, text in recorded.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name
    assert f"What was recorded in release/{FOLDER} is kept there" in said, said
    assert "m02-answers.json, m02-answers.json.unreadable-1, m02-own-regions.csv." in said
    assert not (folder / ".ipynb_checkpoints").exists()  # a cache: not kept

    # nbgrader fails (the source notebook is not a notebook): participants keep the release
    # they had, and the trainer reads what is wrong, not nbgrader's "see the traceback"
    before = (folder / f"{FOLDER}.ipynb").read_bytes()
    source = course / "source" / FOLDER / f"{FOLDER}.ipynb"
    source.write_text("{not a notebook", encoding="utf-8")
    status, said = cli("release", "m02", "--course", str(course), with_errors=True)
    assert status != 0, said
    assert "Notebook does not appear to be JSON" in said and "traceback" not in said, said
    assert f"release/{FOLDER} is left as it was. Fix source/{FOLDER}/{FOLDER}.ipynb" in said
    assert (folder / f"{FOLDER}.ipynb").read_bytes() == before
    for name, text in recorded.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name
