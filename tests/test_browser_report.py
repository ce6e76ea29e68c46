"""The country report made in Voila, as a participant makes it at the end of Module 8: with
the analysis of a table of their own data uploaded in an earlier module."""

from __future__ import annotations

import html
import re

import docx
import pytest
from conftest import released_modules
from test_browser import (  # noqa: F401  (served: the module's server)
    open_module,
    own_data_template,
    served,
    upload_own_table,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_country_report_is_made_in_voila_with_the_own_data_analysed(served, browser):  # noqa: F811
    url, folder = served
    m05 = next(m for m in released_modules() if m["id"] == "m05")
    page, errors = open_module(browser, url, "m05")
    panel, template = own_data_template(page)
    ours = template.replace("Steam trap repair", "Kim Son steam trap repair")
    upload_own_table(page, panel, "kim-son.csv", ours.encode())
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    assert (folder / m05["folder"] / "m05-own-options.csv").exists()
    page.close()

    page, more_errors = open_module(browser, url, "m08")
    made = page.locator(".eic-report-panel")
    made.scroll_into_view_if_needed()
    made.get_by_label("Your name:").fill("Nguyen Van An")
    made.get_by_label("Your country:").fill("Viet Nam")
    made.get_by_role("button", name="Make my country report").click()
    made.get_by_text("Report made from").wait_for(timeout=120_000)
    said = made.inner_text()
    assert "country-report.html" in said and "country-report.md" in said
    assert made.locator("a[download='country-report.html']").count() == 1
    assert made.locator("a[download='country-report.zip']").count() == 1
    # the report to edit in Word, as the browser downloads it
    with page.expect_download() as download:
        made.get_by_text("the report to edit in Word (.docx)").click()
    assert download.value.suggested_filename == "country-report.docx"
    word = docx.Document(download.value.path())
    assert word.paragraphs[0].text == "Viet Nam: eco-industrial clusters, a draft country report"
    assert any(
        cell.text.startswith("Kim Son steam trap repair")
        for table in word.tables
        for row in table.rows
        for cell in row.cells
    )

    m08 = next(m for m in released_modules() if m["id"] == "m08")
    report = (folder / m08["folder"] / "country-report.html").read_text(encoding="utf-8")
    section = report.split("<section id='m05'>")[1].split("</section>")[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", section))
    assert "from kim-son.csv" in text
    assert "What the module's analysis shows for this table" in text
    assert "Kim Son steam trap repair" in text.split("What the module's analysis shows")[1]
    assert "Discount rate (%): 10" in text
    assert "<img src='data:image/png;base64," in section  # the analysis's chart
    assert errors + more_errors == []
    page.close()


def test_an_amount_typed_with_a_decimal_comma_is_read_as_such_in_voila(served, browser):  # noqa: F811
    url, _folder = served
    page, errors = open_module(browser, url, "m08")
    panel = page.locator(".eic-jobs-explorer")
    box = panel.get_by_label("Biomass fuel supply (crop and forest residues)", exact=False)
    box.scroll_into_view_if_needed()
    box.fill("1,15")
    box.press("Enter")
    panel.get_by_text("'1,15' is read as 1.15").wait_for(timeout=30_000)
    # by hand: the worked example's 5 MW x 1.68 + 20,000 t x 0.001 + 10,000 t x 0.0004 = 32.4
    # lasting jobs, and 1.15 PJ/yr x 71.76 = 82.524: 114.924, about 115 (not 8,307 or more)
    panel.get_by_text("The plans could support about 115 lasting jobs").wait_for(timeout=30_000)
    assert box.input_value() == "1.15"
    box.fill("-5")
    box.press("Enter")
    panel.get_by_text("an amount planned cannot be negative").wait_for(timeout=30_000)
    assert box.input_value() == "1.15"
    assert errors == []
    page.close()
