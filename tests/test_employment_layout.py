"""Module 2 reads an employment table laid out as a yearbook prints it, a column per sector."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from eic.clusters import check_employment, location_quotients, shift_share
from eic.own_data import SPECS, OwnDataPanel
from eic.tables import TableError
from eic.uploads import read_upload

# employment (persons) in two regions, three sectors and two years, as a yearbook prints it
YEARBOOK = pd.DataFrame(
    {
        "Region": ["North", "South", "North", "South"],
        "Year": [2010, 2010, 2020, 2020],
        "Textiles": [250, 180, 300, 200],
        "Services": [600, 1500, 700, 1800],
        "Mining": [120, 10, 100, 0],
    }
)


def as_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The same numbers typed as Module 2's template asks: a row per region, sector, year."""
    rows = [
        {"region": row["Region"], "sector": sector, "year": row["Year"], "employment": row[sector]}
        for _, row in table.iterrows()
        for sector in ("Textiles", "Services", "Mining")
    ]
    return pd.DataFrame(rows)


def problems_of(table: pd.DataFrame) -> str:
    with pytest.raises(TableError) as caught:
        check_employment(table)
    return " ".join(caught.value.problems)


def test_a_yearbooks_table_gives_the_same_analysis_as_the_templates_rows():
    wide, rows = check_employment(YEARBOOK), check_employment(as_rows(YEARBOOK))
    assert len(wide) == len(rows) == 12
    pd.testing.assert_frame_equal(
        location_quotients(YEARBOOK), location_quotients(as_rows(YEARBOOK))
    )
    pd.testing.assert_frame_equal(
        shift_share(YEARBOOK, "North", 2010, 2020),
        shift_share(as_rows(YEARBOOK), "North", 2010, 2020),
    )
    assert list(dict.fromkeys(wide["sector"])) == ["Textiles", "Services", "Mining"]
    (note,) = wide.attrs["notes"]
    assert "a column for each sector ('Textiles', 'Services', 'Mining')" in note
    assert "12 rows of region, sector, year and employment" in note
    assert "notes" not in rows.attrs  # a table of rows needs no word


def test_without_a_year_column_it_says_to_add_one():
    message = problems_of(YEARBOOK.drop(columns="Year"))
    assert (
        "column 'year' is missing: the table has a column for each sector ('Textiles', "
        "'Services', 'Mining'); add a column 'year' with the year of each row's numbers"
    ) in message


def test_a_bad_number_is_named_by_its_own_row_and_sector_column():
    table = YEARBOOK.astype(object)
    table.loc[2, "Services"] = "about 700"  # spreadsheet row 4
    table.loc[1, "Mining"] = -10  # row 3
    message = problems_of(table)
    assert "column 'Services' has text in row 4 ('about 700')" in message
    assert "column 'Mining' in row 3" in message
    assert "employment" not in message  # no column of that name was typed


def test_a_region_and_year_typed_twice_are_named_by_their_rows():
    table = pd.concat([YEARBOOK, YEARBOOK.iloc[[0]]], ignore_index=True)
    assert "row 2 and row 6 repeat region 'North', year '2010'" in problems_of(table)


def test_a_table_with_sector_or_employment_columns_is_read_as_rows():
    # a misspelt template is not taken for a yearbook: its own problems are said
    rows = as_rows(YEARBOOK).rename(columns={"employment": "employed"})
    message = problems_of(rows)
    assert "column 'employment' is missing; is 'employed' meant to be 'employment'?" in message


def test_a_yearbooks_csv_with_chinese_sector_names_is_uploaded_and_analysed(folder):
    text = "region,year,纺织,服务业,采矿业\n江苏,2020,300,700,100\n浙江,2020,200,1800,0\n"
    read = read_upload(text.encode("utf-8"), "yearbook.csv")
    assert list(dict.fromkeys(check_employment(read.table)["sector"])) == [
        "纺织",
        "服务业",
        "采矿业",
    ]
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert panel.receive(text.encode("utf-8"), "yearbook.csv")
    assert "a column for each sector ('纺织', '服务业', '采矿业')" in html.unescape(
        panel.message.value
    )
    saved = pd.read_csv(panel.file.path)
    assert list(saved.columns) == ["region", "sector", "year", "employment"]
    assert len(saved) == 6
