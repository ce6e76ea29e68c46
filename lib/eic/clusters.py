"""Module 2: industrial clusters and regional competitiveness.

Two classic measures, both computed from an employment table (persons employed by region,
sector and year):

- the location quotient (LQ) says how specialised a region is in a sector compared with
  the nation (as set out in W. Isard, 1960, "Methods of Regional Analysis: An Introduction
  to Regional Science", MIT Press);
- shift-share analysis splits a region's change in employment into a national trend, the
  sector's own trend and a regional competitive effect (E. S. Dunn, 1960, "A statistical
  and analytical technique for regional analysis", Papers of the Regional Science
  Association 6: 97-112).

Here "the nation" is always the sum of all regions in the table, so a table that leaves
out some regions compares them with each other, not with the whole country.

>>> table = pd.DataFrame({"region": ["North", "North", "South", "South"],
...                       "sector": ["Textiles", "Services"] * 2, "year": 2020,
...                       "employment": [300, 700, 200, 1800]})
>>> location_quotients(table).round(2).to_dict("index")  # rows: regions; columns: sectors
{'North': {'Textiles': 1.8, 'Services': 0.84}, 'South': {'Textiles': 0.6, 'Services': 1.08}}
"""

from __future__ import annotations

import difflib
import math

import numpy as np
import pandas as pd

from eic import cluster_totals
from eic.cluster_charts import HATCHES, cluster_map_chart, lq_chart, shift_share_chart
from eic.cluster_words import (
    COMPONENT_LABELS,
    NATION,
    SHIFT_SHARE_COMPONENTS,
    at_least,
    average_of,
    candidate_reason,
    component_labels,
    threshold_text,
)
from eic.employment_layout import long_from_wide, years_in_column
from eic.grouped_rows import fill_grouped
from eic.table_cells import Column, row_label
from eic.tables import TableError, capital_spellings, check_table

EMPLOYMENT_COLUMNS = (
    # with the headings statistics offices give them (English, Indonesian, Vietnamese)
    Column("region", "text", also_called=("province", "district", "city", "state", "prefecture",
                                          "county", "area", "provinsi", "kabupaten", "tinh")),
    Column("sector", "text", also_called=("industry", "activity", "branch", "sektor",
                                          "lapangan_usaha", "nganh")),
    Column("year", "number", minimum=1900, also_called=("tahun", "nam", "period")),
    Column("employment", "number", unit="persons employed", minimum=0,
           also_called=("workers", "employees", "employed", "persons_employed", "jobs",
                        "labour", "labor", "tenaga_kerja", "pekerja", "lao_dong")),
)  # fmt: skip
WHAT = "employment table"

# what notebooks import from here: the analyses, and the charts and words made of them
# (:mod:`eic.cluster_charts`, :mod:`eic.cluster_words`)
__all__ = [
    "COMPONENT_LABELS",
    "EMPLOYMENT_COLUMNS",
    "HATCHES",
    "NATION",
    "SHIFT_SHARE_COMPONENTS",
    "WHAT",
    "average_of",
    "candidate_clusters",
    "check_employment",
    "cluster_map_chart",
    "component_labels",
    "location_quotients",
    "lq_chart",
    "shift_share",
    "shift_share_chart",
    "threshold_text",
]


def check_employment(table: pd.DataFrame) -> pd.DataFrame:
    """Check an employment table; return a clean copy or raise :class:`~eic.tables.TableError`.

    The table has one row per region, sector and year, with ``employment`` in persons
    employed; or, as yearbooks print it, a row per region and year with a column per
    sector, or a row per region and sector with a column per year
    (:mod:`eic.employment_layout`), turned round first. Every region needs a row
    for every sector in every year (0 if nobody works in it), and no region or sector may
    have 0 persons employed altogether in a year, because its location quotient and growth
    rate would be undefined. All problems are reported at once. The clean copy has
    ``year`` as a whole number.

    >>> check_employment(pd.DataFrame({"Region": ["North", "South"], "sector": "Textiles",
    ...                                "year": 2020, "employment": ["300", 0]}))
    Traceback (most recent call last):
    ...
    eic.tables.TableError: The employment table cannot be used:
    - region 'South' has 0 persons employed in 2020; enter its employment or remove its rows
    """
    # a yearbook's table, with a region's name once above its rows, or with a column per
    # sector or per year, is read as it is meant first
    notes: list[str] = []
    if isinstance(table, pd.DataFrame):
        table, notes = fill_grouped(table, ["region"], "region")
        table, years = years_in_column(table)
        table, turned = long_from_wide(table)
        notes += years + turned
    clean = check_table(table, EMPLOYMENT_COLUMNS, what=WHAT, key=["region", "sector", "year"])
    problems = [
        f"column 'year' in {row_label(position)} is {year:g}; enter a whole year such as 2020"
        for position, year in enumerate(clean["year"])
        if year != math.floor(year)
    ]
    if problems:
        raise TableError(WHAT, problems)
    clean["year"] = clean["year"].astype(int)
    # "Riau" one year and "RIAU" the next would be two regions, each missing rows: said as
    # what it is, before the rows it seems to miss
    spellings = capital_spellings(clean, ["region"], "region")
    spellings += capital_spellings(clean, ["sector"], "sector")
    if spellings:
        raise TableError(WHAT, spellings)
    regions = list(dict.fromkeys(clean["region"]))
    sectors = list(dict.fromkeys(clean["sector"]))
    present = set(zip(clean["region"], clean["sector"], clean["year"], strict=True))
    for year in sorted(set(clean["year"])):
        problems.extend(
            f"region '{region}' has no row for sector '{sector}' in {year}; "
            "add one (0 if nobody works in it)"
            for region in regions
            for sector in sectors
            if (region, sector, year) not in present
        )
        in_year = clean[clean["year"] == year]
        by_region = in_year.groupby("region", sort=False)["employment"].sum()
        problems.extend(
            f"region '{region}' has 0 persons employed in {year}; "
            "enter its employment or remove its rows"
            for region, total in by_region.items()
            if total == 0
        )
        by_sector = in_year.groupby("sector", sort=False)["employment"].sum()
        problems.extend(
            f"sector '{sector}' has 0 persons employed in every region in {year}, so its "
            "location quotient and growth are undefined; check the numbers or remove the sector"
            for sector, total in by_sector.items()
            if total == 0
        )
    problems.extend(cluster_totals.problems(clean))  # totals and subtotals, counted twice
    if problems:
        raise TableError(WHAT, problems)
    if notes:  # said to the participant with the upload's own notes
        clean.attrs["notes"] = notes
    return clean


def location_quotients(table: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Location quotients of every region in every sector, in one year (no unit).

    ``LQ = (e_rs / e_r) / (E_s / E)``: the sector's share of the region's employment divided
    by its share of the nation's, where the nation is the sum of all regions in the table.
    LQ above 1 means the region is more specialised in the sector than the nation. ``year``
    defaults to the latest year. Rows are regions; columns are sectors in table order.

    >>> table = pd.DataFrame({"region": ["North", "North", "South", "South"],
    ...                       "sector": ["Textiles", "Services"] * 2, "year": 2020,
    ...                       "employment": [300, 700, 200, 1800]})
    >>> lqs = location_quotients(table, 2020)
    >>> round(float(lqs.loc["North", "Textiles"]), 2)  # (300 / 1000) / (500 / 3000)
    1.8
    """
    clean = check_employment(table)
    year = _pick_year(clean, year)
    wide = _wide(clean, year)
    regional_shares = wide.div(wide.sum(axis=1), axis=0)
    national_shares = wide.sum(axis=0) / wide.to_numpy().sum()
    lqs = regional_shares.div(national_shares, axis=1)
    lqs.attrs["year"] = year
    return lqs


def shift_share(table: pd.DataFrame, region: str, start: int, end: int) -> pd.DataFrame:
    """Split one region's change in employment, sector by sector, into three parts (persons).

    The classic decomposition (Dunn, 1960), with the nation the sum of all regions:

    - ``national_share = e_rs0 * g``: the change had the sector grown like the whole
      economy (``g = E1 / E0 - 1``, national growth of all sectors);
    - ``industry_mix = e_rs0 * (g_s - g)``: extra change because the sector grew faster
      or slower than the economy nationally (``g_s`` national growth of the sector);
    - ``regional_shift = e_rs0 * (r_s - g_s)``: the region's competitive effect, how much
      better or worse the sector did in the region (growth ``r_s``) than nationally.

    They add up to ``actual_change = e_rs1 - e_rs0``. A last row, "Total", sums the sectors.

    >>> table = pd.DataFrame({"region": ["North", "North", "South", "South"] * 2,
    ...                       "sector": ["Textiles", "Services"] * 4,
    ...                       "year": [2010] * 4 + [2020] * 4,
    ...                       "employment": [100, 100, 100, 100, 200, 100, 100, 200]})
    >>> shift_share(table, "North", 2010, 2020).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'sector': 'Textiles', 'employment_start': 100.0, 'employment_end': 200.0,
     'actual_change': 100.0, 'national_share': 50.0, 'industry_mix': 0.0,
     'regional_shift': 50.0}
    """
    clean = check_employment(table)
    region = _pick_region(clean, region)
    start, end = _pick_year(clean, start), _pick_year(clean, end)
    if start >= end:
        raise ValueError(f"the start year ({start}) must be before the end year ({end})")
    before, after = _wide(clean, start), _wide(clean, end)
    national_growth = after.to_numpy().sum() / before.to_numpy().sum() - 1
    sector_growth = after.sum(axis=0) / before.sum(axis=0) - 1
    e0, e1 = before.loc[region], after.loc[region]
    result = pd.DataFrame(
        {
            "sector": list(before.columns),
            "employment_start": e0.to_numpy(),
            "employment_end": e1.to_numpy(),
            "actual_change": (e1 - e0).to_numpy(),
            "national_share": (e0 * national_growth).to_numpy(),
            "industry_mix": (e0 * (sector_growth - national_growth)).to_numpy(),
            # e_rs0 * (r_s - g_s), written so that it is defined when e_rs0 is 0
            "regional_shift": (e1 - e0 * (1 + sector_growth)).to_numpy(),
        }
    )
    total = result.drop(columns="sector").sum(axis=0)
    result.loc[len(result)] = {"sector": "Total", **total.to_dict()}
    result.attrs.update(region=region, start=start, end=end)
    return result


def candidate_clusters(
    table: pd.DataFrame,
    region: str,
    *,
    year: int | None = None,
    lq_threshold: float = 1.25,
    min_employment: float = 0,
    start: int | None = None,
    whole: str = NATION,
) -> pd.DataFrame:
    """Screen a region's sectors for candidate clusters, most specialised first.

    A sector is a candidate when its location quotient is at least ``lq_threshold`` and it
    employs at least ``min_employment`` persons in ``year`` (default: the latest year). The
    default threshold of 1.25 is a starting point to discuss and change, not a rule: a
    screen only points at sectors worth a closer look with firms and officials.

    Columns: ``sector``, ``employment`` (persons), ``share_of_region`` (% of the region's
    employment), ``lq``, ``growth`` (% change from ``start`` to ``year``) and
    ``regional_shift`` (persons, from :func:`shift_share`), both NaN unless ``start`` is
    given, ``candidate`` (True/False) and ``reason`` (in plain English). ``whole`` names
    what all the table's regions make up, as the reasons call it: "the nation" by default,
    "the province" for a table of a province's districts.

    >>> table = pd.DataFrame({"region": ["North", "North", "South", "South"],
    ...                       "sector": ["Textiles", "Services"] * 2, "year": 2020,
    ...                       "employment": [300, 700, 200, 1800]})
    >>> candidate_clusters(table, "North").loc[0, "reason"]
    'LQ 1.80 is at least 1.25: a candidate cluster'
    """
    if not lq_threshold > 0:
        raise ValueError(f"lq_threshold is {lq_threshold}; it must be above 0 (for example 1.25)")
    if not min_employment >= 0:
        raise ValueError(f"min_employment is {min_employment}; it must be 0 or more persons")
    clean = check_employment(table)
    region = _pick_region(clean, region)
    year = _pick_year(clean, year)
    lqs = location_quotients(clean, year).loc[region]
    employment = _wide(clean, year).loc[region]
    result = pd.DataFrame(
        {
            "sector": list(lqs.index),
            "employment": employment.to_numpy(),
            "share_of_region": (employment / employment.sum() * 100).to_numpy(),
            "lq": lqs.to_numpy(),
            "growth": np.nan,
            "regional_shift": np.nan,
        }
    )
    if start is not None:
        shifts = shift_share(clean, region, start, year).iloc[:-1]
        before = shifts["employment_start"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(before > 0, (employment.to_numpy() / before - 1) * 100, np.nan)
        result["growth"] = growth
        result["regional_shift"] = shifts["regional_shift"].to_numpy()
    specialised = np.array([at_least(lq, lq_threshold) for lq in result["lq"]])
    result["candidate"] = specialised & (result["employment"] >= min_employment)
    result["reason"] = [
        candidate_reason(row, lq_threshold, min_employment, start, whole)
        for row in result.itertuples()
    ]
    result = result.sort_values("lq", ascending=False, kind="stable").reset_index(drop=True)
    result.attrs.update(region=region, year=year, lq_threshold=lq_threshold, start=start)
    return result


def _wide(clean: pd.DataFrame, year: int) -> pd.DataFrame:
    """Employment in ``year`` with regions as rows and sectors as columns, in table order."""
    in_year = clean[clean["year"] == year]
    wide = in_year.pivot(index="region", columns="sector", values="employment")
    return wide.loc[list(dict.fromkeys(clean["region"])), list(dict.fromkeys(clean["sector"]))]


def _pick_year(clean: pd.DataFrame, year: int | None) -> int:
    years = sorted(set(clean["year"]))
    if year is None:
        return years[-1]
    if year not in years:
        available = ", ".join(map(str, years))
        raise ValueError(f"no employment data for {year}; the table has years {available}")
    return int(year)


def _pick_region(clean: pd.DataFrame, region: str) -> str:
    regions = list(dict.fromkeys(clean["region"]))
    if region in regions:
        return region
    close = difflib.get_close_matches(str(region), regions, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ValueError(
        f"no region '{region}' in the employment table; {hint}known regions: {', '.join(regions)}"
    )
