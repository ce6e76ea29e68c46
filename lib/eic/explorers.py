"""Explorers: small widget panels that redraw an analysis as a participant moves a control.

Each explorer is thin, like the views in :mod:`eic.views`: a control's value goes to a pure
function of the library and the result is shown as a table and a chart (PNG in an
``Image`` widget, with a text alternative). Explorers record nothing; the worksheet's
questions do. Under nbgrader nothing is drawn.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import IPython.display
import pandas as pd
from IPython.display import HTML, display

from eic import widgets as w
from eic.grading import grading_mode, shown_when_restarted
from eic.views import ChartImage, close_figure, figure_png, plain_text

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure


def table_html(
    table: pd.DataFrame,
    *,
    caption: str,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    right: Sequence[str] = (),
) -> str:
    """A table as accessible HTML: a caption, column headers, numbers formatted and aligned.

    ``formats`` maps a column to a format spec ("{:,.0f}"); ``headers`` renames columns
    for display (units belong there: "Employment (persons)"); ``right`` names columns of
    numbers written as text ("3.2", "never, at these savings"), aligned as numbers are.
    """
    formats = formats or {}
    headers = headers or {}
    # a year is written 2010, not 2,010 ("year", "start_year"; not "usd_per_year")
    years = {c for c in table.columns if re.fullmatch(r"(?:\w*_)?(?<!per_)year", str(c).lower())}
    head = "".join(
        f"<th scope='col' style='text-align:left;padding:2px 8px'>"
        f"{html.escape(headers.get(c, c))}</th>"
        for c in table.columns
    )
    rows = []
    # a column of numbers is aligned right, its blanks too; a blank in a text column left
    numeric = {c: pd.api.types.is_numeric_dtype(table[c]) for c in table.columns}
    for _, row in table.iterrows():
        cells = []
        for column in table.columns:
            value = row[column]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if pd.isna(value) if number else value is None:
                text = "–"
                number = numeric[column]
            elif column in formats:
                text = formats[column].format(value)
            elif number and column in years and float(value).is_integer():
                text = f"{value:.0f}"
            else:
                text = f"{value:,.6g}" if number else str(value)
            align = "right" if number or column in right else "left"
            cells.append(f"<td style='text-align:{align};padding:2px 8px'>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<table class='eic-table' style='border-collapse:collapse;margin:6px 0'>"
        f"<caption style='text-align:left;font-weight:bold;padding:4px 0'>"
        f"{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def show_chart(fig: Figure, description: str) -> None:
    """Display a figure as an image whose alternative text is ``description``.

    The description also appears as a caption, so the chart is never the only way to read
    what it shows. Under nbgrader nothing is drawn.
    """
    if grading_mode():
        close_figure(fig)
        return
    encoded = base64.b64encode(figure_png(fig)).decode("ascii")
    text = html.escape(description, quote=True)
    display(
        HTML(
            f"<figure class='eic-chart' style='margin:8px 0'><img src='data:image/png;base64,"
            f"{encoded}' alt='{text}' style='max-width:100%'>"
            f"<figcaption style='font-size:90%'>{text}</figcaption></figure>"
        )
    )


def show_table(table: pd.DataFrame, **kw) -> None:
    """Display :func:`table_html` (plain text under nbgrader)."""
    if grading_mode():
        return
    display(HTML(table_html(table, **kw)))


# A control's description is one line by default, cut short with "..." when it is longer
# than the room given to it: a participant saw "Plastic products from recycled plastic (t/yr
# of recovered pl...", without the unit to type in. With this rule it wraps onto a second
# line instead. It comes with each explorer, so it applies in JupyterLab as in the app.
WRAPPED_DESCRIPTIONS = (
    "<style>.eic-explorer .widget-inline-hbox > .widget-label {white-space: normal; "
    "height: auto; line-height: 1.3; align-self: center; overflow: visible}</style>"
)


# An explorer redraws in the page's kernel: once that has been restarted or stopped, its
# controls still move but nothing changes. This line, hidden until then, says so.
NO_LONGER_ANSWERS = (
    "The notebook's kernel was restarted or stopped, so this no longer answers: run the page "
    "again (in JupyterLab, Run → Run All Cells; in the app view, reload the page)."
)


# the class of that line: what a panel shows is saved (eic.own_results) without it
RESTARTED_LINE = "eic-restarted-line"


def restarted_line() -> w.HTML:
    """A line that shows :data:`NO_LONGER_ANSWERS` once the page's kernel has gone."""
    line = w.HTML(shown_when_restarted(NO_LONGER_ANSWERS))
    line.add_class(RESTARTED_LINE)
    return line


class Explorer:
    """Controls, a chart and a text panel; ``draw(values)`` returns (figure, html), or
    (figure, html, the chart's alternative text).

    The HTML describes what the chart shows in words, so the chart is never the only way
    to read the result.
    """

    def __init__(
        self,
        controls: Mapping[str, w.ValueWidget],
        draw: Callable[[dict], tuple[object | None, str]],
        *,
        css: str,
    ) -> None:
        self.controls = dict(controls)
        self._draw = draw
        self.chart = ChartImage("900px")
        self.text = w.HTML()
        # controls side by side while they fit, the rest on the next line: never a row wider
        # than the page, whose controls past its edge a participant would not see
        row = w.HBox(list(self.controls.values()), layout={"flex_flow": "row wrap"})
        styles = w.HTML(WRAPPED_DESCRIPTIONS + w.NARROW_SCREEN_STYLE)
        self.box = w.VBox([styles, restarted_line(), row, self.text, self.chart.widget])
        self.box.add_class("eic-explorer")
        self.box.add_class(css)
        for control in self.controls.values():
            control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:
        try:
            fig, text, *alt = self._draw(self.values())
        except (TypeError, ValueError) as err:
            self.chart.hide()
            self.text.value = f"<p role='alert'>{html.escape(str(err))}</p>"
            return
        self.text.value = text
        if fig is None:
            self.chart.hide()
        else:
            # the chart in words, if ``draw`` gives them; else the text's first sentence
            self.chart.show(fig, alt[0] if alt else "Chart: " + plain_text(text.split("</p>")[0]))


def toggle(description: str, options: Sequence[tuple[str, str]], value: str) -> w.ToggleButtons:
    """Labelled buttons for one choice among a few, e.g. the objective of an allocation."""
    return w.ToggleButtons(
        options=list(options),
        value=value,
        description=description,
        # each button as wide as its words: "My priorities (question 1)" was cut short
        style={"description_width": "initial", "button_width": "auto"},
    )


def show(explorer: Explorer, *, display: bool = True) -> Explorer | None:
    """Display an explorer unless the notebook is being graded; with ``display=False``,
    return it undisplayed (to place it in a layout of one's own)."""
    if not display:
        return explorer
    if grading_mode():
        return None
    IPython.display.display(explorer.box)
    return explorer


def answer_view(questions, draw, css: str) -> w.VBox | None:
    """A chart and a sentence, ``draw(answer)``, redrawn each time one of ``questions`` (a
    question or several) is saved; ``answer`` is the first question's recorded answer."""
    questions = list(questions) if isinstance(questions, list | tuple) else [questions]
    if grading_mode():
        return None
    chart = ChartImage("760px")
    text = w.HTML()
    view = w.VBox([text, chart.widget])
    view.add_class(css)

    def redraw(value) -> None:
        try:
            fig, sentence = draw(value)
        except (TypeError, ValueError) as err:
            fig, sentence = None, f"<p role='alert'>{html.escape(str(err))}</p>"
        text.value = sentence
        if fig is None:
            chart.hide()
        else:
            chart.show(fig, "Chart: " + plain_text(sentence))

    for question in questions:
        question.on_saved(lambda _value: redraw(questions[0].recorded()))
    redraw(questions[0].recorded())
    display(view)
    return view
