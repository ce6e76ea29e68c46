"""The Unix accounts of a workshop on one JupyterHub: one per participant of the roster,
and the trainer's, each with a password the trainer hands out on a slip of paper.

JupyterHub's default authenticator (PAM) checks these passwords, and each participant's
server runs as their own user, so the machine's file permissions keep participants apart.
Participants' accounts are members of the group :data:`PARTICIPANTS_GROUP`; the hub lets
that group (and the trainer) log in. An account that exists already but is not in that
group belongs to someone else on the machine: it is never changed.

>>> login_name_problem("ph-01") is None
True
>>> print(login_name_problem("PH-01"))  # doctest: +ELLIPSIS
id 'PH-01' cannot be a login name: use lowercase letters, digits and '-', starting with ...
>>> len(new_password())
10
"""

from __future__ import annotations

import csv
import grp
import io
import os
import pwd
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eic.classroom import OWN_WORK
from eic.file_lock import write_whole

PARTICIPANTS_GROUP = "eic-participants"
LOGIN_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
# no 0/O, 1/l/I: a password is read from paper and typed
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
# what a trainer's course folder holds (the course's Python comes from the installation)
COURSE_PARTS = ("nbgrader_config.py", "course", "source", "release", "trainer")


class AccountError(Exception):
    """A problem with the machine's accounts that the trainer can fix."""


def login_name_problem(pid: str) -> str | None:
    """Why a participant id cannot be a Unix login name, or None if it can."""
    if LOGIN_NAME.fullmatch(pid):
        return None
    return (
        f"id '{pid}' cannot be a login name: use lowercase letters, digits and '-', "
        "starting with a letter (e.g. ph-01)"
    )


def new_password(length: int = 10) -> str:
    """A random password that is easy to read from paper."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def in_group(name: str, group: str) -> bool:
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        return False
    return name in entry.gr_mem or pwd.getpwnam(name).pw_gid == entry.gr_gid


def _run(*command: str, stdin: str | None = None) -> None:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise AccountError(f"{' '.join(command[:2])}: {result.stderr.strip()}")


def set_password(name: str, password: str) -> None:
    _run("chpasswd", stdin=f"{name}:{password}\n")


def create_user(name: str, full_name: str, groups: Iterable[str] = ()) -> None:
    """A new Unix user with a home folder only they can open."""
    extra = ["-G", ",".join(groups)] if groups else []
    _run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", full_name, *extra, name)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


@dataclass
class AccountsReport:
    created: dict[str, str] = field(default_factory=dict)  # name -> password
    kept: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    course_folder: Path | None = None


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise AccountError(
            f"{what} needs root: run it with sudo, e.g. sudo .venv/bin/eic-course hub ..."
        )


def create_accounts(participants, trainer: str, *, new_passwords: bool = False) -> AccountsReport:
    """Accounts for the trainer and each participant (objects with ``id``, ``first_name``,
    ``last_name``); an account made earlier for the course is kept, with its password
    unless ``new_passwords``."""
    report = AccountsReport()
    try:
        grp.getgrnam(PARTICIPANTS_GROUP)
    except KeyError:
        _run("groupadd", PARTICIPANTS_GROUP)
    people = [(trainer, "Trainer", False)] + [
        (p.id, f"{p.first_name} {p.last_name}", True) for p in participants
    ]
    for name, full_name, participant in people:
        problem = login_name_problem(name)
        if problem:
            report.refused.append(problem)
            continue
        if user_exists(name):
            if participant and not in_group(name, PARTICIPANTS_GROUP):
                report.refused.append(
                    f"'{name}' is already a user of this machine, not made for the course: "
                    "give the participant another id in the roster"
                )
                continue
            if participant and in_group(name, trainer_group(trainer)):
                report.refused.append(f"'{name}' is in the trainer's group: it cannot take part")
                continue
            if not new_passwords:
                report.kept.append(name)
                continue
        else:
            create_user(name, full_name, [PARTICIPANTS_GROUP] if participant else [])
        report.created[name] = new_password()
        set_password(name, report.created[name])
    return report


def trainer_group(trainer: str) -> str:
    """The trainer's primary group: nbgrader's inbound folder takes it, and it alone may
    read submissions."""
    try:
        return grp.getgrgid(pwd.getpwnam(trainer).pw_gid).gr_name
    except KeyError:
        return trainer


def copy_course_for(trainer: str, install: Path, folder: Path) -> bool:
    """Give the trainer their own course folder, a copy of the installation's course
    without any recorded answers, own tables or reports; False if it exists already (it is
    left as it is)."""
    if folder.exists():
        return False
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns(*OWN_WORK)
    for part in COURSE_PARTS:
        source = install / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=ignore, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, folder / part)
    entry = pwd.getpwnam(trainer)
    for dirname, dirs, files in os.walk(folder):
        for name in [dirname, *(os.path.join(dirname, n) for n in dirs + files)]:
            os.chown(name, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    os.chmod(folder, 0o750)
    return True


def remove_accounts(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove the course's participant accounts and their home folders. Returns the names
    removed and the names left (not an account of the course)."""
    removed, left = [], []
    for name in names:
        if user_exists(name) and in_group(name, PARTICIPANTS_GROUP):
            _run("userdel", "--remove", name)
            removed.append(name)
        else:
            left.append(name)
    return removed, left


PASSWORDS_HEADER = ["login", "name", "password"]


def read_passwords(path: Path) -> dict[str, tuple[str, str]]:
    """The logins in a passwords file written by :func:`write_passwords`, each with the
    name and password; none if there is no file. :class:`AccountError` if the file cannot
    be read or was not written by it (it is then never written over)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise AccountError(
            f"{path} cannot be read ({err}): give another file with --passwords, so that the "
            "passwords in it are not lost"
        ) from None
    lines = list(csv.reader(text.splitlines()))
    if not lines:
        return {}
    if lines[0] != PASSWORDS_HEADER:
        raise AccountError(
            f"{path} is not a passwords file of the course (its first line is not "
            f"{','.join(PASSWORDS_HEADER)}), so it is not written over: give another file "
            "with --passwords"
        )
    # a name with a comma, as written unquoted before, is the fields between the two others
    return {row[0]: (",".join(row[1:-1]), row[-1]) for row in lines[1:] if len(row) >= 3}


def write_passwords(path: Path, created: dict[str, str], names: dict[str, str]) -> None:
    """Add the new passwords (login -> password) to the file at ``path``, one line per
    account: the passwords already in it are kept, and a login given a new password gets
    it in its line. The file is written whole (a full disk leaves it as it was) and only
    its owner can read it (mode 0600). :class:`AccountError` as :func:`read_passwords`;
    :class:`OSError` if it cannot be written."""
    accounts = read_passwords(path)
    for login, password in created.items():
        accounts[login] = (names.get(login, ""), password)
    text = io.StringIO(newline="")
    out = csv.writer(text, lineterminator="\n")
    out.writerow(PASSWORDS_HEADER)
    out.writerows([login, name, password] for login, (name, password) in accounts.items())
    # write_whole's temporary file, which becomes the file, is private (0600) from the start
    write_whole(path, text.getvalue().encode("utf-8"))
    os.chmod(path, 0o600)
