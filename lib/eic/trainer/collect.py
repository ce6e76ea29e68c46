"""Submissions downloaded from a learning platform or a shared folder, collected by nbgrader.

nbgrader's ``zip_collect`` does the work: it extracts the archives, asks a collector
plugin whose file each one is, and copies each file to ``submitted/<id>/<module>/``. The
course's plugin, :class:`ParticipantFileCollector`, matches files to the roster:

- a file belongs to a participant when its name, or the name of a folder or zip file it
  is in, starts with the participant's id or full name followed by ``_``
  (``ph-01_m01-eic-in-asia.ipynb``, ``ph-01_m01.zip``, ``Maria Santos_1234_file_/...``),
  or when a folder is named by the id (``ph-01/m01-answers.json``); an id matches in any
  capitals (``PH-01_m01.zip``), and a full name that two participants share names neither
  of them;
- the file itself is the module's notebook or its answer file, named as released
  (``m01-eic-in-asia.ipynb``, ``m01-answers.json``), or the table of the participant's own
  data that modules 2 to 7 save (``m02-own-employment.csv`` and its ``.json``), possibly
  after such a prefix.

Everything else is reported, not collected: files that match no participant or a name that
several share, files that are not part of the module, second copies of a file, and zip
files that cannot be opened (checked before nbgrader opens them, so that one download cut
short does not stop the others being collected). The folders of the course's other
modules and the course home (``index.ipynb``) are passed over in silence: a participant's
whole course folder, as ``eic-course serve`` keeps it in ``participants/<id>/``, gives
just this module's files.

The answers are in the answer file; the notebook is the released one, with whatever code
the participant added. So a participant whose files hold no notebook (an answer file sent
again on its own, say) is given the released notebook, and one whose only file is the
released notebook, unchanged, has not submitted. An answer file that holds no answer, only
entries that say nothing (:func:`eic.answers.is_blank`: Check pressed on questions not
answered, in a file recorded before that saved nothing), is not collected: it is taken as
no answer file at all. Each collected answer file is read (never changed) and one that
cannot be read is reported. Collecting never loses answers: where a participant's earlier
submission had an answer file that can be read and the one sent again cannot (a download
cut short), the earlier submission is kept, unchanged, and the trainer told to ask again.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, List, Unicode

from eic.answers import ANSWERS_SUFFIX, AnswerStore, answers_given
from eic.own_tables import own_file_names
from eic.trainer.course import Course, CourseError, Module, chdir
from eic.trainer.roster import name_key

SYSTEM_NAMES = ("__MACOSX", ".ipynb_checkpoints", "__pycache__", "Thumbs.db")
ARCHIVE_SUFFIXES = (".zip", ".gz")  # what nbgrader's extractor opens (.gz: a .tar.gz)
ARCHIVE_FIX = "download it again from the platform (or ask the participant), then collect again"


@dataclass
class CollectReport:
    module: Module
    collected: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    no_submission: list[str] = field(default_factory=list)
    no_answers: list[str] = field(default_factory=list)
    # participants given the released notebook, none being among their files
    notebook_from_release: list[str] = field(default_factory=list)
    # participant id -> why their collected answer file cannot be read
    unreadable_answers: dict[str, str] = field(default_factory=dict)
    # participants whose only file was the released notebook, unchanged (beside, perhaps, an
    # answer file that holds no answer): not a submission
    released_notebook_only: list[str] = field(default_factory=list)
    # participants whose answer file holds no answer, only entries that say nothing: not
    # collected, as if they had sent none
    blank_answer_files: list[str] = field(default_factory=list)
    # participant id -> how their new submission compares with the one it replaced
    # (REPLACED_CHANGED or REPLACED_SAME); a first submission is not listed
    replaced: dict[str, str] = field(default_factory=dict)
    # participant id -> why their new answer file cannot be read, where their earlier
    # submission's could and was kept in its place, unchanged
    kept_earlier: dict[str, str] = field(default_factory=dict)


REPLACED_CHANGED = "replaces the earlier submission, changed"
REPLACED_SAME = "replaces the earlier submission, the same files"


def _folder_digest(folder: Path) -> str:
    """A digest of the files in ``folder`` and their contents, whatever their order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _is_system_file(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in SYSTEM_NAMES for p in parts)


# what a browser adds to the name of a file downloaded a second time: "m01-answers (1).json"
# (Chrome, Firefox, Edge), "m01-answers-1.json" and "m01-answers 2.json" (others)
BROWSER_COPY = re.compile(r"(?: \(\d+\)|-\d| \d)(?=\.[^.]+$)")


class ParticipantFileCollector(FileNameCollectorPlugin):
    """nbgrader collector plugin: match each downloaded file to a participant of the roster."""

    participants = Dict(help="participant id -> full name").tag(config=True)
    expected_files = List(help="the module's file names").tag(config=True)
    released_notebook = Unicode(help="the module's notebook in release/").tag(config=True)
    answers_file = Unicode(help="the name of the module's answer file").tag(config=True)
    valid_ext = List([".ipynb", ".json", ".csv"]).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.unmatched: list[tuple[str, str]] = []
        self.found: dict[tuple[str, str], str] = {}
        # participant id -> the released notebook, unchanged, found among their files
        self.unchanged_notebook: dict[str, str] = {}
        # participant id -> their answer file that holds no answer (only blank entries)
        self.blank_answers: dict[str, str] = {}
        self._released = Path(self.released_notebook).read_bytes()
        self._ids = sorted(self.participants, key=len, reverse=True)
        names: dict[str, list[str]] = {}
        for pid, name in sorted(self.participants.items()):
            names.setdefault(name_key(name), []).append(pid)
        self._names = sorted(names.items(), key=lambda item: len(item[0]), reverse=True)

    def _owners(self, part: str) -> list[str]:
        """The id of the participant that a file or folder name ``part`` names: one id, or
        the ids of every participant whose full name (shared) it starts with, or none."""
        if part in self.participants:
            return [part]
        for pid in self._ids:
            if part.startswith(pid + "_"):
                return [pid]
        # an id typed in other capitals (PH-01_m01.zip): the roster has no two ids that
        # differ only so (roster import refuses them)
        same = [pid for pid in self._ids if pid.casefold() == part.casefold()]
        if len(same) == 1:
            return same
        for pid in self._ids:
            if part.casefold().startswith(pid.casefold() + "_"):
                return [pid]
        folded = name_key(part)
        return next((ids for name, ids in self._names if folded.startswith(name + "_")), [])

    def _shared_name(self, part: str, ids: list[str]) -> str:
        """Why a file named by a full name that several participants share is left out."""
        name = " ".join(self.participants[ids[0]].split())
        ends = [i for i, c in enumerate(part) if c == "_" and name_key(part[:i]) == name_key(name)]
        rest = part[ends[0] + 1 :] if ends else ""
        listed = " and ".join([", ".join(ids[:-1]), ids[-1]])
        return (
            f"'{part}' starts with {name}, a name that {listed} share, so whose it is is not "
            "known: rename it to start with the id of the one who sent it instead "
            f"({' or '.join(f'{pid}_{rest}' for pid in ids)}) and collect again"
        )

    def _not_a_module_file(self, pid: str, name: str) -> str:
        """Why ``name``, a file of participant ``pid``, is not collected: not the module's
        notebook or answer file; for a browser's second download of one (``m01-answers
        (1).json``), the name to give it."""
        plain = BROWSER_COPY.sub("", name)
        expected = any(plain == f or plain.endswith("_" + f) for f in self.expected_files)
        if plain != name and expected:
            return (
                f"{pid}'s file, named by the browser as a second download: rename it to "
                f"{plain} (delete or move the earlier {plain} there, if any) and collect again"
            )
        return f"{pid}'s file, but not one of {' or '.join(self.expected_files)}"

    def collect(self, submitted_file: str) -> dict | None:
        root = Path(self.parent._format_collect_path(self.parent.extracted_directory))
        relative = Path(submitted_file).relative_to(root)
        if _is_system_file(relative.parts):
            return None
        owners = [(part, ids) for part in relative.parts if (ids := self._owners(part))]
        pid = next((ids[0] for _part, ids in owners if len(ids) == 1), None)
        if pid is None and owners:
            self.unmatched.append((relative.as_posix(), self._shared_name(*owners[0])))
            return None
        if pid is None:
            self.unmatched.append(
                (relative.as_posix(), "its name and folders start with no participant's id")
            )
            return None
        name = relative.name
        file_id = next(
            (f for f in self.expected_files if name == f or name.endswith("_" + f)), None
        )
        if file_id is None:
            self.unmatched.append((relative.as_posix(), self._not_a_module_file(pid, name)))
            return None
        if (pid, file_id) in self.found:
            self.unmatched.append(
                (
                    relative.as_posix(),
                    f"a second {file_id} for {pid}; collected {self.found[(pid, file_id)]}",
                )
            )
            return None
        if file_id == Path(self.released_notebook).name and as_released(
            Path(submitted_file), self._released
        ):
            # the notebook as released, e.g. in the folder of a served participant who never
            # opened the module (perhaps copied before the module was released again): given
            # back from release/ if they sent anything else
            self.unchanged_notebook.setdefault(pid, relative.as_posix())
            return None
        if file_id == self.answers_file and holds_no_answer(Path(submitted_file)):
            # Check pressed on questions not answered, and nothing else: as if none were sent
            self.blank_answers.setdefault(pid, relative.as_posix())
            return None
        self.found[(pid, file_id)] = relative.as_posix()
        return {"student_id": pid, "file_id": file_id}


def as_released(path: Path, released: bytes) -> bool:
    """Whether a participant's notebook is the released one, untouched: the same file, or
    one never run (no cell has run or holds an output) with the same cells, by kind and
    nbgrader id, in the same order, as a copy made before the module was released again
    with other points or wording is. A cell added, or any cell run, makes it the
    participant's own."""
    content = path.read_bytes()
    if content == released:
        return True
    try:
        mine, ours = (nbformat.reads(text.decode("utf-8"), 4) for text in (content, released))
    except (UnicodeDecodeError, ValueError, KeyError, AttributeError):  # not a notebook:
        # it is collected as it is, and grading says what is wrong with it
        return False

    def never_run(nb) -> bool:
        code = [c for c in nb.cells if c.cell_type == "code"]
        return all(not c.get("outputs") and c.get("execution_count") is None for c in code)

    def shape(nb) -> list[tuple[str, str]]:
        return [(c.cell_type, c.metadata.get("nbgrader", {}).get("grade_id", "")) for c in nb.cells]

    return never_run(mine) and shape(mine) == shape(ours)


def holds_no_answer(path: Path) -> bool:
    """Whether an answer file reads whole and holds no answer: no entry, or only entries
    that say nothing (:func:`eic.answers.is_blank`). One that cannot be read is not such a
    file: it is collected, and reported.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "m01-answers.json"
    >>> _ = path.write_text('{"answers": {"q5_timeline": {"value": ["", "", "", ""]}}}')
    >>> holds_no_answer(path)
    True
    """
    report = AnswerStore(path, path.name.removesuffix(ANSWERS_SUFFIX)).read()
    return report.ok and not answers_given(report.answers)


def archive_problem(data: bytes, name: str) -> str | None:
    """What makes an archive that nbgrader's extractor would open unusable, if anything:
    a zip file, or a ``.tar.gz``, cut short or damaged (zip files within it are checked too).

    >>> archive_problem(b"PK\x03\x04 cut short", "ph-02_m01.zip")
    'it is not a complete zip file (a download cut short, or another kind of file)'
    """
    if name.lower().endswith(".gz"):
        try:
            with tarfile.open(fileobj=io.BytesIO(data)) as archive:
                for member in archive:
                    if member.isfile():
                        archive.extractfile(member).read()
        except (tarfile.TarError, EOFError, OSError, zlib.error):
            return "it is not a complete .tar.gz file (a download cut short, or another kind)"
        return None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "it is not a complete zip file (a download cut short, or another kind of file)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            damaged = archive.testzip()
            if damaged:
                return f"its file {damaged} is damaged"
            inner = [n for n in archive.namelist() if n.lower().endswith(ARCHIVE_SUFFIXES)]
            for member in inner:
                problem = archive_problem(archive.read(member), member)
                if problem:
                    return f"the archive {member} in it cannot be opened: {problem}"
    except RuntimeError:  # a zip file protected by a password
        return "it is protected by a password; ask for it again without one"
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, zlib.error) as err:
        return f"it cannot be opened as a zip file ({err})"
    return None


def set_aside_unusable_archives(archive_folder: Path) -> list[tuple[str, str]]:
    """Take each zip (or .tar.gz) file that cannot be opened out of ``archive_folder``, a
    scratch copy of the downloads, before nbgrader's extractor stops at it; return each
    one's path and why it is left out. A zip named in capitals (``.ZIP``) is renamed
    ``.zip``, the only spelling the extractor opens."""
    left_out = []
    for path in sorted(archive_folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in ARCHIVE_SUFFIXES:
            continue
        relative = path.relative_to(archive_folder)
        if _is_system_file(relative.parts):  # not collected anyway: not opened either
            path.unlink()
            continue
        problem = archive_problem(path.read_bytes(), path.name)
        if problem:
            left_out.append((relative.as_posix(), f"{problem}; {ARCHIVE_FIX}"))
            path.unlink()
        elif path.suffix != path.suffix.lower():
            lower = path.with_suffix(path.suffix.lower())
            if lower.exists():
                left_out.append((relative.as_posix(), f"a second copy of {lower.name}"))
                path.unlink()
            else:
                path.rename(lower)
    return left_out


def collect(course: Course, module: Module, source: Path) -> CollectReport:
    """Collect ``module`` from the files in ``source`` with nbgrader's ``zip_collect``."""
    from nbgrader.apps import ZipCollectApp

    from eic.trainer.roster import roster

    source = Path(source).resolve()
    if not source.is_dir():
        raise CourseError(f"there is no folder {source}")
    released = course.root / "release" / module.folder / module.notebook
    if not released.is_file():
        raise CourseError(f"{module.folder} is not released yet: run eic-course release first")
    with course.gradebook() as gb:
        people = {p.id: p.name for p in roster(gb)}
    if not people:
        raise CourseError("the roster is empty: run eic-course roster import FILE first")
    report = CollectReport(module)
    earlier = course.submitted(module.folder)
    before = {pid: _folder_digest(folder) for pid, folder in earlier.items()}
    with tempfile.TemporaryDirectory(prefix="eic-collect-") as scratch:
        # each earlier submission whose answers can be read, to put back if a file sent
        # again cannot be (cut short in the download, say): collecting never loses answers
        kept = Path(scratch) / "earlier"
        for pid, folder in earlier.items():
            answers = folder / module.answers_file
            if answers.is_file() and not AnswerStore(answers, module.id).read().problems:
                shutil.copytree(folder, kept / pid)
        # the folders of the course's other modules, and its home, are not this module's:
        # a participant's whole course (as eic-course serve keeps it) gives only this one
        others = {m.folder for m in course.modules() if m != module} | {"index.ipynb"}
        archive = Path(scratch) / "downloaded" / module.folder / "archive"
        shutil.copytree(
            source, archive, ignore=lambda _folder, names: [n for n in names if n in others]
        )
        unusable = set_aside_unusable_archives(archive)
        app = ZipCollectApp()
        with chdir(course.root):
            app.initialize([module.folder, "--log-level=ERROR"])
            # nbgrader's downloaded/<module>/{archive,extracted} steps, in a scratch folder
            app.collect_directory_structure = os.path.join(
                scratch, "{downloaded}", "{assignment_id}", "{collect_step}"
            )
            app.collector_plugin = ParticipantFileCollector
            app.force = True
            app.config.ParticipantFileCollector.participants = people
            app.config.ParticipantFileCollector.released_notebook = str(released)
            app.config.ParticipantFileCollector.answers_file = module.answers_file
            app.config.ParticipantFileCollector.expected_files = [
                module.notebook,
                module.answers_file,
                *own_file_names(module.id),  # a table of the participant's own, if any
            ]
            try:
                app.start()
            except SystemExit as stop:
                raise CourseError(f"nbgrader zip_collect stopped (status {stop.code})") from None
            submitted = {
                pid: Path(
                    app.coursedir.format_path(app.coursedir.submitted_directory, pid, module.folder)
                )
                for pid in people
            }
        plugin = app.collector_plugin_inst
        report.unmatched = sorted(plugin.unmatched + unusable)
        for (pid, file_id), _path in sorted(plugin.found.items()):
            report.collected.setdefault(pid, []).append(file_id)
        _check_answers(report, module, released, submitted, plugin.unchanged_notebook, kept)
    for pid in report.collected:
        if pid in before and pid not in report.kept_earlier:
            same = _folder_digest(submitted[pid]) == before[pid]
            report.replaced[pid] = REPLACED_SAME if same else REPLACED_CHANGED
    report.released_notebook_only = sorted(set(plugin.unchanged_notebook) - set(report.collected))
    report.blank_answer_files = sorted(plugin.blank_answers)
    report.no_submission = sorted(set(people) - set(course.submitted(module.folder)))
    return report


def _check_answers(
    report: CollectReport,
    module: Module,
    released: Path,
    submitted: dict[str, Path],
    unchanged_notebook: list[str],
    kept: Path,
) -> None:
    """Give each collected participant the released notebook where they sent none, and read
    each collected answer file: one that cannot be read is reported, and where the earlier
    submission's could (kept in ``kept``), that submission is put back, unchanged."""
    for pid, files in report.collected.items():
        if module.notebook not in files:
            # the answers are in the answer file; the notebook is the released one
            shutil.copy(released, submitted[pid] / module.notebook)
            if pid in unchanged_notebook:
                files.append(module.notebook)
                files.sort()
            else:
                report.notebook_from_release.append(pid)
        if module.answers_file not in files:
            report.no_answers.append(pid)
            continue
        answers = AnswerStore(submitted[pid] / module.answers_file, module.id).read()
        if not answers.problems:
            continue
        problem = "; ".join(answers.problems)
        if (kept / pid).is_dir():
            shutil.rmtree(submitted[pid])
            shutil.copytree(kept / pid, submitted[pid])
            report.kept_earlier[pid] = problem
        else:
            report.unreadable_answers[pid] = problem
