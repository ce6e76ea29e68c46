"""Worksheet panels: the explorers each module's worksheet shows, one function per panel.

Each panel is built from :class:`eic.explorers.Explorer`: controls whose values go to the
module's pure functions, and a table, a chart and a sentence that say what they found.
Modules 2 to 4's are here; Modules 5 and 6's are in :mod:`eic.cost_panels`, and imported
here because notebooks already given out import them from this module. Modules 7 and 8's
are in :mod:`eic.policy_panels` and :mod:`eic.strategy_panels`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
from IPython.display import display

from eic import widgets as w
from eic.clusters import NATION, average_of, candidate_clusters, lq_chart
from eic.cost_panels import cost_sharing_explorer, portfolio_explorer
from eic.explorers import Explorer, show, table_html, toggle
from eic.firm_inventory import firm_positions
from eic.flows import balance, eco_efficiency, reuse_scenario, sankey_chart
from eic.grading import grading_mode
from eic.number_slider import percent_slider, slider
from eic.symbiosis import (
    Factors,
    allocate_exchanges,
    chertow_3_2,
    diverted_and_shared,
    exchanges_from,
    match_by_products,
    network_chart,
    network_summary,
    savings,
)

__all__ = [
    "balance_after_answers",
    "cost_sharing_explorer",
    "lq_explorer",
    "portfolio_explorer",
    "reuse_explorer",
    "symbiosis_explorer",
]


def lq_explorer(
    table: pd.DataFrame,
    region: str,
    *,
    start: int | None,
    threshold: float = 1.25,
    display: bool = True,
    whole: str = NATION,
) -> Explorer | None:
    """Location quotients of ``region`` against a threshold the participant moves.

    ``start`` is the earlier year growth is measured from (None when the table has one
    year). ``whole`` names what all the table's regions make up ("the nation", or "the
    province" for a province's districts), as the explorer's sentences call it. With
    ``display=False`` the explorer is returned without being shown.
    """
    cut_slider = slider(
        "Threshold (location quotient):", threshold, low=0.5, high=3.0, step=0.05, readout=".2f"
    )

    def draw(values: dict) -> tuple[object, str]:
        cut = values["threshold"]
        found = candidate_clusters(table, region, lq_threshold=cut, start=start, whole=whole)
        chosen = list(found.loc[found["candidate"], "sector"])
        listed = ", ".join(chosen) if chosen else "none"
        shown = found[["sector", "employment", "lq", "growth", "reason"]]
        if start is None:
            shown = shown.drop(columns="growth")
        text = (
            f"<p><b>Candidate clusters in {html.escape(region)} at a threshold of {cut:.2f}: "
            f"{html.escape(listed)}.</b> The chart shows each sector's location quotient as "
            f"a bar; the dashed line at 1 is the {html.escape(average_of(whole))}.</p>"
            + table_html(
                shown,
                caption=f"Sectors of {region} in {found.attrs['year']} (the latest year of "
                "the table), with the reason for each",
                formats={"employment": "{:,.0f}", "lq": "{:.2f}", "growth": "{:+.1f} %"},
                headers={
                    "sector": "Sector",
                    "employment": "Employment (persons)",
                    "lq": "Location quotient",
                    "growth": f"Growth since {start}",
                    "reason": "Reason",
                },
            )
        )
        return lq_chart(found, region, threshold=cut, whole=whole), text

    return show(Explorer({"threshold": cut_slider}, draw, css="eic-lq-explorer"), display=display)


def balance_after_answers(table: pd.DataFrame, questions: Sequence) -> w.HTML | None:
    """The balance of each process and substance of a flow table, shown once every one of
    ``questions`` has a saved answer (the balance gives their answers away), and until
    then a line that says so. Not shown while the notebook is graded.
    """
    if grading_mode():
        return None
    shown = balance(table)[
        ["process", "substance", "unit", "inputs", "outputs", "imbalance", "status"]
    ]
    full = table_html(
        shown,
        caption="The balance of each process and substance, as measured (in the unit shown)",
        formats={"inputs": "{:,.0f}", "outputs": "{:,.0f}", "imbalance": "{:,.0f}"},
        headers={
            "process": "Process",
            "substance": "Substance",
            "unit": "Unit",
            "inputs": "Inputs measured",
            "outputs": "Outputs measured",
            "imbalance": "Imbalance (inputs − outputs − change in stock)",
            "status": "Status",
        },
    )
    numbers = [question.qid.split("_")[0].removeprefix("q") for question in questions]
    named = " and ".join([", ".join(numbers[:-1]), numbers[-1]] if len(numbers) > 1 else numbers)
    view = w.HTML()
    view.add_class("eic-balance-after-answers")

    def update(_value: object = None) -> None:
        if all(question.recorded() is not None for question in questions):
            view.value = full
        else:
            view.value = (
                f"<p><i>The full balance appears here once your answers to questions "
                f"{html.escape(named)} are saved.</i></p>"
            )

    for question in questions:
        question.on_saved(update)
    update()
    display(view)
    return view


def reuse_explorer(
    table: pd.DataFrame,
    plant: str,
    *,
    value: float,
    value_unit: str,
    water: float = 96,
    salt: float = 75,
) -> Explorer | None:
    """The effect of recovering shares of water and salt at ``plant`` (a ZLD scenario).

    The water slider runs from 80 to 100 % and the salt slider from 50 to 100 %: around the
    shares zero-liquid-discharge plants reach (IL&FS: 95-98 % of water, 70-80 % of salt),
    not down to shares at which no plant would be run without a liquid discharge.
    """
    controls = {
        "water": percent_slider("Water recovered at the plant (%):", water, low=80),
        "salt": percent_slider("Salt recovered at the plant (%):", salt, low=50),
    }

    def draw(values: dict) -> tuple[object, str]:
        shares = {"water": values["water"] / 100, "salt": values["salt"] / 100}
        summary, after = reuse_scenario(table, plant, shares)
        rows = summary.set_index("substance")
        water_unit = rows.loc["water", "unit"]
        before_eff = eco_efficiency(
            value, value_unit, {"freshwater": (rows.loc["water", "supply_before"], water_unit)}
        )
        after_water = rows.loc["water", "supply_after"]
        if after_water > 0:
            after_eff = eco_efficiency(value, value_unit, {"freshwater": (after_water, water_unit)})
            ratio = after_eff.loc[0, "eco_efficiency"] / before_eff.loc[0, "eco_efficiency"]
            change = f"rises {ratio:.1f}-fold"
        else:
            change = "is unlimited: no freshwater is needed"
        left = rows.loc["water", "release_after"]
        if left > 0:
            residue = (
                "Under zero liquid discharge no effluent may leave as liquid, so the water the "
                f"plant does not recover ({left:,.0f} {water_unit}) must be evaporated or "
                "left in solid residue."
            )
        else:
            residue = "The plant recovers all the water it receives: none is left to evaporate."
        if rows.loc["water", "measured_gap"] > 0:
            # the gap itself is not given: a worksheet asks for it
            residue += (
                f" The recovery share is taken of all {rows.loc['water', 'plant_inflow']:,.0f} "
                f"{water_unit} that reach the plant, including the water missing from its "
                "measured balance, which the plant would have to find first."
            )
        text = (
            f"<p><b>With {values['water']:.0f} % of the water and {values['salt']:.0f} % of "
            f"the salt recovered:</b> freshwater needed falls from "
            f"{rows.loc['water', 'supply_before']:,.0f} to {after_water:,.0f} "
            f"{water_unit}; salt bought falls from "
            f"{rows.loc['salt', 'supply_before']:,.2f} to "
            f"{rows.loc['salt', 'supply_after']:,.2f} {rows.loc['salt', 'unit']}; "
            f"water eco-efficiency {change}. {residue}</p>"
            + table_html(
                summary.drop(columns="measured_gap"),
                caption="The scenario, per substance (per day, in the unit shown)",
                formats={
                    c: "{:,.2f}"
                    for c in summary.columns
                    if c not in ("substance", "unit", "measured_gap")
                },
                headers={
                    "substance": "Substance",
                    "unit": "Unit",
                    "plant_inflow": "Into the plant",
                    "recovered": "Recovered",
                    "supply_before": "Bought or pumped, before",
                    "supply_after": "Bought or pumped, after",
                    "release_before": "Released by the plant, before",
                    "release_after": "Not recovered, after",
                },
            )
        )
        return sankey_chart(after, "water", title="Water with recovery"), text

    return show(Explorer(controls, draw, css="eic-reuse-explorer"))


def symbiosis_explorer(
    inventory: pd.DataFrame,
    materials: pd.DataFrame,
    factors: Factors,
    *,
    distance_km: float = 15,
    display: bool = True,
) -> Explorer | None:
    """Matching, allocation, savings and the network of a firm inventory, as the distance
    limit and the objective change."""
    controls = {
        "distance": slider("Distance limit (km):", distance_km, low=1, high=40),
        "objective": toggle(
            "Allocate for:",
            [("Most tonnes diverted", "tonnes"), ("Largest net saving", "saving")],
            "tonnes",
        ),
    }
    positions = firm_positions(inventory)

    def draw(values: dict) -> tuple[object, str]:
        found = match_by_products(inventory, max_distance_km=values["distance"])
        if found.empty:
            return None, (
                f"<p><b>No feasible exchange within {values['distance']:.0f} km.</b> Raise the "
                "distance limit.</p>"
            )
        chosen = allocate_exchanges(
            found, objective=values["objective"], materials=materials, factors=factors
        )
        account = savings(chosen, materials, factors)
        total = account.iloc[-1]
        split = diverted_and_shared(account, materials)
        piped = (
            f" and {split['shared']:,.0f} t/yr of steam supplied by pipe" if split["shared"] else ""
        )
        links = exchanges_from(chosen)
        summary = network_summary(links)
        meets, reason = chertow_3_2(links)
        shown = found.merge(
            chosen[["supplier", "receiver", "material", "tonnes"]],
            on=["supplier", "receiver", "material"],
            how="left",
        ).fillna({"tonnes": 0})
        text = (
            f"<p><b>Within {values['distance']:.0f} km: {len(found)} feasible exchanges; "
            f"{split['diverted']:,.0f} t/yr of by-products diverted from disposal{piped}, "
            "a net saving of "
            f"USD {total['net_saving_usd']:,.0f}/yr and {total['co2_avoided_t']:,.0f} tCO2e/yr "
            f"avoided.</b> {html.escape(summary.explain())} Chertow's 3-2 test: "
            f"{html.escape(reason)} The map shows the exchanges chosen.</p>"
            + table_html(
                shown,
                caption="Feasible exchanges and the tonnes allocated to each",
                formats={
                    "supply_t": "{:,.0f}",
                    "demand_t": "{:,.0f}",
                    "distance_km": "{:.1f}",
                    "tonnes": "{:,.0f}",
                },
                headers={
                    "supplier": "Supplier",
                    "receiver": "Receiver",
                    "material": "Material",
                    "supply_t": "Supplied (t/yr)",
                    "demand_t": "Needed (t/yr)",
                    "supplier_grade": "Grade supplied",
                    "accepted_grade": "Worst grade accepted",
                    "distance_km": "Distance (km)",
                    "tonnes": "Allocated (t/yr)",
                },
            )
            + table_html(
                account,
                caption="Savings account of the exchanges chosen (per year)",
                formats={c: "{:,.0f}" for c in account.columns[3:]},
                headers={
                    "supplier": "Supplier",
                    "receiver": "Receiver",
                    "material": "Material",
                    "tonnes": "t/yr",
                    "virgin_avoided_usd": "Virgin material avoided (USD)",
                    "disposal_avoided_usd": "Disposal avoided (USD)",
                    "transport_usd": "Transport (USD)",
                    "net_saving_usd": "Net saving (USD)",
                    "co2_avoided_t": "CO2 avoided (tCO2e)",
                },
            )
        )
        # partners tied for the most links: the text names them all, and the map colours them
        fig = network_chart(
            links,
            title="Exchanges chosen, on the cluster map",
            highlight=tuple(summary.anchors),
            positions=positions,
        )
        return fig, text

    return show(Explorer(controls, draw, css="eic-symbiosis-explorer"), display=display)
