"""Module 5: the worksheet's options can be added, and its explorer says what it did with a
number typed for the rate or the budget."""

from __future__ import annotations

import html
import re

import ipywidgets
import nbformat
import pandas as pd
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic import data
from eic.explorers import Explorer
from eic.number_slider import NumberSlider
from eic.own_analyses import options_analysis
from eic.own_data import SPECS
from eic.own_results import results_parts
from eic.panels import portfolio_explorer
from eic.worksheet import Worksheet

COAL_T_PER_GJ = 94.6 / 1000  # tCO2 per GJ: IPCC (2006) default, other bituminous coal
NETWORK = "Shared steam network with a biomass boiler"


def coal_saved_gj(basis: str) -> float | None:
    """The GJ/yr of coal an option's basis says it saves or replaces (None: no coal)."""
    found = re.search(r"([\d,]+) GJ/yr of coal", basis)
    return float(found[1].replace(",", "")) if found else None


def module_5() -> dict:
    return next(m for m in released_modules() if m["id"] == "m05")


def test_each_coal_options_tonnes_follow_from_the_coal_its_basis_says_it_saves():
    options = data.load("cluster_options").set_index("option")
    coal = {name: coal_saved_gj(row["basis"]) for name, row in options.iterrows()}
    coal = {name: gj for name, gj in coal.items() if gj is not None}
    assert len(coal) == 7  # the three others save electricity
    for name, gj in coal.items():
        expected = round(gj * COAL_T_PER_GJ)  # e.g. 40,000 GJ x 0.0946 = 3,784 t
        assert options.loc[name, "abatement_tco2e_per_yr"] == expected, name


def test_the_steam_network_and_the_other_coal_options_work_on_different_boilers():
    """The reading warns that an economiser's tonnes disappear if the biomass boiler
    replaces its boiler; so the network takes over only part of the cluster's coal, and
    every other coal option says it works where coal stays."""
    options = data.load("cluster_options").set_index("option")
    provenance = data.provenance("cluster_options")
    total = re.search(r"about ([\d,]+) GJ of coal a year", provenance)
    assert total, "the provenance gives the coal all the dye houses' boilers burn"
    total_gj = float(total[1].replace(",", ""))
    assert "can be added" in provenance
    network = options.loc[NETWORK, "basis"]
    assert "along the main" in network and "illustrative" in network
    others = {
        name: coal_saved_gj(row["basis"])
        for name, row in options.iterrows()
        if name != NETWORK and coal_saved_gj(row["basis"]) is not None
    }
    for name in others:
        assert "stay on coal" in options.loc[name, "basis"], name
    # the coal left after the network is more than all the other options save together
    # (200,000 - 40,000 = 160,000 GJ/yr against 44,400)
    left = total_gj - coal_saved_gj(network)
    assert sum(others.values()) < left
    assert "dye houses" in network and "all dye houses" not in " ".join(options["basis"])


def test_the_reading_says_the_worksheets_bars_can_be_added_and_how():
    nb = nbformat.read(notebook_path(ROOT, "source", module_5()), as_version=4)
    reading = next(c.source for c in nb.cells if c.source.startswith("## Marginal abatement"))
    warning = reading.index("cannot simply be added")
    after = reading[warning:]
    assert "ten options were defined so that their tonnes can be added" in after
    assert "along its main" in after and "stay on coal" in after


def module_5_source() -> nbformat.NotebookNode:
    return nbformat.read(notebook_path(ROOT, "source", module_5()), as_version=4)


def test_question_1_has_a_hint_for_an_answer_that_forgets_the_yearly_saving(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    sheet = Worksheet("m05", tmp_path)
    cell = next(c.source for c in module_5_source().cells if 'ws.number(\n    "q1_' in c.source)
    exec(cell, {"ws": sheet})
    question = sheet.questions["q1_mac_by_hand"]
    crf = 0.1 * 1.1**10 / (1.1**10 - 1)  # 0.16275
    forgot = 50_000 * crf / 100  # 81.37 USD per tCO2e: the USD 5,000 a year not subtracted
    for typed in (forgot, round(50_000 * 0.1627 / 100, 1)):
        question.value = typed
        question.check_button.click()
        assert "Subtract the USD 5,000 saved each year" in question.feedback.value, typed
    question.value = (50_000 * crf - 5_000) / 100  # the right answer, 31.4
    question.check_button.click()
    assert "Subtract" not in question.feedback.value


def test_the_reflections_number_is_written_once_on_the_page():
    sources = [c.source for c in module_5_source().cells]
    numbered = [s for s in sources if re.search(r"(^|[\"'#] ?)9\. (Your )?[Rr]eflection", s)]
    assert len(numbered) == 1 and numbered[0].startswith("### 9. Reflection")


def test_the_reading_speaks_plainly():
    text = "\n".join(c.source for c in module_5_source().cells if c.cell_type == "markdown")
    for idiom in ("dearest", "on the shelf", "walk along"):
        assert idiom not in text
    assert "(our calculation: USD 6.5 million ÷ 72)" in text
    assert round(6_500_000 / 72, -4) == 90_000  # "about USD 90,000 a year per enterprise"


# -- the explorer says what it did with a typed rate or budget ------------------------------


def explorer() -> Explorer:
    return portfolio_explorer(data.load("cluster_options"), budget=500_000, rate=10, display=False)


def type_in(control: NumberSlider, text: str) -> None:
    """What the page sends when a participant types ``text`` in the box and leaves it."""
    control.field.value = text


def note(control: NumberSlider) -> str:
    """The line under the control, as the page shows it ("" when hidden)."""
    if control.message.layout.display == "none":
        return ""
    return html.unescape(re.sub(r"<[^>]+>", "", control.message.value))


def beside(control: NumberSlider) -> list[str]:
    """The words written beside the control's box, on its row."""
    row = control.children[0]
    return [c.value for c in row.children if isinstance(c, ipywidgets.Label)]


def headline(panel: Explorer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", panel.text.value.split("</p>")[0]))


def test_each_control_shows_its_range_and_step_beside_it():
    panel = explorer()
    assert beside(panel.controls["rate"]) == ["1-20 %, in steps of 0.5 %"]
    assert beside(panel.controls["budget"]) == ["USD 0-1,600,000, in steps of USD 10,000"]


@pytest.mark.parametrize("text", ["7,5", "7.5", "7.5 %", "7.5%"])
def test_a_rate_of_seven_and_a_half_percent_is_taken_as_typed_without_a_note(text):
    panel = explorer()
    rate = panel.controls["rate"]
    type_in(rate, text)
    assert rate.value == 7.5 and rate.field.value == "7.5" and note(rate) == ""
    assert headline(panel).startswith("At 7.5 %, ")


def test_a_rate_between_two_steps_is_set_to_the_nearest_half_percent_and_says_so():
    rate = explorer().controls["rate"]
    type_in(rate, "7.3")  # 7.0 and 7.5 are the steps either side; 7.5 is nearer
    assert rate.value == 7.5
    assert note(rate) == (
        "7.3 % is not on the scale: the rate is set to 7.5 %, the nearest half percent."
    )
    type_in(rate, "12")  # a value on the scale: the note goes
    assert rate.value == 12 and note(rate) == ""


def test_a_rate_past_the_top_is_set_to_20_percent_and_says_so():
    rate = explorer().controls["rate"]
    type_in(rate, "25")
    assert rate.value == 20 and rate.field.value == "20"
    assert note(rate) == "The rate goes up to 20 %: 25 % is set to 20 %."


def test_a_budget_past_the_top_is_capped_with_what_all_the_options_cost():
    budget = explorer().controls["budget"]
    type_in(budget, "2000000")
    assert budget.value == 1_600_000 and budget.field.value == "1,600,000"
    # the ten investments of the options table, added by hand
    every_option = 15_000 + 60_000 + 90_000 + 120_000 + 45_000 + 20_000 + 400_000 + 270_000
    every_option += 380_000 + 150_000
    assert note(budget) == (
        f"The budget goes up to USD 1,600,000, enough for all 10 options "
        f"(USD {every_option:,}): USD 2,000,000 is set to USD 1,600,000."
    )


def test_a_budget_typed_with_its_currency_is_read_and_one_that_is_not_a_number_is_kept():
    panel = explorer()
    budget = panel.controls["budget"]
    type_in(budget, "300,000")
    type_in(budget, "USD 500000")  # went back to 300,000 without a word before
    assert budget.value == 500_000 and note(budget) == ""
    assert "Within USD 500,000, choose" in html.unescape(panel.text.value)
    type_in(budget, "500k")
    assert budget.value == 500_000 and budget.field.value == "500,000"
    said = note(budget)
    assert "'500k' is not a number" in said and said.endswith("The budget stays at USD 500,000.")


def test_a_budget_between_two_steps_is_set_to_the_nearest_ten_thousand_and_says_so():
    budget = explorer().controls["budget"]
    type_in(budget, "1,234,567")
    assert budget.value == 1_230_000
    assert note(budget) == (
        "USD 1,234,567 is not on the scale: the budget is set to USD 1,230,000, the nearest "
        "USD 10,000."
    )


def own_options_page(savings: list[float]) -> str:
    """The sentences the own-data panel shows for three options of USD 1,000 each that last
    5 years and save ``savings`` (USD/yr)."""
    table = pd.DataFrame(
        {
            "option": ["A", "B", "C"],
            "investment_usd": [1_000.0] * 3,
            "annual_saving_usd": savings,
            "life_years": [5.0] * 3,
            "abatement_tco2e_per_yr": [10.0, 20.0, 30.0],
        }
    )
    _settings, shown = results_parts(options_analysis(SPECS["m05"].check(table)))
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(shown)))


def test_the_own_data_explorer_counts_the_options_that_pay_in_good_grammar():
    # at 10 % over 5 years a saving of USD 1 a year is worth USD 3.79 today (annuity factor
    # (1 - 1.1**-5) / 0.1): USD 500 a year pays for USD 1,000, USD 100 a year does not
    assert 500 * (1 - 1.1**-5) / 0.1 > 1_000 > 100 * (1 - 1.1**-5) / 0.1
    assert "1 of the 3 options pays for itself " in own_options_page([500, 100, 100])
    assert "2 of the 3 options pay for themselves " in own_options_page([500, 500, 100])
    assert "none of the 3 options pays for itself " in own_options_page([100, 100, 100])


@pytest.mark.parametrize("kind", ["source", "release"])
def test_question_3s_payback_is_worked_out_before_the_explorer_shows_it(kind):
    """The explorer's table gives each option's simple payback (heat recovery's 2.4 years),
    the answer to question 3: it comes after that question, where questions 4 to 7 use it."""
    notebook = nbformat.read(notebook_path(ROOT, kind, module_5()), as_version=4)
    cells = [(c.metadata.get("nbgrader", {}).get("grade_id"), c.source) for c in notebook.cells]
    ids = [grade_id for grade_id, _ in cells]
    drawn = [i for i, (_, source) in enumerate(cells) if "portfolio_explorer(" in source
             and not source.lstrip().startswith(("from", "import"))]  # fmt: skip
    assert drawn == [ids.index("worksheet_explorer")]
    assert ids.index("q3_payback_test") < drawn[0] < ids.index("q4_low_rate")
    # question 3's table is still above it, with the investment and the saving
    options_table = cells[ids.index("worksheet_options")][1]
    assert "show_table(" in options_table and "payback" not in options_table.lower()
    assert ids.index("worksheet_options") < ids.index("q3_payback")
