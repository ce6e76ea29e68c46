"""What happens to a typed answer: it is saved when the typing pauses, and the answer
recorded is kept when its box is emptied.

A number, a short text or a reflection is sent to the kernel as it is typed and saved
once the typing pauses for :data:`TYPING_PAUSE` seconds, not at each key; an answer still
waiting for its pause is saved at once when the kernel stops (:func:`save_pending`).

A participant who selects a reflection and deletes it, or clears a box to start again,
must not lose the answer recorded: a save made by itself (the pause after typing, the page
closing) or by Check leaves it as it is, and the question's message line says so. Only
"Save answer" on the empty box removes it; the answer file keeps the removed answer
(:data:`eic.answers.PREVIOUS`), and a "Put back my answer" button, made when first
needed, brings it back. :class:`KeepsTypedAnswers` holds these steps for
:class:`eic.question_base.Question`.
"""

from __future__ import annotations

import asyncio
import atexit
import html
import weakref
from collections.abc import Mapping
from typing import Any

from eic import widgets as w
from eic.answers import PREVIOUS, is_blank

# A typed answer (a number, a short text, a reflection) is sent to the kernel as it is typed
# and saved once the typing pauses for this many seconds, not at each key.
TYPING_PAUSE = 1.0
TYPING = "<span style='color:#595959'>typing&hellip; saved when you pause</span>"
# questions typed into whose save waits for the pause: saved at once by save_pending
_PENDING: weakref.WeakSet = weakref.WeakSet()


def save_pending() -> int:
    """Save at once every typed answer still waiting for its pause; how many there were.
    The kernel runs it as it exits, and the course's kernel manager asks for it before it
    stops a kernel (:mod:`eic.kernels`), so closing a page just after typing loses nothing."""
    waiting = list(_PENDING)
    for question in waiting:
        question._typing_paused()
    return len(waiting)


atexit.register(save_pending)

# the button, shown only once "Save answer" on an empty box has removed a typed answer
PUT_BACK = "Put back my answer"


def _box_word(answer: Any) -> str:
    """What a typed answer is typed into: "boxes" for one in several parts, else "box"."""
    return "boxes" if isinstance(answer, Mapping) else "box"


class KeepsTypedAnswers:
    """The typing and empty-box steps of a question; the question gives ``typed``,
    ``value``, ``recorded``, ``summary``, ``save``, ``_say``, ``_guard``, ``_loading``,
    ``_pause``, its ``sheet``, ``qid``, ``feedback``, ``_buttons`` and ``put_back_button``."""

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

    def _typed_change(self) -> None:
        """A key typed: save once the typing pauses (at once where no event loop runs: in
        a script, or a test)."""
        if self._loading:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._save_typed()
            return
        self._stop_waiting()
        self._pause = loop.call_later(TYPING_PAUSE, self._typing_paused)
        _PENDING.add(self)
        self.feedback.value = TYPING

    def _typing_paused(self) -> None:
        self._stop_waiting()
        self._guard(self._save_typed)

    def _save_typed(self) -> None:
        """Save a typed answer automatically (the typing paused, the page is closing), unless
        the input is now empty and an answer is recorded: that answer is kept, and the
        message line says so and how to remove it."""
        self._stop_waiting()
        kept = self._blank_over_recorded()
        if kept is None:
            self.save()
        else:
            self._say_kept(kept)

    def _stop_waiting(self) -> None:
        if self._pause is not None:
            self._pause.cancel()
            self._pause = None
        _PENDING.discard(self)
