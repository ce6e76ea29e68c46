"""Module 5: appraising eco-innovation options (money and emissions) and choosing a portfolio.

An options table has one row per option a cluster could invest in (a heat exchanger, a
shared biogas plant, ...): its ``investment_usd`` (paid at once, year 0), its
``annual_saving_usd`` (net of its own running costs, each year of its ``life_years``; it
may be negative) and the emissions it avoids, ``abatement_tco2e_per_yr``. Discounting
follows the usual conventions of engineering economics: a cash flow ``C`` at the end of
year ``t`` is worth ``C / (1 + r)**t`` today at the discount rate ``r`` (a share: 0.10 is
10 %). The marginal abatement cost (MAC) of an option is what each tonne of CO2e avoided
costs once the investment is spread over the life as an equal yearly payment; a negative
MAC means the option pays for itself. The MAC curve, which lines the options up by it, is
:mod:`eic.mac_curve`.

>>> options = pd.DataFrame({"option": ["Heat recovery", "Solar roof"],
...     "investment_usd": [100_000, 400_000], "annual_saving_usd": [30_000, 45_000],
...     "life_years": [10, 20], "abatement_tco2e_per_yr": [250, 600]})
>>> table = appraise(options, 0.10)
>>> table[["option", "npv_usd", "mac_usd_per_tco2e"]].round(0).to_dict("records")
[{'option': 'Heat recovery', 'npv_usd': 84337.0, 'mac_usd_per_tco2e': -55.0},
 {'option': 'Solar roof', 'npv_usd': -16890.0, 'mac_usd_per_tco2e': 3.0}]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from eic.table_cells import Column, row_label
from eic.tables import TableError, Totals, table_problems

OPTION_COLUMNS = (
    Column("option", "text"),
    Column("investment_usd", "number", unit="USD", minimum=0, maximum=1e13),
    Column("annual_saving_usd", "number", unit="USD per year", minimum=None, maximum=1e13),
    Column("life_years", "number", unit="years", minimum=1, maximum=200),
    Column("abatement_tco2e_per_yr", "number", unit="tCO2e per year", minimum=0, maximum=1e11),
)
WHAT = "options table"
OBJECTIVES = ("abatement", "npv")
MAX_OPTIONS = 30
# what options add up to in a spreadsheet's total row (their lives do not)
OPTION_TOTALS = Totals(
    "option", ("investment_usd", "annual_saving_usd", "abatement_tco2e_per_yr"), "option"
)
# IRRs are searched from -99 % to 1,000,000 %, on a grid even in log(1 + rate): steps of
# about 0.015 percentage points near 10 %; two roots closer than a step would be missed.
_IRR_GRID = np.expm1(np.linspace(math.log(0.01), math.log(10_001), 100_001))


def as_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}; enter a number")
    return float(value)


def _rate(rate: object) -> float:
    value = as_number(rate, "the discount rate")
    if value <= -1:
        raise ValueError(f"the discount rate is {value:g}; it must be above -1 (-100 %)")
    return value


def _flows(cash_flows: Sequence[float]) -> np.ndarray:
    flows = [as_number(c, f"the cash flow of year {t}") for t, c in enumerate(cash_flows)]
    if not flows:
        raise ValueError("there are no cash flows; give at least the year-0 investment")
    return np.array(flows)


def npv(rate: float, cash_flows: Sequence[float]) -> float:
    """Net present value (USD) of cash flows in USD: ``cash_flows[t]`` at the end of year t.

    ``cash_flows[0]`` is year 0 (today, usually the investment, negative); ``rate`` is a share.

    >>> round(npv(0.10, [-100, 60, 60]), 3)  # -100 + 60 / 1.1 + 60 / 1.1**2
    4.132
    """
    flows = _flows(cash_flows)
    return float(np.sum(flows / (1 + _rate(rate)) ** np.arange(len(flows))))


def _scaled_npv(rates: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """The NPV times (1 + rate)**T below 0 %: the same sign and zeros, and no overflow.

    Horner's rule in (1 + r) below 0 % and in 1 / (1 + r) from 0 %, both at most 1."""
    below = rates < 0
    growth = np.where(below, 1 + rates, 1 / (1 + rates))
    forward, backward = np.zeros_like(rates), np.zeros_like(rates)
    for early, late in zip(flows, flows[::-1], strict=True):
        forward, backward = forward * growth + early, backward * growth + late
    return np.where(below, forward, backward)


def and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _root(function: Callable[[float], float], low: float, high: float) -> float:
    """Where ``function`` is zero between ``low`` and ``high``, at whose ends its signs
    differ: halved until the two ends are neighbouring floating-point numbers.

    (scipy's root finders would do, but loading scipy.optimize takes half a second of
    the opening of module 5, which computes an IRR.)
    """
    at_low = function(low)
    while True:
        middle = (low + high) / 2
        if middle in (low, high):
            return middle
        at_middle = function(middle)
        if at_middle == 0:
            return middle
        if (at_middle < 0) == (at_low < 0):
            low, at_low = middle, at_middle
        else:
            high = middle


def irr(cash_flows: Sequence[float]) -> float:
    """The internal rate of return (a share): the discount rate at which the NPV is zero.

    Raises ``ValueError`` with the reason when there is no IRR or several (the cash flows
    change sign more than once); then compare options by their NPV instead. Rates are
    searched from -99 % to 1,000,000 %.

    >>> round(irr([-100, 110]), 6)  # 110 / 1.10 = 100
    0.1
    >>> irr([-100, 230, -132])
    Traceback (most recent call last):
    ...
    ValueError: the cash flows change sign 2 times and the NPV is zero at 10.0 % and 20.0 %: the
    IRR is ambiguous; use the NPV
    """
    flows = _flows(cash_flows)
    signs = np.sign(flows[flows != 0])
    changes = int(np.sum(signs[1:] != signs[:-1]))  # Descartes: at most this many IRRs
    if changes == 0:
        if not flows.any():
            raise ValueError("the cash flows are all zero: there is no IRR; use the NPV (0)")
        sign = "positive" if flows.sum() > 0 else "negative"
        raise ValueError(
            f"the cash flows never change sign: every discount rate gives a {sign} NPV, so "
            "there is no IRR; use the NPV"
        )
    values = _scaled_npv(_IRR_GRID, flows)
    roots = list(_IRR_GRID[values == 0])
    function = lambda r: float(_scaled_npv(np.array([r]), flows)[0])  # noqa: E731
    for i in np.flatnonzero(values[:-1] * values[1:] < 0):
        roots.append(_root(function, float(_IRR_GRID[i]), float(_IRR_GRID[i + 1])))
    if len(roots) == 1:
        return float(roots[0])
    times = f"{changes} time{'s' if changes > 1 else ''}"
    if not roots:
        raise ValueError(
            f"the cash flows change sign {times} but the NPV is not zero at any rate between "
            "-99 % and 1,000,000 %: there is no IRR; use the NPV"
        )
    at = and_list([f"{100 * r:,.1f} %" for r in sorted(roots)])
    raise ValueError(
        f"the cash flows change sign {times} and the NPV is zero at {at}: the IRR is "
        "ambiguous; use the NPV"
    )


def simple_payback(investment: float, annual_saving: float) -> float:
    """Years until the undiscounted savings (USD/yr) repay the investment (USD).

    Raises ``ValueError`` when the saving is 0 or less: the option never pays back.

    >>> simple_payback(100_000, 25_000)
    4.0
    """
    investment = as_number(investment, "the investment")
    saving = as_number(annual_saving, "the annual saving")
    if investment < 0:
        raise ValueError(f"the investment is {investment:g} USD; it cannot be negative")
    if saving <= 0:
        raise ValueError(f"the annual saving is {saving:,.0f} USD, so it never pays back")
    return investment / saving


def discounted_payback(rate: float, cash_flows: Sequence[float]) -> float | None:
    """Years until the discounted cash flows (USD) first add up to 0 or more, or None.

    Within a year the cash flow is taken to come in evenly (linear interpolation); None
    means the option does not pay back within the years given.

    >>> round(discounted_payback(0.10, [-100, 60, 60]), 3)  # 1 + 45.455 / 49.587
    1.917
    """
    flows = _flows(cash_flows)
    discounted = flows / (1 + _rate(rate)) ** np.arange(len(flows))
    cumulative = np.cumsum(discounted)
    reached = np.flatnonzero(cumulative >= 0)
    if len(reached) == 0:
        return None
    t = int(reached[0])
    return 0.0 if t == 0 else float(t - 1 - cumulative[t - 1] / discounted[t])


def capital_recovery_factor(rate: float, years: int) -> float:
    """The share of an investment to pay each year to repay it with interest (1/yr).

    ``CRF = r (1 + r)**n / ((1 + r)**n - 1)``, and ``1 / n`` when ``r`` is 0.

    >>> round(capital_recovery_factor(0.10, 10), 5)  # 0.1 * 2.59374 / 1.59374
    0.16275
    """
    rate = _rate(rate)
    if isinstance(years, bool) or not isinstance(years, int | float) or years != int(years):
        raise ValueError(f"the life is {years!r}; enter a whole number of years, 1 or more")
    if years < 1:
        raise ValueError(f"the life is {years:g} years; it must be 1 year or more")
    if rate == 0:
        return 1 / years
    growth_minus_one = math.expm1(years * math.log1p(rate))  # (1 + r)**n - 1, exactly near 0
    return rate * (growth_minus_one + 1) / growth_minus_one


def annualised_cost(investment: float, rate: float, years: int, annual_om: float = 0.0) -> float:
    """The investment (USD) as an equal yearly payment over its life, plus O&M: USD/yr.

    >>> round(annualised_cost(100_000, 0.10, 10, annual_om=2_000))
    18275
    """
    yearly = as_number(investment, "the investment") * capital_recovery_factor(rate, years)
    return yearly + as_number(annual_om, "the annual O&M cost")


def marginal_abatement_cost(
    investment: float,
    annual_saving: float,
    life_years: int,
    abatement_per_year: float,
    rate: float,
) -> float:
    """USD per tCO2e avoided: (annualised investment - annual saving) / annual abatement.

    Negative means the option saves more than it costs: it pays for itself.

    >>> round(marginal_abatement_cost(100_000, 30_000, 10, 250, 0.10), 1)
    -54.9
    """
    abatement = as_number(abatement_per_year, "the abatement")
    if abatement <= 0:
        raise ValueError(
            f"the abatement is {abatement:g} tCO2e a year; the cost per tonne needs an option "
            "that avoids some emissions (above 0)"
        )
    yearly = annualised_cost(investment, rate, life_years)
    return (yearly - as_number(annual_saving, "the annual saving")) / abatement


def check_options(table: pd.DataFrame) -> pd.DataFrame:
    """Check an options table; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: option names are unique (ignoring capitals), lives
    are whole years, no row is the spreadsheet's total of the others
    (:mod:`eic.table_totals`), and there are at most ``MAX_OPTIONS`` (30) options, as many
    as a portfolio can compare. Every problem of every row is said at once.
    """
    clean, problems = table_problems(table, OPTION_COLUMNS, what=WHAT, key=["option"],
                                     totals=OPTION_TOTALS)  # fmt: skip
    if len(clean) > MAX_OPTIONS:
        raise TableError(WHAT, [
            f"the table has {len(clean):,} options (rows 2 to {len(clean) + 1:,}); the course "
            f"compares at most {MAX_OPTIONS} options: keep the {MAX_OPTIONS} you most want to "
            "compare, or put similar options together in one row, and delete the other rows"
        ])  # fmt: skip
    problems += [
        f"column 'life_years' in {row_label(position)} is {life:g}; enter a whole number of "
        f"years such as {max(1, round(life)):d}"
        for position, life in enumerate(clean["life_years"])
        if math.isfinite(life) and life != math.floor(life)
    ]
    if problems:
        raise TableError(WHAT, problems)
    clean["life_years"] = clean["life_years"].astype(int)
    return clean


def appraise(options: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Each option's NPV, IRR, paybacks, annualised cost and MAC at a discount ``rate``.

    One row per option, with the options table's columns and: ``npv_usd``; ``irr`` (a
    share; NaN when there is none or several, ``irr_note`` says why);
    ``simple_payback_years`` (inf when the saving is 0 or less); ``annualised_cost_usd``
    (the investment as an equal yearly payment, USD/yr); ``mac_usd_per_tco2e`` (NaN when
    the option avoids nothing); ``pays_for_itself`` (NPV 0 or more). ``rate`` is a share.
    """
    rate_value = as_number(rate, "the discount rate")
    if not 0 <= rate_value < 1:
        raise ValueError(
            f"the discount rate is {rate_value:g}; give it as a share from 0 up to 1 "
            "(0.10 for 10 %)"
        )
    result = check_options(options)
    names = "npv_usd irr irr_note simple_payback_years annualised_cost_usd mac_usd_per_tco2e"
    columns: dict[str, list] = {name: [] for name in [*names.split(), "pays_for_itself"]}
    for invest, saving, life, tonnes in result.iloc[:, 1:].itertuples(index=False):
        flows = [-invest] + [saving] * life
        try:
            columns["irr"].append(irr(flows))
            columns["irr_note"].append("")
        except ValueError as error:
            columns["irr"].append(math.nan)
            columns["irr_note"].append(str(error))
        value = npv(rate_value, flows)
        columns["npv_usd"].append(value)
        columns["simple_payback_years"].append(invest / saving if saving > 0 else math.inf)
        columns["annualised_cost_usd"].append(annualised_cost(invest, rate_value, life))
        columns["mac_usd_per_tco2e"].append(
            marginal_abatement_cost(invest, saving, life, tonnes, rate_value)
            if tonnes
            else math.nan
        )
        # NPV 0 or more, counting a break-even lost in rounding error as 0
        columns["pays_for_itself"].append(value >= -1e-9 * (invest + abs(saving) * life))
    result = result.assign(**columns)
    result.attrs["rate"] = rate_value
    return result


def appraised_columns(appraised: pd.DataFrame, needed: Sequence[str]) -> pd.DataFrame:
    """The table :func:`appraise` made, numbered from 0; ``ValueError`` naming the columns
    of ``needed`` it lacks when it is some other table."""
    missing = [c for c in needed if c not in getattr(appraised, "columns", ())]
    if missing:
        raise ValueError(
            f"the table has no column {and_list([repr(c) for c in missing])}; pass the table "
            "made by appraise(options, rate)"
        )
    return appraised.reset_index(drop=True)
