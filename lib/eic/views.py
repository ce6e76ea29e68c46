"""Widget views that draw a module's analysis from a participant's recorded answers.

Each view is thin: it reads the answer, calls a pure function of the library, and shows
the result (or the function's message when the input is not usable). Charts are drawn as
PNG images with alternative text (:class:`ChartImage`) and a text summary beside them,
rather than through an ``Output`` widget: that renders the same in JupyterLab and Voila,
and a headless run never waits on output capture.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from IPython.display import display

from eic import chart_cache
from eic import widgets as w
from eic.foundations import assess, radar_chart
from eic.grading import grading_mode
from eic.questions import Question

if TYPE_CHECKING:  # matplotlib is loaded only to build a chart the cache does not hold
    from matplotlib.figure import Figure


def figure_png(fig: Figure, *, close: bool = True) -> bytes:
    """The figure as PNG bytes; the figure is closed unless ``close`` is False.

    A chart drawn before, from the same data, is taken from :mod:`eic.chart_cache`.
    """
    png = fig.picture() if isinstance(fig, chart_cache.Chart) else chart_cache.picture_of(fig)
    if close:
        close_figure(fig)
    return png


def close_figure(fig: Figure) -> None:
    """Done with the figure: pyplot lets it go (a chart not yet built is not built)."""
    if isinstance(fig, chart_cache.Chart):
        fig.close()
    else:
        import matplotlib.pyplot as plt

        plt.close(fig)


class ChartImage:
    """A chart shown as an ``<img>`` with alternative text, in an HTML widget.

    ipywidgets' ``Image`` has no alternative text, so a screen reader would meet an unnamed
    picture; an ``<img alt=...>`` in an ``HTML`` widget renders the same in JupyterLab and
    Voila and says what the chart shows.
    """

    def __init__(self, max_width: str = "900px") -> None:
        # a Layout of its own, as the chart is hidden until drawn (a dict would be shared)
        self.widget = w.HTML(layout=w.Layout(max_width=max_width))
        self.widget.add_class("eic-chart")
        self.png = b""
        self.hide()

    def show(self, fig: Figure, alt: str) -> None:
        self.png = figure_png(fig)
        encoded = base64.b64encode(self.png).decode("ascii")
        self.widget.value = (
            f"<img src='data:image/png;base64,{encoded}' alt='{html.escape(alt, quote=True)}' "
            "style='max-width:100%'>"
        )
        self.widget.layout.display = None

    def hide(self) -> None:
        self.png = b""
        self.widget.value = ""
        self.widget.layout.display = "none"

    @property
    def visible(self) -> bool:
        return self.widget.layout.display != "none"


def describe_figure(fig: Figure) -> str:
    """A figure's alternative text: for each of its axes, its title, its axis labels, and
    what the chart itself names: its bars (how many, and their categories in the order they
    are drawn) and the entries of its legend, when it has two or more.

    It repeats only words the figure shows; no value is read off a bar or a line.
    """
    if isinstance(fig, chart_cache.Chart):
        return fig.description()
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        title = " ".join(
            t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t
        )
        axes = "; ".join(
            f"{name} axis: {label}"
            for name, label in (("horizontal", ax.get_xlabel()), ("vertical", ax.get_ylabel()))
            if label
        )
        text = ". ".join(p for p in (title, axes, _bars_named(ax), _legend_named(ax)) if p)
        if text:
            parts.append(text)
    parts += [named for legend in fig.legends if (named := _legend_named(legend))]
    described = " | ".join(" ".join(p.split()) for p in parts)
    return f"Chart: {described}" if described else "Chart"


# at most this many names of bars or legend entries are listed, then how many more there are
LISTED = 12
_NUMBER = re.compile(r"[\d\s.,%+\-\u2212]*")


def _listed(names: list[str]) -> str:
    more = len(names) - LISTED
    return ", ".join(names[:LISTED]) + (f" and {more} more" if more > 0 else "")


def _bars_named(ax) -> str:
    """What a bar chart's axes show ("8 bars, top to bottom: Textiles, ..."), or ""."""
    from matplotlib.container import BarContainer

    groups = [c for c in ax.containers if isinstance(c, BarContainer) and len(c)]
    if not groups:
        return ""
    horizontal = groups[0].orientation == "horizontal"
    axis = ax.yaxis if horizontal else ax.xaxis
    ticks = sorted(
        (tick, " ".join(label.get_text().split()))
        for tick, label in zip(axis.get_ticklocs(), axis.get_ticklabels(), strict=False)
    )
    categories = [name for _, name in ticks if not _NUMBER.fullmatch(name)]
    if horizontal != axis.get_inverted():  # read from the top down, or from the left
        categories.reverse()
    order = "top to bottom" if horizontal else "left to right"
    if not categories:
        return f"{sum(len(g) for g in groups)} bars"
    if len(groups) == 1 and len(groups[0]) == len(categories):
        return f"{len(categories)} bars, {order}: {_listed(categories)}"
    kinds = "1 category" if len(categories) == 1 else f"{len(categories)} categories"
    return f"Bars in {len(groups)} series for {kinds}, {order}: {_listed(categories)}"


def _legend_named(where) -> str:
    """The entries of a legend, or of the axes' legend ("Legend: A, B"), if it has two or
    more; a legend of one names what the title says."""
    from matplotlib.legend import Legend

    legend = where if isinstance(where, Legend) else where.get_legend()
    entries = [" ".join(t.get_text().split()) for t in legend.get_texts()] if legend else []
    entries = [e for e in entries if e]
    return f"Legend: {_listed(entries)}" if len(entries) > 1 else ""


def figure_as_html(fig: Figure) -> str:
    """The figure as an ``<img>`` with alternative text, for a notebook's output."""
    return figure_html(fig, figure_png(fig, close=False))


def figure_html(fig: Figure, png: bytes) -> str:
    """An ``<img>`` of ``png``, the figure already drawn, with the figure's alternative text."""
    encoded = base64.b64encode(png).decode("ascii")
    alt = html.escape(describe_figure(fig), quote=True)
    return f"<img src='data:image/png;base64,{encoded}' alt='{alt}' style='max-width:100%'>"


def plain_text(markup: str) -> str:
    """The text of a bit of HTML, for an image's alternative text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def radar_view(
    question: Question, *, compare: Mapping[str, Mapping[str, float]] | None = None
) -> w.VBox | None:
    """A radar chart of a self-assessment that is redrawn each time it is saved.

    ``compare`` adds other clusters' ratings (e.g. the worked example's) to the chart.
    Under nbgrader nothing is drawn.
    """
    if grading_mode():
        return None
    chart = ChartImage("560px")
    summary = w.HTML()
    view = w.VBox([chart.widget, summary])
    view.add_class("eic-radar")

    def draw(ratings: Mapping[str, float] | None) -> None:
        if not ratings:
            chart.hide()
            summary.value = "<p>Rate your cluster above to see its profile here.</p>"
            return
        try:
            result = assess(ratings)
        except (TypeError, ValueError) as err:
            chart.hide()
            summary.value = f"<p>The chart cannot be drawn: {html.escape(str(err))}</p>"
            return
        fig = radar_chart(
            {"Your cluster": result.ratings, **(compare or {})},
            title="Your cluster on the four foundations",
            highlight="Your cluster",
        )
        scores = ", ".join(f"{name} {value:g}" for name, value in result.ratings.items())
        summary.value = (
            f"<p>Radar chart of your ratings: {html.escape(scores)} (of 5). "
            f"Average {result.average:.1f} of 5. {html.escape(result.advice())}</p>"
        )
        # the chart draws the compared clusters too: its description names them
        beside = f", drawn beside {', '.join(compare)}" if compare else ""
        chart.show(fig, f"Radar chart of your ratings: {scores} (of 5){beside}")

    question.on_saved(draw)
    draw(question.recorded())
    display(view)
    return view
