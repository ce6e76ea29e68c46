"""The analyses the "use your own data" panels run on a participant's checked table.

Each takes the table a module's check accepted (:mod:`eic.own_data`) and returns the widget
that shows the module's analysis of it: its charts, tables and the controls to explore them,
built from the same functions and panels as the module's worked example.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping

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


def options_analysis(table: pd.DataFrame) -> w.Widget:
    """Module 5: appraisal, MAC curve and the best portfolio within a budget."""
    from eic.panels import portfolio_explorer

    total = float(table["investment_usd"].sum())
    step = 10 ** max(0, len(f"{total:.0f}") - 2)
    ceiling = max(step, -(-total // step) * step)
    budget = round(ceiling / 2 / step) * step
    return portfolio_explorer(table, budget=budget, rate=10, budget_max=ceiling, display=False).box


# The plant figures of Module 6's own-data panel: (name, label, min, max, step). They start
# at the course's illustrative plant (cost_sharing.CETP_PLANT and COD_USD_PER_KG).
PLANT_FIELDS = (
    ("fixed_usd_per_yr", "Fixed cost of the plant (USD per year):", 0, 1e9, 1_000),
    ("design_m3_per_day", "Design flow of the plant (m3 per day):", 1, 1e7, 100),
    ("unit_usd_per_m3", "Treatment cost at the design flow, without the fixed cost (USD per m3):",
     0, 1_000, 0.05),
    ("scale_exponent", "Scale exponent (above 0, at most 1; 1 = no economies of scale):", 0.05,
     1, 0.05),
    ("usd_per_kg_cod", "COD treatment cost (USD per kg COD):", 0, 1_000, 0.05),
)  # fmt: skip
PLANT_NAMES = {
    "fixed_usd_per_yr": "the fixed cost",
    "design_m3_per_day": "the design flow",
    "unit_usd_per_m3": "the treatment cost per m3",
    "scale_exponent": "the scale exponent",
    "usd_per_kg_cod": "the COD treatment cost",
}


def course_plant() -> dict[str, float]:
    """The course's illustrative plant, as the values of :data:`PLANT_FIELDS`."""
    from eic.cost_sharing import CETP_PLANT, COD_USD_PER_KG

    return {
        "fixed_usd_per_yr": CETP_PLANT["fixed_usd_per_yr"],
        "design_m3_per_day": CETP_PLANT["reference_m3_per_day"],
        "unit_usd_per_m3": CETP_PLANT["unit_usd_per_m3"],
        "scale_exponent": CETP_PLANT["scale_exponent"],
        "usd_per_kg_cod": COD_USD_PER_KG,
    }


def _kept_value(saved: object, low: float, high: float) -> float | None:
    if isinstance(saved, bool) or not isinstance(saved, int | float):
        return None
    return float(saved) if math.isfinite(saved) and low <= saved <= high else None


def firms_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Callable[[dict[str, float]], None] | None = None,
) -> w.Widget:
    """Module 6: sharing a common plant's cost among your firms, with your plant's costs.

    The participant gives the plant's fixed cost (USD/yr), its design flow (m3/day), its
    treatment cost at that flow besides the fixed cost (USD/m3), the scale exponent and
    the cost of treating COD (USD/kg). They start at the course's illustrative plant, and
    a warning names those still at the course's figures. ``settings`` are figures entered
    before (kept with the saved table); ``remember`` is called with the figures each time
    one changes, to keep them.
    """
    from eic.cost_sharing import check_firms, plant_cost
    from eic.panels import cost_sharing_explorer

    course = course_plant()
    settings = settings or {}
    kept = {
        name: _kept_value(settings.get(name), low, high)
        for name, _label, low, high, _step in PLANT_FIELDS
    }
    wide = {"description_width": "initial"}
    fields = {
        name: w.BoundedFloatText(
            description=label,
            value=course[name] if kept[name] is None else kept[name],
            min=low,
            max=high,
            step=step,
            style=wide,
            layout={"width": "auto"},
        )
        for name, label, low, high, step in PLANT_FIELDS
    }
    clean = check_firms(table)
    flow = float(clean["effluent_m3_per_day"].sum())
    load = float((clean["effluent_m3_per_day"] * clean["cod_mg_per_l"]).sum() / 1000)
    holder = w.VBox()
    summary = w.HTML()
    note = w.HTML()

    def build(change=None) -> None:
        values = {name: float(field.value) for name, field in fields.items()}
        kept_note = ""
        if remember is not None and change is not None:  # a figure was changed: keep it
            try:
                remember(values)
            except OSError:
                kept_note = (
                    "<p role='alert'>These figures could not be kept with your table (the "
                    "module's folder cannot be written): after a restart they go back to the "
                    "course's figures.</p>"
                )
        summary.value = plant_summary(values, flow=flow, cod_kg_per_day=load)
        try:
            design = values["design_m3_per_day"]
            params = {
                "fixed_usd_per_yr": values["fixed_usd_per_yr"],
                "unit_usd_per_m3": values["unit_usd_per_m3"],
                "scale_exponent": values["scale_exponent"],
            }

            def cost(flow_m3_per_day):
                return plant_cost(flow_m3_per_day, reference_m3_per_day=design, **params)

            holder.children = (
                cost_sharing_explorer(
                    table, plant=cost, usd_per_kg_cod=values["usd_per_kg_cod"], display=False
                ).box,
            )
            note.value = kept_note
        except (TypeError, ValueError) as err:
            note.value = f"<p role='alert'>{html.escape(str(err))}</p>" + kept_note

    for field in fields.values():
        field.observe(build, names="value")
    build()
    restored = any(value is not None for value in kept.values())
    return w.VBox(
        [
            w.HTML(
                "<p>The plant's yearly cost (USD) = fixed cost + 365 &times; design flow "
                "&times; treatment cost per m3 &times; (flow &divide; design flow)"
                "<sup>scale exponent</sup> + 365 &times; COD treatment cost per kg &times; kg "
                "of COD a day (m3 a day &times; COD in mg/l &divide; 1,000). Put in your own "
                "plant's figures: the treatment cost is per m3 at the design flow, without the "
                "fixed cost (if you know only an all-in cost per m3, enter it and set the fixed "
                "cost to 0). "
                + (
                    "Your figures are kept with your table, so they are here after a restart."
                    if remember is not None
                    else "Your figures are not kept: after a restart they start again at the "
                    "course's figures."
                )
                + (" The figures you entered before were restored." if restored else "")
                + "</p>"
            ),
            w.VBox(list(fields.values())),
            summary,
            note,
            holder,
        ]
    )


def plant_summary(values: Mapping[str, float], *, flow: float, cod_kg_per_day: float) -> str:
    """What the plant figures ``values`` (of :data:`PLANT_FIELDS`) give, in words (HTML):
    the plant's cost at its design flow, the cost of one plant for all the firms (their
    ``flow`` in m3/day and ``cod_kg_per_day``) split into flow and COD, and a warning naming
    the figures still at the course's illustrative values."""
    from eic.appraisal import and_list
    from eic.cost_sharing import plant_cost

    course = course_plant()
    design, exponent = values["design_m3_per_day"], values["scale_exponent"]
    parts = []
    try:
        at_design, for_all = (
            plant_cost(
                m3_per_day,
                fixed_usd_per_yr=values["fixed_usd_per_yr"],
                unit_usd_per_m3=values["unit_usd_per_m3"],
                scale_exponent=exponent,
                reference_m3_per_day=design,
            )
            for m3_per_day in (design, flow)
        )
    except (TypeError, ValueError):
        return ""
    cod = 365 * values["usd_per_kg_cod"] * cod_kg_per_day
    parts.append(
        f"<p><b>With these figures:</b> a plant treating its design flow of {design:,.0f} m3/day "
        f"costs USD {at_design:,.0f} a year before COD (USD {at_design / design / 365:,.2f} per "
        f"m3, all in). One plant for all your firms ({flow:,.0f} m3/day) costs USD "
        f"{for_all:,.0f} a year for the flow"
    )
    if cod_kg_per_day > 0:
        share = 100 * cod / (for_all + cod) if for_all + cod > 0 else 0.0
        parts.append(
            f" + USD {cod:,.0f} for treating {cod_kg_per_day:,.0f} kg of COD a day at USD "
            f"{values['usd_per_kg_cod']:,.4g} per kg = USD {for_all + cod:,.0f}; COD is "
            f"{share:.0f} % of the cost.</p>"
        )
    else:
        parts.append(". Your table gives no COD, so the COD treatment cost plays no part.</p>")
    same = [
        PLANT_NAMES[name]
        for name, *_ in PLANT_FIELDS
        if math.isclose(values[name], course[name], rel_tol=1e-9)
        and (name != "usd_per_kg_cod" or cod_kg_per_day > 0)
    ]
    if same:
        parts.append(
            "<div role='alert' class='eic-own-data-course-figures' style='border-left:4px solid "
            "#9a3412;padding:4px 8px;margin:4px 0'>&#9888; <b>Still the course's illustrative "
            f"figures: {html.escape(and_list(same))}.</b> They are a training example, not your "
            "plant's, and they change who pays what: replace them with your plant's figures, "
            "unless yours happen to be the same (a COD treatment cost of 0 leaves the "
            "effluent's strength out).</div>"
        )
    return "".join(parts)
