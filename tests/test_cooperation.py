"""eic.cooperation: stakeholder quadrants and brokers checked by hand, the properties of the
bundled stakeholder and tie datasets that Module 6's worksheet relies on, and clear errors
for bad tables."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from eic.cooperation import (
    broker_table,
    brokers,
    check_stakeholders,
    check_ties,
    stakeholder_map,
    stakeholder_quadrants,
    ties_chart,
)
from eic.tables import TableError

matplotlib.use("Agg")

DATA = Path(__file__).resolve().parents[1] / "lib" / "eic" / "data"
STAKEHOLDERS = pd.read_csv(DATA / "cluster_stakeholders.csv")
TIES = pd.read_csv(DATA / "cooperation_ties.csv")


def stakeholders(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["stakeholder", "group", "influence", "interest"])


def ties(*pairs) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["a", "b"])


# --- stakeholders ---------------------------------------------------------------------------


def test_quadrants_follow_the_power_interest_grid_with_3_counting_as_high():
    table = stakeholders(
        ("Regulator", "government", 5, 5),  # high, high
        ("Ministry", "government", 3, 2),  # 3 is high, 2 is low
        ("Farmers", "community", 2, 3),
        ("Supplier", "firm", 1, 1),
    )
    assert stakeholder_quadrants(table)["quadrant"].tolist() == [
        "manage closely",
        "keep satisfied",
        "keep informed",
        "monitor",
    ]


def test_a_higher_cut_moves_middling_stakeholders_down_the_grid():
    table = stakeholders(("Ministry", "government", 3, 2), ("Bank", "finance", 4, 4))
    # with cut=4, an influence of 3 is low: the ministry goes from "keep satisfied" to "monitor"
    assert stakeholder_quadrants(table, cut=4)["quadrant"].tolist() == [
        "monitor",
        "manage closely",
    ]
    with pytest.raises(ValueError, match="cut is 7; give a whole rating from 2 to 5"):
        stakeholder_quadrants(table, cut=7)


@pytest.mark.parametrize(
    ("influence", "message"),
    [
        (6, "column 'influence' in row 3 is 6; enter a whole number from 1 (little) to 5"),
        (0, "column 'influence' in row 3 is 0; it cannot be below 1"),
        (2.5, "column 'influence' in row 3 is 2.5; enter a whole number from 1"),
        ("high", "column 'influence' has text in row 3 ('high'); enter a number of points from 1"),
    ],
)
def test_ratings_outside_1_to_5_are_named_by_row_and_column(influence, message):
    table = stakeholders(("Regulator", "government", 5, 5), ("Bank", "finance", influence, 2))
    with pytest.raises(TableError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_stakeholders(table)


def test_a_missing_stakeholder_column_is_named_with_a_suggestion():
    table = pd.DataFrame({"stakeholder": ["Bank"], "group": ["finance"], "influence": [4],
                          "interests": [2]})  # fmt: skip
    with pytest.raises(TableError, match="'interest' is missing; is 'interests' meant to be"):
        check_stakeholders(table)


def test_a_stakeholder_listed_twice_is_named():
    table = stakeholders(("Bank", "finance", 4, 2), ("Bank", "finance", 3, 2))
    with pytest.raises(TableError, match="row 2 and row 3 repeat stakeholder 'Bank'"):
        check_stakeholders(table)


# --- ties and brokers -----------------------------------------------------------------------


def test_in_a_path_the_middle_actor_is_the_only_broker():
    # A-B-C: the one pair not involving B (A, C) has one shortest path, through B:
    # betweenness of B = 1 / 1 = 1.0; the ends lie on no path between others: 0.
    table = broker_table(ties(("A", "B"), ("B", "C")))
    assert table[["actor", "degree", "betweenness", "rank"]].values.tolist() == [
        ["B", 2, 1.0, 1],
        ["A", 1, 0.0, 2],
        ["C", 1, 0.0, 2],
    ]
    assert brokers(ties(("A", "B"), ("B", "C"))) == ["B"]


def test_betweenness_splits_between_equally_short_paths():
    # a square A-B-C-D-A: A and C are joined by two shortest paths (via B, via D), so B lies
    # on half of them; B and D by two (via A, via C). B: pairs not involving B are A-C, A-D,
    # C-D; only A-C passes B, on half its paths: 0.5 of 3 pairs = 1/6 for every corner.
    table = broker_table(ties(("A", "B"), ("B", "C"), ("C", "D"), ("D", "A")))
    assert table["betweenness"].tolist() == pytest.approx([1 / 6] * 4)
    assert table["rank"].tolist() == [1, 1, 1, 1]


def test_tie_strength_defaults_to_1_and_is_summed_per_actor():
    table = pd.DataFrame({"a": ["A", "A"], "b": ["B", "C"], "strength": [3, None]})
    assert check_ties(table)["strength"].tolist() == [3.0, 1.0]
    by_actor = broker_table(table).set_index("actor")["strength"].to_dict()
    assert by_actor == {"A": 4.0, "B": 3.0, "C": 1.0}
    assert check_ties(ties(("A", "B")))["strength"].tolist() == [1.0]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("A", "B", 1), ("C", "C", 1)], "row 3 ties 'C' to itself"),
        ([("A", "B", 1), ("B", "A", 2)], "row 2 and row 3 both tie 'B' and 'A'; keep one"),
        ([("A", "B", -1)], "column 'strength' in row 2 is -1; it cannot be below 0"),
        ([("A", "B", "strong")], "column 'strength' has text in row 2 \\('strong'\\)"),
    ],
)
def test_bad_ties_are_named_by_row(rows, message):
    with pytest.raises(TableError, match=message):
        check_ties(pd.DataFrame(rows, columns=["a", "b", "strength"]))


def test_brokers_leave_out_actors_on_no_path_and_check_top():
    assert brokers(ties(("A", "B"), ("B", "C")), top=3) == ["B"]
    with pytest.raises(ValueError, match="top is 0; give a whole number of brokers"):
        brokers(TIES, top=0)


# --- the bundled datasets -------------------------------------------------------------------


def test_the_cluster_stakeholders_fill_all_four_quadrants():
    quadrants = stakeholder_quadrants(STAKEHOLDERS)
    assert 12 <= len(quadrants) <= 15
    assert set(quadrants["quadrant"]) == {
        "manage closely", "keep satisfied", "keep informed", "monitor"
    }  # fmt: skip
    assert quadrants.set_index("stakeholder").loc["Pollution control board", "quadrant"] == (
        "manage closely"
    )


def test_in_the_cluster_the_top_broker_is_not_the_best_connected_actor():
    table = broker_table(TIES)
    assert len(TIES) == 18 and len(table) == 12
    top_broker = table.iloc[0]
    most_ties = table.sort_values("degree", ascending=False, kind="stable").iloc[0]
    assert top_broker["actor"] == "Technical university"
    assert most_ties["actor"] == "Sunrise Dyeing"
    # the university has fewer ties than Sunrise Dyeing but lies on more shortest paths
    assert top_broker["degree"] < most_ties["degree"]
    assert (table["degree"] == most_ties["degree"]).sum() == 1
    assert table["betweenness"].iloc[0] > table["betweenness"].iloc[1]
    assert brokers(TIES, top=1) == ["Technical university"]


# --- charts ---------------------------------------------------------------------------------


def test_the_stakeholder_map_names_its_axes_with_their_scale():
    fig = stakeholder_map(STAKEHOLDERS, title="Who matters to the shared plant")
    try:
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        assert ax.get_title().startswith("Who matters to the shared plant")
        assert "Interest" in ax.get_xlabel() and "1 = little to 5" in ax.get_xlabel()
        assert "Influence" in ax.get_ylabel() and "rating" in ax.get_ylabel()
        texts = {t.get_text() for t in ax.texts}
        assert {"Manage closely", "Keep satisfied", "Keep informed", "Monitor"} <= texts
        assert len(ax.collections) == len(STAKEHOLDERS)
    finally:
        plt.close(fig)


def test_the_stakeholder_map_draws_each_point_on_its_exact_ratings():
    # the q1 hint reads "interest 5, influence 2" off the map: no point may be nudged
    fig = stakeholder_map(STAKEHOLDERS, title="Who matters to the shared plant")
    try:
        ax = fig.axes[0]
        drawn = sorted(tuple(c.get_offsets()[0]) for c in ax.collections)
        rated = sorted(zip(STAKEHOLDERS["interest"], STAKEHOLDERS["influence"], strict=True))
        assert drawn == [(float(x), float(y)) for x, y in rated]
        labels = {
            a.get_text(): a for a in ax.texts if a.get_text() in set(STAKEHOLDERS["stakeholder"])
        }
        farmers, lotus = labels["Farmers' cooperative"], labels["Lotus Textiles"]
        # both rated interest 5, influence 2: one point, the two names one above the other
        assert farmers.xy == lotus.xy == (5, 2)
        assert farmers.xyann[1] != lotus.xyann[1]
        assert abs(farmers.xyann[1] - lotus.xyann[1]) >= 10  # a line apart, in points
    finally:
        plt.close(fig)


def test_the_ties_chart_highlights_the_brokers_it_is_given():
    fig = ties_chart(TIES, title="Who works with whom", highlight=brokers(TIES, top=1))
    try:
        ax = fig.axes[0]
        assert ax.get_title().startswith("Who works with whom")
        assert "betweenness" in ax.get_title()
        assert ax.get_legend().get_texts()[0].get_text() == "Technical university"
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="no actor named 'Nobody'"):
        ties_chart(TIES, title="x", highlight=["Nobody"])


@pytest.mark.parametrize("seed", range(40))
def test_broker_betweenness_agrees_with_networkx(seed):
    # broker_table computes betweenness itself, so module 6 opens without loading networkx
    import random

    import networkx as nx

    draw = random.Random(seed)
    people = [f"P{i}" for i in range(draw.randint(3, 14))]
    pairs = {tuple(draw.sample(people, 2)) for _ in range(draw.randint(2, 30))}
    pairs = {p for p in pairs if (p[1], p[0]) not in pairs or p[0] < p[1]}
    table = ties(*sorted(pairs)).assign(strength=[draw.randint(1, 3) for _ in pairs])
    graph = nx.Graph()
    graph.add_weighted_edges_from(table.itertuples(index=False), weight="strength")
    expected = nx.betweenness_centrality(graph, normalized=True)
    found = broker_table(table).set_index("actor")
    assert found["betweenness"].to_dict() == pytest.approx(expected, abs=1e-12)
    assert found["degree"].to_dict() == dict(graph.degree)
    assert found["strength"].to_dict() == dict(graph.degree(weight="strength"))
