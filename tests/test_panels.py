"""Worksheet panels redraw their sentence, table and chart when a control moves, and show
a message instead of failing when the analysis cannot run."""

from __future__ import annotations

import html
import re

import pandas as pd

from eic import data
from eic.explorers import Explorer, table_html
from eic.flows import solve_unknown
from eic.panels import (
    cost_sharing_explorer,
    lq_explorer,
    portfolio_explorer,
    reuse_explorer,
    symbiosis_explorer,
)
from eic.symbiosis import Factors


def headline(explorer: Explorer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", explorer.text.value.split("</p>")[0]))


def test_the_threshold_moves_sectors_in_and_out_of_the_candidates():
    panel = lq_explorer(data.load("regional_employment"), "Riverside", start=2010)
    assert headline(panel).startswith(
        "Candidate clusters in Riverside at a threshold of 1.25: Textiles & dyeing, Chemicals."
    )
    panel.controls["threshold"].value = 1.2
    assert "Chemicals, Metals & machinery." in headline(panel)
    assert bytes(panel.image.value).startswith(b"\x89PNG") and panel.image.layout.display is None


def test_the_recovery_shares_change_freshwater_and_salt_bought():
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    panel = reuse_explorer(
        solved, "Common effluent treatment plant", value=40, value_unit="t fabric/day"
    )
    panel.controls["water"].value = 95
    panel.controls["salt"].value = 70
    # 6,300 - 0.95 x 6,000 = 600 m3/day; 75 - 0.70 x 75 = 22.5 t/day; 6,300 / 600 = 10.5
    text = headline(panel)
    assert "falls from 6,300 to 600 m3/day" in text
    assert "from 75.0 to 22.5 t/day" in text
    assert "rises 10.5-fold" in text


def test_a_scenario_that_cannot_run_shows_its_reason_and_hides_the_chart():
    table = pd.DataFrame(
        {
            "flow": ["Intake", "Effluent", "Discharge"],
            "source": ["", "Mill", "Plant"],
            "target": ["Mill", "Plant", ""],
            "substance": ["water", "water", "water"],
            "quantity": [100, 100, 100],
            "unit": ["m3/day"] * 3,
        }
    )
    panel = reuse_explorer(table, "Plant", value=1, value_unit="t/day")
    assert "salt" in panel.text.value and "role='alert'" in panel.text.value
    assert panel.image.layout.display == "none"


def test_the_distance_limit_and_objective_change_the_exchanges():
    panel = symbiosis_explorer(
        data.load("sme_inventory"), data.load("symbiosis_materials"), Factors(0.10, 0.0001)
    )
    assert headline(panel).startswith("Within 15 km: 10 feasible exchanges; 55,100 t/yr")
    panel.controls["distance"].value = 5
    assert headline(panel).startswith("Within 5 km: 7 feasible exchanges; 16,100 t/yr")
    panel.controls["distance"].value = 1
    assert "No feasible exchange within 1 km" in panel.text.value
    assert panel.image.layout.display == "none"


def test_tables_are_captioned_and_blank_cells_shown_as_a_dash():
    shown = table_html(
        pd.DataFrame({"sector": ["A"], "lq": [float("nan")]}),
        caption="Sectors",
        headers={"lq": "Location quotient"},
    )
    assert "<caption" in shown and ">Sectors</caption>" in shown
    assert "<th scope='col'" in shown and "Location quotient" in shown
    assert "–" in shown


def test_the_rate_and_budget_change_the_appraisal_and_the_best_set():
    panel = portfolio_explorer(data.load("cluster_options"), budget=500_000, rate=10)
    assert headline(panel).startswith("At 10 %, 7 of the 10 options pay for themselves")
    panel.controls["rate"].value = 5
    assert headline(panel).startswith("At 5 %, 9 of the 10 options pay for themselves")
    panel.controls["budget"].value = 0
    assert "choose no option" in panel.text.value


def test_the_sharing_rule_switches_the_verdict_on_stability():
    panel = cost_sharing_explorer(data.load("cetp_firms"))
    assert headline(panel).startswith("By effluent volume: Not in the core: Dye house A, Dye")
    panel.controls["rule"].value = "shapley"
    assert headline(panel).startswith("Shapley value: In the core")
