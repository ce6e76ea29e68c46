"""Finding every missing flow of a flow table that its balances can give (Module 3).

An official's table often lacks more than one figure: the vapour of the dye houses and the
water left in the plant's sludge, say. Each process's balance of a substance gives one
missing flow, and a flow found that way can leave the next balance with one unknown, so
:func:`solve_unknowns` goes round the processes until nothing more can be found, and names
the flows it cannot find with the reason. (:func:`eic.flows.solve_unknown` is the
worksheet's one-flow version.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from eic.flows import STOCK, SolvedFlow, check_flows, closing_flow


@dataclass(frozen=True)
class SolvedFlows:
    """The flows :func:`solve_unknowns` found, and those it could not, with the reason."""

    solved: tuple[SolvedFlow, ...]
    unsolved: tuple[tuple[str, str], ...]  # (flow, why it cannot be found)

    def explain(self) -> str:
        parts = [flow.explain() for flow in self.solved]
        parts += [f"'{name}' cannot be found: {why}." for name, why in self.unsolved]
        return " ".join(parts)


def solve_unknowns(table: pd.DataFrame) -> tuple[pd.DataFrame, SolvedFlows]:
    """Fill in every flow with no quantity that a balance can find, process by process.

    A process's balance of one substance finds one missing flow: a flow is found from the
    balance of its source or its target process when it is the only unknown of that
    substance there; flows found that way can leave another balance with one unknown, so
    this is repeated until nothing more can be found. Returns the table with the flows
    found filled in, and :class:`SolvedFlows` naming those found and those not. Raises
    ``ValueError`` when closing a balance would need a negative flow (then another figure
    in the table is wrong).

    >>> table = pd.DataFrame({
    ...     "flow": ["Well", "Vapour", "Effluent", "Sludge water", "Discharge"],
    ...     "source": ["", "Dye house", "Dye house", "Plant", "Plant"],
    ...     "target": ["Dye house", "", "Plant", "", ""],
    ...     "substance": ["water"] * 5, "quantity": [100, None, 90, None, 85],
    ...     "unit": ["m3/day"] * 5})
    >>> [(f.name, f.quantity) for f in solve_unknowns(table)[1].solved]
    [('Vapour', 10.0), ('Sludge water', 5.0)]
    """
    solved = check_flows(table)
    found: list[SolvedFlow] = []
    progress = True
    while progress:
        progress = False
        for index in solved.index[solved["quantity"].isna()]:
            row = solved.loc[index]
            same = solved[solved["substance"] == row["substance"]]
            for process in (row["source"], row["target"]):
                if not process or process.lower() == STOCK:
                    continue
                touching = same[(same["source"] == process) | (same["target"] == process)]
                if touching["quantity"].isna().sum() != 1:
                    continue
                value = closing_flow(touching.drop(index=index), row, process)
                solved.loc[index, "quantity"] = value
                found.append(SolvedFlow(row["flow"], value, row["unit"], process))
                progress = True
                break
    unsolved = []
    for index in solved.index[solved["quantity"].isna()]:
        row = solved.loc[index]
        same = solved[solved["substance"] == row["substance"]]
        around = []
        for process in (row["source"], row["target"]):
            if process and process.lower() != STOCK:
                touching = same[(same["source"] == process) | (same["target"] == process)]
                others = [f"'{f}'" for f in touching.loc[touching["quantity"].isna(), "flow"]]
                others.remove(f"'{row['flow']}'")
                around.append(f"'{process}' has {len(others) + 1} unknown {row['substance']} "
                              f"flows (also {', '.join(others)})")  # fmt: skip
        unsolved.append((row["flow"], " and ".join(around) + (
            "; one balance finds one missing flow: measure or estimate all but one of them"
        )))  # fmt: skip
    return solved, SolvedFlows(tuple(found), tuple(unsolved))


__all__ = ["SolvedFlows", "solve_unknowns"]
