"""Module 2: the page gives no worksheet answer away before its question, and the screen's
sentences say what its numbers say."""

from __future__ import annotations

import re

import pytest
from conftest import copy_course, notebook_path, released_modules, run_notebook

from eic import data

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
