"""Module 3: the zero-liquid-discharge explorer's words agree with its numbers at every
slider setting, the full balance waits for questions 1 and 2, and the reading's flow
tables and figures read as the worksheet uses them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from eic import data
from eic.flows import balance, reuse_scenario, solve_unknown
from eic.panels import balance_after_answers, reuse_explorer

PLANT = "Common effluent treatment plant"
SOURCE = Path(__file__).parents[1] / "source/m03-resource-flows/m03-resource-flows.ipynb"


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def solved():
    return solve_unknown(data.load("dyeing_cluster_flows"))[0]


@pytest.mark.parametrize(("share", "left"), [(0.80, 1200), (0.95, 300), (0.98, 120), (1.0, 0)])
def test_what_the_plant_does_not_recover_is_named_for_what_it_is_at_any_share(solved, share, left):
    summary, after = reuse_scenario(solved, PLANT, {"water": share})
    # 6,000 m3/day reach the plant (1,500 + 4,500); what is not recovered is 6,000 x (1 - share)
    water = summary.set_index("substance").loc["water"]
    assert water["release_after"] == pytest.approx(left)
    out = after[(after["source"] == PLANT) & (after["target"] == "")]
    out = out[out["substance"] == "water"]
    if left:
        assert out["flow"].tolist() == ["Not recovered: evaporated or left in solid residue (ZLD)"]
        assert out["quantity"].tolist() == [pytest.approx(left)]
    else:
        assert out.empty
    # no label claims to hold a part it may be smaller than (the 150 m3/day gap)
    assert not after["flow"].str.contains("150|missing", case=False).any()
    # the gap is reported beside the scenario: 6,000 in, 5,650 + 200 measured out
    assert water["measured_gap"] == pytest.approx(150)
    assert set(balance(after)["status"]) == {"balanced"}


def test_the_explorer_says_how_much_water_must_be_evaporated_and_keeps_the_gap_unsaid(solved):
    panel = reuse_explorer(solved, PLANT, value=40, value_unit="t fabric/day")
    panel.controls["water"].value = 98
    text = plain(panel.text.value.split("</p>")[0])
    # 6,000 x 2 % = 120 m3/day must be evaporated or left in solid residue
    assert "the water the plant does not recover (120 m3/day) must be evaporated" in text
    # the worksheet's question 2 asks for the gap: the explorer must not give it
    assert "150" not in plain(panel.text.value)
    assert "including the water missing from its measured balance" in text
    panel.controls["water"].value = 100
    text = plain(panel.text.value.split("</p>")[0])
    assert "falls from 6,300 to 300 m3/day" in text
    assert "recovers all the water it receives: none is left to evaporate" in text
    assert "must be evaporated" not in text


def test_the_sliders_stay_within_shares_a_zero_discharge_plant_could_run_at(solved):
    panel = reuse_explorer(solved, PLANT, value=40, value_unit="t fabric/day")
    water, salt = panel.controls["water"], panel.controls["salt"]
    assert (water.low, water.high, salt.low, salt.high) == (80, 100, 50, 100)
    # the worksheet's questions 6, 7 and 9 read 95 % water and 70 % salt
    water.value, salt.value = 95, 70
    text = plain(panel.text.value.split("</p>")[0])
    # 6,300 - 0.95 x 6,000 = 600; 75 - 0.70 x 75 = 22.5; 6,300 / 600 = 10.5
    assert "falls from 6,300 to 600 m3/day" in text
    assert "from 75.00 to 22.50 t/day" in text
    assert "rises 10.5-fold" in text


def test_the_explorer_shows_salt_to_two_decimals_as_the_hints_give_it(solved):
    panel = reuse_explorer(solved, PLANT, value=40, value_unit="t fabric/day")
    panel.controls["salt"].value = 75
    # 75 % of 75 t/day = 56.25 recovered; 75 - 56.25 = 18.75 still bought (question 9's hint)
    table = plain(panel.text.value)
    assert "56.25" in table and "18.75" in table
    assert "56.2 " not in table and "18.8 " not in table
    assert "from 75.00 to 18.75 t/day" in table


def test_the_full_balance_waits_for_the_answers_to_questions_1_and_2(tmp_path, monkeypatch):
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    ws = Worksheet("m03", tmp_path)
    q1 = ws.number("q1_missing_flow", "1. Missing flow?", unit="m3/day")
    q2 = ws.number("q2_plant_gap", "2. Plant gap?", unit="m3/day")
    view = balance_after_answers(data.load("dyeing_cluster_flows"), [q1, q2])
    blank = plain(view.value)
    assert "appears here once your answers to questions 1 and 2 are saved" in blank
    assert "not balanced" not in blank and "150" not in blank
    q1.record(300)
    assert "not balanced" not in plain(view.value)
    q2.record(150)
    shown = plain(view.value)
    # the plant: 1,500 + 4,500 = 6,000 in, 5,650 + 200 = 5,850 out, 150 short
    assert "Common effluent treatment plant water m3/day 6,000 5,850 150 not balanced" in shown
    assert "unknown flow" in shown


def test_the_answers_to_questions_1_and_2_are_not_printed_on_the_page():
    notebook = nbformat.read(SOURCE, as_version=4)
    shown = [c.source for c in notebook.cells if c.cell_type == "code"]
    # the only balance that shows an imbalance is the one that waits for the answers
    imbalance = [s for s in shown if '"imbalance"' in s or "balance_after_answers(" in s]
    assert imbalance == [
        "from eic.panels import balance_after_answers\n\nbalance_after_answers(cluster, [q1, q2]);"
    ]
    scenario = next(
        c.source for c in notebook.cells if "zero-liquid-discharge scenario" in c.source
    )
    assert "150" not in scenario


def test_the_worked_example_shows_its_flow_table_with_the_clusters_headings():
    notebook = nbformat.read(SOURCE, as_version=4)
    example = next(c.source for c in notebook.cells if "dye_house = pd.DataFrame" in c.source)
    assert "The dye house's flow table" in example
    for heading in ('"Flow"', '"From"', '"To"', '"Substance"', '"Quantity"', '"Unit"'):
        assert heading in example


def test_the_tirupur_reading_gives_the_daily_loss_in_crore_and_its_counts_with_sources():
    notebook = nbformat.read(SOURCE, as_version=4)
    reading = next(c.source for c in notebook.cells if c.source.startswith("## Tirupur"))
    assert "Rs 50 crore (500 million rupees) a day" in reading
    assert "it does not say what the other 98 units had" in reading  # 752 - 502 - 152 = 98
    assert "20 CETPs in July 2011 (EAI, 2011)" in reading
    assert "The sources do not say why the counts differ" in reading
