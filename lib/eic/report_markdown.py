"""The country report as Markdown to edit: the text, the charts it shows as image files, and
both as one zip file to download. :mod:`eic.report_pages` makes the printable page the
Markdown follows; :mod:`eic.report` gathers what goes in both.
"""

from __future__ import annotations

import base64
import html
import io
import re
import zipfile

from eic.report import REFLECTION_KINDS, STATUS_DONE, Entry, OwnTable, Report, describe
from eic.report_pages import (
    OWN_RESULTS_HEADING,
    annex_intro,
    by_question,
    main_part,
    missing_text,
)

_EMBEDDED = re.compile(r"""<img\b[^>]*?\bsrc=(['"])data:image/png;base64,([^'"]+)\1[^>]*>""")
_ALT = re.compile(r"""\balt=(['"])(.*?)\1""", re.DOTALL)


def _own_results_markdown(
    table: OwnTable, module: str, image_folder: str, images: dict[str, bytes]
) -> list[str]:
    """The analysis of an own-data table, as the report's page shows it, for the Markdown
    file: each chart becomes an image file (named ``<module>-own-<n>.png``, added to
    ``images``) and the rest stays HTML, which Markdown shows as it is, kept free of blank
    lines so that each piece stays whole."""
    if table.results_problem:
        return [f"*{table.results_problem}*", ""]
    if not table.results:
        return []
    lines = [f"### {OWN_RESULTS_HEADING}", ""]
    if table.settings:
        lines += ["With these settings:", "", *[f"- {s}" for s in table.settings], ""]
    for part in table.results:
        pictures = list(_EMBEDDED.finditer(part))
        for picture in pictures:
            name = f"{module}-own-{sum(n.startswith(f'{module}-own-') for n in images) + 1}.png"
            images[name] = base64.b64decode(picture.group(2))
            path = f"{image_folder}/{name}" if image_folder else name
            alt = _ALT.search(picture.group(0))
            text = html.unescape(alt.group(2)) if alt else "chart"
            if part.strip() == picture.group(0):  # a chart alone: as Markdown
                part = f"![{text.replace(']', ')').replace('[', '(')}]({path})"
            else:
                linked = f"<img src='{path}' alt='{html.escape(text, True)}'>"
                part = part.replace(picture.group(0), linked)
        lines += [re.sub(r"\n\s*\n", "\n", part.strip()), ""]
    return lines


def to_markdown(report: Report, image_folder: str = "") -> tuple[str, dict[str, bytes]]:
    """The report as Markdown, with the images it refers to: ``(text, {file name: png})``."""
    lines = [f"# {report.title}", ""]
    lines += [f"**The cluster:** {report.cluster}", ""] if report.cluster else []
    lines += [f"Prepared by {', '.join(report.participants)} with the EIC Course, {report.made}.",
              "", report.intro, ""]  # fmt: skip
    images: dict[str, bytes] = {}
    group = len(report.participants) > 1
    for section in report.sections:
        number = int(section.module["id"][1:])
        lines += [f"## Module {number} · {section.module['title']}", ""]
        lines += [f"*Note: {problem}*\n" for problem in section.problems]
        if section.status != STATUS_DONE:
            lines += [f"*{missing_text(section.status)}*", ""]
            continue
        for table in section.own_data:
            credit = f" ({table.contributor})" if group else ""
            cells = [[cell.replace("|", "\\|") for cell in row] for row in table.rows]
            lines += [f"*{table.caption}{credit}*", ""]
            lines += ["| " + " | ".join(table.header) + " |"]
            lines += ["|" + "---|" * len(table.header)]
            lines += ["| " + " | ".join(row) + " |" for row in cells[: table.PREVIEW]]
            lines.append("")
            lines += _own_results_markdown(table, section.module["id"], image_folder, images)
        for n, item in main_part(section):
            if isinstance(item, list):  # the answers to one question
                lines += _answers_markdown(item, number, group, "###")
                continue
            figure = item
            if figure.heading:
                lines += [f"### {figure.heading}", ""]
            for paragraph in figure.text:
                lines += [paragraph, ""]
            if figure.png:
                name = f"{section.module['id']}-{n}.png"
                images[name] = figure.png
                path = f"{image_folder}/{name}" if image_folder else name
                lines += [f"![{figure.alt}]({path})", ""]
            else:  # nothing to draw: what it would show, in words
                lines += [figure.alt, ""]
            lines += [f"*{figure.title}*", ""]
            if figure.table:
                lines += [*_table_markdown(figure.table), ""]
            if figure.note:
                lines += [f"*{figure.note}*", ""]
    if any(s.exercises for s in report.sections):
        lines += ["## Annex: answers to the course's exercises", ""]
        lines += [annex_intro(report.country), ""]
        for section in report.sections:
            if section.exercises:
                number = int(section.module["id"][1:])
                lines += [f"### Module {number} · {section.module['title']}", ""]
                lines += _answers_markdown(section.exercises, number, group, "####")
    return "\n".join(lines), images


def _answers_markdown(entries: list[Entry], number: int, group: bool, heading: str) -> list[str]:
    lines = []
    for question, answered in by_question(entries):
        lines += [f"{heading} {question}", ""]
        for entry in answered:
            credit = f" *({entry.contributor})*" if group else ""
            described = describe(entry, str(number))
            if entry.kind in REFLECTION_KINDS or len(described) == 1:
                lines += list(described)
                lines[-1] += credit
            else:
                lines += [f"- {line}" for line in described]
                if credit:
                    lines.append(credit.strip())
            lines.append("")
    return lines


def _table_markdown(table: tuple[list[str], list[list[str]]]) -> list[str]:
    headers, rows = table
    cell = lambda text: str(text).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(map(cell, headers)) + " |", "|" + " --- |" * len(headers)]
    return lines + ["| " + " | ".join(map(cell, row)) + " |" for row in rows]


def markdown_archive(report: Report, stem: str = "country-report") -> bytes:
    """A zip file of ``<stem>.md`` and the charts it shows, in ``<stem>-images/``: the
    Markdown with working images, as one download."""
    text, images = to_markdown(report, f"{stem}-images")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.md", text)
        for name, png in images.items():
            archive.writestr(f"{stem}-images/{name}", png)
    return buffer.getvalue()
