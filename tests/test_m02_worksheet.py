"""Module 2: the page gives no worksheet answer away before its question, and the screen's
sentences say what its numbers say."""

from __future__ import annotations

import html
import re

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, copy_course, notebook_path, released_modules, run_notebook

from eic import data
from eic.clusters import candidate_clusters, lq_chart, threshold_text
from eic.panels import lq_explorer

RIVERSIDE_TEXTILES_2020 = 61_860
RIVERSIDE_ALL_2020 = 327_090
NATION_TEXTILES_2020 = 140_650
NATION_ALL_2020 = 2_531_250
# question 2's answer by hand: (61,860 / 327,090) / (140,650 / 2,531,250) = 3.4036
Q2_ANSWER = (RIVERSIDE_TEXTILES_2020 / RIVERSIDE_ALL_2020) / (
    NATION_TEXTILES_2020 / NATION_ALL_2020
)


def module_2() -> dict:
    return next(m for m in released_modules() if m["id"] == "m02")


def output_text(cell) -> str:
    """Everything a cell shows: its text and HTML outputs."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        for mime in ("text/html", "text/markdown", "text/plain"):
            parts.append(str(output.get("data", {}).get(mime, "")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def released_run(tmp_path_factory):
    """The participant's notebook of Module 2, run top to bottom as it is released."""
    base = copy_course(tmp_path_factory.mktemp("m02"))
    return run_notebook(notebook_path(base, "release", module_2()))


def test_the_bundled_table_gives_question_2_its_figures():
    table = data.load("regional_employment")
    in_2020 = table[table["year"] == 2020]
    riverside = in_2020[in_2020["region"] == "Riverside"]
    textiles = in_2020[in_2020["sector"] == "Textiles & dyeing"]
    assert riverside["employment"].sum() == RIVERSIDE_ALL_2020
    assert textiles.loc[textiles["region"] == "Riverside", "employment"].item() == 61_860
    assert textiles["employment"].sum() == NATION_TEXTILES_2020
    assert in_2020["employment"].sum() == NATION_ALL_2020
    assert round(Q2_ANSWER, 2) == 3.40


def test_no_output_before_question_2_shows_riversides_location_quotients(released_run):
    """The worked example's table of every province's quotients used to show Riverside's
    3.40 above question 2, which asks the participant to compute it."""
    cells = released_run.cells
    q2 = next(
        i
        for i, c in enumerate(cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_lq_textiles"
    )
    before = "\n".join(output_text(c) for c in cells[:q2])
    assert f"{Q2_ANSWER:.2f}" not in before
    assert "Location quotient of each sector in four provinces" in before
    assert not re.search(r"<t[dh][^>]*>\s*Riverside\s*</t[dh]>", before), "a Riverside row"
    # the other four provinces are still there, e.g. Coastal Port's chemicals at 1.60
    for province in ("Coastal Port", "Capital Fringe", "Highlands", "Delta"):
        assert province in before


# -- the screen's sentences say what its numbers say ---------------------------------------


def grown_alike(extra: int = 0) -> pd.DataFrame:
    """Two regions whose every sector grows by 10 % from 2015 to 2020, as the nation's does;
    ``extra`` persons more in North's textiles in 2020."""
    start = {("North", "Textiles"): 9_000, ("North", "Food"): 5_000}
    start |= {("South", "Textiles"): 4_000, ("South", "Food"): 8_000}
    rows = []
    for (region, sector), persons in start.items():
        rows.append((region, sector, 2015, persons))
        more = extra if (region, sector) == ("North", "Textiles") else 0
        rows.append((region, sector, 2020, persons * 11 // 10 + more))
    return pd.DataFrame(rows, columns=["region", "sector", "year", "employment"])


def test_a_sector_that_kept_pace_with_the_nation_is_not_said_to_be_ahead_of_it():
    """A regional shift of 0 persons was read as "ahead of the sector's national trend"."""
    found = candidate_clusters(grown_alike(), "North", start=2015)
    for reason in found["reason"]:
        assert "regional shift since 2015: +0 persons (in line with the sector's" in reason
        assert "ahead of" not in reason and "behind" not in reason


def test_a_shift_that_rounds_to_no_person_is_in_line_and_one_person_is_ahead():
    # North textiles 2020: 9,901 (one more); nation 13,000 -> 14,301, so by hand the
    # regional shift is 9,901 - 9,000 x 14,301 / 13,000 = 9,901 - 9,900.69 = +0.31 persons
    small = candidate_clusters(grown_alike(extra=1), "North", start=2015)
    textiles = small.set_index("sector").loc["Textiles"]
    assert textiles["regional_shift"] == pytest.approx(9_901 - 9_000 * 14_301 / 13_000)
    assert "+0 persons (in line with" in textiles["reason"]
    # 20 more: 9,920 - 9,000 x 14,320 / 13,000 = 9,920 - 9,913.85 = +6.15, shown as +6
    larger = candidate_clusters(grown_alike(extra=20), "North", start=2015)
    reason = larger.set_index("sector").loc["Textiles", "reason"]
    assert "+6 persons (ahead of the sector's national trend)" in reason


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_the_explorer_writes_the_threshold_as_its_slider_does_in_every_sentence():
    """At 1.20 the heading said "a threshold of 1.20" while each reason said "1.2" and the
    chart's legend "LQ = 1.2"; question 4 asks about 1.20."""
    explorer = lq_explorer(data.load("regional_employment"), "Riverside", start=None, display=False)
    explorer.controls["threshold"].value = 1.2
    text = plain(explorer.text.value)
    assert "at a threshold of 1.20:" in text
    assert "LQ 1.23 is at least 1.20: a candidate cluster" in text  # metals & machinery
    assert "LQ 1.07 is below the 1.20 threshold" in text  # agriculture & food processing
    assert not re.search(r"\b1\.2\b", text), text
    found = candidate_clusters(data.load("regional_employment"), "Riverside", lq_threshold=1.5)
    legend = [
        t.get_text()
        for t in lq_chart(found, "Riverside", threshold=1.5).axes[0].get_legend().get_texts()
    ]
    assert "Threshold (LQ = 1.50)" in legend
    assert threshold_text(1.2) == "1.20" and threshold_text(1.801) == "1.801"


# -- question 2's Check names the rounding of the shares -----------------------------------


def question_2(folder):
    """Question 2 as the released notebook builds it, in a worksheet kept in ``folder``."""
    from eic.worksheet import Worksheet

    notebook = nbformat.read(notebook_path(ROOT, "release", module_2()), as_version=4)
    cell = next(
        c
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_lq_textiles"
    )
    code = cell.source.rsplit("\nq2", 1)[0]  # the question, less the line that shows it
    names = {"ws": Worksheet("m02", folder)}
    exec(code, names)
    return names["q2"]


@pytest.mark.parametrize(
    ("typed", "shares"),
    [
        ("3.17", (0.19, 0.06)),  # 0.19 / 0.06 = 3.1667
        ("3.16", (0.19, 0.06)),
        ("3.38", (0.189, 0.056)),  # 0.189 / 0.056 = 3.375
        ("3,37", (0.189, 0.056)),
    ],
)
def test_shares_rounded_before_dividing_get_a_hint_that_says_so(
    tmp_path, monkeypatch, typed, shares
):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    q2 = question_2(tmp_path)
    regional, national = shares
    assert abs(regional / national - float(typed.replace(",", "."))) < 0.011
    assert abs(float(typed.replace(",", ".")) - Q2_ANSWER) > 0.011  # wrong by the grade's rule
    q2.text.value = typed
    said = " ".join(q2.check())
    assert f"({regional} and {national})" in said, said
    assert "round only the result" in said


def test_the_right_answer_to_question_2_gets_no_rounding_hint(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    q2 = question_2(tmp_path)
    for typed in ("3.40", "3.4", "3.39", "3.41"):
        q2.text.value = typed
        assert "rounded" not in " ".join(q2.check()), typed


def test_the_own_data_shift_share_table_signs_its_changes_as_the_worksheet_does():
    """The own-data panel's table wrote changes without a sign (240, where the worksheet's
    table writes +240) and doubled its brackets: "National share (national growth)
    (persons)"."""
    from conftest import shown_html

    from eic.own_analyses import employment_analysis

    shown = plain(shown_html(employment_analysis(grown_alike(), settings={"region": "North"})))
    assert "National share (national growth), persons" in shown
    assert ") (persons)" not in shown
    # North's textiles grew from 9,000 to 9,900 with the nation's 10 %: by hand, an actual
    # change of +900, all of it national share; industry mix and regional shift 0
    row = re.search(r"Textiles\s+9,000\s+9,900\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", shown)
    assert row, shown
    assert row.groups() == ("+900", "+900", "+0", "+0")


def test_the_lq_charts_values_are_readable_where_a_dashed_line_runs_through_them():
    """Coastal Port's 0.97 and 1.21 sat on the dashed line at 1 (and Riverside's 1.23 on
    the threshold at 1.20): each value now has a white ground drawn above the lines."""
    found = candidate_clusters(data.load("regional_employment"), "Coastal Port", start=2010)
    ax = lq_chart(found, "Coastal Port", threshold=1.25).axes[0]
    values = {t.get_text(): t for t in ax.texts}
    assert {"0.97", "1.21", "1.60"} <= set(values)
    top_line = max(line.get_zorder() for line in ax.lines)
    for text in values.values():
        ground = text.get_bbox_patch()
        assert ground is not None and ground.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert text.get_zorder() > top_line


# -- the worksheet shows the cluster map its third objective names -------------------------


def riverside_candidates() -> pd.DataFrame:
    return candidate_clusters(data.load("regional_employment"), "Riverside", start=2010)


def test_the_cluster_map_puts_each_sector_at_its_quotient_and_regional_shift():
    from eic.clusters import cluster_map_chart

    ax = cluster_map_chart(riverside_candidates(), "Riverside").axes[0]
    assert ax.get_title() == "Cluster map of Riverside, 2010-2020"
    assert ax.get_xlabel() == "Location quotient in 2020 (1 = national average)"
    assert ax.get_ylabel() == "Regional shift since 2010 (persons)"
    points = {tuple(xy) for xy in ax.collections[0].get_offsets().round(2).tolist()}
    # by hand: textiles (61,860 / 327,090) / (140,650 / 2,531,250) = 3.40 and
    # 61,860 - 40,320 x 159,140 / 140,650 ... as computed in the shift-share table: +16,240;
    # chemicals 1.33 and 15,170 - 15,360 x 88,260 / 72,630 = -3,495.5
    textiles = (round(Q2_ANSWER, 2), 16_240.07)
    chemicals = (1.33, round(15_170 - 15_360 * 88_260 / 72_630, 2))
    assert any(abs(x - textiles[0]) < 0.01 and abs(y - textiles[1]) < 1 for x, y in points)
    assert any(abs(x - chemicals[0]) < 0.01 and abs(y - chemicals[1]) < 1 for x, y in points)
    # the largest bubble is the largest employer, services (92,270 persons)
    sizes = ax.collections[0].get_sizes()
    assert len(sizes) == 8 and max(sizes) == sizes[0]
    names = [t.get_text() for t in ax.texts]
    assert sorted(names) == sorted(riverside_candidates()["sector"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Threshold (LQ = 1.25)" in legend
    assert ax.get_legend().get_title().get_text() == "Bubble area: persons employed in 2020"


def test_the_cluster_maps_names_do_not_overlap():
    from eic.clusters import cluster_map_chart

    for region in ("Riverside", "Coastal Port", "Capital Fringe", "Highlands", "Delta"):
        found = candidate_clusters(data.load("regional_employment"), region, start=2010)
        fig = cluster_map_chart(found, region)
        fig.canvas.draw()
        # each name's white ground (the text's own extent takes in its leader line too)
        boxes = [t.get_bbox_patch().get_window_extent() for t in fig.axes[0].texts]
        for i, one in enumerate(boxes):
            for other in boxes[i + 1 :]:
                assert not one.overlaps(other), region


def test_the_cluster_map_needs_a_start_year():
    from eic.clusters import cluster_map_chart

    one_year = candidate_clusters(data.load("regional_employment"), "Riverside")
    with pytest.raises(ValueError, match="needs a start year"):
        cluster_map_chart(one_year, "Riverside")


def test_the_released_page_shows_riversides_cluster_map_before_questions_7_and_8(released_run):
    cells = released_run.cells
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
    shown = output_text(cells[ids.index("worksheet_cluster_map")])
    assert "<img" in shown and "Cluster map of Riverside" in shown
    assert "Right of the 1.25 threshold and above zero: Textiles &amp; dyeing." in shown
    assert "Right of the threshold but below zero: Chemicals." in shown
    assert ids.index("worksheet_shift_share") < ids.index("worksheet_cluster_map")
    assert ids.index("worksheet_cluster_map") < ids.index("q7_chemicals_reading")


def test_the_reading_speaks_plainly():
    """Idioms an official reading in a second language would trip on are said plainly."""
    notebook = nbformat.read(notebook_path(ROOT, "source", module_2()), as_version=4)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for idiom in ("rising tide", "a leftover", "a different conversation"):
        assert idiom not in text, idiom
    assert "if it simply kept pace with the whole national economy" in text
