"""The course definition agrees with the notebooks; every dataset states its source."""

from __future__ import annotations

import re
from importlib import resources

import nbformat
import pytest
from conftest import ROOT, copy_course, notebook_path, released_modules

from eic import data
from eic.cli import main
from eic.course import module_map, syllabus


def test_syllabus_has_the_eight_modules_in_order():
    modules = syllabus()["modules"]
    assert [m["id"] for m in modules] == [f"m{i:02d}" for i in range(1, 9)]
    for m in modules:
        assert re.fullmatch(rf"{m['id']}-[a-z0-9-]+", m["folder"])
        assert 3 <= len(m["objectives"]) <= 5
        assert m["title"] and m["points"] > 0 and m["day"] in (1, 2, 3)
    minutes = sum(m["duration_minutes"] for m in modules)
    assert syllabus()["course"]["total_hours"] * 60 == minutes


def test_the_package_reads_the_course_folders_syllabus():
    packaged = resources.files("eic").joinpath("data", "syllabus.yml").read_text(encoding="utf-8")
    assert packaged == (ROOT / "course" / "syllabus.yml").read_text(encoding="utf-8")


def test_module_folders_are_the_syllabus_folders():
    folders = {m["folder"] for m in syllabus()["modules"]}
    for kind in ("source", "release"):
        present = {p.name for p in (ROOT / kind).iterdir() if p.is_dir()}
        assert present <= folders, f"{kind}/ has folders the syllabus does not know"
    assert {p.name for p in (ROOT / "source").iterdir() if p.is_dir()} == {
        p.name for p in (ROOT / "release").iterdir() if p.is_dir()
    }


@pytest.mark.parametrize("module", released_modules(), ids=lambda m: m["id"])
def test_notebook_points_match_the_syllabus(module):
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    marks = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
    # nbgrader counts a cell's points once as a grade cell and once more as a task cell: a
    # cell marked both counted a reflection's points twice in every total and maximum
    assert not [m["grade_id"] for m in marks if m.get("grade") and m.get("task")]
    points = sum(m.get("points", 0) for m in marks if m.get("grade") or m.get("task"))
    assert points == module["points"], (
        f"the notebook's cells give {points} points, course/syllabus.yml {module['points']}: "
        "change one of them (and the worksheet's points in all) so that they agree"
    )
    reflections = [m for m in marks if m.get("task")]
    assert reflections, "every module has at least one reflection graded by the trainer"


# The course's pace for its readings: about 100 words a minute, careful reading for officials
# working in a second language, with tables and a worked example to follow (the course's
# choice, so that a module is readable in its syllabus time)
WORDS_PER_READING_MINUTE = 100


@pytest.mark.parametrize("module", released_modules(), ids=lambda m: m["id"])
def test_a_modules_readings_fit_the_reading_time_it_announces(module):
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    announced = re.search(r"(\d+) minutes of reading", nb.cells[0].source)
    assert announced, "the module's first cell says how long its reading takes"
    # and its parts add up to the module's time in the syllabus
    total, parts = re.search(r"about (\d+) minutes: ([^*]*)", nb.cells[0].source).groups()
    assert int(total) == module["duration_minutes"]
    assert sum(map(int, re.findall(r"(\d+) minutes", parts))) == int(total)
    words = 0
    for cell in nb.cells:  # every text up to the worksheet
        if cell.cell_type == "markdown" and cell.source.startswith("## Worksheet"):
            break
        words += len(cell.source.split()) if cell.cell_type == "markdown" else 0
    minutes = int(announced.group(1))
    assert words <= WORDS_PER_READING_MINUTE * minutes, (
        f"{words} words of reading for {minutes} minutes: shorten it or announce more time"
    )


def test_module_map_without_a_folder_lists_all_modules_without_links():
    html = module_map()
    assert html.count("<tr>") == 9 and "href" not in html


def test_module_map_counts_answered_questions_out_of_the_notebooks_questions(tmp_path):
    from eic.answers import AnswerStore

    course = copy_course(tmp_path / "course")
    release = course / "release"
    m02 = next(m for m in released_modules() if m["id"] == "m02")
    folder = release / m02["folder"]
    store = AnswerStore.for_module("m02", folder)
    store.record("q1_lq_meaning", "anything")
    store.record("not_a_question", "ignored")  # only the notebook's own questions count
    html = module_map(link_from=release)
    # module 2 asks 8 questions and a reflection
    assert "<td class='eic-progress-m02' style='white-space:nowrap'>1 of 9 answered</td>" in html
    # module 1 asks 8 questions and a reflection
    assert "<td class='eic-progress-m01' style='white-space:nowrap'>0 of 9 answered</td>" in html
    assert html.count("href=") == len(released_modules())


M02_CELL = "<td class='eic-progress-m02' style='white-space:nowrap'>"


def test_module_map_does_not_count_a_draft_until_it_is_complete(tmp_path, monkeypatch):
    from eic.worksheet import Worksheet

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    release = copy_course(tmp_path / "course") / "release"
    m02 = next(m for m in released_modules() if m["id"] == "m02")
    sheet = Worksheet("m02", release / m02["folder"])
    reflection = sheet.reflection("r1_reflection", "Reflect", min_words=50)
    reflection.value = "Twelve words so far, about where my province would start to act."
    assert sheet.store.value("r1_reflection")  # the draft is kept
    assert f"{M02_CELL}0 of 9 answered</td>" in module_map(link_from=release)
    reflection.value = " ".join(["word"] * 50)
    assert f"{M02_CELL}1 of 9 answered</td>" in module_map(link_from=release)
    # an entry that says nothing, with no "incomplete" mark (an answer file edited by hand, or
    # older than the course's questions, which now never record one), is not an answer
    sheet.store.record("q1_sectors", [], kind="multiple_choice", question="Which?")
    assert f"{M02_CELL}1 of 9 answered</td>" in module_map(link_from=release)


def test_every_bundled_dataset_has_provenance_and_every_file_is_catalogued():
    catalogue = data.catalogue()
    folder = resources.files("eic").joinpath("data")
    csvs = {p.name for p in folder.iterdir() if p.name.endswith(".csv")}
    listed = {entry["file"] for entry in catalogue.values()}
    assert not csvs - listed, f"add an entry to lib/eic/data/datasets.yml for {csvs - listed}"
    assert not listed - csvs, f"lib/eic/data/datasets.yml lists files not there: {listed - csvs}"
    for name, entry in catalogue.items():
        try:
            table = data.load(name)
        except UnicodeDecodeError:
            pytest.fail(f"{entry['file']} is not UTF-8: save it again as CSV UTF-8")
        assert set(table.columns) == set(entry["columns"]), (
            f"{entry['file']} has the columns {sorted(table.columns)}, "
            f"lib/eic/data/datasets.yml lists {sorted(entry['columns'])}"
        )
        text = " ".join(entry["provenance"].split())
        if entry["kind"] == "illustrative":
            assert text.startswith("Illustrative, constructed for training"), name
        else:
            assert re.search(r"\b(19|20)\d{2}\b", text), f"{name}: cite author, year, title"


def test_unknown_dataset_names_list_the_available_ones():
    with pytest.raises(KeyError, match="example_cluster_profiles"):
        data.load("no_such_table")


def test_cli_lists_modules(capsys):
    assert main(["modules"]) == 0
    out = capsys.readouterr().out
    assert all(m["title"] in out for m in syllabus()["modules"])


def test_cli_shows_recorded_answers_and_flags_unreadable_files(tmp_path, capsys):
    from eic.answers import AnswerStore

    AnswerStore.for_module("m01", tmp_path).record("q1_x", "Social capital")
    assert main(["answers", str(tmp_path)]) == 0
    assert "q1_x" in capsys.readouterr().out
    (tmp_path / "m01-answers.json").write_text("{oops")
    assert main(["answers", str(tmp_path)]) == 1
    said = capsys.readouterr().out
    assert "m01-answers.json cannot be read completely" in said
    assert "Nothing was changed here" in said
    # it only reads: no copy of the damaged file is made beside it
    assert not list(tmp_path.glob("*unreadable*"))
    assert main(["answers", str(tmp_path / "missing")]) == 1
