"""A table's cells, one column at a time: what a column must hold, and the check of its cells.

:class:`Column` says what one column of a table must hold: text or numbers, in which unit,
within which limits, from which allowed values, and whether a cell may be empty.
:func:`check_cells` checks a column's cells against it and says of each cell that cannot be
used what is wrong and how to fix it: an empty cell, text where a number goes (a mark that
published tables write for a number they do not give, :data:`NOT_GIVEN`, is said to be
one), a number out of bounds, a value not allowed (with the allowed one it looks like).
Each problem names its row as a spreadsheet numbers it (:func:`row_label`): the header is
row 1 and the first data row row 2, unless the file's own rows are known
(:func:`spreadsheet_rows`). A whole table, its headings, repeated rows and total row, is
checked by :func:`eic.tables.check_table`, which checks each of its columns here.

>>> problems = []
>>> check_cells(Column("employment", "number", unit="persons"), pd.Series([12, "twelve"]),
...             problems)
[12.0, nan]
>>> problems
["column 'employment' has text in row 3 ('twelve'); enter a number of persons"]
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
    ``also_called`` are headings (as the code spells them) that tables often give the column
    instead ("province" for "region"): a missing column suggests such a heading.
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
    also_called: tuple[str, ...] = ()


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


def short_text(value: object) -> str:
    """A cell's value as a message quotes it: at most 30 characters, cut with '...'."""
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def check_cells(
    column: Column, series: pd.Series, problems: list[str], skip: np.ndarray | None = None
) -> list[object]:
    """The clean values of a column's cells (``column`` says what they must be, and names
    the column in messages); each problem, with its row, is added to ``problems``, except in
    the rows ``skip`` marks (a total row, refused as a whole).

    Cells that are plainly fine are handled for the whole column at once; only the others
    (blank, text in a number column, an unknown value) are looked at one by one.
    """
    series = series.reset_index(drop=True)
    if column.kind == "number":
        return check_numbers(column, series, problems, skip)
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
                f"column '{column.name}' in {row_label(position)} is '{short_text(value)}', which "
                + (f"is not used here: {fix}" if fix else "is not known")
                + ("" if fix else f"; use one of: {', '.join(column.allowed)}")
            )
            continue
        # not at half alike: 'social' is half 'industrial', and is not a slip for it
        close = difflib.get_close_matches(value, column.allowed, n=1, cutoff=0.55)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(
            f"column '{column.name}' in {row_label(position)} is '{short_text(value)}', which is "
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


# a number written with a unit, a currency or a percent sign: "150 m3", "$15,000", "60%"
_MARKED = re.compile(r"([^\d]*?)\s*(\d(?:[\d.,\s]*\d)?)\s*(.*?)")
_MARKS = re.compile(r"[^\W\d_]|[%$\u20ac\u00a3\u00a5\u20b9\u20ab\u0e3f\u20a9\u20b1]")


# words and letters that multiply a number ("1.5M", "2 lakh", "3 juta", "4 triệu")
_TIMES = frozenset({
    "k", "m", "mn", "mil", "mio", "b", "bn", "thousand", "thousands", "million", "millions",
    "billion", "billions", "lakh", "lakhs", "lac", "crore", "crores", "ribu", "juta", "miliar",
    "nghìn", "ngàn", "triệu", "tỷ", "万", "億", "亿",
})  # fmt: skip


def _marks_hint(value: object) -> str:
    """For a number written with a unit or a sign beside it ("150 m3", "$15,000", "60%"),
    what to do about them; else nothing.

    >>> _marks_hint("150 m3")
    ": remove 'm3' from the cell and give the number in the column's unit"
    >>> _marks_hint("USD 1.5M"), _marks_hint("n/a")
    (": remove 'USD' and 'M' from the cell and give the number in the column's unit, written \
out ('M' multiplies it)", '')
    """
    found = _MARKED.fullmatch(str(value).strip())
    if not found:
        return ""
    marks = [part for part in (found.group(1).strip(), found.group(3).strip()) if part]
    if not marks or not all(_MARKS.search(part) for part in marks):
        return ""
    without = " and ".join(f"'{part}'" for part in marks)
    times = [part for part in marks if part.lower().rstrip(".") in _TIMES]
    # "1.5M" is not 1.5, and "15 kg" not 15 in a column of tonnes: the participant converts
    written_out = f", written out ('{times[0]}' multiplies it)" if times else ""
    return f": remove {without} from the cell and give the number in the column's unit{written_out}"


def _in_millions(column: Column, number: float) -> str:
    """For a column counted in millions, how a number typed in full is written there."""
    if "million" not in column.unit:
        return ""
    return f": the column counts millions, so {number:,.0f} is written {figure_text(number / 1e6)}"


def figure_text(value: float) -> str:
    """A number as it was written, with every digit it has and thousands grouped:
    ``540.5``, ``2,660``, ``0.125``."""
    return format(round(value, 9), ",.15g")


def check_numbers(
    column: Column, series: pd.Series, problems: list[str], skip: np.ndarray | None = None
) -> list[object]:
    """The numbers of a number column's cells, NaN where a cell is not a usable number;
    each problem is added to ``problems``, except in the rows ``skip`` marks, whose cells
    are only read (a total row's, as its numbers are compared with the others')."""
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
                f"('{short_text(value)}'); enter a number{unit}{given}{_marks_hint(value)}"
            )
            continue
        numbers[position] = number
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero((np.abs(numbers) > column.maximum) & checked)
    for position in huge:
        problems.append(
            f"column '{column.name}' in {row_label(position)} is "
            f"{figure_text(numbers[position])}, far beyond any real value{unit} (more than "
            f"{figure_text(column.maximum)}); check the unit and the decimal separator"
            f"{_in_millions(column, numbers[position])}"
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
