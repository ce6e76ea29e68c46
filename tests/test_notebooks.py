"""Module notebooks run headless: every question appears in the released copy, unanswered
questions print at most one line, and recorded answers are shown again on the next run.
(nbval also executes every notebook in source/ and release/: see pyproject.toml.)"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import ROOT, copy_course, notebook_path, released_modules, run_notebook

pytestmark = pytest.mark.slow
MODULES = released_modules()
IDS = [m["id"] for m in MODULES]
WIDGET = "application/vnd.jupyter.widget-view+json"


def question_cells(nb):
    """Cells that define a worksheet question (their solution region records the answer)."""
    return [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("solution")
        and "= ws." in c.source
    ]


def outputs_text(cell) -> str:
    """What a cell printed, and the plain-text form of what it displayed (a test cell's
    line under its question is a widget, whose plain text is its message as first shown)."""
    return "".join(
        o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
        for o in cell.outputs
    )


def status_lines(nb) -> dict[str, str]:
    """The text of each test cell's line under its question, as the widget holds it."""
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    lines = {}
    for model in state.values():
        classes = model["state"].get("_dom_classes", [])
        for name in classes:
            if name.startswith("eic-status-"):
                now = model["state"]["value"].split("<span class='eic-status-now'>")[1]
                lines[name.removeprefix("eic-status-")] = now.split("</span>")[0]
    return lines


def grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def assert_no_errors(nb) -> None:
    for cell in nb.cells:
        for out in getattr(cell, "outputs", []):
            assert out.output_type != "error", f"{grade_id(cell)}: {out.get('evalue')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), (
                f"{grade_id(cell)} wrote to stderr: {out.text[:300]}"
            )


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_release_runs_clean_and_shows_every_question(module, tmp_path):
    course = copy_course(tmp_path)
    nb = run_notebook(notebook_path(course, "release", module))
    assert_no_errors(nb)
    questions = question_cells(nb)
    assert len(questions) >= 6
    for cell in questions:
        assert any(WIDGET in o.get("data", {}) for o in cell.outputs), grade_id(cell)
    # the browser builds every widget model before the page is usable; the widgets share
    # their layouts and styles (eic.widgets), so those stay few however many questions
    # there are (each widget with its own came to 115-265 of them a module)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    looks = [m for m in state.values() if m["model_name"].endswith(("LayoutModel", "StyleModel"))]
    assert len(looks) <= 25, f"{len(looks)} layout and style models"
    lines = status_lines(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            text = outputs_text(cell)
            assert text.count("\n") <= 1 and "not answered yet" in text, grade_id(cell)
            if "answered(" in cell.source:
                # shown by a line that changes once the answer is saved
                assert any(WIDGET in o.get("data", {}) for o in cell.outputs), grade_id(cell)
    assert lines and all("not answered yet" in line for line in lines.values()), lines


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_recorded_answers_are_shown_again_on_the_next_run(module, tmp_path, model_answers):
    course = copy_course(tmp_path)
    path = notebook_path(course, "release", module)
    (path.parent / f"{module['id']}-answers.json").write_text(
        json.dumps(model_answers[module["id"]]), encoding="utf-8"
    )
    nb = run_notebook(path)
    assert_no_errors(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            assert "not answered" not in outputs_text(cell), grade_id(cell)
    lines = status_lines(nb)
    assert lines and all(line.endswith("answer recorded.") for line in lines.values()), lines
    # the widgets were drawn with the recorded values
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = json.dumps(state)
    for qid, entry in model_answers[module["id"]]["answers"].items():
        value = entry["value"]
        first = value[0] if isinstance(value, list) else value
        if isinstance(first, str):
            assert json.dumps(first)[1:-1][:40] in shown, qid


def test_the_course_home_lists_every_module_and_links_the_released_ones(tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(ROOT / "release", folder)
    nb = run_notebook(folder / "index.ipynb")
    assert_no_errors(nb)
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    from eic.course import syllabus

    for module in syllabus()["modules"]:
        assert module["title"] in html
        link = f"href='{module['folder']}/{module['folder']}.ipynb'"
        assert (link in html) == (folder / module["folder"]).is_dir(), module["id"]


def test_the_course_home_says_how_to_show_its_table_in_jupyterlab():
    # the home is saved without outputs: in JupyterLab its table of modules appears only once
    # the page has run, so the text just above the table says how to run it
    nb = nbformat.read(ROOT / "release" / "index.ipynb", as_version=4)
    table = next(i for i, c in enumerate(nb.cells) if "module_map(" in c.source)
    above = nb.cells[table - 1]
    assert above.cell_type == "markdown" and not nb.cells[table].outputs
    assert "JupyterLab" in above.source and "Run → Run All Cells" in above.source


def test_instructor_notebooks_keep_no_outputs():
    for module in MODULES:
        for kind in ("source", "release"):
            nb = nbformat.read(notebook_path(ROOT, kind, module), as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    assert cell.outputs == [] and cell.execution_count is None, (
                        kind,
                        grade_id(cell),
                    )


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_every_question_has_a_test_cell_or_is_a_graded_reflection(module):
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    ids = {grade_id(c) for c in nb.cells}
    questions = [grade_id(c) for c in question_cells(nb)]
    assert len(questions) == len(set(questions))
    for qid in questions:
        assert f'"{qid}"' in next(c.source for c in nb.cells if grade_id(c) == qid)
        graded = f"{qid}_test" in ids or f"{qid}_task" in ids
        assert graded, f"{qid} has neither a test cell nor a reflection task"


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_released_notebook_holds_no_model_answer_or_hidden_test(module):
    text = notebook_path(ROOT, "release", module).read_text(encoding="utf-8")
    hidden_checks = ["assert_choice", "assert_number", "assert_ranking"]
    for marker in ["BEGIN SOLUTION", "BEGIN HIDDEN TESTS", ".record(", *hidden_checks]:
        assert marker not in text, marker


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_go_further_part_and_only_it_is_tagged_for_the_app_to_leave_out(module):
    # the Voila page shows the part's heading and a note instead of it (it asks for code)
    for kind in ("source", "release"):
        nb = nbformat.read(notebook_path(ROOT, kind, module), as_version=4)
        headings = [i for i, c in enumerate(nb.cells)
                    if c.cell_type == "markdown" and c.source.startswith("## ")]  # fmt: skip
        start = next(i for i in headings if nb.cells[i].source.startswith("## Go further"))
        end = next((i for i in headings if i > start), len(nb.cells))
        tagged = [i for i, c in enumerate(nb.cells) if "go-further" in c.metadata.get("tags", [])]
        assert tagged == list(range(start, end)), (kind, tagged, start, end)
        assert any(nb.cells[i].cell_type == "code" for i in tagged), kind
