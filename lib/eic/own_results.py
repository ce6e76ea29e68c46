"""The results of an own-data analysis as a page to keep: what the panel shows, on one page.

An official who has run a module's analysis on their own table needs to take the results
away: to a report, a colleague, a meeting. :func:`results_page` writes what the analysis
shows at that moment (its sentences, tables and charts, in the order shown) into one
self-contained HTML page, with the settings of its controls (a distance limit, a discount
rate, a plant's costs) and where the table came from. The page opens in any browser,
prints, and saves as PDF; its charts are embedded, its tables are real tables that copy
into a spreadsheet.

:func:`saved_results` gives the same parts for the table a module's panel has kept, as the
panel shows it when the module is opened again, for the country report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import comm
import ipywidgets as w

from eic.explorers import RESTARTED_LINE

_STYLES = re.compile(r"<style\b.*?</style>", re.DOTALL | re.IGNORECASE)
PAGE_CSS = (
    "body{font-family:Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
    "line-height:1.4;color:#1b1b1b}img{max-width:100%}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc}.settings{background:#f4f4f4;padding:4px 12px}"
)


def _parts(widget: w.Widget) -> Iterator[tuple[str, str]]:
    """("setting", text) for each control and ("html", value) for each piece of HTML shown,
    in the order the panel shows them; hidden widgets and buttons are left out."""
    layout = getattr(widget, "layout", None)
    if layout is not None and getattr(layout, "display", None) == "none":
        return
    if isinstance(widget, w.Box):
        for child in widget.children:
            yield from _parts(child)
        return
    if isinstance(widget, w.HTML | w.HTMLMath):
        if RESTARTED_LINE in widget._dom_classes:  # shown only once the kernel has gone
            return
        if _STYLES.sub("", widget.value).strip():  # a page's style sheet alone shows nothing
            yield "html", widget.value
        return
    description = str(getattr(widget, "description", "") or "").strip().rstrip(":")
    value = getattr(widget, "value", None)
    if isinstance(widget, w.Button) or not description or value is None:
        return
    if isinstance(widget, w.ToggleButtons | w.Dropdown | w.RadioButtons | w.SelectionSlider):
        shown = widget.label or value  # the option's words, not its key
    else:
        shown = f"{value:,.6g}" if isinstance(value, int | float) else value
    yield "setting", f"{description}: {shown}"


def results_parts(analysis: w.Widget) -> tuple[list[str], list[str]]:
    """What ``analysis`` (a widget) shows now: the settings of its controls (as
    "Description: value") and the pieces of HTML it shows, each in the order shown."""
    settings, shown = [], []
    for kind, text in _parts(analysis):
        (settings if kind == "setting" else shown).append(text)
    return settings, shown


def saved_results(folder: Path | str, module: str) -> tuple[list[str], list[str]]:
    """:func:`results_parts` of the analysis of the table ``module``'s own-data panel has
    kept in ``folder``, with the settings kept with it (a distance limit, a region) and the
    answers beside it (Module 7's priorities), as the
    panel shows it when the module is opened again. Raises as the panel would refuse it:
    :class:`eic.uploads.UploadError` for a damaged file, :class:`eic.tables.TableError` for
    a table the module's check no longer accepts."""
    from eic.answers import AnswerStore
    from eic.own_data_specs import SPECS
    from eic.own_tables import OwnDataFile

    spec = SPECS[module]
    saved = OwnDataFile(folder, module, spec.name)
    clean = spec.check(saved.load())
    with _offstage():
        # shown as kept, with the answers beside the table; nothing is changed, so nothing
        # to keep
        analysis = spec.run(
            clean,
            settings=saved.settings(),
            remember=None,
            answers=AnswerStore.for_module(module, folder),
        )
        return results_parts(analysis)


@contextlib.contextmanager
def _offstage() -> Iterator[None]:
    """Widgets made inside are never sent to a page (in a kernel, a module's page would
    otherwise receive every chart of an analysis it does not show) and are let go after."""
    from ipywidgets.widgets import widget as widget_module

    before = set(widget_module._instances)
    create = comm.create_comm
    comm.create_comm = comm.DummyComm
    try:
        yield
    finally:
        comm.create_comm = create
        for key in set(widget_module._instances) - before:
            made = widget_module._instances.pop(key, None)
            if made is not None:
                made.comm = None


def results_page(analysis: w.Widget, *, title: str, source: str) -> str:
    """One HTML page of what ``analysis`` (a widget) shows now, titled ``title``; ``source``
    says where the table came from.

    >>> box = w.VBox([w.FloatSlider(description="Rate (%)", value=10.0),
    ...               w.HTML("<p>7 of 10 options pay.</p>")])
    >>> page = results_page(box, title="Module 5", source="options.csv")
    >>> "Rate (%): 10" in page and "7 of 10 options pay." in page
    True
    """
    settings, shown = results_parts(analysis)
    e = html.escape
    made = dt.date.today().isoformat()
    listed = "".join(f"<li>{e(s)}</li>" for s in settings)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f"<html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>",
            f"<style>{PAGE_CSS}</style></head><body>",
            f"<h1>{e(title)}</h1>",
            f"<p>Made with the EIC Course on {made}, from the table {e(source)}. The figures "
            "are those of that table and of the settings below.</p>",
            f"<div class='settings'><p>Settings:</p><ul>{listed}</ul></div>" if listed else "",
            *shown,
            "</body></html>",
        ]
    )


__all__ = ["results_page", "results_parts", "saved_results"]
