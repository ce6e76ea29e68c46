"""The worksheet questions answered with a number: a number typed in a box (:class:`Number`),
read as :mod:`eic.typed_numbers` reads a participant's number, and a number set on a slider
(:class:`Slider`). Each records its answer to the module's answer file; see
:mod:`eic.question_base` for what every question shares.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.question_base import Question
from eic.typed_numbers import READS_EITHER_WAY, parse_number, read_answer_number

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

__all__ = ["Number", "Slider"]


class Number(Question):
    """A typed number. ``hints`` maps a known wrong value to its hint, which is shown for
    any answer within ``abs_tol`` or ``rel_tol`` of that value: give the tolerance the
    hidden test allows around the right answer, so that a value rounded as the right one
    may be rounded gets its hint too."""

    kind = "number"
    typed = True

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        *,
        unit: str,
        plausible: tuple[float, float] | None = None,
        abs_tol: float = 0.0,
        rel_tol: float = 0.0,
        whole: bool = False,
        **kwargs: Any,
    ) -> None:
        if abs_tol < 0 or rel_tol < 0:
            raise ValueError(f"abs_tol {abs_tol} and rel_tol {rel_tol} must not be negative")
        self.unit = unit
        self.plausible = plausible
        # a count (of towns, firms, options): "1,997" is 1997, never 1.997, and 2.6 is no count
        self.whole = whole
        self.abs_tol, self.rel_tol = abs_tol, rel_tol
        # the box's text as a recorded number was written into it, and that number: "1.125"
        # written for 1.125 is not read again as maybe 1125
        self._written: tuple[str, float] | None = None
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        self.text = w.Text(
            # no example number: "e.g. 12.5" beside "USD per year" read as a hint of the answer
            placeholder="type a whole number" if self.whole else "type a number",
            description="Answer",
            continuous_update=True,
            style={"description_width": "initial"},
        )
        return w.HBox([self.text, w.HTML(f"&nbsp;{html.escape(self.unit)}")])

    def _watch(self, callback: Callable[[Any], None]) -> None:
        self.text.observe(callback, names="value")

    def record_details(self) -> dict[str, Any]:
        # the unit, so that the country report gives the number with it; and the number as
        # it was typed ("3.40", "1,997"), to show it so again when the page is opened again
        typed = self.text.value.strip()
        return {"unit": self.unit, "typed": typed} if typed else {"unit": self.unit}

    def _show_recorded(self, entry: dict[str, Any]) -> None:
        """The recorded number, shown as it was typed where that still reads as exactly the
        number recorded (an answer file written by hand, or by an older course, may say
        otherwise: then as the number alone)."""
        self.value = entry["value"]
        typed = entry.get("typed")
        if not isinstance(typed, str) or self._written is None:
            return
        try:
            same = (
                read_answer_number(self._without_unit(typed), self.plausible, count=self.whole)
                == self._written[1]
            )
        except ValueError:  # read two ways, or not at all: the number alone says it plainly
            same = False
        if same:
            self._written = (typed, self._written[1])
            self.text.value = typed

    @property
    def value(self) -> float | None:
        if self._written is not None and self.text.value == self._written[0]:
            return self._written[1]
        self._written = None  # the participant has typed since: what they type is read
        return read_answer_number(
            self._without_unit(self.text.value), self.plausible, count=self.whole
        )

    def _without_unit(self, text: str) -> str:
        """``text`` less the question's own unit typed after the number ("300 m3/day" for a
        question in m3/day, any case), which says nothing the box does not."""
        unit = self.unit.strip()
        typed = text.strip()
        if not unit or unit.startswith("(") or not typed.lower().endswith(unit.lower()):
            return text
        number = typed[: -len(unit)].strip()
        return number if number and number[-1].isdigit() else text

    @value.setter
    def value(self, new: float | int | str | None) -> None:
        if new is None:
            self.text.value = ""
            return
        if isinstance(new, bool) or not isinstance(new, int | float | str):
            raise ValueError(f"{new!r} is not a number")
        if isinstance(new, str):
            number = read_answer_number(new, self.plausible)
        else:
            number = parse_number(str(new))
        # 15 significant digits: a recorded 1,959,707 comes back as 1959707, not 1.95971e+06
        text = "" if number is None else f"{number:.15g}"
        self._written = None if number is None else (text, number)
        self.text.value = text

    def _saved_as(self, value: Any) -> str:
        """How the number was read: "1,650" as 1,650, "0,086" as 0.086; a number that
        reads two ways, with the way it was read: "4.966" as 4966 (with the point between
        thousands), written with no mark that could be read either way."""
        if value is None:
            return ""
        typed = self._without_unit(self.text.value).strip().replace(" ", "")
        either = READS_EITHER_WAY.match(typed)
        if either is None or (self._written is not None and self.text.value == self._written[0]):
            return f" as {self.summary(value)}"
        whole, mark, part = either.groups()
        name = "comma" if mark == "," else "point"
        way = (
            f"the {name} between thousands" if value == float(whole + part) else f"a decimal {name}"
        )
        return f" as {value:.15g} {self.unit} ('{typed}' read with {way})"

    def problems_with(self, value: Any) -> list[str]:
        if value is None:
            return ["type a number"]
        if self.plausible and not self.plausible[0] <= value <= self.plausible[1]:
            low, high = self.plausible
            return [
                f"{value:,.15g} {self.unit} is outside the plausible range {low:,.15g} to "
                f"{high:,.15g} "
                f"{self.unit}; check the figure and its unit"
            ]
        if self.whole and value != int(value):
            return [f"{value:.15g} {self.unit} is not a whole number: count them"]
        return []

    def summary(self, value: Any) -> str:
        return f"{value:,.15g} {self.unit}"

    def _describe(self, value: Any) -> str:
        """A recorded number as the box reads it without asking (4966, not "4,966", which
        a message just above may have called ambiguous)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            # a unit that is a note in brackets ("(no unit: a ratio)") is left out
            unit = "" if self.unit.startswith("(") else f" {self.unit}"
            return f"{value:.15g}{unit}"
        return super()._describe(value)

    def _hint_for(self, value: Any) -> str:
        """The hint of the first wrong value this answer is as close to as the tolerance."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return ""
        return next(
            (
                hint
                for wrong, hint in self.hints.items()
                if isinstance(wrong, int | float)
                and math.isclose(value, wrong, abs_tol=self.abs_tol, rel_tol=self.rel_tol)
            ),
            "",
        )


class Slider(Question):
    kind = "slider"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        *,
        low: float,
        high: float,
        step: float = 1,
        unit: str = "",
        **kwargs: Any,
    ) -> None:
        self.low, self.high, self.step, self.unit = low, high, step, unit
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        slider_class = (
            w.IntSlider
            if all(float(x).is_integer() for x in (self.low, self.high, self.step))
            else w.FloatSlider
        )
        self.slider = slider_class(
            min=self.low,
            max=self.high,
            step=self.step,
            value=self.low,
            description=f"Answer ({self.unit})" if self.unit else "Answer",
            continuous_update=False,
            style={"description_width": "initial"},
            layout={"width": "480px", "max_width": "100%"},
        )
        return self.slider

    @property
    def value(self) -> float:
        return self.slider.value

    @value.setter
    def value(self, new: float) -> None:
        if isinstance(new, bool) or not isinstance(new, int | float):
            raise ValueError(f"{new!r} is not a number")
        if not self.low <= new <= self.high:
            raise ValueError(f"{new} is outside {self.low} to {self.high}")
        self.slider.value = new

    def problems_with(self, value: Any) -> list[str]:
        if value is None:
            return ["move the slider and press Save answer"]
        return []

    def summary(self, value: Any) -> str:
        return f"{value:,.15g} {self.unit}".strip()
