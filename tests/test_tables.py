"""eic.tables: every problem of a table is named with its row, column and fix."""

from __future__ import annotations

import pandas as pd
import pytest

from eic.table_cells import Column
from eic.tables import TableError, Totals, check_table, normalise_name, total_rows

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
    [("TotalEnergies", 447.0), ("Summit Chemicals", 460.0), ("Total", 500.0), ("Total", 0.0)],
)
def test_a_firm_merely_named_like_a_total_or_a_total_that_does_not_add_up_is_kept(name, flow):
    # the others add up to 450: 447 and 460 are more than the rounding of whole numbers
    # (0.5 for each of the four) away from it, and not named as a total
    table = pd.concat([FIRMS, pd.DataFrame({"firm": [name], "flow": [flow]})])
    assert total_rows(table, "firm", ["flow"], "firm") == []


@pytest.mark.parametrize("name", ["TotalEnergies", "Summit Chemicals"])
def test_a_last_row_that_is_exactly_the_others_together_is_a_total_whatever_its_name(name):
    table = pd.concat([FIRMS, pd.DataFrame({"firm": [name], "flow": [450.0]})])
    said = total_rows(table, "firm", ["flow"], "firm")
    assert len(said) == 1 and said[0].startswith(f"row 5 ('{name}') is the sum of the other")
    assert "move it to a row between them" in said[0]


SPEC_TOTALS = Totals("region", ("tonnes",), "region")


def test_the_total_message_shows_the_numbers_with_every_digit_they_have():
    table = pd.DataFrame({"region": ["A", "B", "C", "Total"], "kind": ["water"] * 4,
                          "tonnes": [120, 340.5, 80, 540.5]})  # fmt: skip
    with pytest.raises(TableError) as caught:
        check_table(table, SPEC, what="table", totals=SPEC_TOTALS)
    assert "(tonnes 540.5, the others 540.5)" in caught.value.problems[0]


# --- names that repeat, and every problem at once ---------------------------------------


@pytest.mark.parametrize("again", ["kim son denim ", "KIM SON DENIM", "Kim  Son\u00a0Denim"])
def test_a_key_repeated_in_other_capitals_or_spaces_is_refused_naming_both_rows(again):
    table = pd.DataFrame({"region": ["Kim Son Denim", "Hoa Binh", again],
                          "kind": ["water"] * 3, "tonnes": [600, 50, 100]})  # fmt: skip
    with pytest.raises(TableError) as caught:
        check_table(table, SPEC, what="table", key=["region"])
    written = " ".join(again.split())
    how = (
        ""
        if written == "Kim Son Denim"
        else f" (row 4 writes '{written}': the names differ only in capital letters)"
    )
    tail = (
        "; keep one of them (or add them up), or if they are two, give them clearly different names"
        if how
        else "; keep one of them (or add them up)"
    )
    assert caught.value.problems == [f"row 2 and row 4 repeat region 'Kim Son Denim'{how}{tail}"]


def test_repeats_are_said_with_the_other_problems_and_blank_keys_are_not_repeats():
    table = pd.DataFrame({"region": ["A", "", "a", None], "kind": ["water", "salt", "oil", "salt"],
                          "tonnes": [1, 2, 3, 4]})  # fmt: skip
    with pytest.raises(TableError) as caught:
        check_table(table, SPEC, what="table", key=["region"])
    problems = caught.value.problems
    assert "column 'region' in row 3 is empty; fill it in" in problems
    assert any(p.startswith("column 'kind' in row 4 is 'oil'") for p in problems)
    assert sum("repeat region" in p for p in problems) == 1
    assert any(
        p.startswith("row 2 and row 4 repeat region 'A' (row 4 writes 'a'") for p in problems
    )


def test_a_long_list_of_problems_is_shown_with_how_many_more_there_are():
    error = TableError("table", [f"problem {i}" for i in range(15)])
    assert error.listed == [f"problem {i}" for i in range(12)] + ["... and 3 more problem(s)"]
    assert TableError("table", ["one"]).listed == ["one"]


def test_a_value_only_half_like_an_allowed_one_is_not_offered_as_a_guess():
    # "social" shares half its letters with "industrial": suggesting it sent a participant
    # to a stream they did not mean; a near miss is still offered
    streams = [Column("stream", "text", allowed=("industrial", "environmental",
                                                 "regional development"))]  # fmt: skip
    table = pd.DataFrame({"stream": ["social", "regional", "enviromental"]})
    with pytest.raises(TableError) as caught:
        check_table(table, streams, what="instruments table")
    social, regional, typo = caught.value.problems
    assert "'social'" in social and "did you mean" not in social
    assert "use one of: industrial, environmental, regional development" in social
    assert "did you mean 'regional development'" in regional
    assert "did you mean 'environmental'" in typo


@pytest.mark.parametrize(
    "cell, fix",
    [
        ("150 m3", "remove 'm3' from the cell and give the number in the column's unit"),
        ("$15,000", "remove '$' from the cell and give the number in the column's unit"),
        ("60%", "remove '%' from the cell and give the number in the column's unit"),
        ("Rp 1.500.000", "remove 'Rp' from the cell and give the number in the column's unit"),
        # a multiplier: 1.5M is not 1.5
        ("1.5M", "remove 'M' from the cell and give the number in the column's unit, written "
                 "out ('M' multiplies it)"),
        ("2 lakh", "remove 'lakh' from the cell and give the number in the column's unit, "
                   "written out ('lakh' multiplies it)"),
    ],
)  # fmt: skip
def test_a_number_written_with_a_unit_or_sign_says_to_remove_them(cell, fix):
    spec = [Column("firm", "text"), Column("flow", "number", unit="m3/day")]
    with pytest.raises(TableError) as refused:
        check_table(pd.DataFrame({"firm": ["A"], "flow": [cell]}), spec, what="table")
    assert refused.value.problems == [
        f"column 'flow' has text in row 2 ('{cell}'); enter a number of m3/day: {fix}"
    ]


@pytest.mark.parametrize("cell", ["n/a", "lots", "1-2", "2020-01-01"])
def test_text_that_is_no_number_with_a_unit_gets_no_such_advice(cell):
    spec = [Column("firm", "text"), Column("flow", "number", unit="m3/day")]
    with pytest.raises(TableError) as refused:
        check_table(pd.DataFrame({"firm": ["A"], "flow": [cell]}), spec, what="table")
    assert "remove" not in refused.value.problems[0]
