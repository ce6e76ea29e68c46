"""Module 7's policy tools: AHP priorities and consistency checked by hand and by
properties, weighted scores, the best package of instruments checked against brute force,
the framework self-check, the bundled data, and clear errors for bad input."""

from __future__ import annotations

import itertools
from importlib import resources

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from eic.ahp import RANDOM_INDEX, SAATY_SCALE, ahp, check_matrix, pairwise_matrix, priorities_chart
from eic.eip_framework import ANSWERS, FRAMEWORK_CATEGORIES, framework_self_check, self_check_chart
from eic.policy import (
    STREAMS,
    check_instruments,
    choose_package,
    greedy_package,
    scores_chart,
    streams_covered,
    weighted_scores,
)
from eic.tables import TableError

matplotlib.use("Agg")

CRITERIA = ["environmental_benefit", "jobs_and_growth", "reach_to_smes"]
EQUAL = dict.fromkeys(CRITERIA, 1)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bundled(name: str) -> pd.DataFrame:
    with resources.files("eic").joinpath("data", name).open(encoding="utf-8") as f:
        return pd.read_csv(f)


def instruments(rows: list[tuple]) -> pd.DataFrame:
    """An instruments table from (instrument, stream, cost, env, jobs, smes) rows."""
    columns = ["instrument", "stream", "cost_usd_million", *CRITERIA]
    return pd.DataFrame(rows, columns=columns)


SMALL = instruments(
    [
        ("Audit", "environmental", 1.0, 8, 4, 6),
        ("Credit line", "industrial", 3.0, 4, 10, 8),
        ("Zoning", "regional development", 0.5, 6, 2, 2),
    ]
)


# AHP


def test_the_random_index_is_the_classic_published_table():
    # /work/shared/reference/data/ahp_random_index_n1_10.csv, column
    # "RI_classic_commonly_cited_as_Saaty_1977_1980"
    published = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert dict(zip(range(1, 11), published, strict=True)) == RANDOM_INDEX


def test_saatys_scale_runs_from_1_to_9_with_its_anchors():
    assert sorted(SAATY_SCALE) == list(range(1, 10))
    assert SAATY_SCALE[1] == "equal importance" and SAATY_SCALE[9] == "extreme importance"
    assert all("intermediate" in SAATY_SCALE[k] for k in (2, 4, 6, 8))


weight_lists = st.lists(st.floats(0.1, 10), min_size=1, max_size=10)


@settings(max_examples=60, deadline=None)
@given(weight_lists)
def test_a_perfectly_consistent_matrix_gives_back_its_weights_with_cr_0(weights):
    w = np.array(weights)
    names = [f"C{i}" for i in range(len(w))]
    matrix = pd.DataFrame(w[:, None] / w[None, :], index=names, columns=names)  # a_ij = w_i/w_j
    result = ahp(matrix)
    assert result.cr == pytest.approx(0, abs=1e-9) and result.consistent
    assert result.lambda_max == pytest.approx(len(w), rel=1e-9)
    assert result.priorities.sum() == pytest.approx(1)
    np.testing.assert_allclose(result.priorities, w / w.sum(), rtol=1e-9)
    for column in matrix:  # every column is proportional to the weights
        np.testing.assert_allclose(result.priorities, matrix[column] / matrix[column].sum())


def test_a_three_criterion_example_by_hand():
    # Environment over jobs 3, environment over SMEs 5, jobs over SMEs 2. Geometric means of
    # the rows: (1*3*5)^(1/3) = 2.4662, (1/3*1*2)^(1/3) = 0.8736, (1/5*1/2*1)^(1/3) = 0.4642;
    # sum 3.8040, so the priorities are about 0.648, 0.230, 0.122.
    # A w = (1.9474, 0.6898, 0.3665); divided by w: 3.0039, 3.0030, 3.0042, so
    # lambda_max ~ 3.0037, CI = 0.0037 / 2 = 0.0018 and CR = 0.0018 / 0.58 = 0.0032.
    names = ["Environmental benefit", "Jobs and growth", "Reach to SMEs"]
    env, jobs, smes = names
    matrix = pairwise_matrix(names, {(env, jobs): 3, (env, smes): 5, (jobs, smes): "2"})
    assert matrix.loc[jobs, env] == pytest.approx(1 / 3) and matrix.loc[smes, smes] == 1
    result = ahp(matrix)
    assert result.priorities.round(2).tolist() == [0.65, 0.23, 0.12]
    assert result.lambda_max == pytest.approx(3.0037, abs=2e-4)
    assert result.ri == 0.58
    assert result.cr == pytest.approx(0.0032, abs=5e-4) and result.consistent
    assert "consistent enough" in result.advice()


def test_judgements_may_be_given_either_way_round_and_as_fractions():
    one = pairwise_matrix(["A", "B"], {("A", "B"): 4})
    other = pairwise_matrix(["A", "B"], {("B", "A"): "1/4"})
    pd.testing.assert_frame_equal(one, other)
    assert ahp(one).priorities.tolist() == pytest.approx([0.8, 0.2])  # 4 : 1
    assert ahp(one).cr == 0 and "cannot contradict" in ahp(one).advice()
    # 1/9 typed as a decimal is still on the scale
    assert pairwise_matrix(["A", "B"], {("A", "B"): 0.111}).loc["B", "A"] == pytest.approx(9, 0.01)


def test_a_circular_set_of_judgements_is_inconsistent_and_no_one_judgement_is_blamed():
    # A > B 9, B > C 9, C > A 9: every criterion beats another, so the priorities are equal,
    # and the matrix is circulant: lambda_max = 1 + 9 + 1/9 = 10.111 (eigenvector of ones),
    # CI = (10.111 - 3) / 2 = 3.556, CR = 3.556 / 0.58 = 6.13.
    result = ahp(pairwise_matrix("ABC", {("A", "B"): 9, ("B", "C"): 9, ("C", "A"): 9}))
    assert result.priorities.tolist() == pytest.approx([1 / 3] * 3)
    assert result.cr == pytest.approx(6.13, abs=0.01) and not result.consistent
    advice = result.advice()
    # each judgement, given the other two: A over B = (A over C) x (C over B) = 1/9 x 1/9
    # 1/81 is past the scale's end: the nearest setting is 9x the other way round
    for a, b in (("A", "B"), ("C", "A"), ("B", "C")):
        assert (
            f"For '{a}' over '{b}' you gave '{a}: 9x as important'; your other two judgements "
            f"imply '{b}: 9x as important', the scale's end (exactly 1/81: '{b}' about 81 "
            f"times '{a}')."
        ) in advice
    assert "disagrees most" not in advice and "cannot all hold at once" in advice


def test_with_three_criteria_the_advice_shows_what_each_judgement_would_need_to_be():
    # The reading's second team: E over I 3, I over R 5, E over R 3.
    # With three criteria every judgement is off by the same factor, the cube root of the
    # cycle (E/I)(I/R)(R/E) = 3 x 5 x 1/3 = 5: 5^(1/3) = 1.71 (each a_ab w_b / w_a).
    # Given the other two: E over I = (E over R)(R over I) = 3 x 1/5 = 0.6 (I over E 1.67);
    # I over R = (I over E)(E over R) = 1/3 x 3 = 1; E over R = (E over I)(I over R) = 15.
    ind, env, reg = "Industrial", "Environmental", "Regional development"
    judgements = {(ind, env): "1/3", (ind, reg): 5, (env, reg): 3}
    result = ahp(pairwise_matrix([ind, env, reg], judgements))
    a, w = result.matrix.to_numpy(), result.priorities.to_numpy()
    off = np.exp(np.abs(np.log(a * w[None, :] / w[:, None])))[np.triu_indices(3, 1)]
    assert off == pytest.approx([5 ** (1 / 3)] * 3, rel=1e-6)
    implied = result.implied_by_the_others()
    assert implied == {
        (env, ind): (3, pytest.approx(0.6)),
        (ind, reg): (5, pytest.approx(1.0)),
        (env, reg): (3, pytest.approx(15.0)),
    }
    advice = result.advice()
    # each in the slider's words, at the setting nearest to what the other two imply: 15 is
    # past the scale's end (9); 0.6 is nearest 1/2 (|ln(0.6 / 0.5)| = 0.18 against
    # |ln 0.6| = 0.51 for 1), which the slider shows as the other objective 2x as important
    assert (
        "For 'Environmental' over 'Regional development' you gave 'Environmental: 3x as "
        "important'; your other two judgements imply 'Environmental: 9x as important', the "
        "scale's end (exactly 15)."
    ) in advice
    assert (
        "For 'Environmental' over 'Industrial' you gave 'Environmental: 3x as important'; "
        "your other two judgements imply 'Industrial: 2x as important' (exactly 0.60: "
        "'Industrial' about 1.7 times 'Environmental')."
    ) in advice
    assert (
        "For 'Industrial' over 'Regional development' you gave 'Industrial: 5x as "
        "important'; your other two judgements imply 'equally important'."
    ) in advice
    assert " 15" not in advice.replace("(exactly 15)", "")  # no setting the slider lacks
    assert "Change the judgement you trust least" in advice and "disagrees most" not in advice


def test_advice_names_the_one_judgement_that_was_reversed():
    # Consistent with weights 8 : 4 : 2 : 1, except A over D, entered as 1/8 instead of 8.
    judgements = {("A", "B"): 2, ("A", "C"): 4, ("A", "D"): "1/8", ("B", "C"): 2}
    judgements |= {("B", "D"): 4, ("C", "D"): 2}
    result = ahp(pairwise_matrix("ABCD", judgements))
    assert result.cr > 0.10
    assert result.most_inconsistent() == ("A", "D")
    assert "'A' over 'D': you gave 1/8" in result.advice()


def test_a_non_reciprocal_matrix_is_refused_naming_the_cells():
    names = ["Environment", "Industry"]
    matrix = pd.DataFrame([[1, 3], [3, 1]], index=names, columns=names)
    with pytest.raises(TableError) as error:
        ahp(matrix)
    assert (
        "row 'Environment', column 'Industry' is 3 but the mirror cell (row 'Industry', "
        "column 'Environment') is 3; it should be 1/3"
    ) in str(error.value)


def test_check_matrix_accepts_fractions_as_text_and_reorders_columns():
    matrix = pd.DataFrame({"B": ["1/2", 1], "A": [1, "2"]}, index=["A", "B"])
    clean = check_matrix(matrix)
    assert list(clean.columns) == ["A", "B"]
    assert clean.to_numpy().tolist() == [[1, 0.5], [2, 1]]


def test_check_matrix_names_each_problem():
    matrix = pd.DataFrame([[2, "x"], [-1, 1]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(TableError) as error:
        check_matrix(matrix)
    message = str(error.value)
    assert "row 'A', column 'B' is 'x'; enter a number above 0" in message
    assert "row 'B', column 'A' is -1; enter a number above 0" in message
    assert "row 'A', column 'A' is 2; the diagonal is 1" in message
    rows_differ = pd.DataFrame([[1, 2], [0.5, 1]], columns=["A", "B"])
    with pytest.raises(TableError, match="rows are labelled 0, 1 but the columns A, B"):
        check_matrix(rows_differ)


@pytest.mark.parametrize("value, shown", [(10, "10"), ("1/10", "1/10"), (0, "0"), (-3, "-3")])
def test_judgements_outside_saatys_scale_are_refused(value, shown):
    with pytest.raises(TableError, match=f"'A' over 'B' is {shown}; Saaty's scale runs from 1/9"):
        pairwise_matrix(["A", "B"], {("A", "B"): value})


def test_judgement_errors_name_the_pair():
    with pytest.raises(TableError) as error:
        pairwise_matrix(["Jobs", "SMEs", "Water"], {("Jobs", "SMEs"): "three", ("Job", "W"): 2})
    message = str(error.value)
    assert "'Jobs' over 'SMEs' is 'three'; enter a number such as 3 or '1/3'" in message
    assert "'Job' in ('Job', 'W') is not a criterion (did you mean 'Jobs'?)" in message
    assert "no judgement for ('Jobs', 'Water')" in message
    assert "no judgement for ('SMEs', 'Water')" in message
    with pytest.raises(TableError, match="'B' and 'A' are compared twice; keep one"):
        pairwise_matrix("AB", {("A", "B"): 2, ("B", "A"): 3})
    with pytest.raises(TableError, match="compares 'A' with itself"):
        pairwise_matrix("AB", {("A", "A"): 1, ("A", "B"): 3})
    with pytest.raises(ValueError, match="give one or more names, each once"):
        pairwise_matrix(["A", "A"], {})


def test_more_than_ten_criteria_are_refused():
    names = [f"C{i}" for i in range(11)]
    with pytest.raises(ValueError, match="11 criteria is too many.*up to 10"):
        ahp(pd.DataFrame(np.ones((11, 11)), index=names, columns=names))


# Weighted scores


def test_weighted_scores_by_hand():
    # weights 2 : 1 : 1 -> 0.5, 0.25, 0.25
    # Audit:       0.5 * 8 + 0.25 * 4 + 0.25 * 6 = 6.5
    # Credit line: 0.5 * 4 + 0.25 * 10 + 0.25 * 8 = 6.5
    # Zoning:      0.5 * 6 + 0.25 * 2 + 0.25 * 2 = 4.0
    scored = weighted_scores(
        SMALL, {"Environmental benefit": 2, "jobs_and_growth": 1, "Reach to SMEs": 1}
    )
    assert scored["score"].tolist() == pytest.approx([6.5, 6.5, 4.0])
    assert scored.attrs["weights"] == pytest.approx(
        {"environmental_benefit": 0.5, "jobs_and_growth": 0.25, "reach_to_smes": 0.25}
    )


def test_ahp_priorities_can_be_the_weights():
    names = ["Environmental benefit", "Jobs and growth", "Reach to SMEs"]
    result = ahp(
        pairwise_matrix(
            names, {(names[0], names[1]): 2, (names[0], names[2]): 2, (names[1], names[2]): 1}
        )
    )
    # consistent: weights 2 : 1 : 1, so the same scores as by hand above
    assert weighted_scores(SMALL, result.priorities)["score"].tolist() == pytest.approx(
        [6.5, 6.5, 4.0]
    )


def test_a_weight_naming_no_column_suggests_the_closest():
    with pytest.raises(
        TableError,
        match="'jobs_growth' names no score column \\(did you mean 'jobs_and_growth'\\?\\)",
    ):
        weighted_scores(SMALL, {"jobs_growth": 1})
    with pytest.raises(TableError, match="'cost_usd_million' is not a score"):
        weighted_scores(SMALL, {"cost_usd_million": 1})


def test_bad_scores_and_streams_are_named():
    bad = SMALL.astype(object)
    bad.loc[1, "reach_to_smes"] = "high"
    bad.loc[0, "jobs_and_growth"] = 12
    bad.loc[2, "stream"] = "enviromental"
    with pytest.raises(TableError) as error:
        weighted_scores(bad, EQUAL)
    message = str(error.value)
    assert "column 'reach_to_smes' has text in row 3 ('high'); enter a number of points" in message
    assert (
        "column 'stream' in row 4 is 'enviromental', which is not known (did you mean "
        "'environmental'?)"
    ) in message
    bad.loc[1, "reach_to_smes"], bad.loc[2, "stream"] = 8, "environmental"
    with pytest.raises(TableError, match="'jobs_and_growth' in row 2 is 12; scores run from 0"):
        weighted_scores(bad, EQUAL)


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"jobs_and_growth": -1}, "weight of 'jobs_and_growth' is -1; enter a number, 0 or more"),
        ({"jobs_and_growth": "a lot"}, "weight of 'jobs_and_growth' is 'a lot'"),
        ({"jobs_and_growth": 0}, "the weights add up to 0"),
    ],
)
def test_bad_weights_are_named(weights, message):
    with pytest.raises(ValueError, match=message):
        weighted_scores(SMALL, weights)


# Choosing a package


def test_a_package_by_hand_and_its_sentence():
    # Equal weights: Audit 6, Credit line 22/3 = 7.33, Zoning 10/3 = 3.33. With USD 3.5
    # million the credit line (3.0) fits with Zoning (3.5): 10.67; Audit + Zoning: 9.33.
    scored = weighted_scores(SMALL, EQUAL)
    package = choose_package(scored, 3.5)
    assert package.instruments == ("Credit line", "Zoning")
    assert (package.cost, round(package.score, 2)) == (3.5, 10.67)
    assert package.streams == ("industrial", "regional development")
    assert package.left_out == ("environmental",)
    assert streams_covered(package) == {
        "industrial": ("Credit line",),
        "environmental": (),
        "regional development": ("Zoning",),
    }
    assert package.explain() == (
        "Within USD 3.5 million, fund Credit line and Zoning: 2 instruments costing USD 3.5 "
        "million, with a total weighted score of 10.7 points. It covers the industrial and "
        "regional development streams and leaves out the environmental stream."
    )
    everything = choose_package(scored, 100)
    assert everything.explain().endswith("The package covers all three policy streams.")
    assert choose_package(scored, 0.2).explain() == (
        "Within USD 0.2 million, fund no instrument: none fits the budget."
    )


def test_greedy_takes_the_best_score_first():
    # Scores: Credit line 7.33 (USD 3 million), Audit 6 (1.0), Zoning 3.33 (0.5).
    # With USD 3.2 million: the credit line, then USD 0.2 million is left for nothing else.
    # With USD 1.6 million: the credit line does not fit; Audit, then Zoning (1.5 in all).
    scored = weighted_scores(SMALL, EQUAL)
    assert greedy_package(scored, 3.2).instruments == ("Credit line",)
    assert greedy_package(scored, 1.6).instruments == ("Audit", "Zoning")


def test_package_input_errors_are_plain():
    scored = weighted_scores(SMALL, EQUAL)
    with pytest.raises(ValueError, match="budget is -1; give the money available in USD million"):
        choose_package(scored, -1)
    with pytest.raises(ValueError, match="the budget is '10'; enter a number"):
        choose_package(scored, "10")
    with pytest.raises(ValueError, match="pass the table made by weighted_scores"):
        choose_package(SMALL, 10)


package_cases = st.tuples(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 10), st.integers(0, 10)),
        min_size=1,
        max_size=10,
    ),
    st.integers(0, 150),
)


@settings(max_examples=80, deadline=None)
@given(package_cases)
def test_the_package_fits_and_no_combination_scores_more(case):
    rows, budget_tenths = case  # costs and budget in tenths of a million USD
    table = instruments(
        [(f"I{i}", STREAMS[i % 3], tenths / 10, a, b, 0) for i, (tenths, a, b) in enumerate(rows)]
    )
    package = choose_package(
        weighted_scores(table, {"environmental_benefit": 1, "jobs_and_growth": 1}),
        budget_tenths / 10,
    )
    costs = np.array([r[0] for r in rows])
    halves = np.array([r[1] + r[2] for r in rows])  # score = (a + b) / 2, in half points

    def key(members: np.ndarray) -> tuple:  # more score, then less money, then fewer
        return (halves @ members, -(costs @ members), -members.sum())

    chosen = table["instrument"].isin(package.instruments).to_numpy().astype(int)
    assert costs @ chosen <= budget_tenths
    assert package.score == pytest.approx(halves @ chosen / 2)
    for members in itertools.product([0, 1], repeat=len(rows)):
        members = np.array(members)
        if costs @ members <= budget_tenths:
            assert key(members) <= key(chosen)
    greedy = greedy_package(table.assign(score=halves / 2), budget_tenths / 10)
    assert greedy.cost <= budget_tenths / 10 + 1e-9 and greedy.score <= package.score + 1e-9


# The bundled instruments, equal weights: score = mean of the three criteria
#   instrument                      cost  score      instrument                  cost  score
#   Green credit line for SMEs      5.0   7.00       CETP capital grant          6.0   7.33
#   Tax allowance, boilers          3.0   4.67       Effluent charge             0.4   4.33
#   R&D grant, recycling            2.5   4.67       Eco-industrial park centre  2.0   6.33
#   Skills training                 1.2   6.00       By-product exchange         0.8   5.67
#   Cleaner-production audit        1.5   6.67       Land-use zoning             0.6   5.00
# Greedy within USD 10 million: CETP (6.0), not the credit line (11.0), audit (7.5), park
# centre (9.5), then only the effluent charge fits (9.9): 7.33 + 6.67 + 6.33 + 4.33 = 24.67.
# Best: the seven cheapest, USD 9.0 million (any eight cost at least 9.0 + 3.0 = 12):
# (14 + 18 + 20 + 13 + 19 + 17 + 15) / 3 = 116 / 3 = 38.67; the tax allowance scores the
# same as the R&D grant but costs more, and USD 1.0 million left buys nothing else.
BEST_AT_10 = {
    "R&D grant for recycling technology",
    "Skills training for SME technicians",
    "Cleaner-production audit programme",
    "Effluent charge",
    "Eco-industrial park centre (facilitator)",
    "By-product exchange platform",
    "Land-use zoning for fringe clusters",
}
GREEDY_AT_10 = {
    "CETP capital grant",
    "Cleaner-production audit programme",
    "Eco-industrial park centre (facilitator)",
    "Effluent charge",
}


def test_the_bundled_best_package_is_not_the_top_scores_in_order():
    scored = weighted_scores(bundled("policy_instruments.csv"), EQUAL)
    best, greedy = choose_package(scored, 10), greedy_package(scored, 10)
    assert set(best.instruments) == BEST_AT_10
    assert (best.cost, round(best.score, 2)) == (9.0, 38.67)
    assert set(greedy.instruments) == GREEDY_AT_10 and round(greedy.score, 2) == 24.67
    assert best.left_out == ()


def test_a_small_budget_leaves_the_industrial_stream_out():
    # Within USD 2 million: effluent charge, by-product exchange and zoning cost 1.8 and
    # score (13 + 17 + 15) / 3 = 15.0. Any package with the cheapest industrial instrument
    # (skills training, 1.2) has 0.8 left for one more: at best 6.00 + 5.67 = 11.67.
    package = choose_package(weighted_scores(bundled("policy_instruments.csv"), EQUAL), 2)
    assert set(package.instruments) == {
        "Effluent charge",
        "By-product exchange platform",
        "Land-use zoning for fringe clusters",
    }
    assert package.score == pytest.approx(15.0) and package.left_out == ("industrial",)
    assert "leaves out the industrial stream" in package.explain()


def test_the_bundled_instruments_table_is_complete():
    table = bundled("policy_instruments.csv")
    assert 8 <= len(table) <= 12 and set(table["stream"]) == set(STREAMS)
    assert list(table.columns) == ["instrument", "stream", "cost_usd_million", *CRITERIA]
    weighted_scores(table, EQUAL)  # passes every check


# The framework self-check

CHECKLIST = pd.DataFrame(
    {
        "category": ["Park management"] * 2
        + ["Environmental"] * 3
        + ["Social"] * 2
        + ["Economic"] * 2,
        "item": [
            "Manager?",
            "Monitoring?",
            "Water?",
            "Energy?",
            "Waste?",
            "Safety?",
            "Neighbours?",
            "Jobs?",
            "Local SMEs?",
        ],
    }
)


def test_self_check_shares_by_hand():
    # Park management: yes, partly -> (1 + 0.5) / 2 = 0.75
    # Environmental: yes, no, don't know -> 1 / 3
    # Social: partly, partly -> (0.5 + 0.5) / 2 = 0.5
    # Economic: not answered, no -> 0: the weakest
    answers = {
        "Manager?": "Yes",
        "Monitoring?": " PARTLY ",
        "Water?": "yes",
        "Energy?": "no",
        "Waste?": "Don\u2019t know",
        "safety?": "partly",
        "Neighbours?": "partly",
        "Local SMEs?": "no",
    }
    summary = framework_self_check(answers, CHECKLIST)
    assert summary["category"].tolist() == list(FRAMEWORK_CATEGORIES)
    assert summary["share_met"].tolist() == pytest.approx([0.75, 1 / 3, 0.5, 0])
    assert summary["items"].tolist() == [2, 3, 2, 2]
    assert summary[["yes", "partly", "no", "unknown"]].to_numpy().tolist() == [
        [1, 1, 0, 0],
        [1, 0, 1, 1],
        [0, 2, 0, 0],
        [0, 0, 1, 1],
    ]
    assert summary.loc[summary["weakest"], "category"].tolist() == ["Economic"]


def test_self_check_errors_name_the_item_or_answer():
    with pytest.raises(TableError) as error:
        framework_self_check({"Monitor?": "yes", "Water?": "maybe"}, CHECKLIST)
    message = str(error.value)
    assert "'Monitor?' is not an item of the checklist (did you mean 'Monitoring?'?)" in message
    assert "the answer to 'Water?' is 'maybe'; answer 'yes', 'partly', 'no' or \"don't know\"" in (
        message
    )
    wrong = CHECKLIST.assign(category=["Governance"] + list(CHECKLIST["category"][1:]))
    with pytest.raises(TableError, match="'Governance', which is not known"):
        framework_self_check({}, wrong)


def test_the_bundled_checklist_is_qualitative_and_covers_four_categories():
    checklist = bundled("eip_framework_checklist.csv")
    assert list(checklist.columns) == ["category", "item"]
    counts = checklist["category"].value_counts()
    assert set(counts.index) == set(FRAMEWORK_CATEGORIES) and counts.between(3, 5).all()
    assert checklist["item"].str.endswith("?").all()
    assert not checklist["item"].str.contains(r"\d").any(), "no numbers, no thresholds"
    every = framework_self_check(dict.fromkeys(checklist["item"], "yes"), checklist)
    assert every["share_met"].tolist() == [1, 1, 1, 1] and every["weakest"].all()
    unknown = framework_self_check({}, checklist)
    assert (unknown["unknown"] == unknown["items"]).all() and ANSWERS[-1] == "don't know"


# Charts


def labelled(fig: Figure) -> bool:
    ax = fig.axes[0]
    return bool(ax.get_title() and ax.get_xlabel() and ax.get_ylabel())


def test_charts_have_titles_and_labelled_axes():
    names = ["Environment", "Jobs"]
    fig = priorities_chart(ahp(pairwise_matrix(names, {tuple(names): 3})), title="Weights")
    assert isinstance(fig, Figure) and labelled(fig)
    assert fig.axes[0].get_title().startswith("Weights\nConsistency ratio 0.000")
    scored = weighted_scores(SMALL, EQUAL)
    fig = scores_chart(scored, choose_package(scored, 3.5))
    assert labelled(fig) and "Package within USD 3.5 million" in fig.axes[0].get_title()
    assert labelled(scores_chart(scored))
    summary = framework_self_check({"Manager?": "yes"}, CHECKLIST)
    fig = self_check_chart(summary)
    ax = fig.axes[0]
    assert labelled(fig) and "%" in ax.get_ylabel()
    assert max(ax.get_yticks()) == 100 and not ax.lines, "a share from 0 to 100 %, no thresholds"
    with pytest.raises(ValueError, match="framework_self_check"):
        self_check_chart(CHECKLIST)


def test_costs_typed_in_dollars_in_the_column_of_millions_are_refused_with_the_figure():
    # 5,000,000 typed for USD 5 million: the package would be chosen the same, but every
    # cost shown (and in the country report) a million times too large
    table = pd.DataFrame({
        "instrument": ["Eco-town subsidy", "Training", "Green loans"],
        "stream": ["industrial", "environmental", "regional development"],
        "cost_usd_million": [5_000_000, 400_000, 3.5],
        "environmental_benefit": [5, 6, 7], "jobs_and_growth": [4, 5, 6],
        "reach_to_smes": [3, 3, 8],
    })  # fmt: skip
    with pytest.raises(TableError) as refused:
        check_instruments(table)
    assert refused.value.problems == [
        "column 'cost_usd_million' in row 2 is 5,000,000, far beyond any real value of USD "
        "million (more than 100,000); check the unit and the decimal separator: the column "
        "counts millions, so 5,000,000 is written 5",
        "column 'cost_usd_million' in row 3 is 400,000, far beyond any real value of USD "
        "million (more than 100,000); check the unit and the decimal separator: the column "
        "counts millions, so 400,000 is written 0.4",
    ]
    assert check_instruments(table.assign(cost_usd_million=[5, 0.4, 3.5]))[
        "cost_usd_million"
    ].tolist() == [5, 0.4, 3.5]
