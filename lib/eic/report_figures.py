"""The charts the country report redraws from a participant's answers: the self-assessment
radar (Module 1), the policy priorities and the park check (Module 7), the SWOT, the roadmap
and the green jobs the plans could support (Module 8). Each is a :class:`Figure`, PNG bytes
with its alternative text, and may carry a table, a note and a heading of its own.
:data:`FIGURES` says which module's answers draw which; :mod:`eic.report` places them.

>>> planned_quantities({"Composting": 10}, ["Composting"])
({'Composting': 10.0}, [])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from eic.typed_numbers import number_text

# where Module 8 keeps the plans of its green-jobs estimate, with its answers (as details)
JOBS_PLAN_ID = "jobs_plan"


@dataclass(frozen=True)
class Figure:
    """A chart redrawn from the answers, as PNG bytes with its alternative text (no bytes:
    only its table, where there is nothing to draw)."""

    title: str
    png: bytes
    alt: str
    contributor: str
    # the chart's data as a table to print under it, if any: (headers, rows of text)
    table: tuple[list[str], list[list[str]]] | None = None
    # a sentence for the reader under the chart and its table: what was left out, and why
    note: str = ""
    # a heading of its own over it, and paragraphs between the heading and the chart
    heading: str = ""
    text: tuple[str, ...] = ()
    # where it goes among the answers: after the answers to the first of ``follows`` given,
    # else before those to the first of ``before``, else after every answer
    follows: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    # the answers its table says in full, which the report leaves out so as not to repeat
    replaces: tuple[str, ...] = ()


def judgement_ratio(value: object) -> float | None:
    """A pairwise judgement (3, 0.5, "3", "1/3") as a ratio above 0; None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
        return None
    try:
        ratio = float(value if isinstance(value, numbers.Real) else Fraction(value.strip()))
    except (ValueError, ZeroDivisionError):
        return None
    return ratio if math.isfinite(ratio) and ratio > 0 else None


def _png(fig) -> bytes:
    from eic.views import figure_png

    return figure_png(fig)


def _radar(answers: dict, name: str) -> list[Figure]:
    from eic.foundations import radar_chart

    ratings = answers.get("q7_self_assessment", {}).get("value")
    if not isinstance(ratings, dict):
        return []
    fig = radar_chart({name: ratings}, title=f"Self-assessment by {name}")
    scores = ", ".join(f"{k} {v}" for k, v in ratings.items())
    return [Figure("Self-assessment on the four foundations", _png(fig),
                   f"Radar chart of ratings (0 to 5): {scores}", name)]  # fmt: skip


def _priorities(answers: dict, name: str) -> list[Figure]:
    from eic.ahp import ahp, pairwise_matrix, priorities_chart

    value = answers.get("q1_priorities", {}).get("value")
    if not isinstance(value, dict) or not value:
        return []
    if any(judgement_ratio(judgement) is None for judgement in value.values()):
        raise ValueError(
            "a comparison could not be read; answer the question again in Module 7 to see the chart"
        )
    pairs = {tuple(key.split(" vs ")): judgement for key, judgement in value.items()}
    criteria = list(dict.fromkeys(c for pair in pairs for c in pair))
    result = ahp(pairwise_matrix(criteria, pairs))
    weights = ", ".join(f"{k} {v:.0%}" for k, v in result.priorities.items())
    fig = priorities_chart(result, title=f"Priorities of the policy objectives ({name})")
    return [Figure("Priorities of the three policy objectives", _png(fig),
                   f"Bar chart of priorities: {weights}; consistency ratio {result.cr:.2f}",
                   name)]  # fmt: skip


def _park_check(answers: dict, name: str) -> list[Figure]:
    from eic import data
    from eic.eip_framework import framework_self_check, self_check_chart

    value = answers.get("q6_park_check", {}).get("value")
    if not isinstance(value, dict) or not value:
        return []
    summary = framework_self_check(value, data.load("eip_framework_checklist"))
    shares = ", ".join(f"{r.category} {r.share_met:.0%}" for r in summary.itertuples())
    return [
        Figure(
            "A park checked against the framework's four categories",
            _png(self_check_chart(summary)),
            f"Bar chart of items met: {shares}",
            name,
        )
    ]


ROADMAP_START = 2027  # the first year of the roadmap built in Module 8
# under the roadmap's table: its indicators are the course's, not the participant's choice
SUGGESTED_INDICATORS = (
    "The indicators are suggested: they come from the course's list of actions, not from "
    "your answers. Make each your own, with a unit, a baseline, a target and a date."
)


def _roadmap(answers: dict, name: str) -> list[Figure]:
    from eic import data
    from eic.strategy import (
        not_now_actions,
        roadmap_chart,
        roadmap_from_terms,
        roadmap_summary,
        start_text,
    )

    terms = answers.get("q7_roadmap_terms", {}).get("value")
    leads = answers.get("q8_roadmap_leads", {}).get("value")
    if not isinstance(terms, dict):
        return []
    leads = leads if isinstance(leads, dict) else {}
    actions = data.load("roadmap_actions")
    streams = dict(zip(actions["action"], actions["stream"], strict=True))
    # an action scheduled with no lead yet is shown as such, never left out
    indicators = dict(zip(actions["action"], actions["indicator"].fillna(""), strict=True))
    roadmap = roadmap_from_terms(terms, streams=streams, owners=leads, indicators=indicators,
                                 start_year=ROADMAP_START)  # fmt: skip
    later = not_now_actions(roadmap)
    if roadmap.empty and not later:
        return []
    # every action as a table: when it should start (in time order), its lead and how its
    # progress is measured; a "not now" action too, which needs a lead all the same
    rows = [
        [row.action, start_text(row.start_year, row.end_year, ROADMAP_START), row.stream,
         row.owner, row.indicator or "to be chosen"]
        for row in roadmap.sort_values(["start_year"], kind="stable").itertuples(index=False)
    ]  # fmt: skip
    rows += [[a["action"], "not now", a["stream"] or "–", a["owner"],
              a["indicator"] or "to be chosen"] for a in later]  # fmt: skip
    table = (["Action", "Starts", "Stream", "Lead", "Suggested indicator"], rows)
    # with every action "not now" there is nothing to draw: the table alone
    fig = (
        b""
        if roadmap.empty
        else _png(roadmap_chart(roadmap, title=f"Roadmap from {ROADMAP_START} ({name})"))
    )
    # the table says every term and lead: the lists of the answers are not repeated (the
    # leads' list is, if it names an action the table has not)
    listed = set(roadmap["action"]) | {a["action"] for a in later}
    replaces = ("q7_roadmap_terms",) + (("q8_roadmap_leads",) if set(leads) <= listed else ())
    summary = roadmap_summary(roadmap)
    return [
        Figure("The roadmap", fig, summary, name, table, note=SUGGESTED_INDICATORS,
               heading="Roadmap: when each action starts and who leads it", text=(summary,),
               follows=("q8_roadmap_leads", "q7_roadmap_terms"), replaces=replaces)
    ]  # fmt: skip


def _swot(answers: dict, name: str) -> list[Figure]:
    from eic.swot import swot, swot_chart

    parts = answers.get("q6_swot", {}).get("value")
    if not isinstance(parts, dict) or not any(str(v).strip() for v in parts.values()):
        return []
    table = swot({k: str(v) for k, v in parts.items()})
    listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in table.items())
    return [Figure("SWOT of the cluster", _png(swot_chart(table, title=f"SWOT ({name})")),
                   f"SWOT grid. {listed}", name, follows=("q6_swot",))]  # fmt: skip


def planned_quantities(
    plan: object, activities: Sequence[str]
) -> tuple[dict[str, float], list[str]]:
    """A recorded plan of the green-jobs estimate (``{activity: quantity}``) as the quantities
    above 0 of the factors table's ``activities`` (named as the table names them, matched
    ignoring capitals and spaces), and the names in the plan that cannot be used: an activity
    the table no longer has, or a quantity that is not a number of 0 or more.

    >>> planned_quantities({"composting": 5000, "Wind farm": 2, "Solar PV": 0},
    ...                    ["Composting", "Solar PV"])
    ({'Composting': 5000.0}, ['Wind farm'])
    """
    if not isinstance(plan, dict):
        return {}, []
    names = {" ".join(str(a).casefold().split()): str(a) for a in activities}
    known: dict[str, float] = {}
    left_out = []
    for activity, quantity in plan.items():
        name = names.get(" ".join(str(activity).casefold().split()))
        number = quantity if isinstance(quantity, numbers.Real) else math.nan
        if name is None or isinstance(quantity, bool) or not number >= 0 or number == math.inf:
            left_out.append(str(activity))
        elif number > 0:
            known[name] = known.get(name, 0.0) + float(number)
    return known, left_out


def left_out_of_the_plan(left_out: Sequence[str], *, where: str, fix: str) -> str:
    """What a participant is told about the activities of a plan that cannot be used: that
    they are left out ``where``, and what to do instead (``fix``)."""
    if not left_out:
        return ""
    named = ", ".join(f"'{name}'" for name in left_out)
    them = "it is" if len(left_out) == 1 else "they are"
    return (
        f"The saved plan also has {named}, which the course's table of employment factors "
        f"does not have (or whose quantity is not a number of 0 or more): {them} left out of "
        f"{where}. {fix}"
    )


JOBS_HEADING = "Green jobs the plans could support"


def _jobs(answers: dict, name: str) -> list[Figure]:
    import pandas as pd

    from eic import data
    from eic.jobs import counted_as, green_jobs
    from eic.jobs_shown import jobs_caution, jobs_chart, jobs_summary

    factors = data.load("green_job_factors")
    plans, left_out = planned_quantities(
        answers.get(JOBS_PLAN_ID, {}).get("value"), list(factors["activity"])
    )
    if not plans:
        return []
    activities = pd.DataFrame({"activity": list(plans), "quantity": list(plans.values())})
    estimate = green_jobs(activities, factors)
    fig = jobs_chart(estimate, title=f"Green jobs from the plans ({name})")
    # as Module 8's page shows it: indirect jobs, where not estimated, as "–" (never as a copy
    # of the direct jobs), and a total for each kind of job, in its unit (jobs or job-years)
    rows = [
        [row.activity,
         "–" if pd.isna(row.quantity) else f"{number_text(row.quantity)} {row.unit}",
         f"{row.direct:,.1f}", "–" if pd.isna(row.indirect) else f"{row.indirect:,.1f}",
         kind, row.source]
        for row, kind in zip(estimate.itertuples(index=False), counted_as(estimate), strict=True)
    ]  # fmt: skip
    headers = ["Activity", "Plan", "Direct", "Indirect (– = not estimated)", "Counted as", "Source"]
    summary = jobs_summary(estimate)
    return [Figure("Green jobs from the plans", _png(fig), summary, name,
                   (headers, rows), left_out_of_the_plan(left_out, where="the estimate",
                   fix="To count an activity, type its quantity in the box of a matching "
                   "activity in Module 8, then make the report again."),
                   heading=JOBS_HEADING, text=(summary, jobs_caution(estimate)),
                   before=("q6_swot", "q7_roadmap_terms", "q8_roadmap_leads",
                           "r1_reflection"))]  # fmt: skip


FIGURES: dict[str, tuple[Callable[[dict, str], list[Figure]], ...]] = {
    "m01": (_radar,),
    "m07": (_priorities, _park_check),
    "m08": (_swot, _roadmap, _jobs),
}


def register_figure(module: str, draw: Callable[[dict, str], list[Figure]]) -> None:
    """Add a chart drawn from a module's answers (used by modules defined elsewhere)."""
    FIGURES[module] = (*FIGURES.get(module, ()), draw)
