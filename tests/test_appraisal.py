"""Module 5's appraisal: discounting, IRR, paybacks and MAC checked by hand and by properties,
the MAC curve and chart, exact portfolio choice checked against brute force, and clear
errors for bad options tables."""

from __future__ import annotations

import itertools
import math
import time

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from eic.appraisal import (
    annualised_cost,
    appraise,
    capital_recovery_factor,
    check_options,
    discounted_payback,
    irr,
    marginal_abatement_cost,
    npv,
    simple_payback,
)
from eic.mac_curve import mac_chart, mac_curve, mac_curve_description
from eic.portfolio import Portfolio, choose_portfolio, greedy_portfolio
from eic.tables import TableError

matplotlib.use("Agg")

# Hand figures at 10 %: 1.1**10 = 2.5937425, so
#   annuity factor (10 yr) = (1 - 1 / 2.5937425) / 0.1 = 6.144567
#   CRF (10 yr) = 0.1 * 2.5937425 / 1.5937425 = 0.162745 (= 1 / 6.144567)
#   annuity factor (3 yr) = 1/1.1 + 1/1.21 + 1/1.331 = 0.909091 + 0.826446 + 0.751315 = 2.486852
#   annuity factor (5 yr) = 2.486852 + 1/1.4641 + 1/1.61051 = 2.486852 + 0.683013 + 0.620921
#                         = 3.790787
OPTIONS = pd.DataFrame(
    {
        "option": ["Heat recovery", "Tune-up", "Scrubber"],
        "investment_usd": [100_000, 0, 50_000],
        "annual_saving_usd": [30_000, 5_000, -2_000],
        "life_years": [10, 3, 5],
        "abatement_tco2e_per_yr": [250, 10, 0],
    }
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def options_frame(rows: list[tuple]) -> pd.DataFrame:
    """An appraised-style table from (option, investment, abatement, npv, mac) rows."""
    columns = ["option", "investment_usd", "abatement_tco2e_per_yr", "npv_usd", "mac_usd_per_tco2e"]
    return pd.DataFrame(rows, columns=columns)


# Discounting, IRR and paybacks


def test_npv_by_hand():
    # -100 + 60 / 1.1 + 60 / 1.21 = -100 + 54.545 + 49.587 = 4.132
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(4.132, abs=1e-3)
    assert npv(0, [-100, 60, 60]) == pytest.approx(20)


def test_npv_rejects_a_rate_of_minus_100_percent_or_text():
    with pytest.raises(ValueError, match="discount rate is -1; it must be above -1"):
        npv(-1, [-100, 60])
    with pytest.raises(ValueError, match="cash flow of year 1 is '60'; enter a number"):
        npv(0.1, [-100, "60"])


def test_irr_by_hand():
    assert irr([-100, 110]) == pytest.approx(0.10)
    # -100 + 60 v + 60 v**2 = 0 with v = 1 / (1 + r): v = (-60 + sqrt(60**2 + 4 * 60 * 100)) / 120
    v = (-60 + math.sqrt(3600 + 24_000)) / 120
    assert irr([-100, 60, 60]) == pytest.approx(1 / v - 1)  # 13.07 %
    assert irr([-100, 50]) == pytest.approx(-0.50)


def test_irr_above_1000_percent_is_still_found():
    # -1,000 + 20,000 / (1 + r) = 0 gives r = 19 (1,900 %), e.g. fixing compressed-air leaks
    assert irr([-1_000, 20_000]) == pytest.approx(19)


def test_irr_when_flows_never_change_sign_says_there_is_none():
    with pytest.raises(ValueError, match="never change sign: every discount rate gives a positive"):
        irr([100, 50, 50])
    with pytest.raises(ValueError, match="gives a negative NPV, so there is no IRR; use the NPV"):
        irr([-100, -5, 0])
    with pytest.raises(ValueError, match="all zero"):
        irr([0, 0])


def test_irr_with_two_roots_is_ambiguous_and_names_them():
    flows = [-100, 230, -132]
    # by hand: -100 + 230 / 1.1 - 132 / 1.21 = -100 + 209.0909 - 109.0909 = 0
    #          -100 + 230 / 1.2 - 132 / 1.44 = -100 + 191.6667 - 91.6667 = 0
    assert abs(-100 + 230 / 1.1 - 132 / 1.21) < 1e-9
    assert abs(-100 + 230 / 1.2 - 132 / 1.44) < 1e-9
    with pytest.raises(ValueError) as error:
        irr(flows)
    message = str(error.value)
    assert "change sign 2 times" in message
    assert "NPV is zero at 10.0 % and 20.0 %" in message
    assert message.endswith("the IRR is ambiguous; use the NPV")


def test_irr_with_two_sign_changes_but_one_root_in_range_is_returned():
    # -100 + 150 v - v**2 = 0: v = (150 - sqrt(22,100)) / 2 = 0.66999 (r = 49.3 %) or
    # v = 149.33 (r = -99.3 %), a rate below -99 % that no one would call a return.
    v = (150 - math.sqrt(22_100)) / 2
    assert irr([-100, 150, -1]) == pytest.approx(1 / v - 1)


def test_irr_with_sign_changes_but_no_root_says_so():
    # -100 + 100 v - 100 v**2 < 0 for every v > 0 (discriminant 100**2 - 4 * 100**2 < 0)
    with pytest.raises(ValueError, match="change sign 2 times but the NPV is not zero at any rate"):
        irr([-100, 100, -100])


conventional_flows = st.tuples(
    st.floats(1_000, 1e7),
    st.lists(st.floats(0, 1e6), min_size=1, max_size=30),
)


@settings(max_examples=60, deadline=None)
@given(conventional_flows, st.floats(0, 0.5))
def test_npv_is_zero_at_the_irr_and_positive_below_it(flows, rate):
    investment, returns = flows
    assume(sum(returns) > investment / 100)  # so the IRR is above -99 %
    cash_flows = [-investment, *returns]
    found = irr(cash_flows)
    terms = sum(abs(c) / (1 + found) ** t for t, c in enumerate(cash_flows))
    assert abs(npv(found, cash_flows)) <= 1e-7 * terms
    if abs(found - rate) > 1e-6:
        assert (npv(rate, cash_flows) > 0) == (found > rate)


def test_simple_payback_by_hand_and_never():
    assert simple_payback(100_000, 30_000) == pytest.approx(10 / 3)
    assert simple_payback(0, 5_000) == 0
    with pytest.raises(ValueError, match="annual saving is -2,000 USD, so it never pays back"):
        simple_payback(50_000, -2_000)
    with pytest.raises(ValueError, match="investment is -5 USD; it cannot be negative"):
        simple_payback(-5, 10)


def test_discounted_payback_by_hand():
    # cumulative discounted: year 1: -100 + 54.545 = -45.455; year 2: -45.455 + 49.587 = 4.132
    # so it pays back during year 2: 1 + 45.455 / 49.587 = 1.9167 years
    assert discounted_payback(0.10, [-100, 60, 60]) == pytest.approx(1 + 45.4545 / 49.5868, 1e-4)
    assert discounted_payback(0.10, [-100, 10, 10]) is None
    assert discounted_payback(0.10, [0, 10]) == 0


@settings(max_examples=80, deadline=None)
@given(st.floats(1, 1e6), st.floats(1, 1e6), st.integers(1, 40), st.floats(0, 0.5))
def test_discounted_payback_is_never_shorter_than_simple_payback(investment, saving, life, rate):
    found = discounted_payback(rate, [-investment] + [saving] * life)
    simple = simple_payback(investment, saving)
    if found is not None:
        assert found >= simple * (1 - 1e-9)
    elif rate == 0:
        assert simple > life


def test_capital_recovery_factor_by_hand():
    assert capital_recovery_factor(0.10, 10) == pytest.approx(0.1 * 2.5937425 / 1.5937425)
    assert round(capital_recovery_factor(0.10, 10), 5) == 0.16275
    assert capital_recovery_factor(0, 4) == 0.25
    assert capital_recovery_factor(1e-12, 4) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="whole number of years"):
        capital_recovery_factor(0.1, 2.5)
    with pytest.raises(ValueError, match="life is 0 years; it must be 1 year or more"):
        capital_recovery_factor(0.1, 0)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.integers(1, 60))
def test_paying_the_crf_each_year_repays_the_investment_exactly(rate, years):
    crf = capital_recovery_factor(rate, years)
    assert npv(rate, [-1] + [crf] * years) == pytest.approx(0, abs=1e-9)


def test_annualised_cost_and_mac_by_hand():
    # 100,000 * 0.162745 = 16,274.5 a year, plus 2,000 O&M
    assert annualised_cost(100_000, 0.10, 10, annual_om=2_000) == pytest.approx(18_274.5, abs=0.1)
    # (16,274.5 - 30,000) / 250 = -54.90 USD per tCO2e: pays for itself
    mac = marginal_abatement_cost(100_000, 30_000, 10, 250, 0.10)
    assert mac == pytest.approx(-54.90, abs=0.01)
    # at 0 %: (100,000 / 10 - 5,000) / 100 = 50 USD per tCO2e
    assert marginal_abatement_cost(100_000, 5_000, 10, 100, 0) == pytest.approx(50)
    with pytest.raises(ValueError, match="abatement is 0 tCO2e a year"):
        marginal_abatement_cost(100_000, 5_000, 10, 0, 0.1)


# Appraising an options table


def test_appraise_by_hand():
    table = appraise(OPTIONS, 0.10).set_index("option")
    heat, tune, scrubber = (table.loc[n] for n in ["Heat recovery", "Tune-up", "Scrubber"])
    # -100,000 + 30,000 * 6.144567 = 84,337.0
    assert heat["npv_usd"] == pytest.approx(84_337.0, abs=0.5)
    assert heat["simple_payback_years"] == pytest.approx(10 / 3)
    assert heat["annualised_cost_usd"] == pytest.approx(16_274.5, abs=0.1)
    assert heat["mac_usd_per_tco2e"] == pytest.approx(-54.90, abs=0.01)
    assert heat["irr_note"] == "" and 0.10 < heat["irr"] < 1
    assert heat["pays_for_itself"]
    # nothing invested: 5,000 * 2.486852 = 12,434.3; (0 - 5,000) / 10 = -500 USD per tCO2e
    assert tune["npv_usd"] == pytest.approx(12_434.3, abs=0.1)
    assert tune["simple_payback_years"] == 0
    assert tune["mac_usd_per_tco2e"] == pytest.approx(-500)
    assert math.isnan(tune["irr"]) and "never change sign" in tune["irr_note"]
    # -50,000 - 2,000 * 3.790787 = -57,581.6; never pays back; avoids nothing
    assert scrubber["npv_usd"] == pytest.approx(-57_581.6, abs=0.1)
    assert scrubber["simple_payback_years"] == math.inf
    assert math.isnan(scrubber["mac_usd_per_tco2e"])
    assert not scrubber["pays_for_itself"]


def test_appraise_keeps_the_columns_in_the_documented_order():
    columns = list(appraise(OPTIONS, 0.10).columns)
    assert columns == [
        "option",
        "investment_usd",
        "annual_saving_usd",
        "life_years",
        "abatement_tco2e_per_yr",
        "npv_usd",
        "irr",
        "irr_note",
        "simple_payback_years",
        "annualised_cost_usd",
        "mac_usd_per_tco2e",
        "pays_for_itself",
    ]


@pytest.mark.parametrize("rate", [10, 1, -0.05, math.nan])
def test_appraise_asks_for_the_rate_as_a_share(rate):
    with pytest.raises(ValueError, match="discount rate is .*(0.10 for 10 %|enter a number)"):
        appraise(OPTIONS, rate)


option_rows = st.lists(
    st.tuples(
        st.integers(0, 1_000_000),
        st.integers(-50_000, 200_000),
        st.integers(1, 30),
        st.integers(1, 5_000),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30, deadline=None)
@given(option_rows, st.floats(0, 0.3))
def test_mac_times_abatement_is_minus_npv_times_crf(rows, rate):
    # NPV = -I + S / CRF, so NPV * CRF = S - I * CRF = -MAC * abatement: an option pays for
    # itself exactly when its MAC is 0 or below.
    options = pd.DataFrame(
        [(f"Option {i}", *row) for i, row in enumerate(rows)], columns=list(OPTIONS.columns)
    )
    table = appraise(options, rate)
    crf = [capital_recovery_factor(rate, life) for life in table["life_years"]]
    lhs = table["mac_usd_per_tco2e"] * table["abatement_tco2e_per_yr"]
    rhs = -table["npv_usd"] * crf
    scale = table["investment_usd"] + table["annual_saving_usd"].abs()
    assert np.all(np.abs(lhs - rhs) <= 1e-9 * scale + 1e-9)


# Bad tables


def bad(change) -> str:
    table = OPTIONS.copy()
    table = change(table) if callable(change) else table
    with pytest.raises(TableError) as error:
        check_options(table)
    return str(error.value)


def test_a_missing_column_is_named_with_a_suggestion():
    message = bad(lambda t: t.rename(columns={"investment_usd": "Investment"}))
    assert message.startswith("The options table cannot be used:")
    assert "column 'investment_usd' is missing; is 'Investment' meant to be 'investment_usd'?" in (
        message
    )


def test_text_in_a_number_is_named_by_row_and_column():
    message = bad(lambda t: t.assign(annual_saving_usd=["30k", 5_000, -2_000]))
    assert (
        "column 'annual_saving_usd' has text in row 2 ('30k'); enter a number of USD per year"
        in (message)
    )


def test_negative_investment_and_zero_life_are_reported_together():
    message = bad(lambda t: t.assign(investment_usd=[100_000, 0, -5_000], life_years=[0, 3, 5]))
    assert "column 'investment_usd' in row 4 is -5000; it cannot be below 0" in message
    assert "column 'life_years' in row 2 is 0; it cannot be below 1" in message


def test_a_life_in_part_years_asks_for_whole_years():
    message = bad(lambda t: t.assign(life_years=[10, 7.5, 5]))
    assert "column 'life_years' in row 3 is 7.5; enter a whole number of years such as 8" in message


def test_a_repeated_option_is_named():
    message = bad(lambda t: t.assign(option=["Heat recovery", "Heat recovery", "Scrubber"]))
    assert "row 2 and row 3 repeat option 'Heat recovery'" in message


def with_total_row(name: str) -> pd.DataFrame:
    # 150,000 invested, 33,000 saved a year, 260 tCO2e a year: the three options together
    total = {"option": name, "investment_usd": 150_000, "annual_saving_usd": 33_000,
             "life_years": 10, "abatement_tco2e_per_yr": 260}  # fmt: skip
    return pd.concat([OPTIONS, pd.DataFrame([total])], ignore_index=True)


def test_a_spreadsheets_total_row_is_refused_with_the_sum_that_shows_it():
    message = bad(lambda t: with_total_row("Total"))
    assert (
        "row 5 ('Total') is the sum of the other rows (investment_usd 150,000, the others "
        "150,000): it looks like the spreadsheet's total. Delete the row"
    ) in message


def test_an_unnamed_last_row_that_is_the_others_together_is_taken_for_a_total():
    # a spreadsheet's sum row, whatever it is called: said so, with how to keep it if real
    message = bad(lambda t: with_total_row("All three as one project"))
    assert "move it to a row between them" in message


def test_an_option_that_is_the_others_together_between_them_is_kept():
    table = with_total_row("All three as one project")
    between = pd.concat([table.iloc[[0]], table.iloc[[3]], table.iloc[1:3]], ignore_index=True)
    assert len(check_options(between)) == 4


def test_a_negative_saving_is_allowed():
    assert check_options(OPTIONS)["annual_saving_usd"].tolist() == [30_000, 5_000, -2_000]


# The MAC curve and its chart

CURVE_OPTIONS = options_frame(
    [
        ("Solar", 400, 600, -17, 3.3),
        ("Heat", 100, 250, 84, -54.9),
        ("Scrubber", 50, 0, -58, math.nan),
        ("Boiler", 10, 40, 5, 3.3),  # same MAC as Solar: goes first by name
        ("LED", 20, 40, 30, -68),
    ]
)


def test_mac_curve_is_sorted_by_cost_and_widths_add_up():
    curve = mac_curve(CURVE_OPTIONS)
    assert list(curve["option"]) == ["LED", "Heat", "Boiler", "Solar"]
    assert curve["mac_usd_per_tco2e"].is_monotonic_increasing
    assert list(curve["cumulative_start_tco2e"]) == [0, 40, 290, 330]
    assert list(curve["cumulative_end_tco2e"]) == [40, 290, 330, 930]
    total = CURVE_OPTIONS["abatement_tco2e_per_yr"].sum()
    assert curve["abatement_tco2e_per_yr"].sum() == curve["cumulative_end_tco2e"].iloc[-1] == total


def test_mac_chart_draws_one_bar_per_option_side_by_side():
    curve = mac_curve(appraise(OPTIONS, 0.10))
    fig = mac_chart(curve)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "Marginal abatement cost curve" in ax.get_title() and "10 %" in ax.get_title()
    assert "tCO₂e per year" in ax.get_xlabel()
    assert "USD per tCO₂e" in ax.get_ylabel()
    bars = ax.patches
    assert len(bars) == len(curve) == 2
    assert [b.get_x() for b in bars] == list(curve["cumulative_start_tco2e"])
    assert [b.get_width() for b in bars] == list(curve["abatement_tco2e_per_yr"])
    assert [b.get_height() for b in bars] == pytest.approx(list(curve["mac_usd_per_tco2e"]))
    # each bar is numbered on the curve; the key beside it names the option and its cost
    assert [t.get_text() for t in ax.texts] == ["1", "2"]
    key = [t.get_text() for t in ax.get_legend().get_texts()]
    assert key == ["1. Tune-up (-500 USD/tCO₂e)", "2. Heat recovery (-55 USD/tCO₂e)"]
    assert any(line.get_ydata()[0] == 0 for line in ax.lines)  # the zero line


def test_mac_chart_colours_and_hatches_costly_bars_apart():
    fig = mac_chart(mac_curve(CURVE_OPTIONS), title="Options")
    ax = fig.axes[0]
    assert ax.get_title() == "Options"
    saving, costly = ax.patches[0], ax.patches[-1]
    assert saving.get_height() < 0 < costly.get_height()
    assert saving.get_facecolor() != costly.get_facecolor()
    assert costly.get_hatch() and not saving.get_hatch()


def test_mac_chart_with_no_abating_option_says_so():
    with pytest.raises(ValueError, match="no option avoids any emissions"):
        mac_chart(CURVE_OPTIONS[CURVE_OPTIONS["option"] == "Scrubber"])


# Choosing a portfolio

# At 0 %: MAC = (investment / life - saving) / abatement; NPV = life * saving - investment.
#   Boiler upgrade: (6,000 - 7,000) / 60 = -16.7 USD/t; NPV 70,000 - 60,000 = 10,000
#   Motors:         (5,000 - 5,000) / 50 = 0;            NPV 50,000 - 50,000 = 0
#   Lighting:       (5,000 - 4,500) / 50 = 10;           NPV 45,000 - 50,000 = -5,000
# With USD 100,000 the cheapest tonne first takes the boiler (60 t), and then neither
# USD 50,000 option fits; motors and lighting together avoid 100 t.
TRAP = pd.DataFrame(
    {
        "option": ["Boiler upgrade", "Motors", "Lighting"],
        "investment_usd": [60_000, 50_000, 50_000],
        "annual_saving_usd": [7_000, 5_000, 4_500],
        "life_years": [10, 10, 10],
        "abatement_tco2e_per_yr": [60, 50, 50],
    }
)


def test_greedy_is_worse_than_exact_in_a_hand_built_case():
    appraised = appraise(TRAP, 0)
    greedy = greedy_portfolio(appraised, 100_000)
    exact = choose_portfolio(appraised, 100_000)
    assert greedy.options == ("Boiler upgrade",) and greedy.abatement == 60
    assert exact.options == ("Motors", "Lighting")
    assert (exact.investment, exact.abatement, exact.npv) == (100_000, 100, -5_000)
    assert exact.explain() == (
        "Within USD 100,000, choose Motors and Lighting: they cost USD 100,000 and avoid "
        "100 tCO2e a year (NPV USD -5,000 at 0 %)."
    )


def test_the_npv_objective_takes_the_best_npv():
    exact = choose_portfolio(appraise(TRAP, 0), 100_000, objective="npv")
    assert exact == Portfolio(("Boiler upgrade",), 60_000, 60, 10_000, 100_000, 0)
    assert exact.explain() == (
        "Within USD 100,000, choose Boiler upgrade: it costs USD 60,000 and avoids 60 tCO2e "
        "a year (NPV USD 10,000 at 0 %)."
    )


def test_ties_go_to_lower_investment_then_fewer_options():
    cheaper = options_frame([("X", 100, 10, 0, 0), ("Y", 80, 10, 0, 0)])
    assert choose_portfolio(cheaper, 100).options == ("Y",)
    fewer = options_frame(
        [("Q", 25, 5, 0, 0), ("P", 50, 10, 0, 0), ("R", 25, 5, 0, 0), ("Free", 0, 0, 0, 0)]
    )
    assert choose_portfolio(fewer, 50).options == ("P",)
    # lower investment comes before fewer options: two for USD 40 beat one for USD 50
    cheaper_pair = options_frame([("P", 50, 10, 0, 0), ("Q", 20, 5, 0, 0), ("R", 20, 5, 0, 0)])
    assert choose_portfolio(cheaper_pair, 50).options == ("Q", "R")


def test_nothing_fits_a_small_budget():
    portfolio = choose_portfolio(appraise(TRAP, 0), 1_000)
    assert portfolio.options == () and portfolio.investment == 0
    assert portfolio.explain().startswith("Within USD 1,000, choose no option")


def test_portfolio_input_errors_are_plain():
    appraised = appraise(TRAP, 0)
    with pytest.raises(ValueError, match="objective is 'cost'; use 'abatement'.* or 'npv'"):
        choose_portfolio(appraised, 100, objective="cost")
    with pytest.raises(ValueError, match="budget is -1; give the money available in USD"):
        choose_portfolio(appraised, -1)
    with pytest.raises(ValueError, match="no column 'npv_usd'; pass the table made by appraise"):
        choose_portfolio(TRAP, 100)


portfolio_cases = st.tuples(
    st.lists(
        st.tuples(
            st.integers(0, 1_000),
            st.integers(0, 300),
            st.integers(-500, 500),
            st.floats(-100, 100),
        ),
        min_size=1,
        max_size=10,
    ),
    st.integers(0, 4_000),
    st.sampled_from(["abatement", "npv"]),
)


@settings(max_examples=80, deadline=None)
@given(portfolio_cases)
def test_the_chosen_portfolio_fits_and_no_subset_is_better(case):
    rows, budget, objective = case
    table = options_frame([(f"O{i}", *row) for i, row in enumerate(rows)])
    chosen = choose_portfolio(table, budget, objective=objective)
    costs = table["investment_usd"].to_numpy()
    values = table["abatement_tco2e_per_yr" if objective == "abatement" else "npv_usd"].to_numpy()

    def key(members: np.ndarray) -> tuple:  # more value, then less money, then fewer options
        return (values @ members, -(costs @ members), -members.sum())

    assert chosen.investment <= budget
    best = key(table["option"].isin(chosen.options).to_numpy().astype(int))
    for members in itertools.product([0, 1], repeat=len(rows)):
        members = np.array(members)
        if costs @ members <= budget:
            assert key(members) <= best
    greedy = greedy_portfolio(table, budget)
    assert greedy.investment <= budget
    if objective == "abatement":
        assert greedy.abatement <= chosen.abatement


def test_25_options_are_chosen_exactly_and_fast():
    rng = np.random.default_rng(5)
    costs = rng.integers(1, 1_000, 25)
    abatement = rng.integers(0, 500, 25)
    pairs = enumerate(zip(costs, abatement, strict=True))
    table = options_frame([(f"O{i}", int(c), int(a), 0, 0) for i, (c, a) in pairs])
    start = time.perf_counter()
    chosen = choose_portfolio(table, 5_000)
    assert time.perf_counter() - start < 2
    # the textbook dynamic programme over whole USD: best[b] = most abatement for budget b
    best = [0] * 5_001
    for cost, tonnes in zip(costs, abatement, strict=True):
        for b in range(5_000, cost - 1, -1):
            best[b] = max(best[b], best[b - cost] + tonnes)
    assert chosen.abatement == best[5_000]
    assert chosen.investment <= 5_000


def test_the_mac_curve_alt_text_reads_the_bars_cheapest_first_with_their_numbers():
    # listed out of order: the curve, and its words, run from the cheapest tonne up
    curve = pd.DataFrame(
        {
            "option": ["Solar water pre-heating", "Drives", "Steam traps"],
            "abatement_tco2e_per_yr": [284, 198, 227],
            "mac_usd_per_tco2e": [16.6, -84.2, -53.0],
        }
    )
    text = mac_curve_description(curve)
    assert "3 bars from the cheapest tonne to the most expensive;" in text
    assert "height is its cost in USD per tCO2e" in text and "width the tCO2e" in text
    assert (
        "Drives -84 USD/tCO2e, 198 tCO2e/yr; Steam traps -53 USD/tCO2e, 227 tCO2e/yr; "
        "Solar water pre-heating 17 USD/tCO2e, 284 tCO2e/yr."
    ) in text
    # below zero: 198 + 227 = 425 of 198 + 227 + 284 = 709 tCO2e/yr
    assert "2 bars are below zero (save money): together they avoid 425 of the 709" in text
