"""Module 6: question 5's group is not printed above it, question 3 tells its common slips
apart, the own plant's figures are never quietly changed, and the text is plain."""

from __future__ import annotations

import ast
import html
import re

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic import data
from eic.guide import questions
from eic.own_cost_sharing import PLANT_FIELDS, firms_analysis, plant_figure_problems
from eic.panels import cost_sharing_explorer
from eic.typed_numbers import read_answer_number


def module_6() -> dict:
    return next(m for m in released_modules() if m["id"] == "m06")


def cell(kind: str, grade_id: str) -> str:
    nb = nbformat.read(notebook_path(ROOT, kind, module_6()), as_version=4)
    return next(
        c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def first_line(explorer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", explorer.text.value.split("</p>")[0]))


# -- question 5: the group is found with the explorer, not read above the question ---------


def test_the_worksheets_explorer_does_not_open_on_question_5s_answer():
    source = cell("release", "worksheet_cost_sharing")
    call = re.search(r"cost_sharing_explorer\(firms(?:, rule=\"(\w+)\")?\);", source)
    assert call, "the worksheet shows the cost-sharing explorer"
    rule = call[1] or "proportional"
    opened = first_line(cost_sharing_explorer(data.load("cetp_firms"), rule=rule, display=False))
    # by volume, A, B and D (1,000 of 2,300 m3/day, 805 kg COD/day) pay 1,000 / 2,300 of
    # 845,660 = 367,678 and their own plant costs 40,000 + 219,000 + 0.25 x 365 x 805 =
    # 332,456: that is question 5's answer, and the page must not open on it
    assert "Dye house A, Dye house B and Dye house D" not in opened
    assert "367,678" not in opened
    assert opened.startswith("Equal shares: Not in the core")
    # the text above the explorer says where it opens and asks to switch
    assert "opens on equal shares" in cell("release", "q5_intro")


# -- question 3: the range and the hints ---------------------------------------------------


def number_keywords(grade_id: str) -> dict:
    tree = ast.parse(cell("source", grade_id))
    call = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "number"
    )
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords}


def test_question_3_flags_a_fraction_or_thousands_left_out_and_reads_a_comma_as_thousands():
    low, high = number_keywords("q3_shapley_two")["plausible"]
    answer = (50_000 + (100_000 - 80_000)) / 2  # A first adds 50,000, A second 20,000
    assert low <= answer <= high
    # 0.35 (a fraction of 100,000) and 35 (in thousands) were saved with no warning
    assert not low <= 0.35 <= high and not low <= 35 <= high
    # "38,462" was refused as readable two ways; in the range it is 38,462
    assert read_answer_number("38,462", (low, high)) == 38_462
    assert read_answer_number("35,000", (low, high)) == 35_000


def test_question_3_has_a_hint_for_each_common_slip_and_none_gives_the_answer():
    q3 = next(
        q for q in questions(notebook_path(ROOT, "source", module_6())) if q.qid == "q3_shapley_two"
    )
    slips = {
        50_000 + 20_000: "not averaged",  # the two extra costs added up
        (50_000 + 80_000 - 100_000) / 2: "each firm's half of the saving",
        100_000 - 35_000: "firm B's share",
    }
    for slip in slips:
        assert slip in q3.hints, slips[slip]
    assert q3.answer == 35_000
    for hint in q3.hints.values():
        assert "35,000" not in hint and "35000" not in hint


# -- the own plant's figures --------------------------------------------------------------


def test_a_plant_figure_out_of_its_range_is_named_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    kept: list[dict] = []
    panel = firms_analysis(data.load("cetp_firms"), remember=kept.append)
    boxes = dict(zip([name for name, *_ in PLANT_FIELDS], panel.children[1].children, strict=True))
    note = panel.children[3]
    analysis = panel.children[4].children
    boxes["scale_exponent"].value = 1.5
    # the box keeps what was typed (a bounded box made it 1), and the note says why it
    # is not used; nothing is kept and the results stay as they were
    assert boxes["scale_exponent"].value == 1.5
    said = html.unescape(note.value)
    assert "The scale exponent is 1.5: enter a number from 0.05 to 1." in said
    assert kept == [] and panel.children[4].children == analysis
    boxes["scale_exponent"].value = 0
    assert "The scale exponent is 0:" in html.unescape(note.value)
    boxes["scale_exponent"].value = 0.8
    assert note.value == "" and kept[-1]["scale_exponent"] == 0.8
    assert panel.children[4].children != analysis  # drawn again with 0.8


@pytest.mark.parametrize(
    ("name", "typed", "said"),
    [
        ("fixed_usd_per_yr", -5, "the fixed cost is -5: enter a number from 0 to 1,000,000,000"),
        ("design_m3_per_day", 0, "the design flow is 0: enter a number from 1 to 10,000,000"),
        ("usd_per_kg_cod", -0.25, "the COD treatment cost is -0.25: enter a number from 0"),
    ],
)
def test_each_plant_figure_out_of_range_is_named_with_its_range(name, typed, said):
    from eic.own_cost_sharing import course_plant

    assert plant_figure_problems(course_plant()) == []
    problems = plant_figure_problems(course_plant() | {name: typed})
    assert len(problems) == 1 and problems[0].startswith(said)


# -- plain words --------------------------------------------------------------------------


def test_the_module_says_things_without_idioms_and_names_the_save_button():
    nb = nbformat.read(notebook_path(ROOT, "release", module_6()), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for idiom in ("walk away", "fail quietly", "fails quietly", "colour the messages"):
        assert idiom not in text, idiom
    # the reading's table of plant costs gave "annualised" costs with no word of what that is
    assert "Annualised" not in text
    assert "spreads the cost of building the plant over its working life" in text
    intro = cell("release", "worksheet_intro")
    assert "**Save answer**" in intro
