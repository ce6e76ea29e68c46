"""Every module's citations and its Sources list agree.

A reading cites a source as "(Tomita, 2013)" or "Reed et al. (2009)"; its "## Sources"
cell lists each as "- Tomita, H. (2013). Title ...". A citation with no entry leaves a
figure without a source a participant can find; an entry nothing cites is a source the
module no longer uses (or a figure that was cut while its source stayed). Hints and
options in question cells are read too: they cite sources as readings do.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import tokenize

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MODULES = released_modules()

# 2013, 2013a, 2014-15 (either dash), n.d., n.d.-a, n.d.a
YEAR = r"((?:18|19|20)\d\d(?:[–-]\d\d)?[a-z]?|n\.d\.(?:-?[a-z])?)"
# a year that closes a citation: "(Tomita, 2013)", "(2009)", "(A, 2001; B, 2002)"
CITED_YEAR = re.compile(r"(?:\(|,\s|;\s)" + YEAR + r"(?=[);,])")
# how far before its year a citation names its first author
REACH = 120


def sources_cell(nb):
    cells = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Sources")]
    assert len(cells) == 1, "a module has one Sources cell"
    return cells[0]


def entries(sources: str) -> list[tuple[str, str | None, str | None]]:
    """(line, first author or organisation in lower case, year) for each listed source."""
    out = []
    for line in sources.splitlines():
        if not line.startswith("- "):
            continue
        body = line[2:]
        year = re.search(r"\(" + YEAR + r"[),]", body)
        key = re.split(r",|\s\(", body, maxsplit=1)[0].strip().lower()
        out.append((body[:70], key if year else None, year.group(1) if year else None))
    return out


def strings_of(code: str) -> str:
    """The text of a code cell's string literals: its question, options and hints."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.STRING:
                # an f-string is not a literal: its words are no citation
                with contextlib.suppress(ValueError, SyntaxError):
                    found.append(str(ast.literal_eval(token.string)))
    except tokenize.TokenError:
        pass
    return " ".join(found)


def citation_problems(nb) -> list[str]:
    """What is wrong between a module notebook's citations and its Sources cell."""
    listed = sources_cell(nb)
    parts = [
        c.source if c.cell_type == "markdown" else strings_of(c.source)
        for c in nb.cells
        if c is not listed
    ]
    return text_problems("\n".join(parts), listed.source)


def text_problems(text: str, listed: str) -> list[str]:
    """What is wrong between the citations in ``text`` and the Sources list ``listed``."""
    sources = entries(listed)
    text = re.sub(r"\s+", " ", text)
    lower = text.lower()
    cited = [(m.start(1), m.group(1)) for m in CITED_YEAR.finditer(text)]
    problems = [f"Sources entry without a year in brackets: {line!r}"
                for line, key, _ in sources if key is None]  # fmt: skip
    problems += unlisted_citations(text, sources)
    for line, key, year in sources:
        if key and not any(y == year and key in lower[max(0, at - REACH) : at] for at, y in cited):
            problems.append(f"in Sources but cited nowhere: {line!r}")
    return problems


def unlisted_citations(text: str, sources) -> list[str]:
    """The citations in ``text`` that name no entry of ``sources``."""
    text = re.sub(r"\s+", " ", text)
    lower = text.lower()
    return [
        f"cited but not in Sources: ...{text[max(0, at - 70) : at + 8]!r}"
        for at, year in ((m.start(1), m.group(1)) for m in CITED_YEAR.finditer(text))
        if not any(
            y == year and key and key in lower[max(0, at - REACH) : at] for _, key, y in sources
        )
    ]


def test_a_missing_entry_and_an_uncited_one_are_both_found():
    nb = new_notebook(
        cells=[
            new_markdown_cell("Kalundborg grew deal by deal (Grann, 1997). Reed et al. (2009) ..."),
            new_code_cell('ws.single_choice("q1", "...", hint="See Tomita (2013).")'),
            new_markdown_cell(
                "## Sources\n\n- Grann, H. (1997). The industrial symbiosis at Kalundborg.\n"
                "- Tomita, H. (2013). City-level decoupling.\n"
                "- Someone, A. (2001). A source the module no longer uses.\n"
            ),
        ]
    )
    problems = citation_problems(nb)
    assert len(problems) == 2, problems
    assert "cited but not in Sources" in problems[0] and "Reed et al." in problems[0]
    assert "cited nowhere" in problems[1] and "Someone" in problems[1]
    # listed as cited, the module is clean; years in code (not strings) are not citations
    nb.cells[2].source += "- Reed, M. S. et al. (2009). Who's in and why?\n"
    nb.cells[0].source += " Someone (2001) says so."
    nb.cells[1].source += "\nshift_share(table, (2010, 2020))"
    assert citation_problems(nb) == []


@pytest.mark.parametrize("module", MODULES, ids=[m["id"] for m in MODULES])
def test_every_citation_of_a_module_is_in_its_sources_and_every_source_is_cited(module):
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    problems = citation_problems(nb)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("module", MODULES, ids=[m["id"] for m in MODULES])
def test_the_trainer_guide_cites_only_its_modules_sources(module):
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    guide = ROOT / "course" / "guide" / f"{module['folder']}.md"
    sources = entries(sources_cell(nb).source)
    problems = unlisted_citations(guide.read_text(encoding="utf-8"), sources)
    assert problems == [], "\n".join(problems)


PAGES_WITH_SOURCES = sorted(
    p for p in (ROOT / "course").glob("*.md") if "\n## Source" in p.read_text(encoding="utf-8")
)


def test_the_course_pages_that_cite_sources_list_them():
    # the field visit is printed and handed out: its citations must be findable there
    assert {p.name for p in PAGES_WITH_SOURCES} >= {"field-visit.md", "group-work.md", "README.md"}


@pytest.mark.parametrize("page", PAGES_WITH_SOURCES, ids=lambda p: p.name)
def test_a_course_pages_citations_and_its_sources_list_agree(page):
    body, listed = page.read_text(encoding="utf-8").split("\n## Source", 1)  # or Sources
    problems = text_problems(body, listed)
    assert problems == [], "\n".join(problems)
