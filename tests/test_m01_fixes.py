"""Module 1: the self-assessment's text says when its chart appears, and the chart's
description names every cluster it draws."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import RATINGS, ROOT, notebook_path, released_modules

from eic.foundations import FOUNDATIONS
from eic.worksheet import Worksheet


def module_1() -> dict:
    return next(m for m in released_modules() if m["id"] == "m01")


def cells_by_id(kind: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(notebook_path(ROOT, kind, module_1()), as_version=4)
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


@pytest.mark.parametrize("kind", ["source", "release"])
def test_the_self_assessment_says_its_chart_appears_once_all_four_are_rated(kind):
    intro = cells_by_id(kind)["q7_intro"].source
    assert "Once all four are rated, the chart below draws your cluster" in intro
    assert "redraws each time you move a slider, next to" not in intro


def test_the_chart_appears_only_once_every_foundation_is_rated(tmp_path, monkeypatch):
    from eic.views import radar_view

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    question = Worksheet("m01", tmp_path).ratings("q7_r", "Rate", list(FOUNDATIONS))
    view = radar_view(question)
    chart, summary = view.children
    question.sliders["Inter-firm networks"].value = 3  # one slider moved: nothing saved
    assert chart.value == "" and "Rate your cluster" in summary.value
    question.value = RATINGS
    assert "<img" in chart.value


def test_the_radar_charts_description_names_the_clusters_drawn_beside_yours(tmp_path, monkeypatch):
    from eic.views import radar_view

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    question = Worksheet("m01", tmp_path).ratings("q7_r", "Rate", list(FOUNDATIONS))
    examples = {"Cluster A (example)": RATINGS, "Cluster B (example)": RATINGS}
    chart, _summary = radar_view(question, compare=examples).children
    question.value = RATINGS
    alt = re.search(r"alt='([^']*)'", chart.value)[1]
    assert alt.startswith("Radar chart of your ratings: Inter-firm networks 3")
    assert alt.endswith("drawn beside Cluster A (example), Cluster B (example)")
    # without clusters to compare, the description says only what is drawn
    alone = Worksheet("m01", tmp_path / "alone").ratings("q7_r", "Rate", list(FOUNDATIONS))
    chart, _summary = radar_view(alone).children
    alone.value = RATINGS
    assert "beside" not in chart.value
