"""Widget views that draw a module's analysis from a participant's recorded answers.

Each view is thin: it reads the answer, calls a pure function of the library, and shows
the result (or the function's message when the input is not usable).
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from eic.foundations import assess, radar_chart
from eic.grading import grading_mode
from eic.questions import Question


def radar_view(
    question: Question, *, compare: Mapping[str, Mapping[str, float]] | None = None
) -> w.Output | None:
    """A radar chart of a self-assessment that is redrawn each time it is saved.

    ``compare`` adds other clusters' ratings (e.g. the worked example's) to the chart.
    Under nbgrader nothing is drawn.
    """
    if grading_mode():
        return None
    out = w.Output()
    out.add_class("eic-radar")

    def draw(ratings: Mapping[str, float] | None) -> None:
        out.clear_output(wait=True)
        with out:
            if not ratings:
                print("Rate your cluster above to see its profile here.")
                return
            try:
                result = assess(ratings)
            except (TypeError, ValueError) as err:
                print(f"The chart cannot be drawn: {err}")
                return
            fig = radar_chart(
                {"Your cluster": result.ratings, **(compare or {})},
                title="Your cluster on the four foundations",
            )
            display(fig)
            plt.close(fig)
            print(f"Average rating: {result.average:.1f} of 5. {result.advice()}")

    question.on_saved(draw)
    draw(question.recorded())
    display(out)
    return out
