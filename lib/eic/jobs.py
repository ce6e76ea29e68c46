"""Module 8: estimating the green jobs a cluster's plans could support.

An employment factor turns the size of an activity into jobs: building 1 MW of solar
power takes so many *job-years* of construction work, running a recycling plant of 1,000
t/yr keeps so many people in work. The factors table gives one factor per activity, its
unit, whether it counts ``jobs`` (people in work each year while the activity runs, as
full-time equivalents) or ``job-years`` (one person in full-time work for one year, the
usual measure of temporary work such as construction), an indirect multiplier (jobs in
suppliers per direct job; blank when no published figure exists) and the factor's source.
The two kinds are never added together: 130 job-years of construction are not 130 jobs.
An optional ``effect`` column says "may be lost" for an activity whose jobs the plans may
replace, such as landfill and incineration when waste is diverted from them (ILSR, 1997, as
Module 8's reading and question 4 use it); such jobs are kept out of the green totals and
given apart, the jobs that may be lost. A blank ``effect`` is "supported".

>>> factors = pd.DataFrame({"activity": ["Solar PV construction", "Plastics recycling"],
...     "unit": ["MW", "t/yr"], "direct_jobs_per_unit": [13, 0.001],
...     "job_kind": ["job-years", "jobs"], "indirect_multiplier": [0.5, None],
...     "source": ["Example source A", "Example source B"]})
>>> plans = pd.DataFrame({"activity": ["Solar PV construction", "Plastics recycling"],
...     "quantity": [10, 5_000]})
>>> estimate = green_jobs(plans, factors)
>>> estimate[["activity", "direct", "indirect", "total"]].to_dict("records")
[{'activity': 'Solar PV construction', 'direct': 130.0, 'indirect': 65.0, 'total': 195.0},
 {'activity': 'Plastics recycling', 'direct': 5.0, 'indirect': nan, 'total': 5.0},
 {'activity': 'Total (jobs)', 'direct': 5.0, 'indirect': nan, 'total': 5.0},
 {'activity': 'Total (job-years)', 'direct': 130.0, 'indirect': 65.0, 'total': 195.0}]
"""

from __future__ import annotations

import difflib
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic.appraisal import and_list, as_number
from eic.table_cells import Column, row_label
from eic.tables import TableError, check_table

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    pass

JOB_KINDS = ("jobs", "job-years")
# what an activity does to jobs: supports them, or (disposal that the plans divert waste
# from) may lose them
SUPPORTED, MAY_BE_LOST = EFFECTS = ("supported", "may be lost")
FACTOR_COLUMNS = (
    Column("activity", "text"),
    Column("unit", "text"),
    Column("direct_jobs_per_unit", "number", unit="jobs (or job-years) per unit", minimum=0),
    Column("job_kind", "text", allowed=JOB_KINDS),
    Column(
        "indirect_multiplier",
        "number",
        unit="indirect jobs per direct job",
        minimum=0,
        allow_blank=True,
    ),
    Column("source", "text"),
    Column("effect", "text", allowed=EFFECTS, optional=True, allow_blank=True),
)
ACTIVITY_COLUMNS = (
    Column("activity", "text"),
    Column("quantity", "number", unit="the activity's unit (MW, t/yr, ...)", minimum=0),
)
TOTAL_LABELS = {"jobs": "Total (jobs)", "job-years": "Total (job-years)"}
# the row that sums, apart from the totals, the jobs that may be lost
LOST_LABELS = {
    "jobs": "Disposal jobs that may be lost",
    "job-years": "Disposal job-years that may be lost",
}
KIND_EXPLAINED = {
    "jobs": "Jobs (full-time equivalent people in work each year, ongoing)",
    "job-years": "Job-years (1 job-year = one person in full-time work for one year)",
}
ESTIMATE_COLUMNS = [
    *("activity", "quantity", "unit", "job_kind", "direct_jobs_per_unit", "direct"),
    *("indirect_multiplier", "indirect", "total", "source", "note", "effect"),
]
FACTORS = "factors table"
ACTIVITIES = "activities table"


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def blank_columns_as_text(table: object) -> object:
    """``table`` with each column that is blank throughout (as read from an empty CSV
    column) turned into empty text, which :func:`~eic.tables.check_table` reads as blanks."""
    if not isinstance(table, pd.DataFrame):
        return table
    blank = [c for c in table.columns if table[c].isna().all()]
    return table.assign(**{str(c): "" for c in blank}) if blank else table


def check_factors(table: pd.DataFrame) -> pd.DataFrame:
    """Check an employment factors table; return a clean copy or raise
    :class:`~eic.tables.TableError`.

    Besides the columns' own checks: each activity appears once (ignoring case), and no
    activity is called like a totals row ("Total (jobs)", "Disposal jobs that may be
    lost"). The copy has an ``effect`` for each activity: "supported" where the table gives
    none.
    """
    clean = check_table(
        blank_columns_as_text(table), FACTOR_COLUMNS, what=FACTORS, key=["activity"]
    )
    # an activity given twice, even in other capitals, is refused by check_table (key)
    kept = {_key(label) for label in (*TOTAL_LABELS.values(), *LOST_LABELS.values())}
    problems = [
        f"column 'activity' in {row_label(position)} is '{name}', a name kept for the "
        "totals row; rename the activity"
        for position, name in enumerate(clean["activity"])
        if _key(name) in kept
    ]
    if problems:
        raise TableError(FACTORS, problems)
    given = clean["effect"] if "effect" in clean else pd.Series("", index=clean.index)
    return clean.assign(effect=given.replace("", SUPPORTED))


def check_activities(table: pd.DataFrame) -> pd.DataFrame:
    """Check an activities table (activity, quantity in the activity's unit); return a clean
    copy or raise :class:`~eic.tables.TableError`. Each activity appears once.

    >>> check_activities(pd.DataFrame({"Activity": ["Solar PV"], "Quantity": ["-2"]}))
    Traceback (most recent call last):
    ...
    eic.tables.TableError: The activities table cannot be used:
    - column 'quantity' in row 2 is -2; it cannot be below 0 (a negative quantity)
    """
    return check_table(
        blank_columns_as_text(table), ACTIVITY_COLUMNS, what=ACTIVITIES, key=["activity"]
    )


def _default_multiplier(value: float | None) -> float | None:
    if value is None:
        return None
    number = as_number(value, "the default indirect multiplier")
    if number < 0:
        raise ValueError(
            f"the default indirect multiplier is {number:g}; give indirect jobs per direct "
            "job, 0 or more (or None to leave unknown multipliers blank)"
        )
    return number


def _matched(activities: pd.DataFrame, factors: pd.DataFrame) -> list[int]:
    """The factors row of each activity; unknown activities raise with a suggestion."""
    index = {_key(name): position for position, name in enumerate(factors["activity"])}
    known = list(factors["activity"])
    rows, problems = [], []
    for position, name in enumerate(activities["activity"]):
        if _key(name) in index:
            rows.append(index[_key(name)])
            continue
        by_key = {_key(k): k for k in known}
        close = difflib.get_close_matches(_key(name), list(by_key), n=1, cutoff=0.5)
        hint = f" (did you mean '{by_key[close[0]]}'?)" if close else ""
        problems.append(
            f"the activity '{name}' in {row_label(position)} has no employment factor{hint}; "
            "use a name from the factors table or add a row for it there"
        )
    if problems:
        problems.append(f"the factors table has: {', '.join(known)}")
        raise TableError(ACTIVITIES, problems)
    return rows


def green_jobs(
    activities: pd.DataFrame,
    factors: pd.DataFrame,
    *,
    default_indirect_multiplier: float | None = None,
) -> pd.DataFrame:
    """The direct, indirect and total green jobs of each planned activity, with totals.

    ``activities`` gives each activity's ``quantity`` in the unit of its factor (MW, t/yr,
    ...); ``factors`` is the employment factors table (edit a copy to use other factors).
    One row per activity: ``direct`` = quantity × ``direct_jobs_per_unit``; ``indirect`` =
    direct × ``indirect_multiplier``; ``total`` = direct + indirect; all in the activity's
    ``job_kind`` (jobs or job-years). Where the factors give no multiplier,
    ``default_indirect_multiplier`` is used; without one, ``indirect`` is NaN, the total
    counts direct jobs only and the ``note`` says so. ``source`` carries the factor's
    source. A totals row follows for each job kind present, "Total (jobs)" and "Total
    (job-years)": jobs and job-years are never added together. An activity whose ``effect``
    is "may be lost" (disposal the plans divert waste from) is left out of them, and summed
    apart in a row "Disposal jobs that may be lost".
    """
    default = _default_multiplier(default_indirect_multiplier)
    plans = check_activities(activities)
    table = check_factors(factors)
    matched = table.iloc[_matched(plans, table)].reset_index(drop=True)
    quantity = plans["quantity"].to_numpy(float)
    direct = quantity * matched["direct_jobs_per_unit"].to_numpy(float)
    multiplier = np.array(matched["indirect_multiplier"], dtype=float)  # a copy to fill in
    notes = []
    for position, given in enumerate(np.isfinite(multiplier)):
        if given:
            notes.append("")
        elif default is not None:
            multiplier[position] = default
            notes.append(f"no published indirect multiplier; the default {default:g} is used")
        else:
            notes.append(
                "no published indirect multiplier: indirect jobs not estimated; the total "
                "counts direct jobs only"
            )
    indirect = direct * multiplier
    estimate = pd.DataFrame(
        {
            "activity": matched["activity"],
            "quantity": quantity,
            "unit": matched["unit"],
            "job_kind": matched["job_kind"],
            "direct_jobs_per_unit": matched["direct_jobs_per_unit"],
            "direct": direct,
            "indirect_multiplier": multiplier,
            "indirect": indirect,
            "total": direct + np.nan_to_num(indirect),
            "source": matched["source"],
            "note": notes,
            "effect": matched["effect"],
        }
    )
    supported = estimate[estimate["effect"] == SUPPORTED]
    lost = estimate[estimate["effect"] == MAY_BE_LOST]
    totals = [_total_row(supported, kind) for kind in JOB_KINDS
              if kind in set(supported["job_kind"])]  # fmt: skip
    totals += [_lost_row(lost, kind) for kind in JOB_KINDS if kind in set(lost["job_kind"])]
    result = pd.concat([estimate, pd.DataFrame(totals)], ignore_index=True)
    result.attrs["default_indirect_multiplier"] = default
    return result[ESTIMATE_COLUMNS]


def _total_row(estimate: pd.DataFrame, kind: str) -> dict[str, object]:
    rows = estimate[estimate["job_kind"] == kind]
    unknown = int(rows["indirect"].isna().sum())
    count = len(rows)
    note = f"sum of {count} activit{'y' if count == 1 else 'ies'} counted in {kind}"
    if unknown:
        note += (
            f"; {unknown} without an indirect estimate, so the total is a lower bound"
            if unknown < count
            else "; indirect jobs not estimated, so the total counts direct jobs only"
        )
    return {
        "activity": TOTAL_LABELS[kind],
        "quantity": math.nan,
        "unit": "",
        "job_kind": kind,
        "direct_jobs_per_unit": math.nan,
        "direct": rows["direct"].sum(),
        "indirect_multiplier": math.nan,
        "indirect": rows["indirect"].sum(min_count=1),
        "total": rows["total"].sum(),
        "source": "",
        "note": note,
        "effect": SUPPORTED,
    }


def _lost_row(estimate: pd.DataFrame, kind: str) -> dict[str, object]:
    """The jobs (or job-years) of ``kind`` that may be lost, summed apart from the totals."""
    row = _total_row(estimate, kind)
    names = and_list([f"'{name}'" for name in estimate[estimate["job_kind"] == kind]["activity"]])
    note = f"not in the totals: the {kind} in {names} that the plans may replace"
    return row | {"activity": LOST_LABELS[kind], "note": note, "effect": MAY_BE_LOST}


def counted_as(estimate: pd.DataFrame) -> pd.Series:
    """What each row of an estimate counts, for its table: its job kind ("jobs"), and for
    the jobs that may be lost "jobs that may be lost (not in the total)"."""
    kinds = estimate["job_kind"].astype(str)
    if "effect" not in estimate:
        return kinds
    lost = estimate["effect"] == MAY_BE_LOST
    return kinds.where(~lost, kinds + " that may be lost (not in the total)")
