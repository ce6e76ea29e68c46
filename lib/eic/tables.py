"""Checking a table before it is analysed, with messages a participant can act on.

Every analysis in ``eic`` that takes a table (an employment table, a flow table, a firm
inventory, ...) first passes it through :func:`check_table`. Problems are collected, not
raised one at a time, so a participant fixing an uploaded file sees them all at once (a
module adds its own checks to them with :func:`table_problems`). Here the table as a
whole is checked: its headings matched to the columns it must have, its rows whose names
repeat, and a spreadsheet's total row, found whatever its name (:mod:`eic.table_totals`)
and said to be one, not checked as one more row; each column's cells are checked by
:mod:`eic.table_cells`, which says what a column holds (:class:`~eic.table_cells.Column`).
Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.

>>> import pandas as pd
>>> spec = [Column("sector", "text"), Column("employment", "number", unit="persons")]
>>> check_table(pd.DataFrame({"Sector": ["Textiles"], "employment": ["twelve"]}), spec,
...             what="employment table")
Traceback (most recent call last):
...
eic.tables.TableError: The employment table cannot be used:
- column 'employment' has text in row 2 ('twelve'); enter a number of persons
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eic.table_cells import (
    Column,
    check_cells,
    check_numbers,
    figure_text,
    is_blank,
    row_label,
    short_text,
)
from eic.table_totals import TOTAL_TOLERANCE, TotalRow, named_as_total, total_rows_in

MAX_PROBLEMS = 12


class TableError(ValueError):
    """A table that cannot be used; ``problems`` lists what is wrong and how to fix it."""

    def __init__(self, what: str, problems: Sequence[str]):
        self.what = what
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        lines = [f"The {what} cannot be used:"] + [f"- {p}" for p in shown]
        if more:
            lines.append(f"- ... and {more} more problem(s)")
        super().__init__("\n".join(lines))

    @property
    def listed(self) -> list[str]:
        """The problems as a participant is shown them: the first ``MAX_PROBLEMS``, then
        how many more there are."""
        more = len(self.problems) - MAX_PROBLEMS
        tail = [f"... and {more} more problem(s)"] if more > 0 else []
        return self.problems[:MAX_PROBLEMS] + tail


def normalise_name(name: object) -> str:
    """A column heading as the code spells it: 'Tonnes per year ' -> 'tonnes_per_year'."""
    text = str(name).strip().lower().lstrip("\ufeff")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass(frozen=True)
class Totals:
    """Where :func:`check_table` looks for a spreadsheet's total row
    (:mod:`eic.table_totals`): ``name`` is the column that names each row, ``columns``
    those whose numbers add up (a firm's effluent, not its COD concentration), and
    ``noun`` what one row is ("firm")."""

    name: str
    columns: tuple[str, ...]
    noun: str


def check_table(
    table: object,
    columns: Sequence[Column],
    *,
    what: str,
    key: Sequence[str] = (),
    totals: Totals | None = None,
) -> pd.DataFrame:
    """Check ``table`` against ``columns``; return a clean copy or raise :class:`TableError`.

    The copy has the columns' own names (headings are matched ignoring case, spaces and
    punctuation), numbers as floats, text stripped, and only the declared columns.
    ``key`` names columns whose combination must not repeat (names compared ignoring
    capitals). ``totals`` says how to find a spreadsheet's total row, which is refused as
    such (not for the cells a total leaves empty).
    """
    clean, problems = table_problems(table, columns, what=what, key=key, totals=totals)
    if problems:
        raise TableError(what, problems)
    return clean


def table_problems(
    table: object,
    columns: Sequence[Column],
    *,
    what: str,
    key: Sequence[str] = (),
    totals: Totals | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The clean copy :func:`check_table` makes, and every problem of every row, for a
    module to add its own checks to before it refuses the table: a cell that is not
    usable is NaN (or empty text) in the copy, and so are the cells of a total row.
    A table that cannot be checked at all (no rows, a column missing) raises
    :class:`TableError` at once."""
    if not isinstance(table, pd.DataFrame):
        raise TableError(what, [f"expected a table, got {type(table).__name__}"])
    if table.shape[1] == 0 or table.shape[0] == 0:
        raise TableError(what, ["the table has no rows; add at least one row under the header"])
    headings: dict[str, object] = {}
    problems: list[str] = []
    for heading in table.columns:
        name = normalise_name(heading)
        if name in headings:
            problems.append(f"two columns are both called '{name}'; rename or delete one")
        headings.setdefault(name, heading)
    wanted = [c.name for c in columns]
    spare = [h for h in headings if h not in wanted]
    for column in columns:
        if column.name in headings:
            continue
        close = _close_heading(column.name, spare, column.also_called)
        if column.optional:
            # a column the table may leave out, under another heading: left out without a
            # word, its numbers would silently not count (a COD column headed "COD (mg/l)")
            if close:
                problems.append(
                    f"column '{headings[close]}' is not read under that heading; if it is "
                    f"'{column.name}', give it that heading, or else delete the column"
                )
            continue
        hint = f"; is '{headings[close]}' meant to be '{column.name}'?" if close else ""
        problems.append(f"column '{column.name}' is missing{hint}")
    if problems:
        found = ", ".join(f"'{h}'" for h in table.columns)
        problems.append(f"the columns found were: {found}; the header row must name each column")
        raise TableError(what, problems)

    present = {c.name: table[headings[c.name]] for c in columns if c.name in headings}
    skip = np.zeros(len(table), dtype=bool)
    said = []
    if totals is not None:
        for found, column in _totals(present, {c.name: c for c in columns}, totals):
            skip[found.position] = True
            label = present[totals.name].iloc[found.position]
            said.append(_total_text(found, column, label, totals))
    clean = pd.DataFrame(index=range(len(table)))
    for column in columns:
        if column.name in present:
            clean[column.name] = check_cells(column, present[column.name], problems, skip)
            if skip.any():  # a total's cells are not used
                clean.loc[skip, column.name] = math.nan if column.kind == "number" else ""
    if key:
        problems.extend(_duplicates(clean, [k for k in key if k in clean], skip))
    if totals is not None and totals.name in present and problems:
        problems.extend(_named_totals(present[totals.name], skip, problems, totals))
    return clean, said + problems


def capital_spellings(
    clean: pd.DataFrame,
    columns: Sequence[str],
    noun: str,
    *,
    besides: Sequence[str] = (),
    plural: str | None = None,
) -> list[str]:
    """A problem for each name in ``columns`` of a checked table written differently only
    in capitals (once for each other spelling, where it first appears), names in
    ``besides`` (folded) left out. Such names are refused, not merged: they might be meant
    as two ``noun``s (``plural``, where it is not ``noun`` + "s"). :func:`check_table` has
    already made every run of spaces one space.

    >>> capital_spellings(pd.DataFrame({"region": ["Riau", "RIAU"]}), ["region"], "region")
    ["column 'region' in row 3 has 'RIAU' but column 'region' in row 2 has 'Riau': the names \
differ only in capital letters. Spell each region the same way in every row (if they are two \
regions, give them clearly different names)"]
    """
    first: dict[str, tuple[str, str]] = {}  # the name folded -> (as first written, where)
    problems, reported = [], set()
    for position in range(len(clean)):
        for column in columns:
            name = clean[column].iloc[position]
            if not isinstance(name, str) or not name or name.casefold() in besides:
                continue
            where = f"column '{column}' in {row_label(position)}"
            spelt, seen = first.setdefault(name.casefold(), (name, where))
            if spelt != name and name not in reported:
                reported.add(name)
                problems.append(
                    f"{where} has '{name}' but {seen} has '{spelt}': the names differ only in "
                    f"capital letters. Spell each {noun} the same way in every row (if they "
                    f"are two {plural or noun + 's'}, give them clearly different names)"
                )
    return problems


def _close_heading(name: str, headings: list[str], also_called: Sequence[str] = ()) -> str | None:
    """The heading among ``headings`` (as the code spells them) that looks like column
    ``name`` written another way ("cod_mg_l", "cod" for "cod_mg_per_l") or is another name
    for it (``also_called``: "province" for "region"), or None."""
    close = [h for h in headings if h in also_called][:1]
    close = close or difflib.get_close_matches(name, headings, n=1, cutoff=0.6)
    close = close or [h for h in headings if h and h.split("_")[0] == name.split("_")[0]]
    return close[0] if close else None


def _named_totals(
    names: pd.Series, skip: np.ndarray, problems: list[str], totals: Totals
) -> list[str]:
    """What to add for each row named as a total whose numbers do not add up the others
    (kept as an ordinary row: a firm may be called "Total") but which has problems of its
    own: an empty cell there is more likely left empty by a total than missing."""
    said = []
    for position, label in enumerate(names):
        if skip[position] or not named_as_total(label):
            continue
        row = re.compile(rf"\b{row_label(position)}\b")
        if any(row.search(problem) for problem in problems):
            said.append(
                f"{row_label(position)} ('{short_text(label)}') is named like a total, though its "
                "numbers are not the sum of the other rows: if it is the spreadsheet's total, "
                f"delete the row; if it is one more {totals.noun}, fill in its cells like the "
                "others"
            )
    return said


def _totals(
    present: dict[str, pd.Series], spec: dict[str, Column], totals: Totals
) -> list[tuple[TotalRow, str]]:
    """The total rows of a table's columns ``present``, each with the name of the column
    its message shows, read leniently (a cell that is not a number is NaN) before the
    cells are checked."""
    if totals.name not in present:
        return []
    adding = [c for c in totals.columns if c in present]
    if not adding:
        return []
    names = ["" if is_blank(v) else " ".join(str(v).split()) for v in present[totals.name]]
    numbers = np.column_stack(
        [check_numbers(spec[c], present[c].reset_index(drop=True), []) for c in adding]
    )
    return [(t, adding[t.column]) for t in total_rows_in(names, numbers)]


def _duplicates(table: pd.DataFrame, key: list[str], skip: np.ndarray) -> list[str]:
    """A problem for each row whose ``key`` repeats an earlier row's, names compared
    ignoring capitals (their runs of spaces are already one space); rows ``skip`` marks
    and rows with a key cell empty (said already) are left out."""
    if not key:
        return []
    folded = pd.DataFrame(
        {k: table[k].map(lambda v: v.casefold() if isinstance(v, str) else v) for k in key}
    )
    left_out = skip | folded.isna().any(axis=1).to_numpy() | folded.eq("").any(axis=1).to_numpy()
    repeated = np.flatnonzero(folded.duplicated(key, keep=False).to_numpy() & ~left_out)
    problems = []
    seen: dict[tuple, int] = {}
    for position in repeated:
        combination = tuple(folded.iloc[position])
        if combination not in seen:
            seen[combination] = position
            continue
        first = seen[combination]
        spelt, again = (tuple(table[key].iloc[p]) for p in (first, position))
        described = ", ".join(
            f"{k} '{v:g}'" if isinstance(v, float) else f"{k} '{v}'"
            for k, v in zip(key, spelt, strict=True)
        )
        if spelt == again:
            how = ""
        else:
            written = ", ".join(f"'{v}'" for v, w in zip(again, spelt, strict=True) if v != w)
            how = (
                f" ({row_label(position)} writes {written}: the names differ only in capital "
                "letters)"
            )
        problems.append(
            f"{row_label(first)} and {row_label(position)} repeat {described}{how}; keep one "
            "of them (or add them up), or if they are two, give them clearly different names"
            if how
            else f"{row_label(first)} and {row_label(position)} repeat {described}; keep one "
            "of them (or add them up)"
        )
    return problems


def sum_of_others(numbers: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """For each number of a 2-D array, the sum of the others along ``axis`` (0: the other
    rows of its column), and whether the number equals it within ``TOTAL_TOLERANCE``: where
    a row (or column) is a total of the others, every one of its numbers does."""
    others = numbers.sum(axis=axis, keepdims=True) - numbers
    return others, np.abs(numbers - others) <= TOTAL_TOLERANCE * np.abs(numbers)


def amount_text(value: float) -> str:
    """An amount as a message shows it: whole above 100 (``1,550,000``), else 3 digits
    (``0.25``)."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _total_text(found: TotalRow, column: str, label: object, totals: Totals) -> str:
    """What to say of a total row (:mod:`eic.table_totals`), showing its number in
    ``column``."""
    where = (
        f"{row_label(found.position)} (no {totals.name} given)"
        if is_blank(label)
        else f"{row_label(found.position)} ('{short_text(' '.join(str(label).split()))}')"
    )
    text = (
        f"{where} is the sum of the other rows ({column} {figure_text(found.value)}, "
        f"the others {figure_text(found.others)}): it looks like the spreadsheet's total. "
        f"Delete the row: counted as one more {totals.noun}, it would double the table's totals"
    )
    if not found.named:
        text += (
            f". If it really is one {totals.noun}, exactly the others together, move it to a "
            "row between them: a row not named as a total is taken for one only as the "
            "first or last row"
        )
    return text


def total_rows(table: pd.DataFrame, name: str, columns: Sequence[str], noun: str) -> list[str]:
    """What to say of each row of ``table`` (a checked table) that is a total of the other
    rows in ``columns`` (:mod:`eic.table_totals`): counted as one more ``noun`` (an
    "option", a "firm"), it would double the table's totals.

    >>> table = pd.DataFrame({"firm": ["Tannery", "Dye house", "Total"],
    ...                       "effluent_m3_per_day": [300, 100, 400]})
    >>> total_rows(table, "firm", ["effluent_m3_per_day"], "firm")  # doctest: +ELLIPSIS
    ["row 4 ('Total') is the sum of the other rows (effluent_m3_per_day 400, the others 400)...
    """
    totals = Totals(name, tuple(columns), noun)
    numbers = table[list(columns)].to_numpy(dtype=float)
    return [
        _total_text(t, columns[t.column], table[name].iloc[t.position], totals)
        for t in total_rows_in(table[name].tolist(), numbers)
    ]
