"""Module 8: the country strategy — a roadmap of actions (the SWOT is in :mod:`eic.swot`).

A roadmap table has one row per action: its policy ``stream`` (industrial, environmental,
regional development; ADBI, 2013, "Regional Workshop on Eco-Industrial Clusters",
post-event statement), the calendar years it runs from ``start_year`` to ``end_year``
(both included), the lead agency (``owner``) and the ``indicator`` that shows progress.
A participant usually picks a term for each action (short, medium or long term, or "not
now") and :func:`roadmap_from_terms` turns the choices into years: a term is counted in
years from the roadmap's first year, which is the only definition the course uses.

>>> roadmap = roadmap_from_terms(
...     {"Shared effluent plant": "short term (0-2 years)", "Eco-town zoning": "not now"},
...     streams={"Shared effluent plant": "environmental", "Eco-town zoning":
...              "regional development"},
...     owners={"Shared effluent plant": "State pollution board"}, start_year=2026)
>>> roadmap[["action", "start_year", "end_year", "owner"]].to_dict("records")
[{'action': 'Shared effluent plant', 'start_year': 2026, 'end_year': 2028,
  'owner': 'State pollution board'}]
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from eic.appraisal import and_list, as_number
from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.jobs import blank_columns_as_text
from eic.policy import STREAMS
from eic.table_cells import Column, row_label
from eic.tables import TableError, check_table

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

TERMS = {
    "short term (0-2 years)": (0, 2),
    "medium term (3-5 years)": (3, 5),
    "long term (6-10 years)": (6, 10),
}
NOT_NOW = "not now"
NO_LEAD = "lead not yet chosen"  # the owner of a scheduled action whose lead is still open
ACTION_COLUMNS = (
    Column("action", "text"),
    Column("stream", "text", allowed=STREAMS),
    Column("start_year", "number", unit="year, such as 2026", minimum=None),
    Column("end_year", "number", unit="year, such as 2028", minimum=None),
    Column("owner", "text"),
    Column("indicator", "text", allow_blank=True),
)
FIRST_YEAR, LAST_YEAR = 2000, 2100
STREAM_COLOURS = dict(zip(STREAMS, (PALETTE[0], PALETTE[2], PALETTE[1]), strict=True))
STREAM_HATCHES = dict(zip(STREAMS, ("", "//", ".."), strict=True))
WHAT = "roadmap"


def check_roadmap(table: pd.DataFrame) -> pd.DataFrame:
    """Check a roadmap table; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: actions are unique, years are whole numbers from 2000
    to 2100 and no action ends before it starts.

    >>> check_roadmap(pd.DataFrame({"action": ["Audit"], "stream": ["environmental"],
    ...     "start_year": [2028], "end_year": [2026], "owner": ["Agency"],
    ...     "indicator": [""]}))
    Traceback (most recent call last):
    ...
    eic.tables.TableError: The roadmap cannot be used:
    - row 2 ('Audit') ends in 2026, before it starts in 2028; make end_year 2028 or later
    """
    clean = check_table(blank_columns_as_text(table), ACTION_COLUMNS, what=WHAT, key=["action"])
    problems = []
    for column in ("start_year", "end_year"):
        for position, year in enumerate(clean[column]):
            if year != int(year):
                problems.append(
                    f"column '{column}' in {row_label(position)} is {year:g}; enter a whole "
                    f"year such as {int(year)}"
                )
            elif not FIRST_YEAR <= year <= LAST_YEAR:
                problems.append(
                    f"column '{column}' in {row_label(position)} is {year:g}; enter a year from "
                    f"{FIRST_YEAR} to {LAST_YEAR}, written in full such as 2026"
                )
    if problems:
        raise TableError(WHAT, problems)
    rows = zip(clean["action"], clean["start_year"], clean["end_year"], strict=True)
    for position, (action, start, end) in enumerate(rows):
        if end < start:
            problems.append(
                f"{row_label(position)} ('{action}') ends in {end:.0f}, before it starts in "
                f"{start:.0f}; make end_year {start:.0f} or later"
            )
    if problems:
        raise TableError(WHAT, problems)
    clean = clean.astype({"start_year": int, "end_year": int})
    clean.attrs = dict(table.attrs)
    return clean


def known_choice(value: object, known: Sequence[str], what: str, short: bool = False) -> str:
    """``value`` as one of ``known``, ignoring case and spaces (and, with ``short``, what
    follows " (": "short term" for "short term (0-2 years)"), or a ValueError."""
    text = " ".join(str(value).lower().split())
    names = {k.lower(): k for k in known} | ({k.split(" (")[0]: k for k in known} if short else {})
    if text in names:
        return names[text]
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.5)
    hint = f" (did you mean '{names[close[0]]}'?)" if close else ""
    raise ValueError(
        f"{what} is '{value}', which is not known{hint}; choose one of: {', '.join(known)}"
    )


def _given(mapping: Mapping[str, str], action: str) -> str:
    value = mapping.get(action)
    return "" if value is None else " ".join(str(value).split())


def roadmap_from_terms(
    actions: Mapping[str, str],
    *,
    streams: Mapping[str, str],
    owners: Mapping[str, str],
    indicators: Mapping[str, str] | None = None,
    start_year: int,
) -> pd.DataFrame:
    """A roadmap from a term chosen for each action, starting in ``start_year``.

    ``actions`` maps each action to a key of :data:`TERMS` ("short term (0-2 years)", ...;
    "short term" is enough) or "not now". A term says when an action should start: its
    years are offsets from ``start_year``, and an action's ``start_year`` and ``end_year``
    are the first and last years in which it should start (the medium term, 3-5 years, from
    2026: from 2029 to 2031); ``.attrs["starts_within"]`` says so, for
    :func:`roadmap_chart` and :func:`start_text`. ``streams`` are needed for every action
    on the roadmap. An action with no lead agency in ``owners`` is kept, with the owner
    :data:`NO_LEAD` ("lead not yet chosen"), so that it is never dropped unseen;
    ``indicators`` may be left out. A "not now" action has no row, but is kept, with its
    stream (if given), lead and indicator, in ``.attrs["not_now"]`` (a list of dicts),
    since it too needs a lead. The start year is kept in ``.attrs["start_year"]``.
    """
    if not hasattr(actions, "items"):
        raise TypeError("the actions must map each action to a term, e.g. {'Audit': 'short term'}")
    year = as_number(start_year, "the start year")
    if year != int(year) or not FIRST_YEAR <= year <= LAST_YEAR - 10:
        raise ValueError(
            f"the start year is {year:g}; enter a whole year from {FIRST_YEAR} to "
            f"{LAST_YEAR - 10}, so that the 10-year roadmap ends by {LAST_YEAR}"
        )
    rows, no_stream, not_now = [], [], []
    for action, choice in actions.items():
        name = " ".join(str(action).split())
        if not name:
            raise ValueError("an action has no name; give every action a short name")
        term = known_choice(choice, [*TERMS, NOT_NOW], f"the term chosen for '{name}'", short=True)
        stream, owner = _given(streams, action), _given(owners, action)
        indicator = _given(indicators or {}, action)
        if stream:
            stream = known_choice(stream, STREAMS, f"the stream of '{name}'")
        if term == NOT_NOW:  # no start, but a lead all the same
            not_now.append(
                {"action": name, "stream": stream, "owner": owner or NO_LEAD,
                 "indicator": indicator}
            )  # fmt: skip
            continue
        if not stream:
            no_stream.append(f"'{name}'")
        first, last = TERMS[term]
        rows.append(
            (name, stream, int(year) + first, int(year) + last, owner or NO_LEAD, indicator)
        )
    if no_stream:
        raise ValueError(
            f"no stream is given for {and_list(no_stream)}; choose one of: {', '.join(STREAMS)}"
        )
    roadmap = pd.DataFrame(rows, columns=[c.name for c in ACTION_COLUMNS])
    if rows:
        roadmap = check_roadmap(roadmap)
    roadmap.attrs.update(start_year=int(year), starts_within=True, not_now=not_now)
    return roadmap


def not_now_actions(roadmap: pd.DataFrame) -> list[dict[str, str]]:
    """The actions of a roadmap made by :func:`roadmap_from_terms` that are "not now":
    each a dict of its action, stream, owner (the lead) and indicator."""
    return list(roadmap.attrs.get("not_now", ()))


def start_text(start: int, end: int, base: int) -> str:
    """When an action should start, in words, from the first and last years in which it
    should start and the roadmap's first year ``base``.

    >>> start_text(2027, 2029, 2027), start_text(2030, 2032, 2027)
    ('within 2 years (by 2029)', 'in 3 to 5 years (2030-2032)')
    """
    first, last = start - base, end - base
    if first <= 0:
        return f"within {last} year{'s' if last != 1 else ''} (by {end})"
    return f"in {first} to {last} years ({start}-{end})"


def _base_year(roadmap: pd.DataFrame) -> int:
    return int(roadmap.attrs.get("start_year", roadmap["start_year"].min()))


def _term_name(offset: int) -> str:
    for name, (first, last) in TERMS.items():
        if first <= offset <= last:
            return name.split(" (")[0]
    return "before the start year" if offset < 0 else "later than 10 years"


def roadmap_summary(roadmap: pd.DataFrame) -> str:
    """A plain sentence: how many actions each stream has, by term, the streams with none,
    and the actions whose lead is not yet chosen (owner :data:`NO_LEAD`). An action's term
    is that of its start, counted from the roadmap's start year (``.attrs["start_year"]``,
    else its earliest start).

    >>> roadmap_summary(roadmap_from_terms({"Audit": "short term", "Grant": "long term"},
    ...     streams={"Audit": "environmental", "Grant": "environmental"},
    ...     owners={"Audit": "Ministry", "Grant": "Bank"}, start_year=2026))
    'The roadmap has 2 actions from 2026: 2 environmental (1 short term, 1 long term). No
    action is planned in the industrial and regional development streams.'
    """
    later = _not_now_sentence(roadmap) if isinstance(roadmap, pd.DataFrame) else ""
    if isinstance(roadmap, pd.DataFrame) and len(roadmap) == 0:
        yet = "no action to start yet" if later else "no action yet"
        return f"The roadmap has {yet}: the {and_list(list(STREAMS))} streams have none.{later}"
    table = check_roadmap(roadmap)
    base = _base_year(table)
    terms = [_term_name(start - base) for start in table["start_year"]]
    parts = []
    for stream in STREAMS:
        chosen = [t for t, s in zip(terms, table["stream"], strict=True) if s == stream]
        if chosen:
            order = [name.split(" (")[0] for name in TERMS] + sorted(set(chosen))
            counts = [f"{chosen.count(t)} {t}" for t in dict.fromkeys(order) if t in chosen]
            parts.append(f"{len(chosen)} {stream} ({', '.join(counts)})")
    count = len(table)
    if later:  # every action, those not now too: "8 actions. 7 start from 2027: ..."
        every = count + len(not_now_actions(roadmap))
        text = f"The roadmap has {every} actions. {count} start{'s' * (count == 1)} from {base}: "
    else:
        text = f"The roadmap has {count} action{'s' if count > 1 else ''} from {base}: "
    text += ", ".join(parts) + "."
    empty = [s for s in STREAMS if s not in set(table["stream"])]
    if not empty:
        text += " Every stream has at least one action."
    else:
        plural = "streams" if len(empty) > 1 else "stream"
        text += f" No action is planned in the {and_list(empty)} {plural}."
    text += later
    open_leads = [f"'{a}'" for a, o in zip(table["action"], table["owner"], strict=True)
                  if o == NO_LEAD]  # fmt: skip
    if open_leads:
        text += f" Lead not yet chosen for {and_list(open_leads)}."
    return text


def _not_now_sentence(roadmap: pd.DataFrame) -> str:
    """A sentence naming the "not now" actions and their leads (with a space before it),
    such as " 1 action is 'not now': 'Grant' (lead: Bank)."; "" where none is."""
    later = not_now_actions(roadmap)
    if not later:
        return ""
    named = and_list(
        [f"'{a['action']}' ({a['owner'] if a['owner'] == NO_LEAD else 'lead: ' + a['owner']})"
         for a in later]
    )  # fmt: skip
    verb = "action is" if len(later) == 1 else "actions are"
    return f" {len(later)} {verb} 'not now': {named}."


def _stream_look(stream: str) -> dict[str, str]:
    """The colour and hatch of a stream: colour-blind-safe, and told apart without colour."""
    return {
        "facecolor": STREAM_COLOURS[stream],
        "hatch": STREAM_HATCHES[stream],
        "edgecolor": "white",
    }


@remembered
def roadmap_chart(roadmap: pd.DataFrame, *, title: str) -> Figure:
    """A timeline: one bar per action from the start of ``start_year`` to the end of
    ``end_year``, grouped by stream, coloured and hatched by stream, with the lead agency
    written beside the bar (in italics for an action whose lead is not yet chosen). Each
    year's label sits in the middle of its year, and shaded bands mark the short, medium and
    long term with their years: from 2027, the short term is 2027-2029.

    For a roadmap made from terms (``.attrs["starts_within"]``), a bar is the years in
    which the action should start, not a period that ends: an arrowhead after it says the
    action runs on, and the axis and the legend say so. The "not now" actions are not drawn
    (they have no start); :func:`roadmap_summary` names them."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(roadmap, pd.DataFrame) and len(roadmap) == 0:
        raise ValueError(
            "the roadmap has no action to draw; choose a term other than 'not now' for at "
            "least one action"
        )
    starts = bool(roadmap.attrs.get("starts_within"))
    table = check_roadmap(roadmap)
    base = _base_year(table)
    order = table["stream"].map({s: i for i, s in enumerate(STREAMS)})
    table = (
        table.assign(stream_order=order)
        .sort_values(["stream_order", "start_year", "end_year", "action"], kind="stable")
        .reset_index(drop=True)
    )
    # an action's whole name, on two lines if need be (cut short, "Capital grant for a
    # common..." no longer said what the action was)
    labels = [textwrap.fill(a, 30, max_lines=3, placeholder="...") for a in table["action"]]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(0.5 * len(table), 0.22 * lines + 0.2 * len(table)) + 2.4
    fig, ax = plt.subplots(figsize=(11, height), layout="constrained")
    first, last = int(table["start_year"].min()), int(table["end_year"].max()) + 1
    for shade, (name, (start, end)) in enumerate(TERMS.items()):
        if base + start < last and base + end + 1 > first:
            ax.axvspan(base + start, base + end + 1, color="0.5", alpha=0.06 + 0.06 * (shade % 2))
            where = {"transform": ax.get_xaxis_transform(), "va": "bottom", "color": "0.3"}
            # the term over its years, its years under its name: side by side, three years
            # apart, "medium term (2030-2032)" ran into "long term (2033-2037)"
            label = f"{name.split(' (')[0]}\n{base + start}-{base + end}"
            middle = (max(base + start, first) + min(base + end + 1, last)) / 2
            ax.text(middle, 1.0, label, fontsize="small", ha="center", **where)
    y = list(range(len(table)))[::-1]
    for row, position in zip(table.itertuples(index=False), y, strict=True):
        width = row.end_year - row.start_year + 1
        ax.barh(position, width, 0.6, left=row.start_year, **_stream_look(row.stream))
        after = row.end_year + 1
        if starts:  # it starts within the bar's years, and runs on after
            ax.plot(after + 0.15, position, marker=">", color="0.25", markersize=7)
            after += 0.3
        style = "italic" if row.owner == NO_LEAD else "normal"
        ax.annotate(
            f" {row.owner}", (after, position), va="center", fontsize="small",
            fontstyle=style,
        )  # fmt: skip
    ax.set_yticks(y, labels)
    ax.set_xlim(min(first, base) - 0.5, last + max(3, 0.4 * (last - first)))
    ax.set_ylim(-0.7, len(table) - 0.3)
    step = next(s for s in (1, 2, 5, 10, 20) if (last - first) / s <= 16)
    years = range(first - first % step, last, step)  # each label in the middle of its year
    ax.set_xticks([year + 0.5 for year in years], [str(year) for year in years])
    ax.set_xlabel("Year the action should start (a bar: the years in which it starts)"
                  if starts else "Year")  # fmt: skip
    ax.set_ylabel("Action")
    handles = [Patch(**_stream_look(s), label=f"{s.capitalize()} stream") for s in STREAMS]
    if starts:
        handles.append(
            Line2D([], [], marker=">", color="0.25", linestyle="none",
                   label="runs on after it starts")
        )  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize="small")
    ax.set_title(title, pad=30)
    return fig
