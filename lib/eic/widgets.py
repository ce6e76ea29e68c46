"""The course's widgets: ipywidgets whose look is shared, so a page holds fewer models.

Every ipywidget brings a ``Layout`` and most bring a style (``ButtonStyle``,
``HTMLStyle``...), each a widget model of its own: a comm the kernel opens while the
notebook runs, and a model the browser creates. A worksheet's question is seven widgets, so
a module page held 175-435 models, more than half of them layouts and styles that all said
the same thing. Sharing them made cold module pages 0.1-0.5 s faster
(``benchmarks/voila_render.py``, against the library before, in one run).

The classes here are the ipywidgets of the same name, with one difference: a ``layout`` or
``style`` given as a dict (or not given) is a *shared* one, made once per kernel for those
settings and fixed. A widget whose look changes while the page is open (a chart that is
hidden until drawn) is given its own ``Layout(...)`` instance, which stays its own:

>>> a = HTML("one", layout={"width": "auto"})
>>> b = HTML("two", layout={"width": "auto"})
>>> a.layout is b.layout
True
>>> a.layout.width = "50%"
Traceback (most recent call last):
...
AttributeError: this Layout is shared by every widget given {'width': 'auto'}; ...

And one addition: a widget with a label (a slider, a set of radio or option buttons) is
given its description as its tooltip unless given one. ipywidgets 8.1 sets the label's
tooltip to the widget's ``tooltip``, which is None by default, so every such label showed
the tooltip "null"; now a label cut short by its width shows itself whole:

>>> IntSlider(description="Inter-firm networks").tooltip
'Inter-firm networks'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as _w
from ipywidgets import Layout, ValueWidget, Widget
from ipywidgets.widgets.widget_description import DescriptionWidget

__all__ = [
    "BoundedFloatText", "Button", "Checkbox", "Dropdown", "FileUpload", "FloatSlider",
    "GridBox", "HBox", "HTML", "IntSlider", "Layout", "RadioButtons", "SelectionSlider",
    "Text", "Textarea", "ToggleButtons", "VBox", "ValueWidget", "Widget", "shared",
]  # fmt: skip


class _Fixed:
    """A layout or style that many widgets share: its settings cannot change after it is
    made, since the change would show on every widget that shares it."""

    _fixed_settings: dict[str, Any] | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        settings = self._fixed_settings
        if settings is not None and not name.startswith("_") and name in self.keys:
            kind = type(self).__name__.removeprefix("Shared")
            raise AttributeError(
                f"this {kind} is shared by every widget given {settings}; to change it, "
                "give the widget its own: "
                "layout=Layout(...) (or style=...Style(...))"
            )
        super().__setattr__(name, value)


_FIXED_CLASSES: dict[type, type] = {}
_SHARED: dict[tuple, _w.Widget] = {}


def shared(kind: type[_w.Widget], settings: Mapping[str, Any] | None = None) -> _w.Widget:
    """The one fixed ``kind`` (``Layout`` or a style class) with these settings in this
    kernel, made on first use (again if it was closed)."""
    settings = dict(settings or {})
    key = (kind, tuple(sorted(settings.items())))
    found = _SHARED.get(key)
    if found is None or found.comm is None:
        fixed = _FIXED_CLASSES.get(kind)
        if fixed is None:
            fixed = _FIXED_CLASSES[kind] = type(f"Shared{kind.__name__}", (_Fixed, kind), {})
        found = fixed(**settings)
        found._fixed_settings = settings
        _SHARED[key] = found
    return found


def _sharing_look(cls: type[_w.DOMWidget]) -> type[_w.DOMWidget]:
    """``cls`` with its layout and style shared unless given as instances, and, if it draws
    a label, its description as its tooltip unless given one."""
    traits = cls.class_traits()
    style = traits["style"].klass if "style" in traits else None
    # the widgets with a label, to which ipywidgets gives the tooltip (not a button's)
    labelled = issubclass(cls, DescriptionWidget) and not issubclass(cls, _w.FileUpload)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if labelled and kwargs.get("tooltip") is None:
            kwargs["tooltip"] = kwargs.get("description") or ""
        layout = kwargs.get("layout")
        if not isinstance(layout, _w.Layout):
            kwargs["layout"] = shared(_w.Layout, layout)
        if style is not None and not isinstance(kwargs.get("style"), _w.Widget):
            kwargs["style"] = shared(style, kwargs.get("style"))
        cls.__init__(self, *args, **kwargs)

    doc = f"ipywidgets.{cls.__name__}, with a shared layout and style unless given its own."
    return type(cls.__name__, (cls,), {"__init__": __init__, "__doc__": doc,
                                       "__module__": __name__})  # fmt: skip


BoundedFloatText = _sharing_look(_w.BoundedFloatText)
Button = _sharing_look(_w.Button)
Checkbox = _sharing_look(_w.Checkbox)
Dropdown = _sharing_look(_w.Dropdown)
FileUpload = _sharing_look(_w.FileUpload)
FloatSlider = _sharing_look(_w.FloatSlider)
GridBox = _sharing_look(_w.GridBox)
HBox = _sharing_look(_w.HBox)
HTML = _sharing_look(_w.HTML)
IntSlider = _sharing_look(_w.IntSlider)
RadioButtons = _sharing_look(_w.RadioButtons)
SelectionSlider = _sharing_look(_w.SelectionSlider)
Text = _sharing_look(_w.Text)
Textarea = _sharing_look(_w.Textarea)
ToggleButtons = _sharing_look(_w.ToggleButtons)
VBox = _sharing_look(_w.VBox)


# How the course's controls fit a phone or a narrow window (up to 640 pixels wide). ipywidgets
# keeps a control's label, its slider and its readout on one line, so on a phone a pairwise
# judgement's slider was a dot beside its question and its readout was cut ("equ"); a
# checklist kept a 420-pixel column of items beside its buttons, past the edge of the screen.
# Here a label takes a line of its own above its control, and an item above its buttons.
# Tick-box options and rows of buttons wrap at any width: a tick box's option read
# "Industrial policy that encourages innovation ..." with no way to read the rest. The rule
# comes with each question and explorer, so it applies in JupyterLab as in the app.
_FOCUSED = ", ".join(
    f".{area} {control}:focus-visible"
    for area in ("eic-question", "eic-explorer", "eic-own-data")
    for control in ("input", "textarea", "select", "button", "a", ".noUi-handle", ".widget-readout")
)
NARROW_SCREEN_STYLE = (
    "<style>"
    ".eic-question .widget-checkbox, .eic-question .widget-checkbox .widget-label-basic "
    "{height: auto} "
    ".eic-question .widget-checkbox .widget-label-basic {display: flex; align-items: "
    "flex-start; white-space: normal; line-height: 1.4; padding: 2px 0} "
    ".eic-question .widget-checkbox input {flex: none; margin-top: 0.25em} "
    ".eic-question .widget-toggle-buttons {flex-wrap: wrap; height: auto} "
    ".eic-ranking-order {display: none} "
    # the chosen option stands out, not only a shade darker than the others (at least 3:1)
    ".eic-question .widget-toggle-buttons button.mod-active, .eic-explorer "
    ".widget-toggle-buttons button.mod-active {background-color: #1d4f91; color: #fff} "
    # where the keyboard is: ipywidgets marks a focused text box or button only with a 1-pixel
    # light blue line (about 2:1 against white, and hardly seen on a blue button); this ring
    # is 3 pixels of dark blue (8:1 against white) around the control, or the link (a template
    # or results to download: the browser's own ring is 1 pixel) (important: a button's own
    # rule, .jupyter-button:focus:enabled, would otherwise win)
    f"{_FOCUSED} {{outline: 3px solid #1d4f91 !important; outline-offset: 2px !important}} "
    "@media (max-width: 640px) {"
    ".eic-question .widget-inline-hbox, .eic-explorer .widget-inline-hbox, "
    ".eic-own-data .widget-inline-hbox "
    "{flex-wrap: wrap; height: auto; margin-left: 0; margin-right: 0} "
    ".eic-question .widget-inline-hbox > .widget-label, "
    ".eic-explorer .widget-inline-hbox > .widget-label, "
    ".eic-own-data .widget-inline-hbox > .widget-label {flex: 1 0 100%; max-width: none; "
    "text-align: left; white-space: normal; height: auto} "
    ".eic-question .widget-gridbox {grid-template-columns: minmax(0, 1fr) !important} "
    # a checklist's heading spans two columns, which would bring back a second one
    ".eic-question .widget-gridbox > * {grid-column: 1 !important} "
    # An explorer's sentences wrap to the screen. A table wider than the screen scrolls
    # sideways, in the box of the explorer's text, its sentences and the table's caption
    # staying in sight. (A table that scrolls in a box of its own is laid out to fit that box,
    # each column squeezed to its longest word; cells broken anywhere fitted the phone, but
    # "318,211" read "318 / ,21 / 1" and "Quantity" one letter a line.) A cell wraps only
    # between words, at most 14em wide (a heading 8em), and a number, aligned right, never.
    ".eic-explorer .widget-html, .eic-explorer .widget-html-content {min-width: 0; "
    "max-width: 100%} "
    ".eic-explorer .widget-html-content {overflow-x: auto} "
    ".eic-explorer .widget-html-content > :not(table, img, style) {position: sticky; left: 0} "
    ".eic-explorer .widget-html-content table {width: max-content; font-size: 0.85em} "
    ".eic-explorer .widget-html-content th, .eic-explorer .widget-html-content td "
    "{padding: 0.25em 0.35em; line-height: 1.35; max-width: 14em} "
    ".eic-explorer .widget-html-content th {max-width: 8em} "
    ".eic-explorer .widget-html-content td[style*='text-align:right'] {white-space: nowrap} "
    # a table's caption stays in sight as its table scrolls, wrapped to the screen, not cut at
    # the screen's edge with the rest past it
    ".jp-RenderedHTMLCommon table caption, .eic-explorer .widget-html-content table caption "
    "{position: sticky; left: 0; max-width: calc(100vw - 3rem); text-align: left; "
    "white-space: normal} "
    # A cell's output wider than the screen (a reading's table, a chart) scrolls sideways in
    # a box of its own: JupyterLab lays an output out as a table cell, which cannot scroll,
    # in a box that cuts it at the screen's edge.
    ".jp-OutputArea-output.jp-RenderedHTMLCommon {display: block; max-width: 100%; "
    "overflow-x: auto} "
    # A chart is drawn for a wide screen (833-1067 pixels): fitted to a phone, its lettering
    # was 3-5 pixels high. Here it keeps its own size (its smallest lettering, 7.5 points at
    # 96 dots an inch, is 10 pixels high) in a box that scrolls sideways.
    ".jp-OutputArea-output > img, figure.eic-chart > img, .eic-chart .widget-html-content > img "
    "{max-width: none !important} "
    "figure.eic-chart, .eic-chart .widget-html-content {overflow-x: auto} "
    ".eic-chart, .eic-chart .widget-html-content {min-width: 0; max-width: 100%} "
    # a text box's label takes a line of its own: the box grows to keep its whole height,
    # not to run under the buttons below it
    ".eic-question .widget-textarea {height: auto !important} "
    ".eic-question .widget-textarea textarea {min-height: 8em} "
    # a ranking's drop-downs cut a long item short: its order is written out under them
    ".eic-ranking-order {display: block} "
    ".eic-ranking-order .widget-html-content {line-height: 1.4} "
    ".eic-ranking-order p {margin: 0.3em 0 0} "
    ".eic-ranking-order .eic-order {margin: 0.2em 0; padding-left: 1.6em; white-space: normal}"
    "}</style>"
)
