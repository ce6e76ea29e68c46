"""Module 8's green jobs estimate: direct and indirect jobs checked by hand, totals kept
apart for jobs and job-years, edited factors, the chart, and clear errors for bad tables."""

from __future__ import annotations

import io
import math
from importlib import resources

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from eic.jobs import (
    TOTAL_LABELS,
    check_activities,
    check_factors,
    green_jobs,
)
from eic.jobs_shown import jobs_chart, jobs_summary
from eic.tables import TableError

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


FACTORS = pd.DataFrame(
    {
        "activity": ["Solar PV construction", "Plastics recycling", "Wind O&M"],
        "unit": ["MW", "t/yr", "MW"],
        "direct_jobs_per_unit": [13, 0.001, 0.3],
        "job_kind": ["job-years", "jobs", "jobs"],
        "indirect_multiplier": [0.5, None, 0.8],
        "source": ["Source A (2015)", "Source B (1997)", "Source C (2020)"],
    }
)


def plans(**quantities: float) -> pd.DataFrame:
    names = {"solar": "Solar PV construction", "plastics": "Plastics recycling", "wind": "Wind O&M"}
    return pd.DataFrame(
        {"activity": [names[k] for k in quantities], "quantity": list(quantities.values())}
    )


def row(estimate: pd.DataFrame, activity: str) -> pd.Series:
    return estimate.set_index("activity").loc[activity]


# Hand calculations


def test_direct_and_indirect_job_years_of_solar_construction():
    # 10 MW x 13 job-years/MW = 130 job-years; indirect 130 x 0.5 = 65; total 195
    solar = row(green_jobs(plans(solar=10), FACTORS), "Solar PV construction")
    assert (solar["direct"], solar["indirect"], solar["total"]) == (130, 65, 195)
    assert solar["job_kind"] == "job-years" and solar["unit"] == "MW"


def test_a_blank_multiplier_leaves_indirect_unknown_and_says_so():
    # 5,000 t/yr x 0.001 jobs/t = 5 jobs; no published multiplier
    plastics = row(green_jobs(plans(plastics=5_000), FACTORS), "Plastics recycling")
    assert plastics["direct"] == pytest.approx(5)
    assert math.isnan(plastics["indirect"])
    assert plastics["total"] == pytest.approx(5)  # direct jobs only
    assert "no published indirect multiplier" in plastics["note"]
    assert "direct jobs only" in plastics["note"]


def test_a_default_multiplier_fills_only_the_blank_ones():
    # plastics 5 x 0.4 = 2 indirect; wind keeps its own 0.8: 40 MW x 0.3 = 12, 12 x 0.8 = 9.6
    estimate = green_jobs(plans(plastics=5_000, wind=40), FACTORS, default_indirect_multiplier=0.4)
    assert row(estimate, "Plastics recycling")["indirect"] == pytest.approx(2)
    assert "default 0.4" in row(estimate, "Plastics recycling")["note"]
    assert row(estimate, "Wind O&M")["indirect"] == pytest.approx(9.6)
    assert row(estimate, "Wind O&M")["note"] == ""


def test_totals_are_kept_apart_for_jobs_and_job_years():
    # jobs: plastics 5 + wind 12 = 17 direct, 9.6 indirect (plastics unknown), 26.6 total;
    # job-years: solar 130 + 65 = 195
    estimate = green_jobs(plans(solar=10, plastics=5_000, wind=40), FACTORS)
    jobs, years = row(estimate, "Total (jobs)"), row(estimate, "Total (job-years)")
    assert jobs["direct"] == pytest.approx(17) and jobs["indirect"] == pytest.approx(9.6)
    assert jobs["total"] == pytest.approx(26.6) and "lower bound" in jobs["note"]
    assert (years["direct"], years["indirect"], years["total"]) == (130, 65, 195)
    assert list(estimate["activity"][-2:]) == ["Total (jobs)", "Total (job-years)"]


def test_only_the_job_kinds_present_get_a_total_row():
    estimate = green_jobs(plans(wind=10), FACTORS)
    assert list(estimate["activity"]) == ["Wind O&M", "Total (jobs)"]


def test_the_factors_sources_are_carried_to_each_activity():
    estimate = green_jobs(plans(solar=1, plastics=1), FACTORS)
    assert list(estimate["source"][:2]) == ["Source A (2015)", "Source B (1997)"]


def test_an_edited_factors_table_is_used_as_given():
    edited = FACTORS.copy()
    edited.loc[0, "direct_jobs_per_unit"] = 20  # 10 MW x 20 = 200 job-years
    assert row(green_jobs(plans(solar=10), edited), "Solar PV construction")["direct"] == 200


def test_activity_names_match_ignoring_case_and_spaces():
    table = pd.DataFrame({"Activity": ["  solar pv   CONSTRUCTION"], "Quantity": ["2"]})
    estimate = green_jobs(table, FACTORS)
    assert estimate["activity"][0] == "Solar PV construction"
    assert estimate["direct"][0] == 26  # 2 MW x 13


# Properties

quantities = st.floats(0, 1e6, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(quantities, quantities, quantities)
def test_totals_are_the_sum_of_the_rows_of_their_kind(solar, plastics, wind):
    estimate = green_jobs(plans(solar=solar, plastics=plastics, wind=wind), FACTORS)
    activities = estimate[~estimate["activity"].isin(TOTAL_LABELS.values())]
    for kind, label in TOTAL_LABELS.items():
        rows = activities[activities["job_kind"] == kind]
        total = row(estimate, label)
        for column in ("direct", "total"):
            assert total[column] == pytest.approx(rows[column].sum())
    # never jobs plus job-years: the two totals together are exactly the rows
    assert estimate["total"].iloc[-2:].sum() == pytest.approx(activities["total"].sum())


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 1e5), st.floats(0.1, 100))
def test_scaling_a_quantity_scales_its_jobs(quantity, factor):
    first = green_jobs(plans(solar=quantity, wind=quantity), FACTORS)
    scaled = green_jobs(plans(solar=quantity * factor, wind=quantity * factor), FACTORS)
    for column in ("direct", "indirect", "total"):
        expected = (first[column] * factor).tolist()
        assert scaled[column].tolist() == pytest.approx(expected, rel=1e-9)


# Errors


def test_an_unknown_activity_is_named_with_a_suggestion():
    table = pd.DataFrame({"activity": ["Solar construction"], "quantity": [5]})
    with pytest.raises(TableError) as error:
        green_jobs(table, FACTORS)
    message = str(error.value)
    assert "'Solar construction' in row 2 has no employment factor" in message
    assert "did you mean 'Solar PV construction'?" in message
    assert "add a row for it" in message


def test_a_negative_quantity_is_refused():
    table = pd.DataFrame({"activity": ["Wind O&M"], "quantity": [-3]})
    with pytest.raises(TableError, match=r"'quantity' in row 2 is -3; it cannot be below 0"):
        green_jobs(table, FACTORS)


def test_text_in_a_factor_is_refused():
    bad = FACTORS.astype({"direct_jobs_per_unit": object})
    bad.loc[1, "direct_jobs_per_unit"] = "13 jobs"
    with pytest.raises(TableError, match=r"'direct_jobs_per_unit' has text in row 3 \('13 jobs'\)"):
        check_factors(bad)


def test_an_unknown_job_kind_is_refused_with_a_suggestion():
    bad = FACTORS.assign(job_kind=["job years", "jobs", "jobs"])
    with pytest.raises(TableError) as error:
        green_jobs(plans(wind=1), bad)
    assert "'job_kind' in row 2 is 'job years'" in str(error.value)
    assert "did you mean 'job-years'?" in str(error.value)


def test_a_negative_multiplier_and_a_blank_source_are_refused():
    bad = FACTORS.assign(indirect_multiplier=[-0.5, None, 0.8], source=["A", "", "C"])
    with pytest.raises(TableError) as error:
        check_factors(bad)
    assert "'indirect_multiplier' in row 2 is -0.5" in str(error.value)
    assert "'source' in row 3 is empty" in str(error.value)


def test_columns_left_blank_in_a_csv_are_read_as_blanks():
    text = "activity,unit,direct_jobs_per_unit,job_kind,indirect_multiplier,source\nA,MW,2,jobs,,\n"
    with pytest.raises(TableError) as error:
        check_factors(pd.read_csv(io.StringIO(text)))
    assert str(error.value).endswith("- column 'source' in row 2 is empty; fill it in")
    factors = check_factors(pd.read_csv(io.StringIO(text.replace(",\n", ",Survey\n"))))
    assert math.isnan(factors["indirect_multiplier"][0])


def test_an_activity_given_two_factors_is_refused():
    bad = pd.concat([FACTORS, FACTORS.iloc[[2]].assign(activity="wind o&m")], ignore_index=True)
    with pytest.raises(
        TableError,
        match=r"row 4 and row 5 repeat activity 'Wind O&M' \(row 5 writes 'wind o&m': the "
        r"names differ only in capital letters\)",
    ):
        check_factors(bad)


def test_an_activity_may_not_be_called_like_a_totals_row():
    bad = FACTORS.assign(activity=["Total (jobs)", "B", "C"])
    with pytest.raises(TableError, match="a name kept for the totals row"):
        check_factors(bad)


def test_an_activity_listed_twice_is_refused():
    table = pd.DataFrame({"activity": ["Wind O&M", "Wind O&M"], "quantity": [1, 2]})
    with pytest.raises(TableError, match="repeat activity 'Wind O&M'"):
        check_activities(table)


@pytest.mark.parametrize("default", [-1, "half", math.nan])
def test_a_bad_default_multiplier_is_refused(default):
    with pytest.raises(ValueError, match="default indirect multiplier"):
        green_jobs(plans(plastics=1), FACTORS, default_indirect_multiplier=default)


# Chart and summary


def test_the_chart_has_a_panel_per_job_kind_with_labelled_axes():
    fig = jobs_chart(green_jobs(plans(solar=10, plastics=5_000, wind=40), FACTORS))
    assert isinstance(fig, Figure)
    assert "Green jobs" in fig.get_suptitle()
    axes = fig.axes
    assert len(axes) == 2
    assert axes[0].get_xlabel().startswith("Jobs (") and "full-time" in axes[0].get_xlabel()
    assert axes[1].get_xlabel().startswith("Job-years (1 job-year = one person")
    assert all(ax.get_ylabel() == "Activity" for ax in axes)
    assert all(ax.get_title(loc="left") for ax in axes)
    labels = [t.get_text() for t in axes[1].get_yticklabels()]
    assert labels == ["Solar PV construction"]  # job-years are not drawn among jobs


def test_the_chart_stacks_hatched_indirect_on_direct_and_flags_unknown_indirect():
    fig = jobs_chart(green_jobs(plans(plastics=5_000, wind=40), FACTORS))
    (ax,) = fig.axes
    bars = ax.patches
    solid = [b for b in bars if not b.get_hatch()]
    hatched = [b for b in bars if b.get_hatch()]
    assert sorted(b.get_width() for b in solid) == pytest.approx([5, 12])
    wind = max(hatched, key=lambda b: b.get_width())
    assert (wind.get_x(), wind.get_width()) == pytest.approx((12, 9.6))
    assert any("indirect not estimated" in t.get_text() for t in ax.texts)


def test_the_chart_needs_an_estimate():
    with pytest.raises(ValueError, match="green_jobs"):
        jobs_chart(pd.DataFrame({"activity": ["x"]}))


def test_the_summary_gives_each_kind_its_own_total():
    text = jobs_summary(green_jobs(plans(solar=10, wind=40), FACTORS))
    # wind 12 + 9.6 = 21.6 jobs; solar 130 + 65 = 195 job-years
    assert text == (
        "The plans could support about 22 lasting jobs (12 direct, 10 indirect) and 195 job-years "
        "(130 direct, 65 indirect)."
    )


def test_the_summary_says_where_indirect_jobs_are_not_estimated():
    # plastics 5 direct, no multiplier; wind 12 direct + 9.6 indirect
    assert jobs_summary(green_jobs(plans(plastics=5_000), FACTORS)) == (
        "The plans could support about 5 lasting jobs (5 direct; indirect not estimated)."
    )
    assert jobs_summary(green_jobs(plans(plastics=5_000, wind=40), FACTORS)) == (
        "The plans could support about 27 lasting jobs (17 direct, 10 indirect; indirect not "
        "estimated for 1 activity)."
    )


def test_the_bundled_factors_are_in_the_package_and_pass_the_check():
    path = resources.files("eic").joinpath("data", "green_job_factors.csv")
    assert path.is_file(), "green_job_factors.csv is missing from the eic package's data"
    with path.open(encoding="utf-8") as f:
        factors = check_factors(pd.read_csv(f))
    assert set(factors["job_kind"]) <= {"jobs", "job-years"}
    assert factors["source"].str.len().min() > 0
