"""A module's worksheet: the questions of one notebook and the answer file they share.

In a notebook::

    from eic.worksheet import Worksheet
    ws = Worksheet("m01")
    q1 = ws.single_choice("q1_foundation", "Which of these is not a foundation?", [...])
    q1            # shows the question; its answer is recorded to m01-answers.json

Under nbgrader nothing is drawn: each question prints its recorded answer as text, so the
run never waits for a browser and a trainer can read the answers in formgrader.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from IPython.display import display

from eic import widgets as w
from eic.answers import AnswerStore, activate
from eic.classroom import participant_label
from eic.grading import grading_mode, in_voila
from eic.question_groups import Checklist, Pairwise, Ratings, Texts
from eic.question_numbers import Number, Slider
from eic.question_texts import Reflection, ShortText
from eic.questions import MultipleChoice, Question, Ranking, SingleChoice


class Worksheet:
    """The questions of one module and the answer file they record to.

    The instructor notebook (the copy in the course's ``source/`` folder) records its model
    answers to a separate file, ``mNN-answers.model.json``, which nbgrader never copies
    into a release or a submission; ``model_answers`` overrides that choice.
    """

    def __init__(
        self,
        module: str,
        directory: Path | str | None = None,
        *,
        model_answers: bool | None = None,
    ) -> None:
        self.module = module
        folder = Path.cwd() if directory is None else Path(directory)
        if model_answers is None:
            model_answers = is_instructor_folder(folder)
        self.store = activate(AnswerStore.for_module(module, folder, model=model_answers))
        self.questions: dict[str, Question] = {}
        self.log: list[str] = []
        report = self.store.load()
        self.notice = self.store.describe_problems(report, graded=grading_mode())
        if self.notice:
            self._warn(self.notice)
        # a class served from one machine: say whose folder the answers go to
        self.owner = participant_label(folder)
        if self.owner and not grading_mode() and _has_frontend():
            display(
                w.HTML(
                    f"<p class='eic-owner'>Your answers are saved for <b>"
                    f"{html.escape(self.owner)}</b>.</p>"
                )
            )

    def _warn(self, text: str) -> None:
        if grading_mode() or not _has_frontend():
            print("Warning: " + text)
        else:
            display(
                w.HTML(
                    f"<div style='border:2px solid #9a3412;padding:6px'>"
                    f"&#9888; {html.escape(text)}</div>"
                )
            )

    def _add(self, question: Question) -> Question:
        if question.qid in self.questions:
            raise ValueError(f"question id '{question.qid}' is used twice in {self.module}")
        self.questions[question.qid] = question
        return question

    # -- question kinds -----------------------------------------------------------------
    def single_choice(
        self, qid: str, prompt: str, options: Sequence[str], **kw: Any
    ) -> SingleChoice:
        return self._add(SingleChoice(self, qid, prompt, options, **kw))

    def multiple_choice(
        self, qid: str, prompt: str, options: Sequence[str], **kw: Any
    ) -> MultipleChoice:
        return self._add(MultipleChoice(self, qid, prompt, options, **kw))

    def number(self, qid: str, prompt: str, *, unit: str, **kw: Any) -> Number:
        return self._add(Number(self, qid, prompt, unit=unit, **kw))

    def slider(self, qid: str, prompt: str, *, low: float, high: float, **kw: Any) -> Slider:
        return self._add(Slider(self, qid, prompt, low=low, high=high, **kw))

    def ranking(self, qid: str, prompt: str, items: Sequence[str], **kw: Any) -> Ranking:
        return self._add(Ranking(self, qid, prompt, items, **kw))

    def short_text(self, qid: str, prompt: str, **kw: Any) -> ShortText:
        return self._add(ShortText(self, qid, prompt, **kw))

    def reflection(self, qid: str, prompt: str, **kw: Any) -> Reflection:
        return self._add(Reflection(self, qid, prompt, **kw))

    def ratings(self, qid: str, prompt: str, items: Sequence[str], **kw: Any) -> Ratings:
        return self._add(Ratings(self, qid, prompt, items, **kw))

    def pairwise(self, qid: str, prompt: str, criteria: Sequence[str], **kw: Any) -> Pairwise:
        return self._add(Pairwise(self, qid, prompt, criteria, **kw))

    def checklist(self, qid: str, prompt: str, items: Sequence[str], **kw: Any) -> Checklist:
        return self._add(Checklist(self, qid, prompt, items, **kw))

    def texts(self, qid: str, prompt: str, fields: Sequence[str], **kw: Any) -> Texts:
        return self._add(Texts(self, qid, prompt, fields, **kw))

    # -- progress -----------------------------------------------------------------------
    def progress(self) -> tuple[int, int]:
        """(questions with a complete recorded answer, questions on this worksheet)."""
        answers = self.store.answers()
        done = sum(
            1
            for qid, q in self.questions.items()
            if qid in answers and not q.problems_with(answers[qid]["value"])
        )
        return done, len(self.questions)


def _has_frontend() -> bool:
    """True where widgets can be drawn: a kernel with a connected front end or Voila."""
    if in_voila():
        return True
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def is_instructor_folder(folder: Path) -> bool:
    """True for a module folder in the ``source/`` folder of an nbgrader course directory."""
    folder = folder.resolve()
    return (
        folder.parent.name == "source" and (folder.parent.parent / "nbgrader_config.py").is_file()
    )
