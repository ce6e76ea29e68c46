"""Explorers: small widget panels that redraw an analysis as a participant moves a control.

Each explorer is thin, like the views in :mod:`eic.views`: a control's value goes to a pure
function of the library and the result is shown as a table and a chart (PNG in an
``Image`` widget, with a text alternative). Explorers record nothing; the worksheet's
questions do. Under nbgrader nothing is drawn.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Mapping

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from matplotlib.figure import Figure

from eic.clusters import candidate_clusters, lq_chart
from eic.flows import eco_efficiency, reuse_scenario, sankey_chart
from eic.grading import grading_mode
from eic.views import figure_png


def table_html(
    table: pd.DataFrame,
    *,
    caption: str,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A table as accessible HTML: a caption, column headers, numbers formatted and aligned.

    ``formats`` maps a column to a format spec ("{:,.0f}"); ``headers`` renames columns
    for display (units belong there: "Employment (persons)").
    """
    formats = formats or {}
    headers = headers or {}
    head = "".join(
        f"<th scope='col' style='text-align:left;padding:2px 8px'>"
        f"{html.escape(headers.get(c, c))}</th>"
        for c in table.columns
    )
    rows = []
    for _, row in table.iterrows():
        cells = []
        for column in table.columns:
            value = row[column]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if pd.isna(value) if number else value is None:
                text = "–"
            elif column in formats:
                text = formats[column].format(value)
            else:
                text = f"{value:,.6g}" if number else str(value)
            align = "right" if number else "left"
            cells.append(f"<td style='text-align:{align};padding:2px 8px'>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<table class='eic-table' style='border-collapse:collapse;margin:6px 0'>"
        f"<caption style='text-align:left;font-weight:bold;padding:4px 0'>"
        f"{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def show_chart(fig: Figure, description: str) -> None:
    """Display a figure as an image whose alternative text is ``description``.

    The description also appears as a caption, so the chart is never the only way to read
    what it shows. Under nbgrader nothing is drawn.
    """
    if grading_mode():
        plt.close(fig)
        return
    encoded = base64.b64encode(figure_png(fig)).decode("ascii")
    text = html.escape(description, quote=True)
    display(
        HTML(
            f"<figure class='eic-chart' style='margin:8px 0'><img src='data:image/png;base64,"
            f"{encoded}' alt='{text}' style='max-width:100%'>"
            f"<figcaption style='font-size:90%'>{text}</figcaption></figure>"
        )
    )


def show_table(table: pd.DataFrame, **kw) -> None:
    """Display :func:`table_html` (plain text under nbgrader)."""
    if grading_mode():
        return
    display(HTML(table_html(table, **kw)))


class Explorer:
    """Controls, a chart and a text panel; ``draw(values)`` returns (figure, html).

    The HTML describes what the chart shows in words, so the chart is never the only way
    to read the result.
    """

    def __init__(
        self,
        controls: Mapping[str, w.ValueWidget],
        draw: Callable[[dict], tuple[object | None, str]],
        *,
        css: str,
    ) -> None:
        self.controls = dict(controls)
        self._draw = draw
        self.image = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.text = w.HTML()
        self.box = w.VBox([w.HBox(list(self.controls.values())), self.text, self.image])
        self.box.add_class("eic-explorer")
        self.box.add_class(css)
        for control in self.controls.values():
            control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:
        try:
            fig, text = self._draw(self.values())
        except (TypeError, ValueError) as err:
            self.image.layout.display = "none"
            self.text.value = f"<p role='alert'>{html.escape(str(err))}</p>"
            return
        self.text.value = text
        if fig is None:
            self.image.layout.display = "none"
        else:
            self.image.value = figure_png(fig)
            self.image.layout.display = None


def percent_slider(
    description: str, value: float, *, low: float = 0, high: float = 100
) -> w.FloatSlider:
    """A slider of a share in %, labelled, that updates when released."""
    return w.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=1,
        description=description,
        continuous_update=False,
        readout_format=".0f",
        style={"description_width": "initial"},
        layout=w.Layout(width="420px"),
    )


def show(explorer: Explorer) -> Explorer | None:
    """Display an explorer unless the notebook is being graded."""
    if grading_mode():
        return None
    display(explorer.box)
    return explorer


def lq_explorer(
    table: pd.DataFrame, region: str, *, start: int, threshold: float = 1.25
) -> Explorer | None:
    """Location quotients of ``region`` against a threshold the participant moves."""
    slider = w.FloatSlider(
        value=threshold,
        min=0.5,
        max=3.0,
        step=0.05,
        description="Threshold (location quotient):",
        continuous_update=False,
        readout_format=".2f",
        style={"description_width": "initial"},
        layout=w.Layout(width="420px"),
    )

    def draw(values: dict) -> tuple[object, str]:
        cut = values["threshold"]
        found = candidate_clusters(table, region, lq_threshold=cut, start=start)
        chosen = list(found.loc[found["candidate"], "sector"])
        listed = ", ".join(chosen) if chosen else "none"
        shown = found[["sector", "employment", "lq", "growth", "reason"]]
        text = (
            f"<p><b>Candidate clusters in {html.escape(region)} at a threshold of {cut:.2f}: "
            f"{html.escape(listed)}.</b> The chart shows each sector's location quotient as "
            "a bar; the dashed line at 1 is the national average.</p>"
            + table_html(
                shown,
                caption=f"Sectors of {region}, latest year, with the reason for each",
                formats={"employment": "{:,.0f}", "lq": "{:.2f}", "growth": "{:+.1f} %"},
                headers={
                    "sector": "Sector",
                    "employment": "Employment (persons)",
                    "lq": "Location quotient",
                    "growth": f"Growth since {start}",
                    "reason": "Reason",
                },
            )
        )
        return lq_chart(found, region, threshold=cut), text

    return show(Explorer({"threshold": slider}, draw, css="eic-lq-explorer"))


def reuse_explorer(
    table: pd.DataFrame,
    plant: str,
    *,
    value: float,
    value_unit: str,
    water: float = 96,
    salt: float = 75,
) -> Explorer | None:
    """The effect of recovering shares of water and salt at ``plant`` (a ZLD scenario)."""
    controls = {
        "water": percent_slider("Water recovered at the plant (%):", water),
        "salt": percent_slider("Salt recovered at the plant (%):", salt),
    }

    def draw(values: dict) -> tuple[object, str]:
        shares = {"water": values["water"] / 100, "salt": values["salt"] / 100}
        summary, after = reuse_scenario(table, plant, shares)
        rows = summary.set_index("substance")
        before_eff = eco_efficiency(
            value,
            value_unit,
            {"freshwater": (rows.loc["water", "supply_before"], rows.loc["water", "unit"])},
        )
        after_water = rows.loc["water", "supply_after"]
        if after_water > 0:
            after_eff = eco_efficiency(
                value, value_unit, {"freshwater": (after_water, rows.loc["water", "unit"])}
            )
            ratio = after_eff.loc[0, "eco_efficiency"] / before_eff.loc[0, "eco_efficiency"]
            change = f"rises {ratio:.1f}-fold"
        else:
            change = "is unlimited: no freshwater is needed"
        text = (
            f"<p><b>With {values['water']:.0f} % of the water and {values['salt']:.0f} % of "
            f"the salt recovered:</b> freshwater needed falls from "
            f"{rows.loc['water', 'supply_before']:,.0f} to {after_water:,.0f} "
            f"{rows.loc['water', 'unit']}; salt bought falls from "
            f"{rows.loc['salt', 'supply_before']:,.1f} to "
            f"{rows.loc['salt', 'supply_after']:,.1f} {rows.loc['salt', 'unit']}; "
            f"water eco-efficiency {change}. Water the plant does not recover "
            f"({rows.loc['water', 'release_after']:,.0f} {rows.loc['water', 'unit']}) leaves "
            "as vapour or in solid residue under zero liquid discharge.</p>"
            + table_html(
                summary,
                caption="The scenario, per substance",
                formats={c: "{:,.1f}" for c in summary.columns if c not in ("substance", "unit")},
                headers={
                    "substance": "Substance",
                    "unit": "Unit",
                    "plant_inflow": "Into the plant",
                    "recovered": "Recovered",
                    "supply_before": "Bought or pumped, before",
                    "supply_after": "Bought or pumped, after",
                    "release_before": "Released by the plant, before",
                    "release_after": "Not recovered, after",
                },
            )
        )
        return sankey_chart(after, "water", title="Water with recovery"), text

    return show(Explorer(controls, draw, css="eic-reuse-explorer"))
