"""The base of a question answered with one slider per key (ratings, pairwise comparisons):
a slider counts as set only once the participant moves it or keeps it as shown. The kinds
are in :mod:`eic.question_groups`."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.question_base import Question

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

KEEP_AS_SHOWN = "Keep the rest as shown"


class SliderGroup(Question):
    """A question answered with one slider per key, recorded together as ``{key: value}``.

    A slider starts at a value (0, "equally important") that nobody chose, so a slider
    counts as set only once it is moved, kept where it is with the "Keep the rest as shown"
    button, given in code, or loaded from a recorded answer; the answer is recorded only
    when every slider is set. Until then the sliders not yet set are shown in grey italics
    and Save and Check name them.

    A kind builds ``self.sliders`` (key to slider) in ``_build_input``, and says what a value
    given in code may be: ``_in_range(value)``, ``_range_message`` (which starts the error
    for a value out of range) and ``_slider_value(key, value)`` (what the slider is set to);
    ``_answer_word`` names what a slider gives ("rating").
    """

    sliders: dict[str, w.ValueWidget]
    _cover_message = "answer exactly these"
    _range_message = "out of range"
    _answer_word = "answer"

    def __init__(
        self, sheet: Worksheet, qid: str, prompt: str, *, help_text: str = "", **kwargs: Any
    ) -> None:
        self._set: set[str] = set()
        word = self._answer_word
        how = (
            f"Move each slider to your {word}; if a slider already shows your {word}, "
            f"press '{KEEP_AS_SHOWN}'."
        )
        super().__init__(sheet, qid, prompt, help_text=f"{help_text} {how}".strip(), **kwargs)
        unset_look = "font-style: italic; color: #595959"
        self._style(f".eic-q-{qid} .eic-unset .widget-readout {{{unset_look}}}")
        for key in self._unset():
            self.sliders[key].add_class("eic-unset")
        self.keep_button.on_click(lambda _b: self._guard(self.keep_as_shown))

    def _extra_buttons(self) -> list[w.Button]:
        self.keep_button = w.Button(
            description=KEEP_AS_SHOWN,
            icon="check-square-o",
            tooltip="Count each slider you have not moved at the value it shows",
            layout=w.Layout(width="auto"),  # its own: it is hidden once every slider is set
        )
        return [self.keep_button]

    def keep_as_shown(self) -> list[str]:
        """Count every slider not moved yet as set where it is, then check the answer."""
        self._mark_set(list(self.sliders))
        return self.check()

    def save(self) -> bool:
        """Record the answer once every slider is set; otherwise say which are not."""
        left = self._unset()
        if not left:
            return super().save()
        word = self._answer_word
        names = ", ".join(f"'{html.escape(self.sliders[key].description)}'" for key in left)
        self._say(
            f"Not complete yet, so not saved. Still to set: {names}. Move each slider to "
            f"your {word}; if one already shows your {word}, press '{KEEP_AS_SHOWN}'.",
            ok=False,
        )
        return False

    def _unset(self) -> list[str]:
        return [key for key in self.sliders if key not in self._set]

    def _mark_set(self, keys: Iterable[str]) -> None:
        for key in keys:
            if key not in self._set:
                self._set.add(key)
                self.sliders[key].remove_class("eic-unset")
        self.keep_button.layout.display = None if self._unset() else "none"

    def _watch(self, callback: Callable[[Any], None]) -> None:
        for key, slider in self.sliders.items():
            slider.observe(lambda change, key=key: self._moved(key, change, callback), "value")

    def _moved(self, key: str, change: Any, callback: Callable[[Any], None]) -> None:
        """A slider moved by the participant is set (one set in code is marked by ``value``)."""
        if not self._loading:
            self._mark_set([key])
        callback(change)

    @property
    def value(self) -> dict[str, Any]:
        return {key: slider.value for key, slider in self.sliders.items()}

    @value.setter
    def value(self, new: Mapping[str, float]) -> None:
        if not isinstance(new, Mapping) or set(new) != set(self.sliders):
            raise ValueError(f"{self._cover_message}: {', '.join(self.sliders)}")
        bad = [
            key
            for key, v in new.items()
            if isinstance(v, bool) or not isinstance(v, int | float) or not self._in_range(v)
        ]
        if bad:
            raise ValueError(f"{self._range_message}: {', '.join(bad)}")
        with self._one_change():  # one save for the group, not one per slider
            for key, v in new.items():
                self.sliders[key].value = self._slider_value(key, v)
            self._mark_set(new)

    def _in_range(self, value: float) -> bool:
        raise NotImplementedError

    def _slider_value(self, key: str, value: float) -> Any:
        raise NotImplementedError
