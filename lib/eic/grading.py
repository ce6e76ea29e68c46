"""Checks used in the test cells of the module notebooks.

A test cell reads the module's answer file and checks one question, for example::

    from eic.grading import answered, assert_choice
    answered("m01", "q1_foundation")            # visible: the question has an answer
    ### BEGIN HIDDEN TESTS
    assert_choice("m01", "q1_foundation", "...")  # hidden: the answer is right
    ### END HIDDEN TESTS

How a failed check behaves depends on where the notebook runs:

- under nbgrader (``NBGRADER_EXECUTION`` is set, or inside :func:`verifying`) it raises
  ``AssertionError``, so the cell scores nothing;
- in JupyterLab it shows one line saying what is missing and does not raise, so "Run All"
  goes on to the end; :func:`answered` shows a line that changes to "answer recorded" as
  soon as the question's answer is saved (and back if it is taken away), and that says the
  answer can no longer be saved once the kernel has been restarted;
- in Voila it prints nothing.

Hidden checks never put the expected answer in their message. Only the standard library
is used, so a grader can import this module without a display or widgets (the line that
:func:`answered` shows in JupyterLab imports them when it is first shown).
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from eic.answers import AnswerStore, active_store, is_blank, on_answer_change

_VERIFY_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "eic_verify_dir", default=None
)


@contextlib.contextmanager
def verifying(directory: Path | str) -> Iterator[None]:
    """Run checks strictly against the answer files in ``directory``.

    Used by the autograder's verification step, outside the participant's kernel:
    nothing a participant's code changed in the kernel or its environment applies here.
    """
    token = _VERIFY_DIR.set(Path(directory))
    try:
        yield
    finally:
        _VERIFY_DIR.reset(token)


def grading_mode() -> bool:
    """True under nbgrader (autograde, validate) and inside :func:`verifying`."""
    return _VERIFY_DIR.get() is not None or bool(os.environ.get("NBGRADER_EXECUTION"))


def in_voila() -> bool:
    """True in a kernel started by Voila."""
    return any(key in os.environ for key in ("VOILA_APP_PORT", "VOILA_BASE_URL", "VOILA_KERNEL_ID"))


def _store(module: str) -> AnswerStore:
    directory = _VERIFY_DIR.get()
    if directory is not None:
        return AnswerStore.for_module(module, directory)
    return active_store(module)


def _fail(message: str) -> None:
    if grading_mode():
        raise AssertionError(message)
    if not in_voila():
        print(message)


def question_label(qid: str) -> str:
    """How a question is named to a participant or a trainer: 'q4_eco_towns' -> 'Question 4',
    'r1_reflection' -> 'The reflection'; ids without a number keep their name."""
    number = re.match(r"[a-z]*?(\d+)_", qid)
    if number and qid.startswith("q"):
        return f"Question {int(number.group(1))}"
    if number and qid.startswith("r"):
        return "The reflection"
    return f"Question '{qid}'"


def _recorded(module: str, qid: str) -> tuple[bool, Any]:
    entry = _store(module).entry(qid)
    if entry is None:
        return False, None
    return True, entry["value"]


# answers on file that their question, shown in this kernel, could not show (the question
# changed since they were given), by (module, question): the value as the file holds it
_NOT_FITTING: dict[tuple[str, str], Any] = {}
_NONE = object()


def recorded_does_not_fit(module: str, qid: str, value: Any) -> None:
    """The question ``qid`` could not show its recorded answer ``value``, as the question
    changed since: the line under it says so, not "answer recorded", until it is answered
    again. The answer stays on file. Under nbgrader nothing changes: the answer is graded as
    it is, and the feedback says whether it is the expected one."""
    if grading_mode():
        return
    _NOT_FITTING[(module, qid)] = value
    line = _STATUS_LINES.get((module, qid))
    if line is not None:
        line.value = _status_html(_answered_status(module, qid)[1])


def _answered_status(module: str, qid: str) -> tuple[bool, str]:
    """Whether the question has a recorded, non-empty answer, and the line that says so."""
    entry = _store(module).entry(qid)
    if entry is None or is_blank(entry["value"]):
        return False, (
            f"{question_label(qid)}: not answered yet. Answer it with the widget above "
            "and press Save answer."
        )
    if _NOT_FITTING.get((module, qid), _NONE) == entry["value"]:
        return False, (
            f"{question_label(qid)}: your earlier answer does not fit this question any more (the "
            "question has changed). Answer it again with the widget above."
        )
    if entry.get("incomplete"):  # a draft: kept, and the line says what is still missing
        return True, f"{question_label(qid)}: saved, not complete yet: {entry['incomplete']}."
    return True, f"{question_label(qid)}: answer recorded."


def answered(module: str, qid: str) -> None:
    """Visible check: the question has a recorded, non-empty answer.

    In JupyterLab the line it shows stays true while the participant works: it changes as
    soon as the answer is saved (:func:`_show_status`)."""
    done, message = _answered_status(module, qid)
    if grading_mode():
        if not done:
            raise AssertionError(message)
    elif in_voila():
        return
    elif _in_kernel():
        _show_status(module, qid, message)
    else:
        print(message)


# -- the status line under a question, in JupyterLab ----------------------------------------
# ipywidgets marks a widget whose kernel has gone (restarted or stopped) with this class; the
# style below then shows the status line's second sentence in place of the first
RESTARTED = (
    "The notebook's kernel was restarted, so this answer can no longer be saved here: "
    "run the page again (Run → Run All Cells)."
)
_STATUS_STYLE = (
    "<style>.eic-status-restarted{display:none;color:#a1260d}"
    ".jupyter-widgets-disconnected .eic-status-restarted{display:inline}"
    ".jupyter-widgets-disconnected .eic-status-now{display:none}</style>"
)
# the line shown under each question in this kernel, by (module, question): the last one
_STATUS_LINES: dict[tuple[str, str], Any] = {}


def _in_kernel() -> bool:
    """True in a Jupyter kernel (JupyterLab, Voila, nbclient), not in a plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def shown_when_restarted(message: str) -> str:
    """HTML for a widget that shows ``message`` only once the kernel behind the page's
    widgets has gone (restarted or stopped: ipywidgets then marks each view disconnected),
    and nothing before."""
    return f"{_STATUS_STYLE}<span class='eic-status-restarted'>{html.escape(message)}</span>"


def _status_html(message: str) -> str:
    return (
        f"{_STATUS_STYLE}<span class='eic-status-now'>{html.escape(message)}</span>"
        f"<span class='eic-status-restarted'>{html.escape(RESTARTED)}</span>"
    )


def _show_status(module: str, qid: str, message: str) -> None:
    """Show ``message`` as a line that is updated each time the question's answer is
    recorded or taken away. Its plain-text form (what a notebook viewer shows) is the
    message as it was first shown."""
    from IPython.display import display

    from eic.widgets import HTML

    line = HTML(_status_html(message))
    line.add_class(f"eic-status-{qid}")
    _STATUS_LINES[(module, qid)] = line
    on_answer_change(_update_status)
    display({**line._repr_mimebundle_(), "text/plain": message}, raw=True)


def _update_status(store: AnswerStore, qid: str) -> None:
    """An answer was recorded or taken away: the line under its question says so."""
    line = _STATUS_LINES.get((store.module, qid))
    if line is not None:
        line.value = _status_html(_answered_status(store.module, qid)[1])


def _normal(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _expect(passed: bool, qid: str) -> None:
    if not passed:
        _fail(f"{question_label(qid)}: the recorded answer is not the expected one.")


def assert_choice(module: str, qid: str, expected: str) -> None:
    """Hidden check: a single-choice answer equals ``expected`` (case and spaces ignored)."""
    _, value = _recorded(module, qid)
    _expect(isinstance(value, str) and _normal(value) == _normal(expected), qid)


def assert_choices(module: str, qid: str, expected: Iterable[str]) -> None:
    """Hidden check: a multiple-choice answer selects exactly the ``expected`` options."""
    _, value = _recorded(module, qid)
    passed = (
        isinstance(value, list)
        and all(isinstance(v, str) for v in value)
        and len({_normal(v) for v in value}) == len(value)
        and {_normal(v) for v in value} == {_normal(e) for e in expected}
    )
    _expect(passed, qid)


def assert_number(
    module: str, qid: str, expected: float, *, abs_tol: float = 0.0, rel_tol: float = 0.0
) -> None:
    """Hidden check: a number answer is within the tolerance of ``expected``."""
    _, value = _recorded(module, qid)
    passed = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and math.isclose(value, expected, abs_tol=abs_tol, rel_tol=rel_tol)
    )
    _expect(passed, qid)


def assert_ranking(module: str, qid: str, expected: Iterable[str]) -> None:
    """Hidden check: a ranking lists the items in exactly the ``expected`` order."""
    _, value = _recorded(module, qid)
    passed = isinstance(value, list) and [_normal(v) for v in value] == [
        _normal(e) for e in expected
    ]
    _expect(passed, qid)


def assert_text(module: str, qid: str, accepted: Iterable[str]) -> None:
    """Hidden check: a short text answer is one of the ``accepted`` ones (case and spaces
    ignored)."""
    _, value = _recorded(module, qid)
    _expect(isinstance(value, str) and _normal(value) in {_normal(a) for a in accepted}, qid)


def assert_ratings(module: str, qid: str, keys: Iterable[str], *, low: float, high: float) -> None:
    """Check that a group of ratings rates every key with a number within [low, high]."""
    _, value = _recorded(module, qid)
    if not isinstance(value, Mapping):
        _fail(f"{question_label(qid)}: not answered yet. Rate every item and press Save answer.")
        return
    missing = [k for k in keys if k not in value]
    if missing:
        _fail(f"{question_label(qid)}: not rated yet: {', '.join(missing)}.")
        return
    for key, rating in value.items():
        if (
            isinstance(rating, bool)
            or not isinstance(rating, int | float)
            or not (low <= rating <= high)
        ):
            _fail(
                f"{question_label(qid)}: the rating of '{key}' must be between {low:g} and "
                f"{high:g}."
            )
            return


# Saaty's random index for n = 1..10, the classic table (the same as eic.ahp.RANDOM_INDEX;
# a test checks that they agree). Kept here so grading needs only the standard library.
_RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


def consistency_ratio(criteria: list[str], judgements: Mapping[str, float]) -> float:
    """Saaty's consistency ratio of pairwise judgements {"A vs B": a_AB}, by power iteration.

    >>> round(consistency_ratio(["A", "B", "C"], {"A vs B": 2, "A vs C": 4, "B vs C": 2}), 6)
    0.0
    """
    n = len(criteria)
    if n <= 2:
        return 0.0
    matrix = [[1.0] * n for _ in range(n)]
    for i, a in enumerate(criteria):
        for j in range(i + 1, n):
            value = float(judgements[f"{a} vs {criteria[j]}"])
            matrix[i][j], matrix[j][i] = value, 1 / value
    weights = [1 / n] * n
    for _ in range(200):
        product = [sum(row[j] * weights[j] for j in range(n)) for row in matrix]
        total = sum(product)
        weights = [p / total for p in product]
    product = [sum(row[j] * weights[j] for j in range(n)) for row in matrix]
    lambda_max = sum(product[i] / weights[i] for i in range(n)) / n
    return ((lambda_max - n) / (n - 1)) / _RANDOM_INDEX[n - 1]


def assert_consistent_judgements(
    module: str, qid: str, criteria: Iterable[str], *, max_cr: float = 0.10
) -> None:
    """Check that every pair of ``criteria`` is judged (1/9 to 9) and that the judgements
    are consistent enough: consistency ratio at most ``max_cr``."""
    criteria = list(criteria)
    _, value = _recorded(module, qid)
    if not isinstance(value, Mapping):
        _fail(f"{question_label(qid)}: not answered yet. Judge every pair and press Save answer.")
        return
    keys = [f"{a} vs {b}" for i, a in enumerate(criteria) for b in criteria[i + 1 :]]
    missing = [k for k in keys if k not in value]
    bad = [
        k
        for k in keys
        if k in value
        and (
            isinstance(value[k], bool)
            or not isinstance(value[k], int | float)
            or not 1 / 9.001 < value[k] < 9.001
        )
    ]
    if missing or bad:
        _fail(f"{question_label(qid)}: judge every pair from 1/9 to 9: {', '.join(missing + bad)}.")
        return
    ratio = consistency_ratio(criteria, value)
    if ratio > max_cr:
        _fail(
            f"{question_label(qid)}: the judgements contradict each other (consistency ratio "
            f"{ratio:.2f}, above {max_cr:.2f}); change the judgement you trust least (the "
            "sentence under the chart shows what each would need to be)."
        )


def assert_checklist(module: str, qid: str, items: Iterable[str], options: Iterable[str]) -> None:
    """Check that every item of a checklist is answered with one of ``options``."""
    items, options = list(items), list(options)
    _, value = _recorded(module, qid)
    if not isinstance(value, Mapping):
        _fail(f"{question_label(qid)}: not answered yet. Answer every item and press Save answer.")
        return
    left = [item for item in items if value.get(item) not in options]
    if left:
        _fail(
            f"{question_label(qid)}: {len(left)} item(s) not answered yet, starting with: {left[0]}"
        )


def assert_texts(module: str, qid: str, fields: Iterable[str]) -> None:
    """Check that every part of a group of texts (e.g. a SWOT) has at least one point."""
    _, value = _recorded(module, qid)
    if not isinstance(value, Mapping):
        _fail(f"{question_label(qid)}: not answered yet. Write in each box and press Save answer.")
        return
    empty = [name for name in fields if not str(value.get(name, "")).strip()]
    if empty:
        _fail(f"{question_label(qid)}: nothing written yet under: {', '.join(empty)}.")
