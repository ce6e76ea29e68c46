"""The autograde verification step, on test-cell code and a notebook, without a kernel."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from eic.answers import AnswerStore
from eic.nbgrader_hooks import VerifyAnswers, check_test_cell

CELL = (
    'from eic.grading import answered, assert_choice\nanswered("m01", "q1_a")\n'
    'assert_choice("m01", "q1_a", "B")'
)


def test_check_passes_only_on_the_right_recorded_answer(tmp_path):
    assert "not answered" in check_test_cell(CELL, str(tmp_path))
    AnswerStore.for_module("m01", tmp_path).record("q1_a", "A")
    assert "not the expected" in check_test_cell(CELL, str(tmp_path))
    AnswerStore.for_module("m01", tmp_path).record("q1_a", "B")
    assert check_test_cell(CELL, str(tmp_path)) is None


def test_a_test_cell_that_cannot_run_fails(tmp_path):
    assert "NameError" in check_test_cell("undefined_name()", str(tmp_path))


def grade_cell(source, outputs=()):
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "points": 1,
        "grade_id": "q1_test",
        "locked": True,
        "schema_version": 3,
    }
    return cell


def test_a_cell_that_passed_in_the_kernel_but_fails_here_gets_an_error(tmp_path):
    nb = new_notebook(cells=[grade_cell(CELL)])
    nb, _ = VerifyAnswers().preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    (out,) = nb.cells[0].outputs
    assert out.output_type == "error" and "not answered" in out.evalue
    nbformat.validate(nb)


def test_verification_never_adds_points_or_duplicates_errors(tmp_path):
    failed = new_output("error", ename="AssertionError", evalue="x", traceback=[])
    nb = new_notebook(cells=[grade_cell(CELL, [failed])])
    nb, _ = VerifyAnswers().preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert len(nb.cells[0].outputs) == 1
    AnswerStore.for_module("m01", tmp_path).record("q1_a", "B")
    nb, _ = VerifyAnswers().preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert nb.cells[0].outputs == [failed]  # the kernel's own failure stands
