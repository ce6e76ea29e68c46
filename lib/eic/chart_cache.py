"""Rendered charts kept on disk, so that a chart drawn once is not drawn again.

Rendering a chart to a PNG picture takes 0.1-0.4 s, and a module draws its worked
examples every time it opens: the same charts from the same data, in every participant's
kernel and in every kernel a workshop server keeps ready. Kept on disk, each is drawn once.

A chart function decorated with :func:`remembered` returns a :class:`Chart`, which stands
for the figure the function draws and behaves as that figure. Its key
(:mod:`eic.chart_keys`) is made of:

- the function's name and its arguments (pickled: the data, titles and options);
- the source of the ``eic`` library, matplotlib's version and its settings (``rcParams``).

:func:`eic.views.figure_png` looks the key up before rendering, and stores what it renders.
A figure changed after the chart function returned it (a title set, a line added) loses its
key, so it is always drawn afresh; so is a chart whose arguments cannot be pickled.

In a notebook kernel that shows figures inline, a chart is not even built until it is
needed: a chart the cache holds is shown, with its alternative text, without importing
matplotlib (which alone takes over half a second). A chart a cell makes and does not use is
shown at the end of the cell, as the inline backend shows a figure. Without matplotlib
loaded its settings are not known; the cache records, for each matplotlib installation and
``matplotlibrc``, the settings a freshly loaded matplotlib had when it drew its first chart.

The pictures are kept in ``~/.cache/eic-course/charts`` (at most :data:`MAX_FILES`, the
least recently used are removed first), or in the folder named by the environment variable
``EIC_CHART_CACHE``; ``EIC_CHART_CACHE=off`` turns the cache off. The cache only saves
time: a picture that cannot be read or written is drawn as if it had never been kept.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

from eic.chart_keys import _installation, _key, _live_looks, _pickled_call
from eic.fonts import use_chart_fonts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "MAX_FILES",
    "PNG_SIGNATURE",
    "Chart",
    "cell_started",
    "charts_to_show",
    "folder",
    "key_of",
    "picture_of",
    "read",
    "remembered",
    "render",
    "store",
]

P = ParamSpec("P")
MAX_FILES = 1000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def folder() -> Path | None:
    """Where pictures are kept, or None when the cache is turned off."""
    chosen = os.environ.get("EIC_CHART_CACHE", "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    try:
        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found: draw every chart
        return None
    return Path(home) / "eic-course" / "charts"


def _looks() -> bytes | None:
    """What decides how charts look: from matplotlib if it is loaded; if not, as recorded
    for a freshly loaded matplotlib of this installation, or None if nothing is recorded."""
    if "matplotlib" in sys.modules:
        return _live_looks()
    where = folder()
    try:
        recorded = (where / f"looks-{_installation()}.txt").read_text() if where else ""
        return bytes.fromhex(recorded) if len(recorded) == 64 else None
    except (OSError, ValueError):
        return None


def _record_looks() -> None:
    """Record the settings of the matplotlib this process has just loaded for a chart."""
    where = folder()
    if where is not None:
        _write_whole(where, f"looks-{_installation()}.txt", _live_looks().hex().encode())


def remembered(chart: Callable[P, Figure]) -> Callable[P, Figure]:
    """Give the figure ``chart`` returns its key, which it keeps until it is changed.

    In a notebook kernel showing figures inline, ``chart`` returns a :class:`Chart`
    instead, built only when it is needed; elsewhere, the figure itself.
    """

    @functools.wraps(chart)
    def drawing(*args: P.args, **kwargs: P.kwargs) -> Figure:
        made = Chart(chart, args, kwargs)
        return made if made.waiting else made.figure  # type: ignore[return-value]

    return drawing


_OWN = ("_function", "_figure", "_called", "_shown", "_picture_for_png", "_arguments")
# Charts made by the running cell that wait to be shown at its end (see Chart); charts
# made outside a cell (a widget's callback) are used by what made them, or let go.
_waiting: list[Chart] = []
_in_cell = [False]


class Chart:
    """The figure a chart function draws, built when it is first needed.

    In a notebook kernel showing figures inline, a chart whose picture the cache holds is
    not built until something needs the figure: its picture and alternative text need
    none. The chart behaves as the figure (``chart.axes``, ``chart.savefig(...)``, shown as
    a picture), and ``chart.figure`` is the matplotlib figure itself (for ``plt.close``).
    The arguments are copied when the chart is made, so data changed afterwards do not
    change the chart. Elsewhere the figure is built at once, and the chart function
    returns it.
    """

    def __init__(self, function: Callable, args: tuple, kwargs: dict) -> None:
        self._function = function
        self._figure: Figure | None = None
        self._called = _pickled_call(function, args, kwargs) if folder() is not None else None
        self._shown = False
        self._picture_for_png: bytes | None = None  # drawn for _repr_html_, used by _repr_png_
        self._arguments = None
        if self._called is not None and _building_waits():
            try:
                self._arguments = pickle.dumps((args, kwargs), 5)
            except Exception:  # noqa: BLE001 - pickled once already; built at once if not
                self._arguments = None
        if self._arguments is None or not self._kept():
            # a chart the cache does not hold is built now, so that one that cannot be
            # drawn (data it refuses) says so where it is made, as it always did; one the
            # cache holds was drawn before from the same data by the same code
            self._build(args, kwargs)
        if self._arguments is not None and _in_cell[0]:
            _waiting.append(self)

    def _build(self, args: tuple, kwargs: dict) -> Figure:
        fresh = "matplotlib" not in sys.modules
        use_chart_fonts()  # names in any script (eic.fonts)
        fig = self._function(*args, **kwargs)
        if isinstance(fig, Chart):  # drawn by another chart function: this one shows it
            fig._shown = True
            fig = fig.figure
        if fresh:
            _record_looks()
        if self._called is not None:
            _keep_key_until_changed(fig, _key(self._called, _live_looks()))
        if self._arguments is not None:
            # pyplot keeps the figures it makes until the inline backend shows them at the
            # end of the cell: this chart shows itself, when it is asked to
            import matplotlib.pyplot as plt

            plt.close(fig)
        self._figure = fig
        return fig

    def _kept(self) -> bool:
        key = self.key
        where = folder()
        return bool(key and where and (where / f"{key}.png").is_file())

    @property
    def waiting(self) -> bool:
        """Whether the chart stands in for its figure (in a notebook kernel showing figures
        inline), built only if something needs it."""
        return self._arguments is not None

    @property
    def figure(self) -> Figure:
        """The matplotlib figure, built now if it was not yet."""
        if self._figure is None:
            args, kwargs = pickle.loads(self._arguments)
            self._build(args, kwargs)
        return self._figure

    def __getattr__(self, name: str):
        # IPython asks for _repr_*_ and _ipython_*_ methods: asking must not build the figure
        if name.startswith(("__", "_repr", "_ipython")) or name in _OWN:
            raise AttributeError(name)
        return getattr(self.figure, name)

    def _repr_html_(self) -> str:
        """Shown in a notebook: the picture, with the chart's alternative text."""
        from eic.views import figure_html

        self._picture_for_png = png = self.picture()
        return figure_html(self, png)

    def _repr_png_(self) -> bytes:
        png, self._picture_for_png = self._picture_for_png or self.picture(), None
        return png

    def __repr__(self) -> str:
        return f"<Chart drawn by {self._function.__name__}()>"

    @property
    def key(self) -> str | None:
        """The key of the chart, or None (changed by hand, or arguments not pickled)."""
        if self._figure is not None:
            return key_of(self._figure)
        looks = _looks()
        return _key(self._called, looks) if looks is not None and self._called else None

    def picture(self) -> bytes:
        """The chart as PNG bytes, from the cache if it holds it."""
        from eic.views import describe_figure

        self._shown = True
        key = self.key if self._figure is None else None
        png = read(key) if key else None
        if png is None:
            fig = self.figure
            key = key_of(fig)  # before rendering, which may adjust the layout
            png = picture_of(fig)
            if key:
                _write_whole(folder(), f"{key}.txt", describe_figure(fig).encode())
        return png

    def description(self) -> str:
        """The chart's alternative text (from its titles and axis labels)."""
        from eic.views import describe_figure

        key = self.key
        where = folder()
        if key and where and self._figure is None:
            try:
                return (where / f"{key}.txt").read_text()
            except OSError:
                pass
        return describe_figure(self.figure)

    def close(self) -> None:
        """Done with: not shown at the end of the cell, and let go by pyplot."""
        self._shown = True
        if self._figure is not None and "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close(self._figure)


def _building_waits() -> bool:
    """Whether charts wait to be built: in a notebook kernel showing figures inline."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    pyplot = sys.modules.get("matplotlib.pyplot")
    backend = str(pyplot.get_backend()) if pyplot else os.environ.get("MPLBACKEND", "")
    return "inline" in backend


def cell_started(*_args) -> None:
    """Called as a notebook cell starts running."""
    _in_cell[0] = True


def charts_to_show() -> list[Chart]:
    """The charts the cell that has just run made and nothing has shown or closed: shown
    at the end of the cell, as the inline backend shows a figure a cell made."""
    waiting = [chart for chart in _waiting if not chart._shown]
    _waiting.clear()
    _in_cell[0] = False
    for chart in waiting:
        chart._shown = True
    return waiting


def picture_of(fig: Figure) -> bytes:
    """The figure as PNG bytes: taken from the cache if it holds the figure's chart,
    otherwise rendered, and kept if the figure has a key."""
    key = key_of(fig)  # before rendering, which may adjust the layout
    png = read(key) if key else None
    if png is None:
        png = render(fig)
        if key:
            store(key, png)
    return png


def render(fig: Figure) -> bytes:
    """The figure rendered to PNG bytes, as every chart of the course is."""
    use_chart_fonts()  # an axis makes its labels as it is drawn
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def _keep_key_until_changed(fig: Figure, key: str) -> None:
    # every change to an artist marks it stale, and the mark travels up to the figure
    previous = fig.stale_callback

    def changed(artist, value) -> None:
        if value:
            artist._eic_chart_key = None
        if previous is not None:
            previous(artist, value)

    fig._eic_chart_key = key
    fig.stale_callback = changed


def key_of(fig: Figure | Chart) -> str | None:
    """The figure's key, if it is a chart as its function drew it."""
    if isinstance(fig, Chart):
        return fig.key
    return getattr(fig, "_eic_chart_key", None)


def read(key: str) -> bytes | None:
    """The picture kept under ``key``, or None."""
    where = folder()
    if where is None:
        return None
    path = where / f"{key}.png"
    try:
        png = path.read_bytes()
        os.utime(path)  # recently used: removed last
    except OSError:
        return None
    return png if png.startswith(PNG_SIGNATURE) else None


def store(key: str, png: bytes) -> None:
    """Keep ``png`` under ``key``; written whole or not at all."""
    where = folder()
    if where is not None and png.startswith(PNG_SIGNATURE):
        _write_whole(where, f"{key}.png", png)
        _prune(where)


def _write_whole(where: Path | None, name: str, content: bytes) -> None:
    """Write ``where / name`` whole or not at all; a folder that cannot be written is left."""
    if where is None:
        return
    part = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, suffix=".part", delete=False) as part:
            part.write(content)
        os.replace(part.name, where / name)
    except OSError:
        if part is not None:
            Path(part.name).unlink(missing_ok=True)


def _prune(where: Path) -> None:
    kept = list(where.glob("*.png"))
    if len(kept) <= MAX_FILES:
        return
    kept.sort(key=lambda p: p.stat().st_mtime)
    for path in kept[: len(kept) - MAX_FILES * 4 // 5]:
        path.unlink(missing_ok=True)
        path.with_suffix(".txt").unlink(missing_ok=True)  # its alternative text
