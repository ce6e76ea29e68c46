"""Module 5's marginal abatement cost (MAC) curve: the options that avoid emissions, cheapest
tonne first, as a table, a chart and a description in words.

Each option's cost per tonne of CO2e avoided is worked out by :func:`eic.appraisal.appraise`.
:func:`mac_curve` sorts the appraised options by it and places each along the tonnes
avoided, :func:`mac_chart` draws the curve as bars as wide as each option's abatement and
as high as its cost per tonne, and :func:`mac_curve_description` says the same in words for
the chart's alternative text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from eic.appraisal import appraised_columns
from eic.chart_cache import remembered
from eic.foundations import PALETTE

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure


def mac_curve(appraised: pd.DataFrame) -> pd.DataFrame:
    """The options that avoid emissions, cheapest tonne first: a marginal abatement cost curve.

    Sorted by ``mac_usd_per_tco2e`` (ties by option name), with ``cumulative_start_tco2e``
    and ``cumulative_end_tco2e``: where each option's bar starts and ends along the
    x axis (tCO2e/yr avoided by it and all cheaper options).
    """
    table = appraised_columns(appraised, ["option", "abatement_tco2e_per_yr", "mac_usd_per_tco2e"])
    curve = table[table["abatement_tco2e_per_yr"] > 0].sort_values(
        ["mac_usd_per_tco2e", "option"], kind="stable"
    )
    curve = curve.reset_index(drop=True)
    curve["cumulative_end_tco2e"] = curve["abatement_tco2e_per_yr"].cumsum()
    curve["cumulative_start_tco2e"] = (
        curve["cumulative_end_tco2e"] - curve["abatement_tco2e_per_yr"]
    )
    curve.attrs = dict(appraised.attrs)
    return curve


@remembered
def mac_chart(curve: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The MAC curve: one bar per option, as wide as its abatement (tCO2e/yr) and as high as
    its cost per tonne (USD/tCO2e). Bars below zero save money; bars above cost money.

    Each bar carries its number on the curve; the key beside the chart gives the option's
    name and cost, so long names stay readable however narrow the bar.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    curve = mac_curve(curve) if "cumulative_start_tco2e" not in curve else curve
    if len(curve) == 0:
        raise ValueError("no option avoids any emissions, so there is no curve to draw")
    fig, ax = plt.subplots(figsize=(11, 5.5), layout="constrained")
    mac, start = curve["mac_usd_per_tco2e"], curve["cumulative_start_tco2e"]
    colours = [PALETTE[2] if m < 0 else PALETTE[5] for m in mac]
    hatches = ["" if m < 0 else "//" for m in mac]
    bars = ax.bar(start, mac, curve["abatement_tco2e_per_yr"], align="edge", color=colours)
    rows = zip(bars, hatches, mac, curve["option"], strict=True)
    for number, (bar, hatch, cost, name) in enumerate(rows, 1):
        label = f"{number}. {name} ({cost:,.0f} USD/tCO₂e)"
        bar.set(hatch=hatch, edgecolor="white", label=label)
        where = {"va": "bottom" if cost >= 0 else "top", "ha": "center", "fontsize": "small"}
        ax.annotate(str(number), (bar.get_x() + bar.get_width() / 2, cost), **where)
    ax.axhline(0, color="black", linewidth=1)
    ax.margins(y=0.12)
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    ax.set_xlabel("Emissions avoided, cumulative (tCO₂e per year)")
    ax.set_ylabel("Marginal abatement cost (USD per tCO₂e)")
    rate = curve.attrs.get("rate")
    at = f" at a discount rate of {100 * rate:g} %" if rate is not None else ""
    ax.set_title(title or f"Marginal abatement cost curve{at}")
    handles = [
        Patch(facecolor=PALETTE[2], label="Saves money (cost below zero)"),
        Patch(facecolor=PALETTE[5], hatch="//", edgecolor="white", label="Costs money"),
    ]
    ax.add_artist(ax.legend(handles=handles, loc="upper left", fontsize="small"))
    ax.legend(handles=list(bars), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return fig


def mac_curve_description(curve: pd.DataFrame) -> str:
    """The MAC curve in words, for its chart's alternative text: what the bars' height and
    width show, each bar from the cheapest tonne to the most expensive with its cost
    (USD/tCO2e) and width (tCO2e/yr), and how much of the total the bars below zero avoid.

    >>> curve = pd.DataFrame({"option": ["Drives", "Solar"], "abatement_tco2e_per_yr": [
    ...     200, 50], "mac_usd_per_tco2e": [-84.2, 16.6]})
    >>> print(mac_curve_description(curve))  # doctest: +NORMALIZE_WHITESPACE
    Marginal abatement cost curve, 2 bars from the cheapest tonne to the most expensive;
    each bar's height is its cost in USD per tCO2e and its width the tCO2e it avoids a year.
    Drives -84 USD/tCO2e, 200 tCO2e/yr; Solar 17 USD/tCO2e, 50 tCO2e/yr. 1 bar is below
    zero (saves money): it avoids 200 of the 250 tCO2e/yr of all the bars.
    """
    curve = mac_curve(curve) if "cumulative_start_tco2e" not in curve else curve
    if len(curve) == 0:
        return "Marginal abatement cost curve: no option avoids any emissions."
    mac, tonnes = curve["mac_usd_per_tco2e"], curve["abatement_tco2e_per_yr"]
    bars = "; ".join(
        f"{name} {cost:,.0f} USD/tCO2e, {width:,.0f} tCO2e/yr"
        for name, cost, width in zip(curve["option"], mac, tonnes, strict=True)
    )
    below = int((mac < 0).sum())
    saving = (
        f"{below} bar is below zero (saves money): it avoids"
        if below == 1
        else f"{below} bars are below zero (save money): together they avoid"
    )
    plural = "bar" if len(curve) == 1 else "bars"
    return (
        f"Marginal abatement cost curve, {len(curve)} {plural} from the cheapest tonne to the "
        "most expensive; each bar's height is its cost in USD per tCO2e and its width the tCO2e it "
        f"avoids a year. {bars}. {saving} {tonnes[mac < 0].sum():,.0f} of the "
        f"{tonnes.sum():,.0f} tCO2e/yr of all the bars."
    )
