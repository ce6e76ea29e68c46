"""Typed answers: a short text on one line, and a reflection of a set length.

A reflection is read and graded by a trainer (nbgrader shows its recorded text in the
cell's output, in formgrader); Check can judge only its length, and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from IPython.display import Markdown, display

from eic import widgets as w
from eic.grading import grading_mode
from eic.question_base import Question

if TYPE_CHECKING:
    from eic.worksheet import Worksheet


class _TextQuestion(Question):
    """A typed answer, saved once the typing pauses; surrounding spaces are not recorded.
    A box emptied is not saved automatically over a recorded answer (see
    :mod:`eic.question_base`): only "Save answer" on the empty box removes it."""

    typed = True

    @property
    def value(self) -> str:
        return self.input.value.strip()

    @value.setter
    def value(self, new: str) -> None:
        if not isinstance(new, str):
            raise ValueError(f"{new!r} is not text")
        self.input.value = new

    def _describe(self, value: Any) -> str:
        words = len(str(value).split())
        return f"{words} word{'' if words == 1 else 's'}"


class ShortText(_TextQuestion):
    """A short typed answer on one line: a name, a term, a figure with its unit."""

    kind = "short text"

    def __init__(
        self, sheet: Worksheet, qid: str, prompt: str, *, max_words: int = 12, **kwargs: Any
    ) -> None:
        self.max_words = max_words
        super().__init__(sheet, qid, prompt, **kwargs)

    def _build_input(self) -> w.Widget:
        return w.Text(
            placeholder="Type your answer",
            continuous_update=True,
            description="Answer",
            style={"description_width": "initial"},
            layout={"width": "80%"},
        )

    def problems_with(self, value: Any) -> list[str]:
        words = len(str(value or "").split())
        if words == 0:
            return ["type your answer"]
        if words > self.max_words:
            return [f"{words} words; keep it to at most {self.max_words}"]
        return []

    def _describe(self, value: Any) -> str:
        """A short answer as typed ('Kalundborg'); its length where it is too long to quote."""
        text = " ".join(str(value).split())
        return f"'{text}'" if len(text) <= 60 else super()._describe(value)

    def _hint_for(self, value: Any) -> str:
        """The hint for this answer, ignoring case and spaces."""
        wanted = " ".join(str(value).split()).casefold()
        return next(
            (
                hint
                for key, hint in self.hints.items()
                if " ".join(str(key).split()).casefold() == wanted
            ),
            "",
        )


class Reflection(_TextQuestion):
    kind = "reflection"

    def __init__(
        self,
        sheet: Worksheet,
        qid: str,
        prompt: str,
        *,
        min_words: int = 50,
        max_words: int = 300,
        **kwargs: Any,
    ) -> None:
        self.min_words, self.max_words = min_words, max_words
        super().__init__(
            sheet,
            qid,
            prompt,
            help_text=kwargs.pop(
                "help_text",
                f"Write {min_words} to {max_words} words. In a class, your trainer reads and "
                "grades it; on your own, compare it with the 'A good answer' guidance above.",
            ),
            **kwargs,
        )

    def _build_input(self) -> w.Widget:
        return w.Textarea(
            placeholder="Write your answer here",
            continuous_update=True,
            description="Answer",
            style={"description_width": "initial"},
            layout={"width": "100%", "height": "10em"},
        )

    def problems_with(self, value: Any) -> list[str]:
        words = len(str(value or "").split())
        if words == 0:
            return ["write your reflection"]
        if words < self.min_words:
            return [f"{words} words so far; write at least {self.min_words}"]
        if words > self.max_words:
            return [f"{words} words; shorten it to at most {self.max_words}"]
        return []

    def _complete_message(self) -> str:
        return (
            "Saved and complete: its length is right. Check cannot judge what you wrote: in a "
            "class, your trainer reads and grades it; on your own, compare it with the "
            "'A good answer' guidance above."
        )

    def _ipython_display_(self) -> None:
        if grading_mode():
            text = self.recorded() or ""
            words = len(text.split())
            quoted = "\n".join("> " + line for line in text.splitlines()) or "> (no answer)"
            display(
                Markdown(f"**{self.prompt}**\n\nRecorded reflection ({words} words):\n\n{quoted}")
            )
        else:
            display(self.widget)


__all__ = ["Reflection", "ShortText"]
