"""eic.cost_sharing: the plant cost, Shapley shares and the core against hand calculations
and properties (shares add up to the plant's cost; symmetric firms pay alike; a firm that
adds no cost pays nothing), the CETP dataset's properties recomputed independently, and
clear errors for bad firms tables."""

from __future__ import annotations

import functools
import itertools
import math
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eic.cost_sharing import (
    CETP_PLANT,
    COD_USD_PER_KG,
    cetp_plant_cost,
    check_firms,
    coalition_cost,
    coalition_costs,
    compare_rules,
    core_check,
    equal_shares,
    plant_cost,
    proportional_shares,
    shapley_shares,
)
from eic.cost_sharing_chart import shares_chart, shares_description
from eic.tables import TableError

matplotlib.use("Agg")

DATA = Path(__file__).resolve().parents[1] / "lib" / "eic" / "data"
CETP = pd.read_csv(DATA / "cetp_firms.csv")

# A 3-firm game small enough to do by hand (USD/yr).
HAND = {
    frozenset("A"): 30, frozenset("B"): 40, frozenset("C"): 60,
    frozenset("AB"): 60, frozenset("AC"): 80, frozenset("BC"): 90,
    frozenset("ABC"): 100,
}  # fmt: skip


def firms(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["firm", "effluent_m3_per_day", "cod_mg_per_l"])


# --- the plant's cost -----------------------------------------------------------------------


def test_plant_cost_at_the_reference_flow_is_fixed_plus_unit_cost_times_volume():
    # 40,000 + 0.60 USD/m3 x 1,000 m3/day x 365 days = 40,000 + 219,000
    assert plant_cost(1_000, **CETP_PLANT) == pytest.approx(259_000)
    # at 500 m3/day: 40,000 + 219,000 x 0.5**0.65 = 40,000 + 219,000 x 0.637280 = 179,564
    assert cetp_plant_cost(500) == pytest.approx(179_564, abs=1)


def test_with_an_exponent_below_1_a_bigger_plant_costs_less_per_m3():
    per_m3 = [cetp_plant_cost(q) / (365 * q) for q in (100, 200, 400, 800, 1_600, 3_200)]
    assert per_m3 == sorted(per_m3, reverse=True)
    flat = {"fixed_usd_per_yr": 0, "unit_usd_per_m3": 1.0, "scale_exponent": 1}
    assert plant_cost(250, **flat) == pytest.approx(365 * 250)  # no economies of scale


@pytest.mark.parametrize(
    ("flow", "settings_", "message"),
    [
        (0, {}, "the flow \\(m3 per day\\) is 0; it must be above 0"),
        (-5, {}, "the flow \\(m3 per day\\) is -5; it must be above 0"),
        (100, {"scale_exponent": 1.2}, "the scale exponent is 1.2; use a number above 0"),
        ("100", {}, "the flow \\(m3 per day\\) is '100'; enter a number"),
    ],
)
def test_plant_cost_rejects_impossible_inputs(flow, settings_, message):
    with pytest.raises(ValueError, match=message):
        plant_cost(flow, **{**CETP_PLANT, **settings_})


def test_a_coalition_pays_its_plant_plus_its_cod_load():
    table = firms(("A", 100, 1_000), ("B", 300, 200))
    cost = coalition_cost(table, lambda flow: 1_000 * flow, usd_per_kg_cod=0.25)
    # A: 100 m3/day x 1,000 mg/L = 100 kg COD/day = 36,500 kg/yr, x 0.25 = 9,125 USD/yr
    assert cost(frozenset({"A"})) == pytest.approx(100_000 + 9_125)
    # A + B: 400 m3/day; 100 + 60 kg/day = 160 x 365 x 0.25 = 14,600
    assert cost(frozenset({"A", "B"})) == pytest.approx(400_000 + 14_600)
    costs = coalition_costs(table, lambda flow: 1_000 * flow, usd_per_kg_cod=0.25)
    assert len(costs) == 3 and costs[frozenset({"B"})] == pytest.approx(300_000 + 5_475)


def test_without_a_cod_column_only_the_flow_counts():
    table = pd.DataFrame({"firm": ["A", "B"], "effluent_m3_per_day": [100, 300]})
    assert coalition_cost(table, math.sqrt)(frozenset({"A", "B"})) == pytest.approx(20)


# --- equal and proportional shares ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    flows=st.lists(st.floats(0.1, 1e5), min_size=1, max_size=12),
    total=st.floats(0, 1e8),
)
def test_equal_and_proportional_shares_add_up_to_the_total(flows, total):
    table = pd.DataFrame({"firm": [f"F{i}" for i in range(len(flows))],
                          "effluent_m3_per_day": flows})  # fmt: skip
    shares = proportional_shares(table, total)
    assert sum(shares.values()) == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert sum(equal_shares(table, total).values()) == pytest.approx(total, rel=1e-9, abs=1e-6)
    biggest = max(range(len(flows)), key=flows.__getitem__)
    assert shares[f"F{biggest}"] == pytest.approx(max(shares.values()))


def test_proportional_shares_follow_the_effluent_by_hand():
    table = firms(("A", 100, 0), ("B", 300, 0), ("C", 600, 0))
    assert proportional_shares(table, 50_000) == pytest.approx(
        {"A": 5_000, "B": 15_000, "C": 30_000}
    )
    assert equal_shares(["A", "B"], 50_000) == {"A": 25_000.0, "B": 25_000.0}


# --- Shapley --------------------------------------------------------------------------------


def test_shapley_shares_of_three_firms_by_hand():
    # The 6 orders in which A, B and C can join, and what each adds to the cost:
    #   A B C: A 30, B 60-30 = 30, C 100-60 = 40
    #   A C B: A 30, C 80-30 = 50, B 100-80 = 20
    #   B A C: B 40, A 60-40 = 20, C 100-60 = 40
    #   B C A: B 40, C 90-40 = 50, A 100-90 = 10
    #   C A B: C 60, A 80-60 = 20, B 100-80 = 20
    #   C B A: C 60, B 90-60 = 30, A 100-90 = 10
    # A: (30+30+20+10+20+10)/6 = 20; B: (30+20+40+40+20+30)/6 = 30; C: 300/6 = 50
    result = shapley_shares(["A", "B", "C"], HAND)
    assert result.shares == pytest.approx({"A": 20, "B": 30, "C": 50})
    assert result.exact and result.total == 100 and result.standard_error["A"] == 0
    assert "all 6 orders" in result.explain()


def test_symmetric_firms_pay_equally_and_a_dummy_pays_nothing():
    # the cost depends only on how many of A-E join; D2 adds nothing to any coalition
    names = ["A", "B", "C", "D", "E", "D2"]
    result = shapley_shares(names, lambda s: 100 * len(s - {"D2"}) ** 0.5)
    shares = result.shares
    assert shares["D2"] == pytest.approx(0, abs=1e-9)
    assert [shares[n] for n in "ABCDE"] == pytest.approx([100 * 5**0.5 / 5] * 5)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6).flatmap(
    lambda n: st.lists(st.floats(0, 1e6), min_size=2**n - 1, max_size=2**n - 1)
))  # fmt: skip
def test_shapley_shares_always_add_up_to_the_grand_coalitions_cost(values):
    n = int(math.log2(len(values) + 1))
    names = [f"F{i}" for i in range(n)]
    groups = [frozenset(g) for k in range(1, n + 1) for g in itertools.combinations(names, k)]
    costs = dict(zip(groups, values, strict=True))
    shares = shapley_shares(names, costs).shares
    assert sum(shares.values()) == pytest.approx(costs[frozenset(names)], rel=1e-9, abs=1e-6)


def test_above_12_firms_sampled_shares_fall_within_their_standard_error():
    names = [f"F{i:02d}" for i in range(14)]
    # symmetric firms, cost = square root of their number: each exactly sqrt(14) / 14
    result = shapley_shares(names, lambda s: len(s) ** 0.5, samples=5_000, seed=1)
    assert not result.exact and result.samples == 5_000
    for name in names:
        assert result.standard_error[name] > 0
        assert abs(result.shares[name] - 14**0.5 / 14) <= 4 * result.standard_error[name]
    assert sum(result.shares.values()) == pytest.approx(14**0.5, rel=1e-12)
    assert "5,000 random orders" in result.explain()


def test_above_12_firms_an_airport_game_matches_its_formula():
    # Littlechild and Owen (1973): when a coalition pays for the longest runway any of its
    # members needs, c_1 <= ... <= c_n, firm i pays sum over k <= i of
    # (c_k - c_(k-1)) / (n - k + 1). Here c_k = k: firm i pays sum 1 / (15 - k), k = 1..i.
    names = [f"F{k:02d}" for k in range(1, 15)]
    need = {name: k for k, name in enumerate(names, 1)}
    result = shapley_shares(names, lambda s: max(need[f] for f in s), samples=10_000)
    for name, k in need.items():
        exact = sum(1 / (15 - j) for j in range(1, k + 1))
        assert abs(result.shares[name] - exact) <= 4 * result.standard_error[name] + 1e-12
    assert sum(result.shares.values()) == pytest.approx(14)


def test_sampled_shares_of_an_additive_cost_are_exact():
    names = [f"F{i}" for i in range(13)]
    weight = {name: i + 1.0 for i, name in enumerate(names)}
    result = shapley_shares(names, lambda s: sum(weight[f] for f in s), samples=200)
    assert result.shares == pytest.approx(weight)
    assert max(result.standard_error.values()) == pytest.approx(0, abs=1e-9)


def test_shapley_needs_a_cost_for_every_coalition():
    with pytest.raises(ValueError, match="no cost is given for the coalition \\['A', 'C'\\]"):
        shapley_shares(["A", "B", "C"], {k: v for k, v in HAND.items() if k != frozenset("AC")})


# --- the core -------------------------------------------------------------------------------


def test_a_split_where_no_group_pays_more_than_alone_is_in_the_core():
    # 20 <= 30, 30 <= 40, 50 <= 60; A+B 50 <= 60, A+C 70 <= 80, B+C 80 <= 90
    result = core_check({"A": 20, "B": 30, "C": 50}, HAND)
    assert result.in_core and result.complete and result.checked == 6
    assert result.leaving is None and result.saving_usd == 0
    assert result.explain().startswith("In the core")


def test_a_split_outside_the_core_names_the_group_that_would_leave():
    # A + B pay 40 + 35 = 75 but their own plant costs 60: they save 15; A alone saves 10
    result = core_check({"A": 40, "B": 35, "C": 25}, HAND)
    assert not result.in_core
    assert result.leaving == frozenset("AB") and result.saving_usd == pytest.approx(15)
    assert [o[0] for o in result.objections] == [frozenset("AB"), frozenset("A")]
    assert result.explain() == (
        "Not in the core: A and B would pay USD 15 a year less with their own plant "
        "(USD 60 instead of 75)."
    )


def test_shares_that_do_not_cover_the_cost_are_not_in_the_core():
    result = core_check({"A": 20, "B": 30, "C": 40}, HAND)
    assert not result.in_core
    assert "add up to USD 90 a year but the plant costs USD 100" in result.explain()


def test_above_12_firms_the_core_check_says_what_it_checked():
    names = [f"F{i:02d}" for i in range(14)]
    result = core_check(dict.fromkeys(names, 1.0), lambda s: float(len(s)))
    # 14 + 91 + 364 groups of 1-3 firms, and as many of 11-13 firms
    assert result.in_core and not result.complete and result.checked == 2 * (14 + 91 + 364)
    assert "not all 16,382" in result.explain()
    cheap_pair = lambda s: len(s) - (1.5 if {"F00", "F01"} <= s else 0)  # noqa: E731
    shares = {**dict.fromkeys(names, 1.0), "F02": -0.5}
    leaving = core_check(shares, cheap_pair)
    assert not leaving.in_core and leaving.leaving == frozenset({"F00", "F01"})


# --- the CETP dataset, recomputed independently ---------------------------------------------


@functools.cache
def hand_cost(coalition: frozenset) -> float:
    """The documented cost rule, written out again: plant + COD load (0 for no firms)."""
    if not coalition:
        return 0.0
    rows = CETP[CETP["firm"].isin(coalition)]
    flow = rows["effluent_m3_per_day"].sum()
    plant = 40_000 + 365 * 0.60 * 1_000 * (flow / 1_000) ** 0.65
    kg_cod_per_day = (rows["effluent_m3_per_day"] * rows["cod_mg_per_l"] / 1_000).sum()
    return plant + 0.25 * 365 * kg_cod_per_day


def blocking(shares) -> list[tuple[frozenset, float]]:
    """Every group that would save money with its own plant, by brute force."""
    names = list(shares)
    return [
        (frozenset(g), sum(shares[f] for f in g) - hand_cost(frozenset(g)))
        for k in range(1, len(names))
        for g in itertools.combinations(names, k)
        if sum(shares[f] for f in g) - hand_cost(frozenset(g)) > 0.01
    ]


def test_the_cetp_constants_are_those_the_provenance_states():
    assert CETP_PLANT == {"fixed_usd_per_yr": 40_000, "unit_usd_per_m3": 0.60,
                          "scale_exponent": 0.65, "reference_m3_per_day": 1_000}  # fmt: skip
    assert COD_USD_PER_KG == 0.25
    assert len(CETP) == 5 and CETP["effluent_m3_per_day"].between(150, 900).all()


def test_in_the_cetp_sharing_by_volume_is_not_in_the_core_but_shapley_is():
    table = compare_rules(CETP, cetp_plant_cost)
    names = table["firm"].tolist()
    total = hand_cost(frozenset(names))
    assert table.attrs["total_usd_per_yr"] == pytest.approx(total)
    # Shapley by brute force over all 120 orders
    orders = list(itertools.permutations(names))
    shapley = dict.fromkeys(names, 0.0)
    for order in orders:
        for k, firm in enumerate(order):
            extra = hand_cost(frozenset(order[: k + 1])) - hand_cost(frozenset(order[:k]))
            shapley[firm] += extra / len(orders)
    assert dict(zip(names, table["shapley_usd_per_yr"], strict=True)) == pytest.approx(shapley)
    assert blocking(shapley) == []
    # sharing by volume: the three dye houses with dilute effluent would rather leave
    by_volume = dict(zip(names, table["proportional_usd_per_yr"], strict=True))
    leavers = sorted(blocking(by_volume), key=lambda b: -b[1])
    assert leavers[0][0] == {"Dye house A", "Dye house B", "Dye house D"}
    assert table.attrs["in_core"] == {"equal": False, "proportional": False, "shapley": True}
    core = table.attrs["core"]["proportional"]
    assert core.leaving == leavers[0][0] and core.saving_usd == pytest.approx(leavers[0][1])
    assert "Dye house A, Dye house B and Dye house D would pay USD" in core.explain()


def test_if_the_dye_houses_differed_only_in_volume_sharing_by_volume_would_be_stable():
    # every group pays q_S / Q x cost(Q) <= cost(q_S), since the cost per m3 falls with q
    flow_only = CETP.drop(columns="cod_mg_per_l")
    assert compare_rules(flow_only, cetp_plant_cost).attrs["in_core"]["proportional"]


def test_in_the_cetp_equal_shares_charge_the_smallest_firm_more_than_its_own_plant():
    table = compare_rules(CETP, cetp_plant_cost).set_index("firm")
    small = table.loc["Dye house A"]
    assert small["equal_usd_per_yr"] > small["standalone_usd_per_yr"]
    assert small["equal_usd_per_yr"] > 3 * small["shapley_usd_per_yr"]
    assert (table["shapley_usd_per_yr"] < table["standalone_usd_per_yr"]).all()


# --- bad tables and the chart ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"firm": ["A"], "effluent": [100]}),
         "'effluent_m3_per_day' is missing; is 'effluent' meant to be 'effluent_m3_per_day'"),
        (firms(("A", "150 m3", 600)), "column 'effluent_m3_per_day' has text in row 2"),
        (firms(("A", 100, 600), ("B", -40, 600)),
         "column 'effluent_m3_per_day' in row 3 is -40; it cannot be below 0"),
        (firms(("A", 100, 600), ("B", 0, 600)),
         "column 'effluent_m3_per_day' in row 3 is 0; a firm sharing the plant sends some"),
        (firms(("A", 100, 600), ("A", 200, 600)), "row 2 and row 3 repeat firm 'A'"),
        (firms(("A", 100, 600), ("B", 200, 300), ("Total", 300, 400)),
         r"row 4 \('Total'\) is the sum of the other rows \(effluent_m3_per_day 300, the "
         "others 300\\): it looks like the spreadsheet's total"),
    ],
)  # fmt: skip
def test_bad_firms_tables_are_named_by_row_and_column(table, message):
    with pytest.raises(TableError, match=message):
        check_firms(table)


def test_the_shares_chart_compares_every_rule_with_the_stand_alone_cost():
    fig = shares_chart(compare_rules(CETP, cetp_plant_cost))
    try:
        ax = fig.axes[0]
        assert fig.get_suptitle() and "USD per year" in ax.get_ylabel()
        assert "m³ per day" in ax.get_xlabel()
        (key,) = fig.legends  # the key of the whole chart, outside the bars
        labels = [t.get_text().replace("\n", " ") for t in key.get_texts()]
        assert "By effluent volume (not in the core)" in labels
        assert "Shapley value (in the core)" in labels
        assert "Stand-alone cost (own plant)" in labels
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="pass the table made by compare_rules"):
        shares_chart(CETP)


def test_the_shares_chart_alt_text_gives_each_firms_shares_and_the_core_verdicts():
    # the reading's three dye houses, each figure from the hand calculation in module 6
    table = pd.DataFrame(
        {
            "firm": ["A", "B", "C"],
            "effluent_m3_per_day": [100, 300, 600],
            "standalone_usd_per_yr": [60_000, 110_000, 160_000],
            "equal_usd_per_yr": [250_000 / 3] * 3,
            "proportional_usd_per_yr": [25_000, 75_000, 150_000],
            "shapley_usd_per_yr": [40_000, 80_000, 130_000],
        }
    )
    table.attrs["in_core"] = {"equal": False, "proportional": False, "shapley": True}
    text = shares_description(table)
    assert "for 3 firms" in text and "black mark at its stand-alone cost" in text
    assert (
        "A (100 m3/day): own plant 60,000; Equal shares 83,333; By effluent volume 25,000; "
        "Shapley value 40,000. B (300 m3/day)"
    ) in text
    assert "C (600 m3/day): own plant 160,000;" in text
    assert text.endswith(
        "In the core: Shapley value. Not in the core: Equal shares and By effluent volume."
    )


@pytest.mark.parametrize(
    "heading", ["COD (mg/l)", "COD mg/L", "COD", "cod_mg_l", "COD concentration (mg/L)"]
)
def test_a_cod_column_under_another_heading_is_refused_not_taken_as_no_cod(heading):
    # left out without a word, its COD would be taken as 0 and the shares would change
    firms = pd.DataFrame(
        {"firm": ["Tannery", "Dye house"], "effluent_m3_per_day": [150, 250], heading: [6000, 700]}
    )
    with pytest.raises(TableError) as caught:
        check_firms(firms)
    (said, _) = caught.value.problems
    assert said == (
        f"column '{heading}' is not read under that heading; if it is 'cod_mg_per_l', give it "
        "that heading, or else delete the column"
    )
    renamed = check_firms(firms.rename(columns={heading: "cod_mg_per_l"}))
    assert renamed["cod_mg_per_l"].tolist() == [6000, 700]


def test_a_column_unlike_any_the_table_reads_is_still_left_out_quietly():
    firms = pd.DataFrame({"firm": ["A", "B"], "effluent_m3_per_day": [150, 250],
                          "notes": ["x", "y"]})  # fmt: skip
    assert list(check_firms(firms).columns) == ["firm", "effluent_m3_per_day", "cod_mg_per_l"]
