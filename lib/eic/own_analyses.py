"""The analyses the "use your own data" panels run on a participant's checked table.

Each takes the table a module's check accepted (:mod:`eic.own_data`) and returns the widget
that shows the module's analysis of it: its charts, tables and the controls to explore them,
built from the same functions and panels as the module's worked example. Module 6's, which
asks for the participant's own plant figures too, is :mod:`eic.own_cost_sharing` (its names
can be imported from here too).
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from eic import widgets as w
from eic.explorers import slider, table_html
from eic.own_cost_sharing import (
    PLANT_FIELDS,
    PLANT_NAMES,
    course_plant,
    firms_analysis,
    plant_summary,
)
from eic.views import ChartImage

# called with the choices an analysis keeps with the saved table, each time one changes
Remember = Callable[[dict[str, object]], None]

# with the names that moved to eic.own_cost_sharing, re-exported so that
# `from eic.own_analyses import firms_analysis` and the like keep working
__all__ = [
    "PLANT_FIELDS",
    "PLANT_NAMES",
    "course_plant",
    "employment_analysis",
    "firms_analysis",
    "flows_analysis",
    "inventory_analysis",
    "options_analysis",
    "plant_summary",
]


def _chart(fig, alt: str) -> w.Widget:
    chart = ChartImage()
    chart.show(fig, alt)
    return chart.widget


def _keep_choices(remember: Remember | None, values: dict[str, object]) -> str:
    """Keep the choices of an analysis's controls with the saved table (``remember``);
    a note (HTML) when they cannot be, else ""."""
    if remember is None:
        return ""
    try:
        remember(values)
    except OSError:
        return (
            "<p role='alert'>This choice could not be kept with your table (the module's "
            "folder cannot be written): after a restart the page shows its first choice.</p>"
        )
    return ""


def _kept_choice(settings: Mapping[str, object] | None, name: str, options: Sequence) -> object:
    """The choice kept as ``name`` if it is still one of ``options``, else the first."""
    kept = (settings or {}).get(name)
    return kept if kept in list(options) else list(options)[0]


def employment_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Remember | None = None,
) -> w.Widget:
    """Module 2: location quotients of a chosen region, and its shift-share if two years.

    ``settings`` holds the region and the start year chosen before (kept with the saved
    table); ``remember`` is called with both each time one is changed, to keep them."""
    from eic.clusters import (
        COMPONENT_LABELS,
        candidate_clusters,
        shift_share,
        shift_share_chart,
    )
    from eic.panels import lq_explorer

    regions = sorted(table["region"].unique())
    years = sorted(int(y) for y in table["year"].unique())
    if len(regions) < 2:
        raise ValueError(
            "the table has one region only; a location quotient compares a region with the "
            "nation, so add the other regions (or the rest of the country as one region)"
        )
    region = w.Dropdown(
        description="Region:", options=regions, value=_kept_choice(settings, "region", regions)
    )
    starts = [(str(y), y) for y in years[:-1]] or [("(one year only)", None)]
    start = w.Dropdown(
        description="Growth since:",
        options=starts,
        value=_kept_choice(settings, "start_year", [y for _, y in starts]),
        style={"description_width": "initial"},
    )
    holder = w.VBox()

    def build(change=None) -> None:
        candidate_clusters(table, region.value, start=start.value)  # raises a clear error
        note = (
            ""
            if change is None
            else _keep_choices(remember, {"region": region.value, "start_year": start.value})
        )
        parts = [w.HTML(note)] if note else []
        parts.append(lq_explorer(table, region.value, start=start.value, display=False).box)
        if start.value is not None:
            change = shift_share(table, region.value, start.value, years[-1])
            parts.append(
                _chart(
                    shift_share_chart(change),
                    f"Shift-share of {region.value}, {start.value} to {years[-1]}: national "
                    "share, industry mix and regional shift of each sector, in persons",
                )
            )
            parts.append(
                w.HTML(
                    table_html(
                        change,
                        caption=f"Shift-share of {region.value}, {start.value} to {years[-1]} "
                        "(persons employed)",
                        # as the worksheet's table: levels plain, changes with their sign
                        formats={"employment_start": "{:,.0f}", "employment_end": "{:,.0f}"}
                        | dict.fromkeys(["actual_change", *COMPONENT_LABELS], "{:+,.0f}"),
                        headers={
                            "sector": "Sector",
                            "employment_start": f"Employment {start.value} (persons)",
                            "employment_end": f"Employment {years[-1]} (persons)",
                            "actual_change": "Actual change (persons)",
                            **{
                                part: f"{label}, persons"
                                for part, label in COMPONENT_LABELS.items()
                            },
                        },
                    )
                )
            )
        holder.children = parts

    region.observe(build, names="value")
    start.observe(build, names="value")
    build()
    return w.VBox([w.HBox([region, start]), holder])


def flows_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Remember | None = None,
) -> w.Widget:
    """Module 3: the balance of every process, the missing flows a balance can find, and a
    Sankey diagram of a chosen substance (``settings`` holds the one chosen before, kept
    with the saved table; ``remember`` is called with it each time it is changed)."""
    from eic.flows import balance, sankey_chart
    from eic.missing_flows import solve_unknowns

    unknown = int(table["quantity"].isna().sum())
    parts: list[w.Widget] = []
    completed = table
    if unknown:
        completed, result = solve_unknowns(table)
        if len(result.solved) == 1:
            found = result.solved[0].explain()
            parts.append(w.HTML(f"<p><b>The missing flow:</b> {html.escape(found)}</p>"))
        elif result.solved:
            items = "".join(f"<li>{html.escape(f.explain())}</li>" for f in result.solved)
            parts.append(w.HTML(f"<p><b>The missing flows, each from a balance:</b></p>"
                                f"<ul>{items}</ul>"))  # fmt: skip
        if result.unsolved:
            items = "".join(
                f"<li>'{html.escape(name)}': {html.escape(why)}</li>"
                for name, why in result.unsolved
            )
            found_too = (
                f"; {len(result.solved)} of them {'was' if len(result.solved) == 1 else 'were'} "
                "found above"
                if result.solved
                else ""
            )
            parts.append(
                w.HTML(
                    f"<p>{unknown} flows have no quantity{found_too}. These cannot be found: a "
                    "balance finds one missing flow per process and substance, not more.</p>"
                    f"<ul>{items}</ul><p>Meter or estimate them, then upload again. The diagram "
                    "leaves them out.</p>"
                )
            )
    checked = balance(completed).drop(columns=["unknown_flows"])
    quantities = ["inputs", "outputs", "stock_change", "imbalance"]
    parts.append(
        w.HTML(
            table_html(
                checked,
                caption="The balance of each process and substance (inputs = outputs + "
                "change in stock), in the unit of its row",
                # whole numbers as such (180, not 180.00), as the module's own tables
                formats={c: _quantity_format(checked[c]) for c in quantities}
                | {"imbalance_pct": "{:.1f} %"},
                headers={
                    "process": "Process",
                    "substance": "Substance",
                    "unit": "Unit",
                    "inputs": "Inputs",
                    "outputs": "Outputs",
                    "stock_change": "Change in stock",
                    "imbalance": "Imbalance",
                    "imbalance_pct": "Imbalance (% of the larger side)",
                    "status": "Status",
                },
            )
        )
    )
    substances = sorted(completed["substance"].unique())
    choice = w.Dropdown(
        description="Substance:",
        options=substances,
        value=_kept_choice(settings, "substance", substances),
    )
    chart = ChartImage()
    note = w.HTML()

    def draw(change=None) -> None:
        chart.show(
            sankey_chart(completed, choice.value, title=f"{choice.value.capitalize()} flows"),
            f"Sankey diagram of the {choice.value} flows of your table: band widths are "
            "proportional to the quantities",
        )
        if change is not None:
            note.value = _keep_choices(remember, {"substance": choice.value})

    choice.observe(draw, names="value")
    draw()
    return w.VBox([*parts, choice, note, chart.widget])


# Module 4. The allocation of tonnes (a linear programme, eic.symbiosis.allocate_exchanges)
# weighs every feasible exchange at once: 100,000 take it a second or two, 540,000 a minute,
# and the 2.8 million of 20,000 firms on 50 x 50 km within 15 km took 8 minutes and 3 GB.
# Past MAX_EXCHANGES the page asks for a shorter distance (it names one that works) instead.
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
    from eic.symbiosis import (
        allocate_exchanges,
        exchanges_from,
        firm_positions,
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


# the budget Module 5's worksheet explores (USD)
WORKSHEET_BUDGET_USD = 500_000


def options_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 5: appraisal, MAC curve and the best portfolio within a budget."""
    from eic.panels import portfolio_explorer

    total = float(table["investment_usd"].sum())
    step = 10 ** max(0, len(f"{total:.0f}") - 2)
    ceiling = max(step, -(-total // step) * step)
    # the worksheet's budget, as the template holds the worksheet's options; half of all
    # the options' investment where that is less
    budget = min(WORKSHEET_BUDGET_USD, round(ceiling / 2 / step) * step)
    return portfolio_explorer(table, budget=budget, rate=10, budget_max=ceiling, display=False).box


def _quantity_format(column: pd.Series) -> str:
    """How a column of quantities is written: whole numbers with no decimals when every one
    is whole, else two decimals."""
    values = pd.to_numeric(column, errors="coerce").dropna()
    whole = bool(len(values)) and bool((values.round(9) % 1 == 0).all())
    return "{:,.0f}" if whole else "{:,.2f}"
