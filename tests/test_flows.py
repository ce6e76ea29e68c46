"""eic.flows: balances, the unknown flow, eco-efficiency, reuse and the Sankey diagram.

Expected numbers are worked out by hand in the comments, or follow from mass balance."""

from __future__ import annotations

import random

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from eic import data
from eic.flows import (
    balance,
    check_flows,
    eco_efficiency,
    reuse_scenario,
    sankey_chart,
    solve_unknown,
)
from eic.tables import TableError

COLUMNS = ["flow", "source", "target", "substance", "quantity", "unit"]


def flows(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


# A dye house takes 100 m3/day from a well; 90 leave as effluent to a treatment plant,
# which discharges 85 and keeps 5 in a sludge pond (stock); the vapour is not measured.
DYE_HOUSE = flows(
    ("Well water", "", "Dye house", "water", 100, "m3/day"),
    ("Effluent", "Dye house", "Plant", "water", 90, "m3/day"),
    ("Vapour", "Dye house", "", "water", None, "m3/day"),
    ("Discharge", "Plant", "", "water", 85, "m3/day"),
    ("Sludge pond", "Plant", "stock", "water", 5, "m3/day"),
)


def test_the_unknown_flow_is_what_closes_its_process_balance():
    solved, flow = solve_unknown(DYE_HOUSE)
    # 100 in = 90 effluent + vapour, so the vapour is 10 m3/day
    assert (flow.name, flow.quantity, flow.unit, flow.process) == (
        "Vapour",
        10.0,
        "m3/day",
        "Dye house",
    )
    assert "10 m3/day" in flow.explain() and "Dye house" in flow.explain()
    assert set(balance(solved)["status"]) == {"balanced"}


def test_balance_counts_the_stock_change_and_reports_the_unknown():
    table = balance(DYE_HOUSE).set_index("process")
    # the plant: 90 in = 85 out + 5 to stock
    assert table.loc["Plant", "stock_change"] == 5
    assert table.loc["Plant", "imbalance"] == 0
    assert table.loc["Plant", "status"] == "balanced"
    assert table.loc["Dye house", "status"] == "unknown flow"
    assert table.loc["Dye house", "unknown_flows"] == "Vapour"


def test_an_imbalance_is_measured_in_units_and_percent():
    table = DYE_HOUSE.copy()
    table.loc[3, "quantity"] = 80  # discharge under-metered by 5
    plant = balance(table).set_index("process").loc["Plant"]
    # 90 in - 80 out - 5 stock = 5 m3/day, 5/90 = 5.56 % of the larger side
    assert plant["imbalance"] == pytest.approx(5)
    assert plant["imbalance_pct"] == pytest.approx(100 * 5 / 90)
    assert plant["status"] == "not balanced"


@pytest.mark.parametrize(
    ("blank", "expected"),
    [
        (1, ("Effluent", 90.0, "Dye house")),  # internal: from the process it leaves
        (0, ("Well water", 100.0, "Dye house")),  # an import: from the process it enters
    ],
)
def test_an_unknown_flow_is_solved_from_the_process_it_touches(blank, expected):
    table = DYE_HOUSE.copy()
    table.loc[blank, "quantity"] = None
    table.loc[2, "quantity"] = 10
    solved, flow = solve_unknown(table)
    assert (flow.name, flow.quantity, flow.process) == expected
    assert set(balance(solved)["status"]) == {"balanced"}


def test_a_balance_that_needs_a_negative_flow_is_refused_with_the_reason():
    table = DYE_HOUSE.copy()
    table.loc[1, "quantity"] = 120  # more effluent than water taken in
    with pytest.raises(ValueError, match="cannot be negative.*Dye house"):
        solve_unknown(table)


def test_solving_needs_exactly_one_unknown():
    two = DYE_HOUSE.copy()
    two.loc[3, "quantity"] = None
    with pytest.raises(ValueError, match="2 flows are unknown.*'Vapour', 'Discharge'"):
        solve_unknown(two)
    with pytest.raises(ValueError, match="no flow is unknown"):
        solve_unknown(solve_unknown(DYE_HOUSE)[0])


def random_balanced_chain(rng: random.Random) -> pd.DataFrame:
    """A chain of processes where each passes part of its input on and releases the rest."""
    rows = [("Intake", "", "P0", "water", rng.randint(100, 10_000), "m3/day")]
    carried = rows[0][4]
    count = rng.randint(1, 5)
    for i in range(count):
        onward = round(carried * rng.uniform(0.3, 0.95), 3) if i < count - 1 else 0
        released = carried - onward
        rows.append((f"Release {i}", f"P{i}", "", "water", released, "m3/day"))
        if onward:
            rows.append((f"P{i} to P{i + 1}", f"P{i}", f"P{i + 1}", "water", onward, "m3/day"))
        carried = onward
    return flows(*rows)


@pytest.mark.parametrize("seed", range(25))
def test_any_blanked_flow_of_a_balanced_table_is_recovered(seed):
    rng = random.Random(seed)
    table = random_balanced_chain(rng)
    assert set(balance(table)["status"]) == {"balanced"}
    position = rng.randrange(len(table))
    original = table.loc[position, "quantity"]
    table.loc[position, "quantity"] = None
    solved, flow = solve_unknown(table)
    assert flow.quantity == pytest.approx(original)
    assert set(balance(solved)["status"]) == {"balanced"}


@pytest.mark.parametrize("seed", range(25))
def test_a_reuse_scenario_keeps_a_balanced_table_balanced(seed):
    rng = random.Random(seed)
    intake = rng.randint(100, 10_000)
    lost = round(intake * rng.uniform(0, 0.5), 3)
    stored = round((intake - lost) * rng.uniform(0, 0.2), 3)
    table = flows(
        ("Intake", "", "Mill", "water", intake, "m3/day"),
        ("Vapour", "Mill", "", "water", lost, "m3/day"),
        ("Effluent", "Mill", "Plant", "water", intake - lost, "m3/day"),
        ("Sludge", "Plant", "stock", "water", stored, "m3/day"),
        ("Discharge", "Plant", "", "water", intake - lost - stored, "m3/day"),
    )
    assert set(balance(table)["status"]) == {"balanced"}
    share = rng.uniform(0, 1) * (intake - lost - stored) / (intake - lost)  # what can come back
    summary, after = reuse_scenario(table, "Plant", {"water": share})
    assert set(balance(after)["status"]) == {"balanced"}
    row = summary.iloc[0]
    assert row["recovered"] == pytest.approx(share * (intake - lost))
    assert row["supply_before"] - row["supply_after"] == pytest.approx(row["recovered"])
    assert row["release_after"] == pytest.approx(intake - lost - stored - row["recovered"])


def test_recovering_more_than_the_supplier_buys_is_refused():
    table = flows(
        ("Intake", "", "Mill", "water", 100, "m3/day"),
        ("Effluent", "Mill", "Finisher", "water", 100, "m3/day"),
        ("To plant", "Finisher", "Plant", "water", 100, "m3/day"),
        ("Discharge", "Plant", "", "water", 100, "m3/day"),
    )
    with pytest.raises(ValueError, match="more than it takes from outside"):
        reuse_scenario(table, "Plant", {"water": 0.5})


def test_zero_liquid_discharge_shares_applied_to_the_course_dataset():
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    plant = "Common effluent treatment plant"
    summary, after = reuse_scenario(solved, plant, {"water": 0.96, "salt": 0.75})
    water = summary.set_index("substance").loc["water"]
    salt = summary.set_index("substance").loc["salt"]
    # 1,500 + 4,500 = 6,000 m3/day reach the plant; 96 % = 5,760 come back,
    # so the wells supply 6,300 - 5,760 = 540, and 6,000 - 5,760 = 240 are not recovered
    assert water["plant_inflow"] == 6000
    assert water["recovered"] == pytest.approx(5760)
    assert water["supply_after"] == pytest.approx(540)
    assert water["release_after"] == pytest.approx(240)
    # 75 t/day of salt reach the plant; 75 % = 56.25 t come back; 18.75 t still bought
    assert salt["supply_after"] == pytest.approx(18.75)
    assert set(balance(after)["status"]) == {"balanced"}


def test_a_zero_liquid_discharge_scenario_sends_nothing_to_the_river():
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    plant = "Common effluent treatment plant"
    summary, after = reuse_scenario(solved, plant, {"water": 0.95, "salt": 0.75})
    # no liquid leaves: the river and sludge flows are gone, whatever their old size
    assert not after["flow"].str.contains("river|sludge", case=False).any()
    out = after[(after["source"] == plant) & (after["target"] == "")].set_index("substance")
    # 6,000 m3/day reach the plant, 95 % = 5,700 come back, 6,000 - 5,700 = 300 do not;
    # 150 m3/day were missing from the measured balance (6,000 in, 5,650 + 200 out)
    assert out.loc["water", "flow"] == "Not recovered: evaporated or left in solid residue (ZLD)"
    assert out.loc["water", "quantity"] == pytest.approx(300)
    water = summary.set_index("substance").loc["water"]
    assert water["release_before"] == pytest.approx(5850)
    assert water["release_after"] == pytest.approx(300)
    assert water["measured_gap"] == pytest.approx(150)
    # salt balanced as measured (75 in, 75 out), so it has no gap: 25 % of 75 is residue
    assert out.loc["salt", "flow"] == "Not recovered: left in solid residue (ZLD)"
    assert summary.set_index("substance").loc["salt", "measured_gap"] == 0
    assert out.loc["salt", "quantity"] == pytest.approx(18.75)
    # the plant: 6,000 in = 5,700 recovered + 300 vapour or solid residue
    state = balance(after).set_index(["process", "substance"])
    plant_water = state.loc[(plant, "water")]
    assert (plant_water["inputs"], plant_water["outputs"]) == (6000, pytest.approx(6000))


def test_a_zero_liquid_discharge_residue_is_all_not_recovered_and_no_gap_when_none_measured():
    table = flows(
        ("Intake", "", "Mill", "water", 100, "m3/day"),
        ("Effluent", "Mill", "Plant", "water", 100, "m3/day"),
        ("Discharge", "Plant", "", "water", 80, "m3/day"),
        ("Sludge", "Plant", "", "water", 20, "m3/day"),
    )
    summary, after = reuse_scenario(table, "Plant", {"water": 0.9})
    out = after[(after["source"] == "Plant") & (after["target"] == "")]
    # 100 in, 90 recovered: 10 not recovered; 80 + 20 measured out, so no gap
    assert out[["flow", "quantity"]].values.tolist() == [
        ["Not recovered: evaporated or left in solid residue (ZLD)", pytest.approx(10)]
    ]
    assert summary.loc[0, "measured_gap"] == 0


def test_the_course_dataset_has_the_gaps_the_worksheet_asks_about():
    table = data.load("dyeing_cluster_flows")
    assert table.attrs["provenance"].startswith("Illustrative, constructed for training")
    state = balance(table).set_index(["process", "substance"])
    # dye houses: 6,300 in, 1,500 + 4,500 out, so 300 m3/day are unaccounted for
    assert state.loc[("Dyeing units", "water"), "status"] == "unknown flow"
    assert solve_unknown(table)[1].quantity == 300
    # the plant: 6,000 in, 5,650 + 200 out: 150 m3/day short
    plant = state.loc[("Common effluent treatment plant", "water")]
    assert (plant["status"], plant["imbalance"]) == ("not balanced", 150)


def test_eco_efficiency_is_value_per_unit_of_influence():
    result = eco_efficiency(
        40, "t fabric/day", {"freshwater": (6300, "m3/day"), "salt": (75, "t/day")}
    ).set_index("influence")
    assert result.loc["freshwater", "eco_efficiency"] == pytest.approx(40 / 6300)
    assert result.loc["salt", "eco_efficiency"] == pytest.approx(40 / 75)
    assert result.loc["salt", "ratio_unit"] == "t fabric per t (per day)"


@pytest.mark.parametrize(
    ("value", "influences", "message"),
    [
        (40, {"freshwater": (0, "m3/day")}, "must be above 0"),
        (40, {"freshwater": ("lots", "m3/day")}, "enter a number"),
        (-1, {"freshwater": (10, "m3/day")}, "cannot be negative"),
        (40, {}, "at least one"),
    ],
)
def test_eco_efficiency_refuses_unusable_inputs(value, influences, message):
    with pytest.raises(ValueError, match=message):
        eco_efficiency(value, "t/day", influences)


def test_a_recovery_share_outside_zero_to_one_is_refused():
    solved, _ = solve_unknown(DYE_HOUSE)
    with pytest.raises(ValueError, match="give 0 to 1"):
        reuse_scenario(solved, "Plant", {"water": 1.5})
    with pytest.raises(ValueError, match="no process named 'Plan'"):
        reuse_scenario(solved, "Plan", {"water": 0.5})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.rename(columns={"quantity": "quantiy"}), "'quantiy' meant to be 'quantity'"),
        (lambda t: t.assign(quantity=["12 t", 90, None, 85, 5]), r"text in row 2 \('12 t'\)"),
        (lambda t: t.assign(quantity=[100, -90, None, 85, 5]), "row 3 is -90.*negative"),
        (lambda t: t.assign(unit=["m3"] * 5), "'m3', which is not used here: .* in m3/day"),
        (lambda t: t.assign(flow=["A", "A", "B", "C", "D"]), "row 2 and row 3 repeat flow 'A'"),
        (lambda t: t.assign(unit=["m3/day"] * 4 + ["m3/yr"]), "use one unit for each substance"),
        (lambda t: t.assign(target=["Dye house"] * 5), "to itself"),
        (lambda t: t.iloc[0:0], "has no rows"),
    ],
)
def test_bad_flow_tables_are_refused_with_the_row_column_and_fix(change, message):
    with pytest.raises(TableError, match=message):
        check_flows(change(DYE_HOUSE.copy()))


def test_sankey_chart_draws_imports_processes_exports_and_recycles():
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    _, after = reuse_scenario(solved, "Common effluent treatment plant", {"water": 0.96})
    fig = sankey_chart(after, "water")
    texts = " ".join(" ".join(t.get_text().split()) for t in fig.axes[0].texts)
    assert "m3/day" in fig.axes[0].get_title()
    assert "Groundwater and tanker water" in texts and "540 m3/day" in texts
    assert "(returns to Dyeing units)" in texts and "5,760 m3/day" in texts
    plt.close(fig)
    before = sankey_chart(data.load("dyeing_cluster_flows"), "water")
    assert "1 unknown flow not drawn" in before.axes[0].get_title()
    plt.close(before)
    with pytest.raises(ValueError, match="no flows of 'energy'.*fabric, salt, water"):
        sankey_chart(after, "energy")


def test_what_a_process_keeps_is_drawn_with_its_quantity():
    # the sludge pond keeps 5 m3/day at the plant: its node said "stock of Plant" with no
    # quantity, since a band into a stock has no label of its own
    solved, _ = solve_unknown(DYE_HOUSE)
    fig = sankey_chart(solved, "water")
    labels = [" ".join(t.get_text().split()) for t in fig.axes[0].texts]
    assert "Stock in Plant 5 m3/day" in labels
    plt.close(fig)


def test_a_process_name_stays_readable_where_a_band_passes_over_it():
    # the vapour leaving the dye house passes over the plant's name: drawn under the band,
    # "Plant" was covered by it
    solved, _ = solve_unknown(DYE_HOUSE)
    fig = sankey_chart(solved, "water")
    ax = fig.axes[0]
    names = [t for t in ax.texts if t.get_fontweight() == "bold"]
    assert {" ".join(t.get_text().split()) for t in names} >= {"Dye house", "Plant"}
    bands = max(p.get_zorder() for p in ax.patches)
    for name in names:
        assert name.get_zorder() > bands and name.get_bbox_patch() is not None
        assert name.get_bbox_patch().get_facecolor()[3] >= 0.8  # a ground that hides bands
    plt.close(fig)
