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

A split of the grand coalition's cost is *in the core* when no group of firms would pay
less with its own plant. The Shapley value (Shapley, 1953), each firm's extra cost
averaged over every order in which the firms could join, is in the core whenever, as
here, a firm adds less cost to a larger group; it was proposed for sharing the cost of
joint water works by Young, Okada and Hashimoto (1982).

>>> costs = {frozenset("A"): 60, frozenset("B"): 60, frozenset("AB"): 90}
>>> shapley_shares(["A", "B"], costs).shares
{'A': 45.0, 'B': 45.0}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.appraisal import and_list
from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.many_firms import Cost, FlowCost, PlantGame, objections_of_small_groups
from eic.tables import Column, TableError, check_table, row_label

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

FIRM_COLUMNS = (
    Column("firm", "text"),
    Column("effluent_m3_per_day", "number", unit="m3 per day"),
    Column("cod_mg_per_l", "number", unit="mg/L of COD", optional=True),
)
# The illustrative plant of cetp_firms.csv (see the dataset's provenance): USD 40,000 a year
# fixed, USD 0.60 per m3 at 1,000 m3/day, cost growing with flow**0.65; USD 0.25 per kg COD.
CETP_PLANT = {"fixed_usd_per_yr": 40_000.0, "unit_usd_per_m3": 0.60, "scale_exponent": 0.65,
              "reference_m3_per_day": 1_000.0}  # fmt: skip
COD_USD_PER_KG = 0.25
EXACT_LIMIT = 12  # up to this many firms the Shapley value and the core are exact
MANY_FIRMS = 15  # a chart of more firms lists them one under another
MAX_FIRMS = 100  # a firms table may have at most this many firms (group small firms above)
MAX_OBJECTIONS = 100  # above EXACT_LIMIT firms, a core check keeps this many objections
RULES = {"equal": "Equal shares", "proportional": "By effluent volume", "shapley": "Shapley"}


def _positive(value: object, what: str, *, zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}; enter a number")
    if value < 0 or (value == 0 and not zero):
        raise ValueError(f"{what} is {value:g}; it must be {'0 or more' if zero else 'above 0'}")
    return float(value)


def _usd(amount: float) -> str:
    return f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:.3g}"


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

    Besides the columns' own checks: each firm appears once and sends some effluent, and
    there are at most ``MAX_FIRMS`` (100) firms. A missing ``cod_mg_per_l`` column is taken
    as 0 (the effluent's strength is ignored).
    """
    what = "firms table"
    clean = check_table(table, FIRM_COLUMNS, what=what, key=["firm"])
    if len(clean) > MAX_FIRMS:
        raise TableError(what, [
            f"the table has {len(clean):,} firms (rows 2 to {len(clean) + 1:,}); the course "
            f"shares a plant among at most {MAX_FIRMS} firms: put the small firms together, "
            "one row per group (for example 'Small dye houses', with their effluent added up "
            "and their COD averaged by volume), so that at most "
            f"{MAX_FIRMS} rows remain"
        ])  # fmt: skip
    problems = [
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


def _names(firms: pd.DataFrame | Sequence[str]) -> list[str]:
    names = check_firms(firms)["firm"].tolist() if isinstance(firms, pd.DataFrame) else firms
    names = [str(n) for n in names]
    if not names or len(set(names)) != len(names):
        raise ValueError(f"give the firms' names, each once; got {names!r}")
    return names


def _lookup(cost: Cost) -> Callable[[frozenset], float]:
    if not isinstance(cost, Mapping):
        return lambda coalition: float(cost(coalition))

    def look(coalition: frozenset) -> float:
        if coalition not in cost:
            raise ValueError(f"no cost is given for the coalition {sorted(coalition)!r}")
        return float(cost[coalition])

    return look


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


@dataclass(frozen=True)
class SharingResult:
    """Shapley shares (USD/yr), and how they were found: exactly, or from random orders
    (then ``standard_error`` says how far each estimate may be from the exact share)."""

    shares: dict[str, float]
    total: float
    exact: bool
    standard_error: dict[str, float]
    samples: int

    def explain(self) -> str:
        n = len(self.shares)
        if self.exact:
            return (
                f"Exact Shapley shares: each firm's extra cost averaged over all "
                f"{math.factorial(n):,} orders in which the {n} firms could join."
            )
        return (
            f"Shapley shares estimated from {self.samples:,} random orders of the {n} firms; "
            f"the largest standard error is USD {_usd(max(self.standard_error.values()))} a "
            "year (the exact share is very likely within 2 standard errors)."
        )


def shapley_shares(
    firms: pd.DataFrame | Sequence[str], cost: Cost, *, samples: int = 20_000, seed: int = 0
) -> SharingResult:
    """Each firm's Shapley share of the grand coalition's cost (USD/yr).

    ``cost`` gives each non-empty coalition's cost: a dict from :func:`coalition_costs` or
    a function of a frozenset of names (the empty coalition costs 0). Up to 12 firms the
    shares are exact: firm i pays the sum over coalitions S without i of
    ``|S|! (n - |S| - 1)! / n! x (cost(S + i) - cost(S))``. Above 12, ``samples`` random
    orders (drawn with ``seed``) are averaged, with a standard error per firm; in each
    order the extra costs add up to the grand coalition's cost, so the shares do too. With
    a ``cost`` from :func:`coalition_cost`, the orders' costs are found with numpy, many at
    once (100 firms take well under a second); other functions are called once per
    coalition.
    """
    names, look = _names(firms), _lookup(cost)
    n = len(names)
    cache: dict[int, float] = {0: 0.0}

    def cost_of(mask: int) -> float:
        if mask not in cache:
            cache[mask] = look(frozenset(names[b] for b in range(n) if mask >> b & 1))
        return cache[mask]

    if n <= EXACT_LIMIT:
        masks = np.arange(2**n)
        costs = np.array([cost_of(int(m)) for m in masks])
        size = np.array([m.bit_count() for m in masks.tolist()])
        fact = [math.factorial(k) for k in range(n + 1)]
        weight = np.array([fact[s] * fact[n - s - 1] / fact[n] if s < n else 0 for s in size])
        shares = {}
        for i, name in enumerate(names):
            without = masks[(masks >> i & 1) == 0]
            shares[name] = float(
                np.sum(weight[without] * (costs[without | 1 << i] - costs[without]))
            )
        return SharingResult(shares, cost_of(2**n - 1), True, dict.fromkeys(names, 0.0), 0)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise ValueError(f"samples is {samples!r}; give a whole number of orders, 2 or more")
    orders = np.random.default_rng(seed).permuted(np.tile(np.arange(n), (samples, 1)), axis=1)
    extra = np.empty((samples, n))
    if isinstance(cost, PlantGame) and set(names) <= cost.index.keys():
        # the same orders, each firm's extra cost found for many orders at once: the plant's
        # cost of the flow so far, and the firm's own COD cost (which adds up)
        at = [cost.index[name] for name in names]
        flows, cod = cost.flows[at], cost.cod_usd[at]
        step = max(1, 200_000 // n)
        for start in range(0, samples, step):
            block = orders[start : start + step]
            plant = cost.plant_costs(np.cumsum(flows[block], axis=1).ravel())
            added = np.diff(plant.reshape(block.shape), axis=1, prepend=0.0)
            extra[np.arange(start, start + len(block))[:, None], block] = added
        extra += cod
        return _sampled(names, extra, cost(frozenset(names)))
    for k, order in enumerate(orders.tolist()):
        mask, before = 0, 0.0
        for i in order:
            mask |= 1 << i
            after = cost_of(mask)
            extra[k, i], before = after - before, after
    return _sampled(names, extra, cost_of(2**n - 1))


def _sampled(names: list[str], extra: np.ndarray, total: float) -> SharingResult:
    """Shares estimated from each firm's extra cost (USD/yr) in each sampled order (rows)."""
    samples = len(extra)
    mean, error = extra.mean(axis=0), extra.std(axis=0, ddof=1) / math.sqrt(samples)
    as_dict = lambda values: dict(zip(names, values.tolist(), strict=True))  # noqa: E731
    return SharingResult(as_dict(mean), total, False, as_dict(error), samples)


@dataclass(frozen=True)
class CoreResult:
    """Whether a split is in the core; if not, the coalitions that would rather leave.

    ``objections`` lists (coalition, its shares' sum, its own cost), largest saving first;
    ``complete`` is False when, above 12 firms, only some coalitions were checked (then
    at most the ``MAX_OBJECTIONS`` largest objections are kept)."""

    in_core: bool
    checked: int
    complete: bool
    objections: tuple[tuple[frozenset, float, float], ...]
    message: str

    @property
    def leaving(self) -> frozenset | None:
        """The coalition that would save most with its own plant, or None."""
        return self.objections[0][0] if self.objections else None

    @property
    def saving_usd(self) -> float:
        """What ``leaving`` would save a year with its own plant (USD/yr); 0 if none."""
        return self.objections[0][1] - self.objections[0][2] if self.objections else 0.0

    def explain(self) -> str:
        return self.message

    def __deepcopy__(self, memo: dict) -> CoreResult:
        # nothing in it can change: pandas, which copies a table's attrs with every new
        # table made from it, need not copy a hundred groups of firms each time
        return self


def core_check(
    shares: Mapping[str, float], coalition_costs: Cost, *, tolerance_usd: float = 0.01
) -> CoreResult:
    """Is the split ``shares`` (USD/yr) in the core of the cost game ``coalition_costs``?

    It is when the shares add up to the grand coalition's cost and no coalition S pays
    more than its own plant would cost: sum of shares of S <= cost(S), give or take
    ``tolerance_usd``. Up to 12 firms every coalition is checked; above, those of 1 to 3
    firms and their complements (the message says so, and ``objections`` keeps the
    ``MAX_OBJECTIONS`` that save most): 2 x 166,750 groups for 100 firms, against 2^100.

    >>> costs = {frozenset("A"): 60, frozenset("B"): 60, frozenset("AB"): 90}
    >>> core_check({"A": 70, "B": 20}, costs).explain()
    'Not in the core: A would pay USD 10 a year less with its own plant (USD 60 instead of 70).'
    """
    names, look = list(shares), _lookup(coalition_costs)
    n, tolerance = len(names), _positive(tolerance_usd, "the tolerance (USD)", zero=True)
    total, paid = look(frozenset(names)), float(sum(shares.values()))
    if abs(paid - total) > tolerance:
        return CoreResult(False, 1, True, (), (
            f"Not in the core: the shares add up to USD {_usd(paid)} a year but the plant "
            f"costs USD {_usd(total)}; a split in the core pays exactly the cost."
        ))  # fmt: skip
    complete = n <= EXACT_LIMIT
    if complete:
        objections, checked = [], 0
        for size in range(1, n):
            for group in combinations(names, size):
                coalition, checked = frozenset(group), checked + 1
                pays, own = sum(shares[f] for f in group), look(frozenset(group))
                if pays - own > tolerance:
                    objections.append((coalition, pays, own, group))
    else:
        objections, checked = objections_of_small_groups(
            shares, coalition_costs, look, tolerance=tolerance, limit=MAX_OBJECTIONS
        )
    objections.sort(key=lambda o: (o[2] - o[1], len(o[3]), o[3]))
    if not objections and complete:
        return CoreResult(True, checked, True, (), (
            f"In the core: no group of firms would pay less with its own plant (all "
            f"{checked:,} groups checked)."
        ))  # fmt: skip
    if not objections:
        return CoreResult(True, checked, False, (), (
            "In the core as far as checked: no group of 1 to 3 firms, nor of all but 1 to 3 "
            f"firms, would pay less with its own plant (checked those {checked:,} groups, not "
            f"all {_count(2**n - 2)} possible groups; a group of another size could still pay "
            "less)."
        ))  # fmt: skip
    coalition, pays, own, group = objections[0]
    whose = "its" if len(group) == 1 else "their"
    who = and_list(list(group))
    if not complete and len(group) > n // 2:
        who = "all the firms except " + and_list([f for f in names if f not in coalition])
    return CoreResult(False, checked, complete, tuple(o[:3] for o in objections), (
        f"Not in the core: {who} would pay USD {_usd(pays - own)} a year less "
        f"with {whose} own plant (USD {_usd(own)} instead of {_usd(pays)})."
    ))  # fmt: skip


def _count(number: int) -> str:
    if number < 10**12:
        return f"{number:,}"
    power = len(str(number)) - 1
    return f"{number / 10**power:.1f} × 10^{power}"


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


@remembered
def shares_chart(comparison: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Grouped bars: each firm's share (USD/yr) under each rule, and a black bar-wide mark at
    its stand-alone cost. A rule whose bar rises above a firm's mark asks that firm to pay
    more than its own plant would cost; the key says which rules are in the core."""
    import matplotlib.pyplot as plt

    needed = ["firm", "effluent_m3_per_day", "standalone_usd_per_yr"]
    needed += [f"{rule}_usd_per_yr" for rule in RULES]
    missing = [c for c in needed if c not in getattr(comparison, "columns", ())]
    if missing:
        raise ValueError(
            f"the table has no column {and_list([repr(c) for c in missing])}; pass the table "
            "made by compare_rules(firms, cost_of_flow)"
        )
    in_core, core = comparison.attrs.get("in_core", {}), comparison.attrs.get("core", {})
    n = len(comparison)
    x, width = np.arange(n), 0.8 / len(RULES)
    # up to MANY_FIRMS firms side by side; more, one under another, in a taller chart
    across = n <= MANY_FIRMS
    size = (10, 5.5) if across else (10, 1.8 + 0.34 * n)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    bars, mark = (ax.bar, ax.hlines) if across else (ax.barh, ax.vlines)
    for k, (rule, label) in enumerate(RULES.items()):
        note = {True: " (in the core)", False: " (not in the core)"}.get(in_core.get(rule), "")
        if in_core.get(rule) and not getattr(core.get(rule), "complete", True):
            note = " (in the core as far as checked)"
        bars(x + (k - 1) * width, comparison[f"{rule}_usd_per_yr"], width,
             color=PALETTE[k], label=label + note, hatch=["", "//", ".."][k],
             edgecolor="white")  # fmt: skip
    mark(comparison["standalone_usd_per_yr"], x - 0.45, x + 0.45, color="black", lw=2.5,
         label="Stand-alone cost (own plant)")  # fmt: skip
    flows = comparison["effluent_m3_per_day"]
    names = [f"{f}\n{q:,.0f} m³/day" if across else f"{f} ({q:,.0f} m³/day)"
             for f, q in zip(comparison["firm"], flows, strict=True)]  # fmt: skip
    firms, shares = (ax.xaxis, ax.yaxis) if across else (ax.yaxis, ax.xaxis)
    firms.set_ticks(x, names)
    firms.set_label_text("Firm (and its effluent, m³ per day)")
    shares.set_major_formatter(lambda value, _: f"{value:,.0f}")
    shares.set_label_text("Share of the plant's cost (USD per year)")
    if not across:
        ax.invert_yaxis()  # the first firm on top, as in the table
    ax.set_title(title or "Sharing the yearly cost of a common effluent treatment plant")
    ax.legend(loc="upper left", fontsize="small")
    return fig
