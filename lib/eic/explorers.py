"""Explorers: small widget panels that redraw an analysis as a participant moves a control.

Each explorer is thin, like the views in :mod:`eic.views`: a control's value goes to a pure
function of the library and the result is shown as a table and a chart (PNG in an
``Image`` widget, with a text alternative). Explorers record nothing; the worksheet's
questions do. Under nbgrader nothing is drawn.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import IPython.display
import ipywidgets
import pandas as pd
import traitlets
from IPython.display import HTML, display
from ipywidgets.widgets.widget_string import LabelStyle

from eic import widgets as w
from eic.grading import grading_mode, shown_when_restarted
from eic.slider_scales import Scale
from eic.typed_numbers import parse_number
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


# A number typed with one separator and three digits after it ("300.000", "1,250") reads
# two ways: as a decimal and with the separator between thousands
_THREE_AFTER_SEPARATOR = re.compile(r"^[+-]?\d{1,3}([.,])\d{3}$")


def slider_number(
    text: str, *, low: float, high: float, step: float, number_format: str = ",.0f"
) -> tuple[float, str]:
    """The value a slider from ``low`` to ``high`` in steps of ``step`` takes for the number
    typed in its box, and a note that says how it differs from what was typed ("" if not).

    The number is read as an answer box reads it (:func:`eic.typed_numbers.parse_number`:
    ``1,200,000``, ``1 200 000``, ``7,5``). A number past either end is set to that end and
    one between two steps to the nearest step, each with a note; ``number_format`` formats
    the values the note gives. A number with one point or comma and three digits after it
    (``300.000``, ``1,250``) is read the one way that is within the range; where both are,
    a comma is read as between thousands (as the course writes numbers) and a point is
    refused as unclear. (An answer box asks about both: a misread answer costs points, a
    misread slider shows at once.) Raises ValueError, with a message a participant
    understands, for text that is not one number.

    >>> slider_number("1,200,000", low=0, high=1_600_000, step=10_000)
    (1200000.0, '')
    >>> slider_number("7,5", low=1, high=20, step=1)
    (8.0, 'The slider moves in steps of 1: 7.5 is set to 8.')
    """
    number = typed_number(text, low=low, high=high, number_format=number_format)
    typed = f"{number:,.10g}"
    if number > high:
        return float(high), (
            f"{typed} is more than the slider's highest value: set to {high:{number_format}}."
        )
    if number < low:
        return float(low), (
            f"{typed} is less than the slider's lowest value: set to {low:{number_format}}."
        )
    nearest = low + math.floor((number - low) / step + 0.5) * step
    nearest = min(max(round(nearest, 10), low), high)
    if math.isclose(nearest, number, rel_tol=1e-9, abs_tol=1e-9 * step):
        return number, ""
    return float(nearest), (
        f"The slider moves in steps of {step:,g}: {typed} is set to {nearest:{number_format}}."
    )


def typed_number(text: str, *, low: float, high: float, number_format: str = ",.0f") -> float:
    """The number typed in a slider's box, as :func:`slider_number` reads it for a slider
    from ``low`` to ``high``, before it is set to an end or a step of the slider.

    >>> typed_number("7,5", low=1, high=20)
    7.5
    """
    number = parse_number(text)
    if number is None:
        raise ValueError(
            f"The box is empty: type a number from {low:{number_format}} to {high:{number_format}}."
        )
    compact = text.strip().replace(" ", "")
    two_ways = _THREE_AFTER_SEPARATOR.match(compact)
    if two_ways:
        as_decimal = float(compact.replace(",", "."))
        as_thousands = float(compact.replace(two_ways[1], ""))
        within = [x for x in (as_decimal, as_thousands) if low <= x <= high]
        if len(within) == 1:
            number = within[0]
        elif len(within) == 2 and two_ways[1] == ".":
            raise ValueError(
                f"'{text.strip()}' could mean {as_decimal:,g} or {as_thousands:,.0f}: type "
                f"{as_decimal:,g} or {as_thousands:,.0f} (a point marks decimals; a comma or "
                "a space separates thousands)."
            )
    return number


def _hidden() -> w.Layout:
    return w.shared(w.Layout, {"display": "none"})


class NumberSlider(w.VBox, w.ValueWidget):
    """A labelled slider with a box beside it that shows its value and takes a typed one.

    ipywidgets lets a participant type into a slider's readout, and reads what is typed
    with JavaScript's ``parseFloat``: "1,200,000" became 1 and "7,5" became 7, with no
    message. So the slider has no readout. The box shows its value with a comma between
    thousands ("500,000") and reads a typed number as an answer box does
    (:func:`slider_number`): it sets the slider, and a line under them says when the
    number was set to an end or a step of the slider, or why it could not be read (the
    slider then keeps its value). Moving the slider changes the box; leaving the box
    unchanged changes nothing. ``value`` is the slider's, linked both ways; its label, ends
    and step are those of ``slider``, the one widget inside with a description, so that a
    walk through a panel's widgets finds each setting once. Given a ``scale``
    (:class:`eic.slider_scales.Scale`), the range and step are written beside the box, the
    unit may be typed with the number, and the notes speak of the setting in its unit.
    """

    value = traitlets.Float()

    def __init__(
        self,
        description: str,
        value: float,
        *,
        low: float,
        high: float,
        step: float = 1,
        readout: str = ".0f",
        scale: Scale | None = None,
    ) -> None:
        self.low, self.high, self.step, self.scale = low, high, step, scale
        self.number_format = readout if readout.startswith(",") else "," + readout
        self.slider = w.FloatSlider(
            value=value,
            min=low,
            max=high,
            step=step,
            description=description,
            continuous_update=False,
            readout=False,
            readout_format=readout,
            style={"description_width": "initial"},
            layout={"width": "420px", "max_width": "100%"},
        )
        # no description: the label would be written twice, and a walk through a panel's
        # widgets would find the setting twice. Its tooltip and placeholder say what it is
        # for; but ipywidgets gives every text box a label element, here empty, which
        # Chromium takes for its name before either, so only the page's own script can
        # name it for a screen reader
        self.field = w.Text(
            value=self._shown(self.slider.value),
            tooltip=self.setting,
            placeholder=self.setting,
            continuous_update=False,
            layout={"width": "8.5em"},
        )
        self.message = w.HTML(layout=_hidden())
        parts = [self.slider, self.field]
        if scale is not None:  # a label, not HTML: a page of results lists it with nothing
            parts.append(
                ipywidgets.Label(
                    scale.range_text(low, high, step),
                    layout=w.shared(w.Layout, {"margin": "0 0 0 8px"}),
                    style=w.shared(LabelStyle, {"text_color": "#595959"}),
                )
            )
        row = w.HBox(parts, layout={"flex_flow": "row wrap"})
        super().__init__([row, self.message])
        self.add_class("eic-number-slider")
        self.value = self.slider.value
        traitlets.link((self.slider, "value"), (self, "value"))
        self._showing = False
        self.slider.observe(self._moved, names="value")
        self.field.observe(self._typed, names="value")

    @property
    def setting(self) -> str:
        """What the slider sets, as its label says it: "Budget (USD)"."""
        return self.slider.description.strip().rstrip(":")

    def _shown(self, number: float) -> str:
        return f"{number:{self.number_format}}"

    def _show(self, number: float) -> None:
        self._showing = True
        try:
            self.field.value = self._shown(number)
        finally:
            self._showing = False

    def _say(self, text: str) -> None:
        self.message.value = f"<p role='alert' style='margin:0'>{html.escape(text)}</p>"
        # a layout of its own for each slider would be one more model for the page to build
        self.message.layout = w.shared(w.Layout) if text else _hidden()

    def _moved(self, change: dict) -> None:
        self._show(change["new"])
        self._say("")

    def _typed(self, change: dict) -> None:
        if self._showing:
            return
        text = change["new"] if self.scale is None else self.scale.without_unit(change["new"])
        ends = {"low": self.low, "high": self.high}
        try:
            number, note = slider_number(
                text, **ends, step=self.step, number_format=self.number_format
            )
            if self.scale is not None:
                typed = typed_number(text, **ends, number_format=self.number_format)
                note = self.scale.note(typed, number, **ends)
        except ValueError as err:
            self._show(self.slider.value)
            if self.scale is None:
                self._say(f"{err} {self.setting} stays at {self._shown(self.slider.value)}.")
            else:
                self._say(self.scale.kept(str(err), self.slider.value))
            return
        self.slider.value = number
        self._show(number)  # "500 000" where the value was 500,000 already
        self._say(note)


def slider(
    description: str,
    value: float,
    *,
    low: float,
    high: float,
    step: float = 1,
    readout: str = ".0f",
    scale: Scale | None = None,
) -> NumberSlider:
    """A labelled slider, with a box to type its value in (:class:`NumberSlider`), that
    updates its panel when released, not while dragged; ``readout`` formats its value and
    ``scale`` (if any) says its range and what it did with a typed number."""
    return NumberSlider(
        description, value, low=low, high=high, step=step, readout=readout, scale=scale
    )


def percent_slider(
    description: str, value: float, *, low: float = 0, high: float = 100
) -> NumberSlider:
    """A slider of a share in %."""
    return slider(description, value, low=low, high=high)


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
