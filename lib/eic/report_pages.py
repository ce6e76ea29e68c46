"""The country report as pages: one self-contained, printable HTML page, and a Word document
to edit (:mod:`eic.report_docx`, made from the page); the Markdown to edit follows the same
order (:mod:`eic.report_markdown`). :mod:`eic.report` gathers what goes in it. The files
are written by :mod:`eic.report_files`.
"""

from __future__ import annotations

import base64
import html
import re

from eic.report import (
    REFLECTION_KINDS,
    STATUS_DONE,
    STATUS_EXERCISES,
    Entry,
    OwnTable,
    Report,
    Section,
    country_in_text,
    describe,
)
from eic.report_docx import html_to_docx
from eic.report_figures import Figure

ANNEX_INTRO = (
    "These are the answers to the course's exercises. They are about the course's examples "
    "({examples}), not about the authors' own clusters in {country}, and show what was "
    "learnt. They are as they were given, not marked. Where a question has a right answer, "
    "the trainer's feedback says which were right; an observation, such as a condition ticked "
    "in the field-visit checklist, has none."
)
# what the course's examples are, for a syllabus that does not say (course: examples:)
EXAMPLES = (
    "the region of Riverside and its cluster are invented for training; Kalundborg, "
    "Kawasaki, Tirupur and Ulsan are real cases"
)


def annex_intro(country: str) -> str:
    """The annex's first paragraph: what the exercises were about, from the syllabus (an
    adapted course names its own examples there), and that they are not about the authors'
    own clusters in ``country`` (which the examples may be in, in a course adapted to it).
    """
    from eic.course import syllabus

    examples = str(syllabus()["course"].get("examples") or EXAMPLES).strip().rstrip(".")
    return ANNEX_INTRO.format(examples=examples, country=country_in_text(country))


# the worksheet's instructions at the end of a question ("(80-200 words).", "(one point per
# line)", "Tick three."), which a report's reader does not need in its headings
_INSTRUCTIONS = re.compile(
    r"\s*(\((?:[^()]*\b(?:words?|lines?|tick|choose|one point)\b[^()]*)\)\.?|"
    r"Tick (?:all that apply|one|two|three|four)\.)\s*$",
    re.IGNORECASE,
)


def heading_of(question: str) -> str:
    """A question as a report's heading: without its number in the worksheet or the
    instructions for answering it.

    >>> heading_of("10. Your reflection: who will lead, and your next step (120-250 words).")
    'Your reflection: who will lead, and your next step'
    >>> heading_of("6. Your cluster's SWOT (one point per line)")
    "Your cluster's SWOT"
    >>> heading_of("2. Which three policy streams did the workshop name? Tick three.")
    'Which three policy streams did the workshop name?'
    """
    text = re.sub(r"^\s*\d+\.\s+", "", question)
    while (shorter := _INSTRUCTIONS.sub("", text)) != text:
        text = shorter
    return text.rstrip(" .:") or question


CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto;
       padding: 0 1em; line-height: 1.45; color: #1b1b1b; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
.status { font-size: 90%; color: #555; }
.answer { margin: 0.2em 0 0.8em 1em; }
.credit { color: #555; font-size: 90%; }
figure { margin: 1em 0; } figure img, .own-results img { max-width: 100%; }
.own-results { border-left: 3px solid #ccc; padding-left: 1em; margin: 0 0 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 90%; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
caption { text-align: left; font-style: italic; }
@media print { a { color: inherit; text-decoration: none; } section { page-break-inside: avoid; } }
"""


def to_html(report: Report) -> str:
    """The report as one self-contained, printable HTML page (images embedded)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f"<html lang='en'><head><meta charset='utf-8'><title>{e(report.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1>",
        *([f"<p class='cluster'>The cluster: {e(report.cluster)}</p>"] if report.cluster else []),
        f"<p>Prepared by {e(', '.join(report.participants))} with the EIC Course, "
        f"{e(report.made)}. A draft to edit: each answer is the participant's own.</p>",
        f"<p>{e(report.intro)}</p>",
        "<nav><h2>Contents</h2><ol>",
    ]
    parts += [
        f"<li><a href='#{s.module['id']}'>{e(s.module['title'])}</a> "
        f"<span class='status'>({e(_status_text(s.status))})</span></li>"
        for s in report.sections
    ]
    if any(s.exercises for s in report.sections):
        parts.append("<li><a href='#annex'>Annex: answers to the course's exercises</a></li>")
    parts.append("</ol></nav>")
    group = len(report.participants) > 1
    for section in report.sections:
        module = section.module
        number = int(module["id"][1:])
        parts.append(f"<section id='{module['id']}'>")
        parts.append(f"<h2>Module {number} · {e(module['title'])}</h2>")
        for problem in section.problems:
            parts.append(f"<p class='status'>Note: {e(problem)}</p>")
        if section.status != STATUS_DONE:
            parts.append(f"<p class='status'>{e(missing_text(section.status))}</p></section>")
            continue
        for table in section.own_data:
            credit = f" ({table.contributor})" if group else ""
            head = "".join(f"<th>{e(cell)}</th>" for cell in table.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>"
                for row in table.rows[: table.PREVIEW]
            )
            parts.append(
                f"<table><caption>{e(table.caption + credit)}</caption><thead><tr>{head}</tr>"
                f"</thead><tbody>{body}</tbody></table>"
            )
            parts += _own_results_html(table)
        for n, item in main_part(section):
            if isinstance(item, list):  # the answers to one question
                parts += _answers_html(item, number, group, "h3")
                continue
            figure = item
            if figure.heading:
                parts.append(f"<h3>{e(figure.heading)}</h3>")
            parts += [f"<p>{e(paragraph)}</p>" for paragraph in figure.text]
            data = base64.b64encode(figure.png).decode("ascii")
            caption = f"{figure.title} ({figure.contributor})" if group else figure.title
            # the caption is written once, under the chart; the table of the chart's data
            # under it is named by that caption, not by a second copy of it
            label = f"{module['id']}-figure-{n}"
            image = (
                f"<img src='data:image/png;base64,{data}' alt='{e(figure.alt, True)}'>"
                if figure.png
                else f"<p>{e(figure.alt)}</p>"  # nothing to draw: what it would show, in words
            )
            parts.append(
                f"<figure>{image}<figcaption id='{label}'>{e(caption)}</figcaption></figure>"
            )
            if figure.table:
                parts.append(_table_html(figure.table, label))
            if figure.note:
                parts.append(f"<p class='status'>{e(figure.note)}</p>")
        parts.append("</section>")
    if any(s.exercises for s in report.sections):
        parts.append("<section id='annex'><h2>Annex: answers to the course's exercises</h2>")
        parts.append(f"<p>{e(annex_intro(report.country))}</p>")
        for section in report.sections:
            if section.exercises:
                number = int(section.module["id"][1:])
                parts.append(f"<h3>Module {number} · {e(section.module['title'])}</h3>")
                parts += _answers_html(section.exercises, number, group, "h4")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def to_docx(report: Report) -> bytes:
    """The report as a Word document (.docx), holding what its web page shows."""
    return html_to_docx(to_html(report), title=report.title, author=", ".join(report.participants))


OWN_RESULTS_HEADING = "What the module's analysis shows for this table"


def _own_results_html(table: OwnTable) -> list[str]:
    """The analysis of an own-data table, as its module's panel shows it, under the table."""
    e = html.escape
    if table.results_problem:
        return [f"<p class='status'>{e(table.results_problem)}</p>"]
    if not table.results:
        return []
    settings = "".join(f"<li>{e(setting)}</li>" for setting in table.settings)
    return [
        "<div class='own-results'>",
        f"<h3>{e(OWN_RESULTS_HEADING)}</h3>",
        *([f"<p>With these settings:</p><ul>{settings}</ul>"] if settings else []),
        *table.results,
        "</div>",
    ]


def main_part(section: Section) -> list[tuple[int, list[Entry] | Figure]]:
    """The main part of a module's section in the order it is read: the answers to each
    question (as a list of entries, numbered 0) and each chart (numbered from 1, in the
    order of ``section.figures``) where it belongs: after the answers to the first
    question it ``follows``, else before those to the first it goes ``before``, else at the
    end. The answers a chart's table says in full (its ``replaces``, from the same
    contributor) are left out, so that the report does not say them twice."""
    replaced = {(f.contributor, qid) for f in section.figures for qid in f.replaces}
    questions = [
        (answered, {entry.qid for entry in answered})
        for _heading, answered in by_question(section.about_the_cluster)
    ]
    charts = list(enumerate(section.figures, 1))

    def place(figure: Figure) -> tuple[int, int]:
        """(the index of the question it goes with, 1 after it or 0 before it)."""
        for wanted, after in ((figure.follows, 1), (figure.before, 0)):
            for qid in wanted:
                found = [i for i, (_answers, qids) in enumerate(questions) if qid in qids]
                if found:
                    return found[0], after
        return len(questions), 0

    placed = {n: place(figure) for n, figure in charts}
    items: list[tuple[int, list[Entry] | Figure]] = []
    for index, (answered, _qids) in enumerate([*questions, ([], set())]):
        items += [(n, f) for n, f in charts if placed[n] == (index, 0)]
        shown = [e for e in answered if (e.contributor, e.qid) not in replaced]
        if shown:
            items.append((0, shown))
        items += [(n, f) for n, f in charts if placed[n] == (index, 1)]
    return items


def _status_text(status: str) -> str:
    return {STATUS_EXERCISES: "exercises only, in the annex"}.get(status, status)


def missing_text(status: str) -> str:
    """What a module's section says in place of answers about the cluster, by its status."""
    if status == STATUS_EXERCISES:
        return (
            "Nothing about your own cluster was recorded in this module; the answers to its "
            "exercises are in the annex."
        )
    return "Not yet done: no answers recorded."


def _answers_html(entries: list[Entry], number: int, group: bool, heading: str) -> list[str]:
    e = html.escape
    parts = []
    for question, answered in by_question(entries):
        parts.append(f"<{heading}>{e(question)}</{heading}>")
        for entry in answered:
            credit = f" <span class='credit'>({e(entry.contributor)})</span>" if group else ""
            lines = describe(entry, str(number))
            if entry.kind in REFLECTION_KINDS:
                body = "".join(f"<p>{e(line)}</p>" for line in lines)
            elif len(lines) == 1:
                body = f"<p>{e(lines[0])}</p>"
            else:
                body = "<ul>" + "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>"
            parts.append(f"<div class='answer'>{body}{credit}</div>")
    return parts


def _table_html(table: tuple[list[str], list[list[str]]], labelled_by: str) -> str:
    """A chart's data as a table, named by the chart's caption (the element ``labelled_by``)."""
    e = html.escape
    headers, rows = table
    head = "".join(f"<th scope='col'>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table aria-labelledby='{e(labelled_by, True)}'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def by_question(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """``entries`` grouped by question, in the order first answered, each under its heading."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.question, []).append(entry)
    return [(heading_of(question), answered) for question, answered in grouped.items()]


def __getattr__(name: str) -> object:
    """What was here before :mod:`eic.report_files` held it (``write_report``,
    ``ReportFiles``, ...), for code written against it, such as a trainer's copy of the group
    report's cell."""
    if name in {"ReportFiles", "as_written", "edited_since_written", "write_report"}:
        from eic import report_files

        return getattr(report_files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
