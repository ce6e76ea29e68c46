"""Self-study mode: after a try, a question shows its model answer and why, from the trainer's
guide; in a class (the mode off, or under nbgrader) nothing of it reaches the page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, notebook_path, released_modules

from eic import self_study
from eic.guide import questions
from eic.worksheet import Worksheet

MODULES = released_modules()
Q2_PROMPT = "2. From the table above, compute Riverside's location quotient for textiles & dyeing."


def texts_of(widget) -> str:
    """Every text a widget and the widgets inside it send to the page."""
    parts = [str(getattr(widget, name, "")) for name in ("value", "description", "tooltip")]
    for child in getattr(widget, "children", ()):
        parts.append(texts_of(child))
    return "\n".join(parts)


def buttons_of(question) -> list[str]:
    return [b.description for b in question.widget.children[2].children]


@pytest.fixture
def module_folder(tmp_path, monkeypatch):
    """Module 2's folder in a copy of the course (its course/ folder and the folder itself)."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    shutil.copytree(ROOT / "course", tmp_path / "course")
    folder = tmp_path / "release" / "m02-clusters-competitiveness"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setenv("EIC_SELF_STUDY", "1")


def lq_question(folder):
    ws = Worksheet("m02", folder)
    return ws.number("q2_lq_textiles", Q2_PROMPT, unit="no unit: a ratio")


# -- in a class: nothing -------------------------------------------------------------------------


@pytest.mark.parametrize("setting", [None, "0", "yes"])
def test_without_self_study_a_question_has_no_third_button_and_no_guide_text(
    module_folder, monkeypatch, setting
):
    if setting is None:
        monkeypatch.delenv("EIC_SELF_STUDY", raising=False)
    else:
        monkeypatch.setenv("EIC_SELF_STUDY", setting)
    q = lq_question(module_folder)
    q.record(3.4)
    assert buttons_of(q) == ["Save answer", "Check"]
    assert q.answer_and_why is None
    sent = texts_of(q.widget)
    assert "327,090" not in sent and "answer and why" not in sent.lower()


def test_under_nbgrader_self_study_is_off_even_when_asked_for(module_folder, on, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert not self_study.enabled()


# -- on your own: try first, then the answer and why ---------------------------------------------


def test_the_button_is_disabled_until_an_answer_is_recorded_then_shows_the_guides_bullet(
    module_folder, on
):
    q = lq_question(module_folder)
    assert buttons_of(q) == ["Save answer", "Check", "Show the answer and why"]
    button = q.answer_and_why.button
    assert button.disabled
    button.click()  # a disabled button shows nothing, even if the click reaches the kernel
    assert "327,090" not in texts_of(q.widget)
    q.value = 2.9  # a wrong answer is a try too
    q.check_button.click()
    assert not button.disabled
    button.click()
    shown = q.widget.children[-1].value
    # the guide's bullet for Q2: (61,860 ÷ 327,090) ÷ (140,650 ÷ 2,531,250) = 3.40
    assert "(61,860 ÷ 327,090) ÷ (140,650 ÷ 2,531,250)" in shown and "3.40" in shown
    assert "**" not in shown and "Q2." not in shown  # the label is left out
    assert q.widget.children[-1] is not q.feedback and "Saved" in q.feedback.value


def test_check_points_a_self_learner_to_the_answer_only_in_self_study(module_folder, monkeypatch):
    monkeypatch.delenv("EIC_SELF_STUDY", raising=False)
    in_class = lq_question(module_folder)
    in_class.value = 2.9
    in_class.check_button.click()
    assert "Saved" in in_class.feedback.value and "compare" not in in_class.feedback.value
    monkeypatch.setenv("EIC_SELF_STUDY", "1")
    alone = lq_question(module_folder)
    alone.value = 2.9
    alone.check_button.click()
    assert "On your own, press 'Show the answer and why' to compare." in alone.feedback.value


def test_an_answer_recorded_earlier_enables_the_button_when_the_notebook_opens(module_folder, on):
    lq_question(module_folder).record(3.4)
    again = lq_question(module_folder)  # the notebook run again: the answer is loaded
    assert not again.answer_and_why.button.disabled


def test_a_slider_group_gets_the_button_only_once_every_slider_is_set(module_folder, on):
    ws = Worksheet("m01", module_folder)
    q = ws.ratings("q7_self_assessment", "7. Rate your cluster", ["Networks", "Trust"],
                   low=0, high=5)  # fmt: skip
    assert q.answer_and_why.button.disabled
    q.sliders["Networks"].value = 3
    assert q.answer_and_why.button.disabled  # one slider is still to set: nothing recorded
    q.keep_as_shown()
    assert not q.answer_and_why.button.disabled
    assert "no single right answer" in q.answer_and_why.show()


def test_a_reflection_shows_its_guidance_and_the_guides_bullet_where_there_is_one(
    module_folder, on
):
    words = " ".join(["word"] * 90)
    m02 = Worksheet("m02", module_folder).reflection(
        "r1_reflection", "9. Your reflection", min_words=80, max_words=200
    )
    m02.record(words)
    shown = m02.answer_and_why.show()
    assert "<b>What to look for.</b> A good answer names a real region and sector" in shown
    m01 = Worksheet("m01", module_folder).reflection(
        "r1_reflection", "8. Your reflection", min_words=80, max_words=200
    )
    m01.record(words)
    shown = m01.answer_and_why.show()
    assert "<b>Q7 and the reflection</b> have no single right answer" in shown
    assert "What to look for.</b> A good answer names a real cluster" in shown


def test_without_the_trainers_guide_the_button_says_plainly_it_is_not_available(
    tmp_path, on, monkeypatch
):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    q = lq_question(tmp_path / "m02-clusters-competitiveness")
    q.record(3.4)
    shown = q.answer_and_why.show()
    assert "explanations are not available here" in shown
    assert "The answer and why:" not in shown and "3.40" not in shown


# -- the guide: every question has its bullet ----------------------------------------------------


@pytest.mark.parametrize("module", MODULES, ids=[m["id"] for m in MODULES])
def test_every_question_of_every_module_has_exactly_one_bullet_in_its_guide(module):
    guide = (ROOT / "course" / "guide" / f"{module['folder']}.md").read_text(encoding="utf-8")
    found = self_study.bullets(guide)
    assert found, f"{module['folder']}.md has no section '{self_study.SECTION}'"
    keys_of_questions = set()
    for question in questions(notebook_path(ROOT, "source", module)):
        key = self_study.question_key(question.qid, question.prompt)
        keys_of_questions.add(key)
        named = [text for keys, text in found if key in keys]
        if key == self_study.REFLECTION:  # a bullet is optional: the guidance is not
            assert len(named) <= 1, (question.qid, named)
            assert self_study.reflection_guidance(guide, question.qid), question.qid
            continue
        assert len(named) == 1, (question.qid, named)
        # the guide numbers questions as their prompts do: the id's number is the prompt's
        assert question.prompt.startswith(f"{key[1:]}. "), (question.qid, question.prompt)
    for keys, text in found:  # no bullet names a question the notebook does not have
        assert keys and keys <= keys_of_questions, (keys, text)


def test_a_label_names_its_questions_and_stands_apart_only_when_it_ends_with_a_full_stop():
    guide = "\n".join([
        "## Why the model answers are right", "",
        "- **Q3 and Q4.** Both follow from the table;", "  see the second column.",
        "- **Q5–Q7** have no single right answer.",
        "- **Reflection.** Read it against the guidance.", "",
        "### Model answers", "", "- **Q9.** Not in the section.",
    ])  # fmt: skip
    assert self_study.bullets(guide) == [
        ({"Q3", "Q4"}, "Both follow from the table; see the second column."),
        ({"Q5", "Q6", "Q7"}, "**Q5–Q7** have no single right answer."),
        ({"reflection"}, "Read it against the guidance."),
    ]
    assert self_study.reason(guide, "Q9") is None


def test_the_question_key_comes_from_the_id_and_from_the_prompt_only_for_an_id_without_one():
    assert self_study.question_key("q12_total", "3. A prompt numbered otherwise") == "Q12"
    assert self_study.question_key("r1_reflection", "9. Your reflection") == "reflection"
    assert self_study.question_key("extra_question", "4. A prompt") == "Q4"
    with pytest.raises(ValueError, match="no number"):
        self_study.question_key("extra_question", "A prompt")


def test_the_guides_markdown_becomes_plain_safe_html():
    shown = self_study.markdown_to_html(
        "**Bold** and *italic*, `code`, [a link](https://example.org) and <script>x</script>"
    )
    assert shown == (
        "<b>Bold</b> and <i>italic</i>, code, a link and &lt;script&gt;x&lt;/script&gt;"
    )
    assert re.sub(r"</?[bi]>", "", shown).count("<") == 0
    assert self_study.markdown_to_html("10 MW × 0.7 = 7; 2 * 3 = 6") == "10 MW × 0.7 = 7; 2 * 3 = 6"


# -- Binder turns it on ----------------------------------------------------------------------------


def test_binder_start_turns_self_study_on_for_the_server_it_starts():
    # repo2docker runs binder/start with the server's command as its arguments: the server,
    # and every kernel it starts (a notebook's or a Voila page's), get its environment
    env = {k: v for k, v in os.environ.items() if k != "EIC_SELF_STUDY"}
    start = ROOT / "binder" / "start"
    assert os.access(start, os.X_OK)
    ran = subprocess.run([str(start), "python", "-c",
                          "from eic.self_study import enabled; print(enabled())"],
                         env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "True"
