"""``eic-course hub``: the course on one JupyterHub for a whole workshop, with nbgrader's
exchange between the trainer and the participants.

eic-course hub accounts ROSTER        Unix accounts for the trainer and each participant
eic-course hub start --ip A --port N  JupyterHub (with configurable-http-proxy) at A:N
eic-course hub release MODULE|all     the released module into the exchange
eic-course hub collect MODULE|all     the participants' submissions into submitted/
eic-course hub remove-accounts ROSTER the participants' accounts, after the workshop

``accounts``, ``start`` and ``remove-accounts`` run as root (with sudo); ``release`` and
``collect`` as the trainer, in the course folder. The hub's settings are in
``deploy/jupyterhub_config.py``.

Before it starts the hub, ``start`` closes the trainer's course folder to other users, and
the installation too (:func:`protect_course`) except what participants' servers run: the
course's Python environment (``.venv``), its library (``lib``), the hub's settings
(``deploy``) and the syllabus. So a participant can read neither the instructor notebooks
nor the facilitation notes nor the gradebook.
"""

from __future__ import annotations

import argparse
import functools
import os
import pwd
import stat
import sys
from pathlib import Path

from eic.hub_accounts import (
    AccountError,
    copy_course_for,
    create_accounts,
    read_passwords,
    remove_accounts,
    require_root,
    user_exists,
    write_passwords,
)
from eic.serve import PortBusy, check_port
from eic.trainer.course import Course, CourseError
from eic.trainer.os_problems import not_written

DEFAULT_STATE = Path("/srv/eic-course")
COURSE_FOLDER = "eic-course"  # the trainer's course folder, in their home
# What participants' servers need from a course folder; everything else is closed to them.
OPEN_TO_PARTICIPANTS = {".venv", "lib", "deploy"}
OPEN_IN_COURSE = {"syllabus.yml"}  # the library reads course/syllabus.yml


def install_root() -> Path:
    """The course checkout this command runs from (it holds ``deploy/``)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "deploy" / "jupyterhub_config.py").is_file():
        raise CourseError(
            f"no deploy/jupyterhub_config.py in {root}: run the eic-course of a course "
            "checkout installed with scripts/setup.sh --hub"
        )
    return root


def default_exchange() -> Path:
    return Path(os.environ.get("EIC_EXCHANGE") or DEFAULT_STATE / "exchange")


def _close(path: Path) -> bool:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode) or not mode & stat.S_IRWXO:
        return False
    path.chmod(stat.S_IMODE(mode) & ~stat.S_IRWXO)
    return True


def protect_course(folder: Path) -> list[str]:
    """Close ``folder`` to other users except what participants' servers need: other
    users may pass through it but not list it, and may open only ``.venv``, ``lib``,
    ``deploy`` and ``course/syllabus.yml``. Returns what was closed."""
    closed = []
    for entry in sorted(folder.iterdir()):
        if entry.name in OPEN_TO_PARTICIPANTS:
            continue
        if entry.name == "course" and entry.is_dir():
            for part in sorted(entry.iterdir()):
                if part.name not in OPEN_IN_COURSE and _close(part):
                    closed.append(f"{entry.name}/{part.name}")
            entry.chmod((stat.S_IMODE(entry.stat().st_mode) & ~stat.S_IRWXO) | stat.S_IXOTH)
        elif _close(entry):
            closed.append(entry.name)
    folder.chmod((stat.S_IMODE(folder.stat().st_mode) & ~stat.S_IRWXO) | stat.S_IXOTH)
    return closed


def unreachable_parents(path: Path) -> list[Path]:
    """The folders above ``path`` (as written, and with its links followed) that other
    users cannot pass through."""
    written = Path(os.path.abspath(path))
    found: list[Path] = []
    for place in (written, written.resolve()):
        for parent in reversed(place.parents):
            if not parent.stat().st_mode & stat.S_IXOTH and parent not in found:
                found.append(parent)
    return found


def python_blocked() -> list[Path]:
    """The folders that keep other users from running this Python and the course: its
    environment, the installation it was made from, and the course's own folder."""
    blocked: list[Path] = []
    for path in (Path(sys.prefix) / "bin" / "python", Path(sys.base_prefix) / "bin",
                 install_root() / "lib"):  # fmt: skip
        blocked += [folder for folder in unreachable_parents(path) if folder not in blocked]
    return blocked


def prepare_exchange(exchange: Path) -> None:
    """The exchange folder: every user may create in it, no one may remove another's
    entries (mode 1777, like /tmp); nbgrader makes the course's folders in it."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)


def hub_environment(args: argparse.Namespace, course: Path, exchange: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EIC_HUB_IP": args.ip,
        "EIC_HUB_PORT": str(args.port),
        "EIC_HUB_STATE": str(args.state),
        "EIC_HUB_TRAINER": args.trainer,
        "EIC_HUB_COURSE": str(course),
        "EIC_EXCHANGE": str(exchange),
    }


def _course_folder(args: argparse.Namespace) -> Path:
    if args.course:
        return Path(args.course).resolve()
    return Path(pwd.getpwnam(args.trainer).pw_dir) / COURSE_FOLDER


def _roster_as_root(args: argparse.Namespace, action: str) -> tuple[list, list[str]]:
    """The roster's participants and problems, once it is sure that root runs ``action``."""
    from eic.trainer.roster import RosterError, load_roster

    require_root(action)
    try:
        return load_roster(args.roster)
    except RosterError as err:
        raise CourseError(f"{args.roster}: {err}") from None


def _accounts(args: argparse.Namespace) -> int:
    participants, problems = _roster_as_root(args, "Making accounts")
    passwords = Path(args.passwords)
    read_passwords(passwords)  # a file it would not write over stops it before any account
    report = create_accounts(participants, args.trainer, new_passwords=args.new_passwords)
    names = {p.id: f"{p.first_name} {p.last_name}" for p in participants}
    names[args.trainer] = "Trainer"
    folder = _course_folder(args)
    if copy_course_for(args.trainer, install_root(), folder):
        print(f"The trainer's course folder: {folder} (a copy of the course, theirs to use).")
    print(f"{len(report.created)} account(s) given a new password, {len(report.kept)} kept.")
    if report.created:
        try:
            write_passwords(passwords, report.created, names)
        except OSError as err:
            # the accounts have these passwords now: shown once here rather than lost
            for login, password in report.created.items():
                print(f"  {login},{names.get(login, '')},{password}")
            reason, fix = not_written(err, "give another file with --passwords")
            raise CourseError(
                f"the new passwords printed above could not be written to {passwords}: "
                f"{reason}. Copy them now: the accounts have them, and running the command "
                f"again would not show them again. {passwords} is unchanged; before the next "
                f"run, {fix}."
            ) from None
        print(f"Logins and passwords: {args.passwords} (only you can read it: print it,")
        print("cut it into slips and hand each participant theirs; the passwords it held")
        print("before are kept, and an account given a new password has it in its line).")
    for problem in problems + report.refused:
        print(f"  not made: {problem}")
    return 1 if problems or report.refused else 0


def _remove_accounts(args: argparse.Namespace) -> int:
    participants, _ = _roster_as_root(args, "Removing accounts")
    removed, left = remove_accounts(p.id for p in participants)
    print(f"{len(removed)} account(s) removed with their home folders.")
    if left:
        print(f"Not an account of the course (left alone): {', '.join(left)}")
    return 0


def _start(args: argparse.Namespace) -> int:
    require_root("Starting the hub")
    root = install_root()
    proxy = root / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.is_file():
        raise CourseError("configurable-http-proxy is not installed: run scripts/setup.sh --hub")
    if not user_exists(args.trainer):
        raise CourseError(
            f"there is no user '{args.trainer}': make the accounts first "
            "(eic-course hub accounts ROSTER --trainer NAME)"
        )
    course = _course_folder(args)
    if not (course / "nbgrader_config.py").is_file():
        raise CourseError(f"no course in {course} (no nbgrader_config.py); give it with --course")
    if course.resolve() == root:
        raise CourseError(
            f"{course} is the installation, which participants' servers run from: give the "
            "trainer a course folder of their own (eic-course hub accounts makes one)"
        )
    if course.stat().st_uid != pwd.getpwnam(args.trainer).pw_uid:
        raise CourseError(f"{course} is not {args.trainer}'s: chown -R {args.trainer}: {course}")
    blocked = " ".join(str(folder) for folder in python_blocked())
    if blocked:
        raise CourseError(
            f"participants' servers run the course's Python ({sys.executable}), but other "
            f"users cannot pass through {blocked}: let them (chmod o+x {blocked}), or "
            "install the course with a Python that every user can run, e.g. "
            "PYTHON=/usr/local/bin/python3.11 bash scripts/setup.sh --hub"
        )
    try:
        check_port(args.ip, args.port)
    except PortBusy as err:
        raise CourseError(str(err)) from None
    args.state.mkdir(parents=True, exist_ok=True)
    args.state.chmod(0o755)
    exchange = Path(args.exchange or args.state / "exchange")
    prepare_exchange(exchange)
    closed = protect_course(root)
    if closed:
        print(f"Closed to participants in {root}: {', '.join(closed)}")
    if _close(course):
        print(f"Closed to participants: {course}")
    config = root / "deploy" / "jupyterhub_config.py"
    command = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    print(f"Starting JupyterHub at http://{args.ip}:{args.port}/ for the course in {course}")
    print(f"Trainer (admin): {args.trainer}; exchange: {exchange}. Press Ctrl-C here to stop.")
    os.chdir(args.state)
    sys.stdout.flush()
    os.execve(command[0], command, hub_environment(args, course, exchange))
    return 0  # pragma: no cover - execve does not return


def _plain(step):
    """A step whose account problems are reported like the course's (one line, status 1)."""

    @functools.wraps(step)
    def run(args: argparse.Namespace) -> int:
        try:
            return step(args)
        except AccountError as err:
            raise CourseError(str(err)) from None

    return run


def _exchange_api(args: argparse.Namespace, **overrides):
    course = Course.at(args.course)
    exchange = Path(args.exchange) if args.exchange else default_exchange()
    return course, course.api(**{"Exchange.root": str(exchange), **overrides})


def _release(args: argparse.Namespace) -> int:
    course, api = _exchange_api(args, **{"ExchangeReleaseAssignment.force": args.force})
    status = 0
    for module in course.resolve(args.module):
        if not (course.root / "release" / module.folder / module.notebook).is_file():
            raise CourseError(f"{module.folder} is not released yet: run eic-course release first")
        result = api.release_assignment(module.folder)
        if result["success"]:
            print(f"{module.folder}: in the exchange; participants fetch it under Assignments.")
        else:
            print(f"{module.folder}: not released: {_last_error(result)}")
            status = 1
    return status


def _collect(args: argparse.Namespace) -> int:
    from eic.trainer.course_lock import running_alone

    # it writes into submitted/, which grading reads: never while grading (or another
    # collect) runs in the course folder
    with running_alone(Course.at(args.course), f"eic-course hub collect {args.module}"):
        course, api = _exchange_api(args)
        return _collect_alone(args, course, api)


def _collect_alone(args: argparse.Namespace, course: Course, api) -> int:
    status = 0
    for module in course.resolve(args.module):
        result = api.collect(module.folder)
        if not result["success"]:
            print(f"{module.folder}: not collected: {_last_error(result)}")
            status = 1
            continue
        submitted = course.submitted(module.folder)
        print(f"{module.folder}: {len(submitted)} submission(s) in submitted/.")
        for line in result.get("log", "").splitlines():
            if "cheating attempt" in line or "but is owned by" in line:
                print(f"  WARNING {line.strip()}")
                status = 1
        with course.gradebook() as gb:
            missing = sorted(s.id for s in gb.students if s.id not in submitted)
        if missing:
            print(f"  No submission from: {', '.join(missing)}")
    return status


def _last_error(result: dict) -> str:
    lines = [ln for ln in (result.get("log") or result.get("error") or "").splitlines() if ln]
    return lines[-1].strip() if lines else "nbgrader gave no reason"


def add_hub_command(commands) -> None:
    hub = commands.add_parser(
        "hub",
        help="run the workshop on one JupyterHub, with nbgrader's exchange",
        description=__doc__.split("\n\n")[0].replace("``", "'"),
    )
    sub = hub.add_subparsers(dest="hub_command", required=True)
    trainer = argparse.ArgumentParser(add_help=False)
    trainer.add_argument("--trainer", default="trainer", help="the trainer's login name")
    trainer.add_argument("--course", metavar="FOLDER", help="the trainer's course folder "
                         f"(default: ~TRAINER/{COURSE_FOLDER})")  # fmt: skip

    accounts = sub.add_parser(
        "accounts",
        parents=[trainer],
        help="Unix accounts for the trainer and each participant of the roster (as root)",
        description="Make a Unix account for the trainer and for each participant of the "
        "roster (login = the participant's id), each with a new password, added to a file "
        "only you can read (the passwords already in it are kept). Accounts made earlier are "
        "kept, with their passwords. The trainer also gets a course "
        "folder of their own if they have none.",
    )
    accounts.add_argument("roster", help="the roster (CSV: id,first_name,last_name,country,email)")
    accounts.add_argument("--passwords", default="eic-hub-passwords.csv", metavar="FILE",
                          help="the file the passwords are added to (%(default)s)")  # fmt: skip
    accounts.add_argument("--new-passwords", action="store_true",
                          help="give accounts made earlier a new password too")  # fmt: skip
    accounts.set_defaults(run=_plain(_accounts))

    remove = sub.add_parser(
        "remove-accounts",
        help="remove the participants' accounts and home folders (as root)",
    )
    remove.add_argument("roster", help="the roster the accounts were made from")
    remove.set_defaults(run=_plain(_remove_accounts))

    start = sub.add_parser(
        "start",
        parents=[trainer],
        help="start JupyterHub for the workshop (as root)",
        description="Start JupyterHub with configurable-http-proxy at the address you "
        "choose, with deploy/jupyterhub_config.py. Participants open http://IP:PORT/ and "
        "log in with their id and password.",
    )
    start.add_argument("--ip", default="127.0.0.1",
                       help="address (0.0.0.0 for the whole room's network)")  # fmt: skip
    start.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    start.add_argument("--state", type=Path, default=DEFAULT_STATE,
                       help="the hub's own files (default %(default)s)")  # fmt: skip
    start.add_argument("--exchange", metavar="FOLDER",
                       help="nbgrader's exchange (default STATE/exchange)")  # fmt: skip
    start.set_defaults(run=_plain(_start))

    for name, run, what in (
        ("release", _release, "put a released module into the exchange for participants"),
        ("collect", _collect, "collect the participants' submissions from the exchange"),
    ):
        step = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        step.add_argument("module", help="a module id (m01), its folder name, or 'all'")
        step.add_argument("--course", metavar="FOLDER", help="the course folder")
        step.add_argument("--exchange", metavar="FOLDER",
                          help="nbgrader's exchange (default $EIC_EXCHANGE or "
                          f"{DEFAULT_STATE / 'exchange'})")  # fmt: skip
        if name == "release":
            step.add_argument("--force", action="store_true", help="replace an earlier release")
        step.set_defaults(run=run)
