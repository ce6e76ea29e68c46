"""nbgrader extensions of the course, switched on in ``nbgrader_config.py``.

``VerifyAnswers`` runs in autograde right after the notebook has executed. It checks every
autograded test cell again, in the grader's own process, against the answer file of the
submission, with the grader's own copy of :mod:`eic.grading`. A participant's cell that
replaced a checking function, unset ``NBGRADER_EXECUTION`` or silenced errors in the
kernel therefore gains nothing: a cell whose check fails here gets an error output, and
nbgrader scores it zero. (Edits to a test cell itself are already undone by nbgrader,
which restores test cells from the instructor version before running.) Verification can
only take points away, never give them.
"""

from __future__ import annotations

import contextlib
import io

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from eic.grading import verifying


def check_test_cell(source: str, directory: str, name: str = "test cell") -> str | None:
    """Run a test cell's code strictly against the answers in ``directory``.

    Returns None when every check passes, else the failure message.
    """
    code = compile(source, f"<{name}>", "exec")
    with verifying(directory), contextlib.redirect_stdout(io.StringIO()):
        try:
            exec(code, {"__name__": "__eic_verify__"})  # noqa: S102 - instructor-authored cell
        except AssertionError as err:
            return str(err) or "a check failed"
        except Exception as err:  # a check that cannot even run gives no points either
            return f"{type(err).__name__}: {err}"
    return None


class VerifyAnswers(NbGraderPreprocessor):
    """Re-check autograded test cells outside the participant's kernel."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        directory = resources.get("metadata", {}).get("path") or "."
        for cell in nb.cells:
            if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id", "test cell")
            failure = check_test_cell(cell.source, directory, grade_id)
            if failure is None:
                continue
            already_failed = any(
                out.output_type == "error"
                or (out.output_type == "stream" and out.get("name") == "stderr")
                for out in cell.outputs
            )
            if not already_failed:
                self.log.warning("%s: check failed on verification: %s", grade_id, failure)
                cell.outputs.append(
                    new_output(
                        "error",
                        ename="AssertionError",
                        evalue=failure,
                        traceback=[f"AssertionError: {failure}"],
                    )
                )
        return nb, resources
