"""Module 2's cluster analysis: location quotients and shift-share checked by hand and by
properties, clear errors for bad tables, the charts, and the bundled dataset's story."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from eic.clusters import (
    candidate_clusters,
    check_employment,
    location_quotients,
    lq_chart,
    shift_share,
    shift_share_chart,
)
from eic.tables import TableError

matplotlib.use("Agg")
DATASET = ROOT / "lib" / "eic" / "data" / "regional_employment.csv"


def long_table(cells: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [(r, s, y, e) for (r, s, y), e in cells.items()],
        columns=["region", "sector", "year", "employment"],
    )


# One year. North: 1,000 persons, South: 2,000; the nation: 3,000, of whom 500 in textiles
# and 2,500 in services.
#   LQ North textiles = (300 / 1000) / (500 / 3000)  = 0.30 / 0.1667 = 1.80
#   LQ North services = (700 / 1000) / (2500 / 3000) = 0.70 / 0.8333 = 0.84
#   LQ South textiles = (200 / 2000) / (500 / 3000)  = 0.10 / 0.1667 = 0.60
#   LQ South services = (1800 / 2000) / (2500 / 3000) = 0.90 / 0.8333 = 1.08
ONE_YEAR = long_table(
    {
        ("North", "Textiles", 2020): 300,
        ("North", "Services", 2020): 700,
        ("South", "Textiles", 2020): 200,
        ("South", "Services", 2020): 1800,
    }
)

# Two years. The nation grows from 2,000 to 2,500 persons: g = 2500 / 2000 - 1 = 0.25.
# Textiles nationally 500 -> 700: g_T = 0.40; services 1,500 -> 1,800: g_S = 0.20.
# North textiles 400 -> 600 (r = 0.50):
#   national share 400 * 0.25 = 100; industry mix 400 * (0.40 - 0.25) = 60;
#   regional shift 400 * (0.50 - 0.40) = 40; actual change 200 = 100 + 60 + 40.
# North services 600 -> 600 (r = 0):
#   national share 600 * 0.25 = 150; industry mix 600 * (0.20 - 0.25) = -30;
#   regional shift 600 * (0 - 0.20) = -120; actual change 0 = 150 - 30 - 120.
TWO_YEARS = long_table(
    {
        ("North", "Textiles", 2010): 400,
        ("North", "Services", 2010): 600,
        ("South", "Textiles", 2010): 100,
        ("South", "Services", 2010): 900,
        ("North", "Textiles", 2020): 600,
        ("North", "Services", 2020): 600,
        ("South", "Textiles", 2020): 100,
        ("South", "Services", 2020): 1200,
    }
)


def random_table(seed: int) -> pd.DataFrame:
    """A complete table of 3-6 regions and 2-6 sectors in 2010 and 2020, some zero cells."""
    rng = np.random.default_rng(seed)
    regions = [f"Region {i}" for i in range(rng.integers(3, 7))]
    sectors = [f"Sector {i}" for i in range(rng.integers(2, 7))]
    cells = {}
    for year in (2010, 2020):
        for r, region in enumerate(regions):
            for sector in sectors:
                zero = r == 0 and rng.random() < 0.3  # only the first region has empty sectors
                cells[region, sector, year] = 0 if zero else int(rng.integers(1, 50_000))
    return long_table(cells)


SEEDS = range(8)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# Location quotients


def test_location_quotients_by_hand():
    lqs = location_quotients(ONE_YEAR)
    assert list(lqs.index) == ["North", "South"]
    assert list(lqs.columns) == ["Textiles", "Services"]  # first-appearance order
    assert lqs.loc["North", "Textiles"] == pytest.approx(1.80)
    assert lqs.loc["North", "Services"] == pytest.approx(0.84)
    assert lqs.loc["South", "Textiles"] == pytest.approx(0.60)
    assert lqs.loc["South", "Services"] == pytest.approx(1.08)


def test_location_quotients_default_to_the_latest_year():
    # 2020 by hand: North textiles (600 / 1200) / (700 / 2500) = 0.5 / 0.28 = 1.7857
    # 2010 by hand: North textiles (400 / 1000) / (500 / 2000) = 0.4 / 0.25 = 1.6
    assert location_quotients(TWO_YEARS).loc["North", "Textiles"] == pytest.approx(0.5 / 0.28)
    assert location_quotients(TWO_YEARS, 2010).loc["North", "Textiles"] == pytest.approx(1.6)


def test_a_year_not_in_the_table_names_the_years_available():
    with pytest.raises(ValueError, match="no employment data for 2015; .* years 2010, 2020"):
        location_quotients(TWO_YEARS, 2015)


@pytest.mark.parametrize("seed", SEEDS)
def test_employment_weighted_lq_averages_one_per_sector_and_per_region(seed):
    # sum_r e_r * LQ_rs = sum_r e_rs * E / E_s = E, and likewise sum_s E_s * LQ_rs = E.
    table = random_table(seed)
    wide = table[table["year"] == 2020].pivot(index="region", columns="sector", values="employment")
    lqs = location_quotients(table).loc[wide.index, wide.columns]
    total = wide.to_numpy().sum()
    by_sector = (lqs.mul(wide.sum(axis=1), axis=0)).sum(axis=0) / total
    by_region = (lqs.mul(wide.sum(axis=0), axis=1)).sum(axis=1) / total
    assert np.allclose(by_sector, 1) and np.allclose(by_region, 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_lq_is_unchanged_when_every_number_is_scaled_or_rows_are_shuffled(seed):
    table = random_table(seed)
    scaled = table.assign(employment=table["employment"] * 7.5)
    shuffled = table.sample(frac=1, random_state=seed)
    expected = location_quotients(table)
    pd.testing.assert_frame_equal(location_quotients(scaled), expected)
    again = location_quotients(shuffled).loc[expected.index, expected.columns]
    pd.testing.assert_frame_equal(again, expected)


# Shift-share


def test_shift_share_by_hand():
    result = shift_share(TWO_YEARS, "North", 2010, 2020).set_index("sector")
    assert list(result.index) == ["Textiles", "Services", "Total"]
    columns = ["employment_start", "employment_end", "actual_change"]
    columns += ["national_share", "industry_mix", "regional_shift"]
    assert list(result.columns) == columns
    assert list(result.loc["Textiles"]) == pytest.approx([400, 600, 200, 100, 60, 40])
    assert list(result.loc["Services"]) == pytest.approx([600, 600, 0, 150, -30, -120])
    assert list(result.loc["Total"]) == pytest.approx([1000, 1200, 200, 250, 30, -80])


@pytest.mark.parametrize("seed", SEEDS)
def test_shift_share_parts_add_up_to_the_actual_change(seed):
    table = random_table(seed)
    for region in table["region"].unique():
        result = shift_share(table, region, 2010, 2020)
        parts = result[["national_share", "industry_mix", "regional_shift"]].sum(axis=1)
        assert np.allclose(parts, result["actual_change"])
        assert np.allclose(result["employment_end"] - result["employment_start"], parts)
        sectors, total = result.iloc[:-1], result.iloc[-1]
        assert total["sector"] == "Total"
        assert np.allclose(sectors.drop(columns="sector").sum(), total.drop("sector").astype(float))


@pytest.mark.parametrize("seed", SEEDS)
def test_regional_shifts_cancel_out_across_the_nation(seed):
    # sum_r e_rs0 * (r_s - g_s) = (E_s1 - E_s0) - E_s0 * g_s = 0 for every sector, and the
    # industry mixes cancel over all sectors: sum_s E_s0 * (g_s - g) = (E1 - E0) - E0 * g = 0.
    table = random_table(seed)
    results = [shift_share(table, r, 2010, 2020) for r in table["region"].unique()]
    sectors = pd.concat([r.iloc[:-1] for r in results])
    assert np.allclose(sectors.groupby("sector")["regional_shift"].sum(), 0, atol=1e-6)
    assert math.isclose(sectors["industry_mix"].sum(), 0, abs_tol=1e-6)


def test_a_sector_new_to_a_region_counts_wholly_as_regional_shift():
    # North starts textiles from nothing: e_rs0 = 0, so national share and industry mix are 0
    # and the whole change of 50 persons is the region's own.
    table = TWO_YEARS.copy()
    table.loc[0, "employment"] = 0
    table.loc[4, "employment"] = 50
    textiles = shift_share(table, "North", 2010, 2020).iloc[0]
    assert [textiles["national_share"], textiles["industry_mix"]] == [0, 0]
    assert textiles["regional_shift"] == pytest.approx(50)


def test_shift_share_suggests_the_closest_region():
    with pytest.raises(ValueError, match="no region 'Nroth'.*did you mean 'North'.*North, South"):
        shift_share(TWO_YEARS, "Nroth", 2010, 2020)


def test_shift_share_needs_the_start_before_the_end():
    with pytest.raises(ValueError, match=r"start year \(2020\) must be before the end year"):
        shift_share(TWO_YEARS, "North", 2020, 2010)


def test_a_sector_nobody_works_in_nationally_at_the_start_is_refused():
    table = TWO_YEARS.copy()
    table.loc[[0, 2], "employment"] = 0  # no textiles anywhere in 2010
    with pytest.raises(
        ValueError, match="sector 'Textiles' has 0 .* in 2010.*growth are undefined"
    ):
        shift_share(table, "North", 2010, 2020)


# Candidate clusters


def test_candidate_clusters_by_hand():
    result = candidate_clusters(ONE_YEAR, "North")
    assert list(result["sector"]) == ["Textiles", "Services"]  # LQ 1.80, then 0.84
    textiles, services = result.iloc[0], result.iloc[1]
    assert textiles["employment"] == 300 and textiles["share_of_region"] == pytest.approx(30)
    assert textiles["lq"] == pytest.approx(1.8) and bool(textiles["candidate"])
    assert textiles["reason"] == "LQ 1.80 is at least 1.25: a candidate cluster"
    assert not services["candidate"]
    expected = "LQ 0.84 is below the 1.25 threshold: less specialised than the nation, not a "
    assert services["reason"] == expected + "candidate cluster"
    assert result[["growth", "regional_shift"]].isna().all().all()


def test_candidate_clusters_apply_the_minimum_size():
    small = candidate_clusters(ONE_YEAR, "North", min_employment=500).iloc[0]
    assert not small["candidate"]
    expected = "LQ 1.80 is at least 1.25 but 300 persons employed is below 500: too small"
    assert small["reason"] == expected
    enough = candidate_clusters(ONE_YEAR, "North", min_employment=100).iloc[0]
    assert enough["candidate"]
    expected = "LQ 1.80 is at least 1.25 and 300 persons employed is at least 100: "
    assert enough["reason"] == expected + "a candidate cluster"


def test_the_threshold_is_inclusive_and_shown_precisely_near_the_line():
    # The LQ of North textiles is exactly 1.8 by hand (floating point may give 1.7999...).
    assert candidate_clusters(ONE_YEAR, "North", lq_threshold=1.8).iloc[0]["candidate"]
    just_below = candidate_clusters(ONE_YEAR, "North", lq_threshold=1.801).iloc[0]
    expected = "LQ 1.8000 is below the 1.801 threshold: more specialised than the nation, but "
    assert just_below["reason"] == expected + "not a candidate cluster"
    services = candidate_clusters(ONE_YEAR, "North", lq_threshold=0.8).iloc[1]
    assert services["candidate"]


def test_a_sector_above_1_but_below_the_threshold_is_read_as_more_specialised_than_the_nation():
    # The reading: an LQ above 1 means more specialised than the nation; the threshold only
    # decides which sectors are candidate clusters. South services: LQ 1.08 (by hand above).
    services = candidate_clusters(ONE_YEAR, "South").set_index("sector").loc["Services"]
    assert not services["candidate"]
    assert services["reason"] == (
        "LQ 1.08 is below the 1.25 threshold: more specialised than the nation, but not a "
        "candidate cluster"
    )
    assert "not specialised" not in services["reason"]


def test_a_sector_at_the_national_share_is_read_as_at_the_national_average():
    # East and West each employ 10 % of their persons in textiles, as the nation does:
    # LQ = (100 / 1000) / (300 / 3000) = 0.10 / 0.10 = 1.00.
    table = long_table(
        {
            ("East", "Textiles", 2020): 100,
            ("East", "Services", 2020): 900,
            ("West", "Textiles", 2020): 200,
            ("West", "Services", 2020): 1800,
        }
    )
    textiles = candidate_clusters(table, "East").set_index("sector").loc["Textiles"]
    assert textiles["reason"] == (
        "LQ 1.00 is below the 1.25 threshold: at the national average, not a candidate cluster"
    )


def test_a_table_of_a_provinces_districts_is_read_against_the_province():
    # districts of one province: their sum is the province, and the reasons say so
    found = candidate_clusters(TWO_YEARS, "South", start=2010, whole="the province")
    reasons = " ".join(found["reason"])
    assert "nation" not in reasons, reasons
    assert "(ahead of the sector's trend in the province)" in reasons, reasons
    # South services, LQ 1.08 (by hand above)
    one_year = candidate_clusters(ONE_YEAR, "South", whole="the province").set_index("sector")
    assert one_year.loc["Services", "reason"] == (
        "LQ 1.08 is below the 1.25 threshold: more specialised than the province, but not a "
        "candidate cluster"
    )
    textiles = candidate_clusters(
        long_table(
            {
                ("East", "Textiles", 2020): 100,
                ("East", "Services", 2020): 900,
                ("West", "Textiles", 2020): 200,
                ("West", "Services", 2020): 1800,
            }
        ),
        "East",
        whole="Hai Duong province",
    ).set_index("sector")
    assert textiles.loc["Textiles", "reason"].endswith(
        "at the average of Hai Duong province, not a candidate cluster"
    )


def test_candidate_clusters_report_growth_and_regional_shift_since_start():
    # North textiles 400 -> 600 = +50 %, regional shift +40 (by hand above);
    # services 600 -> 600 = 0 %, regional shift -120.
    result = candidate_clusters(TWO_YEARS, "North", start=2010).set_index("sector")
    assert result.loc["Textiles", "growth"] == pytest.approx(50)
    assert result.loc["Services", "growth"] == pytest.approx(0)
    assert result.loc["Textiles", "regional_shift"] == pytest.approx(40)
    assert result.loc["Services", "regional_shift"] == pytest.approx(-120)
    assert "+40 persons (ahead of" in result.loc["Textiles", "reason"]
    assert "-120 persons (behind" in result.loc["Services", "reason"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lq_threshold": 0}, "lq_threshold is 0; it must be above 0"),
        ({"lq_threshold": -1.25}, "must be above 0"),
        ({"min_employment": -10}, "min_employment is -10; it must be 0 or more"),
    ],
)
def test_candidate_clusters_refuse_impossible_settings(options, message):
    with pytest.raises(ValueError, match=message):
        candidate_clusters(ONE_YEAR, "North", **options)


# Bad tables


def problems_of(table: pd.DataFrame) -> str:
    with pytest.raises(TableError) as caught:
        check_employment(table)
    assert str(caught.value).startswith("The employment table cannot be used:")
    return str(caught.value)


def test_a_missing_column_is_named_with_the_closest_heading():
    message = problems_of(ONE_YEAR.rename(columns={"employment": "employmnt"}))
    assert "column 'employment' is missing; is 'employmnt' meant to be 'employment'?" in message


def test_text_in_employment_is_named_by_row_with_the_unit():
    table = ONE_YEAR.astype({"employment": object})
    table.loc[1, "employment"] = "700 people"
    message = problems_of(table)
    assert "column 'employment' has text in row 3 ('700 people')" in message
    assert "enter a number of persons employed" in message


def test_negative_employment_is_refused():
    table = ONE_YEAR.copy()
    table.loc[0, "employment"] = -300
    assert "column 'employment' in row 2 is -300; it cannot be below 0" in problems_of(table)


def test_a_missing_region_sector_year_row_is_named_with_the_fix():
    message = problems_of(TWO_YEARS.drop(index=7))
    expected = "region 'South' has no row for sector 'Services' in 2020; add one (0 if nobody"
    assert expected in message


def test_duplicated_rows_are_named():
    table = pd.concat([ONE_YEAR, ONE_YEAR.iloc[[0]]], ignore_index=True)
    message = problems_of(table)
    assert "row 2 and row 6 repeat region 'North', sector 'Textiles', year '2020'" in message


def test_an_empty_table_is_refused():
    assert "the table has no rows" in problems_of(ONE_YEAR.iloc[0:0])


def test_a_year_must_be_whole():
    table = ONE_YEAR.astype({"year": float})
    table.loc[2, "year"] = 2020.5
    assert "column 'year' in row 4 is 2020.5; enter a whole year" in problems_of(table)


def test_all_problems_of_completeness_and_zeros_are_reported_together():
    table = ONE_YEAR.copy()
    table.loc[[2, 3], "employment"] = 0  # South employs nobody
    table = table.drop(index=1)  # and North has no services row
    message = problems_of(table)
    assert "region 'North' has no row for sector 'Services' in 2020" in message
    assert "region 'South' has 0 persons employed in 2020; enter its employment" in message


def with_totals(table: pd.DataFrame, *, sector: str | None = None, region: str | None = None):
    """The table with a published table's totals added as rows: a sector that sums the
    sectors of each region, a region that sums the regions in each sector."""
    parts = [table]
    if sector:
        sums = table.groupby(["region", "year"], as_index=False)["employment"].sum()
        parts.append(sums.assign(sector=sector))
    if region:
        sums = table.groupby(["sector", "year"], as_index=False)["employment"].sum()
        parts.append(sums.assign(region=region))
    return pd.concat(parts, ignore_index=True)


# North 2020: textiles 300 + services 700 + mining 100 = 1,100; South: 200 + 1,800 + 0 = 2,000
THREE_SECTORS = pd.concat(
    [ONE_YEAR, long_table({("North", "Mining", 2020): 100, ("South", "Mining", 2020): 0})],
    ignore_index=True,
)


def test_a_total_sector_is_refused_with_a_cell_that_shows_it():
    message = problems_of(with_totals(THREE_SECTORS, sector="All industries"))
    assert (
        "sector 'All industries' is the sum of the other sectors in every region (North in "
        "2020: 1,100 persons, the others 1,100): it looks like a total. Remove its rows"
    ) in message


@pytest.mark.parametrize("seed", SEEDS)
def test_totals_added_to_any_table_are_refused_and_the_table_alone_is_not(seed):
    table = random_table(seed)
    check_employment(table)  # no total in the table itself
    message = problems_of(with_totals(table, region="Whole country"))
    assert "region 'Whole country' is the sum of the other regions in every sector" in message
    assert "a total doubles the nation's employment" in message
    message = problems_of(with_totals(table, sector="Total"))
    assert "sector 'Total' is the sum of the other sectors in every region" in message


def test_a_published_total_rounded_within_one_percent_is_still_a_total():
    table = with_totals(THREE_SECTORS, sector="Total")
    table.loc[table["sector"] == "Total", "employment"] = [1_110, 1_990]  # 1,100 and 2,000
    assert "sector 'Total' is the sum of the other sectors" in problems_of(table)


def test_a_sector_near_the_sum_of_the_others_in_one_region_only_is_kept():
    table = with_totals(THREE_SECTORS, sector="Manufacturing")
    table.loc[table["sector"] == "Manufacturing", "employment"] = [1_100, 2_030]  # 1.5 % off
    assert check_employment(table)["sector"].nunique() == 4


def test_with_two_sectors_one_equal_to_the_other_is_not_a_total():
    table = ONE_YEAR.assign(employment=[300, 300, 200, 200])
    assert len(check_employment(table)) == 4


def yearbook_table(
    seed: int, *, subtotals_after: bool = False, regions_apart: bool = False
) -> pd.DataFrame:
    """Employment in six provinces, three sectors and two years as a statistical yearbook
    lists it: the whole country first, then each larger region followed by its provinces
    (or, ``subtotals_after``, each region after its provinces; or, ``regions_apart``, the
    larger regions first and all the provinces after them)."""
    rng = np.random.default_rng(seed)
    provinces = {"Delta": ["Ha Son", "Bac Lam", "Ninh Giang"], "Highlands": ["Kon Ro", "Dak Mai"]}
    sectors, years = ["Farming", "Manufacturing", "Services"], [2010, 2020]
    cells = {
        (p, s, y): int(rng.integers(1_000, 90_000))
        for group in provinces.values()
        for p in group
        for s in sectors
        for y in years
    }
    order = ["Whole country"]
    for region, group in provinces.items():
        order += [*group, region] if subtotals_after else [region, *group]
        for s_, y in ((s_, y) for s_ in sectors for y in years):
            cells[region, s_, y] = sum(cells[p, s_, y] for p in group)
    for s_, y in ((s_, y) for s_ in sectors for y in years):
        cells["Whole country", s_, y] = sum(cells[r, s_, y] for r in provinces)
    if regions_apart:
        order = ["Whole country", *provinces, *(p for group in provinces.values() for p in group)]
    table = long_table(cells)
    return table.sort_values("region", key=lambda r: r.map(order.index), kind="stable")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("after", [False, True], ids=["region first", "region last"])
def test_a_yearbooks_larger_regions_and_country_are_refused_and_its_provinces_kept(seed, after):
    table = yearbook_table(seed, subtotals_after=after)
    message = problems_of(table)
    assert (
        "region 'Delta' is the sum of the 3 regions beside it in the table, 'Ha Son' to "
        "'Ninh Giang', in every sector"
    ) in message
    assert "region 'Highlands' is the sum of the 2 regions beside it in the table" in message
    assert "it looks like a subtotal. Remove its rows (or theirs)" in message
    # with its larger regions, the country is half the sum of the others; without, a total
    assert "region 'Whole country' is the sum of the other regions in every sector" in message
    provinces = table[~table["region"].isin(["Whole country", "Delta", "Highlands"])]
    assert check_employment(provinces)["region"].nunique() == 5
    # the larger regions alone, with no country, are a table of their own
    regions = table[table["region"].isin(["Delta", "Highlands"])]
    assert check_employment(regions)["region"].nunique() == 2


@pytest.mark.parametrize("seed", SEEDS)
def test_larger_regions_listed_apart_from_their_provinces_are_refused_too(seed):
    table = yearbook_table(seed, regions_apart=True)
    assert list(dict.fromkeys(table["region"]))[:4] == [
        "Whole country", "Delta", "Highlands", "Ha Son"
    ]  # fmt: skip
    message = problems_of(table)
    assert (
        "region 'Delta' is the sum of the 3 regions listed together in the table, 'Ha Son' "
        "to 'Ninh Giang', in every sector"
    ) in message
    assert (
        "region 'Highlands' is the sum of the 2 regions listed together in the table, "
        "'Kon Ro' to 'Dak Mai'"
    ) in message
    # the country is the sum of its two regions listed right after it, but with the
    # regions set aside it is the sum of all that is left: a total, and said so
    assert "region 'Whole country' is the sum of the other regions in every sector" in message
    assert "'Whole country' is the sum of the 2 regions" not in message
    provinces = table[~table["region"].isin(["Whole country", "Delta", "Highlands"])]
    assert check_employment(provinces)["region"].nunique() == 5


@pytest.mark.parametrize("seed", SEEDS)
def test_many_districts_of_every_size_are_not_taken_for_subtotals(seed):
    # two hundred districts from a few hundred to tens of thousands of persons: very many
    # runs of districts to compare with each, none a subtotal
    rng = np.random.default_rng(seed)
    cells = {
        (f"District {i}", s, y): int(rng.lognormal(8, 1)) + 1
        for i in range(200)
        for s in ("Farming", "Industry", "Services")
        for y in (2010, 2020)
    }
    assert check_employment(long_table(cells))["region"].nunique() == 200


def test_a_sector_listed_after_its_branches_is_refused_and_a_rounded_one_too():
    table = yearbook_table(0)
    table = table[table["region"].isin(["Ha Son", "Bac Lam", "Ninh Giang", "Kon Ro"])]
    made = table[table["sector"] != "Farming"].groupby(["region", "year"], as_index=False)
    industry = made["employment"].sum().assign(sector="Industry and services")
    industry["employment"] = (industry["employment"] * 1.004).round()  # published, rounded
    table = pd.concat([table, industry], ignore_index=True)
    message = problems_of(table)
    assert (
        "sector 'Industry and services' is the sum of the 2 sectors beside it in the table, "
        "'Manufacturing' to 'Services', in every region"
    ) in message


@pytest.mark.parametrize("seed", SEEDS)
def test_many_regions_of_like_size_are_not_taken_for_subtotals(seed):
    # forty provinces of about the same size and three sectors: many runs of neighbours to
    # compare, none a subtotal
    rng = np.random.default_rng(seed)
    cells = {
        (f"Province {i}", s, y): int(rng.lognormal(9, 0.3))
        for i in range(40)
        for s in ("Farming", "Industry", "Services")
        for y in (2010, 2020)
    }
    assert check_employment(long_table(cells))["region"].nunique() == 40


def test_a_clean_table_comes_back_tidy():
    messy = ONE_YEAR.rename(columns={"region": " Region ", "year": "YEAR"})
    messy = messy.assign(YEAR=2020.0, employment=[" 300", "700", "200 ", "1800"])
    clean = check_employment(messy)
    assert list(clean.columns) == ["region", "sector", "year", "employment"]
    assert clean["year"].tolist() == [2020] * 4 and clean["year"].dtype.kind == "i"
    assert clean["employment"].tolist() == [300, 700, 200, 1800]


# Charts


def test_lq_chart_marks_candidates_average_and_threshold():
    fig = lq_chart(candidate_clusters(ONE_YEAR, "North"), "North", threshold=1.25)
    ax = fig.axes[0]
    assert "North" in ax.get_title()
    assert ax.get_xlabel() == "Location quotient (1 = national average)"
    assert ax.get_ylabel() == "Sector"
    bars = ax.patches
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Services", "Textiles"]  # sorted
    assert [b.get_width() for b in bars] == pytest.approx([0.84, 1.8])
    assert bars[0].get_facecolor() != bars[1].get_facecolor()
    assert sorted(line.get_xdata()[0] for line in ax.get_lines()) == [1, 1.25]
    assert [t.get_text() for t in ax.texts] == ["0.84", "1.80"]


def test_lq_chart_takes_the_location_quotient_table_too():
    fig = lq_chart(location_quotients(ONE_YEAR), "South", threshold=1.0)
    ax = fig.axes[0]
    assert "South" in ax.get_title() and "2020" in ax.get_title()
    widths = [b.get_width() for b in ax.patches]
    assert widths == pytest.approx([0.6, 1.08])
    with pytest.raises(ValueError, match="no region 'West'"):
        lq_chart(location_quotients(ONE_YEAR), "West")


def test_shift_share_chart_shows_the_three_parts_and_the_actual_change():
    fig = shift_share_chart(shift_share(TWO_YEARS, "North", 2010, 2020))
    ax = fig.axes[0]
    assert "North" in ax.get_title() and "2010" in ax.get_title()
    assert ax.get_xlabel() == "Change in employment (persons)"
    assert ax.get_ylabel() == "Sector"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == 4 and legend[-1] == "Actual change"
    assert len(ax.patches) == 3 * 2  # three parts for each of two sectors; no "Total"
    assert len({p.get_hatch() for p in ax.patches}) == 3  # told apart without colour
    marked = sorted(ax.collections[0].get_offsets()[:, 0])
    assert marked == pytest.approx([0, 200])


# The bundled dataset


@pytest.fixture(scope="module")
def regional():
    return pd.read_csv(DATASET)


def test_dataset_is_a_complete_clean_table_of_round_numbers(regional):
    clean = check_employment(regional)
    assert clean["region"].nunique() == 5 and clean["sector"].nunique() == 8
    assert sorted(clean["year"].unique()) == [2010, 2020]
    assert (clean["employment"] % 10 == 0).all()


def test_dataset_gives_riverside_a_growing_textile_cluster(regional):
    lqs = location_quotients(regional, 2020).loc["Riverside"]
    shifts = shift_share(regional, "Riverside", 2010, 2020).set_index("sector")
    assert lqs["Textiles & dyeing"] > 2
    assert shifts.loc["Textiles & dyeing", "regional_shift"] > 0


def test_dataset_gives_riverside_a_specialised_but_declining_chemicals_sector(regional):
    lqs = location_quotients(regional, 2020).loc["Riverside"]
    shifts = shift_share(regional, "Riverside", 2010, 2020).set_index("sector")
    assert 1.25 < lqs["Chemicals"] < 1.45
    assert shifts.loc["Chemicals", "regional_shift"] < 0


def test_dataset_has_a_sector_just_below_the_threshold_and_a_national_decline(regional):
    lqs = location_quotients(regional, 2020).loc["Riverside"]
    assert ((lqs >= 1.15) & (lqs < 1.25)).any()
    shifts = shift_share(regional, "Riverside", 2010, 2020).iloc[:-1]
    national = regional.groupby(["sector", "year"])["employment"].sum().unstack()
    assert (national[2020] < national[2010]).any()
    assert (shifts["industry_mix"] < 0).any()
    chosen = candidate_clusters(regional, "Riverside")
    assert set(chosen.loc[chosen["candidate"], "sector"]) == {"Textiles & dyeing", "Chemicals"}


def test_a_region_or_sector_written_in_other_capitals_is_said_so_not_as_missing_rows():
    # 'RIAU' in 2020 was two regions, each "missing" the other year's rows
    table = pd.DataFrame({
        "region": ["Riau", "Jambi", "RIAU", "Jambi"] * 2,
        "sector": ["Textiles"] * 4 + ["services"] * 2 + ["Services"] * 2,
        "year": [2015, 2015, 2020, 2020] * 2,
        "employment": [100, 200, 120, 210, 300, 400, 310, 420],
    })  # fmt: skip
    with pytest.raises(TableError) as refused:
        check_employment(table)
    problems = refused.value.problems
    assert problems == [
        "column 'region' in row 4 has 'RIAU' but column 'region' in row 2 has 'Riau': the "
        "names differ only in capital letters. Spell each region the same way in every row "
        "(if they are two regions, give them clearly different names)",
        "column 'sector' in row 8 has 'Services' but column 'sector' in row 6 has 'services': "
        "the names differ only in capital letters. Spell each sector the same way in every "
        "row (if they are two sectors, give them clearly different names)",
    ]
    assert not any("has no row" in problem for problem in problems)
    fixed = table.assign(region=table["region"].str.title(), sector=table["sector"].str.title())
    assert len(check_employment(fixed)) == 8


def test_headings_statistics_offices_give_are_suggested_for_the_missing_columns():
    table = pd.DataFrame({"Province": ["Riau", "Jambi"], "Industry": ["Textiles"] * 2,
                          "Tahun": [2020, 2020], "Workers": [300, 200]})  # fmt: skip
    with pytest.raises(TableError) as refused:
        check_employment(table)
    assert refused.value.problems[:4] == [
        "column 'region' is missing; is 'Province' meant to be 'region'?",
        "column 'sector' is missing; is 'Industry' meant to be 'sector'?",
        "column 'year' is missing; is 'Tahun' meant to be 'year'?",
        "column 'employment' is missing; is 'Workers' meant to be 'employment'?",
    ]
