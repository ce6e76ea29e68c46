"""The Shapley value and the core: Module 6's fair shares of a cost that firms share.

A cost game gives each group of firms (a *coalition*, a frozenset of their names) what it
would cost that group to go it alone: a dict of costs or a function of the coalition
(:mod:`eic.cost_sharing` makes one for a common effluent treatment plant). A split of the
cost of all the firms together (the *grand coalition*) is *in the core* when no group of
firms would pay less with its own plant. The Shapley value (Shapley, 1953), each firm's
extra cost averaged over every order in which the firms could join, is in the core
whenever, as for a plant with economies of scale, a firm adds less cost to a larger group;
it was proposed for sharing the cost of joint water works by Young, Okada and Hashimoto
(1982).

Up to ``EXACT_LIMIT`` firms both are exact; above, the Shapley value is estimated from
random orders and the core checked on the small groups of firms (see :mod:`eic.many_firms`).

>>> costs = {frozenset("A"): 60, frozenset("B"): 60, frozenset("AB"): 90}
>>> shapley_shares(["A", "B"], costs).shares
{'A': 45.0, 'B': 45.0}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from eic.appraisal import and_list
from eic.many_firms import Cost, PlantGame, objections_of_small_groups
from eic.tables import amount_text

EXACT_LIMIT = 12  # up to this many firms the Shapley value and the core are exact
MAX_OBJECTIONS = 100  # above EXACT_LIMIT firms, a core check keeps this many objections


def _positive(value: object, what: str, *, zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}; enter a number")
    if value < 0 or (value == 0 and not zero):
        raise ValueError(f"{what} is {value:g}; it must be {'0 or more' if zero else 'above 0'}")
    return float(value)


def _names(firms: pd.DataFrame | Sequence[str]) -> list[str]:
    # a firms table is checked as eic.cost_sharing defines it (that module imports this one)
    from eic.cost_sharing import check_firms

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
            f"the largest standard error is USD {amount_text(max(self.standard_error.values()))} a "
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
            f"Not in the core: the shares add up to USD {amount_text(paid)} a year but the plant "
            f"costs USD {amount_text(total)}; a split in the core pays exactly the cost."
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
        f"Not in the core: {who} would pay USD {amount_text(pays - own)} a year less "
        f"with {whose} own plant (USD {amount_text(own)} instead of {amount_text(pays)})."
    ))  # fmt: skip


def _count(number: int) -> str:
    if number < 10**12:
        return f"{number:,}"
    power = len(str(number)) - 1
    return f"{number / 10**power:.1f} × 10^{power}"
