"""Charts drawn before are taken from the disk cache, and only when nothing has changed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import eic
from eic import chart_cache
from eic.clusters import lq_chart
from eic.foundations import radar_chart
from eic.views import figure_png

RATINGS = {
    "Inter-firm networks": 3,
    "Enabling technologies": 2,
    "Social capital": 4,
    "Public policy support": 1,
}
LQS = pd.DataFrame(
    {"sector": ["Fishing", "Textiles", "Tourism"], "lq": [2.0, 0.6, 1.3], "candidate": [1, 0, 1]}
).astype({"candidate": bool})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "charts"
    monkeypatch.setenv("EIC_CHART_CACHE", str(folder))
    return folder


@pytest.fixture
def renders(monkeypatch) -> list[Figure]:
    """The figures rendered to a picture (not taken from the cache)."""
    rendered: list[Figure] = []
    savefig = Figure.savefig

    def counting(self, *args, **kwargs):
        rendered.append(self)
        return savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counting)
    return rendered


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
    measured: list[Text] = []
    layout = Text._get_layout

    def counting(self, renderer):
        measured.append(self)
        return layout(self, renderer)

    monkeypatch.setattr(Text, "_get_layout", counting)
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
        "from eic.cost_sharing import cetp_plant_cost, compare_rules, shares_chart\n"
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
