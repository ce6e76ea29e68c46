"""A module's Voila app on a phone held upright (390 pixels wide): its explorers' tables
and its charts can be read there, and nothing else on the page runs past the screen's edge
(the layout of every module at every width: tests/test_browser.py)."""

from __future__ import annotations

import pytest
from test_browser import (  # noqa: F401 - served is a fixture
    PHONE,
    assert_laid_out,
    focus_inside,
    open_module,
    says_what_it_shows,
    served,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The smallest lettering on a course chart is 7.5 points (the network chart's link labels,
# a Sankey diagram's flows). Charts are drawn at 96 dots an inch, so at their own size it is
# 7.5 * 96 / 72 = 10 pixels high; shown at a fraction of that size it is that fraction of 10.
SMALLEST_LETTERING_PX = 7.5 * 96 / 72
READABLE_PX = 9


# two frames drawn: what watches for a change of size (a ResizeObserver) has been told
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def resized(page, width: int) -> None:
    """The page's window made ``width`` pixels wide, and the page laid out again for it."""
    page.set_viewport_size({"width": width, "height": 800})
    page.wait_for_timeout(500)  # the widgets lay themselves out again
    page.evaluate(NEXT_FRAMES)


def on_a_phone(browser, url: str, module_id: str):
    """A module's page, opened and then laid out for a phone held upright."""
    page, errors = open_module(browser, url, module_id)
    resized(page, PHONE)
    return page, errors


# For each visible table of an explorer: its caption, the words of its cells that are split
# over two lines or more, the numbers in its cells that are not on one line, and where the
# table and the box that shows it (the nearest one that scrolls sideways, else the page) end
# once that box is scrolled as far right as it goes.
TABLES = """() => {
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const tops = [...range.getClientRects()].filter(r => r.width > 0)
                   .map(r => Math.round(r.top));
    return new Set(tops).size;
  };
  const NUMBER = /^[-\u2212\u2013]?\\d[\\d.,]*%?$/;
  return [...document.querySelectorAll('.eic-explorer .widget-html-content table')]
    .filter(table => table.offsetParent !== null)
    .map(table => {
      const broken = [], numbers = [], split = [];
      for (const cell of table.querySelectorAll('th, td')) {
        const text = cell.innerText.trim();
        if (NUMBER.test(text)) numbers.push(text);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          // a compound may break after its hyphen ("job-" / "years"), as in print
          for (const word of node.data.matchAll(/[^\\s-]+-?/g)) {
            if (lines(node, word.index, word.index + word[0].length) > 1) broken.push(word[0]);
          }
          if (NUMBER.test(text) && lines(node, 0, node.data.length) > 1) split.push(text);
        }
      }
      let box = table.parentElement;
      while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
        box = box.parentElement;
      }
      box = box || document.documentElement;
      box.scrollTo({left: box.scrollWidth, behavior: 'instant'});
      const shown = {
        caption: table.caption ? table.caption.innerText : '',
        captionRight: table.caption ? table.caption.getBoundingClientRect().right : 0,
        broken, numbers, split,
        tableRight: table.getBoundingClientRect().right,
        boxRight: box.getBoundingClientRect().right,
        boxScrolls: box !== document.documentElement,
        screen: document.documentElement.clientWidth,
      };
      box.scrollTo({left: 0, behavior: 'instant'});
      return shown;
    });
}"""


@pytest.mark.parametrize(
    ("module_id", "caption", "figures"),
    [
        # Module 4's worked example: fly ash to the cement plant saves 240,000 (virgin
        # material) + 80,000 (disposal) - 1,789 (transport) = 318,211 USD a year
        ("m04", "Savings account", {"318,211", "240,000", "8,000"}),
        # Module 8's example: 5 MW of solar PV built at 31.2 job-years per MW is
        # 5 x 31.2 = 156.0 job-years; run at 1.68 jobs per MW, 5 x 1.68 = 8.4 jobs
        ("m08", "Direct green jobs", {"156.0", "8.4"}),
    ],
)
def test_an_explorers_table_on_a_phone_is_unbroken_and_scrolls_sideways(
    served,  # noqa: F811
    browser,
    module_id,
    caption,
    figures,
):
    url, _folder = served
    page, errors = on_a_phone(browser, url, module_id)
    tables = page.evaluate(TABLES)
    assert any(caption in table["caption"] for table in tables), [t["caption"] for t in tables]
    for table in tables:
        name = table["caption"][:40]
        # no word is split over two lines, and every number is on one line
        assert table["broken"] == [], f"{name}: words broken inside: {table['broken']}"
        assert table["split"] == [], f"{name}: numbers over two lines: {table['split']}"
        # a table wider than the screen scrolls sideways within the screen's width: scrolled
        # as far as it goes, its last column is in sight, and its caption always is
        assert table["boxRight"] <= table["screen"] + 1, name
        assert table["tableRight"] <= table["boxRight"] + 1, f"{name}: cut at its box's edge"
        assert table["captionRight"] <= table["screen"] + 1, f"{name}: caption cut"
    shown = {number for table in tables for number in table["numbers"]}
    assert figures <= shown, f"{figures - shown} not shown whole"
    assert any(table["boxScrolls"] for table in tables)  # the wide ones need to scroll
    assert_laid_out(page)  # nothing else is cut short or past the screen's edge
    assert errors == []
    page.close()


# For each visible chart: its alternative text, the share of its own width it is shown at,
# where it and its box end (the box scrolled as far right as it goes), and whether its box
# scrolls sideways and is then reached with the keyboard and named.
CHARTS = """() => [...document.querySelectorAll(
    '.jp-OutputArea-output > img, figure.eic-chart > img, .eic-chart img')]
  .filter(img => img.offsetParent !== null && img.naturalWidth > 0)
  .map(img => {
    const box = img.parentElement;
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    box.scrollTo({left: box.scrollWidth, behavior: 'instant'});
    const shown = {
      alt: img.alt,
      scale: img.getBoundingClientRect().width / img.naturalWidth,
      imgRight: img.getBoundingClientRect().right,
      boxRight: box.getBoundingClientRect().right,
      scrolls,
      tabindex: box.getAttribute('tabindex'),
      role: box.getAttribute('role'),
      label: box.getAttribute('aria-label') || '',
    };
    box.scrollTo({left: 0, behavior: 'instant'});
    return shown;
  })"""


@pytest.mark.parametrize("module_id", ["m03", "m04", "m08"])
def test_a_chart_on_a_phone_keeps_readable_lettering_in_a_box_that_scrolls(
    served,  # noqa: F811
    browser,
    module_id,
):
    # Module 3's Sankey diagrams, Module 4's Kalundborg network and cluster map, Module 8's
    # green jobs: drawn 833-1067 pixels wide, fitted to 360 their lettering was 3-5 pixels
    url, _folder = served
    page, errors = on_a_phone(browser, url, module_id)
    charts = page.evaluate(CHARTS)
    assert len(charts) >= 2
    screen = page.evaluate("document.documentElement.clientWidth")
    for chart in charts:
        name = chart["alt"][:60]
        lettering = SMALLEST_LETTERING_PX * chart["scale"]
        assert lettering >= READABLE_PX, f"{name}: lettering {lettering:.1f} px high"
        assert says_what_it_shows(chart["alt"])  # the alternative text stays
        # its box ends at the screen's edge; scrolled, it shows the chart's right side
        assert chart["boxRight"] <= screen + 1, name
        assert chart["imgRight"] <= chart["boxRight"] + 1, name
        if chart["scrolls"]:  # reached with the Tab key and named as a chart to scroll
            assert chart["tabindex"] == "0" and chart["role"] == "group", name
            assert "scroll sideways" in chart["label"], name
    assert any(chart["scrolls"] for chart in charts)
    # the first chart that scrolls is reached with the keyboard and scrolled with its arrows
    box = "[role=group][aria-label^=Chart]"
    focus_inside(page, box)
    before = page.evaluate("document.activeElement.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.activeElement.scrollLeft > {before}", timeout=5_000)
    assert_laid_out(page)  # and nothing on the page runs past the screen's edge
    # on a wide screen the charts fit their boxes as before, and no box is a stop of the Tab key
    resized(page, 1280)
    for chart in page.evaluate(CHARTS):
        assert not chart["scrolls"] and chart["scale"] <= 1 + 1e-6, chart["alt"][:60]
        assert chart["tabindex"] is None and chart["role"] is None, chart["alt"][:60]
    assert errors == []
    page.close()
