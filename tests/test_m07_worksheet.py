"""Module 7's worksheet panels follow the participant's answers: the package explorer
redraws when question 1 is saved and warns when its judgements contradict each other, the
instruments table shows the score on each objective, and the park self-check rounds and
names its weakest categories as a participant reads them."""

from __future__ import annotations

import html
import itertools
import re

import pytest

from eic import data
from eic.worksheet import Worksheet

OBJECTIVES = ["Jobs and growth", "Environmental benefit", "Reach to SMEs"]
J_E, J_S, E_S = (
    "Jobs and growth vs Environmental benefit",
    "Jobs and growth vs Reach to SMEs",
    "Environmental benefit vs Reach to SMEs",
)
# The bundled instruments, copied from lib/eic/data/policy_instruments.csv:
# (cost in USD million, jobs and growth, environmental benefit, reach to SMEs), 0-10 points
INSTRUMENTS = {
    "Green credit line for SMEs": (5.0, 8, 6, 7),
    "Tax allowance for efficient boilers": (3.0, 4, 6, 4),
    "R&D grant for recycling technology": (2.5, 6, 5, 3),
    "Skills training for SME technicians": (1.2, 7, 3, 8),
    "Cleaner-production audit programme": (1.5, 4, 8, 8),
    "CETP capital grant": (6.0, 5, 9, 8),
    "Effluent charge": (0.4, 2, 8, 3),
    "Eco-industrial park centre (facilitator)": (2.0, 6, 6, 7),
    "By-product exchange platform": (0.8, 4, 7, 6),
    "Land-use zoning for fringe clusters": (0.6, 5, 5, 5),
}


def best_total(weights: tuple[float, float, float], budget: float) -> float:
    """The highest total weighted score within the budget, trying all 1,024 packages."""
    total = sum(weights)
    scores = {
        name: sum(w / total * s for w, s in zip(weights, row[1:], strict=True))
        for name, row in INSTRUMENTS.items()
    }
    best = 0.0
    for n in range(len(INSTRUMENTS) + 1):
        for package in itertools.combinations(INSTRUMENTS, n):
            if sum(INSTRUMENTS[name][0] for name in package) <= budget + 1e-9:
                best = max(best, sum(scores[name] for name in package))
    return best


@pytest.fixture
def sheet(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    return Worksheet("m07", tmp_path)


def explorer_with_my_priorities(sheet, judgements):
    from eic.policy_panels import package_explorer

    q1 = sheet.pairwise("q1_priorities", "Weigh", OBJECTIVES)
    q1.record(judgements)
    panel = package_explorer(data.load("policy_instruments"), q1, budget=10)
    panel.controls["weights"].value = "mine"
    return q1, panel


def package_score(panel) -> str:
    said = html.unescape(panel.text.value)
    return re.search(r"Best package:.*?total weighted score of ([\d.]+) points", said)[1]


def test_the_explorer_redraws_when_question_1_is_saved_with_new_judgements(sheet):
    # Consistent judgements, E = 2 J = 4 S: J : E : S = 2 : 4 : 1, weights 2/7, 4/7, 1/7.
    # Then the participant changes all three to "equal": weights 1/3 each.
    q1, panel = explorer_with_my_priorities(sheet, {J_E: 1 / 2, J_S: 2, E_S: 4})
    before = f"{best_total((2, 4, 1), 10):.1f}"
    assert package_score(panel) == before
    q1.record({J_E: 1, J_S: 1, E_S: 1})
    after = f"{best_total((1, 1, 1), 10):.1f}"
    assert after != before  # the test would not see a stale explorer otherwise
    assert package_score(panel) == after
    assert "Jobs and growth 33%, Environmental benefit 33%, Reach to SMEs 33%" in (
        html.unescape(panel.text.value)
    )


def test_the_explorer_on_equal_weights_is_not_changed_by_question_1(sheet):
    q1, panel = explorer_with_my_priorities(sheet, {J_E: 1 / 2, J_S: 2, E_S: 4})
    panel.controls["weights"].value = "equal"
    equal = f"{best_total((1, 1, 1), 10):.1f}"
    assert package_score(panel) == equal
    q1.record({J_E: 1 / 9, J_S: 1, E_S: 9})  # weights far from equal
    assert package_score(panel) == equal and "(equal)" in panel.text.value


def test_priorities_that_fail_the_consistency_check_are_flagged_beside_the_package(sheet):
    # The reading's second team: E over J 3, J over S 5, E over S 3. By hand (cube roots of
    # the row products): J (1 x 1/3 x 5)^(1/3) = 1.186, E (3 x 1 x 3)^(1/3) = 2.080,
    # S (1/5 x 1/3 x 1)^(1/3) = 0.405; sum 3.671: weights 32 %, 57 %, 11 %.
    # lambda max = 3.295 (the reading), CI = 0.1475, CR = 0.1475 / 0.58 = 0.25.
    _, panel = explorer_with_my_priorities(sheet, {J_E: 1 / 3, J_S: 5, E_S: 3})
    said = html.unescape(panel.text.value)
    warning = said.split("Best package")[0]
    assert "contradict each other" in warning and "consistency ratio 0.25" in warning
    assert "Jobs and growth 32%, Environmental benefit 57%, Reach to SMEs 11%" in warning
    assert "not to use yet" in warning and "question 1" in warning
    assert "role='alert'" in warning
    assert package_score(panel) == f"{best_total((1.186, 2.080, 0.405), 10):.1f}"


def test_consistent_priorities_are_named_without_a_warning(sheet):
    _, panel = explorer_with_my_priorities(sheet, {J_E: 1 / 2, J_S: 2, E_S: 4})
    said = html.unescape(panel.text.value)
    assert "contradict" not in said and "role='alert'" not in said
    assert "Jobs and growth 29%, Environmental benefit 57%, Reach to SMEs 14%" in said


def test_the_instruments_table_shows_each_objective_out_of_10(sheet):
    _, panel = explorer_with_my_priorities(sheet, {J_E: 1, J_S: 1, E_S: 1})
    said = html.unescape(panel.text.value)
    headings = re.findall(r"<th scope='col'[^>]*>([^<]*)</th>", said)
    assert headings == [
        "Instrument",
        "Policy stream",
        "Cost (USD million)",
        "Jobs and growth (out of 10)",
        "Environmental benefit (out of 10)",
        "Reach to SMEs (out of 10)",
        "Weighted score (out of 10)",
    ]
    rows = [
        re.findall(r"<td[^>]*>([^<]*)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", said.split("<tbody>")[1])
    ]
    cells = {row[0]: row[2:] for row in rows}
    streams = {row[0]: row[1] for row in rows}
    # the effluent charge: USD 0.4 million; jobs 2, environment 8, SMEs 3; (2 + 8 + 3) / 3
    assert cells["Effluent charge"] == ["0.4", "2", "8", "3", "4.33"]
    # the worksheet's claim, from the table: environmental instruments reach SMEs on
    # average (8 + 8 + 3) / 3 = 6.3, regional ones (7 + 6 + 5) / 3 = 6.0
    smes = {
        stream: [float(cells[name][3]) for name, s in streams.items() if s == stream]
        for stream in ("environmental", "regional development")
    }
    assert round(sum(smes["environmental"]) / 3, 1) == 6.3
    assert round(sum(smes["regional development"]) / 3, 1) == 6.0


# The park self-check (question 6)

CHECKLIST = data.load("eip_framework_checklist")


def items_of(category: str) -> list[str]:
    return list(CHECKLIST.loc[CHECKLIST["category"] == category, "item"])


def test_shares_are_rounded_half_up_alike_in_the_sentence_and_on_the_chart():
    from eic.eip_framework import framework_self_check, self_check_chart
    from eic.policy_panels import self_check_sentence

    economic, social = items_of("Economic"), items_of("Social")
    answers = dict.fromkeys(CHECKLIST["item"], "yes")
    # Economic: yes, yes, partly, no = 2.5 of 4 = 62.5 %, which is 63 % rounded half up
    answers |= dict(zip(economic, ["yes", "yes", "partly", "no"], strict=True))
    # Social: yes, partly, no, don't know = 1.5 of 4 = 37.5 %, which is 38 %
    answers |= dict(zip(social, ["yes", "partly", "no", "don't know"], strict=True))
    summary = framework_self_check(answers, CHECKLIST)
    said = html.unescape(self_check_sentence(summary))
    assert "Social 38 %" in said and "Economic 63 %" in said
    assert "62 %" not in said and "37 %" not in said
    labels = [t.get_text() for t in self_check_chart(summary).axes[0].get_xticklabels()]
    assert "Social\n38 % met\n(1 yes, 1 partly of 4)" in labels
    assert "Economic\n63 % met\n(2 yes, 1 partly of 4)" in labels
    assert "Weakest: Social." in said


def test_the_chart_s_share_axis_ends_at_100_percent():
    from eic.eip_framework import framework_self_check, self_check_chart

    summary = framework_self_check(dict.fromkeys(CHECKLIST["item"], "yes"), CHECKLIST)
    ax = self_check_chart(summary).axes[0]
    assert ax.get_ylim() == (0, 100) and max(ax.get_yticks()) == 100


def test_a_category_with_no_answer_is_not_answered_yet_and_not_the_weakest():
    from eic.eip_framework import framework_self_check

    # Park management all "partly" (50 %), one Environmental item "no" (0 of 5 met);
    # Social and Economic untouched
    answers = dict.fromkeys(items_of("Park management"), "partly")
    answers[items_of("Environmental")[0]] = "no"
    summary = framework_self_check(answers, CHECKLIST).set_index("category")
    assert summary["answered"].to_dict() == {
        "Park management": 4,
        "Environmental": 1,
        "Social": 0,
        "Economic": 0,
    }
    assert summary.index[summary["weakest"]].tolist() == ["Environmental"]


def test_a_checklist_answered_in_part_says_so_and_still_does_after_a_reload(tmp_path, monkeypatch):
    from eic.policy_panels import checklist_items, self_check_view

    items, headings = checklist_items(CHECKLIST)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    ws = Worksheet("m07", tmp_path)
    q6 = ws.checklist("q6_park_check", "Check", items, headings=headings)
    view = self_check_view(q6, CHECKLIST)
    # the participant's five answers: Park management's four items and one Environmental
    q6.value = dict.fromkeys(items_of("Park management"), "partly") | {
        items_of("Environmental")[0]: "no"
    }

    def check_partial(said: str) -> None:
        assert "Social not answered yet" in said and "Economic not answered yet" in said
        assert "Social 0" not in said and "Economic 0" not in said
        assert "You have answered 5 of the 17 items: the check is not complete yet" in said
        assert "Weakest so far: Environmental." in said

    check_partial(html.unescape(view.children[0].value))

    monkeypatch.setattr("eic.answers._ACTIVE", {})  # the page reloaded: a new kernel
    ws = Worksheet("m07", tmp_path)
    q6 = ws.checklist("q6_park_check", "Check", items, headings=headings)
    check_partial(html.unescape(self_check_view(q6, CHECKLIST).children[0].value))

    q6.value = dict.fromkeys(items, "yes")  # now complete
    said = html.unescape(self_check_view(q6, CHECKLIST).children[0].value)
    assert "not complete" not in said and "not answered yet" not in said


# The advice on contradictory judgements (question 1)


@pytest.mark.parametrize(
    ("implied", "setting"),
    [
        (15, 9),  # past the scale's end
        (1 / 81, 1 / 9),  # past the other end
        (0.6, 1 / 2),  # |ln(0.6 / 0.5)| = 0.18 against |ln(1 / 0.6)| = 0.51
        (1.4, 1),  # |ln 1.4| = 0.34 against |ln(2 / 1.4)| = 0.36
        (1.45, 2),  # |ln 1.45| = 0.37 against |ln(2 / 1.45)| = 0.32
        (4, 4),
    ],
)
def test_the_nearest_setting_is_one_the_slider_can_take(implied, setting):
    from eic.ahp import nearest_setting

    assert nearest_setting(implied) == pytest.approx(setting)


@pytest.mark.parametrize(
    "judgements",
    [
        {J_E: 1 / 3, J_S: 5, E_S: 3},  # the reading's second team
        {J_E: 9, J_S: 1 / 9, E_S: 9},  # a circle at the scale's ends
        {J_E: 1 / 2, J_S: 7, E_S: 1 / 2},
    ],
)
def test_every_setting_the_advice_suggests_is_a_label_of_the_slider(sheet, judgements):
    from eic.policy_panels import priorities_from
    from eic.question_groups import judgement_options

    q1 = sheet.pairwise("q1_priorities", "Weigh", OBJECTIVES)
    q1.record(judgements)
    advice = priorities_from(q1).advice()
    labels = {label for a, b in q1.pairs for label, _ in judgement_options(a, b)}
    suggested = re.findall(r"imply '([^']+)'", advice)
    assert len(suggested) == 3 and set(suggested) <= labels
    assert not re.search(r"imply \d", advice)  # never a bare number the slider cannot take


def test_the_chart_s_sentence_and_the_line_under_the_sliders_agree(sheet):
    from eic.policy_panels import priorities_view

    q1 = sheet.pairwise("q1_priorities", "Weigh", OBJECTIVES)
    view = priorities_view(q1)
    q1.record({J_E: 1 / 3, J_S: 5, E_S: 3})  # CR 0.25: each off by the same factor
    under_chart = html.unescape(view.children[0].value)
    assert "no single judgement is to blame" in under_chart
    assert "Change the judgement you trust least" in under_chart
    assert "fits the others least" not in under_chart


def test_the_line_under_the_sliders_does_not_blame_one_of_three_judgements(sheet):
    q1 = sheet.pairwise("q1_priorities", "Weigh", OBJECTIVES)
    q1.record({J_E: 1 / 3, J_S: 5, E_S: 3})
    under_sliders = html.unescape(q1.feedback.value)
    assert "consistency ratio 0.25" in under_sliders
    assert "fits the others least" not in under_sliders
    assert "trust least" in under_sliders


# Question 2: a consistency ratio typed as a percentage


def notebook_question(sheet, grade_id: str):
    """The question as the module's source notebook makes it, with its model answer."""
    from pathlib import Path

    import nbformat

    path = Path(__file__).parents[1] / "source/m07-policy-finance/m07-policy-finance.ipynb"
    notebook = nbformat.read(path, as_version=4)
    (cell,) = [
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ]
    names = {"ws": sheet}
    exec(cell.source, names)
    return names[grade_id.split("_")[0]]


@pytest.mark.parametrize("typed", ["8.6", "8,62", "8.621", "9"])
def test_a_ratio_typed_as_a_percentage_gets_a_hint(sheet, typed):
    q2 = notebook_question(sheet, "q2_cr_by_hand")
    q2.text.value = typed
    (said,) = q2.check()
    assert "a ratio such as 0.10, not a percentage" in said


def test_the_ratio_itself_is_complete_and_gets_no_hint(sheet):
    # CI = (3.10 - 3) / (3 - 1) = 0.05; CR = 0.05 / 0.58 = 0.0862
    q2 = notebook_question(sheet, "q2_cr_by_hand")
    for typed in ("0.086", "0.0862", "0,086"):
        q2.text.value = typed
        assert q2.check() == [] and "percentage" not in q2.feedback.value
