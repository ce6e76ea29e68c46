"""eic.tables: every problem of a table is named with its row, column and fix."""

from __future__ import annotations

import pandas as pd
import pytest

from eic.tables import Column, TableError, check_table, normalise_name, total_rows

SPEC = [
    Column("region", "text"),
    Column("kind", "text", allowed=("water", "salt")),
    Column("tonnes", "number", unit="t/yr"),
    Column("note", "text", optional=True),
]


def test_headings_match_ignoring_case_spaces_and_punctuation():
    table = pd.DataFrame({" Region ": ["A"], "KIND": ["Water"], "Tonnes.": ["1.5e3"]})
    clean = check_table(table, SPEC, what="table")
    assert list(clean.columns) == ["region", "kind", "tonnes"]
    assert clean.loc[0, "kind"] == "water" and clean.loc[0, "tonnes"] == 1500.0
    assert normalise_name("\ufeffTonnes per year ") == "tonnes_per_year"


def test_all_problems_are_reported_at_once_with_spreadsheet_rows():
    table = pd.DataFrame(
        {"region": ["A", "", "C"], "kind": ["water", "sallt", "oil"], "tonnes": [1, "lots", -2]}
    )
    with pytest.raises(TableError) as caught:
        check_table(table, SPEC, what="inventory")
    problems = caught.value.problems
    assert "column 'region' in row 3 is empty; fill it in" in problems
    assert any("row 3 is 'sallt'" in p and "did you mean 'salt'" in p for p in problems)
    assert any("row 4 is 'oil'" in p and "use one of: water, salt" in p for p in problems)
    assert "column 'tonnes' has text in row 3 ('lots'); enter a number of t/yr" in problems
    assert any("row 4 is -2" in p and "negative" in p for p in problems)
    assert str(caught.value).startswith("The inventory cannot be used:")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame(), "has no rows"),
        ([["A", "water", 1]], "expected a table, got list"),
        (
            pd.DataFrame([["A", "water", 1, 2]], columns=["region", "kind", "tonnes", "Tonnes"]),
            "two columns are both called 'tonnes'",
        ),
        (
            pd.DataFrame({"region": ["A"], "kind": ["water"], "tones": [1]}),
            "is 'tones' meant to be 'tonnes'",
        ),
    ],
)
def test_unusable_tables_say_why(table, message):
    with pytest.raises(TableError, match=message):
        check_table(table, SPEC, what="table")


def test_long_lists_of_problems_are_shortened():
    table = pd.DataFrame({"region": ["A"] * 40, "kind": ["water"] * 40, "tonnes": ["x"] * 40})
    with pytest.raises(TableError) as caught:
        check_table(table, SPEC, what="table")
    assert len(caught.value.problems) == 40
    assert "and 28 more problem(s)" in str(caught.value)


def test_a_text_column_left_blank_in_every_row_is_read_as_blank_text():
    # pandas reads an empty CSV column as floats (all NaN)
    table = pd.DataFrame({"region": ["A", "B"], "kind": ["water", "salt"], "tonnes": [1, 2],
                          "note": [float("nan")] * 2})  # fmt: skip
    spec = [*SPEC[:3], Column("note", "text", allow_blank=True)]
    assert check_table(table, spec, what="table")["note"].tolist() == ["", ""]
    with pytest.raises(TableError, match="column 'region' in row 3 is empty"):
        check_table(table.assign(region=["A", None]), SPEC, what="table")


FIRMS = pd.DataFrame({"firm": ["Tannery", "Dye house", "Paper mill"], "flow": [300.0, 100, 50]})


@pytest.mark.parametrize("name", ["Total", "TOTAL:", "Grand total", "Sub-total", "Sum",
                                  "All firms total", "Totals"])  # fmt: skip
def test_a_row_named_a_total_that_adds_up_the_others_is_named(name):
    table = pd.concat([FIRMS, pd.DataFrame({"firm": [name], "flow": [452.0]})])  # 450 + 0.4 %
    said = total_rows(table, "firm", ["flow"], "firm")
    assert len(said) == 1 and said[0].startswith(f"row 5 ('{name}') is the sum of the other")
    assert "(flow 452, the others 450)" in said[0]


@pytest.mark.parametrize(
    ("name", "flow"),
    [("TotalEnergies", 450.0), ("Summit Chemicals", 450.0), ("Total", 500.0), ("Total", 0.0)],
)
def test_a_firm_merely_named_like_a_total_or_a_total_that_does_not_add_up_is_kept(name, flow):
    table = pd.concat([FIRMS, pd.DataFrame({"firm": [name], "flow": [flow]})])
    assert total_rows(table, "firm", ["flow"], "firm") == []
