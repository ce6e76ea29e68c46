"""Module 4: its questions catch the mistakes the explorer invites, its explorer names tied
anchors in a sentence, and its text says what the page shows."""

from __future__ import annotations

import html
import math
import re

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic import data
from eic.panels import symbiosis_explorer
from eic.symbiosis import (
    Factors,
    allocate_exchanges,
    exchanges_from,
    match_by_products,
    network_summary,
)
from eic.worksheet import Worksheet

FACTORS = Factors(transport_usd_per_tkm=0.10, transport_tco2e_per_tkm=0.0001)


def module_4_source() -> nbformat.NotebookNode:
    module = next(m for m in released_modules() if m["id"] == "m04")
    return nbformat.read(notebook_path(ROOT, "source", module), as_version=4)


def markdown() -> str:
    return "\n".join(c.source for c in module_4_source().cells if c.cell_type == "markdown")


def question(tmp_path, monkeypatch, qid: str):
    """The question as the worksheet builds it, with no answer recorded."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    sheet = Worksheet("m04", tmp_path)
    cell = next(c.source for c in module_4_source().cells if f'ws.number(\n    "{qid}"' in c.source)
    exec(cell.split("### BEGIN SOLUTION")[0], {"ws": sheet})
    return sheet.questions[qid]


def checked(q, typed: str) -> str:
    q.text.value = typed
    q.check_button.click()
    return html.unescape(re.sub(r"<[^>]+>", "", q.feedback.value))


# -- question 6: the saving at 15 km under 'Largest net saving' ------------------------------


def by_products_saving(limit_km: float) -> float:
    """Net saving (USD/yr) of the by-products the cluster can exchange within ``limit_km``,
    by hand: per tonne, virgin price + disposal cost - 0.10 USD per t-km by truck."""
    rows = [  # tonnes, virgin price, disposal cost, km (from the inventory's x and y)
        (8000, 30, 10, math.hypot(2, 1)),  # fly ash to the cement plant
        (4000, 30, 10, math.hypot(5, 4)),  # fly ash to the brick kilns, 6.4 km
        (2500, 10, 20, math.hypot(1, 2)),  # food waste to the biogas plant
        (2000, 25, 10, math.hypot(2, 1)),  # gypsum to the cement plant
        (300, 600, 30, math.hypot(2, 1)),  # plastic scrap
        (1500, 40, 5, math.hypot(3, 1)),  # rice husk to dye house A
        (1200, 40, 5, math.hypot(4, 3)),  # rice husk to dye house B, 5.0 km
        (600, 300, 0, math.hypot(1, 3)),  # scrap steel
    ]
    return sum(t * (v + d - 0.10 * km) for t, v, d, km in rows if km <= limit_km)


def test_question_6_hints_at_the_saving_read_at_5_km(tmp_path, monkeypatch):
    at_5_km = by_products_saving(5)  # the brick kilns out, and no steam within 5 km
    assert round(at_5_km) == 951_374
    q6 = question(tmp_path, monkeypatch, "q6_net_saving")
    said = checked(q6, f"{at_5_km:.0f}")
    assert "Think again" in said and "15 km" in said and "5 km" in said


def test_question_6_hints_at_the_steam_alone(tmp_path, monkeypatch):
    q6 = question(tmp_path, monkeypatch, "q6_net_saving")
    said = checked(q6, str(35_000 * 25))  # 35,000 t/yr of steam at USD 25 a tonne
    assert "Think again" in said and "only what the steam adds" in said


@pytest.mark.parametrize("typed", ["1.98", "1,98", "2"])
def test_question_6_does_not_take_a_saving_in_millions_as_complete(tmp_path, monkeypatch, typed):
    q6 = question(tmp_path, monkeypatch, "q6_net_saving")
    said = checked(q6, typed)
    assert said.startswith("Not complete yet") and "unit" in said, said
    assert "USD/yr, not in thousands or millions" in q6.prompt


def test_question_6_takes_the_right_saving_as_complete(tmp_path, monkeypatch):
    right = by_products_saving(15) + 35_000 * 25  # the steam goes by pipe, with no truck
    assert round(right) == 1_983_813
    q6 = question(tmp_path, monkeypatch, "q6_net_saving")
    said = checked(q6, f"{right:.0f}")
    assert "Think again" not in said and "Not complete" not in said


def test_question_7s_hint_says_how_to_read_the_map_not_which_firms_keep_an_exchange(
    tmp_path, monkeypatch
):
    q7 = question(tmp_path, monkeypatch, "q7_anchor_leaves")
    said = checked(q7, "4")
    assert "Think again" in said and "map" in said
    assert "dye house" not in said.lower() and "rice" not in said.lower()


# -- the explorer's anchors ------------------------------------------------------------------


def summary_at(limit_km: float, objective: str):
    inventory, materials = data.load("sme_inventory"), data.load("symbiosis_materials")
    found = match_by_products(inventory, max_distance_km=limit_km)
    chosen = allocate_exchanges(found, objective=objective, materials=materials, factors=FACTORS)
    return network_summary(exchanges_from(chosen))


def test_partners_tied_as_anchors_are_named_in_one_list():
    # at 15 km, most tonnes: the power plant (cement plant, brick kilns) and the rice mill
    # (two dye houses) have 2 partners each; at 6 km, saving: dye house B too (rice husk, steam)
    said = summary_at(15, "tonnes").explain()
    assert "Anchors, tied with 2 partners each: Coal power plant and Rice mill." in said
    said = summary_at(6, "saving").explain()
    three = "Coal power plant, Dye house B and Rice mill."
    assert f"Anchors, tied with 2 partners each: {three}" in said
    assert " and Dye house B and " not in said


def test_a_single_anchor_is_named_as_before():
    said = summary_at(15, "saving").explain()  # 4 partners: cement, brick kilns, two dye houses
    assert "Anchor: Coal power plant, with 4 partners." in said


def test_the_map_colours_every_tied_anchor_and_names_them_all(monkeypatch):
    from matplotlib.colors import to_hex

    import eic.panels
    from eic.foundations import PALETTE

    marked = []
    drawn = eic.panels.network_chart

    def network_chart(*args, **kwargs):
        chart = drawn(*args, **kwargs)
        figure = chart.figure
        legend = [t.get_text() for t in figure.legends[0].texts]
        circles = figure.axes[0].collections[-1]  # the partners, drawn over the links
        colours = [to_hex(c, keep_alpha=False) for c in circles.get_facecolors()]
        marked.append((legend[0], colours.count(to_hex(PALETTE[1]))))
        return chart

    monkeypatch.setattr(eic.panels, "network_chart", network_chart)
    inventory, materials = data.load("sme_inventory"), data.load("symbiosis_materials")
    panel = symbiosis_explorer(inventory, materials, FACTORS, distance_km=15, display=False)
    panel.refresh()
    # the two tied anchors, as the text names them: both coloured, both in the legend
    assert marked[-1] == (
        "Anchors, tied as the best-linked partners (Coal power plant, Rice mill)",
        2,
    )
    panel.controls["objective"].value = "saving"
    assert marked[-1] == ("Anchor: the best-linked partner (Coal power plant)", 1)


# -- the text says what the page shows --------------------------------------------------------


def test_the_worked_example_does_not_point_to_code_the_web_app_hides():
    assert "The code below" not in markdown()


def test_the_reading_speaks_plainly():
    text = markdown()
    for idiom in ("fenced estate", "strike deals", "sits in between", "put it plainly",
                  "with a wide margin"):  # fmt: skip
        assert idiom not in text, idiom
    assert "savings in the partners' own costs" in text


def test_go_further_counts_steam_apart_from_the_by_products_diverted():
    cells = module_4_source().cells
    code = next(c.source for c in cells if "for limit in (3, 5, 8, 15, 30)" in c.source)
    assert "diverted_and_shared" in code and "total['tonnes']" not in code
    assert "compares the two objectives" not in markdown()


def test_question_3_hints_at_the_count_read_at_6_km_or_from_the_savings_account(
    tmp_path, monkeypatch
):
    inventory = data.load("sme_inventory")
    # the slider one step too far: at 6 km the steam to dye house B (5.66 km) is feasible too
    assert len(match_by_products(inventory, max_distance_km=6)) == 8
    q3 = question(tmp_path, monkeypatch, "q3_exchanges_5km")
    said = checked(q3, "8")
    assert "Think again" in said and "6 km" in said and "savings account" in said
    assert "Think again" not in checked(q3, "7")
