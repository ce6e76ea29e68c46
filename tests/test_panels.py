"""Worksheet panels redraw their sentence, table and chart when a control moves, and show
a message instead of failing when the analysis cannot run."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from eic import cost_panels, data
from eic.clusters import candidate_clusters, lq_chart, shift_share, shift_share_chart
from eic.explorers import Explorer, table_html
from eic.flows import solve_unknown
from eic.panels import (
    cost_sharing_explorer,
    lq_explorer,
    portfolio_explorer,
    reuse_explorer,
    symbiosis_explorer,
)
from eic.symbiosis import Factors


def headline(explorer: Explorer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", explorer.text.value.split("</p>")[0]))


def test_the_threshold_moves_sectors_in_and_out_of_the_candidates():
    panel = lq_explorer(data.load("regional_employment"), "Riverside", start=2010)
    assert headline(panel).startswith(
        "Candidate clusters in Riverside at a threshold of 1.25: Textiles & dyeing, Chemicals."
    )
    panel.controls["threshold"].value = 1.2
    assert "Chemicals, Metals & machinery." in headline(panel)
    assert panel.chart.png.startswith(b"\x89PNG") and panel.chart.visible
    assert "alt='Chart: Candidate clusters in Riverside at a threshold of 1.20" in html.unescape(
        panel.chart.widget.value
    ).replace('"', "'")


def test_the_explorer_names_what_the_regions_make_up_in_its_text_and_chart():
    table = data.load("regional_employment")
    national = lq_explorer(table, "Riverside", start=2010, display=False)
    assert "the dashed line at 1 is the national average" in headline(national)
    provincial = lq_explorer(table, "Riverside", start=2010, display=False, whole="the province")
    text = html.unescape(re.sub(r"<[^>]+>", "", provincial.text.value))
    assert "the dashed line at 1 is the average of the province" in text
    assert "nation" not in text, text
    assert "more specialised than the province" in text
    fig = lq_chart(candidate_clusters(table, "Riverside", whole="the province"), "Riverside",
                   whole="the province")  # fmt: skip
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Location quotient (1 = average of the province)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Average of the province (LQ = 1)" in labels, labels
    change = shift_share(table, "Riverside", 2010, 2020)
    legend = shift_share_chart(change, whole="the province").axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[:2] == [
        "Share of the province's growth (all sectors)",
        "Industry mix (sector's trend in the province)",
    ]
    national = shift_share_chart(change).axes[0].get_legend()
    assert national.get_texts()[0].get_text() == "National share (national growth)"


def test_the_recovery_shares_change_freshwater_and_salt_bought():
    solved, _ = solve_unknown(data.load("dyeing_cluster_flows"))
    panel = reuse_explorer(
        solved, "Common effluent treatment plant", value=40, value_unit="t fabric/day"
    )
    panel.controls["water"].value = 95
    panel.controls["salt"].value = 70
    # 6,300 - 0.95 x 6,000 = 600 m3/day; 75 - 0.70 x 75 = 22.5 t/day; 6,300 / 600 = 10.5
    text = headline(panel)
    assert "falls from 6,300 to 600 m3/day" in text
    assert "from 75.00 to 22.50 t/day" in text
    assert "rises 10.5-fold" in text


def test_a_scenario_that_cannot_run_shows_its_reason_and_hides_the_chart():
    table = pd.DataFrame(
        {
            "flow": ["Intake", "Effluent", "Discharge"],
            "source": ["", "Mill", "Plant"],
            "target": ["Mill", "Plant", ""],
            "substance": ["water", "water", "water"],
            "quantity": [100, 100, 100],
            "unit": ["m3/day"] * 3,
        }
    )
    panel = reuse_explorer(table, "Plant", value=1, value_unit="t/day")
    assert "salt" in panel.text.value and "role='alert'" in panel.text.value
    assert not panel.chart.visible


def test_the_distance_limit_and_objective_change_the_exchanges():
    panel = symbiosis_explorer(
        data.load("sme_inventory"), data.load("symbiosis_materials"), Factors(0.10, 0.0001)
    )
    # the default objective, most tonnes diverted: steam, a utility and no waste, gets none
    assert headline(panel).startswith(
        "Within 15 km: 10 feasible exchanges; 20,100 t/yr of by-products diverted from disposal, "
    )
    panel.controls["objective"].value = "saving"
    assert "20,100 t/yr of by-products diverted from disposal and 35,000 t/yr of steam" in (
        headline(panel)
    )
    panel.controls["objective"].value = "tonnes"
    panel.controls["distance"].value = 5
    assert headline(panel).startswith("Within 5 km: 7 feasible exchanges; 16,100 t/yr")
    panel.controls["distance"].value = 1
    assert "No feasible exchange within 1 km" in panel.text.value
    assert not panel.chart.visible


def test_tables_are_captioned_and_blank_cells_shown_as_a_dash():
    shown = table_html(
        pd.DataFrame({"sector": ["A"], "lq": [float("nan")]}),
        caption="Sectors",
        headers={"lq": "Location quotient"},
    )
    assert "<caption" in shown and ">Sectors</caption>" in shown
    assert "<th scope='col'" in shown and "Location quotient" in shown
    assert "–" in shown


def test_a_blank_is_aligned_as_its_column_numbers_right_and_text_left():
    shown = table_html(
        pd.DataFrame({"year": [1972.0, float("nan")], "firm": ["A", float("nan")]}),
        caption="Exchanges",
    )
    blanks = [cell for cell in shown.split("<td")[1:] if ">–</td>" in cell]
    assert len(blanks) == 2
    year_blank, firm_blank = blanks
    assert "text-align:right" in year_blank and "text-align:left" in firm_blank


def test_the_rate_and_budget_change_the_appraisal_and_the_best_set():
    panel = portfolio_explorer(data.load("cluster_options"), budget=500_000, rate=10)
    assert headline(panel).startswith("At 10 %, 7 of the 10 options pay for themselves")
    panel.controls["rate"].value = 5
    assert headline(panel).startswith("At 5 %, 9 of the 10 options pay for themselves")
    panel.controls["budget"].value = 0
    assert "choose no option" in panel.text.value


def alt_text(explorer: Explorer) -> str:
    return html.unescape(re.search(r"alt=['\"]([^'\"]*)", explorer.chart.widget.value)[1])


def test_the_charts_of_costs_are_described_in_words_not_by_the_sentence_above_them():
    # what a screen reader reads for the chart: its bars, not the panel's first sentence
    options = data.load("cluster_options")
    mac = alt_text(portfolio_explorer(options, budget=500_000, rate=10))
    assert "pay for themselves" not in mac and "USD/tCO2e" in mac
    assert all(option in mac for option in options["option"])
    firms = data.load("cetp_firms")
    shares = alt_text(cost_sharing_explorer(firms))
    assert "Not in the core" not in shares.split(".")[0]
    assert all(firm in shares for firm in firms["firm"]) and "USD per year" in shares


def test_the_sharing_rule_switches_the_verdict_on_stability():
    panel = cost_sharing_explorer(data.load("cetp_firms"))
    assert headline(panel).startswith("By effluent volume: Not in the core: Dye house A, Dye")
    panel.controls["rule"].value = "shapley"
    assert headline(panel).startswith("Shapley value: In the core")


def test_the_explorer_can_open_on_a_rule_chosen_before(monkeypatch):
    drawn = []
    real = cost_panels.shares_chart
    monkeypatch.setattr(
        cost_panels, "shares_chart", lambda *a, **k: drawn.append(1) or real(*a, **k)
    )
    panel = cost_sharing_explorer(data.load("cetp_firms"), rule="shapley")
    assert panel.controls["rule"].value == "shapley"
    assert headline(panel).startswith("Shapley value: In the core")
    assert len(drawn) == 1  # drawn once, with the rule kept, not first with another
    with pytest.raises(ValueError, match="no sharing rule 'fair'"):
        cost_sharing_explorer(data.load("cetp_firms"), rule="fair")


def test_policy_panels_follow_the_judgements_and_the_checklist(tmp_path, monkeypatch):
    from eic.policy_panels import (
        checklist_items,
        package_explorer,
        priorities_view,
        self_check_view,
    )
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    ws = Worksheet("m07", tmp_path)
    q = ws.pairwise("q1_priorities", "Weigh", ["Jobs and growth", "Environmental benefit",
                                                 "Reach to SMEs"])  # fmt: skip
    view = priorities_view(q)
    assert "Move the sliders" in view.children[0].value
    # consistent: Environmental benefit = 2 x Jobs = 4 x Reach to SMEs, so 4/7, 2/7, 1/7
    q.value = {
        "Jobs and growth vs Environmental benefit": 1 / 2,
        "Jobs and growth vs Reach to SMEs": 2,
        "Environmental benefit vs Reach to SMEs": 4,
    }
    said = html.unescape(view.children[0].value)
    assert "Jobs and growth 29%, Environmental benefit 57%, Reach to SMEs 14%" in said
    # the verdict once, in words (it was said twice: "Consistency ratio 0.000: consistent
    # enough ... CR 0.000 is at most 0.10: the judgements are consistent enough ...")
    assert said.count("consistent enough") == 1 and "CR " not in said
    assert "The consistency ratio, 0.000, is at most 0.10" in said
    panel = package_explorer(data.load("policy_instruments"), q, budget=2)
    assert "leaves out the industrial stream" in panel.text.value
    panel.controls["weights"].value = "mine"
    assert "Best package" in panel.text.value and "role='alert'" not in panel.text.value

    checklist = data.load("eip_framework_checklist")
    items, headings = checklist_items(checklist)
    c = ws.checklist("q6_park_check", "Check", items, headings=headings)
    summary = self_check_view(c, checklist)
    c.value = dict.fromkeys(items, "no") | {items[0]: "yes"}
    assert "Weakest: Environmental, Social, Economic" in html.unescape(summary.children[0].value)


def test_module_8_panels_estimate_jobs_draw_the_roadmap_and_make_the_report(tmp_path, monkeypatch):
    from eic.answers import AnswerStore
    from eic.strategy_panels import jobs_explorer, report_panel, roadmap_view
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    factors = data.load("green_job_factors")
    panel = jobs_explorer(factors, {"Solar PV, operation and maintenance": 10})
    # 10 MW x 0.7 jobs/MW x 2.4 = 16.8 lasting jobs
    assert "16.8" in panel.text.value

    course = tmp_path / "course"
    ws = Worksheet("m08", course / "m08-country-strategy")
    actions = data.load("roadmap_actions")
    names = list(actions["action"])
    terms = ws.checklist("q7_roadmap_terms", "When?", names,
                         options=["short term (0-2 years)", "not now"])  # fmt: skip
    leads = ws.checklist("q8_roadmap_leads", "Who?", names, options=["City", "Ministry"])
    view = roadmap_view(terms, leads, dict(zip(actions["action"], actions["stream"], strict=True)))
    terms.value = {names[0]: "short term (0-2 years)"} | dict.fromkeys(names[1:], "not now")
    assert "Choose a lead agency for" in view.children[0].value
    leads.value = {names[0]: "City"}
    # the actions "not now" are counted and named too, since each needs a lead
    assert "The roadmap has 8 actions. 1 starts from 2027" in view.children[0].value
    assert "7 actions are &#x27;not now&#x27;" in view.children[0].value

    AnswerStore.for_module("m01", course / "m01-eic-in-asia").record(
        "q1_not_foundation", "Social capital", kind="single_choice", question="1. Which?"
    )
    made = report_panel(course, save_to=course / "m08-country-strategy")
    button, result = made.children[1], made.children[2]
    button.click()
    assert "Type your name and your country first" in result.value
    made.children[0].children[0].value = "Ana Reyes"
    made.children[0].children[1].value = "Philippines"
    made.children[0].children[2].value = "Eastern fringe dyeing cluster"
    button.click()
    assert "Report made from 2 of 8 modules" in result.value
    # m01 q1 is an exercise on the course's examples, not an answer about the own cluster
    assert "(1 with answers or data about your own cluster" in result.value
    assert "download='country-report.zip'" in result.value
    assert "download='country-report.html'" in result.value
    assert "download='country-report.docx'" in result.value
    assert "country-report.docx</code>" in result.value  # said to be saved beside the notebook
    assert (course / "m08-country-strategy" / "country-report.docx").exists()
    page = (course / "m08-country-strategy" / "country-report.html").read_text(encoding="utf-8")
    assert "Ana Reyes" in page and "Social capital" in page
    assert "The cluster: Eastern fringe dyeing cluster" in page
    # opened again (a reload): the name and country are there, and are no answer of the report
    again = report_panel(course, save_to=course / "m08-country-strategy")
    assert [box.value for box in again.children[0].children] == [
        "Ana Reyes", "Philippines", "Eastern fringe dyeing cluster"
    ]  # fmt: skip
    assert ws.progress()[1] == 2  # the worksheet's questions only, not the details
    again.children[1].click()
    assert "Report made from 2 of 8 modules" in again.children[2].value
    assert "You had edited" not in again.children[2].value
    # the Markdown edited where it is, then the report made again: the edit is kept, and said
    markdown = course / "m08-country-strategy" / "country-report.md"
    edited = "# Our own report\n\nRewritten by Ana.\n"
    markdown.write_text(edited, encoding="utf-8")
    again.children[1].click()
    kept = sorted(markdown.parent.glob("country-report-edited-*.md"))
    assert [p.read_text(encoding="utf-8") for p in kept] == [edited]
    assert f"your version is kept as {kept[0].name}" in again.children[2].value


def test_the_report_button_says_it_is_making_the_report_and_waits_until_it_is_made(
    tmp_path, monkeypatch
):
    import eic.strategy_panels as panels

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    monkeypatch.chdir(tmp_path)
    course = tmp_path / "course"
    made = panels.report_panel(course, save_to=course / "m08-country-strategy")
    button, result = made.children[1], made.children[2]
    made.children[0].children[0].value = "Ana Reyes"
    made.children[0].children[1].value = "Philippines"
    seen = []
    build = panels.build_report

    def slow_build(*args, **kwargs):
        seen.append((button.disabled, result.value))
        return build(*args, **kwargs)

    monkeypatch.setattr(panels, "build_report", slow_build)
    button.click()
    assert seen == [(True, "<p role='status'>Making your report&hellip;</p>")]
    assert not button.disabled and "Report made from" in result.value

    def failing_build(*args, **kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr(panels, "build_report", failing_build)
    button.click()
    assert not button.disabled and "fault in the course" in result.value


def test_a_year_is_written_as_a_year_and_money_a_year_as_money():
    table = pd.DataFrame({"region": ["North"], "year": [2010], "start_year": [2027.0],
                          "usd_per_year": [2010], "employment": [12000]})  # fmt: skip
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table_html(table, caption="Employment"))
    assert cells == ["North", "2010", "2027", "2,010", "12,000"]


def test_the_template_of_options_opens_at_the_worksheets_budget():
    from eic.own_analyses import options_analysis
    from eic.own_data import SPECS

    def budgets(box) -> list[float]:
        found = [box.value] if "budget" in str(getattr(box, "description", "")).lower() else []
        return found + [v for child in getattr(box, "children", ()) for v in budgets(child)]

    # the template holds the worksheet's options, which the worksheet explores at USD 500,000
    assert budgets(options_analysis(SPECS["m05"].example_table())) == [500_000]
    # a few small options of a participant's own: half of all their investment
    small = SPECS["m05"].example_table().head(2).assign(investment_usd=[20_000, 40_000])
    assert budgets(options_analysis(small)) == [30_000]


def test_the_jobs_plans_a_participant_types_go_into_the_country_report(tmp_path, monkeypatch):
    from eic.report import build_report
    from eic.report_pages import to_html
    from eic.strategy_panels import jobs_explorer
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    course = tmp_path / "course"
    ws = Worksheet("m08", course / "m08-country-strategy")
    example = {"Solar PV, operation and maintenance": 5}
    panel = jobs_explorer(data.load("green_job_factors"), example)
    assert ws.store.value("jobs_plan") is None  # the course's example is not the cluster's
    panel.controls["Solar PV, operation and maintenance"].value = 10
    assert ws.store.value("jobs_plan") == {"Solar PV, operation and maintenance": 10.0}
    report = build_report([("Ana Reyes", course)], country="Philippines")
    (section,) = [s for s in report.sections if s.module["id"] == "m08"]
    (jobs,) = [f for f in section.figures if f.title == "Green jobs from the plans"]
    # 10 MW x 0.7 jobs/MW x 2.4 (non-OECD Asia, 2015) = 16.8 (Rutovitz et al., 2015), by hand
    assert jobs.table[1][0][:3] == [
        "Solar PV, operation and maintenance", "10 MW in operation", "16.8"
    ]  # fmt: skip
    assert "about" in jobs.alt and "jobs" in jobs.alt
    assert "<th scope='col'>Counted as</th>" in to_html(report)
    assert section.entries == []  # a detail, not an answer


SOLAR_BUILD = "Solar PV, construction and installation"
SOLAR_RUN = "Solar PV, operation and maintenance"
SORTING = "Materials recovery facility (sorting recyclables)"
COMPOSTING = "Composting"
# the quantities the course's notebook opens Module 8's boxes on
COURSE_EXAMPLE = {SOLAR_BUILD: 5, SOLAR_RUN: 5, SORTING: 20_000, COMPOSTING: 10_000}


def typed_plan(panel: Explorer) -> dict[str, float]:
    return {activity: box.value for activity, box in panel.controls.items() if box.value}


def test_the_jobs_boxes_open_on_the_recorded_plan_after_a_reload_not_on_the_example(
    tmp_path, monkeypatch
):
    from eic.report import build_report
    from eic.strategy_panels import jobs_explorer
    from eic.worksheet import Worksheet

    course = tmp_path / "course"
    factors = data.load("green_job_factors")
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    Worksheet("m08", course / "m08-country-strategy")
    first = jobs_explorer(factors, COURSE_EXAMPLE)
    assert typed_plan(first) == COURSE_EXAMPLE  # nothing recorded yet: the example
    plan = {SOLAR_BUILD: 2, SOLAR_RUN: 2, SORTING: 15_000, COMPOSTING: 5_000}
    for activity, quantity in plan.items():
        first.controls[activity].value = quantity

    monkeypatch.setattr("eic.answers._ACTIVE", {})  # the page reloaded: a new kernel
    ws = Worksheet("m08", course / "m08-country-strategy")
    again = jobs_explorer(factors, COURSE_EXAMPLE)
    assert typed_plan(again) == plan
    # by hand: 2 MW x 1.68 + 15,000 t x 0.001 + 5,000 t x 0.0004 = 3.36 + 15 + 2 = 20.36 jobs,
    # and 2 MW x 31.2 = 62.4 job-years (the example's would be 32 jobs and 156 job-years)
    said = headline(again)
    assert said.startswith("The plans could support about 20 lasting jobs")
    assert "62 job-years" in said
    (m08,) = [s for s in build_report([("Ana", course)], country="X").sections
              if s.module["id"] == "m08"]  # fmt: skip
    (jobs,) = [f for f in m08.figures if f.title == "Green jobs from the plans"]
    assert jobs.alt == said  # the page's estimate is the one the report shows
    # one box changed: the rest of the plan is kept, not the example's 5 MW and 20,000 t
    again.controls[COMPOSTING].value = 6_000
    assert ws.store.value("jobs_plan") == plan | {COMPOSTING: 6_000.0}


def test_a_recorded_plan_with_an_activity_the_factors_no_longer_have_is_shown_not_fatal(
    tmp_path, monkeypatch
):
    from eic.report import build_report
    from eic.report_markdown import to_markdown
    from eic.strategy_panels import jobs_explorer
    from eic.worksheet import Worksheet

    course = tmp_path / "course"
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    ws = Worksheet("m08", course / "m08-country-strategy")
    ws.store.record("jobs_plan", {"Wind farm, construction": 3, COMPOSTING: 5_000},
                    kind="details", question="Plans for the jobs estimate")  # fmt: skip
    panel = jobs_explorer(data.load("green_job_factors"), COURSE_EXAMPLE)
    assert typed_plan(panel) == {COMPOSTING: 5_000}
    # 5,000 t/yr x 0.0004 jobs per t/yr = 2 jobs
    assert headline(panel) == (
        "The plans could support about 2 lasting jobs (2 direct; indirect not estimated)."
    )
    said = html.unescape(panel.text.value)
    assert "'Wind farm, construction'" in said and "left out of this estimate" in said
    text, _images = to_markdown(build_report([("Ana", course)], country="X"))
    assert "| Composting | 5,000 t/yr processed | 2.0 |" in text
    assert "'Wind farm, construction'" in text and "a chart could not be drawn" not in text


def test_a_served_participants_report_starts_from_the_rosters_name_and_country(
    tmp_path, monkeypatch
):
    from eic.classroom import participant_folders
    from eic.strategy_panels import report_panel
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    release = tmp_path / "release"
    (release / "m08-country-strategy").mkdir(parents=True)
    (release / "m08-country-strategy" / "m08-country-strategy.ipynb").write_text("{}")
    names, countries = {"ph-01": "Maria Santos", "vn-01": ""}, {"ph-01": "Philippines"}
    served = participant_folders(release, tmp_path / "participants", list(names), names, countries)
    mine = served / "ph-01"
    monkeypatch.chdir(mine / "m08-country-strategy")
    Worksheet("m08", mine / "m08-country-strategy")
    panel = report_panel(mine, save_to=mine / "m08-country-strategy")
    boxes = panel.children[0].children
    assert [box.value for box in boxes] == ["Maria Santos", "Philippines", ""]
    # what the participant typed for a report made before wins over the roster
    boxes[1].value = "Republic of the Philippines"
    panel.children[1].click()
    again = report_panel(mine, save_to=mine / "m08-country-strategy").children[0].children
    assert [box.value for box in again][:2] == ["Maria Santos", "Republic of the Philippines"]
    # outside a served class, or for a participant the roster has no name for: empty boxes
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    Worksheet("m08", served / "vn-01" / "m08-country-strategy")
    other = report_panel(served / "vn-01", save_to=served / "vn-01" / "m08-country-strategy")
    assert [box.value for box in other.children[0].children] == ["", "", ""]
