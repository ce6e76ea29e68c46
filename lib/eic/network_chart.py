"""Module 4's network chart: partners as circles, links labelled with what they carry.

The labels are placed before the chart is drawn, where they hide no circle and no other
label if there is such a place near their partner or link; the highlighted partner (the
anchor) has a legend that says what its colour means. A network of more than
:data:`LABELS_AT_MOST` labels names only its :data:`NAMED_AT_MOST` best-linked partners and
labels no link, and its title says so: every label of thousands of partners could not be
read, and placing each clear of all the others took minutes.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.symbiosis_network import link_graph

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure


# The network chart's size (points: 9 x 6.5 inches) and lettering. Its axes have a fixed
# place in it, so that labels are placed where they overlap no circle and no other label
# before the chart is drawn (a layout engine would move the axes afterwards).
FIGURE_PT = (648.0, 468.0)
NAME_SIZE, LINK_SIZE = 8.5, 7.5
# each label's size, box edge and layer: names above link labels, link labels above circles
LABEL_LOOKS = {"name": (NAME_SIZE, "none", 5), "link": (LINK_SIZE, "#BBBBBB", 4)}
# module 4's words for the best-linked partner, and for several tied as the best-linked
HIGHLIGHT_LABEL = "Anchor: the best-linked partner"
TIED_LABEL = "Anchors, tied as the best-linked partners"
# A network with more labels than this (a name per partner and a label per link) names only
# its NAMED_AT_MOST best-linked partners and labels no link: each label placed is compared
# with every circle and label placed before it, so labelling them all grows with the square
# of the network (a 2,000-firm inventory spent 16 s on it, a 20,000-firm one many minutes).
LABELS_AT_MOST = 100
NAMED_AT_MOST = 30


@functools.cache
def _text_measure():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, 72)  # at 72 dpi, one pixel is one point


def _text_size(text: str, size: float) -> tuple[float, float]:
    """Width and height (points) of a text of one or more lines, as matplotlib draws it."""
    from matplotlib.font_manager import FontProperties

    font, measure = FontProperties(size=size), _text_measure()
    lines = text.split("\n")
    width = max(measure.get_text_width_height_descent(t, font, ismath=False)[0] for t in lines)
    line = measure.get_text_width_height_descent("lp", font, ismath=False)[1]
    return width + 0.5 * size, line * (1 + 1.2 * (len(lines) - 1)) + 0.5 * size  # with pad


def _overlap(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The area each box (rows of x0, y0, x1, y1) shares with all ``others`` together."""
    if not len(others):
        return np.zeros(len(boxes))
    o = np.asarray(others, dtype=float)
    w = np.minimum(boxes[:, None, 2], o[None, :, 2]) - np.maximum(boxes[:, None, 0], o[:, 0])
    h = np.minimum(boxes[:, None, 3], o[None, :, 3]) - np.maximum(boxes[:, None, 1], o[:, 1])
    return (w.clip(0) * h.clip(0)).sum(axis=1)


def _least_crowded(centres, size, taken: list[np.ndarray], frame) -> tuple[float, float]:
    """Of the candidate ``centres`` (in order of preference) of a box of ``size``, the one
    whose box overlaps the ``taken`` boxes (arrays of rows x0, y0, x1, y1) and leaves the
    ``frame`` the least; it is taken."""
    c = np.asarray(centres, dtype=float)
    half = np.asarray(size) / 2
    boxes = np.hstack([c - half, c + half])
    outside = half.prod() * 4 - _overlap(boxes, np.array([frame], dtype=float))
    cost = _overlap(boxes, np.vstack(taken)) + 2 * outside + 0.5 * np.arange(len(c))
    best = boxes[int(np.argmin(cost))]
    taken.append(best[None, :])
    return (best[0] + best[2]) / 2, (best[1] + best[3]) / 2


def _axes_scale(
    points: np.ndarray, box: tuple[float, float], pad: tuple[float, float], *, same: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Lower-left corner (data) and points per data unit along x and y that fit ``points``
    in an axes ``box`` (points) with ``pad`` (points) at each side; ``same``: one scale."""
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scale = (np.asarray(box) - 2 * np.asarray(pad)) / span
    if same:
        scale = np.full(2, scale.min())
    return (low + high) / 2 - np.asarray(box) / 2 / scale, scale


def _labelled(graph: nx.Graph) -> tuple[list[str], bool]:
    """The partners to name, and whether to label the links: all of them, or past
    :data:`LABELS_AT_MOST` labels the :data:`NAMED_AT_MOST` best-linked partners (the first
    in the table of those as well linked) and no link."""
    if graph.number_of_nodes() + graph.number_of_edges() <= LABELS_AT_MOST:
        return list(graph), True
    order = sorted(enumerate(graph), key=lambda item: (-graph.degree[item[1]], item[0]))
    return [name for _, name in order[:NAMED_AT_MOST]], False


def _label_places(
    graph: nx.Graph,
    at: dict,
    radius: dict,
    box: tuple[float, float],
    *,
    named: list[str] | None = None,
    links: bool = True,
) -> list:
    """(text, kind, centre) of each partner's name and each link's label, in points: a name
    above, below, right or left of its circle, a link's label on the link, as near its
    middle as the circles and the labels placed before it allow. ``named``: the partners
    to name (by default all); ``links``: whether to label the links."""
    circles = np.array([(*(at[n] - 0.89 * radius[n]), *(at[n] + 0.89 * radius[n]))
                        for n in graph], dtype=float).reshape(-1, 4)  # fmt: skip
    taken = [circles]
    frame, places = (0.0, 0.0, *box), []
    for name in graph if named is None else named:
        (x, y), r = at[name], radius[name]
        w, h = _text_size(name, NAME_SIZE)
        sides = [(x, y + r + h / 2), (x, y - r - h / 2), (x + r + w / 2, y), (x - r - w / 2, y)]
        places.append((name, "name", _least_crowded(sides, (w, h), taken, frame)))
    for a, b, carried in graph.edges(data="resources") if links else ():
        text = textwrap.fill(", ".join(sorted(carried)), 24, break_long_words=False)
        w, h = _text_size(text, LINK_SIZE)
        start, way = at[a], at[b] - at[a]
        side = np.array([way[1], -way[0]]) / (np.hypot(*way) or 1.0) * (h / 2 + 3)
        along = [start + t * way for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)]
        spots = along + [p + s * side for s in (1, -1, 2, -2) for p in along[:5]]
        places.append((text, "link", _least_crowded(spots, (w, h), taken, frame)))
    return places


def _highlight_legend(fig: Figure, label: str) -> None:
    from matplotlib.lines import Line2D

    look = {"marker": "o", "linestyle": "", "markersize": 11, "markeredgecolor": "none"}
    dots = [Line2D([], [], markerfacecolor=c, alpha=0.9, **look) for c in PALETTE[1::-1]]
    fig.legend(dots, [label, "Other partner"], loc="lower center", ncol=2, frameon=False)


@remembered
def network_chart(
    links: pd.DataFrame,
    *,
    title: str,
    highlight: str | Sequence[str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    highlight_label: str | None = None,
) -> Figure:
    """The network: partners as circles sized by their number of links, links labelled
    with their resources; ``highlight`` draws a partner (e.g. the anchor), or each of
    several (anchors tied for the most links), in another colour, which a legend explains
    as ``highlight_label`` (by default :data:`HIGHLIGHT_LABEL`, or :data:`TIED_LABEL` for
    several) with their names. ``positions`` places partners
    on a map (x, y in km); without it the layout is computed with a fixed seed, so the
    drawing is the same at every run. Labels are set in white boxes where they hide no
    circle and no other label, if there is such a place near their partner or link. Past
    :data:`LABELS_AT_MOST` labels, only the :data:`NAMED_AT_MOST` best-linked partners are
    named and no link is labelled; the title says so."""
    import matplotlib.pyplot as plt
    import networkx as nx

    graph = link_graph(links)
    marked = [highlight] if isinstance(highlight, str) else list(highlight or ())
    marked = [n for n in marked if n in graph]
    if highlight_label is None:
        highlight_label = TIED_LABEL if len(marked) > 1 else HIGHLIGHT_LABEL
    on_map = positions is not None
    if on_map:
        position = {n: positions[n] for n in graph}
    else:
        position = nx.spring_layout(graph, seed=7, k=2.5 / max(graph.number_of_nodes(), 1) ** 0.5)
    fig = plt.figure(figsize=(FIGURE_PT[0] / 72, FIGURE_PT[1] / 72))
    left, bottom = (0.08, 0.14) if on_map else (0.02, 0.08)
    ax = fig.add_axes((left, bottom, 0.97 - left, 0.9 - bottom))
    box = (FIGURE_PT[0] * (0.97 - left), FIGURE_PT[1] * (0.9 - bottom))
    radius = {n: (250 + 200 * graph.degree[n]) ** 0.5 / 2 for n in graph}  # points
    named, link_labels = _labelled(graph)
    widest = max(_text_size(n, NAME_SIZE)[0] for n in named)
    pad = (max(max(radius.values()), widest / 2) + 4, max(radius.values()) + 2.2 * NAME_SIZE)
    xy = np.array([position[n] for n in graph], dtype=float)
    corner, scale = _axes_scale(xy, box, pad, same=on_map)
    at = dict(zip(graph, (xy - corner) * scale, strict=True))  # points from the lower left
    nx.draw_networkx_edges(graph, position, ax=ax, width=1.5, edge_color="#777777")
    nx.draw_networkx_nodes(
        graph,
        position,
        ax=ax,
        node_size=[(2 * radius[n]) ** 2 for n in graph],
        node_color=[PALETTE[1] if n in marked else PALETTE[0] for n in graph],
        alpha=0.9,
    )
    for text, kind, centre in _label_places(graph, at, radius, box, named=named, links=link_labels):
        x, y = corner + np.asarray(centre) / scale
        size, edge, layer = LABEL_LOOKS[kind]
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=layer,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": edge,
                      "linewidth": 0.6})  # fmt: skip
    ax.set_xlim(corner[0], corner[0] + box[0] / scale[0])
    ax.set_ylim(corner[1], corner[1] + box[1] / scale[1])
    if marked:
        _highlight_legend(fig, f"{highlight_label} ({', '.join(marked)})")
    if on_map:
        ax.set_xlabel("x (km)")
        ax.set_ylabel("y (km)")
        ax.tick_params(left=True, bottom=True, labelleft=True, labelbottom=True)
        ax.set_aspect("equal", adjustable="datalim")
    else:
        ax.axis("off")
    key = "circle size = number of partners linked"
    if not link_labels:
        key += f"; only the {len(named)} best-linked of {graph.number_of_nodes():,} partners named"
    ax.set_title(f"{title}\n({key})")
    return fig
