"""The answer store: atomic writes, reloading, unreadable files, concurrent writers."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from eic.answers import AnswerNotSaved, AnswerStore, answer_file_name


def test_record_then_reload_from_a_new_store_object(tmp_path):
    AnswerStore.for_module("m01", tmp_path).record("q1", "Social capital", question="Which?")
    again = AnswerStore.for_module("m01", tmp_path)
    assert again.value("q1") == "Social capital"
    entry = again.entry("q1")
    assert entry["question"] == "Which?" and "recorded_at" in entry
    on_disk = json.loads((tmp_path / "m01-answers.json").read_text())
    assert on_disk["module"] == "m01" and on_disk["answers"]["q1"]["value"] == "Social capital"


def test_recording_one_answer_keeps_the_others(tmp_path):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "a")
    store.record("q2", [1, 2])
    store.record("q1", "b")
    assert store.value("q1") == "b" and store.value("q2") == [1, 2]


def test_model_answers_go_to_their_own_file(tmp_path):
    AnswerStore.for_module("m01", tmp_path, model=True).record("q1", "x")
    assert (tmp_path / answer_file_name("m01", model=True)).is_file()
    assert not (tmp_path / "m01-answers.json").exists()


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "kept")
    before = store.path.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(AnswerNotSaved, match="not saved.*disk full"):
        store.record("q2", "lost")
    assert store.path.read_bytes() == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_an_answer_file_that_cannot_be_opened_is_never_written_over(tmp_path, monkeypatch):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "kept")
    store.record("r1", "A long reflection written yesterday.")
    before = store.path.read_bytes()
    read_bytes = Path.read_bytes

    def refused(path):  # the file's owner or permissions were changed outside the course
        if path == store.path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(AnswerNotSaved, match="cannot be read .*Permission denied") as err:
        store.record("q2", "new")
    assert "They are still in it" in str(err.value)
    with pytest.raises(AnswerNotSaved):
        store.forget("q1")
    monkeypatch.undo()
    assert store.path.read_bytes() == before


def test_a_damaged_file_whose_copy_cannot_be_kept_is_not_written_over(tmp_path, monkeypatch):
    store = AnswerStore.for_module("m01", tmp_path)
    store.path.write_text('{"answers": {"q1": {"value": "kept"}, "q2": 3}}')
    before = store.path.read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)  # the backup copy cannot be written
    with pytest.raises(AnswerNotSaved, match="no recorded value"):
        store.record("q3", "new")
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    store.record("q3", "new")  # once a copy can be kept, the answer is saved
    assert store.value("q1") == "kept" and store.value("q3") == "new"
    assert len(list(tmp_path.glob("m01-answers.json.unreadable-*"))) == 1


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
        (errno.ENOSPC, "the disk is full"),
    ],
)
def test_a_folder_that_cannot_be_written_is_named_in_plain_words(tmp_path, monkeypatch,
                                                                 number, words):  # fmt: skip
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "kept")
    before = store.path.read_bytes()

    def refused(*_args, **_kwargs):
        raise OSError(number, os.strerror(number), str(tmp_path / ".m01-answers.json.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(AnswerNotSaved) as err:
        store.record("q2", "new")
    said = str(err.value)
    assert said.startswith("Your answer was not saved: ") and words in said
    assert "Errno" not in said and str(tmp_path) not in said
    assert store.path.read_bytes() == before


def test_an_answer_that_is_not_json_is_refused_and_nothing_changes(tmp_path):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "kept")
    with pytest.raises(TypeError, match="q2"):
        store.record("q2", object())
    assert store.answers().keys() == {"q1"}


def test_invalid_json_gives_a_clear_message_and_a_backup(tmp_path):
    path = tmp_path / "m01-answers.json"
    path.write_text('{"answers": {"q1": {"value": "a"}', encoding="utf-8")
    store = AnswerStore.for_module("m01", tmp_path)
    report = store.load()
    assert not report.ok
    assert report.backup is not None and report.backup.read_bytes() == path.read_bytes()
    message = store.describe_problems(report)
    assert "not valid JSON" in message and report.backup.name in message
    # reading again makes no second backup
    store.load()
    assert len(list(tmp_path.glob("*.unreadable-*"))) == 1


def test_writing_after_a_corrupt_file_keeps_the_corrupt_copy(tmp_path):
    path = tmp_path / "m01-answers.json"
    path.write_text("not json at all", encoding="utf-8")
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q2", "new")
    (backup,) = tmp_path.glob("*.unreadable-*")
    assert backup.read_text() == "not json at all"
    assert store.answers().keys() == {"q2"}


def test_entries_without_a_value_are_reported_not_silently_dropped(tmp_path):
    path = tmp_path / "m01-answers.json"
    path.write_text(json.dumps({"answers": {"q1": {"value": 3}, "q2": "oops"}}))
    store = AnswerStore.for_module("m01", tmp_path)
    report = store.load()
    assert report.answers.keys() == {"q1"}
    assert any("q2" in p for p in report.problems)
    assert report.backup is not None


@pytest.mark.parametrize("content", [b"", b"[1, 2]", b'{"answers": 5}', b"\xff\xfe\x00"])
def test_other_unreadable_files_are_reported(tmp_path, content):
    (tmp_path / "m01-answers.json").write_bytes(content)
    report = AnswerStore.for_module("m01", tmp_path).load()
    assert not report.ok and report.answers == {}


def _write_many(folder: str, worker: int, count: int) -> None:
    store = AnswerStore.for_module("m01", folder)
    for i in range(count):
        store.record(f"w{worker}_q{i}", i)


def test_concurrent_writers_lose_no_answer(tmp_path):
    workers, count = 4, 25
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_write_many, args=(str(tmp_path), w, count)) for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    answers = AnswerStore.for_module("m01", tmp_path).answers()
    assert len(answers) == workers * count
    assert AnswerStore.for_module("m01", tmp_path).load().ok


def _overwrite(folder: str, worker: int, count: int) -> None:
    """A tab that changes its mind: the same two questions, answered again and again."""
    store = AnswerStore.for_module("m01", folder)
    for i in range(count):
        store.record(f"mine_{worker}", i)
        store.record("shared", [worker, i])


def _watch(folder: str, stop, bad) -> None:
    """Read the file, raw, as often as possible while the writers work."""
    path = os.path.join(folder, answer_file_name("m01"))
    while not stop.is_set():
        try:
            with open(path, encoding="utf-8") as handle:
                json.loads(handle.read())["answers"]
        except FileNotFoundError:
            continue
        except (ValueError, KeyError, TypeError):
            bad.value += 1


def test_many_writers_leave_a_valid_file_with_each_writers_last_answer(tmp_path):
    writers, count = 8, 40
    ctx = multiprocessing.get_context("fork")
    stop, bad = ctx.Event(), ctx.Value("i", 0)
    watcher = ctx.Process(target=_watch, args=(str(tmp_path), stop, bad))
    watcher.start()
    procs = [ctx.Process(target=_overwrite, args=(str(tmp_path), w, count)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    stop.set()
    watcher.join(30)
    assert bad.value == 0  # no reader ever saw a half-written or invalid file
    answers = AnswerStore.for_module("m01", tmp_path).answers()
    for w in range(writers):
        assert answers[f"mine_{w}"]["value"] == count - 1
    last = answers["shared"]["value"]
    assert last[1] == count - 1 and 0 <= last[0] < writers  # some writer's final answer
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


STOPPED_MID_SAVE = textwrap.dedent(
    """
    import os, sys, time
    from eic.answers import AnswerStore

    def stuck(_fd):  # the kernel is killed while the new file is being written
        print("writing", flush=True)
        time.sleep(120)

    os.fsync = stuck
    AnswerStore.for_module("m01", sys.argv[1]).record("r1", "x" * 200_000)
    """
)


def stopped_mid_save(folder: Path) -> str:
    """Kill (as a stopped kernel) a process in the middle of saving an answer; return the
    temporary file it left."""
    before = set(os.listdir(folder))
    writer = subprocess.Popen(
        [sys.executable, "-c", STOPPED_MID_SAVE, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline() == "writing\n"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
    (left,) = set(os.listdir(folder)) - before
    return left


def test_recording_an_answer_removes_what_a_save_stopped_long_ago_left(tmp_path):
    store = AnswerStore.for_module("m01", tmp_path)
    store.record("q1", "social capital")
    old, recent = stopped_mid_save(tmp_path), stopped_mid_save(tmp_path)
    for name in (old, recent):
        assert name.startswith(".m01-answers.json.") and name.endswith(".tmp")
    an_hour_ago = time.time() - 3600
    os.utime(tmp_path / old, (an_hour_ago, an_hour_ago))
    store.record("q2", "networks")
    assert not (tmp_path / old).exists()
    assert (tmp_path / recent).exists()  # too recent to be sure its writer has stopped
    answers = AnswerStore.for_module("m01", tmp_path).answers()
    assert {q: a["value"] for q, a in answers.items()} == {"q1": "social capital", "q2": "networks"}
