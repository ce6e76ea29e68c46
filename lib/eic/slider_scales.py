"""How a slider speaks of its scale: the range and steps written beside it, and the note
that says what it did with a number typed for it, in the words and unit of the setting.

A participant typed a discount rate of 7.5 and saw 8, and a budget of 2,000,000 and saw
1,600,000, and did not notice why. A slider given a :class:`Scale` shows its range and step
beside its box ("1-20 %, in steps of 0.5 %") and, when a typed number is set to an end or a
step of the slider, says so in the setting's words: "The budget goes up to USD 1,600,000
...: USD 2,000,000 is set to USD 1,600,000." It also reads the unit typed with the number
("USD 500000", "7.5%").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """The words of one slider: ``name`` is what it sets ("rate", "budget"), ``unit`` its
    unit, written before the number if it is a currency code ("USD") and after it otherwise
    ("%"); ``step_words`` names a step for "the nearest ..." ("half percent", "USD 10,000");
    ``top_words`` says why the scale ends where it does (", what all 10 options cost
    together"), or is empty.

    >>> rate = Scale("rate", "%", "half percent")
    >>> rate.range_text(1, 20, 0.5)
    '1-20 %, in steps of 0.5 %'
    >>> rate.note(7.3, 7.5, low=1, high=20)
    '7.3 % is not on the scale: the rate is set to 7.5 %, the nearest half percent.'
    >>> Scale("budget", "USD", "USD 10,000").note(2e6, 1.6e6, low=0, high=1.6e6)
    'The budget goes up to USD 1,600,000: USD 2,000,000 is set to USD 1,600,000.'
    """

    name: str
    unit: str
    step_words: str
    top_words: str = ""

    @property
    def _currency(self) -> bool:
        return self.unit.isalpha() and self.unit.isupper()

    def amount(self, number: float) -> str:
        """``number`` with its unit: "USD 500,000", "7.5 %"."""
        digits = f"{number:,.10g}"
        return f"{self.unit} {digits}" if self._currency else f"{digits} {self.unit}"

    def range_text(self, low: float, high: float, step: float) -> str:
        """The range and step, to show beside the slider: "USD 0-1,600,000, in steps of
        USD 10,000"."""
        ends = f"{low:,.10g}-{high:,.10g}"
        ends = f"{self.unit} {ends}" if self._currency else f"{ends} {self.unit}"
        return f"{ends}, in steps of {self.amount(step)}"

    def without_unit(self, text: str) -> str:
        """``text`` without the unit typed before or after the number ("USD 500000",
        "7.5%"); other text is left for the number's reader to refuse."""
        unit = re.escape(self.unit)
        stripped = re.sub(rf"^\s*{unit}\s*|\s*{unit}\s*$", "", text, count=1, flags=re.I)
        return stripped if stripped.strip() else text

    def note(self, typed: float, value: float, *, low: float, high: float) -> str:
        """What the slider did with the number ``typed``, now that it is set to ``value``:
        set to an end or to the nearest step; "" when it took the number as typed."""
        if math.isclose(typed, value, rel_tol=1e-9, abs_tol=1e-12):
            return ""
        if typed > high:
            return (
                f"The {self.name} goes up to {self.amount(high)}{self.top_words}: "
                f"{self.amount(typed)} is set to {self.amount(high)}."
            )
        if typed < low:
            return (
                f"The {self.name} starts at {self.amount(low)}: {self.amount(typed)} is set to "
                f"{self.amount(low)}."
            )
        return (
            f"{self.amount(typed)} is not on the scale: the {self.name} is set to "
            f"{self.amount(value)}, the nearest {self.step_words}."
        )

    def kept(self, reason: str, value: float) -> str:
        """Why a typed text was refused, and the value the slider keeps."""
        return f"{reason} The {self.name} stays at {self.amount(value)}."


__all__ = ["Scale"]
