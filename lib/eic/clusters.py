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
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eic import cluster_totals
from eic.chart_cache import remembered
from eic.employment_layout import long_from_wide, years_in_column
from eic.foundations import PALETTE
from eic.grouped_rows import fill_grouped
from eic.tables import Column, TableError, check_table, row_label

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

EMPLOYMENT_COLUMNS = (
    Column("region", "text"),
    Column("sector", "text"),
    Column("year", "number", minimum=1900),
    Column("employment", "number", unit="persons employed", minimum=0),
)
WHAT = "employment table"
# what all the regions of a table make up, as the course's table is a country's provinces
NATION = "the nation"
SHIFT_SHARE_COMPONENTS = ("national_share", "industry_mix", "regional_shift")
HATCHES = ("", "//", "..")


def component_labels(whole: str = NATION) -> dict[str, str]:
    """The shift-share parts' names, read against ``whole`` (see :func:`candidate_clusters`).

    >>> component_labels("the province")["national_share"]
    "Share of the province's growth (all sectors)"
    """
    if whole == NATION:
        return {
            "national_share": "National share (national growth)",
            "industry_mix": "Industry mix (sector's national trend)",
            "regional_shift": "Regional shift (competitive effect)",
        }
    return {
        "national_share": f"Share of {whole}'s growth (all sectors)",
        "industry_mix": f"Industry mix (sector's trend in {whole})",
        "regional_shift": "Regional shift (competitive effect)",
    }


COMPONENT_LABELS = component_labels()


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
    specialised = np.array([_at_least(lq, lq_threshold) for lq in result["lq"]])
    result["candidate"] = specialised & (result["employment"] >= min_employment)
    result["reason"] = [
        _reason(row, lq_threshold, min_employment, start, whole) for row in result.itertuples()
    ]
    result = result.sort_values("lq", ascending=False, kind="stable").reset_index(drop=True)
    result.attrs.update(region=region, year=year, lq_threshold=lq_threshold, start=start)
    return result


@remembered
def lq_chart(
    lqs_or_candidates: pd.DataFrame, region: str, *, threshold: float = 1.25, whole: str = NATION
) -> Figure:
    """Bar chart of one region's location quotients by sector, candidates highlighted.

    Takes the table from :func:`location_quotients` (a sector is highlighted when its LQ is
    at least ``threshold``) or from :func:`candidate_clusters` (its ``candidate`` column
    decides; give the same ``threshold`` so the line matches). ``whole`` names what the
    table's regions make up, whose average is LQ 1 (see :func:`candidate_clusters`).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if {"sector", "lq", "candidate"} <= set(lqs_or_candidates.columns):
        data = lqs_or_candidates[["sector", "lq", "candidate"]]
    else:
        if region not in lqs_or_candidates.index:
            known = ", ".join(map(str, lqs_or_candidates.index))
            raise ValueError(f"no region '{region}' in the location quotients; known: {known}")
        row = lqs_or_candidates.loc[region]
        data = pd.DataFrame({"sector": row.index, "lq": row.to_numpy()})
        data["candidate"] = [_at_least(lq, threshold) for lq in data["lq"]]
    data = data.sort_values("lq", kind="stable")
    colours = [PALETTE[5] if c else PALETTE[0] for c in data["candidate"]]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.45 * len(data)))
    bars = ax.barh(data["sector"], data["lq"], color=colours)
    for bar, candidate in zip(bars, data["candidate"], strict=True):
        bar.set_hatch("//" if candidate else "")
    ax.axvline(1, color="black", linestyle="--", linewidth=1)
    ax.axvline(threshold, color=PALETTE[1], linestyle=(0, (6, 3)), linewidth=1.5)
    # on a white ground, so that a dashed line running through a value does not cross it out
    ax.bar_label(
        bars,
        fmt="%.2f",
        padding=3,
        zorder=3,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.set_xlim(0, max(float(data["lq"].max()), threshold) * 1.15)
    year = lqs_or_candidates.attrs.get("year")
    ax.set_title(f"Specialisation of {region} by sector" + (f", {year}" if year else ""))
    ax.set_xlabel(f"Location quotient (1 = {average_of(whole)})")
    ax.set_ylabel("Sector")
    handles = [
        Patch(facecolor=PALETTE[5], hatch="//", label="Candidate cluster"),
        Patch(facecolor=PALETTE[0], label="Other sector"),
        Line2D(
            [], [], color="black", linestyle="--", label=f"{_capital(average_of(whole))} (LQ = 1)"
        ),
        Line2D(
            [],
            [],
            color=PALETTE[1],
            linestyle=(0, (6, 3)),
            label=f"Threshold (LQ = {threshold_text(threshold)})",
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


@remembered
def shift_share_chart(shift_share_result: pd.DataFrame, *, whole: str = NATION) -> Figure:
    """Grouped bars of the three shift-share parts per sector (persons), actual change marked;
    ``whole`` names what the table's regions make up, as the legend says it."""
    import matplotlib.pyplot as plt

    labels = component_labels(whole)
    data = shift_share_result[shift_share_result["sector"] != "Total"].iloc[::-1]
    positions = np.arange(len(data))
    height = 0.27
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.7 * len(data)))
    for index, (component, hatch) in enumerate(zip(SHIFT_SHARE_COMPONENTS, HATCHES, strict=True)):
        ax.barh(
            positions + (1 - index) * height,
            data[component],
            height=height,
            color=PALETTE[index],
            hatch=hatch,
            edgecolor="white",
            label=labels[component],
        )
    ax.scatter(
        data["actual_change"], positions, marker="D", color="black", zorder=3, label="Actual change"
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(positions, data["sector"])
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    attrs = shift_share_result.attrs
    where = f" in {attrs['region']}, {attrs['start']}-{attrs['end']}" if attrs else ""
    ax.set_title(f"Shift-share of the change in employment{where}")
    ax.set_xlabel("Change in employment (persons)")
    ax.set_ylabel("Sector")
    handles, labels = ax.get_legend_handles_labels()
    order = [*range(1, len(handles)), 0]  # the bars in drawing order, then the marker
    ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


@remembered
def cluster_map_chart(candidates: pd.DataFrame, region: str, *, whole: str = NATION) -> Figure:
    """The cluster map: each sector a bubble, across its location quotient, up its regional
    shift (persons) and its area its employment; the top-right corner holds the sectors
    that are specialised and doing better than the sector does in ``whole``.

    Takes the table from :func:`candidate_clusters` made with a ``start`` year; its
    threshold is drawn as a line and its candidates are coloured.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if candidates["regional_shift"].isna().all():
        raise ValueError("the cluster map needs a start year: give candidate_clusters start=")
    threshold = candidates.attrs.get("lq_threshold", 1.25)
    start, year = candidates.attrs.get("start"), candidates.attrs.get("year")
    data = candidates.sort_values("employment", ascending=False, kind="stable")
    scale = 1200 / float(data["employment"].max())  # points squared per person employed
    colours = [PALETTE[5] if c else PALETTE[0] for c in data["candidate"]]
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.scatter(
        data["lq"],
        data["regional_shift"],
        s=data["employment"] * scale,
        c=colours,
        alpha=0.6,
        edgecolors="black",
        linewidths=0.6,
        zorder=3,
    )
    ax.axvline(1, color="black", linestyle="--", linewidth=1)
    ax.axvline(threshold, color=PALETTE[1], linestyle=(0, (6, 3)), linewidth=1.5)
    ax.axhline(0, color="black", linewidth=0.8)
    low, high = float(data["regional_shift"].min()), float(data["regional_shift"].max())
    span = max(high, 0) - min(low, 0) or 1.0
    right = max(float(data["lq"].max()), threshold) * 1.15 + 0.3
    ax.set_xlim(0, right)
    placed = _spread_labels(data, span, right)
    tops = [y for _, _, _, y, _ in placed] + [high]
    ax.set_ylim(min(low, 0) - 0.1 * span, max(max(tops), 0) + 0.1 * span)
    for lq, shift, x, y, label in placed:
        ax.annotate(
            label,
            (lq, shift),
            xytext=(x, y),
            fontsize="small",
            va="center",
            ha="left" if x > lq else "right",
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.6, "shrinkA": 0},
        )
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:+,.0f}" if value else "0")
    where = f", {start}-{year}" if start is not None and year is not None else ""
    ax.set_title(f"Cluster map of {region}{where}")
    ax.set_xlabel(f"Location quotient in {year} (1 = {average_of(whole)})")
    ax.set_ylabel(f"Regional shift since {start} (persons)")
    handles = [
        Line2D([], [], linestyle="", marker="o", color=PALETTE[5], label="Candidate cluster"),
        Line2D([], [], linestyle="", marker="o", color=PALETTE[0], label="Other sector"),
        Line2D([], [], color="black", linestyle="--", label=f"{_capital(average_of(whole))}"),
        Line2D(
            [],
            [],
            color=PALETTE[1],
            linestyle=(0, (6, 3)),
            label=f"Threshold (LQ = {threshold_text(threshold)})",
        ),
    ]
    ax.legend(
        handles=handles,
        loc="best",
        fontsize="small",
        title=f"Bubble area: persons employed in {year}",
        title_fontsize="small",
    )
    ax.grid(alpha=0.3)
    fig.set_layout_engine("tight")  # laid out when drawn: not at all if the chart is kept
    return fig


def _spread_labels(
    data: pd.DataFrame, span: float, right: float
) -> list[tuple[float, float, float, float, str]]:
    """Where to write each sector's name (bubble x, y, then text x, y, name): beside its
    bubble, moved up where it would overlap the name of a sector with a close quotient
    (names at least 5 % of the height apart); left of a bubble in the right third."""
    gap = 0.05 * span
    placed: list[tuple[float, float, float, float, str]] = []
    for row in data.sort_values("regional_shift", kind="stable").itertuples():
        lq, shift = float(row.lq), float(row.regional_shift)
        x = lq - 0.08 if lq > right * 2 / 3 else lq + 0.08
        y = shift
        for _, _, px, py, _ in placed:
            if abs(px - x) < 0.9 and y - py < gap:
                y = py + gap
        placed.append((lq, shift, x, y, str(row.sector)))
    return placed


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


def _at_least(lq: float, threshold: float) -> bool:
    """``lq >= threshold``, counting an LQ equal but for rounding error as equal."""
    return lq >= threshold or math.isclose(lq, threshold, rel_tol=1e-9)


def _lq_text(lq: float, threshold: float) -> str:
    """The LQ with 2 decimals, or 4 when 2 would make it look equal to the threshold."""
    text = f"{lq:.2f}"
    same = text == f"{threshold:.2f}" and not math.isclose(lq, threshold, rel_tol=1e-9)
    return f"{lq:.4f}" if same else text


def threshold_text(threshold: float) -> str:
    """The threshold as the explorer's slider and its sentence show it, with 2 decimals, or
    with all its digits when 2 would round it.

    >>> threshold_text(1.2), threshold_text(1.25), threshold_text(1.801)
    ('1.20', '1.25', '1.801')
    """
    text = f"{threshold:.2f}"
    return text if float(text) == threshold else f"{threshold:g}"


def average_of(whole: str) -> str:
    """LQ 1 in words: the average of what the table's regions make up.

    >>> average_of("the nation"), average_of("the province")
    ('national average', 'average of the province')
    """
    return "national average" if whole == NATION else f"average of {whole}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _against_whole(lq_text: str, whole: str) -> str:
    """What an LQ below the threshold says, read against the whole (LQ 1) as the reading
    does: above 1 is still more specialised than the whole, only not a candidate."""
    shown = float(lq_text)
    if shown > 1:
        return f"more specialised than {whole}, but not a candidate cluster"
    if shown < 1:
        return f"less specialised than {whole}, not a candidate cluster"
    return f"at the {average_of(whole)}, not a candidate cluster"


def _reason(
    row, threshold: float, min_employment: float, start: int | None, whole: str = NATION
) -> str:
    lq, persons = _lq_text(row.lq, threshold), f"{row.employment:,.0f} persons employed"
    cut = threshold_text(threshold)
    if not _at_least(row.lq, threshold):
        reason = f"LQ {lq} is below the {cut} threshold: {_against_whole(lq, whole)}"
    elif row.employment < min_employment:
        reason = (
            f"LQ {lq} is at least {cut} but {persons} is below {min_employment:,.0f}: too small"
        )
    elif min_employment > 0:
        reason = (
            f"LQ {lq} is at least {cut} and {persons} is at least "
            f"{min_employment:,.0f}: a candidate cluster"
        )
    else:
        reason = f"LQ {lq} is at least {cut}: a candidate cluster"
    if start is not None and not math.isnan(row.regional_shift):
        shift = int(round(row.regional_shift))  # as the reason shows it, in whole persons
        trend = "ahead of" if shift > 0 else "behind" if shift < 0 else "in line with"
        reason += (
            f"; regional shift since {start}: {shift:+,d} persons "
            f"({trend} the sector's {'national trend' if whole == NATION else f'trend in {whole}'})"
        )
    return reason
