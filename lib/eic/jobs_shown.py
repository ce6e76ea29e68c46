"""Module 8: the green-jobs estimate shown: as a chart, in sentences and with its caution.

Each takes the table :func:`eic.jobs.green_jobs` makes; jobs and job-years are never added
together, and the jobs that may be lost are given apart from the totals.

>>> from eic.jobs import green_jobs
>>> factors = pd.DataFrame({"activity": ["Plastics recycling"], "unit": ["t/yr"],
...     "direct_jobs_per_unit": [0.001], "job_kind": ["jobs"], "indirect_multiplier": [None],
...     "source": ["Example source"]})
>>> estimate = green_jobs(pd.DataFrame({"activity": ["Plastics recycling"],
...     "quantity": [5_000]}), factors)
>>> jobs_summary(estimate)
'The plans could support about 5 lasting jobs (5 direct; indirect not estimated).'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.appraisal import and_list
from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.jobs import (
    JOB_KINDS,
    KIND_EXPLAINED,
    LOST_LABELS,
    MAY_BE_LOST,
    SUPPORTED,
    TOTAL_LABELS,
)

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure


def _estimate_rows(estimate: pd.DataFrame) -> pd.DataFrame:
    needed = ["activity", "job_kind", "direct", "indirect", "total"]
    if any(c not in getattr(estimate, "columns", ()) for c in needed):
        raise ValueError("pass the table made by green_jobs(activities, factors)")
    sums = (*TOTAL_LABELS.values(), *LOST_LABELS.values())
    rows = estimate[~estimate["activity"].isin(sums)]
    if "effect" not in rows:  # an estimate made before activities had an effect
        rows = rows.assign(effect=SUPPORTED)
    if len(rows) == 0:
        raise ValueError("the estimate has no activity to draw; add at least one activity")
    return rows.reset_index(drop=True)


def _about(value: float) -> str:
    """A number of jobs as a sentence gives it: whole from 10 up, else to one decimal."""
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"


@remembered
def jobs_chart(estimate: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Direct and indirect jobs of each activity as stacked bars, one panel per job kind.

    Jobs (people in work each year, ongoing) and job-years (one person working full time
    for one year) are drawn in separate panels with their own axes, never on one scale.
    Direct jobs are solid, indirect jobs hatched; each bar ends with its total. The jobs
    that may be lost (an activity whose ``effect`` is "may be lost", such as landfill) are
    drawn grey and cross-hatched at the bottom, said to be outside the panel's total. Where
    no activity has an indirect estimate, the legend says so once; where only some have,
    the bars of the others say "indirect not estimated". The legend names only what is
    drawn.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rows = _estimate_rows(estimate)
    kinds = [k for k in JOB_KINDS if k in set(rows["job_kind"])]
    heights = [max(1, int((rows["job_kind"] == k).sum())) for k in kinds]
    fig, axes = plt.subplots(
        len(kinds),
        1,
        figsize=(10, 0.5 * sum(heights) + 1.6 * len(kinds) + 1),
        height_ratios=[h + 1.5 for h in heights],
        layout="constrained",
        squeeze=False,
    )
    supported = rows[rows["effect"] == SUPPORTED]
    none_estimated = bool(supported["indirect"].isna().all())
    lost_look = {"facecolor": "0.75", "hatch": "xx", "edgecolor": "0.35"}
    for ax, kind in zip(axes[:, 0], kinds, strict=True):
        of_kind = rows[rows["job_kind"] == kind]
        # the jobs that may be lost at the bottom, under the activities that support jobs
        part = pd.concat([of_kind[of_kind["effect"] == SUPPORTED],
                          of_kind[of_kind["effect"] == MAY_BE_LOST]]).iloc[::-1]  # fmt: skip
        y = np.arange(len(part))
        lost = (part["effect"] == MAY_BE_LOST).to_numpy()
        ax.barh(y[~lost], part["direct"][~lost], 0.6, color=PALETTE[0], edgecolor="white")
        if lost.any():
            ax.barh(y[lost], part["direct"][lost], 0.6, **lost_look)
        known = (~lost) & part["indirect"].notna().to_numpy()
        if known.any():
            look = {"color": PALETTE[1], "hatch": "//", "edgecolor": "white"}
            ax.barh(y[known], part["indirect"][known], 0.6, left=part["direct"][known], **look)
        ax.set_yticks(y, [textwrap.fill(name, 30) for name in part["activity"]])
        for position, row, gone in zip(y, part.itertuples(index=False), lost, strict=True):
            if gone:
                label = f" {_about(row.total)} may be lost (not in the total)"
            else:
                unknown = pd.isna(row.indirect) and not none_estimated
                label = f" {row.total:,.0f}" + (" (indirect not estimated)" if unknown else "")
            ax.annotate(label, (row.total, position), va="center", fontsize="small")
        ax.set_xlim(0, max(1.0, float(part["total"].max())) * 1.45)
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        ax.set_xlabel(KIND_EXPLAINED[kind])
        ax.set_ylabel("Activity")
        total = part["total"][~lost].sum()
        ax.set_title(f"Counted in {kind}: total {total:,.0f} {kind}", loc="left")
    handles = [Patch(facecolor=PALETTE[0], label="Direct (in the activity itself)")]
    if supported["indirect"].notna().any():
        handles.append(
            Patch(facecolor=PALETTE[1], hatch="//", edgecolor="white", label="Indirect (suppliers)")
        )
    else:  # said once, not on every bar
        handles.append(
            Patch(facecolor="none", edgecolor="none", label="Indirect (suppliers): not estimated")
        )
    if (rows["effect"] == MAY_BE_LOST).any():
        handles.append(Patch(**lost_look, label="Disposal jobs that may be lost"))
    fig.legend(handles=handles, loc="outside right upper", fontsize="small")
    fig.suptitle(title or "Green jobs estimate: direct and indirect jobs (or job-years)")
    fig.supxlabel(
        "Jobs (or job-years): jobs are people in work each year; a job-year is one person "
        "in full-time work for one year",
        fontsize="small",
    )
    return fig


def jobs_summary(estimate: pd.DataFrame) -> str:
    """One plain sentence per job kind with the total, for a report, and one for the jobs
    that may be lost (kept out of the totals), with the change in lasting direct jobs.

    >>> table = pd.DataFrame({"activity": ["Recycling", "Total (jobs)"],
    ...     "job_kind": ["jobs", "jobs"], "direct": [5.0, 5.0], "indirect": [2.0, 2.0],
    ...     "total": [7.0, 7.0]})
    >>> jobs_summary(table)
    'The plans could support about 7 lasting jobs (5 direct, 2 indirect).'
    """
    rows = _estimate_rows(estimate)
    supported = rows[rows["effect"] == SUPPORTED]
    lost = rows[rows["effect"] == MAY_BE_LOST]
    parts = []
    for kind in (k for k in JOB_KINDS if k in set(supported["job_kind"])):
        part = supported[supported["job_kind"] == kind]
        unknown = int(part["indirect"].isna().sum())
        indirect = f", {part['indirect'].sum():,.0f} indirect" if unknown < len(part) else ""
        if unknown:
            some = f" for {unknown} activit{'y' if unknown == 1 else 'ies'}" * (indirect != "")
            indirect += f"; indirect not estimated{some}"
        name = "lasting jobs" if kind == "jobs" else kind
        parts.append(
            f"{part['total'].sum():,.0f} {name} ({part['direct'].sum():,.0f} direct{indirect})"
        )
    text = (
        f"The plans could support about {and_list(parts)}."
        if parts
        else "The plans as typed support no green job: type the amount of an activity."
    )
    for kind in (k for k in JOB_KINDS if k in set(lost["job_kind"])):
        gone = float(lost[lost["job_kind"] == kind]["direct"].sum())
        text += (
            f" About {_about(gone)} {kind} in disposal (landfill and incineration) may be lost "
            "where the plans divert waste from it"
        )
        if kind == "jobs" and "jobs" in set(supported["job_kind"]):
            change = float(supported[supported["job_kind"] == "jobs"]["direct"].sum()) - gone
            text += (
                f", so the change in lasting direct jobs is about {_about(change)}"
                if change >= 0
                else f", so lasting direct jobs may fall by about {_about(-change)}"
            )
        text += "."
    return text


def jobs_caution(estimate: pd.DataFrame) -> str:
    """What an estimate is and is not, in plain sentences for a report: lasting direct jobs
    are gross and estimated from published factors, job-years are temporary work counted
    apart, indirect jobs not estimated (where they are not), and disposal jobs may be lost.

    >>> table = pd.DataFrame({"activity": ["Composting", "Total (jobs)"],
    ...     "job_kind": ["jobs", "jobs"], "direct": [4.0, 4.0], "indirect": [None, None],
    ...     "total": [4.0, 4.0]})
    >>> print(jobs_caution(table))  # doctest: +NORMALIZE_WHITESPACE
    The lasting direct jobs (about 4) are gross: an estimate from the published factors in
    the table below (each row names its source), made for other countries and years, not a
    count or a forecast. Indirect jobs, in the firms that supply the activities, are not estimated:
    no published ratio was found for these activities. Jobs in disposal (landfill and
    incineration) may be lost where the plans divert waste from it, and informal waste
    pickers may lose income; they are not counted here.
    """
    rows = _estimate_rows(estimate)
    supported = rows[rows["effect"] == SUPPORTED]
    lost = rows[rows["effect"] == MAY_BE_LOST]
    lasting = supported[supported["job_kind"] == "jobs"]["direct"].sum()
    built = supported[supported["job_kind"] == "job-years"]["direct"].sum()
    what = f"The lasting direct jobs (about {lasting:,.0f}) are" if len(supported) else "It is"
    sentences = [
        f"{what} gross: an estimate from the published factors in the table below (each "
        "row names its source), made for other countries and years, not a count or a forecast."
    ]
    if built:
        sentences.append(
            f"The {built:,.0f} job-years of construction are temporary work, one person in "
            f"full-time work for one year each: about {built:,.0f} people for one year, never "
            "added to the lasting jobs."
        )
    if supported["indirect"].isna().any():
        sentences.append(
            "Indirect jobs, in the firms that supply the activities, are not estimated: no "
            "published ratio was found for these activities."
        )
    if len(lost):
        sentences.append(
            f"The {_about(float(lost['direct'].sum()))} jobs in disposal (landfill and "
            "incineration) that may be lost are kept out of the totals; informal waste "
            "pickers may lose income too, which is not estimated."
        )
    else:
        sentences.append(
            "Jobs in disposal (landfill and incineration) may be lost where the plans divert "
            "waste from it, and informal waste pickers may lose income; they are not counted "
            "here."
        )
    return " ".join(sentences)
