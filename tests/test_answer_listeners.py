"""What a kernel shows about an answer can follow it: a listener hears of each answer recorded
or taken away, and one that fails never costs the participant their answer."""

from __future__ import annotations

import json

import pytest

from eic import answers
from eic.answers import AnswerStore, on_answer_change


@pytest.fixture
def heard(monkeypatch):
    monkeypatch.setattr(answers, "_LISTENERS", [])
    calls: list[tuple[str, str, str]] = []
    on_answer_change(lambda store, qid: calls.append((store.module, qid, store.path.name)))
    return calls


def test_a_listener_hears_each_answer_recorded_or_taken_away(tmp_path, heard):
    store = AnswerStore.for_module("m04", tmp_path)
    store.record("q2_pairs", 7)
    store.forget("q2_pairs")
    store.forget("q2_pairs")  # nothing left to take away: nothing to hear
    assert heard == [("m04", "q2_pairs", "m04-answers.json")] * 2


def test_a_listener_given_twice_hears_each_answer_once(tmp_path, heard):
    calls: list[str] = []

    def listener(_store: AnswerStore, qid: str) -> None:
        calls.append(qid)

    on_answer_change(listener)
    on_answer_change(listener)
    AnswerStore.for_module("m04", tmp_path).record("q1", "a")
    assert calls == ["q1"]


def test_a_failing_listener_leaves_the_answer_recorded(tmp_path, heard, caplog):
    def broken(_store: AnswerStore, _qid: str) -> None:
        raise RuntimeError("display gone")

    on_answer_change(broken)
    store = AnswerStore.for_module("m04", tmp_path)
    store.record("q6_npv", 1983813)  # no error for the participant
    saved = json.loads((tmp_path / "m04-answers.json").read_text(encoding="utf-8"))
    assert saved["answers"]["q6_npv"]["value"] == 1983813
    assert "q6_npv" in caplog.text
