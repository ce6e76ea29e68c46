"""Module 8: a SWOT analysis of the cluster (strengths, weaknesses, opportunities, threats),
as text, as an HTML table and as a chart for the country report.

>>> swot({"Strengths": "Port nearby", "Weaknesses": "", "Opportunities": "", "Threats": ""})
{'Strengths': ['Port nearby'], 'Weaknesses': [], 'Opportunities': [], 'Threats': []}
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from eic.appraisal import and_list
from eic.chart_cache import remembered
from eic.foundations import PALETTE
from eic.strategy import known_choice

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is built
    from matplotlib.figure import Figure

SWOT_PARTS = ("Strengths", "Weaknesses", "Opportunities", "Threats")
SWOT_GRID = {part: divmod(i, 2) for i, part in enumerate(SWOT_PARTS)}  # (row, column)
SWOT_ROWS = ("Internal (the cluster itself)", "External (its surroundings)")
SWOT_COLUMNS = ("Helpful to the cluster's aims", "Harmful to the cluster's aims")
SWOT_COLOURS = dict(zip(SWOT_PARTS, (PALETTE[2], PALETTE[5], PALETTE[0], PALETTE[1]), strict=True))


def _points(value: object, part: str) -> list[str]:
    if isinstance(value, str):
        items: Sequence[object] = value.splitlines()
    elif isinstance(value, Sequence):
        items = value
    else:
        raise TypeError(f"the {part} are {value!r}; write them as text, one point per line")
    points = []
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"a point in the {part} is {item!r}; write each point as text")
        text = " ".join(item.split()).lstrip("-*•· ").strip()
        if text:
            points.append(text)
    return points


def swot(parts: Mapping[str, str | Sequence[str]]) -> dict[str, list[str]]:
    """A SWOT analysis: each part's points as a list, in the order Strengths, Weaknesses,
    Opportunities, Threats. A part is text with one point per line (bullets such as "-"
    are removed) or a list of points; blank lines are dropped. Part names ignore case.

    >>> swot({"strengths": "Skilled workers\\n\\n- Port nearby", "Weaknesses": ["Old boilers"],
    ...       "Opportunities": "", "Threats": "Water scarcity"})
    {'Strengths': ['Skilled workers', 'Port nearby'], 'Weaknesses': ['Old boilers'],
     'Opportunities': [], 'Threats': ['Water scarcity']}
    """
    if not hasattr(parts, "items"):
        raise TypeError("give the SWOT as a mapping, e.g. {'Strengths': '...', ...}")
    found: dict[str, list[str]] = {}
    for name, value in parts.items():
        part = known_choice(name, SWOT_PARTS, "a part of the SWOT")
        if part in found:
            raise ValueError(f"the {part} are given twice; keep one")
        found[part] = _points(value, part)
    missing = [p for p in SWOT_PARTS if p not in found]
    if missing:
        raise ValueError(
            f"the SWOT has no {and_list(missing)}; add {'them' if len(missing) > 1 else 'it'}, "
            "one point per line (leave it empty if there is nothing to say)"
        )
    return {p: found[p] for p in SWOT_PARTS}


def swot_html(
    swot_parts: Mapping[str, str | Sequence[str]], *, title: str = "SWOT analysis"
) -> str:
    """The SWOT as an HTML table: rows internal and external, columns helpful and harmful,
    with header cells for screen readers and every point escaped.

    >>> text = swot_html({"Strengths": "Port <5 km", "Weaknesses": "",
    ...     "Opportunities": "Eco-town grants", "Threats": "Drought"})
    >>> "<li>Port &lt;5 km</li>" in text and 'scope="row"' in text
    True
    """
    parts = swot(swot_parts)
    style = "border:1px solid #555;padding:0.5em;vertical-align:top;text-align:left"
    head = "".join(f'<th scope="col" style="{style}">{html.escape(c)}</th>' for c in SWOT_COLUMNS)
    rows = []
    for row, label in enumerate(SWOT_ROWS):
        cells = [f'<th scope="row" style="{style}">{html.escape(label)}</th>']
        for part in (p for p in SWOT_PARTS if SWOT_GRID[p][0] == row):
            points = "".join(f"<li>{html.escape(p)}</li>" for p in parts[part])
            body = f"<ul>{points}</ul>" if points else "<p><em>None listed.</em></p>"
            tint = _tint(SWOT_COLOURS[part])
            cells.append(
                f'<td style="{style};background:{tint};color:#000">'
                f"<strong>{part}</strong>{body}</td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<table class="eic-swot" style="border-collapse:collapse">'
        f"<caption>{html.escape(title)}</caption>"
        f'<thead><tr><td style="{style}"></td>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _tint(colour: str, strength: float = 0.18) -> str:
    """``colour`` ("#rrggbb") mixed with white: a light background that keeps black text
    readable."""
    rgb = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    red, green, blue = (round(255 * (1 - strength * (1 - c))) for c in rgb)
    return f"#{red:02x}{green:02x}{blue:02x}"


def _fitted(points: list[str], width_in: float, height_in: float) -> tuple[str, float]:
    """The points as wrapped bullet text and the largest font size (pt) at which they fit
    a box of the size given; points that do not fit even at 7 pt are summarised."""
    for size in (10, 9, 8, 7):
        per_line = max(10, int(width_in * 72 / (size * 0.55)))
        room = max(2, int(height_in * 72 / (size * 1.25)))
        wrapped = [
            textwrap.wrap(p, per_line, initial_indent="• ", subsequent_indent="  ") for p in points
        ]
        if sum(map(len, wrapped)) <= room:
            return "\n".join(line for lines in wrapped for line in lines) or "None listed.", size
    kept: list[str] = []
    for lines in wrapped:
        if len(kept) + len(lines) > room - 1:
            break
        kept += lines
    shown = sum(line.startswith("• ") for line in kept)
    kept.append(f"... and {len(points) - shown} more point(s): see the full list")
    return "\n".join(kept), size


@remembered
def swot_chart(swot_parts: Mapping[str, str | Sequence[str]], *, title: str) -> Figure:
    """The SWOT drawn as a 2 × 2 grid (internal/external × helpful/harmful) for a report
    image; each point is wrapped, and the font shrinks (to 7 pt at least) to fit its box."""
    import matplotlib.pyplot as plt

    parts = swot(swot_parts)
    width, height = 11.0, 8.0
    fig, axes = plt.subplots(2, 2, figsize=(width, height), layout="constrained")
    for part, (row, column) in SWOT_GRID.items():
        ax = axes[row, column]
        ax.set(facecolor=_tint(SWOT_COLOURS[part]), xticks=[], yticks=[])
        for spine in ax.spines.values():
            spine.set(color=SWOT_COLOURS[part], linewidth=2)
        ax.text(0.03, 0.95, part, transform=ax.transAxes, va="top", fontweight="bold")
        text, size = _fitted(parts[part], width / 2 - 0.8, height / 2 - 1.1)
        ax.text(0.03, 0.86, text, transform=ax.transAxes, va="top", fontsize=size)
        if row == 0:
            ax.set_title(SWOT_COLUMNS[column], fontweight="bold")
        if column == 0:
            ax.set_ylabel(SWOT_ROWS[row], fontweight="bold")
    fig.suptitle(title)
    return fig
