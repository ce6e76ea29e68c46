"""Costing many coalitions of firms at once, for Module 6 with more than a dozen firms.

The Shapley value and the core check of :mod:`eic.cost_games` are exact up to
``EXACT_LIMIT`` firms. Above, they need the costs of hundreds of thousands of coalitions:
:class:`PlantGame` costs them in a few array operations instead of one call each, and the
core is checked on the groups of 1 to 3 firms and of all but 1 to 3 firms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from itertools import chain, combinations

import numpy as np

Cost = Callable[[frozenset], float] | Mapping[frozenset, float]
FlowCost = Callable[[float], float]


class PlantGame:
    """The cost of any coalition (a frozenset of names) of firms sharing one plant, called
    like a function; its arrays cost many coalitions at once, which is how the Shapley
    value and the core of more than ``EXACT_LIMIT`` firms are found in a second or so."""

    def __init__(self, names: list[str], flows: list[float], loads: list[float],
                 cost_of_flow: FlowCost, price: float) -> None:  # fmt: skip
        self.flow = dict(zip(names, flows, strict=True))
        self.load = dict(zip(names, loads, strict=True))
        self.index = {name: i for i, name in enumerate(names)}
        self.flows = np.array(flows, dtype=float)
        self.cod_usd = price * 365 * np.array(loads, dtype=float)  # each firm's, USD/yr
        self.cost_of_flow, self.price = cost_of_flow, price
        self.takes_arrays: bool | None = None  # found out at the first array of flows
        self.costs_of_groups: dict[tuple, list[tuple[np.ndarray, np.ndarray]]] = {}

    def __call__(self, coalition: frozenset) -> float:
        if not coalition or not coalition <= self.flow.keys():
            raise ValueError(
                f"{sorted(coalition)!r} is not a group of the firms; use names from: "
                f"{', '.join(self.flow)}"
            )
        members = sorted(coalition)  # one order of adding: the same cost in every kernel
        return float(
            self.cost_of_flow(sum(self.flow[f] for f in members))
            + self.price * 365 * sum(self.load[f] for f in members)
        )

    def plant_costs(self, flows: np.ndarray) -> np.ndarray:
        """``cost_of_flow`` of each flow (m3/day): one call with the whole array when it
        takes one and agrees with its answers for single flows (as :func:`plant_cost`
        does), else one call per flow."""
        flows = np.asarray(flows, dtype=float)
        if self.takes_arrays is None:
            self.takes_arrays = self._takes_arrays(flows)
        if self.takes_arrays:
            return np.asarray(self.cost_of_flow(flows), dtype=float)
        return np.fromiter((self.cost_of_flow(float(q)) for q in flows), float, len(flows))

    def _takes_arrays(self, flows: np.ndarray) -> bool:
        try:
            with np.errstate(all="ignore"):
                costs = np.asarray(self.cost_of_flow(flows), dtype=float)
        except Exception:  # a function of one number: it will be called once per flow
            return False
        if costs.shape != flows.shape or not np.isfinite(costs).all():
            return False
        probes = {0, len(flows) // 2, len(flows) - 1} if len(flows) else set()
        return all(
            math.isclose(costs[k], float(self.cost_of_flow(float(flows[k]))), rel_tol=1e-9)
            for k in probes
        )


@lru_cache(maxsize=4)  # about 4 MB each for 100 firms
def small_groups(n: int) -> tuple[np.ndarray, ...]:
    """The groups of 1, 2 and 3 of ``n`` firms, each as rows of the firms' positions."""
    groups = []
    for k in (1, 2, 3):
        count = math.comb(n, k)
        rows = np.fromiter(chain.from_iterable(combinations(range(n), k)), np.intp, count * k)
        rows = rows.reshape(count, k)
        rows.flags.writeable = False
        groups.append(rows)
    return tuple(groups)


def costs_of_small_groups(
    names: list[str], cost: Cost, look: Callable[[frozenset], float]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For the groups of 1, 2 and 3 firms: their own plants' costs, and those of the rest."""
    groups = small_groups(len(names))
    if not (isinstance(cost, PlantGame) and set(names) <= cost.index.keys()):
        everyone = frozenset(names)
        result = []
        for rows in groups:
            small = [frozenset(names[i] for i in row) for row in rows.tolist()]
            result.append((np.array([look(g) for g in small]),
                           np.array([look(everyone - g) for g in small])))  # fmt: skip
        return result
    key = tuple(names)
    if key not in cost.costs_of_groups:  # the same for every rule: found once
        at = [cost.index[name] for name in names]
        flows, cod = cost.flows[at], cost.cod_usd[at]
        # the rest's flow, never below that of the smallest firms (rounding could do that)
        least = np.sort(flows)[: len(names) - 3].sum()
        result = []
        for rows in groups:
            flow, load = flows[rows].sum(axis=1), cod[rows].sum(axis=1)
            plant = cost.plant_costs(np.concatenate([flow, np.maximum(flows.sum() - flow, least)]))
            result.append((plant[: len(rows)] + load, plant[len(rows) :] + cod.sum() - load))
        cost.costs_of_groups[key] = result
    return cost.costs_of_groups[key]


def objections_of_small_groups(
    shares: Mapping[str, float],
    cost: Cost,
    look: Callable[[frozenset], float],
    *,
    tolerance: float,
    limit: int,
) -> tuple[list[tuple[frozenset, float, float, tuple]], int]:
    """The groups of 1 to 3 firms and of all but 1 to 3 firms that would pay less with their
    own plant (at most ``limit``, those that save most), and how many were checked."""
    names = list(shares)
    n, paid = len(names), np.array([shares[name] for name in names], dtype=float)
    blocks = []  # (rows of positions, the rest of the firms?, their shares, their own cost)
    for rows, (own, own_rest) in zip(small_groups(n), costs_of_small_groups(names, cost, look),
                                     strict=True):  # fmt: skip
        pays = paid[rows].sum(axis=1)
        blocks += [(rows, False, pays, own), (rows, True, paid.sum() - pays, own_rest)]
    saving = np.concatenate([pays - own for _, _, pays, own in blocks])
    size = np.concatenate([
        np.full(len(rows), n - rows.shape[1] if rest else rows.shape[1])
        for rows, rest, _, _ in blocks
    ])  # fmt: skip
    found = np.flatnonzero(saving > tolerance)
    found = found[np.lexsort((size[found], -saving[found]))[:limit]]
    starts = np.cumsum([0] + [len(rows) for rows, *_ in blocks])
    objections = []
    for j in found.tolist():
        b = int(np.searchsorted(starts, j, side="right")) - 1
        rows, rest, pays, own = blocks[b]
        members = set(rows[j - starts[b]].tolist())
        group = tuple(name for i, name in enumerate(names) if (i in members) != rest)
        objections.append(
            (frozenset(group), float(pays[j - starts[b]]), float(own[j - starts[b]]), group)
        )
    return objections, int(starts[-1])
