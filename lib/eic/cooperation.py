"""Module 6: who matters to a cluster's joint project, and who connects whom.

A stakeholder table has one row per person or organisation with a stake in a joint project
(a common effluent treatment plant, say): its ``group`` (firm, association, government,
community, ...), its ``influence`` over the project and its ``interest`` in it, each
rated from 1 (little) to 5 (a great deal). The grid of influence against interest (Reed et
al., 2009) sorts stakeholders into four quadrants that say how to engage them.

A tie table has one row per working relationship between two people or organisations
(``a`` and ``b``, with an optional ``strength``). In the network the ties make, an actor's
*degree* is its number of ties; its *betweenness* is the share of shortest paths between
two other actors that pass through it (Freeman, 1977). A broker, with high betweenness,
is not always the best-connected actor: it is the one others need to reach each other.

>>> ties = pd.DataFrame({"a": ["Firm A", "Association"], "b": ["Association", "Regulator"]})
>>> brokers(ties)
['Association']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.table_cells import Column, row_label
from eic.tables import TableError, check_table

# networkx takes a quarter of a second to import: the functions that use it import it
if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

RATING = "points from 1 (little) to 5 (a great deal)"
STAKEHOLDER_COLUMNS = (
    Column("stakeholder", "text"),
    Column("group", "text"),
    Column("influence", "number", unit=RATING, minimum=1),
    Column("interest", "number", unit=RATING, minimum=1),
)
TIE_COLUMNS = (
    Column("a", "text"),
    Column("b", "text"),
    Column("strength", "number", unit="tie strength", optional=True, allow_blank=True),
)
QUADRANTS = {  # (high influence, high interest) -> how to engage
    (True, True): "manage closely",
    (True, False): "keep satisfied",
    (False, True): "keep informed",
    (False, False): "monitor",
}
# the full Okabe & Ito colour-blind-safe set: PALETTE, then black and yellow
COLOURS = (*PALETTE, "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")


def check_stakeholders(table: pd.DataFrame) -> pd.DataFrame:
    """Check a stakeholder table; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: each stakeholder appears once, and influence and
    interest are whole numbers from 1 to 5.
    """
    what = "stakeholder table"
    clean = check_table(table, STAKEHOLDER_COLUMNS, what=what, key=["stakeholder"])
    problems = [
        f"column '{column}' in {row_label(position)} is {value:g}; enter a whole number from "
        "1 (little) to 5 (a great deal)"
        for column in ("influence", "interest")
        for position, value in enumerate(clean[column])
        if value > 5 or value != int(value)
    ]
    if problems:
        raise TableError(what, problems)
    return clean.astype({"influence": int, "interest": int})


def _cut(cut: object) -> int:
    if isinstance(cut, bool) or not isinstance(cut, int | float) or cut not in (2, 3, 4, 5):
        raise ValueError(f"cut is {cut!r}; give a whole rating from 2 to 5 (3 by default)")
    return int(cut)


def stakeholder_quadrants(table: pd.DataFrame, *, cut: int = 3) -> pd.DataFrame:
    """The checked table with a ``quadrant`` column from the power-interest grid.

    A rating counts as high when it is ``cut`` or more (3, the middle of the 1-5 scale, by
    default). High influence and high interest: "manage closely"; high influence only:
    "keep satisfied"; high interest only: "keep informed"; neither: "monitor".

    >>> table = pd.DataFrame({"stakeholder": ["Regulator", "Farmers"],
    ...     "group": ["government", "community"], "influence": [5, 2], "interest": [4, 5]})
    >>> stakeholder_quadrants(table)["quadrant"].tolist()
    ['manage closely', 'keep informed']
    """
    cut = _cut(cut)
    clean = check_stakeholders(table)
    clean["quadrant"] = [
        QUADRANTS[(influence >= cut, interest >= cut)]
        for influence, interest in zip(clean["influence"], clean["interest"], strict=True)
    ]
    return clean


# a label line, in typographic points (at the labels' size of 8.5)
LABEL_LINE = 11


def _label_place(x: float, y: float, k: int, count: int) -> dict:
    """Where the ``k``-th of ``count`` names of the point (x, y) goes, as arguments of
    ``annotate``: the names are stacked as lines, beside the point, or, near the right edge
    (where a name beside it would run into the next column's), above it (below it in the
    top row). The point itself stays on its ratings."""
    if x <= 4.5:  # beside the point, to its right, the stack centred on the point
        dy = LABEL_LINE * ((count - 1) / 2 - k)
        return {"xytext": (8, dy), "ha": "left", "va": "center"}
    if y <= 4.5:  # above the point, the first name on top
        return {"xytext": (0, 8 + LABEL_LINE * (count - 1 - k)), "ha": "center", "va": "bottom"}
    return {"xytext": (0, -8 - LABEL_LINE * k), "ha": "center", "va": "top"}


def _marker_area(k: int, count: int) -> float:
    """The area (points squared) of the ``k``-th of ``count`` markers on one point: largest
    first, so that each marker shows around the next one drawn on top of it."""
    return 70.0 if count == 1 else float(np.linspace(160, 45, count)[k])


@remembered
def stakeholder_map(table: pd.DataFrame, *, title: str, cut: int = 3) -> Figure:
    """The power-interest grid: interest (x) against influence (y), both rated 1-5.

    The four quadrants are shaded and named; each stakeholder is a point labelled with
    its name, coloured (and shaped) by its group. Every point sits exactly on its two
    whole-number ratings. Stakeholders with the same ratings share the point: their markers
    are drawn one inside the other and their names are stacked beside it (above it near
    the right edge).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    quadrants = stakeholder_quadrants(table, cut=cut)
    edge = cut - 0.5
    fig, ax = plt.subplots(figsize=(10, 7.5), layout="constrained")
    shades = {"manage closely": 5, "keep satisfied": 1, "keep informed": 0, "monitor": 4}
    for (high_influence, high_interest), name in QUADRANTS.items():
        x0, x1 = (edge, 5.5) if high_interest else (0.5, edge)
        y0, y1 = (edge, 5.5) if high_influence else (0.5, edge)
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color=PALETTE[shades[name]],
                               alpha=0.12, lw=0))  # fmt: skip
        ax.text(x1 - 0.08 if high_interest else x0 + 0.08,
                y1 - 0.08 if high_influence else y0 + 0.08, name.capitalize(),
                ha="right" if high_interest else "left",
                va="top" if high_influence else "bottom",
                fontsize=11, fontweight="bold", color="#444444")  # fmt: skip
    groups = list(dict.fromkeys(quadrants["group"]))
    cells = quadrants.groupby(["interest", "influence"], sort=False).cumcount()
    sizes = quadrants.groupby(["interest", "influence"])["stakeholder"].transform("size")
    for row, k, n in zip(quadrants.itertuples(index=False), cells, sizes, strict=True):
        g = groups.index(row.group)
        x, y = row.interest, row.influence
        ax.scatter(x, y, s=_marker_area(k, n), color=COLOURS[g % len(COLOURS)],
                   marker=MARKERS[g % len(MARKERS)], edgecolor="white", zorder=3 + k)  # fmt: skip
        ax.annotate(row.stakeholder, (x, y), textcoords="offset points", fontsize=8.5,
                    zorder=4 + n, **_label_place(x, y, k, n))  # fmt: skip
    handles = [
        Line2D([], [], linestyle="", marker=MARKERS[g % len(MARKERS)], markersize=8,
               color=COLOURS[g % len(COLOURS)], label=group)
        for g, group in enumerate(groups)
    ]  # fmt: skip
    ax.legend(handles=handles, title="Group", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.axvline(edge, color="#888888", lw=1)
    ax.axhline(edge, color="#888888", lw=1)
    ax.set(xlim=(0.5, 5.5), ylim=(0.5, 5.5), xticks=range(1, 6), yticks=range(1, 6))
    ax.set_xlabel("Interest in the project (rating, 1 = little to 5 = a great deal)")
    ax.set_ylabel("Influence over the project (rating, 1 = little to 5 = a great deal)")
    ax.set_title(f"{title}\n(a rating of {cut} or more counts as high)")
    return fig


def check_ties(table: pd.DataFrame) -> pd.DataFrame:
    """Check a tie table; return a clean copy or raise :class:`~eic.tables.TableError`.

    ``strength`` (0 or more) may be left out or blank: it is then 1. A tie joins two
    different actors, and each pair of actors is listed once (A-B and B-A are the same tie).
    """
    what = "tie table"
    clean = check_table(table, TIE_COLUMNS, what=what)
    strength = clean["strength"] if "strength" in clean else pd.Series(np.nan, clean.index)
    clean["strength"] = strength.fillna(1.0)
    problems, seen = [], {}
    for position, (a, b) in enumerate(zip(clean["a"], clean["b"], strict=True)):
        pair = frozenset((a, b))
        if a == b:
            problems.append(
                f"{row_label(position)} ties '{a}' to itself; a tie joins two different people "
                "or organisations: correct column 'a' or 'b'"
            )
        elif pair in seen:
            problems.append(
                f"{row_label(seen[pair])} and {row_label(position)} both tie '{a}' and '{b}'; "
                "keep one of them"
            )
        seen.setdefault(pair, position)
    if problems:
        raise TableError(what, problems)
    return clean


def _network(ties: pd.DataFrame) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    for a, b, strength in check_ties(ties).itertuples(index=False):
        graph.add_edge(a, b, strength=strength)
    return graph


def _betweenness(neighbours: Mapping[str, Mapping[str, object]]) -> dict[str, float]:
    """Freeman's betweenness of each actor, normalised, every tie one step (Brandes 2001,
    "A faster algorithm for betweenness centrality"): as networkx's
    ``betweenness_centrality(graph, normalized=True)``."""
    found = dict.fromkeys(neighbours, 0.0)
    for source in neighbours:
        # shortest paths from source, breadth first: how many reach each actor, and via whom
        order, before = [], {n: [] for n in neighbours}
        paths, steps = dict.fromkeys(neighbours, 0), {source: 0}
        paths[source] = 1
        queue = deque([source])
        while queue:
            here = queue.popleft()
            order.append(here)
            for there in neighbours[here]:
                if there not in steps:
                    steps[there] = steps[here] + 1
                    queue.append(there)
                if steps[there] == steps[here] + 1:
                    paths[there] += paths[here]
                    before[there].append(here)
        # each actor's share of the paths from source that pass through it
        share = dict.fromkeys(neighbours, 0.0)
        for there in reversed(order):
            for here in before[there]:
                share[here] += paths[here] / paths[there] * (1 + share[there])
            if there != source:
                found[there] += share[there]
    n = len(neighbours)
    scale = 1 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # each pair was counted both ways
    return {actor: value * scale for actor, value in found.items()}


def broker_table(ties: pd.DataFrame) -> pd.DataFrame:
    """Each actor's degree, tie strength, betweenness and rank as a broker.

    ``degree``: number of ties; ``strength``: the sum of its ties' strengths;
    ``betweenness``: the share of shortest paths between pairs of other actors that pass
    through it, from 0 (none) to 1 (all) (Freeman's betweenness, normalised, counting
    each tie as one step whatever its strength); ``rank``: 1 for the highest betweenness
    (equal values share a rank). Sorted by betweenness, then degree, highest first.

    >>> path = pd.DataFrame({"a": ["A", "B"], "b": ["B", "C"]})
    >>> broker_table(path)[["actor", "degree", "betweenness", "rank"]].values.tolist()
    [['B', 2, 1.0, 1], ['A', 1, 0.0, 2], ['C', 1, 0.0, 2]]
    """
    # computed here rather than with networkx, whose loading took a third of a second of
    # module 6's opening; tests check both agree
    neighbours: dict[str, dict[str, float]] = {}
    for a, b, strength in check_ties(ties).itertuples(index=False):
        neighbours.setdefault(a, {})[b] = strength
        neighbours.setdefault(b, {})[a] = strength
    betweenness = _betweenness(neighbours)
    table = pd.DataFrame(
        {
            "actor": list(neighbours),
            "degree": [len(ties_of) for ties_of in neighbours.values()],
            "strength": [sum(ties_of.values()) for ties_of in neighbours.values()],
            "betweenness": [round(betweenness[n], 12) for n in neighbours],
        }
    )
    table = table.sort_values(
        ["betweenness", "degree", "actor"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    table["rank"] = table["betweenness"].rank(method="min", ascending=False).astype(int)
    return table


def brokers(ties: pd.DataFrame, top: int = 3) -> list[str]:
    """The ``top`` actors with the highest betweenness, leaving out any with none (0)."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top is {top!r}; give a whole number of brokers, 1 or more")
    table = broker_table(ties)
    return table.loc[table["betweenness"] > 0, "actor"].head(top).tolist()


@remembered
def ties_chart(ties: pd.DataFrame, *, title: str, highlight: Sequence[str] = ()) -> Figure:
    """The network: actors as circles sized by their betweenness, ties as lines as thick as
    their strength. ``highlight`` names actors to draw in another colour (e.g. the
    brokers). The layout is computed with a fixed seed, so it is the same at every run."""
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    graph = _network(ties)
    highlight = [highlight] if isinstance(highlight, str) else list(highlight)
    unknown = [h for h in highlight if h not in graph]
    if unknown:
        raise ValueError(
            f"no actor named {', '.join(repr(u) for u in unknown)} in the ties; actors: "
            f"{', '.join(sorted(graph))}"
        )
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    position = nx.spring_layout(graph, seed=6, k=2.5 / max(graph.number_of_nodes(), 1) ** 0.5)
    fig, ax = plt.subplots(figsize=(9.5, 7))
    widths = [1 + 1.2 * d["strength"] for *_, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, position, ax=ax, width=widths, edge_color="#999999")
    nx.draw_networkx_nodes(
        graph, position, ax=ax, alpha=0.9,
        node_size=[150 + 2500 * betweenness[n] for n in graph],
        node_color=[PALETTE[1] if n in highlight else PALETTE[0] for n in graph],
    )  # fmt: skip
    span = np.ptp(np.array(list(position.values())), axis=0).max() or 1.0
    for name, (x, y) in position.items():
        ax.text(x, y + 0.05 * span, name, ha="center", va="bottom", fontsize=8.5,
                bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1})  # fmt: skip
    if highlight:
        marked = Line2D([], [], linestyle="", marker="o", markersize=10, color=PALETTE[1],
                        label=", ".join(highlight))  # fmt: skip
        ax.legend(handles=[marked], loc="lower left", fontsize="small")
    ax.axis("off")
    ax.margins(0.12)
    ax.set_title(
        f"{title}\n(circle size = betweenness, the share of shortest paths through an actor; "
        "line width = tie strength)",
        fontsize=11,
    )
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig
