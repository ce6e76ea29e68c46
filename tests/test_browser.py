"""Module notebooks as Voila apps in Chromium: no error, no code, answers recorded (in
JupyterLab: tests/test_browser_lab.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import (
    ROOT,
    free_port,
    is_answer_file,
    kernel_alive,
    kernel_stops,
    old_workbook,
    released_modules,
    start_server,
    stop_server,
    wait_for_answer,
)
from nbformat.v4 import new_code_cell, new_notebook

from eic.serve import voila_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A copy of release/ served by Voila on a free local port."""
    folder = tmp_path_factory.mktemp("voila") / "release"
    shutil.copytree(
        ROOT / "release", folder, ignore=lambda _d, names: [n for n in names if is_answer_file(n)]
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
    url = f"http://127.0.0.1:{port}"
    # as eic-course serve sets it up (template, extensions, kernel manager), but a kernel
    # started for each page: what a page does is tested from its start
    proc, log = start_server(
        voila_command(folder, ip="127.0.0.1", port=port, pool_size=None, cull_after_minutes=None),
        cwd=folder,
        env=env,
        log_path=folder.parent / "voila.log",
        ready_url=url,
    )
    yield url, folder
    stop_server(proc, log)


def open_app(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a page waits for what it fetches from elsewhere: in a room with a slow connection, or
    # none, every module would wait for it; the app fetches nothing but from its server
    server = url.split("/voila/")[0]

    def from_server_only(request) -> None:
        if not request.url.startswith((server, "data:", "blob:")):
            errors.append(f"fetched from outside the server: {request.url}")

    page.on("request", from_server_only)
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".eic-question", timeout=120_000)
    page.wait_for_load_state("networkidle")
    return page, errors


def kernel_of(page) -> str:
    """The id of the kernel a Voila page runs on."""
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def open_module(browser, url: str, module_id: str):
    """A module's Voila page, opened as open_app does: (page, errors)."""
    folder = next(m for m in released_modules() if m["id"] == module_id)["folder"]
    return open_app(browser, f"{url}/voila/render/{folder}/{folder}.ipynb")


def assert_clean(page) -> None:
    text = page.inner_text("body")
    for sign in ["Traceback", "Error:", "not answered yet", "NotImplementedError"]:
        assert sign not in text, f"the page shows {sign!r}"
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    # the "Go further" part asks for code the page does not show: its heading stays, with
    # where to do it, and its code's output is left out with the code
    note = page.locator(".eic-go-further")
    assert note.count() == 1 and note.is_visible()
    assert "Go further" in note.inner_text() and "JupyterLab" in note.inner_text()
    assert "Shift+Enter" not in text
    after = "[cell-index]:has(.eic-go-further) + [cell-index]"
    assert page.locator(after).count() == 1
    assert page.locator(f"{after} .jp-OutputArea-output").count() == 0
    assert page.locator(".jp-CodeMirrorEditor, .cm-editor, .jp-InputPrompt").count() == 0
    for code in ["from eic", "ws.single_choice", "### BEGIN", "answered("]:
        assert code not in text, f"the page shows code: {code!r}"
    assert_laid_out(page)
    # and on a small laptop's screen, or a window beside another, and on a phone
    size = page.viewport_size
    try:
        for width in (NARROW, PHONE):
            page.set_viewport_size({"width": width, "height": size["height"]})
            page.wait_for_timeout(500)  # the widgets lay themselves out again
            assert_laid_out(page)
    finally:
        page.set_viewport_size(size)


# pixels: a small laptop's screen, or a window beside another on a common one
NARROW = 800
# a phone held upright (eic.widgets.NARROW_SCREEN_STYLE: a label above its control)
PHONE = 390


def assert_laid_out(page) -> None:
    """Nothing of a question or an explorer is cut short, hidden or on top of another."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    # no button or label of a question is cut short ("not obser...")
    cut = page.evaluate(
        """() => [...document.querySelectorAll(
                   '.eic-question button, .eic-question label, .eic-explorer .widget-label,'
                   + '.widget-readout, .jp-OutputArea-output button')]
                 .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
                 .map(el => el.innerText)"""
    )
    assert cut == [], f"texts cut short: {cut}"
    # an option too long for one line wraps onto lines of its own, over no other option
    crowded = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question label')]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => el.scrollHeight > el.clientHeight + 1
                   || (el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL'
                       && el.getBoundingClientRect().bottom
                          > el.nextElementSibling.getBoundingClientRect().top + 1))
                 .map(el => el.innerText)"""
    )
    assert crowded == [], f"options overlapping the next one: {crowded}"
    # no row of controls is wider than the page, with some out of sight past its edge
    hidden = page.evaluate(
        """() => [...document.querySelectorAll(
                   '.eic-explorer .widget-box, .eic-question .widget-box')]
                 .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
                 .map(el => el.innerText.slice(0, 80))"""
    )
    assert hidden == [], f"controls past the edge of their row: {hidden}"
    # and a radio button stays at the start of its option, not after the words
    astray = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question label > input[type=radio]')]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => el.getBoundingClientRect().left
                               - el.parentElement.getBoundingClientRect().left > 8)
                 .map(el => el.parentElement.innerText)"""
    )
    assert astray == [], f"radio buttons not at the start of their option: {astray}"
    # a slider keeps room to be moved: on a phone a pairwise slider shrank to a dot
    squeezed = page.evaluate(
        """() => [...document.querySelectorAll('.widget-slider .slider-container')]
                 .filter(el => el.offsetParent !== null && el.getBoundingClientRect().width < 60)
                 .map(el => el.closest('.widget-slider').innerText)"""
    )
    assert squeezed == [], f"sliders too short to move: {squeezed}"
    # an explorer's sentences wrap within the page (on a phone they ran past its edge, to be
    # read by scrolling each one sideways); a wide table may scroll within its own box
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.eic-explorer .widget-html p')]
                 .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right
                   > el.closest('.widget-html').getBoundingClientRect().right + 1)
                 .map(el => el.innerText.slice(0, 80))"""
    )
    assert wide == [], f"explorer sentences past the edge: {wide}"
    # a text box is not under its question's buttons, and a checklist item's text has room
    covered = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question textarea')]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => { const b = el.closest('.eic-question').querySelector(
                                   ':scope > .widget-box button, :scope > .widget-hbox button');
                                 return b && el.getBoundingClientRect().bottom
                                        > b.getBoundingClientRect().top + 1 })
                 .map(el => el.closest('.eic-question').innerText.slice(0, 60))"""
    )
    assert covered == [], f"text boxes under their buttons: {covered}"
    squashed = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question .widget-gridbox > .widget-html')]
                 .filter(el => el.offsetParent !== null && el.innerText.trim()
                               && el.getBoundingClientRect().width < 60)
                 .map(el => el.innerText.slice(0, 60))"""
    )
    assert squashed == [], f"checklist items with no room for their text: {squashed}"
    if width <= PHONE:
        # an explorer's table is never cut at the phone's edge (Module 2's sectors and reasons
        # were): the box that scrolls it sideways ends within the screen, and a table's
        # caption stays in sight, wrapped, however wide its table
        tables = page.evaluate(
            """() => [...document.querySelectorAll('.eic-explorer .widget-html-content table')]
                     .filter(el => el.offsetParent !== null)
                     .filter(el => {
                       let box = el.parentElement;
                       while (box && box.scrollWidth <= box.clientWidth + 1) {
                         box = box.parentElement;
                       }
                       if (!box) return false;  // it fits: nothing scrolls it
                       return box === document.documentElement || box === document.body
                         || !["auto", "scroll"].includes(getComputedStyle(box).overflowX)
                         || box.getBoundingClientRect().right
                            > document.documentElement.clientWidth + 1;
                     })
                     .map(el => el.innerText.slice(0, 60))"""
        )
        assert tables == [], f"explorer tables past the phone's edge: {tables}"
        captions = page.evaluate(
            """() => [...document.querySelectorAll('table caption')]
                     .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right
                                   > document.documentElement.clientWidth + 1)
                     .map(el => el.innerText.slice(0, 60))"""
        )
        assert captions == [], f"table captions past the screen's edge: {captions}"
        return  # on a phone a checklist's buttons go under their item (one column)
    # a checklist's buttons sit beside their item's text, never under a heading's column;
    # where its options are too long to fit beside an item (one column), below their item
    misplaced = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question .widget-gridbox')].flatMap(grid => {
                 const below = getComputedStyle(grid).gridTemplateColumns.split(' ').length == 1;
                 return [...grid.querySelectorAll(':scope > .widget-toggle-buttons')].filter(el =>
                   below ? el.getBoundingClientRect().top
                             < el.previousElementSibling.getBoundingClientRect().bottom
                         : el.getBoundingClientRect().left - grid.getBoundingClientRect().left
                             < 200);
               }).length"""
    )
    assert misplaced == 0, f"{misplaced} checklist rows have their buttons in the wrong place"


MODULE_1 = released_modules()[0]
# Module 2's readings give the location quotient and shift-share as formulas; no other
# module's page has mathematics
FORMULAS = {"m02"}


def assert_math_as_written(page, module: dict) -> None:
    """A module with formulas shows them typeset; any other never loads MathJax (about
    0.8 MB of scripts), which once started puts its style sheet in the page."""
    if module["id"] in FORMULAS:
        page.wait_for_selector("mjx-container", timeout=30_000)
        assert page.locator(".jp-MarkdownOutput mjx-container").count() >= 10
    else:
        assert page.evaluate("document.getElementById('MJX-CHTML-styles')") is None
        assert page.locator("mjx-container").count() == 0


# at the moment MathJax first puts a typeset formula in the page: the page's widget views
# drawn so far (top-level ones, one for each widget output)
WIDGETS_AT_FIRST_FORMULA = """
  new MutationObserver((changes, observer) => {
    if (!document.querySelector("mjx-container")) return;
    window.__widgetsAtFirstFormula = [...document.querySelectorAll(".jupyter-widgets")]
      .filter((view) => !view.parentElement.closest(".jupyter-widgets")).length;
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
"""


def test_formulas_are_typeset_once_the_widgets_are_drawn(served, browser):
    """Opened from the course home, whose visit brought Voila's scripts, Module 2's page
    started MathJax while its widgets were still being drawn; it waits for them now."""
    url, _folder = served
    folder = next(m for m in released_modules() if m["id"] == "m02")["folder"]
    page = browser.new_page()
    page.add_init_script(WIDGETS_AT_FIRST_FORMULA)
    page.goto(f"{url}/voila/render/index.ipynb", timeout=120_000)
    page.locator("table.eic-modules").wait_for(timeout=120_000)
    page.goto(f"{url}/voila/render/{folder}/{folder}.ipynb", timeout=120_000)
    page.wait_for_selector(".jp-MarkdownOutput mjx-container", timeout=60_000)
    at_first = page.evaluate("window.__widgetsAtFirstFormula")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll(".jupyter-widgets")]
                 .filter((view) => !view.parentElement.closest(".jupyter-widgets")).length"""
    )
    assert drawn >= 10 and at_first == drawn, (at_first, drawn)
    assert page.locator(".jp-MarkdownOutput mjx-container").count() >= 10
    page.close()


def test_module_1_renders_and_records_a_clicked_answer(served, browser):
    url, folder = served
    name = MODULE_1["folder"]
    page, errors = open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    questions = page.locator(".eic-question")
    assert questions.count() >= 8
    assert_clean(page)
    page.screenshot(path=str(folder.parent / "module-1.png"), full_page=True)

    question = page.locator(".eic-q-q3_match_type")
    question.get_by_text("Eco-industrial park", exact=True).click()
    answers = folder / name / f"{MODULE_1['id']}-answers.json"
    assert wait_for_answer(answers, "q3_match_type") == "Eco-industrial park"
    assert_math_as_written(page, MODULE_1)

    # the right answer, with a hint written for each other option: Check says so in full
    # ("Not complete yet" and "Think again" also hold the word "complete" or "Saved")
    question.get_by_role("button", name="Check").click()
    question.get_by_text("Saved and complete. It is graded when you submit the module.").wait_for()

    # load the page again, as a participant reopening the app would
    page.close()
    page, more_errors = open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    checked = page.locator(".eic-q-q3_match_type input[type=radio]:checked")
    assert checked.count() == 1
    assert checked.evaluate("el => el.closest('label').innerText").strip() == "Eco-industrial park"
    errors += more_errors
    assert errors == []
    page.close()


OUTPUT_SCRIPT = re.compile(
    r'<script type="application/vnd.voila.cell-output\+json">(.*?)</script>', re.S
)
# a picture of one pixel, as PNG in base64
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5"
PIXEL += "ErkJggg=="


def sent_outputs(browser, url: str) -> list[dict]:
    """The outputs a Voila page was sent (its page shows them, then removes what it read)."""
    page = browser.new_page()
    response = page.goto(url, timeout=120_000)
    page.wait_for_load_state("load")
    outputs = [json.loads(found) for found in OUTPUT_SCRIPT.findall(response.text())]
    page.goto("about:blank")  # leaving the page stops its kernel
    page.close()
    return outputs


def test_a_chart_is_sent_to_the_page_once_and_a_bare_picture_still_is(served, browser):
    # a chart's output holds its HTML (picture and alternative text) and the same picture as
    # PNG; the page shows the HTML, so the course's page template leaves the PNG out
    url, folder = served
    name = MODULE_1["folder"]
    outputs = sent_outputs(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    charts = [o for o in outputs if "<img" in o.get("data", {}).get("text/html", "")]
    assert charts, "the module's worked example shows no chart"
    assert [o for o in outputs if "image/png" in o.get("data", {})] == []
    assert all(o.get("trusted") for o in outputs)
    # an output that is only a picture, or HTML with no picture, is sent as it is
    cells = [
        f"from IPython.display import display\ndisplay({{'image/png': '{PIXEL}'}}, raw=True)",
        "display({'text/html': '<b>words</b>', 'text/plain': 'words'}, raw=True)",
    ]
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), folder / "pictures.ipynb")
    data = [o["data"] for o in sent_outputs(browser, f"{url}/voila/render/pictures.ipynb")]
    assert data == [{"image/png": PIXEL}, {"text/html": "<b>words</b>", "text/plain": "words"}]


def says_what_it_shows(alt: str | None) -> bool:
    """Whether a picture's alternative text says what it shows: more than "Chart" and a word
    or two, e.g. "Chart: Specialisation of Coastal Port by sector, 2020. 8 bars, ..."."""
    words = re.sub(r"^\s*chart\b\W*", "", alt or "", flags=re.I).split()
    return len(words) >= 3


def says_more_than_its_title(alt: str | None) -> bool:
    """Whether a picture's alternative text goes on after the chart's title, as a title with
    nothing else to name is all a chart drawn without its description gets: a further
    sentence or part, e.g. "... 8 bars, top to bottom: ..." or "...; 85 m3/day leave as
    effluent"."""
    text = re.sub(r"^\s*chart\b\W*", "", alt or "", flags=re.I).strip()
    return len([part for part in re.split(r"(?<=[.;:|])\s+", text) if part]) >= 2


def test_a_chart_described_by_its_title_alone_says_too_little():
    # the alternative text Module 3's worked example had: its Sankey diagram's title
    title_only = (
        "Chart: One dye house (invented numbers), m3/day band width is proportional to the flow"
    )
    assert says_what_it_shows(title_only) and not says_more_than_its_title(title_only)
    assert says_more_than_its_title(
        "Chart: Specialisation of Coastal Port by sector, 2020. 8 bars, top to bottom: Fishing"
    )
    assert says_more_than_its_title(
        "Sankey diagram of the dye house's water: 100 m3/day of well water enter the dye house; "
        "85 m3/day leave as effluent"
    )


def css_qid(question) -> str:
    """The question id carried by a question widget's ``eic-q-<qid>`` class."""
    classes = question.get_attribute("class").split()
    return next(c.removeprefix("eic-q-") for c in classes if c.startswith("eic-q-"))


@pytest.mark.parametrize("module", released_modules()[1:], ids=lambda m: m["id"])
def test_module_renders_with_charts_and_records_a_clicked_answer(served, browser, module):
    url, folder = served
    name = module["folder"]
    page, errors = open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    # the page draws its widgets one output after another, after its last request: on a
    # busy machine the first questions are there before the last ones
    page.wait_for_function("document.querySelectorAll('.eic-question').length >= 6", timeout=60_000)
    assert_clean(page)
    for explorer in page.locator(".eic-explorer").all():
        explorer.locator("img").first.wait_for(timeout=60_000)
        assert "<table" in explorer.inner_html()
    charts = page.locator("figure.eic-chart img")
    for chart in charts.all():
        assert len(chart.get_attribute("alt")) > 40
    # every figure, in the worked example as in the worksheet, has alternative text that
    # says what it shows
    images = page.locator("img")
    assert images.count() > 0
    unsaid = [
        alt for img in images.all() if not says_what_it_shows(alt := img.get_attribute("alt"))
    ]
    assert unsaid == [], f"pictures whose alternative text says little: {unsaid}"
    # and more than the chart's title: a Sankey diagram lists its flows, a bar chart its bars
    titles_only = [
        alt for img in images.all() if not says_more_than_its_title(alt := img.get_attribute("alt"))
    ]
    assert titles_only == [], f"pictures described by their title alone: {titles_only}"
    page.screenshot(path=str(folder.parent / f"{module['id']}.png"), full_page=True)

    question = page.locator(".eic-question:has(input[type=radio])").first
    qid = css_qid(question)
    option = question.locator("label:has(input[type=radio])").nth(1)
    choice = option.inner_text().strip()
    option.click()
    answers = folder / name / f"{module['id']}-answers.json"
    assert wait_for_answer(answers, qid) == choice
    assert_math_as_written(page, module)

    page.close()
    page, more_errors = open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    checked = page.locator(f".eic-q-{qid} input[type=radio]:checked")
    assert checked.evaluate("el => el.closest('label').innerText").strip() == choice
    assert errors + more_errors == []
    page.close()


def home_progress(browser, url: str, module_id: str, width: int = 1280) -> str:
    """A module's progress as the course home shows it in a window ``width`` pixels wide."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f"{url}/voila/render/index.ipynb", timeout=120_000)
    cell = page.locator(f".eic-progress-{module_id}")
    cell.wait_for(timeout=120_000)
    text = cell.inner_text().strip()
    # seen whole without scrolling sideways, and so is every module's title
    edge = page.evaluate("document.documentElement.clientWidth")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('table.eic-modules td')]
                 .filter(td => td.offsetParent !== null)
                 .map(td => td.getBoundingClientRect().right)"""
    )
    page.close()
    assert shown and max(shown) <= edge + 1, f"the table runs {max(shown) - edge:.0f} px past"
    return text


def test_course_home_progress_follows_the_answers(served, browser):
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m02")
    before = home_progress(browser, url, "m02")
    done, total = map(int, re.fullmatch(r"(\d+) of (\d+) answered", before).groups())
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    page.locator(".eic-q-q5_competitive_component").get_by_text(
        "Regional shift", exact=True
    ).click()
    answers = folder / module["folder"] / "m02-answers.json"
    assert wait_for_answer(answers, "q5_competitive_component") == "Regional shift"
    page.close()
    assert home_progress(browser, url, "m02") == f"{done + 1} of {total} answered"
    # and on a phone held upright
    assert home_progress(browser, url, "m02", PHONE) == f"{done + 1} of {total} answered"
    assert errors == []


def focus_inside(page, css: str, limit: int = 400) -> None:
    """Press Tab until the keyboard focus is inside the element ``css``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"!!document.activeElement.closest('{css}')"):
            return
    raise AssertionError(f"Tab never reached {css}")


def test_a_worksheet_can_be_completed_with_the_keyboard_alone(served, browser):
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m06")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    choices = ["q1_quadrant", "q2_broker", "q4_not_core", "q5_volume_leavers", "q6_ulsan"]
    for qid in choices:
        focus_inside(page, f".eic-q-{qid} input[type=radio]")
        page.keyboard.press("Space")  # choose the focused option
        page.keyboard.press("ArrowDown")  # and move the choice to the next one
    focus_inside(page, ".eic-q-q3_shapley_two input")
    page.keyboard.type("35,000")
    page.keyboard.press("Tab")  # leaving the field commits the answer
    focus_inside(page, ".eic-q-r1_reflection textarea")
    page.keyboard.type("Trust grows through regular meetings. " * 20)
    page.keyboard.press("Tab")
    answers = folder / module["folder"] / "m06-answers.json"
    for qid in choices:
        assert wait_for_answer(answers, qid)
    assert wait_for_answer(answers, "q3_shapley_two") == 35000
    assert wait_for_answer(answers, "r1_reflection").startswith("Trust grows")
    # every question and control the participant can reach has a visible label
    unlabelled = page.evaluate(
        """() => {
             const fields = '.eic-question input, .eic-question textarea, .eic-question select';
             const boxes = '.widget-inline-hbox, .widget-radio-box, .widget-box, label';
             return [...document.querySelectorAll(fields)].filter(el => {
               const box = el.closest(boxes);
               const text = (box ? box.innerText : '') + (el.getAttribute('aria-label') || '');
               return el.type !== 'hidden' && text.trim() === '';
             }).length;
           }"""
    )
    assert unlabelled == 0
    assert errors == []
    page.close()


def test_an_explorer_slider_moves_with_the_keyboard_and_redraws(served, browser):
    url, _folder = served
    module = next(m for m in released_modules() if m["id"] == "m02")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    explorer = page.locator(".eic-lq-explorer")
    readout = explorer.locator(".widget-readout")
    start = float(readout.inner_text())
    assert f"at a threshold of {start:.2f}" in explorer.inner_text()
    chart = explorer.locator("img")
    drawn = chart.get_attribute("src")
    focus_inside(page, ".eic-lq-explorer .noUi-handle")
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "start => parseFloat(document.querySelector('.eic-lq-explorer .widget-readout')"
        ".innerText) < start",
        arg=start,
        timeout=20_000,
    )
    moved = float(readout.inner_text())
    # the explorer redraws for the new threshold: its text and its chart both change
    page.wait_for_function(
        "text => document.querySelector('.eic-lq-explorer').innerText.includes(text)",
        arg=f"at a threshold of {moved:.2f}",
        timeout=30_000,
    )
    assert chart.get_attribute("src") != drawn
    assert chart.get_attribute("alt")
    assert errors == []
    page.close()


def test_a_pairwise_judgement_is_shown_whole_at_either_end_of_its_slider(served, browser):
    # the readout is the judgement itself ("Environmental benefit: 9x as important")
    url, _folder = served
    module = next(m for m in released_modules() if m["id"] == "m07")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    question = page.locator(".eic-question:has(.noUi-handle)").first
    handles = question.locator(".noUi-handle")
    readouts = question.locator(".widget-readout")
    for width in (1280, NARROW):
        page.set_viewport_size({"width": width, "height": 720})
        for key in ("ArrowRight", "ArrowLeft"):  # to one end of the scale, then the other
            handles.first.focus()
            for _ in range(16):
                page.keyboard.press(key)
            end = readouts.first.element_handle()
            page.wait_for_function("el => el.innerText.includes(': 9x')", arg=end, timeout=20_000)
            shown = readouts.first.evaluate("el => [el.innerText, el.scrollWidth, el.clientWidth]")
            assert shown[0].endswith(": 9x as important"), (width, key, shown)
            assert shown[1] <= shown[2] + 1, f"the judgement is cut short at {width}: {shown}"
    assert errors == []
    page.close()


def test_leaving_a_page_stops_its_kernel_and_keeps_the_last_answer(served, browser):
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m02")
    page, errors = open_module(browser, url, "m02")
    kernel = kernel_of(page)
    assert kernel_alive(url, kernel)
    # the kernel is busy redrawing the explorer when the answer is given and the page left
    focus_inside(page, ".eic-lq-explorer .noUi-handle")
    for _ in range(6):
        page.keyboard.press("ArrowLeft")
    question = page.locator(".eic-q-q4_threshold")
    option = question.locator("label:has(input[type=radio])").nth(2)
    choice = option.inner_text().strip()
    option.click(no_wait_after=True)
    page.goto(f"{url}/voila/render/index.ipynb", timeout=120_000)  # back to the course home
    answers = folder / module["folder"] / "m02-answers.json"
    assert wait_for_answer(answers, "q4_threshold") == choice
    assert kernel_stops(url, kernel), "the module's kernel still runs after the page was left"
    assert errors == []
    page.close()


def test_closing_a_pages_tab_stops_its_kernel(served, browser):
    # a closed tab (in Chromium) runs no "beforeunload", where Voila asks for the stop
    url, _folder = served
    page, errors = open_module(browser, url, "m01")
    kernel = kernel_of(page)
    assert kernel_alive(url, kernel)
    assert errors == []
    page.close(run_before_unload=True)
    assert kernel_stops(url, kernel), "the module's kernel still runs after its tab was closed"


def test_a_class_served_from_one_machine_keeps_each_participants_answers_apart(browser, tmp_path):
    """eic-course serve on a course with a roster: each participant opens their own course
    home and modules, and what one answers is neither shown to nor written over another's."""
    from conftest import copy_course

    course = copy_course(tmp_path / "course")
    (tmp_path / "roster.csv").write_text(
        "id,first_name,last_name,country,email\n"
        "ph-01,Maria,Santos,Philippines,maria@example.gov.ph\n"
        "vn-01,An,Nguyen,Viet Nam,an@example.gov.vn\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    cli = [sys.executable, "-m", "eic.cli"]
    imported = subprocess.run([*cli, "roster", "import", str(tmp_path / "roster.csv")],
                              cwd=course, env=env, capture_output=True, text=True)  # fmt: skip
    assert imported.returncode == 0, imported.stdout + imported.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    served = tmp_path / "serve.log"
    proc, log = start_server([*cli, "serve", "--port", str(port), "--ready-kernels", "2"],
                             cwd=course, env=env, log_path=served, ready_url=url)  # fmt: skip
    name, mid = MODULE_1["folder"], MODULE_1["id"]
    try:
        # the list is in the page the server sends, not built afterwards in the browser
        # (Voila's page that does so came up empty about one time in twelve)
        with urllib.request.urlopen(url, timeout=30) as response:
            listing = response.read().decode("utf-8")
        assert ">ph-01<" in listing and ">vn-01<" in listing, listing
        # the address the command prints lists the participants: each clicks their id
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(url, timeout=120_000)
        for pid in ("ph-01", "vn-01"):
            page.get_by_text(pid, exact=True).wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        assert [f for f in fetched if not f.startswith((url, "data:", "blob:"))] == []
        page.close()
        # the pages below take kernels the server keeps warmed for any participant's page
        deadline = time.monotonic() + 120
        while "Kernels kept ready for pages: 2" not in served.read_text():
            assert time.monotonic() < deadline, served.read_text()[-3000:]
            time.sleep(0.5)
        picks = {"ph-01": "Eco-industrial park", "vn-01": "Eco-town"}
        who = {"ph-01": "Maria Santos (ph-01)", "vn-01": "An Nguyen (vn-01)"}
        for pid, pick in picks.items():
            page, errors = open_app(browser, f"{url}/voila/render/{pid}/{name}/{name}.ipynb")
            assert f"Your answers are saved for {who[pid]}" in page.inner_text("body")
            question = page.locator(".eic-q-q3_match_type")
            # the other participant's answer is not shown here
            assert question.locator("input[type=radio]:checked").count() == 0, pid
            question.get_by_text(pick, exact=True).click()
            answers = course / "participants" / pid / name / f"{mid}-answers.json"
            assert wait_for_answer(answers, "q3_match_type") == pick
            page.goto("about:blank")
            page.close()
            assert errors == []
        for pid, pick in picks.items():  # each answer kept, each home counts its own
            answers = course / "participants" / pid / name / f"{mid}-answers.json"
            assert wait_for_answer(answers, "q3_match_type") == pick
            page = browser.new_page()
            page.goto(f"{url}/voila/render/{pid}/index.ipynb", timeout=120_000)
            page.locator(f".eic-progress-{mid}").wait_for(timeout=120_000)
            assert page.inner_text(f".eic-progress-{mid}").startswith("1 of "), pid
            assert f"The course of {who[pid]}" in page.inner_text("body")
            tabs: list[str] = []
            page.on("popup", lambda other, tabs=tabs: tabs.append(other.url))
            page.get_by_role("link", name="Back to the list").click()  # a wrong click undone,
            page.get_by_text("vn-01", exact=True).wait_for(timeout=60_000)  # in the same tab
            assert page.url.endswith("/voila/tree") and tabs == [], (page.url, tabs)
            page.close()
        assert not (course / "release" / name / f"{mid}-answers.json").exists()
        # each participant's module page ran in a kernel kept ready, moved to their folder
        for pid in picks:
            assert f"(kept ready) taken for {pid}/{name}" in served.read_text(), pid
    finally:
        stop_server(proc, log)
    assert "their answers stay apart" in (tmp_path / "serve.log").read_text()


def test_two_tabs_of_one_module_answering_in_turn_keep_every_answer(served, browser):
    # Each tab's kernel reads the answer file afresh before it writes, so neither writes back
    # an old copy over the other's answers. Saves truly at the same moment (which clicks in a
    # browser cannot make) are tested in test_answers.py, with processes writing at once.
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m04")
    address = f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    tabs = [open_app(browser, address)[0] for _ in range(2)]
    questions = [css_qid(q) for q in tabs[0].locator(".eic-question:has(input[type=radio])").all()]
    assert len(questions) >= 4
    chosen = {}
    for turn in range(2):  # each tab answers two questions, the clicks interleaved
        for n, page in enumerate(tabs):
            qid = questions[2 * turn + n]
            option = page.locator(f".eic-q-{qid} label:has(input[type=radio])").nth(turn)
            chosen[qid] = option.inner_text().strip()
            option.click(no_wait_after=True)
    answers = folder / module["folder"] / f"{module['id']}-answers.json"
    for qid, choice in chosen.items():
        assert wait_for_answer(answers, qid, expected=choice) == choice
    json.loads(answers.read_text(encoding="utf-8"))  # still one valid JSON document
    for page in tabs:
        page.close()


def test_a_yearbooks_xls_download_is_uploaded_as_it_is_and_analysed_in_voila(served, browser):
    # as a statistics office's website gives it: Excel 97-2003, a title, a heading over the
    # years, each region's name once above its sectors, and the source under the table
    rows = [
        ["Table 5. Employment by region and sector (persons)"],
        [],
        ["Region", "Sector", "Employment", None],
        [None, None, 2015, 2020],
        ["Ha Son", "Textiles", 2500, 3100],
        [None, "Services", 6000, 7200],
        ["Dak Mai", "Textiles", 1800, 1900],
        [None, "Services", 15000, 18500],
        [],
        ["Source: General Statistics Office"],
    ]
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m02")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    panel = page.locator(".eic-own-data")
    panel.scroll_into_view_if_needed()
    with page.expect_file_chooser() as chooser:
        panel.locator("button.widget-upload").click()
    content = old_workbook({"Employment": [row or [None] for row in rows]})
    chooser.value.set_files(
        {"name": "employment.xls", "mimeType": "application/vnd.ms-excel", "buffer": content}
    )
    ok = panel.locator(".eic-own-data-ok")
    ok.wait_for(timeout=60_000)
    said = " ".join(ok.inner_text().split())
    assert "rows 1 to 1" not in said and "row 1 above the header (row 3)" in said
    assert "rows 3 and 4 were read together as the header" in said
    assert "column 'region' was empty in 2 rows under a region's name (row 6, row 8)" in said
    assert "row 10 under the table looks like notes" in said
    panel.locator(".eic-explorer img").first.wait_for(timeout=60_000)
    saved = pd.read_csv(folder / module["folder"] / "m02-own-employment.csv")
    assert saved.groupby("region")["employment"].sum().to_dict() == {
        "Dak Mai": 37200, "Ha Son": 18800
    }  # fmt: skip
    assert errors == []
    page.close()


UPLOAD_OPTIONS = "Upload your table of investment options"  # Module 5's upload button


def own_data_template(page):
    """A module's "use your own data" panel, scrolled into view, and its CSV template as a
    participant downloads it."""
    panel = page.locator(".eic-own-data")
    panel.scroll_into_view_if_needed()
    with page.expect_download() as download:
        panel.get_by_text("the template as CSV").click()
    return panel, Path(download.value.path()).read_text(encoding="utf-8-sig")


def upload_own_table(page, panel, name: str, content: bytes) -> None:
    """Click the panel's upload button and choose a file, as a participant does."""
    with page.expect_file_chooser() as chooser:
        panel.locator("button.widget-upload").click()
    chooser.value.set_files({"name": name, "mimeType": "text/csv", "buffer": content})


def test_own_data_is_uploaded_checked_analysed_and_kept_in_voila(served, browser, tmp_path):
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m05")
    address = f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    page, errors = open_app(browser, address)
    panel, template = own_data_template(page)
    assert template.startswith("option,investment_usd,annual_saving_usd,life_years,")

    def upload(name: str, content: bytes) -> None:
        upload_own_table(page, panel, name, content)

    bad = template.replace("15000", "fifteen thousand", 1)
    upload("ours.csv", bad.encode())
    alert = panel.locator(".eic-own-data-problem")
    alert.wait_for(timeout=60_000)
    assert "row 2" in alert.inner_text() and "fifteen thousand" in alert.inner_text()
    saved = folder / module["folder"] / "m05-own-options.csv"
    assert not saved.exists()

    ours = template.replace("Steam trap repair", "Our steam trap repair")
    upload("ours.csv", ours.encode())
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    panel.locator(".eic-explorer img").wait_for(timeout=60_000)
    assert "Our steam trap repair" in panel.inner_text()
    # the button says what it is for, not ipywidgets' count of the files it holds
    assert panel.locator("button.widget-upload").inner_text().strip() == UPLOAD_OPTIONS
    assert "Our steam trap repair" in saved.read_text(encoding="utf-8")

    upload("empty.csv", b"")
    panel.locator(".eic-own-data-problem").wait_for(timeout=60_000)
    assert "empty" in panel.locator(".eic-own-data-problem").inner_text()
    assert panel.locator(".eic-explorer img").is_visible()  # the analysis stays
    assert "Our steam trap repair" in saved.read_text(encoding="utf-8")

    page.close()
    page, more_errors = open_app(browser, address)
    panel = page.locator(".eic-own-data")
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    assert "ours.csv" in panel.locator(".eic-own-data-ok").inner_text()
    assert "Our steam trap repair" in panel.inner_text()
    # not "(0)", as if the table just named had not been uploaded
    assert panel.locator("button.widget-upload").inner_text().strip() == UPLOAD_OPTIONS
    assert errors + more_errors == []
    page.close()


def test_own_instruments_are_checked_and_packaged_within_their_budget_in_voila(served, browser):
    # Module 7: a negative cost is refused with its row; the official's own instruments are
    # then scored, and "My priorities" before question 1 is answered says to answer it
    url, folder = served
    module = next(m for m in released_modules() if m["id"] == "m07")
    page, errors = open_module(browser, url, "m07")
    panel, template = own_data_template(page)
    assert template.startswith("instrument,stream,cost_usd_million,environmental_benefit,")

    def upload(name: str, content: bytes) -> None:
        upload_own_table(page, panel, name, content)

    upload("bad.csv", template.replace("Effluent charge,environmental,0.4",
                                       "Effluent charge,environmental,-0.4").encode())  # fmt: skip
    alert = panel.locator(".eic-own-data-problem")
    alert.wait_for(timeout=60_000)
    assert "row 8" in alert.inner_text() and "cannot be below 0" in alert.inner_text()
    assert not (folder / module["folder"] / "m07-own-instruments.csv").exists()

    upload("ours.csv", template.replace("CETP capital grant", "Our CETP grant").encode())
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    panel.locator(".eic-explorer img").wait_for(timeout=60_000)
    assert "Best package:" in panel.inner_text() and "Our CETP grant" in panel.inner_text()
    panel.get_by_role("button", name="My priorities (question 1)").click()
    panel.get_by_text("You have not answered question 1 yet").wait_for(timeout=60_000)
    assert (folder / module["folder"] / "m07-own-instruments.csv").exists()
    assert errors == []
    page.close()


def test_an_own_data_analysis_fits_a_phone(served, browser):
    # Module 6's analysis of a participant's firms has inputs with long labels ("Treatment
    # cost at the design flow, ..."): on a phone they ran past the screen's edge
    url, _folder = served
    module = next(m for m in released_modules() if m["id"] == "m06")
    page, errors = open_app(
        browser, f"{url}/voila/render/{module['folder']}/{module['folder']}.ipynb"
    )
    page.set_viewport_size({"width": PHONE, "height": 800})
    panel = page.locator(".eic-own-data")
    panel.scroll_into_view_if_needed()
    with page.expect_download() as download:
        panel.get_by_text("the template as CSV").click()
    template = Path(download.value.path()).read_bytes()
    with page.expect_file_chooser() as chooser:
        panel.locator("button.widget-upload").click()
    chooser.value.set_files({"name": "firms.csv", "mimeType": "text/csv", "buffer": template})
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    panel.locator(".eic-explorer img").first.wait_for(timeout=60_000)
    astray = page.evaluate(
        """() => [...document.querySelectorAll(
                   '.eic-own-data .widget-label, .eic-own-data input, .eic-own-data button')]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => el.getBoundingClientRect().right
                                 > document.documentElement.clientWidth + 1
                               || el.scrollWidth > el.clientWidth + 1)
                 .map(el => el.innerText || el.value)"""
    )
    assert astray == [], f"cut short or past the screen's edge: {astray}"
    assert errors == []
    page.close()


def test_a_rankings_order_is_written_out_whole_on_a_phone(served, browser):
    # a drop-down 350 px wide cuts Module 1's long events short ("Kalundborg: surface wat…");
    # under them the order chosen is written out in full, on a phone only
    url, _folder = served
    name = MODULE_1["folder"]
    page, errors = open_app(browser, f"{url}/voila/render/{name}/{name}.ipynb")
    ranking = page.locator(".eic-q-q5_timeline")
    order = ranking.locator(".eic-ranking-order")
    first, second = ranking.locator("select").nth(0), ranking.locator("select").nth(1)
    event = "Kalundborg: surface water piped from a lake to a new refinery"
    first.select_option(label="ADBI regional workshop on eco-industrial clusters, Tokyo")
    second.select_option(label=event)
    page.wait_for_function(
        "document.querySelector('.eic-q-q5_timeline .eic-ranking-order').innerText"
        ".includes('Kalundborg')"
    )
    assert not order.is_visible()  # on a wide screen the drop-downs show it whole
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.wait_for_timeout(500)
    assert order.is_visible()
    items = order.locator("li")
    assert items.all_inner_texts() == [
        "ADBI regional workshop on eco-industrial clusters, Tokyo",
        event,
    ]
    right = page.evaluate("document.documentElement.clientWidth")
    assert items.nth(1).evaluate("el => el.getBoundingClientRect().right") <= right
    assert items.nth(1).evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert errors == []
    page.close()
