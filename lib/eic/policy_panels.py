"""Module 7's worksheet panels: the priorities from a participant's pairwise judgements, a
policy package within a budget, and a park's self-check against the framework's
categories. Like :mod:`eic.panels`, each panel only calls pure functions and shows what they
return; under nbgrader nothing is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from eic import widgets as w
from eic.ahp import ahp, pairwise_matrix, priorities_chart
from eic.eip_framework import framework_self_check, self_check_chart
from eic.explorers import Explorer, answer_view, show, slider, table_html, toggle
from eic.policy import choose_package, greedy_package, scores_chart, weighted_scores
from eic.question_groups import Checklist, Pairwise


def _judgements(question: Pairwise, value: Mapping[str, float]) -> dict[tuple[str, str], float]:
    return {(a, b): value[f"{a} vs {b}"] for a, b in question.pairs if f"{a} vs {b}" in value}


def priorities_from(question: Pairwise, value: Mapping[str, float] | None = None):
    """The AHP result of the pairwise question's recorded (or given) judgements, or None."""
    value = question.recorded() if value is None else value
    if not value:
        return None
    return ahp(pairwise_matrix(question.criteria, _judgements(question, value)))


def priorities_view(question: Pairwise) -> w.VBox | None:
    """The priorities and consistency ratio of the participant's judgements."""

    def draw(value):
        if not value:
            return None, "<p>Move the sliders above to see the priorities they give.</p>"
        result = priorities_from(question, value)
        weights = ", ".join(f"{name} {share:.0%}" for name, share in result.priorities.items())
        # the advice gives the consistency ratio and its verdict, or what to change
        sentence = (
            f"<p><b>Your priorities: {html.escape(weights)}.</b> {html.escape(result.advice())}</p>"
        )
        return priorities_chart(result, title="Your priorities for the policy package"), sentence

    return answer_view(question, draw, "eic-priorities-view")


def package_explorer(
    instruments: pd.DataFrame, judgements: Pairwise, *, budget: float = 10
) -> Explorer | None:
    """The best package of instruments within a budget (USD million), scored with equal
    weights or with the participant's own AHP priorities."""
    controls = {
        "budget": slider(
            "Budget (USD million):", budget, low=0.5, high=25, step=0.5, readout=".1f"
        ),
        "weights": toggle(
            "Weights:",
            [("Equal weights", "equal"), ("My priorities (question 1)", "mine")],
            "equal",
        ),
    }

    def draw(values: dict) -> tuple[object, str]:
        if values["weights"] == "mine":
            result = priorities_from(judgements)
            if result is None:
                raise ValueError("answer question 1 first: your priorities come from it")
            weights = result.priorities.to_dict()
        else:
            weights = dict.fromkeys(judgements.criteria, 1.0)
        scored = weighted_scores(instruments, weights)
        best = choose_package(scored, values["budget"])
        greedy = greedy_package(scored, values["budget"])
        shown = scored[["instrument", "stream", "cost_usd_million", "score"]]
        text = (
            f"<p><b>Best package:</b> {html.escape(best.explain())}</p>"
            f"<p><b>Highest scores first:</b> {html.escape(greedy.explain())}</p>"
            + table_html(
                shown,
                caption="Instruments with their weighted score (0 to 10)",
                formats={"cost_usd_million": "{:.1f}", "score": "{:.2f}"},
                headers={
                    "instrument": "Instrument",
                    "stream": "Policy stream",
                    "cost_usd_million": "Cost (USD million)",
                    "score": "Weighted score",
                },
            )
        )
        return scores_chart(scored, best), text

    return show(Explorer(controls, draw, css="eic-package-explorer"))


def self_check_view(question: Checklist, checklist: pd.DataFrame) -> w.VBox | None:
    """The share of the checklist's items met in each category, from the participant's
    answers, and the weakest category."""

    def draw(value):
        if not value:
            return None, "<p>Answer the checklist above to see the park's profile.</p>"
        summary = framework_self_check(value, checklist)
        weakest = ", ".join(summary.loc[summary["weakest"], "category"])
        shares = "; ".join(
            f"{row.category} {row.share_met:.0%}" for row in summary.itertuples(index=False)
        )
        sentence = (
            f"<p><b>Share of items met (yes = 1, partly = 0.5): {html.escape(shares)}. "
            f'Weakest: {html.escape(weakest)}.</b> Items answered "don\'t know" count as '
            "not met: finding out is the first step.</p>"
        )
        return self_check_chart(summary), sentence

    return answer_view(question, draw, "eic-self-check-view")


def checklist_items(checklist: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The checklist's items, and each item's category as a heading."""
    items: Sequence[str] = list(checklist["item"])
    return list(items), dict(zip(checklist["item"], checklist["category"], strict=True))
