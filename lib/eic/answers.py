"""The answer store: one JSON file of recorded answers per module, next to its notebook.

A participant's answers are what a grader reads, so this file must never be lost or
half-written:

- every write goes to a temporary file in the same folder, is flushed to disk, and then
  replaces the answer file in one step (:func:`eic.file_lock.replace`), so a reader sees
  the old file or the new one, never a mixture;
- a write is a read-modify-write of one question under an exclusive file lock
  (:func:`eic.file_lock.exclusive`, on Windows too), so two browser tabs saving different
  questions of the same module keep both answers; the temporary file of a write that a
  stopped kernel left behind is removed under that lock once it is ten minutes old;
- a file that cannot be read (edited by hand into invalid JSON, say) is copied to a backup
  before anything else is written, and the participant is told where it is; a file that
  cannot even be opened (its permissions were changed, say), or whose backup cannot be
  made, is never written over: the answer is refused, with a message saying why.
- an answer made blank (a typed answer emptied, then saved) keeps the answer it replaced
  beside it, under ``previous``, so that text removed by mistake can be put back.

Only the standard library is used here, so that graders can load answers quickly.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eic.file_lock import exclusive, remove_stale_temporaries, replace, write_whole

FORMAT_VERSION = 1
ANSWERS_SUFFIX = "-answers.json"
MODEL_SUFFIX = "-answers.model.json"


# the detail of an entry that keeps the last answer a blank one replaced
PREVIOUS = "previous"


class AnswerFileError(ValueError):
    """Raised where a caller asked for strictness and the answer file is unreadable."""


class AnswerNotSaved(OSError):
    """An answer that could not be saved; its text is a message for the participant."""


def cannot_write(err: OSError) -> str:
    """Why a folder could not be written, in plain words (no error number, no path).

    >>> cannot_write(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full'
    """
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if err.errno == errno.EROFS:
        return "the folder is on a disk that is read-only"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "the folder does not allow saving (permission denied)"
    return f"the computer refused to write the file ({err.strerror or err or 'no reason given'})"


def damaged_file_advice(file_name: str, problems: str, who: str = "the participant") -> str:
    """What a trainer does about a participant's answer file that cannot be read whole.

    >>> damaged_file_advice("m01-answers.json", "it is not valid JSON", "ph-01")[:60]
    'm01-answers.json cannot be read completely: it is not valid '
    """
    return (
        f"{file_name} cannot be read completely: {problems}. Only the answers it still gives "
        f"can be graded; the others score 0. Ask {who} to send the file again, then collect "
        f"again. If their own copy is damaged too, the module keeps it as "
        f"{file_name}.unreadable-... when they open it, and they answer again."
    )


@dataclass
class LoadReport:
    """What was found when an answer file was read."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def answer_file_name(module: str, *, model: bool = False) -> str:
    """The file name of a module's answers, e.g. ``m01-answers.json``.

    The instructor copy of a notebook records its model answers to
    ``m01-answers.model.json`` instead; nbgrader is configured to ignore that name, so
    model answers never reach a released or an autograded folder.
    """
    return f"{module}{MODEL_SUFFIX if model else ANSWERS_SUFFIX}"


def is_blank(value: Any) -> bool:
    """True for an answer that says nothing: none, text of spaces only, a list whose every
    part is blank (no box ticked; a ranking with no place chosen, ``["", "", ""]``), or a
    table whose every part is blank (a SWOT with nothing written under any heading, a
    checklist with no item answered).

    >>> is_blank("  "), is_blank({"Strengths": "", "Weaknesses": " "}), is_blank(0)
    (True, True, False)
    >>> is_blank(["", "", ""]), is_blank(["", "Water", ""])
    (True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(is_blank(part) for part in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return all(is_blank(part) for part in value)
    return False


def answers_given(answers: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The entries of ``answers`` (question id -> entry) whose answer is not blank
    (:func:`is_blank`). A blank entry is not an answer: Check or Save pressed with nothing
    given (in a file written before such presses recorded nothing, or edited by hand), or
    a typed answer removed with "Save answer" on its emptied box. The trainer's tools
    neither count, collect nor report it.

    >>> answers_given({"q1": {"value": "Water"}, "q5": {"value": ["", "", "", ""]}})
    {'q1': {'value': 'Water'}}
    """
    return {qid: entry for qid, entry in answers.items() if not is_blank(entry.get("value"))}


def _kept_previous(old: Mapping[str, Any] | None, new_value: Any) -> dict[str, Any] | None:
    """What an entry replacing ``old`` keeps under ``previous``: the old answer where a blank
    answer replaces it, else whatever the old entry kept."""
    if old is None:
        return None
    if is_blank(new_value) and not is_blank(old.get("value")):
        return {"value": old["value"], "recorded_at": old.get("recorded_at", "")}
    kept = old.get(PREVIOUS)
    return kept if isinstance(kept, dict) and "value" in kept else None


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _parse(text: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Turn the text of an answer file into answers and a list of problems found."""
    problems: list[str] = []
    if not text.strip():
        return {}, ["the file is empty"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return {}, [f"it is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"]
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return {}, ["it does not hold an 'answers' table"]
    answers: dict[str, dict[str, Any]] = {}
    for qid, entry in data["answers"].items():
        if isinstance(entry, dict) and "value" in entry:
            answers[str(qid)] = entry
        else:
            problems.append(f"the entry for question '{qid}' has no recorded value")
    return answers, problems


class AnswerStore:
    """The recorded answers of one module, kept in one JSON file.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> store = AnswerStore.for_module("m01", folder)
    >>> store.record("q1", "social capital", question="Which foundation ...?")
    >>> store.value("q1")
    'social capital'
    """

    def __init__(self, path: Path | str, module: str) -> None:
        self.path = Path(path)
        self.module = module

    @classmethod
    def for_module(
        cls, module: str, directory: Path | str | None = None, *, model: bool = False
    ) -> AnswerStore:
        folder = Path.cwd() if directory is None else Path(directory)
        return cls(folder / answer_file_name(module, model=model), module)

    # -- reading -----------------------------------------------------------------------
    def load(self) -> LoadReport:
        """Read every recorded answer; report (never raise) what could not be read.

        An unreadable file is copied to a backup next to it (named after its content, so
        reading it again makes no second copy) and the report says where.
        """
        report, raw = self._read()
        if report.problems and raw is not None:
            report.backup = self._backup(raw)
        return report

    def read(self) -> LoadReport:
        """Read every recorded answer as :meth:`load` does, but never write anything: an
        unreadable file is reported, not backed up (for a trainer looking at a submission).
        """
        return self._read()[0]

    def _read(self) -> tuple[LoadReport, bytes | None]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadReport(), None
        except OSError as err:
            return LoadReport(problems=[f"it cannot be opened ({err.strerror})"]), None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            answers, problems = {}, ["it is not UTF-8 text"]
        else:
            answers, problems = _parse(text)
        return LoadReport(answers=answers, problems=problems), raw

    def answers(self) -> dict[str, dict[str, Any]]:
        return self.load().answers

    def entry(self, qid: str) -> dict[str, Any] | None:
        return self.answers().get(qid)

    def value(self, qid: str, default: Any = None) -> Any:
        entry = self.entry(qid)
        return default if entry is None else entry["value"]

    def previous(self, qid: str) -> Any:
        """The last answer to ``qid`` that a blank answer replaced, if any (else None).

        >>> import tempfile, pathlib
        >>> store = AnswerStore.for_module("m01", pathlib.Path(tempfile.mkdtemp()))
        >>> store.record("r1", "Our cluster shares steam.")
        >>> store.record("r1", "")
        >>> store.value("r1"), store.previous("r1")
        ('', 'Our cluster shares steam.')
        """
        entry = self.entry(qid)
        kept = None if entry is None else entry.get(PREVIOUS)
        return kept["value"] if isinstance(kept, dict) and "value" in kept else None

    def describe_problems(self, report: LoadReport, *, graded: bool = False) -> str:
        """One plain message for a participant about an unreadable answer file: while they
        work, or, ``graded``, in the feedback on a module graded from it (where there is
        nothing left to answer, and the copy kept is the grader's, not theirs).

        >>> store = AnswerStore(Path("m01-answers.json"), "m01")
        >>> report = LoadReport({"q1": {"value": "A"}}, ["it is not valid JSON"])
        >>> print(store.describe_problems(report, graded=True))  # doctest: +NORMALIZE_WHITESPACE
        When this module was graded, your answer file 'm01-answers.json' could not be read
        completely: it is not valid JSON. The 1 answer(s) read from it were graded; the
        questions without an answer scored 0. Your trainer was told, and may ask you to send
        the file again.
        """
        if report.ok:
            return ""
        kept = len(report.answers)
        problems = "; ".join(report.problems)
        if graded:
            return (
                f"When this module was graded, your answer file '{self.path.name}' could not "
                f"be read completely: {problems}. The {kept} answer(s) read from it were "
                "graded; the questions without an answer scored 0. Your trainer was told, and "
                "may ask you to send the file again."
            )
        where = (f" A copy of it was kept as '{report.backup.name}', for your trainer to look "
                 "at." if report.backup else "")  # fmt: skip
        return (
            f"Your answer file '{self.path.name}' could not be read completely: {problems}."
            f"{where} {kept} answer(s) were read from it. Answer the questions that show as "
            "unanswered again."
        )

    # -- writing -----------------------------------------------------------------------
    def record(self, qid: str, value: Any, **details: Any) -> None:
        """Record one answer, keeping every other answer in the file.

        ``value`` must be JSON-serialisable (text, a number, a list of text, ...). A blank
        answer that replaces one that is not keeps the replaced one (its value and when it
        was recorded) under ``previous``; a later answer keeps that in turn, until another
        blank answer replaces an answer (:meth:`previous`).
        """
        try:
            json.dumps(value)
        except (TypeError, ValueError) as err:
            raise TypeError(f"the answer to '{qid}' cannot be recorded: {err}") from err
        with self._locked():
            answers = dict(self._safe_to_write().answers)
            entry = {"value": value, "recorded_at": _now(), **details}
            kept = _kept_previous(answers.get(qid), value)
            if kept is not None:
                entry[PREVIOUS] = kept
            answers[qid] = entry
            self._write(answers)
        _tell_listeners(self, qid)

    def forget(self, qid: str) -> None:
        with self._locked():
            answers = dict(self._safe_to_write().answers)
            if answers.pop(qid, None) is None:
                return
            self._write(answers)
        _tell_listeners(self, qid)

    def _safe_to_write(self) -> LoadReport:
        """The answers now in the file, if writing over it loses nothing: the file reads
        whole, or what it held is kept in a backup. Otherwise :class:`AnswerNotSaved`."""
        report = self.load()
        if report.problems and report.backup is None:
            raise AnswerNotSaved(
                f"Your answer was not saved: the answer file '{self.path.name}' is there but "
                f"cannot be read ({'; '.join(report.problems)}), and saving now would replace "
                "the answers it holds. They are still in it. Tell your trainer: the file (or "
                "its folder) needs fixing; then give this answer again."
            )
        return report

    def _write(self, answers: dict[str, dict[str, Any]]) -> None:
        payload = {"module": self.module, "format": FORMAT_VERSION, "answers": answers}
        # keys in the order given: a checklist's items stay in the worksheet's order, for the
        # country report and for a trainer reading the file
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        try:
            write_whole(self.path, text.encode("utf-8"))
        except OSError as err:
            raise self._not_saved(err) from err

    def _not_saved(self, err: OSError) -> AnswerNotSaved:
        return AnswerNotSaved(
            f"Your answer was not saved: {cannot_write(err)}. Your earlier answers are "
            "unchanged. Tell your trainer, who can fix the folder; then give this answer again."
        )

    def _backup(self, raw: bytes) -> Path | None:
        digest = hashlib.sha256(raw).hexdigest()[:10]
        backup = self.path.with_name(f"{self.path.name}.unreadable-{digest}")
        if not backup.exists():
            try:
                tmp = backup.with_name(backup.name + ".tmp")
                tmp.write_bytes(raw)
                replace(tmp, backup)
            except OSError:
                return None
        return backup

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(lock_path, "a+b")  # noqa: SIM115 - closed by the with below
        except OSError as err:
            raise self._not_saved(err) from err
        with lock, contextlib.ExitStack() as held:
            try:
                held.enter_context(exclusive(lock))
            except OSError as err:
                raise self._not_saved(err) from err
            # what a writer stopped halfway (a kernel killed while saving) left behind
            remove_stale_temporaries(self.path)
            yield


_ACTIVE: dict[str, AnswerStore] = {}


def activate(store: AnswerStore) -> AnswerStore:
    """Make ``store`` the one that this kernel's checks read for its module."""
    _ACTIVE[store.module] = store
    return store


def active_store(module: str) -> AnswerStore:
    """The store a worksheet in this kernel records to, else the file in the current folder."""
    return _ACTIVE.get(module) or AnswerStore.for_module(module)


# -- listeners -------------------------------------------------------------------------------
AnswerListener = Callable[[AnswerStore, str], None]
_LISTENERS: list[AnswerListener] = []


def on_answer_change(listener: AnswerListener) -> None:
    """Call ``listener(store, qid)`` each time a store in this kernel records or forgets an
    answer (once per listener, however often it is given)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _tell_listeners(store: AnswerStore, qid: str) -> None:
    """An answer was written: tell the listeners. One that fails is logged; the answer stays
    recorded."""
    for listener in list(_LISTENERS):
        try:
            listener(store, qid)
        except Exception:
            logging.getLogger(__name__).exception(
                "The answer to %s was recorded; what shows it could not be updated", qid
            )
