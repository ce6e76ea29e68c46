"""The results of an official's own-data analyses, taken away: the choices made on a panel
(Module 2's region, Module 3's substance) come back when the module is opened again, and the
country report shows each kept table's analysis as the panel shows it, with its settings,
its charts as images (files beside the Markdown) and a clear note when it cannot be made."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import comm
import pandas as pd
import pytest
from conftest import shown_html, widgets_in
from ipywidgets.widgets import widget as widget_module

from eic import widgets as w
from eic.course import syllabus
from eic.own_data import SPECS, OwnDataPanel
from eic.own_results import saved_results
from eic.report import build_report
from eic.report_markdown import markdown_archive, to_markdown
from eic.report_pages import to_html
from eic.table_templates import template_csv

FOLDERS = {m["id"]: m["folder"] for m in syllabus()["modules"]}

# two regions, two sectors, one year. By hand, the location quotient of a sector in a region
# is (its share of the region's employment) / (its share of the nation's):
#   North: metals 30 of 40 (0.75) against 50 of 100 nationally (0.5): 1.50; food 0.50
#   South: metals 20 of 60 (0.333) against 0.5: 0.67; food 40 of 60 (0.667) against 0.5: 1.33
EMPLOYMENT = pd.DataFrame(
    {
        "region": ["North", "North", "South", "South"],
        "sector": ["Metals", "Food", "Metals", "Food"],
        "year": [2022] * 4,
        "employment": [30, 10, 20, 40],
    }
)
# Module 3: two substances; water balances at 100 in and 100 out of the dye house
FLOWS = pd.DataFrame(
    {
        "flow": ["intake", "effluent", "cloth in", "cloth out"],
        "source": ["", "Dye house", "", "Dye house"],
        "target": ["Dye house", "", "Dye house", ""],
        "substance": ["water", "water", "fabric", "fabric"],
        "quantity": [100.0, 100.0, 5.0, 5.0],
        "unit": ["m3/day", "m3/day", "t/day", "t/day"],
    }
)


def upload(folder: Path, module: str, table: pd.DataFrame) -> OwnDataPanel:
    panel = OwnDataPanel(SPECS[module], folder / FOLDERS[module])
    assert panel.receive(template_csv(table), f"our-{module}.csv")
    return panel


def dropdown(panel: OwnDataPanel, description: str) -> w.Dropdown:
    (found,) = [
        c for c in widgets_in(panel.analysis)
        if isinstance(c, w.Dropdown) and c.description == description
    ]  # fmt: skip
    return found


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    return tmp_path / "ana"


def test_module_2s_region_and_module_3s_substance_come_back_when_the_module_is_opened_again(
    folder,
):
    region = dropdown(upload(folder, "m02", EMPLOYMENT), "Region:")
    assert region.value == "North"  # the first, before any choice
    region.value = "South"
    substance = dropdown(upload(folder, "m03", FLOWS), "Substance:")
    assert substance.value == "fabric"
    substance.value = "water"

    again = OwnDataPanel(SPECS["m02"], folder / FOLDERS["m02"])
    assert dropdown(again, "Region:").value == "South"
    assert "Candidate clusters in South" in shown_html(again.analysis)
    again = OwnDataPanel(SPECS["m03"], folder / FOLDERS["m03"])
    assert dropdown(again, "Substance:").value == "water"
    assert "Sankey diagram of the water flows" in shown_html(again.analysis)


def test_a_kept_region_the_new_table_lacks_gives_way_to_the_first(folder):
    dropdown(upload(folder, "m02", EMPLOYMENT), "Region:").value = "South"
    renamed = EMPLOYMENT.replace({"South": "Delta", "North": "Hills"})
    assert dropdown(upload(folder, "m02", renamed), "Region:").value == "Delta"


def test_a_choice_that_cannot_be_kept_is_said_and_the_analysis_goes_on(folder):
    from eic.own_analyses import employment_analysis

    def full(_settings):
        raise OSError(28, "No space left on device")

    box = employment_analysis(EMPLOYMENT, remember=full)
    (region,) = [c for c in widgets_in(box) if isinstance(c, w.Dropdown) and c.description ==
                 "Region:"]  # fmt: skip
    region.value = "South"
    shown = shown_html(box)
    assert "could not be kept with your table" in shown and "Candidate clusters in South" in shown


def test_the_report_shows_each_kept_tables_analysis_with_its_settings(folder):
    dropdown(upload(folder, "m02", EMPLOYMENT), "Region:").value = "South"
    upload(folder, "m03", FLOWS)
    page = to_html(build_report([("Ana Reyes", folder)], country="Viet Nam"))
    m02 = page.split("<section id='m02'>")[1].split("</section>")[0]
    assert "What the module&#x27;s analysis shows for this table" in m02
    assert "<li>Region: South</li>" in m02
    # the location quotients worked by hand above, for the region chosen
    rows = {
        re.sub("<[^>]+>", "|", row).split("|")[2]: re.sub("<[^>]+>", "|", row)
        for row in re.findall(r"<tr>.*?</tr>", m02.split("What the module")[1], re.S)
    }
    assert "1.33" in rows["Food"] and "0.67" in rows["Metals"]
    assert m02.count("<img src='data:image/png;base64,") >= 1
    m03 = page.split("<section id='m03'>")[1].split("</section>")[0]
    assert "<li>Substance: fabric</li>" in m03 and "Sankey diagram of the fabric flows" in m03
    assert "<style" not in m02 + m03  # the page's style sheets are not results


def test_the_markdown_reports_results_link_their_charts_as_image_files(folder):
    upload(folder, "m02", EMPLOYMENT)
    upload(folder, "m03", FLOWS)
    report = build_report([("Ana Reyes", folder)], country="Viet Nam")
    text, images = to_markdown(report, "country-report-images")
    assert "data:image/png" not in text
    own = sorted(name for name in images if "-own-" in name)
    # one year: Module 2 draws the location quotients only; Module 3 its Sankey diagram
    assert own == ["m02-own-1.png", "m03-own-1.png"]
    archive = zipfile.ZipFile(io.BytesIO(markdown_archive(report)))
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)|<img src='([^']+)'", archive.read(
        "country-report.md").decode("utf-8"))  # fmt: skip
    paths = {a or b for a, b in linked}
    assert {f"country-report-images/{name}" for name in own} <= paths
    for path in paths:
        assert archive.read(path).startswith(b"\x89PNG")
    # no blank line inside a piece of HTML, which would end it half-way in Markdown
    for block in re.findall(r"<table.*?</table>", text, re.S):
        assert "\n\n" not in block


def test_a_kept_table_its_module_no_longer_accepts_is_named_and_the_report_is_made(folder):
    upload(folder, "m02", EMPLOYMENT)
    saved = folder / FOLDERS["m02"] / "m02-own-employment.csv"
    saved.write_text(saved.read_text().replace(",30\n", ",thirty\n"), encoding="utf-8")
    report = build_report([("Ana Reyes", folder)], country="Viet Nam")
    (m02,) = [s for s in report.sections if s.module["id"] == "m02"]
    (table,) = m02.own_data
    assert table.results == () and "thirty" in table.results_problem
    assert "Open Module 2" in table.results_problem
    assert "could not be made" in to_html(report)


def test_the_reports_analyses_send_nothing_to_a_page_and_leave_no_widgets_behind(
    folder, monkeypatch
):
    upload(folder, "m06", SPECS["m06"].example_table())
    sent = []

    def create_comm(*args, **kwargs):
        sent.append(kwargs.get("target_name"))
        return comm.DummyComm(*args, **kwargs)

    monkeypatch.setattr(comm, "create_comm", create_comm)
    before = set(widget_module._instances)
    settings, results = saved_results(folder / FOLDERS["m06"], "m06")
    assert any(s.startswith("Sharing rule:") for s in settings) and results
    assert sent == [] and set(widget_module._instances) == before
    assert comm.create_comm is create_comm  # as it was, for the page's own widgets
    w.HTML("shown")
    assert sent == ["jupyter.widget"]
