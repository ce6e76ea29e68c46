"""Tables as statistics offices publish them: a title above the header, notes under the
table, empty rows between. The title and notes are left out and said to be, the table is
read, and every problem names the row the participant sees in their spreadsheet."""

from __future__ import annotations

import html
import re

import pytest
from conftest import as_upload, old_workbook, workbook
from hypothesis import given, settings
from hypothesis import strategies as st

from eic.clusters import check_employment
from eic.own_data import SPECS, OwnDataPanel
from eic.table_cells import spreadsheet_rows
from eic.table_frames import frame_rows
from eic.tables import TableError
from eic.uploads import UploadError, read_upload

HEADER = ["region", "sector", "year", "employment"]
ROWS = [
    ["North", "Textiles", 2020, 300],
    ["North", "Services", 2020, 700],
    ["South", "Textiles", 2020, 350],
    ["South", "Services", 2020, 750],
]
# as downloaded: rows 1-2 a title, row 3 empty, row 4 the header, rows 5-8 the table,
# row 9 empty, rows 10-11 notes
DOWNLOADED = [
    ["Table 3.2 Employment by region and sector, 2020"],
    ["(persons employed)"],
    [],
    HEADER,
    *ROWS,
    [],
    ["Source: National Statistics Office (2021), Labour Force Survey 2020."],
    ["Note: figures are rounded."],
]


def as_csv(rows: list[list[object]]) -> bytes:
    return "\n".join(
        ",".join(f'"{c}"' if "," in str(c) else str(c) for c in r) for r in rows
    ).encode()


def as_file(kind: str, rows: list[list[object]]) -> tuple[bytes, str]:
    if kind == "csv":
        return as_csv(rows), "downloaded.csv"
    make = workbook if kind == "xlsx" else old_workbook
    return make({"data": [row or [None] for row in rows]}), f"downloaded.{kind}"


def problems_of(read) -> str:
    with pytest.raises(TableError) as caught, spreadsheet_rows(read.rows):
        check_employment(read.table)
    return " ".join(caught.value.problems)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
def test_a_downloaded_tables_title_and_notes_are_left_out_and_said(kind):
    read = read_upload(*as_file(kind, DOWNLOADED))
    assert list(read.table.columns) == HEADER
    assert check_employment(read.table)["employment"].tolist() == [300, 700, 350, 750]
    assert read.rows == [5, 6, 7, 8]
    said = " ".join(read.notes)
    unit = "line" if kind == "csv" else "row"
    assert (
        f"{unit}s 1 to 2 above the header ({unit} 4) look like the table's title and were left "
        "out ('Table 3.2 Employment by region and sector, 2020')"
    ) in said
    assert f"{unit}s 11 to 12 under the table look like notes and were left out" not in said
    assert f"{unit}s 10 to 11 under the table look like notes and were left out" in said
    assert "'Source: National Statistics Office (2021), Labour Force Survey 2020.'" in said


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
def test_a_problem_is_named_by_the_row_the_spreadsheet_shows(kind):
    rows = [list(row) for row in DOWNLOADED]
    rows[6][3] = "n/a"  # row 7: South, Textiles
    rows[7][3] = -5  # row 8
    message = problems_of(read_upload(*as_file(kind, rows)))
    assert "column 'employment' has text in row 7 ('n/a')" in message
    assert "column 'employment' in row 8 is -5" in message


def test_rows_after_an_empty_row_in_the_table_keep_their_own_numbers():
    rows = [HEADER, ROWS[0], [], ROWS[1], ["South", "", 2020, 350], ROWS[3]]
    message = problems_of(read_upload(as_csv(rows), "gap.csv"))
    assert "column 'sector' in row 5 is empty" in message  # line 5 of the file, not row 4


@pytest.mark.parametrize(
    "note",
    ["Source: Labour Force Survey", "* provisional", "资料来源：国家统计局",
     "ที่มา: สำนักงานสถิติแห่งชาติ", "Sumber: Badan Pusat Statistik", "Nguồn: Tổng cục Thống kê",
     "NOTE - rounded"],
)  # fmt: skip
def test_notes_right_under_the_table_are_known_by_how_they_begin(note):
    read = read_upload(as_csv([HEADER, *ROWS, [note]]), "notes.csv")
    assert len(read.table) == 4 and read.rows == [2, 3, 4, 5]
    assert f"line 6 under the table looks like notes and was left out ('{note}')" in " ".join(
        read.notes
    )


def test_a_row_of_one_cell_right_under_the_table_is_a_row_with_its_numbers_missing():
    # not notes: a region typed with nothing else, which the participant must hear about
    read = read_upload(as_csv([HEADER, *ROWS, ["East"]]), "short.csv")
    assert len(read.table) == 5 and not read.notes
    message = problems_of(read)
    assert "column 'sector' in row 6 is empty" in message


def test_a_one_column_table_and_a_plain_table_are_read_as_they_are():
    header, body, notes = frame_rows([(1, ["firm"]), (2, ["A"]), (3, ["B"])])
    assert header == ["firm"] and [r for r, _ in body] == [2, 3] and notes == []
    read = read_upload(as_csv([HEADER, *ROWS]), "plain.csv")
    assert read.notes == [] and read.rows == [2, 3, 4, 5]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_more_above_the_header_than_a_title_is_refused_saying_where_the_header_is(kind):
    rows = [[f"Line {i} of a long preface"] for i in range(12)] + [HEADER, *ROWS]
    with pytest.raises(UploadError) as caught:
        read_upload(*as_file(kind, rows))
    unit = "line" if kind == "csv" else "row"
    message = " ".join(caught.value.problems)
    assert f"the header seems to be {unit} 13 ('region sector year employment')" in message
    assert f"under 12 {unit}s of text; delete the {unit}s above the header" in message


def test_the_panel_takes_a_downloaded_workbook_and_says_what_it_left_out(folder):
    panel = OwnDataPanel(SPECS["m02"], folder)
    content, name = as_file("xlsx", DOWNLOADED)
    panel.upload.value = as_upload(content, name)
    shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", panel.message.value)))
    assert "was read, checked and saved" in shown
    assert "rows 1 to 2 above the header (row 4) look like the table's title" in shown
    assert "rows 10 to 11 under the table look like notes" in shown
    assert panel.table["employment"].tolist() == [300, 700, 350, 750]
    bad = [list(row) for row in DOWNLOADED]
    bad[5][1] = ""  # row 6
    panel.upload.value = as_upload(*as_file("xlsx", bad))
    shown = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", panel.message.value)))
    assert "was not used" in shown and "column 'sector' in row 6 is empty" in shown


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_row_of_units_under_the_header_is_left_out_with_a_word_on_units(kind):
    rows = [HEADER, ["", "", "", "(persons)"], *ROWS]
    rows[3] = [*rows[3][:3], "about 700"]  # row 4
    read = read_upload(*as_file(kind, rows))
    unit = "line" if kind == "csv" else "row"
    assert (
        f"{unit} 2, under the header, gives the columns' units ('(persons)') and was left out: "
        "check that the numbers are in the units the template asks for"
    ) in " ".join(read.notes)
    assert read.rows == [3, 4, 5, 6]
    assert "column 'employment' has text in row 4 ('about 700')" in problems_of(read)


def test_a_row_under_the_header_with_anything_out_of_brackets_is_a_row():
    read = read_upload(as_csv([HEADER, ["North", "(all)", 2020, "(300)"], *ROWS[1:]]), "b.csv")
    assert read.rows == [2, 3, 4, 5] and not read.notes


# a time series as yearbooks print it: a title, a heading over the years, a source
SERIES = [
    ["Table 5. Employment by region and sector"],
    [],
    ["Region", "Sector", "Employment (persons)", None],
    [None, None, 2015, 2020],
    ["North", "Textiles", 250, 300],
    ["North", "Services", 600, 700],
    ["South", "Textiles", 180, 200],
    ["South", "Services", 1500, 1800],
    [],
    ["Source: National Statistics Office"],
]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xls"])
def test_a_header_on_two_rows_is_read_as_one_and_a_yearbooks_series_analysed(kind):
    rows = [["" if cell is None else cell for cell in row] for row in SERIES]
    read = read_upload(*as_file(kind, rows if kind == "csv" else SERIES))
    assert list(read.table.columns) == ["Region", "Sector", "2015", "2020"]
    assert read.rows == [5, 6, 7, 8]
    unit = "line" if kind == "csv" else "row"
    assert (
        f"{unit}s 3 and 4 were read together as the header, as a heading over several columns "
        "has the columns' own headings under it: 'Region', 'Sector', '2015', '2020'"
    ) in " ".join(read.notes)
    clean = check_employment(read.table)
    assert sorted(set(clean["year"])) == [2015, 2020]
    assert (
        clean.set_index(["region", "sector", "year"]).loc[("South", "Services", 2015)].item()
        == 1500
    )


def test_a_row_under_a_full_header_with_its_first_cell_empty_is_a_row_of_the_table():
    # headings all filled: the row under them is the table's, and its empty name is reported
    read = read_upload(as_csv([HEADER, ["", "Textiles", 2020, 300], *ROWS[1:]]), "m.csv")
    assert list(read.table.columns) == HEADER and read.rows == [2, 3, 4, 5]
    assert "column 'region' in row 2 is empty" in problems_of(read)


def test_a_row_with_an_empty_name_and_a_cell_past_the_header_is_not_a_second_header():
    message_of = pytest.raises(
        UploadError, read_upload, as_csv([HEADER, ["", "Textiles", 2020, 300, 9]]), "x.csv"
    )
    assert "line 2 has 5 cells but the header has 4" in " ".join(message_of.value.problems)


@pytest.mark.parametrize("mark", ["..", "-", "x", "–", "n/a", "…"])
def test_a_number_not_given_is_the_only_cell_named_and_said_to_be_one(mark):
    # the other numbers have thousands separators: they are read, not called text
    rows = [
        HEADER,
        ["North", "Textiles", 2020, mark],
        ["North", "Services", 2020, "1,700"],
        ["South", "Textiles", 2020, "2,350"],
        ["South", "Services", 2020, "12,750"],
    ]
    message = problems_of(read_upload(as_csv(rows), "marks.csv"))
    assert f"column 'employment' has text in row 2 ('{mark}'); enter a number" in message
    assert "as published tables mark a number they do not give" in message
    assert "1,700" not in message and "row 3" not in message


def test_numbers_beside_a_mark_are_read_and_beside_a_label_left_alone():
    read = read_upload(as_csv([["share", "name"], ["-", "a"], ["1,5", "b"]]), "marks.csv")
    assert read.table["share"].tolist() == ["-", "1.5"]
    read = read_upload(as_csv([["code", "name"], ["3,4-di", "a"], ["1,5", "b"]]), "codes.csv")
    assert read.table["code"].tolist() == ["3,4-di", "1,5"]


_cells = st.sampled_from(["", "", "North", "Textiles", "1,700", "2020", "(persons)", "Source: x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.lists(_cells, min_size=1, max_size=4)),
                min_size=1, max_size=14))  # fmt: skip
def test_no_row_of_the_table_is_ever_left_out_unsaid(shape):
    # any rows (each after a gap of 1 to 3 lines), framed: the header and the table's rows
    # come in order, and whatever was left out is a title, units, a second header row or
    # notes, each said
    records, number = [], 0
    for gap, cells in shape:
        number += gap
        if any(cell for cell in cells):
            records.append((number, cells))
    if not records:
        return
    try:
        header, body, notes = frame_rows(records)
    except ValueError as err:
        assert "the header seems to be" in str(err)
        return
    numbers = [n for n, _ in records]
    kept = [n for n, _ in body]
    assert kept == sorted(kept) and set(kept) <= set(numbers)
    wide = [n for n, c in records if sum(1 for cell in c if cell) >= 2]
    head = wide[0] if wide else numbers[0]  # the header: the first row of two cells or more
    left = [(n, c) for n, c in records if n not in kept and n != head]
    for _, cells in left:
        filled = [c for c in cells if c]
        one_cell = len(filled) == 1
        units = all(c.startswith("(") for c in filled)
        assert one_cell or units or not cells[0], cells  # a title, notes, units, a 2nd header
    if left:
        assert notes
