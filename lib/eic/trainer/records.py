"""What the course keeps in the gradebook beside nbgrader's own tables.

nbgrader's ``Student`` has an id, first and last name, e-mail and an LMS user id, but no
country; and nbgrader does not say which submission it last autograded from which files.
The course keeps both in two tables of its own in the same database file (``gradebook.db``),
so that they travel with the grades, are never committed to the repository (the gradebook
is not), and change in the same transaction as the grades they describe:

- ``eic_participant``: one row per participant id, with the participant's country;
- ``eic_autograde``: one row per autograded submission: a fingerprint of the submitted
  files and of the release they were graded against, the outcome (``graded``, ``failed``,
  ``stopped``), a short reason, the time taken.

nbgrader ignores tables it does not know; removing them loses nothing of nbgrader's.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, insert, select

METADATA = MetaData()

PARTICIPANT = Table(
    "eic_participant",
    METADATA,
    Column("student_id", String(128), primary_key=True),
    Column("country", String(128), nullable=False),
)

AUTOGRADE = Table(
    "eic_autograde",
    METADATA,
    Column("assignment", String(128), primary_key=True),
    Column("student_id", String(128), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("graded_at", String(32), nullable=False),
)

GRADED, FAILED, STOPPED = "graded", "failed", "stopped"


def ensure_tables(gradebook) -> None:
    """Create the course's tables in an nbgrader ``Gradebook``'s database if missing.

    This runs on the gradebook session's own connection, inside its transaction, so it never
    waits for a lock that the same session holds; the tables are kept when it commits.
    """
    METADATA.create_all(gradebook.db.connection())


# -- countries ----------------------------------------------------------------------------
def set_country(gradebook, student_id: str, country: str) -> None:
    """Record a participant's country in the gradebook's session (not committed)."""
    ensure_tables(gradebook)
    session = gradebook.db
    session.execute(delete(PARTICIPANT).where(PARTICIPANT.c.student_id == student_id))
    session.execute(insert(PARTICIPANT).values(student_id=student_id, country=country))


def countries(gradebook) -> dict[str, str]:
    """Participant id -> country, for every participant whose country is known."""
    ensure_tables(gradebook)
    rows = gradebook.db.execute(select(PARTICIPANT.c.student_id, PARTICIPANT.c.country))
    return {sid: country for sid, country in rows}


def forget_participant(gradebook, student_id: str) -> None:
    """Remove a participant's country and grading log, and commit."""
    ensure_tables(gradebook)
    session = gradebook.db
    session.execute(delete(PARTICIPANT).where(PARTICIPANT.c.student_id == student_id))
    session.execute(delete(AUTOGRADE).where(AUTOGRADE.c.student_id == student_id))
    session.commit()


# -- the autograde log --------------------------------------------------------------------
@dataclass(frozen=True)
class GradingRecord:
    assignment: str
    student_id: str
    digest: str
    status: str
    detail: str
    seconds: float
    graded_at: str


def submission_digest(folder: Path, release: str = "") -> str:
    """A fingerprint of every file in a submitted folder, names and contents, and of the
    ``release`` it is graded against (:func:`release_digest`)."""
    digest = hashlib.sha256(release.encode("utf-8"))
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def release_digest(gradebook, assignment: str) -> str:
    """A fingerprint of what autograde grades a module against: the cells nbgrader recorded
    for it when it was last released (the tests, hidden ones included) and their points.
    Releasing a module again with changed tests or points changes it."""
    digest = hashlib.sha256()
    notebooks = gradebook.find_assignment(assignment).notebooks
    for notebook in sorted(notebooks, key=lambda n: n.name):
        digest.update(notebook.name.encode("utf-8") + b"\0")
        for cell in sorted(notebook.source_cells, key=lambda c: c.name):
            digest.update(f"{cell.name}\0{cell.cell_type}\0{cell.locked}\0".encode())
            digest.update(hashlib.sha256(cell.source.encode("utf-8")).digest())
        for cell in sorted(notebook.grade_cells, key=lambda c: c.name):
            digest.update(f"{cell.name}\0{cell.max_score}\0".encode())
    return digest.hexdigest()


def grading_records(
    gradebook, assignment: str | None = None
) -> dict[tuple[str, str], GradingRecord]:
    """(assignment, participant id) -> the log entry of its last autograde."""
    ensure_tables(gradebook)
    query = select(AUTOGRADE)
    if assignment is not None:
        query = query.where(AUTOGRADE.c.assignment == assignment)
    return {
        (row.assignment, row.student_id): GradingRecord(**row._asdict())
        for row in gradebook.db.execute(query)
    }


def forget_grading(gradebook, keys: list[tuple[str, str]]) -> None:
    """Remove log entries (before grading those submissions again) and commit."""
    ensure_tables(gradebook)
    for assignment, student_id in keys:
        gradebook.db.execute(
            delete(AUTOGRADE).where(
                AUTOGRADE.c.assignment == assignment, AUTOGRADE.c.student_id == student_id
            )
        )
    gradebook.db.commit()


def log_grading(
    gradebook,
    assignment: str,
    student_id: str,
    *,
    digest: str,
    status: str,
    detail: str = "",
    seconds: float = 0.0,
) -> None:
    """Write a log entry in the gradebook's session (committed with the grades)."""
    ensure_tables(gradebook)
    session = gradebook.db
    session.execute(
        delete(AUTOGRADE).where(
            AUTOGRADE.c.assignment == assignment, AUTOGRADE.c.student_id == student_id
        )
    )
    session.execute(
        insert(AUTOGRADE).values(
            assignment=assignment,
            student_id=student_id,
            digest=digest,
            status=status,
            detail=detail,
            seconds=round(seconds, 2),
            graded_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        )
    )
