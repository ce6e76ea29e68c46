"""The worksheet questions over a fixed list of options: single and multiple choice, and
ranking. Each records its answer to the module's answer file; see :mod:`eic.question_base`
for what they share, :mod:`eic.question_numbers` for the questions answered with a number
(typed, or on a slider), :mod:`eic.question_texts` for typed answers and
:mod:`eic.question_groups` for the questions answered as a group (ratings, pairwise
judgements, checklists).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.question_base import COMPLETE, Question, _ordinal

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

__all__ = [
    "MultipleChoice",
    "Question",
    "Ranking",
    "SingleChoice",
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
