"""The participants' list: a CSV file checked row by row, then imported into the gradebook.

The file has one row per participant and these columns (in any order; the header names
may be written with spaces or capitals, e.g. "First name"):

    id,first_name,last_name,country,email
    ph-01,Maria,Santos,Philippines,maria.santos@example.gov.ph

An id is what names the participant's folders and starts the names of their submitted
files, so it holds only letters, digits, dots and hyphens (``ph-01``, ``vn.03``). The
e-mail may be left blank (nbgrader's is optional: the participant then has none), but one
that is written must be an address. Names, e-mail and id go into nbgrader's student table;
the country goes into the course's own table beside it (see :mod:`eic.trainer.records`).
Importing the file again updates the participants already there and adds new ones: an id
is never duplicated, not even in other capitals (``PH-01`` is ``ph-01``'s id written
differently, so it is refused, not added).

>>> rows, problems = read_roster("id,first name,last name,country,email\\n"
...                              "ph-01,Maria,Santos,Philippines,maria@example.org\\n"
...                              "ph-02,,Reyes,Philippines,not-an-email\\n")
>>> [r.id for r in rows]
['ph-01']
>>> print(problems[0])
row 3 (id 'ph-02'): first_name is empty; write the participant's first name
>>> print(problems[1])
row 3 (id 'ph-02'): email 'not-an-email' is not an e-mail address; write it like name@ministry.gov
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from eic.trainer import records

COLUMNS = ("id", "first_name", "last_name", "country", "email")
ALIASES = {
    "participant_id": "id",
    "student_id": "id",
    "first": "first_name",
    "given_name": "first_name",
    "last": "last_name",
    "family_name": "last_name",
    "surname": "last_name",
    "economy": "country",
    "e_mail": "email",
    "email_address": "email",
}
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,63}")
EMAIL_PATTERN = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]+")
MAX_TEXT = 128


class RosterError(ValueError):
    """The file as a whole cannot be read (no header, a column missing, not text)."""


@dataclass(frozen=True)
class Participant:
    id: str
    first_name: str
    last_name: str
    country: str
    email: str  # "" when the participant has none

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)  # imported without an e-mail address


def _column(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(key, key)


def _check(row: dict[str, str], where: str) -> list[str]:
    problems = []
    pid = row["id"]
    if not pid:
        problems.append(f"{where}: id is empty; give each participant an id such as ph-01")
    elif not ID_PATTERN.fullmatch(pid):
        problems.append(
            f"{where}: id '{pid}' may hold only letters, digits, '.' and '-' (at most 64, "
            "starting with a letter or digit); for example ph-01"
        )
    for name, what in [("first_name", "first name"), ("last_name", "last name")]:
        if not row[name]:
            problems.append(f"{where}: {name} is empty; write the participant's {what}")
    if not row["country"]:
        problems.append(f"{where}: country is empty; write the economy the participant comes from")
    if row["email"] and not EMAIL_PATTERN.fullmatch(row["email"]):
        problems.append(
            f"{where}: email '{row['email']}' is not an e-mail address; write it like "
            "name@ministry.gov"
        )
    for name in COLUMNS:
        if len(row[name]) > MAX_TEXT:
            problems.append(f"{where}: {name} is longer than {MAX_TEXT} characters; shorten it")
    return problems


def read_roster(text: str) -> tuple[list[Participant], list[str]]:
    """The valid participants in a roster's text, and a message for each bad row.

    Raises :class:`RosterError` when the file as a whole cannot be used.
    """
    text = text.lstrip("\ufeff")  # the byte-order mark that spreadsheet programs write
    if not text.strip():
        raise RosterError("the file is empty; it needs a header row: " + ",".join(COLUMNS))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [_column(h) for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError(
            f"the header row has no column {', '.join(missing)}; the first row must name "
            f"the columns: {','.join(COLUMNS)} (found: {','.join(header)})"
        )
    index = {c: header.index(c) for c in COLUMNS}
    participants: list[Participant] = []
    problems: list[str] = []
    seen: dict[str, tuple[int, str]] = {}  # id in lower case -> its row and spelling
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {c: " ".join(cells[i].split()) if i < len(cells) else "" for c, i in index.items()}
        where = f"row {number}" + (f" (id '{row['id']}')" if row["id"] else "")
        found = _check(row, where)
        key = row["id"].casefold()
        if key in seen and not found:
            first_number, first_id = seen[key]
            written = "" if first_id == row["id"] else f" (written '{first_id}' there)"
            found.append(
                f"{where}: id '{row['id']}' is already used in row {first_number}{written}; "
                "give each participant their own id (ids that differ only in capitals are "
                "the same id)"
            )
        if found:
            problems.extend(found)
            continue
        seen[key] = (number, row["id"])
        participants.append(Participant(**row))
    return participants, problems


def load_roster(path: Path | str) -> tuple[list[Participant], list[str]]:
    """:func:`read_roster` on a file (UTF-8, as spreadsheet programs save "CSV UTF-8")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RosterError(f"there is no file {path}") from None
    except IsADirectoryError:
        raise RosterError(
            "this is a folder, not a file: give the participants' CSV file (with the "
            "columns of course/roster-template.csv)"
        ) from None
    except OSError as err:
        raise RosterError(
            f"the file cannot be opened ({err.strerror}); check that it is there and readable"
        ) from None
    except UnicodeDecodeError:
        raise RosterError(
            f"{path.name} is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'"
        ) from None
    return read_roster(text)


def import_participants(gradebook, participants: list[Participant]) -> ImportReport:
    """Create or update each participant in nbgrader's gradebook, with their country.

    One transaction: either every valid row is imported, or (on a database error) none.
    """
    from nbgrader.api import MissingEntry, Student

    records.ensure_tables(gradebook)
    report = ImportReport()
    known_countries = records.countries(gradebook)
    known_ids: dict[str, list[str]] = {}  # id in lower case -> the gradebook's spellings
    for student in gradebook.students:
        known_ids.setdefault(student.id.casefold(), []).append(student.id)
    session = gradebook.db
    for p in participants:
        spellings = known_ids.get(p.id.casefold(), [])
        if spellings and p.id not in spellings:
            # an id names the participant's folders (submitted/<id>/, participants/<id>/)
            # and starts their files' names: it is never changed, not even to capitals
            known = " and ".join(f"'{pid}'" for pid in spellings)
            report.problems.append(
                f"id '{p.id}': the gradebook already has this participant as {known} (ids "
                "that differ only in capitals are the same id); write the id as the gradebook "
                f"does, the spelling that names their folders (submitted/{spellings[0]}/)"
            )
            continue
        # no e-mail is stored as none (NULL), as nbgrader itself stores it
        email = p.email or None
        fields = {"first_name": p.first_name, "last_name": p.last_name, "email": email}
        try:
            student = gradebook.find_student(p.id)
        except MissingEntry:
            session.add(Student(id=p.id, **fields))
            report.created.append(p.id)
        else:
            changed = any(getattr(student, k) != v for k, v in fields.items())
            changed = changed or known_countries.get(p.id) != p.country
            for key, value in fields.items():
                setattr(student, key, value)
            (report.updated if changed else report.unchanged).append(p.id)
        records.set_country(gradebook, p.id, p.country)
        if email is None:
            report.no_email.append(p.id)
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    ids = {p.id.casefold() for p in participants}
    report.not_in_file = sorted(s.id for s in gradebook.students if s.id.casefold() not in ids)
    return report


def name_key(name: str) -> str:
    """A full name as it is matched to a download's name: spaces and capitals do not count,
    nor how its accented letters are encoded (macOS names files with each accent a
    character of its own after its letter: Unicode's decomposed form).

    >>> name_key("  An  NGUYEN ") == name_key("An Nguyen")
    True
    >>> decomposed = unicodedata.normalize("NFD", "Hương Nguyễn Thị")
    >>> decomposed == "Hương Nguyễn Thị", name_key(decomposed) == name_key("HƯƠNG Nguyễn Thị")
    (False, True)
    """
    # canonical caseless matching (Unicode's NFD, case folding, then NFC, for the names
    # collect compares character by character)
    spaced = " ".join(name.split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", spaced).casefold())


def roster_warnings(participants: list[Participant]) -> list[str]:
    """What will go wrong later with a roster whose every row is valid: participants who
    share a full name (a download named by that name cannot be given to one of them), and
    ids that differ only in capitals (imported before such ids were refused).

    >>> people = [Participant("vn-01", "An", "Nguyen", "Viet Nam", "a@b.org"),
    ...           Participant("vn-02", "An", "NGUYEN", "Viet Nam", "c@d.org")]
    >>> print(roster_warnings(people)[0][:60])
    vn-01 and vn-02 have the same name, An Nguyen: a download na
    """
    by_name: dict[str, list[Participant]] = {}
    by_id: dict[str, list[str]] = {}
    for p in sorted(participants, key=lambda p: p.id):
        by_name.setdefault(name_key(p.name), []).append(p)
        by_id.setdefault(p.id.casefold(), []).append(p.id)
    warnings = []
    for same in by_name.values():
        if len({p.id.casefold() for p in same}) > 1:  # one id in two spellings: see below
            name = " ".join(same[0].name.split())
            warnings.append(
                f"{_listed(p.id for p in same)} have the same name, {name}: a download named by "
                f"that name (as a learning platform names it, '{name}_1234_...') cannot be "
                "matched to one of them and is not collected. Ask them to start their files' "
                f"names with their id ({same[0].id}_m01-answers.json), or rename such a "
                "download so that it starts with the id before collecting."
            )
    for spellings in by_id.values():
        if len(spellings) > 1:
            warnings.append(
                f"{_listed(spellings)} differ only in capitals: they are two participants in the "
                "gradebook. Keep the one whose folders are in submitted/ and remove the other "
                "(run nbgrader db student remove, then its id, in the course folder)."
            )
    return warnings


def _listed(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def roster(gradebook) -> list[Participant]:
    """Every participant in the gradebook, with the country where it is known."""
    countries = records.countries(gradebook)
    return [
        Participant(
            s.id, s.first_name or "", s.last_name or "", countries.get(s.id, ""), s.email or ""
        )
        for s in gradebook.students
    ]


@dataclass
class RemoveReport:
    """What :func:`remove_participants` did: the ids removed, and the problems that kept
    every id in place (an id not in the gradebook, or one with grades not to be lost)."""

    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def remove_participants(gradebook, ids: list[str], *, with_grades: bool = False) -> RemoveReport:
    """Take participants off the gradebook: nbgrader's student, with their submissions'
    grades, and the course's records of their country and grading.

    A participant imported by mistake, or who never came, otherwise stays in grades.csv
    and in their country's means with 0 points. Nothing is removed when an id is not in the
    gradebook, or when one has grades and ``with_grades`` is not given: a participant's
    grades are not lost by a slip. Files on disk are never touched.
    """
    records.ensure_tables(gradebook)
    report = RemoveReport()
    known = {s.id.casefold(): s.id for s in gradebook.students}
    found = []
    for pid in dict.fromkeys(ids):
        spelling = known.get(pid.casefold())
        if spelling is None:
            listed = _listed(sorted(known.values())) or "none"
            report.problems.append(f"'{pid}' is not in the gradebook (its participants: {listed})")
            continue
        graded = sorted(s.assignment.name for s in gradebook.find_student(spelling).submissions)
        if graded and not with_grades:
            report.problems.append(
                f"{spelling} has submissions in the gradebook ({', '.join(graded)}), whose grades "
                "would be lost; if that is meant (a participant who left the course), add "
                "--with-grades"
            )
            continue
        found.append(spelling)
    if report.problems:
        return report
    for pid in found:
        gradebook.remove_student(pid)  # with their submissions, as nbgrader removes them
        records.forget_participant(gradebook, pid)
        report.removed.append(pid)
    return report
