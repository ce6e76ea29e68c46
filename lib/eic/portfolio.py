"""Module 5: choosing a portfolio of eco-innovation options within a budget.

The exact choice compares every combination of options (split in two halves that are
matched, so 25 options take milliseconds); the greedy rule, "cheapest tonne first while
it fits", is kept so a worksheet can show where it falls short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eic.appraisal import MAX_OPTIONS, OBJECTIVES, and_list, appraised_columns, as_number
from eic.mac_curve import mac_curve


@dataclass(frozen=True)
class Portfolio:
    """The options chosen within a budget (USD), their total investment (USD), annual
    abatement (tCO2e/yr) and NPV (USD) at the discount ``rate`` used to appraise them."""

    options: tuple[str, ...]
    investment: float
    abatement: float
    npv: float
    budget: float
    rate: float | None = None

    def explain(self) -> str:
        within = f"Within USD {self.budget:,.0f}"
        if not self.options:
            return f"{within}, choose no option: none fits the budget and improves the result."
        one = len(self.options) == 1
        at = f" at {100 * self.rate:g} %" if self.rate is not None else ""
        return (
            f"{within}, choose {and_list(list(self.options))}: {'it costs' if one else 'they cost'}"
            f" USD {self.investment:,.0f} and {'avoids' if one else 'avoid'} "
            f"{self.abatement:,.0f} tCO2e a year (NPV USD {self.npv:,.0f}{at})."
        )


def _budget(budget: object) -> float:
    value = as_number(budget, "the budget")
    if value < 0:
        raise ValueError(f"the budget is {value:,.0f}; give the money available in USD, 0 or more")
    return value


def _portfolio(table: pd.DataFrame, chosen: np.ndarray, budget: float) -> Portfolio:
    picked = table[chosen]
    return Portfolio(
        tuple(picked["option"]),
        float(picked["investment_usd"].sum()),
        float(picked["abatement_tco2e_per_yr"].sum()),
        float(picked["npv_usd"].sum()),
        budget,
        table.attrs.get("rate"),
    )


def _subsets(costs: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every subset of the options as a row of a 0/1 matrix, with its cost, value and size."""
    members = (np.arange(2 ** len(costs))[:, None] >> np.arange(len(costs))) & 1
    return members.astype(bool), members @ costs, members @ values, members.sum(axis=1)


def best_subset(costs: Sequence[float], values: Sequence[float], budget: float) -> tuple[int, ...]:
    """The positions (from 0, in order) of the items whose total cost fits the ``budget``
    and whose total value is the highest: an exact 0/1 knapsack.

    Every combination is compared, by splitting the items in two halves, listing each
    half's subsets and pairing them. Ties go to the lower total cost, then to fewer items.
    Sums are compared exactly as given, so pass whole numbers (cents, kilograms) when sums
    that should tie must tie. Handles up to 30 items.

    >>> best_subset([60, 50, 50], [60, 50, 50], 100)  # the two cheaper items beat the biggest
    (1, 2)
    """
    costs, values = np.asarray(costs), np.asarray(values)
    if costs.ndim != 1 or costs.shape != values.shape:
        raise ValueError(
            f"there are {costs.size} costs and {values.size} values; give one cost and one "
            "value per item"
        )
    if len(costs) > MAX_OPTIONS:
        raise ValueError(f"{len(costs)} items is too many; compare at most {MAX_OPTIONS}")
    if budget < 0:
        raise ValueError(f"the budget is {budget:g}; it must be 0 or more")
    limit = min(budget, costs[costs > 0].sum())  # a huge budget buys everything
    half = len(costs) // 2
    a_members, a_cost, a_value, a_size = _subsets(costs[:half], values[:half])
    b_members, b_cost, b_value, b_size = _subsets(costs[half:], values[half:])
    # For the second half: rank its subsets, best first, then for each cost the best rank
    # among the subsets costing no more.
    order = np.lexsort((b_size, b_cost, -b_value))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    by_cost = np.argsort(b_cost, kind="stable")
    best_rank = np.minimum.accumulate(rank[by_cost])
    fits = a_cost <= limit
    position = np.searchsorted(b_cost[by_cost], limit - a_cost[fits], side="right") - 1
    partner = order[best_rank[position]]
    total = (a_value[fits] + b_value[partner], a_cost[fits] + b_cost[partner])
    best = np.lexsort((a_size[fits] + b_size[partner], total[1], -total[0]))[0]
    chosen = np.concatenate([a_members[fits][best], b_members[partner[best]]])
    return tuple(int(i) for i in np.flatnonzero(chosen))


def choose_portfolio(
    appraised: pd.DataFrame, budget: float, *, objective: str = "abatement"
) -> Portfolio:
    """The options whose total investment fits the ``budget`` (USD) and that together avoid
    the most tCO2e a year (``objective="abatement"``) or have the highest NPV (``"npv"``).

    Exact: every combination is compared (a 0/1 knapsack, solved by :func:`best_subset`),
    with money compared to the cent and tonnes to the kilogram. Ties go to the lower total
    investment, then to fewer options. Handles up to 30 options.
    """
    if objective not in OBJECTIVES:
        raise ValueError(
            f"the objective is {objective!r}; use 'abatement' (most tCO2e avoided a year) or "
            "'npv' (highest net present value)"
        )
    budget = _budget(budget)
    needed = ["option", "investment_usd", "abatement_tco2e_per_yr", "npv_usd"]
    table = appraised_columns(appraised, needed)
    if len(table) > MAX_OPTIONS:
        raise ValueError(f"{len(table)} options is too many; compare at most {MAX_OPTIONS}")
    costs = np.round(table["investment_usd"].to_numpy(float) * 100).astype(np.int64)
    if objective == "abatement":  # compared to the kilogram
        values = np.round(table["abatement_tco2e_per_yr"].to_numpy(float) * 1000)
    else:  # compared to the cent
        values = np.round(table["npv_usd"].to_numpy(float) * 100)
    limit = round(min(budget, float(table["investment_usd"].sum()) + 1) * 100)
    chosen = np.zeros(len(table), dtype=bool)
    chosen[list(best_subset(costs, values.astype(np.int64), limit))] = True
    return _portfolio(table, chosen, budget)


def greedy_portfolio(appraised: pd.DataFrame, budget: float) -> Portfolio:
    """The naive rule: walk up the MAC curve, cheapest tonne first, taking each option that
    still fits in the budget (USD) and skipping those that do not. Compare it with
    :func:`choose_portfolio`, which can do better."""
    budget = _budget(budget)
    needed = ["option", "investment_usd", "abatement_tco2e_per_yr", "npv_usd", "mac_usd_per_tco2e"]
    table = appraised_columns(appraised, needed)
    left = round(budget * 100)
    taken = set()
    for row in mac_curve(table).itertuples(index=False):
        cost = round(row.investment_usd * 100)
        if cost <= left:
            taken.add(row.option)
            left -= cost
    chosen = table["option"].isin(taken).to_numpy()
    return _portfolio(table, chosen, budget)
