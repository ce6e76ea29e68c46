"""Every table a participant can supply, malformed in generated ways: the checks and the
analyses either accept it or refuse it with a TableError or ValueError whose message says
what is wrong. Nothing else escapes: no KeyError, AttributeError, TypeError, IndexError,
ZeroDivisionError or a silently wrong table.

Each entry point is sent 60 generated tables (more than 700 in all), most of them
nearly right, so that the analyses themselves, not only the first check, are reached."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eic import (
    appraisal,
    clusters,
    cooperation,
    cost_sharing,
    firm_inventory,
    flows,
    jobs,
    policy,
    strategy,
    symbiosis,
)
from eic.portfolio import choose_portfolio
from eic.table_cells import Column
from eic.tables import TableError

CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(""),
    st.just("   "),
    st.booleans(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from(["12 t", "1,5", "abc", "water", "salt", "m3/day", "t/yr", "supplies", "needs",
                     "industrial", "jobs", "job-years", "-5", "1e400", "\u22123", "1/3", "A"]),
    st.text(max_size=8),
)  # fmt: skip


def good_cells(column: Column):
    """Values that a careful participant would type in ``column``."""
    if column.kind == "number":
        low = column.minimum if column.minimum is not None else -1000
        return st.one_of(st.integers(int(low), 3000), st.floats(low, 3000, allow_nan=False))
    if column.allowed:
        return st.sampled_from(column.allowed)
    return st.sampled_from(["A", "B", "C", "Composting", "water"])


def tables(columns: list[Column | str]):
    """Tables whose headings are mostly the expected ones (some dropped, misspelt or
    duplicated) and whose cells are mostly plausible, with malformed ones mixed in."""

    @st.composite
    def build(draw):
        specs = [c if isinstance(c, Column) else Column(c, "number") for c in columns]
        kept: list[tuple[str, Column]] = []
        for column in specs:
            fate = draw(st.sampled_from(["keep"] * 12 + ["drop", "misspell", "upper"]))
            if fate == "keep":
                kept.append((column.name, column))
            elif fate == "misspell":
                kept.append((column.name[:-1] or "x", column))
            elif fate == "upper":
                kept.append((f" {column.name.upper()} ", column))
        for extra in draw(st.lists(st.sampled_from(specs), max_size=2)):
            kept.append((extra.name, extra))
        rows = draw(st.integers(0, 6))
        bad = draw(st.floats(0, 0.5))
        data = [
            [draw(CELLS if draw(st.floats(0, 1)) < bad else good_cells(c)) for _, c in kept]
            for _ in range(rows)
        ]
        return pd.DataFrame(data, columns=[name for name, _ in kept])

    return build()


def refuses_clearly(call) -> None:
    """``call()`` succeeds, or raises ValueError (TableError is one) with a real message."""
    try:
        call()
    except ValueError as err:
        message = str(err)
        assert len(message) > 15, message
        if isinstance(err, TableError):
            assert err.problems and all(isinstance(p, str) and p for p in err.problems)


def names(spec) -> list[Column]:
    return list(spec)


ENTRY_POINTS = {
    "employment check": (names(clusters.EMPLOYMENT_COLUMNS), clusters.check_employment),
    "location quotients": (names(clusters.EMPLOYMENT_COLUMNS), clusters.location_quotients),
    "shift-share": (
        names(clusters.EMPLOYMENT_COLUMNS),
        lambda t: clusters.shift_share(t, "A", 2010, 2020),
    ),
    "flow balance": (names(flows.FLOW_COLUMNS), flows.balance),
    "unknown flow": (names(flows.FLOW_COLUMNS), flows.solve_unknown),
    "Sankey diagram": (names(flows.FLOW_COLUMNS), lambda t: flows.sankey_chart(t, "water")),
    "by-product matching": (
        names(firm_inventory.INVENTORY_COLUMNS),
        lambda t: symbiosis.match_by_products(t, max_distance_km=10),
    ),
    "appraisal": (names(appraisal.OPTION_COLUMNS), lambda t: appraisal.appraise(t, 0.1)),
    "cost sharing": (
        names(cost_sharing.FIRM_COLUMNS),
        lambda t: cost_sharing.compare_rules(t, cost_sharing.cetp_plant_cost),
    ),
    "stakeholder map": (names(cooperation.STAKEHOLDER_COLUMNS), cooperation.stakeholder_quadrants),
    "brokers": (names(cooperation.TIE_COLUMNS), cooperation.broker_table),
    "green jobs factors": (names(jobs.FACTOR_COLUMNS), jobs.check_factors),
    "roadmap": (names(strategy.ACTION_COLUMNS), strategy.check_roadmap),
    "policy instruments": (
        [
            *names(policy.INSTRUMENT_COLUMNS),
            Column("environmental_benefit", "number"),
            Column("jobs_and_growth", "number"),
        ],
        lambda t: policy.weighted_scores(t, {"environmental_benefit": 1, "jobs_and_growth": 1}),
    ),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_malformed_tables_are_accepted_or_refused_with_a_message(entry):
    columns, call = ENTRY_POINTS[entry]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(tables(columns))
    def check(table):
        refuses_clearly(lambda: call(table))

    check()
    import matplotlib.pyplot as plt

    plt.close("all")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["Jobs", "Env", "SMEs", "Jobs vs Env"]),
                       st.one_of(st.floats(allow_nan=True), st.text(max_size=4), st.none()),
                       max_size=4))  # fmt: skip
def test_malformed_green_job_activities_are_refused_with_a_message(quantities):
    factors = pd.DataFrame(
        {
            "activity": ["Composting"],
            "unit": ["t/yr"],
            "direct_jobs_per_unit": [0.0004],
            "job_kind": ["jobs"],
            "indirect_multiplier": [math.nan],
            "source": ["ILSR (1997)"],
        }
    )
    activities = pd.DataFrame({"activity": list(quantities), "quantity": list(quantities.values())})
    refuses_clearly(lambda: jobs.green_jobs(activities, factors))


def mutated(dataset: str):
    """A bundled, valid table with a few cells replaced by malformed values, a row dropped
    or repeated: close enough to right that the analyses themselves run on it."""
    from eic import data

    base = data.load(dataset)

    @st.composite
    def build(draw):
        table = base.copy().astype(object)
        for _ in range(draw(st.integers(0, 3))):
            row = draw(st.integers(0, len(table) - 1))
            column = draw(st.sampled_from(list(table.columns)))
            table.iat[row, table.columns.get_loc(column)] = draw(CELLS)
        change = draw(st.sampled_from(["none", "none", "drop row", "repeat row"]))
        if change == "drop row" and len(table) > 1:
            table = table.drop(index=draw(st.integers(0, len(table) - 1)))
        elif change == "repeat row":
            table = pd.concat([table, table.iloc[[draw(st.integers(0, len(table) - 1))]]])
        return table.reset_index(drop=True)

    return build()


NEAR_MISSES = {
    "location quotients": ("regional_employment", clusters.location_quotients),
    "shift-share": (
        "regional_employment",
        lambda t: clusters.candidate_clusters(t, "Riverside", start=2010),
    ),
    "unknown flow": ("dyeing_cluster_flows", flows.solve_unknown),
    "reuse scenario": (
        "dyeing_cluster_flows",
        lambda t: flows.reuse_scenario(
            flows.solve_unknown(t)[0], "Common effluent treatment plant", {"water": 0.9}
        ),
    ),
    "by-product allocation": (
        "sme_inventory",
        lambda t: symbiosis.allocate_exchanges(symbiosis.match_by_products(t, max_distance_km=15)),
    ),
    "portfolio": (
        "cluster_options",
        lambda t: choose_portfolio(appraisal.appraise(t, 0.1), 500_000),
    ),
    "cost sharing": (
        "cetp_firms",
        lambda t: cost_sharing.compare_rules(t, cost_sharing.cetp_plant_cost),
    ),
    "brokers": ("cooperation_ties", cooperation.broker_table),
    "stakeholder map": ("cluster_stakeholders", cooperation.stakeholder_quadrants),
    "policy package": (
        "policy_instruments",
        lambda t: policy.choose_package(
            policy.weighted_scores(
                t, {"environmental_benefit": 1, "jobs_and_growth": 1, "reach_to_smes": 1}
            ),
            10,
        ),
    ),
    "green jobs": (
        "green_job_factors",
        lambda t: jobs.green_jobs(
            pd.DataFrame({"activity": ["Composting"], "quantity": [10_000]}), t
        ),
    ),
}


@pytest.mark.parametrize("entry", list(NEAR_MISSES))
def test_nearly_right_tables_are_analysed_or_refused_with_a_message(entry):
    dataset, call = NEAR_MISSES[entry]
    outcomes = {"analysed": 0, "refused": 0}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated(dataset))
    def check(table):
        try:
            call(table)
            outcomes["analysed"] += 1
        except ValueError as err:
            outcomes["refused"] += 1
            assert len(str(err)) > 15, str(err)

    check()
    # the generated tables reach the analysis itself, not only the first check
    assert outcomes["analysed"] > 0 and outcomes["refused"] > 0, outcomes
