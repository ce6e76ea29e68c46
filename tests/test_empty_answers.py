"""A typed answer emptied (all selected and deleted, or cleared to start again) never loses
the answer recorded: a save made on its own (the typing paused, the page closing) and Check
keep it; only "Save answer" on the empty box removes it, and the answer file keeps the
removed one, which "Put back my answer" brings back."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import wait_for_answer
from test_browser import served  # noqa: F401  (the module's server)

from eic import grading, typed_answers
from eic.answers import AnswerStore, is_blank
from eic.typed_answers import PUT_BACK
from eic.worksheet import Worksheet

# 124 words, as in Module 1's reflection: 31 sentences of 4 words
REFLECTION = " ".join(["Our cluster shares steam."] * 31)


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return Worksheet("m01", tmp_path)


def entry(ws: Worksheet, qid: str) -> dict:
    return json.loads(ws.store.path.read_text(encoding="utf-8"))["answers"][qid]


def test_an_emptied_reflection_is_kept_when_the_typing_pauses(ws, monkeypatch):
    monkeypatch.setattr(typed_answers, "TYPING_PAUSE", 0.1)
    q = ws.reflection("r1_reflection", "Reflect", min_words=50, max_words=300)
    q.record(REFLECTION)
    assert ws.progress() == (1, 1)

    async def select_all_and_delete() -> None:
        q.input.value = ""
        await asyncio.sleep(0.3)  # the typing pauses

    asyncio.run(select_all_and_delete())
    assert entry(ws, "r1_reflection")["value"] == REFLECTION
    assert "incomplete" not in entry(ws, "r1_reflection")
    assert ws.progress() == (1, 1)
    said = q.feedback.value
    assert "The box is empty: your saved answer (124 words) is kept." in said
    assert "press 'Save answer' on the empty box to remove it" in said
    assert "Saved" not in said


def test_an_emptied_answer_is_kept_when_the_page_closes(ws, monkeypatch):
    monkeypatch.setattr(typed_answers, "TYPING_PAUSE", 30)

    async def empty_then_close() -> int:
        q = ws.number("q4_towns", "How many?", unit="Eco-Towns")
        q.record(26)
        q.text.value = ""
        return typed_answers.save_pending()  # as the kernel does before it stops

    assert asyncio.run(empty_then_close()) == 1
    assert entry(ws, "q4_towns")["value"] == 26


def test_an_emptied_short_text_is_kept_where_no_event_loop_runs(ws):
    q = ws.short_text("q3_name", "Name the Danish symbiosis", max_words=3)
    q.input.value = "Kalundborg"
    q.input.value = "   "  # spaces only: nothing typed
    assert entry(ws, "q3_name")["value"] == "Kalundborg"
    assert "your saved answer ('Kalundborg') is kept" in q.feedback.value


def test_check_on_an_emptied_box_keeps_the_recorded_answer(ws):
    q = ws.reflection("r1_x", "Reflect", min_words=5)
    q.record("one two three four five six")
    q.input.value = ""
    said = q.check()
    assert said == [
        "The box is empty: your saved answer (6 words) is kept. Type a new one, or press "
        "'Save answer' on the empty box to remove it."
    ]
    assert entry(ws, "r1_x")["value"] == "one two three four five six"


def test_a_short_draft_is_still_saved_and_marked_not_complete(ws):
    q = ws.reflection("r1_x", "Reflect", min_words=50)
    q.record(REFLECTION)
    q.input.value = "Too short"
    assert entry(ws, "r1_x")["value"] == "Too short"
    assert entry(ws, "r1_x")["incomplete"] == "2 words so far; write at least 50"
    assert "Saved, not complete yet: 2 words so far" in q.feedback.value


def test_emptying_several_boxes_keeps_the_answer_but_one_box_is_a_draft(ws):
    q = ws.texts("q8_swot", "SWOT", ["Strengths", "Weaknesses"])
    q.boxes["Strengths"].value = "a port"
    q.boxes["Weaknesses"].value = "no water"
    q.boxes["Strengths"].value = ""  # one box emptied: a draft, saved as before
    assert entry(ws, "q8_swot")["value"] == {"Strengths": "", "Weaknesses": "no water"}
    q.boxes["Weaknesses"].value = ""  # every box empty: kept
    assert entry(ws, "q8_swot")["value"] == {"Strengths": "", "Weaknesses": "no water"}
    assert "The boxes are empty: your saved answer" in q.feedback.value


def test_save_on_an_empty_box_removes_the_answer_and_put_back_restores_it(ws, tmp_path):
    q = ws.reflection("r1_reflection", "Reflect", min_words=50)
    q.record(REFLECTION)
    q.input.value = ""
    q.save_button.click()  # a deliberate act
    removed = entry(ws, "r1_reflection")
    assert removed["value"] == ""
    assert removed["previous"]["value"] == REFLECTION
    assert ws.progress() == (0, 1)
    assert f"Your earlier answer (124 words) is kept in your answer file: press '{PUT_BACK}'" in (
        q.feedback.value
    )
    button = q.put_back_button
    assert button is not None and button in q._buttons.children
    assert button.layout.display is None  # shown
    # the page opened again later offers it too
    again = Worksheet("m01", tmp_path).reflection("r1_reflection", "Reflect", min_words=50)
    assert again.value == "" and again.put_back_button is not None
    assert "Your earlier answer (124 words)" in again.feedback.value
    button.click()
    assert q.value == REFLECTION and entry(ws, "r1_reflection")["value"] == REFLECTION
    assert ws.progress() == (1, 1)
    assert button.layout.display == "none"  # nothing left to put back


def test_a_new_question_has_no_put_back_button(ws):
    q = ws.reflection("r1_x", "Reflect")
    q.record("A first answer")
    q.input.value = "A second answer"
    assert q.put_back_button is None
    assert list(q.widget.children[2].children) == [q.save_button, q.check_button]


def test_the_status_line_and_the_message_line_agree_on_an_emptied_box(ws):
    q = ws.reflection("r1_reflection", "Reflect", min_words=3)
    q.record("Our cluster shares steam")
    q.input.value = ""
    assert grading._answered_status("m01", "r1_reflection") == (
        True,
        "The reflection: answer recorded.",
    )
    q.save()
    done, line = grading._answered_status("m01", "r1_reflection")
    assert not done and "not answered yet" in line


def test_the_store_keeps_the_answer_a_blank_one_replaced(tmp_path):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("r1", "first")
    store.record("r1", "second")
    assert store.previous("r1") is None  # a new answer replacing one is not a removal
    store.record("r1", "")
    assert store.previous("r1") == "second"
    store.record("r1", "  ")  # saved empty again: still kept
    assert store.previous("r1") == "second"
    store.record("r1", "third")
    assert store.previous("r1") == "second"  # kept until another answer is removed
    store.record("r1", None)
    assert store.previous("r1") == "third"
    assert store.value("r1") is None


@pytest.mark.parametrize(
    ("value", "blank"),
    [(None, True), ("", True), (" \n", True), ([], True), ({}, True),
     ({"Strengths": "", "Weaknesses": " "}, True), ({"Strengths": "a port"}, False),
     ("x", False), (0, False), (0.0, False), (["a"], False), ({"a": 0}, False)],
)  # fmt: skip
def test_is_blank_is_true_only_for_answers_that_say_nothing(value, blank):
    assert is_blank(value) is blank


@pytest.fixture
def served_module_1(served):  # noqa: F811
    """A copy of release/ served by Voila, as eic-course serve runs it: (url, Module 1)."""
    url, folder = served
    return url, folder / "m01-eic-in-asia"


@pytest.mark.browser
@pytest.mark.slow
def test_in_voila_an_emptied_reflection_is_kept_and_a_removed_one_put_back(
    served_module_1, browser
):
    url, module = served_module_1
    answers = module / "m01-answers.json"
    page = browser.new_page()
    page.goto(f"{url}/voila/render/m01-eic-in-asia/m01-eic-in-asia.ipynb", timeout=120_000)
    question = page.locator(".eic-q-r1_reflection")
    question.wait_for(timeout=120_000)
    box = question.locator("textarea")
    box.fill(REFLECTION)
    assert wait_for_answer(answers, "r1_reflection") == REFLECTION
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    line = question.locator(".eic-feedback")
    line.get_by_text("your saved answer (124 words) is kept").wait_for(timeout=20_000)
    page.wait_for_timeout(1500)  # longer than the pause after typing
    assert wait_for_answer(answers, "r1_reflection") == REFLECTION
    question.get_by_role("button", name="Save answer").click()
    put_back = question.get_by_role("button", name=PUT_BACK)
    put_back.wait_for(timeout=20_000)
    assert wait_for_answer(answers, "r1_reflection") == ""
    put_back.click()
    put_back.wait_for(state="hidden", timeout=20_000)  # nothing left to put back
    assert box.input_value() == REFLECTION
    assert wait_for_answer(answers, "r1_reflection") == REFLECTION
    page.close()


# -- Check or Save before answering: nothing is recorded ------------------------------------

TIMELINE = ["Kalundborg", "Ulsan", "Kawasaki", "Tianjin"]


def recorded_answers(ws: Worksheet) -> dict:
    """The answer file's entries (none where it was never written)."""
    if not ws.store.path.exists():
        return {}
    return json.loads(ws.store.path.read_text(encoding="utf-8"))["answers"]


def test_check_on_a_ranking_not_answered_records_nothing_and_names_each_place(ws):
    q = ws.ranking("q5_timeline", "Put them in order", TIMELINE)
    said = q.check()
    # one line for each of the four places, none filled
    assert said == [
        f"choose an item for the {place} place" for place in ("1st", "2nd", "3rd", "4th")
    ]
    assert "Not complete yet: choose an item for the 1st place;" in q.feedback.value
    assert "No answer is saved until you give one." in q.feedback.value
    assert recorded_answers(ws) == {}
    assert ws.progress() == (0, 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda ws: ws.single_choice("q1", "Which?", ["a", "b"]),
        lambda ws: ws.multiple_choice("q2_policy_streams", "Tick", ["a", "b", "c"]),
        lambda ws: ws.number("q3", "How many?", unit="t/yr"),
        lambda ws: ws.short_text("q4", "Name it"),
        lambda ws: ws.reflection("r1_reflection", "Reflect"),
        lambda ws: ws.ranking("q5_timeline", "Order", TIMELINE),
        lambda ws: ws.checklist("q6", "Your park", ["Plan", "Office"], options=["yes", "no"]),
        lambda ws: ws.texts("q8_swot", "SWOT", ["Strengths", "Weaknesses"]),
    ],
    ids=["single", "multiple", "number", "short", "reflection", "ranking", "checklist", "texts"],
)
def test_check_and_save_on_a_question_not_answered_record_nothing(ws, make):
    q = make(ws)
    assert q.check()  # what is missing is said
    assert "Not complete yet: " in q.feedback.value
    assert q.save() is False
    q.save_button.click()
    q.check_button.click()
    assert recorded_answers(ws) == {}


def test_an_older_files_blank_entry_is_left_as_it_is_and_not_shown_as_loaded(ws):
    ws.store.record("q5_timeline", ["", "", "", ""], kind="ranking", incomplete="rank them")
    before = ws.store.path.read_bytes()
    q = ws.ranking("q5_timeline", "Order", TIMELINE)
    assert "answer loaded" not in q.feedback.value
    q.check()
    assert ws.store.path.read_bytes() == before


def test_unticking_every_box_of_an_answer_given_is_recorded(ws):
    q = ws.multiple_choice("q2_policy_streams", "Tick", ["a", "b", "c"])
    q.boxes[0].value = True
    q.boxes[0].value = False  # a change of answer, not an answer left unsaid
    assert recorded_answers(ws)["q2_policy_streams"]["value"] == []
    assert ws.progress() == (0, 1)


def test_save_again_on_an_emptied_box_records_nothing_more_and_still_offers_put_back(
    ws, monkeypatch
):
    clock = iter(f"2026-12-05T10:{minute:02d}:00+00:00" for minute in range(60))
    monkeypatch.setattr("eic.answers._now", lambda: next(clock))  # each save at its own time
    q = ws.reflection("r1_reflection", "Reflect", min_words=50)
    q.record(REFLECTION)
    q.input.value = ""
    q.save_button.click()  # removes it: the file keeps it under "previous"
    removed = entry(ws, "r1_reflection")
    q.save_button.click()
    q.check_button.click()
    assert entry(ws, "r1_reflection") == removed
    assert q.put_back_button is not None and q.put_back_button.layout.display is None
    assert "Your earlier answer (124 words) is kept" in q.feedback.value


@pytest.mark.parametrize(
    ("value", "blank"),
    [(["", "", "", ""], True), (["", " "], True), ({"Plan": None, "Office": None}, True),
     (["", "Ulsan", "", ""], False), ([0], False)],
)  # fmt: skip
def test_a_ranking_with_no_place_filled_is_blank_and_one_with_a_place_is_not(value, blank):
    assert is_blank(value) is blank
