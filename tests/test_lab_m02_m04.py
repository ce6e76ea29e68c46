"""Modules 2 and 4 in JupyterLab: Module 4's worked example says what the Kalundborg network
shows in sentences that wrap as text does, not as printed code output that JupyterLab breaks
in the middle of a word, and says where its table and figure come from."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules

M04 = next(m for m in released_modules() if m["id"] == "m04")


def worked_example(kind: str) -> str:
    """The code of Module 4's worked example: its code cell that nbgrader does not manage and
    that draws the Kalundborg network."""
    nb = nbformat.read(notebook_path(ROOT, kind, M04), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]
    return next(c.source for c in cells if "kalundborg_exchanges" in c.source)


@pytest.fixture
def shown(monkeypatch) -> list:
    """What the worked example displays (tables, Markdown), in order; its figure not drawn."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    said: list = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **_: said.extend(objs))
    monkeypatch.setattr("eic.explorers.display", lambda *objs, **_: said.extend(objs))
    return said


def markdown_of(shown: list) -> str:
    from IPython.display import Markdown

    return "\n".join(o.data for o in shown if isinstance(o, Markdown))


@pytest.mark.parametrize("kind", ["source", "release"])
def test_the_worked_example_prints_nothing_as_code_output(kind):
    # JupyterLab shows printed lines in a fixed-width font and breaks them anywhere, even
    # inside a name ("A | snæs", "Fis | h farm") at a laptop's width
    assert "print(" not in worked_example(kind)


def test_the_worked_example_says_what_the_network_shows_by_hand_count(shown, capsys):
    # run on its own, as after a kernel restart: every name it uses is its own
    exec(compile(worked_example("release"), "worked example", "exec"), {})  # noqa: S102
    assert capsys.readouterr().out == ""
    said = markdown_of(shown)
    # counted by hand from the 16 rows of the table: 11 partners; the pairs linked are
    # Tissø-refinery, Tissø-Asnæs, refinery-Gyproc, refinery-Asnæs, refinery-fertiliser market,
    # Asnæs-cement, -fish farm, -municipality, -Novo Nordisk, -Gyproc, Novo Nordisk-farms,
    # municipality-Bioteknisk Jordrens: 12 links, 7 of them Asnæs's
    assert "11 partners joined by 12 links" in said
    assert "Anchor: Asnæs power station, with 7 partners" in said
    assert "Chertow's 3-2 test: Yes" in said
    # without Asnæs its 7 links go, 12 - 7 = 5 remain, and the cement industry and the fish
    # farm, linked to Asnæs alone, have no exchange left
    assert "7 links would go and 5 would remain" in said
    assert "Cement industry, Fish farm" in said


def test_the_worked_example_cites_the_source_of_its_table_and_figure(shown):
    exec(compile(worked_example("release"), "worked example", "exec"), {})  # noqa: S102
    said = markdown_of(shown)
    assert "*Source:*" in said
    # the map the dataset is taken from, as the reading cites it (Saikku, 2006)
    assert "Saikku, 2006" in said and "Eco-Industrial Parks" in said
