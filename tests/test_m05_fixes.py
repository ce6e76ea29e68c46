"""Module 5: the worksheet's options can be added, and its explorer says what it did with a
number typed for the rate or the budget."""

from __future__ import annotations

import re

import nbformat
from conftest import ROOT, notebook_path, released_modules

from eic import data
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
