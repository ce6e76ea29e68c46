"""A workshop on one JupyterHub: the trainer and three participants get Unix accounts from
the roster, log in with their passwords, and get their servers from the hub; the trainer
releases Module 1 through nbgrader's exchange; each participant fetches it from the
Assignments list of their own server, records answers (all model answers, some, none) and
submits; the trainer collects and grades with ``eic-course grade``: 100 %, partial and 0.
A participant can read neither another's submission, nor the instructor notebooks, nor the
gradebook. The hub is stopped and the accounts removed at the end, also when a step fails.

Also, without a hub: the Helm values for Zero to JupyterHub name only settings the chart
knows, and the hub's pins agree with each other and with pyproject.toml."""

from __future__ import annotations

import csv
import errno
import grp
import json
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import yaml
from conftest import ROOT, free_port, released_modules
from packaging.requirements import Requirement
from test_pins import pins
from test_trainer_class import expected_score, test_cells_of

from eic.guide import questions
from eic.hub import protect_course, python_blocked
from eic.hub_accounts import PARTICIPANTS_GROUP, AccountError, AccountsReport, write_passwords
from eic.hub_exchange import close_to_others

TRAINER = "eic-hub-trainer"
OUTSIDER = "eic-hub-outsider"  # a user of the machine who is not in the workshop
ROSTER = [
    ("hb-01", "Maria", "Santos", "Philippines", "maria@example.org"),
    ("hb-02", "An", "Nguyen", "Viet Nam", "an@example.org"),
    ("hb-03", "Somchai", "Dee", "Thailand", "somchai@example.org"),
]
FULL, PARTLY, BLANK = (r[0] for r in ROSTER)
(M01,) = (m for m in released_modules() if m["id"] == "m01")
FOLDER = M01["folder"]
BIN = Path(sys.executable).parent
Z2JH = ROOT / "deploy" / "z2jh"


# -- without a hub -------------------------------------------------------------------------
def known_keys() -> tuple[set[str], set[str]]:
    """The chart's settings listed in deploy/z2jh/known-keys.txt: exact keys, and keys
    under which any key is allowed (written ``key.*``)."""
    lines = [ln.split("#")[0].strip() for ln in (Z2JH / "known-keys.txt").read_text().splitlines()]
    keys = {ln for ln in lines if ln}
    return {k for k in keys if not k.endswith(".*")}, {k[:-2] for k in keys if k.endswith(".*")}


def leaf_keys(values: dict, prefix: str = "") -> list[str]:
    found = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        found.append(path)
        if isinstance(value, dict):
            found.extend(leaf_keys(value, path + "."))
    return found


def test_the_helm_values_name_only_settings_the_chart_knows():
    values = yaml.safe_load((Z2JH / "values.yaml").read_text(encoding="utf-8"))
    exact, open_maps = known_keys()
    unknown = [
        key
        for key in leaf_keys(values)
        if key not in exact and not any(key.startswith(m + ".") for m in open_maps)
    ]
    assert unknown == []
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == ["trainer"]
    mounts = {m["mountPath"] for m in values["singleuser"]["storage"]["extraVolumeMounts"]}
    assert "/srv/eic-course/exchange" in mounts
    # the hub's own configuration snippets are Python that compiles
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, name, "exec")


def test_the_known_keys_reject_a_misspelt_setting():
    exact, open_maps = known_keys()
    assert "singleuser.image.name" in exact and "singleuser.image.nmae" not in exact
    assert "hub.config" in open_maps


def test_the_single_user_image_installs_the_binder_pins_and_the_hubs():
    dockerfile = (Z2JH / "Dockerfile").read_text(encoding="utf-8")
    assert "binder/requirements.txt" in dockerfile and "deploy/requirements.txt" in dockerfile
    # the course library and its Voila page template, which voila.json names
    assert "COPY lib " in dockerfile and "COPY share " in dockerfile
    assert re.search(r"^FROM python:3\.11", dockerfile, re.M)


def test_the_hub_pins_are_the_tests_pins_and_within_the_hub_extra():
    hub_pins = pins(ROOT / "deploy" / "requirements.txt")
    test_pins = pins(ROOT / "tests" / "requirements.txt")
    assert {name: test_pins.get(name) for name in hub_pins} == hub_pins
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in map(Requirement, extra["optional-dependencies"]["hub"]):
        assert spec.specifier.contains(hub_pins[spec.name]), spec
    lock = json.loads((ROOT / "deploy" / "package-lock.json").read_text())
    proxy = lock["packages"]["node_modules/configurable-http-proxy"]["version"]
    package = json.loads((ROOT / "deploy" / "package.json").read_text())
    assert package["dependencies"]["configurable-http-proxy"] == proxy  # an exact version


def test_protect_course_leaves_open_only_what_participants_servers_need(tmp_path):
    for part in [".venv/bin", "lib/eic", "deploy", "course/guide", "source/m01", "release"]:
        (tmp_path / part).mkdir(parents=True)
    for name in ["course/syllabus.yml", "course/programme.md", "gradebook.db", "README.md"]:
        (tmp_path / name).write_text("x")
    for path in tmp_path.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    closed = protect_course(tmp_path)
    assert sorted(closed) == [
        "README.md", "course/guide", "course/programme.md", "gradebook.db", "release", "source",
    ]  # fmt: skip
    others = {p: stat.S_IMODE(p.stat().st_mode) & 0o7 for p in tmp_path.rglob("*")}
    others[tmp_path] = stat.S_IMODE(tmp_path.stat().st_mode) & 0o7
    assert others[tmp_path] == others[tmp_path / "course"] == 0o1  # pass through, not list
    assert others[tmp_path / "course/syllabus.yml"] == 0o4
    assert others[tmp_path / ".venv"] == others[tmp_path / "lib"] == 0o5
    assert others[tmp_path / "source"] == others[tmp_path / "gradebook.db"] == 0


def test_a_submission_in_the_exchange_is_closed_to_others_if_it_has_the_trainers_group(
    tmp_path,
):
    inbound, other = tmp_path / "inbound", tmp_path / "inbound" / "other"
    (inbound / "sub" / "m01").mkdir(parents=True)
    other.mkdir()
    for folder in (inbound, inbound / "sub", other):
        folder.chmod(0o777)
    assert close_to_others(inbound / "sub", inbound)
    assert stat.S_IMODE((inbound / "sub").stat().st_mode) == 0o770
    if os.geteuid() == 0:  # a folder with another group stays open, or the trainer is shut out
        os.chown(other, -1, inbound.stat().st_gid + 1)
        assert not close_to_others(other, inbound)
        assert stat.S_IMODE(other.stat().st_mode) == 0o777


def passwords_in(path: Path) -> list[tuple[str, str, str]]:
    return [(r["login"], r["name"], r["password"]) for r in csv.DictReader(path.open())]


def test_passwords_written_again_keep_those_of_the_earlier_run(tmp_path):
    passwords = tmp_path / "eic-hub-passwords.csv"
    names = {"ph-01": "Maria Santos", "vn-01": "Nguyễn Thị Hương", "th-01": "Somchai Jaidee"}
    write_passwords(passwords, {"ph-01": "pw1", "vn-01": "pw2"}, names)
    # a late participant, and ph-01 given a new password (--new-passwords)
    write_passwords(passwords, {"th-01": "pw3", "ph-01": "pw4"}, names)
    assert passwords_in(passwords) == [
        ("ph-01", "Maria Santos", "pw4"),
        ("vn-01", "Nguyễn Thị Hương", "pw2"),
        ("th-01", "Somchai Jaidee", "pw3"),
    ]
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600  # only its owner reads it
    assert [p.name for p in tmp_path.iterdir()] == [passwords.name]  # no temporary file left


def test_a_passwords_file_from_before_with_a_comma_in_a_name_is_kept_whole(tmp_path):
    passwords = tmp_path / "eic-hub-passwords.csv"
    passwords.write_text("login,name,password\nph-01,Maria Santos, Jr.,pw1\n")  # unquoted
    write_passwords(passwords, {"vn-01": "pw2"}, {"vn-01": "An Nguyen"})
    assert passwords_in(passwords) == [
        ("ph-01", "Maria Santos, Jr.", "pw1"),
        ("vn-01", "An Nguyen", "pw2"),
    ]


def test_a_file_that_is_not_a_passwords_file_is_never_written_over(tmp_path):
    roster = tmp_path / "participants.csv"
    roster.write_text("id,first_name,last_name,country,email\nph-01,Maria,Santos,PH,m@x.org\n")
    before = roster.read_bytes()
    with pytest.raises(AccountError, match="not a passwords file.*--passwords"):
        write_passwords(roster, {"ph-01": "pw1"}, {"ph-01": "Maria Santos"})
    assert roster.read_bytes() == before


class MadeAccounts:
    """``create_accounts`` without Unix users: an account is made once, with the next
    password of ``passwords``, and kept with it after that."""

    def __init__(self, passwords: list[str]) -> None:
        self.passwords, self.made = iter(passwords), set()

    def __call__(self, participants, trainer: str, *, new_passwords: bool) -> AccountsReport:
        report = AccountsReport()
        for name in [trainer, *(p.id for p in participants)]:
            if name in self.made:
                report.kept.append(name)
            else:
                self.made.add(name)
                report.created[name] = next(self.passwords)
        return report


@pytest.fixture
def accounts_without_users(monkeypatch):
    """``eic-course hub accounts`` with everything that would change the machine replaced."""
    from eic import hub

    made = MadeAccounts(["pw-t", "pw-1", "pw-2", "pw-3"])
    monkeypatch.setattr(hub, "require_root", lambda _action: None)
    monkeypatch.setattr(hub, "create_accounts", made)
    monkeypatch.setattr(hub, "copy_course_for", lambda *_args: False)
    monkeypatch.setattr(hub, "install_root", lambda: ROOT)
    return made


def test_the_accounts_command_run_again_for_a_late_participant_keeps_the_earlier_passwords(
    tmp_path, accounts_without_users, capsys
):
    from eic.cli import main

    roster, passwords = tmp_path / "participants.csv", tmp_path / "eic-hub-passwords.csv"
    header = "id,first_name,last_name,country,email\n"
    first = "ph-01,Maria,Santos,Philippines,m@x.org\nvn-01,An,Nguyen,Viet Nam,a@x.org\n"
    argv = ["hub", "accounts", str(roster), "--trainer", "trainer", "--course", str(tmp_path),
            "--passwords", str(passwords)]  # fmt: skip
    roster.write_text(header + first)
    assert main(argv) == 0
    roster.write_text(header + first + "th-01,Somchai,Jaidee,Thailand,s@x.org\n")
    assert main(argv) == 0
    assert "1 account(s) given a new password, 3 kept." in capsys.readouterr().out
    assert passwords_in(passwords) == [
        ("trainer", "Trainer", "pw-t"),
        ("ph-01", "Maria Santos", "pw-1"),
        ("vn-01", "An Nguyen", "pw-2"),
        ("th-01", "Somchai Jaidee", "pw-3"),
    ]


def test_new_passwords_that_cannot_be_written_are_shown_once_not_lost(
    tmp_path, accounts_without_users, capsys, monkeypatch
):
    from eic import hub_accounts
    from eic.cli import main

    roster, passwords = tmp_path / "participants.csv", tmp_path / "eic-hub-passwords.csv"
    roster.write_text("id,first_name,last_name,country,email\nph-01,Maria,Santos,PH,m@x.org\n")
    passwords.write_text("login,name,password\nvn-01,An Nguyen,pw0\n")

    def disk_full(_path, _content) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(hub_accounts, "write_whole", disk_full)
    argv = ["hub", "accounts", str(roster), "--course", str(tmp_path), "--passwords",
            str(passwords)]  # fmt: skip
    assert main(argv) == 1
    said = capsys.readouterr()
    assert "  trainer,Trainer,pw-t\n  ph-01,Maria Santos,pw-1\n" in said.out
    assert said.err.count("\n") == 1 and "Traceback" not in said.err
    assert "could not be written" in said.err and "the disk is full" in said.err
    assert passwords.read_text() == "login,name,password\nvn-01,An Nguyen,pw0\n"


# -- a workshop on a running hub -----------------------------------------------------------
def as_user(user: str, *command: str, cwd: Path | None = None, timeout: float = 600):
    """Run a command as a Unix user, with a clean environment of the course's Python."""
    home = pwd.getpwnam(user).pw_dir
    env = [f"HOME={home}", f"USER={user}", f"LOGNAME={user}", "LANG=C.UTF-8",
           f"PATH={BIN}:/usr/local/bin:/usr/bin:/bin"]  # fmt: skip
    return subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", *env, *command],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def eic_course(user: str, course: Path, *argv: str, timeout: float = 600):
    result = as_user(user, str(BIN / "python"), "-m", "eic.cli", *argv, cwd=course,
                     timeout=timeout)  # fmt: skip
    assert result.returncode == 0, f"eic-course {' '.join(argv)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def require_root() -> None:
    if os.geteuid() != 0:
        reason = "the hub test makes Unix users and starts JupyterHub as root: run it as root"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


class Hub:
    """JupyterHub at ``url`` through its login page and REST API, as a browser would."""

    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.log = log

    def log_tail(self) -> str:
        return "\nThe hub's log (end):\n" + self.log.read_text()[-5000:]

    def login(self, user: str, password: str) -> requests.Session:
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        session.xsrf = next(c.value for c in session.cookies if c.name == "_xsrf")
        session.login = session.post(
            f"{self.url}/hub/login",
            data={"username": user, "password": password, "_xsrf": session.xsrf},
            allow_redirects=False,
            timeout=60,
        )
        session.get(f"{self.url}/hub/home", timeout=30)  # the logged-in session's XSRF token
        session.xsrf = [c.value for c in session.cookies if c.name == "_xsrf"][-1]
        return session

    def token(self, session: requests.Session, user: str) -> str:
        """An API token of the logged-in user, made with their own session."""
        reply = session.post(
            f"{self.url}/hub/api/users/{user}/tokens",
            json={"note": "hub test", "expires_in": 3600},
            headers={"X-XSRFToken": session.xsrf},
            timeout=30,
        )
        assert reply.status_code == 201, reply.text
        return reply.json()["token"]

    def api(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        return requests.request(
            method, f"{self.url}{path}", headers={"Authorization": f"token {token}"},
            timeout=kwargs.pop("timeout", 120), **kwargs,
        )  # fmt: skip

    def start_server(self, user: str, token: str) -> None:
        reply = self.api("POST", f"/hub/api/users/{user}/server", token)
        assert reply.status_code in (201, 202), reply.text + self.log_tail()

    def wait_ready(self, user: str, token: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/hub/api/users/{user}", token).json()
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{user}'s server did not start in {timeout} s" + self.log_tail())


def answers_file(model: dict[str, object], how_many: int | None) -> str:
    """An answer file holding the first ``how_many`` model answers (all if None)."""
    chosen = list(model.items())[:how_many]
    entries = {qid: {"value": value, "recorded_at": "2026-11-29T09:00:00+00:00"}
               for qid, value in chosen}  # fmt: skip
    return json.dumps({"module": M01["id"], "format": 1, "answers": entries})


PROBE = """
import json, os, sys
found = {}
for path in sys.argv[1:]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        found[path] = "read"
    except PermissionError:
        found[path] = "denied"
print(json.dumps(found))
"""


def probe(user: str, paths: list[Path]) -> dict[str, str]:
    """What ``user`` can read (or list) of ``paths``, trying for real as that user."""
    result = as_user(user, str(BIN / "python"), "-c", PROBE, *map(str, paths))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # as Ctrl-C: the hub stops users' servers
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def end_processes_of(users: list[str]) -> None:
    """Stop any process still running as the test's users (their servers and kernels)."""
    import psutil

    uids = {pwd.getpwnam(u).pw_uid for u in users if _exists(u)}
    for proc in psutil.process_iter(["uids"]):
        if proc.info["uids"] and proc.info["uids"].real in uids:
            proc.kill()


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def modes_of(root: Path) -> dict[Path, int]:
    """The mode of a checkout's top entries and of course/'s, to put back after the test."""
    paths = [root, *root.iterdir(), *(root / "course").iterdir()]
    return {p: stat.S_IMODE(p.lstat().st_mode) for p in paths if not p.is_symlink()}


@pytest.fixture(scope="module")
def workshop():
    require_root()
    users = [TRAINER, OUTSIDER] + [r[0] for r in ROSTER]
    taken = [u for u in users if _exists(u)]
    assert not taken, f"users {taken} exist already: remove them (userdel -r NAME) first"
    group_existed = _group_exists(PARTICIPANTS_GROUP)
    modes = modes_of(ROOT)
    # Users' servers run this Python and the course. Where either lives in a private folder
    # (a version manager's under /root, or a checkout in a private temporary folder, as on
    # CI), let other users pass through those folders (not list them) while the test runs,
    # as the hub's start-up message tells a trainer to do.
    for blocked in python_blocked():
        modes[blocked] = stat.S_IMODE(blocked.stat().st_mode)
        blocked.chmod(modes[blocked] | stat.S_IXOTH)
    base = Path(tempfile.mkdtemp(prefix="eic-hub-"))
    base.chmod(0o755)
    hub_process = None
    try:
        roster = base / "roster.csv"
        lines = ["id,first_name,last_name,country,email"] + [",".join(r) for r in ROSTER]
        roster.write_text("\n".join(lines) + "\n")
        roster.chmod(0o644)
        course = base / "course"
        passwords = base / "passwords.csv"
        made = subprocess.run(
            [sys.executable, "-m", "eic.cli", "hub", "accounts", str(roster), "--trainer",
             TRAINER, "--course", str(course), "--passwords", str(passwords)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert made.returncode == 0, made.stdout + made.stderr
        logins = {row["login"]: row["password"] for row in csv.DictReader(passwords.open())}
        subprocess.run(["useradd", "--create-home", OUTSIDER], check=True)
        logins[OUTSIDER] = "an-outsider-1"
        subprocess.run(["chpasswd"], input=f"{OUTSIDER}:{logins[OUTSIDER]}\n", text=True,
                       check=True)  # fmt: skip
        port = free_port()
        state = base / "state"
        log = (base / "hub.log").open("w")
        hub_process = subprocess.Popen(
            [sys.executable, "-m", "eic.cli", "hub", "start", "--ip", "127.0.0.1",
             "--port", str(port), "--trainer", TRAINER, "--course", str(course),
             "--state", str(state)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        hub = Hub(f"http://127.0.0.1:{port}", base / "hub.log")
        deadline = time.monotonic() + 90
        while True:
            assert hub_process.poll() is None, (base / "hub.log").read_text()
            try:
                if requests.get(f"{hub.url}/hub/api", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, (base / "hub.log").read_text()
            time.sleep(0.5)
        yield SimpleNamespace(
            hub=hub, base=base, course=course, state=state, exchange=state / "exchange",
            roster=roster, logins=logins, accounts=made.stdout, log=base / "hub.log",
        )  # fmt: skip
    finally:
        if hub_process is not None:
            stop(hub_process)
        end_processes_of(users)
        for user in users:
            if _exists(user):
                subprocess.run(["userdel", "--remove", user], capture_output=True)
        if not group_existed and _group_exists(PARTICIPANTS_GROUP):
            subprocess.run(["groupdel", PARTICIPANTS_GROUP], capture_output=True)
        for path, mode in modes.items():
            path.chmod(mode)
        shutil.rmtree(base, ignore_errors=True)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="module")
def graded(workshop):
    """The whole class round: login, servers, release, fetch, answers, submit, collect,
    grade. Returns what each step showed."""
    w, hub = workshop, workshop.hub
    out = SimpleNamespace(sessions={}, tokens={}, lists={}, submitted={})
    for user in [TRAINER, FULL, PARTLY, BLANK]:
        session = hub.login(user, w.logins[user])
        out.sessions[user] = session
        out.tokens[user] = hub.token(session, user)
    for user, token in out.tokens.items():
        hub.start_server(user, token)
    for user, token in out.tokens.items():
        hub.wait_ready(user, token)

    out.roster = eic_course(TRAINER, w.course, "roster", "import", str(w.roster))
    out.release = eic_course(TRAINER, w.course, "release", M01["id"])
    out.hub_release = eic_course(TRAINER, w.course, "hub", "release", M01["id"],
                                 "--exchange", str(w.exchange))  # fmt: skip

    model = {q.qid: q.answer for q in questions(w.course / "source" / FOLDER / f"{FOLDER}.ipynb")}
    plan = {FULL: None, PARTLY: 3, BLANK: 0}
    query = {"course_id": "eic", "assignment_id": FOLDER}
    for user, how_many in plan.items():
        token = out.tokens[user]
        listed = hub.api("GET", f"/user/{user}/assignments", token, params={"course_id": "eic"})
        out.lists[user] = listed.json()
        fetched = hub.api("POST", f"/user/{user}/assignments/fetch", token, params=query)
        assert fetched.ok and fetched.json()["success"], fetched.text
        if how_many != 0:
            content = answers_file(model, how_many)
            put = hub.api(
                "PUT", f"/user/{user}/api/contents/{FOLDER}/{M01['id']}-answers.json", token,
                json={"type": "file", "format": "text", "content": content},
            )  # fmt: skip
            assert put.status_code in (200, 201), put.text
        sent = hub.api("POST", f"/user/{user}/assignments/submit", token, params=query)
        assert sent.ok and sent.json()["success"], sent.text
        out.submitted[user] = sent.json()["value"]

    out.collect = eic_course(TRAINER, w.course, "hub", "collect", M01["id"],
                             "--exchange", str(w.exchange))  # fmt: skip
    out.grade = eic_course(TRAINER, w.course, "grade", M01["id"], "--jobs", "2")
    out.model = model
    return out


@pytest.mark.slow
def test_participants_and_the_trainer_log_in_with_the_passwords_of_their_accounts(workshop):
    hub = workshop.hub
    assert "4 account(s) given a new password" in workshop.accounts
    for user in [TRAINER, FULL]:
        assert hub.login(user, workshop.logins[user]).login.status_code == 302
    wrong = hub.login(FULL, workshop.logins[FULL] + "x")
    assert wrong.login.status_code == 403
    # an account of the machine that is neither a participant's nor the trainer's
    assert hub.login(OUTSIDER, workshop.logins[OUTSIDER]).login.status_code == 403


@pytest.mark.slow
def test_each_participant_gets_their_own_server_with_only_the_assignment_list(workshop, graded):
    hub, tokens = workshop.hub, graded.tokens
    for user in [FULL, PARTLY, BLANK]:
        listing = graded.lists[user]
        assert listing["success"], listing
        ids = {(a["course_id"], a["assignment_id"], a["status"]) for a in listing["value"]}
        assert ("eic", FOLDER, "released") in ids
        # the server runs as the participant, in their home folder
        home = Path(pwd.getpwnam(user).pw_dir)
        assert (home / FOLDER / f"{FOLDER}.ipynb").stat().st_uid == pwd.getpwnam(user).pw_uid
    assert hub.api("GET", f"/user/{FULL}/formgrader", tokens[FULL]).status_code == 404
    lab = hub.api("GET", f"/user/{FULL}/lab", tokens[FULL])
    # sent compressed (eic.serve.WEB_SETTINGS in the participant's server configuration)
    assert lab.headers.get("Content-Encoding") == "gzip", lab.headers
    page = lab.text
    config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
    assert "@jupyter/nbgrader:create-assignment" in config["disabledExtensions"]
    assert "@jupyter/nbgrader:validate-assignment" in config["disabledExtensions"]
    assert "@jupyter/nbgrader:assignment-list" not in config["disabledExtensions"]
    # another participant's server is not theirs to open
    assert hub.api("GET", f"/user/{PARTLY}/api/contents", tokens[FULL]).status_code in (403, 404)


@pytest.mark.slow
def test_the_trainer_has_formgrader_and_the_course_folder(workshop, graded):
    token = graded.tokens[TRAINER]
    assert workshop.hub.api("GET", f"/user/{TRAINER}/formgrader", token).status_code == 200
    top = workshop.hub.api("GET", f"/user/{TRAINER}/api/contents", token).json()
    assert {"nbgrader_config.py", "source", "release"} <= {c["name"] for c in top["content"]}
    users = workshop.hub.api("GET", "/hub/api/users", token).json()
    assert {u["name"]: u["admin"] for u in users}[TRAINER] is True


@pytest.mark.slow
def test_the_module_goes_through_the_exchange_and_is_graded_100_partly_and_0(workshop, graded):
    assert f"{FOLDER}: in the exchange" in graded.hub_release
    assert f"{FOLDER}: 3 submission(s) in submitted/." in graded.collect
    assert "WARNING" not in graded.collect
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{workshop.course / 'gradebook.db'}", "eic") as gb:
        scores = {s.student_id: (s.score, s.max_score) for s in gb.assignment_submissions(FOLDER)}
    tests = test_cells_of(M01)
    autograded = sum(tests.values())
    questions_asked = [q for q in graded.model if q.startswith("q")]
    partly_right = set(list(graded.model)[:3]) & set(questions_asked)
    assert scores[FULL][0] == autograded > 0  # every autograded point (reflections by hand)
    assert 0 < scores[PARTLY][0] == expected_score(M01, partly_right) < autograded
    assert scores[BLANK][0] == 0
    assert f"graded {autograded:g}/" in graded.grade


@pytest.mark.slow
def test_a_participant_cannot_read_others_submissions_the_source_or_the_gradebook(workshop, graded):
    inbound = workshop.exchange / "eic" / "inbound"
    own = {}
    for path in inbound.iterdir():  # as root, to know the exact paths
        own[path.name.split("+")[0]] = path / f"{M01['id']}-answers.json"
    homes = {u: Path(pwd.getpwnam(u).pw_dir) for u in [FULL, PARTLY]}
    paths = {
        "inbound": inbound,
        "own submission": own[PARTLY],
        "other's submission": own[FULL],
        "other's home": homes[FULL] / FOLDER,
        "trainer's source": workshop.course / "source" / FOLDER / f"{FOLDER}.ipynb",
        "trainer's gradebook": workshop.course / "gradebook.db",
        "trainer's collected copy": workshop.course / "submitted" / FULL / FOLDER,
        "installed source": ROOT / "source" / FOLDER / f"{FOLDER}.ipynb",
        "facilitation notes": ROOT / "course" / "guide" / f"{FOLDER}.md",
        "syllabus": ROOT / "course" / "syllabus.yml",
        "released module": workshop.exchange / "eic" / "outbound" / FOLDER / f"{FOLDER}.ipynb",
    }
    seen = probe(PARTLY, list(paths.values()))
    found = {name: seen[str(path)] for name, path in paths.items()}
    assert found == {
        "inbound": "denied",
        "own submission": "read",
        "other's submission": "denied",
        "other's home": "denied",
        "trainer's source": "denied",
        "trainer's gradebook": "denied",
        "trainer's collected copy": "denied",
        "installed source": "denied",
        "facilitation notes": "denied",
        "syllabus": "read",
        "released module": "read",
    }
    # the trainer reads every submission in the exchange
    assert probe(TRAINER, [own[FULL], own[PARTLY]]) == {str(own[FULL]): "read",
                                                        str(own[PARTLY]): "read"}  # fmt: skip
