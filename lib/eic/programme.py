"""The three-day programme of a workshop, ``course/programme.yml``, as the guide shows it.

The programme lists each day's sessions (time, minutes, module, mode of training) and the
trainer's steps before the next one. :func:`programme_markdown` turns it into the tables of
``course/programme.md``: the minutes of each module in each mode beside its duration in the
syllabus, then each day's timetable, with the trainer's steps between its sessions.
``python -m eic.guide --update`` writes them there (see :mod:`eic.guide`).

>>> day = {"sessions": [{"module": "m01", "mode": "plenary", "minutes": 45},
...                     {"module": "m01", "mode": "worksheet", "minutes": 30},
...                     {"module": None, "mode": "plenary", "minutes": 15}]}
>>> module_minutes({"days": [day]})
{'m01': {'plenary': 45, 'worksheet': 30}}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from eic.course import syllabus

TRAINING_MODES = ("plenary", "worksheet", "field visit", "group discussion")


def load_programme(root: Path) -> dict:
    """The three-day programme, ``course/programme.yml``."""
    return yaml.safe_load((root / "course" / "programme.yml").read_text(encoding="utf-8"))


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def module_minutes(programme: dict) -> dict[str, dict[str, int]]:
    """Minutes per module and mode, summed over the programme's sessions."""
    found: dict[str, dict[str, int]] = {}
    for day in programme["days"]:
        for session in day["sessions"]:
            if session.get("module"):
                modes = found.setdefault(session["module"], {})
                modes[session["mode"]] = modes.get(session["mode"], 0) + session["minutes"]
    return found


def _steps(steps: Sequence[dict]) -> list[str]:
    return [f"- *{step['action']}:* {' '.join(step['text'].split())}" for step in steps]


def programme_markdown(programme: dict) -> str:
    """The programme as tables, one per day, with the trainer's steps between sessions."""
    modules = {m["id"]: m for m in syllabus()["modules"]}
    spent = module_minutes(programme)
    lines = [
        "*Generated from `course/programme.yml` by `python -m eic.guide --update`.*",
        "",
        "| Module | Day | "
        + " | ".join(m.capitalize() for m in TRAINING_MODES)
        + " | Total | Syllabus |",
        "|---" * 8 + "|",
    ]
    for module_id, module in modules.items():
        modes = spent.get(module_id, {})
        cells = [str(modes.get(mode, "")) for mode in TRAINING_MODES]
        link = f"[{int(module_id[1:])}](guide/{module['folder']}.md)"
        lines.append(
            f"| {link} | {module['day']} | "
            + " | ".join(cells)
            + f" | {sum(modes.values())} | {module['duration_minutes']} |"
        )
    lines += ["", "### Before the workshop", "", *_steps(programme.get("before_workshop", []))]
    for day in programme["days"]:
        lines += [
            "",
            f"### Day {day['day']} · {day['theme']}",
            "",
            "| Time | Min | Module | Mode | Session |",
            "|---|---|---|---|---|",
        ]
        for session in day["sessions"]:
            start = _minutes(session["time"])
            module = session.get("module")
            link = f"[{int(module[1:])}](guide/{modules[module]['folder']}.md)" if module else ""
            lines.append(
                f"| {session['time']}–{_clock(start + session['minutes'])} | "
                f"{session['minutes']} | {link} | {session['mode']} | "
                f"{' '.join(session['title'].split())} |"
            )
        lines += ["", f"**The trainer's steps between sessions, day {day['day']}**", ""]
        sessions = day["sessions"]
        for session, after in zip(sessions, [*sessions[1:], None], strict=True):
            if not session.get("trainer_before_next"):
                continue
            if after is None:
                lines.append(f"**At the end of day {day['day']}:**")
            else:
                module = after.get("module")
                what = (
                    f"Module {int(module[1:])}, {after['mode']}"
                    if module
                    else re.split(r":| \(", after["title"])[0].strip()
                )
                lines.append(f"**By {after['time']}** (next: {what}):")
            lines += ["", *_steps(session["trainer_before_next"]), ""]
    lines += ["", "### After the workshop", "", *_steps(programme.get("after_workshop", []))]
    return "\n".join(lines).rstrip() + "\n"
