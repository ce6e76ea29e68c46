"""Module 3: a cluster's resource flows, their balances, eco-efficiency and reuse.

A flow table has one row per flow, from the process it leaves (a blank ``source``: from
outside the system) to the process it enters (a blank ``target``: out of the system, or
``stock``: kept inside its source); :mod:`eic.flow_tables` says what each column holds and
checks a table (its names can be imported from here too). This is how material flow
analysis describes a system (Brunner & Rechberger, 2004): for each process and substance,
what goes in equals what comes out plus the change in stock.

>>> import pandas as pd
>>> table = pd.DataFrame({
...     "flow": ["Well water", "Effluent", "Vapour"],
...     "source": ["", "Dye house", "Dye house"],
...     "target": ["Dye house", "", ""],
...     "substance": ["water"] * 3,
...     "quantity": [100, 90, None],
...     "unit": ["m3/day"] * 3,
... })
>>> solved, flow = solve_unknown(table)
>>> flow.name, flow.quantity, flow.unit
('Vapour', 10.0, 'm3/day')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from eic.chart_cache import remembered
from eic.flow_tables import FLOW_COLUMNS, STOCK, check_flows, processes
from eic.flow_units import UNITS
from eic.sankey import SankeyEdge, draw_sankey

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

TOLERANCE = 0.005


def balance(table: pd.DataFrame, *, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Each process's balance for each substance it handles.

    Columns: process, substance, unit, inputs, outputs, stock_change, imbalance
    (inputs - outputs - stock change), imbalance_pct (of the larger of inputs and
    outputs), unknown_flows (names of flows with no quantity yet) and status: "balanced"
    when the imbalance is within ``tolerance`` (a share; 0.005 = 0.5 %), "not balanced",
    or "unknown flow".
    """
    clean = check_flows(table)
    rows = []
    for process in processes(clean):
        touching = clean[(clean["source"] == process) | (clean["target"] == process)]
        for substance, group in touching.groupby("substance", sort=False):
            into = group[group["target"] == process]
            out = group[(group["source"] == process) & (group["target"].str.lower() != STOCK)]
            stock = group[(group["source"] == process) & (group["target"].str.lower() == STOCK)]
            unknown = list(group.loc[group["quantity"].isna(), "flow"])
            inputs, outputs = into["quantity"].sum(), out["quantity"].sum()
            imbalance = inputs - outputs - stock["quantity"].sum()
            scale = max(inputs, outputs)
            if unknown:
                status = "unknown flow"
            elif abs(imbalance) <= tolerance * scale:
                status = "balanced"
            else:
                status = "not balanced"
            rows.append(
                {
                    "process": process,
                    "substance": substance,
                    "unit": group["unit"].iloc[0],
                    "inputs": inputs,
                    "outputs": outputs,
                    "stock_change": stock["quantity"].sum(),
                    "imbalance": imbalance,
                    "imbalance_pct": 100 * imbalance / scale if scale else 0.0,
                    "unknown_flows": ", ".join(unknown),
                    "status": status,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class SolvedFlow:
    """The value found for a flow that had no quantity, and the balance used to find it."""

    name: str
    quantity: float
    unit: str
    process: str

    def explain(self) -> str:
        return (
            f"'{self.name}' is {self.quantity:,.6g} {self.unit}: the value that makes the "
            f"balance of '{self.process}' close (inputs = outputs + stock change)."
        )


def closing_flow(known: pd.DataFrame, row: pd.Series, process: str) -> float:
    """The quantity of the flow ``row`` that closes ``process``'s balance of its substance,
    given the ``known`` flows (the flow itself left out); a ``ValueError`` when it would
    have to be negative, as another figure of that process must then be wrong."""
    same = known[known["substance"] == row["substance"]]
    inputs = same.loc[same["target"] == process, "quantity"].sum()
    outputs = same.loc[same["source"] == process, "quantity"].sum()
    value = inputs - outputs if row["source"] == process else outputs - inputs
    if value < -TOLERANCE * max(inputs, outputs):
        raise ValueError(
            f"closing the balance of '{process}' would need {value:,.6g} {row['unit']} for "
            f"'{row['flow']}', and a flow cannot be negative: another figure of "
            f"'{process}' ({row['substance']}) must be wrong"
        )
    return max(float(value), 0.0)


def solve_unknown(table: pd.DataFrame) -> tuple[pd.DataFrame, SolvedFlow]:
    """Fill in the one flow with no quantity from the balance of a process it touches.

    Returns the completed table and the :class:`SolvedFlow`. Raises ``ValueError`` when
    there is no unknown flow, more than one, or when closing the balance would need a
    negative flow (then another figure in the table is wrong).
    """
    clean = check_flows(table)
    unknown = clean.index[clean["quantity"].isna()]
    if len(unknown) == 0:
        raise ValueError("no flow is unknown: every flow already has a quantity")
    if len(unknown) > 1:
        names = ", ".join(f"'{n}'" for n in clean.loc[unknown, "flow"])
        raise ValueError(
            f"{len(unknown)} flows are unknown ({names}); one balance can find only one: "
            "measure or estimate all but one of them"
        )
    row = clean.loc[unknown[0]]
    process = row["source"] if row["source"] else row["target"]
    value = closing_flow(clean.drop(index=unknown[0]), row, process)
    solved = clean.copy()
    solved.loc[unknown[0], "quantity"] = value
    return solved, SolvedFlow(row["flow"], float(value), row["unit"], process)


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}; enter a number")
    return float(value)


def eco_efficiency(
    value: float, value_unit: str, influences: Mapping[str, tuple[float, str]]
) -> pd.DataFrame:
    """Eco-efficiency = product or service value / environmental influence (WBCSD, 2000).

    ``value`` is what the cluster delivers (t of fabric/day, USD/yr) and ``influences``
    maps each environmental influence to its (quantity, unit), e.g.
    ``{"freshwater": (6300, "m3/day")}``. One row per influence: the ratio and its unit.
    A higher ratio is better: more value for each unit of influence.

    >>> result = eco_efficiency(40, "t fabric/day", {"freshwater": (8000, "m3/day")})
    >>> float(result.loc[0, "eco_efficiency"]), result.loc[0, "ratio_unit"]
    (0.005, 't fabric per m3 (per day)')
    """
    amount = _number(value, "the value delivered")
    if amount < 0:
        raise ValueError(f"the value delivered is {amount:g}; it cannot be negative")
    if not influences:
        raise ValueError("give at least one environmental influence, e.g. freshwater used")
    value_base = value_unit.split("/")[0].strip()
    rows = []
    for name, (quantity, unit) in influences.items():
        q = _number(quantity, f"the quantity of '{name}'")
        if q <= 0:
            raise ValueError(
                f"the quantity of '{name}' is {q:g}; eco-efficiency divides by it, so it must "
                "be above 0 (leave out an influence the cluster no longer has)"
            )
        per = unit.split("/")
        period = f" (per {per[1]})" if len(per) > 1 else ""
        rows.append(
            {
                "influence": name,
                "quantity": q,
                "unit": unit,
                "eco_efficiency": amount / q,
                "ratio_unit": f"{value_base} per {per[0]}{period}",
            }
        )
    return pd.DataFrame(rows)


def zld_residue_name(substance: str) -> str:
    """The name of what a zero-liquid-discharge plant does not recover: vapour or solid
    residue for water, solid residue for anything else.

    >>> zld_residue_name("salt")
    'Not recovered: left in solid residue (ZLD)'
    """
    if substance.lower() == "water":
        return "Not recovered: evaporated or left in solid residue (ZLD)"
    return "Not recovered: left in solid residue (ZLD)"


def reuse_scenario(
    table: pd.DataFrame, plant: str, recovery: Mapping[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Recover part of what enters a treatment ``plant`` and send it back for reuse.

    ``recovery`` maps a substance to the share recovered (0-1), e.g. ``{"water": 0.96,
    "salt": 0.75}`` as in Tirupur's zero-liquid-discharge plants (IL&FS: 95-98 % of water,
    70-80 % of salt). For each substance the recovered amount goes back to the processes
    that sent it to the plant (in proportion), replacing part of what they take from
    outside. Under zero liquid discharge nothing leaves the plant as liquid: its releases
    out of the system (treated effluent to a river, water in sludge) are replaced by one
    flow, :func:`zld_residue_name`, of what enters minus what is recovered (and minus what
    the plant sends elsewhere inside the system): water that leaves as vapour or in solid
    residue, other substances in solid residue.

    A scenario is a design, so its plant balance closes: the share is taken of all that
    enters the plant, and the rest is the residue. When the measured balance did not close
    (a flow nobody measured, or a wrong meter), the design assumes that the missing amount
    has been found and is treated like the rest; ``measured_gap`` says how much it was
    (inputs minus measured outputs, 0 when the measured balance closed), so that a reader
    can be told the plant must find it first.

    Returns ``(summary, new_table)``: per substance the plant's inflow, the amount
    recovered, supply from outside and release from the plant before and after
    (``release_after`` is the residue), and the measured gap; and the flow table of the
    scenario, in which the plant's balance closes and every other process stays as
    balanced (or not) as it was.

    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "flow": ["Intake", "Effluent", "To the river"],
    ...     "source": ["", "Mill", "Plant"], "target": ["Mill", "Plant", ""],
    ...     "substance": ["water"] * 3, "quantity": [100, 100, 90], "unit": ["m3/day"] * 3,
    ... })
    >>> summary, after = reuse_scenario(table, "Plant", {"water": 0.95})
    >>> after.loc[after["source"] == "Plant", "quantity"].tolist()
    [95.0, 5.0]
    >>> after["flow"].iloc[-1], float(summary.loc[0, "measured_gap"])
    ('Not recovered: evaporated or left in solid residue (ZLD)', 10.0)
    """
    clean = check_flows(table)
    if clean["quantity"].isna().any():
        raise ValueError("fill in the unknown flow first (see solve_unknown)")
    if plant not in processes(clean):
        raise ValueError(f"no process named '{plant}'; processes: {', '.join(processes(clean))}")
    new = clean.copy()
    rows = []
    for substance, share in recovery.items():
        share = _number(share, f"the recovery share of {substance}")
        if not 0 <= share <= 1:
            raise ValueError(f"the recovery share of {substance} is {share:g}; give 0 to 1")
        same = clean["substance"] == substance
        feeds = clean[same & (clean["target"] == plant)]
        if feeds.empty:
            raise ValueError(f"no {substance} enters '{plant}'; nothing to recover")
        inflow = feeds["quantity"].sum()
        recovered = share * inflow
        suppliers = feeds.groupby("source", sort=False)["quantity"].sum()
        unit = feeds["unit"].iloc[0]
        supply_before = supply_after = 0.0
        for supplier, sent in suppliers.items():
            back = recovered * sent / inflow
            imports = new.index[
                (new["substance"] == substance)
                & (new["target"] == supplier)
                & (new["source"] == "")
            ]
            bought = new.loc[imports, "quantity"].sum()
            if back > bought + 1e-9 * max(bought, 1):
                raise ValueError(
                    f"recovering {share:.0%} of the {substance} would return "
                    f"{back:,.6g} to '{supplier}', more than it takes from outside "
                    f"({bought:,.6g}); lower the recovery share"
                )
            new.loc[imports, "quantity"] *= (bought - back) / bought if bought else 0
            supply_before += bought
            supply_after += bought - back
            new.loc[new.index.max() + 1] = {
                "flow": f"Recovered {substance}"
                + (f" to {supplier}" if len(suppliers) > 1 else ""),
                "source": plant,
                "target": supplier,
                "substance": substance,
                "quantity": back,
                "unit": unit,
            }
        releases = same & (clean["source"] == plant) & (clean["target"] == "")
        released = clean.loc[releases, "quantity"].sum()
        kept = clean[same & (clean["source"] == plant) & (clean["target"] != "")]
        release_after = inflow - recovered - kept["quantity"].sum()
        if release_after < -1e-9 * inflow:
            raise ValueError(
                f"'{plant}' already sends {kept['quantity'].sum():,.6g} of its {substance} "
                f"elsewhere; it cannot also recover {recovered:,.6g}: lower the recovery share"
            )
        release_after = max(release_after, 0.0)
        # zero liquid discharge: the old releases (to a river, in sludge) give way to one
        # residue, vapour or solid, of all that is not recovered
        new = new.drop(index=clean.index[releases])
        gap = inflow - released - kept["quantity"].sum()
        if abs(gap) <= TOLERANCE * inflow:  # a measured balance that closes
            gap = 0.0
        if release_after > 0:
            new.loc[new.index.max() + 1] = {
                "flow": zld_residue_name(substance),
                "source": plant,
                "target": "",
                "substance": substance,
                "quantity": release_after,
                "unit": unit,
            }
        rows.append(
            {
                "substance": substance,
                "unit": unit,
                "plant_inflow": inflow,
                "recovered": recovered,
                "supply_before": supply_before,
                "supply_after": supply_after,
                "release_before": released,
                "release_after": release_after,
                "measured_gap": gap,
            }
        )
    return pd.DataFrame(rows), new.reset_index(drop=True)


@remembered
def sankey_chart(table: pd.DataFrame, substance: str, *, title: str | None = None) -> Figure:
    """A Sankey diagram of one substance's flows: band widths proportional to quantity.

    Imports enter on the left, exports leave on the right, processes stand in between in
    the order the substance passes through them; a flow that goes back to an earlier
    process (recovered water) is drawn leaving on the right and re-entering on the left.
    Flows with no quantity are left out and counted in the title.
    """
    clean = check_flows(table)
    substance = substance.lower()
    flows = clean[clean["substance"] == substance]
    if flows.empty:
        known = ", ".join(sorted(set(clean["substance"])))
        raise ValueError(f"no flows of '{substance}'; the table has: {known}")
    missing = int(flows["quantity"].isna().sum())
    drawn = flows[flows["quantity"].fillna(0) > 0]
    if drawn.empty:
        raise ValueError(f"every flow of '{substance}' is zero or unknown; nothing to draw")
    edges = [
        SankeyEdge(
            row.flow,
            row.source or None,
            None
            if not row.target
            else f"Stock in {row.source}"
            if row.target.lower() == STOCK
            else row.target,
            row.quantity,
        )
        for row in drawn.itertuples(index=False)
    ]
    unit = drawn["unit"].iloc[0]
    note = f" ({missing} unknown flow{'s' if missing > 1 else ''} not drawn)" if missing else ""
    heading = title or f"Flows of {substance} in the cluster"
    return draw_sankey(
        edges, unit=unit, title=f"{heading}, {unit}{note}\nband width is proportional to the flow"
    )


def flow_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Imports and exports of each substance across the system boundary, with units."""
    clean = check_flows(table)
    rows = []
    for substance, group in clean.groupby("substance", sort=False):
        rows.append(
            {
                "substance": substance,
                "unit": group["unit"].iloc[0],
                "imports": group.loc[group["source"] == "", "quantity"].sum(),
                "exports": group.loc[group["target"] == "", "quantity"].sum(),
                "to_stock": group.loc[group["target"].str.lower() == STOCK, "quantity"].sum(),
            }
        )
    return pd.DataFrame(rows)


# with the names that moved to eic.flow_tables, re-exported so that
# `from eic.flows import check_flows` and the like keep working
__all__ = [
    "FLOW_COLUMNS",
    "STOCK",
    "TOLERANCE",
    "UNITS",
    "SolvedFlow",
    "balance",
    "check_flows",
    "closing_flow",
    "eco_efficiency",
    "flow_summary",
    "processes",
    "reuse_scenario",
    "sankey_chart",
    "solve_unknown",
    "zld_residue_name",
]
