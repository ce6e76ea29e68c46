"""A flow table (Module 3): what each row says, and the check a table must pass.

A flow table has one row per flow: its name, the process it leaves (``source``), the
process it enters (``target``), the substance (water, salt, energy, ...), the quantity and
its unit (one of :data:`UNITS`, see :mod:`eic.flow_units`). A blank ``source`` means the
flow enters from outside the system (an import: well water, salt bought); a blank
``target`` means it leaves the system (an export: discharge to a river, vapour). A flow
whose target is ``stock`` stays inside its source process (salt piling up in a sludge yard).

:func:`check_flows` refuses a table whose balances could not be read, naming the row and
the fix; the balances themselves, the unknown flow and the charts are :mod:`eic.flows`.

>>> import pandas as pd
>>> table = pd.DataFrame({
...     "flow": ["Well water", "Effluent", "Sludge"],
...     "source": ["", "Dye house", "Plant"],
...     "target": ["Dye house", "Plant", "stock"],
...     "substance": ["Water", "water", "water"],
...     "quantity": [100, 90, 5],
...     "unit": ["m3/day"] * 3,
... })
>>> processes(table)
['Dye house', 'Plant']
"""

from __future__ import annotations

import pandas as pd

from eic.flow_units import UNITS, same_unit, unit_advice
from eic.table_cells import Column, row_label
from eic.tables import TableError, capital_spellings, check_table, normalise_name

STOCK = "stock"
FLOW_COLUMNS = (
    Column("flow", "text"),
    Column("source", "text", allow_blank=True),
    Column("target", "text", allow_blank=True),
    Column("substance", "text"),
    Column("quantity", "number", allow_blank=True),
    Column("unit", "text", allowed=UNITS, exact_case=("ML/day",), advice=unit_advice),
)


def check_flows(table: pd.DataFrame) -> pd.DataFrame:
    """Check a flow table; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: flow names are unique, a flow does not go from a
    process to itself or from outside to outside, each substance has one unit, and each
    process is spelt one way (substances are matched ignoring capitals; two processes
    whose names differ only in capitals are refused, not merged, as they might be meant as
    two processes).
    """
    table, notes = _units_as_the_table_writes_them(table)
    clean = check_table(table, FLOW_COLUMNS, what="flow table", key=["flow"])
    clean["substance"] = clean["substance"].str.lower()
    problems = []
    units: dict[str, tuple[str, int]] = {}
    for position, row in enumerate(clean.itertuples(index=False)):
        where = f"{row_label(position)} ('{row.flow}')"
        if not row.source and not row.target:
            problems.append(
                f"{where} has neither a source nor a target; name at least the process it "
                "leaves or enters"
            )
        elif row.source == row.target:
            problems.append(f"{where} goes from '{row.source}' to itself; fix its target")
        elif row.source.lower() == STOCK:
            problems.append(
                f"{where} comes from '{STOCK}'; a flow out of a stock is a negative stock "
                f"change: write it as a flow to '{STOCK}' with the process as source"
            )
        if row.substance in units and units[row.substance][0] != row.unit:
            first_unit, first_row = units[row.substance]
            problems.append(
                f"substance '{row.substance}' is in {first_unit} in {row_label(first_row)} but "
                f"in {row.unit} in {row_label(position)}; use one unit for each substance"
            )
        units.setdefault(row.substance, (row.unit, position))
    if notes:  # said to the participant with the upload's own notes
        clean.attrs["notes"] = notes
    problems += capital_spellings(
        clean, ["source", "target"], "process", besides=[STOCK], plural="processes"
    )
    if problems:
        raise TableError("flow table", problems)
    return clean


def _units_as_the_table_writes_them(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with each unit that is another way of writing one of :data:`UNITS` ("m3/d",
    India's "KLD" for kilolitres a day) written as that unit, and a note of what was read
    so; a unit of another scale is left for the check to refuse with its conversion."""
    if not isinstance(table, pd.DataFrame):
        return table, []
    headings = [h for h in table.columns if normalise_name(h) == "unit"]
    if len(headings) != 1:
        return table, []
    units = table[headings[0]]
    read = {u: same for u in dict.fromkeys(units) if (same := same_unit(u)) is not None}
    if not read:
        return table, []
    said = ", ".join(f"'{str(u).strip()}' as {same}" for u, same in read.items())
    note = f"units written another way were read as the table's own: {said}"
    return table.assign(**{headings[0]: units.map(lambda u: read.get(u, u))}), [note]


def processes(table: pd.DataFrame) -> list[str]:
    """The processes inside the system, in the order they first appear."""
    clean = check_flows(table)
    names: list[str] = []
    for name in list(clean["source"]) + list(clean["target"]):
        if name and name.lower() != STOCK and name not in names:
            names.append(name)
    return names
