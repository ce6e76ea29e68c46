"""Module notebooks in JupyterLab, driven in Chromium: Run All reaches the last question,
answers are recorded, the course home links every module, and a Voila page opened inside
the Jupyter server stops its kernel when left while JupyterLab still works."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    free_port,
    is_answer_file,
    kernel_alive,
    kernel_stops,
    released_modules,
    start_server,
    stop_server,
    wait_for_answer,
)

from eic.serve import READY_KERNEL_MANAGER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODULE_1 = released_modules()[0]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of release/, with its own settings, on a free local port."""
    base = tmp_path_factory.mktemp("lab")
    folder = base / "release"
    shutil.copytree(
        ROOT / "release", folder, ignore=lambda _d, names: [n for n in names if is_answer_file(n)]
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
    env["JUPYTER_CONFIG_DIR"] = str(base / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    # keep every cell in the page (no virtual scrolling); no news pop-up is the course's own
    # setting (eic.server_config), tested as such
    settings = base / "config" / "lab" / "user-settings" / "@jupyterlab"
    for extension, name, value in [
        ("notebook-extension", "tracker", {"windowingMode": "none"}),
    ]:
        (settings / extension).mkdir(parents=True, exist_ok=True)
        (settings / extension / f"{name}.jupyterlab-settings").write_text(json.dumps(value))
    url = f"http://127.0.0.1:{port}"
    proc, log = start_server(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={folder}",
        ],
        cwd=folder,
        env=env,
        log_path=base / "lab.log",
        ready_url=url + "/lab",
    )
    yield url, folder
    stop_server(proc, log)


def run_all(page) -> None:
    """Menu Run > Run All Cells, as a participant does."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li.lm-Menu-item", has_text="Run All Cells").first.click()


def accept_kernel_dialog(page, wait_s: float = 20) -> None:
    """On a slow start JupyterLab may ask which kernel to use, as a participant would see:
    accept the notebook's own (Python 3)."""
    deadline = time.time() + wait_s
    while time.time() < deadline:
        dialog = page.locator(".jp-Dialog button.jp-mod-accept")
        if dialog.count() and dialog.first.is_visible():
            dialog.first.click()
            return
        if page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count():
            page.wait_for_timeout(1000)  # a dialog may still follow the first idle state
            if not page.locator(".jp-Dialog").count():
                return
        page.wait_for_timeout(250)


def wait_for_kept_kernel(log_path: Path, timeout: float = 120) -> None:
    """Wait until a Jupyter server has a kernel kept ready that no page has taken yet (one at
    a time: the server logs each refill, and each kernel taken)."""
    deadline = time.monotonic() + timeout
    while True:
        said = log_path.read_text()
        if said.count("Kernels kept ready for pages") > said.count("(kept ready) taken for"):
            return
        assert time.monotonic() < deadline, said[-3000:]
        time.sleep(0.3)


def test_module_1_runs_all_in_jupyterlab_and_records_an_answer(lab, browser):
    url, folder = lab
    name = MODULE_1["folder"]
    # JupyterLab as scripts/start.sh opens it: the notebook takes the kernel kept ready
    wait_for_kept_kernel(folder.parent / "lab.log")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_and_run_all(page, url, folder, name)  # the run reaches the last question
    assert (
        page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).count()
        == 0
    )
    questions = page.locator(".eic-question")
    assert questions.count() >= 8
    # each unanswered question's test cell says so in one line, without a traceback
    messages = page.locator(".jp-OutputArea-output", has_text="not answered yet")
    assert messages.count() >= 7
    assert "Traceback" not in page.inner_text(".jp-NotebookPanel")

    question = page.locator(".eic-q-q3_match_type")
    question.scroll_into_view_if_needed()
    question.get_by_text("Eco-industrial park", exact=True).click()
    answers = folder / name / f"{MODULE_1['id']}-answers.json"
    assert wait_for_answer(answers, "q3_match_type") == "Eco-industrial park"
    # the line under the question, which said it was not answered, now says it is
    status = page.locator(".eic-status-q3_match_type .eic-status-now")
    status.filter(has_text="Question 3: answer recorded.").wait_for(timeout=10_000)
    assert messages.count() >= 6  # the other questions' lines are unchanged
    # recorded beside the notebook, by the kernel kept ready, moved to the notebook's folder
    assert f"(kept ready) taken for {name}" in (folder.parent / "lab.log").read_text()
    page.close()


def open_and_run_all(page, url: str, folder: Path, name: str, workspace: str = "") -> None:
    """Open a module in JupyterLab and run all of it, as a participant does; in a workspace
    of its own if one is named (the default one keeps the notebooks opened in it)."""
    where = f"workspaces/{workspace}/" if workspace else ""
    page.goto(f"{url}/lab/{where}tree/{name}/{name}.ipynb", timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    accept_kernel_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    run_all(page)
    # the run reaches the last question: no test cell stopped it
    try:
        page.wait_for_selector(".eic-q-r1_reflection", state="attached", timeout=90_000)
    except Exception:
        page.screenshot(path=str(folder.parent / "lab-failure.png"))
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        if any(p.strip() not in ("[ ]:", "") for p in prompts):
            raise  # cells ran, yet the last question never appeared
        run_all(page)  # the first click came before the kernel was connected: click again
        page.wait_for_selector(".eic-q-r1_reflection", state="attached", timeout=180_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator("li.lm-Menu-item", has_text=item).first.click()


def stop_kernels(page, module: str) -> None:
    """Stop the kernels of the notebooks whose path names ``module``, as closing them does."""
    page.evaluate(
        """async (module) => {
             for (const s of await (await fetch('/api/sessions')).json())
               if (s.path.includes(module))
                 await fetch('/api/sessions/' + s.id, {method: 'DELETE'});
           }""",
        module,
    )


def test_after_a_kernel_restart_each_question_says_its_answer_can_no_longer_be_saved(lab, browser):
    url, folder = lab
    name = MODULE_1["folder"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_and_run_all(page, url, folder, name)
    restarted = page.locator(".eic-status-q3_match_type .eic-status-restarted")
    assert not restarted.is_visible()
    menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    restarted.wait_for(state="visible", timeout=30_000)
    assert "can no longer be saved" in restarted.inner_text()
    assert "Run All Cells" in restarted.inner_text()
    assert not page.locator(".eic-status-q3_match_type .eic-status-now").is_visible()
    page.close()


def test_after_a_kernel_restart_an_explorer_and_the_own_data_panel_say_they_no_longer_answer(
    lab, browser
):
    url, folder = lab
    name = next(m for m in released_modules() if m["id"] == "m02")["folder"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_and_run_all(page, url, folder, name, workspace="restart-m02")
    notes = page.locator(":is(.eic-explorer, .eic-own-data) .eic-status-restarted")
    notes.first.wait_for(state="attached", timeout=60_000)
    assert notes.count() >= 2 and not any(n.is_visible() for n in notes.all())
    menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    explorer_note = page.locator(".eic-lq-explorer .eic-status-restarted")
    explorer_note.wait_for(state="visible", timeout=30_000)
    assert "no longer answers" in explorer_note.inner_text()
    assert "Run All Cells" in explorer_note.inner_text()
    assert page.locator(".eic-own-data .eic-status-restarted").first.is_visible()
    stop_kernels(page, "m02")  # as a participant's stops when they close the notebook
    page.close()


def test_the_upload_button_says_what_it_is_for_without_a_count_of_files(lab, browser):
    # JupyterLab's ipywidgets write the count of files held on the button: "(0)", "(1)"
    url, folder = lab
    name = next(m for m in released_modules() if m["id"] == "m02")["folder"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_and_run_all(page, url, folder, name, workspace="upload-m02")
    panel = page.locator(".eic-own-data")
    button = panel.locator("button.widget-upload")
    button.scroll_into_view_if_needed()
    page.wait_for_function(
        "b => b.innerText.trim() === 'Upload your employment table'", arg=button.element_handle()
    )
    template = folder.parent / "m02-template.csv"
    template.write_text("region,sector,year,employment\nNorth,Textiles,2020,300\n")
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(template))
    panel.locator(":is(.eic-own-data-ok, .eic-own-data-problem)").wait_for(timeout=60_000)
    assert button.inner_text().strip() == "Upload your employment table"
    stop_kernels(page, "m02")
    page.close()


# each checklist's rows: its question, and for each row its item's box and its buttons' boxes
CHECKLIST_ROWS = """() => [...document.querySelectorAll('.eic-question')].flatMap(q => {
  const grid = q.querySelector('.widget-gridbox');
  if (!grid) return [];
  const box = e => { const r = e.getBoundingClientRect(); return {left: Math.round(r.left),
    top: Math.round(r.top), bottom: Math.round(r.bottom)}; };
  const rows = [...grid.querySelectorAll('.widget-toggle-buttons')].map(buttons => ({
    item: box(buttons.previousElementSibling),
    buttons: [...buttons.querySelectorAll('button')].map(b => ({...box(b),
      cut: b.scrollWidth > b.clientWidth, text: b.innerText.trim()}))}));
  const qid = [...q.classList].find(c => c.startsWith('eic-q-')).slice(6);
  return [{qid, rows}];
})"""


def test_a_checklists_buttons_fit_a_laptop_each_option_in_one_place_in_every_row(lab, browser):
    # JupyterLab at 1366 x 768 with its file browser open: Module 8's checklists put each
    # row's last buttons on a second line, beside a wide column of items
    url, folder = lab
    module = next(m for m in released_modules() if m["id"] == "m08")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    open_and_run_all(page, url, folder, module["folder"], workspace="checklists-m08")
    checklists = {c["qid"]: c["rows"] for c in page.evaluate(CHECKLIST_ROWS)}
    assert set(checklists) == {"q1_field_visit", "q7_roadmap_terms", "q8_roadmap_leads"}
    for qid, rows in checklists.items():
        assert len(rows) >= 8, qid
        for row in rows:
            assert not any(b["cut"] for b in row["buttons"]), (qid, row)  # no "not obser..."
        # an option sits in the same place in every row, so the eye runs down its column
        places = {tuple(b["left"] for b in row["buttons"]) for row in rows}
        assert len(places) == 1, (qid, places)
    # the when and whether options fit on one line beside their item
    for qid in ("q1_field_visit", "q7_roadmap_terms"):
        for row in checklists[qid]:
            assert len({b["top"] for b in row["buttons"]}) == 1, (qid, row)
            assert row["item"]["left"] < row["buttons"][0]["left"], (qid, row)
    # the five agencies, too long to fit beside an item, go below it, whole
    for row in checklists["q8_roadmap_leads"]:
        assert row["item"]["bottom"] <= min(b["top"] for b in row["buttons"]), row
    stop_kernels(page, module["id"])
    page.close()


def test_a_notebook_saved_and_opened_again_shows_notes_not_widget_errors(lab, browser):
    url, folder = lab
    name = MODULE_1["folder"]
    path = folder / name / f"{name}.ipynb"
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    open_and_run_all(page, url, folder, name)
    drawn = page.locator(".eic-question").count()
    saved_before = path.stat().st_mtime_ns
    menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == saved_before:
        assert time.monotonic() < deadline, "the notebook was not saved"
        time.sleep(0.2)
    # the file keeps a note in each widget's place; the page keeps its working widgets
    saved = path.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" not in saved
    note = "Run the page (Run → Run All Cells) to show this question or chart again."
    assert saved.count(note) >= drawn
    assert page.locator(".eic-question").count() == drawn
    # saved again: JupyterLab takes the file as its own (no "File Changed" question)
    saved_once = path.stat().st_mtime_ns
    menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == saved_once:
        assert time.monotonic() < deadline, "the notebook was not saved again"
        assert not page.locator(".jp-Dialog").count(), page.inner_text(".jp-Dialog")
        time.sleep(0.2)
    assert not page.locator(".jp-Dialog").count()
    menu(page, "Kernel", "Shut Down Kernel")
    page.close()
    # the next day: the notebook opened again, before it is run
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{url}/lab/tree/{name}/{name}.ipynb", timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    accept_kernel_dialog(page)
    shown = page.locator(".jp-NotebookPanel .jp-OutputArea-output", has_text=note)
    assert shown.count() >= drawn
    assert "Error displaying widget" not in page.inner_text(".jp-NotebookPanel")
    page.close()


def test_the_course_home_opens_in_jupyterlab_with_links_to_every_module(lab, browser):
    url, _folder = lab
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{url}/lab/tree/index.ipynb?reset", timeout=120_000)  # a fresh workspace
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    accept_kernel_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    accept_kernel_dialog(page, wait_s=5)  # a kernel dialog may follow the first idle state
    run_all(page)
    try:
        page.wait_for_selector(".eic-progress-m08", state="attached", timeout=90_000)
    except Exception:
        run_all(page)  # the first click came before the kernel was connected
        page.wait_for_selector(".eic-progress-m08", state="attached", timeout=180_000)
    links = page.locator(".jp-OutputArea-output table a")
    assert links.count() == len(released_modules())
    assert "m01-eic-in-asia.ipynb" in (links.first.get_attribute("href") or "")
    assert "answered" in page.inner_text(".eic-progress-m01")
    # JupyterLab asked nothing about "official Jupyter news": the course's setting says no
    assert page.get_by_text("Jupyter news").count() == 0
    shown = page.evaluate(
        """async () => (await fetch(
             '/lab/api/settings/@jupyterlab/apputils-extension:notification')).json()"""
    )
    defaults = shown["schema"]["properties"]  # the course's settings are JupyterLab's defaults
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False
    page.close()


def test_a_voila_page_inside_jupyter_stops_its_kernel_when_left_and_lab_still_works(
    browser, tmp_path
):
    """As on Binder's Voila badge: the Jupyter server serves Voila with the course's settings
    (voila.json beside the course, as in the repository) and a page is the first thing
    opened, so no cookie exists yet. Leaving the page stops its kernel, and JupyterLab's own
    requests, opened afterwards in the same browser, are still accepted."""
    shutil.copytree(
        ROOT / "release",
        tmp_path / "release",
        ignore=lambda _d, names: [n for n in names if is_answer_file(n)],
    )
    shutil.copy(ROOT / "voila.json", tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    proc, log = start_server(
        [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
         "--IdentityProvider.token=", "--ServerApp.password=",
         # as binder/postBuild sets (eic.server_config)
         f"--ServerApp.kernel_manager_class={READY_KERNEL_MANAGER}",
         "--ReadyKernelManager.ready=1",
         f"--ServerApp.root_dir={tmp_path}"],
        cwd=tmp_path, env=env, log_path=tmp_path / "server.log", ready_url=url + "/api",
    )  # fmt: skip
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/voila/render/release/index.ipynb", timeout=120_000)
        page.locator(".eic-progress-m01").wait_for(timeout=120_000)
        kernel = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
        assert kernel_alive(url, kernel)
        page.goto("about:blank")
        assert kernel_stops(url, kernel), "the page's kernel still runs after it was left"
        # a request as JupyterLab sends it: the cookie, and its value in a header
        token = next(c["value"] for c in context.cookies() if c["name"] == "_xsrf")
        request = urllib.request.Request(
            f"{url}/api/kernels",
            data=b"{}",
            method="POST",
            headers={"Cookie": f"_xsrf={token}", "X-XSRFToken": token,
                     "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as reply:
            status = reply.status
        assert status == 201
        context.close()
    finally:
        stop_server(proc, log)
    # no request was refused (the server logs each as "403 POST /path"); a kernel's id may
    # hold the digits 403 too, so the status is looked for where the log puts it
    refused = re.findall(r"\b403 (?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+",
                         (tmp_path / "server.log").read_text())  # fmt: skip
    assert not refused, refused
