"""Drawing a Sankey diagram with matplotlib: bands whose widths are proportional to flows.

Used by :func:`eic.flows.sankey_chart`; kept apart because it is only geometry. Imports
stand in the left column, exports in the right one, and processes in between in the order
material passes through them. A flow back to an earlier process (a recycle) is cut in two:
it leaves on the right ("returns to ...") and comes back on the left ("recovered from ...").
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eic.chart_cache import remembered
from eic.foundations import PALETTE

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

NODE_WIDTH = 0.1
GAP = 0.05
LABEL_ROOM = 0.09  # height kept beside an import or export for its two-line label
WRAP = 30


@dataclass(frozen=True)
class SankeyEdge:
    """A flow of ``quantity`` from ``source`` to ``target`` (None: outside the system)."""

    name: str
    source: str | None
    target: str | None
    quantity: float


def process_order(edges: list[SankeyEdge]) -> list[str]:
    """Processes in flow order (a topological order; a cycle is broken where it is entered)."""
    names: list[str] = []
    for edge in edges:
        for name in (edge.source, edge.target):
            if name is not None and name not in names:
                names.append(name)
    placed: list[str] = []
    while len(placed) < len(names):
        ready = [
            n
            for n in names
            if n not in placed
            and all(e.source in placed for e in edges if e.target == n and e.source)
        ]
        if not ready:  # a loop: start with the process fed most from outside or placed ones
            ready = sorted(
                (n for n in names if n not in placed),
                key=lambda n: (
                    -sum(e.quantity for e in edges if e.target == n and e.source in (None, *placed))
                ),
            )
        placed.append(ready[0])
    return placed


def _wrap(text: str) -> str:
    return textwrap.fill(text, WRAP)


@remembered
def draw_sankey(edges: list[SankeyEdge], *, unit: str, title: str) -> Figure:
    """Draw ``edges`` (all in ``unit``) as a Sankey diagram and return the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    order = process_order(edges)
    rank = {name: i for i, name in enumerate(order)}
    layer = {name: 1 for name in order}
    for name in order:  # longest path along forward flows
        for e in edges:
            if e.target == name and e.source is not None and rank[e.source] < rank[name]:
                layer[name] = max(layer[name], layer[e.source] + 1)
    last = max(layer.values(), default=0) + 1

    # Each band: (start node, end node, quantity, label, colour); recycles cut in two.
    nodes: dict[str, dict] = {
        p: {"col": layer[p], "key": (rank[p],), "label": textwrap.fill(p, 18)} for p in order
    }
    bands = []
    for index, e in enumerate(edges):
        colour = PALETTE[index % len(PALETTE)]
        amount = f"{e.quantity:,.4g} {unit}"
        back = e.source is not None and e.target is not None and rank[e.target] <= rank[e.source]
        if e.source is None or back:
            start = f"in {index}"
            origin = f" (from {e.source})" if back else ""
            nodes[start] = {
                "col": 0,
                "key": (rank[e.target], index),
                "label": _wrap(f"{e.name}{origin}") + f"\n{amount}",
            }
        else:
            start = e.source
        if e.target is None or back or e.target not in nodes:
            end = f"out {index}"
            where = f" (returns to {e.target})" if back else ""
            key = (rank[e.source], index)
            label = _wrap(f"{e.name}{where}") + f"\n{amount}"
            nodes[end] = {"col": last, "key": key, "label": label}
        else:
            end = e.target
        if back:
            bands.append((e.source, end, e.quantity, "", colour))
            bands.append((start, e.target, e.quantity, "", colour))
            continue
        stock = e.target is not None and e.target.lower().startswith("stock")
        if stock and end == e.target:  # what a process keeps: its node says how much
            nodes[end]["label"] += f"\n{amount}"
        inner = e.source is not None and e.target is not None and not stock
        bands.append((start, end, e.quantity, f"{e.name}\n{amount}" if inner else "", colour))

    for node in nodes.values():
        node["in"] = node["out"] = 0.0
    for start, end, quantity, _, _ in bands:
        nodes[start]["out"] += quantity
        nodes[end]["in"] += quantity
    columns: dict[int, list[str]] = {}
    for name in sorted(nodes, key=lambda n: nodes[n]["key"]):
        columns.setdefault(nodes[name]["col"], []).append(name)
    size = {name: max(node["in"], node["out"]) for name, node in nodes.items()}
    tallest = max(sum(size[n] for n in names) for names in columns.values())
    most_nodes = max(len(names) for names in columns.values())
    scale = (1 - GAP * (most_nodes - 1)) / tallest
    if any(col in (0, last) for col in columns):
        outer_room = max(LABEL_ROOM * len(columns.get(c, [])) for c in (0, last))
        scale = min(scale, max(1 - outer_room, 0.5) / tallest)
    for col, names in columns.items():
        outer = col in (0, last)  # labels beside the nodes need room for two lines
        slots = [max(size[n] * scale, LABEL_ROOM if outer else 0) for n in names]
        y = 0.5 + (sum(slots) + GAP * (len(names) - 1)) / 2
        for name, slot in zip(names, slots, strict=True):
            h = size[name] * scale
            top = y - (slot - h) / 2
            nodes[name].update(x=col, top=top, height=h, in_y=top, out_y=top)
            y -= slot + GAP

    # Bands leave a node in the order of their targets' heights and enter in the order of
    # their sources' heights, so they cross as little as possible.
    starts, ends = {}, {}
    for i in sorted(range(len(bands)), key=lambda i: -nodes[bands[i][1]]["top"]):
        a = nodes[bands[i][0]]
        starts[i] = a["out_y"]
        a["out_y"] -= bands[i][2] * scale
    for i in sorted(range(len(bands)), key=lambda i: -nodes[bands[i][0]]["top"]):
        b = nodes[bands[i][1]]
        ends[i] = b["in_y"]
        b["in_y"] -= bands[i][2] * scale

    fig, ax = plt.subplots(figsize=(10.5, 5.5))
    for i, (start, end, quantity, label, colour) in enumerate(bands):
        thick = quantity * scale
        x0, x1 = nodes[start]["x"] + NODE_WIDTH / 2, nodes[end]["x"] - NODE_WIDTH / 2
        y0, y1 = starts[i], ends[i]
        xm = (x0 + x1) / 2
        verts = [
            (x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 - thick),
            (xm, y1 - thick), (xm, y0 - thick), (x0, y0 - thick), (x0, y0),
        ]  # fmt: skip
        codes = [Path.MOVETO, *[Path.CURVE4] * 3, Path.LINETO, *[Path.CURVE4] * 3]
        codes.append(Path.CLOSEPOLY)
        ax.add_patch(PathPatch(Path(verts, codes), facecolor=colour, alpha=0.5, lw=0))
        if label:
            ax.text(xm, (y0 + y1 - thick) / 2, label, ha="center", va="center", fontsize=7.5)
    for node in nodes.values():
        bottom = node["top"] - node["height"]
        ax.add_patch(
            Rectangle((node["x"] - NODE_WIDTH / 2, bottom), NODE_WIDTH, node["height"],
                      facecolor="#333333")
        )  # fmt: skip
        middle = node["top"] - node["height"] / 2
        if node["col"] == 0:
            ax.text(node["x"] - NODE_WIDTH, middle, node["label"], ha="right", va="center",
                    fontsize=8)  # fmt: skip
        elif node["col"] == last:
            ax.text(node["x"] + NODE_WIDTH, middle, node["label"], ha="left", va="center",
                    fontsize=8)  # fmt: skip
        else:
            # over the bands that pass above the node, on a pale ground to stay readable
            ax.text(node["x"], node["top"] + 0.015, node["label"], ha="center", va="bottom",
                    fontsize=9, fontweight="bold", zorder=3,
                    bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none",
                          "pad": 1.5})  # fmt: skip
    ax.set_xlim(-1.6, last + 1.6)
    ax.set_ylim(min(n["top"] - n["height"] for n in nodes.values()) - 0.03, 1.08)
    ax.axis("off")
    ax.set_title(title)
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig
