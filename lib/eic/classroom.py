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

import fnmatch
import shutil
from collections.abc import Sequence
from pathlib import Path

PARTICIPANTS = "participants"

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


def is_own_work(name: str) -> bool:
    """Whether a file or folder ``name`` is a participant's work (or a cache), not course."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in OWN_WORK)


def participant_folders(release: Path, root: Path, ids: Sequence[str]) -> Path:
    """Make or bring up to date ``root/<id>/``, a copy of ``release`` for each id; return
    ``root``. A participant's own files are kept as they are; course files are replaced by
    ``release``'s."""
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
        for relative in course_files:
            target = root / pid / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(release / relative, target)
    return root


def roster_ids(course_root: Path) -> list[str]:
    """The ids of the course's roster, in order; none if no roster has been imported."""
    from eic.trainer.course import Course
    from eic.trainer.roster import roster

    course = Course(course_root)
    if not course.db_path.is_file():  # opening a gradebook would make an empty one
        return []
    with course.gradebook() as gradebook:
        return sorted(p.id for p in roster(gradebook))
