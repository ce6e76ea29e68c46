"""An employment table laid out as a yearbook prints it: a column per sector, or per year.

Module 2 reads a table with a row for each region, sector and year (columns ``region``,
``sector``, ``year`` and ``employment``). Statistical yearbooks print employment other
ways. Turning a table round by hand in a spreadsheet is slow and easy to get wrong, so two
layouts are turned round here:

- a row for each region and year and a column for each sector: a table with a column
  ``region``, a column ``year`` and two or more other columns, and neither ``sector`` nor
  ``employment``;
- a row for each region and sector and a column for each year, as a time series is
  printed: a table with columns ``region`` and ``sector``, neither ``year`` nor
  ``employment``, and columns headed by years (``2015``, ``2020``).

Each number is checked where the participant typed it (its row and its column) before that.

>>> table = pd.DataFrame({"Region": ["North", "South"], "Year": 2020,
...                       "Textiles": [300, 200], "Services": [700, 1800]})
>>> long, notes = long_from_wide(table)
>>> long.to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
{'region': ['North', 'South', 'North', 'South'], 'year': [2020.0, 2020.0, 2020.0, 2020.0],
 'sector': ['Textiles', 'Textiles', 'Services', 'Services'],
 'employment': [300.0, 200.0, 700.0, 1800.0]}
"""

from __future__ import annotations

import re

import pandas as pd

from eic.table_cells import Column, check_cells
from eic.tables import TableError, check_table, normalise_name

WHAT = "employment table"
# the columns a yearbook's table has besides its sectors, as check_employment reads them
ROW_COLUMNS = (Column("region", "text"), Column("year", "number", minimum=1900))
# the columns a time series has besides its years
SERIES_COLUMNS = (Column("region", "text"), Column("sector", "text"))
FIRST_YEAR, LAST_YEAR = 1900, 2100


# a year as a heading: "2015", 2015.0 (a spreadsheet's number heading), "Year 2015",
# "FY2015", "2015年" or "2015年度"; a fiscal year across two calendar years, "2015/16",
# "2015-16" or "2015-2016"; and with the marks yearbooks add to a year's figures: "2020p" or
# "2020 (p)" (preliminary), "2019r" (revised), "2020e" (estimated), "2020*"
_YEAR = re.compile(
    r"(?:year|fy|y)?\s*(\d{4})(?:\s*[-/\u2013]\s*(\d{4}|\d{2}))?\s*(?:\u5e74\u5ea6?)?"
    r"\s*(?:\.0*|[pre*]|\([pre]\)|prel\.?|est\.?)?",
    re.IGNORECASE,
)
# a date as a workbook's date cell is read (eic.workbooks): "2020-01-01T00:00:00"
_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# how a fiscal year is read, in the notes that say so
FISCAL = "a fiscal year is read as the year it begins"


def heading_year(heading: object) -> int | None:
    """The year a column's heading (or a cell of column ``year``) is, or None: see
    :data:`_YEAR`. A fiscal year across two calendar years ("2015/16") is the year it begins,
    as Japan's and India's statistics name theirs; two years that do not follow each other
    ("2015-2020") are a period, not a year, and None."""
    text = str(heading).strip()
    date = _DATE.fullmatch(text)
    if date:  # a cell formatted as a date in Excel that shows only its year
        year = int(date.group(1))
        return year if FIRST_YEAR <= year <= LAST_YEAR else None
    found = _YEAR.fullmatch(text)
    if not found:
        return None
    year, ending = int(found.group(1)), found.group(2)
    if ending is not None and int(ending) != (year + 1) % 10 ** len(ending):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def years_in_column(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with each cell of its column ``year`` that is a year written as a yearbook
    writes it ("2020p", "2015/16", "FY2015") made that year, and a note saying how they were
    read; other cells are left for the table's check to name."""
    headings = [h for h in table.columns if normalise_name(h) == "year"]
    if len(headings) != 1:
        return table, []
    cells = table[headings[0]]
    written = [
        cell
        for cell in dict.fromkeys(cells)
        if isinstance(cell, str)
        and heading_year(cell) is not None
        and not re.fullmatch(r"\d{4}(\.0*)?", cell.strip())
    ]
    if not written:
        return table, []
    years = {cell: heading_year(cell) for cell in written}
    table = table.assign(**{headings[0]: cells.map(lambda cell: years.get(cell, cell))})
    return table, [f"column 'year' was read as years: {_read_as(written)}"]


def long_from_wide(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with a row for each region, sector and year, and what was done to make it
    so (nothing, for a table that has a column ``sector`` or ``employment``, or no column
    ``region``, or fewer than two other columns): see the module's text. A table with a
    column per sector and no column ``year`` is refused with how to add one."""
    names = {normalise_name(heading) for heading in table.columns}
    years = [heading for heading in table.columns if heading_year(heading) is not None]
    if years and "region" in names and not names & {"year", "employment"}:
        if "sector" in names:
            return _long_from_years(table, years)
        raise TableError(WHAT, [_no_sector(years)])
    others = [
        heading
        for heading in table.columns
        if normalise_name(heading) not in ("region", "year") and str(heading).strip()
    ]
    # a yearbook's row numbers ("No", "STT"), codes and the labour force are not sectors
    left = [heading for heading in others if not_a_sector(heading, table[heading])]
    sectors = [heading for heading in others if heading not in left]
    if "region" not in names or names & {"sector", "employment"} or len(sectors) < 2:
        return table, []
    shown = _listed(sectors)
    if "year" not in names:
        raise TableError(
            WHAT,
            [
                f"column 'year' is missing: the table has a column for each sector ({shown}); "
                "add a column 'year' with the year of each row's numbers (for example 2020), "
                "and it will be read that way"
            ],
        )
    rows = [h for h in table.columns if normalise_name(h) in ("region", "year")]
    clean = check_table(table[rows], ROW_COLUMNS, what=WHAT, key=["region", "year"])
    problems: list[str] = []
    for sector in sectors:
        column = Column(str(sector).strip(), "number", unit="persons employed", minimum=0)
        clean[column.name] = check_cells(column, table[sector], problems)
    if problems:
        raise TableError(WHAT, problems)
    long = clean.melt(id_vars=["region", "year"], var_name="sector", value_name="employment")
    note = (
        f"the table has a column for each sector ({shown}), so each of their numbers was read "
        "as the persons employed in its row's region and year and its column's sector: "
        f"{len(long):,} rows of region, sector, year and employment"
    )
    if left:
        they = "they are" if len(left) > 1 else "it is"
        note += (
            f"; column{'s' * (len(left) > 1)} {_listed(left)} {_were(left)} not used: {they} "
            "not a sector's employment but the rows' numbers or codes, or a count such as the "
            "labour force"
        )
    return long, [note]


# headings of a yearbook's columns that are not sectors, as the code spells them: row
# numbers (Viet Nam's "STT", Indonesia's "No."), codes (a province's statistical code) and
# counts of more than the employed
_ROW_NUMBERS = re.compile(
    r"(no|nr|nos|num|number|stt|tt|s_?no|sl_?no|sr_?no|serial(_no|_number)?|id|code|kode|"
    r"index|row|rank|urut|no_urut|ref)|.*_(code|kode|id)|(code|kode)_.*"
)
_NOT_SECTORS = frozenset({
    "labour_force", "labor_force", "population", "unemployed", "unemployment",
    "working_age_population", "angkatan_kerja", "penduduk", "jumlah_penduduk",
})  # fmt: skip


def not_a_sector(heading: object, cells: pd.Series) -> bool:
    """Whether a column of a table with a column per sector is something else: headed as
    a row number or a code, or as the labour force or population, or holding the numbers
    1, 2, 3, ... down its rows (a row number under any heading, "#" or "ลำดับ").

    >>> not_a_sector("STT", pd.Series([7, 8])), not_a_sector("#", pd.Series([1, 2, 3]))
    (True, True)
    >>> not_a_sector("Textiles", pd.Series([1, 2])), not_a_sector("Mining", pd.Series([4, 2, 3]))
    (False, False)
    """
    name = normalise_name(heading)
    if _ROW_NUMBERS.fullmatch(name) or name in _NOT_SECTORS:
        return True
    if not isinstance(cells, pd.Series):  # two columns under one heading: said by the check
        return False
    numbers = pd.to_numeric(cells, errors="coerce")
    counted = list(range(1, len(cells) + 1))
    return len(cells) >= 3 and numbers.notna().all() and numbers.tolist() == counted


def _long_from_years(table: pd.DataFrame, years: list) -> tuple[pd.DataFrame, list[str]]:
    rows = [h for h in table.columns if normalise_name(h) in ("region", "sector")]
    clean = check_table(table[rows], SERIES_COLUMNS, what=WHAT, key=["region", "sector"])
    problems: list[str] = []
    by_year: dict[int, list] = {}
    for heading in years:
        by_year.setdefault(heading_year(heading), []).append(heading)
    problems += [
        f"columns {_listed(same)} are all the year {year}; keep one of them (the latest "
        "figures, say) and delete the others"
        for year, same in by_year.items()
        if len(same) > 1
    ]
    for year in years:
        column = Column(str(year).strip(), "number", unit="persons employed", minimum=0)
        clean[heading_year(year)] = check_cells(column, table[year], problems)
    if problems:
        raise TableError(WHAT, problems)
    long = clean.melt(id_vars=["region", "sector"], var_name="year", value_name="employment")
    long = long[["region", "sector", "year", "employment"]]
    left = [h for h in table.columns if h not in years and h not in rows and str(h).strip()]
    note = (
        f"the table has a column for each year ({_listed(years)}{_as_years(years)}), so each "
        "of their numbers was read as the persons employed in its row's region and sector in "
        f"its column's year: {len(long):,} rows of region, sector, year and employment"
    )
    unused = ""
    if left:
        unused = f"; column{'s' * (len(left) > 1)} {_listed(left)} {_were(left)} not used"
    return long, [note + unused]


def _as_years(headings: list) -> str:
    """How headings that are more than a year ("2020p") were read, if any are."""
    marked = [h for h in headings if not re.fullmatch(r"\d{4}(\.0*)?", str(h).strip())]
    return f", read as years: {_read_as(marked)}" if marked else ""


def _read_as(written: list) -> str:
    """'2020p' as 2020, '2015/16' as 2015, ..., with how a fiscal year is read if one is,
    and how a date is (a cell Excel shows as a year may hold a whole date)."""
    shown = [str(h).strip().removesuffix("T00:00:00") for h in written]
    read = ", ".join(
        f"'{s}' as {heading_year(h)}" for s, h in zip(shown[:6], written[:6], strict=True)
    )
    read += f" and {len(written) - 6} more" if len(written) > 6 else ""
    texts = [str(h).strip() for h in written]
    fiscal = any((found := _YEAR.fullmatch(h)) and found.group(2) for h in texts)
    dates = any(_DATE.fullmatch(h) for h in texts)
    return (
        read
        + (f" ({FISCAL})" if fiscal else "")
        + (" (a date in Excel, shown as a year, is read as its year)" if dates else "")
    )


def _no_sector(years: list) -> str:
    return (
        f"column 'sector' is missing: the columns {_listed(years)} are years, so the table "
        "seems to hold each region's employment in each year with no sector, and Module 2 "
        "compares sectors; add a column 'sector' and give each region a row for each sector"
    )


def _were(names: list) -> str:
    return "were" if len(names) > 1 else "was"


def _listed(names: list) -> str:
    quoted = [f"'{str(name).strip()}'" for name in names]
    return ", ".join(quoted[:4]) + (f" and {len(quoted) - 4} more" if len(quoted) > 4 else "")
