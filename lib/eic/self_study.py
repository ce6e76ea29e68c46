"""Self-study: after a try, each question can show its model answer and why it is right.

A self-learner has no trainer and no hidden tests, only **Check**, which cannot tell a
right number, set of ticks or order from a wrong one. So in self-study mode every worksheet
question gets a third button, "Show the answer and why". It stays disabled until a
complete answer is on record (try first); then it shows, under the question, that
question's bullet from the section "## Why the model answers are right" of the trainer's
guide (``course/guide/mNN-*.md``). A reflection shows its bullet, if the guide has one,
and the guide's "What to look for" guidance for it.

Self-study mode is on where the environment variable ``EIC_SELF_STUDY`` is ``1``, and never
under nbgrader (:func:`eic.grading.grading_mode`). Binder turns it on (``binder/start``);
on a laptop ``EIC_SELF_STUDY=1 bash scripts/start.sh`` does. In a class it is off: no
button, and no word of the guide is sent to the page.

A bullet is found by its label: ``**Q2.**`` is question 2 (the worksheet's ``q2_...``),
``**Q3 and Q4.**`` is questions 3 and 4, ``**Reflection.**`` or ``**Q7 and the
reflection**`` names the reflection. A label that ends with a full stop stands apart and is
left out; one without (``**Q1, Q6, Q7 and Q8** have no single right answer``) is the subject
of its sentence and is kept.

>>> question_key("q2_lq_textiles", "2. From the table above ...")
'Q2'
>>> markdown_to_html("**Q1.** 6 < 7 *and* 7 > 6")
'<b>Q1.</b> 6 &lt; 7 <i>and</i> 7 &gt; 6'
"""

from __future__ import annotations

import html
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eic import widgets as w
from eic.grading import grading_mode

if TYPE_CHECKING:
    from eic.question_base import Question

ENVIRONMENT_VARIABLE = "EIC_SELF_STUDY"
SECTION = "## Why the model answers are right"
REFLECTION = "reflection"
BUTTON = "Show the answer and why"
TRY_FIRST = "Answer first: once a complete answer is recorded, this shows the model answer and why"
NOT_AVAILABLE = (
    "The explanations are not available here: they come from the trainer's guide "
    "(the folder course/guide of the course), which this copy of the course does not have."
)
NO_BULLET = "The trainer's guide has no explanation for this question."

_LABEL = re.compile(r"^- \*\*(?P<label>[^*]+)\*\*\s*(?P<rest>.*)$")
_LABEL_NUMBERS = re.compile(r"Q(\d+)(?:\s*(?:–|-|to)\s*Q?(\d+))?")
_QID_NUMBER = re.compile(r"^[qQ](\d+)(?:_|$)")
_PROMPT_NUMBER = re.compile(r"^\s*(\d+)[.)]\s")


def enabled() -> bool:
    """True in self-study mode: ``EIC_SELF_STUDY=1``, and not under nbgrader."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip() == "1" and not grading_mode()


def question_key(qid: str, prompt: str = "") -> str:
    """The label that names a question in the guide: ``Q2`` for ``q2_...``, ``reflection``
    for a reflection (``r1_...``). The question's id is the key, as it is what grades the
    question; the number its prompt starts with is used only for an id without one."""
    if qid.lower().startswith("r"):
        return REFLECTION
    found = _QID_NUMBER.match(qid) or _PROMPT_NUMBER.match(prompt)
    if not found:
        raise ValueError(f"question '{qid}' has no number in its id or its prompt")
    return f"Q{int(found[1])}"


def label_keys(label: str) -> set[str]:
    """The questions a bullet's label names: ``Q3 and Q4.`` -> {Q3, Q4}; ``Q2–Q4`` is a range."""
    keys = set()
    for first, last in _LABEL_NUMBERS.findall(label):
        stop = int(last or first)
        keys.update(f"Q{n}" for n in range(int(first), stop + 1))
    if REFLECTION in label.lower():
        keys.add(REFLECTION)
    return keys


def bullets(guide: str) -> list[tuple[set[str], str]]:
    """The bullets of the guide's section "Why the model answers are right": for each, the
    questions its label names and its text (Markdown, on one line)."""
    found: list[tuple[set[str], str]] = []
    inside = False
    for line in guide.splitlines():
        if line.startswith("#"):
            inside = line.strip() == SECTION
            continue
        if not inside:
            continue
        labelled = _LABEL.match(line)
        if labelled:
            label, rest = labelled["label"].strip(), labelled["rest"].strip()
            text = rest if label.endswith(".") else f"**{label}** {rest}"
            found.append((label_keys(label), text))
        elif line.startswith((" ", "\t")) and line.strip() and found:
            keys, text = found[-1]
            found[-1] = (keys, f"{text} {line.strip()}")
        elif line.strip():
            found.append((set(), line.strip()))  # text that is no question's: kept apart
    return found


def reason(guide: str, key: str) -> str | None:
    """The Markdown of the first bullet whose label names ``key``, or None."""
    return next((text for keys, text in bullets(guide) if key in keys), None)


def reflection_guidance(guide: str, qid: str) -> str | None:
    """The "What to look for" guidance of reflection ``qid``, from the guide's generated
    model answers (the notebook's "A good answer ..."), or None."""
    blocks = re.split(r"^#### ", guide, flags=re.M)
    block = next((b for b in blocks if re.search(rf"^`{re.escape(qid)}` ·", b, re.M)), "")
    found = re.search(r"^\*\*What to look for\.\*\*\s*(.+?)(?:\n\s*\n|\Z)", block, re.M | re.S)
    return " ".join(found[1].split()) if found else None


def markdown_to_html(text: str) -> str:
    """A bullet's Markdown as plain, safe HTML: bold and italics, nothing else.

    Any HTML in the text is shown as text; a link keeps its words, code loses its quotes.
    """
    safe = html.escape(" ".join(text.split()))
    safe = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", safe).replace("`", "")
    safe = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", safe)
    return re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"<i>\1</i>", safe)


def course_root(folder: Path | str) -> Path | None:
    """The course folder at or above ``folder`` (the one with ``course/syllabus.yml``)."""
    here = Path(folder).resolve()
    return next((f for f in [here, *here.parents] if (f / "course/syllabus.yml").is_file()), None)


def guide_path(folder: Path | str, module: str) -> Path | None:
    """The trainer's guide of ``module`` (``m02``) for a notebook in ``folder``, or None."""
    root = course_root(folder)
    found = sorted((root / "course" / "guide").glob(f"{module}-*.md")) if root else []
    return found[0] if found else None


@lru_cache(maxsize=16)
def _read(path: Path, _modified: int) -> str:
    return path.read_text(encoding="utf-8")


def explanation(module: str, qid: str, prompt: str, folder: Path | str) -> tuple[str, bool]:
    """What "Show the answer and why" shows for question ``qid`` of ``module``, as HTML, and
    whether the guide had it (False: a plain message saying why not)."""
    path = guide_path(folder, module)
    if path is None:
        return html.escape(NOT_AVAILABLE), False
    guide = _read(path, path.stat().st_mtime_ns)
    key = question_key(qid, prompt)
    parts = [reason(guide, key)]
    if key == REFLECTION:
        guidance = reflection_guidance(guide, qid)
        parts.append(guidance and f"**What to look for.** {guidance}")
    shown = [markdown_to_html(part) for part in parts if part]
    if not shown:
        return html.escape(NO_BULLET), False
    return "<br>".join(shown), True


class AnswerAndWhy:
    """The "Show the answer and why" button of one question, and what it shows.

    The button is disabled until the question has a complete answer on record; the text
    is read from the guide only when the button is pressed, and shown in its own line,
    added under the question then (so a question that never shows it holds no more widgets).
    """

    def __init__(self, question: Question, buttons: w.Box) -> None:
        self.question = question
        self.shown: w.HTML | None = None
        self.button = w.Button(
            description=BUTTON,
            icon="lightbulb-o",
            tooltip=TRY_FIRST,
            layout=w.Layout(width="auto"),
        )
        buttons.children = (*buttons.children, self.button)
        self._follow(question.recorded())
        question.on_saved(self._follow)
        self.button.on_click(lambda _b: question._guard(self.show))

    def _follow(self, value: Any) -> None:
        tried = value is not None and not self.question.problems_with(value)
        self.button.disabled = not tried
        self.button.tooltip = "Show the model answer and why it is right" if tried else TRY_FIRST

    def show(self) -> str:
        """Show the answer and why under the question (if an answer is on record); the HTML."""
        if self.button.disabled:
            return ""
        q = self.question
        text, found = explanation(q.sheet.module, q.qid, q.prompt, q.sheet.store.path.parent)
        colour, title = ("#1f2937", "<b>The answer and why:</b> ") if found else ("#9a3412", "")
        value = (
            f"<div class='eic-why' style='color:{colour};border-left:3px solid #2563eb;"
            f"padding:2px 8px;margin-top:4px'>{title}{text}</div>"
        )
        if self.shown is None:
            self.shown = w.HTML(value)
            q.widget.children = (*q.widget.children, self.shown)
        self.shown.value = value
        return value


def attach(question: Question, buttons: w.Box) -> AnswerAndWhy | None:
    """In self-study mode, give ``question`` its "Show the answer and why" button."""
    return AnswerAndWhy(question, buttons) if enabled() else None


__all__ = [
    "AnswerAndWhy",
    "attach",
    "bullets",
    "enabled",
    "explanation",
    "guide_path",
    "markdown_to_html",
    "question_key",
    "reason",
]
