"""A number typed for a slider is read as an answer box reads it, or refused with a message;
the slider has no readout to type into, which read "1,200,000" as 1 (and in the app, Module
5's budget: the browser test at the end)."""

from __future__ import annotations

import html
import re

import pytest
from conftest import released_modules, widgets_in
from test_browser import focus_inside, open_app, served  # noqa: F401 - a fixture

from eic import data
from eic import widgets as w
from eic.number_slider import NumberSlider, slider, slider_number
from eic.panels import lq_explorer, portfolio_explorer, reuse_explorer, symbiosis_explorer

BUDGET = {"low": 0, "high": 1_600_000, "step": 10_000}


def budget_slider(value: float = 500_000) -> NumberSlider:
    # as Module 5's explorer has it
    return slider("Budget (USD):", value, **BUDGET, readout=",.0f")


def type_in(control: NumberSlider, text: str) -> None:
    """What the page sends when a participant types ``text`` and leaves the box."""
    control.field.value = text


def said(control: NumberSlider) -> str:
    """The message line under the slider, as shown ("" when hidden)."""
    if control.message.layout.display == "none":
        return ""
    return html.unescape(re.sub(r"<[^>]+>", "", control.message.value))


@pytest.mark.parametrize("text", ["1,200,000", "1 200 000", "1200000", " 1,200,000 "])
def test_a_budget_typed_with_or_without_thousands_separators_is_read_whole(text):
    budget = budget_slider()
    type_in(budget, text)
    assert budget.value == 1_200_000 and budget.slider.value == 1_200_000
    assert budget.field.value == "1,200,000"  # shown as the panel writes it
    assert said(budget) == ""


def test_the_panel_uses_the_budget_typed_in_its_box():
    panel = portfolio_explorer(data.load("cluster_options"), display=False)
    type_in(panel.controls["budget"], "1,200,000")
    assert "Within USD 1,200,000, choose" in html.unescape(panel.text.value)


@pytest.mark.parametrize(
    ("text", "low", "high", "step", "expected"),
    [
        ("12,5", 0.5, 25, 0.5, 12.5),  # a decimal comma: Module 7's budget, USD million
        ("12.5", 0.5, 25, 0.5, 12.5),
        ("1,3", 0.5, 3.0, 0.05, 1.3),  # a location quotient
        # one comma or point and three digits: the one reading within the range
        ("1,250", 0.5, 3.0, 0.05, 1.25),  # 1,250 is past 3
        ("1.250", 0.5, 3.0, 0.05, 1.25),
        ("7.500", 1, 20, 1, 8),  # 7,500 % is past 20; 7.5 is between the steps 7 and 8
    ],
)
def test_a_decimal_is_read_as_a_decimal(text, low, high, step, expected):
    value, _note = slider_number(text, low=low, high=high, step=step)
    assert value == pytest.approx(expected)


def test_a_comma_and_three_digits_within_the_range_both_ways_is_between_thousands():
    # as an answer box reads it: 1,250 is one thousand two hundred and fifty, which the
    # budget's steps of 10,000 from 0 take to 0 (1,250 / 10,000 = 0.125, nearer 0 than 1)
    assert slider_number("1,250", **BUDGET) == (
        0,
        "The slider moves in steps of 10,000: 1,250 is set to 0.",
    )


def test_the_value_shown_typed_again_changes_nothing():
    budget = budget_slider()
    moves = []
    budget.observe(moves.append, names="value")
    type_in(budget, "500 000")  # the same budget, written another way
    assert moves == [] and budget.field.value == "500,000" and said(budget) == ""


def test_a_discount_rate_between_two_steps_is_set_to_the_nearest_with_a_message():
    rate = slider("Discount rate (%):", 10, low=1, high=20)
    type_in(rate, "7,5")  # read 7 before; the slider moves in steps of 1 %: 7.5 goes to 8
    assert rate.value == 8 and rate.field.value == "8"
    assert said(rate) == "The slider moves in steps of 1: 7.5 is set to 8."
    type_in(rate, "12")
    assert rate.value == 12 and said(rate) == ""


def test_a_budget_between_two_steps_is_set_to_the_nearest_step_with_a_message():
    budget = budget_slider()
    type_in(budget, "1,234,567")  # steps of 10,000 from 0: 1,230,000 is nearest
    assert budget.value == 1_230_000
    assert said(budget) == "The slider moves in steps of 10,000: 1,234,567 is set to 1,230,000."


@pytest.mark.parametrize(
    ("text", "expected", "message"),
    [
        ("2,000,000", 1_600_000, "2,000,000 is more than the slider's highest value: "),
        ("1 983 813", 1_600_000, "1,983,813 is more than the slider's highest value: "),
        ("-5", 0, "-5 is less than the slider's lowest value: set to 0."),
    ],
)
def test_a_number_past_an_end_of_the_slider_is_set_to_that_end_with_a_message(
    text, expected, message
):
    budget = budget_slider()
    type_in(budget, text)
    assert budget.value == expected
    assert said(budget).startswith(message)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("300.000", "could mean 300 or 300,000"),  # both are budgets the slider can take
        ("1.200.000", "is not a number"),
        ("USD 500", "is not a number"),
        ("500k", "is not a number"),
        ("", "The box is empty: type a number from 0 to 1,600,000."),
    ],
)
def test_text_that_is_not_one_number_is_refused_and_the_budget_stays(text, reason):
    budget = budget_slider()
    type_in(budget, text)
    assert budget.value == 500_000
    assert budget.field.value == "500,000"  # the box shows again the value in use
    message = said(budget)
    assert reason in message and message.endswith("Budget (USD) stays at 500,000.")


def test_moving_the_slider_changes_the_box_and_clears_the_message():
    budget = budget_slider()
    type_in(budget, "300.000")
    assert said(budget)
    budget.slider.value = 700_000  # as the handle is dragged
    assert budget.value == 700_000
    assert budget.field.value == "700,000" and said(budget) == ""
    budget.value = 40_000  # as a caller sets it
    assert budget.slider.value == 40_000 and budget.field.value == "40,000"


def test_a_slider_has_no_readout_to_type_in_and_its_box_is_named_as_it():
    budget = budget_slider()
    assert budget.slider.readout is False
    # a box without a label of its own is named by its tooltip (ipywidgets makes it the
    # field's title), so a screen reader says "Budget (USD)" and the label is not written
    # twice on the page
    assert budget.field.description == "" and budget.field.tooltip == "Budget (USD)"
    assert budget.field.continuous_update is False  # read when the box is left, not per key


@pytest.fixture
def panels(tmp_path, monkeypatch) -> dict[str, w.Widget]:
    """Every panel of the course with a slider: the worksheets' explorers and the analyses
    of a participant's own tables."""
    from eic.flows import solve_unknown
    from eic.own_analyses import employment_analysis, inventory_analysis, options_analysis
    from eic.own_data import SPECS
    from eic.policy_panels import package_explorer
    from eic.symbiosis import Factors
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    judgements = Worksheet("m07", tmp_path).pairwise(
        "q1_priorities", "Weigh", ["Jobs and growth", "Environmental benefit"]
    )
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    explorers = {
        "lq": lq_explorer(data.load("regional_employment"), "Riverside", start=2010),
        "reuse": reuse_explorer(
            solved, "Common effluent treatment plant", value=40, value_unit="t fabric/day"
        ),
        "symbiosis": symbiosis_explorer(
            data.load("sme_inventory"), data.load("symbiosis_materials"), Factors(0.10, 0.0001)
        ),
        "portfolio": portfolio_explorer(data.load("cluster_options"), display=False),
        "package": package_explorer(data.load("policy_instruments"), judgements),
    }
    own = {
        "own employment": employment_analysis(SPECS["m02"].example_table()),
        "own inventory": inventory_analysis(SPECS["m04"].example_table()),
        "own options": options_analysis(SPECS["m05"].example_table()),
    }
    return {name: explorer.box for name, explorer in explorers.items()} | own


def test_every_slider_of_a_panel_has_a_box_beside_it_and_no_readout(panels):
    for name, panel in panels.items():
        sliders = [c for c in widgets_in(panel) if isinstance(c, w.FloatSlider)]
        assert sliders, name
        for found in sliders:
            assert found.readout is False, (name, found.description)
        boxes = [c for c in widgets_in(panel) if isinstance(c, NumberSlider)]
        assert [b.slider for b in boxes] == sliders, name


# Module 5's page: the budget's box and the controls of its explorer
EXPLORER = ".eic-portfolio-explorer"
BUDGET_BOX = f"{EXPLORER} input[title='Budget (USD)']"
RATE_BOX = f"{EXPLORER} input[title='Discount rate (%)']"


def explorer_state(page) -> dict[str, str]:
    """What Module 5's explorer shows: its boxes' values and its sentence on the budget."""
    return page.evaluate(
        """() => {
             const ex = document.querySelector('.eic-portfolio-explorer');
             const best = ex.innerText.split('\\n').find(l => l.startsWith('Best choice'));
             const boxes = [...ex.querySelectorAll('input[type=text]')];
             return {best: best, boxes: boxes.map(b => b.title + '=' + b.value).join('; ')};
           }"""
    )


@pytest.mark.browser
@pytest.mark.slow
def test_module_5s_budget_typed_with_separators_is_used_and_tabbing_changes_nothing(
    served,  # noqa: F811 - the fixture
    browser,
):
    url, _folder = served
    module = next(m for m in released_modules() if m["id"] == "m05")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    page.wait_for_selector(BUDGET_BOX, timeout=60_000)
    before = explorer_state(page)
    assert "Budget (USD)=500,000" in before["boxes"], before
    assert before["best"].startswith("Best choice: Within USD 500,000,"), before
    # a keyboard user tabs through every control of the explorer and out of it: nothing
    # changes (no slider readout can be focused, and a box left unchanged is not read)
    focus_inside(page, f"{EXPLORER} .noUi-handle")
    reached = []
    for _ in range(20):  # the explorer has fewer controls than that
        focused = page.evaluate(
            f"""() => {{
                  const el = document.activeElement;
                  if (!el.closest('{EXPLORER}')) return null;
                  return [el.title || el.className, el.isContentEditable];
                }}"""
        )
        if focused is None:
            break
        reached.append(focused[0])
        assert not focused[1], f"a field to type in with no box of its own: {reached}"
        page.keyboard.press("Tab")
    assert "Budget (USD)" in reached and "Discount rate (%)" in reached, reached
    page.wait_for_timeout(3000)  # what a change would send and redraw has come back
    assert explorer_state(page) == before
    # the budget typed with commas between thousands, then Enter
    page.locator(BUDGET_BOX).fill("1,200,000")
    page.locator(BUDGET_BOX).press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.eic-portfolio-explorer').innerText"
        ".includes('Best choice: Within USD 1,200,000,')",
        timeout=30_000,
    )
    assert page.locator(BUDGET_BOX).input_value() == "1,200,000"
    # a number that reads two ways, then Tab: refused, said, and the budget stays
    page.locator(BUDGET_BOX).fill("300.000")
    page.locator(BUDGET_BOX).press("Tab")
    message = page.locator(f"{EXPLORER} [role=alert]", has_text="could mean 300 or 300,000")
    message.wait_for(timeout=30_000)
    assert "The budget stays at USD 1,200,000." in message.inner_text()
    page.wait_for_function(
        "box => box.value === '1,200,000'",
        arg=page.locator(BUDGET_BOX).element_handle(),
        timeout=30_000,
    )
    assert explorer_state(page)["best"].startswith("Best choice: Within USD 1,200,000,")
    # a decimal comma in the discount rate
    page.locator(RATE_BOX).fill("12,0")
    page.locator(RATE_BOX).press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.eic-portfolio-explorer').innerText.includes('At 12 %,')",
        timeout=30_000,
    )
    # each control's range is written beside it, and a rate past the top is said to be set
    # to 20 % (a participant saw 25 become 20 and did not know why)
    shown = page.locator(EXPLORER).inner_text()
    assert "1-20 %, in steps of 0.5 %" in shown
    assert "USD 0-1,600,000, in steps of USD 10,000" in shown
    page.locator(RATE_BOX).fill("25")
    page.locator(RATE_BOX).press("Enter")
    capped = page.locator(f"{EXPLORER} [role=alert]", has_text="The rate goes up to 20 %")
    capped.wait_for(timeout=30_000)
    assert capped.is_visible() and "25 % is set to 20 %." in capped.inner_text()
    assert errors == []
    page.close()
