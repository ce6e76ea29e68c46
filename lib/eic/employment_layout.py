"""An employment table laid out as a yearbook prints it: a row per region, a column per sector.

Module 2 reads a table with a row for each region, sector and year (columns ``region``,
``sector``, ``year`` and ``employment``). Statistical yearbooks print employment the other
way: a row for each region and a column for each sector. Turning that round by hand in a
spreadsheet is slow and easy to get wrong, so a table with a column ``region``, a column
``year`` and two or more other columns, and neither ``sector`` nor ``employment``, is taken
to have a column per sector and is turned round here. Each of its numbers is checked where
the participant typed it (its row and its sector's column) before that.

>>> table = pd.DataFrame({"Region": ["North", "South"], "Year": 2020,
...                       "Textiles": [300, 200], "Services": [700, 1800]})
>>> long, notes = long_from_wide(table)
>>> long.to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
{'region': ['North', 'South', 'North', 'South'], 'year': [2020.0, 2020.0, 2020.0, 2020.0],
 'sector': ['Textiles', 'Textiles', 'Services', 'Services'],
 'employment': [300.0, 200.0, 700.0, 1800.0]}
"""

from __future__ import annotations

import pandas as pd

from eic.tables import Column, TableError, check_cells, check_table, normalise_name

WHAT = "employment table"
# the columns a yearbook's table has besides its sectors, as check_employment reads them
ROW_COLUMNS = (Column("region", "text"), Column("year", "number", minimum=1900))


def long_from_wide(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with a row for each region, sector and year, and what was done to make it
    so (nothing, for a table that has a column ``sector`` or ``employment``, or no column
    ``region``, or fewer than two other columns): see the module's text. A table with a
    column per sector and no column ``year`` is refused with how to add one."""
    names = {normalise_name(heading) for heading in table.columns}
    sectors = [
        heading
        for heading in table.columns
        if normalise_name(heading) not in ("region", "year") and str(heading).strip()
    ]
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
    return long, [note]


def _listed(names: list) -> str:
    quoted = [f"'{str(name).strip()}'" for name in names]
    return ", ".join(quoted[:4]) + (f" and {len(quoted) - 4} more" if len(quoted) > 4 else "")
