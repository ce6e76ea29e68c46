"""Every question widget driven in pure Python: set a value, click Save and Check, read
back the recorded answer and the feedback; reload in a new worksheet."""

from __future__ import annotations

import asyncio
import html
import json

import pytest

from eic import typed_answers
from eic.typed_numbers import parse_number
from eic.worksheet import Worksheet


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return Worksheet("m01", tmp_path)


def recorded(ws, qid):
    data = json.loads(ws.store.path.read_text(encoding="utf-8"))
    return data["answers"][qid]["value"]


def click(button):
    button.click()


def test_single_choice_records_checks_and_reloads(ws, tmp_path):
    q = ws.single_choice("q1_a", "Pick one", ["A", "B", "C"], hints={"C": "not C"})
    click(q.check_button)
    assert "Not complete" in q.feedback.value  # nothing chosen yet
    q.value = "B"  # a click on a radio button
    assert recorded(ws, "q1_a") == "B"
    click(q.check_button)
    assert "complete" in q.feedback.value and "Not complete" not in q.feedback.value
    q.value = "C"
    click(q.check_button)
    assert "not C" in q.feedback.value
    again = Worksheet("m01", tmp_path).single_choice("q1_a", "Pick one", ["A", "B", "C"])
    assert again.value == "C"


def test_multiple_choice(ws, tmp_path):
    q = ws.multiple_choice("q2_a", "Tick", ["x", "y", "z"], hints={"z": "z is a trap"})
    q.boxes[0].value = True
    q.boxes[2].value = True
    assert recorded(ws, "q2_a") == ["x", "z"]
    click(q.check_button)
    assert "z is a trap" in q.feedback.value
    q.value = ["y"]
    click(q.save_button)
    assert recorded(ws, "q2_a") == ["y"]
    assert Worksheet("m01", tmp_path).multiple_choice("q2_a", "Tick", ["x", "y", "z"]).value == [
        "y"
    ]


def test_number_accepts_numbers_and_explains_text(ws, tmp_path):
    q = ws.number("q4_a", "How many?", unit="Eco-Towns", plausible=(1, 100), hints={61: "projects"})
    q.text.value = "26"
    assert recorded(ws, "q4_a") == 26.0
    q.text.value = "12 t"
    assert "not a number" in q.feedback.value
    assert recorded(ws, "q4_a") == 26.0  # the bad entry did not replace the good one
    q.text.value = "2600"
    click(q.check_button)
    assert "outside the plausible range" in q.feedback.value
    q.text.value = "61"
    click(q.check_button)
    assert "projects" in q.feedback.value
    # a range written as an official writes numbers, not "1e+08"
    wide = ws.number("q4_c", "How much?", unit="USD/yr", plausible=(10_000, 100_000_000))
    wide.text.value = "2.5"
    click(wide.check_button)
    assert "2.5 USD/yr is outside the plausible range 10,000 to 100,000,000 USD/yr" in (
        wide.feedback.value
    )
    reloaded = Worksheet("m01", tmp_path).number("q4_a", "How many?", unit="Eco-Towns")
    assert reloaded.value == 61.0


@pytest.mark.parametrize("number", [1_959_707, 0.0862, 1 / 3, -3495.5, 12_345_678.25])
def test_a_recorded_number_comes_back_exactly_and_saving_it_again_changes_nothing(
    ws, tmp_path, number
):
    ws.number("q6_a", "How much?", unit="USD").record(number)
    again = Worksheet("m01", tmp_path).number("q6_a", "How much?", unit="USD")
    assert again.value == pytest.approx(number, rel=1e-14)
    again.save()
    assert recorded(ws, "q6_a") == pytest.approx(number, rel=1e-14)


@pytest.mark.parametrize(
    ("text", "number"),
    [("26", 26.0), (" 1,650 ", 1650.0), ("-3.5", -3.5), ("2e3", 2000.0), ("", None),
     ("12,345,678.5", 12345678.5), ("0,086", 0.086), ("16,8", 16.8), ("1,65", 1.65),
     ("-0,5", -0.5), ("1 650", 1650.0)],
)  # fmt: skip
def test_parse_number_reads_what_people_type(text, number):
    # a decimal comma, as Viet Nam and Indonesia write it, is read as a decimal point; a
    # comma between thousands (groups of three after a first digit that is not 0) is not
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["12 t", "1,6,5", "1,65.2", "nan", "inf", "twenty", "1.2.3"])
def test_parse_number_refuses_with_a_message(text):
    with pytest.raises(ValueError, match="number"):
        parse_number(text)


def test_slider(ws, tmp_path):
    q = ws.slider("q5_s", "Share recovered", low=0, high=100, step=5, unit="%")
    q.slider.value = 45
    assert recorded(ws, "q5_s") == 45
    click(q.check_button)
    assert "complete" in q.feedback.value
    with pytest.raises(ValueError):
        q.value = 140
    assert Worksheet("m01", tmp_path).slider("q5_s", "Share", low=0, high=100).value == 45


def test_ranking(ws, tmp_path):
    q = ws.ranking("q5_r", "Order", ["a", "b", "c"], hints={"c": "c is not first"})
    q.places[0].value = "c"
    q.places[1].value = "c"
    click(q.check_button)
    assert "more than once" in q.feedback.value and "3rd" in q.feedback.value
    q.value = ["c", "a", "b"]
    click(q.check_button)
    assert "c is not first" in q.feedback.value
    q.value = ["a", "b", "c"]
    assert recorded(ws, "q5_r") == ["a", "b", "c"]
    assert Worksheet("m01", tmp_path).ranking("q5_r", "Order", ["a", "b", "c"]).value == [
        "a",
        "b",
        "c",
    ]


def test_short_text(ws, tmp_path):
    q = ws.short_text("q3_t", "Name the Danish symbiosis", max_words=3, hints={"kawasaki": "Japan"})
    q.input.value = "  Kalundborg "
    assert recorded(ws, "q3_t") == "Kalundborg"
    click(q.check_button)
    assert "complete" in q.feedback.value
    q.input.value = "KAWASAKI"
    click(q.check_button)
    assert "Japan" in q.feedback.value
    q.input.value = "a b c d"
    click(q.check_button)
    assert "at most 3" in q.feedback.value
    assert Worksheet("m01", tmp_path).short_text("q3_t", "Name").value == "a b c d"


def test_reflection_counts_words(ws, tmp_path):
    q = ws.reflection("r1_x", "Reflect", min_words=5, max_words=10)
    q.input.value = "too short"
    click(q.check_button)
    assert "2 words" in q.feedback.value
    q.input.value = "one two three four five six"
    click(q.check_button)
    assert "complete" in q.feedback.value
    assert recorded(ws, "r1_x") == "one two three four five six"
    assert Worksheet("m01", tmp_path).reflection("r1_x", "Reflect").value.startswith("one two")


def test_ratings(ws, tmp_path):
    q = ws.ratings("q7_r", "Rate", ["a", "b"], low=0, high=5)
    seen = []
    q.on_saved(seen.append)
    q.sliders["b"].value = 4
    assert ws.store.value("q7_r") is None and seen == []  # "a" is not set yet
    click(q.keep_button)  # "a" stays at the 0 it shows
    assert recorded(ws, "q7_r") == {"a": 0, "b": 4}
    assert seen[-1] == {"a": 0, "b": 4}
    with pytest.raises(ValueError, match="ratings out of range 0 to 5: a"):
        q.value = {"a": 9, "b": 1}
    with pytest.raises(ValueError, match="ratings must cover exactly: a, b"):
        q.value = {"a": 1}
    assert Worksheet("m01", tmp_path).ratings("q7_r", "Rate", ["a", "b"]).value == {"a": 0, "b": 4}
    # a whole set given at once is one change, saved once, each rating a whole number
    saves = len(seen)
    q.value = {"a": 3.0, "b": 5}
    assert seen[saves:] == [{"a": 3, "b": 5}] and recorded(ws, "q7_r") == {"a": 3, "b": 5}


def test_a_recorded_answer_that_no_longer_fits_is_reported_and_kept(ws, tmp_path):
    ws.store.record("q1_a", "an option that was removed")
    q = Worksheet("m01", tmp_path).single_choice("q1_a", "Pick", ["A", "B"])
    assert "does not fit" in q.feedback.value and q.value is None
    assert recorded(ws, "q1_a") == "an option that was removed"


def test_the_line_under_a_question_whose_recorded_answer_no_longer_fits_says_so(ws, tmp_path):
    # a question changed since it was answered: its line must not say "answer recorded"
    # while the question itself says the answer does not fit
    from eic import grading

    ws.store.record("q5_group", "an option worded as it was before")
    q = Worksheet("m01", tmp_path).single_choice("q5_group", "Which group?", ["A", "B"])
    done, line = grading._answered_status("m01", "q5_group")
    assert not done and "does not fit this question any more" in line
    assert "answer recorded" not in line
    q.value = "B"  # answered again: the line says so
    assert grading._answered_status("m01", "q5_group") == (True, "Question 5: answer recorded.")


def test_under_nbgrader_an_answer_that_no_longer_fits_is_graded_as_any_wrong_answer(
    ws, tmp_path, monkeypatch
):
    # the feedback must say "not the expected one", not tell the participant to answer again
    from eic import grading

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    ws.store.record("q6_pick", "a wrong answer")
    Worksheet("m01", tmp_path).single_choice("q6_pick", "Which?", ["A", "B"])
    assert grading._answered_status("m01", "q6_pick") == (True, "Question 6: answer recorded.")
    with pytest.raises(AssertionError, match="not the expected one"):
        grading.assert_choice("m01", "q6_pick", "A")


def test_a_corrupt_answer_file_met_in_grading_is_explained_as_the_feedback_reader_needs(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "m01-answers.json").write_text(
        '{"answers": {"q1_a": {"value": "A"}, "q2_b": 5', encoding="utf-8"
    )
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    sheet = Worksheet("m01", tmp_path)
    said = capsys.readouterr().out
    # the feedback page shows what was printed: nothing to answer again, no copy to look at
    assert said.startswith("Warning: When this module was graded, your answer file")
    assert "scored 0" in said and "send the file again" in said
    assert "Answer the questions" not in said and "unreadable" not in said
    assert sheet.notice in said


def test_a_corrupt_answer_file_is_reported_when_the_worksheet_opens(tmp_path, capsys):
    (tmp_path / "m01-answers.json").write_text("{ broken", encoding="utf-8")
    sheet = Worksheet("m01", tmp_path)
    assert "could not be read" in sheet.notice and "unreadable" in sheet.notice
    assert "could not be read" in capsys.readouterr().out
    q = sheet.single_choice("q1_a", "Pick", ["A", "B"])
    q.value = "A"
    assert recorded(sheet, "q1_a") == "A"


def test_an_error_while_saving_is_shown_not_raised(ws, monkeypatch):
    q = ws.single_choice("q1_a", "Pick", ["A", "B"])

    def broken(*_args, **_kwargs):
        raise OSError("read-only folder")

    monkeypatch.setattr(ws.store, "record", broken)
    q.value = "A"
    assert "read-only folder" in q.feedback.value and ws.log


def test_progress_counts_complete_answers(ws):
    a = ws.single_choice("q1_a", "Pick", ["A", "B"])
    ws.reflection("r1_x", "Reflect", min_words=3)
    assert ws.progress() == (0, 2)
    a.value = "A"
    assert ws.progress() == (1, 2)


def test_question_ids_are_unique(ws):
    ws.single_choice("q1_a", "Pick", ["A"])
    with pytest.raises(ValueError, match="used twice"):
        ws.single_choice("q1_a", "Pick", ["A"])


def test_under_nbgrader_questions_print_their_recorded_answer(ws, monkeypatch, capsys):
    q = ws.multiple_choice("q2_a", "Tick", ["x", "y"])
    q.value = ["x", "y"]
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    q._ipython_display_()
    assert capsys.readouterr().out.strip() == "Question 2 (multiple choice): x; y"


def test_a_failing_view_does_not_lose_the_answer(ws):
    q = ws.single_choice("q1_a", "Pick", ["A", "B"])

    def broken_chart(_value):
        raise RuntimeError("chart failed")

    q.on_saved(broken_chart)
    q.value = "B"
    assert recorded(ws, "q1_a") == "B"
    assert "chart failed" in q.feedback.value


def widget_models(widget) -> set[str]:
    """Every widget model the browser must create to show ``widget``: the widget, its
    layout and style, and the same for everything inside it."""
    found: set[str] = set()
    todo = [widget]
    while todo:
        each = todo.pop()
        if each is None or each.model_id in found:
            continue
        found.add(each.model_id)
        todo += [getattr(each, "layout", None), getattr(each, "style", None)]
        todo += list(getattr(each, "children", ()))
    return found


def test_one_message_line_says_saved_then_the_check_then_loaded(ws, tmp_path):
    q = ws.single_choice("q1_a", "Pick one", ["A", "B"], help_text="Choose the nearest.")
    assert q.feedback.value == ""  # nothing to say before anything happens
    q.value = "A"
    assert "saved" in q.feedback.value
    click(q.check_button)
    assert "complete" in q.feedback.value and "saved" not in q.feedback.value
    q.value = "B"  # a new answer: the old check no longer applies
    assert "saved" in q.feedback.value and "complete" not in q.feedback.value
    again = Worksheet("m01", tmp_path).single_choice("q1_a", "Pick one", ["A", "B"])
    assert "answer loaded" in again.feedback.value


def test_the_help_text_is_part_of_the_heading(ws):
    q = ws.single_choice("q1_a", "Pick one", ["A", "B"], help_text="Choose the nearest <one>.")
    assert "Pick one" in q.label.value and "Choose the nearest &lt;one&gt;." in q.label.value
    plain = ws.single_choice("q1_b", "Pick one", ["A", "B"])
    assert len(widget_models(q.widget)) == len(widget_models(plain.widget))


def test_a_question_is_drawn_with_only_the_widgets_it_shows(ws):
    # every widget model costs the browser time when a page opens: a question holds its
    # frame, heading, input, a row with two buttons and one message line, nothing more
    q = ws.single_choice("q1_a", "Pick one", ["A", "B"])
    row = q.widget.children[2]
    assert list(q.widget.children) == [q.label, q.input, row, q.feedback]
    assert list(row.children) == [q.save_button, q.check_button]
    # 7 widgets, and the looks they share: layouts (the frame, the plain one, the choices'
    # full width, the button row that wraps on a phone) and styles (of the two texts, of the
    # two buttons, of the choices)
    assert len(widget_models(q.widget)) == 7 + 4 + 3
    # a further question brings only its own 7 widgets: its layouts and styles are shared
    other = ws.single_choice("q1_b", "Pick another", ["C", "D", "E"])
    assert len(widget_models(other.widget) - widget_models(q.widget)) == 7


def test_a_checklist_adds_only_its_buttons_and_their_text_per_item(ws):
    items = [f"Item {i}" for i in range(10)]
    short = ws.checklist("q6_a", "Check", items[:4])
    long = ws.checklist("q6_b", "Check", items)
    # each further item: its text and its buttons, whose layouts and styles are shared;
    # no box per row
    assert len(widget_models(long.widget)) - len(widget_models(short.widget)) == 6 * 2


def test_an_answer_that_cannot_be_saved_says_why_and_what_to_do(ws, monkeypatch):
    import errno
    import os
    import tempfile

    q = ws.single_choice("q1_a", "Pick one", ["A", "B", "C"])
    q.value = "A"

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(ws.store.path) + ".tmp")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    q.value = "B"  # a click that cannot be saved
    said = q.feedback.value
    assert "Your answer was not saved: the folder is on a disk that is read-only" in said
    assert "Tell your trainer" in said
    assert "Something went wrong" not in said and "Errno" not in said
    assert str(ws.store.path.parent) not in said
    monkeypatch.undo()
    assert recorded(ws, "q1_a") == "A"  # the earlier answer is kept


def test_a_saved_number_says_how_it_was_read(tmp_path):
    q = Worksheet("m07", tmp_path).number("q2_ratio", "Consistency ratio?", unit="(a ratio)")
    q.text.value = "0,086"
    assert q.save()
    assert "saved as 0.086 (a ratio)" in q.feedback.value
    assert recorded(q.sheet, "q2_ratio") == 0.086
    q.text.value = "16,800.5"
    q.save()
    assert "saved as 16,800.5 (a ratio)" in q.feedback.value


def test_a_number_that_reads_two_ways_is_read_as_its_range_allows_or_asked_about(tmp_path):
    # "4.966" is 4966 in Viet Nam or Indonesia and 4.966 in English; "4,966" the other way
    # round. Read silently the English way, a factor of 1,000 slipped into the grade.
    sheet = Worksheet("m05", tmp_path)
    tonnes = sheet.number("q6_t", "Tonnes avoided?", unit="tCO2e/yr", plausible=(100, 10_000))
    tonnes.text.value = "4.966"
    assert tonnes.save()
    assert recorded(sheet, "q6_t") == 4966
    assert "saved as 4966 tCO2e/yr ('4.966' read with the point between thousands)" in (
        html.unescape(tonnes.feedback.value)
    )
    ratio = sheet.number("q2_r", "Ratio?", unit="(a ratio)", plausible=(0, 10))
    ratio.text.value = "4,966"
    assert ratio.save()
    assert recorded(sheet, "q2_r") == 4.966
    assert "('4,966' read with a decimal comma)" in html.unescape(ratio.feedback.value)

    # both readings plausible: asked, and the answer recorded before is kept
    wide = sheet.number("q7_w", "Tonnes?", unit="tCO2e/yr", plausible=(0, 100_000))
    wide.text.value = "5000"
    assert wide.save()
    wide.text.value = "4,966"
    assert not wide.save()
    said = html.unescape(wide.feedback.value)
    assert "'4,966' can be read two ways: as 4966 (with the comma between thousands)" in said
    assert "or as 4.966 (with a decimal comma)" in said
    assert "Type 4966 if you mean the first, 4,9660 if you mean the second" in said
    # why "4,9660": the one sign the box gives that the comma is a decimal one
    assert "with more or fewer than three digits after it, a comma can only be a decimal" in said
    assert recorded(sheet, "q7_w") == 5000
    for typed, number in [("4966", 4966), ("4,9660", 4.966), ("4,966.0", 4966)]:
        wide.text.value = typed
        assert wide.save(), typed
        assert recorded(sheet, "q7_w") == number, typed
    # no one writes 30 as "30,000": thousands, though 30 is plausible too
    wide.text.value = "30,000"
    assert wide.save() and recorded(sheet, "q7_w") == 30_000
    wide.text.value = "1,680"  # the decimal way, written without its last zero
    assert not wide.save()
    assert "as 1680 (with the comma between thousands) or as 1.68 (with a decimal comma)" in (
        html.unescape(wide.feedback.value)
    )
    assert "Type 1680 if you mean the first, 1,68 if you mean the second" in html.unescape(
        wide.feedback.value
    )
    # a question with no range asks too; one digit after the mark is no thousands
    bare = sheet.number("q8_b", "How much?", unit="USD")
    bare.text.value = "1.650"
    assert not bare.save() and "can be read two ways" in bare.feedback.value
    bare.text.value = "1,65"
    assert bare.save() and recorded(sheet, "q8_b") == 1.65


def test_a_recorded_number_with_three_decimals_comes_back_without_a_question(tmp_path):
    # 1.125 is written back into the box as "1.125", which a participant typing it could
    # mean either way; the worksheet wrote it, so it is read as the number it wrote
    sheet = Worksheet("m05", tmp_path)
    sheet.number("q1_c", "Cost?", unit="USD/t", plausible=(0, 10_000)).record(1.125)
    again = Worksheet("m05", tmp_path).number("q1_c", "Cost?", unit="USD/t", plausible=(0, 10_000))
    assert again.text.value == "1.125"
    assert again.value == 1.125
    assert again.save() and recorded(again.sheet, "q1_c") == 1.125
    assert "saved as 1.125 USD/t" in again.feedback.value and "two ways" not in again.feedback.value
    again.text.value = "1.12"
    again.text.value = "1.125"  # typed afresh: the participant is asked
    assert not again.save() and "can be read two ways" in again.feedback.value


def test_saving_an_answer_not_complete_says_so_at_once_not_saved_with_a_tick(tmp_path):
    sheet = Worksheet("m07", tmp_path)
    q = sheet.number("q2_ratio", "Consistency ratio?", unit="(a ratio)", plausible=(0, 1))
    assert not q.save()  # Save pressed on the empty field: nothing to record
    assert q.feedback.value.endswith(
        "Not complete yet: type a number. No answer is saved until you give one.</span>"
    )
    assert q.sheet.store.entry("q2_ratio") is None
    q.text.value = "340"
    q.save()
    said = q.feedback.value
    assert "Saved as 340 (a ratio), not complete yet: 340 (a ratio) is outside" in said
    assert "&#10003;" not in said
    items = sheet.checklist("q6_items", "Which?", ["Steam", "Water", "Sludge"], options=["y", "n"])
    items.value = {"Steam": "y"}
    assert "Saved, not complete yet: 2 item(s) still to answer" in items.feedback.value
    items.value = {"Steam": "y", "Water": "n", "Sludge": "y"}
    assert "&#10003; saved" in items.feedback.value and "not complete" not in items.feedback.value


def test_a_typed_answer_is_saved_once_the_typing_pauses(tmp_path, monkeypatch):
    monkeypatch.setattr(typed_answers, "TYPING_PAUSE", 1.0)  # far longer than between keys

    async def typing() -> list:
        ws = Worksheet("m01", tmp_path)
        reflection = ws.reflection("r1", "Reflect", min_words=1)
        seen = []
        for text in ["Our", "Our cluster", "Our cluster shares steam"]:  # keys, as sent
            reflection.input.value = text
            seen.append((ws.store.value("r1"), "typing" in reflection.feedback.value))
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # the typing pauses
        seen.append((ws.store.value("r1"), "saved" in reflection.feedback.value))
        reflection.input.value = "Our cluster shares steam and water"
        assert typed_answers.save_pending() == 1  # as the kernel does before it stops
        seen.append((ws.store.value("r1"), typed_answers.save_pending() == 0))
        return seen

    assert asyncio.run(typing()) == [
        (None, True), (None, True), (None, True),  # nothing written at each key
        ("Our cluster shares steam", True),
        ("Our cluster shares steam and water", True),
    ]  # fmt: skip


def test_save_answer_while_typing_saves_at_once_and_once(tmp_path, monkeypatch):
    monkeypatch.setattr(typed_answers, "TYPING_PAUSE", 0.2)

    async def typing() -> tuple:
        ws = Worksheet("m01", tmp_path)
        number = ws.number("q4", "How many?", unit="Eco-Towns")
        number.text.value = "26"
        number.save_button.click()
        saved = ws.store.value("q4")
        return saved, typed_answers.save_pending()

    assert asyncio.run(typing()) == (26, 0)


def test_a_ranking_writes_its_order_out_in_full_words(ws, tmp_path):
    # on a phone a drop-down cuts a long item short; the list under them shows it whole
    items = ["Kalundborg: water piped from a lake", "Eco-Towns <first plans>", "c"]
    q = ws.ranking("q5_r", "Order", items)
    assert q.order.value == ""  # nothing chosen, nothing listed
    q.places[1].value = items[0]
    assert "<li value='2'>Kalundborg: water piped from a lake</li>" in q.order.value
    assert "<li value='1'>" not in q.order.value  # the first place is still open
    q.value = [items[1], items[0], "c"]
    assert q.order.value.index("&lt;first plans&gt;") < q.order.value.index("Kalundborg")
    again = Worksheet("m01", tmp_path).ranking("q5_r", "Order", items)  # a reopened page
    assert "<li value='1'>Eco-Towns &lt;first plans&gt;</li>" in again.order.value


def test_a_number_typed_with_the_question_unit_is_read_and_a_refused_one_names_the_kept(tmp_path):
    sheet = Worksheet("m03", tmp_path)
    q = sheet.number("q1_flow", "Unknown flow?", unit="m3/day", plausible=(0, 6300))
    q.text.value = "6000"
    assert q.save()
    # the question's own unit after the number says nothing new: read, in any case
    for typed in ("300 m3/day", "300m3/day", "300 M3/DAY"):
        q.text.value = typed
        assert q.save(), typed
        assert recorded(sheet, "q1_flow") == 300, typed
    # another unit is refused, and the message says which answer stays recorded
    q.text.value = "300 litres"
    assert not q.save()
    said = q.feedback.value
    assert "'300 litres' is not a number" in said
    assert "Your saved answer (300 m3/day) is kept." in said
    assert recorded(sheet, "q1_flow") == 300
    # typed text is shown as text, never as the page's own markup
    q.text.value = "<b>3</b>"
    assert not q.save()
    assert "&lt;b&gt;3&lt;/b&gt;" in q.feedback.value and "<b>" not in q.feedback.value
    # a unit alone, or a unit in brackets such as "(a ratio)", is not taken for a number
    q.text.value = "m3/day"
    assert not q.save() and recorded(sheet, "q1_flow") == 300
    ratio = sheet.number("q2_r", "Ratio?", unit="(a ratio)", plausible=(0, 1))
    ratio.text.value = "0.5 (a ratio)"
    assert not ratio.save()
    assert "Your saved answer" not in ratio.feedback.value  # nothing recorded yet


def test_a_number_copied_from_the_page_or_typed_with_a_percent_sign_is_read_or_explained(ws):
    from eic.typed_numbers import parse_number

    # the course's pages print a minus as U+2212 and may group thousands with a thin space
    assert parse_number("\u22123495") == -3495
    assert parse_number("1\u202f650") == 1650 and parse_number("1\u00a0650,5") == 1650.5
    with pytest.raises(ValueError, match=r"'340%' ends with a % sign.*340% is 3\.4\)"):
        parse_number("340%")
    q = ws.number("q6_shift", "Shift?", unit="persons employed", plausible=(-20_000, 20_000))
    q.text.value = "-3495"
    q.text.value = "-3,495"
    said = html.unescape(q.feedback.value)
    # the answer kept is written the way the box reads without asking
    assert "can be read two ways" in said
    assert "Your saved answer (-3495 persons employed) is kept." in said


@pytest.mark.parametrize(
    "typed, unit, whole, number",
    [("3.40", "(no unit: a ratio)", False, 3.4), ("1,997", "t", True, 1997),
     ("0,086", "t/t", False, 0.086), ("300 m3/day", "m3/day", False, 300)],
)  # fmt: skip
def test_a_number_opened_again_shows_as_it_was_typed(ws, tmp_path, typed, unit, whole, number):
    q = ws.number("q2_lq", "How much?", unit=unit, plausible=(0, 5000), whole=whole)
    q.text.value = typed
    assert recorded(ws, "q2_lq") == number
    again = Worksheet("m01", tmp_path).number("q2_lq", "How much?", unit=unit,
                                              plausible=(0, 5000), whole=whole)  # fmt: skip
    assert again.text.value == typed and again.value == number
    assert "answer loaded" in again.feedback.value
    again.save()  # saved again unchanged: the same number
    assert recorded(ws, "q2_lq") == number


def test_a_typed_text_that_no_longer_reads_as_the_number_is_not_shown(ws, tmp_path):
    # an answer file edited by hand: the number recorded is what counts, and is shown
    ws.store.record("q2_lq", 3.4, unit="t", typed="9")
    ws.store.record("q3_x", 26, unit="t", typed="2,6")  # a count: 2,6 is 2.6, not 26
    sheet = Worksheet("m01", tmp_path)
    assert sheet.number("q2_lq", "LQ?", unit="t").text.value == "3.4"
    count = sheet.number("q3_x", "How many?", unit="t", plausible=(1, 5000), whole=True)
    assert count.text.value == "26" and count.value == 26


def test_a_count_is_read_whole_and_a_fraction_of_one_is_refused(ws):
    q = ws.number("q4_towns", "How many towns?", unit="Eco-Towns", plausible=(1, 100), whole=True)
    assert "whole number" in q.text.placeholder
    # the empty box suggests no number, which could be read as a hint of the answer
    sizes = ws.number("q5_cost", "What does it cost?", unit="USD per year")
    assert not any(ch.isdigit() for ch in q.text.placeholder + sizes.text.placeholder)
    q.text.value = "26"
    assert recorded(ws, "q4_towns") == 26
    # "1,997" is not read as 1.997 towns, which lies in the range: it is 1997, out of it
    q.text.value = "1,997"
    click(q.check_button)
    assert "1,997 Eco-Towns is outside the plausible range 1 to 100" in q.feedback.value
    q.text.value = "2,6"
    click(q.check_button)
    assert "2.6 Eco-Towns is not a whole number" in q.feedback.value
    # a number that is not a count keeps its decimal reading
    share = ws.number("q5_share", "Share?", unit="t", plausible=(1, 100))
    share.text.value = "1,997"
    assert recorded(ws, "q5_share") == 1.997


def test_a_kept_ratio_is_written_without_its_bracketed_note(ws):
    q = ws.number("q2_lq", "LQ?", unit="(no unit: a ratio)", plausible=(0, 20))
    q.text.value = "3.40"
    q.text.value = "3.4 units"
    said = html.unescape(q.feedback.value)
    assert "Your saved answer (3.4) is kept." in said
