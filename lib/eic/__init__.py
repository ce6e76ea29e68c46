"""eic: the helper library of the EIC Course (eco-industrial clusters).

Pure analysis functions, bundled data with provenance, worksheet widgets that record
answers, and the checks used to grade them. Import what a notebook needs, e.g.
``from eic.worksheet import Worksheet``.

Imported in a notebook, ``eic`` also gives every matplotlib figure the notebook shows an
alternative text (its titles and axis labels), so that a chart is never an unnamed picture.
Importing ``eic`` itself loads neither matplotlib nor pandas: a notebook pays for them only
when it uses them.
"""

import base64
import sys

from eic import chart_cache

__version__ = "0.1.0"

# A figure shown in a notebook is drawn once for both of its outputs (the <img> with
# alternative text and the plain PNG): the first of the two formatters to run draws it
# and leaves the PNG here for the second. Emptied after every cell.
_drawn: list = []


def _figure_png_once(fig) -> bytes:
    if _drawn and _drawn[0][0] is fig:
        return _drawn.pop()[1]
    from eic.views import figure_png

    png = figure_png(fig, close=False)
    _drawn[:] = [(fig, png)]
    return png


def _figure_html(fig) -> str:
    from eic.views import figure_html

    return figure_html(fig, _figure_png_once(fig))


def _figure_png(fig) -> str:
    return base64.b64encode(_figure_png_once(fig)).decode("ascii")


def _skip_unseen_redraw() -> None:
    """Under the inline backend, mark pyplot's figures drawn, as the backend is about to
    draw each one to show it; other backends (a figure window, ipympl) are left alone."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or "inline" not in str(pyplot.get_backend()):
        return
    from matplotlib._pylab_helpers import Gcf  # pyplot's figures, without changing the current

    for manager in Gcf.get_all_fig_managers():
        manager.canvas.figure.stale = False


def _show_waiting_charts(*_args) -> None:
    from IPython.display import display

    for chart in chart_cache.charts_to_show():
        display(chart)


def _describe_figures_in_notebooks() -> None:
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    formatters = shell.display_formatter.formatters
    html, png = formatters["text/html"], formatters.get("image/png")

    def describe(*_args) -> None:
        _drawn.clear()
        html.for_type_by_name("matplotlib.figure", "Figure", _figure_html)
        # the inline backend registers its PNG printer by type when pyplot is first
        # imported; share one drawing with the <img> above instead of drawing again
        figure = getattr(sys.modules.get("matplotlib.figure"), "Figure", None)
        if png is not None and figure is not None and figure in png.type_printers:
            png.for_type(figure, _figure_png)

    describe()
    # a chart of the library, built only when needed (eic.chart_cache.Chart), is shown at
    # the end of the cell that made it, as the inline backend shows a figure
    if chart_cache.cell_started not in shell.events.callbacks["pre_execute"]:
        shell.events.register("pre_execute", chart_cache.cell_started)
        shell.events.register("post_execute", _show_waiting_charts)
        chart_cache.cell_started()  # eic is being imported by a running cell
    # pyplot redraws every changed figure after a cell, and then the inline backend draws
    # it again to show it: the first drawing is never seen, so run this hook first
    callbacks = shell.events.callbacks["post_execute"]
    if _skip_unseen_redraw not in callbacks:
        callbacks.insert(0, _skip_unseen_redraw)
    # the inline backend drops every figure printer when it starts (at the first import of
    # pyplot), so register again after each cell, before the backend shows its figures
    if describe not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", describe)


_describe_figures_in_notebooks()
