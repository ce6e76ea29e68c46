"""A spreadsheet's total row in a table of firms or options, found whatever its label.

A spreadsheet often ends a table with a row that adds up the rows above it. Counted as one
more firm (Module 6) or option (Module 5), it doubles what the course adds up: the plant's
flow and cost, the budget. A row is taken for such a total when it **adds up the others**:
in each column that can be added up (a firm's effluent, an option's investment, saving and
abatement; not a concentration or a lifetime) where it has a number, that number is the sum
of the other rows' numbers; one of them is not 0; and two other rows at least have a number
that is not 0 there (a row equal to one other row is a repeat, not a total). Then:

- a row **named** as a total, in English or in a language of the course's countries
  ("Total", "Grand total", "All options", "Tổng cộng", "合计", "總計", "รวม", "Jumlah",
  "Kabuuan", "합계", "कुल", "মোট", "សរុប", "ລວມ", "Нийт", "जम्मा", "එකතුව", "စုစုပေါင်း",
  "میزان", ...: :data:`TOTAL_WORDS`) is a total when it adds up the others within 1 %, as a
  published total is rounded, and there are two other rows at least;
- a row **with any name, or none**, is a total when it adds up the others exactly, give or
  take the rounding of each number to the digits it is written with (and never by more
  than 1 %), it is the first or the last row, as a spreadsheet puts its total, and either
  two of its numbers that add up are not 0 or there are three other rows at least. By
  chance, a row of real figures matches the sum of the others in two quantities at once as
  good as never; in one quantity alone it takes a firm exactly as large as all the others
  together, at the end of a table of four firms or more, and such a firm can be moved to
  another row.

A row named as a total whose numbers do not add up the others (by more than 1 %) is kept
as an ordinary row, as before: a firm may be called "Total", and the course cannot tell a
total typed wrong from a firm.

>>> found = total_rows_in(["Tannery", "Dye house", "Laundry", "Tổng cộng"],
...                       np.array([[300.0], [100.0], [50.0], [450.0]]))
>>> [(t.position, t.named) for t in found]
[(3, True)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

TOTAL_TOLERANCE = 0.01  # a published total is rounded

# English names of a total: "Total", "Grand total", "Sub-total", "Sum", "Totals",
# "Cluster total", "All", "All options", "All the firms"
TOTAL_NAME = re.compile(
    r"^\s*(grand\s+|sub-?\s*)?(total|sum)\b|\btotals?\s*$|^\s*all(\s+the)?(\s+\w+)?\s*$",
    re.IGNORECASE,
)

# A total's name in the languages of the course's countries, compared whole (ignoring
# capitals, punctuation, digits and a part in brackets: "合计：", "Tổng cộng (10)")
TOTAL_WORDS = frozenset(
    {
        # Vietnamese
        "tổng", "tổng cộng", "tổng số", "tổng chung", "cộng", "tất cả", "toàn bộ",
        # Chinese, simplified and traditional
        "合计", "總計", "总计", "合計", "总和", "總和", "总数", "總數", "总额", "總額",
        "共计", "共計", "小计", "小計", "总共", "總共", "全部", "总量", "總量", "总", "總",
        # Japanese
        "総計", "計", "総数", "総額", "全体",
        # Korean
        "합계", "총계", "소계", "총합", "계", "전체", "총",
        # Thai
        "รวม", "รวมทั้งสิ้น", "รวมทั้งหมด", "ยอดรวม", "ผลรวม", "ทั้งหมด",
        # Indonesian and Malay
        "jumlah", "jumlah total", "jumlah keseluruhan", "jumlah seluruhnya", "keseluruhan",
        "semua",
        # Filipino
        "kabuuan", "kabuuang halaga", "lahat",
        # Hindi and Nepali
        "कुल", "योग", "कुल योग", "जोड़", "कुल जोड़", "सभी", "जम्मा", "कुल जम्मा", "जम्मा योग",
        # Bengali
        "মোট", "সর্বমোট", "সমষ্টি", "মোট যোগফল",
        # Khmer
        "សរុប", "សរុបរួម", "សរុបទាំងអស់",
        # Lao
        "ລວມ", "ລວມທັງໝົດ", "ທັງໝົດ", "ລວມຍອດ",
        # Mongolian
        "нийт", "бүгд", "дүн", "нийт дүн", "нийлбэр",
        # Sinhala
        "එකතුව", "මුළු එකතුව", "සම්පූර්ණ එකතුව",
        # Burmese
        "စုစုပေါင်း", "ပေါင်း", "စုစုပေါင်းပမာဏ",
        # Urdu
        "کل", "میزان", "کل میزان", "ٹوٹل", "مجموعی", "مجموعہ", "کل جمع",
    }
)  # fmt: skip


def _bare(label: object) -> str:
    """A label as :data:`TOTAL_WORDS` spells it: one form of each letter (NFC), no
    capitals, no part in brackets, no punctuation, symbols, digits or invisible joiners."""
    text = unicodedata.normalize("NFC", str(label)).casefold()
    text = re.sub(r"[(\[（【].*?[)\]）】]", " ", text)
    kept = (
        " "
        if unicodedata.category(c)[0] in "PSZ" or c.isdigit()
        else ""
        if unicodedata.category(c) == "Cf"
        else c
        for c in text
    )
    return " ".join("".join(kept).split())


_WORDS = frozenset(_bare(word) for word in TOTAL_WORDS)


def named_as_total(label: object) -> bool:
    """Whether ``label`` names a total, in English or a language of the course's countries.

    >>> [named_as_total(x) for x in ["Grand total", "TỔNG CỘNG:", "合计", "Jumlah", "Hoa Binh"]]
    [True, True, True, True, False]
    """
    return bool(TOTAL_NAME.search(str(label))) or _bare(label) in _WORDS


@dataclass(frozen=True)
class TotalRow:
    """A row found to be a total: its ``position`` (0-based), whether it is ``named`` as
    one, and the first ``column`` (an index) where it is not 0, with its ``value`` there
    and the ``others``' sum."""

    position: int
    named: bool
    column: int
    value: float
    others: float


def _rounding(numbers: np.ndarray) -> np.ndarray:
    """Half the last written digit of each number: 0.5 for 2,660, 0.05 for 540.5 (up to 6
    decimals; 0 for a number not given)."""
    step = np.full(numbers.shape, 1e-6)
    for decimals in range(6, -1, -1):
        with np.errstate(invalid="ignore"):
            exact = np.abs(np.round(numbers, decimals) - numbers) <= 1e-9 * np.maximum(
                1, np.abs(numbers)
            )
        step = np.where(exact, 10.0**-decimals, step)
    return np.where(np.isfinite(numbers), step / 2, 0.0)


def total_rows_in(names: list[object], numbers: np.ndarray) -> list[TotalRow]:
    """The rows that are a total of the others (see the module's description), given each
    row's name (blank for none) and its numbers in the columns that add up (one row of
    ``numbers`` for each row, NaN where a number is not given or not one)."""
    count = len(names)
    numbers = np.asarray(numbers, dtype=float).reshape(count, -1)
    if count < 3:
        return []
    given = np.isfinite(numbers)
    filled = np.where(given, numbers, 0.0)
    others = filled.sum(axis=0) - filled
    # the columns each row is judged on: those where it has a number, each of which every
    # other row must have too (a sum with a number missing cannot be checked)
    checkable = ~(given & ~given.all(axis=0)).any(axis=1) & given.any(axis=1)
    nonzero = given & (filled != 0)
    own_nonzero = nonzero.sum(axis=1)
    # the other rows with a number that is not 0 in a column the row is judged on
    nonzero_others = np.zeros(count, dtype=int)
    for pattern in {tuple(row) for row in given[checkable]}:
        rows = checkable & (given == pattern).all(axis=1)
        in_pattern = nonzero[:, list(pattern)].any(axis=1)
        nonzero_others[rows] = in_pattern.sum() - in_pattern[rows]
    candidate = checkable & (own_nonzero > 0) & (nonzero_others >= 2)
    gap = np.abs(filled - others)
    within = np.where(given, gap <= TOTAL_TOLERANCE * np.abs(filled), True).all(axis=1)
    limit = np.minimum(_rounding(numbers).sum(axis=0), TOTAL_TOLERANCE * np.abs(filled))
    exact = np.where(given, gap <= limit, True).all(axis=1)
    at_end = np.zeros(count, dtype=bool)
    at_end[[0, -1]] = True
    enough = (own_nonzero >= 2) | (count - 1 >= 3)
    found = []
    for position in np.flatnonzero(candidate & within):
        named = named_as_total(names[position])
        if named or (exact[position] and at_end[position] and enough[position]):
            column = int(np.flatnonzero(nonzero[position])[0])
            found.append(
                TotalRow(
                    int(position),
                    named,
                    column,
                    float(numbers[position, column]),
                    float(others[position, column]),
                )
            )
    return found
