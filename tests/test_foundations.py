"""Module 1's self-assessment: summary by hand-checked numbers, clear errors, the chart."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

from eic.foundations import FOUNDATIONS, assess, radar_chart

matplotlib.use("Agg")
RATINGS = dict(zip(FOUNDATIONS, [2, 3, 1, 4], strict=True))


def test_summary_by_hand():
    result = assess(RATINGS)
    assert result.average == (2 + 3 + 1 + 4) / 4
    assert result.weakest == ["Social capital"]
    assert result.strongest == ["Public policy support"]
    assert result.spread == 3
    assert "Social capital" in result.advice()


def test_ties_name_every_weakest_foundation():
    result = assess(dict.fromkeys(FOUNDATIONS, 2) | {"Enabling technologies": 4})
    assert result.weakest == ["Inter-firm networks", "Social capital", "Public policy support"]


def test_a_balanced_cluster_is_called_balanced():
    assert "even; raise all four together" in assess(dict.fromkeys(FOUNDATIONS, 3)).advice()


def test_four_absent_foundations_are_not_called_a_balanced_cluster():
    advice = assess(dict.fromkeys(FOUNDATIONS, 0)).advice()
    assert "balanced" not in advice and "even" not in advice
    assert "absent" in advice and "not yet an eco-industrial cluster" in advice


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ({**RATINGS, "Trust": 3}, "unknown foundation"),
        ({k: v for k, v in RATINGS.items() if k != "Social capital"}, "no rating for: Social"),
        ({**RATINGS, "Social capital": 7}, "must be 0 to 5"),
        ({**RATINGS, "Social capital": "high"}, "enter a number"),
        ({**RATINGS, "Social capital": math.nan}, "enter a number"),
        ({**RATINGS, "Social capital": True}, "enter a number"),
    ],
)
def test_bad_ratings_are_refused_with_the_fix(ratings, message):
    with pytest.raises(ValueError, match=message):
        assess(ratings)


def test_radar_chart_draws_each_cluster_with_title_and_axes():
    fig = radar_chart({"A": RATINGS, "B": dict.fromkeys(FOUNDATIONS, 5)}, title="Test")
    ax = fig.axes[0]
    assert "Test" in ax.get_title()
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == list(FOUNDATIONS)
    assert [line.get_label() for line in ax.get_lines()] == ["A", "B"]
    closed = ax.get_lines()[0].get_ydata()
    assert list(closed) == [2, 3, 1, 4, 2]  # the shape closes on its first corner


def test_radar_chart_needs_a_cluster():
    with pytest.raises(ValueError, match="at least one"):
        radar_chart({})


def test_radar_view_redraws_when_the_self_assessment_is_saved(tmp_path, monkeypatch):
    from eic.views import radar_view
    from eic.worksheet import Worksheet

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    question = Worksheet("m01", tmp_path).ratings("q7_r", "Rate", list(FOUNDATIONS))
    view = radar_view(question)
    chart, summary = view.children
    assert "Rate your cluster" in summary.value and chart.value == ""
    question.value = RATINGS
    assert "<img src='data:image/png;base64," in chart.value
    assert "alt='Radar chart of your ratings: Inter-firm networks 2" in chart.value
    assert "Weakest: Social capital" in summary.value


def test_radar_view_draws_nothing_under_nbgrader(tmp_path, monkeypatch):
    from eic.views import radar_view
    from eic.worksheet import Worksheet

    question = Worksheet("m01", tmp_path).ratings("q7_r", "Rate", list(FOUNDATIONS))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert radar_view(question) is None


def test_the_radar_charts_names_numbers_and_legend_do_not_cover_one_another():
    # the legend once sat over "Enabling technologies", and so did the scale's tick "5"
    ratings = dict.fromkeys(FOUNDATIONS, 5)
    fig = radar_chart({"Our cluster": ratings, "A leading cluster (illustrative)": ratings})
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    boxes = [label.get_window_extent(renderer) for label in ax.get_xticklabels()]
    boxes += [label.get_window_extent(renderer) for label in ax.get_yticklabels()
              if label.get_text()]  # fmt: skip
    boxes.append(ax.get_legend().get_window_extent(renderer))
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert overlaps == []
    # no name runs over the outer ring: its nearest point is outside the circle
    circle = ax.get_window_extent(renderer)
    centre, radius = np.array([circle.x0 + circle.x1, circle.y0 + circle.y1]) / 2, circle.width / 2
    for label in ax.get_xticklabels():
        box = label.get_window_extent(renderer)
        nearest = np.clip(centre, [box.x0, box.y0], [box.x1, box.y1])
        assert np.hypot(*(nearest - centre)) >= radius, label.get_text()
    # and all of it inside the picture
    picture = fig.bbox
    assert all(picture.x0 <= b.x0 and b.x1 <= picture.x1 and picture.y0 <= b.y0 for b in boxes)
