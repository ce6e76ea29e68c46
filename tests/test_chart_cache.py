"""Charts drawn before are taken from the disk cache, and only when nothing has changed;
in a notebook, a chart the cache holds is shown without loading matplotlib."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pytest
from conftest import LQS, RATINGS, copy_course, notebook_path, released_modules, run_notebook
from matplotlib.figure import Figure
from matplotlib.text import Text
from nbformat.v4 import new_code_cell, new_notebook

import eic
from eic import chart_cache
from eic.clusters import lq_chart
from eic.foundations import radar_chart
from eic.views import describe_figure, figure_png


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "charts"
    monkeypatch.setenv("EIC_CHART_CACHE", str(folder))
    return folder


def calls_to(monkeypatch, owner: type, name: str) -> list:
    """The objects whose method ``owner.name`` is called from now on, in order."""
    seen = []
    original = getattr(owner, name)

    def counting(self, *args, **kwargs):
        seen.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return seen


@pytest.fixture
def renders(monkeypatch) -> list[Figure]:
    """The figures rendered to a picture (not taken from the cache)."""
    return calls_to(monkeypatch, Figure, "savefig")


@pytest.fixture
def built(monkeypatch) -> list[Figure]:
    """The figures built (by any chart function)."""
    return calls_to(monkeypatch, Figure, "__init__")


def fresh_png(chart, *args, **kwargs) -> bytes:
    """The chart's picture rendered with no cache at all."""
    fig = chart.__wrapped__(*args, **kwargs)
    return figure_png(fig)


def test_a_chart_drawn_before_is_taken_from_the_cache_as_the_same_picture(cache, renders):
    first = figure_png(radar_chart({"Ours": RATINGS}, title="Ours"))
    second = figure_png(radar_chart({"Ours": RATINGS}, title="Ours"))
    assert len(renders) == 1
    assert second == first == fresh_png(radar_chart, {"Ours": RATINGS}, title="Ours")
    assert len(list(cache.glob("*.png"))) == 1
    assert not list(cache.glob("*.part"))


@pytest.mark.parametrize(
    ("chart", "args", "kwargs"),
    [(lq_chart, (LQS, "Coast"), {"threshold": 1.25}), (radar_chart, ({"Ours": RATINGS},), {})],
)
def test_a_chart_taken_from_the_cache_is_not_laid_out_either(
    cache, monkeypatch, chart, args, kwargs
):
    # laying out a chart measures its text, which costs as much as building the rest of it
    picture = figure_png(chart(*args, **kwargs))
    measured: list[Text] = calls_to(monkeypatch, Text, "_get_layout")
    assert figure_png(chart(*args, **kwargs)) == picture
    assert measured == []
    # drawn afresh, the same chart is laid out as before
    assert fresh_png(chart, *args, **kwargs) == picture
    assert measured != []


def test_no_chart_is_laid_out_before_it_is_drawn():
    eager = [
        str(path.relative_to(Path(eic.__file__).parent))
        for path in Path(eic.__file__).parent.rglob("*.py")
        if ".tight_layout(" in path.read_text()
    ]
    assert eager == []  # set_layout_engine("tight") lays out when, and only if, drawn


def test_other_data_or_options_make_another_chart(cache, renders):
    figure_png(lq_chart(LQS, "Coast", threshold=1.25))
    other_threshold = figure_png(lq_chart(LQS, "Coast", threshold=1.5))
    other_data = figure_png(lq_chart(LQS.assign(lq=[2.0, 0.6, 1.9]), "Coast", threshold=1.25))
    assert len(renders) == 3
    assert other_threshold == fresh_png(lq_chart, LQS, "Coast", threshold=1.5)
    assert other_data != other_threshold


def test_a_figure_changed_after_it_was_drawn_is_rendered_again(cache, renders):
    figure_png(radar_chart({"Ours": RATINGS}))
    fig = radar_chart({"Ours": RATINGS})
    fig.axes[0].set_title("Changed by hand")
    changed = figure_png(fig, close=False)
    assert len(renders) == 2
    assert chart_cache.key_of(fig) is None
    assert changed != figure_png(radar_chart({"Ours": RATINGS}))
    assert len(list(cache.glob("*.png"))) == 1  # the changed figure is not kept


def test_changed_matplotlib_settings_make_another_chart(cache, renders):
    figure_png(radar_chart({"Ours": RATINGS}))
    with matplotlib.rc_context({"font.size": 16}):
        figure_png(radar_chart({"Ours": RATINGS}))
    assert len(renders) == 2


def test_a_damaged_picture_is_rendered_again_and_replaced(cache, renders):
    fig = radar_chart({"Ours": RATINGS})
    key = chart_cache.key_of(fig)
    cache.mkdir()
    (cache / f"{key}.png").write_bytes(b"half a pic")
    png = figure_png(fig)
    assert len(renders) == 1
    assert png.startswith(chart_cache.PNG_SIGNATURE)
    assert (cache / f"{key}.png").read_bytes() == png


def test_a_cache_that_cannot_be_written_still_gives_the_picture(tmp_path, monkeypatch, renders):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("EIC_CHART_CACHE", str(blocked / "charts"))
    png = figure_png(radar_chart({"Ours": RATINGS}))
    assert png.startswith(chart_cache.PNG_SIGNATURE)
    assert len(renders) == 1


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, renders):
    monkeypatch.setenv("EIC_CHART_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    figure_png(radar_chart({"Ours": RATINGS}))
    figure_png(radar_chart({"Ours": RATINGS}))
    assert len(renders) == 2
    assert not list(tmp_path.rglob("*.png"))


def test_the_least_recently_used_pictures_are_removed_beyond_the_limit(cache, monkeypatch):
    monkeypatch.setattr(chart_cache, "MAX_FILES", 5)
    signature = chart_cache.PNG_SIGNATURE
    for number in range(5):
        chart_cache.store(f"old{number}", signature + b"old")
    hours_ago = {"old1": 4, "old2": 3, "old3": 2, "old4": 1, "old0": 5}
    for name, hours in hours_ago.items():
        os.utime(cache / f"{name}.png", (time.time() - 3600 * hours,) * 2)
    assert chart_cache.read("old0") == signature + b"old"  # used again: now the most recent
    chart_cache.store("new", signature + b"new")
    # six pictures, over the limit of five: the two least recently used go, leaving four
    assert sorted(p.stem for p in cache.glob("*.png")) == ["new", "old0", "old3", "old4"]


def test_two_kernels_find_the_same_key_for_the_same_chart(cache):
    # two kernels have different hash seeds, so sets (here the groups of firms in the cost
    # comparison's core check) iterate in different orders: the key must not depend on it
    probe = (
        "from eic import chart_cache, data\n"
        "from eic.clusters import lq_chart\n"
        "from eic.cost_sharing import cetp_plant_cost, compare_rules\n"
        "from eic.cost_sharing_chart import shares_chart\n"
        "table = compare_rules(data.load('cetp_firms'), cetp_plant_cost)\n"
        "assert any(r.objections for r in table.attrs['core'].values())\n"
        "print(chart_cache.key_of(shares_chart(table)))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "agg"},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1
    assert len(keys.pop()) == 64


def test_the_charts_command_says_what_is_wrong_instead_of_drawing_nothing(
    tmp_path, monkeypatch, capsys
):
    from eic.cli import main

    assert main(["charts", "--release", str(tmp_path)]) == 1
    assert "No module notebooks in" in capsys.readouterr().out
    monkeypatch.setenv("EIC_CHART_CACHE", "off")
    assert main(["charts"]) == 1
    assert "turned off (EIC_CHART_CACHE=off)" in capsys.readouterr().out


@pytest.mark.slow
def test_the_charts_command_prints_no_warning_about_plain_text_kernels(tmp_path):
    # the trainer's terminal says which charts were drawn, not, for each notebook's kernel,
    # that its traffic may be eavesdropped on: that traffic is encrypted
    module = released_modules()[0]["folder"]
    course = copy_course(tmp_path / "course")
    release = tmp_path / "release"
    release.mkdir()
    (course / "release" / module).rename(release / module)
    env = {**os.environ, "EIC_CHART_CACHE": str(tmp_path / "charts")}
    done = subprocess.run(
        [sys.executable, "-m", "eic.cli", "charts", "--release", str(release)],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode == 0 and f"drew the charts of {module}.ipynb" in said, said
    assert "without encryption" not in said and "WARNING" not in said, said


def test_with_no_home_folder_charts_are_still_drawn(monkeypatch, renders):
    monkeypatch.delenv("EIC_CHART_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert chart_cache.folder() is None
    assert figure_png(radar_chart({"Ours": RATINGS})).startswith(chart_cache.PNG_SIGNATURE)
    assert len(renders) == 1


def test_every_chart_function_of_the_library_is_remembered():
    import importlib
    import inspect
    import pkgutil

    import eic

    forgotten = []
    for info in pkgutil.iter_modules(eic.__path__):
        module = importlib.import_module(f"eic.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            returns = inspect.signature(inspect.unwrap(function)).return_annotation
            if returns in (Figure, "Figure") and not hasattr(function, "__wrapped__"):
                forgotten.append(f"{module.__name__}.{name}")
    assert forgotten == []


# In a notebook, a chart is built only when it is needed: one the chart cache holds is
# shown, with its alternative text, without loading matplotlib at all (loading it takes
# over half a second of every module's opening). The tests in a kernel run real notebooks;
# the others make charts wait as a kernel showing figures inline does.

LOADED = "import sys\nprint('matplotlib' in sys.modules)"


@pytest.fixture
def waiting(cache, monkeypatch):
    """Charts wait to be built, as in a notebook kernel showing figures inline."""
    monkeypatch.setattr(chart_cache, "_building_waits", lambda: True)
    monkeypatch.setattr(chart_cache, "_in_cell", [True])
    chart_cache._waiting.clear()
    yield
    chart_cache._waiting.clear()


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


def larger_text(tmp_path: Path, where: str) -> dict[str, str]:
    """The environment of a kernel whose charts have larger text, set ``where``."""
    if where == "matplotlibrc":
        settings = tmp_path / "settings" / "matplotlibrc"  # not beside the notebook: read too
        settings.parent.mkdir()
        settings.write_text("font.size: 16\n")
        return {"MATPLOTLIBRC": str(settings)}
    profile = tmp_path / "ipython" / "profile_default"  # IPython's inline backend settings
    profile.mkdir(parents=True)
    (profile / "ipython_kernel_config.py").write_text("c.InlineBackend.rc = {'font.size': 16}\n")
    return {"IPYTHONDIR": str(profile.parent)}


@pytest.mark.slow
@pytest.mark.parametrize("where", ["matplotlibrc", "IPython"])
def test_charts_kept_for_other_matplotlib_settings_are_not_taken(tmp_path, where):
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
    env_larger = env | larger_text(tmp_path, where)
    larger = run_notebook(path, env=env_larger)
    assert larger.cells[1].outputs[0]["text"].strip() == "True"  # drawn, not taken
    assert kept_pictures(larger) != kept_pictures(default)
    # with those settings recorded too, each is taken from the cache as drawn
    again = run_notebook(path, env=env_larger)
    assert again.cells[1].outputs[0]["text"].strip() == "False"
    assert kept_pictures(again) == kept_pictures(larger)
    assert kept_pictures(run_notebook(path, env=env)) == kept_pictures(default)
