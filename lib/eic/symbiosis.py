"""Module 4: by-product matching, allocation, savings and the symbiosis network.

A firm inventory has one row per material a firm supplies (a by-product it must otherwise
dispose of) or needs (an input it now buys new), with the firm's location, the tonnes per
year and a quality grade (1 = cleanest); its columns and checks are in
:mod:`eic.firm_inventory`. A supply can go to a need of the same material when its
grade is no worse than the grade the receiver accepts and the two firms are within a
distance limit.

The network the exchanges make is measured in :mod:`eic.symbiosis_network` and drawn in
:mod:`eic.network_chart`; the names of both can be imported from here too.

>>> import pandas as pd
>>> inventory = pd.DataFrame({
...     "firm": ["Power plant", "Cement works", "Brick kiln"],
...     "x_km": [0, 3, 40], "y_km": [0, 4, 0],
...     "flow": ["supplies", "needs", "needs"],
...     "material": ["fly ash"] * 3,
...     "tonnes_per_year": [1000, 600, 800],
...     "grade": [2, 2, 3],
... })
>>> found = match_by_products(inventory, max_distance_km=20)
>>> found[["supplier", "receiver", "distance_km"]].values.tolist()
[['Power plant', 'Cement works', 5.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eic.firm_inventory import check_inventory

# the modules draw their network chart through this module (it lives in eic.network_chart)
from eic.network_chart import network_chart as network_chart
from eic.symbiosis_network import (
    LINK_COLUMNS,
    NetworkSummary,
    check_links,
    chertow_3_2,
    degree_table,
    link_graph,
    network_summary,
    without_partner,
)
from eic.table_cells import Column
from eic.tables import check_table

# networkx and scipy take about a second to import together, so each function that uses
# them imports them: a notebook that never matches firms or draws a network does not wait.

# with the network's names, which moved to eic.symbiosis_network, re-exported so that
# `from eic.symbiosis import network_summary` and the like keep working
__all__ = [
    "LINK_COLUMNS",
    "MATERIAL_COLUMNS",
    "Factors",
    "NetworkSummary",
    "allocate_exchanges",
    "check_links",
    "check_materials",
    "chertow_3_2",
    "diverted_and_shared",
    "degree_table",
    "exchanges_from",
    "link_graph",
    "match_by_products",
    "net_saving_per_tonne",
    "network_chart",
    "network_summary",
    "savings",
    "totals",
    "without_partner",
]


def match_by_products(inventory: pd.DataFrame, *, max_distance_km: float) -> pd.DataFrame:
    """Every feasible exchange: same material, acceptable grade, within the distance limit.

    Returns one row per (supplier, receiver, material): supply_t and demand_t (t/yr),
    supplier_grade, accepted_grade and distance_km (straight line), sorted by material and
    distance. Firms are found near each other with a k-d tree, so the work grows with the
    number of nearby pairs, not with every pair of firms.
    """
    if not isinstance(max_distance_km, int | float) or not max_distance_km >= 0:
        raise ValueError(f"max_distance_km is {max_distance_km!r}; give a distance of 0 km or more")
    from scipy.spatial import cKDTree

    clean = check_inventory(inventory)
    parts = []
    for material, group in clean.groupby("material", sort=True):
        supply = group[group["flow"] == "supplies"]
        demand = group[group["flow"] == "needs"]
        if supply.empty or demand.empty:
            continue
        near = cKDTree(supply[["x_km", "y_km"]].to_numpy()).sparse_distance_matrix(
            cKDTree(demand[["x_km", "y_km"]].to_numpy()),
            max_distance_km,
            output_type="ndarray",
        )
        i, j, distance = near["i"], near["j"], near["v"]
        s_firm, d_firm = supply["firm"].to_numpy()[i], demand["firm"].to_numpy()[j]
        s_grade, d_grade = supply["grade"].to_numpy()[i], demand["grade"].to_numpy()[j]
        keep = (s_firm != d_firm) & (s_grade <= d_grade)
        parts.append(
            pd.DataFrame(
                {
                    "supplier": s_firm[keep],
                    "receiver": d_firm[keep],
                    "material": material,
                    "supply_t": supply["tonnes_per_year"].to_numpy()[i][keep],
                    "demand_t": demand["tonnes_per_year"].to_numpy()[j][keep],
                    "supplier_grade": s_grade[keep],
                    "accepted_grade": d_grade[keep],
                    "distance_km": np.round(distance[keep], 3),
                }
            )
        )
    columns = ["supplier", "receiver", "material", "supply_t", "demand_t", "supplier_grade",
               "accepted_grade", "distance_km"]  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=columns)
    found = pd.concat(parts, ignore_index=True)
    return found.sort_values(["material", "distance_km", "supplier", "receiver"]).reset_index(
        drop=True
    )[columns]


# The kinds of exchange a material can make (the reading's first two kinds): a by-product
# goes by truck and is diverted from disposal; a shared utility (steam, heat) goes by pipe
# and replaces what the receiver would make itself, so it is neither trucked nor disposed of.
BY_PRODUCT, UTILITY = "by-product", "utility sharing"
EXCHANGE_KINDS = (BY_PRODUCT, UTILITY)

MATERIAL_COLUMNS = (
    Column("material", "text"),
    Column("virgin_price_usd_per_t", "number", unit="USD/t"),
    Column("disposal_cost_usd_per_t", "number", unit="USD/t"),
    Column("virgin_tco2e_per_t", "number", unit="tCO2e/t"),
    Column("exchange_kind", "text", allowed=EXCHANGE_KINDS, optional=True),
)


@dataclass(frozen=True)
class Factors:
    """The stated factors of a savings account: transport cost and emissions per t·km."""

    transport_usd_per_tkm: float
    transport_tco2e_per_tkm: float


def check_materials(table: pd.DataFrame) -> pd.DataFrame:
    """Check a table of material prices, disposal costs and emission factors.

    Its optional column ``exchange_kind`` says whether a material is a "by-product" (the
    default: trucked, diverted from disposal) or a "utility sharing" flow (piped steam or
    heat: no trucking, and not counted as diverted from disposal).
    """
    clean = check_table(table, MATERIAL_COLUMNS, what="materials table", key=["material"])
    clean["material"] = clean["material"].str.lower()
    if "exchange_kind" not in clean:
        clean["exchange_kind"] = BY_PRODUCT
    clean["exchange_kind"] = clean["exchange_kind"].str.lower()
    return clean.set_index("material")


def _trucked(per: pd.DataFrame) -> np.ndarray:
    """1 for a material that goes by truck (a by-product), 0 for a piped utility."""
    return (per["exchange_kind"] != UTILITY).to_numpy(dtype=float)


def net_saving_per_tonne(exchanges: pd.DataFrame, materials: pd.DataFrame, factors: Factors):
    """USD saved per tonne exchanged: virgin price + disposal cost - transport cost (by
    truck; a piped utility is charged no transport, its pipe being left out)."""
    per = _prices_of(exchanges, materials)
    return (
        per["virgin_price_usd_per_t"].to_numpy()
        + per["disposal_cost_usd_per_t"].to_numpy()
        - factors.transport_usd_per_tkm * exchanges["distance_km"].to_numpy() * _trucked(per)
    )


def _prices_of(exchanges: pd.DataFrame, materials: pd.DataFrame) -> pd.DataFrame:
    """The materials table's row for each exchange, in order."""
    prices = check_materials(materials)
    missing = sorted(set(exchanges["material"]) - set(prices.index))
    if missing:
        raise ValueError(
            f"the materials table has no prices for: {', '.join(missing)}; add a row for each"
        )
    return prices.loc[exchanges["material"]].reset_index(drop=True)


def allocate_exchanges(
    exchanges: pd.DataFrame,
    *,
    objective: str = "tonnes",
    materials: pd.DataFrame | None = None,
    factors: Factors | None = None,
) -> pd.DataFrame:
    """Tonnes to send along each feasible exchange, never more than supplied or demanded.

    ``objective`` "tonnes" maximises the tonnes diverted from disposal: given ``materials``,
    a shared utility (steam) is not diverted from disposal, so it gets nothing. "saving"
    maximises the net saving in USD/yr (needs ``materials`` and ``factors``; exchanges that
    would lose money get nothing). Solved exactly as a linear programme (a transportation
    problem).
    Returns the exchanges with a ``tonnes`` column (t/yr), only those with tonnes > 0.
    """
    if objective not in ("tonnes", "saving"):
        raise ValueError(f"objective is '{objective}'; use 'tonnes' or 'saving'")
    if exchanges.empty:
        return exchanges.assign(tonnes=pd.Series(dtype=float))
    if objective == "saving":
        if materials is None or factors is None:
            raise ValueError("to maximise the saving, give the materials table and the factors")
        weight = net_saving_per_tonne(exchanges, materials, factors)
    elif materials is not None:
        weight = _trucked(_prices_of(exchanges, materials))
    else:
        weight = np.ones(len(exchanges))
    supply_key = pd.MultiIndex.from_frame(exchanges[["supplier", "material"]])
    demand_key = pd.MultiIndex.from_frame(exchanges[["receiver", "material"]])
    s_codes, s_unique = pd.factorize(supply_key)
    d_codes, d_unique = pd.factorize(demand_key)
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n = len(exchanges)
    rows = np.concatenate([s_codes, len(s_unique) + d_codes])
    matrix = coo_matrix((np.ones(2 * n), (rows, np.tile(np.arange(n), 2))))
    caps = np.concatenate([
        exchanges.groupby(["supplier", "material"], sort=False)["supply_t"].first()
        .reindex(s_unique).to_numpy(),
        exchanges.groupby(["receiver", "material"], sort=False)["demand_t"].first()
        .reindex(d_unique).to_numpy(),
    ])  # fmt: skip
    upper = np.where(weight > 0, np.inf, 0.0)
    result = linprog(
        -weight, A_ub=matrix.tocsr(), b_ub=caps, bounds=np.column_stack([np.zeros(n), upper]),
        method="highs",
    )  # fmt: skip
    if result.status != 0:  # pragma: no cover - a bounded feasible LP always solves
        raise RuntimeError(f"the allocation could not be solved: {result.message}")
    tonnes = np.round(result.x, 6)
    chosen = exchanges.assign(tonnes=tonnes)
    return chosen[chosen["tonnes"] > 1e-9].reset_index(drop=True)


def savings(allocation: pd.DataFrame, materials: pd.DataFrame, factors: Factors) -> pd.DataFrame:
    """The yearly account of each exchange and a Total row.

    Columns: supplier, receiver, material, tonnes (t/yr), virgin_avoided_usd (tonnes x
    virgin price), disposal_avoided_usd (tonnes x disposal cost), transport_usd (tonnes x
    km x transport cost), net_saving_usd, co2_avoided_t (tonnes x the virgin material's
    factor, minus tonnes x km x the transport factor), all per year. A piped utility
    (``exchange_kind`` "utility sharing") is charged no truck transport or truck emissions;
    the cost of its pipe is not counted. :func:`diverted_and_shared` splits the tonnes.
    """
    per = _prices_of(allocation, materials)
    tonnes = allocation["tonnes"].reset_index(drop=True)
    tkm = tonnes * allocation["distance_km"].reset_index(drop=True) * _trucked(per)
    account = pd.DataFrame(
        {
            "supplier": allocation["supplier"].to_numpy(),
            "receiver": allocation["receiver"].to_numpy(),
            "material": allocation["material"].to_numpy(),
            "tonnes": tonnes,
            "virgin_avoided_usd": tonnes * per["virgin_price_usd_per_t"],
            "disposal_avoided_usd": tonnes * per["disposal_cost_usd_per_t"],
            "transport_usd": tkm * factors.transport_usd_per_tkm,
        }
    )
    account["net_saving_usd"] = (
        account["virgin_avoided_usd"] + account["disposal_avoided_usd"] - account["transport_usd"]
    )
    account["co2_avoided_t"] = (
        tonnes * per["virgin_tco2e_per_t"] - tkm * factors.transport_tco2e_per_tkm
    )
    total = account.select_dtypes("number").sum()
    account.loc[len(account)] = {"supplier": "Total", "receiver": "", "material": "", **total}
    return account


def diverted_and_shared(account: pd.DataFrame, materials: pd.DataFrame) -> dict[str, float]:
    """The tonnes of a :func:`savings` account (t/yr) split by kind: ``diverted`` (by-products
    diverted from disposal) and ``shared`` (utilities such as steam, supplied by pipe).

    >>> import pandas as pd
    >>> account = pd.DataFrame({"supplier": ["A", "A", "Total"], "material": ["ash", "steam", ""],
    ...                         "tonnes": [100.0, 50.0, 150.0]})
    >>> materials = pd.DataFrame({"material": ["ash", "steam"], "virgin_price_usd_per_t": [1, 1],
    ...                           "disposal_cost_usd_per_t": [1, 0], "virgin_tco2e_per_t": [0, 0],
    ...                           "exchange_kind": ["by-product", "utility sharing"]})
    >>> diverted_and_shared(account, materials)
    {'diverted': 100.0, 'shared': 50.0}
    """
    rows = account[account["supplier"] != "Total"]
    trucked = _trucked(_prices_of(rows, materials)) if len(rows) else np.zeros(0)
    tonnes = rows["tonnes"].to_numpy(dtype=float)
    return {
        "diverted": float((tonnes * trucked).sum()),
        "shared": float((tonnes * (1 - trucked)).sum()),
    }


def exchanges_from(allocation: pd.DataFrame) -> pd.DataFrame:
    """The allocation as network links (supplier, receiver, resource) for the network tools."""
    return allocation.rename(columns={"material": "resource"})[["supplier", "receiver", "resource"]]


def totals(account: pd.DataFrame) -> Mapping[str, float]:
    """The Total row of a :func:`savings` account as a dict."""
    return (
        account[account["supplier"] == "Total"]
        .iloc[0]
        .drop(["supplier", "receiver", "material"])
        .to_dict()
    )
