"""Module 6's "use your own data" analysis: sharing your plant's cost among your firms.

How the cost of one common plant is shared depends on what the plant costs, so the panel
asks for the participant's own plant figures (:data:`PLANT_FIELDS`: its fixed cost, design
flow, treatment cost per m3, scale exponent and COD treatment cost) before it compares the
rules of sharing (:func:`eic.panels.cost_sharing_explorer`). The figures start at the
course's illustrative plant; :func:`plant_summary` says what they give, and names those
still at the course's values, as a training example's figures change who pays what. The
figures entered, and the sharing rule chosen, are kept with the participant's table
(:mod:`eic.own_tables`).

>>> plant = course_plant()
>>> plant["design_m3_per_day"], plant["usd_per_kg_cod"]
(1000.0, 0.25)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping

import pandas as pd

from eic import widgets as w

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
# the boxes of the plant figures take any number up to this size, in or out of its range
ANY_FIGURE = 1e15
PLANT_NAMES = {
    "fixed_usd_per_yr": "the fixed cost",
    "design_m3_per_day": "the design flow",
    "unit_usd_per_m3": "the treatment cost per m3",
    "scale_exponent": "the scale exponent",
    "usd_per_kg_cod": "the COD treatment cost",
}


# the name the sharing rule chosen is kept under, with the plant figures
SHARING_RULE = "sharing_rule"


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


def _bound(number: float) -> str:
    return f"{number:,.0f}" if number >= 1_000 else f"{number:g}"


def plant_figure_problems(values: Mapping[str, float]) -> list[str]:
    """What is wrong with the plant figures ``values`` (of :data:`PLANT_FIELDS`): each figure
    outside its range, named with what was typed and the range, so that a figure typed is
    never quietly replaced by the nearest one allowed.

    >>> plant_figure_problems(course_plant() | {"scale_exponent": 1.5})
    ['the scale exponent is 1.5: enter a number from 0.05 to 1']
    """
    problems = []
    for name, _label, low, high, _step in PLANT_FIELDS:
        value = values[name]
        if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
            problems.append(
                f"{PLANT_NAMES[name]} is {value:,.10g}: enter a number from {_bound(low)} to "
                f"{_bound(high)}"
            )
    return problems


def kept_number(saved: object, low: float, high: float) -> float | None:
    """A figure kept with a table, if it is still a number from ``low`` to ``high``; else
    None (the analysis then starts at its own first value)."""
    if isinstance(saved, bool) or not isinstance(saved, int | float):
        return None
    return float(saved) if math.isfinite(saved) and low <= saved <= high else None


def firms_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Callable[[dict[str, float | str]], None] | None = None,
) -> w.Widget:
    """Module 6: sharing a common plant's cost among your firms, with your plant's costs.

    The participant gives the plant's fixed cost (USD/yr), its design flow (m3/day), its
    treatment cost at that flow besides the fixed cost (USD/m3), the scale exponent and
    the cost of treating COD (USD/kg). They start at the course's illustrative plant, and
    a warning names those still at the course's figures. ``settings`` are figures entered
    before and the sharing rule chosen (``sharing_rule``, a key of
    :data:`eic.cost_sharing.RULES`), kept with the saved table; ``remember`` is called with
    all of them each time one changes, to keep them.
    """
    from eic.cost_sharing import RULES, check_firms, plant_cost
    from eic.panels import cost_sharing_explorer

    course = course_plant()
    settings = settings or {}
    kept = {
        name: kept_number(settings.get(name), low, high)
        for name, _label, low, high, _step in PLANT_FIELDS
    }
    kept_rule = settings.get(SHARING_RULE)
    rule = {"chosen": kept_rule if kept_rule in RULES else None}
    wide = {"description_width": "initial"}
    fields = {
        # bounded only far beyond each figure's range: a box bounded by it quietly replaced
        # 1.5 by 1; a figure out of its range is named instead (plant_figure_problems), and
        # the results stay those of the last figures in range
        name: w.BoundedFloatText(
            description=label,
            value=course[name] if kept[name] is None else kept[name],
            min=-ANY_FIGURE,
            max=ANY_FIGURE,
            step=step,
            style=wide,
            layout={"width": "auto"},
        )
        for name, label, _low, _high, step in PLANT_FIELDS
    }
    clean = check_firms(table)
    flow = float(clean["effluent_m3_per_day"].sum())
    load = float((clean["effluent_m3_per_day"] * clean["cod_mg_per_l"]).sum() / 1000)
    holder = w.VBox()
    summary = w.HTML()
    note = w.HTML()

    def keep() -> str:
        """Keep the figures and the rule with the table; a note (HTML) if they cannot be."""
        values: dict[str, float | str] = {name: float(f.value) for name, f in fields.items()}
        if rule["chosen"] is not None:
            values[SHARING_RULE] = rule["chosen"]
        try:
            remember(values)
        except OSError:
            return (
                "<p role='alert'>These figures and the sharing rule could not be kept with "
                "your table (the module's folder cannot be written): after a restart they go "
                "back to the course's figures and to sharing by effluent volume.</p>"
            )
        return ""

    def rule_chosen(change: dict) -> None:
        rule["chosen"] = change["new"]
        if remember is not None and (said := keep()):
            note.value = said

    def build(change=None) -> None:
        values = {name: float(field.value) for name, field in fields.items()}
        if problems := plant_figure_problems(values):
            said = " ".join(f"{problem[0].upper()}{problem[1:]}." for problem in problems)
            note.value = (
                "<p role='alert' class='eic-own-data-figure-problem'>&#9888; "
                f"{html.escape(said)} The results below are still those of the figures before; "
                "your change is not kept.</p>"
            )
            return
        kept_note = ""
        if remember is not None and change is not None:  # a figure was changed: keep it
            kept_note = keep()
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

            # the rule chosen before (in this kernel or kept with the table) stays chosen,
            # drawn once with it
            explorer = cost_sharing_explorer(
                table, plant=cost, usd_per_kg_cod=values["usd_per_kg_cod"],
                rule=rule["chosen"] or "proportional", display=False,
            )  # fmt: skip
            explorer.controls["rule"].observe(rule_chosen, names="value")
            holder.children = (explorer.box,)
            note.value = kept_note
        except (TypeError, ValueError) as err:
            note.value = f"<p role='alert'>{html.escape(str(err))}</p>" + kept_note

    for field in fields.values():
        field.observe(build, names="value")
    build()
    restored = any(value is not None for value in kept.values()) or rule["chosen"] is not None
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
                + (  # without remember (the country report) the figures shown are those kept
                    "Your figures and the sharing rule you choose are kept with your table, so "
                    "they are here after a restart."
                    if remember is not None
                    else ""
                )
                + (" What you entered and chose before was restored." if restored else "")
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
