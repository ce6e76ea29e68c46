"""The course's widgets share their look: one layout or style model per set of settings in a
kernel, fixed once made, unless a widget is given its own."""

from __future__ import annotations

import ipywidgets
import pytest

from eic import widgets as w
from eic.views import ChartImage


def test_widgets_given_the_same_look_share_one_layout_and_one_style():
    a = w.Button(description="A", layout={"width": "30em"}, style={"button_color": "#eee"})
    b = w.Button(description="B", layout={"width": "30em"}, style={"button_color": "#eee"})
    c = w.Button(description="C", layout={"width": "20em"})
    assert a.layout is b.layout and a.style is b.style
    assert c.layout is not a.layout and c.style is not a.style
    assert a.layout.width == "30em" and a.style.button_color == "#eee"
    # a widget given no look shares the plain one with every other such widget
    assert w.HTML("x").layout is w.VBox().layout is w.Text().layout
    assert w.HTML("x").layout.width is None


def test_a_shared_look_cannot_be_changed_and_says_how_to_change_one_widget():
    first = w.HTML("first", layout={"width": "auto"})
    second = w.HTML("second", layout={"width": "auto"})
    with pytest.raises(AttributeError, match=r"shared by every widget.*layout=Layout\("):
        first.layout.display = "none"
    with pytest.raises(AttributeError, match="shared by every widget"):
        second.style.font_size = "30px"
    assert second.layout.display is None and second.style.font_size is None


def test_a_widget_given_its_own_layout_keeps_it_and_may_change_it():
    own = w.HTML("own", layout=w.Layout(width="auto"))
    plain = w.HTML("plain", layout={"width": "auto"})
    assert own.layout is not plain.layout
    own.layout.display = "none"
    assert own.layout.display == "none" and plain.layout.display is None
    # a chart is hidden until drawn, so it has a layout of its own
    chart, other = ChartImage(), ChartImage()
    assert chart.widget.layout is not other.widget.layout
    assert chart.widget.layout.display == "none"


def test_a_closed_shared_look_is_made_again_for_the_next_widget():
    old = w.HTML("old", layout={"width": "61%"}).layout
    old.close()
    new = w.HTML("new", layout={"width": "61%"}).layout
    assert new is not old and new.comm is not None and new.width == "61%"


@pytest.mark.parametrize("name", [n for n in w.__all__ if n not in ("shared", "Layout")])
def test_the_browser_draws_each_widget_as_the_ipywidget_of_its_name(name):
    ours, theirs = getattr(w, name), getattr(ipywidgets, name)
    assert issubclass(ours, theirs)
    if name not in ("ValueWidget", "Widget"):
        needs = {"options": ["one"]} if name == "SelectionSlider" else {}
        assert ours(**needs)._model_name == theirs(**needs)._model_name
        assert ours(**needs)._view_name == theirs(**needs)._view_name
