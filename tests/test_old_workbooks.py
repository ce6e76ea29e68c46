"""Excel 97-2003 workbooks (.xls), as statistics offices still publish many tables, and the
files websites send under that name that are not workbooks at all: each is read as an .xlsx
would be, or refused with what is wrong and how to fix it."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import as_upload, old_workbook, workbook
from hypothesis import given, settings
from hypothesis import strategies as st
from test_upload_cases import EMPLOYMENT_ROWS, no_python_in, problems_of, shown

from eic.clusters import check_employment
from eic.own_data import SPECS, OwnDataPanel
from eic.uploads import UploadError, read_upload

OLD = old_workbook({"notes": [["Labour survey"]], "data": EMPLOYMENT_ROWS})
MAKERS = {"mine.xlsx": workbook, "mine.xls": old_workbook}


@pytest.mark.parametrize("name", MAKERS)
def test_the_sheet_called_data_is_read_and_others_on_request_hidden_ones_not_offered(name):
    other_year = [EMPLOYMENT_ROWS[0]] + [[r, s, 2010, n - 50] for r, s, _, n in EMPLOYMENT_ROWS[1:]]
    content = MAKERS[name](
        {"lookup": [["code", "name"], ["T", "Textiles"]], "notes": [["Labour survey"]],
         "data": EMPLOYMENT_ROWS, "2010": other_year},
        hidden=("lookup",),
    )  # fmt: skip
    read = read_upload(content, name)
    assert read.sheets == ["notes", "data", "2010"] and read.sheet == "data"
    assert check_employment(read.table)["employment"].tolist() == [300, 700, 350, 750]
    older = check_employment(read_upload(content, name, sheet="2010").table)
    assert older["year"].tolist() == [2010] * 4
    assert older["employment"].tolist() == [250, 650, 300, 700]


def test_an_old_workbook_gives_the_same_cells_as_the_same_table_in_a_new_one():
    rows = [
        ["firm", "since", "flow", "share", "certified", "code"],
        ["Mill A", dt.date(2019, 7, 1), 1200, 0.25, True, "#N/A"],
        ["Mill B", dt.date(2021, 1, 15), 35.5, 1, False, "#DIV/0!"],
        ["Mill C", None, 0, None, None, "T-01"],
    ]
    new = read_upload(workbook({"data": rows}), "mine.xlsx").table
    old = read_upload(old_workbook({"data": rows}), "mine.xls").table
    assert old.to_dict("list") == new.to_dict("list")
    assert old["since"].tolist()[:2] == ["2019-07-01T00:00:00", "2021-01-15T00:00:00"]
    assert old["code"].tolist() == ["#N/A", "#DIV/0!", "T-01"]


def test_numbers_as_headings_in_an_old_workbook_read_as_whole_numbers():
    content = old_workbook({"data": [["region", 2015, 2020], ["North", 300, 320]]})
    assert list(read_upload(content, "mine.xls").table.columns) == ["region", "2015", "2020"]


def test_an_old_workbook_protected_by_a_password_is_named_as_such():
    content = bytearray(old_workbook({"data": EMPLOYMENT_ROWS}))
    # the record after the workbook's first (BOF, 0x0809) becomes FILEPASS (0x002F), the
    # record Excel writes first in an encrypted workbook
    start = content.index(b"\x09\x08\x10\x00")
    after = start + 4 + int.from_bytes(content[start + 2 : start + 4], "little")
    content[after : after + 2] = (0x2F).to_bytes(2, "little")
    message = problems_of(bytes(content), "secret.xls")
    assert "password" in message and "Encrypt with Password" in message
    assert "damaged" not in message


def test_a_damaged_old_workbook_is_refused_with_how_to_save_it_again():
    content = old_workbook({"data": EMPLOYMENT_ROWS})
    message = problems_of(content[: len(content) // 2], "cut.xls")
    assert "97-2003" in message and "damaged" in message and "'Excel Workbook (.xlsx)'" in message
    no_python_in(message)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_an_old_workbook_with_any_bytes_changed_is_read_or_refused_with_a_reason(changes):
    content = bytearray(OLD)
    for where, value in changes:
        content[where % len(content)] = value
    try:
        read_upload(bytes(content), "changed.xls")
    except UploadError as err:
        assert err.problems and all(p.strip() for p in err.problems)


def test_text_a_website_saved_as_xls_is_read_as_text_and_says_so():
    text = (
        "region\tsector\tyear\temployment\nNorth\tTextiles\t2020\t300\nSouth\tTextiles\t2020\t200\n"
    )
    read = read_upload(text.encode("utf-8"), "download.xls")
    assert check_employment(read.table)["employment"].tolist() == [300, 200]
    notes = " ".join(read.notes)
    assert "'.xls'" in notes and "plain text" in notes and "tabs" in notes


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><table><tr><td>region</td></tr></table></body></html>",
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com">',
        b"\r\n  <TABLE border=1><TR><TD>region</TD></TR></TABLE>",
    ],
)
def test_a_web_page_saved_as_xls_is_refused_with_how_to_save_a_workbook(content):
    message = problems_of(content, "download.xls")
    assert "web page or XML" in message and "Save As" in message and ".xlsx" in message


def test_a_new_workbook_named_xls_is_read_as_the_workbook_it_is():
    read = read_upload(workbook({"data": EMPLOYMENT_ROWS}), "renamed.xls")
    assert check_employment(read.table)["employment"].tolist() == [300, 700, 350, 750]


def test_the_panel_takes_an_old_workbook_offers_its_sheets_and_saves_the_table(folder):
    content = old_workbook({"notes": [["Labour survey 2020"]], "employment": EMPLOYMENT_ROWS})
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert ".xls" in panel.upload.accept.split(",")
    panel.upload.value = as_upload(content, "yearbook.xls")
    assert "was read, checked and saved" in shown(panel)
    assert list(panel.sheet.options) == ["notes", "employment"]
    assert panel.file.source()["sheet"] == "employment"
    assert panel.table["employment"].tolist() == [300, 700, 350, 750]
