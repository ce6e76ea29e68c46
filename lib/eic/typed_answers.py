"""What a typed answer does when its box is emptied: the recorded answer is kept.

A participant who selects a reflection and deletes it, or clears a box to start again,
must not lose the answer recorded: a save made by itself (the pause after typing, the page
closing) or by Check leaves it as it is, and the question's message line says so. Only
"Save answer" on the empty box removes it; the answer file keeps the removed answer
(:data:`eic.answers.PREVIOUS`), and a "Put back my answer" button, made when first
needed, brings it back. :class:`KeepsTypedAnswers` holds these steps for
:class:`eic.question_base.Question`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from eic import widgets as w
from eic.answers import PREVIOUS, is_blank

# the button, shown only once "Save answer" on an empty box has removed a typed answer
PUT_BACK = "Put back my answer"


def _box_word(answer: Any) -> str:
    """What a typed answer is typed into: "boxes" for one in several parts, else "box"."""
    return "boxes" if isinstance(answer, Mapping) else "box"


class KeepsTypedAnswers:
    """The empty-box steps of a question; the question gives ``typed``, ``value``,
    ``recorded``, ``summary``, ``save``, ``_say``, ``_guard``, ``_stop_waiting``, its
    ``sheet``, ``qid``, ``_buttons`` and ``put_back_button``."""

    def _blank_over_recorded(self) -> Any:
        """The recorded answer, where this typed answer is now empty and that one is not (an
        answer only "Save answer" may remove); else None."""
        if not self.typed:
            return None
        try:
            value = self.value
        except ValueError:  # not readable: save says why
            return None
        if not is_blank(value):
            return None
        recorded = self.recorded()
        return None if is_blank(recorded) else recorded

    def _say_kept(self, recorded: Any) -> str:
        """Say that an empty input left ``recorded`` as it is; return what was said."""
        box = _box_word(recorded)
        text = (
            f"The {box} {'are' if box == 'boxes' else 'is'} empty: your saved answer "
            f"({self._describe(recorded)}) is kept. Type a new one, or press 'Save answer' "
            f"on the empty {box} to remove it."
        )
        self._say(html.escape(text, quote=False), ok=False)
        return text

    def _describe(self, value: Any) -> str:
        """A recorded answer in a few words, for a message about it."""
        try:
            text = self.summary(value)
        except (TypeError, ValueError, AttributeError):  # edited by hand: shown as it is
            text = str(value)
        return text if len(text) <= 60 else text[:57].rstrip() + "..."

    @staticmethod
    def _removed(entry: Mapping[str, Any] | None) -> Any:
        """The answer that a blank one recorded in ``entry`` replaced, if any (else None)."""
        if entry is None or not is_blank(entry["value"]):
            return None
        kept = entry.get(PREVIOUS)
        if not isinstance(kept, Mapping) or is_blank(kept.get("value")):
            return None
        return kept["value"]

    def _removed_message(self, removed: Any) -> str:
        box = _box_word(removed)
        return (
            f"The {box} {'are' if box == 'boxes' else 'is'} empty, so no answer is saved. "
            "Your earlier answer "
            f"({self._describe(removed)}) is kept in your answer file: press '{PUT_BACK}' to "
            "bring it back."
        )

    def _offer_put_back(self, offer: bool) -> None:
        """Show the "Put back my answer" button (made the first time) or hide it."""
        if self.put_back_button is None:
            if not offer:
                return
            self.put_back_button = w.Button(
                description=PUT_BACK,
                icon="undo",
                tooltip="Put back the answer you removed by saving an empty box",
                layout=w.Layout(width="auto"),
            )
            self.put_back_button.on_click(lambda _b: self._guard(self.put_back))
            self._buttons.children = (*self._buttons.children, self.put_back_button)
        self.put_back_button.layout.display = None if offer else "none"

    def put_back(self) -> bool:
        """Put back, and record again, the answer that saving an empty box removed."""
        removed = self._removed(self.sheet.store.entry(self.qid))
        if removed is None:
            self._offer_put_back(False)
            self._say("There is no removed answer to put back.", ok=False)
            return False
        self._stop_waiting()
        self._loading = True  # one save, below, not one per key
        try:
            self.value = removed
        finally:
            self._loading = False
        return self.save()
