"""A table's frame as statistics offices publish it: a title above the header, a row of
units or a second header row under it, notes under the table.

:func:`eic.uploads.read_upload` reads a file's rows (a CSV file's lines, a sheet's rows)
and hands the non-empty ones here, each with its number in the file, to find the header
and the table's rows. What is left out is said, so the participant can check it; the row
numbers go on with the table (:func:`eic.table_cells.spreadsheet_rows`), so that every problem
is named by the row the participant's spreadsheet shows.

>>> header, body, notes = frame_rows([(1, ["Table 3.2 Employment, 2020"]),
...                                   (3, ["region", "employment"]), (4, ["North", 300])])
>>> header, body
(['region', 'employment'], [(4, ['North', 300])])
>>> notes  # doctest: +NORMALIZE_WHITESPACE
["row 1 above the header (row 3) looks like the table's title and was left out
('Table 3.2 Employment, 2020')"]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from eic.table_cells import is_blank


def frame_rows(
    records: Sequence[tuple[int, Sequence]], unit: str = "row"
) -> tuple[list, list[tuple[int, Sequence]], list[str]]:
    """The header row, the table's rows and what was said of the rest, from the non-empty
    rows of a file or sheet (each with its row, or line, number).

    Tables downloaded from a statistics office put a title above the header ("Table 3.2
    Employment by province, 2020") and notes under the table ("Source: Labour Force Survey
    2020"), each in a row of one cell. Where the table has rows of two cells or more:

    - rows of one cell above the first row of two or more (the header) are its title, and
      are left out (more than :data:`TITLE_ROWS` of them are refused);
    - a header on two rows, a heading over several columns ("Employment") with their own
      headings under it ("2015", "2020"), is read as one: each column's heading is the one
      under, else the one over. The second row is told from a row of the table by its first
      cell, which is empty, and by its headings, each under a heading over several columns
      (one whose next column's heading is empty);
    - a row right under the header whose every cell is in brackets ("(persons)", "[t/yr]")
      gives the columns' units, and is left out;
    - rows of one cell after the table's last row of two or more are notes, and are left
      out, when an empty row comes between or the first begins as notes do ("Source",
      "Note", "*", ...: :data:`NOTE_STARTS`). Otherwise they are kept as rows, so that a
      row whose numbers were not typed in is reported, not dropped.

    Each leaving out is said, with the first words of what was left out."""
    filled = [sum(not is_blank(cell) for cell in cells) for _, cells in records]
    notes: list[str] = []
    if max(filled) < 2:  # a table of one column: nothing to tell its title by
        return list(records[0][1]), list(records[1:]), notes
    head = next(i for i, count in enumerate(filled) if count >= 2)
    if head > TITLE_ROWS:  # too much above the table for a title
        header = f"{unit} {records[head][0]} ({_first_words(records[head][1])})"
        raise ValueError(
            f"the header seems to be {header}, under {head} {unit}s of text; delete the "
            f"{unit}s above the header, or copy the table alone into a new file, and upload "
            "it again"
        )
    if head:
        first, last = records[0][0], records[head - 1][0]
        notes.append(
            f"{_span(unit, first, last)} above the header ({unit} {records[head][0]}) "
            f"{'look' if last > first else 'looks'} like the table's title and "
            f"{'were' if last > first else 'was'} left out ({_first_words(records[0][1])})"
        )
    header, start = list(records[head][1]), head + 1
    if start < len(records) and (merged := _second_header_row(header, records[start][1])):
        notes.append(
            f"{unit}s {records[head][0]} and {records[start][0]} were read together as the "
            "header, as a heading over several columns has the columns' own headings under "
            f"it: {', '.join(repr(str(h).strip()) for h in merged if not is_blank(h))}"
        )
        header, start = merged, start + 1
    if start < len(records) and _units_row(records[start][1]):
        notes.append(
            f"{unit} {records[start][0]}, under the header, gives the columns' units "
            f"({_first_words(records[start][1])}) and was left out: check that the numbers are "
            "in the units the template asks for"
        )
        start += 1
    end = max(i for i, count in enumerate(filled) if count >= 2) + 1
    if end < len(records):
        after = records[end]
        apart = after[0] > records[end - 1][0] + 1
        if apart or _first_words(after[1]).strip("'").lower().startswith(NOTE_STARTS):
            first, last = after[0], records[-1][0]
            notes.append(
                f"{_span(unit, first, last)} under the table "
                f"{'look' if last > first else 'looks'} like notes and "
                f"{'were' if last > first else 'was'} left out ({_first_words(after[1])})"
            )
        else:
            end = len(records)
    return header, list(records[start:end]), notes


# rows of one cell above a header taken for its title, at most
TITLE_ROWS = 10
# how notes under a table begin, in the languages of the course's countries
NOTE_STARTS = (
    "source", "note", "*", "remark", "footnote", "data:", "prepared by", "compiled by",
    "资料来源", "資料來源", "来源", "來源", "注", "註", "说明", "說明", "出典", "出所", "備考",
    "자료", "출처", "주:", "주)", "sumber", "catatan", "keterangan", "ที่มา", "หมายเหตุ",
    "nguồn", "ghi chú", "pinagmulan", "tala", "sumber:", "nota",
)  # fmt: skip


def _second_header_row(header: Sequence, below: Sequence) -> list | None:
    """The headings of a header on two rows, ``header`` over ``below``, or None if
    ``below`` is not a second header row (see :func:`frame_rows`)."""
    width = max(len(header), len(below))
    over = [*header, *[None] * (width - len(header))]
    under = [*below, *[None] * (width - len(below))]
    filled = [i for i, cell in enumerate(under) if not is_blank(cell)]
    if not is_blank(under[0]) or _units_row(below):
        return None
    if not filled or not any(is_blank(over[i]) for i in filled):
        return None
    for column in filled:  # each under a heading that spans it and the next column at least
        spanning = [i for i in range(column + 1) if not is_blank(over[i])]
        if not spanning or spanning[-1] + 1 >= width or not is_blank(over[spanning[-1] + 1]):
            return None
    return [over[i] if is_blank(under[i]) else under[i] for i in range(width)]


def _units_row(cells: Sequence) -> bool:
    """Whether every filled cell of a row is in brackets, as units under a header are."""
    filled = [str(cell).strip() for cell in cells if not is_blank(cell)]
    return bool(filled) and all(re.fullmatch(r"[(\[（].*[)\]）]", text) for text in filled)


def _first_words(cells: Sequence) -> str:
    text = " ".join(str(cell).strip() for cell in cells if not is_blank(cell))
    return f"'{text[:80]}...'" if len(text) > 80 else f"'{text}'"


def _span(unit: str, first: int, last: int) -> str:
    return f"{unit} {first}" if first == last else f"{unit}s {first} to {last}"
