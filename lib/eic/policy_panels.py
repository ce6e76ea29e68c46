"""Module 7's worksheet panels: the priorities from a participant's pairwise judgements, a
policy package within a budget, and a park's self-check against the framework's
categories; and the worked example's verdict on each team's judgements. Like
:mod:`eic.panels`, each panel only calls pure functions and shows what they return; under
nbgrader nothing is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import Markdown, display

from eic import widgets as w
from eic.ahp import CONSISTENT_CR, AHPResult, ahp, pairwise_matrix, priorities_chart
from eic.eip_framework import framework_self_check, self_check_chart, share_percent
from eic.explorers import Explorer, answer_view, show, show_table, table_html, toggle
from eic.grading import grading_mode
from eic.number_slider import slider
from eic.policy import choose_package, greedy_package, scores_chart, weighted_scores
from eic.question_groups import Checklist, Pairwise
from eic.tables import normalise_name


def judgements_priorities(criteria: Sequence[str], value: Mapping[str, object] | None):
    """The AHP result of pairwise judgements recorded as ``{"A vs B": 3, ...}`` on
    ``criteria`` (each pair in the order the criteria are listed), or None if none."""
    if not value:
        return None
    pairs = [(a, b) for i, a in enumerate(criteria) for b in criteria[i + 1 :]]
    judgements = {(a, b): value[f"{a} vs {b}"] for a, b in pairs if f"{a} vs {b}" in value}
    return ahp(pairwise_matrix(list(criteria), judgements))


def priorities_from(question: Pairwise, value: Mapping[str, float] | None = None):
    """The AHP result of the pairwise question's recorded (or given) judgements, or None."""
    return judgements_priorities(question.criteria, question.recorded() if value is None else value)


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def team_consistency(team: str, result: AHPResult) -> str:
    """A team's consistency ratio and largest eigenvalue, in Markdown, and what they mean:
    the priorities can be used, or (above the cut-off) the judgements cannot all hold."""
    said = (
        f"**{team}.** Consistency ratio (CR) {result.cr:.3f}, from a largest eigenvalue "
        f"(λmax) of {result.lambda_max:.3f}."
    )
    if result.consistent:
        return (
            f"{said} It is at most {CONSISTENT_CR:.2f}: the judgements are consistent enough "
            "to use the priorities."
        )
    return (
        f"{said} It is above {CONSISTENT_CR:.2f}: the three judgements cannot all hold at "
        "once. With three criteria no single judgement is to blame. The table below shows "
        "what each judgement would need to be, given the other two."
    )


def judgements_needed(result: AHPResult) -> pd.DataFrame:
    """For three criteria: each judgement as given, and as the other two would need it
    (columns judgement, given, needed; "Environmental benefit over jobs and growth")."""
    return pd.DataFrame(
        [
            (f"{a} over {_lower_first(b)}", given, needed)
            for (a, b), (given, needed) in result.implied_by_the_others().items()
        ],
        columns=["judgement", "given", "needed"],
    )


def needed_in_words(result: AHPResult) -> str:
    """How to read a needed judgement below 1 (the other way round), and what to do next."""
    the_other_way = [
        f"A value below 1 reads the other way round: {needed:.3g} for {_lower_first(a)} over "
        f"{_lower_first(b)} means that {_lower_first(b)} is about {1 / needed:.1f} times as "
        f"important as {_lower_first(a)}."
        for (a, b), (_, needed) in result.implied_by_the_others().items()
        if needed < 1
    ]
    advice = "The team should change the judgement it trusts least, then compute again."
    return " ".join([*the_other_way, advice])


def show_team_consistency(team: str, result: AHPResult) -> None:
    """Show whether a team's judgements are consistent enough to use; if not, what each of
    its three judgements would need to be, given the other two (the worked example's view
    of :func:`team_consistency`, :func:`judgements_needed` and :func:`needed_in_words`)."""
    if grading_mode():
        return
    display(Markdown(team_consistency(team, result)))
    if result.consistent:
        return
    show_table(
        judgements_needed(result),
        caption=f"{team}: each judgement as given, and as the other two would need it",
        formats={"given": "{:g}", "needed": "{:.3g}"},
        headers={
            "judgement": "Judgement",
            "given": "Given (times as important)",
            "needed": "Needed by the other two (times as important)",
        },
    )
    display(Markdown(needed_in_words(result)))


def _weights_text(weights: Mapping[str, float]) -> str:
    """Weights as shares of the total: "Jobs and growth 29%, Reach to SMEs 14%"."""
    return ", ".join(f"{name} {share:.0%}" for name, share in weights.items())


def priorities_view(question: Pairwise) -> w.VBox | None:
    """The priorities and consistency ratio of the participant's judgements."""

    def draw(value):
        if not value:
            return None, "<p>Move the sliders above to see the priorities they give.</p>"
        result = priorities_from(question, value)
        weights = _weights_text(result.priorities)
        # the advice gives the consistency ratio and its verdict, or what to change
        sentence = (
            f"<p><b>Your priorities: {html.escape(weights)}.</b> {html.escape(result.advice())}</p>"
        )
        return priorities_chart(result, title="Your priorities for the policy package"), sentence

    return answer_view(question, draw, "eic-priorities-view")


# what the weights line says when "My priorities" is chosen before question 1 is answered
NOT_ANSWERED = (
    "You have not answered question 1 yet: your priorities come from your judgements there. "
    "Answer it (move its sliders and press Save answer), or choose Equal weights."
)


def weights_used(
    criteria: Sequence[str], recorded: Mapping[str, object] | None, choice: str
) -> tuple[dict[str, float], str]:
    """The weights a package explorer scores with, and a paragraph that says which they
    are: equal weights on ``criteria``, or (``choice`` "mine") the priorities of the
    judgements ``recorded`` for question 1, with a warning when they fail the consistency
    check. Raises ValueError, with what to do, when question 1 is not answered."""
    if choice != "mine":
        weights = dict.fromkeys(criteria, 1 / len(criteria))
        return weights, f"<p>Weights used: {html.escape(_weights_text(weights))} (equal).</p>"
    result = judgements_priorities(criteria, recorded)
    if result is None:
        raise ValueError(NOT_ANSWERED)
    weights = result.priorities.to_dict()
    used = html.escape(_weights_text(weights))
    if result.consistent:
        return weights, (
            f"<p>Weights used: your priorities from question 1, {used} (consistency ratio "
            f"{result.cr:.3f}, at most {CONSISTENT_CR:.2f}).</p>"
        )
    return weights, (
        "<p role='alert' style='color:#9a3412'><b>Warning: your judgements in question 1 "
        f"contradict each other</b> (consistency ratio {result.cr:.2f}, above "
        f"{CONSISTENT_CR:.2f}). The package below uses the priorities they give, {used}: "
        "weights this module says not to use yet. Revise your judgements in question 1 "
        f"until the ratio is {CONSISTENT_CR:.2f} or less; the package will follow.</p>"
    )


def _criterion_headings(criteria: Sequence[str], scored: pd.DataFrame) -> dict[str, str]:
    """Each score column's heading, in the words of question 1, with its scale."""
    names = {normalise_name(name): name for name in criteria}
    return {
        column: f"{names.get(column, column.replace('_', ' ').capitalize())} (out of 10)"
        for column in scored.attrs["weights"]
    }


def package_controls(
    budget: float, *, low: float = 0.5, high: float = 25, step: float = 0.5, readout: str = ".1f"
) -> dict[str, w.ValueWidget]:
    """A package explorer's controls: the budget (USD million, from ``low`` to ``high`` in
    steps of ``step``) and the weights (equal, or the priorities of question 1)."""
    weighting = toggle(
        "Weights:",
        [("Equal weights", "equal"), ("My priorities (question 1)", "mine")],
        "equal",
    )
    # room between the budget's number box and this label, in a row or on a line of its own
    weighting.layout = w.shared(w.Layout, {"margin": "2px 0 2px 2em"})
    return {
        "budget": slider(
            "Budget (USD million):", budget, low=low, high=high, step=step, readout=readout
        ),
        "weights": weighting,
    }


def package_view(
    instruments: pd.DataFrame,
    values: Mapping[str, object],
    criteria: Sequence[str],
    recorded: Mapping[str, object] | None,
) -> tuple[object, str, str]:
    """What a package explorer shows for its control ``values`` (budget in USD million,
    weights "equal" or "mine"): the chart of weighted scores, the text (the weights used,
    the best package, the package of the highest scores first, and the table), and the
    chart in words. ``recorded`` is question 1's recorded answer, on ``criteria``."""
    weights, used = weights_used(criteria, recorded, str(values["weights"]))
    scored = weighted_scores(instruments, weights)
    best = choose_package(scored, float(values["budget"]))
    greedy = greedy_package(scored, float(values["budget"]))
    headings = _criterion_headings(criteria, scored)
    shown = scored[["instrument", "stream", "cost_usd_million", *headings, "score"]]
    text = (
        used
        + f"<p><b>Best package:</b> {html.escape(best.explain())}</p>"
        + f"<p><b>Highest scores first:</b> {html.escape(greedy.explain())}</p>"
        + table_html(
            shown,
            caption="Instruments with their score on each objective and their weighted "
            "score (points out of 10)",
            formats={"cost_usd_million": _cost_format(shown["cost_usd_million"]), "score": "{:.2f}"}
            | dict.fromkeys(headings, "{:g}"),
            headers={
                "instrument": "Instrument",
                "stream": "Policy stream",
                "cost_usd_million": "Cost (USD million)",
                **headings,
                "score": "Weighted score (out of 10)",
            },
        )  # fmt: skip
    )
    # the chart in words: the package it marks, not the weights line above it
    return scores_chart(scored, best), text, f"Chart: Best package: {best.explain()}"


def _cost_format(costs: pd.Series) -> str:
    """Costs in USD million with one decimal, as the worksheet's, or more where a cost has
    more (0.25, not 0.2)."""
    exact = all(round(float(c), 1) == round(float(c), 6) for c in costs)
    return "{:,.1f}" if exact else "{:,.2f}"


def package_explorer(
    instruments: pd.DataFrame, judgements: Pairwise, *, budget: float = 10
) -> Explorer | None:
    """The best package of instruments within a budget (USD million), scored with equal
    weights or with the participant's own AHP priorities, redrawn each time question 1
    (``judgements``) is saved. Priorities whose consistency ratio is above 0.10 are used,
    with a warning that says so."""
    controls = package_controls(budget)

    def draw(values: dict) -> tuple[object, str, str]:
        return package_view(instruments, values, judgements.criteria, judgements.recorded())

    explorer = show(Explorer(controls, draw, css="eic-package-explorer"))
    if explorer is not None:
        # new judgements are new weights: redraw if the explorer is scoring with them
        judgements.on_saved(
            lambda _value: explorer.refresh() if controls["weights"].value == "mine" else None
        )
    return explorer


def self_check_sentence(summary: pd.DataFrame) -> str:
    """What the self-check finds, in words: each category's share of items met (rounded half
    up, as on the chart), "not answered yet" for a category with no item answered, the
    weakest of the categories answered, and how many items are still to answer."""
    shares = "; ".join(
        f"{row.category} not answered yet"
        if row.answered == 0
        else f"{row.category} {share_percent(row.share_met)} %"
        for row in summary.itertuples(index=False)
    )
    weakest = ", ".join(summary.loc[summary["weakest"], "category"])
    answered, items = int(summary["answered"].sum()), int(summary["items"].sum())
    if answered < items:
        status = (
            f"You have answered {answered} of the {items} items: the check is not complete "
            "yet, and an item not answered counts as not met. Weakest so far"
        )
    else:
        status = "Weakest"
    return (
        f"<p><b>Share of items met (yes = 1, partly = 0.5): {html.escape(shares)}. "
        f'{status}: {html.escape(weakest)}.</b> Items answered "don\'t know" count as '
        "not met: finding out is the first step.</p>"
    )


def self_check_view(question: Checklist, checklist: pd.DataFrame) -> w.VBox | None:
    """The share of the checklist's items met in each category, from the participant's
    answers, and the weakest category; a checklist answered in part says so."""

    def draw(value):
        if not value:
            return None, "<p>Answer the checklist above to see the park's profile.</p>"
        summary = framework_self_check(value, checklist)
        return self_check_chart(summary), self_check_sentence(summary)

    return answer_view(question, draw, "eic-self-check-view")


def checklist_items(checklist: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The checklist's items, and each item's category as a heading."""
    items: Sequence[str] = list(checklist["item"])
    return list(items), dict(zip(checklist["item"], checklist["category"], strict=True))
