"""Submissions downloaded from a learning platform or a shared folder, collected by nbgrader.

nbgrader's ``zip_collect`` does the work: it extracts the archives, asks a collector
plugin whose file each one is, and copies each file to ``submitted/<id>/<module>/``. The
course's plugin, :class:`ParticipantFileCollector`, matches files to the roster:

- a file belongs to a participant when its name, or the name of a folder or zip file it
  is in, starts with the participant's id or full name followed by ``_``
  (``ph-01_m01-eic-in-asia.ipynb``, ``ph-01_m01.zip``, ``Maria Santos_1234_file_/...``),
  or when a folder is named exactly by the id (``ph-01/m01-answers.json``);
- the file itself is the module's notebook or its answer file, named as released
  (``m01-eic-in-asia.ipynb``, ``m01-answers.json``), or the table of the participant's own
  data that modules 2 to 6 save (``m02-own-employment.csv`` and its ``.json``), possibly
  after such a prefix.

Everything else is reported, not collected: files that match no participant, files that
are not part of the module, and second copies of a file. The folders of the course's other
modules and the course home (``index.ipynb``) are passed over in silence: a participant's
whole course folder, as ``eic-course serve`` keeps it in ``participants/<id>/``, gives
just this module's files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Dict, List

from eic.trainer.course import Course, CourseError, Module, chdir
from eic.uploads import own_file_names

SYSTEM_NAMES = ("__MACOSX", ".ipynb_checkpoints", "__pycache__", "Thumbs.db")


@dataclass
class CollectReport:
    module: Module
    collected: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    no_submission: list[str] = field(default_factory=list)
    no_answers: list[str] = field(default_factory=list)


class ParticipantFileCollector(FileNameCollectorPlugin):
    """nbgrader collector plugin: match each downloaded file to a participant of the roster."""

    participants = Dict(help="participant id -> full name").tag(config=True)
    expected_files = List(help="the module's file names").tag(config=True)
    valid_ext = List([".ipynb", ".json", ".csv"]).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.unmatched: list[tuple[str, str]] = []
        self.found: dict[tuple[str, str], str] = {}
        self._ids = sorted(self.participants, key=len, reverse=True)
        names = {" ".join(n.split()).casefold(): i for i, n in self.participants.items()}
        self._names = sorted(names.items(), key=lambda item: len(item[0]), reverse=True)

    def _owner(self, part: str) -> str | None:
        """The id of the participant that a file or folder name ``part`` names, if any."""
        if part in self.participants:
            return part
        for pid in self._ids:
            if part.startswith(pid + "_"):
                return pid
        folded = " ".join(part.split()).casefold()
        return next((pid for name, pid in self._names if folded.startswith(name + "_")), None)

    def collect(self, submitted_file: str) -> dict | None:
        root = Path(self.parent._format_collect_path(self.parent.extracted_directory))
        relative = Path(submitted_file).relative_to(root)
        if any(p.startswith(".") or p in SYSTEM_NAMES for p in relative.parts):
            return None
        pid = next((o for o in map(self._owner, relative.parts) if o), None)
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
            self.unmatched.append(
                (
                    relative.as_posix(),
                    f"{pid}'s file, but not one of {' or '.join(self.expected_files)}",
                )
            )
            return None
        if (pid, file_id) in self.found:
            self.unmatched.append(
                (
                    relative.as_posix(),
                    f"a second {file_id} for {pid}; collected {self.found[(pid, file_id)]}",
                )
            )
            return None
        self.found[(pid, file_id)] = relative.as_posix()
        return {"student_id": pid, "file_id": file_id}


def collect(course: Course, module: Module, source: Path) -> CollectReport:
    """Collect ``module`` from the files in ``source`` with nbgrader's ``zip_collect``."""
    from nbgrader.apps import ZipCollectApp

    from eic.trainer.roster import roster

    source = Path(source).resolve()
    if not source.is_dir():
        raise CourseError(f"there is no folder {source}")
    if not (course.root / "release" / module.folder / module.notebook).is_file():
        raise CourseError(f"{module.folder} is not released yet: run eic-course release first")
    with course.gradebook() as gb:
        people = {p.id: p.name for p in roster(gb)}
    if not people:
        raise CourseError("the roster is empty: run eic-course roster import FILE first")
    report = CollectReport(module)
    with tempfile.TemporaryDirectory(prefix="eic-collect-") as scratch:
        # the folders of the course's other modules, and its home, are not this module's:
        # a participant's whole course (as eic-course serve keeps it) gives only this one
        others = {m.folder for m in course.modules() if m != module} | {"index.ipynb"}
        shutil.copytree(
            source,
            Path(scratch) / "downloaded" / module.folder / "archive",
            ignore=lambda _folder, names: [n for n in names if n in others],
        )
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
            app.config.ParticipantFileCollector.expected_files = [
                module.notebook,
                module.answers_file,
                *own_file_names(module.id),  # a table of the participant's own, if any
            ]
            try:
                app.start()
            except SystemExit as stop:
                raise CourseError(f"nbgrader zip_collect stopped (status {stop.code})") from None
        report.unmatched = sorted(app.collector_plugin_inst.unmatched)
        for (pid, file_id), _path in sorted(app.collector_plugin_inst.found.items()):
            report.collected.setdefault(pid, []).append(file_id)
    for pid, files in report.collected.items():
        if module.answers_file not in files:
            report.no_answers.append(pid)
    report.no_submission = sorted(set(people) - set(course.submitted(module.folder)))
    return report
