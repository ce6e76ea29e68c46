"""Module 4's firm inventory: its columns, its checks, where its firms are, and a synthetic one.

A firm inventory has one row per material a firm supplies (a by-product it must otherwise
dispose of) or needs (an input it now buys new): the firm, its location (x and y in km on
a local map), whether it ``supplies`` or ``needs`` the material, the tonnes per year, and
a quality grade (1 = cleanest). :func:`check_inventory` checks one as a participant gives
it (a firm's name and location may be given once above its materials, and positions in
latitude and longitude); :func:`firm_positions` says where each firm is, for the network's
map; :func:`random_inventory` makes one of any size for the benchmarks. Matching its
supplies to its needs, and what the exchanges save, is :mod:`eic.symbiosis`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eic.grouped_rows import fill_grouped
from eic.positions import LATLON_NAMES, degrees_in_km, km_from_degrees
from eic.table_cells import Column, row_label
from eic.tables import TableError, check_table, normalise_name, table_problems

FLOWS = ("supplies", "needs")
# the columns a firm's rows share, which a list may give once above its materials
FIRM_PLACE = ("firm", "x_km", "y_km")
INVENTORY_COLUMNS = (
    Column("firm", "text"),
    Column("x_km", "number", unit="km", minimum=None),
    Column("y_km", "number", unit="km", minimum=None),
    Column("flow", "text", allowed=FLOWS),
    Column("material", "text"),
    Column("tonnes_per_year", "number", unit="t/yr"),
    Column("grade", "number", unit="grade (1 = cleanest)", minimum=1),
)


# Positions may be given as latitude and longitude (degrees) in place of x_km and y_km
LATLON_COLUMNS = (
    INVENTORY_COLUMNS[0],
    Column("latitude", "number", unit="degrees north (-90 to 90)", minimum=-90, maximum=90),
    Column("longitude", "number", unit="degrees east (-180 to 180)", minimum=-180,
           maximum=180),
    *INVENTORY_COLUMNS[3:],
)  # fmt: skip


# the polar circles' latitude: no firm of a cluster in Asia lies beyond it, so a table whose
# every latitude does has its latitude and longitude the wrong way round (South and Central
# Asia's longitudes, 67-90 degrees east, are valid latitudes)
POLAR_CIRCLE = 66.5


def _from_latitude_longitude(table: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    """The inventory with x_km and y_km from its latitude and longitude columns, with a
    note of the area the firms then cover, or None when it has x_km and y_km (or no
    latitude and longitude). Latitudes all beyond a polar circle are refused as swapped."""
    names = {normalise_name(h) for h in table.columns}
    found = {LATLON_NAMES[n]: h for h in table.columns if (n := normalise_name(h)) in LATLON_NAMES}
    if {"x_km", "y_km"} & names or set(found) != {"latitude", "longitude"}:
        return None, []
    clean = check_table(
        table.rename(columns={h: n for n, h in found.items()}),
        LATLON_COLUMNS,
        what="firm inventory",
        key=["firm", "flow", "material"],
    )
    latitude, longitude = clean["latitude"], clean["longitude"]
    if (latitude.abs() > POLAR_CIRCLE).all():
        raise TableError("firm inventory", [
            f"every firm's latitude is beyond {POLAR_CIRCLE} degrees, inside a polar circle "
            f"({row_label(0)}: latitude {latitude.iloc[0]:g}, longitude {longitude.iloc[0]:g}); "
            "the columns 'latitude' and 'longitude' seem swapped (Kathmandu is at latitude "
            "27.7, longitude 85.3): swap their headings and upload again. If the firms really "
            "are that far north or south, give their positions in km, as columns x_km and y_km"
        ])  # fmt: skip
    x, y = km_from_degrees(latitude, longitude)
    clean = clean.assign(x_km=x, y_km=y)
    area = (
        "the firms' latitudes and longitudes were turned into km: they lie within about "
        f"{x.max():,.1f} km from west to east and {y.max():,.1f} km from south to north "
        "(check that this is your cluster's size)"
    )
    return clean[[c.name for c in INVENTORY_COLUMNS]], [area]


def check_inventory(table: pd.DataFrame) -> pd.DataFrame:
    """Check a firm inventory; return a clean copy or raise :class:`~eic.tables.TableError`.

    Besides the columns' own checks: grades are whole numbers, each firm has one location,
    a firm lists each material once per direction, and x_km and y_km are not latitude and
    longitude pasted in (see :func:`eic.positions.degrees_in_km`). Positions may be given instead as
    columns ``latitude`` and ``longitude`` in degrees: they become x_km and y_km
    (:func:`eic.positions.km_from_degrees`).
    """
    clean, notes = None, []
    if isinstance(table, pd.DataFrame):
        # a firm's name and location given once above the materials it lists
        table, notes = fill_grouped(table, [*FIRM_PLACE, "latitude", "longitude"], "firm")
        clean, area = _from_latitude_longitude(table)
        notes += area
    problems: list[str] = []
    if clean is None:
        # every problem of the table at once: its cells' and the inventory's own below
        clean, problems = table_problems(
            table, INVENTORY_COLUMNS, what="firm inventory", key=["firm", "flow", "material"]
        )
        degrees = None if problems else degrees_in_km(clean)
        if degrees:
            raise TableError("firm inventory", [degrees])
    clean["material"] = clean["material"].str.lower()
    for position, grade in enumerate(clean["grade"]):
        if pd.notna(grade) and grade != int(grade):
            problems.append(
                f"column 'grade' in {row_label(position)} is {grade:g}; use a whole number "
                "(1 = cleanest)"
            )
    places = clean.groupby("firm", sort=False)[["x_km", "y_km"]].nunique()
    for firm in places.index[(places > 1).any(axis=1)]:
        rows = ", ".join(row_label(p) for p in np.flatnonzero(clean["firm"] == firm))
        problems.append(
            f"firm '{firm}' has more than one location ({rows}); give it the same x_km and "
            "y_km on every row"
        )
    if problems:
        raise TableError("firm inventory", problems)
    clean["grade"] = clean["grade"].astype(int)
    if notes:  # said to the participant with the upload's own notes
        clean.attrs["notes"] = notes
    return clean


def firm_positions(inventory: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Each firm's (x, y) location in km, for drawing the network on a map."""
    clean = check_inventory(inventory)
    first = clean.drop_duplicates("firm")
    return {f: (x, y) for f, x, y in zip(first["firm"], first["x_km"], first["y_km"], strict=True)}


def random_inventory(firms: int, materials: int = 20, *, seed: int = 0) -> pd.DataFrame:
    """A synthetic inventory for benchmarks: ``firms`` firms at one firm per km², each
    supplying one material and needing another (random tonnes 10-1,000 t/yr, grades 1-3)."""
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(firms))
    names = np.array([f"F{i}" for i in range(firms)])
    x, y = rng.uniform(0, side, firms), rng.uniform(0, side, firms)
    table = pd.DataFrame(
        {
            "firm": np.concatenate([names, names]),
            "x_km": np.concatenate([x, x]),
            "y_km": np.concatenate([y, y]),
            "flow": ["supplies"] * firms + ["needs"] * firms,
            "material": [f"m{k}" for k in rng.integers(0, materials, 2 * firms)],
            "tonnes_per_year": rng.integers(10, 1000, 2 * firms).astype(float),
            "grade": rng.integers(1, 4, 2 * firms),
        }
    )
    return table.drop_duplicates(["firm", "flow", "material"]).reset_index(drop=True)
