"""What a chart's key is made of: a chart is taken from the cache only if it would be drawn
the same.

:mod:`eic.chart_cache` keeps each picture it renders under a key, the SHA-256 of:

- the chart function's name and its arguments, pickled (the data, titles and options), sets
  in sorted order: their own order changes with each process's hash seed, and a key must be
  the same in every kernel;
- a digest of every source file of ``eic``: a changed chart function is a new chart;
- matplotlib's version and its settings (``rcParams``), which decide how a chart looks; not
  the settings that only choose how figures are shown (the backend); and the fonts that
  draw the letters DejaVu Sans lacks (:mod:`eic.fonts`).

Without matplotlib loaded its settings are not known. :func:`_installation` names what a
freshly loaded matplotlib would take them from, so that the cache can record, for each
installation, the settings matplotlib had when it drew its first chart.

>>> _sorted_repr({"water", "salt", "steam"})
"{'salt', 'steam', 'water'}"
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from eic import fonts

# rcParams that choose how figures are shown, not how they look
_NOT_LOOKS = ("backend", "backend_fallback", "interactive")


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


def _pickled_call(function: Callable, args: tuple, kwargs: dict) -> bytes | None:
    buffer = io.BytesIO()
    try:
        _SameInEveryKernel(buffer, 5).dump(
            (function.__module__, function.__qualname__, args, kwargs)
        )
    except Exception:  # noqa: BLE001 - anything that cannot be pickled is simply not kept
        return None
    return buffer.getvalue()


def _live_looks() -> bytes:
    """matplotlib's version and settings, as loaded in this process."""
    import matplotlib

    fonts.use_chart_fonts()  # as every chart is drawn (eic.fonts)
    looks = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k not in _NOT_LOOKS)
    return hashlib.sha256(matplotlib.__version__.encode() + repr(looks).encode()).digest()


@functools.cache
def _installation() -> str:
    """What a freshly loaded matplotlib takes its settings from: its version and the
    inline backend's, MPLBACKEND, the ``matplotlibrc`` it would read and IPython's own
    configuration (which may set the inline backend's settings)."""
    from importlib import metadata

    parts = [sys.version]
    for name in ("matplotlib", "matplotlib-inline"):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    parts += sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("MPLBACKEND"))
    parts += [f"font {path}" for path in fonts.FILES if Path(path).is_file()]
    try:
        home = Path.home()
    except RuntimeError:  # no home folder
        home = Path()
    config = Path(
        os.environ.get("MPLCONFIGDIR")
        or Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config", "matplotlib")
    )
    chosen = os.environ.get("MATPLOTLIBRC")
    candidates = [Path("matplotlibrc"), config / "matplotlibrc"]  # matplotlib's own order
    if chosen:
        candidates.insert(
            0, Path(chosen, "matplotlibrc") if os.path.isdir(chosen) else Path(chosen)
        )
    for candidate in candidates:
        try:
            parts.append(candidate.read_text())
            break
        except OSError:
            continue
    ipython = Path(os.environ.get("IPYTHONDIR") or home / ".ipython")
    for name in ("ipython_config.py", "ipython_kernel_config.py", "ipython_config.json"):
        try:
            parts.append((ipython / "profile_default" / name).read_text())
        except OSError:
            parts.append("")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _key(called: bytes, looks: bytes) -> str:
    digest = hashlib.sha256(_library_source())
    digest.update(looks)
    digest.update(called)
    return digest.hexdigest()
