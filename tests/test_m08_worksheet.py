"""Module 8 as a participant meets it in the app: amounts typed with a comma, landfill jobs
kept out of the green total, "not now" actions kept in the roadmap, start times said as
starts, and a country report that says how far its jobs figure goes."""

from __future__ import annotations

import html
import re

import matplotlib
import matplotlib.pyplot as plt
import pytest

from eic import data

matplotlib.use("Agg")

BIOMASS_FUEL = "Biomass fuel supply (crop and forest residues)"
SOLAR_BUILD = "Solar PV, construction and installation"
SOLAR_RUN = "Solar PV, operation and maintenance"
SORTING = "Materials recovery facility (sorting recyclables)"
COMPOSTING = "Composting"
LANDFILL = "Landfill and incineration (for comparison)"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def jobs_page(tmp_path, monkeypatch):
    """Module 8's green-jobs panel, opened with no plan recorded, on a plan of one activity."""
    from eic.strategy_panels import jobs_explorer
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    ws = Worksheet("m08", tmp_path / "course" / "m08-country-strategy")
    panel = jobs_explorer(data.load("green_job_factors"), {SOLAR_RUN: 5})
    return panel, ws


def said(panel) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", panel.text.value))


# -- 1. an amount typed with a comma ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount", "note"),
    [
        ("1,15", 1.15, "'1,15' is read as 1.15 (the comma as a decimal mark)."),
        ("1.15", 1.15, ""),
        ("1,650", 1650, "'1,650' is read as 1,650 (the comma between thousands). If you meant "
         "1.65, type 1.65."),
        ("20,000", 20_000, ""),  # as the course writes it: nothing to say
        ("20.000", 20_000, "'20.000' is read as 20,000 (the point between thousands)."),
        ("1 650", 1650, "'1 650' is read as 1,650."),
        ("", 0, "An empty box is read as 0 (none)."),
    ],
)  # fmt: skip
def test_an_amount_is_read_as_an_answer_box_reads_a_number(typed, amount, note):
    from eic.strategy_panels import read_quantity

    assert read_quantity(typed) == (pytest.approx(amount), note)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("1.15 PJ", "leave the unit out"),
        ("-5", "'-5' is below 0: an amount planned cannot be negative. Type 0 for none."),
        ("2e10", "more than 1,000,000,000"),
    ],
)
def test_text_that_is_no_amount_is_refused_with_a_message(typed, message):
    from eic.strategy_panels import read_quantity

    with pytest.raises(ValueError, match=re.escape(message)):
        read_quantity(typed)


def test_biomass_fuel_typed_with_a_decimal_comma_gives_the_jobs_of_1_15_pj(jobs_page):
    panel, ws = jobs_page
    box = panel.controls[BIOMASS_FUEL]
    box.field.value = "1,15"
    # by hand: 1.15 PJ/yr x 29.9 jobs per PJ x 2.4 (non-OECD Asia, 2015) = 82.524 jobs, and
    # 5 MW x 0.7 x 2.4 = 8.4 jobs of solar operation: 90.924, about 91 (not 8,307)
    assert box.value == pytest.approx(1.15)
    assert box.field.value == "1.15"  # shown as the course writes numbers
    assert "'1,15' is read as 1.15" in html.unescape(box.message.value)
    assert box.message.layout.display != "none"
    assert "about 91 lasting jobs" in said(panel)
    assert ws.store.value("jobs_plan")[BIOMASS_FUEL] == pytest.approx(1.15)


@pytest.mark.parametrize("typed", ["1.15", "1,650", "abc", "-5"])
def test_each_typing_of_the_biomass_box_is_read_or_refused_keeping_the_amount(jobs_page, typed):
    panel, ws = jobs_page
    box = panel.controls[BIOMASS_FUEL]
    box.field.value = "2"
    box.field.value = typed
    message = html.unescape(box.message.value)
    expected = {"1.15": 1.15, "1,650": 1650.0, "abc": 2.0, "-5": 2.0}[typed]
    assert box.value == pytest.approx(expected)
    assert ws.store.value("jobs_plan")[BIOMASS_FUEL] == pytest.approx(expected)
    if typed in ("abc", "-5"):  # refused: said, and the box shows the amount it keeps
        assert "role='alert'" in box.message.value and "The box keeps 2." in message
        assert box.field.value == "2"
    else:
        assert "role='alert'" not in box.message.value
    if typed == "1,650":
        assert "If you meant 1.65, type 1.65." in message
    if typed == "1.15":
        assert box.message.layout.display == "none"  # nothing to say


def test_an_amount_set_by_the_page_is_shown_in_its_box(jobs_page):
    panel, _ws = jobs_page
    panel.controls[SORTING].value = 20_000
    assert panel.controls[SORTING].field.value == "20,000"


# -- 2. landfill jobs are no green jobs ---------------------------------------------------------

# the reading's worked example, with the 30,000 t it diverts from landfill (question 4's case)
DIVERTED = {SORTING: 20_000, COMPOSTING: 10_000, LANDFILL: 30_000}


def estimate_of(plan: dict[str, float]):
    import pandas as pd

    from eic.jobs import green_jobs

    activities = pd.DataFrame({"activity": list(plan), "quantity": list(plan.values())})
    return green_jobs(activities, data.load("green_job_factors"))


def test_landfill_jobs_are_left_out_of_the_green_total_and_given_apart():
    estimate = estimate_of(DIVERTED).set_index("activity")
    # by hand (ILSR, 1997): sorting 20,000 x 10 / 10,000 = 20; composting 10,000 x 4 / 10,000
    # = 4; green total 24 lasting jobs. Landfill 30,000 x 1 / 10,000 = 3 jobs that may be lost
    assert estimate.loc["Total (jobs)", "direct"] == pytest.approx(24)
    assert estimate.loc["Disposal jobs that may be lost", "direct"] == pytest.approx(3)
    assert estimate.loc[LANDFILL, "effect"] == "may be lost"


def test_the_summary_says_the_disposal_jobs_may_be_lost_and_the_change_as_question_4_does():
    from eic.jobs_shown import jobs_summary

    # 24 lasting direct jobs gross; 3 in landfill may be lost; 24 - 3 = 21
    assert jobs_summary(estimate_of(DIVERTED)) == (
        "The plans could support about 24 lasting jobs (24 direct; indirect not estimated). "
        "About 3 jobs in disposal (landfill and incineration) may be lost where the plans "
        "divert waste from it, so the change in lasting direct jobs is about 21."
    )
    # the participant's 15,000 t: 1.5 jobs, said as 1.5 (not rounded to 2)
    assert "About 1.5 jobs in disposal" in jobs_summary(estimate_of({SORTING: 1, LANDFILL: 15_000}))


def test_the_chart_draws_landfill_apart_and_outside_the_total():
    from eic.jobs_shown import jobs_chart

    (ax,) = jobs_chart(estimate_of(DIVERTED)).axes
    assert ax.get_title(loc="left") == "Counted in jobs: total 24 jobs"  # not 27
    labels = [t.get_text().strip() for t in ax.texts]
    assert "3 may be lost (not in the total)" in labels
    grey = [b for b in ax.patches if b.get_hatch() == "xx"]
    assert [b.get_width() for b in grey] == [pytest.approx(3)]


def test_the_chart_says_once_that_indirect_jobs_are_not_estimated_with_no_unused_colour():
    from eic.jobs_shown import jobs_chart

    fig = jobs_chart(estimate_of({SOLAR_BUILD: 5, SOLAR_RUN: 5, SORTING: 20_000}))
    bar_labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not any("indirect not estimated" in label for label in bar_labels)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Direct (in the activity itself)", "Indirect (suppliers): not estimated"]
    assert not any(p.get_hatch() == "//" for ax in fig.axes for p in ax.patches)


# -- 3 and 4. "not now" actions are kept; starts are said as starts -----------------------------

ACTIONS = list(data.load("roadmap_actions")["action"])
GRANT = "Capital grant for a common effluent treatment plant"


def answered_roadmap(folder, terms, leads) -> None:
    from eic.answers import AnswerStore

    store = AnswerStore.for_module("m08", folder / "m08-country-strategy")
    store.record("q7_roadmap_terms", terms, kind="checklist",
                 question="7. When should each action start?")  # fmt: skip
    store.record("q8_roadmap_leads", leads, kind="checklist",
                 question="8. Which agency should lead each action?")  # fmt: skip


def roadmap_figure(folder):
    from eic.report import build_report

    report = build_report([("Ana Reyes", folder)], country="Philippines")
    (m08,) = [s for s in report.sections if s.module["id"] == "m08"]
    (figure,) = [f for f in m08.figures if f.title == "The roadmap"]
    return report, figure


@pytest.fixture
def seven_and_one_not_now(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    terms = dict.fromkeys(ACTIONS, "short term (0-2 years)") | {GRANT: "not now"}
    terms[ACTIONS[-1]] = "medium term (3-5 years)"  # skills training
    leads = dict.fromkeys(ACTIONS, "Ministry of industry") | {GRANT: "Development bank"}
    answered_roadmap(tmp_path, terms, leads)
    return tmp_path


def test_a_not_now_action_is_in_the_reports_table_with_its_lead(seven_and_one_not_now):
    _report, figure = roadmap_figure(seven_and_one_not_now)
    headers, rows = figure.table
    assert len(rows) == 8  # every action, the one not now too
    grant = next(row for row in rows if row[0] == GRANT)
    assert grant[1] == "not now" and grant[3] == "Development bank"
    assert grant[2] == "environmental"
    # and the summary counts 8 actions, 7 of them to start, and names the one not now
    assert figure.alt.startswith("The roadmap has 8 actions. 7 start from 2027:")
    assert f"1 action is 'not now': '{GRANT}' (lead: Development bank)." in figure.alt


def test_the_report_says_when_each_action_starts_not_when_it_ends(seven_and_one_not_now):
    _report, figure = roadmap_figure(seven_and_one_not_now)
    headers, rows = figure.table
    assert headers[1] == "Starts"
    starts = {row[0]: row[1] for row in rows}
    # from 2027: the short term starts within 0-2 years, by 2027 + 2 = 2029; the medium term
    # in 3 to 5 years, 2027 + 3 = 2030 to 2027 + 5 = 2032
    assert starts[ACTIONS[0]] == "within 2 years (by 2029)"
    assert starts[ACTIONS[-1]] == "in 3 to 5 years (2030-2032)"
    assert not any(re.fullmatch(r"\d{4}-\d{4}", row[1]) for row in rows)


def test_every_action_not_now_still_gives_the_table_of_leads(tmp_path, monkeypatch):
    from eic.report_markdown import to_markdown
    from eic.report_pages import to_html

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    answered_roadmap(tmp_path, {GRANT: "not now"}, {GRANT: "Development bank"})
    report, figure = roadmap_figure(tmp_path)
    assert figure.png == b"" and figure.table[1][0][:2] == [GRANT, "not now"]
    assert "<td>Development bank</td>" in to_html(report)
    assert (
        "| Capital grant for a common effluent treatment plant | not now |"
        in (to_markdown(report)[0])
    )


def test_the_roadmap_chart_draws_starts_with_an_arrowhead_for_what_runs_on():
    from eic.strategy import roadmap_chart, roadmap_from_terms

    streams = dict(zip(ACTIONS, data.load("roadmap_actions")["stream"], strict=True))
    roadmap = roadmap_from_terms({ACTIONS[0]: "short term", GRANT: "not now"},
                                 streams=streams, owners={}, start_year=2027)  # fmt: skip
    (ax,) = roadmap_chart(roadmap, title="Roadmap").axes
    assert "should start" in ax.get_xlabel()
    arrows = [line for line in ax.lines if line.get_marker() == ">"]
    # one action to start, drawn 2027 to the end of 2029, its arrowhead after 2030's start
    assert len(arrows) == 1 and arrows[0].get_xdata()[0] > 2030
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert "runs on after it starts" in legend


# -- 5, 6 and 7. the report's Module 8: headings, cautions, no repetition ------------------------

SWOT = {
    "Strengths": "Forty dye houses",
    "Weaknesses": "No shared effluent plant",
    "Opportunities": "Export buyers ask for clean supply",
    "Threats": "Rising land prices",
}
PLAN = {SOLAR_BUILD: 5, SOLAR_RUN: 5, SORTING: 20_000, COMPOSTING: 10_000, LANDFILL: 30_000}


@pytest.fixture
def module_8_done(seven_and_one_not_now):
    from eic.answers import AnswerStore

    folder = seven_and_one_not_now
    store = AnswerStore.for_module("m08", folder / "m08-country-strategy")
    store.record(
        "q6_swot", SWOT, kind="texts", question="6. Your cluster's SWOT (one point per line)"
    )
    reflection = "The provincial planning department should lead."
    prompt = "Your reflection: who will lead (120-250 words)."
    store.record("r1_reflection", reflection, kind="reflection", question=prompt)
    store.record("jobs_plan", PLAN, kind="details", question="Plans for the jobs estimate")
    return folder


def module_8_html(folder) -> str:
    from eic.report import build_report
    from eic.report_pages import to_html

    page = to_html(build_report([("Ana Reyes", folder)], country="Philippines"))
    return html.unescape(page.split("<section id='m08'>")[1].split("</section>")[0])


def test_the_jobs_figure_has_its_heading_and_a_visible_caution(module_8_done):
    section = module_8_html(module_8_done)
    heading = "<h3>Green jobs the plans could support</h3>"
    assert section.count(heading) == 1
    words = re.sub(r"<[^>]+>", " ", section.split(heading)[1].split("<figure>")[0])
    words = " ".join(words.split())
    # by hand: 5 MW x 1.68 = 8.4, 20,000 x 0.001 = 20, 10,000 x 0.0004 = 4: 32.4 lasting jobs;
    # 5 MW x 31.2 = 156 job-years; 30,000 t x 0.0001 = 3 landfill jobs that may be lost
    assert "The plans could support about 32 lasting jobs" in words
    assert "The lasting direct jobs (about 32) are gross: an estimate from the published " in words
    assert "The 156 job-years of construction are temporary work" in words
    assert "Indirect jobs, in the firms that supply the activities, are not estimated" in words
    assert "About 3 jobs in disposal (landfill and incineration) may be lost" in words
    assert "The 3 jobs in disposal (landfill and incineration) that may be lost are kept out" in (
        words
    )
    assert "create" not in words


def test_the_roadmap_is_said_once_as_a_table_and_a_chart_not_as_lists_too(module_8_done):
    section = module_8_html(module_8_done)
    assert "When should each action start?" not in section  # the lists of the answers
    assert "Which agency should lead each action?" not in section
    assert section.count("<h3>Roadmap: when each action starts and who leads it</h3>") == 1
    assert section.count(f"<td>{GRANT}</td>") == 1  # in the table only


def test_the_module_reads_jobs_swot_with_its_grid_roadmap_then_reflection(module_8_done):
    from eic.report import build_report
    from eic.report_markdown import to_markdown

    section = module_8_html(module_8_done)
    places = [
        section.index("<h3>Green jobs the plans could support</h3>"),
        section.index("<h3>Your cluster's SWOT</h3>"),
        section.index("<figcaption id='m08-figure-1'>SWOT of the cluster</figcaption>"),
        section.index("<h3>Roadmap: when each action starts and who leads it</h3>"),
        section.index("<h3>Your reflection: who will lead</h3>"),
    ]
    assert places == sorted(places)
    text, _images = to_markdown(build_report([("Ana Reyes", module_8_done)], country="X"))
    m08 = text.split("## Module 8")[1]
    places = [m08.index("### Green jobs the plans"), m08.index("### Your cluster's SWOT"),
              m08.index("*SWOT of the cluster*"), m08.index("### Roadmap: when each"),
              m08.index("### Your reflection")]  # fmt: skip
    assert places == sorted(places)


def test_the_indicators_are_called_suggested_and_the_report_says_what_to_add(module_8_done):
    section = module_8_html(module_8_done)
    assert "<th scope='col'>Suggested indicator</th>" in section
    assert "Indicator of progress" not in section
    assert (
        "The indicators are suggested: they come from the course's list of actions, not from "
        "your answers. Make each your own, with a unit, a baseline, a target and a date."
    ) in section


# -- 8. smaller things --------------------------------------------------------------------------


def test_the_annex_does_not_promise_right_answers_to_the_field_visit(tmp_path, monkeypatch):
    from eic.report import build_report
    from eic.report_pages import to_html
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    visit = data.load("field_visit_checklist")
    items = [f"{row.condition}: {row.look_for}" for row in visit.itertuples(index=False)]
    ws = Worksheet("m08", tmp_path / "m08-country-strategy")
    q1 = ws.checklist("q1_field_visit", "1. Conditions observed on the visit", items,
                      options=["observed", "partly", "not observed", "could not tell"])  # fmt: skip
    q1.record(dict.fromkeys(items, "partly"))
    annex = to_html(build_report([("Ana", tmp_path)], country="Philippines")).split("annex'>")[-1]
    annex = html.unescape(annex)
    assert "Anchor industries: partly" in annex  # the checklist is in the annex
    assert "the trainer's feedback says which were right." not in annex
    assert "an observation, such as a condition ticked in the field-visit checklist, has none" in (
        annex
    )


def test_the_panel_opens_on_the_worked_example_above_it():
    import nbformat
    from conftest import ROOT

    notebook = ROOT / "source" / "m08-country-strategy" / "m08-country-strategy.ipynb"
    cells = [c.source for c in nbformat.read(notebook, 4).cells if c.cell_type == "code"]
    (example,) = [c for c in cells if "plans = pd.DataFrame(" in c]
    (panel,) = [c for c in cells if c.startswith("jobs_explorer(")]
    # the worked example's four activities and quantities, as the reading's table gives them
    for name, amount in [(SOLAR_BUILD, "5"), (SOLAR_RUN, "5"), (SORTING, "20_000"),
                         (COMPOSTING, "10_000")]:  # fmt: skip
        assert f'"{name}"' in example and f'"{name}": {amount},' in panel
    assert 'quantity": [5, 5, 20_000, 10_000]' in example
