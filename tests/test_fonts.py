"""Charts draw names in the scripts officials write them in (eic.fonts)."""

from __future__ import annotations

import re
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from conftest import ROOT, shown_html

import eic.fonts
from eic.chart_cache import render
from eic.clusters import location_quotients, lq_chart
from eic.fonts import FILES, fallbacks
from eic.own_data import SPECS, OwnDataPanel
from eic.table_templates import template_csv

# a region's name in each script, and a sector's
NAMES = {
    "Chinese": ("江苏省", "纺织业"),
    "Japanese": ("東京都", "サービス業"),
    "Korean": ("울산광역시", "조선업"),
    "Thai": ("ชลบุรี", "ปิโตรเคมี"),
    "Vietnamese": ("Đồng Nai", "Dệt may"),
}


def missing_letters(fig) -> list[str]:
    """The warnings matplotlib gives while drawing ``fig`` for letters no font has."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(fig)
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def chart_with(region: str, sector: str):
    table = pd.DataFrame(
        {
            "region": [region, region, "Other", "Other"],
            "sector": [sector, "Services", sector, "Services"],
            "year": 2020,
            "employment": [300, 700, 200, 1800],
        }
    )
    return lq_chart(location_quotients(table), region)


def test_the_fonts_setup_installs_are_found():
    # scripts/setup.sh installs one for Chinese, Japanese and Korean, and one for Thai
    assert {"WenQuanYi Zen Hei", "Loma"} <= set(fallbacks())


@pytest.mark.parametrize("script", NAMES)
def test_a_chart_draws_every_letter_of_its_names(script, caplog):
    assert missing_letters(chart_with(*NAMES[script])) == []
    # nor does matplotlib say, below the chart, that a fallback font has another weight
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


def test_with_matplotlibs_own_font_alone_the_letters_are_missing(monkeypatch):
    # what the charts were before: the same chart loses its Chinese letters
    monkeypatch.setattr(eic.fonts, "fallbacks", lambda: ())
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        assert missing_letters(chart_with(*NAMES["Chinese"]))


def test_setup_and_binder_install_the_fonts_the_charts_look_for():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    packages = re.search(r"^fonts=\(([^)]*)\)$", setup, re.M).group(1).split()
    assert (ROOT / "binder" / "apt.txt").read_text().split() == packages
    for path in FILES:  # setup looks for the files the packages put where eic.fonts does
        assert f"[ -f {path} ]" in setup


CHINESE = ["江苏纺织厂", "浙江化工", "广东电厂", "山东钢铁", "河南水泥", "四川造纸", "湖北制药"]


@pytest.mark.parametrize("module", list(SPECS))
def test_every_own_data_analysis_draws_names_in_chinese(module, tmp_path):
    # the module's example table, its first column (the regions, flows, firms or options)
    # named in Chinese, uploaded, checked and analysed with every chart drawn
    table = SPECS[module].example_table().copy()
    first = table.columns[0]
    names = list(dict.fromkeys(table[first]))
    chinese = {
        n: CHINESE[i % len(CHINESE)] + "一二三四五六七八九"[i // len(CHINESE)]
        for i, n in enumerate(names)
    }
    table[first] = table[first].map(chinese)
    panel = OwnDataPanel(SPECS[module], tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert panel.receive(template_csv(table), "ours.csv"), panel.message.value
    assert "<img" in shown_html(panel.analysis)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
