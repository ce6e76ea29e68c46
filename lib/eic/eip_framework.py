"""A self-check of a park or cluster against the four categories of the International
Framework for Eco-Industrial Parks (World Bank, UNIDO and GIZ, 2017; World Bank,
2021, v.2): park management, environmental, social and economic.

The checklist's questions are plain yes/no questions written for this course about what
each category covers; they are not the framework's own requirements, and no threshold of
the framework is used.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.table_cells import Column
from eic.tables import TableError, check_table

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

FRAMEWORK_CATEGORIES = ("Park management", "Environmental", "Social", "Economic")
ANSWERS = ("yes", "partly", "no", "don't know")
CHECKLIST_COLUMNS = (
    Column("category", "text", allowed=FRAMEWORK_CATEGORIES),
    Column("item", "text"),
)


def share_percent(share: float) -> int:
    """A share (0 to 1) as a whole percentage, rounded half up, as a participant rounds
    by hand: 2.5 of 4 items (62.5 %) is 63 %, 1.5 of 4 (37.5 %) is 38 %. Python's
    ``round`` and the "%" format round half to even, and gave 62 % in a sentence beside
    63 % on the chart.

    >>> share_percent(2.5 / 4), share_percent(1.5 / 4), share_percent(1 / 3)
    (63, 38, 33)
    """
    # a millionth of a point over, so that 0.145 stored as 0.14499999... is 15 %, not 14 %
    return math.floor(100 * share + 0.5 + 1e-6)


def _plain(text: object) -> str:
    return " ".join(str(text).replace("\u2019", "'").split()).lower()


def framework_self_check(answers: Mapping[str, str], checklist: pd.DataFrame) -> pd.DataFrame:
    """Count a park's answers to the checklist, per category of the International Framework
    for Eco-Industrial Parks.

    ``answers`` maps a checklist item (its words, case aside) to "yes", "partly", "no" or
    "don't know"; an item not answered counts as "don't know". One row per category:
    ``items``, ``answered`` (items given an answer), ``yes``, ``partly``, ``no``,
    ``unknown``, ``share_met`` = (yes + 0.5 x partly) / items, and ``weakest`` (True for
    the lowest share among the categories with at least one item answered: a category
    not answered yet is not called weak; a self-check, not a certification: the
    framework's own indicators are not reproduced).

    >>> checklist = pd.DataFrame({"category": ["Social", "Social", "Economic"],
    ...     "item": ["Safe work?", "Neighbours heard?", "Local suppliers?"]})
    >>> summary = framework_self_check({"Safe work?": "yes", "Neighbours heard?": "partly",
    ...     "Local suppliers?": "no"}, checklist)
    >>> summary[["category", "share_met", "weakest"]].to_dict("records")
    [{'category': 'Social', 'share_met': 0.75, 'weakest': False},
     {'category': 'Economic', 'share_met': 0.0, 'weakest': True}]
    """
    table = check_table(checklist, CHECKLIST_COLUMNS, what="checklist", key=["item"])
    known = {_plain(item): item for item in table["item"]}
    given: dict[str, str] = {}
    problems = []
    for item, answer in answers.items():
        if _plain(item) not in known:
            close = difflib.get_close_matches(_plain(item), list(known), n=1, cutoff=0.6)
            hint = f" (did you mean '{known[close[0]]}'?)" if close else ""
            problems.append(f"'{item}' is not an item of the checklist{hint}; copy its words")
            continue
        word = _plain(answer)
        word = "don't know" if word in ("dont know", "do not know", "unknown") else word
        if word not in ANSWERS:
            problems.append(
                f"the answer to '{item}' is {answer!r}; answer 'yes', 'partly', 'no' or "
                '"don\'t know"'
            )
        given[known[_plain(item)]] = word
    if problems:
        raise TableError("set of answers", problems)
    table["answer"] = [given.get(item, "don't know") for item in table["item"]]
    table["answered"] = table["item"].isin(given)
    rows = []
    for category in [c for c in FRAMEWORK_CATEGORIES if c in set(table["category"])]:
        in_category = table["category"] == category
        counts = table.loc[in_category, "answer"].value_counts()
        row = {"category": category, "items": int(counts.sum())}
        row["answered"] = int(table.loc[in_category, "answered"].sum())
        for answer in ANSWERS:
            row["unknown" if answer == "don't know" else answer] = int(counts.get(answer, 0))
        row["share_met"] = (row["yes"] + 0.5 * row["partly"]) / row["items"]
        rows.append(row)
    summary = pd.DataFrame(rows)
    answered = summary["answered"] > 0
    lowest = summary.loc[answered, "share_met"].min()
    summary["weakest"] = answered & (summary["share_met"] == lowest)
    return summary


@remembered
def self_check_chart(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The share of checklist items met in each category (0-100 %, rounded half up as by
    :func:`share_percent`); the weakest category is drawn in a second colour and hatched,
    and a category with no item answered yet says so. No thresholds are drawn: this is a
    self-check."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    needed = ["category", "items", "yes", "partly", "share_met", "weakest"]
    if any(c not in getattr(summary, "columns", ()) for c in needed):
        raise ValueError("pass the table made by framework_self_check(answers, checklist)")
    fig, ax = plt.subplots(figsize=(8, 5.4), layout="constrained")
    weakest = summary["weakest"].to_numpy(bool)
    ax.bar(
        range(len(summary)),
        100 * summary["share_met"],
        color=[PALETTE[5] if w else PALETTE[0] for w in weakest],
        hatch=["//" if w else "" for w in weakest],
        edgecolor="white",
    )
    # each category's share under its name, not above its bar: the axis ends at 100 %
    answered = summary["answered"] if "answered" in summary else summary["items"]
    labels = [
        f"{r.category}\nnot answered yet"
        if done == 0
        else f"{r.category}\n{share_percent(r.share_met)} % met\n"
        f"({r.yes} yes, {r.partly} partly of {r.items})"
        for r, done in zip(summary.itertuples(index=False), answered, strict=True)
    ]
    ax.set_xticks(range(len(summary)), labels, fontsize="small")
    ax.set_ylim(0, 100)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("Share of items met (%)")
    ax.set_xlabel("Category of the International Framework for Eco-Industrial Parks")
    handles = [
        Patch(color=PALETTE[0], label="Other categories"),
        Patch(facecolor=PALETTE[5], hatch="//", edgecolor="white", label="Weakest category"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2)
    ax.set_title(title or "Self-check of the park (yes = 1, partly = 1/2 of an item)")
    return fig
