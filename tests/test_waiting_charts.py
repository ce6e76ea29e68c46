"""In a notebook, a chart is built only when it is needed: one the chart cache holds is
shown, with its alternative text, without loading matplotlib at all.

Loading matplotlib takes over half a second of every module's opening, on Binder and in
every kernel a workshop server keeps ready. The tests in a kernel run real notebooks; the
others make charts wait as a kernel showing figures inline does.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from conftest import copy_course, notebook_path, released_modules, run_notebook
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_notebook

from eic import chart_cache
from eic.clusters import lq_chart
from eic.foundations import radar_chart
from eic.views import describe_figure, figure_png

RATINGS = {
    "Inter-firm networks": 3,
    "Enabling technologies": 2,
    "Social capital": 4,
    "Public policy support": 1,
}
LQS = pd.DataFrame(
    {"sector": ["Fishing", "Textiles", "Tourism"], "lq": [2.0, 0.6, 1.3], "candidate": [1, 0, 1]}
).astype({"candidate": bool})
LOADED = "import sys\nprint('matplotlib' in sys.modules)"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "charts"
    monkeypatch.setenv("EIC_CHART_CACHE", str(folder))
    return folder


@pytest.fixture
def waiting(cache, monkeypatch):
    """Charts wait to be built, as in a notebook kernel showing figures inline."""
    monkeypatch.setattr(chart_cache, "_building_waits", lambda: True)
    monkeypatch.setattr(chart_cache, "_in_cell", [True])
    chart_cache._waiting.clear()
    yield
    chart_cache._waiting.clear()


@pytest.fixture
def built(monkeypatch) -> list[Figure]:
    """The figures built (by any chart function)."""
    figures: list[Figure] = []
    init = Figure.__init__

    def counting(self, *args, **kwargs):
        figures.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", counting)
    return figures


def test_outside_a_notebook_a_chart_function_returns_the_figure_itself(cache):
    fig = radar_chart({"Ours": RATINGS})
    assert isinstance(fig, Figure)
    assert chart_cache.key_of(fig) is not None
    plt.close(fig)


def test_a_waiting_chart_is_built_only_when_its_picture_is_not_kept(waiting, built):
    chart = radar_chart({"Ours": RATINGS}, title="Ours")
    assert isinstance(chart, chart_cache.Chart)
    assert len(built) == 1  # not kept: built as it is made
    first = figure_png(chart)
    again = radar_chart({"Ours": RATINGS}, title="Ours")
    assert figure_png(again) == first
    assert describe_figure(again) == describe_figure(built[0])
    assert describe_figure(again).startswith("Chart: Ours")
    assert len(built) == 1  # picture and alternative text came from the cache


def test_a_chart_that_cannot_be_drawn_says_so_where_it_is_made(waiting):
    # an explorer shows the message of a chart function that refuses its data
    with pytest.raises(ValueError, match="unknown foundation"):
        radar_chart({"Ours": {"Networks": 3}})


def test_a_waiting_chart_behaves_as_its_figure(waiting):
    chart = lq_chart(LQS, "Coast", threshold=1.25)
    assert isinstance(chart.figure, Figure)
    assert chart.axes[0].get_xlabel() == chart.figure.axes[0].get_xlabel() != ""
    plt.close(chart.figure)


def test_data_changed_after_a_chart_was_made_do_not_change_it(waiting, built, cache):
    table = LQS.copy()
    expected = figure_png(lq_chart(table, "Coast", threshold=1.25))  # now kept
    chart = lq_chart(table, "Coast", threshold=1.25)
    assert len(built) == 1  # kept: not built
    table.loc[0, "lq"] = 0.1
    for picture in cache.glob("*.png"):
        picture.unlink()  # the picture has gone (removed as least recently used, say)
    assert figure_png(chart) == expected  # built from the data as they were
    assert len(built) == 2
    assert figure_png(lq_chart(table, "Coast", threshold=1.25)) != expected


def test_a_waiting_chart_changed_by_hand_is_drawn_as_changed(waiting, cache):
    figure_png(radar_chart({"Ours": RATINGS}))
    chart = radar_chart({"Ours": RATINGS})
    chart.axes[0].set_title("Changed by hand")
    assert chart_cache.key_of(chart) is None
    assert describe_figure(chart) == "Chart: Changed by hand"
    assert figure_png(chart) != figure_png(radar_chart({"Ours": RATINGS}))
    assert len(list(cache.glob("*.png"))) == 1  # the changed chart is not kept


def test_a_chart_used_or_shown_is_not_shown_again_at_the_end_of_the_cell(waiting):
    used = radar_chart({"Ours": RATINGS}, title="Used")
    shown = radar_chart({"Ours": RATINGS}, title="Shown")
    left = radar_chart({"Ours": RATINGS}, title="Left")
    figure_png(used)
    assert "alt='Chart: Shown (rating" in shown._repr_html_()
    assert shown._repr_png_().startswith(chart_cache.PNG_SIGNATURE)
    assert chart_cache.charts_to_show() == [left]
    assert chart_cache.charts_to_show() == []


def test_a_chart_made_outside_a_cell_is_not_kept_to_be_shown(waiting, monkeypatch):
    monkeypatch.setattr(chart_cache, "_in_cell", [False])  # as in a widget's callback
    radar_chart({"Ours": RATINGS})
    assert chart_cache._waiting == []


def kept_pictures(nb) -> list[tuple[str, str]]:
    """(alternative text, PNG) of every picture the notebook's outputs show."""
    pictures = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            pictures += re.findall(r"<img src='data:image/png;base64,([^']+)' alt='([^']*)'", html)
    return [(alt, png) for png, alt in pictures]


@pytest.mark.slow
@pytest.mark.parametrize("module", released_modules(), ids=lambda m: m["id"])
def test_a_module_whose_charts_are_kept_opens_without_loading_matplotlib(tmp_path, module):
    path = notebook_path(copy_course(tmp_path / "course"), "release", module)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(LOADED))
    nbformat.write(nb, path)
    env = {"EIC_CHART_CACHE": str(tmp_path / "charts")}
    first = run_notebook(path, env=env)  # draws every chart and keeps it
    again = run_notebook(path, env=env)
    assert first.cells[-1].outputs[0]["text"].strip() == "True"
    assert again.cells[-1].outputs[0]["text"].strip() == "False"
    assert kept_pictures(again) == kept_pictures(first)


@pytest.mark.slow
def test_in_a_notebook_a_chart_a_cell_makes_is_shown_once_at_its_end(tmp_path):
    path = tmp_path / "charts.ipynb"
    ratings = repr({"Ours": RATINGS})
    cells = [
        new_code_cell(f"from eic.foundations import radar_chart\nratings = {ratings}"),
        new_code_cell("fig = radar_chart(ratings, title='Made')\nprint(fig.axes[0].get_title())"),
        new_code_cell("shown = radar_chart(ratings, title='Shown')\ndisplay(shown)"),
        new_code_cell(
            "from eic.explorers import show_chart\n"
            "show_chart(radar_chart(ratings, title='Used'), 'Our ratings')"
        ),
        new_code_cell(LOADED),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    env = {"EIC_CHART_CACHE": str(tmp_path / "charts")}
    for _ in range(2):  # drawn, then taken from the cache
        nb = run_notebook(path, env=env)
        # the radar chart's title says what the ratings mean: "Made (rating 0 = ...)"
        made, shown, used = (
            [alt.split(" (")[0] for alt, _ in kept_pictures(new_notebook(cells=[cell]))]
            for cell in nb.cells[1:4]
        )
        assert made == ["Chart: Made"], nb.cells[1].outputs
        assert shown == ["Chart: Shown"]
        assert used == ["Our ratings"]
        assert nb.cells[1].outputs[0]["text"].startswith("Made")  # built: its title was read
    # the second time, only the chart whose title a cell read was built
    assert nb.cells[4].outputs[0]["text"].strip() == "True"


@pytest.mark.slow
def test_charts_kept_for_other_matplotlib_settings_are_not_taken(tmp_path):
    path = tmp_path / "chart.ipynb"
    cells = [
        new_code_cell(
            f"from eic.foundations import radar_chart\nradar_chart({{'Ours': {RATINGS!r}}})"
        ),
        new_code_cell(LOADED),
    ]
    nbformat.write(new_notebook(cells=cells), path)
    env = {"EIC_CHART_CACHE": str(tmp_path / "charts")}
    default = run_notebook(path, env=env)
    assert run_notebook(path, env=env).cells[1].outputs[0]["text"].strip() == "False"
    settings = tmp_path / "settings" / "matplotlibrc"  # not beside the notebook: read too
    settings.parent.mkdir()
    settings.write_text("font.size: 16\n")
    larger = run_notebook(path, env={**env, "MATPLOTLIBRC": str(settings)})
    assert larger.cells[1].outputs[0]["text"].strip() == "True"  # drawn, not taken
    assert kept_pictures(larger) != kept_pictures(default)
    # with those settings recorded too, each is taken from the cache as drawn
    again = run_notebook(path, env={**env, "MATPLOTLIBRC": str(settings)})
    assert again.cells[1].outputs[0]["text"].strip() == "False"
    assert kept_pictures(again) == kept_pictures(larger)
    assert kept_pictures(run_notebook(path, env=env)) == kept_pictures(default)
