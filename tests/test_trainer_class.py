"""A workshop end to end in a temporary course, with eight participants and two modules:
roster (with a bad row), release, collect (with files that match no one), parallel grading
(with a submission that loops forever and one that kills its kernel) interrupted by Ctrl-C
and completed by a second run, with the same grades as nbgrader's serial autograde,
feedback without hidden tests, exported totals, and the class dashboard, run headless and
rendered in Voila."""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from conftest import ROOT, copy_course, released_modules, run_notebook
from conftest import run_cli as cli
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook

pytestmark = pytest.mark.slow
M01, M02 = (m for m in released_modules() if m["id"] in ("m01", "m02"))
ROSTER = [
    ("ph-01", "Maria", "Santos", "Philippines", "maria@example.org"),
    ("ph-02", "Jose", "Reyes", "Philippines", "jose@example.org"),
    ("vn-01", "An", "Nguyen", "Viet Nam", "an@example.org"),
    ("th-01", "Somchai", "Dee", "Thailand", "somchai@example.org"),
    ("in-01", "Priya", "Rao", "India", "priya@example.org"),
    ("lk-01", "Nimal", "Perera", "Sri Lanka", "nimal@example.org"),
    ("pk-01", "Sana", "Khan", "Pakistan", "sana@example.org"),
    ("mn-01", "Bat", "Erdene", "Mongolia", "bat@example"),  # a bad e-mail: row 9
]
# What each participant does in both modules: which questions (by position) they leave
# unanswered or answer wrongly; lk-01 and pk-01 submit module 1 only, with a cell added.
PLAN = {
    "ph-01": ((), ()),
    "ph-02": ((0,), ()),
    "vn-01": ((0, 1), ()),
    "th-01": ((0, 1, 2), ()),
    "in-01": ((), (0,)),
}
EXTRA_CELL = {"lk-01": "while True:\n    pass", "pk-01": "import os\nos._exit(1)"}
TIMEOUT = "15"


def grade_cli(course: Path, *argv: str) -> list[str]:
    eic_course = [sys.executable, "-m", "eic.cli"]
    return [*eic_course, "grade", *argv, "--timeout", TIMEOUT, "--course", str(course)]


def test_cells_of(module: dict) -> dict[str, float]:
    """Autograded test cells of the source notebook: grade id -> points."""
    nb = nbformat.read(ROOT / "source" / module["folder"] / f"{module['folder']}.ipynb", 4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells if c.cell_type == "code"]
    return {m["grade_id"]: m["points"] for m in meta if m.get("grade") and not m.get("solution")}


test_cells_of.__test__ = False


def answers_for(pid: str, model: dict) -> tuple[dict, set[str]]:
    """A participant's recorded answers, and the questions they got right."""
    questions = sorted(q for q in model if q.startswith("q"))
    blank, wrong = PLAN.get(pid, ((), ()))
    answers = {q: model[q] for i, q in enumerate(questions) if i not in blank}
    for i in wrong:
        answers[questions[i]] = {**model[questions[i]], "value": "a wrong answer"}
    answers["r1_reflection"] = model["r1_reflection"]
    right = {q for i, q in enumerate(questions) if i not in blank and i not in wrong}
    return answers, right


def expected_score(module: dict, right: set[str]) -> float:
    return sum(p for gid, p in test_cells_of(module).items() if gid.removesuffix("_test") in right)


def write_downloads(course: Path, module: dict, model: dict, dest: Path) -> dict[str, set[str]]:
    """Files as a learning platform would give them, named in each of the ways collect
    accepts, plus files that belong to no one. Returns each participant's right answers."""
    folder, mid = module["folder"], module["id"]
    notebook = course / "release" / folder / f"{folder}.ipynb"
    dest.mkdir(parents=True)
    rights = {}
    for pid, first, last, *_ in ROSTER[:-1]:
        if pid in EXTRA_CELL and mid != "m01":
            continue
        answers, rights[pid] = answers_for(pid, model)
        payload = json.dumps({"module": mid, "format": 1, "answers": answers})
        nb = nbformat.read(notebook, 4)
        if pid in EXTRA_CELL:
            nb.cells.insert(1, new_code_cell(EXTRA_CELL[pid]))
        text = nbformat.writes(nb)
        if pid == "ph-02":  # a zip of the module folder
            with zipfile.ZipFile(dest / f"ph-02_{mid}.zip", "w") as archive:
                archive.writestr(f"{folder}/{folder}.ipynb", text)
                archive.writestr(f"{folder}/{mid}-answers.json", payload)
            continue
        where = {
            "vn-01": dest / "vn-01",
            "th-01": dest / f"{first} {last}_4411_assignsubmission_file_",
        }
        place, prefix = where.get(pid, dest), "" if pid in where else f"{pid}_"
        place.mkdir(exist_ok=True)
        (place / f"{prefix}{folder}.ipynb").write_text(text)
        (place / f"{prefix}{mid}-answers.json").write_text(payload)
    (dest / f"zz-99_{folder}.ipynb").write_text(notebook.read_text())
    (dest / "ph-01_slides.pdf").write_bytes(b"%PDF")
    if mid == "m02":  # the table of ph-01's own region, from the "use your own data" panel
        (dest / "ph-01_m02-own-employment.csv").write_text(OWN_EMPLOYMENT)
    return rights


OWN_EMPLOYMENT = "region,sector,year,employment\nCalabarzon,Electronics,2020,410000\n"


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, model_answers):
    base = tmp_path_factory.mktemp("workshop")
    course = copy_course(base / "course", release=False)
    shutil.copytree(ROOT / "trainer", course / "trainer")
    roster = base / "roster.csv"
    lines = ["id,first_name,last_name,country,email"] + [",".join(r) for r in ROSTER]
    roster.write_text("\n".join(lines) + "\n")
    w = SimpleNamespace(course=course, base=base, out={}, rights={})
    w.out["import"] = cli("roster", "import", str(roster), "--course", str(course))
    roster.write_text(roster.read_text().replace("bat@example\n", "bat@example.mn\n"))
    w.out["reimport"] = cli("roster", "import", str(roster), "--course", str(course))
    for module in (M01, M02):
        mid = module["id"]
        w.out[f"release {mid}"] = cli("release", mid, "--course", str(course))
        downloads = base / "downloads" / mid
        w.rights[mid] = write_downloads(course, module, model_answers[mid]["answers"], downloads)
        w.out[f"collect {mid}"] = cli(
            "collect", mid, "--from", str(downloads), "--course", str(course)
        )
    shutil.copytree(course, base / "serial", symlinks=True)
    return w


@pytest.fixture(scope="module")
def graded(workshop):
    """Grade the class as a trainer might: start, press Ctrl-C once a submission is graded,
    look at the gradebook, then run the same command again to finish."""
    command = grade_cli(workshop.course, "all", "--jobs", "2")
    run = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    first = run.stdout.readline()  # the first submission graded
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    interrupted = first + run.communicate(timeout=120)[0]
    with contextlib.closing(sqlite3.connect(workshop.course / "gradebook.db")) as db:
        sound = db.execute("pragma integrity_check").fetchall() == [("ok",)]
        done = db.execute("select count(*) from eic_autograde").fetchone()[0]
        graded_ok = db.execute(
            "select count(*) from eic_autograde where status = 'graded'"
        ).fetchone()[0]
    again = subprocess.run(command, capture_output=True, text=True, timeout=900)
    # pk-01's notebook kills its kernel: it fails in whichever run grades it, and a
    # submission not graded is tried again by the next run, so the second run fails it
    assert again.returncode == 1, again.stdout + again.stderr
    finished = re.findall(
        r"^\[.*\d+/\d+\s+(m0\d)\s+(\S+)\s+(.*)$", interrupted + again.stdout, re.M
    )
    return SimpleNamespace(
        status=run.returncode,
        interrupted=interrupted,
        sound=sound,
        done=done,
        graded_ok=graded_ok,
        again=again.stdout,
        lines={(mid, pid): line for mid, pid, line in finished},
    )


def gradebook_state(course: Path, folder: str) -> dict:
    """Per participant: total score and each grade's automatic score and review flag."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "eic") as gb:
        return {
            s.student_id: (
                s.score,
                sorted(
                    (g.name, g.auto_score, g.needs_manual_grade)
                    for n in s.notebooks
                    for g in n.grades
                ),
                sorted((c.name, c.auto_comment) for n in s.notebooks for c in n.comments),
            )
            for s in gb.assignment_submissions(folder)
        }


def test_roster_import_reports_the_bad_row_and_updates_without_duplicates(workshop):
    status, text = workshop.out["import"]
    assert status == 1
    assert "7 participant(s) added" in text
    assert "row 9 (id 'mn-01'): email 'bat@example' is not an e-mail address" in text
    assert workshop.out["reimport"] == (0, "1 participant(s) added, 0 updated, 7 unchanged.\n")
    with Gradebook(f"sqlite:///{workshop.course / 'gradebook.db'}", "eic") as gb:
        assert sorted(s.id for s in gb.students) == sorted(r[0] for r in ROSTER)


def test_release_checks_that_the_blank_notebook_fails_every_test(workshop):
    for module in (M01, M02):
        status, text = workshop.out[f"release {module['id']}"]
        assert status == 0
        assert f"fails all {len(test_cells_of(module))} tests, as it should" in text


def test_collect_matches_files_to_participants_and_lists_the_rest(workshop):
    status, text = workshop.out["collect m01"]
    assert status == 1  # files were left out, and they are listed
    assert "collected 7 participant(s)" in text
    assert (
        "zz-99_m01-eic-in-asia.ipynb: its name and folders start with no participant's id" in text
    )
    assert "ph-01_slides.pdf: ph-01's file, but not one of" in text
    assert "No submission from: mn-01" in text
    for pid in ["ph-01", "ph-02", "vn-01", "th-01", "in-01", "lk-01", "pk-01"]:
        folder = workshop.base / "serial" / "submitted" / pid / M01["folder"]
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [f"{M01['folder']}.ipynb", "m01-answers.json"]
        )


def test_collect_keeps_a_participants_own_data_table_with_the_module(workshop):
    status, text = workshop.out["collect m02"]
    collected, _, left_out = text.partition("not collected")
    assert "m02-own-employment.csv" in collected
    assert "ph-01_m02-own-employment.csv" not in left_out
    folder = workshop.base / "serial" / "submitted" / "ph-01" / M02["folder"]
    assert (folder / "m02-own-employment.csv").read_text() == OWN_EMPLOYMENT


def test_parallel_grading_reports_each_participant_and_stops_the_broken_ones(workshop, graded):
    lines = graded.lines
    assert len(lines) == 12  # 7 + 5 submissions, each reported once
    assert "ran past the 15 s limit and was stopped" in lines[("m01", "lk-01")]
    assert "FAILED: its kernel stopped" in lines[("m01", "pk-01")]
    state = {m["id"]: gradebook_state(workshop.course, m["folder"]) for m in (M01, M02)}
    for module in (M01, M02):
        for pid, right in workshop.rights[module["id"]].items():
            expected = 0.0 if pid == "pk-01" else expected_score(module, right)
            assert state[module["id"]][pid][0] == expected, (module["id"], pid)
            if pid != "pk-01":
                assert f"graded {expected:g}/" in graded.lines[(module["id"], pid)]


def test_parallel_scores_equal_serial_nbgrader_autograde(workshop, graded):
    serial = workshop.base / "serial"
    for pid in ["ph-02", "vn-01", "lk-01"]:  # fewer submissions, for time; the rest compare
        shutil.rmtree(serial / "submitted" / pid / M01["folder"])
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "autograde",
            M01["folder"],
            f"--Execute.timeout={TIMEOUT}",
        ],
        cwd=serial,
        capture_output=True,
        timeout=900,
    )  # its status is 1: pk-01 could not be graded
    expected = gradebook_state(serial, M01["folder"])
    assert sorted(expected) == ["in-01", "ph-01", "pk-01", "th-01"]
    parallel = gradebook_state(workshop.course, M01["folder"])
    assert {pid: parallel[pid] for pid in expected} == expected


def test_an_interrupted_run_leaves_a_sound_gradebook_and_a_rerun_completes_it(graded):
    assert graded.status == 130, graded.interrupted
    assert "Run the same command again to grade the rest" in graded.interrupted
    assert graded.sound
    assert 1 <= graded.done < 12
    # what was graded is not graded again; what failed (pk-01) is
    if graded.graded_ok:
        assert f"Already graded from the same files (skipped): {graded.graded_ok}" in graded.again
    assert f"of {12 - graded.graded_ok} to grade" in graded.again
    assert "Not graded: m01 pk-01. What nbgrader said" in graded.again


HIDDEN = r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS"


def visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def test_feedback_reveals_no_hidden_test(workshop, graded):
    status, text = cli("feedback", "all", "--course", str(workshop.course))
    assert status == 0, text
    for module in (M01, M02):
        folder = module["folder"]
        nb = nbformat.read(ROOT / "source" / folder / f"{folder}.ipynb", 4)
        regions = [r for c in nb.cells for r in re.findall(HIDDEN, c.source, re.S)]
        shown_anyway = " ".join(
            " ".join(re.sub(HIDDEN, "", c.source, flags=re.S).split()) for c in nb.cells
        )
        # lines of hidden tests that appear nowhere else in the notebook
        hidden = {" ".join(line.split()) for region in regions for line in region.splitlines()}
        hidden = [line for line in hidden if len(line) > 12 and line not in shown_anyway]
        assert hidden
        pages = sorted((workshop.course / "feedback").glob(f"*/{folder}/{folder}.html"))
        assert len(pages) == (6 if module is M01 else 5)  # pk-01 has no autograded notebook
        for page in pages:
            shown = visible_text(page.read_text())
            assert "assert_choice" not in shown and "### BEGIN" not in shown
            assert not [line for line in hidden if line in shown], page
    page = workshop.course / "feedback" / "in-01" / M01["folder"] / f"{M01['folder']}.html"
    in01 = visible_text(page.read_text())
    assert "Question 1: the recorded answer is not the expected one." in in01
    # written for officials who do not program: each score named by its question, no code
    assert "Question 1 (Score: 0.0 / 1.0)" in in01
    assert "Reflection (Score: 0.0 / 2.0)" in in01
    for code in ("ws.single_choice(", "grading.answered(", "Worksheet(", "Test cell", "Grade cell",
                 "AssertionError", "Student's task", "q1_not_foundation"):  # fmt: skip
        assert code not in in01, code
    assert "Question 1 (single choice): " in in01  # the answer recorded, named as scored
    assert "Your trainer" in in01 or "four foundations" in in01  # the readings are still there


def test_export_totals_per_participant_and_per_country(workshop, graded, tmp_path):
    out = tmp_path / "grades.csv"
    status, said = cli("export", "--output", str(out), "--course", str(workshop.course))
    assert status == 0
    assert f"Not graded yet, left blank: {M01['folder']} pk-01 (" in said
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert len(rows) == 8
    totals = {}
    for pid, *_ in ROSTER:
        scores = []
        for module in (M01, M02):
            right = workshop.rights[module["id"]].get(pid)
            value = rows[pid][module["folder"]]
            if right is None:
                assert value == ""  # not submitted
                scores.append(0.0)
            elif pid == "pk-01":  # submitted, but its grading failed: no score yet
                assert value == "" and rows[pid]["not_graded"] == module["folder"]
                scores.append(0.0)
            else:
                scores.append(expected_score(module, right))
                assert float(value) == scores[-1]
        totals[pid] = sum(scores)
        assert float(rows[pid]["total"]) == totals[pid]
    by_country = csv.DictReader(out.with_name("grades-by-country.csv").open(encoding="utf-8-sig"))
    countries = {r["country"]: r for r in by_country}
    assert countries["Philippines"]["participants"] == "2"
    assert float(countries["Philippines"]["mean_total"]) == (totals["ph-01"] + totals["ph-02"]) / 2
    assert countries["Philippines"][f"{M02['folder']}_submitted"] == "2"


def test_dashboard_runs_over_the_gradebook_with_the_class_numbers(workshop, graded):
    from eic.trainer.classdata import load_class
    from eic.trainer.course import Course

    data = load_class(Course(workshop.course))
    shares = data.questions.set_index(["module", "question"])["share_right"]
    for module in (M01, M02):
        rights = workshop.rights[module["id"]]
        graded_ids = [pid for pid in rights if pid != "pk-01"]  # pk-01 could not be graded
        for gid in test_cells_of(module):
            right = sum(gid.removesuffix("_test") in rights[pid] for pid in graded_ids)
            assert shares[(module["id"], gid)] == pytest.approx(100 * right / len(graded_ids))
    nb = run_notebook(workshop.course / "trainer" / "dashboard.ipynb")
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    shown = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<b>8</b> participants from <b>7</b> economies" in shown
    assert shown.count("Save chart (PNG)") == 5  # completion, scores, progress, 2 modules
    assert shown.count("Save table (CSV)") == 2
    # graded from downloads, not served from this machine: no answers-so-far table
    assert "No class is served from this machine" in shown
    assert "Q1 not foundation (33%)" in shown  # 2 of 6 graded got it right


@pytest.mark.browser
def test_dashboard_renders_in_voila_and_its_charts_can_be_saved(workshop, graded, tmp_path):
    from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server
    from playwright.sync_api import sync_playwright
    from test_browser import NARROW

    from eic.serve import voila_command

    folder = workshop.course / "trainer"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
    # the trainer folder served as the course's pages are (template, extensions left out)
    proc, log = start_server(
        voila_command(folder, ip="127.0.0.1", port=port, pool_size=None, cull_after_minutes=None),
        cwd=folder,
        env=env,
        log_path=tmp_path / "voila.log",
        ready_url=url,
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(accept_downloads=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{url}/voila/render/dashboard.ipynb", timeout=180_000)
            page.wait_for_function(
                "document.querySelectorAll('figure.eic-chart img').length >= 5", timeout=180_000
            )
            page.wait_for_load_state("networkidle")
            text = page.inner_text("body")
            assert "Traceback" not in text and "Error" not in text
            assert page.locator(".jp-InputPrompt, .cm-editor").count() == 0  # no code shown
            assert "Completion per module" in text and "Each participant's progress" in text
            with page.expect_download() as saved:
                page.locator("a.eic-save", has_text="Save chart").first.click()
            assert saved.value.suggested_filename == "completion.png"
            assert Path(saved.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
            # on a small laptop, or beside the gradebook: charts and tables fit the page
            page.set_viewport_size({"width": NARROW, "height": 900})
            page.wait_for_timeout(500)
            wide = page.evaluate(
                """() => [...document.querySelectorAll('figure.eic-chart img, table.eic-table')]
                         .filter(el => el.getBoundingClientRect().right
                                       > document.documentElement.clientWidth)
                         .map(el => el.tagName)"""
            )
            assert wide == [], f"past the page's right edge at {NARROW} pixels: {wide}"
            assert errors == []
            browser.close()
    finally:
        stop_server(proc, log)
