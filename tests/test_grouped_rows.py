"""Rows listed under a name written once: a firm's materials under its name and location
(Module 4), a region's sectors under its name (Module 2). Each such row is read as the name
above it, said to be, and whatever is still missing is reported."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from conftest import workbook

from eic.data import load
from eic.firm_inventory import check_inventory
from eic.grouped_rows import fill_grouped
from eic.own_data import SPECS, OwnDataPanel
from eic.tables import TableError

INVENTORY = load("sme_inventory")


def grouped(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``table`` with ``keys`` written once above each run of rows that repeat them."""
    out = table.astype(object)
    repeat = (table[keys] == table[keys].shift()).all(axis=1)
    out.loc[repeat, keys] = None
    return out


def test_a_firms_name_and_place_given_once_above_its_materials_is_read_for_each():
    ordered = INVENTORY.sort_values("firm", kind="stable").reset_index(drop=True)
    once = grouped(ordered, ["firm", "x_km", "y_km"])
    assert once["firm"].isna().sum() >= 3  # firms with several materials
    clean = check_inventory(once)
    pd.testing.assert_frame_equal(clean, check_inventory(ordered))
    (note,) = clean.attrs["notes"]
    empty = once["firm"].isna().sum()
    assert f"columns 'firm', 'x_km', 'y_km' were empty in {empty} rows under a firm's name" in note
    assert "each was read as the firm above; check the firms in the preview" in note


def test_a_row_missing_only_its_place_is_reported_not_filled():
    table = INVENTORY.astype(object).copy()
    table.loc[1, ["x_km", "y_km"]] = None  # its firm is named: the place is simply missing
    with pytest.raises(TableError) as caught:
        check_inventory(table)
    assert "column 'x_km' in row 3 is empty; fill it in" in " ".join(caught.value.problems)


def test_nothing_is_filled_without_a_name_in_the_first_row_or_in_an_empty_row():
    table = pd.DataFrame({"region": [None, "North", None], "sector": ["T", "S", None]})
    assert fill_grouped(table, ["region"], "region") == (table, [])
    table = pd.DataFrame({"region": ["North", None], "sector": ["T", None]})
    filled, notes = fill_grouped(table, ["region"], "region")
    assert filled is table and notes == []  # an empty row is left for the reader to drop


def test_the_panel_takes_a_survey_sheet_with_each_firm_once(folder):
    ordered = INVENTORY.sort_values("firm", kind="stable").reset_index(drop=True)
    once = grouped(ordered, ["firm", "x_km", "y_km"])
    rows = [list(once.columns)] + [[None if pd.isna(v) else v for v in r] for r in once.values]
    panel = OwnDataPanel(SPECS["m04"], folder)
    assert panel.receive(workbook({"data": rows}), "survey.xlsx")
    shown = html.unescape(panel.message.value)
    assert "were empty in" in shown and "under a firm's name (row " in shown
    saved = pd.read_csv(panel.file.path)
    assert saved["firm"].notna().all()
    assert saved.groupby("firm")[["x_km", "y_km"]].nunique().max().max() == 1
