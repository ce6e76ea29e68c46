"""What the trainer's commands write and print, when the computer gets in the way: an
export onto a full disk or over a file open in Excel leaves the earlier files whole and
says in one line what to do; names and answers in any script print on an output that is
not UTF-8 (a file on Windows, the C locale)."""

from __future__ import annotations

import codecs
import errno
import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import copy_course

from eic import file_lock
from eic.answers import AnswerStore
from eic.cli import main, print_any_script
from eic.trainer.commands import run

HEADER = "id,first_name,last_name,country,email\n"
# 40 participants from Viet Nam, then 10 more from Thailand for the second export
FIRST = "".join(
    f"vn-{i:02d},Hương,Nguyễn Thị {i},Viet Nam,vn{i}@example.org\n" for i in range(1, 41)
)
LATER = "".join(f"th-{i:02d},สมชาย,ใจดี {i},Thailand,th{i}@example.org\n" for i in range(1, 11))
REFLECTION = "Cụm công nghiệp Hương Sơn – chia sẻ hơi nước"


@pytest.fixture
def exported(tmp_path, capsys) -> SimpleNamespace:
    """A course with the first participants exported, then the later ones imported: the
    next export is larger than the files on disk."""
    course = copy_course(tmp_path / "course", release=False)
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + FIRST, encoding="utf-8")
    assert main(["roster", "import", str(roster), "--course", str(course)]) == 0
    assert main(["export", "--course", str(course)]) == 0
    roster.write_text(HEADER + FIRST + LATER, encoding="utf-8")
    assert main(["roster", "import", str(roster), "--course", str(course)]) == 0
    capsys.readouterr()
    grades, countries = course / "grades.csv", course / "grades-by-country.csv"
    return SimpleNamespace(
        course=course,
        grades=grades,
        countries=countries,
        before={grades: grades.read_bytes(), countries: countries.read_bytes()},
    )


def export_again(exported, capsys) -> tuple[int, str]:
    status = main(["export", "--course", str(exported.course)])
    return status, capsys.readouterr().err


def one_line(said: str) -> str:
    assert said.startswith("eic-course export: ") and said.count("\n") == 1, said
    assert "Traceback" not in said and "Errno" not in said, said
    return said


def test_an_export_that_runs_out_of_room_leaves_the_earlier_files_whole(exported):
    # a real limit on the size of the files written, as a nearly full disk sets one: the
    # new grades.csv is larger than the earlier one, which is as much as may be written
    limit = len(exported.before[exported.grades])
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))\n"
        "from eic.cli import main\n"
        f"sys.exit(main(['export', '--course', {str(exported.course)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    for path, content in exported.before.items():
        assert path.read_bytes() == content, path.name
    assert sorted(p.name for p in exported.course.glob(".*.tmp")) == []
    assert done.returncode == 1
    said = one_line(done.stderr)
    assert f"{exported.grades} could not be written" in said
    assert "The earlier grades.csv and grades-by-country.csv are unchanged" in said


def test_an_export_onto_a_full_disk_says_so_and_how_to_make_room(exported, capsys, monkeypatch):
    def disk_full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(file_lock.os, "fsync", disk_full)
    status, said = export_again(exported, capsys)
    assert status == 1
    one_line(said)
    assert "could not be written: the disk is full" in said
    assert "Free some space on that disk, or choose another file with --output" in said
    for path, content in exported.before.items():
        assert path.read_bytes() == content, path.name


def open_in_excel(name: str):
    """os.replace as on Windows while Excel has the file ``name`` open: refused."""
    os_replace = os.replace

    def replace(source, target):
        if Path(target).name == name:
            raise PermissionError(errno.EACCES, "Access is denied", str(source), None, target)
        os_replace(source, target)

    return replace


def test_a_grades_file_open_in_excel_is_kept_and_the_trainer_told_to_close_it(
    exported, capsys, monkeypatch
):
    monkeypatch.setattr(file_lock.os, "replace", open_in_excel("grades.csv"))
    status, said = export_again(exported, capsys)
    assert status == 1
    one_line(said)
    assert "permission denied (the file may be open in Excel" in said
    assert "Close the file in that program, or choose another file with --output" in said
    assert exported.grades.read_bytes() == exported.before[exported.grades]


def test_when_only_the_country_summary_cannot_be_written_the_message_says_they_differ(
    exported, capsys, monkeypatch
):
    monkeypatch.setattr(file_lock.os, "replace", open_in_excel("grades-by-country.csv"))
    status, said = export_again(exported, capsys)
    assert status == 1
    one_line(said)
    assert f"{exported.countries} could not be written" in said
    assert (
        "grades.csv was written; grades-by-country.csv is unchanged, so they do not match "
        "until you export again." in said
    )
    assert exported.countries.read_bytes() == exported.before[exported.countries]
    # the new grades.csv is whole: every participant, the later ones too (40 + 10)
    new = exported.grades.read_bytes()
    assert new[:3] == b"\xef\xbb\xbf"
    assert len(new.decode("utf-8-sig").splitlines()) == 1 + 40 + 10
    assert "th-10,สมชาย,ใจดี 10,Thailand" in new.decode("utf-8-sig")


def test_any_command_stopped_by_the_computer_says_so_in_one_line(capsys):
    def refused(_args) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "autograded/grading-log.jsonl")

    assert run(SimpleNamespace(command="grade", run=refused)) == 1
    said = capsys.readouterr().err
    assert said == (
        "eic-course grade: autograded/grading-log.jsonl could not be written: the disk is "
        "full. Free some space on that disk, or use a folder you may write in, then run it "
        "again.\n"
    )


@pytest.mark.parametrize(
    ("environment", "encoding"),
    [
        # Windows, with the output redirected to a file: the computer's code page
        ({"PYTHONIOENCODING": "cp1252"}, "cp1252"),
        # a computer whose language settings give no UTF-8
        ({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, "ascii"),
    ],
)
def test_answers_in_any_script_print_on_an_output_that_is_not_utf8(tmp_path, environment, encoding):
    AnswerStore.for_module("m01", tmp_path).record("r1_reflection", REFLECTION)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-m", "eic.cli", "answers", str(tmp_path)], capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    out = done.stdout.decode(encoding)  # as the file or terminal holds it
    # each character the output cannot hold is given by its code: "ụ" is U+1EE5
    (line,) = [ln for ln in out.splitlines() if "r1_reflection" in ln]
    assert "C\\u1ee5m" in line
    # and nothing is lost: the codes read back as the participant's words
    restored = codecs.decode(line.encode("latin-1", "backslashreplace"), "unicode_escape")
    assert REFLECTION in restored


def test_a_name_in_any_script_prints_on_a_windows_code_page():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="cp1252")
    print_any_script(out)
    print("th-01 สมชาย ใจดี, José", file=out)
    out.flush()
    assert raw.getvalue().decode("cp1252") == (
        "th-01 \\u0e2a\\u0e21\\u0e0a\\u0e32\\u0e22 \\u0e43\\u0e08\\u0e14\\u0e35, José\n"
    )


def test_a_grading_worker_logs_vietnamese_in_utf8_on_a_computer_that_is_not(tmp_path):
    log = tmp_path / "eic-grading.log"
    script = (
        "import sys; from eic.trainer.worker import log_to\n"
        f"log_to({str(log)!r})\n"
        # written as escapes: in the C locale the command line itself is ASCII
        "print('Nguy\\u1ec5n Th\\u1ecb H\\u01b0\\u01a1ng: a cell failed')\n"
        "print('\\u0e44\\u0e17\\u0e22', file=sys.stderr)\n"
    )
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8") == "Nguyễn Thị Hương: a cell failed\nไทย\n"
