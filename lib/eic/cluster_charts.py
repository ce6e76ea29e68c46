"""Module 2's charts: a region's location quotients by sector, the shift-share of its
change in employment, and the map of candidate clusters (specialisation against regional
shift). Notebooks import them from :mod:`eic.clusters`, as they always have."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.chart_cache import remembered
from eic.cluster_words import (
    NATION,
    SHIFT_SHARE_COMPONENTS,
    at_least,
    average_of,
    capitalised,
    component_labels,
    threshold_text,
)
from eic.foundations import PALETTE

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

HATCHES = ("", "//", "..")


@remembered
def lq_chart(
    lqs_or_candidates: pd.DataFrame, region: str, *, threshold: float = 1.25, whole: str = NATION
) -> Figure:
    """Bar chart of one region's location quotients by sector, candidates highlighted.

    Takes the table from :func:`location_quotients` (a sector is highlighted when its LQ is
    at least ``threshold``) or from :func:`candidate_clusters` (its ``candidate`` column
    decides; give the same ``threshold`` so the line matches). ``whole`` names what the
    table's regions make up, whose average is LQ 1 (see :func:`candidate_clusters`).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if {"sector", "lq", "candidate"} <= set(lqs_or_candidates.columns):
        data = lqs_or_candidates[["sector", "lq", "candidate"]]
    else:
        if region not in lqs_or_candidates.index:
            known = ", ".join(map(str, lqs_or_candidates.index))
            raise ValueError(f"no region '{region}' in the location quotients; known: {known}")
        row = lqs_or_candidates.loc[region]
        data = pd.DataFrame({"sector": row.index, "lq": row.to_numpy()})
        data["candidate"] = [at_least(lq, threshold) for lq in data["lq"]]
    data = data.sort_values("lq", kind="stable")
    colours = [PALETTE[5] if c else PALETTE[0] for c in data["candidate"]]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.45 * len(data)))
    bars = ax.barh(data["sector"], data["lq"], color=colours)
    for bar, candidate in zip(bars, data["candidate"], strict=True):
        bar.set_hatch("//" if candidate else "")
    ax.axvline(1, color="black", linestyle="--", linewidth=1)
    ax.axvline(threshold, color=PALETTE[1], linestyle=(0, (6, 3)), linewidth=1.5)
    # on a white ground, so that a dashed line running through a value does not cross it out
    ax.bar_label(
        bars,
        fmt="%.2f",
        padding=3,
        zorder=3,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.set_xlim(0, max(float(data["lq"].max()), threshold) * 1.15)
    year = lqs_or_candidates.attrs.get("year")
    ax.set_title(f"Specialisation of {region} by sector" + (f", {year}" if year else ""))
    ax.set_xlabel(f"Location quotient (1 = {average_of(whole)})")
    ax.set_ylabel("Sector")
    handles = [
        Patch(facecolor=PALETTE[5], hatch="//", label="Candidate cluster"),
        Patch(facecolor=PALETTE[0], label="Other sector"),
        Line2D(
            [],
            [],
            color="black",
            linestyle="--",
            label=f"{capitalised(average_of(whole))} (LQ = 1)",
        ),
        Line2D(
            [],
            [],
            color=PALETTE[1],
            linestyle=(0, (6, 3)),
            label=f"Threshold (LQ = {threshold_text(threshold)})",
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


@remembered
def shift_share_chart(shift_share_result: pd.DataFrame, *, whole: str = NATION) -> Figure:
    """Grouped bars of the three shift-share parts per sector (persons), actual change marked;
    ``whole`` names what the table's regions make up, as the legend says it."""
    import matplotlib.pyplot as plt

    labels = component_labels(whole)
    data = shift_share_result[shift_share_result["sector"] != "Total"].iloc[::-1]
    positions = np.arange(len(data))
    height = 0.27
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.7 * len(data)))
    for index, (component, hatch) in enumerate(zip(SHIFT_SHARE_COMPONENTS, HATCHES, strict=True)):
        ax.barh(
            positions + (1 - index) * height,
            data[component],
            height=height,
            color=PALETTE[index],
            hatch=hatch,
            edgecolor="white",
            label=labels[component],
        )
    ax.scatter(
        data["actual_change"], positions, marker="D", color="black", zorder=3, label="Actual change"
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(positions, data["sector"])
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    attrs = shift_share_result.attrs
    where = f" in {attrs['region']}, {attrs['start']}-{attrs['end']}" if attrs else ""
    ax.set_title(f"Shift-share of the change in employment{where}")
    ax.set_xlabel("Change in employment (persons)")
    ax.set_ylabel("Sector")
    handles, labels = ax.get_legend_handles_labels()
    order = [*range(1, len(handles)), 0]  # the bars in drawing order, then the marker
    ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


@remembered
def cluster_map_chart(candidates: pd.DataFrame, region: str, *, whole: str = NATION) -> Figure:
    """The cluster map: each sector a bubble, across its location quotient, up its regional
    shift (persons) and its area its employment; the top-right corner holds the sectors
    that are specialised and doing better than the sector does in ``whole``.

    Takes the table from :func:`candidate_clusters` made with a ``start`` year; its
    threshold is drawn as a line and its candidates are coloured.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if candidates["regional_shift"].isna().all():
        raise ValueError("the cluster map needs a start year: give candidate_clusters start=")
    threshold = candidates.attrs.get("lq_threshold", 1.25)
    start, year = candidates.attrs.get("start"), candidates.attrs.get("year")
    data = candidates.sort_values("employment", ascending=False, kind="stable")
    scale = 1200 / float(data["employment"].max())  # points squared per person employed
    colours = [PALETTE[5] if c else PALETTE[0] for c in data["candidate"]]
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.scatter(
        data["lq"],
        data["regional_shift"],
        s=data["employment"] * scale,
        c=colours,
        alpha=0.6,
        edgecolors="black",
        linewidths=0.6,
        zorder=3,
    )
    ax.axvline(1, color="black", linestyle="--", linewidth=1)
    ax.axvline(threshold, color=PALETTE[1], linestyle=(0, (6, 3)), linewidth=1.5)
    ax.axhline(0, color="black", linewidth=0.8)
    low, high = float(data["regional_shift"].min()), float(data["regional_shift"].max())
    span = max(high, 0) - min(low, 0) or 1.0
    right = max(float(data["lq"].max()), threshold) * 1.15 + 0.3
    ax.set_xlim(0, right)
    placed = _spread_labels(data, span, right)
    tops = [y for _, _, _, y, _ in placed] + [high]
    ax.set_ylim(min(low, 0) - 0.1 * span, max(max(tops), 0) + 0.1 * span)
    for lq, shift, x, y, label in placed:
        ax.annotate(
            label,
            (lq, shift),
            xytext=(x, y),
            fontsize="small",
            va="center",
            ha="left" if x > lq else "right",
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.6, "shrinkA": 0},
        )
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:+,.0f}" if value else "0")
    where = f", {start}-{year}" if start is not None and year is not None else ""
    ax.set_title(f"Cluster map of {region}{where}")
    ax.set_xlabel(f"Location quotient in {year} (1 = {average_of(whole)})")
    ax.set_ylabel(f"Regional shift since {start} (persons)")
    handles = [
        Line2D([], [], linestyle="", marker="o", color=PALETTE[5], label="Candidate cluster"),
        Line2D([], [], linestyle="", marker="o", color=PALETTE[0], label="Other sector"),
        Line2D([], [], color="black", linestyle="--", label=f"{capitalised(average_of(whole))}"),
        Line2D(
            [],
            [],
            color=PALETTE[1],
            linestyle=(0, (6, 3)),
            label=f"Threshold (LQ = {threshold_text(threshold)})",
        ),
    ]
    ax.legend(
        handles=handles,
        loc="best",
        fontsize="small",
        title=f"Bubble area: persons employed in {year}",
        title_fontsize="small",
    )
    ax.grid(alpha=0.3)
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


def _spread_labels(
    data: pd.DataFrame, span: float, right: float
) -> list[tuple[float, float, float, float, str]]:
    """Where to write each sector's name (bubble x, y, then text x, y, name): beside its
    bubble, moved up where it would overlap the name of a sector with a close quotient
    (names at least 5 % of the height apart); left of a bubble in the right third."""
    gap = 0.05 * span
    placed: list[tuple[float, float, float, float, str]] = []
    for row in data.sort_values("regional_shift", kind="stable").itertuples():
        lq, shift = float(row.lq), float(row.regional_shift)
        x = lq - 0.08 if lq > right * 2 / 3 else lq + 0.08
        y = shift
        for _, _, px, py, _ in placed:
            if abs(px - x) < 0.9 and y - py < gap:
                y = py + gap
        placed.append((lq, shift, x, y, str(row.sector)))
    return placed
