"""The questions of a module, read from its instructor notebook with their model answers.

The trainer's guide (:mod:`eic.guide`) quotes each question's model answer and what its
hidden test accepts; both are read from the instructor notebook, never copied by hand.
:func:`questions` parses each question's cells with :mod:`ast`, without running them:

- the widget call ``qN = ws.<kind>("qid", "prompt", [options], ..., hints={...})`` gives the
  kind of question, its prompt, its options and the hints that **Check** shows;
- the ``qN.record(...)`` between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` gives the
  model answer. :func:`evaluate` reads it as ``ast.literal_eval`` would, and also works
  out arithmetic on numbers (``1 / 2``); anything else, such as a comprehension that
  answers every item of a checklist, is kept as its source text only;
- the question's test cell gives what the grader accepts: the expected value and the
  tolerance of its ``grading.assert_*`` call (worked out the same way, with the numbers
  that earlier lines of the cell assign), or the rule of a question that has no single
  right answer (every item answered, consistent judgements);
- a reflection's task cell gives its points and its "A good answer ..." guidance.

>>> evaluate(ast.parse("6300 - 0.95 * 6000", mode="eval").body)
600.0
"""

from __future__ import annotations

import ast
import json
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUESTION_ID = re.compile(r"[qr]\d+_")
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
KINDS = {
    "single_choice": "one choice",
    "multiple_choice": "several choices",
    "number": "a number",
    "ranking": "an order",
    "ratings": "ratings",
    "pairwise": "pairwise judgements",
    "checklist": "a checklist",
    "texts": "short texts",
    "short_text": "a short text",
    "slider": "a slider",
    "reflection": "a reflection",
}
_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


class NotALiteral(ValueError):
    """An expression that needs the notebook's own code to be worked out."""


def evaluate(node: ast.AST, names: dict[str, Any] | None = None) -> Any:
    """The value of a literal, or of arithmetic on numbers, without running any code.

    ``names`` are numbers assigned earlier (``crf = ...``). Raises :class:`NotALiteral`
    for anything else (a call, a comprehension, an unknown name).
    """
    names = names or {}
    if isinstance(node, ast.Constant) and not isinstance(node.value, bytes):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = evaluate(node.operand, names)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = evaluate(node.left, names), evaluate(node.right, names)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if numbers and not (isinstance(node.op, ast.Pow) and abs(right) > 100):
            return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.List):
        return [evaluate(item, names) for item in node.elts]
    if isinstance(node, ast.Tuple):  # a tuple stays one: it may be a key (a pair to rank)
        return tuple(evaluate(item, names) for item in node.elts)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {
            evaluate(k, names): evaluate(v, names)
            for k, v in zip(node.keys, node.values, strict=True)
        }
    raise NotALiteral(ast.unparse(node))


@dataclass
class Question:
    """One worksheet question of a module, as its instructor notebook defines it."""

    qid: str
    kind: str
    prompt: str
    points: float = 0
    choices: list | None = None  # the options, items, criteria or fields, where literal
    unit: str = ""
    hints: dict = field(default_factory=dict)
    answer: Any = None  # the model answer; None when it is built in code
    answer_code: str = ""  # the source text of the model answer
    check: str = ""  # the grading function of its test cell, e.g. "assert_number"
    expected: Any = None
    expected_code: str = ""
    check_options: dict = field(default_factory=dict)  # tolerances, options, limits
    task: str = ""  # a reflection's task, its heading first
    guidance: str = ""  # a reflection's "A good answer ..."
    words: tuple[int, int] | None = None


def _cells(notebook: Path) -> dict[str, dict]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            found[grade_id] = {**cell, "text": "".join(cell["source"])}
    return found


def _try(node: ast.AST | None, names: dict | None = None) -> Any:
    if node is None:
        return None
    try:
        return evaluate(node, names)
    except NotALiteral:
        return None


def _widget(tree: ast.Module) -> tuple[str, ast.Call]:
    """The name and call of ``qN = ws.<kind>(...)`` in a solution cell."""
    for node in tree.body:
        call = getattr(node, "value", None)
        if (
            isinstance(node, ast.Assign)
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in KINDS
        ):
            return node.targets[0].id, call
    raise ValueError('no widget call \'qN = ws.<kind>("qid", "prompt", ...)\' in the cell')


def _record(tree: ast.Module, name: str, text: str) -> ast.AST:
    """The argument of ``name.record(...)`` inside the cell's solution region."""
    lines = text.splitlines()
    begin = next(n for n, line in enumerate(lines, 1) if SOLUTION[0] in line)
    end = next(n for n, line in enumerate(lines, 1) if SOLUTION[1] in line)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "record"
            and getattr(node.func.value, "id", None) == name
            and begin < node.lineno < end
        ):
            return node.args[0]
    raise ValueError(f"no {name}.record(...) between the solution markers")


def _check(question: Question, text: str) -> None:
    """Fill in what the test cell's decisive ``grading.assert_*`` call accepts."""
    tree = ast.parse(text)
    names: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = _try(node.value, names)
            if isinstance(value, int | float):
                names[node.targets[0].id] = value
        call = getattr(node, "value", None)
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr.startswith("assert_"):
            question.check = call.func.attr
            rest = call.args[2:]
            if call.func.attr in ("assert_checklist", "assert_texts") and rest:
                question.check_options["options" if len(rest) > 1 else "fields"] = _try(rest[-1])
            elif call.func.attr not in ("assert_ratings", "assert_consistent_judgements"):
                question.expected = _try(rest[0], names) if rest else None
                code = ast.get_source_segment(text, rest[0]) if rest else ""
                question.expected_code = re.sub(r"(?<=\d)_(?=\d)", ",", code or "")
            for keyword in call.keywords:
                question.check_options[keyword.arg] = _try(keyword.value, names)


def _reflection_task(question: Question, text: str) -> None:
    """The task's text, and its guidance: the paragraph "*A good answer ...*", or, when it
    ends in a colon, that paragraph and the list under it, as one paragraph."""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    guidance, task = [], []
    for paragraph in paragraphs:
        listed = guidance and guidance[-1].endswith(":") and paragraph.startswith("- ")
        if paragraph.startswith("*A good answer") or listed:
            items = [line.strip().removeprefix("- ").strip("*") for line in paragraph.splitlines()]
            guidance.append(" ".join(item.strip() for item in items))
        else:
            task.append(paragraph)
    question.guidance = " ".join(guidance).strip()
    question.task = "\n\n".join(task)


def questions(notebook: Path | str) -> list[Question]:
    """Every question of an instructor notebook, with its model answer and what is accepted."""
    cells = _cells(Path(notebook))
    found = []
    for grade_id, cell in cells.items():
        grading = cell["metadata"]["nbgrader"]
        if not (grading.get("solution") and QUESTION_ID.match(grade_id)):
            continue  # not a question (a reflection's task is read with its question)
        tree = ast.parse(cell["text"])
        name, call = _widget(tree)
        args = call.args
        keywords = {k.arg: k.value for k in call.keywords}
        question = Question(
            qid=_try(args[0]),
            kind=call.func.attr,
            prompt=_try(args[1]),
            choices=_try(args[2]) if len(args) > 2 else None,
            unit=_try(keywords.get("unit")) or "",
            hints=_try(keywords.get("hints")) or {},
        )
        if question.qid != grade_id:
            raise ValueError(f"{notebook}: cell {grade_id} defines question {question.qid}")
        if "min_words" in keywords:
            question.words = (_try(keywords["min_words"]), _try(keywords["max_words"]))
        argument = _record(tree, name, cell["text"])
        question.answer_code = ast.unparse(argument)
        question.answer = _try(argument)
        test, task = cells.get(f"{grade_id}_test"), cells.get(f"{grade_id}_task")
        if test:
            question.points = test["metadata"]["nbgrader"].get("points", 0)
            _check(question, test["text"])
        if task:
            question.points = task["metadata"]["nbgrader"].get("points", 0)
            _reflection_task(question, task["text"])
        found.append(question)
    return found
