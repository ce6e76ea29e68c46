"""Widget views that draw a module's analysis from a participant's recorded answers.

Each view is thin: it reads the answer, calls a pure function of the library, and shows
the result (or the function's message when the input is not usable). Charts are drawn as
PNG images in an ``Image`` widget with a text summary beside them, rather than through an
``Output`` widget: that renders the same in JupyterLab and Voila, and a headless run never
waits on output capture.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure

from eic.foundations import assess, radar_chart
from eic.grading import grading_mode
from eic.questions import Question


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def radar_view(
    question: Question, *, compare: Mapping[str, Mapping[str, float]] | None = None
) -> w.VBox | None:
    """A radar chart of a self-assessment that is redrawn each time it is saved.

    ``compare`` adds other clusters' ratings (e.g. the worked example's) to the chart.
    Under nbgrader nothing is drawn.
    """
    if grading_mode():
        return None
    image = w.Image(format="png", layout=w.Layout(max_width="560px"))
    summary = w.HTML()
    view = w.VBox([image, summary])
    view.add_class("eic-radar")

    def draw(ratings: Mapping[str, float] | None) -> None:
        if not ratings:
            image.layout.display = "none"
            summary.value = "<p>Rate your cluster above to see its profile here.</p>"
            return
        try:
            result = assess(ratings)
        except (TypeError, ValueError) as err:
            image.layout.display = "none"
            summary.value = f"<p>The chart cannot be drawn: {html.escape(str(err))}</p>"
            return
        fig = radar_chart(
            {"Your cluster": result.ratings, **(compare or {})},
            title="Your cluster on the four foundations",
        )
        image.value = figure_png(fig)
        image.layout.display = None
        scores = ", ".join(f"{name} {value:g}" for name, value in result.ratings.items())
        summary.value = (
            f"<p>Radar chart of your ratings: {html.escape(scores)} (of 5). "
            f"Average {result.average:.1f} of 5. {html.escape(result.advice())}</p>"
        )

    question.on_saved(draw)
    draw(question.recorded())
    display(view)
    return view
