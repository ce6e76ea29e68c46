"""Module 1: the self-assessment's chart says which clusters it draws."""

from __future__ import annotations

import re

from conftest import RATINGS

from eic.foundations import FOUNDATIONS
from eic.worksheet import Worksheet


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
