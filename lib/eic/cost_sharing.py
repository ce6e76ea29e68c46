"""Module 6: sharing the cost of a common effluent treatment plant (CETP) among its firms.

A firms table has one row per firm: its ``effluent_m3_per_day`` and, optionally, the
strength of that effluent as chemical oxygen demand, ``cod_mg_per_l``. Any group of firms
(a *coalition*) could build one plant for its members' effluent. Its yearly cost is

    cost(S) = cost_of_flow(total flow of S) + usd_per_kg_cod x 365 x (kg COD per day of S)

The first part is the plant, with economies of scale (see :func:`plant_cost`); the second
is the chemicals and sludge disposal, which grow with the pollution load (1 mg/L = 1 g/m3,
so kg COD per day = m3 per day x mg/L / 1,000). A firm alone is a coalition of one: its
stand-alone cost is what its own plant would cost by the same rule. (Were the firms to
differ only in volume, sharing by volume would always be stable, as a bigger plant (see
:func:`plant_cost`) costs less per m3; differences in strength are what make it unfair.)

All the firms together (the *grand coalition*) share one plant, and its cost is split
among them: :mod:`eic.cost_games` holds the Shapley value and the test of the core that
judge a split (its names can be imported from here too), and :func:`compare_rules` sets the
Shapley shares beside equal shares and shares by effluent volume; :mod:`eic.cost_sharing_chart`
draws them.

>>> firms = pd.DataFrame({"firm": ["Dye house", "Laundry"], "effluent_m3_per_day": [100, 300],
...                       "cod_mg_per_l": [4_000, 300]})
>>> compare_rules(firms, cetp_plant_cost).attrs["in_core"]
{'equal': True, 'proportional': False, 'shapley': True}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.cost_games import (
    EXACT_LIMIT,
    MAX_OBJECTIONS,
    CoreResult,
    SharingResult,
    _names,
    _positive,
    core_check,
    shapley_shares,
)
from eic.many_firms import FlowCost, PlantGame
from eic.table_cells import Column, row_label
from eic.tables import TableError, Totals, table_problems

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    pass

# with the names that moved to eic.cost_games, re-exported so that
# `from eic.cost_sharing import shapley_shares` and the like keep working
__all__ = [
    "CETP_PLANT",
    "COD_USD_PER_KG",
    "EXACT_LIMIT",
    "FIRM_COLUMNS",
    "MAX_FIRMS",
    "MAX_OBJECTIONS",
    "RULES",
    "CoreResult",
    "SharingResult",
    "cetp_plant_cost",
    "check_firms",
    "coalition_cost",
    "coalition_costs",
    "compare_rules",
    "core_check",
    "equal_shares",
    "plant_cost",
    "proportional_shares",
    "shapley_shares",
]

FIRM_COLUMNS = (
    Column("firm", "text"),
    Column("effluent_m3_per_day", "number", unit="m3 per day"),
    Column("cod_mg_per_l", "number", unit="mg/L of COD", optional=True),
)
# a spreadsheet's total row adds up the firms' effluent, not their COD concentrations
FIRM_TOTALS = Totals("firm", ("effluent_m3_per_day",), "firm")
# The illustrative plant of cetp_firms.csv (see the dataset's provenance): USD 40,000 a year
# fixed, USD 0.60 per m3 at 1,000 m3/day, cost growing with flow**0.65; USD 0.25 per kg COD.
CETP_PLANT = {"fixed_usd_per_yr": 40_000.0, "unit_usd_per_m3": 0.60, "scale_exponent": 0.65,
              "reference_m3_per_day": 1_000.0}  # fmt: skip
COD_USD_PER_KG = 0.25
MAX_FIRMS = 100  # a firms table may have at most this many firms (group small firms above)
RULES = {"equal": "Equal shares", "proportional": "By effluent volume", "shapley": "Shapley value"}


def plant_cost(
    flow_m3_per_day: float | np.ndarray,
    *,
    fixed_usd_per_yr: float,
    unit_usd_per_m3: float,
    scale_exponent: float,
    reference_m3_per_day: float = 1_000.0,
) -> float | np.ndarray:
    """Yearly cost (USD/yr) of one plant treating ``flow_m3_per_day``, with economies of scale.

    ``cost = fixed + 365 x unit x reference x (flow / reference) ** scale_exponent``: a
    fixed part (staff, laboratory, monitoring) and a part that grows more slowly than the
    flow. ``unit_usd_per_m3`` is the cost per m3 at the reference flow; each doubling of
    the flow multiplies the cost per m3 by ``2 ** (scale_exponent - 1)``. An exponent
    below 1 gives economies of scale (about 0.6-0.7 is usual for process plants, the
    "six-tenths rule"); 1 gives none.

    >>> round(plant_cost(1_000, **CETP_PLANT))  # 40,000 + 365 x 0.60 x 1,000
    259000
    >>> round(plant_cost(2_000, **CETP_PLANT))  # 40,000 + 219,000 x 2**0.65
    383648

    ``flow_m3_per_day`` may also be a numpy array of flows; the costs come back as an array
    (this is how many coalitions are costed at once, see :func:`shapley_shares`).
    """
    if isinstance(flow_m3_per_day, np.ndarray):
        flow = flow_m3_per_day.astype(float)
        if not (np.isfinite(flow).all() and (flow > 0).all()):
            raise ValueError("the flows (m3 per day) must all be numbers above 0")
    else:
        flow = _positive(flow_m3_per_day, "the flow (m3 per day)")
    fixed = _positive(fixed_usd_per_yr, "the fixed cost (USD per year)", zero=True)
    unit = _positive(unit_usd_per_m3, "the unit cost (USD per m3)", zero=True)
    reference = _positive(reference_m3_per_day, "the reference flow (m3 per day)")
    exponent = _positive(scale_exponent, "the scale exponent")
    if exponent > 1:
        raise ValueError(
            f"the scale exponent is {exponent:g}; use a number above 0 and at most 1 (below 1 "
            "for economies of scale)"
        )
    return fixed + 365 * unit * reference * (flow / reference) ** exponent


def cetp_plant_cost(flow_m3_per_day: float) -> float:
    """:func:`plant_cost` with the illustrative constants of ``CETP_PLANT`` (USD/yr)."""
    return plant_cost(flow_m3_per_day, **CETP_PLANT)


def check_firms(table: pd.DataFrame) -> pd.DataFrame:
    """Check a firms table; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: each firm appears once (names compared ignoring
    capitals) and sends some effluent, no row is the spreadsheet's total of the others
    (:mod:`eic.table_totals`), and there are at most ``MAX_FIRMS`` (100) firms. Every
    problem of every row is said at once. A missing ``cod_mg_per_l`` column is taken as 0
    (the effluent's strength is ignored).
    """
    what = "firms table"
    clean, problems = table_problems(table, FIRM_COLUMNS, what=what, key=["firm"],
                                     totals=FIRM_TOTALS)  # fmt: skip
    if len(clean) > MAX_FIRMS:
        raise TableError(what, [
            f"the table has {len(clean):,} firms (rows 2 to {len(clean) + 1:,}); the course "
            f"shares a plant among at most {MAX_FIRMS} firms: put the small firms together, "
            "one row per group (for example 'Small dye houses', with their effluent added up "
            "and their COD averaged by volume), so that at most "
            f"{MAX_FIRMS} rows remain"
        ])  # fmt: skip
    problems += [
        f"column 'effluent_m3_per_day' in {row_label(position)} is 0; a firm sharing the "
        "plant sends some effluent: enter its m3 per day (above 0), or delete the row"
        for position in np.flatnonzero(clean["effluent_m3_per_day"].to_numpy() == 0)
    ]
    if problems:
        raise TableError(what, problems)
    if "cod_mg_per_l" not in clean:
        clean["cod_mg_per_l"] = 0.0
    return clean


def coalition_cost(
    firms: pd.DataFrame, cost_of_flow: FlowCost, *, usd_per_kg_cod: float = COD_USD_PER_KG
) -> Callable[[frozenset], float]:
    """The yearly cost (USD/yr) of one plant for any coalition, as a function of it.

    The coalition is a frozenset of firm names; its cost is ``cost_of_flow`` of its total
    flow (m3/day) plus ``usd_per_kg_cod`` (USD/kg) times its COD load in kg per year.
    """
    clean = check_firms(firms)
    price = _positive(usd_per_kg_cod, "the cost per kg of COD", zero=True)
    load = clean["effluent_m3_per_day"] * clean["cod_mg_per_l"] / 1000
    return PlantGame(clean["firm"].tolist(), clean["effluent_m3_per_day"].tolist(),
                      load.tolist(), cost_of_flow, price)  # fmt: skip


def coalition_costs(
    firms: pd.DataFrame, cost_of_flow: FlowCost, *, usd_per_kg_cod: float = COD_USD_PER_KG
) -> dict[frozenset[str], float]:
    """The yearly cost (USD/yr) of every coalition of firms, each building its own plant.

    >>> firms = pd.DataFrame({"firm": ["A", "B"], "effluent_m3_per_day": [100, 300]})
    >>> costs = coalition_costs(firms, lambda flow: 1_000 * flow ** 0.5)
    >>> [(sorted(s), round(c)) for s, c in costs.items()]
    [(['A'], 10000), (['B'], 17321), (['A', 'B'], 20000)]
    """
    cost = coalition_cost(firms, cost_of_flow, usd_per_kg_cod=usd_per_kg_cod)
    names = check_firms(firms)["firm"].tolist()
    if len(names) > 16:
        raise ValueError(
            f"{len(names)} firms make {2 ** len(names) - 1:,} coalitions, too many to list; "
            "use coalition_cost(...) to cost one coalition at a time"
        )
    return {
        frozenset(group): cost(frozenset(group))
        for size in range(1, len(names) + 1)
        for group in combinations(names, size)
    }


def equal_shares(firms: pd.DataFrame | Sequence[str], total: float) -> dict[str, float]:
    """Every firm pays the same part of ``total`` (USD/yr)."""
    names = _names(firms)
    return {name: float(total) / len(names) for name in names}


def proportional_shares(firms: pd.DataFrame, total: float) -> dict[str, float]:
    """Each firm pays ``total`` (USD/yr) in proportion to its effluent (m3/day).

    >>> firms = pd.DataFrame({"firm": ["A", "B"], "effluent_m3_per_day": [100, 300]})
    >>> proportional_shares(firms, 1_000)
    {'A': 250.0, 'B': 750.0}
    """
    clean = check_firms(firms)
    flows = clean["effluent_m3_per_day"]
    return dict(zip(clean["firm"], (float(total) * flows / flows.sum()).tolist(), strict=True))


def compare_rules(
    firms: pd.DataFrame, cost_of_flow: FlowCost, *, usd_per_kg_cod: float = COD_USD_PER_KG
) -> pd.DataFrame:
    """Each firm's yearly share (USD/yr) under each rule, beside its stand-alone cost.

    Columns: firm, effluent_m3_per_day, standalone_usd_per_yr (its own plant),
    equal_usd_per_yr, proportional_usd_per_yr (by effluent volume), shapley_usd_per_yr.
    ``.attrs["core"]`` holds each rule's :class:`CoreResult`, ``.attrs["in_core"]`` just
    whether it is in the core, ``.attrs["total_usd_per_yr"]`` the shared plant's cost,
    ``.attrs["cod_usd_per_yr"]`` the part of it that treats COD and
    ``.attrs["usd_per_kg_cod"]`` the cost per kg of COD used.
    """
    clean = check_firms(firms)
    cost = coalition_cost(clean, cost_of_flow, usd_per_kg_cod=usd_per_kg_cod)
    names = clean["firm"].tolist()
    total = cost(frozenset(names))
    rules = {
        "equal": equal_shares(names, total),
        "proportional": proportional_shares(clean, total),
        "shapley": shapley_shares(names, cost).shares,
    }
    table = clean[["firm", "effluent_m3_per_day"]].assign(
        standalone_usd_per_yr=[cost(frozenset([f])) for f in names],
        **{f"{rule}_usd_per_yr": [s[f] for f in names] for rule, s in rules.items()},
    )
    core = {rule: core_check(s, cost) for rule, s in rules.items()}
    load = clean["effluent_m3_per_day"] * clean["cod_mg_per_l"] / 1000  # kg COD per day
    cod_usd = float(usd_per_kg_cod * 365 * load.sum())
    table.attrs = {
        "total_usd_per_yr": total,
        "cod_usd_per_yr": cod_usd,
        "usd_per_kg_cod": float(usd_per_kg_cod),
        "core": core,
        "in_core": {rule: result.in_core for rule, result in core.items()},
    }
    return table
