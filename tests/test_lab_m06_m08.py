"""Modules 6 and 8 in JupyterLab: Module 6's question 5 needs the worksheet's table, not only
the reading; its own-data template says what a blank COD cell does; the country report
shows Module 6's kept plant figures without calling them lost; the report's downloads look
like links, its panel says when its kernel has gone, and its Word document keeps an exponent
raised."""

from __future__ import annotations

import io
import re

import docx
import pandas as pd
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic.explorers import RESTARTED_LINE
from eic.guide import questions
from eic.own_data_specs import SPECS
from eic.own_results import saved_results
from eic.own_tables import OWN_TABLES, OwnDataFile
from eic.report_docx import html_to_docx
from eic.strategy_panels import _download, report_panel
from eic.tables import TableError

M06 = next(m for m in released_modules() if m["id"] == "m06")
# lib/eic/data/cetp_firms.csv, as the worksheet's table of dye houses shows it: COD in mg/L
COD = {"A": 600, "B": 700, "C": 3_000, "D": 900, "E": 3_000}
WEAKER = "their effluent is weaker (lower COD) than the others'"


def q5():
    found = questions(notebook_path(ROOT, "source", M06))
    return next(q for q in found if q.qid == "q5_volume_leavers")


def group_of(option: str) -> str:
    named = re.match(r"([A-E](?:, [A-E])*(?: and [A-E])?) (?:alone|together):", option)
    return "".join(re.findall(r"[A-E]", named.group(1))) if named else ""


def test_module_6_q5_s_reason_alone_does_not_pick_the_answer():
    # the model answer's reason was its own: read from the reading ("strong effluent costs
    # more to treat"), it gave the answer without a look at the table or the explorer
    question = q5()
    reason = question.answer.split(": ", 1)[1]
    same_reason = [c for c in question.choices if c.split(": ", 1)[-1] == reason]
    assert len(same_reason) >= 2, question.choices
    assert "table of dye houses" in question.prompt and "explorer" in question.prompt


def test_module_6_q5_s_weaker_effluent_holds_only_for_the_model_answer_s_group():
    question = q5()
    claimed = [c for c in question.choices if WEAKER in c]
    assert question.answer in claimed and len(claimed) >= 2

    def weaker_than_the_others(group: str) -> bool:
        rest = [cod for firm, cod in COD.items() if firm not in group]
        return max(COD[firm] for firm in group) < min(rest)

    assert [c for c in claimed if weaker_than_the_others(group_of(c))] == [question.answer]
    # a wrong twin gets a hint that sends the participant to the COD column
    for option in claimed:
        if option != question.answer:
            assert "COD column" in question.hints[option] and "3,000 mg/L" in question.hints[option]


# -- Module 6's own data ---------------------------------------------------------------------


def test_the_template_says_cod_is_given_for_every_firm_or_left_out_as_a_column():
    # "(may be left out)" led an official to leave one firm's COD blank: refused
    spec = SPECS["m06"]
    said = dict(spec.guide)["cod_mg_per_l"]
    assert "may be left out" not in said
    assert "every firm" in said and "whole column" in said
    one_blank = pd.DataFrame(
        {"firm": ["Alpha", "Beta"], "effluent_m3_per_day": [120, 250], "cod_mg_per_l": [800, None]}
    )
    with pytest.raises(TableError, match="cod_mg_per_l"):
        spec.check(one_blank)
    no_column = one_blank.drop(columns="cod_mg_per_l")
    assert len(spec.check(no_column)) == 2  # as the template says


def test_the_country_report_shows_module_6_s_kept_figures_without_calling_them_lost(tmp_path):
    firms = pd.DataFrame(
        {
            "firm": ["Alpha Dye", "Beta Dye", "Gamma Dye"],
            "effluent_m3_per_day": [120, 250, 300],
            "cod_mg_per_l": [800, 900, 2_500],
        }
    )
    saved = OwnDataFile(tmp_path, "m06", OWN_TABLES["m06"])
    saved.save(firms, "our-firms.csv", settings={"fixed_usd_per_yr": 55_000.0})
    settings, shown = saved_results(tmp_path, "m06")
    said = " ".join(shown)
    assert "Fixed cost of the plant (USD per year): 55,000" in settings
    # the report shows the figures kept with the table: never "not kept"
    assert "not kept" not in said and "start again at the course's figures" not in said
    # one plant for the three: 670 m3/day and 96 + 225 + 750 = 1,071 kg COD a day
    assert "670 m3/day" in said and "1,071 kg of COD a day" in said


# -- Module 8's country report ---------------------------------------------------------------


def test_the_report_s_downloads_look_like_links():
    # in JupyterLab a widget's link is black and not underlined: three plain phrases
    link = _download("country-report.docx", b"PK", "application/zip", "the report (.docx)")
    style = re.search(r"style='([^']*)'", link).group(1)
    assert "text-decoration:underline" in style and "color:" in style


def test_the_word_document_keeps_an_exponent_raised():
    # Module 6's cost formula in the report: "(flow / design flow) to the scale exponent"
    page = "<p>cost &times; (flow &divide; design flow)<sup>scale exponent</sup> + COD</p>"
    document = docx.Document(io.BytesIO(html_to_docx(page, title="Report")))
    runs = [run for p in document.paragraphs for run in p.runs]
    raised = [run.text for run in runs if run.font.superscript]
    assert raised == ["scale exponent"]
    assert not any(run.font.superscript for run in runs if "design flow" in run.text)


def test_the_report_panel_says_when_its_kernel_has_gone(tmp_path, monkeypatch):
    # after a kernel restart its button still clicked, and nothing at all happened
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("eic.strategy_panels.display", lambda *shown: None)
    panel = report_panel(tmp_path)
    lines = [c for c in panel.children if RESTARTED_LINE in c._dom_classes]
    # under the button, where the report's message would appear
    assert len(lines) == 1 and panel.children[-1] is lines[0]
    assert "eic-status-restarted" in lines[0].value and "no longer answers" in lines[0].value


def test_module_8_q9_s_hint_for_all_at_once_reasons_from_the_question_s_own_actions():
    # it asked "With one budget and one lead agency, does the order matter?": the question
    # gives neither, so the hint pointed at nothing a participant could check
    m08 = next(m for m in released_modules() if m["id"] == "m08")
    q9 = next(q for q in questions(notebook_path(ROOT, "source", m08)) if q.qid == "q9_sequence")
    hint = next(h for option, h in q9.hints.items() if "all three at once" in option)
    assert all(f"({n})" in hint for n in (1, 2, 3)), hint
    assert not re.search(r"budget|agency", hint), hint
