"""What the README and the trainer's guide quote stays true as the code changes: every
repository path, link and test they name exists, every ``eic-course``, ``python -m eic...``
and ``python benchmarks/...`` command they show is one the command accepts, and every
``eic.`` name they quote can be imported. Nothing is run: the commands' options are read
from their argument parsers or their source."""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import fnmatch
import functools
import importlib
import importlib.util
import os
import re
from pathlib import Path, PurePosixPath

import pytest
from conftest import ROOT

from eic.cli import build_parser
from eic.course import syllabus

PAGES = [ROOT / "README.md", *sorted((ROOT / "course").rglob("*.md"))]
MODULE_FOLDERS = {m["folder"] for m in syllabus()["modules"]}

FENCE = re.compile(r"^ *```[^\n]*\n(.*?)^ *```", re.S | re.M)
SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")  # a code span may run over a line break
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"<[^<>\n]*>")  # <id>, <module folder>, <the course repository>
URL = re.compile(r"\b[a-z]+://\S*")
# a path, option or argument in a command: `tests/test_x.py::test_y` is one word
WORD = re.compile(r"(?:[^\s`'\"()\[\]{},;:=|&]|::)+")

# Files quoted by their name alone are checked when they are of these kinds (the course's
# code, notebooks and settings); a .csv, .md or .docx named alone is a participant's or a
# trainer's file (participants.csv, country-report.md), or an example to make.
CHECKED_SUFFIXES = {".py", ".j2", ".ipynb", ".yml", ".yaml", ".toml", ".sh", ".json", ".html"}

# What the pages quote that is made while the course runs, in the course folder or a
# participant's: never committed, so a path reaching into them is checked only up to them.
MADE_AT_RUN_TIME = (
    ".venv",  # the course's environment, made by scripts/setup.sh
    "deploy/node_modules",  # the hub's web proxy, installed from npm by scripts/setup.sh
    "autograded/*",  # nbgrader's folders: eic-course grade, feedback and collect write them
    "feedback",
    "submitted",
    "participants",  # each participant's course folder, made by eic-course serve
    "reports",  # eic-course report's drafts
    "downloads",  # submissions a trainer downloaded, to collect from
    "exchange",  # nbgrader's exchange, made by eic-course hub start
    "*-answers*.json*",  # what the worksheets record, and copies of a damaged answer file
    "*-own-*",  # a participant's own tables, from "use your own data"
    "*country-report*",  # Module 8's report
)
# Not paths at all, though written with a slash.
NOT_PATHS = {
    "eic-course/charts",  # the chart cache's folder, inside the user's cache folder
    "jupyterhub/jupyterhub",  # the Helm chart of Zero to JupyterHub
    "registry.example.org/eic-course",  # the name of a container image to build
}
# A participant's files, named by the roster template's ids and names (ph-01_m01.zip,
# Maria Santos_1234_assignsubmission_file_/m01-answers.json), as a trainer downloads them.
with open(ROOT / "course" / "roster-template.csv", encoding="utf-8") as roster:
    PARTICIPANTS = {name.lower() for row in csv.DictReader(roster)
                    for name in (row["id"], row["last_name"])}  # fmt: skip


def page_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_texts(text: str) -> list[str]:
    """A page's code: each fenced block's lines, and the inline code spans outside them, with
    a span written over two lines joined into one."""
    lines = [line for block in FENCE.findall(text) for line in joined_lines(block)]
    return lines + [" ".join(span.split()) for span in SPAN.findall(FENCE.sub("", text))]


def joined_lines(block: str) -> list[str]:
    """A block's lines, with a line ended by a backslash joined to the next one."""
    return block.replace("\\\n", " ").splitlines()


def is_placeholder(path: str) -> bool:
    """`mNN-slug`, `m02-own-….csv`, `.../voila/render`, `OWNER/NAME`: words to fill in."""
    return (
        "<" in path
        or "…" in path
        or path.startswith("...")
        or "mNN" in path
        or any(re.fullmatch(r"[A-Z]{2,}", part) for part in path.split("/"))
    )


def made_at_run_time(path: str) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in MADE_AT_RUN_TIME)


def repository_paths(code: str) -> list[str]:
    """The words of a piece of code that are repository paths: written with a slash, or a
    file of the course's kinds named alone."""
    code = URL.sub("", PLACEHOLDER.sub("<>", code))
    found = []
    for word in WORD.findall(code):
        word = word.rstrip(".")  # a sentence's full stop, in a block's comment
        if re.fullmatch(r"[\w.-]+(?:\\[\w.-]+)+", word):
            word = word.replace("\\", "/")  # scripts\start.py, as written on Windows
        suffix = PurePosixPath(word).suffix
        named_alone = "/" not in word and suffix in CHECKED_SUFFIXES and word != suffix
        if not ("/" in word or named_alone) or not re.search("[A-Za-z]", word):
            continue  # 3/8, 2015/16, 6300 / 600: numbers
        if word.startswith(("/", "~")):
            continue  # a path on the machine (/srv/eic-course, ~/.cache/), not the repository's
        if word in NOT_PATHS or is_placeholder(word):
            continue
        if word.split("/")[0].lower().startswith(tuple(PARTICIPANTS)):
            continue
        found.append(word)
    return found


def path_problems(code: str, page: Path) -> list[str]:
    """The repository paths in a piece of code that do not exist. A path is read from the
    repository's root, or from the page's folder (`guide/` in course/README.md); one that
    starts with a module's folder is one in release/ (`m01-eic-in-asia/m01-answers.json`),
    and a file named alone may be anywhere. A path reaching into what is made at run time
    is checked up to it (`release/m01-eic-in-asia/m01-answers.json`: the module's folder)."""
    problems = []
    for word in repository_paths(code):
        path, _, test = word.partition("::")
        parts = PurePosixPath(path).parts
        for n in range(len(parts)):  # checked up to what is made at run time
            if made_at_run_time("/".join(parts[: n + 1])):
                parts = parts[:n]
                break
        if not parts:
            continue
        kept = "/".join(parts)
        if len(parts) == 1 and "/" not in path:
            places = [p for p in repository_files() if p.name == kept]
        else:
            if parts[0] in MODULE_FOLDERS:
                kept = f"release/{kept}"
            places = [p for p in (ROOT / kept, page.parent / kept) if p.exists()]
        if not places:
            problems.append(f"`{word}` does not exist")
        elif test and test not in defined_tests(places[0]):
            problems.append(f"`{word}`: {path} has no test {test}")
    return problems


@functools.cache
def repository_files() -> list[Path]:
    """The repository's files, wherever they are (not those of .venv/ or node_modules/)."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [f for f in subfolders if not f.startswith(".") and f != "node_modules"]
        found += [Path(folder, name) for name in files]
    return found


@functools.cache
def defined_tests(path: Path) -> set[str]:
    """The functions a test file defines, at its top level and in its classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


@functools.cache
def every_test() -> set[str]:
    return set().union(*(defined_tests(p) for p in (ROOT / "tests").glob("test_*.py")))


def named_test_problems(code: str) -> list[str]:
    """A test named alone (`test_notebook_points_match_the_syllabus`) is one in tests/."""
    if not re.fullmatch(r"test_\w+", code):
        return []
    return [] if code in every_test() else [f"no test in tests/ is named {code}"]


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def link_problems(text: str, page: Path) -> list[str]:
    problems = []
    for target in LINK.findall(FENCE.sub("", text)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        found = (page.parent / path).resolve() if path else page
        if not found.exists():
            problems.append(f"the link ({target}) leads nowhere")
        elif anchor and found.is_file() and anchor not in anchors(found):
            problems.append(f"the link ({target}): {found.name} has no heading #{anchor}")
    return problems


# -- commands --------------------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def is_option(word: str) -> bool:
    return word.startswith("-") and not re.fullmatch(r"-[\d.]+", word)


EIC_COURSE = re.compile(r"(?:^|\s)(?:\.venv/bin/)?eic-course(?![\w./-])([^&|;#`]*)")


def eic_course_problems(code: str, parser: argparse.ArgumentParser) -> list[str]:
    """Each `eic-course ...` command line names subcommands the command has, in order, and
    gives each only options it accepts (written whole: argparse would take `--jo` for
    `--jobs`, the pages should not)."""
    problems = []
    for rest in EIC_COURSE.findall(code):
        words = WORD.findall(PLACEHOLDER.sub("<>", rest))
        command, shown = parser, "eic-course"
        for word in words:
            if is_option(word):
                option = word.split("=")[0]
                if option not in command._option_string_actions:
                    problems.append(f"{shown} has no option {option}")
            elif subcommands(command):
                if word not in subcommands(command):
                    problems.append(f"{shown} has no subcommand {word}")
                    break
                command, shown = subcommands(command)[word], f"{shown} {word}"
    return problems


def argparse_options(path: Path) -> set[str]:
    """The options a script's or module's argument parser is given (its add_argument calls),
    read from its source without running it."""
    options = {"-h", "--help"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
            options |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    return options


PYTHON = re.compile(r"\bpython3? (?:-m (eic[\w.]*)|(benchmarks/\w+\.py))([^&|;#`]*)")


def python_problems(code: str) -> list[str]:
    """Each `python -m eic....` and `python benchmarks/....py` command runs a module or
    script the repository has, with options its argument parser is given."""
    problems = []
    for module, script, rest in PYTHON.findall(code):
        if module:
            spec = importlib.util.find_spec(module)
            if spec is None or spec.origin is None:
                problems.append(f"python -m {module}: no such module")
                continue
            source, shown = Path(spec.origin), f"python -m {module}"
            if "__main__" not in source.read_text(encoding="utf-8"):
                problems.append(f"{shown}: the module runs nothing as a command")
        else:
            source, shown = ROOT / script, f"python {script}"
            if not source.is_file():
                problems.append(f"{shown}: no such script")
                continue
        accepted = argparse_options(source)
        for word in WORD.findall(rest):
            if is_option(word) and word.split("=")[0] not in accepted:
                problems.append(f"{shown} has no option {word.split('=')[0]}")
    return problems


OPTION_ALONE = re.compile(r"(--[a-z][\w-]*)(?:[ =].*)?")
# Options of other programs that the pages quote alone.
OTHER_PROGRAMS_OPTIONS = {
    "--admin",  # The Littlest JupyterHub's installer: the hub's administrator
}


def every_parser(parser: argparse.ArgumentParser):
    yield parser
    for subcommand in subcommands(parser).values():
        yield from every_parser(subcommand)


@functools.cache
def every_option() -> set[str]:
    """The options of every eic-course subcommand, of the library's modules and the
    benchmarks run as commands, and of the course's scripts."""
    options = {o for p in every_parser(build_parser()) for o in p._option_string_actions}
    for source in [*(ROOT / "lib").rglob("*.py"), *(ROOT / "benchmarks").glob("*.py"),
                   *(ROOT / "scripts").glob("*.py")]:  # fmt: skip
        options |= argparse_options(source)
    for script in (ROOT / "scripts").glob("*.sh"):
        options |= set(re.findall(r"--[a-z][\w-]*", script.read_text(encoding="utf-8")))
    return options


def option_problems(code: str) -> list[str]:
    """An option quoted alone (`--pool-size`, `--course FOLDER`) is one a command of the
    course accepts. Jupyter's settings (`--VoilaConfiguration.progressive_rendering=True`)
    are left to Jupyter."""
    found = OPTION_ALONE.fullmatch(code)
    if not found or found[1] in every_option() | OTHER_PROGRAMS_OPTIONS:
        return []
    return [f"no command of the course has an option {found[1]}"]


EIC_NAME = re.compile(r"(?<![\w./-])eic(?:\.\w+)+")


def eic_name_problems(code: str) -> list[str]:
    """Each `eic.module` or `eic.module.name` can be imported, or found in its module."""
    problems = []
    for name in EIC_NAME.findall(code):
        found, *rest = name.split(".")
        found = importlib.import_module(found)
        for part in rest:
            if getattr(found, part, None) is None and hasattr(found, "__path__"):
                # a module of a package, not imported by the package itself
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{found.__name__}.{part}")
            found = getattr(found, part, None)
        if found is None:
            problems.append(f"`{name}` cannot be imported")
    return problems


def page_problems(page: Path, text: str | None = None) -> dict[str, list[str]]:
    """Every problem of a page (of `text` given for it), by the kind of check."""
    text = page.read_text(encoding="utf-8") if text is None else text
    codes = code_texts(text)
    parser = build_parser()
    return {
        "paths": [p for code in codes for p in path_problems(code, page)],
        "links": link_problems(text, page),
        "tests": [p for code in codes for p in named_test_problems(code)],
        "eic-course": [p for code in codes for p in eic_course_problems(code, parser)],
        "python": [p for code in codes for p in python_problems(code)],
        "eic names": [p for code in codes for p in eic_name_problems(code)],
        "options": [p for code in codes for p in option_problems(code)],
    }


# -- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_everything_the_page_quotes_exists_and_every_command_is_accepted(page):
    problems = page_problems(page)
    said = [f"{kind}: {p}" for kind, found in problems.items() for p in found]
    assert not said, f"{page_id(page)}:\n" + "\n".join(said)


def test_the_checks_find_what_the_pages_quote():
    # the checks stay checks: each finds what the pages quote, not nothing
    codes = [code for page in PAGES for code in code_texts(page.read_text(encoding="utf-8"))]
    paths = {p for code in codes for p in repository_paths(code)}
    assert {"benchmarks/voila_render.py", "tests/test_hub.py", "nbgrader_config.py",
            "share/jupyter/voila/templates/eic/index.html.j2", "scripts/start.py",
            "release/m01-eic-in-asia/m01-answers.json", "guide/"} <= paths  # fmt: skip
    assert len(paths) > 100
    commands = [rest for code in codes for rest in EIC_COURSE.findall(code)]
    assert len(commands) > 40 and any("hub accounts" in c for c in commands)
    assert sum(len(PYTHON.findall(code)) for code in codes) > 25
    names = {name for code in codes for name in EIC_NAME.findall(code)}
    assert {"eic.serve.WEB_SETTINGS", "eic.trainer.feedback.HideTestTracebacks"} <= names


# -- each check can fail ---------------------------------------------------------------------

README = ROOT / "README.md"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("paths", "see `benchmarks/voila_rendering.py`"),
        ("paths", "see `share/jupyter/voila/templates/eic/index.html`"),
        ("paths", "the class's answers in `release/m01-eic-in-asa/m01-answers.json`"),
        ("paths", "the same settings (`voila.yml`)"),
        ("paths", "`tests/test_guide.py::test_no_such_thing`"),
        ("paths", "```bash\nnbgrader validate source/m02-clusters/m02-clusters.ipynb\n```"),
        ("links", "[running the class](course/running-the-class.md#no-such-heading)"),
        ("links", "[running the class](course/running-a-class.md)"),
        ("tests", "`test_notebook_points_match_the_syllabus_too` fails"),
        ("eic-course", "`eic-course publish m01`"),
        ("eic-course", "`eic-course grade m01 --workers 2`"),
        ("eic-course", "`eic-course grade m01 --jo 2`"),
        ("eic-course", "`eic-course hub open m01`"),
        ("eic-course", "```bash\nsudo .venv/bin/eic-course hub accounts p.csv --admin t\n```"),
        ("eic-course", "`eic-course\n  serve --pool 1`"),
        ("python", "`python -m eic.guide --rewrite`"),
        ("python", "`python -m eic.guides --update`"),
        ("python", "`python -m eic.answers`"),
        ("python", "```bash\npython benchmarks/voila_render.py --repeat 3 --cold\n```"),
        ("python", "`python benchmarks/render.py`"),
        ("eic names", "`eic.serve.WEB_SETTING`"),
        ("eic names", "(`eic.trainer.feedbacks`)"),
        ("options", "keeps `--ready-kernel` kernels"),
        ("options", "(`--course FOLDER`, `--pool`)"),
    ],
)  # fmt: skip
def test_a_page_quoting_what_does_not_exist_is_caught(kind, text):
    problems = page_problems(README, text)
    assert problems[kind], f"{kind}: nothing caught in {text!r}"


def test_what_is_made_at_run_time_or_filled_in_is_not_taken_for_a_missing_path():
    text = (
        "`autograded/eic-grading.log`, `feedback/<id>/m01-eic-in-asia/`, "
        "`release/m01-eic-in-asia/m01-answers.json`, `m02-clusters-competitiveness/"
        "m02-own-employment.csv`, `source/mNN-slug/mNN-slug.ipynb`, `OWNER/NAME`, "
        "`ph-01_m01-eic-in-asia.ipynb`, `/srv/eic-course`, `~/.cache/`, `3/8`, "
        "`http://<this machine>:8866/voila/render/index.ipynb`, `.venv/bin/eic-course`, "
        "`deploy/node_modules/`, `reports/philippines-group.html`, `eic-course/charts`"
    )
    assert page_problems(README, text)["paths"] == []


def test_a_test_named_with_its_file_is_looked_for_in_that_file():
    named = "test_the_roster_template_imports_without_a_problem"
    assert page_problems(README, f"`tests/test_guide.py::{named}`")["paths"] == []
    assert page_problems(README, f"`tests/test_course.py::{named}`")["paths"]
    assert page_problems(README, f"`{named}`")["tests"] == []
