"""Modules 3 and 7 in JupyterLab: each says at its top how to make its questions appear, and
Module 7's worked example is short, needs no cell above it, and says what each team's
judgements would need to be, as a hand calculation does."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from conftest import ROOT, notebook_path, released_modules

from eic.ahp import ahp, pairwise_matrix
from eic.policy_panels import (
    judgements_needed,
    needed_in_words,
    show_team_consistency,
    team_consistency,
)

MODULES = {m["id"]: m for m in released_modules() if m["id"] in ("m03", "m07")}
J, E, S = "Jobs and growth", "Environmental benefit", "Reach to SMEs"
# the reading's two teams (invented judgements)
FIRST = {(J, E): "1/2", (J, S): 3, (E, S): 4}
SECOND = {(J, E): "1/3", (J, S): 5, (E, S): 3}
RANDOM_INDEX_3 = 0.58  # Saaty's classic random index for three criteria


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """What the worked example and its view display (Markdown and HTML), in order."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    said: list[str] = []
    for module in ("eic.policy_panels", "eic.explorers"):
        monkeypatch.setattr(f"{module}.display", lambda *shown: said.extend(o.data for o in shown))
    return said


def worked_example(kind: str = "release") -> str:
    """The code of Module 7's worked example: its one code cell that nbgrader does not
    manage, before the worksheet."""
    nb = nbformat.read(notebook_path(ROOT, kind, MODULES["m07"]), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]
    return next(c.source for c in cells if "ahp(" in c.source)


@pytest.mark.parametrize("kind", ["source", "release"])
@pytest.mark.parametrize("module", ["m03", "m07"])
def test_the_module_says_at_its_top_how_to_show_its_questions_in_jupyterlab(module, kind):
    # opened from the course home, a module shows its questions only once it has run: its
    # first cell says how, and that the save dialog on closing the tab loses no answer
    nb = nbformat.read(notebook_path(ROOT, kind, MODULES[module]), as_version=4)
    title = nb.cells[0]
    assert title.cell_type == "markdown"
    assert title.metadata["nbgrader"]["grade_id"] == "title"
    assert "In JupyterLab" in title.source
    assert "**Run → Run All Cells**" in title.source
    assert "either answer keeps them" in title.source


def test_the_worked_example_runs_on_its_own_as_after_a_kernel_restart(shown):
    # Shift+Enter on the worked example after a restart: every name it uses is its own
    exec(compile(worked_example(), "worked example", "exec"), {})  # noqa: S102
    said = "\n".join(shown)
    assert "**First team.**" in said and "**Second team.**" in said
    assert "Second team: each judgement as given, and as the other two would need it" in said


def test_the_worked_example_shows_the_method_not_the_code_that_words_it():
    code = worked_example()
    assert "def " not in code and "Markdown(" not in code
    assert len(code.splitlines()) <= 30
    assert worked_example("source") == code


def second_team_by_hand() -> dict[str, tuple[float, float]]:
    # a over b, given, and as the other two need it: (a over c) x (c over b)
    e_j, j_s, e_s = 3, 5, 3
    return {
        "Environmental benefit over jobs and growth": (e_j, e_s * (1 / j_s)),  # 0.6
        "Jobs and growth over reach to SMEs": (j_s, (1 / e_j) * e_s),  # 1
        "Environmental benefit over reach to SMEs": (e_s, e_j * j_s),  # 15
    }


def test_each_judgement_needed_by_the_other_two_matches_a_hand_calculation():
    table = judgements_needed(ahp(pairwise_matrix([J, E, S], SECOND)))
    found = {row.judgement: (row.given, row.needed) for row in table.itertuples()}
    assert found.keys() == second_team_by_hand().keys()
    for judgement, (given, needed) in second_team_by_hand().items():
        assert found[judgement] == pytest.approx((given, needed))


def test_a_needed_judgement_below_1_is_read_the_other_way_round():
    words = needed_in_words(ahp(pairwise_matrix([J, E, S], SECOND)))
    # 0.6 for environmental benefit over jobs: jobs about 1 / 0.6 = 1.7 times as important
    assert "0.6 for environmental benefit over jobs and growth" in words
    assert "jobs and growth is about 1.7 times as important as environmental benefit" in words
    assert words.endswith("then compute again.")


def consistency_ratio_by_hand(judgements: dict) -> float:
    names = [J, E, S]
    matrix = np.ones((3, 3))
    for (a, b), value in judgements.items():
        value = eval(value) if isinstance(value, str) else value  # noqa: S307  "1/2"
        i, k = names.index(a), names.index(b)
        matrix[i, k], matrix[k, i] = value, 1 / value
    lambda_max = max(np.linalg.eigvals(matrix).real)
    return (lambda_max - 3) / (3 - 1) / RANDOM_INDEX_3


def test_each_team_s_verdict_follows_its_consistency_ratio():
    first = team_consistency("First team", ahp(pairwise_matrix([J, E, S], FIRST)))
    second = team_consistency("Second team", ahp(pairwise_matrix([J, E, S], SECOND)))
    assert f"(CR) {consistency_ratio_by_hand(FIRST):.3f}" in first
    assert f"(CR) {consistency_ratio_by_hand(SECOND):.3f}" in second
    assert consistency_ratio_by_hand(FIRST) <= 0.10 < consistency_ratio_by_hand(SECOND)
    assert "consistent enough to use the priorities" in first
    assert "cannot all hold at once" in second and "consistent enough" not in second


def test_a_consistent_team_gets_no_table_and_nothing_is_shown_under_nbgrader(shown, monkeypatch):
    show_team_consistency("First team", ahp(pairwise_matrix([J, E, S], FIRST)))
    assert len(shown) == 1 and shown[0].startswith("**First team.**")
    show_team_consistency("Second team", ahp(pairwise_matrix([J, E, S], SECOND)))
    assert len(shown) == 4  # its verdict, the table and how to read it
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    show_team_consistency("Second team", ahp(pairwise_matrix([J, E, S], SECOND)))
    assert len(shown) == 4


def m07_cells() -> dict[str, str]:
    """The released Module 7's code cells by grade id, and its go-further code as "further"."""
    nb = nbformat.read(notebook_path(ROOT, "release", MODULES["m07"]), as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    further = [c.source for c in nb.cells if "go-further" in c.metadata.get("tags", [])]
    return cells | {"further": next(s for s in further if "priorities_from(q1)" in s)}


@pytest.mark.parametrize(
    "judgements, warned",
    [({"Jobs and growth vs Environmental benefit": 1 / 2, "Jobs and growth vs Reach to SMEs": 3,
       "Environmental benefit vs Reach to SMEs": 4}, False),  # the model answer: consistent
     ({"Jobs and growth vs Environmental benefit": 5, "Jobs and growth vs Reach to SMEs": 1 / 5,
       "Environmental benefit vs Reach to SMEs": 5}, True)],  # each beats the next: a circle
)  # fmt: skip
def test_go_further_warns_when_the_participant_s_judgements_contradict_each_other(
    tmp_path, monkeypatch, capsys, judgements, warned
):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    cells = m07_cells()
    namespace: dict = {}
    for part in ("worksheet_setup", "q1_priorities", "further"):
        if part == "further":
            namespace["q1"].record(judgements)
            capsys.readouterr()
        exec(cells[part], namespace)
    said = capsys.readouterr().out
    assert ("cannot all hold at once" in said) == warned, said
    assert said.count("Within USD") == 4, said  # the packages, for each budget, either way
