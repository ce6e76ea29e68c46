"""The trainer's guide in ``course/``: its generated parts, made from the notebooks and data.

Model answers are read from the instructor notebooks, never copied by hand.
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

The generated parts sit between markers in the guide's Markdown files, e.g.
``<!-- model-answers:begin -->`` ... ``<!-- model-answers:end -->``. ``python -m eic.guide
--update`` rewrites them; ``python -m eic.guide --check`` lists the files that are out of
date.

>>> evaluate(ast.parse("6300 - 0.95 * 6000", mode="eval").body)
600.0
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import operator
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eic.course import syllabus

QUESTION_ID = re.compile(r"[qr]\d+_")
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
TRAINING_MODES = ("plenary", "worksheet", "field visit", "group discussion")
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
    if isinstance(node, ast.List | ast.Tuple):
        return [evaluate(item, names) for item in node.elts]
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
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    question.guidance = " ".join(
        p.strip("*") for p in paragraphs if p.startswith("*A good answer")
    ).strip()
    question.task = "\n\n".join(p for p in paragraphs if not p.startswith("*A good answer"))


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


# -- Markdown for the guide --------------------------------------------------------------------


def number_text(value: float) -> str:
    """A number as a trainer reads it: ``1,959,707``, ``-3,495``, ``6.35``, ``0.086``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def accepted_range(expected: float, abs_tol: float = 0, rel_tol: float = 0) -> str:
    """The numbers a hidden test accepts, e.g. ``299 to 301`` (or ``exactly 26``)."""
    tolerance = max(abs_tol or 0, (rel_tol or 0) * abs(expected))
    if tolerance == 0:
        return f"exactly {number_text(expected)}"
    places = 0 if tolerance >= 1 else 1 - math.floor(math.log10(tolerance))
    low, high = expected - tolerance, expected + tolerance
    return f"{low:,.{places}f} to {high:,.{places}f}"


def _value_lines(question: Question) -> list[str]:
    from eic.report import Entry, describe

    kind = question.kind.replace("_", " ")
    return describe(Entry(question.qid, question.prompt, kind, question.answer, ""))


def _rule(question: Question) -> str:
    options = question.check_options
    if question.check == "assert_ratings":
        return f"every item is rated from {options['low']:g} to {options['high']:g}"
    if question.check == "assert_consistent_judgements":
        limit = options.get("max_cr") or 0.10
        return f"every pair is judged and the consistency ratio is {limit:.2f} or less"
    if question.check == "assert_checklist":
        return "every item is answered with one of: " + ", ".join(options["options"])
    if question.check == "assert_texts":
        return "each of " + ", ".join(options["fields"]) + " has at least one point"
    raise ValueError(f"{question.qid}: no rule for {question.check or 'a question without test'}")


def _choice_lines(question: Question) -> list[str]:
    right = question.answer if isinstance(question.answer, list) else [question.answer]
    lines = ["Options (✓ marks the model answer; *Check* is the hint that choice gets):", ""]
    for option in question.choices or []:
        if option in right:
            lines.append(f"- ✓ **{option}**")
        elif option in question.hints:
            lines.append(f"- {option}. *Check:* {question.hints[option]}")
        else:
            lines.append(f"- {option}")
    return lines


def question_markdown(question: Question) -> list[str]:
    """The lines of one question in the guide's model-answers block."""
    points = f"{number_text(question.points)} point{'s' if question.points != 1 else ''}"
    if question.kind == "reflection":
        heading, _, body = question.task.partition("\n\n")
        low, high = question.words or (0, 0)
        lines = [f"#### {heading.lstrip('#').strip()}", ""]
        lines += [
            f"`{question.qid}` · a reflection of {low}–{high} words · {points}, graded by "
            "you in formgrader",
            "",
            body,
            "",
        ]
        if question.guidance:
            lines += [f"**What to look for.** {question.guidance}", ""]
        lines += ["**The instructor notebook's sample answer** (one good answer among many):", ""]
        return lines + [f"> {question.answer}", ""]
    unit = question.unit and (
        f" {question.unit}" if "(" in question.unit else f" ({question.unit})"
    )
    lines = [
        f"#### {question.prompt}",
        "",
        f"`{question.qid}` · {KINDS[question.kind]}{unit} · {points}",
        "",
    ]
    if question.check in ("assert_choice", "assert_choices"):
        lines += _choice_lines(question)
    elif question.check == "assert_ranking":
        lines += [
            "Model answer:",
            "",
            *[f"{n}. {item}" for n, item in enumerate(question.answer, 1)],
        ]
    elif question.check == "assert_number":
        lines.append(f"Model answer: **{number_text(question.answer)}** {question.unit}.")
        bounds = accepted_range(
            question.expected, **{k: v for k, v in question.check_options.items() if v}
        )
        computed = question.expected_code
        how = "" if re.fullmatch(r"[-\d.,]+|\w+", computed) else f" computes `{computed}` and"
        lines.append(f"The hidden test{how} accepts {bounds}.")
    else:
        lines.append(f"No single right answer: the point is scored when {_rule(question)}.")
        if question.answer is not None:
            lines += ["", "The instructor notebook's example:", ""]
            lines += [f"- {line}".replace("\n", "; ") for line in _value_lines(question)]
        else:
            lines += [
                "",
                "The instructor notebook fills in every item with code, so there is "
                "no example to quote.",
            ]
    if question.hints and question.check not in ("assert_choice", "assert_choices"):
        lines += ["", "What *Check* says to some wrong answers:", ""]
        for key, hint in question.hints.items():
            shown = number_text(key) if isinstance(key, int | float) else key
            lines.append(f"- *{shown}*: {hint}")
    return [*lines, ""]


def model_answers_markdown(root: Path, module: dict) -> str:
    """The generated block of a module's facilitation notes: every question and its answer."""
    path = Path("source") / module["folder"] / f"{module['folder']}.ipynb"
    lines = [
        f"*Generated from `{path.as_posix()}` by `python -m eic.guide --update`: change "
        "the notebook, not this block.*",
        "",
    ]
    for question in questions(root / path):
        lines += question_markdown(question)
    return "\n".join(lines).rstrip() + "\n"


# -- the programme -----------------------------------------------------------------------------


def load_programme(root: Path) -> dict:
    """The three-day programme, ``course/programme.yml``."""
    return yaml.safe_load((root / "course" / "programme.yml").read_text(encoding="utf-8"))


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def module_minutes(programme: dict) -> dict[str, dict[str, int]]:
    """Minutes per module and mode, summed over the programme's sessions."""
    found: dict[str, dict[str, int]] = {}
    for day in programme["days"]:
        for session in day["sessions"]:
            if session.get("module"):
                modes = found.setdefault(session["module"], {})
                modes[session["mode"]] = modes.get(session["mode"], 0) + session["minutes"]
    return found


def _steps(steps: Sequence[dict]) -> list[str]:
    return [f"- *{step['action']}:* {' '.join(step['text'].split())}" for step in steps]


def programme_markdown(programme: dict) -> str:
    """The programme as tables, one per day, with the trainer's steps between sessions."""
    modules = {m["id"]: m for m in syllabus()["modules"]}
    spent = module_minutes(programme)
    lines = [
        "*Generated from `course/programme.yml` by `python -m eic.guide --update`.*",
        "",
        "| Module | Day | "
        + " | ".join(m.capitalize() for m in TRAINING_MODES)
        + " | Total | Syllabus |",
        "|---" * 8 + "|",
    ]
    for module_id, module in modules.items():
        modes = spent.get(module_id, {})
        cells = [str(modes.get(mode, "")) for mode in TRAINING_MODES]
        link = f"[{int(module_id[1:])}](guide/{module['folder']}.md)"
        lines.append(
            f"| {link} | {module['day']} | "
            + " | ".join(cells)
            + f" | {sum(modes.values())} | {module['duration_minutes']} |"
        )
    lines += ["", "### Before the workshop", "", *_steps(programme.get("before_workshop", []))]
    for day in programme["days"]:
        lines += [
            "",
            f"### Day {day['day']} · {day['theme']}",
            "",
            "| Time | Min | Module | Mode | Session |",
            "|---|---|---|---|---|",
        ]
        for session in day["sessions"]:
            start = _minutes(session["time"])
            module = session.get("module")
            link = f"[{int(module[1:])}](guide/{modules[module]['folder']}.md)" if module else ""
            lines.append(
                f"| {session['time']}–{_clock(start + session['minutes'])} | "
                f"{session['minutes']} | {link} | {session['mode']} | "
                f"{' '.join(session['title'].split())} |"
            )
        lines += ["", f"**The trainer's steps between sessions, day {day['day']}**", ""]
        sessions = day["sessions"]
        for session, after in zip(sessions, [*sessions[1:], None], strict=True):
            if not session.get("trainer_before_next"):
                continue
            if after is None:
                lines.append(f"**At the end of day {day['day']}:**")
            else:
                module = after.get("module")
                what = (
                    f"Module {int(module[1:])}, {after['mode']}"
                    if module
                    else re.split(r":| \(", after["title"])[0].strip()
                )
                lines.append(f"**By {after['time']}** (next: {what}):")
            lines += ["", *_steps(session["trainer_before_next"]), ""]
    lines += ["", "### After the workshop", "", *_steps(programme.get("after_workshop", []))]
    return "\n".join(lines).rstrip() + "\n"


def checklist_markdown() -> str:
    """Module 8's field-visit checklist as a printable table, from its bundled dataset."""
    from eic import data

    visit = data.load("field_visit_checklist")
    lines = [
        "*Generated from `lib/eic/data/field_visit_checklist.csv` by `python -m eic.guide "
        "--update`.*",
        "",
        "| # | Condition | What to look for or ask | Observed? | Notes |",
        "|---|---|---|---|---|",
    ]
    for n, row in enumerate(visit.itertuples(index=False), 1):
        lines.append(
            f"| {n} | {row.condition} | {row.look_for} | observed / partly / not "
            "observed / could not tell | |"
        )
    return "\n".join(lines) + "\n"


# -- the generated blocks and the command line -------------------------------------------------


def generated_blocks(root: Path) -> dict[Path, dict[str, str]]:
    """Each guide file that holds generated blocks: {file: {block name: content}}."""
    course = root / "course"
    blocks = {
        course / "guide" / f"{m['folder']}.md": {"model-answers": model_answers_markdown(root, m)}
        for m in syllabus()["modules"]
    }
    blocks[course / "programme.md"] = {"programme": programme_markdown(load_programme(root))}
    blocks[course / "field-visit.md"] = {"field-visit-checklist": checklist_markdown()}
    return blocks


def replace_block(text: str, name: str, content: str, where: str = "the file") -> str:
    """``text`` with the block between ``<!-- name:begin -->`` and ``<!-- name:end -->``
    replaced by ``content``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"{where} needs one '{begin}' line and, after it, one '{end}' line")
    head, rest = text.split(begin)
    return f"{head}{begin}\n{content}{end}{rest.split(end)[1]}"


def _regenerated(root: Path) -> dict[Path, tuple[str, str]]:
    result = {}
    for path, blocks in generated_blocks(root).items():
        if not path.is_file():
            raise ValueError(f"{path.relative_to(root)} is missing")
        old = new = path.read_text(encoding="utf-8")
        for name, content in blocks.items():
            new = replace_block(new, name, content, str(path.relative_to(root)))
        result[path] = (old, new)
    return result


def stale(root: Path) -> list[Path]:
    """The guide files whose generated blocks differ from what the notebooks give now."""
    return [path for path, (old, new) in _regenerated(root).items() if old != new]


def update(root: Path) -> list[Path]:
    """Rewrite the generated blocks; return the files that changed."""
    changed = []
    for path, (old, new) in _regenerated(root).items():
        if old != new:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def find_root(start: Path | None = None) -> Path:
    """The course folder at or above ``start``: the one with ``course/syllabus.yml``."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "course" / "syllabus.yml").is_file():
            return folder
    raise ValueError(f"no course/syllabus.yml in {here} or above: run this in the course folder")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eic.guide",
        description="Make or check the generated parts of the trainer's guide in course/.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--update", action="store_true", help="rewrite the generated blocks")
    action.add_argument("--check", action="store_true", help="list what is out of date")
    parser.add_argument("--course", type=Path, help="the course folder (default: found upwards)")
    args = parser.parse_args(argv)
    try:
        root = find_root(args.course)
        if args.update:
            for path in update(root):
                print(f"updated {path.relative_to(root)}")
            return 0
        problems = [
            f"{p.relative_to(root)} is out of date: run python -m eic.guide --update"
            for p in stale(root)
        ]
    except (OSError, ValueError) as err:
        print(f"python -m eic.guide: {err}", file=sys.stderr)
        return 1
    print("\n".join(problems) or "The trainer's guide is up to date.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
