"""Numbers as spreadsheets write them in text ("1.234,5", "61,860", "90 000"), read safely.

Which mark is the decimal one is decided from the numbers themselves, never guessed:
"227,5" or "1.234,5" can only have a decimal comma, "0.5" or "1,234.5" only a decimal
point, and "15.000" or "61,180" could be either. A number that still reads two ways, with
nothing in its column or the file to settle it, is refused, naming its cell.
"""

from __future__ import annotations

import re

import pandas as pd

# NOT_GIVEN: what statistical tables write where a number is not given (not available,
# confidential, nil), never a label: a column of numbers with some of these is still read as
# numbers, and the module's check names just these cells
from eic.table_cells import NOT_GIVEN, row_label

# how a number may be written with a decimal point ("," groups thousands) or a decimal comma
_WITH_POINT = re.compile(r"(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
_WITH_COMMA = re.compile(r"\d+(,\d+)?([eE][+-]?\d+)?|[1-9]\d{0,2}(\.\d{3})+(,\d+)?")
# thousands grouped with a point ("1.200", "12.500.000"), which a decimal point reads too
_POINT_GROUPS = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")
_SPACE_GROUPS = re.compile(r"[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+([.,]\d+)?")


def _number_readings(cell: object) -> tuple[str | None, str | None] | None:
    """A cell as a plain number if its decimal mark is a point, and if it is a comma (None
    where it is not a number written that way); None for a cell that is no number at all.

    >>> _number_readings("15.000"), _number_readings("227,5"), _number_readings("1,234.5")
    (('15.000', '15000'), (None, '227.5'), ('1234.5', None))
    """
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):  # a number in a workbook's cell: no separators
        return str(cell), str(cell)
    text = str(cell).strip().replace("\u2212", "-")
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text.removeprefix("+"))
    if _SPACE_GROUPS.fullmatch(body):
        body = re.sub(r"[ \u00a0\u202f]", "", body)
    point = sign + body.replace(",", "") if _WITH_POINT.fullmatch(body) else None
    comma = sign + body.replace(".", "").replace(",", ".") if _WITH_COMMA.fullmatch(body) else None
    if point is None and comma is None:
        return None
    return point, comma


# The decimal mark a file separated so rarely uses that another column (of codes such as
# "13.30", say) does not decide it: a spreadsheet that separates columns with ';' writes
# decimal commas, and one that separates them with ',' a decimal point.
_UNUSUAL = {";": {"point"}, ",": {"comma"}}


def numbers_from_text(
    table: pd.DataFrame, *, separator: str | None
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Numbers written the way spreadsheets write them ("1.234,5", "61,860"), as plain
    numbers, with a note for each convention used, and the problems that stop it (when
    there are any, the table is not to be used).

    Which mark is the decimal one is decided from the numbers: "227,5" or "1.234,5" can
    only have a decimal comma, "0.5" or "1,234.5" only a decimal point. A column is decided
    by its own numbers, else by those of the other columns (unless they use the mark that
    the file's separator makes unusual), else, in a comma-separated file, the decimal point
    (a file with decimal commas separates its columns otherwise). Such a column whose
    numbers are written like thousands with a point ("1.200", "2.500") is read with decimal
    points all the same (1.2, 2.5), but a note says so, and how to write them if they are
    thousands: a factor of 1,000 must not pass unsaid.
    A number that still reads two ways ("15.000": 15 or 15000) is refused, naming its
    cell. A column is converted only when every cell in it is a number (or a mark of a
    number not given, such as ".."), so a label such as "3,4-dichloro" is left alone.
    """
    numeric = {}  # column -> (its filled cells, their readings)
    for column in table.columns:
        found = _column_readings(table[column].tolist())
        if found is not None:
            numeric[column] = found
    proven = set().union(*(_proof(readings) for _, readings in numeric.values()))
    problems: list[str] = []
    used: dict[str, dict[str, str]] = {"comma": {}, "point": {}}  # column -> an example
    # columns whose numbers all look like thousands with a point ("1.200") but are read
    # with a decimal point, as something other than the column itself says: an example
    points: dict[str, tuple[str, str, str]] = {}  # column -> (cell, as read, as thousands)
    why = ""
    table = table.copy()
    for column, (cells, readings) in numeric.items():
        own = _proof(readings)
        if len(own) > 1:
            problems.append(_mixed(column, cells, readings))
            continue
        said_by = ""
        if own:
            convention = own.pop()
        elif len(proven) == 1 and proven != _UNUSUAL.get(separator):
            convention = next(iter(proven))
            said_by = "the file's other columns write decimals that way"
        elif separator == "," and not proven:
            convention = "point"
            said_by = "a file separated by commas writes decimals that way"
        else:
            twofold = [
                (i, v, r)
                for (i, v), r in zip(cells, readings, strict=True)
                if float(r[0]) != float(r[1])
            ]
            if twofold:
                problems.append(_two_ways(column, twofold))
                continue
            convention = "point"  # every number reads the same either way
        pick = 0 if convention == "point" else 1
        if convention == "point" and said_by:
            like = [
                (str(value).strip(), point, comma)
                for (_, value), (point, comma) in zip(cells, readings, strict=True)
                if isinstance(value, str) and _POINT_GROUPS.fullmatch(value.strip())
                and point is not None and comma is not None
            ]  # fmt: skip
            if like:
                points[str(column)] = like[0]
                why = why or said_by
        values = table[column].tolist()
        for (position, value), reading in zip(cells, readings, strict=True):
            if isinstance(value, str) and reading[pick] != value.strip():
                values[position] = reading[pick]
                if re.search(r"\d[,. \u00a0\u202f]\d", value):
                    example = f"'{value.strip()}' as {reading[pick]}"
                    used[convention].setdefault(str(column), example)
        table[column] = pd.Series(values, index=table.index, dtype=object)
    notes = []
    for convention, columns in used.items():
        if columns:
            kind = "decimal commas" if convention == "comma" else "thousands separators"
            notes.append(
                f"numbers with {kind} were read as numbers in {', '.join(columns)} (for "
                f"example {next(iter(columns.values()))})"
            )
    if points:
        value, point, comma = next(iter(points.values()))
        notes.append(
            f"numbers written like '{value}' in {', '.join(points)} were read with a decimal "
            f"point, as {float(point):.15g}, since {why}; if they are thousands "
            f"({float(comma):,.15g}), write them without the point ({float(comma):.15g}) and "
            "upload the file again"
        )
    return table, notes, problems


def _column_readings(values: list) -> tuple[list, list] | None:
    """The filled cells of a column and their readings, if some are text and all are
    numbers (or marks of a number not given, :data:`NOT_GIVEN`, left out); None otherwise
    (the module's check then looks at the column)."""
    cells, readings, known = [], [], {}
    for position, value in enumerate(values):
        if _empty(value) or (isinstance(value, str) and value.strip().lower() in NOT_GIVEN):
            continue
        if isinstance(value, str):
            if value not in known:
                known[value] = _number_readings(value)
            reading = known[value]
        else:
            reading = _number_readings(value)
        if reading is None:
            return None
        cells.append((position, value))
        readings.append(reading)
    return (cells, readings) if known else None


def _proof(readings: list[tuple[str | None, str | None]]) -> set[str]:
    """The decimal marks some of these numbers can only have been written with."""
    marks = set()
    for point, comma in readings:
        if point is None or comma is None:
            marks.add("point" if comma is None else "comma")
    return marks


def _cell_list(cells: list[tuple[int, object]]) -> str:
    named = [f"{row_label(position)} ('{value}')" for position, value in cells[:3]]
    more = f" and {len(cells) - 3} more" if len(cells) > 3 else ""
    return ", ".join(named) + more


def _two_ways(column: object, twofold: list[tuple[int, object, tuple]]) -> str:
    _, example, (point, comma) = twofold[0]
    mark = "," if "," in str(example) else "."
    grouped, decimal = (point, comma) if mark == "," else (comma, point)
    return (
        f"column '{column}' has numbers that can be read two ways: "
        f"{_cell_list([(i, v) for i, v, _ in twofold])}; '{str(example).strip()}' is "
        f"{float(grouped):.15g} if its '{mark}' is a thousands separator, or "
        f"{float(decimal):.15g} if it marks decimals, and nothing else in the file says which. "
        "Remove the thousands separators from these numbers (in Excel: select the column, "
        "Format Cells > Number, untick 'Use 1000 Separator'), save and upload it again"
    )


def _mixed(column: object, cells: list[tuple[int, object]], readings: list) -> str:
    point = [c for c, (p, m) in zip(cells, readings, strict=True) if m is None and p is not None]
    comma = [c for c, (p, m) in zip(cells, readings, strict=True) if p is None and m is not None]
    return (
        f"column '{column}' writes numbers in two ways: with a decimal point in "
        f"{_cell_list(point)}, with a decimal comma in {_cell_list(comma)}; write them all "
        "the same way (for example 2.5 everywhere, or 2,5 everywhere) and upload it again"
    )


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()
