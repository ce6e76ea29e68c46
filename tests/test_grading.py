"""Checks used by test cells: strict under nbgrader, one quiet line in JupyterLab (which says
"answer recorded" as soon as the answer is saved), silent in Voila, and strict inside
verification whatever the environment says."""

from __future__ import annotations

import pytest

from eic import grading
from eic.answers import AnswerStore
from eic.grading import (
    answered,
    assert_choice,
    assert_choices,
    assert_number,
    assert_ranking,
    assert_ratings,
    assert_text,
    verifying,
)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("NBGRADER_EXECUTION", "VOILA_APP_PORT", "VOILA_BASE_URL", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    return tmp_path


def record(folder, qid, value):
    AnswerStore.for_module("m01", folder).record(qid, value)


NOT_ANSWERED_4 = (
    "Question 4: not answered yet. Answer it with the widget above and press Save answer."
)


def test_unanswered_outside_a_kernel_prints_one_line_and_does_not_raise(folder, capsys):
    answered("m01", "q4_eco_towns")
    out = capsys.readouterr().out
    assert out == NOT_ANSWERED_4 + "\n"


@pytest.fixture
def lab_kernel(folder, monkeypatch):
    """answered() as in a JupyterLab kernel: what it displays, as a list of mime bundles."""
    shown: list[dict] = []
    monkeypatch.setattr(grading, "_in_kernel", lambda: True)
    monkeypatch.setattr(grading, "_STATUS_LINES", {})
    monkeypatch.setattr(
        "IPython.display.display", lambda data, raw=False: shown.append(data if raw else {})
    )
    return shown


def status_line(bundle: dict):
    """The widget a displayed bundle draws."""
    from ipywidgets.widgets.widget import _instances

    return _instances[bundle["application/vnd.jupyter.widget-view+json"]["model_id"]]


def shown_text(line) -> str:
    """What the line says while its kernel runs (the part shown after a restart aside)."""
    return line.value.split("<span class='eic-status-now'>")[1].split("</span>")[0]


def test_in_jupyterlab_the_line_under_a_question_says_answer_recorded_once_it_is_saved(
    lab_kernel, folder, capsys
):
    answered("m01", "q4_eco_towns")
    [bundle] = lab_kernel
    assert capsys.readouterr().out == ""  # a line that can change, not printed text
    assert bundle["text/plain"] == NOT_ANSWERED_4  # what a viewer without widgets shows
    line = status_line(bundle)
    assert shown_text(line) == NOT_ANSWERED_4
    record(folder, "q4_eco_towns", "Eco-town")  # as the question's widget saves it
    assert shown_text(line) == "Question 4: answer recorded."
    record(folder, "q4_eco_towns", "  ")  # emptied and saved: not an answer
    assert shown_text(line) == NOT_ANSWERED_4
    record(folder, "q4_eco_towns", "Eco-town")
    AnswerStore.for_module("m01", folder).forget("q4_eco_towns")
    assert shown_text(line) == NOT_ANSWERED_4


def test_in_jupyterlab_an_answer_to_another_question_leaves_the_line_as_it_is(lab_kernel, folder):
    answered("m01", "q4_eco_towns")
    line = status_line(lab_kernel[0])
    record(folder, "q5_other", "x")
    AnswerStore.for_module("m02", folder).record("q4_eco_towns", "x")  # another module
    assert shown_text(line) == NOT_ANSWERED_4


def test_in_jupyterlab_the_line_says_so_when_the_kernel_has_restarted(lab_kernel, folder):
    # ipywidgets marks a widget whose kernel is gone with the class jupyter-widgets-disconnected
    answered("m01", "q4_eco_towns")
    value = status_line(lab_kernel[0]).value
    assert ".jupyter-widgets-disconnected .eic-status-restarted{display:inline}" in value
    assert ".jupyter-widgets-disconnected .eic-status-now{display:none}" in value
    assert "can no longer be saved" in value.split("eic-status-restarted'>")[1]


def test_unanswered_in_voila_shows_nothing(folder, capsys, monkeypatch, lab_kernel):
    monkeypatch.setenv("VOILA_APP_PORT", "8866")
    answered("m01", "q1_x")
    assert capsys.readouterr().out == "" and lab_kernel == []


def test_unanswered_under_nbgrader_fails_with_the_same_message(folder, monkeypatch, lab_kernel):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError) as failed:
        answered("m01", "q4_eco_towns")
    assert str(failed.value) == NOT_ANSWERED_4
    assert lab_kernel == []  # nothing shown: the feedback holds the message
    record(folder, "q4_eco_towns", "Eco-town")
    answered("m01", "q4_eco_towns")  # answered: passes quietly
    assert lab_kernel == []


def test_blank_answers_count_as_unanswered(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    swot_with_nothing_written = {"Strengths": "", "Weaknesses": "  ", "Opportunities": ""}
    for blank in ["   ", [], {}, swot_with_nothing_written]:
        record(folder, "q1_x", blank)
        with pytest.raises(AssertionError):
            answered("m01", "q1_x")


def test_a_wrong_answer_never_reveals_the_expected_one(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    record(folder, "q1_x", "Eco-town")
    with pytest.raises(AssertionError) as failure:
        assert_choice("m01", "q1_x", "Eco-industrial park")
    assert "park" not in str(failure.value)


@pytest.mark.parametrize(
    ("check", "recorded", "expected", "passes"),
    [
        (assert_choice, "  eco-INDUSTRIAL  park ", "Eco-industrial park", True),
        (assert_choice, "Eco-town", "Eco-industrial park", False),
        (assert_choice, ["Eco-industrial park"], "Eco-industrial park", False),
        (assert_choices, ["b", "a"], ["a", "b"], True),
        (assert_choices, ["a"], ["a", "b"], False),
        (assert_choices, ["a", "b", "c"], ["a", "b"], False),
        (assert_choices, ["a", "a", "b"], ["a", "b"], False),
        (assert_text, " kalundborg ", ["Kalundborg", "Kalundborg Symbiosis"], True),
        (assert_text, "Kawasaki", ["Kalundborg"], False),
        (assert_ranking, ["x", "y", "z"], ["x", "y", "z"], True),
        (assert_ranking, ["y", "x", "z"], ["x", "y", "z"], False),
    ],
)
def test_hidden_checks(folder, monkeypatch, check, recorded, expected, passes):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    record(folder, "q1_x", recorded)
    if passes:
        check("m01", "q1_x", expected)
    else:
        with pytest.raises(AssertionError):
            check("m01", "q1_x", expected)


@pytest.mark.parametrize(
    ("recorded", "passes"),
    [(26, True), (26.0, True), (26.4, True), (27, False), ("26", False), (True, False)],
)
def test_number_check_uses_the_tolerance(folder, monkeypatch, recorded, passes):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    record(folder, "q4_n", recorded)
    if passes:
        assert_number("m01", "q4_n", 26, abs_tol=0.5)
    else:
        with pytest.raises(AssertionError):
            assert_number("m01", "q4_n", 26, abs_tol=0.5)


def test_ratings_need_every_item_within_range(folder, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    keys = ["a", "b"]
    record(folder, "q7_r", {"a": 1, "b": 5})
    assert_ratings("m01", "q7_r", keys, low=0, high=5)
    for bad in [{"a": 1}, {"a": 1, "b": 6}, {"a": "x", "b": 1}, [1, 2]]:
        record(folder, "q7_r", bad)
        with pytest.raises(AssertionError):
            assert_ratings("m01", "q7_r", keys, low=0, high=5)


def test_verifying_is_strict_and_reads_the_given_folder_whatever_the_environment(
    folder, tmp_path_factory, monkeypatch
):
    elsewhere = tmp_path_factory.mktemp("submission")
    record(folder, "q1_x", "right")  # an answer in the current folder must not count
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with verifying(elsewhere), pytest.raises(AssertionError):
        answered("m01", "q1_x")
    assert not grading.grading_mode()


def test_in_jupyterlab_the_line_says_a_draft_is_saved_but_not_complete(lab_kernel, folder):
    from eic.worksheet import Worksheet

    reflection = Worksheet("m01", folder).reflection("r1_own_cluster", "Reflect", min_words=3)
    answered("m01", "r1_own_cluster")
    line = status_line(lab_kernel[0])
    reflection.value = "Penang"  # one word of the three asked for, saved as the typing pauses
    assert shown_text(line) == (
        "The reflection: saved, not complete yet: 1 words so far; write at least 3."
    )
    reflection.value = "Penang needs water"
    assert shown_text(line) == "The reflection: answer recorded."
