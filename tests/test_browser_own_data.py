"""Module 4's own-data panel in Voila with the largest inventory an upload may have: the
page says at once that the file is being read, and the analysis answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_browser import open_module, served  # noqa: F401 - the served course, as a fixture

from eic.table_templates import template_csv
from eic.uploads import MAX_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# every message the panel shows, in turn, as the page receives it
WATCH_MESSAGES = """() => {
  window.eicMessages = [];
  const panel = document.querySelector('.eic-own-data');
  new MutationObserver(() => {
    for (const el of panel.querySelectorAll('[class^="eic-own-data-"]')) {
      const said = el.className.split(' ')[0] + ': ' + el.innerText;
      if (window.eicMessages.at(-1) !== said) window.eicMessages.push(said);
    }
  }).observe(panel, {childList: true, subtree: true, characterData: true});
}"""


def largest_inventory() -> bytes:
    """As many firms as an upload may have rows, at random on 50 x 50 km, five materials."""
    rng = np.random.default_rng(20)
    rows = MAX_ROWS - 1  # and the header
    table = pd.DataFrame(
        {
            "firm": [f"Firm {i}" for i in range(rows)],
            "x_km": rng.uniform(0, 50, rows).round(1),
            "y_km": rng.uniform(0, 50, rows).round(1),
            "flow": rng.choice(["supplies", "needs"], rows),
            "material": rng.choice(["ash", "rice husk", "scrap", "sludge", "steam"], rows),
            "tonnes_per_year": rng.integers(10, 1000, rows).astype(float),
            "grade": rng.integers(1, 4, rows),
        }
    )
    return template_csv(table)


def test_the_largest_inventory_is_said_to_be_read_and_then_answered(served, browser):  # noqa: F811
    url, _folder = served
    page, errors = open_module(browser, url, "m04")
    panel = page.locator(".eic-own-data")
    panel.scroll_into_view_if_needed()

    def upload(name: str, content: bytes) -> None:
        with page.expect_file_chooser() as chooser:
            panel.locator("button.widget-upload").click()
        chooser.value.set_files({"name": name, "mimeType": "text/csv", "buffer": content})

    with page.expect_download() as download:
        panel.get_by_text("the template as CSV").click()
    upload("ours.csv", Path(download.value.path()).read_bytes())
    panel.locator(".eic-own-data-ok").wait_for(timeout=60_000)
    page.evaluate(WATCH_MESSAGES)
    upload("all-firms.csv", largest_inventory())
    # the answer within a minute (it took over 13 minutes when every exchange was weighed)
    panel.locator(".eic-own-data-ok:has-text('all-firms.csv')").wait_for(timeout=60_000)
    advice = panel.locator(".eic-explorer [role=alert]")
    advice.wait_for(timeout=60_000)
    assert "lower the distance limit" in advice.inner_text()
    said = page.evaluate("() => window.eicMessages")
    first = said.index(next(s for s in said if "all-firms.csv" in s))
    assert said[first].startswith("eic-own-data-working: ")
    assert "Reading and checking 'all-firms.csv'" in said[first], said
    assert "ours.csv" not in said[first]
    assert errors == []
    page.close()
