"""Fonts for the names on a chart, in whatever script an official writes them.

An official's own table names regions, sectors and firms in the country's own script:
Chinese, Japanese, Korean or Thai. matplotlib draws every chart with DejaVu Sans, which has
none of these letters, so such a name came out as a row of empty boxes. Every chart is now
drawn with DejaVu Sans first and, for a letter it lacks, the first font installed from
:data:`FALLBACKS` (:func:`use_chart_fonts`, as the first chart is made): the ones
``scripts/setup.sh`` and Binder install on Linux (``fonts-wqy-zenhei``: Chinese, Japanese
and Korean; ``fonts-tlwg-loma-ttf``: Thai) and those Windows and macOS come with.
Vietnamese, written in Latin letters, needs none.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

FALLBACKS = (
    "WenQuanYi Zen Hei",  # Linux (fonts-wqy-zenhei): Chinese, Japanese kana, Korean
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Microsoft YaHei",  # Windows
    "Yu Gothic",
    "Malgun Gothic",
    "PingFang SC",  # macOS
    "Hiragino Sans",
    "Apple SD Gothic Neo",
    "Loma",  # Linux (fonts-tlwg-loma-ttf): Thai
    "Noto Sans Thai",
    "Leelawadee UI",  # Windows
    "Thonburi",  # macOS
)
# where the Linux packages put them: matplotlib lists a system's fonts once and keeps the
# list, so fonts installed after that are added from here
FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/tlwg/Loma.ttf",
)


def _not_weight_notice(record: logging.LogRecord) -> bool:
    # a fallback font has one weight (WenQuanYi Zen Hei's is 500, not 400): matplotlib says
    # so each time it uses it, which would show below a chart as an error
    return not record.getMessage().startswith("findfont: Failed to find font weight")


@functools.cache
def fallbacks() -> tuple[str, ...]:
    """The fonts of FALLBACKS this machine has, in that order."""
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").addFilter(_not_weight_notice)
    known = {font.fname for font in font_manager.fontManager.ttflist}
    for path in FILES:
        if Path(path).is_file() and path not in known:
            font_manager.fontManager.addfont(path)
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in FALLBACKS if name in installed)


def use_chart_fonts() -> None:
    """Draw with DejaVu Sans, then the fallbacks, for a letter DejaVu Sans lacks: set in
    matplotlib's settings, which every text takes its fonts from when it is made, unless
    they name fonts of their own."""
    import matplotlib

    if list(matplotlib.rcParams["font.family"]) in (["sans-serif"], ["DejaVu Sans"]):
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", *fallbacks()]
