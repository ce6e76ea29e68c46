"""The participants' list: a CSV file checked row by row, then imported into the gradebook.

The file has one row per participant and these columns (in any order; the header names
may be written with spaces or capitals, e.g. "First name"):

    id,first_name,last_name,country,email
    ph-01,Maria,Santos,Philippines,maria.santos@example.gov.ph

An id is what names the participant's folders and starts the names of their submitted
files, so it holds only letters, digits, dots and hyphens (``ph-01``, ``vn.03``). Names,
e-mail and id go into nbgrader's student table; the country goes into the course's own
table beside it (see :mod:`eic.trainer.records`). Importing the file again updates the
participants already there and adds new ones: an id is never duplicated.

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
    email: str

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
    if not row["email"]:
        problems.append(f"{where}: email is empty; write the participant's e-mail address")
    elif not EMAIL_PATTERN.fullmatch(row["email"]):
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
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {c: " ".join(cells[i].split()) if i < len(cells) else "" for c, i in index.items()}
        where = f"row {number}" + (f" (id '{row['id']}')" if row["id"] else "")
        found = _check(row, where)
        if row["id"] in seen and not found:
            found.append(
                f"{where}: id '{row['id']}' is already used in row {seen[row['id']]}; "
                "give each participant their own id"
            )
        if found:
            problems.extend(found)
            continue
        seen[row["id"]] = number
        participants.append(Participant(**row))
    return participants, problems


def load_roster(path: Path | str) -> tuple[list[Participant], list[str]]:
    """:func:`read_roster` on a file (UTF-8, as spreadsheet programs save "CSV UTF-8")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RosterError(f"there is no file {path}") from None
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
    session = gradebook.db
    for p in participants:
        fields = {"first_name": p.first_name, "last_name": p.last_name, "email": p.email}
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
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    ids = {p.id for p in participants}
    report.not_in_file = sorted(s.id for s in gradebook.students if s.id not in ids)
    return report


def roster(gradebook) -> list[Participant]:
    """Every participant in the gradebook, with the country where it is known."""
    countries = records.countries(gradebook)
    return [
        Participant(
            s.id, s.first_name or "", s.last_name or "", countries.get(s.id, ""), s.email or ""
        )
        for s in gradebook.students
    ]
