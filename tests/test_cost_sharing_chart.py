"""Module 6's chart of shares (eic.cost_sharing_chart.shares_chart) stays readable for up to 100
firms with long names in any script: measured on the drawn picture, no two names overlap,
none runs off the picture, and the key covers no bar and no stand-alone mark."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.transforms import Bbox

from eic import data
from eic.cost_sharing import MAX_FIRMS, cetp_plant_cost, compare_rules
from eic.cost_sharing_chart import shares_chart

matplotlib.use("Agg")

# an official's own cluster: ten firms under their ordinary names, in four scripts
TEN = pd.DataFrame(
    {
        "firm": ["Dệt may Phú Thịnh", "โรงย้อมบางปู", "华南纺织厂", "Công ty TNHH Tân Phát",
                 "An Khang Dye Works", "Viet Thang Knitting", "Song Hong Printing",
                 "Kim Son Denim", "Bao Tin Finishing", "Lien Minh Washing"],
        "effluent_m3_per_day": [320, 540, 85, 60, 410, 150, 220, 600, 95, 180],
        "cod_mg_per_l": [1800, 2400, 600, 450, 2100, 900, 1500, 2600, 1100, 1300],
    }
)  # fmt: skip


def long_names(n: int) -> pd.DataFrame:
    """``n`` firms with long names (Vietnamese, Thai, one with no space to break it at)."""
    names = [
        f"Công ty TNHH Dệt Nhuộm và In Hoa Số {i}" if i % 3 == 0
        else f"โรงย้อมผ้าบางปูใหม่จำกัด{i}" if i % 3 == 1
        else f"Eastern Seaboard Textile Finishing Cooperative No. {i}"
        for i in range(n)
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "firm": names,
            "effluent_m3_per_day": [10.0 + 7 * i for i in range(n)],
            "cod_mg_per_l": [500.0 + (37 * i) % 900 for i in range(n)],
        }
    )


CASES = {
    "course": data.load("cetp_firms"),
    "ten ordinary names": TEN,
    "fifteen long names": long_names(15),
    "a hundred long names": long_names(MAX_FIRMS),
}


def drawn(table: pd.DataFrame):
    fig = shares_chart(compare_rules(table, cetp_plant_cost))
    fig.canvas.draw()
    return fig, fig.canvas.get_renderer()


def overlapping(boxes: list[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1 :]
            if box.overlaps(other)]  # fmt: skip


def test_the_course_firms_stand_side_by_side_each_named_under_its_bars():
    fig, _ = drawn(CASES["course"])
    names = [t.get_text().split("\n")[0] for t in fig.axes[0].get_xticklabels()]
    assert names == list(CASES["course"]["firm"])
    plt.close(fig)


@pytest.mark.parametrize("case", list(CASES))
def test_no_two_names_overlap_and_none_runs_off_the_picture(case):
    fig, renderer = drawn(CASES[case])
    ax = fig.axes[0]
    picture = fig.bbox
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        labels = [t for t, at in zip(axis.get_ticklabels(), axis.get_ticklocs(), strict=True)
                  if low <= at <= high and t.get_text()]  # those drawn  # fmt: skip
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
        assert overlapping(boxes) == [], case
        for text, box in boxes:
            assert picture.x0 <= box.x0 and box.x1 <= picture.x1, text
            assert picture.y0 <= box.y0 and box.y1 <= picture.y1, text
    # every firm is named, whichever axis the names are on
    named = [t.get_text().replace("\n", " ") for t in [*ax.get_xticklabels(),
                                                       *ax.get_yticklabels()]]  # fmt: skip
    for firm in CASES[case]["firm"]:
        assert any(text.startswith(f"{firm} ") for text in named), firm
    plt.close(fig)


@pytest.mark.parametrize("case", list(CASES))
def test_the_key_covers_no_bar_and_no_stand_alone_mark(case):
    fig, renderer = drawn(CASES[case])
    ax = fig.axes[0]
    (key,) = fig.legends
    covered = key.get_window_extent(renderer)
    bars = [bar.get_window_extent(renderer) for bar in ax.patches]
    assert len(bars) == 3 * len(CASES[case])
    (marks,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    ends = [ax.transData.transform(np.asarray(segment)) for segment in marks.get_segments()]
    width = marks.get_linewidths()[0] * fig.dpi / 72
    lines = [Bbox(np.vstack([end.min(axis=0) - width, end.max(axis=0) + width])) for end in ends]
    assert len(lines) == len(CASES[case])
    for box in [*bars, *lines]:
        assert not covered.overlaps(box)
    assert not covered.overlaps(ax.get_window_extent(renderer))  # outside the bars' area
    assert fig.bbox.x0 <= covered.x0 and covered.x1 <= fig.bbox.x1
    plt.close(fig)
