"""Uploaded files that used to be misread or refused for the wrong reason: numbers with
thousands separators, a workbook whose table is not on its first sheet, two columns of the
same name, old Mac line endings, a password-protected workbook, and a folder that cannot be
written. Each is read as its author meant, or refused with the row, the column and the fix."""

from __future__ import annotations

import html
import io
import os
import re
import struct

import pytest
from conftest import as_upload, workbook

from eic.answers import AnswerStore
from eic.appraisal import check_options
from eic.clusters import check_employment
from eic.cost_sharing import check_firms
from eic.own_data import SPECS, OwnDataPanel
from eic.own_tables import OwnDataFile
from eic.table_templates import template_csv
from eic.tables import TableError
from eic.uploads import UploadError, read_upload

OPTIONS_HEADER = "option;investment_usd;annual_saving_usd;life_years;abatement_tco2e_per_yr\n"


def shown(panel: OwnDataPanel) -> str:
    """The panel's message as the participant reads it."""
    text = re.sub(r"<[^>]+>", " ", panel.message.value)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def problems_of(content: bytes, name: str, **kw) -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(content, name, **kw)
    assert caught.value.problems
    return " ".join(caught.value.problems)


def no_python_in(text: str) -> None:
    """Nothing of Python's own messages reaches the participant."""
    for word in ("Error", "Errno", "errno", "Traceback", "newline", "field limit", ".tmp"):
        assert word not in text, (word, text)


EMPLOYMENT_ROWS = [
    ["region", "sector", "year", "employment"],
    ["North", "Textiles", 2020, 300],
    ["North", "Services", 2020, 700],
    ["South", "Textiles", 2020, 350],
    ["South", "Services", 2020, 750],
]


# -- 1. thousands separators and decimal commas ------------------------------------------
def test_dot_thousands_beside_decimal_commas_are_read_as_thousands():
    # Excel in a decimal-comma locale: '15.000' is fifteen thousand, '227,5' is 227.5
    text = OPTIONS_HEADER + (
        "Steam trap repair;15.000;16.000;5;227,5\n"
        "Condensate recovery;60.000;42.000;10;757\n"
        "Boiler economisers;90.000;45.000;12;851,2\n"
    )
    clean = check_options(read_upload(text.encode("cp1252"), "options.csv").table)
    assert clean["investment_usd"].tolist() == [15_000.0, 60_000.0, 90_000.0]
    assert clean["annual_saving_usd"].tolist() == [16_000.0, 42_000.0, 45_000.0]
    assert clean["abatement_tco2e_per_yr"].tolist() == [227.5, 757.0, 851.2]


def test_a_column_mixing_grouped_decimals_and_grouped_whole_numbers_is_read():
    semicolons = "firm;effluent_m3_per_day\nA;1.234,5\nB;2.000\n"
    assert check_firms(read_upload(semicolons.encode(), "firms.csv").table)[
        "effluent_m3_per_day"
    ].tolist() == [1234.5, 2000.0]
    tabs = "firm\teffluent_m3_per_day\nA\t1,234.5\nB\t2,000\n"
    assert check_firms(read_upload(tabs.encode(), "firms.txt").table)[
        "effluent_m3_per_day"
    ].tolist() == [1234.5, 2000.0]


def test_tab_separated_thousands_are_read_as_thousands_when_a_decimal_point_proves_it():
    text = "firm\teffluent_m3_per_day\tcod_mg_per_l\nA\t61,180\t0.5\nB\t150\t612.25\n"
    clean = check_firms(read_upload(text.encode("utf-16"), "firms.txt").table)
    assert clean["effluent_m3_per_day"].tolist() == [61_180.0, 150.0]
    assert clean["cod_mg_per_l"].tolist() == [0.5, 612.25]


@pytest.mark.parametrize(
    ("text", "encoding", "cells"),
    [
        # semicolons, nothing with a decimal: '1.500' is 1500 or 1.5
        (
            "region;sector;year;employment\nNorth;Textiles;2020;1.500\nNorth;Services;2020;700\n"
            "South;Textiles;2020;200\nSouth;Services;2020;1.800\n",
            "utf-8",
            ["row 2 ('1.500')", "row 5 ('1.800')"],
        ),
        # Excel's 'Unicode Text' (tabs) in an English locale: '61,180' is 61180 or 61.18
        (
            "region\tsector\tyear\temployment\r\nNorth\tTextiles\t2010\t61,180\r\n"
            "North\tServices\t2010\t850\r\nSouth\tTextiles\t2010\t40,320\r\n"
            "South\tServices\t2010\t15,360\r\n",
            "utf-16",
            ["row 2 ('61,180')", "row 4 ('40,320')", "row 5 ('15,360')"],
        ),
    ],
)
def test_numbers_that_read_two_ways_are_refused_naming_the_cells(folder, text, encoding, cells):
    message = problems_of(text.encode(encoding), "employment.csv")
    assert "'employment'" in message and "thousands separator" in message
    for cell in cells:
        assert cell in message, (cell, message)
    assert "row 3" not in message  # '700' and '850' mean one thing only

    panel = OwnDataPanel(SPECS["m02"], folder)
    panel.upload.value = as_upload(text.encode(encoding), "employment.csv")
    assert "was not used" in shown(panel) and not panel.file.exists()
    assert AnswerStore.for_module("m02", folder).value("q1_test") == "kept"


def test_thousands_written_with_a_point_in_a_comma_file_are_read_as_decimals_with_a_note():
    # "1.200" is 1.2 in a file separated by commas (its decimal mark is the point), but
    # if it was meant as 1,200 m3/day every figure is 1,000 times too small: said so
    text = 'firm,effluent_m3_per_day,cod_mg_per_l\nA,"1.200",500\nB,"2.500",600\nC,"3.000",700\n'
    read = read_upload(text.encode(), "firms.csv")
    assert check_firms(read.table)["effluent_m3_per_day"].tolist() == [1.2, 2.5, 3.0]
    assert read.notes == [
        "numbers written like '1.200' in effluent_m3_per_day were read with a decimal point, "
        "as 1.2, since a file separated by commas writes decimals that way; if they are "
        "thousands (1,200), write them without the point (1200) and upload the file again"
    ]


def test_a_point_read_as_decimal_by_the_other_columns_is_noted_and_a_proven_one_is_not():
    # cod's '0.5' shows the file's decimal point; '2.500' could still be meant as 2,500
    text = "firm\teffluent_m3_per_day\tcod_mg_per_l\nA\t2.500\t0.5\nB\t150\t600\n"
    notes = read_upload(text.encode(), "firms.txt").notes
    assert any(
        "'2.500' in effluent_m3_per_day were read with a decimal point, as 2.5, since the "
        "file's other columns write decimals that way" in note
        for note in notes
    )
    # a column that holds '0.5' itself says its points are decimals: nothing to note
    text = "firm,effluent_m3_per_day\nA,2.500\nB,0.5\n"
    assert read_upload(text.encode(), "firms.csv").notes == []


def test_every_problem_of_a_firms_file_is_said_at_once():
    text = (
        "firm,effluent_m3_per_day,cod_mg_per_l\nPhu Thinh Textile,320,1800\n"
        "Hoa Binh Dyeing,540,2400\nMinh Long Garments,-85,600\nTan Phat Weaving,0,450\n"
        "Kim Son Denim,600,2600\nkim son denim ,100,500\n"
    )
    with pytest.raises(TableError) as caught:
        check_firms(read_upload(text.encode(), "firms.csv").table)
    assert caught.value.problems == [
        "column 'effluent_m3_per_day' in row 4 is -85; it cannot be below 0 (a negative quantity)",
        "row 6 and row 7 repeat firm 'Kim Son Denim' (row 7 writes 'kim son denim': the names "
        "differ only in capital letters); keep one of them (or add them up), or if they are "
        "two, give them clearly different names",
        "column 'effluent_m3_per_day' in row 5 is 0; a firm sharing the plant sends some "
        "effluent: enter its m3 per day (above 0), or delete the row",
    ]


def test_an_option_repeated_in_other_capitals_is_refused_and_a_part_year_said_with_it():
    text = OPTIONS_HEADER + (
        "Steam trap repair;15000;16000;5,5;227\nSTEAM TRAP REPAIR;60000;42000;10;757\n"
    )
    with pytest.raises(TableError) as caught:
        check_options(read_upload(text.encode(), "options.csv").table)
    assert caught.value.problems == [
        "row 2 and row 3 repeat option 'Steam trap repair' (row 3 writes 'STEAM TRAP REPAIR': "
        "the names differ only in capital letters); keep one of them (or add them up), or if "
        "they are two, give them clearly different names",
        "column 'life_years' in row 2 is 5.5; enter a whole number of years such as 6",
    ]


def test_codes_with_a_point_do_not_decide_the_numbers_of_a_semicolon_file():
    # sector codes such as '13.30' are written with a point in any locale; in a file whose
    # columns are separated by ';' they do not prove that '1.500' persons is 1.5
    text = (
        "region;sector;year;employment\n"
        "North;13.30;2010;1.500\n"
        "North;13.30;2020;700\n"
        "South;13.30;2010;2.400\n"
        "South;13.30;2020;900\n"
    )
    message = problems_of(text.encode(), "employment.csv")
    assert "'employment'" in message and "'1.500'" in message, message


def test_a_column_with_a_decimal_point_and_a_decimal_comma_is_refused_naming_both():
    text = "firm;effluent_m3_per_day\nA;1.5\nB;2,5\nC;3\n"
    message = problems_of(text.encode(), "firms.csv")
    assert "'effluent_m3_per_day'" in message
    assert "row 2 ('1.5')" in message and "row 3 ('2,5')" in message


def test_text_numbers_in_a_workbook_that_read_two_ways_are_refused():
    content = workbook(
        {"data": [["firm", "effluent_m3_per_day"], ["A", "15.000"], ["B", 700]]},
    )
    message = problems_of(content, "firms.xlsx")
    assert "row 2 ('15.000')" in message and "'effluent_m3_per_day'" in message


# -- 2. workbooks: which sheet ------------------------------------------------------------
def notes_and_employment(notes: list[list[object]]) -> bytes:
    return workbook({"Notes": notes, "Employment": EMPLOYMENT_ROWS})


def test_the_table_on_a_later_sheet_is_read_when_the_first_holds_only_a_note():
    read = read_upload(notes_and_employment([["Source: labour survey 2020"]]), "e.xlsx")
    assert read.sheet == "Employment" and read.sheets == ["Notes", "Employment"]
    assert check_employment(read.table)["employment"].tolist() == [300.0, 700.0, 350.0, 750.0]


def test_hidden_sheets_are_not_read_by_default_nor_offered():
    content = workbook(
        {"lookup": [["code", "name"], ["T", "Textiles"]], "Employment": EMPLOYMENT_ROWS},
        hidden=("lookup",),
    )
    read = read_upload(content, "e.xlsx")
    assert read.sheet == "Employment" and read.sheets == ["Employment"]


def hiding_rows(content: bytes, rows: list[int], *, filtered: bool = False) -> bytes:
    """The workbook ``content`` with these rows of its sheet hidden, by hand or, with
    ``filtered``, by a filter on the table (Excel marks a filtered-out row hidden too)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    for number in rows:
        sheet.row_dimensions[number].hidden = True
    if filtered:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("filtered", [False, True])
def test_rows_hidden_in_excel_are_left_out_and_the_note_names_them(folder, filtered):
    content = hiding_rows(workbook({"Employment": EMPLOYMENT_ROWS}), [3, 5], filtered=filtered)
    read = read_upload(content, "e.xlsx")
    assert read.table["sector"].tolist() == ["Textiles", "Textiles"]
    assert read.rows == [2, 4]  # messages still name the rows as Excel numbers them
    assert "rows 3, 5 (2 rows) of the sheet, hidden in Excel (by hand or by a filter), were " \
        "left out" in read.notes[-1]  # fmt: skip
    # and the panel analyses what the participant sees, and says so
    panel = OwnDataPanel(SPECS["m02"], folder)
    panel.upload.value = as_upload(content, "e.xlsx")
    assert "hidden in Excel" in shown(panel)
    assert panel.table is not None and panel.table["sector"].tolist() == ["Textiles", "Textiles"]


def test_a_workbook_with_no_hidden_rows_reads_every_row_without_a_note():
    read = read_upload(hiding_rows(workbook({"Employment": EMPLOYMENT_ROWS}), []), "e.xlsx")
    assert len(read.table) == 4 and not read.notes


def test_a_sheet_of_notes_a_line_to_a_row_is_passed_over_for_the_table():
    notes = [["Source: labour survey 2020"], ["Prepared by the planning office"], ["2021"]]
    read = read_upload(notes_and_employment(notes), "e.xlsx")
    assert read.sheet == "Employment" and read.sheets == ["Notes", "Employment"]


def test_a_refused_sheet_is_named_and_another_sheet_can_be_chosen(folder):
    contents = [["table", "title"], ["3.2", "Employment by region and sector"]]
    content = workbook({"Notes": contents, "Employment": EMPLOYMENT_ROWS})
    panel = OwnDataPanel(SPECS["m02"], folder)
    panel.upload.value = as_upload(content, "employment.xlsx")
    message = shown(panel)
    assert "was not used" in message and "sheet 'Notes'" in message
    assert not panel.file.exists()
    assert panel.sheet in panel.row.children
    assert list(panel.sheet.options) == ["Notes", "Employment"] and panel.sheet.value == "Notes"
    panel.sheet.value = "Employment"
    assert "was read, checked and saved" in shown(panel)
    assert panel.file.source()["sheet"] == "Employment"
    assert panel.table["employment"].tolist() == [300.0, 700.0, 350.0, 750.0]


def test_a_sheet_with_only_a_header_is_refused_by_its_name():
    content = notes_and_employment([["Source"]])
    message = problems_of(content, "e.xlsx", sheet="Notes")
    assert "sheet 'Notes'" in message and "no rows" in message


# -- 3. two columns with the same heading -------------------------------------------------
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_two_columns_with_the_same_heading_are_refused(folder, kind):
    rows = [
        ["firm", "effluent_m3_per_day", "effluent_m3_per_day", "cod_mg_per_l"],
        ["A", 1, 150, 600],
        ["B", 2, 250, 700],
    ]
    if kind == "csv":
        content = "\n".join(",".join(str(c) for c in row) for row in rows).encode()
    else:
        content = workbook({"data": rows})
    name = f"firms.{kind}"
    message = problems_of(content, name)
    assert "two columns are both called 'effluent_m3_per_day'" in message
    assert "rename or delete one" in message
    panel = OwnDataPanel(SPECS["m06"], folder)
    panel.upload.value = as_upload(content, name)
    assert "was not used" in shown(panel) and not panel.file.exists()


# -- 4. line endings and unreadable text -------------------------------------------------
def test_old_mac_line_endings_are_read():
    text = "firm,effluent_m3_per_day,cod_mg_per_l\rDye house A,150,600\rDye house B,250,700\r"
    clean = check_firms(read_upload(text.encode("mac_roman"), "firms.csv").table)
    assert clean["firm"].tolist() == ["Dye house A", "Dye house B"]
    assert clean["effluent_m3_per_day"].tolist() == [150.0, 250.0]


@pytest.mark.parametrize(
    "content",
    [
        # text for 5 kB, then binary data
        b"firm,effluent\n" + b"A,1\n" * 1300 + b"\x00\x01\x02\x03" * 10,
        # a double quote never closed, swallowing a cell longer than Python's csv allows
        b'firm,effluent\n"A,1\n' + b"B,2\n" * 40_000,
    ],
)
def test_a_file_python_cannot_read_as_csv_gets_a_plain_message(folder, content):
    message = problems_of(content, "firms.csv")
    no_python_in(message)
    assert "Save As" in message
    panel = OwnDataPanel(SPECS["m06"], folder)
    panel.upload.value = as_upload(content, "firms.csv")
    no_python_in(shown(panel))
    assert "was not used" in shown(panel)


# -- 5. a password-protected workbook ----------------------------------------------------
def ole_file(streams: list[str]) -> bytes:
    """A minimal OLE compound file ([MS-CFB], version 3) whose directory names ``streams``:
    a header, one FAT sector (sector 0) and one directory sector (sector 1)."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))
    directory = bytearray(512)
    for number, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams][:3]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[: len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
        struct.pack_into("<III", entry, 68, no_stream, no_stream, no_stream)
        struct.pack_into("<I", entry, 116, end)
        directory[number * 128 : (number + 1) * 128] = entry
    return bytes(header) + fat + bytes(directory)


def test_a_password_protected_workbook_is_named_as_such(folder):
    content = ole_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    message = problems_of(content, "protected.xlsx")
    assert "password" in message and "Encrypt with Password" in message
    assert "97-2003" not in message
    panel = OwnDataPanel(SPECS["m06"], folder)
    panel.upload.value = as_upload(content, "protected.xlsx")
    assert "protected by a password" in shown(panel) and not panel.file.exists()


def test_an_old_excel_file_is_still_called_one():
    message = problems_of(ole_file(["Workbook", "\x05SummaryInformation"]), "old.xls")
    assert "97-2003" in message and "password" not in message


# -- 6. a folder that cannot be written ---------------------------------------------------
def test_a_good_file_that_cannot_be_saved_is_not_blamed(folder, tmp_path):
    blocked = tmp_path / "not a folder"
    blocked.write_text("a file where the module's folder should be", encoding="utf-8")
    panel = OwnDataPanel(SPECS["m02"], blocked)
    content = template_csv(SPECS["m02"].example_table())
    panel.upload.value = as_upload(content, "mine.csv")
    message = shown(panel)
    assert "could not be saved" in message and "trainer" in message
    assert "Fix the file" not in message
    assert str(tmp_path) not in message
    no_python_in(message)
    assert panel.table is None and panel.analysis.children == ()
    assert AnswerStore.for_module("m02", folder).value("q1_test") == "kept"


def test_a_table_is_saved_whole_or_not_at_all(tmp_path, monkeypatch):
    saved = OwnDataFile(tmp_path, "m06", "firms")
    first = check_firms(read_upload(b"firm,effluent_m3_per_day\nA,1\n", "first.csv").table)
    saved.save(first, "first.csv")
    table, meta = saved.path.read_bytes(), saved.meta_path.read_bytes()
    calls = []

    def replace_once(source, target):
        calls.append(target)
        if len(calls) == 2:  # the second file of the pair
            raise PermissionError(1, "Operation not permitted")
        return real_replace(source, target)

    real_replace = os.replace
    monkeypatch.setattr("eic.file_lock.os.replace", replace_once)
    second = check_firms(read_upload(b"firm,effluent_m3_per_day\nB,2\n", "second.csv").table)
    with pytest.raises(OSError):
        saved.save(second, "second.csv")
    monkeypatch.undo()
    assert saved.path.read_bytes() == table and saved.meta_path.read_bytes() == meta
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_years_formatted_as_dates_in_excel_are_read_as_their_years():
    # a cell showing "2020" may hold the date 1 January 2020, formatted to show its year
    import datetime as dt

    rows = [EMPLOYMENT_ROWS[0]] + [
        [region, sector, dt.datetime(year, 1, 1), persons]
        for region, sector, year, persons in EMPLOYMENT_ROWS[1:]
    ]
    read = read_upload(workbook({"Employment": rows}), "e.xlsx")
    clean = check_employment(read.table)
    assert clean["year"].tolist() == [2020] * 4
    assert clean.attrs["notes"] == [
        "column 'year' was read as years: '2020-01-01' as 2020 (a date in Excel, shown as a "
        "year, is read as its year)"
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls"])
def test_a_csv_file_named_as_a_workbook_is_read_as_text_and_said(suffix):
    content = b"region,sector,year,employment\nNorth,Textiles,2020,300\nSouth,Textiles,2020,350\n"
    read = read_upload(content, "employment" + suffix)
    assert read.table["employment"].tolist() == ["300", "350"]
    assert read.notes[0] == (
        f"its name ends in '{suffix}' but it holds plain text, as some websites save tables, "
        "so it was read as text"
    )


@pytest.mark.parametrize("name", ["employment.ods", "employment.xlsx"])
def test_an_opendocument_spreadsheet_is_refused_with_how_to_save_it_as_xlsx(name):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # as LibreOffice writes one: mimetype first
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    said = problems_of(buffer.getvalue(), name)
    assert said.startswith("it is an OpenDocument spreadsheet (.ods, as LibreOffice saves)")
    assert "'Excel 2007-365 (.xlsx)'" in said
