"""Pairwise judgements and checklists: widgets driven in pure Python, their records, and
the grading checks that read them."""

from __future__ import annotations

import json

import pytest

from eic import grading
from eic.ahp import RANDOM_INDEX, ahp, pairwise_matrix
from eic.answers import AnswerStore
from eic.question_groups import judgement_options, pair_key
from eic.worksheet import Worksheet

CRITERIA = ["Jobs", "Environment", "SMEs"]


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("NBGRADER_EXECUTION", "VOILA_APP_PORT", "VOILA_BASE_URL", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    return Worksheet("m07", tmp_path)


def recorded(ws, qid):
    return json.loads(ws.store.path.read_text(encoding="utf-8"))["answers"][qid]["value"]


def test_a_comparison_runs_from_one_side_9x_through_equal_to_the_other_9x():
    options = judgement_options("Jobs", "Environment")
    assert len(options) == 17
    assert options[0] == ("Jobs: 9x as important", 9.0)
    assert options[8] == ("equally important", 1.0)
    assert options[-1] == ("Environment: 9x as important", pytest.approx(1 / 9))


def test_pairwise_records_each_pair_and_reloads(ws, tmp_path):
    q = ws.pairwise("q1_weights", "Compare", CRITERIA)
    q.sliders[pair_key("Jobs", "Environment")].value = 1 / 3
    q.keep_button.click()  # the two other pairs stay "equally important"
    assert recorded(ws, "q1_weights")[pair_key("Jobs", "Environment")] == pytest.approx(1 / 3)
    q.value = {"Jobs vs Environment": 1 / 3, "Jobs vs SMEs": 2, "Environment vs SMEs": 5}
    assert q.summary(q.value) == (
        "Environment: 3x as important; Jobs: 2x as important; Environment: 5x as important"
    )
    again = Worksheet("m07", tmp_path).pairwise("q1_weights", "Compare", CRITERIA)
    assert again.value == {
        "Jobs vs Environment": pytest.approx(1 / 3),
        "Jobs vs SMEs": 2.0,
        "Environment vs SMEs": 5.0,
    }
    with pytest.raises(ValueError, match="judge exactly these pairs"):
        q.value = {"Jobs vs Environment": 3}
    with pytest.raises(ValueError, match="from 1/9 to 9"):
        q.value = {"Jobs vs Environment": 12, "Jobs vs SMEs": 2, "Environment vs SMEs": 5}


def test_checklist_records_answers_and_says_how_many_are_left(ws, tmp_path):
    items = ["Is there a park manager?", "Is water metered?", "Are workers trained?"]
    q = ws.checklist("q6_check", "Check the park", items, headings={items[0]: "Management"})
    q.buttons[items[0]].value = "yes"
    assert recorded(ws, "q6_check") == {items[0]: "yes"}
    assert q.problems_with(q.value) == ["2 item(s) still to answer, the first: “Is water metered?”"]
    q.value = {items[0]: "yes", items[1]: "partly", items[2]: "don't know"}
    assert q.problems_with(q.value) == []
    assert q.summary(q.value) == "yes: 1, partly: 1, no: 0, don't know: 1"
    again = Worksheet("m07", tmp_path).checklist("q6_check", "Check the park", items)
    assert again.value[items[1]] == "partly"
    with pytest.raises(ValueError, match="must be one of"):
        q.value = {items[0]: "maybe"}


def test_the_graders_consistency_ratio_agrees_with_the_eigenvector_method():
    judgements = {"Jobs vs Environment": 1 / 3, "Jobs vs SMEs": 2, "Environment vs SMEs": 9}
    matrix = pairwise_matrix(CRITERIA, {tuple(k.split(" vs ")): v for k, v in judgements.items()})
    assert grading.consistency_ratio(CRITERIA, judgements) == pytest.approx(ahp(matrix).cr)
    assert list(grading._RANDOM_INDEX) == [RANDOM_INDEX[n] for n in range(1, 11)]


@pytest.mark.parametrize(
    ("judgements", "passes"),
    [
        # consistent: Environment = 2 x Jobs = 4 x SMEs
        ({"Jobs vs Environment": 1 / 2, "Jobs vs SMEs": 2, "Environment vs SMEs": 4}, True),
        # circular: Jobs > Environment > SMEs > Jobs
        ({"Jobs vs Environment": 5, "Jobs vs SMEs": 1 / 5, "Environment vs SMEs": 5}, False),
        ({"Jobs vs Environment": 1 / 2, "Jobs vs SMEs": 2}, False),
    ],
)
def test_consistency_check_under_nbgrader(ws, monkeypatch, judgements, passes):
    AnswerStore.for_module("m07", ws.store.path.parent).record("q1_weights", judgements)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    if passes:
        grading.assert_consistent_judgements("m07", "q1_weights", CRITERIA)
    else:
        with pytest.raises(AssertionError, match="Question 1"):
            grading.assert_consistent_judgements("m07", "q1_weights", CRITERIA)


def test_checklist_check_needs_every_item_with_a_known_option(ws, monkeypatch):
    store = AnswerStore.for_module("m07", ws.store.path.parent)
    store.record("q6_check", {"a": "yes", "b": "perhaps"})
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="1 item\\(s\\) not answered yet, starting with: b"):
        grading.assert_checklist("m07", "q6_check", ["a", "b"], ["yes", "no"])
    store.record("q6_check", {"a": "yes", "b": "no"})
    grading.assert_checklist("m07", "q6_check", ["a", "b"], ["yes", "no"])


def test_texts_record_each_part_and_name_the_empty_ones(ws, tmp_path, monkeypatch):
    parts = ["Strengths", "Weaknesses"]
    q = ws.texts("q6_swot", "Your SWOT", parts)
    q.boxes["Strengths"].value = " Skilled dyers \n Cheap land "
    assert recorded(ws, "q6_swot") == {"Strengths": "Skilled dyers \n Cheap land", "Weaknesses": ""}
    assert q.problems_with(q.value) == ["write at least one point under 'Weaknesses'"]
    again = Worksheet("m07", tmp_path).texts("q6_swot", "Your SWOT", parts)
    assert again.value["Strengths"].startswith("Skilled dyers")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="nothing written yet under: Weaknesses"):
        grading.assert_texts("m07", "q6_swot", parts)
    q.value = {"Strengths": "Skilled dyers", "Weaknesses": "No shared plant"}
    grading.assert_texts("m07", "q6_swot", parts)
