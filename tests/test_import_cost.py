"""A module's notebook loads only the libraries it uses, and draws each figure it shows once.

A Voila page appears only when every cell of its notebook has run, so seconds spent
importing libraries a notebook never calls, or drawing one chart twice, are seconds a
participant waits for the worksheet.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from conftest import run_notebook
from nbformat.v4 import new_code_cell, new_notebook


def imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    """The ``names`` found in ``sys.modules`` of a fresh interpreter after ``statement``."""
    probe = f"import sys\n{statement}\nprint(' '.join(n for n in {names!r} if n in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_importing_eic_loads_neither_matplotlib_nor_pandas_nor_scipy():
    assert imported_after("import eic", ("matplotlib", "pandas", "scipy", "networkx")) == []


@pytest.mark.parametrize(
    "module", ["eic.panels", "eic.policy_panels", "eic.strategy_panels", "eic.views"]
)
def test_the_explorers_do_not_load_scipy_or_networkx_until_a_function_needs_them(module):
    assert imported_after(f"import {module}", ("scipy", "networkx")) == []


@pytest.mark.parametrize(
    "module",
    ["eic.panels", "eic.policy_panels", "eic.strategy_panels", "eic.views", "eic.own_data",
     "eic.report", "eic.symbiosis", "eic.strategy"],
)  # fmt: skip
def test_the_library_loads_matplotlib_only_to_build_a_chart(module):
    # a chart the cache holds is shown without it (tests/test_chart_cache.py)
    assert imported_after(f"import {module}", ("matplotlib",)) == []
    built = (
        f"import {module}\nfrom eic.foundations import FOUNDATIONS, radar_chart\n"
        "radar_chart({'Ours': dict.fromkeys(FOUNDATIONS, 3)})"
    )
    assert imported_after(built, ("matplotlib",)) == ["matplotlib"]


def test_the_allocation_and_the_network_chart_still_load_scipy_and_networkx():
    statement = (
        "import pandas as pd\n"
        "from eic import data\n"
        "from eic.symbiosis import allocate_exchanges, match_by_products, network_chart\n"
        "found = match_by_products(data.load('sme_inventory'), max_distance_km=15)\n"
        "allocate_exchanges(found)\n"
        "network_chart(pd.DataFrame({'supplier': ['A'], 'receiver': ['B'], "
        "'resource': ['steam']}), title='Steam')"
    )
    assert imported_after(statement, ("scipy.optimize", "networkx")) == [
        "scipy.optimize",
        "networkx",
    ]


def test_a_network_is_measured_without_loading_networkx():
    # module 4 summarises the Kalundborg network as it opens
    statement = (
        "from eic import data\n"
        "from eic.symbiosis import chertow_3_2, degree_table, network_summary, without_partner\n"
        "links = data.load('kalundborg_exchanges')[['supplier', 'receiver', 'resource']]\n"
        "summary = network_summary(links)\n"
        "chertow_3_2(links), degree_table(links), without_partner(links, summary.anchors[0])"
    )
    assert imported_after(statement, ("networkx",)) == []


def test_brokers_are_found_without_loading_networkx():
    # module 6 ranks brokers as it opens; networkx takes a third of a second to load
    statement = (
        "import pandas as pd\nfrom eic.cooperation import brokers\n"
        "assert brokers(pd.DataFrame({'a': ['A', 'B'], 'b': ['B', 'C']})) == ['B']"
    )
    assert imported_after(statement, ("networkx", "scipy")) == []


def test_an_irr_is_found_without_loading_scipy():
    # module 5 computes IRRs as it opens; scipy.optimize alone takes half a second to load
    statement = "from eic.appraisal import irr\nassert 0.13 < irr([-100, 60, 60]) < 0.14"
    assert imported_after(statement, ("scipy",)) == []


@pytest.mark.slow
def test_a_figure_a_notebook_shows_is_drawn_once_for_its_picture_and_its_alternative_text(
    tmp_path,
):
    path = tmp_path / "figure.ipynb"
    cells = [
        new_code_cell(
            "import eic\n"
            "import matplotlib.pyplot as plt\n"
            "from matplotlib.backend_bases import FigureCanvasBase\n"
            "drawn = []\n"
            "_print_figure = FigureCanvasBase.print_figure\n"
            "def counting(self, *args, **kwargs):\n"
            "    drawn.append(self.figure)\n"
            "    return _print_figure(self, *args, **kwargs)\n"
            "FigureCanvasBase.print_figure = counting"
        ),
        new_code_cell("fig, ax = plt.subplots()\nax.set_title('Water by firm')"),
        new_code_cell("fig, ax = plt.subplots()\nax.set_title('Salt by firm')\ndisplay(fig)"),
        new_code_cell("print(len(drawn))"),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    nb = run_notebook(path)
    for cell, title in ((nb.cells[1], "Water by firm"), (nb.cells[2], "Salt by firm")):
        shown = [o["data"] for o in cell.outputs if "image/png" in o.get("data", {})]
        assert shown, cell.outputs
        assert all(f"alt='Chart: {title}'" in data["text/html"] for data in shown)
        assert all(data["image/png"] in data["text/html"] for data in shown)
    # cell 2 shows one figure; cell 3 shows its figure twice (display, then the end of
    # the cell): three pictures, each drawn once for both of its outputs
    assert nb.cells[3].outputs[0]["text"].split() == ["3"]


@pytest.mark.slow
def test_pyplot_does_not_draw_a_figure_that_the_notebook_is_about_to_draw_to_show_it(tmp_path):
    # pyplot redraws each changed figure after a cell; the inline backend then draws it
    # again to show it. Only the second drawing is ever seen.
    path = tmp_path / "redraw.ipynb"
    cells = [
        new_code_cell(
            "import eic\n"
            "import matplotlib.pyplot as plt\n"
            "from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
            "rendered = []\n"
            "_draw = FigureCanvasAgg.draw\n"
            "def counting(self, *args, **kwargs):\n"
            "    rendered.append(self.figure)\n"
            "    return _draw(self, *args, **kwargs)\n"
            "FigureCanvasAgg.draw = counting"
        ),
        new_code_cell("fig, ax = plt.subplots()\nax.plot([1, 3, 2])\nax.set_title('Steam')"),
        new_code_cell(
            "shown = len(rendered)\n"
            "import io\n"
            "from matplotlib.figure import Figure\n"
            "alone = Figure()\n"
            "alone.subplots().plot([1, 3, 2])\n"
            "alone.savefig(io.BytesIO(), format='png', bbox_inches='tight')\n"
            "print(shown, len(rendered) - shown)"
        ),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    nb = run_notebook(path)
    assert any("image/png" in o.get("data", {}) for o in nb.cells[1].outputs)
    # the figure shown took as many renderings as saving one picture of it takes
    shown, one_picture = nb.cells[2].outputs[0]["text"].split()
    assert shown == one_picture
