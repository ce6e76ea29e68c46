"""Bundled datasets, loaded by name with their provenance.

>>> table = load("example_cluster_profiles")
>>> table.attrs["provenance"].startswith("Illustrative, constructed for training")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every bundled dataset's metadata: file, title, module, kind, provenance, columns."""
    text = resources.files("eic").joinpath("data", "datasets.yml").read_text(encoding="utf-8")
    # libyaml's safe loader reads the same YAML about twenty times faster than PyYAML's own
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _entry(name: str) -> dict[str, Any]:
    entries = catalogue()
    if name not in entries:
        raise KeyError(f"no dataset named '{name}'; available: {', '.join(sorted(entries))}")
    return entries[name]


def load(name: str) -> pd.DataFrame:
    """Load a bundled dataset; its metadata is in ``.attrs`` (``provenance``, ``title``, ...)."""
    meta = _entry(name)
    with resources.files("eic").joinpath("data", meta["file"]).open(encoding="utf-8") as f:
        table = pd.read_csv(f)
    table.attrs.update(meta)
    return table


def provenance(name: str) -> str:
    """The source of a bundled dataset, for a caption or a "Sources" list."""
    return " ".join(_entry(name)["provenance"].split())
