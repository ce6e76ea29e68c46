"""One grading command at a time in a course folder: a second grade, collect, release or
feedback started while one runs is refused at once and leaves the grades as they were; a
command that was killed never keeps the next one out, nor leaves a grading process behind;
and a submission whose files change while it is graded keeps no "already graded" mark."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from conftest import AS_ON_WINDOWS_IMPORTS, ROOT, copy_course
from nbformat.v4 import new_notebook

from eic import file_lock
from eic.cli import main
from eic.trainer import grading, records
from eic.trainer.course import Course, CourseError
from eic.trainer.course_lock import LOCK_FILE, running_alone
from eic.trainer.parallel import Outcome

REFUSED = "so this command did not start"


def a_graded_class(tmp_path: Path) -> tuple[Course, object]:
    """A course whose m01 (one test cell of 1 point, a reflection of 2) is graded for ph-01:
    1 automatic point, and 2 points the trainer gave the reflection by hand."""
    course = Course(copy_course(tmp_path / "course", release=False))
    module = course.resolve("m01")[0]
    folder = course.root / "submitted" / "ph-01" / module.folder
    folder.mkdir(parents=True)
    (folder / module.notebook).write_text(nbformat.writes(new_notebook()))
    (folder / module.answers_file).write_text('{"module": "m01", "answers": {}}')
    with course.gradebook() as gb:
        gb.update_or_create_assignment(module.folder)
        gb.update_or_create_notebook(module.folder, module.folder)
        gb.update_or_create_grade_cell(
            "q1_test", module.folder, module.folder, max_score=1, cell_type="code"
        )
        gb.update_or_create_grade_cell(
            "r1_reflection", module.folder, module.folder, max_score=2, cell_type="markdown"
        )
        gb.update_or_create_student("ph-01")
        gb.update_or_create_submission(module.folder, "ph-01")
        for grade in gb.find_submission_notebook(module.folder, module.folder, "ph-01").grades:
            if grade.name == "q1_test":
                grade.auto_score, grade.needs_manual_grade = 1.0, False
            else:
                grade.manual_score, grade.needs_manual_grade = 2.0, False
        release = records.release_digest(gb, module.folder)
        records.log_grading(
            gb,
            module.folder,
            "ph-01",
            digest=records.submission_digest(folder, release),
            status=records.GRADED,
            seconds=1.0,
        )
        gb.db.commit()
    graded = course.root / "autograded" / "ph-01" / module.folder
    graded.mkdir(parents=True)
    (graded / module.notebook).write_text(nbformat.writes(new_notebook()))
    return course, module


def grading_state(course: Course, module) -> tuple:
    """ph-01's score, each grade's scores, and the grading log's entry for m01."""
    with course.gradebook() as gb:
        submission = gb.find_submission(module.folder, "ph-01")
        grades = sorted(
            (g.name, g.auto_score, g.manual_score) for n in submission.notebooks for g in n.grades
        )
        record = records.grading_records(gb)[(module.folder, "ph-01")]
        return submission.score, grades, (record.digest, record.status)


def eic_course(course: Course, *argv: str) -> subprocess.CompletedProcess:
    """``eic-course`` in a process of its own, as a second terminal runs it."""
    command = [sys.executable, "-m", "eic.cli", *argv, "--course", str(course.root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_a_second_grading_command_is_refused_while_one_runs_and_the_grades_stay_right(
    tmp_path, monkeypatch
):
    course, module = a_graded_class(tmp_path)
    before = grading_state(course, module)
    assert before[0] == 3.0  # 1 automatic point + 2 by hand
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    others: dict[str, subprocess.CompletedProcess] = {}

    def grade_while_others_start(course, modules, **options):
        # the first run is grading: each of these starts in another terminal meanwhile
        for argv in (
            ["grade", "all", "--force", "--jobs", "1"],
            ["collect", "m01", "--from", str(downloads)],
            ["release", "m01"],
            ["feedback", "m01"],
        ):
            others[argv[0]] = eic_course(course, *argv)
        return grading.Plan(), grading.Summary()

    monkeypatch.setattr(grading, "grade", grade_while_others_start)
    assert main(["grade", "all", "--course", str(course.root)]) == 0
    for name, done in others.items():
        said = done.stderr
        assert done.returncode == 1, (name, done.stdout, said)
        assert said.startswith(f"eic-course {name}: eic-course grade all (process {os.getpid()})")
        assert REFUSED in said and said.count("\n") == 1, said
        assert "Traceback" not in said
    assert grading_state(course, module) == before
    assert not (course.root / "release").exists()  # release did not run either
    with running_alone(course, "eic-course grade all"):  # free once the first run ended
        pass


HOLD = textwrap.dedent(
    """
    import sys, time
    from eic.trainer.course_lock import running_alone
    from eic.trainer.course import Course

    with running_alone(Course.at(sys.argv[1]), "eic-course grade all --force"):
        print("holding", flush=True)
        time.sleep(600)
    """
)


def test_a_lock_left_by_a_killed_grading_command_does_not_keep_the_next_one_out(tmp_path):
    course, module = a_graded_class(tmp_path)
    before = grading_state(course, module)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(course.root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        refused = eic_course(course, "grade", "all", "--force")
        assert refused.returncode == 1
        assert f"eic-course grade all --force (process {holder.pid})" in refused.stderr
        holder.kill()  # as kill -9, or the computer losing power, would stop it
        holder.wait(30)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(30)
    assert (course.root / LOCK_FILE).is_file()  # the file is left, but its lock is not
    again = eic_course(course, "grade", "all", "--jobs", "1")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already graded from the same files (skipped): 1" in again.stdout
    assert grading_state(course, module) == before


def test_the_lock_is_released_when_the_command_ends_however_it_ends(tmp_path):
    course = Course(copy_course(tmp_path / "course", release=False))
    with pytest.raises(KeyError), running_alone(course, "eic-course grade all"):
        raise KeyError("a command that fails halfway")
    # taken again at once; a second holder, even in the same process, is refused
    with (
        running_alone(course, "eic-course collect m01"),
        pytest.raises(CourseError, match="eic-course collect m01 .process"),
        running_alone(course, "eic-course grade all"),
    ):
        pass
    assert (course.root / LOCK_FILE).read_text() == ""  # no note left to mislead


def test_the_lock_file_stays_out_of_the_repository():
    ignored = subprocess.run(["git", "check-ignore", "-q", LOCK_FILE], cwd=ROOT)
    assert ignored.returncode == 0


AS_ON_WINDOWS = (
    textwrap.dedent(
        """
    import builtins, errno, fcntl as posix, os, sys, time, types

    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK = 0, 1, 2

    def locking(descriptor, mode, nbytes):  # from the current position, as on Windows
        start = os.lseek(descriptor, 0, os.SEEK_CUR)
        if mode == msvcrt.LK_UNLCK:
            posix.lockf(descriptor, posix.LOCK_UN, nbytes, start)
            return
        try:
            posix.lockf(descriptor, posix.LOCK_EX | posix.LOCK_NB, nbytes, start)
        except OSError:
            raise OSError(errno.EACCES, "Permission denied") from None

    """
    )
    + AS_ON_WINDOWS_IMPORTS
    + textwrap.dedent(
        """
    from eic import file_lock
    builtins.__import__ = real_import
    assert file_lock.fcntl is None

    path, role = sys.argv[1], sys.argv[2]
    if role == "hold":
        with file_lock.held_at_once(path, "grading, as on Windows"):
            print("holding", flush=True)
            time.sleep(600)
    try:
        with file_lock.held_at_once(path, "second"):
            print("taken")
    except file_lock.LockTaken as taken:
        print("refused:", taken.note)
    """
    )
)


def test_a_command_that_must_run_alone_is_refused_with_the_holders_note_on_windows_too(
    tmp_path,
):
    path = str(tmp_path / LOCK_FILE)
    run = [sys.executable, "-c", AS_ON_WINDOWS, path]
    holder = subprocess.Popen([*run, "hold"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "holding\n"
        second = subprocess.run([*run, "try"], capture_output=True, text=True, timeout=60)
        assert second.stdout == "refused: grading, as on Windows\n", second.stderr
    finally:
        holder.kill()
        holder.wait(30)
    after = subprocess.run([*run, "try"], capture_output=True, text=True, timeout=60)
    assert after.stdout == "taken\n", after.stderr


def test_a_holder_that_left_no_note_is_named_as_another_command(tmp_path):
    course = Course(copy_course(tmp_path / "course", release=False))
    with (
        file_lock.held_at_once(course.root / LOCK_FILE, ""),  # its note not written yet
        pytest.raises(CourseError) as refused,
        running_alone(course, "eic-course grade all"),
    ):
        pass
    said = str(refused.value)
    assert said.startswith("another eic-course command has been running in this course folder")
    assert said.endswith("then run this command again.")


ORPHAN = textwrap.dedent(
    """
    import multiprocessing, subprocess, time
    from eic.trainer import parallel

    if __name__ == "__main__":
        context = multiprocessing.get_context(parallel.start_method())
        # a worker that has started a program of its own, as a worker starts a kernel
        worker = context.Process(
            target=parallel.stopping_with_parent,
            args=(subprocess.call, ["sleep", "600"]),
            daemon=True,
        )
        worker.start()
        print(worker.pid, flush=True)
        time.sleep(600)
    """
)


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended, only not yet been reaped


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")
def test_a_grading_process_ends_with_the_command_that_started_it(tmp_path):
    script = tmp_path / "start_worker.py"
    script.write_text(ORPHAN)
    command = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(command.stdout.readline())
    deadline = time.monotonic() + 30
    while not children_of(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    (kernel,) = children_of(worker)
    try:
        command.send_signal(signal.SIGKILL)
        command.wait(30)
        deadline = time.monotonic() + 10
        while (running(worker) or running(kernel)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running(worker) and not running(kernel)
    finally:
        for pid in (kernel, worker):
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_submission_whose_files_change_while_it_is_graded_is_graded_again(tmp_path, monkeypatch):
    course, module = a_graded_class(tmp_path)
    folder = course.root / "submitted" / "ph-01" / module.folder
    monkeypatch.setattr(grading, "warm_up", lambda: None)

    def run_tasks(tasks, *, on_start, on_done, **_):
        for task in tasks:
            on_start(task)
            if replace_files:  # collected again, by hand, while the worker grades
                (folder / module.answers_file).write_text('{"module": "m01", "answers": {"q1": 1}}')
            graded = course.root / "autograded" / task.student / task.assignment
            graded.mkdir(parents=True, exist_ok=True)
            (graded / task.notebook).write_text(nbformat.writes(new_notebook()))
            on_done(Outcome(task, records.GRADED, "", 1.0, {"timestamp": None, "notebooks": {}}))

    monkeypatch.setattr(grading, "run_tasks", run_tasks)
    # the same files before and after: graded, and skipped by the next run
    replace_files = False
    _, summary = grading.grade(course, [module], jobs=1, force=True, stream=io.StringIO())
    assert [o.status for o in summary.outcomes] == [records.GRADED]
    assert not grading.plan(course, [module]).tasks
    # files replaced meanwhile: not kept as graded, and graded again by the next run
    replace_files = True
    _, summary = grading.grade(course, [module], jobs=1, force=True, stream=io.StringIO())
    (outcome,) = summary.outcomes
    assert (outcome.status, outcome.detail) == (records.FAILED, grading.CHANGED_WHILE_GRADED)
    with course.gradebook() as gb:
        record = records.grading_records(gb)[(module.folder, "ph-01")]
        reflection = gb.find_grade("r1_reflection", module.folder, module.folder, "ph-01")
        assert record.status == records.FAILED
        assert reflection.manual_score == 2.0  # the trainer's grade is not touched
    assert [t.student for t in grading.plan(course, [module]).tasks] == ["ph-01"]


def test_a_hub_collect_is_refused_while_grading_runs(tmp_path):
    course = Course(copy_course(tmp_path / "course", release=False))
    with running_alone(course, "eic-course grade all"):
        done = eic_course(course, "hub", "collect", "m01")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "eic-course grade all" in done.stderr and REFUSED in done.stderr
    assert not (course.root / "submitted").exists()
