"""Module 8's country strategy: a roadmap from chosen terms checked by hand, its summary and
timeline, the SWOT as lists, HTML and a figure, and clear errors for bad input."""

from __future__ import annotations

import io
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from eic.strategy import (
    ACTION_COLUMNS,
    NO_LEAD,
    STREAMS,
    TERMS,
    check_roadmap,
    roadmap_chart,
    roadmap_from_terms,
    roadmap_summary,
)
from eic.swot import SWOT_PARTS, swot, swot_chart, swot_html
from eic.tables import TableError

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


ACTIONS = {
    "Shared effluent plant": "short term (0-2 years)",
    "Green credit line": "medium term (3-5 years)",
    "Eco-town zoning": "long term (6-10 years)",
    "Waste exchange": "not now",
}
STREAM_OF = {
    "Shared effluent plant": "environmental",
    "Green credit line": "industrial",
    "Eco-town zoning": "regional development",
    "Waste exchange": "environmental",
}
OWNERS = {
    "Shared effluent plant": "Pollution control board",
    "Green credit line": "SME bank",
    "Eco-town zoning": "Planning ministry",
}


def roadmap(**changes) -> pd.DataFrame:
    actions = changes.pop("actions", ACTIONS)
    arguments = {"streams": STREAM_OF, "owners": OWNERS, "start_year": 2026} | changes
    return roadmap_from_terms(actions, **arguments)


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.name for c in ACTION_COLUMNS])


def test_the_terms_and_streams_are_the_courses():
    assert TERMS == {
        "short term (0-2 years)": (0, 2),
        "medium term (3-5 years)": (3, 5),
        "long term (6-10 years)": (6, 10),
    }
    assert STREAMS == ("industrial", "environmental", "regional development")


# Roadmap from terms


def test_terms_become_years_counted_from_the_start_year():
    # 2026 + (0, 2) = 2026-2028; + (3, 5) = 2029-2031; + (6, 10) = 2032-2036
    result = roadmap()
    years = {r.action: (r.start_year, r.end_year) for r in result.itertuples()}
    assert years == {
        "Shared effluent plant": (2026, 2028),
        "Green credit line": (2029, 2031),
        "Eco-town zoning": (2032, 2036),
    }
    assert result.attrs["start_year"] == 2026


def test_not_now_actions_are_left_out_and_need_no_owner():
    assert "Waste exchange" not in set(roadmap()["action"])


def test_streams_owners_and_indicators_are_carried_to_the_rows():
    indicators = {"Green credit line": "SMEs financed per year"}
    result = roadmap(indicators=indicators).set_index("action")
    assert result.loc["Green credit line", "stream"] == "industrial"
    assert result.loc["Green credit line", "owner"] == "SME bank"
    assert result.loc["Green credit line", "indicator"] == "SMEs financed per year"
    assert result.loc["Eco-town zoning", "indicator"] == ""


def test_short_term_names_and_any_case_are_accepted():
    actions = {"Shared effluent plant": "Short Term", "Green credit line": "LONG TERM (6-10 years)"}
    streams = {"Shared effluent plant": "Environmental", "Green credit line": "industrial"}
    result = roadmap(actions=actions, streams=streams)
    assert list(result["start_year"]) == [2026, 2032]
    assert list(result["stream"]) == ["environmental", "industrial"]


def test_a_roadmap_from_terms_passes_the_roadmap_check():
    result = roadmap()
    assert check_roadmap(result).equals(result)


def test_all_not_now_gives_an_empty_roadmap():
    result = roadmap(actions={"Waste exchange": "not now"})
    assert len(result) == 0 and list(result.columns) == [c.name for c in ACTION_COLUMNS]


def test_an_unknown_term_is_named_with_a_suggestion():
    with pytest.raises(
        ValueError, match=r"'Green credit line' is 'mid term'.*mean 'medium term \(3-5 years\)'"
    ):
        roadmap(actions={"Green credit line": "mid term"})


def test_an_unknown_stream_is_named_with_a_suggestion():
    streams = STREAM_OF | {"Shared effluent plant": "enviromental"}
    with pytest.raises(ValueError) as error:
        roadmap(streams=streams)
    assert "the stream of 'Shared effluent plant' is 'enviromental'" in str(error.value)
    assert "did you mean 'environmental'?" in str(error.value)


def test_scheduled_actions_without_a_lead_are_kept_as_lead_not_yet_chosen():
    result = roadmap(owners={"Shared effluent plant": "Board", "Eco-town zoning": "  "})
    owners = dict(zip(result["action"], result["owner"], strict=True))
    assert owners == {
        "Shared effluent plant": "Board",
        "Green credit line": "lead not yet chosen",
        "Eco-town zoning": "lead not yet chosen",
    }
    assert NO_LEAD == "lead not yet chosen"


def test_an_action_without_a_stream_is_named():
    with pytest.raises(ValueError, match="no stream is given for 'Eco-town zoning'"):
        roadmap(streams={k: v for k, v in STREAM_OF.items() if k != "Eco-town zoning"})


@pytest.mark.parametrize("year", [26, 2026.5, 2095, "2026"])
def test_an_implausible_start_year_is_refused(year):
    with pytest.raises(ValueError, match="the start year is"):
        roadmap(start_year=year)


# Checking a roadmap table

GOOD = ("Audit", "environmental", 2026, 2027, "Agency", "Audits done")


def test_end_before_start_names_the_row_and_the_action():
    bad = table([GOOD, ("Grant", "industrial", 2030, 2028, "Bank", "")])
    with pytest.raises(TableError) as error:
        check_roadmap(bad)
    assert "row 3 ('Grant') ends in 2028, before it starts in 2030" in str(error.value)
    assert "make end_year 2030 or later" in str(error.value)


def test_an_unknown_stream_in_a_table_gets_a_suggestion():
    bad = table([GOOD, ("Grant", "industry", 2026, 2028, "Bank", "")])
    with pytest.raises(TableError, match=r"row 3 is 'industry'.*did you mean 'industrial'"):
        check_roadmap(bad)


def test_years_must_be_whole_and_plausible():
    bad = table([("Audit", "environmental", 26, 2027.5, "Agency", "")])
    with pytest.raises(TableError) as error:
        check_roadmap(bad)
    assert "'start_year' in row 2 is 26; enter a year from 2000 to 2100" in str(error.value)
    assert "'end_year' in row 2 is 2027.5; enter a whole year" in str(error.value)


def test_an_action_listed_twice_and_a_missing_owner_are_refused():
    bad = table([GOOD, GOOD[:4] + ("", "")])
    with pytest.raises(TableError) as error:
        check_roadmap(bad)
    assert "'owner' in row 3 is empty" in str(error.value)


def test_a_checked_roadmap_has_whole_years_and_keeps_its_start_year():
    given = table([("Audit", "environmental", "2026", 2026.0, "Agency", None)])
    given.attrs["start_year"] = 2025
    clean = check_roadmap(given)
    assert clean["start_year"].tolist() == [2026] and clean["end_year"].dtype.kind == "i"
    assert clean.attrs["start_year"] == 2025


def test_an_indicator_column_left_blank_in_a_csv_is_accepted():
    text = "action,stream,start_year,end_year,owner,indicator\nAudit,industrial,2026,2027,Agency,\n"
    assert check_roadmap(pd.read_csv(io.StringIO(text)))["indicator"].tolist() == [""]


# Summary


def test_the_summary_counts_actions_by_stream_and_term_and_names_empty_streams():
    rows = [
        ("A", "environmental", 2026, 2027, "x", ""),
        ("B", "environmental", 2026, 2028, "x", ""),
        ("C", "environmental", 2032, 2035, "x", ""),
        ("D", "industrial", 2029, 2030, "x", ""),
    ]
    assert roadmap_summary(table(rows)) == (
        "The roadmap has 4 actions from 2026: 1 industrial (1 medium term), 3 environmental "
        "(2 short term, 1 long term). No action is planned in the regional development stream."
    )


def test_the_summary_counts_actions_without_a_lead_and_names_them():
    # Two industrial actions are scheduled (short and medium term) but have no lead yet:
    # the industrial stream is planned, so the summary must not call it empty.
    actions = {"Audits": "short term", "Skills": "medium term", "Forum": "short term"}
    streams = {"Audits": "industrial", "Skills": "industrial", "Forum": "regional development"}
    result = roadmap(actions=actions, streams=streams, owners={"Forum": "City"})
    assert roadmap_summary(result) == (
        "The roadmap has 3 actions from 2026: 2 industrial (1 short term, 1 medium term), "
        "1 regional development (1 short term). No action is planned in the environmental "
        "stream. Lead not yet chosen for 'Audits' and 'Skills'."
    )


def test_the_summary_says_when_every_stream_is_covered():
    text = roadmap_summary(roadmap(actions={k: v for k, v in ACTIONS.items() if v != "not now"}))
    assert text.startswith("The roadmap has 3 actions from 2026: 1 industrial (1 medium term)")
    assert text.endswith("Every stream has at least one action.")


def test_the_summary_of_an_empty_roadmap_names_every_stream():
    text = roadmap_summary(roadmap(actions={"Waste exchange": "not now"}))
    assert "no action to start yet" in text and all(s in text for s in STREAMS)
    assert text.endswith("1 action is 'not now': 'Waste exchange' (lead not yet chosen).")


# Roadmap chart


def test_the_timeline_draws_one_bar_per_action_from_start_to_end_of_year():
    fig = roadmap_chart(roadmap(), title="Roadmap 2026-2036")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "Roadmap 2026-2036"
    assert ax.get_xlabel().startswith("Year the action should start")
    assert ax.get_ylabel() == "Action"
    bars = [p for p in ax.patches if p.get_height() < 1]  # not the shaded term bands
    spans = sorted((b.get_x(), b.get_x() + b.get_width()) for b in bars)
    assert spans == [(2026, 2029), (2029, 2032), (2032, 2037)]  # end year included
    assert len({b.get_hatch() or "" for b in bars}) == 3  # streams differ without colour
    texts = {t.get_text().strip() for t in ax.texts}
    assert set(OWNERS.values()) <= texts
    # the terms are named with their years: 2026 + (0, 2), (3, 5), (6, 10)
    assert {"short term\n2026-2028", "medium term\n2029-2031", "long term\n2032-2036"} <= texts


def test_the_timelines_words_are_whole_and_cover_no_other():
    # from the course's own actions: the term labels ran into each other, and action names
    # were cut short ("Capital grant for a common...")
    from eic import data

    actions = data.load("roadmap_actions")
    terms = dict.fromkeys(actions["action"], "short term (0-2 years)")
    terms |= dict.fromkeys(actions["action"][3:6], "medium term (3-5 years)")
    terms |= dict.fromkeys(actions["action"][6:], "long term (6-10 years)")
    streams = dict(zip(actions["action"], actions["stream"], strict=True))
    result = roadmap_from_terms(terms, streams=streams, owners={}, start_year=2027)
    fig = roadmap_chart(result, title="Roadmap from 2027")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    names = [" ".join(t.get_text().split()) for t in ax.get_yticklabels()]
    assert sorted(names) == sorted(actions["action"])  # every name whole
    words = [t for t in [*ax.texts, *ax.get_yticklabels(), *ax.get_xticklabels(), ax.title]
             if t.get_text().strip()]  # fmt: skip
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in words]
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            assert not box.overlaps(other_box), f"{text!r} covers {other!r}"
    figure = fig.bbox
    for text, box in boxes:  # and nothing runs off the picture
        assert figure.x0 <= box.x0 and box.x1 <= figure.x1 and box.y1 <= figure.y1, text


def test_each_year_label_sits_in_the_middle_of_its_year():
    # a short-term bar covers 2026, 2027 and 2028: from x = 2026 to x = 2029, so the labels
    # 2026-2028 lie inside it and 2029 (the first medium-term year) outside
    (ax,) = roadmap_chart(roadmap(), title="Roadmap").axes
    ticks = dict(zip((t.get_text() for t in ax.get_xticklabels()), ax.get_xticks(), strict=True))
    assert ticks["2026"] == 2026.5 and ticks["2029"] == 2029.5 and ticks["2036"] == 2036.5


def test_an_action_without_a_lead_is_drawn_with_lead_not_yet_chosen():
    result = roadmap(owners={"Shared effluent plant": "Board"})
    (ax,) = roadmap_chart(result, title="Roadmap").axes
    bars = [p for p in ax.patches if p.get_height() < 1]
    assert len(bars) == 3  # no action is dropped
    open_leads = [t for t in ax.texts if t.get_text().strip() == "lead not yet chosen"]
    assert len(open_leads) == 2 and all(t.get_fontstyle() == "italic" for t in open_leads)


def test_the_timeline_groups_actions_by_stream():
    rows = [
        ("Zoning", "regional development", 2026, 2027, "x", ""),
        ("Grant", "industrial", 2030, 2031, "x", ""),
        ("Audit", "environmental", 2026, 2026, "x", ""),
    ]
    fig = roadmap_chart(table(rows), title="Roadmap")
    ticks = fig.axes[0].get_yticklabels()
    top_down = [t.get_text() for t in sorted(ticks, key=lambda t: -t.get_position()[1])]
    assert top_down == ["Grant", "Audit", "Zoning"]  # in stream order


def test_an_empty_roadmap_cannot_be_drawn():
    with pytest.raises(ValueError, match="no action to draw"):
        roadmap_chart(roadmap(actions={"Waste exchange": "not now"}), title="Roadmap")


# SWOT

PARTS = {
    "Strengths": "Skilled dyers\n\n  - Port within 5 km  \n",
    "Weaknesses": ["Old boilers", "", "No shared lab"],
    "opportunities": "Eco-town grants",
    "Threats": "",
}


def test_swot_splits_lines_drops_blanks_and_bullets_and_orders_the_parts():
    assert swot(PARTS) == {
        "Strengths": ["Skilled dyers", "Port within 5 km"],
        "Weaknesses": ["Old boilers", "No shared lab"],
        "Opportunities": ["Eco-town grants"],
        "Threats": [],
    }


def test_swot_of_a_swot_is_the_same():
    assert swot(swot(PARTS)) == swot(PARTS)


def test_a_missing_swot_part_is_named():
    parts = {k: v for k, v in PARTS.items() if k not in ("Threats", "opportunities")}
    with pytest.raises(ValueError, match="the SWOT has no Opportunities and Threats"):
        swot(parts)


def test_a_misspelt_swot_part_gets_a_suggestion():
    with pytest.raises(ValueError, match="'Weakneses'.*did you mean 'Weaknesses'"):
        swot(PARTS | {"Weakneses": "x"})


def test_a_point_that_is_not_text_is_refused():
    with pytest.raises(TypeError, match="a point in the Strengths is 3"):
        swot(PARTS | {"Strengths": ["Port", 3]})


def test_swot_html_is_a_two_by_two_table_with_headers_and_escaped_text():
    page = swot_html(PARTS | {"Threats": "<script>alert(1)</script> & floods"})
    assert page.count('scope="col"') == 2 and page.count('scope="row"') == 2
    assert "<caption>SWOT analysis</caption>" in page
    assert "<script>" not in page
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; &amp; floods</li>" in page
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    assert len(rows) == 3  # the heading row and internal / external
    assert rows[1].index("Strengths") < rows[1].index("Weaknesses")
    assert "Internal" in rows[1] and "Opportunities" in rows[2] and "Threats" in rows[2]


def test_swot_html_marks_an_empty_part():
    assert "<strong>Threats</strong><p><em>None listed.</em></p>" in swot_html(PARTS)


def test_swot_chart_is_a_titled_grid_with_every_point():
    fig = swot_chart(PARTS, title="SWOT of the cluster")
    assert isinstance(fig, Figure) and fig.get_suptitle() == "SWOT of the cluster"
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes[:2]] == [
        "Helpful to the cluster's aims",
        "Harmful to the cluster's aims",
    ]
    assert fig.axes[0].get_ylabel().startswith("Internal")
    assert fig.axes[2].get_ylabel().startswith("External")
    text = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert all(part in text for part in SWOT_PARTS)
    assert "Port within 5 km" in text and "No shared lab" in text


def test_swot_chart_wraps_long_points_to_stay_inside_their_box():
    long_points = ["Skilled workforce with decades of experience in textile dyeing"] * 40
    fig = swot_chart(PARTS | {"Strengths": long_points}, title="SWOT")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()[:40]
            assert box.y0 <= extent.y0 and extent.y1 <= box.y1, text.get_text()[:40]
    assert "more point(s)" in fig.axes[0].texts[1].get_text()


def test_cleaner_production_audits_sit_in_the_same_stream_in_modules_7_and_8():
    from eic import data

    roadmap_streams = data.load("roadmap_actions").set_index("action")["stream"]
    instrument_streams = data.load("policy_instruments").set_index("instrument")["stream"]
    assert instrument_streams["Cleaner-production audit programme"] == "environmental"
    assert roadmap_streams["Cleaner-production audits for small firms"] == "environmental"
