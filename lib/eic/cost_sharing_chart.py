"""Module 6's chart of the shares of a common plant's cost that each rule gives its firms,
and its description in words (the chart's alternative text). :mod:`eic.cost_sharing`
works out the shares (:func:`eic.cost_sharing.compare_rules`); this draws them, beside
each firm's cost of building alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.appraisal import and_list
from eic.chart_cache import remembered
from eic.cost_sharing import RULES
from eic.foundations import PALETTE

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

MANY_FIRMS = 15  # a chart of more firms lists them one under another

# The shares chart (points): tick labels at 10 pt, the key at "small" (8.33 pt). Firms stand
# side by side only while every name fits under its own group of bars; else one under
# another, a name of more than NAME_WIDTH letters on two lines or more.
CHART_WIDTH_PT, TICK_PT, KEY_PT = 720.0, 10.0, 8.33
NAME_WIDTH = 32


def _text_width(lines: str, size: float) -> float:
    """The width (points) of the widest line of ``lines``, as matplotlib draws it."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    measure, font = RendererAgg(1, 1, 72), FontProperties(size=size)  # 1 pixel = 1 point
    return max(
        measure.get_text_width_height_descent(line, font, ismath=False)[0]
        for line in lines.split("\n")
    )


def _side_by_side(names: Sequence[str], keys: Sequence[str], largest: float) -> bool:
    """Whether the firms' ``names`` fit side by side under their bars, each within its
    group's width, beside the key (``keys``) on the right and the axis of shares (up to
    ``largest`` USD) on the left; with room to spare, as the layout is worked out later."""
    if len(names) > MANY_FIRMS:
        return False
    shares_axis = _text_width(f"{largest:,.0f}", TICK_PT) + 2.5 * TICK_PT + 20
    key = max(_text_width(k, KEY_PT) for k in keys) + 4 * KEY_PT + 20
    group = (CHART_WIDTH_PT - shares_axis - key) / len(names)
    return max(_text_width(name, TICK_PT) for name in names) <= 0.85 * group


@remembered
def shares_chart(comparison: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Grouped bars: each firm's share (USD/yr) under each rule, and a black bar-wide mark at
    its stand-alone cost. A rule whose bar rises above a firm's mark asks that firm to pay
    more than its own plant would cost; the key, right of the bars, says which rules are in
    the core. The firms stand side by side while their names fit (at most
    :data:`MANY_FIRMS`); else one under another, the first on top, in a chart as tall as
    they need, each name on as many lines as it takes."""
    import textwrap

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
    keys = []
    for rule, label in RULES.items():
        note = {True: "(in the core)", False: "(not in the core)"}.get(in_core.get(rule), "")
        if in_core.get(rule) and not getattr(core.get(rule), "complete", True):
            note = "(in the core as far as checked)"
        keys.append(f"{label}\n{note}" if note else label)
    standalone = "Stand-alone cost\n(own plant)"
    n = len(comparison)
    x, width = np.arange(n), 0.8 / len(RULES)
    pairs = list(zip(comparison["firm"].astype(str), comparison["effluent_m3_per_day"],
                     strict=True))  # fmt: skip
    upright = [f"{f}\n{q:,.0f} m³/day" for f, q in pairs]
    shares = comparison[["standalone_usd_per_yr", *(f"{r}_usd_per_yr" for r in RULES)]]
    across = _side_by_side(upright, [*keys, standalone], float(shares.to_numpy().max()))
    if across:
        names, size = upright, (10, 5.5)
    else:  # a name and its flow, the flow never split from its unit
        names = [textwrap.fill(f"{f} ({q:,.0f}\u00a0m³/day)", NAME_WIDTH, break_long_words=False)
                 .replace("\u00a0", " ") for f, q in pairs]  # fmt: skip
        lines = max(name.count("\n") + 1 for name in names)
        size = (10, 1.8 + n * max(0.34, 0.1 + 0.16 * lines))
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    bars, mark = (ax.bar, ax.hlines) if across else (ax.barh, ax.vlines)
    for k, (rule, key) in enumerate(zip(RULES, keys, strict=True)):
        bars(x + (k - 1) * width, comparison[f"{rule}_usd_per_yr"], width,
             color=PALETTE[k], label=key, hatch=["", "//", ".."][k],
             edgecolor="white")  # fmt: skip
    mark(comparison["standalone_usd_per_yr"], x - 0.45, x + 0.45, color="black", lw=2.5,
         label=standalone)  # fmt: skip
    firms, values = (ax.xaxis, ax.yaxis) if across else (ax.yaxis, ax.xaxis)
    firms.set_ticks(x, names)
    firms.set_label_text("Firm (and its effluent, m³ per day)")
    values.set_major_formatter(lambda value, _: f"{value:,.0f}")
    values.set_label_text("Share of the plant's cost (USD per year)")
    if across:
        ax.set_xlim(-0.5, n - 0.5)
    else:
        ax.set_ylim(n - 0.5, -0.5)  # the first firm on top, as in the table
    # the title over the whole chart, the key under it, right of the bars' top, where it
    # covers no bar and no mark
    fig.suptitle(title or "Sharing the yearly cost of a common effluent treatment plant")
    fig.legend(loc="outside right upper", fontsize=KEY_PT, labelspacing=0.9)
    return fig


def shares_description(comparison: pd.DataFrame) -> str:
    """The chart of :func:`shares_chart` in words, for its alternative text: for each firm,
    in the chart's order, its stand-alone cost and its share under each rule (USD/yr), and
    which rules are in the core.

    >>> table = pd.DataFrame({"firm": ["A", "B"], "effluent_m3_per_day": [100, 300],
    ...     "standalone_usd_per_yr": [60_000, 110_000], "equal_usd_per_yr": [70_000, 70_000],
    ...     "proportional_usd_per_yr": [35_000, 105_000], "shapley_usd_per_yr": [45_000,
    ...     95_000]})
    >>> table.attrs["in_core"] = {"equal": False, "proportional": True, "shapley": True}
    >>> print(shares_description(table))  # doctest: +NORMALIZE_WHITESPACE
    Bars of each firm's share of the plant's cost (USD per year) under 3 rules, beside a
    black mark at its stand-alone cost, for 2 firms. A (100 m3/day): own plant 60,000;
    Equal shares 70,000; By effluent volume 35,000; Shapley value 45,000. B (300 m3/day):
    own plant 110,000; Equal shares 70,000; By effluent volume 105,000; Shapley value 95,000.
    In the core: By effluent volume and Shapley value. Not in the core: Equal shares.
    """
    firms = [
        f"{row['firm']} ({row['effluent_m3_per_day']:,.0f} m3/day): own plant "
        f"{row['standalone_usd_per_yr']:,.0f}; "
        + "; ".join(f"{label} {row[f'{rule}_usd_per_yr']:,.0f}" for rule, label in RULES.items())
        for _, row in comparison.iterrows()
    ]
    in_core = comparison.attrs.get("in_core", {})
    verdicts = [
        f"{heading}: {and_list([RULES[r] for r in RULES if in_core.get(r) is wanted])}."
        for heading, wanted in (("In the core", True), ("Not in the core", False))
        if any(in_core.get(r) is wanted for r in RULES)
    ]
    return " ".join(
        [
            f"Bars of each firm's share of the plant's cost (USD per year) under {len(RULES)} "
            "rules, beside a black mark at its stand-alone cost, for "
            f"{len(comparison)} firm{'s' if len(comparison) != 1 else ''}.",
            *(f"{firm}." for firm in firms),
            *verdicts,
        ]
    )
