"""Modules 3 and 7 in JupyterLab: each says at its top how to make its questions appear."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, notebook_path, released_modules

MODULES = {m["id"]: m for m in released_modules() if m["id"] in ("m03", "m07")}


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
