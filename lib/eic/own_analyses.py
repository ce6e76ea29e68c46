"""The analyses the "use your own data" panels run on a participant's checked table.

Each takes the table a module's check accepted (:mod:`eic.own_data`) and returns the widget
that shows the module's analysis of it: its charts, tables and the controls to explore them,
built from the same functions and panels as the module's worked example. Module 4's, which
may meet more exchanges than a page can weigh, is :mod:`eic.own_symbiosis`; Module 6's,
which asks for the participant's own plant figures too, is :mod:`eic.own_cost_sharing`;
Module 7's, which weighs with the participant's answers to question 1, is
:mod:`eic.own_policy` (their names can be imported from here too).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from eic import widgets as w
from eic.explorers import table_html
from eic.own_cost_sharing import (
    PLANT_FIELDS,
    PLANT_NAMES,
    course_plant,
    firms_analysis,
    plant_summary,
)
from eic.own_policy import instruments_analysis
from eic.own_symbiosis import (
    CHART_EXCHANGES,
    DEFAULT_DISTANCE_KM,
    DISTANCE_KM,
    MAX_EXCHANGES,
    TABLE_EXCHANGES,
    feasible_exchange_counts,
    inventory_analysis,
)
from eic.own_tables import Remember, keep_choices, kept_choice
from eic.views import ChartImage

# with the names that moved to eic.own_symbiosis, eic.own_cost_sharing and eic.own_policy,
# re-exported so that `from eic.own_analyses import firms_analysis` and the like keep
# working
__all__ = [
    "CHART_EXCHANGES",
    "DEFAULT_DISTANCE_KM",
    "DISTANCE_KM",
    "MAX_EXCHANGES",
    "PLANT_FIELDS",
    "PLANT_NAMES",
    "TABLE_EXCHANGES",
    "course_plant",
    "employment_analysis",
    "feasible_exchange_counts",
    "firms_analysis",
    "flows_analysis",
    "instruments_analysis",
    "inventory_analysis",
    "options_analysis",
    "plant_summary",
]


def _chart(fig, alt: str) -> w.Widget:
    chart = ChartImage()
    chart.show(fig, alt)
    return chart.widget


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
        description="Region:", options=regions, value=kept_choice(settings, "region", regions)
    )
    starts = [(str(y), y) for y in years[:-1]] or [("(one year only)", None)]
    start = w.Dropdown(
        description="Growth since:",
        options=starts,
        value=kept_choice(settings, "start_year", [y for _, y in starts]),
        style={"description_width": "initial"},
    )
    holder = w.VBox()

    def build(change=None) -> None:
        candidate_clusters(table, region.value, start=start.value)  # raises a clear error
        note = (
            ""
            if change is None
            else keep_choices(remember, {"region": region.value, "start_year": start.value})
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
        value=kept_choice(settings, "substance", substances),
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
            note.value = keep_choices(remember, {"substance": choice.value})

    choice.observe(draw, names="value")
    draw()
    return w.VBox([*parts, choice, note, chart.widget])


# Module 4. The allocation of tonnes (a linear programme, eic.symbiosis.allocate_exchanges)
# weighs every feasible exchange at once: 100,000 take it a second or two, 540,000 a minute,
# and the 2.8 million of 20,000 firms on 50 x 50 km within 15 km took 8 minutes and 3 GB.
# Past MAX_EXCHANGES the page asks for a shorter distance (it names one that works) instead.
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
