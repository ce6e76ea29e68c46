"""eic: the helper library of the EIC Course (eco-industrial clusters).

Pure analysis functions, bundled data with provenance, worksheet widgets that record
answers, and the checks used to grade them. Import what a notebook needs, e.g.
``from eic.worksheet import Worksheet``.

Imported in a notebook, ``eic`` also gives every matplotlib figure the notebook shows an
alternative text (its titles and axis labels), so that a chart is never an unnamed picture.
"""

import sys

__version__ = "0.1.0"


def _figure_html(fig) -> str:
    from eic.views import figure_as_html

    return figure_as_html(fig)


def _describe_figures_in_notebooks() -> None:
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    html = shell.display_formatter.formatters["text/html"]

    def describe(*_args) -> None:
        html.for_type_by_name("matplotlib.figure", "Figure", _figure_html)

    describe()
    # the inline backend drops every figure printer when it starts (at the first import of
    # pyplot), so register again after each cell, before the backend shows its figures
    if describe not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", describe)


_describe_figures_in_notebooks()
