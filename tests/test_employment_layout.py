"""Module 2 reads an employment table laid out as a yearbook prints it, a column per sector."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from conftest import workbook

from eic.clusters import check_employment, location_quotients, shift_share
from eic.employment_layout import heading_year
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


# -- a time series: a row per region and sector, a column per year ------------------------
def as_series(table: pd.DataFrame) -> pd.DataFrame:
    """The same numbers as a yearbook prints a time series: a column for each year."""
    rows = as_rows(table)
    series = rows.pivot(index=["region", "sector"], columns="year", values="employment")
    order = list(dict.fromkeys(zip(rows["region"], rows["sector"], strict=True)))
    return series.loc[order].reset_index().rename_axis(columns=None)


def test_a_time_series_gives_the_same_analysis_as_the_templates_rows():
    series = as_series(YEARBOOK)
    assert list(series.columns) == ["region", "sector", 2010, 2020]
    pd.testing.assert_frame_equal(
        location_quotients(series, 2020), location_quotients(as_rows(YEARBOOK), 2020)
    )
    pd.testing.assert_frame_equal(
        shift_share(series, "South", 2010, 2020),
        shift_share(as_rows(YEARBOOK), "South", 2010, 2020),
    )
    (note,) = check_employment(series).attrs["notes"]
    assert "a column for each year ('2010', '2020')" in note
    assert "12 rows of region, sector, year and employment" in note


def test_a_time_series_file_with_year_headings_and_a_unit_column_is_uploaded(folder):
    text = (
        "Region;Sector;Unit;2015;2020\n"
        "North;Textiles;persons;250;300\nNorth;Services;persons;600;700\n"
        "South;Textiles;persons;180;200\nSouth;Services;persons;1500;1800\n"
    )
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert panel.receive(text.encode("utf-8"), "series.csv")
    shown = html.unescape(panel.message.value)
    assert "a column for each year ('2015', '2020')" in shown
    assert "column 'Unit' was not used" in shown
    saved = pd.read_csv(panel.file.path)
    assert sorted(set(saved["year"])) == [2015, 2020]
    assert (
        saved.set_index(["region", "sector", "year"]).loc[("South", "Services", 2015)].item()
        == 1500
    )


def test_a_bad_number_in_a_time_series_is_named_by_its_row_and_year_column():
    table = as_series(YEARBOOK).astype(object)
    table.loc[3, 2020] = "n/a"  # spreadsheet row 5
    table.loc[0, 2010] = -4  # row 2
    message = problems_of(table)
    assert "column '2020' has text in row 5 ('n/a')" in message
    assert "column '2010' in row 2 is -4" in message


def test_year_columns_without_a_sector_column_say_what_is_missing():
    totals = pd.DataFrame({"region": ["North", "South"], "2015": [970, 1690], "2020": [1100, 2000]})
    message = problems_of(totals)
    assert "column 'sector' is missing: the columns '2015', '2020' are years" in message
    assert "'2015'" not in message.split("are years")[1]  # years are not taken for sectors


@pytest.mark.parametrize(
    ("heading", "year"),
    [(2015, 2015), ("2015", 2015), (2015.0, 2015), (" 2020.0 ", 2020), ("1899", None),
     ("2015-2020", None), ("2015/17", None), ("Textiles", None), ("20150", None)],
)  # fmt: skip
def test_a_heading_is_a_year_only_when_it_is_one(heading, year):
    assert heading_year(heading) == year


# -- a region's name written once above its rows ------------------------------------------
def test_a_regions_name_written_once_above_its_rows_is_read_for_each_of_them():
    rows = as_rows(YEARBOOK)
    grouped = rows.astype(object)
    grouped.loc[
        grouped["region"].duplicated() & (grouped["region"] == grouped["region"].shift()), "region"
    ] = None
    assert grouped["region"].isna().sum() > 0
    clean = check_employment(grouped)
    pd.testing.assert_frame_equal(location_quotients(grouped), location_quotients(rows))
    (note, *_) = clean.attrs["notes"]
    blanks = [f"row {p + 2}" for p in grouped.index[grouped["region"].isna()]]
    assert f"column 'region' was empty in {len(blanks)} rows under a region's name" in note
    assert f"({', '.join(blanks[:4])} and {len(blanks) - 4} more)" in note


def test_a_series_with_regions_in_merged_cells_is_uploaded_as_downloaded(folder):
    rows = [
        ["Region", "Sector", 2015, 2020],
        ["North", "Textiles", 250, 300],
        [None, "Services", 600, 700],  # cells merged down a region save as empty
        ["South", "Textiles", 180, 200],
        [None, "Services", 1500, 1800],
    ]
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert panel.receive(workbook({"data": rows}), "series.xlsx")
    shown = html.unescape(panel.message.value)
    assert "column 'region' was empty in 2 rows under a region's name (row 3, row 5)" in shown
    saved = pd.read_csv(panel.file.path)
    assert saved.groupby("region")["employment"].sum().to_dict() == {"North": 1850, "South": 3680}


def test_a_missing_region_read_as_the_one_above_is_still_caught_as_a_repeat():
    rows = as_rows(YEARBOOK).astype(object)
    rows.loc[3, "region"] = ""  # South's Textiles of 2010, after North's Mining: not a group
    message = problems_of(rows)
    assert "repeat region 'North', sector 'Textiles', year '2010'" in message


@pytest.mark.parametrize(
    ("heading", "year"),
    [("2020p", 2020), ("2019 r", 2019), ("2020*", 2020), ("2020 (p)", 2020), ("Year 2015", 2015),
     ("FY2020", 2020), ("2020e", 2020), ("2020 total", None), ("2015年", 2015),
     ("2015年度", 2015)],
)  # fmt: skip
def test_a_year_marked_as_yearbooks_mark_them_is_a_year(heading, year):
    assert heading_year(heading) == year


def test_a_series_with_a_preliminary_year_is_read_and_says_how():
    series = as_series(YEARBOOK).rename(columns={2020: "2020p"})
    clean = check_employment(series)
    assert sorted(set(clean["year"])) == [2010, 2020]
    assert "('2010', '2020p', read as years: '2020p' as 2020)" in clean.attrs["notes"][0]


def test_two_columns_of_the_same_year_are_refused_naming_both():
    series = as_series(YEARBOOK).assign(**{"2020p": 1})
    assert "columns '2020', '2020p' are all the year 2020; keep one of them" in problems_of(series)


# -- fiscal years across two calendar years -------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "year"),
    [("2015/16", 2015), ("2015-16", 2015), ("2015\u201316", 2015), ("2015-2016", 2015),
     ("FY 2015-16", 2015), ("1999/00", 1999), ("2015/16p", 2015), ("2015-17", None),
     ("2015/2017", None), ("2015-2020", None), ("2015/1", None)],
)  # fmt: skip
def test_a_fiscal_year_is_the_year_it_begins_and_a_period_is_no_year(heading, year):
    assert heading_year(heading) == year


def test_a_series_of_fiscal_years_gives_the_same_analysis_and_says_how_it_read_them():
    series = as_series(YEARBOOK).rename(columns={2010: "2010-11", 2020: "2020/21"})
    clean = check_employment(series)
    assert sorted(set(clean["year"])) == [2010, 2020]
    pd.testing.assert_frame_equal(location_quotients(series), location_quotients(YEARBOOK))
    (note,) = clean.attrs["notes"]
    assert "read as years: '2010-11' as 2010, '2020/21' as 2020" in note
    assert "(a fiscal year is read as the year it begins)" in note


def test_a_year_column_of_fiscal_years_is_read_and_a_period_is_still_named():
    rows = as_rows(YEARBOOK).astype({"year": object})
    rows["year"] = rows["year"].map({2010: "2010/11", 2020: "FY2020"})
    clean = check_employment(rows)
    pd.testing.assert_frame_equal(
        shift_share(rows, "North", 2010, 2020), shift_share(as_rows(YEARBOOK), "North", 2010, 2020)
    )
    (note,) = clean.attrs["notes"]
    assert note.startswith("column 'year' was read as years: '2010/11' as 2010, 'FY2020' as 2020")
    rows.loc[4, "year"] = "2010-2020"
    assert "'2010-2020'" in problems_of(rows)  # a period is not a year: named, not guessed


def test_a_series_of_fiscal_years_in_a_csv_file_is_uploaded_and_analysed(folder):
    text = "Region,Sector,2010-11,2020-21\nNorth,Textiles,250,300\nNorth,Services,600,700\n"
    text += "South,Textiles,180,200\nSouth,Services,1500,1800\n"
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert panel.receive(text.encode(), "series.csv")
    shown = html.unescape(panel.message.value)
    read = "'2010-11' as 2010, '2020-21' as 2020 (a fiscal year is read as the year it begins)"
    assert read in shown
    saved = pd.read_csv(panel.file.path)
    assert sorted(set(saved["year"])) == [2010, 2020]


@pytest.mark.parametrize(
    "heading, cells",
    [
        ("STT", [1, 2, 3, 4]),  # Viet Nam's row numbers
        ("No.", [1, 2, 3, 4]),  # Indonesia's
        ("#", [1, 2, 3, 4]),
        ("ลำดับ", [1, 2, 3, 4]),  # a row number under a heading in Thai
        ("Province code", [14, 15, 14, 15]),
        ("Kode", [14, 15, 14, 15]),
        ("Labour force", [1000, 2000, 1100, 2100]),
    ],
)
def test_a_row_number_code_or_labour_force_column_is_not_read_as_a_sector(heading, cells):
    table = YEARBOOK.assign(**{heading: cells})[[heading, *YEARBOOK.columns]]
    read = check_employment(table)
    # the analysis is that of the sectors alone, as if the column were not there
    assert list(dict.fromkeys(read["sector"])) == ["Textiles", "Services", "Mining"]
    pd.testing.assert_frame_equal(location_quotients(table), location_quotients(YEARBOOK))
    (note,) = read.attrs["notes"]
    assert f"column '{heading}' was not used: it is not a sector's employment" in note


def test_a_sector_whose_numbers_only_look_like_row_numbers_in_places_stays_a_sector():
    table = YEARBOOK.assign(Mining=[1, 2, 4, 3])  # not 1, 2, 3, ... down the rows
    assert "Mining" in set(check_employment(table)["sector"])
    assert "not used" not in check_employment(table).attrs["notes"][0]
