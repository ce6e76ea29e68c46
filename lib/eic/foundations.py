"""Module 1: a cluster's self-assessment on the four foundations of an eco-industrial cluster.

The four foundations (inter-firm networks, enabling technologies, social capital, public
policy support) are those drawn from four prototype clusters in India, Japan, Thailand and
Viet Nam by IGES (policy brief No. 08, "Eco-industrial clusters: Enhancing regional
economic development through environmental linkages"; Anbumozhi, ed., 2007).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from eic.chart_cache import remembered

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

FOUNDATIONS = (
    "Inter-firm networks",
    "Enabling technologies",
    "Social capital",
    "Public policy support",
)
LOW, HIGH = 0, 5
SCALE = {
    0: "absent",
    1: "isolated efforts",
    2: "emerging",
    3: "established in part of the cluster",
    4: "strong across the cluster",
    5: "strong and self-sustaining",
}
# Okabe & Ito colour-blind-safe palette
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HIGHLIGHT = "#000000"  # a radar chart's highlighted cluster: Okabe & Ito's black


@dataclass(frozen=True)
class Assessment:
    """A cluster's ratings (0-5) on the four foundations, and what they say."""

    ratings: dict[str, float]

    @property
    def average(self) -> float:
        return sum(self.ratings.values()) / len(self.ratings)

    @property
    def weakest(self) -> list[str]:
        low = min(self.ratings.values())
        return [f for f in FOUNDATIONS if self.ratings[f] == low]

    @property
    def strongest(self) -> list[str]:
        high = max(self.ratings.values())
        return [f for f in FOUNDATIONS if self.ratings[f] == high]

    @property
    def spread(self) -> float:
        """Highest minus lowest rating: a large spread means an unbalanced cluster."""
        return max(self.ratings.values()) - min(self.ratings.values())

    def advice(self) -> str:
        weakest = " and ".join(self.weakest)
        level = self.ratings[FOUNDATIONS[0]]
        if self.spread == 0 and level == 0:
            return (
                f"All four foundations are rated 0 of {HIGH} (absent): the cluster is not yet "
                "an eco-industrial cluster. Start with the foundation that is easiest to build "
                "where you are."
            )
        if self.spread == 0:
            return (
                f"All four foundations are rated {level:g} of {HIGH}: they are even; raise "
                "all four together."
            )
        return (
            f"Weakest: {weakest} ({min(self.ratings.values()):g} of {HIGH}). The foundations "
            "support each other, so the weakest one limits the others: start there."
        )


def assess(ratings: Mapping[str, float]) -> Assessment:
    """Check a self-assessment and summarise it.

    ``ratings`` maps each of the four foundations to a rating from 0 (absent) to 5 (strong
    and self-sustaining).

    >>> a = assess({"Inter-firm networks": 2, "Enabling technologies": 3,
    ...             "Social capital": 1, "Public policy support": 4})
    >>> a.weakest, a.average
    (['Social capital'], 2.5)
    """
    if not isinstance(ratings, Mapping):
        raise TypeError("ratings must map each foundation to a number from 0 to 5")
    unknown = [k for k in ratings if k not in FOUNDATIONS]
    if unknown:
        raise ValueError(
            f"unknown foundation(s): {', '.join(map(str, unknown))}; "
            f"use exactly: {', '.join(FOUNDATIONS)}"
        )
    missing = [f for f in FOUNDATIONS if f not in ratings]
    if missing:
        raise ValueError(f"no rating for: {', '.join(missing)}; rate each from {LOW} to {HIGH}")
    clean: dict[str, float] = {}
    for name in FOUNDATIONS:
        value = ratings[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or np.isnan(value):
            raise ValueError(f"the rating of '{name}' is {value!r}; enter a number {LOW}-{HIGH}")
        if not LOW <= value <= HIGH:
            raise ValueError(f"the rating of '{name}' is {value:g}; it must be {LOW} to {HIGH}")
        clean[name] = float(value)
    return Assessment(clean)


@remembered
def radar_chart(
    profiles: Mapping[str, Mapping[str, float]],
    *,
    title: str = "Self-assessment",
    highlight: str | None = None,
) -> Figure:
    """Draw one or more clusters' ratings on the four foundations as a radar chart.

    ``profiles`` maps a cluster's name to its ratings (as for :func:`assess`). The cluster
    named ``highlight`` (e.g. the participant's own) is drawn in a colour of its own, thicker
    and on top, so that the others keep the colours and lines they have in a chart without
    it (the worked example's two clusters look the same in both charts).
    """
    import matplotlib.pyplot as plt

    if not profiles:
        raise ValueError("give at least one cluster's ratings to draw")
    if highlight is not None and highlight not in profiles:
        raise ValueError(f"no ratings for '{highlight}', the cluster to highlight")
    angles = np.linspace(0, 2 * np.pi, len(FOUNDATIONS), endpoint=False)
    closed = np.append(angles, angles[0])
    fig, ax = plt.subplots(figsize=(6, 5.2), subplot_kw={"projection": "polar"})
    others = [name for name in profiles if name != highlight]
    for name in others + ([highlight] if highlight is not None else []):
        scores = [assess(profiles[name]).ratings[f] for f in FOUNDATIONS]
        if name == highlight:  # black, thicker: unlike any of the others
            colour, linestyle, width = HIGHLIGHT, "-", 3
        else:
            index = others.index(name)
            colour, width = PALETTE[index % len(PALETTE)], 2
            linestyle = ("-", "--", ":", "-.")[index % 4]
        ax.plot(
            closed,
            scores + scores[:1],
            color=colour,
            linewidth=width,
            label=name,
            linestyle=linestyle,
        )
        ax.fill(closed, scores + scores[:1], color=colour, alpha=0.15)
    ax.set_xticks(angles)
    ax.set_xticklabels([f.replace(" ", "\n", 1) for f in FOUNDATIONS])
    # each name starts outside the outer ring: centred on its spoke, the names left and
    # right of the chart ran over the ring ("Inter-firm networks", "Social capital")
    ax.tick_params(axis="x", pad=6)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
        side = np.cos(angle)
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    ax.set_ylim(LOW, HIGH)
    ax.set_yticks(range(LOW + 1, HIGH + 1))
    ax.set_rlabel_position(45)  # between two foundations, clear of their names
    ax.set_title(f"{title}\n(rating 0 = absent, 5 = strong and self-sustaining)", pad=18)
    # below the chart: in its top right corner it covered "Enabling technologies" and a tick
    handles, labels = ax.get_legend_handles_labels()
    if highlight is not None:  # the highlighted cluster, drawn last, is named first
        handles, labels = handles[-1:] + handles[:-1], labels[-1:] + labels[:-1]
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=min(3, len(profiles)),
        fontsize="small",
        frameon=False,
    )
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig
