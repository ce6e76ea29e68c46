"""The kinds of worksheet question with one input: single and multiple choice, number,
slider and ranking. Each records its answer to the module's answer file; see
:mod:`eic.question_base` for what they share, :mod:`eic.question_texts` for typed answers
and :mod:`eic.question_groups` for the questions answered as a group (ratings, pairwise
judgements, checklists).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.question_base import COMPLETE, Question, _ordinal
from eic.typed_numbers import READS_EITHER_WAY, parse_number, read_answer_number

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

__all__ = [
    "MultipleChoice",
    "Number",
    "Question",
    "Ranking",
    "SingleChoice",
    "Slider",
    "parse_number",
    "read_answer_number",
]


class _OptionsQuestion(Question):
    """A question over a fixed list of options (choices, or items to rank)."""

    def __init__(
        self, sheet: Worksheet, qid: str, prompt: str, options: Sequence[str], **kwargs: Any
    ) -> None:
        self.options = list(options)
        super().__init__(sheet, qid, prompt, **kwargs)


# ipywidgets gives each option of a set of radio buttons the height of one line, so an
# option too long for the page's width wrapped over the next one. With this rule an option
# takes the lines it needs, its button beside the first.
LONG_OPTIONS_STYLE = (
    ".eic-question .widget-radio-box label {display: flex; align-items: flex-start; "
    "height: auto; min-height: var(--jp-widgets-radio-item-height); line-height: 1.4; "
    "padding: 2px 0} .eic-question .widget-radio-box input {order: -1; flex: none; height: auto; "
    "margin-top: 0.25em}"
)


class SingleChoice(_OptionsQuestion):
    kind = "single choice"

    def __init__(
        self, sheet: Worksheet, qid: str, prompt: str, options: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(sheet, qid, prompt, options, **kwargs)
        self._style(LONG_OPTIONS_STYLE)

    def _build_input(self) -> w.Widget:
        return w.RadioButtons(
            options=self.options,
            index=None,
            description="Answer",
            layout={"width": "auto"},
            style={"description_width": "initial"},
        )

    def problems_with(self, value: Any) -> list[str]:
        if value is None:
            return ["choose one option"]
        if value not in self.options:
            return [f"'{value}' is not one of the options"]
        return []

    def _complete_message(self) -> str:
        """With a hint for every option but one, an answer without a hint is the right one."""
        unhinted = [option for option in self.options if option not in self.hints]
        return COMPLETE if len(unhinted) == 1 else super()._complete_message()


_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _count(n: int) -> str:
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else str(n)


class MultipleChoice(_OptionsQuestion):
    """Tick boxes. ``expected_count`` is the number of ticks the prompt asks for ("Tick
    three"): another number is then not complete."""

    kind = "multiple choice"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        options: Sequence[str],
        *,
        expected_count: int | None = None,
        **kwargs: Any,
    ) -> None:
        if expected_count is not None and not 1 <= expected_count <= len(options):
            raise ValueError(
                f"expected_count is {expected_count}; give a number from 1 to {len(options)}, "
                "the ticks the prompt asks for"
            )
        self.expected_count = expected_count
        super().__init__(sheet, qid, prompt, options, **kwargs)

    def _build_input(self) -> w.Widget:
        self.boxes = [
            w.Checkbox(value=False, description=o, indent=False, layout={"width": "95%"})
            for o in self.options
        ]
        return w.VBox(self.boxes)

    def _watch(self, callback: Callable[[Any], None]) -> None:
        for box in self.boxes:
            box.observe(callback, names="value")

    @property
    def value(self) -> list[str]:
        return [box.description for box in self.boxes if box.value]

    @value.setter
    def value(self, new: Sequence[str]) -> None:
        unknown = [v for v in new if v not in self.options]
        if isinstance(new, str) or unknown:
            raise ValueError(f"not among the options: {unknown or new}")
        with self._one_change():
            for box in self.boxes:
                box.value = box.description in new

    def problems_with(self, value: Any) -> list[str]:
        wanted = self.expected_count
        if not value:
            return [f"tick {_count(wanted)}" if wanted else "tick at least one option"]
        unknown = [f"'{v}' is not one of the options" for v in value if v not in self.options]
        if unknown or wanted is None or len(value) == wanted:
            return unknown
        return [f"tick {_count(wanted)}, not {_count(len(value))}"]

    def summary(self, value: Any) -> str:
        return "; ".join(value)

    def _hint_for(self, value: Any) -> str:
        """The hint of the first ticked option that has one."""
        return next((self.hints[v] for v in value if v in self.hints), "")


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


class Ranking(_OptionsQuestion):
    kind = "ranking"

    def _build_input(self) -> w.Widget:
        choices = [("(choose)", "")] + [(item, item) for item in self.options]
        self.places = [
            w.Dropdown(
                options=choices,
                value="",
                description=_ordinal(i + 1),
                style={"description_width": "3em"},
                layout={"width": "auto"},
            )
            for i in range(len(self.options))
        ]
        # the order in full words, shown on a phone only (NARROW_SCREEN_STYLE), where a
        # drop-down is too narrow to show a long item whole
        self.order = w.HTML().add_class("eic-ranking-order")
        for place in self.places:
            place.observe(self._show_order, names="value")
        return w.VBox([*self.places, self.order])

    def _show_order(self, _change: Any = None) -> None:
        chosen = [(n, item) for n, item in enumerate(self.value, 1) if item]
        self.order.value = (
            "<p>Your order:</p><ol class='eic-order'>"
            + "".join(f"<li value='{n}'>{html.escape(item)}</li>" for n, item in chosen)
            + "</ol>"
            if chosen
            else ""
        )

    def _watch(self, callback: Callable[[Any], None]) -> None:
        for place in self.places:
            place.observe(callback, names="value")

    @property
    def value(self) -> list[str]:
        return [place.value for place in self.places]

    @value.setter
    def value(self, new: Sequence[str]) -> None:
        if (
            isinstance(new, str)
            or len(new) != len(self.places)
            or any(v not in self.options and v != "" for v in new)
        ):
            raise ValueError(f"not a ranking of the {len(self.options)} items")
        with self._one_change():
            for place, item in zip(self.places, new, strict=True):
                place.value = item

    def problems_with(self, value: Any) -> list[str]:
        value = list(value or [])
        problems = [
            f"choose an item for the {_ordinal(i + 1)} place" for i, v in enumerate(value) if not v
        ]
        repeated = sorted({v for v in value if v and value.count(v) > 1})
        problems += [f"'{v}' is placed more than once" for v in repeated]
        return problems or ([] if value else ["rank the items"])

    def summary(self, value: Any) -> str:
        return " > ".join(v or "?" for v in value)

    def _hint_for(self, value: Any) -> str:
        """The hint for this order: the one written for the item placed first, else the
        first written for a pair ``(earlier, later)`` put the other way round, if any."""
        if not value:
            return ""
        first = self.hints.get(value[0], "")
        if first:
            return first
        for key, hint in self.hints.items():
            if isinstance(key, tuple) and len(key) == 2 and all(k in value for k in key):
                earlier, later = key
                if value.index(later) < value.index(earlier):
                    return hint
        return ""
