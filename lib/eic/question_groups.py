"""Questions answered as a group of judgements: ratings, pairwise comparisons, a checklist
and a set of texts.

- :class:`Ratings` rates each item on a slider (0 to 5, say), and records
  ``{item: rating}``.

- :class:`Pairwise` asks, for every pair of criteria, which matters more and how much, on
  Saaty's 1-9 scale, and records ``{"A vs B": a}`` where ``a`` is how many times as
  important A is as B (1/9 to 9). The analytic hierarchy process (:mod:`eic.ahp`) turns
  the record into priorities; the judgements are complete only when they are consistent
  enough (consistency ratio at most 0.10), as the grader requires.
- :class:`Checklist` asks the same few options ("yes", "partly", ...) of each item, and
  records ``{item: option}``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.grading import consistency_ratio
from eic.question_base import COMPLETE, Question
from eic.slider_group import SliderGroup

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

STRENGTHS = (9, 8, 7, 6, 5, 4, 3, 2)
CHECKLIST_OPTIONS = ("yes", "partly", "no", "don't know")
# A checklist's options, in characters together, that fit in one row beside its items in
# JupyterLab on a laptop (Module 8's four "when" options, 74, do; its five agencies, 114, go
# below each item)
ONE_ROW_CHARACTERS = 80


def pair_key(a: str, b: str) -> str:
    """The key under which the judgement of ``a`` against ``b`` is recorded."""
    return f"{a} vs {b}"


def judgement_options(a: str, b: str) -> list[tuple[str, float]]:
    """The 17 steps of one comparison, from "a 9x as important" through "equal" to "b 9x"."""
    towards_a = [(f"{a}: {v}x as important", float(v)) for v in STRENGTHS]
    towards_b = [(f"{b}: {v}x as important", 1 / v) for v in reversed(STRENGTHS)]
    return [*towards_a, ("equally important", 1.0), *towards_b]


def _in_scale(judgement: Any) -> bool:
    return (
        isinstance(judgement, int | float)
        and not isinstance(judgement, bool)
        and 1 / 9.001 < judgement < 9.001
    )


def _nearest(value: float, options: Sequence[tuple[str, float]]) -> float:
    return min((v for _, v in options), key=lambda v: abs(v - value))


class Pairwise(SliderGroup):
    """One slider per pair of criteria; the answer is every pair's judgement."""

    kind = "pairwise"
    _cover_message = "judge exactly these pairs"
    _range_message = "judgements must be from 1/9 to 9"
    _answer_word = "judgement"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        criteria: Sequence[str],
        *,
        max_cr: float = 0.10,
        **kwargs: Any,
    ) -> None:
        if len(criteria) < 2 or len(set(criteria)) != len(criteria):
            raise ValueError("give at least two different criteria to compare")
        self.max_cr = max_cr
        self.criteria = list(criteria)
        self.pairs = [(a, b) for i, a in enumerate(self.criteria) for b in self.criteria[i + 1 :]]
        super().__init__(sheet, qid, prompt, **kwargs)
        # ipywidgets gives a slider's readout at most 148 pixels, which cut the judgement
        # itself ("Environmental benefit: 9x as important" read "Environmental benefit:").
        # Each readout here is as wide as the longest judgement, so none is cut and the
        # slider does not change length, under the pointer, as the judgement changes.
        longest = max(len(label) for a, b in self.pairs for label, _ in judgement_options(a, b))
        self._style(
            f".eic-q-{qid} .widget-readout {{min-width: {longest + 1}ch; "
            f"max-width: {longest + 1}ch; text-align: left; margin-left: 14px}}"
        )

    def _build_input(self) -> w.Widget:
        self.sliders = {
            pair_key(a, b): w.SelectionSlider(
                options=judgement_options(a, b),
                value=1.0,
                description=f"{a} or {b}?",
                continuous_update=False,
                readout=True,
                style={"description_width": "22em"},
                layout={"width": "960px", "max_width": "100%"},
            )
            for a, b in self.pairs
        }
        return w.VBox(list(self.sliders.values()))

    def _in_range(self, value: float) -> bool:
        return 1 / 9.001 < value < 9.001

    def _slider_value(self, key: str, value: float) -> float:
        return _nearest(float(value), self.sliders[key].options)

    def problems_with(self, value: Any) -> list[str]:
        if not isinstance(value, Mapping):
            return ["move each slider to your judgement and press Save answer"]
        missing = [f"judge '{key}'" for key in self.sliders if key not in value]
        if missing or not all(_in_scale(value[key]) for key in self.sliders):
            return missing or ["judge every pair from 1/9 to 9"]
        ratio = consistency_ratio(self.criteria, value)
        if ratio > self.max_cr:
            # with three criteria each judgement fits the other two equally badly
            which = (
                "the sentence under the chart gives the setting each would need; change the "
                "one you trust least"
                if len(self.criteria) == 3
                else "the sentence under the chart names the one that fits the others least"
            )
            return [
                f"your judgements contradict each other (consistency ratio {ratio:.2f}; it "
                f"must be {self.max_cr:.2f} or less): {which}"
            ]
        return []

    def _complete_message(self) -> str:
        return COMPLETE  # every pair judged, consistently: all that is graded

    def summary(self, value: Any) -> str:
        labels = []
        for a, b in self.pairs:
            judgement = value.get(pair_key(a, b))
            if judgement is None:
                continue
            options = judgement_options(a, b)
            nearest = _nearest(float(judgement), options)
            labels.append(next(label for label, v in options if v == nearest))
        return "; ".join(labels)


class Checklist(Question):
    """One row of option buttons per item; the answer maps each item to its option.

    ``headings`` maps an item to a heading shown above it (e.g. the item's category).
    """

    kind = "checklist"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        items: Sequence[str],
        *,
        options: Sequence[str] = CHECKLIST_OPTIONS,
        headings: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.items, self.options = list(items), list(options)
        self.headings = dict(headings or {})
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        # One grid, an item's text beside its buttons: no box per row for the browser to draw.
        # Options too long for one row beside an item (Module 8's five agencies) go below it.
        stacked = self.stacked
        cells: list[w.Widget] = []
        self.buttons: dict[str, w.ToggleButtons] = {}
        shown: set[str] = set()
        for item in self.items:
            heading = self.headings.get(item)
            if heading and heading not in shown:
                # across both columns; set as grid_area, because ipywidgets applies a
                # layout's grid_area after its grid_column and clears it when empty
                across = {} if stacked else {"grid_area": "auto / 1 / auto / span 2"}
                cells.append(w.HTML(f"<b>{html.escape(heading)}</b>", layout=across))
                shown.add(heading)
            buttons = w.ToggleButtons(
                options=self.options,
                value=None,
                # each button as wide as its own text: none reads "not obser...", and an
                # option has the same width, so the same place, in every row
                style={"button_width": "auto"},
                tooltips=[f"{option}: {item}" for option in self.options],
                # below its item, a gap before the next item shows whose buttons they are
                layout={"margin": "0 0 10px 0"} if stacked else {},
            )
            self.buttons[item] = buttons
            cells += [w.HTML(html.escape(item)), buttons]
        # Beside its item, a row of buttons keeps one line and the items take the width left,
        # down to 12em: with a 420-pixel column of items, a laptop's JupyterLab (an output
        # 916 pixels wide beside the file browser, at 1366 x 768) put each row's last buttons
        # on a second line. Narrower still, the buttons wrap (and on a phone go below their
        # item: NARROW_SCREEN_STYLE).
        columns = {"grid_template_columns": "minmax(0, 1fr)" if stacked else
                   "minmax(12em, 1fr) auto", "grid_gap": "6px 12px",
                   "align_items": "center"}  # fmt: skip
        return w.GridBox(cells, layout=columns)

    @property
    def stacked(self) -> bool:
        """True when each item's buttons go below it, not beside it: their options' text,
        together, is longer than fits beside an item on a laptop."""
        return sum(len(option) for option in self.options) > ONE_ROW_CHARACTERS

    def _watch(self, callback: Callable[[Any], None]) -> None:
        for buttons in self.buttons.values():
            buttons.observe(callback, names="value")

    @property
    def value(self) -> dict[str, str]:
        return {item: b.value for item, b in self.buttons.items() if b.value is not None}

    @value.setter
    def value(self, new: Mapping[str, str]) -> None:
        if not isinstance(new, Mapping):
            raise ValueError("a checklist answer maps each item to an option")
        unknown = [k for k in new if k not in self.buttons]
        wrong = [k for k, v in new.items() if k in self.buttons and v not in self.options]
        if unknown or wrong:
            raise ValueError(
                "unknown items: " + ", ".join(unknown) if unknown else
                f"answers must be one of {', '.join(self.options)}: {', '.join(wrong)}"
            )  # fmt: skip
        with self._one_change():
            for item, buttons in self.buttons.items():
                buttons.value = new.get(item)

    def problems_with(self, value: Any) -> list[str]:
        if not isinstance(value, Mapping) or not value:
            return ["answer every item and press Save answer"]
        left = [item for item in self.items if item not in value]
        return [f"{len(left)} item(s) still to answer, the first: “{left[0]}”"] if left else []

    def _complete_message(self) -> str:
        return COMPLETE  # your own observations: every item answered is the whole answer

    def summary(self, value: Any) -> str:
        counts = {option: sum(1 for v in value.values() if v == option) for option in self.options}
        return ", ".join(f"{option}: {n}" for option, n in counts.items())


class Texts(Question):
    """A few labelled text boxes answered together, e.g. a SWOT: {field: text}."""

    kind = "texts"
    typed = True  # saved once the typing pauses

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        fields: Sequence[str],
        *,
        placeholders: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.fields = list(fields)
        self.placeholders = dict(placeholders or {})
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        self.boxes = {
            name: w.Textarea(
                description=name,
                placeholder=self.placeholders.get(name, "one point per line"),
                continuous_update=True,
                style={"description_width": "9em"},
                layout={"width": "640px", "max_width": "100%", "height": "6em"},
            )
            for name in self.fields
        }
        return w.VBox(list(self.boxes.values()))

    def _watch(self, callback: Callable[[Any], None]) -> None:
        for box in self.boxes.values():
            box.observe(callback, names="value")

    @property
    def value(self) -> dict[str, str]:
        return {name: box.value.strip() for name, box in self.boxes.items()}

    @value.setter
    def value(self, new: Mapping[str, str]) -> None:
        if not isinstance(new, Mapping) or not set(new) <= set(self.boxes):
            raise ValueError(f"answer only these parts: {', '.join(self.fields)}")
        with self._one_change():
            for name, box in self.boxes.items():
                box.value = str(new.get(name, ""))

    def problems_with(self, value: Any) -> list[str]:
        if not isinstance(value, Mapping):
            return ["write something in each box and press Save answer"]
        return [f"write at least one point under '{name}'" for name in self.fields
                if not str(value.get(name, "")).strip()]  # fmt: skip

    def _complete_message(self) -> str:
        return COMPLETE  # your own points: something under every heading is the whole answer

    def summary(self, value: Any) -> str:
        return "; ".join(f"{name}: {len(str(text).splitlines())} point(s)"
                         for name, text in value.items())  # fmt: skip


class Ratings(SliderGroup):
    """A group of sliders, one per item, recorded together as {item: rating}."""

    kind = "ratings"
    _cover_message = "ratings must cover exactly"
    _answer_word = "rating"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        items: Sequence[str],
        *,
        low: int = 0,
        high: int = 5,
        **kwargs: Any,
    ) -> None:
        self.items, self.low, self.high = list(items), low, high
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        self.sliders = {
            item: w.IntSlider(
                min=self.low,
                max=self.high,
                value=self.low,
                description=item,
                continuous_update=False,
                style={"description_width": "14em"},
                layout={"width": "520px", "max_width": "100%"},
            )
            for item in self.items
        }
        return w.VBox(list(self.sliders.values()))

    @property
    def _range_message(self) -> str:
        return f"ratings out of range {self.low} to {self.high}"

    def _in_range(self, value: float) -> bool:
        return self.low <= value <= self.high

    def _slider_value(self, key: str, value: float) -> int:
        return int(value)

    def problems_with(self, value: Any) -> list[str]:
        if not isinstance(value, Mapping):
            return ["rate every item"]
        return [f"rate '{item}'" for item in self.items if item not in value]

    def _complete_message(self) -> str:
        return COMPLETE  # a self-assessment: every item rated is the whole answer

    def summary(self, value: Any) -> str:
        return ", ".join(f"{k}: {v}" for k, v in value.items())
