"""The templates a participant downloads to fill with their own data: CSV and Excel.

Each "use your own data" panel (:mod:`eic.own_data`) offers its table's template filled
with the course's example rows: as CSV, and as an Excel workbook whose second sheet says
what to put in each column. :mod:`eic.uploads` reads the filled file back.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence

import pandas as pd


def template_csv(example: pd.DataFrame) -> bytes:
    """The example table as CSV, UTF-8 with a byte-order mark so Excel shows accents."""
    return example.to_csv(index=False).encode("utf-8-sig")


def rows_from_example(table: pd.DataFrame, example: pd.DataFrame) -> list[int]:
    """The positions of the rows of ``table`` that are rows of ``example``, every cell the
    same (150 and 150.0 alike, blank cells alike): the course's example rows a participant
    left in a template, which would be analysed as if they were the participant's own.

    >>> example = pd.DataFrame({"firm": ["Dye house A"], "effluent_m3_per_day": [150]})
    >>> ours = pd.DataFrame({"firm": ["Dye house A", "Tannery"],
    ...                      "effluent_m3_per_day": [150.0, 80]})
    >>> rows_from_example(ours, example)
    [0]
    """
    columns = [c for c in example.columns if c in table.columns]
    known = {_row_key(row) for row in example[columns].itertuples(index=False)}
    return [
        position
        for position, row in enumerate(table[columns].itertuples(index=False))
        if _row_key(row) in known
    ]


def _row_key(row: tuple) -> tuple:
    key = []
    for value in row:
        if isinstance(value, int | float) and not isinstance(value, bool):
            key.append(None if math.isnan(value) else round(float(value), 9))
        else:
            key.append(str(value))
    return tuple(key)


def template_xlsx(example: pd.DataFrame, guide: Sequence[tuple[str, str]]) -> bytes:
    """A workbook: sheet "data" holds the example rows; sheet "read me" explains each column.

    Written directly as Office Open XML with the standard library (a few kilobytes), so a
    page that offers the template never waits for a spreadsheet library to load.
    """
    data = [[str(column) for column in example.columns]]
    data += [[_excel_value(value) for value in row] for row in example.itertuples(index=False)]
    notes = [["Column", "What to put in it"], *[[column, meaning] for column, meaning in guide]]
    sheets = {"data": data, "read me": notes}
    files = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for n in range(1, len(sheets) + 1)
            )
        ),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK.format(
            sheets="".join(
                f'<sheet name="{_xml(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(sheets, 1)
            )
        ),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            sheets="".join(
                f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            ),
            styles=len(sheets) + 1,
        ),
        "xl/styles.xml": _STYLES,
    }
    for n, rows in enumerate(sheets.values(), 1):
        files[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in files.items():
            book.writestr(name, text)
    return buffer.getvalue()


def _xml(text: object) -> str:
    cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(text))
    return (
        cleaned.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(rows: list[list[object]]) -> str:
    """One worksheet; the first row bold (style 1), numbers as numbers, text inline."""
    out = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column_letter(c)}{r}"
            style = ' s="1"' if r == 1 else ""
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                cells.append(
                    f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">'
                    f"{_xml(value)}</t></is></c>"
                )
            else:
                cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="1" max="2" '
        f'width="30" customWidth="1"/></cols><sheetData>{"".join(out)}</sheetData></worksheet>'
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
    'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
    'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas'
    '.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships">{sheets}<Relationship Id="'
    'rId{styles}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://'
    'schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/>'
    '<name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
    '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" '
    'borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle '
    'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _excel_value(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value
