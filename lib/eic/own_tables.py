"""Keeping a participant's checked own table beside the module's answers.

Each module's "use your own data" panel (:mod:`eic.own_data`) keeps the table it last
accepted as ``<module>-own-<name>.csv`` (:data:`OWN_TABLES` gives the name), with a small
``.json`` saying where it came from. Both are written to a temporary file and moved into
place in one step, so a restart, a submission and the country report always find a whole
table, never half of one.

The two files are a pair: the ``.json`` names the upload the ``.csv`` holds, its rows and
how many of them are the course's example. Two browser tabs of one module (one uploading a
table, the other changing Module 6's plant costs) must not leave the ``.json`` of one upload
beside the ``.csv`` of another, so every change to the pair is made under an exclusive lock
(:func:`eic.file_lock.exclusive`), as the answer store does, and reads the ``.json`` afresh
inside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from eic.file_lock import exclusive, remove_stale_temporaries, write_whole
from eic.uploads import UploadError, read_upload

# the table each module's "use your own data" panel keeps: <module>-own-<name>.csv
OWN_TABLES = {"m02": "employment", "m03": "flows", "m04": "inventory", "m05": "options",
              "m06": "firms", "m07": "instruments"}  # fmt: skip


class OwnDataFile:
    """A participant's checked table, kept as ``<module>-own-<name>.csv`` beside the answers.

    A small ``.json`` beside it says where the table came from. Both are written to a
    temporary file first and moved into place in one step, under the lock file
    ``.<module>-own-<name>.lock.tmp`` (named like the course's temporary files, which
    nbgrader, git and the copies of a course leave out). ``model`` is for the instructor's
    copy of a notebook: ``<module>-own-<name>.model.csv``, which nbgrader leaves out of
    releases.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> saved = OwnDataFile(folder, "m05", "options")
    >>> saved.save(pd.DataFrame({"option": ["Solar"], "investment_usd": [1.0]}), "mine.csv")
    >>> saved.load()["option"].tolist(), saved.source()["file"]
    (['Solar'], 'mine.csv')
    """

    def __init__(self, folder: Path | str, module: str, name: str, *, model: bool = False) -> None:
        self.folder = Path(folder)
        self.module = module
        self.name = name
        # the instructor copy keeps a trial upload out of releases (nbgrader ignores .model.*)
        self.path = self.folder / f"{module}-own-{name}{'.model' if model else ''}.csv"
        self.meta_path = self.path.with_suffix(".json")
        self.lock_path = self.path.with_name(f".{self.path.stem}.lock")

    def exists(self) -> bool:
        return self.path.exists()

    def save(
        self,
        table: pd.DataFrame,
        source: str,
        *,
        sheet: str | None = None,
        example_rows: int = 0,
        settings: dict | None = None,
    ) -> None:
        """Keep ``table``; an :class:`OSError` if it cannot be written, and then the table
        saved before (if any) and its ``.json`` are left as they were.

        ``example_rows`` is how many of its rows are the course's example (the country
        report says so). ``settings`` are figures the analysis asks for besides the table
        (Module 6's plant costs), kept with it: by default those kept with the table before
        stay with the new one, as they are in the ``.json`` at the moment of saving (another
        tab may just have changed them); ``settings={}`` clears them."""
        meta: dict = {
            "file": source,
            "sheet": sheet,
            "rows": len(table),
            "example_rows": int(example_rows),
        }
        content = table.to_csv(index=False, float_format="%.15g").encode("utf-8")
        with self._locked():
            meta["saved"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            kept = self.settings() if settings is None else settings
            if kept:
                meta["settings"] = dict(kept)
            before = self.path.read_bytes() if self.path.exists() else None
            write_whole(self.path, content)
            try:
                write_whole(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))
            except BaseException:
                if before is None:
                    self.path.unlink(missing_ok=True)
                else:
                    write_whole(self.path, before)
                raise

    def load(self) -> pd.DataFrame:
        """The saved table; :class:`UploadError` if it was damaged since it was saved."""
        try:
            content = self.path.read_bytes()
        except OSError as err:
            raise UploadError(self.path.name, [f"it cannot be opened ({err.strerror})"]) from None
        return read_upload(content, self.path.name).table

    def source(self) -> dict:
        """Where the saved table came from (file, sheet, rows, saved), as far as known."""
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        return meta if isinstance(meta, dict) else {}

    def settings(self) -> dict:
        """The analysis's own figures kept with the table (empty if none)."""
        settings = self.source().get("settings")
        return settings if isinstance(settings, dict) else {}

    def keep_settings(self, settings: dict) -> None:
        """Keep the analysis's own figures with the saved table, in its ``.json``; an
        :class:`OSError` if they cannot be written (the ``.json`` is then as it was).
        What the ``.json`` says of the table is read under the lock, so a table another tab
        saved a moment ago keeps its own description."""
        with self._locked():
            meta = self.source()
            meta["settings"] = dict(settings)
            write_whole(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))

    def remove(self) -> None:
        with self._locked():
            for path in (self.path, self.meta_path):
                path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the pair's lock: no other process changes the ``.csv`` or the ``.json``
        meanwhile. Temporary files a stopped process left for either are removed here."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+b") as lock, exclusive(lock):
            for path in (self.path, self.meta_path):
                remove_stale_temporaries(path)
            yield


def own_file_names(module: str) -> list[str]:
    """The files a module's own-data panel saves, as a participant submits them."""
    if module not in OWN_TABLES:
        return []
    stem = f"{module}-own-{OWN_TABLES[module]}"
    return [f"{stem}.csv", f"{stem}.json"]


__all__ = ["OWN_TABLES", "OwnDataFile", "own_file_names"]


# -- the choices an analysis keeps with the table -----------------------------------------

# called with the choices an analysis keeps with the saved table, each time one changes
Remember = Callable[[dict[str, object]], None]


def keep_choices(remember: Remember | None, values: dict[str, object]) -> str:
    """Keep the choices of an analysis's controls with the saved table (``remember``);
    a note (HTML) when they cannot be, else ""."""
    if remember is None:
        return ""
    try:
        remember(values)
    except OSError:
        return (
            "<p role='alert'>This choice could not be kept with your table (the module's "
            "folder cannot be written): after a restart the page shows its first choice.</p>"
        )
    return ""


def kept_choice(settings: Mapping[str, object] | None, name: str, options: Sequence) -> object:
    """The choice kept as ``name`` if it is still one of ``options``, else the first."""
    kept = (settings or {}).get(name)
    return kept if kept in list(options) else list(options)[0]
