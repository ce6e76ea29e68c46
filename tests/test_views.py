"""Figures shown in a notebook carry alternative text drawn from their titles and axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import nbformat
from conftest import run_notebook
from nbformat.v4 import new_code_cell, new_notebook

from eic.views import describe_figure, figure_as_html


def test_a_figure_is_described_by_its_title_and_axis_labels():
    fig, ax = plt.subplots()
    ax.set_title("Water in the cluster")
    ax.set_xlabel("Year")
    ax.set_ylabel("Water (m3/day)")
    assert describe_figure(fig) == (
        "Chart: Water in the cluster. horizontal axis: Year; vertical axis: Water (m3/day)"
    )
    html = figure_as_html(fig)
    assert html.startswith("<img src='data:image/png;base64,")
    assert "alt='Chart: Water in the cluster." in html
    plt.close(fig)


def test_figures_in_a_notebook_that_imports_eic_get_alternative_text(tmp_path):
    path = tmp_path / "figures.ipynb"
    cells = [
        new_code_cell("import eic\nimport matplotlib.pyplot as plt"),
        new_code_cell("fig, ax = plt.subplots()\nax.set_title('Jobs by activity')"),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    outputs = run_notebook(path).cells[1].outputs
    shown = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(shown) == 1
    assert "alt='Chart: Jobs by activity'" in shown[0]["data"]["text/html"]
