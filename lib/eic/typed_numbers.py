"""How a number typed by a participant is read: into an answer box, an explorer's field or a
strategy panel.

A participant may write a number as they do at work: with a comma or a space between
thousands ("1,650", "1 650"), a decimal comma ("16,8"), the minus sign the course's pages
print, or a percent sign where a share is asked for. :func:`parse_number` reads what is
unambiguous and says plainly what to type otherwise; :func:`read_answer_number` also settles
a number that reads two ways ("4,966": 4966 or 4.966) by the question's plausible range.
"""

from __future__ import annotations

import math
import re

_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
# a decimal comma, as written in much of Asia and Europe: "0,086", "16,8", "1,65" (one comma,
# no point, and not a comma between thousands: "1,650" is one thousand six hundred and fifty)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


# spaces a number may be written with (between thousands), and the minus sign the course's
# own pages print (U+2212), which a participant may copy
_SPACES = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "\u2009": None,
                         "\u2212": "-"})  # fmt: skip


def _compact(text: str) -> str:
    return text.strip().translate(_SPACES)


def parse_number(text: str) -> float | None:
    """Read a number typed by a participant; None for an empty field.

    Accepts ``26``, ``1650.5``, ``-3``, ``1,650`` (comma between thousands), ``0,086`` or
    ``16,8`` (a decimal comma) and ``2e3``. Raises ValueError with a message a participant
    understands otherwise.

    >>> parse_number(" 1,650 "), parse_number("16,8"), parse_number("0,086")
    (1650.0, 16.8, 0.086)
    """
    cleaned = _compact(text)
    if not cleaned:
        return None
    if cleaned.endswith("%") and _compact(cleaned[:-1]):
        try:
            share = parse_number(cleaned[:-1])
        except ValueError:
            share = None
        if share is not None:
            raise ValueError(
                f"'{text.strip()}' ends with a % sign. Type the number alone; where a ratio or "
                f"a share is asked for, type it as one ({share:g}% is {share / 100:g})."
            )
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _DECIMAL_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(
            f"'{text.strip()}' is not a number. Type digits only, with a point or a comma for "
            "decimals (for example 26, 1650.5 or 0,086), and leave the unit out."
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"'{text.strip()}' is not a finite number; type an ordinary number.")
    return number


# one mark and then exactly three digits, after one to three digits that do not start with
# 0: "4,966" or "4.966" is 4966 where that mark separates thousands (as in English, or in
# Viet Nam and Indonesia for the point) and 4.966 where it is the decimal mark; the course's
# participants write both
READS_EITHER_WAY = re.compile(r"^([+-]?[1-9]\d{0,2})([.,])(\d{3})$")


def read_answer_number(
    text: str, plausible: tuple[float, float] | None = None, *, count: bool = False
) -> float | None:
    """Read a number typed as an answer, as :func:`parse_number` does, except a number that
    reads two ways ("4,966" or "4.966": 4966 or 4.966). That one is taken the way that lies
    in ``plausible`` (the question's range) when only one does, as thousands when its last
    three digits are 000 ("30,000"), and otherwise refused with a message that says how to
    type each. The answer to a question that asks for a ``count`` is whole: "1,997" is 1997.

    >>> read_answer_number("4.966", (100, 10_000)), read_answer_number("2,400", (0, 10))
    (4966.0, 2.4)
    >>> read_answer_number("1,997", (1, 100), count=True)
    1997.0
    """
    either = READS_EITHER_WAY.match(_compact(text))
    if either is None:
        return parse_number(text)
    whole, mark, part = either.groups()
    thousands, decimal = float(whole + part), float(f"{whole}.{part}")
    if count:  # a count is whole: its range's message says if 1997 is too many
        return thousands
    low, high = plausible or (-math.inf, math.inf)
    fits = [n for n in (thousands, decimal) if low <= n <= high]
    if part == "000" and thousands in fits:  # no one writes 30 as "30,000" or "30.000"
        return thousands
    if len(fits) == 1:
        return fits[0]
    if not fits:  # neither is plausible: read as ever, and the range's message says so
        return parse_number(text)
    name = "comma" if mark == "," else "point"
    # the decimal written so it cannot be thousands: "1,68" for "1,680", "4,9660" for "4,966"
    as_decimal = (
        f"{whole}{mark}{part.rstrip('0')}" if part.endswith("0") else f"{whole}{mark}{part}0"
    )
    raise ValueError(
        f"'{text.strip()}' can be read two ways: as {whole}{part} (with the {name} between "
        f"thousands) or as {whole}.{part.rstrip('0') or part} (with a decimal {name}). Type "
        f"{whole}{part} if you mean the first, {as_decimal} if you mean the second: with more "
        f"or fewer than three digits after it, a {name} can only be a decimal {name}."
    )


def number_text(value: float) -> str:
    """A number as typed, with thousands separated and no digit lost: 1983813.0 as
    "1,983,813", 0.086 as "0.086" (never "1.98381e+06")."""
    if math.isfinite(value) and float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.12f}".rstrip("0").rstrip(".")
    return text if math.isfinite(value) else str(value)
