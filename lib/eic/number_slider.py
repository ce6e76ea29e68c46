"""A slider with a box beside it: the explorers' control for a number.

The box shows the slider's value and takes a typed one, read as an answer box reads a
number (``1,250``, ``300 000``, ``12,5``), and says how the slider's value differs from what
was typed (outside the range, between two steps). :func:`slider` and
:func:`percent_slider` make one for an explorer (:mod:`eic.explorers`, which gives them too).
"""

from __future__ import annotations

import html
import math
import re

import ipywidgets
import traitlets
from ipywidgets.widgets.widget_string import LabelStyle

from eic import widgets as w
from eic.slider_scales import Scale
from eic.typed_numbers import parse_number

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


# A labelled slider, with a box to type its value in, that updates its panel when released,
# not while dragged; ``readout`` formats its value and ``scale`` (if any) says its range and
# what it did with a typed number. The name the explorers build their controls with.
slider = NumberSlider


def percent_slider(
    description: str, value: float, *, low: float = 0, high: float = 100
) -> NumberSlider:
    """A slider of a share in %."""
    return slider(description, value, low=low, high=high)
