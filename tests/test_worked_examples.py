"""What every module shows reads as tables and sentences for an official: no
programmer's column name, dict, missing-value marker or unformatted number in any output.
The Voila app hides the code but shows its outputs, so each released notebook is run once
and every output a participant sees is read: printed text, and what is displayed as HTML,
Markdown or plain text (plain text only where it is all there is: beside a picture or a
widget, it is a repr that no one sees)."""

from __future__ import annotations

import html
import re

import pytest
from conftest import copy_course, notebook_path, released_modules, run_notebook

pytestmark = pytest.mark.slow
MODULES = released_modules()
IDS = [m["id"] for m in MODULES]
RICH = ("text/html", "text/markdown", "image/png", "application/vnd.jupyter.widget-view+json")

# column names the review found on screen, and any other name_with_underscores
NAMED = (
    "stock_change",
    "employment_start",
    "national_share",
    "regional_shift",
    "job_kind",
    "virgin_price_usd_per_t",
    "disposal_cost_usd_per_t",
    "tonnes_per_year",
    "start_year",
    "partners_linked",
    "links_lost",
    "plant_inflow",
    "shapley_usd_per_yr",
)
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# pandas' and Python's own way of writing a missing value or a dict
MARKERS = re.compile(r"<NA>|\bNaN\b|\bnan\b|\{'|\{\"")
# a table cell holding a Python value rather than a word for it
RAW_CELL = re.compile(r"<td[^>]*>\s*(True|False|None|nan|NaN|<NA>)\s*</td>")
# 58420, 6000.0 or 1.072809: a number of five or more digits, or of four with decimals,
# without thousands separators; or one with five or more decimals (a year, 2020, is fine)
UNFORMATTED = re.compile(r"(?<![\d,.])(?:\d{5,}(?:\.\d+)?|\d{4}\.\d+)(?![\d,])|\d\.\d{5,}")


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict[str, list[tuple[int, str, str]]]:
    """For each module: (cell number, "text" or "html", content) of each output shown."""
    course = copy_course(tmp_path_factory.mktemp("course"))
    found = {}
    for module in MODULES:
        nb = run_notebook(notebook_path(course, "release", module))
        found[module["id"]] = [
            (number, *piece)
            for number, cell in enumerate(nb.cells)
            if cell.cell_type == "code"
            for output in cell.outputs
            for piece in pieces(output)
        ]
    return found


def pieces(output) -> list[tuple[str, str]]:
    if output.output_type == "stream":
        return [("text", output.text)]
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        return []  # a widget's own texts are the library's panels, tested with them
    found = [("html", data["text/html"])] if "text/html" in data else []
    found += [("text", data["text/markdown"])] if "text/markdown" in data else []
    if "text/plain" in data and not any(kind in data for kind in RICH):
        found.append(("text", data["text/plain"]))
    return found


def visible(fragment: str) -> str:
    """The words an HTML fragment shows: the text between tags and the pictures'
    alternative texts, without markup, styles or the pictures' data."""
    alternatives = " ".join(re.findall(r"\balt='([^']*)'", fragment))
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment) + " " + alternatives)


def offending(shown: list[tuple[int, str, str]], pattern: re.Pattern) -> list[tuple[int, str]]:
    """(cell, match) of each match of ``pattern`` in the words shown."""
    return [
        (n, hit)
        for n, kind, content in shown
        for hit in pattern.findall(visible(content) if kind == "html" else content)
    ]


@pytest.mark.parametrize("module", IDS)
def test_no_output_shows_a_column_name_of_the_code(module, shown):
    named = [(n, name) for n, _, content in shown[module] for name in NAMED if name in content]
    assert named == [], f"{module}: (cell, column name) {named}"
    assert offending(shown[module], IDENTIFIER) == [], module


@pytest.mark.parametrize("module", IDS)
def test_no_output_shows_a_missing_value_marker_a_dict_or_a_python_value(module, shown):
    assert offending(shown[module], MARKERS) == [], module
    tables = [(n, content) for n, kind, content in shown[module] if kind == "html"]
    assert [(n, hit) for n, table in tables for hit in RAW_CELL.findall(table)] == [], module
    # a DataFrame displayed as pandas draws it shows its index (0, 1, 2...) as a column
    assert [n for n, table in tables if 'class="dataframe"' in table] == [], module


@pytest.mark.parametrize("module", IDS)
def test_large_numbers_have_thousands_separators_and_few_decimals(module, shown):
    assert offending(shown[module], UNFORMATTED) == [], module


def test_the_checks_catch_what_the_review_found():
    # what modules 2, 3, 4 and 6 showed before their worked examples were rewritten
    before = [
        ("text", "   process  inputs  outputs  stock_change\n0  Dye house   100.0", IDENTIFIER),
        ("text", "Agriculture & food processing           58420.0", UNFORMATTED),
        ("text", "0  Dye house   100.0     90.0 ... water m3/day  6000.0", UNFORMATTED),
        ("text", " start_year  supplier\n       <NA>  Kalundborg municipality", MARKERS),
        ("text", "If the anchor left: {'links_lost': 7, 'isolated': ['Fish farm']}", MARKERS),
        ("text", "    Equal: {'A': 83333, 'B': 83333, 'C': 83333} ->", UNFORMATTED),
        ("html", "<th scope='col'>virgin_price_usd_per_t</th>", IDENTIFIER),
        ("html", "<td style='text-align:right'>&lt;NA&gt;</td>", MARKERS),
    ]
    for kind, content, pattern in before:
        assert offending([(0, kind, content)], pattern), (content, pattern.pattern)
    assert RAW_CELL.findall("<td style='text-align:right'>True</td>") == ["True"]
    # and what they show now passes
    now = (
        "<td style='padding:2px 8px'>58,420</td><td>+1,292</td> in 2020, LQ 3.40, 6,300 m3/day,"
        " <img src='data:image/png;base64,iVBORw0KGgo_1234567' alt='0.2 tCO2e/t'>"
    )
    for pattern in (IDENTIFIER, MARKERS, UNFORMATTED):
        assert offending([(0, "html", now)], pattern) == [], pattern.pattern
