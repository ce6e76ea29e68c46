"""Rows grouped under a name written once, as published tables and survey sheets list them.

A yearbook writes a region's name once above its sectors' rows; a survey sheet writes a
firm's name (and its location) once above the materials it lists. Cells merged down the
rows save the same way: the name in the first row, the others empty. Read as they are,
each of those rows would be refused for its empty name, one problem per row.

:func:`fill_grouped` reads such a row as the name above it: a row whose every ``keys``
cell is empty, but which holds something else, under a row that has them. It says which
rows it filled, by the participant's own row numbers, so they can be checked in the
preview; a name read wrongly this way also shows as a repeat in the module's own check.

>>> table = pd.DataFrame({"region": ["North", None, "South", ""], "sector": ["T", "S"] * 2})
>>> filled, notes = fill_grouped(table, ["region"], "region")
>>> filled["region"].tolist()
['North', 'North', 'South', 'South']
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from eic.table_cells import is_blank, row_label
from eic.tables import normalise_name


def fill_grouped(
    table: pd.DataFrame, keys: Sequence[str], what: str
) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with each row whose ``keys`` columns (by their normalised names; those
    present) are all empty read as the row above, and a note of what was done; the table
    as it is if its first row has no ``keys``, or no row is to fill. ``what`` names the
    thing the keys give ("region", "firm")."""
    headings = [h for h in table.columns if normalise_name(h) in keys]
    if not headings or len(table) < 2:
        return table, []
    blank = table[headings].map(is_blank).to_numpy().all(axis=1)
    others = table.drop(columns=headings)
    rest = ~others.map(is_blank).to_numpy().all(axis=1) if others.shape[1] else blank & False
    fill = blank & rest
    if blank[0] or not fill.any():
        return table, []
    table = table.copy()
    for heading in headings:
        above = table[heading].where(~table[heading].map(is_blank)).ffill().to_numpy(object)
        values = table[heading].to_numpy(dtype=object).copy()
        values[fill] = above[fill]  # only the rows to fill; the others exactly as they were
        table[heading] = values
    rows = [row_label(int(position)) for position in fill.nonzero()[0]]
    shown = ", ".join(rows[:4]) + (f" and {len(rows) - 4} more" if len(rows) > 4 else "")
    columns = ", ".join(f"'{normalise_name(h)}'" for h in headings)
    plural = len(rows) > 1
    note = (
        f"{'columns' if len(headings) > 1 else 'column'} {columns} "
        f"{'were' if len(headings) > 1 else 'was'} empty in {len(rows)} row{'s' * plural} "
        f"under a {what}'s name ({shown}), as tables give a {what}'s name once above its "
        f"rows: {'each was' if plural else 'it was'} read as the {what} above; check the "
        f"{what}s in the preview"
    )
    return table, [note]
