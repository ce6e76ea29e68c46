"""The student version of a module, made by nbgrader and checked to fail every test blank.

``generate_assignment`` (nbgrader's own step) writes ``release/<module>/`` from
``source/<module>/`` and records the module's cells in the gradebook. The blank release
is then validated by nbgrader's ``Validator`` in a scratch copy that holds no answer file:
a participant who answers nothing must fail every autograded test.

A module served from the ``release/`` folder that ships with the course, without
``eic-course release``, is not in the gradebook yet: :func:`record_release` records it
there as ``eic-course release`` does, and checks that ``release/`` is what nbgrader makes
from ``source/`` now, without writing to ``release/``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from eic.trainer.course import Course, CourseError, Module

ANSWER_FILES = ("*-answers*.json*", ".*-answers*", ".ipynb_checkpoints", "__pycache__")


@dataclass(frozen=True)
class ReleaseCheck:
    module: Module
    tests: int
    failed: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and self.tests > 0 and self.failed == self.tests


def autograded_tests(path: Path) -> list[str]:
    """The grade ids of a notebook's autograded test cells."""
    nb = nbformat.read(path, as_version=4)
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]


def generate(course: Course, module: Module, api=None) -> None:
    """nbgrader ``generate_assignment`` for one module (replacing its release folder)."""
    api = api or course.api()
    result = api.generate_assignment(module.folder, force=True, create=True)
    if not result["success"]:
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise CourseError(
            f"nbgrader could not make the student version of {module.folder}: "
            + (detail[-1] if detail else "no message")
        )


def check_blank(course: Course, module: Module) -> ReleaseCheck:
    """Validate the released notebook with no answers recorded: every test must fail."""
    from nbgrader.validator import Validator

    released = course.root / "release" / module.folder
    if not (released / module.notebook).is_file():
        return ReleaseCheck(module, 0, 0, f"release/{module.folder}/{module.notebook} is missing")
    tests = len(autograded_tests(released / module.notebook))
    with tempfile.TemporaryDirectory(prefix="eic-release-") as scratch:
        copy = Path(scratch) / module.folder
        shutil.copytree(released, copy, ignore=shutil.ignore_patterns(*ANSWER_FILES))
        results = Validator(config=course.config()).validate(str(copy / module.notebook))
    failed = len(results.get("failed", []))
    problem = ""
    if "type_changed" in results or "changed" in results:
        problem = "nbgrader reports cells whose type or content changed from the source"
    elif tests == 0:
        problem = "the notebook has no autograded test"
    elif failed < tests:
        problem = f"{tests - failed} of its {tests} tests pass with no answer recorded"
    return ReleaseCheck(module, tests, failed, problem)


def release(course: Course, module: Module, api=None) -> ReleaseCheck:
    generate(course, module, api)
    return check_blank(course, module)


def record_release(course: Course, module: Module) -> None:
    """Record ``module`` in the gradebook as :func:`generate` does, from its release folder
    as it is: nbgrader makes the release again in a scratch folder (``release/`` is left
    as participants have it), which must be the same as ``release/``.

    Raises :class:`CourseError` with the fix when ``release/`` does not hold the module or
    is not what ``source/`` makes now (the module is then left out of the gradebook).
    """
    released = course.root / "release" / module.folder
    if not (released / module.notebook).is_file():
        raise CourseError(
            f"not released yet: {module.folder}; run eic-course release {module.id} first "
            "(it records each module in the gradebook)"
        )
    with tempfile.TemporaryDirectory(prefix="eic-record-") as scratch:
        generate(course, module, course.api(**{"CourseDirectory.release_directory": scratch}))
        made = Path(scratch) / module.folder
        differ = [
            path.name
            for path in sorted(made.glob("*.ipynb"))
            if not (released / path.name).is_file()
            or nbformat.read(path, as_version=4) != nbformat.read(released / path.name, 4)
        ]
    if differ:
        with course.gradebook() as gb:
            gb.remove_assignment(module.folder)
        raise CourseError(
            f"release/{module.folder} is not what source/ makes now ({', '.join(differ)} "
            f"differs), so it cannot be graded against it: run eic-course release {module.id} "
            "(it makes release/ again from source/ and records the module in the gradebook)"
        )
