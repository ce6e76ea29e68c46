"""The "use your own data" panels of modules 2 to 7, driven as a participant would."""

from __future__ import annotations

import html
import json

import pandas as pd
import pytest
from conftest import as_upload, shown_html, widgets_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eic.answers import AnswerStore, activate
from eic.own_data import SPECS, OwnDataPanel
from eic.report import build_report
from eic.report_markdown import to_markdown
from eic.report_pages import to_html
from eic.table_templates import template_csv, template_xlsx


def rendered(panel: OwnDataPanel) -> str:
    """All the HTML the panel's analysis shows, as one string."""
    return shown_html(panel.analysis)


def own_version(spec) -> pd.DataFrame:
    """The example table with names changed, so the analysis visibly uses the upload."""
    table = spec.example_table().copy()
    first = table.columns[0]
    table[first] = [f"Our {value}" for value in table[first]]
    return table


@pytest.mark.parametrize("module", list(SPECS))
def test_a_good_upload_is_checked_saved_previewed_and_analysed(folder, module):
    spec = SPECS[module]
    panel = OwnDataPanel(spec, folder)
    assert panel.table is None and panel.analysis.children == ()
    panel.upload.value = as_upload(template_csv(own_version(spec)), "ours.csv")
    assert len(panel.upload.value) == 1  # kept: the button counts it, "Upload ... (1)"
    assert "was read, checked and saved" in panel.message.value
    assert "role='status'" in panel.message.value
    assert panel.file.exists() and panel.file.source()["file"] == "ours.csv"
    assert "Our " in panel.preview.value
    shown = rendered(panel)
    assert "Our " in shown and "<img" in shown  # the analysis and its chart use the upload
    assert panel.remove.disabled is False
    assert AnswerStore.for_module(module, folder).value("q1_test") == "kept"


@pytest.mark.parametrize("module", list(SPECS))
def test_a_bad_upload_shows_its_problems_and_keeps_the_previous_state(folder, module):
    spec = SPECS[module]
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(own_version(spec)), "ours.csv")
    saved = panel.file.path.read_bytes()
    answers = AnswerStore.for_module(module, folder).path.read_bytes()
    analysis, table, preview = panel.analysis.children, panel.table, panel.preview.value

    broken = own_version(spec).astype(object)
    number = next(c.name for c in _columns(module) if c.kind == "number")
    broken.loc[1, number] = "about 40"
    first = broken.columns[0]
    broken = broken.rename(columns={first: first[:-1] + "x"})  # a misspelt heading
    for content, name in [
        (template_csv(broken), "broken.csv"),
        (b"", "empty.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "old.xls"),
        (template_csv(own_version(spec).assign(**{number: "about 40"})), "text.csv"),
    ]:
        panel.upload.value = as_upload(content, name)
        assert panel.upload.value == ()  # let go, so the same file can be sent after a fix
        message = panel.message.value
        assert "role='alert'" in message and f"'{name}' was not used" in message
        assert "Nothing was changed" in message
        assert panel.analysis.children == analysis and panel.table is table
        assert panel.preview.value == preview
        assert panel.file.path.read_bytes() == saved
        assert AnswerStore.for_module(module, folder).path.read_bytes() == answers
    text_in_number = own_version(spec).astype(object)
    text_in_number.loc[1, number] = "about 40"
    panel.upload.value = as_upload(template_csv(text_in_number), "text.csv")
    message = html.unescape(panel.message.value)
    assert f"'{number}'" in message and "row 3" in message and "about 40" in message
    panel.upload.value = as_upload(template_csv(broken), "broken.csv")
    message = html.unescape(panel.message.value)
    assert f"is '{first[:-1]}x' meant to be '{first}'" in message


def _columns(module):
    from eic.appraisal import OPTION_COLUMNS
    from eic.clusters import EMPLOYMENT_COLUMNS
    from eic.cost_sharing import FIRM_COLUMNS
    from eic.firm_inventory import INVENTORY_COLUMNS
    from eic.flows import FLOW_COLUMNS
    from eic.policy import INSTRUMENT_COLUMNS

    return {
        "m02": EMPLOYMENT_COLUMNS,
        "m03": FLOW_COLUMNS,
        "m04": INVENTORY_COLUMNS,
        "m05": OPTION_COLUMNS,
        "m06": FIRM_COLUMNS,
        "m07": INSTRUMENT_COLUMNS,
    }[module]


@pytest.mark.parametrize("module", list(SPECS))
def test_the_saved_table_is_there_after_a_restart(folder, module):
    spec = SPECS[module]
    OwnDataPanel(spec, folder).receive(template_csv(own_version(spec)), "ours.csv")
    again = OwnDataPanel(spec, folder)  # a new kernel, the same folder
    assert again.table is not None and len(again.table) == len(spec.example_table())
    assert "from 'ours.csv'" in html.unescape(again.message.value)
    assert "Our " in rendered(again)


def test_a_damaged_saved_table_is_reported_and_the_panel_still_works(folder):
    spec = SPECS["m05"]
    panel = OwnDataPanel(spec, folder)
    panel.receive(template_csv(spec.example_table()), "ours.csv")
    panel.file.path.write_text("option,investment_usd\nSolar,lots\n", encoding="utf-8")
    again = OwnDataPanel(spec, folder)
    assert "role='alert'" in again.message.value and "investment_usd" in again.message.value
    assert again.table is None
    assert again.receive(template_csv(spec.example_table()), "fixed.csv")
    assert again.table is not None


def test_a_workbook_with_several_sheets_offers_the_choice_of_sheet(folder):
    spec = SPECS["m02"]
    content = template_xlsx(own_version(spec), spec.guide)
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(content, "ours.xlsx")
    assert panel.sheet in panel.row.children
    assert list(panel.sheet.options) == ["data", "read me"] and panel.sheet.value == "data"
    panel.sheet.value = "read me"  # the notes sheet is not an employment table
    assert "role='alert'" in panel.message.value and "column" in panel.message.value
    assert "Our " in panel.preview.value  # the good table stays
    panel.sheet.value = "data"
    assert "was read, checked and saved" in panel.message.value


def test_removing_the_table_deletes_it_and_keeps_the_answers(folder):
    spec = SPECS["m06"]
    panel = OwnDataPanel(spec, folder)
    upload = as_upload(template_csv(spec.example_table()), "ours.csv")
    panel.upload.value = upload
    panel.remove.click()
    assert not panel.file.exists() and panel.analysis.children == ()
    assert panel.remove.disabled
    # the same file uploaded again after removing it is taken again
    assert panel.upload.value == ()
    panel.upload.value = upload
    assert panel.file.exists() and panel.remove.disabled is False
    panel.remove.click()
    assert AnswerStore.for_module("m06", folder).value("q1_test") == "kept"


def test_module_2_rebuilds_for_the_region_chosen(folder):
    spec = SPECS["m02"]
    panel = OwnDataPanel(spec, folder)
    panel.receive(template_csv(spec.example_table()), "ours.csv")
    region = panel.analysis.children[0].children[0].children[0]
    assert "Candidate clusters in Capital Fringe" in rendered(panel)  # the first, A to Z
    region.value = "Riverside"
    assert "Candidate clusters in Riverside" in rendered(panel)
    assert "Shift-share of Riverside" in rendered(panel)


def test_module_2_refuses_a_single_region_with_the_reason(folder):
    table = SPECS["m02"].example_table()
    one = table[table["region"] == "Riverside"]
    panel = OwnDataPanel(SPECS["m02"], folder)
    assert not panel.receive(template_csv(one), "one.csv")
    assert "one region only" in panel.message.value


def test_module_3_solves_one_missing_flow_and_explains_more(folder):
    spec = SPECS["m03"]
    table = spec.example_table()
    assert table["quantity"].isna().sum() == 1
    panel = OwnDataPanel(spec, folder)
    panel.receive(template_csv(table), "ours.csv")
    assert "The missing flow:" in rendered(panel)
    table.loc[0, "quantity"] = None
    panel.receive(template_csv(table), "two.csv")
    assert "2 flows have no quantity" in rendered(panel)


def test_module_6_takes_the_participants_plant_costs_and_rejects_bad_ones(folder):
    panel = OwnDataPanel(SPECS["m06"], folder)
    panel.receive(template_csv(SPECS["m06"].example_table()), "ours.csv")
    _, fields, _, note, holder = panel.analysis.children[0].children
    fixed, _, unit, exponent, _ = fields.children
    before = rendered(panel)
    fixed.value = 100_000
    assert rendered(panel) != before and note.value == ""
    exponent.value = 1.0
    unit.value = 0
    assert holder.children and "role='alert'" not in note.value


def descendants(widget):
    """Every widget inside ``widget`` that has a description, at any depth."""
    for child in getattr(widget, "children", ()):
        if getattr(child, "description", None):
            yield child
        yield from descendants(child)


def test_module_5_budget_slider_reaches_the_total_investment(folder):
    spec = SPECS["m05"]
    table = spec.example_table()
    table["investment_usd"] = table["investment_usd"] * 20
    panel = OwnDataPanel(spec, folder)
    panel.receive(template_csv(table), "big.csv")
    budget = next(c for c in descendants(panel.analysis) if "Budget" in c.description)
    assert budget.max >= table["investment_usd"].sum()
    assert 0 < budget.value < budget.max


def test_the_country_report_lists_the_own_tables(folder):
    for module in ("m02", "m05"):
        spec = SPECS[module]
        OwnDataPanel(spec, folder).receive(template_csv(own_version(spec)), f"{module}.csv")
    report = build_report([("Ana Reyes", folder)], country="Philippines")
    own = {s.module["id"]: s.own_data for s in report.sections if s.own_data}
    assert set(own) == {"m02", "m05"}
    assert len(own["m02"][0].rows) == len(SPECS["m02"].example_table())
    page = to_html(report)
    assert "Own data: employment table" in page and "from m02.csv" in page
    text, _ = to_markdown(report)
    assert "| option | investment_usd |" in text


def test_nothing_the_participant_saved_is_listed_from_the_instructors_copy(tmp_path):
    store = activate(AnswerStore.for_module("m05", tmp_path, model=True))
    store.record("q1_test", 1)
    panel = OwnDataPanel(SPECS["m05"], tmp_path)
    panel.receive(template_csv(SPECS["m05"].example_table()), "trial.csv")
    assert panel.file.path.name == "m05-own-options.model.csv"
    report = build_report([("Trainer", tmp_path)], country="X")
    assert not any(s.own_data for s in report.sections)
    activate(AnswerStore.for_module("m05", tmp_path))


def test_the_flow_template_names_every_unit_the_check_accepts():
    from eic.flows import UNITS

    meaning = dict(SPECS["m03"].guide)["unit"]
    assert all(unit in meaning for unit in UNITS)


def test_the_templates_list_every_column_with_its_meaning():
    for spec in SPECS.values():
        assert [column for column, _ in spec.guide] == list(spec.columns)
        assert spec.check(spec.example_table()) is not None
        intro = OwnDataPanel(spec).intro.value
        assert intro.count("download=") == 2
        for column in spec.columns:
            assert f"<code>{column}</code>" in intro


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    module=st.sampled_from(list(SPECS)),
    drop=st.integers(0, 6),
    cell=st.sampled_from(["", "-1", "x", "0", "1e308", "nan", "∞", "999999999"]),
    row=st.integers(0, 4),
)
def test_any_damaged_template_is_used_or_refused_never_an_unexplained_failure(
    tmp_path_factory, module, drop, cell, row
):
    spec = SPECS[module]
    folder = tmp_path_factory.mktemp("fuzz")
    table = spec.example_table().astype(object)
    column = table.columns[drop % len(table.columns)]
    table.loc[row % len(table), column] = cell
    panel = OwnDataPanel(spec, folder)
    used = panel.receive(template_csv(table), "fuzz.csv")
    message = panel.message.value
    assert ("was read, checked and saved" in message) == used
    assert "unexpected problem" not in message, message
    assert panel.file.exists() == used
    if used:
        saved = json.loads(panel.file.meta_path.read_text())
        assert saved["rows"] == len(panel.table)


def _downloaded_page(panel: OwnDataPanel) -> str:
    """The page behind the panel's results link, as the browser would save it."""
    import base64
    import re

    (href,) = re.findall(r"href='data:text/html;base64,([^']+)'", panel.kept.value)
    return base64.b64decode(href).decode("utf-8")


@pytest.mark.parametrize("module", list(SPECS))
def test_the_results_of_an_own_analysis_can_be_taken_away_as_a_page(folder, module):
    spec = SPECS[module]
    panel = OwnDataPanel(spec, folder)
    assert panel.results.children == ()  # nothing to keep before a table
    assert panel.receive(template_csv(own_version(spec)), "ours.csv")
    panel.keep.click()
    page = _downloaded_page(panel)
    assert page.startswith("<!DOCTYPE html>") and "from the table ours.csv" in page
    # every table and chart the analysis shows is on the page, in the same order
    shown = rendered(panel)
    tables = shown.count("<table class='eic-table'")
    charts = shown.count("<img src='data:image/png;base64,")
    assert tables + charts > 0
    assert page.count("<table class='eic-table'") == tables
    assert page.count("<img src='data:image/png;base64,") == charts
    first_name = own_version(spec).iloc[0, 0]
    assert ("Our " in page) == ("Our " in shown), first_name


def test_the_results_page_records_the_settings_as_they_are_when_made(folder):
    panel = OwnDataPanel(SPECS["m04"], folder)
    assert panel.receive(template_csv(own_version(SPECS["m04"])), "ours.csv")
    distance = next(
        c for c in widgets_in(panel.analysis) if "km" in str(getattr(c, "description", ""))
    )
    distance.value = 7.0
    panel.keep.click()
    said = [line for line in _downloaded_page(panel).splitlines() if "<li>" in line]
    assert any(f"{distance.description.rstrip(':')}: 7</li>" in line for line in said), said
    panel.forget()
    assert panel.results.children == () and panel.kept.value == ""


def test_the_panel_says_at_once_that_a_new_upload_is_being_read_and_checked(folder):
    import dataclasses

    seen = []

    def analyse(table, **kept):
        seen.append(html.unescape(panel.message.value))  # what the page says meanwhile
        return SPECS["m05"].analyse(table, **kept)

    spec = dataclasses.replace(SPECS["m05"], analyse=analyse)
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(own_version(spec)), "first.csv")
    assert "'first.csv' was read, checked and saved" in panel.message.value
    assert panel.receive(template_csv(own_version(spec)), "second.csv")
    assert "Reading and checking 'second.csv'" in seen[-1] and "first.csv" not in seen[-1]
    assert "role='status'" in seen[-1] and "eic-own-data-working" in seen[-1]
    assert "'second.csv' was read, checked and saved" in panel.message.value


def test_module_4s_distance_limit_is_there_after_a_restart(folder):
    spec = SPECS["m04"]
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(own_version(spec)), "ours.csv")
    distance = next(c for c in descendants(panel.analysis) if "Distance" in c.description)
    assert distance.value == 15
    distance.value = 7.0
    again = OwnDataPanel(spec, folder)  # a new kernel, the same folder
    distance = next(c for c in descendants(again.analysis) if "Distance" in c.description)
    assert distance.value == 7.0
    assert "Within 7 km" in rendered(again)
    # a new table keeps the distance chosen for the last one
    assert again.receive(template_csv(own_version(spec)), "newer.csv")
    distance = next(c for c in descendants(again.analysis) if "Distance" in c.description)
    assert distance.value == 7.0


def test_module_6s_sharing_rule_is_there_after_a_restart_with_the_plant_figures(folder):
    spec = SPECS["m06"]
    panel = OwnDataPanel(spec, folder)
    assert panel.receive(template_csv(own_version(spec)), "ours.csv")
    _, fields, _, _, _ = panel.analysis.children[0].children
    rule = next(c for c in descendants(panel.analysis) if "Sharing rule" in c.description)
    assert rule.value == "proportional"
    rule.value = "shapley"
    fields.children[0].value = 100_000  # a plant figure changed after the rule: both kept
    rule = next(c for c in descendants(panel.analysis) if "Sharing rule" in c.description)
    assert rule.value == "shapley"  # the comparison made again keeps the rule chosen

    again = OwnDataPanel(spec, folder)  # a new kernel, the same folder
    _, fields, _, _, _ = again.analysis.children[0].children
    assert fields.children[0].value == 100_000
    rule = next(c for c in descendants(again.analysis) if "Sharing rule" in c.description)
    assert rule.value == "shapley"
    shown = html.unescape(rendered(again))
    assert "Each firm's share under the rule 'Shapley value'" in shown
    assert "was restored" in shown
