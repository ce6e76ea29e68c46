"""Module 7's "use your own data" panel: an official's own candidate instruments, checked
with a message for each mistake, and the best package of them within their own budget,
weighted equally or by their own judgements in question 1; kept with the table, and in the
country report."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from conftest import shown_html, widgets_in

from eic.answers import AnswerStore
from eic.course import syllabus
from eic.own_data import SPECS, OwnDataPanel
from eic.own_policy import budget_range
from eic.policy import check_instruments
from eic.report import build_report
from eic.report_pages import to_html
from eic.table_templates import template_csv
from eic.tables import TableError

FOLDERS = {m["id"]: m["folder"] for m in syllabus()["modules"]}

# Four instruments, scored 0-10 on each objective. With equal weights the weighted score is
# the mean of the three scores: A (6 + 9 + 6) / 3 = 7, B (9 + 3 + 6) / 3 = 6, C 5, D 4.
# Within USD 5 million the combinations that fit are A (7), B + C (6 + 5 = 11, USD 5 m),
# B + D (10), C + D (9) and each alone: the best is B + C, which leaves out the industrial
# stream. Highest scores first takes A (USD 4 m), and then nothing else fits: 7 points.
INSTRUMENTS = pd.DataFrame(
    {
        "instrument": ["Cluster credit line", "Effluent plant grant", "Zoning plan",
                       "Pollution charge"],
        "stream": ["industrial", "environmental", "regional development", "environmental"],
        "cost_usd_million": [4.0, 3.0, 2.0, 2.0],
        "environmental_benefit": [6, 9, 5, 6],
        "jobs_and_growth": [9, 3, 5, 3],
        "reach_to_smes": [6, 6, 5, 3],
    }
)  # fmt: skip
# Jobs and growth 3 times as important as each of the others, which are equal: consistent
# (3 x 1 = 3), priorities 3/5, 1/5, 1/5. Weighted scores: credit line 0.6 x 9 + 0.2 x 6 +
# 0.2 x 6 = 7.8; plant grant 0.6 x 3 + 0.2 x 9 + 0.2 x 6 = 4.8; zoning 5; charge 3.6.
# Within USD 6 million: credit line + zoning 12.8 beats credit line + charge 11.4 and
# plant grant + zoning 9.8.
JOBS_FIRST = {
    "Jobs and growth vs Environmental benefit": 3,
    "Jobs and growth vs Reach to SMEs": 3,
    "Environmental benefit vs Reach to SMEs": 1,
}
# each objective far more important than the next, and the last than the first
CIRCULAR = {
    "Jobs and growth vs Environmental benefit": 9,
    "Jobs and growth vs Reach to SMEs": 1 / 9,
    "Environmental benefit vs Reach to SMEs": 9,
}


def text_of(widget) -> str:
    """What a widget shows, as the participant reads it."""
    shown = re.sub(r"<[^>]+>", " ", shown_html(widget))
    return re.sub(r"\s+", " ", html.unescape(shown)).strip()


def control(panel: OwnDataPanel, description: str):
    """The control of the panel's analysis so labelled (the budget's slider, the weights)."""
    (found,) = [c for c in widgets_in(panel.analysis) if getattr(c, "description", "") ==
                description]  # fmt: skip
    return found


def upload(folder, table: pd.DataFrame, name: str = "ours.csv") -> OwnDataPanel:
    panel = OwnDataPanel(SPECS["m07"], folder)
    assert panel.receive(template_csv(table), name), panel.message.value
    return panel


def problems(table: pd.DataFrame) -> str:
    with pytest.raises(TableError) as refused:
        check_instruments(table)
    return " ".join(refused.value.problems)


# -- the check ---------------------------------------------------------------------------
def test_a_missing_column_is_named_with_the_heading_that_may_be_it():
    said = problems(INSTRUMENTS.rename(columns={"reach_to_smes": "reach_smes"}))
    assert "column 'reach_to_smes' is missing" in said
    assert "is 'reach_smes' meant to be 'reach_to_smes'?" in said


def test_text_in_a_cost_is_named_with_its_row_and_the_fix():
    table = INSTRUMENTS.astype(object)
    table.loc[1, "cost_usd_million"] = "3 million"
    said = problems(table)
    assert "column 'cost_usd_million' has text in row 3 ('3 million')" in said
    assert "enter a number of USD million" in said


def test_a_negative_cost_is_refused():
    said = problems(INSTRUMENTS.assign(cost_usd_million=[4.0, -3.0, 2.0, 2.0]))
    assert "column 'cost_usd_million' in row 3 is -3; it cannot be below 0" in said


@pytest.mark.parametrize(("score", "expected"), [(11, "is 11; scores run from 0 to 10"),
                                                 (-1, "is -1; it cannot be below 0")])  # fmt: skip
def test_a_score_outside_0_to_10_is_refused(score, expected):
    said = problems(INSTRUMENTS.assign(jobs_and_growth=[9, 3, score, 3]))
    assert f"column 'jobs_and_growth' in row 4 {expected}" in said


def test_an_unknown_stream_is_refused_with_the_nearest_and_the_three_streams():
    table = INSTRUMENTS.assign(stream=["industrial", "enviromental", "regional", "social"])
    said = problems(table)
    assert "row 3 is 'enviromental', which is not known (did you mean 'environmental'?)" in said
    assert "row 4 is 'regional'" in said and "row 5 is 'social'" in said
    assert "use one of: industrial, environmental, regional development" in said


def test_a_stream_in_other_capitals_is_taken():
    table = INSTRUMENTS.assign(stream=["Industrial", "ENVIRONMENTAL", "Regional development",
                                       "environmental"])  # fmt: skip
    assert check_instruments(table)["stream"].tolist() == list(INSTRUMENTS["stream"])


def test_an_instrument_listed_twice_is_refused_naming_both_rows():
    table = INSTRUMENTS.assign(instrument=["Zoning plan", "Grant", "zoning plan", "Charge"])
    assert "row 2 and row 4 repeat instrument 'Zoning plan'" in problems(table)


def test_an_empty_table_is_refused():
    assert "the table has no rows" in problems(INSTRUMENTS.head(0))


def test_more_instruments_than_a_package_can_weigh_are_refused_with_the_count():
    many = pd.concat([INSTRUMENTS] * 8, ignore_index=True)
    many["instrument"] = [f"Instrument {n}" for n in range(len(many))]
    assert "the table has 32 instruments" in problems(many)


def test_a_refused_table_changes_nothing_and_says_what_to_fix(folder):
    panel = upload(folder, INSTRUMENTS)
    saved, shown = panel.file.path.read_bytes(), panel.analysis.children
    answers = AnswerStore.for_module("m07", folder).path.read_bytes()
    table = INSTRUMENTS.assign(reach_to_smes=[6, 12, 5, 3])
    assert not panel.receive(template_csv(table), "bad.csv")
    message = html.unescape(panel.message.value)
    assert "role='alert'" in message and "'bad.csv' was not used" in message
    assert "column 'reach_to_smes' in row 3 is 12; scores run from 0 to 10" in message
    assert "Nothing was changed" in message
    assert panel.file.path.read_bytes() == saved and panel.analysis.children == shown
    assert AnswerStore.for_module("m07", folder).path.read_bytes() == answers


# -- the analysis ------------------------------------------------------------------------
def test_the_best_package_of_a_small_table_is_the_one_worked_by_hand(folder):
    panel = upload(folder, INSTRUMENTS)
    control(panel, "Budget (USD million):").value = 5
    said = text_of(panel.analysis)
    assert "Weights used: Jobs and growth 33%, Environmental benefit 33%, Reach to SMEs 33%" in (
        said
    )
    best = said.split("Best package:")[1].split("Highest scores first:")[0]
    assert "fund Effluent plant grant and Zoning plan" in best
    assert "USD 5 million, with a total weighted score of 11.0 points" in best
    assert "leaves out the industrial stream" in best
    greedy = said.split("Highest scores first:")[1]
    assert "fund Cluster credit line: 1 instrument costing USD 4 million" in greedy
    assert "score of 7.0 points" in greedy


def test_the_budget_slider_runs_over_large_costs(folder):
    large = INSTRUMENTS.assign(cost_usd_million=[400.0, 900.0, 1_200.0, 350.0])
    panel = upload(folder, large)
    budget = control(panel, "Budget (USD million):")
    # 2,850 in all: steps of USD 10 million (285 of them), up to what all four cost
    assert (budget.min, budget.max, budget.step) == (10, 2_850, 10)
    assert budget.value == 10  # the worksheet's budget, below half of all the costs
    budget.value = 1_300
    # by hand, within 1,300: credit line + plant grant (400 + 900) 7 + 6 = 13 points; credit
    # line + charge (750) 11; plant grant + charge (1,250) 10; zoning plan (1,200) alone 5
    assert "score of 13.0 points" in text_of(panel.analysis).split("Best package:")[1]


def test_the_budget_starts_at_half_the_costs_where_that_is_below_the_worksheets():
    # 12 in all: steps of 0.1 (120 of them); half of 12 is 6, below the worksheet's 10
    table = INSTRUMENTS.assign(cost_usd_million=[4.0, 3.5, 2.5, 2.0])
    assert budget_range(table) == (0.1, 12.0, 0.1, 6.0)
    # the course's own table (USD 23 million in all) starts at the worksheet's 10
    assert budget_range(SPECS["m07"].example_table()) == (0.1, 23.0, 0.1, 10.0)


def test_my_priorities_before_question_1_is_answered_says_so(folder):
    panel = upload(folder, INSTRUMENTS)
    control(panel, "Weights:").value = "mine"
    said = text_of(panel.analysis)
    assert "You have not answered question 1 yet" in said and "choose Equal weights" in said
    assert "Best package" not in said


def test_my_priorities_use_the_recorded_judgements_and_follow_a_new_answer(folder):
    panel = upload(folder, INSTRUMENTS)
    control(panel, "Weights:").value = "mine"
    control(panel, "Budget (USD million):").value = 6
    AnswerStore.for_module("m07", folder).record("q1_priorities", JOBS_FIRST)
    said = text_of(panel.analysis)  # redrawn when question 1 was saved
    assert "Weights used: your priorities from question 1, Jobs and growth 60%, " in said
    assert "Environmental benefit 20%, Reach to SMEs 20% (consistency ratio 0.000" in said
    best = said.split("Best package:")[1].split("Highest scores first:")[0]
    assert "fund Cluster credit line and Zoning plan" in best and "12.8 points" in best
    assert "7.80" in said.split("Weighted score (out of 10)")[1]


def test_judgements_that_contradict_each_other_are_used_with_the_warning(folder):
    AnswerStore.for_module("m07", folder).record("q1_priorities", CIRCULAR)
    panel = upload(folder, INSTRUMENTS)
    control(panel, "Weights:").value = "mine"
    said = text_of(panel.analysis)
    assert "Warning: your judgements in question 1 contradict each other" in said
    assert "Best package:" in said


def test_the_budget_and_weights_are_there_after_a_restart(folder):
    AnswerStore.for_module("m07", folder).record("q1_priorities", JOBS_FIRST)
    panel = upload(folder, INSTRUMENTS)
    control(panel, "Budget (USD million):").value = 6
    control(panel, "Weights:").value = "mine"
    again = OwnDataPanel(SPECS["m07"], folder)  # a new kernel, the same folder
    assert control(again, "Budget (USD million):").value == 6
    assert control(again, "Weights:").value == "mine"
    assert "12.8 points" in text_of(again.analysis)
    # a new table keeps them where they still fit its costs
    assert again.receive(template_csv(INSTRUMENTS), "newer.csv")
    assert control(again, "Budget (USD million):").value == 6


def test_a_kept_budget_past_a_new_tables_costs_gives_way_to_the_first(folder):
    panel = upload(folder, INSTRUMENTS.assign(cost_usd_million=[40.0, 30.0, 20.0, 20.0]))
    control(panel, "Budget (USD million):").value = 100
    assert panel.receive(template_csv(INSTRUMENTS), "smaller.csv")
    assert control(panel, "Budget (USD million):").value == 5.5  # half of 11, not 100


def test_the_analysis_appears_in_the_country_report_with_its_settings(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    course = tmp_path / "ana"
    module = course / FOLDERS["m07"]
    AnswerStore.for_module("m07", module).record("q1_priorities", JOBS_FIRST)
    panel = upload(module, INSTRUMENTS, "our-instruments.csv")
    control(panel, "Budget (USD million):").value = 6
    control(panel, "Weights:").value = "mine"
    page = to_html(build_report([("Ana Reyes", course)], country="Viet Nam"))
    m07 = page.split("<section id='m07'>")[1].split("</section>")[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", m07))
    assert "Own data: instruments table, 4 rows (from our-instruments.csv)" in text
    assert "What the module's analysis shows for this table" in text
    assert "<li>Budget (USD million): 6</li>" in m07
    assert "<li>Weights: My priorities (question 1)</li>" in m07
    assert "fund Cluster credit line and Zoning plan" in text and "12.8 points" in text
    assert "<img src='data:image/png;base64," in m07
