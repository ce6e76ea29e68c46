"""The course definition and the module map built from it.

The syllabus lives in ``course/syllabus.yml``; the package reads it through a link in its
data folder, so a notebook finds it wherever the course was installed.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eic.answers import AnswerStore, is_blank
from eic.classroom import participant_label

LEFT = "<td style='text-align:left'>"
ONE_LINE = "style='white-space:nowrap'"  # "120 min", "0 of 9 answered": never split


@cache
def syllabus() -> dict[str, Any]:
    """The course and its eight modules: id, folder, title, objectives, time, points."""
    text = resources.files("eic").joinpath("data", "syllabus.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: faster


def module(module_id: str) -> dict[str, Any]:
    for entry in syllabus()["modules"]:
        if entry["id"] == module_id:
            return entry
    raise KeyError(f"no module '{module_id}' in the syllabus")


def objectives(module_id: str) -> str:
    """The learning objectives of a module as a Markdown list."""
    return "\n".join(f"{i}. {o}" for i, o in enumerate(module(module_id)["objectives"], 1))


def question_ids(notebook: Path | str) -> list[str]:
    """The ids of a module notebook's questions: its solution cells' grade ids (q... and r...)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    ids = []
    for cell in cells:
        grading = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = str(grading.get("grade_id", ""))
        if grading.get("solution") and re.match(r"[qr]\d+_", grade_id):
            ids.append(grade_id)
    return ids


def progress(module_id: str, folder: Path | str) -> tuple[int, int]:
    """(questions answered, questions) of the module notebook in ``folder``.

    A question counts once its recorded answer is complete: a draft saved on the way (a
    reflection still too short, a ranking half done) is marked ``incomplete`` and does not.
    """
    entry = module(module_id)
    asked = question_ids(Path(folder) / f"{entry['folder']}.ipynb")
    recorded = AnswerStore.for_module(module_id, Path(folder)).answers()
    done = sum(
        1
        for qid in asked
        if qid in recorded
        and not recorded[qid].get("incomplete")
        and not is_blank(recorded[qid].get("value"))  # an entry that says nothing, hand-made
    )
    return done, len(asked)


# On a phone held upright the table's six columns ran past the screen's edge, and a
# participant had to scroll sideways to see their progress. Up to 640 pixels wide it leaves
# out the day and the points, which the trainer's programme also gives.
NARROW_MODULE_MAP = (
    "<style>@media (max-width: 640px) {table.eic-modules tr > :nth-child(1), "
    "table.eic-modules tr > :nth-child(5) {display: none} "
    "table.eic-modules tr > * {padding-left: 4px; padding-right: 4px}}</style>"
)


OWN_DATA_CELL = "own_data_panel"  # the grade id of a module's "Use your own data" panel


def has_own_data_panel(notebook: Path | str) -> bool:
    """Whether a module notebook ends with a "Use your own data" panel (Modules 2 to 7)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    return any(
        cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == OWN_DATA_CELL
        for cell in cells
    )


# A module opens in the course home's own tab, so the browser's Back button leads back to
# the home, which then counts the answers afresh. Without a target the app view (Voila) opened
# every module in a new tab, where Back does nothing, and a phone piled up tabs and kernels.
# In JupyterLab the link opens the notebook in JupyterLab as before.
SAME_TAB = "target='_self'"
OWN_DATA_NOTE = (
    "<br><span class='eic-own-data' style='font-size:90%'>+ Use your own data (optional)</span>"
)


def module_map(link_from: Path | str | None = None) -> str:
    """An HTML table of the eight modules: day, title, time, points and, if released, a link.

    ``link_from`` is the folder that holds the module folders (the release folder, for
    the course home). There each module present gets a link and the number of its
    questions with an answer recorded, opening in the same browser tab (Back returns to
    the home), and those that end with a "Use your own data" panel say so under their title;
    modules not there yet are marked "coming soon".
    """
    rows = []
    for m in syllabus()["modules"]:
        title = html.escape(m["title"])
        state = ""
        if link_from is not None:
            folder = Path(link_from) / m["folder"]
            notebook = folder / f"{m['folder']}.ipynb"
            if notebook.is_file():
                title = f"<a href='{m['folder']}/{m['folder']}.ipynb' {SAME_TAB}>{title}</a>"
                if has_own_data_panel(notebook):
                    title += OWN_DATA_NOTE
                done, total = progress(m["id"], folder)
                state = f"{done} of {total} answered"
            else:
                state = "coming soon"
        rows.append(
            f"<tr><td>{m['day']}</td><td>{int(m['id'][1:])}</td>{LEFT}{title}</td>"
            f"<td {ONE_LINE}>{m['duration_minutes']} min</td><td>{m['points']}</td>"
            + (
                f"<td class='eic-progress-{m['id']}' {ONE_LINE}>{state}</td>"
                if link_from is not None
                else ""
            )
            + "</tr>"
        )
    extra = "<th>Your progress</th>" if link_from is not None else ""
    head = (
        "<tr><th>Day</th><th>Module</th><th style='text-align:left'>Title</th>"
        f"<th>Time</th><th>Points</th>{extra}</tr>"
    )
    owner = participant_label(link_from) if link_from is not None else None
    mine = (
        f"<p class='eic-owner'>The course of <b>{html.escape(owner)}</b>: your answers are "
        f"kept in your own folder. Not you? <a href='../../tree' {SAME_TAB}>Back to the list</a>, "
        "and click your id.</p>"
        if owner
        else ""
    )
    return f"{mine}{NARROW_MODULE_MAP}<table class='eic-modules'>{head}{''.join(rows)}</table>"
