"""nbgrader: instructor notebooks validate, released ones fail every test, release/ is
current, and a class round trip grades blank, model, partial and tampered submissions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, copy_course, is_answer_file, notebook_path, released_modules
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook
from nbgrader.validator import Validator

pytestmark = pytest.mark.slow
MODULES = released_modules()
IDS = [m["id"] for m in MODULES]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_cells(nb) -> list:
    return [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]


test_cells.__test__ = False  # a helper, not a test


def autograded_points(path: Path) -> float:
    return sum(c.metadata.nbgrader.points for c in test_cells(nbformat.read(path, as_version=4)))


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_instructor_notebook_passes_validation(module, tmp_path):
    course = copy_course(tmp_path, release=False)
    results = Validator().validate(str(notebook_path(course, "source", module)))
    assert results == {}, json.dumps(results, indent=1)[:2000]


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_released_notebook_fails_every_test(module, tmp_path):
    course = copy_course(tmp_path)
    path = notebook_path(course, "release", module)
    results = Validator().validate(str(path))
    expected = len(test_cells(nbformat.read(path, as_version=4)))
    assert expected >= 5
    assert len(results.get("failed", [])) == expected


def test_releasing_a_module_prints_no_warning_about_plain_text_kernels(tmp_path):
    # the trainer's output says what was released, without a warning about eavesdropping
    # from each kernel nbgrader runs: those kernels' traffic is encrypted
    course = copy_course(tmp_path, release=False)
    done = subprocess.run(
        [sys.executable, "-m", "eic.cli", "release", "m01", "--course", str(course)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode == 0 and "fails all" in said, said
    assert "without encryption" not in said and "WARNING" not in said, said


def test_release_is_what_nbgrader_makes_from_source_now(tmp_path):
    course = copy_course(tmp_path, release=False)
    for module in MODULES:
        nbgrader(course, "generate_assignment", module["folder"], "--force")
        made = course / "release" / module["folder"]
        committed = ROOT / "release" / module["folder"]
        kept = [p.name for p in committed.iterdir() if not is_answer_file(p.name)]
        assert sorted(p.name for p in made.iterdir()) == sorted(kept), (
            f"release/{module['folder']} holds other files than nbgrader makes"
        )
        for path in made.glob("*.ipynb"):
            assert nbformat.read(path, 4) == nbformat.read(committed / path.name, 4), (
                f"release/{module['folder']}/{path.name} is not what source/ makes now: "
                f"make every change in source/ (release/ is made from it, and a change "
                f"made there by hand is lost), then run eic-course release {module['id']}"
            )


TAMPER_FUNCTIONS = """
import eic.grading as g
def _pass(*args, **kwargs):
    return None
for _name in ["answered", "assert_choice", "assert_choices", "assert_number",
              "assert_ranking", "assert_ratings", "_fail"]:
    setattr(g, _name, _pass)
answered = assert_choice = assert_choices = assert_number = assert_ranking = _pass
assert_ratings = _pass
"""
TAMPER_ENVIRONMENT = """
import os
os.environ.pop("NBGRADER_EXECUTION", None)
os.environ["VOILA_APP_PORT"] = "1"
"""
TAMPER_ERRORS = """
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
"""


def add_cell_after_setup(path: Path, code: str) -> None:
    nb = nbformat.read(path, as_version=4)
    at = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "worksheet_setup"
    )
    nb.cells.insert(at + 1, new_code_cell(code))
    nbformat.write(nb, path)


def blank_test_cells(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in test_cells(nb):
        cell.source = "pass"
    nbformat.write(nb, path)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_class_round_trip(module, tmp_path, model_answers):
    course = copy_course(tmp_path, release=False)
    folder, mid = module["folder"], module["id"]
    nbgrader(course, "generate_assignment", folder, "--force")
    released = course / "release" / folder
    notebook = f"{folder}.ipynb"
    model = model_answers[mid]["answers"]
    max_auto = autograded_points(released / notebook)

    def submit(student: str, answers: dict | None = None) -> Path:
        dest = course / "submitted" / student / folder
        shutil.copytree(released, dest)
        if answers is not None:
            payload = {"module": mid, "format": 1, "answers": answers}
            (dest / f"{mid}-answers.json").write_text(json.dumps(payload), encoding="utf-8")
        return dest / notebook

    submit("blank")
    submit("model", model)
    partial_ids = sorted(q for q in model if q.startswith("q"))[:2]
    submit("partial", {q: model[q] for q in partial_ids})
    add_cell_after_setup(submit("replaces_checks"), TAMPER_FUNCTIONS)
    add_cell_after_setup(submit("changes_environment"), TAMPER_ENVIRONMENT)
    add_cell_after_setup(submit("silences_errors"), TAMPER_ERRORS)
    blank_test_cells(submit("edits_test_cells"))
    wrong = {q: {**v, "value": "a wrong answer"} for q, v in model.items()}
    add_cell_after_setup(submit("wrong_and_tampers", wrong), TAMPER_FUNCTIONS + TAMPER_ENVIRONMENT)

    nbgrader(course, "autograde", folder, "--force")

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="eic") as gb:

        def score(student: str) -> float:
            return gb.find_submission(folder, student).score

        assert score("model") == max_auto
        # the module is worth its syllabus points: its questions' and reflections' once each
        assert gb.find_assignment(folder).max_score == module["points"]
        assert gb.find_submission(folder, "model").max_score == module["points"]
        assert score("blank") == 0
        assert score("partial") == len(partial_ids)
        for cheat in [
            "replaces_checks",
            "changes_environment",
            "silences_errors",
            "edits_test_cells",
            "wrong_and_tampers",
        ]:
            assert score(cheat) == 0, cheat
        # the reflection waits for the trainer, with its recorded text in the notebook
        submission = gb.find_submission_notebook(folder.split("/")[-1], folder, "model")
        assert submission.needs_manual_grade
    graded = nbformat.read(course / "autograded" / "model" / folder / notebook, 4)
    reflection = next(
        c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "r1_reflection"
    )
    shown = "".join(o.get("data", {}).get("text/markdown", "") for o in reflection.outputs)
    assert model["r1_reflection"]["value"][:60] in shown
