"""A spreadsheet's total row is refused as a total, whatever its name and whatever cells
it leaves empty, in Module 5's options and Module 6's firms (eic.table_totals)."""

from __future__ import annotations

import pandas as pd
import pytest

from eic.appraisal import check_options
from eic.cost_sharing import check_firms
from eic.table_totals import named_as_total, total_rows_in
from eic.tables import TableError

# ten dye houses of one cluster: 320 + 540 + 85 + 60 + 410 + 150 + 220 + 600 + 95 + 180
# = 2,660 m3/day; their COD load, 5,174.5 kg/day, over 2,660 m3 is 1,945 mg/L
CLUSTER = [("Dệt may Phú Thịnh", 320, 1800), ("Hoa Binh Dyeing", 540, 2400),
           ("华南纺织厂", 85, 600), ("Công ty TNHH Tân Phát", 60, 450),
           ("An Khang Dye Works", 410, 2100), ("Viet Thang Knitting", 150, 900),
           ("Song Hong Printing", 220, 1500), ("Kim Son Denim", 600, 2600),
           ("Bao Tin Finishing", 95, 1100), ("Lien Minh Washing", 180, 1300)]  # fmt: skip


def firms(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["firm", "effluent_m3_per_day", "cod_mg_per_l"])


def refusal(check, table: pd.DataFrame) -> list[str]:
    with pytest.raises(TableError) as caught:
        check(table)
    return caught.value.problems


# the total's name in the languages of the course's countries, and in English
LABELS = ["Tổng cộng", "Tổng", "合计", "总计", "合計", "總計", "รวม", "รวมทั้งสิ้น", "Jumlah",
          "Kabuuan", "합계", "総計", "कुल", "মোট", "សរុប", "ລວມ", "Нийт", "जम्मा", "එකතුව",
          "စုစုပေါင်း", "میزان", "All options", "Total", "Grand total", "TỔNG CỘNG:",
          "合计（全部）"]  # fmt: skip


@pytest.mark.parametrize("label", LABELS)
def test_a_total_named_in_a_course_language_is_refused_even_below_two_firms(label):
    # two firms and their total: too few rows to tell a total from its numbers alone
    table = firms(("Batik Sari", 120, 800), ("Indah Warna", 80, 650), (label, 200, 740))
    assert named_as_total(label)
    assert refusal(check_firms, table) == [
        f"row 4 ('{label}') is the sum of the other rows (effluent_m3_per_day 200, the others "
        "200): it looks like the spreadsheet's total. Delete the row: counted as one more "
        "firm, it would double the table's totals"
    ]


def test_the_vietnamese_grand_total_under_ten_firms_is_refused_not_counted_as_a_firm():
    table = firms(*CLUSTER, ("Tổng cộng", 2660, 1945))
    assert refusal(check_firms, table) == [
        "row 12 ('Tổng cộng') is the sum of the other rows (effluent_m3_per_day 2,660, the "
        "others 2,660): it looks like the spreadsheet's total. Delete the row: counted as one "
        "more firm, it would double the table's totals"
    ]


@pytest.mark.parametrize("label", ["Khu công nghiệp", "", "Cluster (10 firms)", "ทุกโรงงาน"])
def test_a_last_row_that_adds_up_the_others_exactly_is_a_total_whatever_its_name(label):
    problems = refusal(check_firms, firms(*CLUSTER, (label, 2660, None)))
    named = f"('{label}')" if label else "(no firm given)"
    assert len(problems) == 1
    assert problems[0].startswith(
        f"row 12 {named} is the sum of the other rows (effluent_m3_per_day 2,660, the others "
        "2,660): it looks like the spreadsheet's total. Delete the row"
    )
    assert problems[0].endswith(
        "If it really is one firm, exactly the others together, move it to a row between "
        "them: a row not named as a total is taken for one only as the first or last row"
    )


def test_a_first_row_that_adds_up_the_others_is_a_total_too():
    problems = refusal(check_firms, firms(("Cluster", 2660, 1945), *CLUSTER))
    assert problems[0].startswith("row 2 ('Cluster') is the sum of the other rows")


def test_a_total_rounded_to_whole_numbers_is_still_found_by_its_numbers():
    # 320.4 + 540.3 + 85.2 = 945.9, shown by the spreadsheet as 946 (0.1 off; each number
    # may be 0.05 off, the total 0.5: the sum holds within that rounding)
    table = firms(("A", 320.4, 1), ("B", 540.3, 1), ("C", 85.2, 1), ("", 946, None))
    assert refusal(check_firms, table)[0].startswith(
        "row 5 (no firm given) is the sum of the other rows (effluent_m3_per_day 946, the "
        "others 945.9)"
    )


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([("A", 100, 1), ("B", 200, 1), ("C", 300, 1)], "one quantity, two other rows only"),
        ([("A", 100, 1), ("D", 600, 1), ("B", 200, 1), ("C", 300, 1)], "not first or last"),
        ([("A", 100, 1), ("B", 200, 1), ("C", 300, 1), ("D", 603, 1)], "3 off: beyond rounding"),
    ],
)
def test_a_firm_as_large_as_the_others_is_kept_where_a_total_would_not_be(rows, why):
    assert len(check_firms(firms(*rows))) == len(rows), why


def test_a_firm_named_like_a_total_whose_numbers_do_not_add_up_is_kept():
    # 200 against 300 for the others: not their total, so kept as a firm, as before
    table = firms(("A", 100, 1), ("B", 200, 1), ("Total", 200, 1))
    assert check_firms(table)["firm"].tolist() == ["A", "B", "Total"]


def test_a_total_with_an_empty_cell_is_named_as_a_total_not_asked_to_be_filled_in():
    # as a spreadsheet writes it: no COD for the total, as concentrations do not add up
    table = firms(("Batik Sari", 120, 800), ("Tekstil Jaya", 340.5, 2500),
                  ("Indah Warna", 80, 650), ("Total", 540.5, None))  # fmt: skip
    assert refusal(check_firms, table) == [
        "row 5 ('Total') is the sum of the other rows (effluent_m3_per_day 540.5, the others "
        "540.5): it looks like the spreadsheet's total. Delete the row: counted as one more "
        "firm, it would double the table's totals"
    ]


def test_the_total_is_said_beside_the_other_rows_problems():
    table = firms(("A", 100, 1), ("B", -40, None), ("C", 60, 2), ("Total", 120, None))
    assert refusal(check_firms, table) == [
        "row 5 ('Total') is the sum of the other rows (effluent_m3_per_day 120, the others "
        "120): it looks like the spreadsheet's total. Delete the row: counted as one more "
        "firm, it would double the table's totals",
        "column 'effluent_m3_per_day' in row 3 is -40; it cannot be below 0 (a negative quantity)",
        "column 'cod_mg_per_l' in row 3 is empty; fill it in",
    ]


def test_a_row_named_like_a_total_with_empty_cells_is_said_to_be_one_or_to_be_filled_in():
    # the abatement's total, 5,285, is 400 more than the options' 4,885: not their total
    options = pd.DataFrame(
        [("Economiser", 80_000, 30_000, 10, 600), ("Condensate", 50_000, 22_000, 8, 420),
         ("Solar", 150_000, 28_000, 15, 3_865), ("Total", 280_000, 80_000, None, 5_285)],
        columns=["option", "investment_usd", "annual_saving_usd", "life_years",
                 "abatement_tco2e_per_yr"],
    )  # fmt: skip
    assert refusal(check_options, options) == [
        "column 'life_years' in row 5 is empty; fill it in",
        "row 5 ('Total') is named like a total, though its numbers are not the sum of the "
        "other rows: if it is the spreadsheet's total, delete the row; if it is one more "
        "option, fill in its cells like the others",
    ]


def test_an_options_total_with_no_lifetime_is_refused_as_a_total():
    # 80,000 + 50,000 + 150,000 = 280,000; 30,000 + 22,000 + 28,000 = 80,000;
    # 600 + 420 + 510 = 1,530
    options = pd.DataFrame(
        [("Economiser", 80_000, 30_000, 10, 600), ("Condensate", 50_000, 22_000, 8, 420),
         ("Solar", 150_000, 28_000, 15, 510), ("Tất cả", 280_000, 80_000, None, 1_530)],
        columns=["option", "investment_usd", "annual_saving_usd", "life_years",
                 "abatement_tco2e_per_yr"],
    )  # fmt: skip
    assert refusal(check_options, options) == [
        "row 5 ('Tất cả') is the sum of the other rows (investment_usd 280,000, the others "
        "280,000): it looks like the spreadsheet's total. Delete the row: counted as one more "
        "option, it would double the table's totals"
    ]


def test_a_row_equal_to_one_other_row_is_a_repeat_not_a_total():
    # 300 is the sum of the others (300 + 0 + 0), but only one of them is not 0
    assert total_rows_in(["A", "B", "C", "Total"], [[300.0], [0.0], [0.0], [300.0]]) == []


def test_a_total_row_is_found_whatever_the_number_of_columns_that_add_up():
    # two quantities, two other rows: matching both by chance is as good as impossible
    found = total_rows_in(["X", "Y", "Both"], [[10.0, 7.0], [20.0, 5.0], [30.0, 12.0]])
    assert [(t.position, t.named, t.value, t.others) for t in found] == [(2, False, 30, 30)]
