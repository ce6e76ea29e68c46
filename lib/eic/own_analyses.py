"""The analyses the "use your own data" panels run on a participant's checked table.

Each takes the table a module's check accepted (:mod:`eic.own_data`) and returns the widget
that shows the module's analysis of it: its charts, tables and the controls to explore them,
built from the same functions and panels as the module's worked example.
"""

from __future__ import annotations

import html

import pandas as pd

from eic import widgets as w
from eic.explorers import slider, table_html
from eic.views import ChartImage


def _chart(fig, alt: str) -> w.Widget:
    chart = ChartImage()
    chart.show(fig, alt)
    return chart.widget


def employment_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 2: location quotients of a chosen region, and its shift-share if two years."""
    from eic.clusters import candidate_clusters, shift_share, shift_share_chart
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
                    )
                )
            )
        holder.children = parts

    region.observe(build, names="value")
    start.observe(build, names="value")
    build()
    return w.VBox([w.HBox([region, start]), holder])


def flows_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 3: the balance of every process, one missing flow solved, a Sankey diagram."""
    from eic.flows import balance, sankey_chart, solve_unknown

    unknown = int(table["quantity"].isna().sum())
    parts: list[w.Widget] = []
    if unknown == 1:
        completed, found = solve_unknown(table)
        parts.append(w.HTML(f"<p><b>The missing flow:</b> {html.escape(found.explain())}</p>"))
    else:
        completed = table
        if unknown > 1:
            parts.append(
                w.HTML(
                    f"<p>{unknown} flows have no quantity. A balance can find one missing flow "
                    "per process, not more: meter or estimate the others, then upload again. "
                    "The diagram leaves them out.</p>"
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
            f"<p><b>Within {limit:.0f} km: {len(found)} feasible exchanges; "
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


def options_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 5: appraisal, MAC curve and the best portfolio within a budget."""
    from eic.panels import portfolio_explorer

    total = float(table["investment_usd"].sum())
    step = 10 ** max(0, len(f"{total:.0f}") - 2)
    ceiling = max(step, -(-total // step) * step)
    budget = round(ceiling / 2 / step) * step
    return portfolio_explorer(table, budget=budget, rate=10, budget_max=ceiling, display=False).box


def firms_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 6: sharing a common plant's cost among your firms, with your plant's costs."""
    from eic.cost_sharing import CETP_PLANT, plant_cost
    from eic.panels import cost_sharing_explorer

    wide = {"description_width": "initial"}
    fields = {
        "fixed_usd_per_yr": w.BoundedFloatText(
            description="Fixed cost (USD/yr):", value=CETP_PLANT["fixed_usd_per_yr"], min=0,
            max=1e9, step=1_000, style=wide,
        ),
        "unit_usd_per_m3": w.BoundedFloatText(
            description="Cost at 1,000 m3/day (USD/m3):", value=CETP_PLANT["unit_usd_per_m3"],
            min=0, max=1_000, step=0.05, style=wide,
        ),
        "scale_exponent": w.BoundedFloatText(
            description="Scale exponent (0-1):", value=CETP_PLANT["scale_exponent"], min=0.05,
            max=1, step=0.05, style=wide,
        ),
    }  # fmt: skip
    holder = w.VBox()
    note = w.HTML()

    def build(_change=None) -> None:
        params = {name: field.value for name, field in fields.items()}

        def cost(flow: float) -> float:
            return plant_cost(flow, reference_m3_per_day=1_000.0, **params)

        try:
            holder.children = (cost_sharing_explorer(table, plant=cost, display=False).box,)
            note.value = ""
        except (TypeError, ValueError) as err:
            note.value = f"<p role='alert'>{html.escape(str(err))}</p>"

    for field in fields.values():
        field.observe(build, names="value")
    build()
    return w.VBox(
        [
            w.HTML(
                "<p>The plant's yearly cost = fixed cost + 365 &times; cost per m3 &times; "
                "1,000 &times; (flow / 1,000 m3/day)<sup>exponent</sup>. The values start at "
                "the course's illustrative plant; put in your own plant's figures.</p>"
            ),
            w.HBox(list(fields.values())),
            note,
            holder,
        ]
    )
