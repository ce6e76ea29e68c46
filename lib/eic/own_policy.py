"""Module 7's "use your own data" analysis: the best package of your own instruments.

An official's candidate instruments (:func:`eic.policy.check_instruments`) go through the
worksheet's package explorer (:func:`eic.policy_panels.package_view`): a budget, equal
weights or the priorities of the participant's own judgements in Module 7's question 1,
the best package within the budget beside the highest scores first, the streams it leaves
out, the table and the chart. The budget's slider runs over the participant's costs
(:func:`budget_range`). The budget and the weights chosen are kept with the table
(:mod:`eic.own_tables`); the judgements are read from the module's answers, beside the
table, each time the package is drawn.

>>> table = pd.DataFrame({"cost_usd_million": [400.0, 900.0, 1200.0]})
>>> budget_range(table)
(10.0, 2500.0, 10.0, 10.0)
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from eic import widgets as w
from eic.answers import AnswerStore, on_answer_change
from eic.explorers import Explorer
from eic.own_cost_sharing import kept_number
from eic.own_tables import Remember, keep_choices, kept_choice
from eic.policy import OBJECTIVES
from eic.policy_panels import package_controls, package_view

# Module 7's question 1: the participant's pairwise judgements of the objectives
PRIORITIES_QUESTION = "q1_priorities"
# the budget Module 7's worksheet explores (USD million)
WORKSHEET_BUDGET_USD_MILLION = 10.0
# the finest step of the budget: USD 10,000
FINEST_STEP = 0.01

# the analysis each module folder's live panel shows, redrawn when question 1 is saved there
_LIVE: weakref.WeakValueDictionary[Path, Explorer] = weakref.WeakValueDictionary()


def budget_range(table: pd.DataFrame) -> tuple[float, float, float, float]:
    """The budget slider's (lowest, highest, step, first value), in USD million, for a
    table of instruments: in round steps giving 100 to 1,000 positions (USD 10,000 at
    the finest), from one step up to the total cost of all the instruments (rounded up to
    a step); first at the worksheet's USD 10 million, or at half the total where that is
    less, as Module 5's own-data panel starts its budget."""
    total = float(pd.to_numeric(table["cost_usd_million"]).sum())
    step = max(FINEST_STEP, 10.0 ** math.floor(math.log10(max(total, FINEST_STEP) / 100)))
    step = round(step, 2)
    high = round(max(2 * step, math.ceil(round(total / step, 9)) * step), 2)
    half = max(step, round(high / 2 / step) * step)
    return step, high, step, round(min(WORKSHEET_BUDGET_USD_MILLION, half), 2)


def _readout(step: float) -> str:
    """How the budget is written: as many decimals as its step has (".1f" for 0.1)."""
    return f".{max(0, -math.floor(math.log10(step) + 1e-9))}f"


def recorded_judgements(answers: AnswerStore | None) -> dict | None:
    """The judgements recorded for question 1 in ``answers``, read without changing the
    file (None if there are none, or if they are not judgements)."""
    if answers is None:
        return None
    entry = answers.read().answers.get(PRIORITIES_QUESTION) or {}
    value = entry.get("value")
    return value if isinstance(value, dict) and value else None


def instruments_analysis(
    table: pd.DataFrame,
    *,
    settings: Mapping[str, object] | None = None,
    remember: Remember | None = None,
    answers: AnswerStore | None = None,
) -> w.Widget:
    """Module 7: the best package of your instruments within a budget (USD million), with
    equal weights or your priorities from question 1 (recorded in ``answers``).

    ``settings`` holds the budget and the weighting chosen before (kept with the saved
    table); ``remember`` is called with both each time one changes, to keep them. A panel
    that keeps them is redrawn when question 1 is saved again in ``answers``."""
    settings = settings or {}
    low, high, step, first = budget_range(table)
    kept = kept_number(settings.get("budget"), low, high)
    controls = package_controls(
        first if kept is None else kept, low=low, high=high, step=step, readout=_readout(step)
    )
    controls["weights"].value = kept_choice(settings, "weighting", ["equal", "mine"])

    def draw(values: dict) -> tuple[object, str, str]:
        return package_view(table, values, OBJECTIVES, recorded_judgements(answers))

    explorer = Explorer(controls, draw, css="eic-package-explorer")
    note = w.HTML()

    def keep(_change=None) -> None:
        chosen = {"budget": controls["budget"].value, "weighting": controls["weights"].value}
        note.value = keep_choices(remember, chosen)

    for control in controls.values():
        control.observe(keep, names="value")
    if remember is not None and answers is not None:
        _LIVE[answers.path.resolve()] = explorer
        on_answer_change(_priorities_saved)
    return w.VBox([explorer.box, note])


def _priorities_saved(store: AnswerStore, qid: str) -> None:
    """Question 1 was saved: the live analysis of its folder follows, if it uses it."""
    if qid != PRIORITIES_QUESTION:
        return
    explorer = _LIVE.get(store.path.resolve())
    if explorer is not None and explorer.controls["weights"].value == "mine":
        explorer.refresh()


__all__ = ["PRIORITIES_QUESTION", "budget_range", "instruments_analysis", "recorded_judgements"]
