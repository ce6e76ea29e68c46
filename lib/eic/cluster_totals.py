"""Totals and subtotals in an employment table (Module 2), which must not be counted.

A published employment table often carries its own totals: a sector "All industries" in
every region, a region "Whole country" in every sector. Many also list larger regions with
the provinces that make them up (a statistical yearbook's "Red River Delta" above its
provinces), or a sector "Manufacturing" beside its branches. Counted as one more sector or
region, a total or subtotal counts the same persons twice, and every location quotient and
growth rate is then wrong without any sign of it. So:

- a total is a sector (or region) that is the sum of all the others, within 1 % (published
  totals are rounded), in every region (or sector) and year;
- a subtotal is one that is, in the same way, the sum of two or more sectors (or regions)
  listed one after another in the table: those right after it or right before it, the way
  tables list a group with its members, or (looked for next) a run elsewhere, as in a
  table that lists its larger regions first and their provinces after them. It is looked
  for only where it has at least ``SUBTOTAL_CELLS`` numbers above 0 to add up: by chance,
  a run matches them all one time in many millions, whereas a few numbers could match by
  chance;
- once the subtotals are set aside, a sector (or region) that is the sum of the rest is a
  total too: a table that holds a country, its regions and their provinces adds up to twice
  the country.

>>> table = pd.DataFrame({"region": ["North"] * 3 + ["South"] * 3, "year": 2020,
...                       "sector": ["Textiles", "Services", "All sectors"] * 2,
...                       "employment": [300, 700, 1000, 200, 1800, 2000]})
>>> print(problems(table)[0])  # doctest: +NORMALIZE_WHITESPACE
sector 'All sectors' is the sum of the other sectors in every region (North in 2020: 1,000
persons, the others 1,000): it looks like a total. Remove its rows: counted as a sector, a
total doubles the employment of every region. The course adds up the sectors itself
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eic.tables import sum_of_others

# numbers above 0 a sector (or region) needs before it is taken for a subtotal of its
# neighbours: at 1 % each, six matched by chance are as good as impossible
SUBTOTAL_CELLS = 6
TOLERANCE = 0.01  # as tables.TOTAL_TOLERANCE: published totals are rounded


def problems(clean: pd.DataFrame) -> list[str]:
    """What to say of every total and subtotal sector, and every total and subtotal
    region, of a checked employment table. It takes at least two others to add up, so a
    table of two sectors (or regions) has none."""
    found = []
    for kind, across in (("sector", "region"), ("region", "sector")):
        if clean[kind].nunique() < 3:
            continue
        # rows: each year and region (or sector); columns: the sectors (or regions), in
        # the table's order
        wide = clean.set_index(["year", across, kind])["employment"].unstack(kind)
        wide = wide[list(dict.fromkeys(clean[kind]))]
        totals = _totals(wide)
        subtotals = _subtotals(wide.drop(columns=list(totals)), beside=True)
        rest = wide.drop(columns=list(totals) + list(subtotals))
        subtotals |= _subtotals(rest, beside=False)
        if subtotals:  # what is left may add up to a total only without them
            rest = wide.drop(columns=list(totals) + list(subtotals))
            totals |= _totals(rest)
            totals |= _whole(wide, [c for c in rest.columns if c not in totals], subtotals)
            subtotals = {name: at for name, at in subtotals.items() if name not in totals}
        found += [_total_text(kind, across, name, *at) for name, at in totals.items()]
        found += [_subtotal_text(kind, across, name, *at) for name, at in subtotals.items()]
    return found


def _totals(wide: pd.DataFrame) -> dict[str, tuple]:
    """Each column that is the sum of the others in every row, with the first row where it
    is above 0: that row's label, its number and the others' sum."""
    if wide.shape[1] < 3:
        return {}
    rest, close = sum_of_others(wide.to_numpy(dtype=float), axis=1)
    found = {}
    for name in wide.columns[close.all(axis=0) & (wide > 0).any().to_numpy()]:
        row = int(np.flatnonzero(wide[name].to_numpy() > 0)[0])
        found[name] = (wide.index[row], wide[name].iloc[row], rest[row, wide.columns.get_loc(name)])
    return found


def _whole(wide: pd.DataFrame, rest: list, subtotals: dict[str, tuple]) -> dict[str, tuple]:
    """The subtotals that are the sum of all the columns ``rest`` (those neither a total
    nor a subtotal) in every row: totals, given as :func:`_totals` gives them."""
    if len(rest) < 2:
        return {}
    everything = wide[rest].to_numpy(dtype=float).sum(axis=1)
    found = {}
    for name in subtotals:
        own = wide[name].to_numpy(dtype=float)
        if np.all(np.abs(everything - own) <= TOLERANCE * own):
            row = int(np.flatnonzero(own > 0)[0])
            found[name] = (wide.index[row], own[row], everything[row])
    return found


def _subtotals(wide: pd.DataFrame, *, beside: bool) -> dict[str, tuple]:
    """Each column that is the sum of a run of two or more other columns in every row: with
    ``beside``, a run right after it or right before it; else the first run anywhere that
    leaves it out. With the columns it adds up and its first row above 0 (its label, its
    number and the run's sum)."""
    numbers = wide.to_numpy(dtype=float)
    count = numbers.shape[1]
    # running[:, i]: the sum of the columns before column i
    running = np.concatenate([np.zeros((len(numbers), 1)), numbers.cumsum(axis=1)], axis=1)
    found = {}
    for column in range(count):
        own = numbers[:, column]
        if (own > 0).sum() < SUBTOTAL_CELLS:
            continue
        if beside:  # the runs after it (columns column + 1 to end - 1), then those before it
            starts = np.r_[np.full(max(count - column - 2, 0), column + 1), 0 : max(column - 1, 0)]
            ends = np.r_[column + 3 : count + 1, np.full(max(column - 1, 0), column)]
        else:  # every run that leaves it out and adds up to it in its largest number
            starts, ends = _runs_adding_up_to(running[int(np.argmax(own))], column, own.max())
        sums = running[:, ends] - running[:, starts]
        matches = np.flatnonzero(np.all(np.abs(sums - own[:, None]) <= TOLERANCE * own[:, None], 0))
        if len(matches):
            start, end, run = starts[matches[0]], ends[matches[0]], sums[:, matches[0]]
            row = int(np.flatnonzero(own > 0)[0])
            members = list(wide.columns[start:end])
            next_to = start == column + 1 or end == column
            found[wide.columns[column]] = (members, next_to, wide.index[row], own[row], run[row])
    return found


def _runs_adding_up_to(running: np.ndarray, column: int, value: float) -> tuple:
    """The runs of two or more columns [start, end) that leave out ``column`` and whose sum
    is ``value`` within the tolerance, in a row whose running sums are ``running`` (numbers
    are never below 0, so the sums only grow along the row: each start's ends are found by
    bisection, not by trying every run, which a table of many districts makes too many)."""
    low = np.searchsorted(running, running + value * (1 - TOLERANCE), side="left")
    high = np.searchsorted(running, running + value * (1 + TOLERANCE), side="right")
    first = np.maximum(low, np.arange(len(running)) + 2)
    starts, ends = [], []
    for start in np.flatnonzero(first < high):  # the few starts with a run of that sum
        for end in range(int(first[start]), int(high[start])):
            if end <= column or start > column:
                starts.append(start)
                ends.append(end)
    return np.array(starts, dtype=int), np.array(ends, dtype=int)


def _total_text(kind: str, across: str, name: str, at: tuple, value: float, rest: float) -> str:
    year, where = at
    return (
        f"{kind} '{name}' is the sum of the other {kind}s in every {across} ({where} in "
        f"{year}: {value:,.0f} persons, the others {rest:,.0f}): it looks like a total. Remove "
        f"its rows: counted as a {kind}, a total doubles the "
        + ("employment of every region" if kind == "sector" else "nation's employment")
        + f". The course adds up the {kind}s itself"
    )


def _subtotal_text(
    kind: str,
    across: str,
    name: str,
    members: list,
    beside: bool,
    at: tuple,
    value: float,
    run: float,
) -> str:
    year, where = at
    place = "beside it in the table" if beside else "listed together in the table"
    return (
        f"{kind} '{name}' is the sum of the {len(members)} {kind}s {place}, "
        f"'{members[0]}' to '{members[-1]}', in every {across} ({where} in {year}: "
        f"{value:,.0f} persons, they {run:,.0f}): it looks like a subtotal. Remove its rows "
        f"(or theirs): counted as a {kind} too, a subtotal counts its {kind}s' employment "
        "twice"
    )
