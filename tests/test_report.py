"""The country report: one section per module with the participant's own answers, missing
modules listed as not yet done, a self-contained HTML page, and group reports that credit
every contributor."""

from __future__ import annotations

import base64
import errno
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT

from eic.answers import AnswerStore
from eic.course import syllabus
from eic.report import build_report
from eic.report_files import write_report
from eic.report_pages import to_html

MODULES = {m["id"]: m for m in syllabus()["modules"]}
RATINGS = {
    "Inter-firm networks": 2,
    "Enabling technologies": 3,
    "Social capital": 1,
    "Public policy support": 4,
}


def answer(folder, module, qid, value, kind, question):
    store = AnswerStore.for_module(module, folder / MODULES[module]["folder"])
    store.record(qid, value, kind=kind, question=question)


@pytest.fixture
def participant(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    answer(folder, "m01", "q1_not_foundation", "Social capital", "single_choice", "1. Which?")
    answer(folder, "m01", "q7_self_assessment", RATINGS, "ratings", "7. Rate your cluster")
    answer(folder, "m01", "r1_reflection", "Tanneries by the river.\nA forum first.",
           "reflection", "8. Your reflection")  # fmt: skip
    answer(folder, "m03", "q1_missing_flow", 300.0, "number", "1. How much water?")
    return folder


class Page(HTMLParser):
    """Collects the tags, images and text of a page, and unclosed elements."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.text, self.unbalanced = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.unbalanced.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_each_module_has_a_section_with_the_participants_own_answers(participant):
    report = build_report([("Ana Reyes", participant)], country="Philippines")
    sections = {s.module["id"]: s for s in report.sections}
    assert list(sections) == [f"m0{n}" for n in range(1, 9)]
    assert [e.value for e in sections["m01"].entries] == [
        "Social capital",
        RATINGS,
        "Tanneries by the river.\nA forum first.",
    ]
    assert sections["m03"].entries[0].value == 300.0
    assert {s.status for k, s in sections.items() if k not in ("m01", "m03")} == {"not yet done"}


def test_the_html_parses_embeds_its_images_and_lists_missing_modules(participant):
    page = parse(to_html(build_report([("Ana Reyes", participant)], country="Philippines")))
    assert page.stack == [] and page.unbalanced == []
    text = " ".join(page.text)
    assert "Philippines: eco-industrial clusters, a draft country report" in text
    assert "Tanneries by the river." in text and "A forum first." in text
    assert text.count("Not yet done: no answers recorded.") == 6
    assert text.count("Nothing about your own cluster was recorded in this module") == 1  # m03
    assert len(page.images) == 1  # the radar chart of module 1
    image = page.images[0]
    assert image["src"].startswith("data:image/png;base64,")
    assert base64.b64decode(image["src"].split(",", 1)[1]).startswith(b"\x89PNG")
    assert "Social capital 1" in image["alt"]


def test_a_group_report_credits_every_contributor(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    sources = []
    for name, rating in [("Ana Reyes", 1), ("Ben Santos", 2), ("Cora Lim", 3)]:
        folder = tmp_path / name.split()[0]
        answer(folder, "m01", "q7_self_assessment", RATINGS | {"Social capital": rating},
               "ratings", "7. Rate your cluster")  # fmt: skip
        answer(folder, "m02", "r1_reflection", f"{name} writes about textiles.", "reflection",
               "9. Your reflection")  # fmt: skip
        sources.append((name, folder))
    report = build_report(sources, country="Philippines")
    page = parse(to_html(report))
    text = " ".join(page.text)
    for name, _ in sources:
        assert f"({name})" in text
        assert f"{name} writes about textiles." in text
    assert len(page.images) == 3
    assert text.count("Your reflection") == 1  # one question, three credited answers


def test_an_unreadable_answer_file_is_noted_and_the_rest_reported(participant):
    broken = participant / MODULES["m02"]["folder"]
    broken.mkdir(parents=True)
    (broken / "m02-answers.json").write_text("{ not json", encoding="utf-8")
    report = build_report([("Ana Reyes", participant)], country="Philippines")
    m02 = next(s for s in report.sections if s.module["id"] == "m02")
    assert m02.status == "not yet done"
    assert any("could not be read" in p for p in m02.problems)
    assert next(s for s in report.sections if s.module["id"] == "m01").status == "done"


def test_write_report_makes_html_and_markdown_with_its_images(participant, tmp_path):
    report = build_report([("Ana Reyes", participant)], country="Philippines")
    html_path, md_path = write_report(report, tmp_path / "out")
    markdown = md_path.read_text(encoding="utf-8")
    assert "## Module 1 · " in markdown and "*Not yet done: no answers recorded.*" in markdown
    assert "](country-report-images/m01-1.png)" in markdown
    assert (tmp_path / "out" / "country-report-images" / "m01-1.png").read_bytes()[:4] == (
        b"\x89PNG"
    )
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_answers_on_the_course_examples_go_to_an_annex_not_the_country_part(participant):
    answer(participant, "m08", "q6_swot", {"Threats": "Drought", "Strengths": "- Port\n- Skills",
           "Weaknesses": "", "Opportunities": "Export rules"}, "texts", "6. Your SWOT")  # fmt: skip
    page = to_html(build_report([("Ana Reyes", participant)], country="Viet Nam"))
    main, annex = page.split("<section id='annex'>")
    # the quiz on the course's examples (m01 q1, m03 q1) is in the annex only
    for exercise in (">Which?<", ">How much water?<"):
        assert exercise not in main and exercise in annex
    # the participant's own cluster: ratings, reflection and SWOT, in the main part only
    for own in (">Rate your cluster<", ">Your reflection<", ">Your SWOT<"):
        assert own in main and own not in annex
    # headed as a reader needs: without the worksheet's numbers
    assert "1. Which?" not in page and "8. Your reflection" not in page
    assert "own clusters in Viet Nam, and show what was learnt" in annex
    # what the exercises were about, as the syllabus says it
    assert "(the region of Riverside and its cluster are invented for training;" in annex
    # the SWOT reads in the order of its name, one part per line, its points kept apart
    swot = [line for line in parse(main).text if line.startswith(SWOT_LINES)]
    assert swot == [
        "Strengths: Port; Skills",
        "Weaknesses: (left empty)",
        "Opportunities: Export rules",
        "Threats: Drought",
    ]


SWOT_LINES = ("Strengths:", "Weaknesses:", "Opportunities:", "Threats:")


def test_an_unreadable_answer_file_is_named_in_the_page_not_called_not_yet_done(participant):
    broken = participant / MODULES["m02"]["folder"]
    broken.mkdir(parents=True)
    (broken / "m02-answers.json").write_text("{ not json", encoding="utf-8")
    page = to_html(build_report([("Ana Reyes", participant)], country="Philippines"))
    m02 = page.split("<section id='m02'>")[1].split("</section>")[0]
    assert "m02-answers.json could not be read" in m02


def test_the_questions_about_your_cluster_are_questions_of_their_module():
    for module in syllabus()["modules"]:
        source = "".join(
            path.read_text(encoding="utf-8")
            for path in (ROOT / "source" / module["folder"]).glob("*.ipynb")
        )
        for qid in module.get("about_your_cluster", ()):
            assert f'\\"{qid}\\"' in source, (module["id"], qid)


def test_the_markdown_download_holds_the_text_and_every_chart_it_links(participant):
    import io
    import re
    import zipfile

    from eic.report_markdown import markdown_archive

    archive = zipfile.ZipFile(io.BytesIO(markdown_archive(build_report(
        [("Ana Reyes", participant)], country="Philippines"))))  # fmt: skip
    text = archive.read("country-report.md").decode("utf-8")
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert linked == ["country-report-images/m01-1.png"]  # the radar chart of module 1
    for path in linked:
        assert archive.read(path).startswith(b"\x89PNG")


def test_own_data_that_is_the_course_example_is_marked_as_such_in_the_report(folder):
    import pandas as pd

    from eic.own_data import SPECS, OwnDataPanel
    from eic.table_templates import template_csv

    employment = SPECS["m02"]
    assert OwnDataPanel(employment, folder).receive(
        template_csv(employment.example_table()), "template.csv"
    )
    firms = SPECS["m06"]
    own = pd.DataFrame(
        {"firm": ["Tannery A"], "effluent_m3_per_day": [1_000], "cod_mg_per_l": [9_000]}
    )
    mixed = pd.concat([firms.example_table(), own], ignore_index=True)  # 5 example rows + 1
    assert OwnDataPanel(firms, folder).receive(template_csv(mixed), "ours.csv")
    page = to_html(build_report([("Ana Reyes", folder)], country="Philippines"))
    m02 = page.split("<section id='m02'>")[1].split("</section>")[0]
    m06 = page.split("<section id='m06'>")[1].split("</section>")[0]
    assert "this is the course&#x27;s invented example, unchanged" in m02
    assert "5 of its rows are the course&#x27;s invented example" in m06


def test_a_roadmap_action_with_no_lead_yet_is_reported_as_such_not_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    terms = {
        "Skills training for green jobs": "medium term (3-5 years)",  # industrial
        "Green credit line for small firms' investments": "short term (0-2 years)",  # industrial
        "Set up a cluster forum of firms, city and residents": "short term (0-2 years)",
    }
    leads = {"Set up a cluster forum of firms, city and residents": "Cluster association"}
    answer(folder, "m08", "q7_roadmap_terms", terms, "checklist", "7. When?")
    answer(folder, "m08", "q8_roadmap_leads", leads, "checklist", "8. Who leads?")
    report = build_report([("Ana Reyes", folder)], country="Philippines")
    (section,) = [s for s in report.sections if s.module["id"] == "m08"]
    (roadmap,) = [f for f in section.figures if f.title == "The roadmap"]
    # the two industrial actions were scheduled: the report must not say none is planned
    assert "No action is planned in the industrial stream" not in roadmap.alt
    assert "Skills training for green jobs" in roadmap.alt
    assert "Green credit line for small firms' investments" in roadmap.alt
    assert "Lead not yet chosen for" in roadmap.alt
    # and as a table, in time order, with the lead and how progress is measured
    headers, rows = roadmap.table
    assert headers == ["Action", "Starts", "Stream", "Lead", "Suggested indicator"]
    # when each should start, from 2027: short term within 0-2 years, medium in 3-5 years
    assert [row[1] for row in rows] == [
        "within 2 years (by 2029)", "within 2 years (by 2029)", "in 3 to 5 years (2030-2032)"
    ]  # fmt: skip
    credit = next(row for row in rows if row[0].startswith("Green credit line"))
    assert credit[3:] == ["lead not yet chosen", "loans made and their repayment rate"]
    page = to_html(report)
    assert "<th scope='col'>Suggested indicator</th>" in page
    assert "<td>loans made and their repayment rate</td>" in page


def test_a_checklists_items_are_reported_in_the_worksheets_order(tmp_path, monkeypatch):
    from eic.report_markdown import to_markdown
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    ws = Worksheet("m08", folder / MODULES["m08"]["folder"])
    actions = ["Set up a cluster forum", "Capital grant for a plant", "Audits for small firms"]
    terms = ws.checklist("q7_roadmap_terms", "7. When should each action start?", actions,
                         options=["short term (0-2 years)", "not now"])  # fmt: skip
    terms.record(dict.fromkeys(reversed(actions), "short term (0-2 years)"))
    text, _images = to_markdown(build_report([("Ana Reyes", folder)], country="Philippines"))
    places = [text.index(action) for action in actions]
    assert places == sorted(places)  # as the worksheet lists them, not alphabetically


def test_the_cluster_named_heads_the_report_and_none_is_invented(participant):
    from eic.report_markdown import to_markdown

    named = build_report([("Ana Reyes", participant)], country="Philippines",
                         cluster="  Eastern fringe dyeing cluster ")  # fmt: skip
    assert "<p class='cluster'>The cluster: Eastern fringe dyeing cluster</p>" in to_html(named)
    assert "**The cluster:** Eastern fringe dyeing cluster" in to_markdown(named)[0]
    unnamed = build_report([("Ana Reyes", participant)], country="Philippines")
    assert "The cluster:" not in to_html(unnamed) and "The cluster:" not in to_markdown(unnamed)[0]


def test_the_field_visit_is_reported_by_condition_without_its_questions(tmp_path, monkeypatch):
    from eic import data
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    visit = data.load("field_visit_checklist")
    items = [f"{row.condition}: {row.look_for}" for row in visit.itertuples(index=False)]
    ws = Worksheet("m08", folder / MODULES["m08"]["folder"])
    q1 = ws.checklist("q1_field_visit", "1. Conditions observed on the visit", items,
                      options=["observed", "partly", "not observed", "could not tell"])  # fmt: skip
    q1.record(dict.fromkeys(items, "partly") | {items[0]: "observed"})
    page = parse(to_html(build_report([("Ana Reyes", folder)], country="Philippines")))
    text = " ".join(page.text)
    assert "Anchor industries: observed" in text
    assert "Decent green jobs: partly" in text
    assert "Ask which wastes each plant accepts" not in text  # the visitor's question, not read


def test_a_number_is_reported_whole_with_its_unit(tmp_path, monkeypatch):
    # 1,983,813 came out as "1.98381e+06", its last digits lost, and without its unit
    from eic.worksheet import Worksheet

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    ws = Worksheet("m04", folder / MODULES["m04"]["folder"])
    saving = ws.number("q6_net_saving", "6. The net saving", unit="USD/yr")
    saving.text.value = "1983813"
    assert saving.save()
    share = ws.number("q7_share", "7. A share", unit="%")
    share.text.value = "0,086"  # a decimal comma
    assert share.save()
    text = " ".join(parse(to_html(build_report([("Ana", folder)], country="Viet Nam"))).text)
    assert "1,983,813 USD/yr" in text and "e+06" not in text
    assert "0.086 %" in text


# -- making the report again -----------------------------------------------------------------
NEW_ANSWER = "A shared water plant for the dyeing firms."


def files_in(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def answer_again(participant) -> None:
    """An answer given after the first report, which the next report must show."""
    answer(participant, "m03", "r1_reflection", NEW_ANSWER, "reflection", "9. Your reflection")


def test_a_full_disk_leaves_the_report_made_before_whole(participant, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_report(build_report([("Ana Reyes", participant)], country="Philippines"), out)
    before = files_in(out)
    answer_again(participant)
    again = build_report([("Ana Reyes", participant)], country="Philippines")

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("eic.file_lock.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_report(again, out)
    # every file as it was (the page still ends with </html>), no temporary file left
    assert files_in(out) == before
    assert before["country-report.html"].rstrip().endswith(b"</html>")


def add_a_paragraph(text: str) -> str:
    return text.replace("## Module 2", "Our own conclusion: start with water.\n\n## Module 2")


def rename_the_report(text: str) -> str:
    return re.sub(r"^# .*$", "# Eco-industrial clusters in Bulacan", text, count=1, flags=re.M)


def as_written_before_the_check(text: str) -> str:  # a report made by an earlier course
    return text[: text.rindex("\n\n<!--")]


@pytest.mark.parametrize("edit", [add_a_paragraph, rename_the_report, as_written_before_the_check])
def test_a_markdown_report_edited_where_it_is_is_kept_when_the_report_is_made_again(
    participant, tmp_path, edit
):
    out = tmp_path / "out"
    first = write_report(build_report([("Ana Reyes", participant)], country="Philippines"), out)
    assert first.kept is None
    edited = edit(first[1].read_text(encoding="utf-8"))
    assert edited != first[1].read_text(encoding="utf-8")
    first[1].write_text(edited, encoding="utf-8")
    answer_again(participant)
    files = write_report(build_report([("Ana Reyes", participant)], country="Philippines"), out)
    assert re.fullmatch(r"country-report-edited-\d{4}-\d\d-\d\d-\d{6}\.md", files.kept.name)
    assert files.kept.parent == out
    assert files.kept.read_text(encoding="utf-8") == edited
    assert NEW_ANSWER in files[1].read_text(encoding="utf-8")  # the new report, in its place
    assert "You had edited country-report.md" in files.note and files.kept.name in files.note


def test_a_markdown_report_not_edited_is_replaced_without_a_copy(participant, tmp_path):
    out = tmp_path / "out"
    write_report(build_report([("Ana Reyes", participant)], country="Philippines"), out)
    answer_again(participant)
    files = write_report(build_report([("Ana Reyes", participant)], country="Philippines"), out)
    assert files.kept is None and files.note == ""
    assert NEW_ANSWER in files[1].read_text(encoding="utf-8")
    assert [p.name for p in out.iterdir() if "edited" in p.name] == []


# -- Module 8's green jobs, the country in sentences, the charts' captions -------------------
JOBS_PLAN = {
    "Solar PV, construction and installation": 2,
    "Solar PV, operation and maintenance": 2,
    "Materials recovery facility (sorting recyclables)": 15_000,
    "Composting": 5_000,
}


def with_a_jobs_plan_and_a_roadmap(folder) -> None:
    store = AnswerStore.for_module("m08", folder / MODULES["m08"]["folder"])
    store.record("jobs_plan", JOBS_PLAN, kind="details", question="Plans for the jobs estimate")
    forum = "Set up a cluster forum of firms, city and residents"
    answer(folder, "m08", "q7_roadmap_terms", {forum: "short term (0-2 years)"}, "checklist",
           "7. When?")  # fmt: skip
    answer(folder, "m08", "q8_roadmap_leads", {forum: "City"}, "checklist", "8. Who leads?")


def test_the_green_jobs_table_says_indirect_jobs_were_not_estimated_and_totals_each_kind(
    participant, tmp_path, monkeypatch
):
    from eic import data
    from eic.strategy_panels import jobs_explorer

    with_a_jobs_plan_and_a_roadmap(participant)
    report = build_report([("Ana Reyes", participant)], country="Philippines")
    (m08,) = [s for s in report.sections if s.module["id"] == "m08"]
    (jobs,) = [f for f in m08.figures if f.title == "Green jobs from the plans"]
    headers, rows = jobs.table
    assert headers[:5] == ["Activity", "Plan", "Direct", "Indirect (– = not estimated)",
                           "Counted as"]  # fmt: skip
    # by hand, with the factors (31.2 job-years/MW; 1.68 jobs/MW; 0.001 and 0.0004 jobs per t/yr)
    # and no published indirect multiplier: indirect jobs are not estimated, never a copy
    assert [row[:5] for row in rows] == [
        ["Solar PV, construction and installation", "2 MW installed", "62.4", "–", "job-years"],
        ["Solar PV, operation and maintenance", "2 MW in operation", "3.4", "–", "jobs"],
        ["Materials recovery facility (sorting recyclables)", "15,000 t/yr processed", "15.0",
         "–", "jobs"],
        ["Composting", "5,000 t/yr processed", "2.0", "–", "jobs"],
        ["Total (jobs)", "–", "20.4", "–", "jobs"],  # 3.36 + 15 + 2 = 20.36
        ["Total (job-years)", "–", "62.4", "–", "job-years"],
    ]  # fmt: skip
    # the totals are those of Module 8's page: its table's rows, in their units
    monkeypatch.chdir(tmp_path)  # no plan recorded where the page looks: it shows JOBS_PLAN
    page = jobs_explorer(data.load("green_job_factors"), JOBS_PLAN).text.value
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in page.split("<tr>")]
    page_totals = [[c[0], c[3], c[4]] for c in cells if c and c[0].startswith("Total")]
    assert page_totals == [[row[0], row[2], row[4]] for row in rows[-2:]]


@pytest.mark.parametrize(
    ("typed", "in_a_sentence"),
    [
        ("Philippines", "the Philippines"),
        ("The Philippines", "the Philippines"),  # never "the the Philippines"
        ("the Philippines", "the Philippines"),
        ("Lao PDR", "the Lao PDR"),
        ("Lao People's Democratic Republic", "the Lao People's Democratic Republic"),
        ("Republic of Korea", "the Republic of Korea"),
        ("Maldives", "the Maldives"),
        ("Kyrgyz Republic", "the Kyrgyz Republic"),
        ("People's Republic of China", "the People's Republic of China"),
        ("Marshall Islands", "the Marshall Islands"),
        ("Solomon Islands", "the Solomon Islands"),
        ("Cook Islands", "the Cook Islands"),
        ("Federated States of Micronesia", "the Federated States of Micronesia"),
        ("United States", "the United States"),
        ("United Kingdom", "the United Kingdom"),
        ("Netherlands", "the Netherlands"),
        ("Kingdom of Thailand", "the Kingdom of Thailand"),
        ("State of Palestine", "the State of Palestine"),
        ("Islamic Republic of Iran", "the Islamic Republic of Iran"),
        ("Democratic Socialist Republic of Sri Lanka", "the Democratic Socialist Republic of "
         "Sri Lanka"),
        ("Viet Nam", "Viet Nam"),
        ("Indonesia", "Indonesia"),
        ("Thailand", "Thailand"),
        ("Iran (Islamic Republic of)", "Iran (Islamic Republic of)"),
        ("(country not given)", "the country"),
    ],
)  # fmt: skip
def test_a_country_reads_with_the_in_a_sentence_where_english_puts_one(typed, in_a_sentence):
    from eic.report import country_in_text

    assert country_in_text(typed) == in_a_sentence


@pytest.mark.parametrize("typed", ["Philippines", "The Philippines"])
def test_the_reports_sentences_name_the_philippines_with_the(participant, typed):
    from eic.report_markdown import to_markdown

    report = build_report([("Ana Reyes", participant)], country=typed)
    for text in (to_html(report), to_markdown(report)[0]):
        assert "own clusters in the Philippines, are in the annex" in text
        assert "examples (the region of Riverside" in text  # the annex's first paragraph
        assert "own clusters in the Philippines, and show" in text
        assert "about Philippines" not in text and "the the" not in text.lower()
    assert report.title == f"{typed}: eco-industrial clusters, a draft country report"


def test_each_charts_caption_is_written_once(participant):
    from eic.report_markdown import to_markdown

    with_a_jobs_plan_and_a_roadmap(participant)
    report = build_report([("Ana Reyes", participant)], country="Philippines")
    page = to_html(report)
    text, _images = to_markdown(report)
    for title in ("The roadmap", "Green jobs from the plans"):
        assert page.count(f">{title}<") == 1
        # (the caption, not the sentence "The roadmap has ..." above the chart)
        assert [line for line in text.splitlines()
                if line.strip("*") == title] == [f"*{title}*"]  # fmt: skip
    # each chart's table is named by its caption, for a screen reader
    for label in re.findall(r"<table aria-labelledby='([^']+)'>", page):
        assert f"<figcaption id='{label}'>" in page
    assert len(re.findall(r"<table aria-labelledby=", page)) == 2
    assert parse(page).unbalanced == []


# -- entries that say nothing (Check pressed before answering, in an older answer file) -------

TIMELINE = ["Kalundborg", "Ulsan", "Kawasaki", "Tianjin"]


def check_pressed_before_answering(folder) -> None:
    """What an answer file held when Check on a question not answered recorded its blank."""
    answer(folder, "m01", "q5_timeline", ["", "", "", ""], "ranking", "5. Put them in order")
    answer(folder, "m01", "q2_policy_streams", [], "multiple choice", "2. Which streams?")
    answer(folder, "m01", "r1_reflection", "", "reflection", "8. Your reflection")


def test_a_module_whose_entries_all_say_nothing_is_not_yet_done(tmp_path, monkeypatch):
    from eic.report_markdown import to_markdown

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "vn-03"
    check_pressed_before_answering(folder)
    report = build_report([("Trần Văn Đức", folder)], country="Viet Nam")
    m01 = report.sections[0]
    assert m01.entries == [] and m01.status == "not yet done"
    text, _images = to_markdown(report)
    module_1 = text[text.index("Module 1") :]
    assert module_1.index("Not yet done: no answers recorded.") < module_1.index("Module 2")
    assert "Your reflection" not in text


def test_a_group_report_leaves_out_a_members_entries_that_say_nothing(tmp_path, monkeypatch):
    from eic.report_markdown import to_markdown

    monkeypatch.setattr("eic.answers._ACTIVE", {})
    huong, duc = tmp_path / "vn-01", tmp_path / "vn-03"
    answer(huong, "m01", "r1_reflection", "Our cluster shares steam.", "reflection",
           "8. Your reflection")  # fmt: skip
    answer(huong, "m01", "q5_timeline", TIMELINE, "ranking", "5. Put them in order")
    check_pressed_before_answering(duc)
    report = build_report([("Hương", huong), ("Trần Văn Đức", duc)], country="Viet Nam")
    assert {e.contributor for s in report.sections for e in s.entries} == {"Hương"}
    text, _images = to_markdown(report)
    lines = text.splitlines()
    assert "*(Trần Văn Đức)*" not in text  # credited with no answer
    assert not [line for line in lines if re.fullmatch(r"- \d+\. ?", line)]  # no empty place
    assert "- 1. Kalundborg" in lines and "- 4. Tianjin" in lines


def test_a_ranking_draft_says_which_places_are_not_chosen_yet():
    from eic.report import Entry, describe

    draft = Entry("q5_timeline", "Order", "ranking", ["Ulsan", "", "Kalundborg", ""], "Ana")
    assert describe(draft) == [
        "1. Ulsan", "2. (no item chosen yet)", "3. Kalundborg", "4. (no item chosen yet)"
    ]  # fmt: skip


def test_a_course_adapted_to_a_country_names_its_own_examples_in_the_annex(
    participant, monkeypatch
):
    import copy

    import eic.course

    adapted = copy.deepcopy(eic.course.syllabus())  # the course's own stays as it is
    adapted["course"]["examples"] = (
        "the districts of Hai Duong are real, their employment figures invented for training; "
        "Kalundborg and Kawasaki are real cases."
    )
    monkeypatch.setattr(eic.course, "syllabus", lambda: adapted)
    page = to_html(build_report([("Ana Reyes", participant)], country="Viet Nam"))
    annex = page.split("<section id='annex'>")[1]
    assert (
        "(the districts of Hai Duong are real, their employment figures invented for training; "
        "Kalundborg and Kawasaki are real cases), not about the authors" in annex
    )
    assert "Riverside" not in annex


def test_code_written_before_the_report_files_moved_still_finds_them():
    # a trainer's copy of the group report's cell imports write_report from eic.report_pages
    import eic.report_files
    import eic.report_pages

    assert eic.report_pages.write_report is eic.report_files.write_report
    assert eic.report_pages.ReportFiles is eic.report_files.ReportFiles
    with pytest.raises(AttributeError, match="no attribute 'make_report'"):
        eic.report_pages.make_report  # noqa: B018
