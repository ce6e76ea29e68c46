"""Module 4's own-data analysis on large inventories: it counts the feasible exchanges
before it weighs them, and shows the largest of many on its map and in its table."""

from __future__ import annotations

import base64
import html
import io
import re

import numpy as np
import pandas as pd
import pytest
from conftest import shown_html, widgets_in

import eic.firm_inventory as firm_inventory
import eic.own_analyses as own
import eic.own_symbiosis as own_symbiosis
import eic.symbiosis as symbiosis
from eic import widgets as w
from eic.firm_inventory import check_inventory
from eic.own_analyses import (
    CHART_EXCHANGES,
    TABLE_EXCHANGES,
    feasible_exchange_counts,
    inventory_analysis,
)
from eic.symbiosis import allocate_exchanges, match_by_products


def dense_inventory(rows: int, *, seed: int, side_km: float = 50) -> pd.DataFrame:
    """``rows`` firms at random on ``side_km`` x ``side_km`` km, each supplying or needing
    one of five materials, grades 1 to 3; every tenth firm also needs what it supplies."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            "firm": [f"Firm {i}" for i in range(rows)],
            "x_km": rng.uniform(0, side_km, rows).round(2),
            "y_km": rng.uniform(0, side_km, rows).round(2),
            "flow": rng.choice(["supplies", "needs"], rows),
            "material": rng.choice(["ash", "rice husk", "scrap", "sludge", "steam"], rows),
            "tonnes_per_year": rng.integers(10, 1000, rows).astype(float),
            "grade": rng.integers(1, 4, rows),
        }
    )
    both = table[table["flow"] == "supplies"].iloc[::10]
    again = both.assign(flow="needs", grade=rng.integers(1, 4, len(both)))
    return check_inventory(pd.concat([table, again], ignore_index=True))


def text_of(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", value))


def slider_of(widget) -> w.FloatSlider:
    (found,) = [c for c in widgets_in(widget) if isinstance(c, w.FloatSlider)]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_feasible_exchanges_are_counted_as_the_matching_finds_them(seed):
    table = dense_inventory(300, seed=seed)
    distances = [0.5, 2, 5, 12.5, 40]
    counted = feasible_exchange_counts(table, distances)
    found = [len(match_by_products(table, max_distance_km=d)) for d in distances]
    assert counted.tolist() == found


def test_many_grades_are_counted_at_most_as_many_as_there_are(monkeypatch):
    table = dense_inventory(300, seed=4)
    monkeypatch.setattr(own_symbiosis, "GRADES_COUNTED", 1)  # the grades left out of the count
    counted = feasible_exchange_counts(table, [5, 20])
    found = [len(match_by_products(table, max_distance_km=d)) for d in (5, 20)]
    assert (counted >= found).all()


@pytest.fixture
def weighed(monkeypatch):
    """The sizes of the tables of exchanges the allocation is asked to weigh."""
    sizes = []

    def allocate(found, **options):
        sizes.append(len(found))
        return allocate_exchanges(found, **options)

    monkeypatch.setattr(symbiosis, "allocate_exchanges", allocate)
    return sizes


def test_too_many_feasible_exchanges_are_not_weighed_and_a_distance_that_works_is_named(
    monkeypatch, weighed
):
    table = dense_inventory(400, seed=5)
    monkeypatch.setattr(own_symbiosis, "MAX_EXCHANGES", 500)
    feasible = {km: len(match_by_products(table, max_distance_km=km)) for km in range(1, 16)}
    fits = max(km for km, n in feasible.items() if n <= 500)
    assert feasible[15] > 500 and feasible[fits + 1] > 500  # the case: 15 km is too far

    box = inventory_analysis(table)
    said = text_of(shown_html(box))
    assert f"Within 15 km, {feasible[15]:,} exchanges are feasible: more than the 500" in said
    lower = f"Within {fits} km, {feasible[fits]:,} are: lower the distance limit to {fits} km"
    assert lower in said
    assert weighed == [] and "<img" not in shown_html(box)
    slider_of(box).value = float(fits)
    assert weighed == [feasible[fits]]
    assert "<img" in shown_html(box)


def test_even_the_shortest_distance_too_many_asks_for_part_of_the_inventory(monkeypatch):
    table = dense_inventory(400, seed=5, side_km=2)
    monkeypatch.setattr(own_symbiosis, "MAX_EXCHANGES", 50)
    said = text_of(shown_html(inventory_analysis(table)))
    within_1 = len(match_by_products(table, max_distance_km=1))
    assert f"Even within 1 km, {within_1:,} are: analyse part of your inventory" in said


def test_many_exchanges_show_the_largest_on_the_map_and_in_the_table_and_all_in_a_file(
    monkeypatch,
):
    table = dense_inventory(600, seed=6)
    drawn = []

    def chart(links, **options):
        drawn.append(links)
        return network_chart(links, **options)

    network_chart = symbiosis.network_chart
    monkeypatch.setattr(symbiosis, "network_chart", chart)
    box = inventory_analysis(table)
    allocation = allocate_exchanges(match_by_products(table, max_distance_km=15))
    assert len(allocation) > TABLE_EXCHANGES > 0 and len(allocation) > CHART_EXCHANGES
    largest = allocation.sort_values("tonnes", ascending=False, kind="stable")

    # the map: the CHART_EXCHANGES largest, and the page says so
    (links,) = drawn
    assert len(links) == CHART_EXCHANGES
    smallest_drawn = allocation.loc[links.index, "tonnes"].min()
    assert smallest_drawn >= largest["tonnes"].iloc[CHART_EXCHANGES - 1]
    shown = shown_html(box)
    said = text_of(shown)
    assert f"The map draws the {CHART_EXCHANGES} largest of the {len(allocation):,}" in said
    assert f"alt='Map of your firms (x and y in km) with the {CHART_EXCHANGES} largest" in shown

    # the table: TABLE_EXCHANGES rows, the largest first, and how many more
    (table_html,) = re.findall(r"<table.*?</table>", shown, re.S)
    assert table_html.count("<tr") == TABLE_EXCHANGES + 1  # with its header
    more = len(allocation) - TABLE_EXCHANGES
    rest = largest["tonnes"].iloc[TABLE_EXCHANGES:].sum()
    assert f"and {more:,} more exchanges, {rest:,.0f} t/yr in all" in said

    # all of them, as a CSV file made when asked
    (button,) = [c for c in widgets_in(box) if isinstance(c, w.Button)]
    assert button.layout.display is None and f"all {len(allocation):,}" in button.description
    button.click()
    href = re.search(r"href='data:text/csv;base64,([^']+)'", shown_html(box)).group(1)
    csv = pd.read_csv(io.BytesIO(base64.b64decode(href)))
    assert len(csv) == len(allocation)
    assert csv["tonnes"].sum() == pytest.approx(allocation["tonnes"].sum())


def test_a_few_exchanges_are_all_drawn_and_listed_without_a_download():
    table = check_inventory(firm_inventory.random_inventory(12, 3, seed=1))
    box = inventory_analysis(table, settings={"distance_km": 100})
    allocation = allocate_exchanges(match_by_products(table, max_distance_km=100))
    assert 0 < len(allocation) <= TABLE_EXCHANGES
    shown = shown_html(box)
    (table_html,) = re.findall(r"<table.*?</table>", shown, re.S)
    assert table_html.count("<tr") == len(allocation) + 1
    assert "more exchange" not in text_of(shown) and "largest" not in text_of(shown)
    (button,) = [c for c in widgets_in(box) if isinstance(c, w.Button)]
    assert button.layout.display == "none"


@pytest.mark.parametrize(
    ("kept", "start"),
    [({"distance_km": 7}, 7), ({"distance_km": 500}, 15), ({"distance_km": "far"}, 15),
     ({"distance_km": True}, 15), ({}, 15), (None, 15)],
)  # fmt: skip
def test_the_distance_limit_starts_where_it_was_kept(kept, start):
    table = check_inventory(firm_inventory.random_inventory(12, 3, seed=1))
    kept_now = []
    box = inventory_analysis(table, settings=kept, remember=kept_now.append)
    distance = slider_of(box)
    assert distance.value == start and kept_now == []  # nothing written until it is moved
    distance.value = 9.0
    assert kept_now == [{"distance_km": 9.0}]


def test_a_distance_that_cannot_be_kept_is_said_and_the_analysis_goes_on():
    table = check_inventory(firm_inventory.random_inventory(12, 3, seed=1))

    def full(_settings):
        raise OSError(28, "No space left on device")

    box = inventory_analysis(table, remember=full)
    slider_of(box).value = 30.0
    said = text_of(shown_html(box))
    assert "could not be kept with your table" in said and "Within 30 km" in said


def test_module_3_balance_of_own_flows_reads_as_the_worksheet_tables_do():
    # a plating shop's water: 120 in and 60 reused back in; 95 to the plant, which sends 60
    # back and 35 to the drain; the evaporation (unknown) closes the shop's balance: 85
    def flows(rinse: float, drain: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "flow": ["Borewell", "Rinse to ETP", "Evaporation", "Reused", "To drain"],
                "source": ["", "Shop", "Shop", "ETP", "ETP"],
                "target": ["Shop", "ETP", "", "Shop", ""],
                "substance": ["water"] * 5,
                "quantity": [120, rinse, None, 60, drain],
                "unit": ["m3/day"] * 5,
            }
        )

    page = shown_html(own.flows_analysis(flows(95, 35)))
    text = text_of(page)
    for heading in ("Change in stock", "Imbalance (% of the larger side)", "Inputs", "Status"):
        assert f">{heading}<" in page, heading
    assert "stock_change" not in text and "imbalance_pct" not in text
    # the shop takes in 120 + 60 = 180 and the plant 95: whole numbers, shown whole
    assert re.search(r">\s*180\s*<", page) and re.search(r">\s*95\s*<", page)
    assert ".00" not in text
    # a column with a fraction keeps two decimals: the plant takes in 95.5
    assert "95.50" in text_of(shown_html(own.flows_analysis(flows(95.5, 35.5))))
