"""Rendered charts kept on disk, so that a chart drawn once is not drawn again.

Rendering a chart to a PNG picture takes 0.1-0.4 s, and a module draws its worked
examples every time it opens: the same charts from the same data, in every participant's
kernel and in every kernel a workshop server keeps ready. Kept on disk, each is drawn once.

A chart function decorated with :func:`remembered` gives its figure a key, made of:

- the function's name and its arguments (pickled: the data, titles and options);
- the source of the ``eic`` library, matplotlib's version and its settings (``rcParams``).

:func:`eic.views.figure_png` looks the key up before rendering, and stores what it renders.
A figure changed after the chart function returned it (a title set, a line added) loses its
key, so it is always drawn afresh; so is a chart whose arguments cannot be pickled.

The pictures are kept in ``~/.cache/eic-course/charts`` (at most :data:`MAX_FILES`, the
least recently used are removed first), or in the folder named by the environment variable
``EIC_CHART_CACHE``; ``EIC_CHART_CACHE=off`` turns the cache off. The cache only saves
time: a picture that cannot be read or written is drawn as if it had never been kept.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

if TYPE_CHECKING:
    from matplotlib.figure import Figure

P = ParamSpec("P")
MAX_FILES = 1000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# rcParams that choose how figures are shown, not how they look
_NOT_LOOKS = ("backend", "backend_fallback", "interactive")


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


@functools.cache
def _library_source() -> bytes:
    """A digest of every source file of ``eic``: a changed chart function is a new chart."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


class _SameInEveryKernel(pickle.Pickler):
    """Pickles sets in sorted order: their own order changes with each process's hash seed."""

    def persistent_id(self, obj):  # called for every object, sets included
        if isinstance(obj, set | frozenset):
            return ("set", _sorted_repr(obj))
        return None


def _sorted_repr(value) -> str:
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(map(_sorted_repr, value))) + "}"
    return repr(value)


def chart_key(function: Callable, args: tuple, kwargs: dict) -> str | None:
    """The key of the chart ``function(*args, **kwargs)`` draws, or None if it has none."""
    import matplotlib

    looks = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k not in _NOT_LOOKS)
    buffer = io.BytesIO()
    try:
        _SameInEveryKernel(buffer, 5).dump(
            (function.__module__, function.__qualname__, args, kwargs)
        )
    except Exception:  # noqa: BLE001 - anything that cannot be pickled is simply not kept
        return None
    called = buffer.getvalue()
    digest = hashlib.sha256(_library_source())
    digest.update(matplotlib.__version__.encode())
    digest.update(repr(looks).encode())
    digest.update(called)
    return digest.hexdigest()


def remembered(chart: Callable[P, Figure]) -> Callable[P, Figure]:
    """Give the figure ``chart`` returns its key, which it keeps until it is changed."""

    @functools.wraps(chart)
    def drawing(*args: P.args, **kwargs: P.kwargs) -> Figure:
        fig = chart(*args, **kwargs)
        key = chart_key(chart, args, kwargs) if folder() is not None else None
        if key is not None:
            _keep_key_until_changed(fig, key)
        return fig

    return drawing


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


def key_of(fig: Figure) -> str | None:
    """The figure's key, if it is a chart as its function drew it."""
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
    if where is None or not png.startswith(PNG_SIGNATURE):
        return
    part = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, suffix=".part", delete=False) as part:
            part.write(png)
        os.replace(part.name, where / f"{key}.png")
        _prune(where)
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
