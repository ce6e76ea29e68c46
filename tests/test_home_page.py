"""The course home as a participant and a self-learner use it: a module opens in the home's
own tab (so Back returns to the home), the modules with a "Use your own data" panel are
marked, and the home says where answers, own tables and the country report are kept."""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil

import nbformat
import pytest
from conftest import ROOT, free_port, is_answer_file, start_server, stop_server, wait_for_answer

from eic.answers import answer_file_name
from eic.course import has_own_data_panel, module_map, syllabus
from eic.report_files import write_report
from eic.serve import voila_command

HOME = ROOT / "release" / "index.ipynb"
# the README: "Modules 2 to 7 end with a use your own data panel"
OWN_DATA_MODULES = {"m02", "m03", "m04", "m05", "m06", "m07"}


def home_text() -> str:
    return "\n".join(c.source for c in nbformat.read(HOME, as_version=4).cells)


def module_rows(html: str) -> dict[str, str]:
    """Each module's row of the table, by its id."""
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    return {
        m["id"]: next(r for r in rows if f"{m['folder']}.ipynb" in r) for m in syllabus()["modules"]
    }


def test_every_module_link_opens_in_the_home_s_own_tab():
    # without a target, the app view opened each module in a new tab, where Back does nothing
    html = module_map(link_from=ROOT / "release")
    links = re.findall(r"<a href='m\d\d-[^']+\.ipynb'[^>]*>", html)
    assert len(links) == len(syllabus()["modules"])
    assert all("target='_self'" in link for link in links), links


def test_the_modules_with_an_own_data_panel_are_marked_in_the_table():
    rows = module_rows(module_map(link_from=ROOT / "release"))
    marked = {mid for mid, row in rows.items() if "Use your own data" in row}
    assert marked == OWN_DATA_MODULES


def test_a_module_notebook_without_the_panel_is_not_marked_for_own_data(tmp_path):
    shutil.copytree(ROOT / "release" / "m02-clusters-competitiveness", tmp_path / "m02x")
    notebook = tmp_path / "m02x" / "m02-clusters-competitiveness.ipynb"
    assert has_own_data_panel(notebook)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"] = [
        c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        != "own_data_panel"
    ]  # fmt: skip
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    assert not has_own_data_panel(notebook)


def test_the_home_says_how_to_come_back_to_it():
    text = home_text()
    assert "**Back**" in text
    assert "Start with Module 1" in text


def test_the_home_explains_the_progress_column_in_plain_words():
    text = home_text()
    assert '"3 of 9 answered" means that you have answered 3' in text
    assert "recorded answer" not in text  # the word a programmer would use


def test_the_home_names_the_files_a_self_learner_keeps_as_the_course_writes_them():
    text = home_text()
    assert f"`{answer_file_name('m01')}` in folder `m01-eic-in-asia`" in text
    stem = inspect.signature(write_report).parameters["stem"].default
    assert f"`{stem}.html`" in text and f"`{stem}.docx`" in text
    assert "Module 8's folder" in text
    assert "Use your own data" in text and "Modules 2 to 7" in text


def test_the_start_commands_the_home_names_are_the_course_s_own():
    text = home_text()
    for command in re.findall(r"`((?:bash|py|python3) scripts[\\/][\w.]+)`", text):
        script = command.split(" ", 1)[1].replace("\\", "/")
        assert (ROOT / script).is_file(), command
    assert "bash scripts/start.sh" in text


@pytest.mark.browser
@pytest.mark.slow
def test_back_from_a_module_returns_to_the_home_with_the_new_answer_counted(tmp_path, browser):
    folder = tmp_path / "release"
    shutil.copytree(
        ROOT / "release", folder, ignore=lambda _d, names: [n for n in names if is_answer_file(n)]
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc, log = start_server(
        voila_command(folder, ip="127.0.0.1", port=port, pool_size=None, cull_after_minutes=None),
        cwd=folder,
        env={k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")},
        log_path=tmp_path / "voila.log",
        ready_url=url,
    )
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        tabs: list[str] = []
        page.on("popup", lambda other: tabs.append(other.url))
        page.goto(f"{url}/voila/render/index.ipynb", timeout=120_000)
        page.locator(".eic-progress-m01").wait_for(timeout=120_000)
        assert page.inner_text(".eic-progress-m01").startswith("0 of ")
        page.locator("table.eic-modules a").first.click()
        page.wait_for_url("**/m01-eic-in-asia.ipynb", timeout=60_000)
        question = page.locator(".eic-question:has(input[type=radio])").first
        question.wait_for(timeout=120_000)
        question.locator("label:has(input[type=radio])").first.click()
        qid = re.search(r"eic-q-(\S+)", question.get_attribute("class") or "").group(1)
        wait_for_answer(folder / "m01-eic-in-asia" / answer_file_name("m01"), qid)
        page.go_back(timeout=120_000)
        page.locator(".eic-progress-m01").wait_for(timeout=120_000)
        assert page.url.endswith("/voila/render/index.ipynb")
        assert page.inner_text(".eic-progress-m01").startswith("1 of ")
        assert tabs == []  # no new tab was opened
        # a module opened from a bookmark has a link back to the home at its top
        page.goto(f"{url}/voila/render/m02-clusters-competitiveness/"
                  "m02-clusters-competitiveness.ipynb", timeout=120_000)  # fmt: skip
        page.locator(".eic-question").first.wait_for(timeout=120_000)
        home = page.get_by_role("link", name="Course home")
        assert home.count() == 1 and home.bounding_box()["y"] < 200
        home.click()
        page.locator(".eic-progress-m01").wait_for(timeout=120_000)
        assert page.url.endswith("/voila/render/index.ipynb")
        assert page.inner_text(".eic-progress-m01").startswith("1 of ")
        assert page.get_by_role("link", name="Course home").count() == 0  # not on the home
        assert tabs == []
        page.close()
    finally:
        stop_server(proc, log)


HANDBOOK = ROOT / "course" / "participant-handbook.md"


def handbook_section(title: str) -> str:
    text = HANDBOOK.read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_handbook_says_how_to_get_back_to_the_course_home_in_the_app_view():
    voila = next(
        line
        for line in handbook_section("1. Open the course").split("\n- ")
        if line.startswith("**Voila**")
    )
    assert "the course home" in voila and "**Back**" in voila


def test_the_handbook_explains_the_progress_column():
    assert '"3 of 9 answered" means 3 of' in handbook_section("1. Open the course")


def test_the_handbook_tells_a_self_learner_where_their_work_is_kept():
    alone = handbook_section("Working alone")
    stem = inspect.signature(write_report).parameters["stem"].default
    assert f"`{stem}.html`" in alone and "`.docx`" in alone and "Module 8's folder" in alone
    assert "README" in alone and "come back" in alone


def test_the_handbook_says_when_to_hand_in_own_data_files_in_plain_words():
    own = handbook_section("Your own data (optional)")
    assert "When you download," not in own  # read as "when you download the template"
    assert "If you hand in by download" in own


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"### {title}\n", 1)[1].split("\n#", 1)[0]


def test_the_readme_tells_a_self_learner_how_to_come_back_and_where_their_work_is():
    alone = readme_section("Working alone, on your own computer")
    assert "bash scripts/start.sh" in alone and "come back later" in alone
    where = dict(re.findall(r"^\| ([^|]+?) \| (.+?) \|$", alone, re.M))
    answers = next(v for k, v in where.items() if k.startswith("answers"))
    assert f"m01-eic-in-asia/{answer_file_name('m01')}" in answers
    own = next(v for k, v in where.items() if "own cluster" in k)
    own_name = re.search(r"`m02-clusters-competitiveness/(m02-own-[\w-]+\.csv)`", own).group(1)
    assert own_name.startswith("m02-own-")  # as the country report looks for it (eic.report)
    report = next(v for k, v in where.items() if "country report" in k)
    stem = inspect.signature(write_report).parameters["stem"].default
    assert f"m08-country-strategy/{stem}.html" in report and f"`{stem}.docx`" in report
    # each module's folder named there is one the course has
    for folder in re.findall(r"`(m0\d-[a-z-]+)/", alone):
        assert (ROOT / "release" / folder).is_dir(), folder


def test_the_readme_says_back_returns_to_the_course_home_and_what_progress_means():
    steps = (ROOT / "README.md").read_text(encoding="utf-8").split("## Working through a module")[1]
    first = steps.split("\n2. ", 1)[0]
    assert "Back button returns to the home" in first
    assert '"3 of 9 answered": 3 of the' in first


def test_the_home_says_as_the_handbook_does_that_the_app_view_needs_no_submitting():
    # the handbook: "In Voila: nothing to do: your trainer collects your folder"
    assert "**In Voila:** nothing to do" in HANDBOOK.read_text(encoding="utf-8")
    step = next(line for line in home_text().splitlines() if line.startswith("4. "))
    assert "In the app view (Voila) there is nothing to do" in step


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("served", ["the notebook", "its folder"])
def test_a_module_served_alone_has_no_link_to_a_home_that_is_not_there(tmp_path, browser, served):
    folder = tmp_path / "m01-eic-in-asia"
    shutil.copytree(
        ROOT / "release" / folder.name, folder,
        ignore=lambda _d, names: [n for n in names if is_answer_file(n)],
    )  # fmt: skip
    notebook = folder / f"{folder.name}.ipynb"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = voila_command(folder, ip="127.0.0.1", port=port, pool_size=None,
                            cull_after_minutes=None)  # fmt: skip
    page_url = f"{url}/voila/render/{notebook.name}"
    if served == "the notebook":  # voila m01.ipynb: the notebook at the server's root
        command[-1] = str(notebook)
        page_url = f"{url}/"
    proc, log = start_server(
        command, cwd=folder,
        env={k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")},
        log_path=tmp_path / "voila.log", ready_url=url + "/voila/static/voila.js",
    )  # fmt: skip
    try:
        page = browser.new_page()
        page.goto(page_url, timeout=120_000)
        page.locator(".eic-question").first.wait_for(timeout=120_000)
        assert page.get_by_role("link", name="Course home").count() == 0
        assert page.locator("nav.eic-home-link").count() == 0
        page.close()
    finally:
        stop_server(proc, log)
