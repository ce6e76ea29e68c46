"""Reading a participant's own table: a CSV or Excel file, checked, previewed and kept.

A file uploaded in a "use your own data" panel goes through three steps here:

1. :func:`read_upload` turns its bytes into a table of text cells. It finds the file's
   kind (CSV, or an Excel workbook, ``.xlsx`` or the older ``.xls``) from its name and its
   first bytes (a website's ``.xls`` or a renamed CSV that is really text is read as text;
   an OpenDocument ``.ods`` is refused with how to save it as ``.xlsx``), the text encoding
   (UTF-8, UTF-16, or the older Windows encoding of a Western, Chinese, Japanese, Korean,
   Thai or Vietnamese computer that saved it: :data:`WINDOWS_ENCODINGS`, the one whose
   reading of the letters is sensible text, :mod:`eic.text_encodings`; a file that more
   than one reads sensibly, or none, is refused), the column separator (comma, semicolon,
   tab or bar),
   and whether numbers use decimal commas, from the numbers themselves: "227,5" or
   "1.234,5" can only have a decimal comma, "0.5" or "1,234.5" only a decimal point.
   A number that reads two ways ("15.000", "61,180") with nothing in the file to settle
   it is refused, never guessed. Whatever it cannot read is refused with an
   :class:`UploadError` that says what is wrong and how to fix it; whatever it had to
   guess is reported in plain words (``ReadTable.notes``).
   The header is found among a published table's title, units row and notes
   (:mod:`eic.table_frames`), and each row keeps its number in the file for messages.
2. The module's own check (for example :func:`eic.clusters.check_employment`) checks the
   columns, numbers and units, naming the row, the column and the fix for each problem.
3. :class:`eic.own_tables.OwnDataFile` saves the checked table beside the module's answers,
   written to a temporary file and moved into place in one step, so a restart finds it and
   the country report can use it. A refused upload never touches the saved table.

Files larger than :data:`MAX_UPLOAD_BYTES` or longer than :data:`MAX_ROWS` rows are
refused: the course's analyses are meant for one cluster, not a national register. The
templates a participant fills in are made by :mod:`eic.table_templates`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eic.spreadsheet_numbers import numbers_from_text
from eic.table_cells import spreadsheet_rows
from eic.table_frames import TITLE_ROWS, frame_rows
from eic.text_encodings import WINDOWS_ENCODINGS, Reading, choose_reading

MAX_UPLOAD_BYTES = 2_000_000
MAX_ROWS = 20_000
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ACCEPT = ",".join(CSV_SUFFIXES + EXCEL_SUFFIXES)
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
HOW_TO_SAVE = (
    "in Excel, use File > Save As and choose 'CSV UTF-8 (Comma delimited)' or "
    "'Excel Workbook (.xlsx)'"
)

ZIP_START = b"PK\x03\x04"  # .xlsx
OLE_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), and encrypted .xlsx


class UploadError(ValueError):
    """A file that cannot be read as a table; ``problems`` says why and what to do.

    For a workbook, ``sheet`` is the sheet that was read and ``sheets`` those that can be
    chosen instead.
    """

    def __init__(
        self,
        name: str,
        problems: Sequence[str],
        *,
        sheets: Sequence[str] = (),
        sheet: str | None = None,
    ):
        self.name = name
        self.problems = list(problems)
        self.sheets = list(sheets)
        self.sheet = sheet
        super().__init__(f"'{name}' cannot be used: " + "; ".join(self.problems))


@dataclass
class ReadTable:
    """A table read from a file, with what had to be worked out to read it."""

    table: pd.DataFrame
    name: str
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    # the file's row (a CSV file's line) of each of the table's rows, for messages
    # (eic.table_cells.spreadsheet_rows)
    rows: list[int] = field(default_factory=list)


def size_text(size: int) -> str:
    """A file size in words: ``1_500_000`` -> ``'1.5 MB'``."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"


def read_upload(content: bytes, name: str, *, sheet: str | None = None) -> ReadTable:
    """Read an uploaded CSV file or Excel workbook into a table of cells.

    Cells stay as read (text, or numbers from Excel): the module's check converts and
    checks them, so that a problem is reported against the row and column the participant
    sees. ``sheet`` picks a sheet of a workbook; by default a sheet called "data", else the
    first visible sheet that holds a table (a header and a row), else the first that holds
    anything. Hidden sheets are read only when asked for by name.

    >>> read_upload(b"firm;flow\\nA;1,5\\n", "mine.csv").table.to_dict("records")
    [{'firm': 'A', 'flow': '1.5'}]
    """
    name = str(name) or "the file"
    content = bytes(content)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadError(
            name,
            [
                f"it is {size_text(len(content))}, more than the limit of "
                f"{size_text(MAX_UPLOAD_BYTES)}; keep only the rows and columns the template "
                "asks for (one cluster, not a whole register), or split it"
            ],
        )
    if not content.strip():
        raise UploadError(name, ["the file is empty; put the header row and your rows in it"])
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES and not content.startswith((OLE_START, ZIP_START)):
        return _disguised_text(content, name, suffix)
    if content.startswith(ZIP_START) and _opendocument(content):
        raise UploadError(name, [OPEN_DOCUMENT])
    if content.startswith((OLE_START, ZIP_START)) or suffix in EXCEL_SUFFIXES:
        # eic.workbooks imports openpyxl, which is slow to import and which CSV does not need
        from eic.workbooks import read_workbook

        read = read_workbook(content, name, sheet)
        try:
            read.table, read.rows = _tidy(
                read.table, read.rows, name, where=f"sheet '{read.sheet}'"
            )
            read.table, converted = _read_numbers(read.table, read.rows, separator=None)
        except UploadError as err:
            raise UploadError(name, err.problems, sheets=read.sheets, sheet=read.sheet) from None
        read.notes.extend(converted)
        return read
    if suffix in CSV_SUFFIXES or not suffix:
        read = _read_csv(content, name)
    else:
        raise UploadError(
            name,
            [
                f"files ending in '{suffix}' are not read here; upload a CSV file (.csv) or an "
                f"Excel workbook (.xlsx or .xls): {HOW_TO_SAVE}"
            ],
        )
    return read


def _disguised_text(content: bytes, name: str, suffix: str) -> ReadTable:
    """A file named as a workbook (``suffix``) that is not one: many statistics websites
    send a table as text (tab-separated) or as a web page named ``.xls``, and a CSV file is
    sometimes renamed. Text is read as a CSV file; a web page or XML is refused with how to
    save it as a workbook."""
    start = content[:600].lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    if start.startswith(b"<"):
        raise UploadError(
            name,
            [
                f"its name ends in '{suffix}' but it is a web page or XML file, as some "
                "websites save tables, not an Excel workbook; open it in Excel, then use File "
                "> Save As and choose 'Excel Workbook (.xlsx)'"
            ],
        )
    read = _read_csv(content, name)
    read.notes.insert(
        0,
        f"its name ends in '{suffix}' but it holds plain text, as some websites save tables, "
        "so it was read as text",
    )
    return read


OPEN_DOCUMENT = (
    "it is an OpenDocument spreadsheet (.ods, as LibreOffice saves), which is not read here; "
    "save it as an Excel workbook: in LibreOffice Calc, File > Save As and choose 'Excel "
    "2007-365 (.xlsx)'; in Google Sheets, File > Download > Microsoft Excel (.xlsx)"
)


def _opendocument(content: bytes) -> bool:
    """Whether a zip container is an OpenDocument file (its first part says so)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, ValueError, zipfile.BadZipFile):
        return False


# -- CSV ---------------------------------------------------------------------------------
def _decode(content: bytes, name: str) -> tuple[str, list[str]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), ["read as UTF-16 text (as Excel's 'Unicode Text')"]
        except UnicodeDecodeError:
            pass
    if content.startswith(b"%PDF"):
        raise UploadError(name, [f"it is a PDF document, not a table; {HOW_TO_SAVE}"])
    if b"\x00" in content:
        raise UploadError(
            name,
            [f"it does not look like a text table (it holds binary data); {HOW_TO_SAVE}"],
        )
    try:
        return unicodedata.normalize("NFC", content.decode("utf-8-sig")), []
    except UnicodeDecodeError as err:
        where = err.start
    line = content[:where].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
    reading = choose_reading(content)
    if isinstance(reading, Reading):
        return reading.text, [
            f"the file is not UTF-8 text (the first character that is not is on line {line}), "
            f"so it was read as {reading.kind} text, the likeliest for its letters: check that "
            f"the names look right in the preview, or save it again as UTF-8 ({HOW_TO_SAVE})"
        ]
    kinds = " or ".join(r.kind for r in reading.readings)
    how = (
        f"its letters read as sensible text in more than one of them ({kinds}), and nothing "
        "in the file says which"
        if reading.readings
        else "none of them reads its letters as sensible text"
    )
    raise UploadError(
        name,
        [
            f"the file is not UTF-8 text (the first character that is not is on line {line}), "
            "and it cannot be told which of the older Windows encodings (Chinese, Japanese, "
            f"Korean, Thai, Vietnamese, Western) it was saved in: {how}, so its names could "
            f"come out garbled. Save it again as UTF-8: {HOW_TO_SAVE}"
        ],
    )


def _separator(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:20]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {sep: header.count(sep) for sep in SEPARATORS}
        best = max(counts, key=lambda sep: counts[sep])
        return best if counts[best] else ","


def _read_csv(content: bytes, name: str) -> ReadTable:
    text, notes = _decode(content, name)
    # old Macs ("CSV (Macintosh)") end lines with CR alone, Windows with CR LF
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text)
    if separator != ",":
        notes.append(f"columns are separated by {SEPARATORS[separator]}")
    try:
        table, rows, framed = _csv_table(text, separator)
        table, rows = _tidy(table, rows, name)
        table, converted = _read_numbers(table, rows, separator=separator)
    except UploadError as err:
        raise UploadError(name, err.problems) from None
    return ReadTable(table, name, notes=notes + framed + converted, rows=rows)


def _read_numbers(
    table: pd.DataFrame, rows: list[int], *, separator: str | None
) -> tuple[pd.DataFrame, list]:
    """The table with its numbers read (:func:`eic.spreadsheet_numbers.numbers_from_text`),
    and the notes on how; :class:`UploadError` if some cannot be read safely, naming the
    file's ``rows``."""
    with spreadsheet_rows(rows):
        table, notes, problems = numbers_from_text(table, separator=separator)
    if problems:
        raise UploadError("", problems)
    return table, notes


def _csv_table(text: str, separator: str) -> tuple[pd.DataFrame, list[int], list[str]]:
    """The rows of a CSV text as a table of text cells, with each row's line and what
    :func:`frame_rows` left out; a row longer than the header is an error naming its line
    (unless its extra cells are blank), a shorter one is padded."""
    reader = csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True)
    records: list[tuple[int, list[str]]] = []
    finished = 0  # the last line of the last row read whole
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(records) > MAX_ROWS + TITLE_ROWS + 2:
                    raise UploadError("", [too_many_rows()])
                records.append((finished + 1, cells))
            finished = reader.line_num
    except csv.Error:  # Python's own words would mean nothing to a participant
        raise UploadError(
            "",
            [
                f"it cannot be read as a table from line {finished + 1} on: a double quote "
                '(") there may open a cell that is never closed, or the file may hold '
                f"something other than text; check that line, or save the file again: {HOW_TO_SAVE}"
            ],
        ) from None
    if not records:
        raise UploadError("", ["the file holds no table; put the header row first"])
    try:
        header, body, notes = frame_rows(records, "line")
    except ValueError as err:
        raise UploadError("", [str(err)]) from None
    header = ["" if cell is None else cell.strip() for cell in header]
    rows: list[list[str]] = []
    for line, cells in body:
        extra = cells[len(header) :]
        if any(cell.strip() for cell in extra):
            raise UploadError(
                "",
                [
                    f"line {line} has {len(cells)} cells but the header has "
                    f"{len(header)}; a cell there probably holds the separator itself (a "
                    "comma in a name or a number): put that cell in double quotes, or "
                    "remove the extra separator"
                ],
            )
        rows.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
    if len(rows) > MAX_ROWS:
        raise UploadError("", [too_many_rows()])
    table = pd.DataFrame(rows, columns=checked_headings(header), dtype=object)
    return table, [line for line, _ in body], notes


# -- Excel -------------------------------------------------------------------------------
def checked_headings(headings: list[str]) -> list[str]:
    """The column headings, a blank one named by its position; the same heading twice is
    refused, as the module's check refuses two that differ only in case."""
    named = [h or f"(blank heading in column {i + 1})" for i, h in enumerate(headings)]
    problems = []
    for heading in dict.fromkeys(named):
        places = [i for i, h in enumerate(named) if h == heading]
        if len(places) > 1:
            where = " and ".join(_column_letter(i) for i in places)
            problems.append(
                f"two columns are both called '{heading}' (columns {where}); rename or delete one"
            )
    if problems:
        raise UploadError("", problems)
    return named


def _column_letter(position: int) -> str:
    """The spreadsheet letter of the column at ``position`` (0-based): 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- both --------------------------------------------------------------------------------
def too_many_rows() -> str:
    return (
        f"it has more than {MAX_ROWS:,} rows, the limit here; keep the rows of one cluster or "
        "region, or add them up by sector before uploading"
    )


def _tidy(
    table: pd.DataFrame, rows: list[int], name: str, *, where: str = "the file"
) -> tuple[pd.DataFrame, list[int]]:
    """Drop the empty rows and unnamed empty columns that spreadsheets leave behind; the
    table, and the file's ``rows`` of the rows kept.

    ``where`` is what the messages call the table: the file, or a workbook's sheet."""
    blank = table.map(lambda cell: cell is None or (isinstance(cell, str) and not cell.strip()))
    unnamed = [
        column
        for column in table.columns
        if (str(column).startswith("Unnamed: ") or str(column).startswith("(blank heading"))
        and blank[column].all()
    ]
    table = table.drop(columns=unnamed)
    blank = blank.drop(columns=unnamed)
    if len(table.columns):
        kept = ~blank.all(axis=1).to_numpy()
        rows = [row for row, keep in zip(rows, kept, strict=False) if keep]
        table = table.loc[kept].reset_index(drop=True)
    if len(table) > MAX_ROWS:
        raise UploadError(name, [too_many_rows()])
    if table.shape[1] == 0:
        raise UploadError(name, [f"{where} has no columns; the first row must name the columns"])
    if table.shape[0] == 0:
        raise UploadError(
            name, [f"{where} has a header row but no rows under it; add your rows below it"]
        )
    return table, rows


__all__ = [
    "ACCEPT",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "ReadTable",
    "WINDOWS_ENCODINGS",
    "UploadError",
    "read_upload",
    "size_text",
]
