"""The trainer's guide in ``course/``: its generated parts, made from the notebooks and data.

Model answers are read from the instructor notebooks, never copied by hand:
:mod:`eic.guide_questions` reads each question, its model answer and what the hidden test
accepts, and :func:`question_markdown` writes them as the guide shows them. The programme's
tables are made from ``course/programme.yml`` (:mod:`eic.programme`), and the field visit's
checklist from its bundled dataset.

The generated parts sit between markers in the guide's Markdown files, e.g.
``<!-- model-answers:begin -->`` ... ``<!-- model-answers:end -->``. ``python -m eic.guide
--update`` rewrites them; ``python -m eic.guide --check`` lists the files that are out of
date.

>>> accepted_range(300, abs_tol=1)
'299 to 301'
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from eic.course import syllabus
from eic.guide_questions import (
    KINDS,
    QUESTION_ID,
    SOLUTION,
    NotALiteral,
    Question,
    evaluate,
    questions,
)
from eic.programme import TRAINING_MODES, load_programme, module_minutes, programme_markdown

# with the names that moved to eic.guide_questions and eic.programme, re-exported so that
# `from eic.guide import questions` and the like keep working
__all__ = [
    "KINDS",
    "QUESTION_ID",
    "SOLUTION",
    "TRAINING_MODES",
    "NotALiteral",
    "Question",
    "accepted_range",
    "checklist_markdown",
    "evaluate",
    "find_root",
    "generated_blocks",
    "load_programme",
    "main",
    "model_answers_markdown",
    "module_minutes",
    "number_text",
    "programme_markdown",
    "question_markdown",
    "questions",
    "replace_block",
    "stale",
    "update",
]


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
            label = f"*{shown}*"
            if question.check == "assert_ranking":  # an item placed first, or a pair
                pair = isinstance(key, tuple)
                label = f"*{key[1]}* placed before *{key[0]}*" if pair else f"*{key}* placed first"
            lines.append(f"- {label}: {hint}")
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
