"""Limits of the analyses behind the "use your own data" panels and Module 8's report: a
table the panel accepts can be analysed, at once, and a damaged answer never stops the
country report.

Module 6 finds the Shapley value and the core of many firms by costing many coalitions in
one call (counted here, not timed); a firms table of more than 100 firms, an options table
of more than 30 options and a flow table spelling one process two ways are refused with a
message naming the rows and the fix. Expected numbers are hand calculations or brute force
written out in the tests.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import as_upload

from eic.appraisal import appraise, check_options
from eic.cost_sharing import (
    EXACT_LIMIT,
    MAX_FIRMS,
    cetp_plant_cost,
    check_firms,
    coalition_cost,
    compare_rules,
    core_check,
    equal_shares,
    plant_cost,
    shapley_shares,
)
from eic.cost_sharing_chart import shares_chart
from eic.flows import check_flows, solve_unknown
from eic.own_data import SPECS, OwnDataPanel
from eic.portfolio import choose_portfolio
from eic.report import Entry, build_report, describe
from eic.report_markdown import to_markdown
from eic.tables import TableError


def firms_table(n: int) -> pd.DataFrame:
    """``n`` firms of 10 to 10 + n - 1 m3/day and different strengths (mg/L of COD)."""
    return pd.DataFrame(
        {
            "firm": [f"Firm {i:03d}" for i in range(n)],
            "effluent_m3_per_day": [10.0 + i for i in range(n)],
            "cod_mg_per_l": [500.0 + (37 * i) % 900 for i in range(n)],
        }
    )


def test_a_chart_of_many_firms_lists_them_one_under_another_each_named():
    import matplotlib.pyplot as plt

    few, many = (compare_rules(firms_table(n), cetp_plant_cost) for n in (5, 60))
    fig = shares_chart(few)
    assert [t.get_text().split("\n")[0] for t in fig.axes[0].get_xticklabels()] == list(few["firm"])
    plt.close(fig)
    fig = shares_chart(many)
    ax = fig.axes[0]
    # one row per firm, first firm on top, each named with its effluent; a taller chart
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{f} ({q:,.0f} m³/day)" for f, q in
                      zip(many["firm"], many["effluent_m3_per_day"], strict=True)]  # fmt: skip
    assert ax.yaxis_inverted() and fig.get_size_inches()[1] > 4 * 5.5
    # the bars run along the x axis: the widest is the largest share of any rule
    widest = max(bar.get_width() for bar in ax.patches)
    rules = ["equal_usd_per_yr", "proportional_usd_per_yr", "shapley_usd_per_yr"]
    assert widest == pytest.approx(many[rules].to_numpy().max())
    plt.close(fig)


class CountedPlant:
    """A plant's yearly cost (USD/yr) from its flow (m3/day), 1,000 x flow ** 0.6, that counts
    its calls and stops the test once costing one coalition at a time has gone on too long.
    Like :func:`plant_cost`, it takes one flow or an array of flows."""

    def __init__(self, budget: int = 5_000) -> None:
        self.calls, self.budget = 0, budget

    def __call__(self, flow):
        self.calls += 1
        if self.calls > self.budget:
            raise AssertionError(f"more than {self.budget:,} calls: one coalition at a time")
        return 1_000 * np.asarray(flow, dtype=float) ** 0.6


def by_hand(table: pd.DataFrame, plant, members) -> float:
    """The documented cost rule written out again: plant + 0.25 USD/kg x kg COD a year."""
    rows = table[table["firm"].isin(list(members))]
    kg_per_day = (rows["effluent_m3_per_day"] * rows["cod_mg_per_l"] / 1_000).sum()
    return float(plant(rows["effluent_m3_per_day"].sum())) + 0.25 * 365 * kg_per_day


# --- Module 6: many firms -------------------------------------------------------------------


def test_a_firms_table_above_the_maximum_is_refused_with_the_count_and_the_fix():
    assert MAX_FIRMS == 100
    with pytest.raises(TableError) as refused:
        check_firms(firms_table(101))
    message = str(refused.value)
    assert "101 firms" in message and "rows 2 to 102" in message and "at most 100" in message
    assert "put the small firms together" in message
    assert len(check_firms(firms_table(100))) == 100


def test_the_module_6_panel_refuses_too_many_firms_and_changes_nothing(folder):
    panel = OwnDataPanel(SPECS["m06"], folder)
    panel.upload.value = as_upload(firms_table(101).to_csv(index=False).encode(), "big.csv")
    assert "101 firms" in panel.message.value and "at most 100" in panel.message.value
    assert not panel.file.exists() and panel.analysis.children == ()


def test_sampled_shapley_of_many_firms_costs_the_orders_in_a_few_array_calls():
    # 2,000 orders of 30 firms are 60,000 coalitions to cost; with arrays, a few calls
    table, plant = firms_table(30), CountedPlant()
    game = coalition_cost(table, plant)
    result = shapley_shares(table, game, samples=2_000, seed=3)
    assert not result.exact and result.samples == 2_000
    assert plant.calls < 20
    # every order's extra costs add up to the grand coalition's cost, so the shares do
    total = by_hand(table, plant, table["firm"])
    assert sum(result.shares.values()) == pytest.approx(total, rel=1e-9)


def test_shapley_found_with_arrays_is_the_same_estimate_as_one_coalition_at_a_time():
    # the same orders (same seed), costed in one call or one coalition at a time
    table = firms_table(14)
    game = coalition_cost(table, lambda flow: plant_cost(flow, fixed_usd_per_yr=40_000,
                                                          unit_usd_per_m3=0.6,
                                                          scale_exponent=0.65))  # fmt: skip
    fast = shapley_shares(table, game, samples=500, seed=7)
    slow = shapley_shares(table, lambda s: game(s), samples=500, seed=7)
    assert fast.shares == pytest.approx(slow.shares, rel=1e-9)
    assert fast.standard_error == pytest.approx(slow.standard_error, rel=1e-6)


def test_sampled_shapley_of_13_firms_is_within_its_standard_error_of_the_exact_value():
    # the exact value by brute force over the 8,192 coalitions, with the formula
    # phi_i = sum over S without i of |S|! (n - |S| - 1)! / n! (c(S + i) - c(S))
    table, plant = firms_table(13), lambda q: 1_000 * q**0.6
    names = table["firm"].tolist()
    n = len(names)
    assert n == EXACT_LIMIT + 1
    flow = dict(zip(names, table["effluent_m3_per_day"], strict=True))
    kg = dict(zip(names, table["effluent_m3_per_day"] * table["cod_mg_per_l"] / 1_000,
                  strict=True))  # fmt: skip
    cost = {frozenset(): 0.0}
    for k in range(1, n + 1):
        for group in itertools.combinations(names, k):
            cost[frozenset(group)] = plant(sum(flow[f] for f in group)) + 0.25 * 365 * sum(
                kg[f] for f in group
            )
    assert cost[frozenset(names[:2])] == pytest.approx(by_hand(table, plant, names[:2]))
    exact = dict.fromkeys(names, 0.0)
    for coalition, value in cost.items():
        if len(coalition) == n:
            continue
        weight = math.factorial(len(coalition)) * math.factorial(n - len(coalition) - 1)
        for name in set(names) - coalition:
            exact[name] += weight / math.factorial(n) * (cost[coalition | {name}] - value)
    result = shapley_shares(table, coalition_cost(table, CountedPlant()))
    for name in names:
        assert abs(result.shares[name] - exact[name]) <= 4 * result.standard_error[name] + 1e-6


def test_100_firms_are_compared_in_a_few_calls_and_an_additive_plant_is_shared_exactly():
    # with no fixed cost and no economies of scale (exponent 1) every coalition pays the sum
    # of its firms' own plants: Shapley charges each firm its stand-alone cost, exactly
    # 365 x 0.50 USD/m3 x flow + 0.25 USD/kg x 365 x flow x COD / 1,000, and that split
    # is in the core of every group checked: 100 + 4,950 + 161,700 groups of 1 to 3 firms
    # and as many of 97 to 99 firms
    table, calls = firms_table(100), []

    def linear(flow):
        calls.append(1)
        if len(calls) > 5_000:
            raise AssertionError("one coalition at a time")
        return plant_cost(flow, fixed_usd_per_yr=0, unit_usd_per_m3=0.5, scale_exponent=1)

    comparison = compare_rules(table, linear)
    assert len(calls) < 200
    own = 365 * 0.5 * table["effluent_m3_per_day"]
    own += 0.25 * 365 * table["effluent_m3_per_day"] * table["cod_mg_per_l"] / 1_000
    assert comparison["standalone_usd_per_yr"].tolist() == pytest.approx(own.tolist())
    assert comparison["shapley_usd_per_yr"].tolist() == pytest.approx(own.tolist(), rel=1e-9)
    shapley = comparison.attrs["core"]["shapley"]
    assert shapley.in_core and not shapley.complete
    assert shapley.checked == 2 * (100 + 4_950 + 161_700)
    assert shapley.explain().startswith("In the core as far as checked")
    assert "not all 1.3 × 10^30 possible groups" in shapley.explain()


def test_above_12_firms_the_core_check_finds_the_group_brute_force_finds():
    # equal shares of 20 very unequal firms: brute force over every group of 1 to 3 firms
    # and of all but 1 to 3 firms gives the group that would save most with its own plant
    table = firms_table(20).assign(effluent_m3_per_day=[5.0 * 1.4**i for i in range(20)])
    plant = lambda q: 30_000 + 2_000 * q**0.6  # noqa: E731
    names = table["firm"].tolist()
    total = by_hand(table, plant, names)
    shares = equal_shares(names, total)
    savings = {}
    for k in (1, 2, 3, 17, 18, 19):
        for group in itertools.combinations(names, k):
            savings[frozenset(group)] = sum(shares[f] for f in group) - by_hand(table, plant, group)
    best = max(savings, key=savings.get)
    result = core_check(shares, coalition_cost(table, plant))
    assert not result.in_core and not result.complete and result.checked == len(savings)
    assert result.leaving == best and result.saving_usd == pytest.approx(savings[best])
    assert len(result.objections) == min(100, sum(s > 0.01 for s in savings.values()))


def test_a_group_of_most_firms_that_would_leave_is_named_by_the_firms_left_out():
    # 14 firms of 10 m3/day with no COD; the split charges F13 nothing and the others
    # the rest: the 13 others pay the whole plant but their own plant costs less
    table = pd.DataFrame({"firm": [f"F{i:02d}" for i in range(14)], "effluent_m3_per_day": 10})
    plant = lambda q: 1_000 * q**0.5  # noqa: E731
    total = 1_000 * 140**0.5
    shares = {**dict.fromkeys(table["firm"][:13], total / 13), "F13": 0.0}
    result = core_check(shares, coalition_cost(table, plant))
    assert not result.in_core and result.leaving == frozenset(table["firm"][:13])
    assert result.saving_usd == pytest.approx(total - 1_000 * 130**0.5)
    assert result.explain().startswith("Not in the core: all the firms except F13 would pay")


# --- Module 8: a damaged Module 7 answer ----------------------------------------------------


@pytest.mark.parametrize("damaged", [None, "strongly", [1, 2], {"a": 1}, 0, -3, True])
def test_a_pairwise_judgement_that_cannot_be_read_is_described_and_the_rest_kept(damaged):
    value = {"Environment vs Economy": damaged, "Economy vs Social": 3, "Environment vs Social": 1}
    lines = describe(Entry("q1_priorities", "Compare", "pairwise", value, "Ana"), "7")
    assert lines == [
        "Environment or Economy? (this answer could not be read; answer the question again "
        "in Module 7)",
        "Economy or Social? Economy: 3x as important",
        "Environment or Social? equally important",
    ]


def test_a_judgement_written_as_a_fraction_is_read():
    # "1/3": Social is 3 times as important as Economy
    value = {"Economy vs Social": "1/3"}
    lines = describe(Entry("q1_priorities", "Compare", "pairwise", value, "Ana"), "7")
    assert lines == ["Economy or Social? Social: 3x as important"]


def damaged_course(tmp_path, judgement):
    course = tmp_path / "course"
    (course / "m07-policy-finance").mkdir(parents=True)
    (course / "m08-country-strategy").mkdir()
    answers = {
        "q1_priorities": {
            "value": {"Environment vs Economy": judgement, "Economy vs Social": 3,
                      "Environment vs Social": 1},
            "kind": "pairwise",
            "question": "Compare the streams",
        },
        "q4_big_instrument": {"value": "Green credit", "kind": "single_choice",
                              "question": "Q4"},
    }  # fmt: skip
    (course / "m07-policy-finance" / "m07-answers.json").write_text(
        json.dumps({"module": "m07", "format": 1, "answers": answers}), encoding="utf-8"
    )
    return course


def click_report(course):
    from eic.strategy_panels import report_panel

    module_8 = course / "m08-country-strategy"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(module_8)  # where Module 8's notebook runs, and records the details
        panel = report_panel(course, save_to=module_8)
        panel.children[0].children[0].value = "Ana Reyes"
        panel.children[0].children[1].value = "Philippines"
        panel.children[1].click()
    return panel.children[2].value


@pytest.mark.parametrize("judgement", [None, "strongly", [1, 2]])
def test_the_report_is_made_despite_a_damaged_module_7_answer(tmp_path, judgement):
    result = click_report(damaged_course(tmp_path, judgement))
    assert "Report made from 1 of 8 modules" in result
    page = (tmp_path / "course" / "m08-country-strategy" / "country-report.md").read_text()
    assert "Environment or Economy? (this answer could not be read" in page
    assert "Economy or Social? Economy: 3x as important" in page and "Green credit" in page


def test_the_priorities_chart_left_out_is_explained_in_plain_words(tmp_path):
    report = build_report([("Ana", damaged_course(tmp_path, None))], country="Philippines")
    section = next(s for s in report.sections if s.module["id"] == "m07")
    assert section.figures == []
    assert section.problems == [
        "Ana: a chart could not be drawn (a comparison could not be read; answer the question "
        "again in Module 7 to see the chart)"
    ]
    markdown, _images = to_markdown(report)
    assert "None" not in markdown


def test_an_unexpected_fault_never_escapes_the_report_button(tmp_path, monkeypatch):
    import eic.strategy_panels as strategy_panels

    def broken(*_args, **_kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(strategy_panels, "build_report", broken)
    result = click_report(damaged_course(tmp_path, 3))
    assert "could not be made" in result and "tell your trainer" in result
    assert "RuntimeError" not in result and "internal detail" not in result


def test_a_report_that_cannot_be_saved_says_so_without_a_python_message(tmp_path, monkeypatch):
    import eic.strategy_panels as strategy_panels

    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", "country-report.html")

    monkeypatch.setattr(strategy_panels, "write_report", refused)
    result = click_report(damaged_course(tmp_path, 3))
    assert "could not be saved" in result and "Errno" not in result


# --- Module 3: one process, two spellings ---------------------------------------------------

FLOWS = pd.DataFrame(
    {
        "flow": ["Well water", "Effluent", "Vapour", "Treated"],
        "source": ["", "dyeing units", "Dyeing units", "CETP"],
        "target": ["Dyeing units", "CETP", "", ""],
        "substance": ["water"] * 4,
        "quantity": [100, 90, None, 90],
        "unit": ["m3/day"] * 4,
    }
)


@pytest.mark.parametrize("other", ["dyeing units", "DYEING UNITS", "Dyeing Units"])
def test_a_process_spelt_two_ways_is_refused_naming_both_spellings_and_rows(other):
    with pytest.raises(TableError) as refused:
        check_flows(FLOWS.assign(source=["", other, "Dyeing units", "CETP"]))
    assert refused.value.problems == [
        f"column 'source' in row 3 has '{other}' but column 'target' in row 2 has 'Dyeing "
        "units': the names differ only in capital letters. Spell each process the same "
        "way in every row (if they are two processes, give them clearly different names)"
    ]


def test_each_other_spelling_is_reported_once_and_stock_is_not_a_process():
    table = pd.DataFrame(
        {
            "flow": ["In", "Out", "Kept", "Kept 2", "Back"],
            "source": ["", "Mill", "mill", "MILL", "mill"],
            "target": ["Mill", "", "stock", "Stock", "Mill "],
            "substance": ["salt"] * 5,
            "quantity": [10, 6, 2, 1, 1],
            "unit": ["t/day"] * 5,
        }
    )
    with pytest.raises(TableError) as refused:
        check_flows(table)
    problems = refused.value.problems
    assert len(problems) == 2  # 'mill' once (rows 4 and 6), 'MILL' once; 'stock' is none
    assert "row 4 has 'mill' but column 'target' in row 2 has 'Mill'" in problems[0]
    assert "row 5 has 'MILL' but column 'target' in row 2 has 'Mill'" in problems[1]


def test_one_spelling_solves_the_missing_flow_by_hand():
    # Dyeing units: 100 m3/day in, 90 out as effluent: the vapour is 10 m3/day
    _solved, flow = solve_unknown(FLOWS.assign(source=["", "Dyeing units", "Dyeing units",
                                                       "CETP"]))  # fmt: skip
    assert (flow.name, flow.quantity) == ("Vapour", pytest.approx(10))


def test_the_module_3_panel_refuses_two_spellings_of_a_process(folder):
    panel = OwnDataPanel(SPECS["m03"], folder)
    panel.upload.value = as_upload(FLOWS.to_csv(index=False).encode(), "flows.csv")
    assert "differ only in capital letters" in panel.message.value
    assert not panel.file.exists() and panel.analysis.children == ()


# --- Module 5: more options than a portfolio can compare ------------------------------------


def options_table(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "option": [f"Option {i}" for i in range(n)],
            "investment_usd": [1_000.0 * (i + 1) for i in range(n)],
            "annual_saving_usd": [300.0 * (i + 1) for i in range(n)],
            "life_years": 10,
            "abatement_tco2e_per_yr": [10.0 + i for i in range(n)],
        }
    )


def test_an_options_table_above_30_options_is_refused_with_the_count_and_the_fix():
    with pytest.raises(TableError) as refused:
        check_options(options_table(31))
    message = str(refused.value)
    assert "31 options" in message and "rows 2 to 32" in message and "at most 30" in message
    assert "keep the 30 you most want to compare" in message


def test_30_options_are_accepted_and_a_portfolio_of_them_is_chosen():
    # a budget of all 30 investments together (1,000 x (1 + ... + 30) = 465,000 USD) buys
    # every option: 10 + ... + 39 = 735 tCO2e a year
    appraised = appraise(check_options(options_table(30)), 0.10)
    chosen = choose_portfolio(appraised, 465_000)
    assert len(chosen.options) == 30 and chosen.abatement == pytest.approx(735)


def test_the_module_5_panel_refuses_31_options_and_keeps_nothing(folder):
    panel = OwnDataPanel(SPECS["m05"], folder)
    panel.upload.value = as_upload(options_table(31).to_csv(index=False).encode(), "o.csv")
    assert "31 options" in panel.message.value and "at most 30" in panel.message.value
    assert not panel.file.exists() and panel.analysis.children == ()
