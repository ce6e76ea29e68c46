"""The analyses the "use your own data" panels run on a participant's checked table.

Each takes the table a module's check accepted (:mod:`eic.own_data`) and returns the widget
that shows the module's analysis of it: its charts, tables and the controls to explore them,
built from the same functions and panels as the module's worked example. Module 6's, which
asks for the participant's own plant figures too, is :mod:`eic.own_cost_sharing` (its names
can be imported from here too).
"""

from __future__ import annotations

import html

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


def employment_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 2: location quotients of a chosen region, and its shift-share if two years."""
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
    region = w.Dropdown(description="Region:", options=regions)
    start = w.Dropdown(
        description="Growth since:",
        options=[(str(y), y) for y in years[:-1]] or [("(one year only)", None)],
        style={"description_width": "initial"},
    )
    holder = w.VBox()

    def build(_change=None) -> None:
        candidate_clusters(table, region.value, start=start.value)  # raises a clear error
        parts = [lq_explorer(table, region.value, start=start.value, display=False).box]
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
                        formats={c: "{:,.0f}" for c in change.columns if c != "sector"},
                        headers={
                            "sector": "Sector",
                            "employment_start": f"Employment {start.value} (persons)",
                            "employment_end": f"Employment {years[-1]} (persons)",
                            "actual_change": "Actual change (persons)",
                            **{
                                part: f"{label} (persons)"
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


def flows_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 3: the balance of every process, the missing flows a balance can find, and a
    Sankey diagram."""
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
    checked = balance(completed)
    parts.append(
        w.HTML(
            table_html(
                checked.drop(columns=["unknown_flows"]),
                caption="The balance of each process and substance (inputs = outputs + "
                "stock change)",
                formats={
                    "inputs": "{:,.2f}",
                    "outputs": "{:,.2f}",
                    "stock_change": "{:,.2f}",
                    "imbalance": "{:,.2f}",
                    "imbalance_pct": "{:.1f} %",
                },
            )
        )
    )
    substances = sorted(completed["substance"].unique())
    choice = w.Dropdown(description="Substance:", options=substances)
    chart = ChartImage()

    def draw(_change=None) -> None:
        chart.show(
            sankey_chart(completed, choice.value, title=f"{choice.value.capitalize()} flows"),
            f"Sankey diagram of the {choice.value} flows of your table: band widths are "
            "proportional to the quantities",
        )

    choice.observe(draw, names="value")
    draw()
    return w.VBox([*parts, choice, chart.widget])


def inventory_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 4: feasible by-product exchanges within a distance, the most tonnes matched,
    and the network they would make."""
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

    def draw(values: dict) -> tuple[object, str]:
        limit = values["distance"]
        found = match_by_products(table, max_distance_km=limit)
        if found.empty:
            return None, (
                f"<p><b>No feasible exchange within {limit:.0f} km.</b> An exchange needs one "
                "firm that 'supplies' a material and another that 'needs' it, with the "
                "supplier's grade no worse than the one accepted. Raise the distance limit or "
                "check the material names match exactly.</p>"
            )
        chosen = allocate_exchanges(found, objective="tonnes")
        links = exchanges_from(chosen)
        summary = network_summary(links)
        text = (
            f"<p><b>Within {limit:.0f} km: {len(found)} feasible "
            f"exchange{'' if len(found) == 1 else 's'}; "
            f"{chosen['tonnes'].sum():,.0f} t/yr could be matched.</b> "
            f"{html.escape(summary.explain())} Savings in USD need prices, which the "
            "worksheet's savings account adds for the course's materials.</p>"
            + table_html(
                chosen[["supplier", "receiver", "material", "distance_km", "tonnes"]],
                caption="Exchanges that match the most tonnes (per year)",
                formats={"distance_km": "{:.1f}", "tonnes": "{:,.0f}"},
                headers={
                    "supplier": "Supplier",
                    "receiver": "Receiver",
                    "material": "Material",
                    "distance_km": "Distance (km)",
                    "tonnes": "Matched (t/yr)",
                },
            )
        )
        fig = network_chart(
            links,
            title="Exchanges on your cluster's map",
            highlight=summary.anchors[0] if summary.anchors else None,
            positions=positions,
        )
        return fig, text

    distance = slider("Distance limit (km):", 15, low=1, high=100)
    return Explorer({"distance": distance}, draw, css="eic-own-symbiosis").box


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
