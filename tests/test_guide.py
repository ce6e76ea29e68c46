"""The trainer's guide in course/: model answers read from the notebooks, the programme
agrees with the syllabus, and every module, question, link, path and command it names exists."""

from __future__ import annotations

import ast
import itertools
import math
import re
import shlex

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from eic import data
from eic.answers import AnswerStore
from eic.cli import build_parser
from eic.course import question_ids, syllabus
from eic.guide import (
    NotALiteral,
    accepted_range,
    evaluate,
    load_programme,
    main,
    number_text,
    questions,
    stale,
)
from eic.trainer.roster import load_roster

MODULES = released_modules()
IDS = [m["id"] for m in MODULES]
MODULES_BY_ID = {m["id"]: m for m in MODULES}


def solution_cell(grade_id: str, source: str, **grading) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, **grading}
    return cell


def test_cell(grade_id: str, source: str, points: float) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": True, "points": points}
    return cell


test_cell.__test__ = False  # a cell maker, not a test


@pytest.fixture
def toy_notebook(tmp_path):
    """A small instructor notebook with one question of each way of giving an answer."""
    task = new_markdown_cell(
        "### 3. Reflection: your cluster (2 points, read by your trainer)\n\n"
        "Name your cluster.\n\n*A good answer names a real cluster.*"
    )
    task.metadata["nbgrader"] = {"grade_id": "r1_reflection_task", "task": True, "points": 2}
    nb = new_notebook(
        cells=[
            solution_cell(
                "q1_water",
                'q1 = ws.number("q1_water", "1. Water left?", unit="m3/day", hints={540: "96 %"})\n'
                "### BEGIN SOLUTION\nq1.record(6_300 - 0.95 * 6_000)\n### END SOLUTION\nq1",
            ),
            test_cell(
                "q1_water_test",
                'grading.answered("m09", "q1_water")\n### BEGIN HIDDEN TESTS\n'
                "rate = 0.95\n"
                'grading.assert_number("m09", "q1_water", 6300 - rate * 6000, abs_tol=1)\n'
                "### END HIDDEN TESTS",
                1,
            ),
            solution_cell(
                "q2_visit",
                'q2 = ws.checklist("q2_visit", "2. Your visit", items, options=["yes", "no"])\n'
                "### BEGIN SOLUTION\n"
                'q2.record({item: "yes" for item in items})\n'
                "### END SOLUTION\nq2",
            ),
            test_cell(
                "q2_visit_test",
                '### BEGIN HIDDEN TESTS\ngrading.assert_checklist("m09", "q2_visit", '
                'data.load("x")["item"], ["yes", "no"])\n### END HIDDEN TESTS',
                1,
            ),
            task,
            solution_cell(
                "r1_reflection",
                'r1 = ws.reflection("r1_reflection", "3. Your reflection", min_words=80, '
                'max_words=200)\n### BEGIN SOLUTION\nr1.record("Tirupur" " dyeing")\n'
                "### END SOLUTION\nr1",
            ),
        ]
    )
    path = tmp_path / "toy.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_model_answer_written_as_arithmetic_is_worked_out_without_running_code(toy_notebook):
    water = questions(toy_notebook)[0]
    assert (water.qid, water.kind, water.unit, water.points) == ("q1_water", "number", "m3/day", 1)
    assert water.answer == pytest.approx(600)  # 6,300 - 5,700 by hand
    assert water.check == "assert_number"
    # the hidden test's expected value uses a name its cell assigned just before
    assert water.expected == pytest.approx(600)
    assert water.expected_code == "6300 - rate * 6000"
    assert water.check_options == {"abs_tol": 1}
    assert water.hints == {540: "96 %"}


def test_a_model_answer_built_by_code_is_kept_as_its_source_text(toy_notebook):
    visit = questions(toy_notebook)[1]
    assert visit.answer is None
    assert visit.answer_code == "{item: 'yes' for item in items}"
    assert visit.check == "assert_checklist"
    assert visit.check_options == {"options": ["yes", "no"]}


def test_a_reflection_has_its_task_guidance_points_and_sample_answer(toy_notebook):
    reflection = questions(toy_notebook)[2]
    assert reflection.points == 2 and reflection.words == (80, 200)
    assert reflection.answer == "Tirupur dyeing"
    assert reflection.guidance == "A good answer names a real cluster."
    assert (
        reflection.task.startswith("### 3. Reflection") and "Name your cluster." in reflection.task
    )
    assert "A good answer" not in reflection.task


@pytest.mark.parametrize(
    "code", ["len(items)", "items", "2 ** 1000", "open('x')", "[n for n in range(3)]", "b'x'"]
)
def test_evaluate_refuses_anything_but_literals_and_arithmetic(code):
    with pytest.raises(NotALiteral):
        evaluate(ast.parse(code, mode="eval").body)


def test_evaluate_reads_literals_like_literal_eval_and_works_out_arithmetic():
    assert evaluate(ast.parse("{'a': [1, -2.5], 'b': 'x' 'y'}", mode="eval").body) == {
        "a": [1, -2.5],
        "b": "xy",
    }
    assert evaluate(ast.parse("1 / 2", mode="eval").body) == 0.5
    assert evaluate(ast.parse("crf * 2", mode="eval").body, {"crf": 0.25}) == 0.5


def test_accepted_range_shows_what_a_hidden_test_accepts():
    assert accepted_range(600, abs_tol=1) == "599 to 601"
    assert accepted_range(26) == "exactly 26"
    # 1 % of 40,000 / 6,300 = 6.349 is 0.063: shown to three decimals
    assert accepted_range(40_000 / 6_300, rel_tol=0.01) == "6.286 to 6.413"


# -- the real notebooks ---------------------------------------------------------------------------


def module_questions(module: dict):
    return questions(notebook_path(ROOT, "source", module))


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_every_question_of_a_notebook_is_read_with_its_points(module):
    found = module_questions(module)
    path = notebook_path(ROOT, "source", module)
    assert [q.qid for q in found] == question_ids(path)
    assert sum(q.points for q in found) == module["points"]
    for question in found:
        assert question.prompt and question.answer_code
        assert question.check or question.kind == "reflection", question.qid


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_each_model_answer_is_what_its_hidden_test_accepts(module):
    for q in module_questions(module):
        if q.check in ("assert_choice", "assert_choices", "assert_ranking"):
            assert q.answer == q.expected, q.qid
            chosen = q.answer if isinstance(q.answer, list) else [q.answer]
            assert set(chosen) <= set(q.choices), q.qid
        elif q.check == "assert_number":
            tolerance = {k: v for k, v in q.check_options.items() if k.endswith("_tol")}
            assert math.isclose(q.answer, q.expected, **tolerance), q.qid


def test_expected_numbers_are_read_from_the_hidden_tests():
    """Checked against hand calculations of the worksheet's numbers."""
    m02, m03, m05 = (
        {q.qid: q for q in module_questions(m)}
        for m in syllabus()["modules"]
        if m["id"] in ("m02", "m03", "m05")
    )
    # chemicals in Riverside: 15,170 - 15,360 x (88,260 / 72,630) = 15,170 - 18,665.5
    assert m02["q6_chemicals_shift"].expected == pytest.approx(-3495.5, abs=0.1)
    # 95 % of 6,000 m3/day recovered: 6,300 - 5,700
    assert m03["q6_freshwater_after"].expected == pytest.approx(600)
    # annualised cost 50,000 x 0.16275 = 8,137.3; (8,137.3 - 5,000) / 100 t
    assert m05["q1_mac_by_hand"].expected == pytest.approx(31.37, abs=0.01)


# -- where the model answer sits among a question's options ------------------------------------


def right_positions(module: dict) -> list[int]:
    """The place (1 = first) of the model answer among the options of each single-choice
    question of a module."""
    return [
        q.choices.index(q.answer) + 1 for q in module_questions(module) if q.kind == "single_choice"
    ]


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_right_option_is_not_in_one_place_in_most_of_a_modules_questions(module):
    # Module 7's right answers were all the first option: an official who noticed could
    # score full marks without reading. At most half the questions may share a place.
    places = right_positions(module)
    most = max(places.count(place) for place in set(places)) if places else 0
    assert most <= max(1, len(places) // 2), f"{module['id']}: right options at {places}"


def test_across_the_course_the_right_option_is_first_in_the_middle_and_last_alike():
    # with four options, a quarter first, half in the middle and a quarter last is even;
    # options in a natural order ("None ..." last, a scale) keep their place, so allow some
    # slack, but neither end may hold more than a third or less than a sixth
    counts = {"first": 0, "middle": 0, "last": 0}
    total = 0
    for module in MODULES:
        for q in module_questions(module):
            if q.kind != "single_choice" or len(q.choices) < 4:
                continue
            place = q.choices.index(q.answer)
            total += 1
            counts[
                "first" if place == 0 else "last" if place == len(q.choices) - 1 else "middle"
            ] += 1
    assert total >= 24
    for end in ("first", "last"):
        assert total / 6 <= counts[end] <= total / 3, counts
    assert counts["middle"] >= total / 3, counts


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_ticks_of_a_multiple_choice_model_answer_make_no_pattern(module):
    # Module 1's answers were the first three options, and every other option
    for q in module_questions(module):
        if q.kind != "multiple_choice":
            continue
        places = sorted(q.choices.index(answer) for answer in q.answer)
        count, options = len(places), len(q.choices)
        assert places != list(range(count)), f"{q.qid}: the first {count} options"
        assert places != list(range(options - count, options)), f"{q.qid}: the last options"
        gaps = {b - a for a, b in itertools.pairwise(places)}
        assert count < 3 or len(gaps) > 1, f"{q.qid}: evenly spaced at {places}"


def plant_cost_by_hand(flow_m3_per_day: float, cod_kg_per_day: float) -> float:
    """Module 6's illustrative plant, as its worksheet states it (USD per year): USD 40,000
    fixed; treatment at USD 0.60 per m3 for 1,000 m3/day, growing with flow to the power
    0.65; USD 0.25 for each kg of COD."""
    return (
        40_000
        + 365 * 0.60 * 1_000 * (flow_m3_per_day / 1_000) ** 0.65
        + 0.25 * 365 * cod_kg_per_day
    )


def test_module_6_q5_asks_about_a_group_and_only_its_answer_pays_less_together():
    # Asked "which dye houses would rather build a plant of their own", an official read the
    # table of firms one by one: each pays less by volume than alone, so "None" looked right.
    q5 = next(q for q in module_questions(MODULES_BY_ID["m06"]) if q.qid == "q5_volume_leavers")
    assert "groups" in q5.prompt and "together" in q5.prompt
    firms = {  # lib/eic/data/cetp_firms.csv: m3/day and COD mg/L (1 mg/L = 1 g/m3)
        "A": (150, 600), "B": (250, 700), "C": (400, 3_000), "D": (600, 900), "E": (900, 3_000),
    }  # fmt: skip

    def own_plant(group: str) -> float:
        flow = sum(firms[f][0] for f in group)
        return plant_cost_by_hand(flow, sum(firms[f][0] * firms[f][1] / 1_000 for f in group))

    # all five: 2,300 m3/day, 90 + 175 + 1,200 + 540 + 2,700 = 4,705 kg COD/day, and
    # 40,000 + 219,000 x 2.3 ** 0.65 + 0.25 x 365 x 4,705 = about USD 845,660 a year
    total = own_plant("ABCDE")
    assert total == pytest.approx(845_660, abs=1)

    def by_volume(group: str) -> float:
        return total * sum(firms[f][0] for f in group) / 2_300

    # each firm alone pays less by volume than its own plant (why "None" tempted)
    assert all(by_volume(f) < own_plant(f) for f in firms)
    # A, B and D: 1,000 m3/day and 90 + 175 + 540 = 805 kg COD/day, so their own plant
    # costs 40,000 + 219,000 + 0.25 x 365 x 805 = 332,456; by volume they pay 1,000 / 2,300
    # of 845,660 = 367,678
    assert own_plant("ABD") == pytest.approx(332_456, abs=1)
    assert by_volume("ABD") == pytest.approx(367_678, abs=1)
    # the hints' figures: C and E, 1,300 m3/day and 1,200 + 2,700 = 3,900 kg COD/day, would
    # pay 40,000 + 219,000 x 1.3 ** 0.65 + 0.25 x 365 x 3,900 = 655,596 for their own plant
    # and 1,300 / 2,300 of 845,660 = 477,982 by volume; E alone 490,879 and 330,910
    hints = " ".join(q5.hints.values())
    for figure in (own_plant("CE"), by_volume("CE"), own_plant("E"), by_volume("E")):
        assert f"USD {figure:,.0f}" in hints, figure
    # the groups the options name; only the model answer's pays less on its own
    named = {}
    for option in q5.choices:
        group = re.match(r"([A-E](?:, [A-E])*(?: and [A-E])?) (?:alone|together):", option)
        if group:
            named[option] = "".join(re.findall(r"[A-E]", group.group(1)))
        else:
            assert option.startswith("None:"), option
    assert len(named) == len(q5.choices) - 1
    gain = [option for option, group in named.items() if own_plant(group) < by_volume(group)]
    assert gain == [q5.answer]


# -- the programme --------------------------------------------------------------------------------

PROGRAMME = load_programme(ROOT)
SESSIONS = [(day["day"], s) for day in PROGRAMME["days"] for s in day["sessions"]]


def clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def test_the_programme_has_three_days_for_about_32_participants():
    assert [day["day"] for day in PROGRAMME["days"]] == [1, 2, 3]
    assert PROGRAMME["workshop"]["participants"] == 32


def test_each_session_starts_when_the_one_before_it_ends():
    for day in PROGRAMME["days"]:
        sessions = day["sessions"]
        for before, after in zip(sessions, sessions[1:], strict=False):
            assert clock(before["time"]) + before["minutes"] == clock(after["time"]), (
                f"day {day['day']}: {before['time']} + {before['minutes']} min != {after['time']}"
            )


@pytest.mark.parametrize("module", syllabus()["modules"], ids=lambda m: m["id"])
def test_a_modules_sessions_are_on_its_day_and_add_up_to_its_syllabus_time(module):
    mine = [(day, s) for day, s in SESSIONS if s["module"] == module["id"]]
    assert {day for day, _ in mine} == {module["day"]}
    assert sum(s["minutes"] for _, s in mine) == module["duration_minutes"]
    modes = {s["mode"] for _, s in mine}
    assert {"plenary", "worksheet", "group discussion"} <= modes
    assert modes <= {"plenary", "worksheet", "field visit", "group discussion"}


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_programme_splits_a_module_as_its_notebook_tells_participants(module):
    """The title cell says e.g. 'about 120 minutes: 40 minutes of reading, 60 minutes of
    worksheet, 20 minutes of discussion'; the plenary is the reading."""
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    header = nb.cells[0].source.splitlines()[2]
    total, reading, worksheet = (
        int(re.search(pattern, header).group(1))
        for pattern in (
            r"about (\d+) minutes",
            r"(\d+) minutes of reading",
            r"(\d+) minutes of worksheet",
        )
    )
    spent = {}
    for _, s in SESSIONS:
        if s["module"] == module["id"]:
            spent[s["mode"]] = spent.get(s["mode"], 0) + s["minutes"]
    assert total == module["duration_minutes"]
    assert spent["plenary"] == reading
    assert spent["worksheet"] + spent.get("field visit", 0) == worksheet
    assert spent["group discussion"] == total - reading - worksheet


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_a_worksheet_session_names_the_modules_questions_and_its_reflection(module):
    """'questions 1 to 8 and the reflection (9)': the notebook's questions are numbered 1 to
    8 and its reflection 9 (Modules 3 and 4 gained a ninth question; the titles did not)."""
    nb = nbformat.read(notebook_path(ROOT, "source", module), as_version=4)
    questions = {
        int(m.group(1))
        for cell in nb.cells
        if (m := re.match(r"q(\d+)_", cell.metadata.get("nbgrader", {}).get("grade_id", "")))
    }
    reflection = next(
        int(re.match(r"#+\s*(\d+)\.", cell.source).group(1))
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("task")
    )
    titles = [s["title"] for _, s in SESSIONS
              if s["module"] == module["id"] and s["mode"] == "worksheet"]  # fmt: skip
    for title in titles:
        said = re.search(r"questions 1 to (\d+)", title, re.IGNORECASE)
        if said is None:
            continue
        numbers = [int(n) for n in re.findall(r"\((\d+)\)", title)]
        assert questions == set(range(1, reflection)), title
        assert numbers[-1] == reflection, title
        assert max([int(said.group(1)), *numbers[:-1]]) == max(questions), title


def test_sessions_outside_the_modules_are_openings_breaks_travel_or_closings():
    for _, session in SESSIONS:
        if session["module"] is None:
            assert session["mode"] in ("plenary", "break", "travel", "group discussion")
    assert any(s["mode"] == "field visit" and s["module"] == "m08" for _, s in SESSIONS)


def test_every_trainer_step_says_what_kind_of_step_it_is():
    steps = [step for _, s in SESSIONS for step in s.get("trainer_before_next", [])]
    steps += PROGRAMME["before_workshop"] + PROGRAMME["after_workshop"]
    kinds = {"prepare", "release", "collect", "grade", "feedback", "review", "export"}
    assert all(step["action"] in kinds and step["text"].strip() for step in steps)
    # each module is collected during the workshop or just after it
    collected = " ".join(step["text"] for step in steps if step["action"] == "collect")
    for module in syllabus()["modules"]:
        assert f"eic-course collect {module['id']} --from" in collected


# -- the guide's pages ----------------------------------------------------------------------------

COURSE = ROOT / "course"
PAGES = sorted(COURSE.rglob("*.md"))
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
REPO_DIRS = "source|release|lib|course|tests|trainer|scripts|binder|benchmarks"  # committed
REPO_PATH = re.compile(rf"(?<![\w./<-])(?:{REPO_DIRS})/[\w./-]*")


def page_id(path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_texts(text: str) -> list[str]:
    """The code of a page: its fenced blocks, and the inline code spans outside them."""
    blocks = FENCE.findall(text)
    return blocks + SPAN.findall(FENCE.sub("", text))


def heading_anchors(path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_guide_has_its_pages_and_one_notes_file_per_module():
    names = {p.name for p in COURSE.glob("*.md")}
    assert {"README.md", "programme.md", "field-visit.md", "group-work.md", "adapting.md",
            "participant-handbook.md", "running-the-class.md"} <= names  # fmt: skip
    notes = {p.stem for p in (COURSE / "guide").glob("*.md")}
    assert notes == {m["folder"] for m in syllabus()["modules"]}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        found = (page.parent / path).resolve() if path else page
        assert found.exists(), f"{page_id(page)}: the link ({target}) leads nowhere"
        if anchor:
            assert anchor in heading_anchors(found), f"{page_id(page)}: no heading #{anchor}"


@pytest.mark.parametrize("page", [*PAGES, COURSE / "programme.yml"], ids=page_id)
def test_every_repository_path_quoted_as_code_exists(page):
    for code in code_texts(page.read_text(encoding="utf-8")):
        for path in REPO_PATH.findall(code):
            assert (ROOT / path).exists(), f"{page_id(page)}: `{path}` does not exist"


@pytest.mark.parametrize("page", [*PAGES, COURSE / "programme.yml"], ids=page_id)
def test_every_eic_course_command_quoted_is_one_the_command_accepts(page):
    parser = build_parser()
    for code in code_texts(page.read_text(encoding="utf-8")):
        for command in re.findall(r"^\s*eic-course( [^\n`]*)?$", code, re.M):
            if not command:
                continue  # the command's name alone
            try:
                parser.parse_args(shlex.split(command))
            except SystemExit:
                pytest.fail(f"{page_id(page)}: eic-course{command} is not a valid command")


def test_the_pages_quote_the_commands_of_every_step_a_trainer_takes():
    quoted = " ".join(code for page in PAGES for code in code_texts(page.read_text("utf-8")))
    for step in ("roster import", "release", "collect", "grade", "feedback", "export"):
        assert f"eic-course {step}" in quoted


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_notes_name_only_questions_the_module_has(module):
    text = (COURSE / "guide" / f"{module['folder']}.md").read_text(encoding="utf-8")
    found = module_questions(module)
    numbers = {q.prompt.split(".")[0] for q in found if q.kind != "reflection"}
    for qid in re.findall(r"`([qr]\d+_[a-z0-9_]+)`", text):
        assert qid in {q.qid for q in found}, f"{module['id']}: no question {qid}"
    for number in re.findall(r"\bQ(\d+)\b", text):
        assert number in numbers, f"{module['id']}: the notes speak of Q{number}, which it lacks"


def test_every_module_the_guide_names_exists_and_is_released():
    known = {m["id"] for m in MODULES}
    for _, session in SESSIONS:
        if session["module"]:
            assert session["module"] in known
    for page in PAGES:
        for number in re.findall(r"\bModules? (\d+)\b", page.read_text(encoding="utf-8")):
            assert 1 <= int(number) <= len(syllabus()["modules"]), (
                f"{page_id(page)}: Module {number}"
            )
    for module in MODULES:
        assert notebook_path(ROOT, "release", module).is_file()


def test_the_generated_parts_of_the_guide_are_what_the_notebooks_and_data_give_now():
    """Like the test that release/ is current: run python -m eic.guide --update to fix."""
    assert [page_id(p) for p in stale(ROOT)] == []
    assert main(["--check", "--course", str(ROOT)]) == 0


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_notes_quote_each_model_answer_of_the_notebook(module):
    """Independent of the generator's layout: each answer's text appears in the notes."""
    text = (COURSE / "guide" / f"{module['folder']}.md").read_text(encoding="utf-8")
    block = text.split("<!-- model-answers:begin -->")[1].split("<!-- model-answers:end -->")[0]
    for q in module_questions(module):
        answers = q.answer if isinstance(q.answer, list) else [q.answer]
        for answer in answers:
            if isinstance(answer, str):
                assert answer in block, f"{module['id']} {q.qid}: answer not quoted"
        if q.check == "assert_number":
            assert f"**{number_text(q.answer)}**" in block


def test_the_field_visit_checklist_lists_module_8s_conditions():
    text = (COURSE / "field-visit.md").read_text(encoding="utf-8")
    for condition in data.load("field_visit_checklist")["condition"]:
        assert f"| {condition} |" in text


def test_the_group_report_code_in_the_guide_makes_one_report_from_two_participants(
    tmp_path, monkeypatch
):
    code = re.search(r"```python\n(.*?)```", (COURSE / "group-work.md").read_text("utf-8"), re.S)
    ids = re.findall(r'Path\("submitted/([\w.-]+)"\)', code.group(1))
    assert len(ids) == 2
    ratings = {"Inter-firm networks": 2, "Enabling technologies": 3, "Social capital": 1,
               "Public policy support": 2}  # fmt: skip
    for n, pid in enumerate(ids):
        folder = tmp_path / "submitted" / pid / "m01-eic-in-asia"
        folder.mkdir(parents=True)
        store = AnswerStore.for_module("m01", folder)
        store.record("q7_self_assessment", ratings, kind="ratings", question="7. Rate it")
        store.record("q3_match_type", f"answer {n}", kind="single choice", question="3. Which?")
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "group-work.md", "exec"), {})
    pages = list((tmp_path / "reports").glob("*.html"))
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    assert "answer 0" in page and "answer 1" in page
    assert (tmp_path / "reports" / f"{pages[0].stem}.md").is_file()


def test_the_roster_template_imports_without_a_problem():
    participants, problems = load_roster(COURSE / "roster-template.csv")
    assert participants and problems == []


def test_the_participant_handbook_fits_on_one_page():
    words = len((COURSE / "participant-handbook.md").read_text(encoding="utf-8").split())
    assert words <= 600, f"{words} words: a printed page holds about 600"


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_parsed_model_answers_are_those_the_instructor_notebook_records_when_run(
    module, model_answers
):
    """The parser against the notebook itself: run it, read its model answer file."""
    recorded = model_answers[module["id"]]["answers"]
    for q in module_questions(module):
        assert recorded[q.qid]["question"] == q.prompt, q.qid
        if q.answer is None:
            continue  # built by code: the guide quotes none
        value = recorded[q.qid]["value"]
        if isinstance(q.answer, float | int) and not isinstance(q.answer, bool):
            assert value == pytest.approx(q.answer, rel=1e-14), q.qid
        else:
            assert value == q.answer, q.qid


@pytest.mark.parametrize("module", syllabus()["modules"], ids=lambda m: m["id"])
def test_the_notes_give_the_modules_day_time_and_points_as_the_syllabus_does(module):
    text = (COURSE / "guide" / f"{module['folder']}.md").read_text(encoding="utf-8")
    day, minutes = re.search(r"^\| When \| Day (\d), (\d+) minutes", text, re.M).groups()
    points = re.search(r"^\| Points \| (\d+):", text, re.M).group(1)
    assert (int(day), int(minutes), int(points)) == (
        module["day"],
        module["duration_minutes"],
        module["points"],
    )


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_a_reflections_guidance_holds_what_to_look_for_not_only_its_opening(module):
    # Module 3's "*A good answer:*" is followed by a list: the guide printed the opening
    # alone under "What to look for" and left the list in the task, in italics
    for reflection in (q for q in module_questions(module) if q.kind == "reflection"):
        assert reflection.guidance.startswith("A good answer")
        assert len(reflection.guidance.split()) >= 15, reflection.guidance
        assert "A good answer" not in reflection.task
        assert not re.search(r"^- \*", reflection.task, re.M), reflection.task
