"""Worksheet panels on what options cost and who pays: Module 5's portfolio explorer
(appraisal, MAC curve, the best options within a budget) and Module 6's cost-sharing
explorer (three rules for sharing a common plant's cost, and whether each is stable).
Notebooks import them from :mod:`eic.panels`, as they always have."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import pandas as pd

from eic.appraisal import appraise
from eic.cost_sharing import COD_USD_PER_KG, RULES, cetp_plant_cost, compare_rules
from eic.cost_sharing_chart import shares_chart, shares_description
from eic.explorers import Explorer, show, table_html, toggle
from eic.mac_curve import mac_chart, mac_curve, mac_curve_description
from eic.number_slider import slider
from eic.portfolio import choose_portfolio, greedy_portfolio
from eic.slider_scales import Scale


def portfolio_explorer(
    options: pd.DataFrame,
    *,
    budget: float = 500_000,
    rate: float = 10,
    budget_max: float = 1_600_000,
    display: bool = True,
) -> Explorer | None:
    """Appraisal, MAC curve and the best portfolio within a budget, as the discount rate,
    the budget (up to ``budget_max`` USD) and the objective change (``rate`` in %).

    The rate moves in steps of 0.5 %: rates such as 7.5 % are common, and a participant who
    typed one saw it become 8 %. Each slider shows its range and step, and says when a
    typed rate or budget is set to an end or a step of it."""
    budget_step = _step(budget_max)
    controls = {
        "rate": slider(
            "Discount rate (%):",
            rate,
            low=1,
            high=20,
            step=0.5,
            readout="g",
            scale=Scale("rate", "%", "half percent"),
        ),
        "budget": slider(
            "Budget (USD):",
            budget,
            low=0,
            high=budget_max,
            step=budget_step,
            readout=",.0f",
            scale=Scale(
                "budget", "USD", f"USD {budget_step:,.0f}", _budget_top(options, budget_max)
            ),
        ),
        "objective": toggle(
            "Choose for:",
            [("Most tCO2e avoided", "abatement"), ("Highest NPV", "npv")],
            "abatement",
        ),
    }

    def draw(values: dict) -> tuple[object, str]:
        appraised = appraise(options, values["rate"] / 100)
        best = choose_portfolio(appraised, values["budget"], objective=values["objective"])
        greedy = greedy_portfolio(appraised, values["budget"])
        paying = int(appraised["pays_for_itself"].sum())
        shown = appraised[["option", "investment_usd", "npv_usd", "irr", "simple_payback_years",
                           "mac_usd_per_tco2e", "abatement_tco2e_per_yr"]]  # fmt: skip
        paybacks = [payback_text(years) for years in shown["simple_payback_years"]]
        shown = shown.assign(simple_payback_years=paybacks)
        text = (
            f"<p><b>At {values['rate']:g} %, {paying_options(paying, len(appraised))} "
            "(NPV of 0 or more).</b></p>"
            f"<p><b>Best choice:</b> {html.escape(best.explain())}</p>"
            f"<p><b>Cheapest tonne first:</b> {html.escape(greedy.explain())}</p>"
            + table_html(
                shown,
                caption=f"Appraisal of the options at a discount rate of {values['rate']:g} %",
                formats={
                    "investment_usd": "{:,.0f}",
                    "npv_usd": "{:,.0f}",
                    "irr": "{:.1%}",
                    "mac_usd_per_tco2e": "{:,.1f}",
                    "abatement_tco2e_per_yr": "{:,.0f}",
                },
                headers={
                    "option": "Option",
                    "investment_usd": "Investment (USD)",
                    "npv_usd": "NPV (USD)",
                    "irr": "IRR",
                    "simple_payback_years": "Simple payback (years)",
                    "mac_usd_per_tco2e": "MAC (USD/tCO2e)",
                    "abatement_tco2e_per_yr": "Avoided (tCO2e/yr)",
                },
                right=["simple_payback_years"],
            )
            + "<p>The chart below is the marginal abatement cost curve: each bar is an option, "
            "its width the tCO2e it avoids a year and its height the cost per tonne; bars "
            "below zero save money.</p>"
        )
        curve = mac_curve(appraised)
        return mac_chart(curve), text, mac_curve_description(curve)

    return show(Explorer(controls, draw, css="eic-portfolio-explorer"), display=display)


def paying_options(paying: int, options: int) -> str:
    """How many of the options pay for themselves, in words that agree with the number.

    >>> paying_options(1, 3), paying_options(2, 3)
    ('1 of the 3 options pays for itself', '2 of the 3 options pay for themselves')
    >>> paying_options(0, 3), paying_options(1, 1)
    ('none of the 3 options pays for itself', 'the only option pays for itself')
    """
    if options == 1:
        return "the only option " + ("pays for itself" if paying else "does not pay for itself")
    if paying <= 1:
        return f"{paying or 'none'} of the {options} options pays for itself"
    return f"{paying} of the {options} options pay for themselves"


def _budget_top(options: pd.DataFrame, budget_max: float) -> str:
    """Why the budget's scale ends at ``budget_max``: it pays for every option."""
    total, count = float(options["investment_usd"].sum()), len(options)
    every, cost = ("the only option", "costs") if count == 1 else (f"all {count} options",
                                                                    "cost together")  # fmt: skip
    if math.isclose(budget_max, total):
        return f", what {every} {cost}"
    if budget_max > total:
        return f", enough for {every} (USD {total:,.0f})"
    return ""


def payback_text(years: float) -> str:
    """A simple payback in years as a table shows it: '3.2', or 'never, at these savings'
    when the option saves nothing (an infinite payback)."""
    return f"{years:.1f}" if math.isfinite(years) else "never, at these savings"


def cost_sharing_explorer(
    firms: pd.DataFrame,
    *,
    plant: Callable[[float], float] = cetp_plant_cost,
    usd_per_kg_cod: float = COD_USD_PER_KG,
    rule: str = "proportional",
    display: bool = True,
) -> Explorer | None:
    """Three ways to share a common treatment plant's yearly cost, and whether each is
    stable (no group of firms would pay less with its own plant). ``plant`` gives a
    plant's yearly cost (USD/yr) from its flow (m3/day); treating COD adds
    ``usd_per_kg_cod`` (USD per kg) for each kg of COD a year, and the sentence says how
    much of the cost that is. ``rule`` (a key of ``RULES``) is the rule shown first."""
    comparison = compare_rules(firms, plant, usd_per_kg_cod=usd_per_kg_cod)
    total, cod = comparison.attrs["total_usd_per_yr"], comparison.attrs["cod_usd_per_yr"]
    if cod > 0:
        of_which = (
            f", of which USD {cod:,.0f} ({100 * cod / total:.0f} %) is for treating COD at "
            f"USD {usd_per_kg_cod:,.4g} per kg"
        )
    else:
        of_which = " (nothing for COD: no COD is given, or its cost is 0)"
    if rule not in RULES:
        raise ValueError(f"no sharing rule '{rule}'; choose one of {', '.join(RULES)}")
    rule = toggle("Sharing rule:", [(label, key) for key, label in RULES.items()], rule)

    def draw(values: dict) -> tuple[object, str]:
        key = values["rule"]
        column = f"{key}_usd_per_yr"
        shown = comparison[["firm", "effluent_m3_per_day", "standalone_usd_per_yr", column]]
        verdict = comparison.attrs["core"][key].explain()
        text = (
            f"<p><b>{RULES[key]}: {html.escape(verdict)}</b> The shared plant costs "
            f"USD {comparison[column].sum():,.0f} a year in all{of_which}. The chart compares "
            "the three rules with each firm's stand-alone cost.</p>"
            + table_html(
                shown,
                caption=f"Each firm's share under the rule '{RULES[key]}' (USD per year)",
                formats={c: "{:,.0f}" for c in shown.columns if c != "firm"},
                headers={
                    "firm": "Firm",
                    "effluent_m3_per_day": "Effluent (m3/day)",
                    "standalone_usd_per_yr": "Own plant (USD/yr)",
                    column: f"{RULES[key]} (USD/yr)",
                },
            )
        )
        return shares_chart(comparison), text, shares_description(comparison)

    return show(Explorer({"rule": rule}, draw, css="eic-cost-sharing-explorer"), display=display)


def _step(high: float) -> float:
    """A round slider step giving 100 to 1,000 positions up to ``high``: 10,000 for 1.6 m."""
    return float(10 ** max(0, math.floor(math.log10(max(high, 1) / 100))))
