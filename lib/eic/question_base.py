"""The base of every worksheet question: a labelled input that records its answer.

A question is a box with its prompt (and any help) as one heading, an input, a "Save
answer" button, a "Check" button and one message line that says what last happened:
saved, loaded, or the result of a check. Each part is a widget the browser must draw when
the page opens, so a question holds no more of them than it shows. An answer is saved as
soon as it is committed (a choice clicked, a slider released, a field left) and again on
"Save answer"; "Check" saves, then runs the question's visible checks and shows the hint,
if any, for the answer given. An answer that says nothing (no option chosen, no place of a
ranking filled, an empty box) is not recorded where no answer is: Check and Save say what
is missing, and the answer file stays as it was. A typed answer emptied (all selected and
deleted, say) is not saved when the typing pauses, nor by Check: the answer recorded
stays, and the message line says so. Only "Save answer" on the empty box removes it, and
the answer file keeps the removed one, which a "Put back my answer" button then brings
back. Nothing here knows the right answer: that lives only in the hidden tests of the
instructor notebook. So where a complete answer may still be wrong (a number, several
ticks, a ranking), Check says plainly that it cannot tell. In self-study mode
(:mod:`eic.self_study`), a third button shows, once an answer is recorded, the model answer
and why from the trainer's guide.

The checks are plain functions of the value (``problems_with``), so they are tested
without a browser; the widgets only call them. The kinds of question are in :mod:`eic.questions`,
:mod:`eic.question_numbers`, :mod:`eic.question_texts` and :mod:`eic.question_groups` (on
:mod:`eic.slider_group`); how a typed number is read is in :mod:`eic.typed_numbers`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from IPython.display import display

from eic import self_study
from eic import widgets as w
from eic.answers import AnswerNotSaved, is_blank
from eic.grading import grading_mode, question_label, recorded_does_not_fit
from eic.typed_answers import KeepsTypedAnswers

if TYPE_CHECKING:
    from eic.worksheet import Worksheet

# What Check says of a complete answer for which no hint is written. Only where a complete
# answer is all that is graded (a self-assessment, a checklist) or where every wrong answer
# has its hint (a single choice) does "complete" mean the answer earns its points.
COMPLETE = "Saved and complete. It is graded when you submit the module."
CANNOT_TELL = (
    "Saved. Check can tell you only that your answer is complete, not whether it is right: "
    "this kind of answer is graded when you submit the module."
)

# The message line must be a live region for a screen reader to read out what Check or Save
# says. ipywidgets draws an HTML widget as a box that stays on the page and replaces only
# the content inside it, and it has no setting for an element's attributes; a live region
# must be on the page before its content changes. So the line's box carries the class
# "eic-feedback", and this style element, in the question's heading, marks that box
# role="status" aria-live="polite" once the browser has drawn the question (it tries again
# while the line is still to be drawn). Where no script runs, the line is simply not read.
_MARK_LIVE_REGION = (
    "var s=this,n=0;(function mark(){var q=s.closest('.eic-question'),"
    "m=q&&q.querySelector('.eic-feedback');if(m){m.setAttribute('role','status');"
    "m.setAttribute('aria-live','polite')}else if(n++<100){setTimeout(mark,50)}})()"
)
LIVE_REGION_MARKUP = f'<style class="eic-live-region" onload="{_MARK_LIVE_REGION}"></style>'


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Question(KeepsTypedAnswers):
    """Base class: a labelled input that records its answer and can be checked."""

    kind = "question"
    autosave = True
    # typed into (saved once the typing pauses), not chosen (saved at once)
    typed = False

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        *,
        hints: Mapping[Any, str] | None = None,
        help_text: str = "",
    ) -> None:
        self.sheet = sheet
        self.qid = qid
        self.prompt = prompt
        self.hints = dict(hints or {})
        heading = f"{LIVE_REGION_MARKUP}{w.NARROW_SCREEN_STYLE}<b>{html.escape(prompt)}</b>"
        if help_text:
            heading += f"<br><i>{html.escape(help_text)}</i>"
        self.label = w.HTML(heading)
        self.input = self._build_input()
        self.save_button = w.Button(
            description="Save answer",
            icon="save",
            button_style="primary",
            tooltip="Record this answer in your answer file",
        )
        self.check_button = w.Button(
            description="Check", icon="check", tooltip="Check that your answer is complete"
        )
        self.feedback = w.HTML()
        self.feedback.add_class("eic-feedback")  # made a live region: see LIVE_REGION_MARKUP
        buttons = w.HBox(
            [self.save_button, self.check_button, *self._extra_buttons()],
            layout={"flex_flow": "row wrap"},  # on a phone, a button that does not fit goes below
        )
        self.widget = w.VBox(
            [self.label, self.input, buttons, self.feedback],
            layout={"border": "1px solid #bbb", "padding": "8px", "margin": "8px 0"},
        )
        self.widget.add_class("eic-question")
        self.widget.add_class(f"eic-q-{qid}")
        self._listeners: list[Callable[[Any], None]] = []
        self._loading = False
        self._pause: asyncio.TimerHandle | None = None
        self._buttons = buttons
        self.put_back_button: w.Button | None = None  # made when first needed
        self._load_recorded()
        self.save_button.on_click(lambda _b: self._guard(self.save))
        self.check_button.on_click(lambda _b: self._guard(self.check))
        if self.autosave:
            changed = self._typed_change if self.typed else self._autosave
            self._watch(lambda _change: self._guard(changed))
        # self-study only: "Show the answer and why", once an answer is recorded
        self.answer_and_why = self_study.attach(self, buttons)

    def _style(self, css: str) -> None:
        """Give the question a style rule. It travels in the question's own heading, so it
        applies wherever the question is shown: in JupyterLab as in the app."""
        self.label.value = f"<style>{css}</style>" + self.label.value

    # -- to be provided by each kind ---------------------------------------------------
    def _build_input(self) -> w.Widget:
        raise NotImplementedError

    def _extra_buttons(self) -> list[w.Button]:
        """Buttons a kind shows after "Save answer" and "Check" (none by default)."""
        return []

    def _watch(self, callback: Callable[[Any], None]) -> None:
        self.input.observe(callback, names="value")

    @property
    def value(self) -> Any:
        return self.input.value

    @value.setter
    def value(self, new: Any) -> None:
        self.input.value = new

    def problems_with(self, value: Any) -> list[str]:
        """Visible checks: what is missing or malformed in ``value`` (empty when fine)."""
        return ["not answered yet"] if value in (None, "", [], {}) else []

    def summary(self, value: Any) -> str:
        return str(value)

    def _complete_message(self) -> str:
        """What Check says of a complete answer that no hint fits. Nothing here knows the
        right answer, so by default it says that it cannot tell right from wrong."""
        if getattr(self, "answer_and_why", None) is not None:  # self-study: one click away
            return f"{CANNOT_TELL} On your own, press '{self_study.BUTTON}' to compare."
        return CANNOT_TELL

    # -- behaviour ---------------------------------------------------------------------
    def on_saved(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(value)`` each time this answer is recorded."""
        self._listeners.append(callback)

    def recorded(self) -> Any:
        return self.sheet.store.value(self.qid)

    def save(self) -> bool:
        """Record the current answer; return whether it was recorded. It is not (and the
        message line says why) where it cannot be read, or where it says nothing and no
        answer is recorded to replace (:meth:`_unanswered`)."""
        self._stop_waiting()
        if self._unanswered() is not None:
            return False
        try:
            value = self.value
        except ValueError as err:
            self._say(html.escape(self._not_read(str(err)), quote=False), ok=False)
            return False
        details = self.record_details()
        # a draft (a reflection too short, a ranking half done) is kept, and marked so
        # that the course home and the trainer's progress do not count it as answered
        problems = self.problems_with(value)
        if problems:
            details["incomplete"] = "; ".join(problems)
        self.sheet.store.record(self.qid, value, kind=self.kind, question=self.prompt, **details)
        saved = self._saved_as(value)
        removed = None
        if self.typed and is_blank(value):  # did it replace an answer? the file says
            removed = self._removed(self.sheet.store.entry(self.qid))
        self._offer_put_back(removed is not None)
        if removed is not None:  # "Save answer" on an empty box: the file keeps what it was
            self._say(html.escape(self._removed_message(removed), quote=False), ok=False)
        elif problems:  # said at once, not only when Check is pressed
            text = f"Saved{saved}, not complete yet: {'; '.join(problems)}."
            self._say(html.escape(text), ok=False)
        else:
            self._say(f"&#10003; saved{html.escape(saved)}", ok=True)
        for listener in self._listeners:
            self._guard(lambda listener=listener: listener(value))
        return True

    def _saved_as(self, value: Any) -> str:
        """How the saved answer was read, where that may not be what was typed (a number:
        " as 1,650 USD"); "" for answers chosen, not typed."""
        return ""

    def _unanswered(self) -> list[str] | None:
        """Where the input says nothing (:func:`eic.answers.is_blank`) and no answer is
        recorded, or only one that says nothing too: say what is missing and return it, for
        nothing is recorded (Check or Save pressed before answering is not an answer).
        Otherwise None: the input is to be saved (or cannot be read, which save says)."""
        try:
            value = self.value
        except ValueError:
            return None
        if not is_blank(value):
            return None
        entry = self.sheet.store.entry(self.qid)
        if entry is not None and not is_blank(entry["value"]):
            return None  # an answer given before: emptying it is a change to record
        problems = self.problems_with(value) or ["not answered yet"]
        removed = self._removed(entry) if self.typed else None
        self._offer_put_back(removed is not None)
        if removed is not None:  # removed with "Save answer" before: still there to put back
            self._say(html.escape(self._removed_message(removed), quote=False), ok=False)
        else:
            missing = "; ".join(problems)
            text = f"Not complete yet: {missing}. No answer is saved until you give one."
            self._say(html.escape(text), ok=False)
        return problems

    def record_details(self) -> dict[str, Any]:
        """What is kept beside the answer, besides its kind and question (a number's unit)."""
        return {}

    def _show_recorded(self, entry: dict[str, Any]) -> None:
        """Put a recorded answer (its entry in the answer file) back into the input."""
        self.value = entry["value"]

    def check(self) -> list[str]:
        """Save, then run the visible checks; show and return the messages. An emptied typed
        answer is not saved: Check says that the recorded one is kept. An answer that says
        nothing, where none is recorded, is not saved either: Check says what is missing."""
        kept = self._blank_over_recorded()
        if kept is not None:
            return [self._say_kept(kept)]
        unanswered = self._unanswered()
        if unanswered is not None:
            return unanswered
        if not self.save():
            return [self.feedback.value]
        value = self.recorded()
        problems = self.problems_with(value)
        if problems:
            self._say("Not complete yet: " + "; ".join(problems) + ".", ok=False)
            return problems
        hint = self._hint_for(value)
        if hint:
            self._say(f"Saved. Think again: {hint}", ok=False)
            return [hint]
        self._say(self._complete_message(), ok=True)
        return []

    def record(self, value: Any) -> None:
        """Set and record an answer in code (used for the model answers)."""
        self.value = value
        if not self.save():
            raise ValueError(self.feedback.value)

    def _hint_for(self, value: Any) -> str:
        """The hint written for this exact answer, if any."""
        return self.hints.get(value, "") if isinstance(value, str | int | float) else ""

    @contextlib.contextmanager
    def _one_change(self) -> Iterator[None]:
        """Set several widgets of a group as one change: one save at the end, not one each."""
        was, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = was
        self._guard(self._autosave)

    def _autosave(self) -> None:
        if not self._loading:
            self.save()

    def _load_recorded(self) -> None:
        entry = self.sheet.store.entry(self.qid)
        if entry is None:
            return
        self._loading = True
        try:
            self._show_recorded(entry)
            removed = self._removed(entry) if self.typed else None
            self._offer_put_back(removed is not None)
            if removed is not None:
                self._say(html.escape(self._removed_message(removed), quote=False), ok=False)
            elif not is_blank(entry["value"]):  # a blank entry (an older file's) is no answer
                problems = self.problems_with(entry["value"])
                if problems:  # a draft: loaded, and still to finish
                    text = f"Answer loaded, not complete yet: {'; '.join(problems)}."
                    self._say(html.escape(text), ok=False)
                else:
                    self._say("&#10003; answer loaded", ok=True)
        except Exception:  # a hand-edited or outdated entry: say so, keep it on file
            recorded_does_not_fit(self.sheet.module, self.qid, entry["value"])
            self._say(
                f"Your recorded answer ({html.escape(str(entry['value']))[:80]}) does not fit "
                "this question any more; answer again to replace it.",
                ok=False,
            )
        finally:
            self._loading = False

    def _guard(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except AnswerNotSaved as err:  # a folder or file to fix: the message says so
            self._say(html.escape(str(err)), ok=False)
        except Exception as err:  # never let a click end in a traceback
            self._say(
                f"Something went wrong: {html.escape(str(err))}. Your earlier answers "
                "are unchanged; try again or tell your trainer.",
                ok=False,
            )
            self.sheet.log.append(traceback.format_exc())

    def _not_read(self, message: str) -> str:
        """``message`` (why the answer typed cannot be read), and which answer is recorded
        instead: a participant who leaves believing the new one was taken is graded on it."""
        recorded = self.recorded()
        if is_blank(recorded):
            return message
        return f"{message} Your saved answer ({self._describe(recorded)}) is kept."

    def _say(self, text: str, *, ok: bool) -> None:
        colour = "#1a7f37" if ok else "#9a3412"
        self.feedback.value = f"<span style='color:{colour}'>{text}</span>"

    # -- display -----------------------------------------------------------------------
    def _ipython_display_(self) -> None:
        if grading_mode():
            value = self.recorded()
            shown = "not answered" if value is None else self.summary(value)
            # as the feedback page names it ("Question 1"), not by its id in the code
            name = question_label(self.qid).removeprefix("The ").capitalize()
            kind = "" if self.kind == name.lower() else f" ({self.kind})"
            print(f"{name}{kind}: {shown}")
        else:
            display(self.widget)
