"""Reading a participant's own table: a CSV or Excel file, checked, previewed and kept.

A file uploaded in a "use your own data" panel goes through three steps here:

1. :func:`read_upload` turns its bytes into a table of text cells. It finds the file's
   kind (CSV or Excel ``.xlsx``) from its name and its first bytes, the text encoding
   (UTF-8, UTF-16 or Windows-1252), the column separator (comma, semicolon, tab or bar),
   and whether numbers use decimal commas. Whatever it cannot read is refused with an
   :class:`UploadError` that says what is wrong and how to fix it; whatever it had to
   guess is reported in plain words (``ReadTable.notes``).
2. The module's own check (for example :func:`eic.clusters.check_employment`) checks the
   columns, numbers and units, naming the row, the column and the fix for each problem.
3. :class:`OwnDataFile` saves the checked table beside the module's answers, written to a
   temporary file and moved into place in one step, so a restart finds it and the country
   report can use it. A refused upload never touches the saved table.

Files larger than :data:`MAX_UPLOAD_BYTES` or longer than :data:`MAX_ROWS` rows are
refused: the course's analyses are meant for one cluster, not a national register. The
templates a participant fills in are made by :mod:`eic.table_templates`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

MAX_UPLOAD_BYTES = 2_000_000
MAX_ROWS = 20_000
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ACCEPT = ",".join(CSV_SUFFIXES + EXCEL_SUFFIXES)
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
HOW_TO_SAVE = (
    "in Excel, use File > Save As and choose 'CSV UTF-8 (Comma delimited)' or "
    "'Excel Workbook (.xlsx)'"
)

# the table each module's "use your own data" panel keeps: <module>-own-<name>.csv
OWN_TABLES = {"m02": "employment", "m03": "flows", "m04": "inventory", "m05": "options",
              "m06": "firms"}  # fmt: skip

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other old Office files
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?(\d{1,3}([. \u00a0]\d{3})+|\d+),\d+|[+-]?\d{1,3}(\.\d{3})+")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class UploadError(ValueError):
    """A file that cannot be read as a table; ``problems`` says why and what to do."""

    def __init__(self, name: str, problems: Sequence[str]):
        self.name = name
        self.problems = list(problems)
        super().__init__(f"'{name}' cannot be used: " + "; ".join(self.problems))


@dataclass
class ReadTable:
    """A table read from a file, with what had to be worked out to read it."""

    table: pd.DataFrame
    name: str
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


def size_text(size: int) -> str:
    """A file size in words: ``1_500_000`` -> ``'1.5 MB'``."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"


def read_upload(content: bytes, name: str, *, sheet: str | None = None) -> ReadTable:
    """Read an uploaded CSV or ``.xlsx`` file into a table of cells.

    Cells stay as read (text, or numbers from Excel): the module's check converts and
    checks them, so that a problem is reported against the row and column the participant
    sees. ``sheet`` picks a sheet of a workbook; by default a sheet called "data", else the
    first sheet that holds anything.

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
    if content.startswith(_OLE) or suffix == ".xls":
        raise UploadError(
            name,
            [f"it is in the old Excel 97-2003 format (.xls), not read here; {HOW_TO_SAVE}"],
        )
    if content.startswith(_ZIP) or suffix in EXCEL_SUFFIXES:
        read = _read_workbook(content, name, sheet)
    elif suffix in CSV_SUFFIXES or not suffix:
        read = _read_csv(content, name)
    else:
        raise UploadError(
            name,
            [
                f"files ending in '{suffix}' are not read here; upload a CSV file (.csv) or an "
                f"Excel workbook (.xlsx): {HOW_TO_SAVE}"
            ],
        )
    read.table = _tidy(read.table, name)
    return read


# -- CSV ---------------------------------------------------------------------------------
def _decode(content: bytes, name: str) -> tuple[str, list[str]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), ["read as UTF-16 text (as Excel's 'Unicode Text')"]
        except UnicodeDecodeError:
            pass
    if content.startswith(b"%PDF"):
        raise UploadError(name, [f"it is a PDF document, not a table; {HOW_TO_SAVE}"])
    if b"\x00" in content[:4096]:
        raise UploadError(
            name,
            [f"it does not look like a text table (it holds binary data); {HOW_TO_SAVE}"],
        )
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        where = err.start
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    line = content[:where].count(b"\n") + 1
    return text, [
        f"the file is not UTF-8 text (the first character that is not is on line {line}), "
        "so it was read as Windows text (cp1252): check that names with accents or "
        f"non-Latin letters look right in the preview, or save it again as UTF-8 ({HOW_TO_SAVE})"
    ]


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
    separator = _separator(text)
    if separator != ",":
        notes.append(f"columns are separated by {SEPARATORS[separator]}")
    try:
        table = _csv_table(text, separator)
    except UploadError as err:
        raise UploadError(name, err.problems) from None
    except csv.Error as err:
        raise UploadError(name, [f"it cannot be read as a table ({err}); {HOW_TO_SAVE}"]) from None
    table, converted = _numbers_from_text(table, decimal_comma=separator != ",")
    if converted:
        notes.append(converted)
    return ReadTable(table, name, notes=notes)


def _csv_table(text: str, separator: str) -> pd.DataFrame:
    """The rows of a CSV text as a table of text cells; a row longer than the header is an
    error naming its line (unless its extra cells are blank), a shorter one is padded."""
    reader = csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        if len(rows) >= MAX_ROWS:
            raise UploadError("", [_too_long()])
        extra = cells[len(header) :]
        if any(cell.strip() for cell in extra):
            raise UploadError(
                "",
                [
                    f"line {reader.line_num} has {len(cells)} cells but the header has "
                    f"{len(header)}; a cell there probably holds the separator itself (a comma "
                    "in a name or a number): put that cell in double quotes, or remove the "
                    "extra separator"
                ],
            )
        rows.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
    if header is None:
        raise UploadError("", ["the file holds no table; put the header row first"])
    return pd.DataFrame(rows, columns=_unique(header), dtype=object)


def _numbers_from_text(table: pd.DataFrame, *, decimal_comma: bool) -> tuple[pd.DataFrame, str]:
    """Numbers written the way spreadsheets write them, as plain numbers.

    With a comma separator, "61,860" (a quoted cell) has a thousands separator; with a
    semicolon or tab separator, "1,5" or "1.234,5" has a decimal comma. A column is
    converted only when every cell in it is a number written one of these ways, so a
    label such as "3,4-dichloro" is left alone.
    """
    pattern = _DECIMAL_COMMA if decimal_comma else _THOUSANDS
    converted = []
    table = table.copy()
    for column in table.columns:
        cells = table[column].astype(str).str.strip()
        filled = cells[cells != ""]
        special = filled.str.fullmatch(pattern.pattern)
        plain = filled.str.fullmatch(_PLAIN_NUMBER.pattern)
        if not special.any() or not (special | plain).all():
            continue
        if decimal_comma and plain.any() and filled[plain].str.contains(r"\.", regex=True).any():
            continue  # "1.5" beside "1,5": the column mixes conventions; let the check say so
        if decimal_comma:
            fixed = filled.str.replace(r"[. \u00a0](?=\d{3}\b)", "", regex=True).str.replace(
                ",", ".", regex=False
            )
        else:
            fixed = filled.str.replace(",", "", regex=False)
        table.loc[fixed.index, column] = fixed
        converted.append(str(column))
    if not converted:
        return table, ""
    kind = "decimal commas" if decimal_comma else "thousands separators"
    return table, f"numbers with {kind} were read as numbers in {', '.join(converted)}"


# -- Excel -------------------------------------------------------------------------------
def _read_workbook(content: bytes, name: str, sheet: str | None) -> ReadTable:
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
    try:
        sheets = list(book.sheetnames)
        rows_by_sheet = {}
        if sheet is not None and sheet not in sheets:
            raise UploadError(
                name, [f"it has no sheet called '{sheet}'; its sheets are {', '.join(sheets)}"]
            )
        order = [sheet] if sheet else sorted(sheets, key=lambda s: s.strip().lower() != "data")
        for candidate in order:
            rows = _sheet_rows(book[candidate], name)
            if rows or sheet:
                rows_by_sheet[candidate] = rows
                break
    finally:
        book.close()
    if not rows_by_sheet:
        raise UploadError(name, ["every sheet of the workbook is empty"])
    chosen, rows = next(iter(rows_by_sheet.items()))
    if not rows:
        raise UploadError(name, [f"sheet '{chosen}' is empty; choose the sheet with your table"])
    header, body = rows[0], rows[1:]
    notes = [f"read sheet '{chosen}' ({len(sheets)} sheets in the workbook)"]
    if len(sheets) == 1:
        notes = []
    headings = ["" if cell is None else str(cell).strip() for cell in header]
    table = pd.DataFrame(body, columns=_unique(headings), dtype=object)
    return ReadTable(table, name, sheets=sheets, sheet=chosen, notes=notes)


def _sheet_rows(worksheet, name: str) -> list[tuple]:
    rows = []
    for row in worksheet.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS + 1:
            raise UploadError(name, [_too_long()])
        cells = tuple(_cell(value) for value in row)
        if any(cell is not None for cell in cells):
            rows.append(cells)
    if not rows:
        return []
    width = max(len(row) for row in rows)
    return [row + (None,) * (width - len(row)) for row in rows]


def _cell(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _unique(headings: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for position, heading in enumerate(headings):
        heading = heading or f"(blank heading in column {position + 1})"
        seen[heading] = seen.get(heading, 0) + 1
        unique.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return unique


# -- both --------------------------------------------------------------------------------
def _too_long() -> str:
    return (
        f"it has more than {MAX_ROWS:,} rows, the limit here; keep the rows of one cluster or "
        "region, or add them up by sector before uploading"
    )


def _tidy(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Drop the empty rows and unnamed empty columns that spreadsheets leave behind."""
    blank = table.map(lambda cell: cell is None or (isinstance(cell, str) and not cell.strip()))
    unnamed = [
        column
        for column in table.columns
        if (str(column).startswith("Unnamed: ") or str(column).startswith("(blank heading"))
        and blank[column].all()
    ]
    table = table.drop(columns=unnamed)
    blank = blank.drop(columns=unnamed)
    table = table.loc[~blank.all(axis=1)].reset_index(drop=True) if len(table.columns) else table
    if len(table) > MAX_ROWS:
        raise UploadError(name, [_too_long()])
    if table.shape[1] == 0:
        raise UploadError(name, ["the file has no columns; the first row must name the columns"])
    if table.shape[0] == 0:
        raise UploadError(
            name, ["the file has a header row but no rows under it; add your rows below it"]
        )
    return table


# -- saving beside the answers -----------------------------------------------------------
class OwnDataFile:
    """A participant's checked table, kept as ``<module>-own-<name>.csv`` beside the answers.

    A small ``.json`` beside it says where the table came from. Both are written to a
    temporary file first and moved into place in one step. ``model`` is for the
    instructor's copy of a notebook: ``<module>-own-<name>.model.csv``, which nbgrader
    leaves out of releases.

    >>> folder = Path(tempfile.mkdtemp())
    >>> saved = OwnDataFile(folder, "m05", "options")
    >>> saved.save(pd.DataFrame({"option": ["Solar"], "investment_usd": [1.0]}), "mine.csv")
    >>> saved.load()["option"].tolist(), saved.source()["file"]
    (['Solar'], 'mine.csv')
    """

    def __init__(self, folder: Path | str, module: str, name: str, *, model: bool = False) -> None:
        self.folder = Path(folder)
        self.module = module
        self.name = name
        # the instructor copy keeps a trial upload out of releases (nbgrader ignores .model.*)
        self.path = self.folder / f"{module}-own-{name}{'.model' if model else ''}.csv"
        self.meta_path = self.path.with_suffix(".json")

    def exists(self) -> bool:
        return self.path.exists()

    def save(self, table: pd.DataFrame, source: str, *, sheet: str | None = None) -> None:
        _replace(self.path, table.to_csv(index=False, float_format="%.15g").encode("utf-8"))
        meta = {
            "file": source,
            "sheet": sheet,
            "rows": len(table),
            "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        _replace(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))

    def load(self) -> pd.DataFrame:
        """The saved table; :class:`UploadError` if it was damaged since it was saved."""
        try:
            content = self.path.read_bytes()
        except OSError as err:
            raise UploadError(self.path.name, [f"it cannot be opened ({err.strerror})"]) from None
        return read_upload(content, self.path.name).table

    def source(self) -> dict:
        """Where the saved table came from (file, sheet, rows, saved), as far as known."""
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        return meta if isinstance(meta, dict) else {}

    def remove(self) -> None:
        for path in (self.path, self.meta_path):
            path.unlink(missing_ok=True)


def own_file_names(module: str) -> list[str]:
    """The files a module's own-data panel saves, as a participant submits them."""
    if module not in OWN_TABLES:
        return []
    stem = f"{module}-own-{OWN_TABLES[module]}"
    return [f"{stem}.csv", f"{stem}.json"]


def _replace(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "ACCEPT",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "OWN_TABLES",
    "OwnDataFile",
    "ReadTable",
    "own_file_names",
    "UploadError",
    "read_upload",
    "size_text",
]
