"""Serial ``nbgrader autograde`` against ``eic-course grade --jobs 2`` on a generated class.

In a temporary copy of the course this generates a class like the workshop's: by default
32 participants from 14 economies, each submitting every module that has a source
notebook (up to 8; the run says which), with varied answers -- each question right, wrong
or unanswered at random, from a fixed seed. Both copies of the class start from the same
gradebook (roster imported, modules released). Then, in one run, module by module as a
trainer grades after each session, it times

- serial: ``nbgrader autograde MODULE`` in one copy;
- parallel: ``eic-course grade MODULE --jobs 2`` in the other;

taking the two in turn (serial first for one module, parallel first for the next), so that
both see the same load on a shared machine. It prints each module's times, the totals,
their ratio (target on 2 cores: at most 0.6) and whether every score and every
question's grade is the same in both gradebooks.

    python benchmarks/grading.py [--participants 32] [--modules 8] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from eic.chart_prefill import notebook_client, participant_env  # noqa: E402
from eic.trainer.course import Course, Module  # noqa: E402
from eic.trainer.release import generate  # noqa: E402
from eic.trainer.roster import import_participants, read_roster  # noqa: E402

IGNORE = shutil.ignore_patterns("*-answers*.json*", ".*-answers*", ".ipynb_checkpoints")
ECONOMIES = [
    ("bd", "Bangladesh"),
    ("kh", "Cambodia"),
    ("cn", "People's Republic of China"),
    ("in", "India"),
    ("id", "Indonesia"),
    ("la", "Lao PDR"),
    ("my", "Malaysia"),
    ("mn", "Mongolia"),
    ("np", "Nepal"),
    ("pk", "Pakistan"),
    ("ph", "Philippines"),
    ("lk", "Sri Lanka"),
    ("th", "Thailand"),
    ("vn", "Viet Nam"),
]
SHARES = {"right": 0.6, "wrong": 0.25, "unanswered": 0.15}


def roster_csv(participants: int) -> str:
    """Illustrative participants, spread over the 14 economies in turn."""
    lines = ["id,first_name,last_name,country,email"]
    for i in range(participants):
        code, country = ECONOMIES[i % len(ECONOMIES)]
        pid = f"{code}-{i // len(ECONOMIES) + 1:02d}"
        lines.append(f"{pid},Participant,{i + 1:02d},{country},{pid}@example.org")
    return "\n".join(lines) + "\n"


def wrong(value):
    """An answer of the same kind as ``value`` that no hidden test accepts."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value * 1.5 + 1
    if isinstance(value, list):
        return value[:-1] if len(value) > 1 else ["a wrong answer"]
    if isinstance(value, dict):
        return dict(list(value.items())[:-1])
    return "a wrong answer"


def varied_answers(model: dict, rng: random.Random) -> dict:
    answers = {}
    for qid, entry in sorted(model.items()):
        kind = rng.choices(list(SHARES), weights=list(SHARES.values()))[0]
        if kind == "right":
            answers[qid] = entry
        elif kind == "wrong":
            answers[qid] = {**entry, "value": wrong(entry["value"])}
    return answers


def model_answers(course: Course, module: Module) -> dict:
    """Run the instructor notebook, which records the module's model answers."""
    path = course.root / "source" / module.folder / module.notebook
    client = notebook_client(path)
    env = participant_env()
    client.execute(env=env)
    model = path.parent / f"{module.id}-answers.model.json"
    return json.loads(model.read_text(encoding="utf-8"))["answers"]


def prepare(base: Path, participants: int, modules: int, seed: int) -> list[Module]:
    """A course in ``base`` with a roster, released modules and a submitted class."""
    base.mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", base)
    for name in ["course", "source"]:
        shutil.copytree(ROOT / name, base / name, ignore=IGNORE)
    course = Course(base)
    chosen = course.modules()[:modules]
    people, problems = read_roster(roster_csv(participants))
    assert not problems, problems
    with course.gradebook() as gb:
        import_participants(gb, people)
    api = course.api()
    for module in chosen:
        generate(course, module, api)
        model = model_answers(course, module)
        release = base / "release" / module.folder
        for person in people:
            folder = base / "submitted" / person.id / module.folder
            shutil.copytree(release, folder)
            rng = random.Random(f"{seed}-{person.id}-{module.id}")
            payload = {"module": module.id, "format": 1, "answers": varied_answers(model, rng)}
            (folder / module.answers_file).write_text(json.dumps(payload), encoding="utf-8")
    return chosen


def run(command: list[str], cwd: Path, log: Path) -> float:
    start = time.perf_counter()
    with open(log, "a") as out:
        result = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (status {result.returncode}); see {log}")
    return seconds


def grades(course: Course) -> dict:
    """(module, participant) -> (score, each grade's automatic score)."""
    found = {}
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                cells = sorted((g.name, g.auto_score) for nb in sub.notebooks for g in nb.grades)
                found[(assignment.name, sub.student_id)] = (sub.score, cells)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=32, help="(default %(default)s)")
    parser.add_argument("--modules", type=int, default=8, help="at most (default %(default)s)")
    parser.add_argument("--jobs", type=int, default=2, help="(default %(default)s)")
    parser.add_argument("--seed", type=int, default=2013, help="(default %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the courses (path printed)")
    args = parser.parse_args(argv)
    if args.participants < 1 or not 1 <= args.modules <= 8 or args.jobs < 1:
        parser.error("--participants and --jobs must be at least 1, --modules 1 to 8")
    work = Path(tempfile.mkdtemp(prefix="eic-bench-grading-"))
    try:
        modules = prepare(work / "base", args.participants, args.modules, args.seed)
        ids = ", ".join(m.id for m in modules)
        print(
            f"Class: {args.participants} participants x {len(modules)} modules ({ids}; the "
            f"modules with a source notebook, up to {args.modules}) = "
            f"{args.participants * len(modules)} submissions; {os.cpu_count()} CPUs",
            flush=True,
        )
        serial, parallel = Course(work / "serial"), Course(work / "parallel")
        shutil.copytree(work / "base", serial.root)
        shutil.copytree(work / "base", parallel.root)
        nbgrader = [sys.executable, "-m", "nbgrader", "autograde"]
        eic_course = [sys.executable, "-m", "eic.cli", "grade", "--jobs", str(args.jobs)]
        print(f"{'module':<8}{'serial s':>10}{'parallel s':>12}{'ratio':>8}")
        rows = []
        for i, module in enumerate(modules):
            runs = [
                (nbgrader + [module.folder], serial.root, work / "serial.log"),
                (eic_course + [module.id], parallel.root, work / "parallel.log"),
            ]
            order = [0, 1] if i % 2 == 0 else [1, 0]
            seconds = {k: run(*runs[k]) for k in order}
            rows.append((seconds[0], seconds[1]))
            ratio = seconds[1] / seconds[0]
            print(f"{module.id:<8}{seconds[0]:>10.1f}{seconds[1]:>12.1f}{ratio:>8.2f}", flush=True)
        serial_s, parallel_s = (sum(r[k] for r in rows) for k in (0, 1))
        same_scores = grades(serial) == grades(parallel)
        print(f"serial nbgrader autograde:        {serial_s:8.1f} s in all")
        print(f"eic-course grade --jobs {args.jobs}:        {parallel_s:8.1f} s in all")
        print(f"ratio parallel/serial:            {parallel_s / serial_s:8.2f}  (target <= 0.60)")
        print(f"identical scores:                 {'yes' if same_scores else 'NO'}")
        if args.keep:
            print(f"courses kept in {work}")
        return 0 if same_scores else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
