"""Module 1: every wrong choice a participant is likely to make on the worksheet gets a hint,
the self-assessment's text says when its chart appears, and the chart's description names
every cluster it draws."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import RATINGS, ROOT, notebook_path, released_modules

from eic.foundations import FOUNDATIONS
from eic.worksheet import Worksheet

TIMELINE_YEARS = {  # the year of each event, as the readings give it
    "Kalundborg: surface water piped from a lake to a new refinery": 1961,
    "Japan's Eco-Town programme: first plans approved": 1997,
    "ADBI regional workshop on eco-industrial clusters, Tokyo": 2013,
    "International Framework for Eco-Industrial Parks, first edition": 2017,
}
STREAMS = {  # the three streams the workshop named (ADBI, 2013a)
    "Industrial policy that encourages innovation and technology development",
    "Environmental policy that focuses on resource conservation and emission reduction",
    "Regional development policy that stimulates infrastructure investment",
}


def module_1() -> dict:
    return next(m for m in released_modules() if m["id"] == "m01")


def cells_by_id(kind: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(notebook_path(ROOT, kind, module_1()), as_version=4)
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def build_question(grade_id: str, tmp_path):
    """The question a worksheet cell of the released notebook builds, on an answer file of
    its own (the released cell records nothing)."""
    source = cells_by_id("release")[grade_id].source
    assert "record(" not in source
    names = {"ws": Worksheet("m01", tmp_path)}
    exec(source.rsplit("\n", 1)[0], names)  # all but the cell's last line, which shows it
    return names[source.split(" = ", 1)[0].strip()]


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


def test_each_wrong_policy_stream_gets_a_hint(tmp_path):
    q2 = build_question("q2_policy_streams", tmp_path)
    wrong = [option for option in q2.options if option not in STREAMS]
    assert len(wrong) == 3 and set(q2.options) - set(wrong) == STREAMS
    for option in wrong:
        q2.value = [*sorted(STREAMS)[:2], option]
        (hint,) = q2.check()
        assert "Think again" in q2.feedback.value, option
        assert hint and hint == q2.hints[option], option
    q2.value = sorted(STREAMS)
    assert q2.check() == []


def test_each_event_placed_first_but_the_earliest_gets_a_hint(tmp_path):
    q5 = build_question("q5_timeline", tmp_path)
    assert set(q5.options) == set(TIMELINE_YEARS)
    earliest = min(TIMELINE_YEARS, key=TIMELINE_YEARS.get)
    for first in TIMELINE_YEARS:
        rest = sorted((e for e in TIMELINE_YEARS if e != first), key=TIMELINE_YEARS.get)
        q5.value = [first, *rest]
        messages = q5.check()
        if first == earliest:
            assert messages == [], first
        else:
            assert len(messages) == 1 and "Think again" in q5.feedback.value, first
    # a hint that gives a year gives one the readings give for an event it is about
    for key, hint in q5.hints.items():
        events = key if isinstance(key, tuple) else (key,)
        for year in re.findall(r"\b(?:19|20)\d\d\b", hint):
            assert int(year) in [TIMELINE_YEARS[e] for e in events], (key, year)


def test_every_wrong_order_of_the_timeline_gets_a_hint(tmp_path):
    # not only a wrong first event: the last two swapped (the workshop after the Framework)
    # or any two out of order; the right order gets none
    from itertools import permutations

    q5 = build_question("q5_timeline", tmp_path)
    right = sorted(TIMELINE_YEARS, key=TIMELINE_YEARS.get)
    for order in permutations(TIMELINE_YEARS):
        q5.value = list(order)
        messages = q5.check()
        if list(order) == right:
            assert messages == []
        else:
            assert len(messages) == 1 and messages[0] in q5.hints.values(), order
            assert "Think again" in q5.feedback.value
    q5.value = [right[0], right[1], right[3], right[2]]
    assert "published in 2017" in q5.check()[0] and "December 2013" in q5.check()[0]


def test_the_hints_are_in_the_trainers_guide():
    guide = (ROOT / "course" / "guide" / "m01-eic-in-asia.md").read_text(encoding="utf-8")
    assert "- Labour migration policy that moves workers between provinces. *Check:*" in guide
    assert "- *International Framework for Eco-Industrial Parks, first edition* placed first:" in (
        guide
    )
    assert "- *ADBI regional workshop on eco-industrial clusters, Tokyo* placed first:" in guide
    assert (
        "- *International Framework for Eco-Industrial Parks, first edition* placed before "
        "*ADBI regional workshop on eco-industrial clusters, Tokyo*:"
    ) in guide


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


@pytest.mark.parametrize("kind", ["source", "release"])
def test_the_readings_use_plain_words_for_an_official_who_reads_english_as_a_second_language(
    kind,
):
    text = " ".join(c.source for c in cells_by_id(kind).values() if c.cell_type == "markdown")
    for word in ["lopsided", "hinterland", "line up their programmes", "reverse side of"]:
        assert word not in text, word
    assert "how uneven the shape is (a large gap between the strongest and the weakest" in text
    assert "Firms can coordinate their programmes" in text


def test_the_example_clusters_keep_their_colours_when_your_cluster_is_drawn_beside_them():
    from matplotlib.colors import to_hex

    from eic.foundations import HIGHLIGHT, radar_chart

    examples = {"Fringe (example)": RATINGS, "Estate (example)": dict.fromkeys(FOUNDATIONS, 4)}
    alone = radar_chart(examples, title="Two example clusters")
    beside = radar_chart({"Your cluster": RATINGS, **examples}, highlight="Your cluster")

    def styles(fig) -> dict[str, tuple[str, str]]:
        return {
            line.get_label(): (to_hex(line.get_color()), line.get_linestyle())
            for line in fig.axes[0].get_lines()
        }

    assert {name: styles(beside)[name] for name in examples} == styles(alone)
    yours = styles(beside)["Your cluster"]
    assert yours == (to_hex(HIGHLIGHT), "-") and yours not in styles(alone).values()
    # drawn last, so on top of an example with the same ratings; named first in the legend
    assert beside.axes[0].get_lines()[-1].get_label() == "Your cluster"
    legend = [t.get_text() for t in beside.axes[0].get_legend().get_texts()]
    assert legend == ["Your cluster", *examples]


def test_only_a_cluster_that_is_drawn_can_be_highlighted():
    from eic.foundations import radar_chart

    with pytest.raises(ValueError, match="no ratings for 'Ours'"):
        radar_chart({"Theirs": RATINGS}, highlight="Ours")


# -- the fourth objective's second half: why urban-rural fringe areas matter ------------------
FRINGE_READING = "reading_urban_rural_fringe_areas"


def test_the_fringe_objective_is_asked_and_every_wrong_reason_is_answered_by_the_reading(
    tmp_path,
):
    assert any("urban-rural fringe areas matter" in o for o in module_1()["objectives"])
    question = build_question("q8_fringe_areas", tmp_path)
    reading = cells_by_id("release")[FRINGE_READING].source
    # the right reason is the reading's own ("equal access to raw materials and to urban
    # markets"); each wrong one is what the reading says is not so, and gets a hint
    right = [o for o in question.options if o not in question.hints]
    assert len(right) == 1 and "equal access to raw materials and to urban markets" in right[0]
    assert "equal access to raw materials and to urban markets" in reading
    assert len(question.hints) == len(question.options) - 1
    for wrong, hint in question.hints.items():
        question.value = wrong
        assert question.check() == [hint], wrong
        assert "Think again" in question.feedback.value
    question.value = right[0]
    assert question.check() == []
