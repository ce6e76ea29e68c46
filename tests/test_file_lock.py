"""Answers are locked and replaced safely on Windows too, where Python has no ``fcntl``.

Windows is not at hand here, so the tests load the locking module as it loads there: with
``import fcntl`` failing and ``msvcrt.locking`` standing in, made from POSIX record locks with
its documented behaviour (lock from the current position; LK_LOCK tries ten times, then
raises OSError; LK_UNLCK releases). Several processes then record answers at once through it.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
from conftest import AS_ON_WINDOWS_IMPORTS, ROOT

from eic import file_lock
from eic.answers import AnswerNotSaved, AnswerStore
from eic.file_lock import WINDOWS, write_whole

AS_ON_WINDOWS = (
    textwrap.dedent(
        """
    import builtins, errno, fcntl as posix, importlib, multiprocessing, os, sys, time, types
    import pandas  # the course's other packages load as they do anywhere

    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK = 0, 1
    msvcrt.locks = 0

    def locking(descriptor, mode, nbytes):
        start = os.lseek(descriptor, 0, os.SEEK_CUR)
        if mode == msvcrt.LK_UNLCK:
            posix.lockf(descriptor, posix.LOCK_UN, nbytes, start)
            return
        for _ in range(10):  # Windows waits 1 s between tries; a short pause does here
            try:
                posix.lockf(descriptor, posix.LOCK_EX | posix.LOCK_NB, nbytes, start)
                msvcrt.locks += 1
                return
            except OSError:
                time.sleep(0.001)
        raise OSError(errno.EDEADLK, "Resource deadlock avoided")

    """
    )
    + AS_ON_WINDOWS_IMPORTS
    + textwrap.dedent(
        """
    try:
        from eic import answers, file_lock, own_tables  # noqa: F401 - loaded as on Windows
    finally:
        builtins.__import__ = real_import
    assert file_lock.fcntl is None and file_lock.msvcrt is msvcrt

    folder, workers, count = sys.argv[1], 4, 25

    def write_many(worker):
        store = answers.AnswerStore.for_module("m01", folder)
        for i in range(count):
            store.record(f"w{worker}_q{i}", i)
        sys.exit(0 if msvcrt.locks >= count else 3)  # each answer was written under the lock

    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=write_many, args=(w,)) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    print([process.exitcode for process in processes])
    store = answers.AnswerStore.for_module("m01", folder)
    print(len(store.answers()), store.load().ok)
    """
    )
)


def test_without_fcntl_the_answers_of_several_processes_are_all_kept(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", AS_ON_WINDOWS, str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    exit_codes, kept = done.stdout.strip().splitlines()
    assert exit_codes == "[0, 0, 0, 0]"
    assert kept == "100 True"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_a_reader_holds_open_on_windows_is_replaced_once_it_is_let_go(tmp_path, monkeypatch):
    source, target = tmp_path / "new", tmp_path / "answers.json"
    source.write_text("new")
    target.write_text("old")
    refusals = []
    real_replace = os.replace

    def busy_twice(src, dst):
        if len(refusals) < 2:  # a grader has the file open for a moment
            refusals.append(dst)
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(file_lock, "WINDOWS", True)
    monkeypatch.setattr(file_lock, "REPLACE_PAUSE", 0.001)
    monkeypatch.setattr(file_lock.os, "replace", busy_twice)
    file_lock.replace(source, target)
    assert target.read_text() == "new" and len(refusals) == 2


@pytest.mark.parametrize("windows", [True, False])
def test_a_replacement_that_stays_refused_raises(tmp_path, monkeypatch, windows):
    calls = []

    def refused(src, dst):
        calls.append(dst)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(file_lock, "WINDOWS", windows)
    monkeypatch.setattr(file_lock, "REPLACE_PATIENCE", 0.05)
    monkeypatch.setattr(file_lock, "REPLACE_PAUSE", 0.001)
    monkeypatch.setattr(file_lock.os, "replace", refused)
    with pytest.raises(PermissionError):
        file_lock.replace(tmp_path / "a", tmp_path / "b")
    assert len(calls) > 1 if windows else len(calls) == 1  # elsewhere it is no reader's doing


def test_a_lock_that_cannot_be_had_refuses_the_answer_in_plain_words(tmp_path, monkeypatch):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "kept")

    def never(file):
        raise OSError(errno.EDEADLK, "Resource deadlock avoided")

    monkeypatch.setattr("eic.answers.exclusive", never)
    with pytest.raises(AnswerNotSaved, match="Your answer was not saved"):
        store.record("q2", "new")
    assert AnswerStore.for_module("m01", tmp_path).answers().keys() == {"q1"}


def test_write_whole_leaves_the_old_file_whole_when_the_disk_fills_on_the_way(
    tmp_path, monkeypatch
):
    target = tmp_path / "grades.csv"
    file_lock.write_whole(target, b"id,points\nph-01,7\n")

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("eic.file_lock.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        file_lock.write_whole(target, b"id,points\nph-01,8\nvn-01,")
    assert target.read_bytes() == b"id,points\nph-01,7\n"
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left


def aged(path: str, seconds: float) -> str:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return os.path.basename(path)


def test_only_stale_temporary_files_of_the_named_file_are_removed(tmp_path):
    def temporary(name: str) -> str:  # named as write_whole names its temporary files
        handle, path = tempfile.mkstemp(dir=tmp_path, prefix=f".{name}.", suffix=".tmp")
        os.close(handle)
        return path

    stale = aged(temporary("m01-answers.json"), 3600)
    fresh = aged(temporary("m01-answers.json"), 60)  # a minute old: perhaps a write under way
    others = [
        aged(temporary("m02-answers.json"), 3600),  # another file's
        aged(temporary("m01-answers.json.lock"), 3600),  # not of .m01-answers.json.XXXXXXXX.tmp
    ]
    for name in (".m01-answers.json.lock", "m01-answers.json.unreadable-1a2b.tmp", "notes.tmp"):
        (tmp_path / name).write_bytes(b"keep")
        others.append(aged(str(tmp_path / name), 3600))
    removed = file_lock.remove_stale_temporaries(tmp_path / "m01-answers.json")
    assert [os.path.basename(p) for p in removed] == [stale]
    assert {p.name for p in tmp_path.iterdir()} == {fresh, *others}


def test_a_temporary_file_that_cannot_be_removed_is_left_without_an_error(tmp_path, monkeypatch):
    handle, path = tempfile.mkstemp(dir=tmp_path, prefix=".m01-answers.json.", suffix=".tmp")
    os.close(handle)
    aged(path, 3600)

    def held_open(_path):  # as on Windows while another program has the file open
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr("eic.file_lock.os.unlink", held_open)
    assert file_lock.remove_stale_temporaries(tmp_path / "m01-answers.json") == []
    assert os.path.exists(path)


@pytest.mark.skipif(WINDOWS, reason="file modes are POSIX's")
def test_a_file_written_whole_has_the_modes_any_new_file_gets_and_keeps_its_own(tmp_path):
    # a report or a grades table is there to be shared: not owner-only, as a temporary
    # file is made
    mask = os.umask(0o022)
    try:
        write_whole(tmp_path / "report.html", b"<p>report</p>")
        assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644
        (tmp_path / "answers.json").write_bytes(b"{}")
        (tmp_path / "answers.json").chmod(0o600)  # kept private by its owner: stays so
        write_whole(tmp_path / "answers.json", b'{"q1": 1}')
        assert stat.S_IMODE((tmp_path / "answers.json").stat().st_mode) == 0o600
    finally:
        os.umask(mask)
