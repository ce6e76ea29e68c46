"""The course directory a trainer works in: where it is, its nbgrader settings, its modules.

The repository root is the nbgrader course directory. A command run anywhere inside it
finds it by looking upwards for ``nbgrader_config.py``.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eic.course import syllabus

CONFIG_FILE = "nbgrader_config.py"


class CourseError(Exception):
    """A problem a trainer can fix, with a message that says how."""


def find_course_root(start: Path | str | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``nbgrader_config.py``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CourseError(
        f"no {CONFIG_FILE} in {here} or the folders above it: run the command inside the "
        "course folder, or give it with --course FOLDER"
    )


@dataclass(frozen=True)
class Module:
    """One module of the syllabus: its short id (``m01``) and nbgrader assignment (folder)."""

    id: str
    folder: str
    title: str

    @property
    def notebook(self) -> str:
        return f"{self.folder}.ipynb"

    @property
    def answers_file(self) -> str:
        return f"{self.id}-answers.json"


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def at(cls, folder: Path | str | None = None) -> Course:
        return cls(find_course_root(folder))

    # -- nbgrader -----------------------------------------------------------------------
    @functools.cached_property
    def _config(self):
        from traitlets.config.loader import PyFileConfigLoader

        with chdir(self.root):
            config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        return config

    def config(self, **overrides: Any):
        """nbgrader's settings from the course's ``nbgrader_config.py``, as a traitlets
        ``Config``; ``overrides`` are ``{"Section.name": value}`` pairs set on top."""
        config = copy.deepcopy(self._config)
        for key, value in overrides.items():
            section, name = key.split(".")
            setattr(config[section], name, value)
        return config

    def api(self, **overrides: Any):
        """nbgrader's Python API (``NbGraderAPI``) for this course."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(**overrides)
        config.NbGraderAPI.log_level = "WARN"
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    @property
    def course_id(self) -> str:
        return self._config.CourseDirectory.get("course_id", "") or "default_course"

    @property
    def db_url(self) -> str:
        return self._config.CourseDirectory.get("db_url", "") or f"sqlite:///{self.db_path}"

    @property
    def db_path(self) -> Path:
        """The gradebook's file (the course keeps nbgrader's default SQLite gradebook)."""
        url = self._config.CourseDirectory.get("db_url", "")
        if not url:
            return self.root / "gradebook.db"
        if not url.startswith("sqlite:///"):
            raise CourseError(
                f"the gradebook is not a SQLite file ({url}); the eic-course commands need "
                "nbgrader's default gradebook.db"
            )
        return Path(url.removeprefix("sqlite:///"))

    @contextlib.contextmanager
    def gradebook(self):
        """nbgrader's ``Gradebook`` of the course, closed on leaving."""
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, self.course_id) as gb:
            yield gb

    # -- modules ------------------------------------------------------------------------
    def modules(self) -> list[Module]:
        """The syllabus modules that have a source notebook in this course, in order."""
        return [
            Module(m["id"], m["folder"], m["title"])
            for m in syllabus()["modules"]
            if (self.root / "source" / m["folder"] / f"{m['folder']}.ipynb").is_file()
        ]

    def resolve(self, name: str) -> list[Module]:
        """``all``, a module id (``m01``, ``1``) or its folder name, as a list of modules."""
        available = self.modules()
        if name == "all":
            if not available:
                raise CourseError("the course has no module in source/ yet")
            return available
        key = name.strip().rstrip("/").split("/")[-1]
        if key.isdigit():
            key = f"m{int(key):02d}"
        for module in available:
            if key in (module.id, module.folder):
                return [module]
        known = ", ".join(m.id for m in available) or "none"
        raise CourseError(
            f"no module '{name}' in this course: give a module id or folder "
            f"(modules with a source notebook: {known}), or 'all'"
        )

    def submitted(self, assignment: str) -> dict[str, Path]:
        """Participant id -> their submitted folder of a module (given by its folder name)."""
        found = {}
        for folder in sorted((self.root / "submitted").glob(f"*/{assignment}")):
            if folder.is_dir() and any(folder.iterdir()):
                found[folder.parent.name] = folder
        return found


@contextlib.contextmanager
def chdir(folder: Path | str) -> Iterator[None]:
    """Work in ``folder`` for a while (nbgrader's applications read the current folder)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
