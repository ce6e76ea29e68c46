"""The country report: a participant's (or a country group's) answers from all eight modules,
gathered into a draft report to edit, as self-contained HTML and as Markdown.

The report reads only the answer files (``mNN-answers.json``) found in a course folder:
each answer carries its question's wording, so the report needs no notebook. A module with
no answers yet (or only entries that say nothing, such as a ranking with no place chosen)
is listed as "not yet done"; an unreadable file is reported, never fatal.
Charts are redrawn from the answers (the self-assessment radar, the policy priorities, the
park check, the roadmap, the SWOT: :mod:`eic.report_figures`) and embedded in the HTML as
images.

Its main part holds only what is about the participant's own cluster and country: the
reflections, the questions the syllabus lists as ``about_your_cluster`` (ratings,
judgements, the park check, the SWOT, the roadmap) and their own data. Every other answer
is about the course's examples (some invented for training) and goes to an annex of
exercises, so that nobody reads a worked example as a finding about their country.

>>> from pathlib import Path
>>> import tempfile
>>> empty = Path(tempfile.mkdtemp())
>>> report = build_report([("Ana Reyes", empty)], country="Philippines")
>>> [s.status for s in report.sections][:2]
['not yet done', 'not yet done']
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eic.answers import ANSWERS_SUFFIX, answers_given
from eic.course import syllabus
from eic.report_figures import FIGURES, JOBS_PLAN_ID, Figure, judgement_ratio
from eic.typed_numbers import number_text

REFLECTION_KINDS = ("reflection", "short text", "short_text")
STATUS_DONE, STATUS_EXERCISES, STATUS_NONE = "done", "exercises only", "not yet done"
# the details that are about the participant's own cluster, which the report shows
CLUSTER_DETAILS = {JOBS_PLAN_ID}


@dataclass(frozen=True)
class Entry:
    """One recorded answer: its question, kind, value and who gave it."""

    qid: str
    question: str
    kind: str
    value: Any
    contributor: str
    unit: str = ""  # a number's unit, as its question gave it


@dataclass(frozen=True)
class OwnTable:
    """A table of the participant's own data, uploaded in a module's "use your own data"
    panel and saved beside the answers (``mNN-own-<name>.csv``)."""

    name: str
    header: list[str]
    rows: list[list[str]]
    source: str
    contributor: str
    example_rows: int = 0  # rows that are the course's example (as the panel found on saving)
    # what the module's analysis of the table shows, as its panel shows it when the module is
    # opened again: its settings ("Region: Delta") and its pieces of HTML (sentences, tables,
    # charts as embedded images); or why it could not be made
    settings: tuple[str, ...] = ()
    results: tuple[str, ...] = ()
    results_problem: str = ""

    PREVIEW = 10

    @property
    def caption(self) -> str:
        shown = f", the first {self.PREVIEW} shown" if len(self.rows) > self.PREVIEW else ""
        caption = (
            f"Own data: {self.name.replace('_', ' ')} table, {len(self.rows):,} rows{shown} "
            f"(from {self.source})"
        )
        if self.example_rows and self.example_rows >= len(self.rows):
            return f"{caption}. Warning: this is the course's invented example, unchanged"
        if self.example_rows:
            return (
                f"{caption}. Warning: {self.example_rows} of its rows are the course's invented "
                "example, not data of the cluster"
            )
        return caption


def find_own_data(folder: Path, module: dict, contributor: str) -> tuple[list[OwnTable], list[str]]:
    """The module's own-data tables in a course folder, beside its answer file."""
    tables, problems = [], []
    for place in (Path(folder) / module["folder"], Path(folder)):
        for path in sorted(place.glob(f"{module['id']}-own-*.csv")):
            if path.name.endswith(".model.csv"):
                continue
            try:
                with path.open(encoding="utf-8", newline="") as handle:
                    header, *rows = list(csv.reader(handle))
                meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            except FileNotFoundError:
                meta = {}
            except (OSError, UnicodeDecodeError, ValueError) as err:
                problems.append(f"{path.name} could not be read ({err.__class__.__name__})")
                continue
            name = path.stem.removeprefix(f"{module['id']}-own-")
            meta = meta if isinstance(meta, dict) else {}
            source = str(meta.get("file") or "an upload")
            example = meta.get("example_rows")
            example = example if isinstance(example, int) and example > 0 else 0
            settings, results, problem = _analysed(path.parent, module["id"], name)
            tables.append(OwnTable(name, header, rows, source, contributor, example,
                                   settings, results, problem))  # fmt: skip
        if tables:
            break
    return tables, problems


def _analysed(folder: Path, module: str, name: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(settings, results, problem) of the module's analysis of its kept table ``name``."""
    from eic.own_tables import OWN_TABLES

    if OWN_TABLES.get(module) != name:
        return (), (), ""
    from eic.own_results import saved_results
    from eic.tables import TableError
    from eic.uploads import UploadError

    try:
        settings, results = saved_results(folder, module)
    except (TableError, UploadError) as err:
        listed = err.listed if isinstance(err, TableError) else err.problems
        why = "; ".join(str(item) for item in listed) or str(err)
    except Exception as err:  # the report is made all the same, saying what went wrong
        why = f"{err.__class__.__name__}: {err}"
    else:
        return tuple(settings), tuple(results), ""
    return (
        (),
        (),
        (
            f"The analysis of this table could not be made ({why}). Open Module {int(module[1:])}, "
            "where its panel says what to change, and upload the table again."
        ),
    )


@dataclass
class Section:
    """One module of the report."""

    module: dict
    entries: list[Entry] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    own_data: list[OwnTable] = field(default_factory=list)
    # details recorded beside the answers (not answers): their ids
    details: list[str] = field(default_factory=list)

    @property
    def about_the_cluster(self) -> list[Entry]:
        """The answers about the participant's own cluster: the report's main part."""
        listed = set(self.module.get("about_your_cluster", ()))
        return [e for e in self.entries if e.kind in REFLECTION_KINDS or e.qid in listed]

    @property
    def exercises(self) -> list[Entry]:
        """The answers to exercises on the course's examples: the report's annex."""
        own = {id(e) for e in self.about_the_cluster}
        return [e for e in self.entries if id(e) not in own]

    @property
    def status(self) -> str:
        if self.about_the_cluster or self.own_data or set(self.details) & CLUSTER_DETAILS:
            return STATUS_DONE
        return STATUS_EXERCISES if self.entries else STATUS_NONE


@dataclass
class Report:
    country: str
    participants: list[str]
    sections: list[Section]
    made: str
    cluster: str = ""  # the cluster the report is about, if named

    @property
    def title(self) -> str:
        return f"{self.country}: eco-industrial clusters, a draft country report"

    @property
    def intro(self) -> str:
        return (
            f"The modules' sections hold what was recorded about a cluster and country the "
            f"authors know: ratings, judgements, reflections, the SWOT, the roadmap and tables "
            f"of their own data. The answers to the course's exercises, which are about its "
            f"examples and not about the authors' own clusters in "
            f"{country_in_text(self.country)}, are in the annex."
        )


# the words of a country's name that make it read "the ..." in a sentence: "the Republic of
# Korea", "the Kyrgyz Republic", "the Solomon Islands", "the Lao PDR", "the United Kingdom"
_WORDS_WITH_THE = {
    *("republic", "kingdom", "state", "states", "islands", "federation", "federated"),
    *("emirates", "union", "commonwealth", "sultanate", "principality", "pdr", "united"),
    *("democratic", "islamic", "people's", "peoples"),
}
# and the names that read "the ..." without one of those words
_NAMES_WITH_THE = {
    *("philippines", "maldives", "netherlands", "bahamas", "gambia", "comoros", "congo"),
    *("holy see", "uk", "us", "usa", "uae", "prc", "dprk", "rok"),
}


def country_in_text(country: str) -> str:
    """A country's name as it reads in the middle of a sentence, with "the" where English
    puts one; a name given with "the" keeps one, and a country not given reads "the country".

    >>> [country_in_text(c) for c in ("Viet Nam", "Philippines", "The Philippines")]
    ['Viet Nam', 'the Philippines', 'the Philippines']
    >>> [country_in_text(c) for c in ("Republic of Korea", "Kyrgyz Republic", "Lao PDR")]
    ['the Republic of Korea', 'the Kyrgyz Republic', 'the Lao PDR']
    >>> country_in_text("Iran (Islamic Republic of)")
    'Iran (Islamic Republic of)'
    """
    name = " ".join(str(country).split())
    if not name or name.startswith("("):  # none given ("(country not given)")
        return "the country"
    first, _, rest = name.partition(" ")
    if first.casefold() == "the" and rest:
        return f"the {rest}"
    # the name itself, not a form of state written after it ("Iran (Islamic Republic of)")
    main = re.split(r"[(,]", name, maxsplit=1)[0].strip().casefold().replace("\u2019", "'")
    words = set(re.findall(r"[\w']+", main))
    return f"the {name}" if words & _WORDS_WITH_THE or main in _NAMES_WITH_THE else name


def find_answers(folder: Path, module: dict) -> Path | None:
    """The module's answer file in a course folder: ``folder/<module folder>/mNN-answers.json``
    (a release or a submission) or ``folder/mNN-answers.json``."""
    name = f"{module['id']}{ANSWERS_SUFFIX}"
    for candidate in (Path(folder) / module["folder"] / name, Path(folder) / name):
        if candidate.is_file():
            return candidate
    return None


def read_answers(path: Path) -> tuple[dict[str, dict], list[str]]:
    """The answers in a file, read without changing it; problems are described, not raised.
    An entry that says nothing (:func:`eic.answers.is_blank`: Check pressed on a question
    not answered, in a file recorded before that saved nothing) is no answer: left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return {}, [f"{path.name} could not be read ({err.__class__.__name__}); it was skipped"]
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        return {}, [f"{path.name} has no answers in the expected form; it was skipped"]
    good = {
        qid: entry for qid, entry in answers.items() if isinstance(entry, dict) and "value" in entry
    }
    problems = (
        [f"{len(answers) - len(good)} answer(s) in {path.name} were malformed"]
        if len(good) < len(answers)
        else []
    )
    return answers_given(good), problems


def build_report(sources: Sequence[tuple[str, Path]], *, country: str, cluster: str = "") -> Report:
    """Gather the answers of one or several participants (name, course folder) of a country,
    about the cluster named ``cluster``, if one is."""
    if not sources:
        raise ValueError("give at least one participant: a name and a course folder")
    sections = []
    for module in syllabus()["modules"]:
        section = Section(module)
        for name, folder in sources:
            own, problems = find_own_data(Path(folder), module, name)
            section.own_data += own
            section.problems += [f"{name}: {p}" for p in problems]
            path = find_answers(Path(folder), module)
            if path is None:
                continue
            answers, problems = read_answers(path)
            section.problems += [f"{name}: {p}" for p in problems]
            for qid, entry in sorted(answers.items(), key=lambda item: _order(item[0])):
                if entry.get("kind") == "details":
                    section.details.append(qid)
                    continue
                section.entries.append(
                    Entry(
                        qid,
                        str(entry.get("question") or qid),
                        str(entry.get("kind") or ""),
                        entry["value"],
                        name,
                        str(entry.get("unit") or ""),
                    )
                )
            for draw in FIGURES.get(module["id"], ()):
                try:
                    section.figures += draw(answers, name)
                except (KeyError, TypeError, ValueError) as err:
                    section.problems.append(f"{name}: a chart could not be drawn ({err})")
        sections.append(section)
    return Report(
        country=country,
        participants=[name for name, _ in sources],
        sections=sections,
        made=dt.date.today().isoformat(),
        cluster=cluster.strip(),
    )


def _order(qid: str) -> tuple[int, int, str]:
    match = re.match(r"([qr])(\d+)_", qid)
    if not match:
        return (2, 0, qid)
    return (0 if match.group(1) == "q" else 1, int(match.group(2)), qid)


UNREADABLE = "(this answer could not be read; answer the question again in {where})"


def describe(entry: Entry, module: str = "") -> list[str]:
    """The answer as lines of plain text (several for lists and groups).

    An answer it cannot read (from a damaged or outdated answer file) is described as such,
    with the module (its number, as in "7") where it can be answered again; it never stops
    the report.
    """
    value = entry.value
    unreadable = UNREADABLE.format(where=f"Module {module}" if module else "its module")
    if entry.kind == "pairwise" and isinstance(value, dict):
        from eic.question_groups import judgement_options

        lines = []
        for key, judgement in value.items():
            a, _, b = str(key).partition(" vs ")
            ratio = judgement_ratio(judgement)
            if ratio is None:
                lines.append(f"{a} or {b}? {unreadable}")
                continue
            options = judgement_options(a, b)
            label = min(options, key=lambda o: abs(o[1] - ratio))[0]
            lines.append(f"{a} or {b}? {label}")
        return lines
    if entry.kind == "pairwise":
        return [unreadable]
    if isinstance(value, dict):
        from eic.swot import SWOT_PARTS

        if set(value) == set(SWOT_PARTS):  # kept in the order of the acronym
            value = {part: value[part] for part in SWOT_PARTS}
        return [f"{_item_name(key)}: {_one_line(item)}" for key, item in value.items()]
    if isinstance(value, list):  # a ranking's place not filled yet (a draft) says so
        return [f"{n}. {item or '(no item chosen yet)'}" if entry.kind == "ranking" else str(item)
                for n, item in enumerate(value, 1)]  # fmt: skip
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return [f"{number_text(value)} {entry.unit}".strip()]
    if entry.kind in REFLECTION_KINDS:
        return [p.strip() for p in str(value).splitlines() if p.strip()] or [""]
    return [str(value)]


def _item_name(key: object) -> str:
    """A checklist item by its name: "Anchor industries" for an item written as a name and
    the questions to ask about it ("Anchor industries: Are there large plants ...?")."""
    name, colon, questions = str(key).partition(": ")
    return name if colon and "?" in questions else str(key)


def _one_line(item: object) -> str:
    """A text of several lines (one point per line) as one line: "a; b"."""
    points = [re.sub(r"^[-*\u2022]\s+", "", line.strip()) for line in str(item).splitlines()]
    return "; ".join(point for point in points if point) or "(left empty)"
