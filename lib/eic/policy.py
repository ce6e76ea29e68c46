"""Module 7: scoring policy instruments and choosing a package within a budget.

Candidate instruments are scored on the criteria a package should serve (weighted, for
example, by :func:`eic.ahp.ahp`), and the best package within a budget (USD million) is
chosen exactly, showing which of the three policy streams (industrial, environmental,
regional development; ADBI, 2013, "Regional Workshop on Eco-Industrial Clusters",
post-event statement) it leaves out.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.appraisal import and_list, as_number
from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.portfolio import best_subset
from eic.table_cells import Column, row_label
from eic.tables import TableError, normalise_name, table_problems

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

STREAMS = ("industrial", "environmental", "regional development")
INSTRUMENT_COLUMNS = (
    Column("instrument", "text"),
    Column("stream", "text", allowed=STREAMS),
    # at most USD 100 billion: more is no instrument's cost, but dollars typed in a column
    # of millions (5,000,000 for 5)
    Column("cost_usd_million", "number", unit="USD million", minimum=0, maximum=100_000),
)
MAX_SCORE = 10
# the objectives Module 7's question 1 weighs, and the instruments table's score column of
# each (its name as the code spells it: "jobs_and_growth")
OBJECTIVES = ("Jobs and growth", "Environmental benefit", "Reach to SMEs")
SCORE_COLUMNS = ("environmental_benefit", "jobs_and_growth", "reach_to_smes")
# choose_package compares every combination (eic.portfolio.best_subset): up to 30 items
MAX_INSTRUMENTS = 30
WHAT = "instruments table"


def _finite_real(value: object) -> bool:
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    return real and math.isfinite(value)


def _weights(weights: Mapping[str, float]) -> dict[str, float]:
    if not hasattr(weights, "items"):
        raise TypeError("the weights must map each criterion to a number, e.g. {'jobs': 0.5}")
    clean: dict[str, float] = {}
    for name, value in weights.items():
        number = float(value) if _finite_real(value) else None
        if number is None or number < 0:
            raise ValueError(f"the weight of '{name}' is {value!r}; enter a number, 0 or more")
        if normalise_name(name) in clean:
            raise ValueError(f"the criterion '{name}' has two weights; keep one")
        clean[normalise_name(name)] = number
    total = sum(clean.values())
    if total <= 0:
        raise ValueError("the weights add up to 0; give at least one criterion a weight above 0")
    return {name: value / total for name, value in clean.items()}


def weighted_scores(instruments: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """The instruments table, checked, with a ``score`` column: each criterion's score (0-10
    points) times its weight, added up. Weights (a dict or the priorities of :func:`ahp`)
    are scaled to sum to 1, so the score is also 0-10 points; criterion names match the
    table's score columns ignoring case and spaces ("Reach to SMEs" = ``reach_to_smes``).

    >>> table = pd.DataFrame({"instrument": ["Audit", "Grant"], "stream": ["environmental",
    ...     "industrial"], "cost_usd_million": [1, 3], "jobs": [4, 8], "environment": [8, 5]})
    >>> weighted_scores(table, {"Jobs": 1, "Environment": 3})["score"].tolist()
    [7.0, 5.75]
    """
    shares = _weights(weights)
    what = "instruments table"
    if not isinstance(instruments, pd.DataFrame):
        raise TableError(what, [f"expected a table, got {type(instruments).__name__}"])
    base = [c.name for c in INSTRUMENT_COLUMNS]
    scores = [h for h in map(normalise_name, instruments.columns) if h not in base]
    problems = []
    for name in shares:
        if name in base:
            problems.append(f"'{name}' is not a score; give weights to score columns only")
        elif name not in scores:
            close = (
                difflib.get_close_matches(name, scores, n=1, cutoff=0.5)
                or [s for s in scores if s.split("_")[0] == name.split("_")[0]][:1]
            )
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                f"the weight '{name}' names no score column{hint}; the score columns are: "
                f"{', '.join(scores) or 'none'}"
            )
    if problems:
        raise TableError(what, problems)
    columns = INSTRUMENT_COLUMNS + tuple(
        Column(name, "number", unit="points from 0 to 10", minimum=0) for name in shares
    )
    # every problem at once: a score above 10 beside a cell that is not a number
    table, problems = table_problems(instruments, columns, what=what, key=["instrument"])
    problems += _above_max_score(table, shares)
    if problems:
        raise TableError(what, problems)
    table["score"] = sum(weight * table[name] for name, weight in shares.items())
    table.attrs["weights"] = shares
    return table


def _above_max_score(table: pd.DataFrame, names: Sequence[str]) -> list[str]:
    """A problem for each score in the columns ``names`` above :data:`MAX_SCORE`."""
    return [
        f"column '{name}' in {row_label(position)} is {value:g}; scores run from 0 to "
        f"{MAX_SCORE}: score every instrument on the same scale of 0 to {MAX_SCORE} points"
        for name in names
        for position, value in enumerate(table[name])
        if value > MAX_SCORE
    ]


def check_instruments(table: pd.DataFrame) -> pd.DataFrame:
    """Check a table of candidate instruments (the columns of the course's
    ``policy_instruments``: ``instrument``, ``stream``, ``cost_usd_million`` and a score from
    0 to 10 points for each of :data:`SCORE_COLUMNS`); return a clean copy or raise
    :class:`~eic.tables.TableError` naming every problem, its row and the fix: a missing
    column, text in a number column, a negative cost, a score below 0 or above 10, a stream
    that is not one of the three (with the nearest, if one is close), an instrument listed
    twice (ignoring capitals), an empty table, or more than :data:`MAX_INSTRUMENTS` rows.

    >>> table = pd.DataFrame({"instrument": ["Audit"], "stream": ["Environmental"],
    ...     "cost_usd_million": [1.5], "environmental_benefit": [8], "jobs_and_growth": [4],
    ...     "reach_to_smes": [8]})
    >>> check_instruments(table)["stream"].tolist()
    ['environmental']
    """
    columns = INSTRUMENT_COLUMNS + tuple(
        Column(name, "number", unit="points from 0 to 10", minimum=0) for name in SCORE_COLUMNS
    )
    clean, problems = table_problems(table, columns, what=WHAT, key=["instrument"])
    too_many = [
        f"the table has {len(clean):,} instruments (rows 2 to {len(clean) + 1:,}); the course "
        f"compares at most {MAX_INSTRUMENTS}: keep the {MAX_INSTRUMENTS} you most want to "
        "compare, or put similar instruments together in one row"
    ]
    problems = (too_many if len(clean) > MAX_INSTRUMENTS else []) + problems
    problems += _above_max_score(clean, SCORE_COLUMNS)
    if problems:
        raise TableError(WHAT, problems)
    return clean


@dataclass(frozen=True)
class Package:
    """The policy instruments funded within a ``budget`` (USD million): their names and
    streams, total ``cost`` (USD million) and total weighted ``score`` (points)."""

    instruments: tuple[str, ...]
    instrument_streams: tuple[str, ...]
    cost: float
    score: float
    budget: float

    @property
    def streams(self) -> tuple[str, ...]:
        """The policy streams with at least one instrument in the package."""
        return tuple(s for s in STREAMS if s in self.instrument_streams)

    @property
    def left_out(self) -> tuple[str, ...]:
        """The policy streams the package leaves without any instrument."""
        return tuple(s for s in STREAMS if s not in self.instrument_streams)

    def explain(self) -> str:
        within = f"Within USD {_million(self.budget)} million"
        if not self.instruments:
            return f"{within}, fund no instrument: none fits the budget."
        count = len(self.instruments)
        text = (
            f"{within}, fund {and_list(list(self.instruments))}: {count} instrument"
            f"{'s' if count > 1 else ''} costing USD {_million(self.cost)} million, with a "
            f"total weighted score of {self.score:.1f} points."
        )
        if not self.left_out:
            return f"{text} The package covers all three policy streams."
        return (
            f"{text} It covers the {and_list(list(self.streams))} stream"
            f"{'s' if len(self.streams) > 1 else ''} and leaves out the "
            f"{and_list(list(self.left_out))} stream{'s' if len(self.left_out) > 1 else ''}."
        )


def _million(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _scored(scored: pd.DataFrame) -> pd.DataFrame:
    needed = ["instrument", "stream", "cost_usd_million", "score"]
    if any(c not in getattr(scored, "columns", ()) for c in needed):
        raise ValueError("pass the table made by weighted_scores(instruments, weights)")
    return scored.reset_index(drop=True)


def _package(table: pd.DataFrame, positions: Sequence[int], budget: float) -> Package:
    picked = table.iloc[list(positions)]
    return Package(
        tuple(picked["instrument"]),
        tuple(picked["stream"]),
        round(float(picked["cost_usd_million"].sum()), 6),  # to the dollar
        float(picked["score"].sum()),
        budget,
    )


def _budget(budget: float) -> float:
    value = as_number(budget, "the budget")
    if value < 0:
        raise ValueError(f"the budget is {value:g}; give the money available in USD million")
    return value


def choose_package(scored: pd.DataFrame, budget_usd_million: float) -> Package:
    """The instruments whose costs fit the budget (USD million) with the highest total
    weighted score: every combination is compared (:func:`eic.portfolio.best_subset`),
    costs to the dollar and scores to a millionth of a point. Ties go to the lower cost,
    then to fewer instruments."""
    budget = _budget(budget_usd_million)
    table = _scored(scored)
    costs = np.round(table["cost_usd_million"].to_numpy(float) * 1e6).astype(np.int64)
    values = np.round(table["score"].to_numpy(float) * 1e6).astype(np.int64)
    limit = round(min(budget, float(table["cost_usd_million"].sum()) + 1) * 1e6)
    return _package(table, best_subset(costs, values, limit), budget)


def greedy_package(scored: pd.DataFrame, budget_usd_million: float) -> Package:
    """The naive rule, to compare with :func:`choose_package`: take the instruments in order
    of score, best first, each one that still fits the budget (USD million)."""
    budget = _budget(budget_usd_million)
    table = _scored(scored)
    left, taken = round(budget * 1e6), []
    for position in table.sort_values("score", ascending=False, kind="stable").index:
        cost = round(table.loc[position, "cost_usd_million"] * 1e6)
        if cost <= left:
            taken.append(position)
            left -= cost
    return _package(table, sorted(taken), budget)


def streams_covered(package: Package) -> dict[str, tuple[str, ...]]:
    """Each policy stream and the package's instruments in it; an empty tuple marks a stream
    the package leaves out.

    >>> streams_covered(Package(("Audit",), ("environmental",), 1.0, 7.0, 2.0))
    {'industrial': (), 'environmental': ('Audit',), 'regional development': ()}
    """
    pairs = list(zip(package.instruments, package.instrument_streams, strict=True))
    return {stream: tuple(i for i, s in pairs if s == stream) for stream in STREAMS}


@remembered
def scores_chart(
    scored: pd.DataFrame, package: Package | None = None, *, title: str | None = None
) -> Figure:
    """Each instrument's weighted score (points, 0-10), coloured by policy stream; with a
    ``package``, the instruments left out of it are hatched and faded."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    table = _scored(scored).sort_values("score", kind="stable")
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(table) + 2), layout="constrained")
    colours = dict(zip(STREAMS, (PALETTE[0], PALETTE[2], PALETTE[1]), strict=True))
    bars = ax.barh(table["instrument"], table["score"], color=table["stream"].map(colours))
    chosen = set(package.instruments) if package else set(table["instrument"])
    for bar, name in zip(bars, table["instrument"], strict=True):
        if name not in chosen:
            bar.set(hatch="//", alpha=0.45, edgecolor="white")
    labels = [
        f"{s:.1f} (USD {_million(c)} m)"
        for s, c in zip(table["score"], table["cost_usd_million"], strict=True)
    ]
    ax.bar_label(bars, labels, padding=3, fontsize="small")
    ax.set_xlim(0, MAX_SCORE * 1.25)
    ax.set_xlabel("Weighted score (points, 0 to 10)")
    ax.set_ylabel("Policy instrument")
    handles = [Patch(color=colours[s], label=f"{s.capitalize()} stream") for s in STREAMS]
    if package:
        handles.append(Patch(facecolor="grey", alpha=0.45, hatch="//", label="Not in the package"))
        default = (
            f"Policy instruments by weighted score\nPackage within USD "
            f"{_million(package.budget)} million: {len(package.instruments)} instruments, "
            f"USD {_million(package.cost)} million, score {package.score:.1f}"
        )
        if package.left_out:
            default += f"; leaves out: {and_list(list(package.left_out))}"
    else:
        default = "Policy instruments by weighted score"
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    ax.set_title(title or default)
    return fig
