"""A course folder for each participant, when one machine serves the whole class.

A module keeps its answers beside its notebook, in the folder it runs from. Served from
one ``release/`` folder, every participant's page would read and write the same answer
file: what one clicks, the next one sees. So ``eic-course serve``, on a course whose roster
has been imported, serves ``participants/`` instead: one copy of ``release/`` for each
participant, named by their id (``participants/ph-01/index.ipynb`` is Maria Santos's course
home). Everything a participant does stays in their folder: answers, their own data
tables, their country report. ``eic-course collect m01 --from participants`` takes each
folder's files for that participant, as it takes a folder of downloads named by id.

Making the folders again (every start of ``eic-course serve``) brings each copy up to date
with ``release/`` (a module released since, a corrected notebook) and never touches a
participant's own files.

>>> import tempfile
>>> release = Path(tempfile.mkdtemp()) / "release"
>>> (release / "m01-eic-in-asia").mkdir(parents=True)
>>> _ = (release / "index.ipynb").write_text("{}")
>>> _ = (release / "m01-eic-in-asia" / "m01-eic-in-asia.ipynb").write_text("{}")
>>> _ = (release / "m01-eic-in-asia" / "m01-answers.json").write_text("{}")  # someone's
>>> root = participant_folders(release, release.parent / "participants", ["ph-01"])
>>> sorted(str(p.relative_to(root)) for p in root.rglob("*.*"))
['ph-01/index.ipynb', 'ph-01/m01-eic-in-asia/m01-eic-in-asia.ipynb']
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

PARTICIPANTS = "participants"
WHO = ".eic-participant.json"  # in a participant's folder: their id, name and country

# what a participant makes, never copied from release/ nor overwritten: answer files and
# their backups, locks and temporary files; own-data tables; country reports
OWN_WORK = (
    "*-answers*.json*",
    ".*-answers*",
    "*-own-*",
    ".*-own-*",
    "country-report*",
    ".ipynb_checkpoints",
    "__pycache__",
)


def participant_of(folder: Path | str) -> str | None:
    """The id of the participant whose course folder holds ``folder`` (their course home's
    folder, or a module folder in it) when one machine serves the class; None elsewhere.

    >>> participant_of("/course/participants/ph-01/m01-eic-in-asia")
    'ph-01'
    >>> participant_of("/course/participants/ph-01"), participant_of("/course/release/m01")
    ('ph-01', None)
    """
    folder = Path(folder).absolute()
    for place in (folder, folder.parent):
        if place.parent.name == PARTICIPANTS:
            return place.name
    return None


def participant_details(folder: Path | str) -> dict[str, str]:
    """What the roster says of the participant whose course folder holds ``folder``:
    ``id``, and ``name`` and ``country`` where known; empty outside a served class."""
    pid = participant_of(folder)
    if pid is None:
        return {}
    home = Path(folder).absolute()
    home = home if home.name == pid else home.parent
    try:
        kept = json.loads((home / WHO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    details = {key: str(kept.get(key) or "") for key in ("name", "country")}
    return {"id": pid, **{key: value for key, value in details.items() if value}}


def participant_label(folder: Path | str) -> str | None:
    """Whose course folder holds ``folder``, as its pages say it: "Maria Santos (ph-01)",
    or the id alone when the name is not known; None outside a served class."""
    details = participant_details(folder)
    if not details:
        return None
    name, pid = details.get("name"), details["id"]
    return f"{name} ({pid})" if name else pid


def is_own_work(name: str) -> bool:
    """Whether a file or folder ``name`` is a participant's work (or a cache), not course."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in OWN_WORK)


def participant_folders(
    release: Path,
    root: Path,
    ids: Sequence[str],
    names: Mapping[str, str] | None = None,
    countries: Mapping[str, str] | None = None,
) -> Path:
    """Make or bring up to date ``root/<id>/``, a copy of ``release`` for each id; return
    ``root``. A participant's own files are kept as they are; course files are replaced by
    ``release``'s. ``names`` (id -> full name) and ``countries`` are written beside each
    copy, for its pages to say whose course it is (and Module 8's report to start from)."""
    from eic.trainer.roster import ID_PATTERN  # an id names a folder and part of an address

    unusable = [pid for pid in ids if not ID_PATTERN.fullmatch(pid)]
    if unusable:
        raise ValueError(
            f"these participant ids cannot name a folder: {', '.join(map(repr, unusable))}; "
            "use letters, digits, '-' or '.' (such as ph-01) in the roster"
        )
    course_files = [
        path.relative_to(release)
        for path in sorted(release.rglob("*"))
        if path.is_file() and not any(map(is_own_work, path.relative_to(release).parts))
    ]
    for pid in ids:
        (root / pid).mkdir(parents=True, exist_ok=True)
        for relative in course_files:
            target = root / pid / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(release / relative, target)
        who = {"name": (names or {}).get(pid), "country": (countries or {}).get(pid)}
        if any(who.values()):
            who = {"id": pid, **{key: value for key, value in who.items() if value}}
            (root / pid / WHO).write_text(json.dumps(who), encoding="utf-8")
    return root


def roster_names(course_root: Path) -> dict[str, str]:
    """The course's roster, id -> full name, in id order; empty if none has been imported."""
    from eic.trainer.course import Course
    from eic.trainer.roster import roster

    course = Course(course_root)
    if not course.db_path.is_file():  # opening a gradebook would make an empty one
        return {}
    with course.gradebook() as gradebook:
        return {p.id: p.name.strip() for p in sorted(roster(gradebook), key=lambda p: p.id)}


def roster_countries(course_root: Path) -> dict[str, str]:
    """The country of each participant of the course's roster whose country is known."""
    from eic.trainer.course import Course
    from eic.trainer.roster import roster

    course = Course(course_root)
    if not course.db_path.is_file():  # opening a gradebook would make an empty one
        return {}
    with course.gradebook() as gradebook:
        return {p.id: p.country.strip() for p in roster(gradebook) if p.country.strip()}


def roster_ids(course_root: Path) -> tuple[list[str], str]:
    """The ids of the course's roster, to list beside the participants' folders; and, where
    the roster cannot be read (the course's settings or gradebook are damaged), why not:
    the progress of the class is shown even so, without those who have no folder yet. A
    folder that is not a course's (no ``nbgrader_config.py``) has no roster."""
    from eic.trainer.course import CONFIG_FILE

    if not (Path(course_root) / CONFIG_FILE).is_file():
        return [], ""
    try:
        return list(roster_names(course_root)), ""
    except Exception as err:  # the progress is shown all the same
        return [], (
            f"the course's roster could not be read ({err.__class__.__name__}: {err}), so a "
            "participant added to it since eic-course serve started is not listed"
        )


# said of a participant of the roster who has no course folder: one added to the roster
# while eic-course serve runs, which makes the folders only as it starts
NO_FOLDER = "no course folder yet: restart eic-course serve to make one for them"


def class_progress(root: Path, roster: Iterable[str] = ()) -> list[dict]:
    """For each participant's folder in ``root``, and each id of ``roster`` without one (in
    id order): their ``id``, for each module found there ``(answered, questions)`` under its
    id, and ``last``, the time of their latest recorded answer ("" if none; an entry that
    says nothing, :func:`eic.answers.is_blank`, is no answer). A participant of the roster
    without a folder has ``"folder": False`` and nothing else.

    >>> import tempfile
    >>> class_progress(Path(tempfile.mkdtemp()), ["vn-09"])
    [{'id': 'vn-09', 'last': '', 'folder': False}]
    """
    from eic.answers import AnswerStore, answers_given
    from eic.course import progress, syllabus

    rows = []
    # a hidden folder (.ipynb_checkpoints, say) is nobody's
    folders = [p for p in Path(root).iterdir() if p.is_dir() and p.name[0] != "."]
    for pid in sorted({p.name for p in folders} | set(roster)):
        folder = Path(root) / pid
        row: dict = {"id": pid, "last": ""}
        if not folder.is_dir():
            rows.append({**row, "folder": False})
            continue
        for module in syllabus()["modules"]:
            place = folder / module["folder"]
            if not (place / f"{module['folder']}.ipynb").is_file():
                continue
            row[module["id"]] = progress(module["id"], place)
            given = answers_given(AnswerStore.for_module(module["id"], place).answers())
            row["last"] = max([row["last"], *(e.get("recorded_at", "") for e in given.values())])
        rows.append(row)
    return rows


def local_time(recorded_at: str, zone: _dt.tzinfo | None = None) -> str:
    """A time an answer was recorded (ISO 8601, in UTC as answers are recorded) on the clock
    of ``zone``, by default this machine's, saying which zone it is.

    >>> bangkok = _dt.timezone(_dt.timedelta(hours=7))
    >>> local_time("2026-12-05T10:42:07+00:00", bangkok)
    '2026-12-05 17:42 UTC+7'
    >>> local_time("2026-12-05T22:42:07", _dt.timezone(_dt.timedelta(hours=5, minutes=30)))
    '2026-12-06 04:12 UTC+5:30'
    >>> local_time("2026-12-05T10:42:07+00:00", _dt.UTC)
    '2026-12-05 10:42 UTC'
    """
    try:
        moment = _dt.datetime.fromisoformat(recorded_at)
    except ValueError:  # not a time this course records: shown as it is
        return recorded_at[:16].replace("T", " ")
    if moment.tzinfo is None:  # recorded in UTC without saying so
        moment = moment.replace(tzinfo=_dt.UTC)
    local = moment.astimezone(zone)
    minutes = round((local.utcoffset() or _dt.timedelta()).total_seconds() / 60)
    hours, rest = divmod(abs(minutes), 60)
    name = f"UTC{'+' if minutes > 0 else '-'}{hours}{f':{rest:02d}' if rest else ''}"
    return f"{local:%Y-%m-%d %H:%M} {name if minutes else 'UTC'}"


def progress_cells(rows: list[dict], zone: _dt.tzinfo | None = None) -> list[dict[str, str]]:
    """:func:`class_progress` as text, a dict per participant: ``id``, each module's
    "answered/questions" ("-" before a first answer, "" if their folder lacks the module),
    and ``last answer``, on the clock of ``zone`` (by default this machine's, as the trainer
    reads it) with the zone named; every participant has every module found in any folder.
    A participant without a course folder has "" for each module, and :data:`NO_FOLDER`.

    >>> progress_cells([{"id": "ph-01", "m01": (3, 8), "m02": (0, 9), "last": ""},
    ...                 {"id": "vn-01", "m02": (9, 9), "last": "2026-12-05T10:42:07+00:00"}],
    ...                zone=_dt.timezone(_dt.timedelta(hours=7)))
    [{'id': 'ph-01', 'm01': '3/8', 'm02': '-', 'last answer': 'none yet'},
     {'id': 'vn-01', 'm01': '', 'm02': '9/9', 'last answer': '2026-12-05 17:42 UTC+7'}]
    """
    modules = list(dict.fromkeys(m for r in rows for m in r if m not in ("id", "last", "folder")))
    return [
        {
            "id": r["id"],
            **{
                m: "" if m not in r else f"{r[m][0]}/{r[m][1]}" if r[m][0] else "-" for m in modules
            },
            "last answer": _last_answer(r, zone),
        }
        for r in rows
    ]


def _last_answer(row: dict, zone: _dt.tzinfo | None) -> str:
    """The "last answer" cell of a participant's row of :func:`class_progress`."""
    if row.get("folder") is False:
        return NO_FOLDER
    return local_time(row["last"], zone) if row["last"] else "none yet"


def progress_table(rows: list[dict], zone: _dt.tzinfo | None = None) -> str:
    """:func:`class_progress` as a plain-text table, one line per participant.

    >>> print(progress_table([{"id": "ph-01", "m01": (8, 8), "m02": (0, 9), "last": "2026-12-05T10:42:07"},
    ...                       {"id": "vn-01", "m01": (3, 8), "m02": (0, 9), "last": ""}], _dt.UTC))
    id        m01   m02   last answer
    ph-01     8/8   -     2026-12-05 10:42 UTC
    vn-01     3/8   -     none yet
    """  # noqa: E501
    cells = progress_cells(rows, zone)
    modules = [key for key in (cells[0] if cells else {}) if key not in ("id", "last answer")]
    width = max([len("id"), *(len(c["id"]) for c in cells)]) + 2
    lines = [f"{'id':<{width}}" + "".join(f"{m:<6}" for m in modules) + "last answer"]
    for c in cells:
        lines.append(f"{c['id']:<{width}}" + "".join(f"{c[m]:<6}" for m in modules)
                     + c["last answer"])  # fmt: skip
    return "\n".join(lines)


def _progress(args) -> int:
    from eic.trainer.course import CourseError, find_course_root

    if args.folder is not None:
        root = Path(args.folder)
    else:
        try:
            root = find_course_root(args.course) / PARTICIPANTS
        except CourseError as err:
            print(f"eic-course progress: {err}", file=sys.stderr)
            return 1
    if not root.is_dir():
        print(
            f"eic-course progress: there is no folder {root}; run it in the course folder "
            "after eic-course serve has made participants/, or give the folder with --folder",
            file=sys.stderr,
        )
        return 1
    # the roster of the course whose participants/ this is: one added since eic-course serve
    # started has no folder yet, and is listed as such
    ids, problem = roster_ids(root.parent)
    rows = class_progress(root, ids)
    print(f"Questions answered in each module, per participant ({root}):")
    print(progress_table(rows))
    if problem:
        print(f"eic-course progress: note: {problem}.", file=sys.stderr)
    return 0


def add_progress_command(commands) -> None:
    parser = commands.add_parser(
        "progress",
        help="how far each participant of a served class has got, module by module",
        description="Read the answers in participants/ (made by eic-course serve for a class "
        "with a roster) and show, for each participant, the questions answered in each "
        "module and the time of their latest answer.",
    )
    parser.add_argument(
        "--course",
        metavar="FOLDER",
        help="the course folder (default: the one holding the current folder)",
    )
    parser.add_argument(
        "--folder",
        help=f"the participants' folders (default: {PARTICIPANTS}/ in the course folder)",
    )
    parser.set_defaults(run=_progress)
