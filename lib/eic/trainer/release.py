"""The student version of a module, made by nbgrader and checked to fail every test blank.

``generate_assignment`` (nbgrader's own step) writes ``release/<module>/`` from
``source/<module>/`` and records the module's cells in the gradebook. The blank release
is then validated by nbgrader's ``Validator`` in a scratch copy that holds no answer file:
a participant who answers nothing must fail every autograded test, and every other cell
(readings' tables, worked examples, the worksheet's widgets) must run without an error, as
it does for them. The same run finds both: a worked example broken by new data fails there
as it would on every participant's screen. The cells' points must also add up to the
module's ``points`` in ``course/syllabus.yml``, which the course home and programme show.

nbgrader makes the release in a scratch folder, and only a whole release replaces the
course's files in ``release/<module>/``: a release that fails (a source notebook that is not
a notebook) leaves the one participants had. What was recorded in ``release/<module>/``
(answers, a participant's own tables, a country report: when the course is served with
``--shared``, or worked through in ``release/`` itself) is not the course's to replace: it
stays, as ``eic-course serve`` keeps it in each participant's folder.

A module served from the ``release/`` folder that ships with the course, without
``eic-course release``, is not in the gradebook yet: :func:`record_release` records it
there as ``eic-course release`` does, and checks that ``release/`` is what nbgrader makes
from ``source/`` now, without writing to ``release/``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from eic.classroom import OWN_WORK, is_own_work
from eic.course import module as syllabus_entry
from eic.trainer.course import Course, CourseError, Module


@dataclass(frozen=True)
class ReleaseCheck:
    module: Module
    tests: int
    failed: int
    problems: tuple[str, ...] = ()  # each a sentence saying what to fix
    # what was recorded in release/<module>/ and kept there (paths relative to it)
    kept: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and self.tests > 0 and self.failed == self.tests


def notebook_points(path: Path) -> float:
    """A notebook's points as nbgrader totals them: those of its grade and task cells."""
    nb = nbformat.read(path, as_version=4)
    marks = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return sum(m.get("points", 0) or 0 for m in marks if m.get("grade") or m.get("task"))


def points_problem(course: Course, module: Module) -> str:
    """What is wrong when the released notebook's points differ from the syllabus's, or ""."""
    path = course.root / "release" / module.folder / module.notebook
    points, listed = notebook_points(path), syllabus_entry(module.id)["points"]
    if points == listed:
        return ""
    return (
        f"its cells give {points:g} points but course/syllabus.yml gives {module.id} "
        f"{listed:g} (the course home and programme show that): change the one that is wrong "
        'so they agree, and the worksheet\'s "N points in all"'
    )


def cell_errors(nb) -> list[str]:
    """What each code cell that is not a test raised when the notebook ran, in order: where
    the cell is (its grade id, or the heading above it and its first line), and the error."""
    from nbgrader import utils

    found, heading = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            titles = [line for line in cell.source.splitlines() if line.startswith("#")]
            heading = titles[-1].lstrip("#").strip() if titles else heading
        if cell.cell_type != "code" or utils.is_grade(cell):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                name = cell.metadata.get("nbgrader", {}).get("grade_id")
                first = next((line for line in cell.source.splitlines() if line.strip()), "")
                where = f"the code cell that begins {first.strip()!r}"
                if name:
                    where = f"cell {name}"
                elif heading:
                    where = f"under the heading {heading!r}, {where}"
                said = f"{output.ename}: {output.evalue}".strip()
                found.append(f"{where} raises {said[:200]}{'...' if len(said) > 200 else ''}")
                break
    return found


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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
    """nbgrader ``generate_assignment`` for one module, into the release folder of ``api``
    (replacing that folder's copy of the module)."""
    api = api or course.api()
    result = api.generate_assignment(module.folder, force=True, create=True)
    if not result["success"]:
        raise CourseError(
            f"nbgrader could not make the student version of {module.folder}: "
            f"{nbgrader_failure(result.get('log') or '', result.get('error') or '')}. "
            f"release/{module.folder} is left as it was. Fix source/{module.folder}/"
            f"{module.notebook} (a notebook JupyterLab opens and runs), then run "
            f"eic-course release {module.id} again"
        )


# the last line of a Python traceback: "package.module.SomeError: what went wrong"
EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception)): (.+)$")


def nbgrader_failure(log: str, error: str) -> str:
    """What went wrong, from what nbgrader logged: the error that stopped it, before its own
    closing "see the above traceback" (which a command's user does not see)."""
    for text in (log, error):
        found = [EXCEPTION_LINE.match(line) for line in text.splitlines()]
        found = [m for m in found if m and m.group(1) != "NbGraderException"]
        if found:
            return f"{found[-1].group(2).strip()} ({found[-1].group(1)})"
    lines = (error or log).strip().splitlines()
    return lines[-1].strip() if lines else "no message"


def check_blank(course: Course, module: Module) -> ReleaseCheck:
    """Validate the released notebook with no answers recorded: every test must fail."""
    from nbgrader.validator import Validator

    released = course.root / "release" / module.folder
    if not (released / module.notebook).is_file():
        missing = f"release/{module.folder}/{module.notebook} is missing"
        return ReleaseCheck(module, 0, 0, (missing,))
    tests = len(autograded_tests(released / module.notebook))

    class Keeping(Validator):
        """nbgrader's Validator, keeping the notebook it ran for the other cells' errors."""

        executed = None

        def _preprocess(self, nb):
            self.executed = super()._preprocess(nb)
            return self.executed

    validator = Keeping(config=course.config())
    with tempfile.TemporaryDirectory(prefix="eic-release-") as scratch:
        copy = Path(scratch) / module.folder
        shutil.copytree(released, copy, ignore=shutil.ignore_patterns(*OWN_WORK))
        results = validator.validate(str(copy / module.notebook))
    failed = len(results.get("failed", []))
    errors = cell_errors(validator.executed) if validator.executed is not None else []
    problems = []
    if "type_changed" in results or "changed" in results:
        problems.append("nbgrader reports cells whose type or content changed from the source")
    elif tests == 0:
        problems.append("the notebook has no autograded test")
    elif failed < tests:
        problems.append(f"{tests - failed} of its {tests} tests pass with no answer recorded")
    if errors:
        more = f" ({len(errors) - 1} more cell(s) after it fail too)" if len(errors) > 1 else ""
        problems.append(
            f"{_capital(errors[0])}{more}. It fails on every participant's page too; after a "
            "change of data, a cell may still name what the old table held. Fix it in "
            f"source/{module.folder}/{module.notebook}, then run eic-course release "
            f"{module.id} again"
        )
    points = points_problem(course, module)
    if points:
        problems.append(points)
    return ReleaseCheck(module, tests, failed, tuple(problems))


CACHES = (".ipynb_checkpoints", "__pycache__")


def recorded_work(folder: Path) -> list[Path]:
    """What was recorded in ``folder`` (answers, own tables, reports), not made by nbgrader:
    paths relative to it."""
    if not folder.is_dir():
        return []
    return [
        path.relative_to(folder)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and any(map(is_own_work, path.relative_to(folder).parts))
        and not any(part in CACHES for part in path.relative_to(folder).parts)
    ]


def release(course: Course, module: Module) -> ReleaseCheck:
    """Make ``release/<module>/`` from ``source/`` and check the blank module.

    nbgrader makes the release in a scratch folder (and records the module in the
    gradebook); only a whole release then replaces the course's files in
    ``release/<module>/``, so a release that fails leaves participants the one they had.
    What was recorded there is kept (:attr:`ReleaseCheck.kept`).
    """
    released = course.root / "release" / module.folder
    with tempfile.TemporaryDirectory(prefix="eic-release-") as scratch:
        generate(course, module, course.api(**{"CourseDirectory.release_directory": scratch}))
        kept = recorded_work(released)
        _replace_course_files(Path(scratch) / module.folder, released, kept)
    check = check_blank(course, module)
    return ReleaseCheck(check.module, check.tests, check.failed, check.problems, tuple(kept))


def _replace_course_files(made: Path, released: Path, kept: list[Path]) -> None:
    """Make ``released`` hold what is in ``made`` and the files ``kept`` (relative paths),
    which stay as they are, nothing else."""
    kept_here = {released / path for path in kept}
    if released.is_dir():
        for path in sorted(released.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if path in kept_here:
                continue
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            else:
                path.unlink()
    for path in sorted(made.rglob("*")):
        target = released / path.relative_to(made)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif target not in kept_here:  # a recorded answer is never replaced
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def release_differs(course: Course, module: Module) -> list[str]:
    """The notebooks of ``release/<module>`` that are not what nbgrader makes from
    ``source/`` now (made in a scratch folder, with a scratch gradebook: the course's own
    gradebook and ``release/`` are left as they are)."""
    released = course.root / "release" / module.folder
    with tempfile.TemporaryDirectory(prefix="eic-compare-") as scratch:
        made, book = Path(scratch) / "release", Path(scratch) / "gradebook.db"
        overrides = {"CourseDirectory.release_directory": str(made)}
        overrides["CourseDirectory.db_url"] = f"sqlite:///{book.as_posix()}"
        generate(course, module, course.api(**overrides))
        return _differing(made / module.folder, released)


def _differing(made: Path, released: Path) -> list[str]:
    return [
        path.name
        for path in sorted(made.glob("*.ipynb"))
        if not (released / path.name).is_file()
        or nbformat.read(path, as_version=4) != nbformat.read(released / path.name, 4)
    ]


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
        differ = _differing(Path(scratch) / module.folder, released)
    if differ:
        with course.gradebook() as gb:
            gb.remove_assignment(module.folder)
        raise CourseError(
            f"release/{module.folder} is not what source/ makes now ({', '.join(differ)} "
            f"differs), so it cannot be graded against it: run eic-course release {module.id} "
            "(it makes release/ again from source/ and records the module in the gradebook)"
        )
