"""Reading an uploaded Excel workbook (``.xlsx``, or ``.xls`` from Excel 97-2003): which
sheet holds the table, and its rows.

:func:`eic.uploads.read_upload` hands a workbook here. A workbook is read with its values
as Excel last calculated them (not its formulas); hidden sheets (lookups, settings) are
neither read by default nor offered; rows hidden in an ``.xlsx`` (by hand, or by a filter:
a participant means the rows they see) are left out, and a note names them; dates become
ISO text (``2024-03-31``). Statistical
offices still publish many tables as ``.xls``, so those are read too (with xlrd), the same
way. An encrypted workbook is told apart from an old ``.xls`` one by the names inside its
container (:func:`ole_stream_names`), so it is refused with the right fix. openpyxl and
xlrd are imported only here, when a workbook arrives.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

import pandas as pd

from eic.table_frames import TITLE_ROWS, frame_rows
from eic.uploads import (
    HOW_TO_SAVE,
    MAX_ROWS,
    OLE_START,
    ReadTable,
    UploadError,
    checked_headings,
    too_many_rows,
)

PROTECTED = (
    "the file is protected by a password, so it cannot be read here; remove the password in "
    "Excel (File > Info > Protect Workbook > Encrypt with Password, clear the password and "
    "press OK), save, and upload it again"
)


@dataclass
class _Book:
    """An opened workbook of either kind: its sheets' names, the visible ones, and each
    sheet's rows of cell values (Python numbers, text, dates, or None)."""

    sheets: list[str]
    visible: list[str]
    rows: Callable[[str], Iterator[tuple]]
    close: Callable[[], None] = lambda: None
    # the numbers of a sheet's rows hidden in Excel, by hand or by a filter
    hidden: Callable[[str], set[int]] = lambda sheet: set()


def read_workbook(content: bytes, name: str, sheet: str | None) -> ReadTable:
    """The table on a workbook's sheet (``sheet``, or the one :func:`_default_sheet` picks),
    as cells; an :class:`UploadError` naming the fix for an encrypted or a damaged
    workbook, a missing or empty sheet, or a header row with a heading twice."""
    if content.startswith(OLE_START) and "EncryptedPackage" in ole_stream_names(content):
        raise UploadError(name, [PROTECTED])
    book = _open_xls(content, name) if content.startswith(OLE_START) else _open_xlsx(content, name)
    sheets = book.visible
    chosen = sheet
    try:
        if sheet is not None and sheet not in book.sheets:
            chosen = None
            raise UploadError(
                name, [f"it has no sheet called '{sheet}'; its sheets are {', '.join(sheets)}"]
            )
        chosen = sheet or _default_sheet(book, sheets)
        if chosen is None:
            hidden = [s for s in book.sheets if s not in sheets]
            unhide = (
                f"; its hidden sheets ({', '.join(hidden)}) are not read: unhide the one with "
                "your table (in Excel, right-click a sheet's tab > Unhide) and save"
                if hidden
                else ""
            )
            visible = "visible " if hidden else ""
            raise UploadError(name, [f"every {visible}sheet of the workbook is empty{unhide}"])
        rows, hidden = _sheet_rows(book, chosen, name)
    except UploadError as err:
        raise UploadError(name, err.problems, sheets=sheets, sheet=chosen) from None
    except Exception:  # a sheet of a damaged workbook fails only when it is read
        raise UploadError(
            name,
            [f"a sheet of it cannot be read: the workbook may be damaged; {HOW_TO_SAVE}"],
            sheets=sheets,
        ) from None
    finally:
        book.close()
    if not rows:
        raise UploadError(
            name,
            [f"sheet '{chosen}' is empty; choose the sheet with your table"],
            sheets=sheets,
            sheet=chosen,
        )
    try:
        header, body, framed = frame_rows(rows)
    except ValueError as err:
        raise UploadError(name, [f"sheet '{chosen}': {err}"], sheets=sheets, sheet=chosen) from None
    notes = [f"read sheet '{chosen}' ({len(sheets)} sheets in the workbook)"]
    if len(sheets) == 1:
        notes = []
    notes += framed
    if hidden:
        notes.append(_hidden_note(hidden))
    headings = ["" if cell is None else str(cell).strip() for cell in header]
    try:
        columns = checked_headings(headings)
    except UploadError as err:
        raise UploadError(
            name, [f"sheet '{chosen}': {p}" for p in err.problems], sheets=sheets, sheet=chosen
        ) from None
    table = pd.DataFrame([cells for _, cells in body], columns=columns, dtype=object)
    numbers = [number for number, _ in body]
    return ReadTable(table, name, sheets=sheets, sheet=chosen, notes=notes, rows=numbers)


def _default_sheet(book: _Book, sheets: list[str]) -> str | None:
    """The sheet read when none is chosen: one called "data", else the first that holds a
    table (a header and at least one row, one of them of two cells or more: a sheet of
    notes, a line to a row, is not one), else the first that holds anything."""
    order = sorted(sheets, key=lambda s: s.strip().lower() != "data")
    first_filled = None
    for candidate in order:
        filled, wide = 0, False
        for row in book.rows(candidate):
            cells = sum(_cell(value) is not None for value in row)
            filled += cells > 0
            wide = wide or cells >= 2
            if filled >= 2 and wide:
                return candidate
        if filled and first_filled is None:
            first_filled = candidate
    return first_filled


def _sheet_rows(book: _Book, sheet: str, name: str) -> tuple[list[tuple[int, tuple]], list[int]]:
    """The sheet's rows that hold something and are shown, each with its row number, all as
    wide as the widest; and the numbers of the rows that hold something but are hidden in
    Excel (by hand or by a filter), left out: a participant who hides a row, or filters
    the table, means the rows they see."""
    rows, left_out = [], []
    hidden = book.hidden(sheet)
    for number, row in enumerate(book.rows(sheet), start=1):
        if len(rows) > MAX_ROWS + TITLE_ROWS + 3:
            raise UploadError(name, [f"sheet '{sheet}': {too_many_rows()}"])
        cells = tuple(_cell(value) for value in row)
        if any(cell is not None for cell in cells):
            (left_out if number in hidden else rows).append((number, cells))
    if not rows:
        return [], []
    width = max(len(row) for _, row in rows)
    return [(number, row + (None,) * (width - len(row))) for number, row in rows], [
        number for number, _ in left_out
    ]


def _hidden_note(numbers: list[int]) -> str:
    listed = ", ".join(str(n) for n in numbers[:8]) + (" ..." if len(numbers) > 8 else "")
    rows = f"rows {listed} ({len(numbers)} rows)" if len(numbers) > 1 else f"row {listed}"
    return (
        f"{rows} of the sheet, hidden in Excel (by hand or by a filter), "
        f"{'were' if len(numbers) > 1 else 'was'} left out; to use "
        f"{'them' if len(numbers) > 1 else 'it'}, unhide (select the rows around, right-click "
        "> Unhide) or clear the filter, save, and upload again"
    )


def hidden_xlsx_rows(content: bytes, path: str | None) -> set[int]:
    """The numbers of the rows a worksheet of an ``.xlsx`` file (its part ``path`` in the
    file) marks hidden; none when the part cannot be read (the rows are then all read)."""
    if not path:
        return set()
    hidden, number = set(), 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(path) as part:
            for _, element in ElementTree.iterparse(part):
                if element.tag.rpartition("}")[2] != "row":
                    continue
                number = int(element.get("r") or number + 1)
                if element.get("hidden") in ("1", "true"):
                    hidden.add(number)
                element.clear()
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return set()
    return hidden


def _open_xlsx(content: bytes, name: str) -> _Book:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise UploadError(
            name,
            [
                "it cannot be opened as an Excel workbook (.xlsx): it may be damaged, "
                f"protected by a password, or another kind of file renamed; {HOW_TO_SAVE}"
            ],
        ) from None
    return _Book(
        sheets=[s.title for s in book.worksheets],
        visible=[s.title for s in book.worksheets if s.sheet_state == "visible"],
        rows=lambda sheet: book[sheet].iter_rows(values_only=True),
        close=book.close,
        # read-only openpyxl does not read which rows are hidden: the sheet's own part does
        hidden=lambda sheet: hidden_xlsx_rows(
            content, getattr(book[sheet], "_worksheet_path", None)
        ),
    )


_NOT_XLS = (
    "it cannot be opened as an Excel 97-2003 workbook (.xls): it may be damaged or another "
    f"kind of file renamed; {HOW_TO_SAVE}"
)


def _open_xls(content: bytes, name: str) -> _Book:
    """An Excel 97-2003 workbook: numbers that are whole come as int (as openpyxl gives
    them), dates as datetimes, error cells as Excel shows them (``#N/A``)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content)
    except xlrd.XLRDError as err:
        if "encrypted" not in str(err).lower():
            raise UploadError(name, [_NOT_XLS]) from None
        raise UploadError(name, [PROTECTED]) from None
    except Exception:  # xlrd raises many kinds for a damaged or foreign file
        raise UploadError(name, [_NOT_XLS]) from None

    def cell(kind: int, value: object) -> object:
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_NUMBER and float(value).is_integer():
            return int(value)
        if kind == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(value, book.datemode)
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(value, "#ERROR")
        return value

    def rows(sheet: str) -> Iterator[tuple]:
        found = book.sheet_by_name(sheet)
        for number in range(found.nrows):
            yield tuple(map(cell, found.row_types(number), found.row_values(number)))

    sheets = book.sheets()
    return _Book(
        sheets=[s.name for s in sheets],
        visible=[s.name for s in sheets if s.visibility == 0],
        rows=rows,
        close=book.release_resources,
    )


def _cell(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def ole_stream_names(content: bytes) -> set[str]:
    """The names in the directory of an OLE compound file ([MS-CFB]): the container of old
    Office files ("Workbook" in an .xls) and of encrypted new ones ("EncryptedPackage").
    An empty set when the directory cannot be followed."""
    try:
        size = 1 << struct.unpack_from("<H", content, 30)[0]
        if size not in (512, 4096):
            return set()

        def sector(number: int) -> bytes:
            block = content[(number + 1) * size : (number + 2) * size]
            if len(block) != size:
                raise ValueError("the file ends inside a sector")
            return block

        fat: list[int] = []
        for number in struct.unpack_from("<109I", content, 76):  # enough for 7 MB files
            if number < 0xFFFFFFFA:
                fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
        names: set[str] = set()
        number, seen = struct.unpack_from("<I", content, 48)[0], set()
        while number < len(fat) and number not in seen:
            seen.add(number)
            block = sector(number)
            for entry in range(0, size, 128):
                length = struct.unpack_from("<H", block, entry + 64)[0]
                if 2 <= length <= 64:
                    names.add(block[entry : entry + length - 2].decode("utf-16-le", "replace"))
            number = fat[number]
        return names
    except (struct.error, ValueError):
        return set()
