"""Checking a table before it is analysed, with messages a participant can act on.

Every analysis in ``eic`` that takes a table (an employment table, a flow table, a firm
inventory, ...) first passes it through :func:`check_table`. Problems are collected, not
raised one at a time, so a participant fixing an uploaded file sees them all at once (a
module adds its own checks to them with :func:`table_problems`). A spreadsheet's total row
is found whatever its name (:mod:`eic.table_totals`) and said to be one, not checked as one
more row.
Rows are numbered as in a spreadsheet: the header is row 1, the first data row is row 2.

>>> import pandas as pd
>>> spec = [Column("sector", "text"), Column("employment", "number", unit="persons")]
>>> check_table(pd.DataFrame({"Sector": ["Textiles"], "employment": ["12 t"]}), spec,
...             what="employment table")
Traceback (most recent call last):
...
eic.tables.TableError: The employment table cannot be used:
- column 'employment' has text in row 2 ('12 t'); enter a number of persons
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

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


@dataclass(frozen=True)
class Column:
    """One column a table must have.

    ``kind`` is "text" or "number"; ``unit`` is said in messages ("a number of persons");
    ``minimum`` is the smallest number allowed (None for no limit) and ``maximum`` the
    largest in size (a value beyond 10^15 is a typing or unit slip in any table of this
    course, and would overflow the sums); ``allowed`` lists the
    only values a text column may take; ``optional`` columns may be absent;
    ``allow_blank`` lets cells be empty (an unknown quantity). An allowed value may be
    written in other capitals, except those in ``exact_case`` (ML/day, megalitres, is not
    ml/day). ``advice``, for a column with ``allowed`` values, says how to fix a value that
    is not allowed (how to convert another unit, say), or None; a column with ``advice``
    never suggests a look-alike value, which for a unit could be another scale or quantity.
    """

    name: str
    kind: Literal["text", "number"]
    unit: str = ""
    minimum: float | None = 0.0
    maximum: float = 1e15
    allowed: tuple[str, ...] | None = None
    optional: bool = False
    allow_blank: bool = False
    exact_case: tuple[str, ...] = ()
    advice: Callable[[str], str | None] | None = None


def normalise_name(name: object) -> str:
    """A column heading as the code spells it: 'Tonnes per year ' -> 'tonnes_per_year'."""
    text = str(name).strip().lower().lstrip("\ufeff")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


# the spreadsheet row of each data row of the table being checked, where the file said
# (a title above its header, blank rows between): set by spreadsheet_rows
_ROWS: contextvars.ContextVar[Sequence[int] | None] = contextvars.ContextVar(
    "spreadsheet_rows", default=None
)


@contextlib.contextmanager
def spreadsheet_rows(rows: Sequence[int]) -> Iterator[None]:
    """Within the ``with``, :func:`row_label` names the data row at position ``i`` as the
    file's row ``rows[i]`` (as :class:`eic.uploads.ReadTable` gives them); an empty
    ``rows`` leaves the usual numbering."""
    token = _ROWS.set(list(rows) or None)
    try:
        yield
    finally:
        _ROWS.reset(token)


def row_label(position: int) -> str:
    """The spreadsheet row of the data row at ``position`` (0-based): the header is row 1,
    unless the rows of the file being checked are known (:func:`spreadsheet_rows`)."""
    rows = _ROWS.get()
    if rows is not None and 0 <= position < len(rows):
        return f"row {rows[position]}"
    return f"row {position + 2}"


def is_blank(value: object) -> bool:
    """Whether a cell is empty: None, NaN, or nothing but spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _as_number(value: object) -> float | None:
    """The value as a finite float, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u2212", "-")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
            return None
        number = float(text)
    return number if math.isfinite(number) else None


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


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
        if column.name in headings or column.optional:
            continue
        close = (
            difflib.get_close_matches(column.name, spare, n=1, cutoff=0.6)
            or [h for h in spare if h and h.split("_")[0] == column.name.split("_")[0]][:1]
        )
        hint = f"; is '{headings[close[0]]}' meant to be '{column.name}'?" if close else ""
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
            clean[column.name] = _check_column(column, present[column.name], problems, skip)
            if skip.any():  # a total's cells are not used
                clean.loc[skip, column.name] = math.nan if column.kind == "number" else ""
    if key:
        problems.extend(_duplicates(clean, [k for k in key if k in clean], skip))
    if totals is not None and totals.name in present and problems:
        problems.extend(_named_totals(present[totals.name], skip, problems, totals))
    return clean, said + problems


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
                f"{row_label(position)} ('{_short(label)}') is named like a total, though its "
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
        [_check_numbers(spec[c], present[c].reset_index(drop=True), []) for c in adding]
    )
    return [(t, adding[t.column]) for t in total_rows_in(names, numbers)]


def check_cells(column: Column, series: pd.Series, problems: list[str]) -> list[object]:
    """The clean values of a column's cells (``column`` says what they must be, and names
    the column in messages); each problem, with its row, is added to ``problems``."""
    return _check_column(column, series, problems)


def _check_column(
    column: Column, series: pd.Series, problems: list[str], skip: np.ndarray | None = None
) -> list[object]:
    """The column's clean values; each problem is added to ``problems``, except in the
    rows ``skip`` marks (a total row, refused as a whole).

    Cells that are plainly fine are handled for the whole column at once; only the others
    (blank, text in a number column, an unknown value) are looked at one by one.
    """
    series = series.reset_index(drop=True)
    if column.kind == "number":
        return _check_numbers(column, series, problems, skip)
    missing = series.isna().to_numpy()
    strings = pd.Series(
        ["" if gone else str(v) for v, gone in zip(series.tolist(), missing, strict=True)],
        dtype=object,
    )
    text = strings.str.split().str.join(" ")
    blank = missing | text.eq("").to_numpy()
    out = text.where(~blank, "").tolist()
    checked = np.ones(len(series), dtype=bool) if skip is None else ~skip
    for position in np.flatnonzero(blank & checked):
        if not column.allow_blank:
            problems.append(f"column '{column.name}' in {row_label(position)} is empty; fill it in")
    if column.allowed is None:
        return out
    unknown = np.flatnonzero(~blank & checked & ~text.isin(column.allowed).to_numpy())
    lowered = {a.lower(): a for a in column.allowed if a not in column.exact_case}
    for position in unknown:
        value = out[position]
        if value.lower() in lowered:
            out[position] = lowered[value.lower()]
            continue
        if column.advice is not None:
            fix = column.advice(value)
            problems.append(
                f"column '{column.name}' in {row_label(position)} is '{_short(value)}', which "
                + (f"is not used here: {fix}" if fix else "is not known")
                + ("" if fix else f"; use one of: {', '.join(column.allowed)}")
            )
            continue
        # not at half alike: 'social' is half 'industrial', and is not a slip for it
        close = difflib.get_close_matches(value, column.allowed, n=1, cutoff=0.55)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(
            f"column '{column.name}' in {row_label(position)} is '{_short(value)}', which is "
            f"not known{hint}; use one of: {', '.join(column.allowed)}"
        )
    return out


# what statistical tables write where a number is not given ("..", "-", "x"): said so
NOT_GIVEN = frozenset(
    {"..", "...", "…", "-", "–", "—", "x", "n/a", "na", "n.a.", "*", ":", "(na)", "nil"}
)
_NOT_GIVEN_HINT = (
    ", as published tables mark a number they do not give: find the number, enter 0 if the "
    "mark means none, or leave the row out"
)


def _check_numbers(
    column: Column, series: pd.Series, problems: list[str], skip: np.ndarray | None = None
) -> list[object]:
    unit = f" of {column.unit}" if column.unit else ""
    if pd.api.types.is_bool_dtype(series):
        odd = np.ones(len(series), dtype=bool)
        numbers = np.full(len(series), math.nan)
    else:
        numbers = np.array(pd.to_numeric(series, errors="coerce"), dtype=float)
        odd = ~np.isfinite(numbers)
        if series.dtype == object:
            odd |= series.map(type).eq(bool).to_numpy()
    checked = np.ones(len(series), dtype=bool) if skip is None else ~skip
    for position in np.flatnonzero(odd):
        value = series.iloc[position]
        numbers[position] = math.nan
        said = problems if checked[position] else []  # a total's cells are only read
        if is_blank(value):
            if not column.allow_blank:
                said.append(f"column '{column.name}' in {row_label(position)} is empty; fill it in")
            continue
        number = _as_number(value)
        if number is None:
            given = _NOT_GIVEN_HINT if str(value).strip().lower() in NOT_GIVEN else ""
            said.append(
                f"column '{column.name}' has text in {row_label(position)} "
                f"('{_short(value)}'); enter a number{unit}{given}"
            )
            continue
        numbers[position] = number
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero((np.abs(numbers) > column.maximum) & checked)
    for position in huge:
        problems.append(
            f"column '{column.name}' in {row_label(position)} is {numbers[position]:g}, far "
            f"beyond any real value{unit} (more than {column.maximum:g}); check the unit and "
            "the decimal separator"
        )
        numbers[position] = math.nan
    if column.minimum is not None:
        with np.errstate(invalid="ignore"):
            low = np.flatnonzero((numbers < column.minimum) & checked)
        for position in low:
            problems.append(
                f"column '{column.name}' in {row_label(position)} is {numbers[position]:g}; it "
                f"cannot be below {column.minimum:g}"
                f"{' (a negative quantity)' if column.minimum == 0 else ''}"
            )
    return numbers.tolist()


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


def figure_text(value: float) -> str:
    """A number as it was written, with every digit it has and thousands grouped:
    ``540.5``, ``2,660``, ``0.125``."""
    return format(round(value, 9), ",.15g")


def _total_text(found: TotalRow, column: str, label: object, totals: Totals) -> str:
    """What to say of a total row (:mod:`eic.table_totals`), showing its number in
    ``column``."""
    where = (
        f"{row_label(found.position)} (no {totals.name} given)"
        if is_blank(label)
        else f"{row_label(found.position)} ('{_short(' '.join(str(label).split()))}')"
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
