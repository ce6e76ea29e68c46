"""The class dashboard's charts and tables, each with a link to save it.

``trainer/dashboard.ipynb`` calls these on the tables of :mod:`eic.trainer.classdata` and
runs as a Voila app. Every chart is a PNG image with a text alternative and a "Save chart"
link (the image itself, as a file); every table has a "Save table" link (CSV).
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import HTML, display  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from eic.explorers import table_html  # noqa: E402
from eic.foundations import PALETTE  # noqa: E402
from eic.trainer.classdata import STATUSES, ClassData, completion_table  # noqa: E402
from eic.views import figure_png  # noqa: E402

STATUS_COLOURS = dict(zip(STATUSES, [PALETTE[2], PALETTE[5], PALETTE[1], "#BBBBBB"], strict=True))
CONFUSING = 50.0  # a question fewer than half the class got right deserves a second look


def _link(data: bytes, filename: str, mime: str, text: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='eic-save' download='{html.escape(filename)}' "
        f"href='data:{mime};base64,{encoded}'>{html.escape(text)}</a>"
    )


def chart_html(fig: Figure, description: str, filename: str) -> str:
    """A chart as an image, its description as caption and alternative text, a save link."""
    png = figure_png(fig)
    encoded = base64.b64encode(png).decode("ascii")
    text = html.escape(description, quote=True)
    return (
        f"<figure class='eic-chart' style='margin:8px 0'>"
        f"<img src='data:image/png;base64,{encoded}' alt='{text}' style='max-width:100%'>"
        f"<figcaption style='font-size:90%'>{text} "
        f"{_link(png, filename, 'image/png', 'Save chart (PNG)')}</figcaption></figure>"
    )


def saved_table_html(table: pd.DataFrame, caption: str, filename: str, **kw) -> str:
    """A table in HTML with a link that saves it as CSV."""
    # with a byte order mark: Excel then reads the names in any script as they are
    csv = table.to_csv(index=False).encode("utf-8-sig")
    return table_html(table, caption=caption, **kw) + (
        "<p>" + _link(csv, filename, "text/csv", "Save table (CSV)") + "</p>"
    )


def show_chart(fig: Figure, description: str, filename: str) -> None:
    """Display :func:`chart_html` in the notebook."""
    display(HTML(chart_html(fig, description, filename)))


def show_table(table: pd.DataFrame, caption: str, filename: str, **kw) -> None:
    """Display :func:`saved_table_html` in the notebook."""
    display(HTML(saved_table_html(table, caption, filename, **kw)))


def overview_html(data: ClassData) -> str:
    if data.empty:
        return (
            "<p><b>No class yet.</b> Import the roster (<code>eic-course roster import "
            "FILE</code>), release a module, collect and grade it: the charts appear here.</p>"
        )
    graded = data.scores[data.scores["status"] == "graded"]
    countries = data.participants["country"].replace("", np.nan).dropna().nunique()
    return (
        f"<p><b>{len(data.participants)}</b> participants from <b>{countries}</b> economies; "
        f"<b>{len(data.modules)}</b> modules released; <b>{len(graded)}</b> submissions "
        f"graded, out of {len(data.participants) * len(data.modules)} possible.</p>"
    )


def answers_so_far_html(participants: Path) -> str:
    """During a session of a class served from one machine (``eic-course serve`` with a
    roster): each participant's questions answered in each module so far and the time of
    their latest answer, read from their folders in ``participants``; a table that saves.
    A participant of the course's roster (in the folder above ``participants``) who has no
    folder yet, added since ``eic-course serve`` started, has a row that says so."""
    from eic.classroom import class_progress, progress_cells, roster_ids

    if not participants.is_dir():
        return (
            "<p>No class is served from this machine: <code>eic-course serve</code> makes a "
            "folder for each participant (<code>participants/</code>) once the roster is "
            "imported, and their answers appear here as they work.</p>"
        )
    ids, problem = roster_ids(participants.parent)
    table = pd.DataFrame(progress_cells(class_progress(participants, ids)))
    note = f"<p>Note: {html.escape(problem)}.</p>" if problem else ""
    return note + saved_table_html(
        table,
        "Questions answered so far in each module, per participant",
        "answers-so-far.csv",
    )


def completion_chart(data: ClassData) -> Figure:
    """Stacked bars: per module, participants graded, not gradable, waiting, not submitted."""
    counts = completion_table(data)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(counts) + 1.6))
    left = np.zeros(len(counts))
    for status in STATUSES:
        values = counts[status].to_numpy(dtype=float)
        ax.barh(counts.index, values, left=left, color=STATUS_COLOURS[status], label=status)
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("Participants (persons)")
    ax.set_ylabel("Module")
    ax.set_title("Completion per module", pad=30)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.02), ncol=4, frameon=False)
    fig.set_layout_engine("tight")  # laid out when drawn
    return fig


def score_chart(data: ClassData) -> Figure:
    """Per module, the distribution of graded participants' scores (% of the maximum)."""
    modules = list(data.modules["module"])
    graded = data.scores[data.scores["status"] == "graded"]
    series = [
        graded.loc[graded["module"] == m, "percent"].astype(float).to_numpy() for m in modules
    ]
    fig, ax = plt.subplots(figsize=(8, 4))
    shown = [s if len(s) else np.array([np.nan]) for s in series]
    ax.boxplot(shown, tick_labels=modules, widths=0.5, medianprops={"color": PALETTE[5]})
    rng = np.random.default_rng(0)  # the same jitter every time the dashboard is drawn
    for i, values in enumerate(series, start=1):
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(values)), values, s=14, color=PALETTE[0])
    ax.set_ylim(-5, 105)
    ax.set_xlabel("Module")
    ax.set_ylabel("Score (% of the module's points)")
    ax.set_title("Score distribution per module (graded submissions)")
    fig.set_layout_engine("tight")  # laid out when drawn
    return fig


def progress_chart(data: ClassData) -> Figure:
    """A grid: each participant's score in each module (% of its points); blank if none."""
    grid = (
        data.scores.pivot(index="id", columns="module", values="percent")
        .reindex(index=data.participants["id"], columns=data.modules["module"])
        .astype(float)
    )
    fig, ax = plt.subplots(figsize=(1.1 * len(grid.columns) + 3, 0.28 * len(grid) + 1.6))
    image = ax.imshow(grid.to_numpy(), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(grid.columns)), grid.columns)
    ax.set_yticks(range(len(grid.index)), grid.index)
    for (row, col), value in np.ndenumerate(grid.to_numpy()):
        if not np.isnan(value):
            ax.text(col, row, f"{value:.0f}", ha="center", va="center", fontsize=7,
                    color="black" if value > 55 else "white")  # fmt: skip
    ax.set_xlabel("Module")
    ax.set_ylabel("Participant")
    ax.set_title("Each participant's progress\n(score, % of the module's points)")
    fig.colorbar(image, ax=ax, label="Score (%)")
    fig.set_layout_engine("tight")  # laid out when drawn
    return fig


def question_chart(data: ClassData, module: str) -> Figure:
    """The share of graded participants who got each question of ``module`` right."""
    rows = data.questions[data.questions["module"] == module]
    shares = rows["share_right"].astype(float).fillna(0.0).to_numpy()
    low = shares < CONFUSING
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.4))
    bars = ax.barh(rows["label"], shares, color=[PALETTE[5] if x else PALETTE[0] for x in low])
    for bar, flagged in zip(bars, low, strict=True):
        if flagged:
            bar.set_hatch("//")
    ax.axvline(CONFUSING, color="black", linestyle=(0, (4, 3)), linewidth=1)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Participants who got it right (% of graded submissions)")
    ax.set_title(f"{module}: share of the class right on each question", pad=30)
    ax.legend(
        handles=[
            Patch(facecolor=PALETTE[0], label=f"{CONFUSING:.0f}% or more right"),
            Patch(facecolor=PALETTE[5], hatch="//", label=f"under {CONFUSING:.0f}%: look again"),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.02),
        ncol=2,
        frameon=False,
    )
    fig.set_layout_engine("tight")  # laid out when drawn
    return fig


def describe_questions(data: ClassData, module: str) -> str:
    """A sentence naming the questions fewer than half the class got right."""
    rows = data.questions[data.questions["module"] == module]
    graded = int(rows["graded"].max()) if len(rows) else 0
    if not graded:
        return f"{module}: no graded submission yet."
    hard = rows[rows["share_right"].astype(float) < CONFUSING]
    if hard.empty:
        return f"{module}: every question was right for at least half of {graded} participants."
    names = ", ".join(f"{r.label} ({r.share_right:.0f}%)" for r in hard.itertuples())
    return f"{module}: fewer than half of {graded} participants got these right: {names}."
