"""Module 4's "use your own data" analysis: the by-product exchanges feasible among a
participant's own firms within a distance, the most tonnes they could match, and the
network they would make. An inventory of many firms can allow more exchanges than can be
weighed on a page; the analysis then says which distance limit keeps under
:data:`MAX_EXCHANGES` (:func:`feasible_exchange_counts`). Notebooks and panels import
:func:`inventory_analysis` from :mod:`eic.own_analyses`, as they always have.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from eic import widgets as w
from eic.explorers import table_html
from eic.number_slider import slider

MAX_EXCHANGES = 100_000
CHART_EXCHANGES = 20  # past this many exchanges, the map draws the largest (in t/yr) only
TABLE_EXCHANGES = 25  # past this many, the table lists the largest; all can be downloaded
DISTANCE_KM = (1, 100)  # the distance slider's range, in steps of 1 km
DEFAULT_DISTANCE_KM = 15
# a material whose suppliers have more grades than this is counted without the grades (an
# upper bound): counting grade by grade builds a search tree per grade
GRADES_COUNTED = 12


def feasible_exchange_counts(inventory: pd.DataFrame, distances: Sequence[float]) -> np.ndarray:
    """How many exchanges :func:`eic.symbiosis.match_by_products` would find within each of
    the ``distances`` (km), counted without listing them: pairs of a firm that supplies a
    material and another that needs it, with an acceptable grade, at most that far apart.
    ``inventory`` is a checked firm inventory. Pairs are counted a grade at a time with
    k-d trees (:meth:`scipy.spatial.cKDTree.count_neighbors`), so counting millions takes
    a moment; for a material with more than :data:`GRADES_COUNTED` grades among its
    suppliers, the count leaves the grades out, so it is at most that many.

    >>> inventory = pd.DataFrame({"firm": ["A", "B", "C"], "x_km": [0.0, 3.0, 0.0],
    ...     "y_km": [0.0, 4.0, 9.0], "flow": ["supplies", "needs", "needs"],
    ...     "material": ["ash"] * 3, "tonnes_per_year": [10.0] * 3, "grade": [2, 2, 1]})
    >>> feasible_exchange_counts(inventory, [4, 5, 10]).tolist()  # C takes grade 1 only
    [0, 1, 1]
    """
    from scipy.spatial import cKDTree

    radii = np.asarray(distances, dtype=float)
    counts = np.zeros(len(radii), dtype=np.int64)
    for _material, group in inventory.groupby("material", sort=False):
        supply = group[group["flow"] == "supplies"]
        demand = group[group["flow"] == "needs"]
        if supply.empty or demand.empty:
            continue
        grades = np.unique(supply["grade"])
        levels = [None] if len(grades) > GRADES_COUNTED else grades
        for grade in levels:
            suppliers = supply if grade is None else supply[supply["grade"] == grade]
            receivers = demand if grade is None else demand[demand["grade"] >= grade]
            if len(receivers):
                counts += cKDTree(suppliers[["x_km", "y_km"]].to_numpy()).count_neighbors(
                    cKDTree(receivers[["x_km", "y_km"]].to_numpy()), radii
                )
        # a firm that supplies a material and needs it too makes no exchange with itself
        same = supply.merge(demand, on="firm", suffixes=("_s", "_d"))
        if len(levels) == 1 and levels[0] is None:
            counts -= len(same)
        else:
            counts -= int((same["grade_s"] <= same["grade_d"]).sum())
    return counts


def _too_many_exchanges(limit: float, count: int, feasible: Mapping[float, int]) -> str:
    """Why the exchanges within ``limit`` km are not weighed, and the distance that works
    (HTML); ``feasible`` is the number of exchanges within each slider distance."""
    fits = [km for km, n in feasible.items() if n <= MAX_EXCHANGES]
    split = (
        "analyse part of your inventory at a time (one material, or one district), "
        "uploading each part as its own file"
    )
    if fits:
        km = max(fits)
        advice = (
            f"Within {km:.0f} km, {feasible[km]:,} are: lower the distance limit to {km:.0f} km "
            f"or less, or {split}."
        )
    else:
        low = min(feasible)
        advice = f"Even within {low:.0f} km, {feasible[low]:,} are: {split}."
    return (
        f"<p role='alert'><b>Within {limit:.0f} km, {count:,} exchanges are feasible: more "
        f"than the {MAX_EXCHANGES:,} this page weighs, which takes it a second or two.</b> "
        f"{advice}</p>"
    )


def _kept_distance(settings: Mapping[str, object] | None) -> float | None:
    saved = (settings or {}).get("distance_km")
    if isinstance(saved, bool) or not isinstance(saved, int | float):
        return None
    low, high = DISTANCE_KM
    return float(saved) if math.isfinite(saved) and low <= saved <= high else None


def _largest(chosen: pd.DataFrame, number: int) -> pd.DataFrame:
    """The ``number`` exchanges of most tonnes, in the order of ``chosen``."""
    if len(chosen) <= number:
        return chosen
    return chosen.loc[sorted(chosen.nlargest(number, "tonnes", keep="first").index)]


EXCHANGE_HEADERS = {
    "supplier": "Supplier",
    "receiver": "Receiver",
    "material": "Material",
    "distance_km": "Distance (km)",
    "tonnes": "Matched (t/yr)",
}


def _exchanges_table(chosen: pd.DataFrame) -> str:
    """The exchanges as an HTML table: all of them, or the :data:`TABLE_EXCHANGES` largest
    and how many more there are."""
    columns = list(EXCHANGE_HEADERS)
    formats = {"distance_km": "{:.1f}", "tonnes": "{:,.0f}"}
    if len(chosen) <= TABLE_EXCHANGES:
        return table_html(
            chosen[columns],
            caption="Exchanges that match the most tonnes (per year)",
            formats=formats,
            headers=EXCHANGE_HEADERS,
        )
    shown = chosen.nlargest(TABLE_EXCHANGES, "tonnes", keep="first")[columns]
    rest = chosen["tonnes"].sum() - shown["tonnes"].sum()
    more = len(chosen) - len(shown)
    return table_html(
        shown,
        caption=f"The {TABLE_EXCHANGES} largest of the {len(chosen):,} exchanges that match "
        "the most tonnes (per year)",
        formats=formats,
        headers=EXCHANGE_HEADERS,
    ) + (
        f"<p>&hellip; and {more:,} more exchange{'' if more == 1 else 's'}, "
        f"{rest:,.0f} t/yr in all. The button below makes a CSV file of all "
        f"{len(chosen):,}.</p>"
    )


def _csv_link(table: pd.DataFrame, filename: str, label: str) -> str:
    encoded = base64.b64encode(table.to_csv(index=False).encode("utf-8")).decode("ascii")
    return (
        f"<p>&#11015; <a download='{html.escape(filename, quote=True)}' "
        f"href='data:text/csv;base64,{encoded}' "
        f"style='color:#1a5fb4;text-decoration:underline'>{html.escape(label)}</a></p>"
    )


def inventory_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Callable[[dict[str, float]], None] | None = None,
) -> w.Widget:
    """Module 4: feasible by-product exchanges within a distance, the most tonnes matched,
    and the network they would make.

    Past :data:`MAX_EXCHANGES` feasible exchanges the page says which distance limit keeps
    under it instead of weighing them; past :data:`CHART_EXCHANGES` the map draws the
    largest only, and past :data:`TABLE_EXCHANGES` the table lists the largest, with a
    button to download them all; each time, the page says so. ``settings`` holds the
    distance limit chosen before (``distance_km``, kept with the saved table);
    ``remember`` is called with it each time it is changed, to keep it.
    """
    from eic.explorers import Explorer
    from eic.firm_inventory import firm_positions
    from eic.symbiosis import (
        allocate_exchanges,
        exchanges_from,
        match_by_products,
        network_chart,
        network_summary,
    )

    positions = firm_positions(table)
    low, high = DISTANCE_KM
    steps = np.arange(low, high + 1, dtype=float)
    feasible = dict(zip(steps.tolist(), feasible_exchange_counts(table, steps).tolist(),
                        strict=True))  # fmt: skip
    kept = _kept_distance(settings)
    start = DEFAULT_DISTANCE_KM if kept is None else kept
    remembered = {"distance_km": start}
    latest: dict[str, pd.DataFrame] = {}

    def keep(limit: float) -> str:
        """Keep a changed distance limit with the table; a note (HTML) if it cannot be."""
        if remember is None or limit == remembered["distance_km"]:
            return ""
        try:
            remember({"distance_km": limit})
        except OSError:
            return (
                "<p role='alert'>This distance could not be kept with your table (the module's "
                f"folder cannot be written): after a restart it goes back to {start:.0f} km.</p>"
            )
        remembered["distance_km"] = limit
        return ""

    def draw(values: dict) -> tuple[object, str] | tuple[object, str, str]:
        limit = values["distance"]
        note = keep(limit)
        latest.clear()
        every.layout.display = "none"
        got.value = ""
        count = feasible.get(limit)
        if count is None:
            count = int(feasible_exchange_counts(table, [limit])[0])
        if count > MAX_EXCHANGES:
            return None, _too_many_exchanges(limit, count, feasible) + note
        found = match_by_products(table, max_distance_km=limit)
        if found.empty:
            return None, (
                f"<p><b>No feasible exchange within {limit:.0f} km.</b> An exchange needs one "
                "firm that 'supplies' a material and another that 'needs' it, with the "
                "supplier's grade no worse than the one accepted. Raise the distance limit or "
                "check the material names match exactly.</p>" + note
            )
        chosen = allocate_exchanges(found, objective="tonnes")
        summary = network_summary(exchanges_from(chosen))
        drawn = _largest(chosen, CHART_EXCHANGES)
        if len(drawn) < len(chosen):
            title = f"The {len(drawn)} largest exchanges on your cluster's map"
            map_note = (
                f" The map draws the {len(drawn)} largest of the {len(chosen):,} exchanges "
                f"({drawn['tonnes'].sum():,.0f} of the {chosen['tonnes'].sum():,.0f} t/yr): "
                "all of them could not be told apart."
            )
        else:
            title, map_note = "Exchanges on your cluster's map", ""
        if len(chosen) > TABLE_EXCHANGES:
            latest["all"] = chosen[list(EXCHANGE_HEADERS)]
            every.description = f"Make a CSV file of all {len(chosen):,} exchanges"
            every.layout.display = None
        text = (
            f"<p><b>Within {limit:.0f} km: {len(found):,} feasible "
            f"exchange{'' if len(found) == 1 else 's'}; "
            f"{chosen['tonnes'].sum():,.0f} t/yr could be matched.</b> "
            f"{html.escape(summary.explain())} Savings in USD need prices, which the "
            f"worksheet's savings account adds for the course's materials.{map_note}</p>"
            + _exchanges_table(chosen)
            + note
        )
        fig = network_chart(
            exchanges_from(drawn),
            title=title,
            highlight=tuple(summary.anchors),
            positions=positions,
        )
        alt = (
            f"Map of your firms (x and y in km) with the {len(drawn)} largest of the "
            f"{len(chosen):,} exchanges"
            if len(drawn) < len(chosen)
            else f"Map of your firms (x and y in km) with the {len(chosen)} exchanges"
        ) + f" that match the most tonnes within {limit:.0f} km, as lines between circles"
        return fig, text, alt

    def make_csv(_button=None) -> None:
        chosen = latest.get("all")
        if chosen is not None:
            got.value = _csv_link(
                chosen,
                "m04-own-exchanges.csv",
                f"Download the {len(chosen):,} exchanges (CSV)",
            )

    every = w.Button(icon="download", layout=w.Layout(width="auto", display="none"))
    every.on_click(make_csv)
    got = w.HTML()
    distance = slider("Distance limit (km):", start, low=low, high=high)
    explorer = Explorer({"distance": distance}, draw, css="eic-own-symbiosis")
    return w.VBox([explorer.box, every, got])
