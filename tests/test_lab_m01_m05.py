"""Modules 1 and 5 in JupyterLab: every question's line under it follows its answer (Module 1's
self-assessment too), and a module not run yet says where its questions are."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic import grading
from eic.answers import AnswerStore

RUN_ALL = "**Run → Run All Cells**"
RATINGS = {  # the instructor notebook's example
    "Inter-firm networks": 2,
    "Enabling technologies": 3,
    "Social capital": 1,
    "Public policy support": 2,
}


def module(module_id: str) -> dict:
    return next(m for m in released_modules() if m["id"] == module_id)


def cells(kind: str, module_id: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(notebook_path(ROOT, kind, module(module_id)), as_version=4)
    return {c.metadata.get("nbgrader", {}).get("grade_id", ""): c for c in nb.cells}


@pytest.fixture
def lab_kernel(tmp_path, monkeypatch):
    """A test cell run as in a JupyterLab kernel, in a module folder: what it displays."""
    monkeypatch.chdir(tmp_path)
    for key in ("NBGRADER_EXECUTION", "VOILA_APP_PORT", "VOILA_BASE_URL", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    monkeypatch.setattr(grading, "_in_kernel", lambda: True)
    monkeypatch.setattr(grading, "_STATUS_LINES", {})
    shown: list[dict] = []
    monkeypatch.setattr(
        "IPython.display.display", lambda data, raw=False: shown.append(data if raw else {})
    )
    return shown


def line_text(bundle: dict) -> str:
    from ipywidgets.widgets.widget import _instances

    line = _instances[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]
    return line.value.split("<span class='eic-status-now'>")[1].split("</span>")[0]


@pytest.mark.parametrize("module_id", [m["id"] for m in released_modules()])
def test_every_graded_question_has_a_line_that_follows_its_answer(module_id):
    """Each test cell of the released module shows the live line of grading.answered."""
    for grade_id, cell in cells("release", module_id).items():
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        qid = grade_id.removesuffix("_test")
        assert f'grading.answered("{module_id}", "{qid}")' in cell.source, grade_id


def test_module_1_self_assessment_line_says_recorded_once_all_four_are_rated(
    lab_kernel, tmp_path, capsys
):
    cell = cells("release", "m01")["q7_self_assessment_test"]
    exec(cell.source, {})
    [bundle] = lab_kernel
    assert capsys.readouterr().out == ""  # a line that can change, not printed text
    assert line_text(bundle).startswith("Question 7: not answered yet.")
    AnswerStore.for_module("m01", tmp_path).record("q7_self_assessment", RATINGS)
    assert line_text(bundle) == "Question 7: answer recorded."


def test_module_1_self_assessment_still_scores_only_four_ratings_from_0_to_5(tmp_path):
    source = cells("source", "m01")["q7_self_assessment_test"].source
    hidden = source.split("### BEGIN HIDDEN TESTS")[1]
    assert "grading.assert_ratings(" in hidden and "low=0" in hidden and "high=5" in hidden
    store = AnswerStore.for_module("m01", tmp_path)
    with grading.verifying(tmp_path):
        store.record("q7_self_assessment", RATINGS)
        exec(source, {})  # four ratings within 0 to 5: the point
        store.record("q7_self_assessment", {**RATINGS, "Social capital": 6})
        with pytest.raises(AssertionError, match="between 0 and 5"):
            exec(source, {})
        store.record("q7_self_assessment", dict(list(RATINGS.items())[:3]))
        with pytest.raises(AssertionError, match="not rated yet"):
            exec(source, {})


@pytest.mark.parametrize("module_id", [m["id"] for m in released_modules()])
def test_a_module_not_run_yet_says_at_its_top_and_its_worksheet_to_run_it(module_id):
    """Released notebooks have no outputs: the markdown alone must say how the questions
    appear in JupyterLab, at the top and where the worksheet begins."""
    released = cells("release", module_id)
    assert not any(c.get("outputs") for c in released.values() if c.cell_type == "code")
    assert RUN_ALL in released["title"].source
    intro = released["worksheet_intro"].source
    assert RUN_ALL in intro and "no question below" in intro


def test_module_5_explorer_aligns_the_payback_column_as_its_other_numbers():
    import re

    from eic import data
    from eic.panels import portfolio_explorer

    panel = portfolio_explorer(data.load("cluster_options"), budget=500_000, rate=10, display=False)
    rows = re.findall(r"<tr>(.*?)</tr>", panel.text.value.split("<tbody>")[1])
    # the columns: option, investment, NPV, IRR, simple payback, MAC, tCO2e avoided
    aligned = [re.findall(r"text-align:(\w+)", row) for row in rows]
    assert rows and all(len(a) == 7 for a in aligned)
    assert all(a[1:] == ["right"] * 6 for a in aligned), aligned
