"""Module 8's worksheet panels: a green-jobs estimate, the roadmap drawn from the
participant's choices, and the button that makes the country report.

Like :mod:`eic.panels`, each panel only calls pure functions and shows what they return;
under nbgrader nothing is drawn and no report is written.
"""

from __future__ import annotations

import base64
import contextlib
import html
import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from IPython.display import display

from eic import widgets as w
from eic.answers import AnswerNotSaved, active_store
from eic.explorers import Explorer, answer_view, show, table_html
from eic.grading import grading_mode
from eic.jobs import green_jobs, jobs_chart, jobs_summary
from eic.question_groups import Checklist
from eic.report import (
    JOBS_PLAN_ID,
    ROADMAP_START,
    STATUS_DONE,
    STATUS_NONE,
    build_report,
    left_out_of_the_plan,
    planned_quantities,
)
from eic.report_pages import markdown_archive, to_html, write_report
from eic.strategy import roadmap_chart, roadmap_from_terms, roadmap_summary


def jobs_explorer(factors: pd.DataFrame, quantities: Mapping[str, float]) -> Explorer | None:
    """Green jobs from the quantity of each activity (typed by the participant), with the
    factors' sources beside the result.

    The boxes open on the plan the participant recorded before (as the country report shows
    it), and on the course's example ``quantities`` only while none is recorded.
    """
    if grading_mode():
        return None
    units = dict(zip(factors["activity"], factors["unit"], strict=True))
    store = active_store("m08")
    recorded = store.value(JOBS_PLAN_ID)
    if isinstance(recorded, dict):  # the participant's own plan, read as the report reads it
        start, left_out = planned_quantities(recorded, list(factors["activity"]))
    else:
        start, left_out = dict(quantities), []
    # an activity of the saved plan that the factors table no longer has, said, never fatal
    note = left_out_of_the_plan(
        left_out,
        where="this estimate and of your country report",
        fix="To count an activity, type its quantity in the box of a matching activity above.",
    )
    note = f"<p role='status'>{html.escape(note)}</p>" if note else ""
    controls = {
        activity: w.BoundedFloatText(
            value=start.get(activity, 0.0),
            min=0,
            max=1e9,
            description=f"{activity} ({units[activity]}):",
            style={"description_width": "30em"},
            layout={"width": "720px", "max_width": "100%"},
        )
        for activity in factors["activity"]
    }

    def draw(values: dict) -> tuple[object, str]:
        activities = pd.DataFrame(
            {"activity": list(values), "quantity": [float(v or 0) for v in values.values()]}
        )
        estimate = green_jobs(activities[activities["quantity"] > 0], factors)
        shown = estimate[["activity", "quantity", "unit", "direct", "job_kind", "source"]]
        text = (
            f"<p><b>{html.escape(jobs_summary(estimate))}</b></p>"
            + note
            + table_html(
                shown,
                caption="Direct green jobs by activity, with the source of each factor",
                formats={"quantity": "{:,.6g}", "direct": "{:,.1f}"},
                headers={
                    "activity": "Activity",
                    "quantity": "Quantity",
                    "unit": "Unit",
                    "direct": "Direct jobs",
                    "job_kind": "Counted as",
                    "source": "Source of the factor",
                },
            )
        )
        return jobs_chart(estimate), text

    explorer = show(Explorer(controls, draw, css="eic-jobs-explorer"))
    if explorer is not None:
        # the participant's own plans, once they change the boxes, go into the country report
        # (kept as "details" with Module 8's answers; the example itself never does)
        def keep(_change) -> None:
            plans = {a: float(c.value) for a, c in controls.items() if c.value and c.value > 0}
            with contextlib.suppress(AnswerNotSaved):  # the estimate is shown even so
                store.record(
                    JOBS_PLAN_ID, plans, kind="details", question="Plans for the jobs estimate"
                )

        for control in controls.values():
            control.observe(keep, names="value")
    return explorer


def roadmap_view(terms: Checklist, leads: Checklist, streams: Mapping[str, str]) -> w.VBox | None:
    """The roadmap drawn from the term and the lead agency chosen for each action; an
    action scheduled before its lead is chosen is drawn with "lead not yet chosen"."""

    def draw(_value):
        chosen, owners = terms.recorded() or {}, leads.recorded() or {}
        if not chosen:
            return None, "<p>Choose a term for each action above to see the roadmap.</p>"
        missing = [a for a in chosen if a not in owners]
        still = (
            "<p>Choose a lead agency for: " + html.escape(", ".join(missing)) + ".</p>"
            if missing
            else ""
        )
        roadmap = roadmap_from_terms(
            chosen, streams=streams, owners=owners, start_year=ROADMAP_START
        )
        if roadmap.empty:
            return None, "<p>Every action is 'not now': the roadmap is empty.</p>" + still
        sentence = f"<p><b>{html.escape(roadmap_summary(roadmap))}</b></p>" + still
        return roadmap_chart(roadmap, title="Your roadmap"), sentence

    return answer_view([terms, leads], draw, "eic-roadmap-view")


def _download(name: str, data: bytes, mime: str, label: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"<a download='{html.escape(name)}' href='data:{mime};base64,{encoded}'>"
        f"{html.escape(label)}</a>"
    )


# where the report's name and country are kept in Module 8's answer file
REPORT_DETAILS = "report_details"


def report_panel(course_folder: Path | str, *, save_to: Path | str = ".") -> w.VBox | None:
    """A name and a country, and a button that writes the country report from every module's
    answers in ``course_folder`` into ``save_to``, with download links."""
    if grading_mode():
        return None
    # the name and country of the last report made, kept with the answers (as "details",
    # which the report leaves out), so that they are there when the module is opened again
    store = active_store("m08")
    kept = store.value(REPORT_DETAILS)
    kept = kept if isinstance(kept, dict) else {}
    name = w.Text(
        description="Your name:",
        value=str(kept.get("name", "")),
        style={"description_width": "initial"},
    )
    country = w.Text(
        description="Your country:",
        value=str(kept.get("country", "")),
        style={"description_width": "initial"},
    )
    cluster = w.Text(
        description="Your cluster (optional):",
        value=str(kept.get("cluster", "")),
        placeholder="e.g. the dyeing cluster on the city's eastern fringe",
        style={"description_width": "initial"},
        layout={"width": "min(36em, 100%)"},
    )
    button = w.Button(
        description="Make my country report",
        button_style="primary",
        icon="file",
        layout={"width": "auto"},  # its words whole, not "Make my country..."
    )
    result = w.HTML()

    def make(_button) -> None:
        who, where = name.value.strip(), country.value.strip()
        if not who or not where:
            result.value = "<p role='alert'>Type your name and your country first.</p>"
            return
        # a report with the analyses of large own tables takes a few seconds: say so, and
        # let a second click wait for the first report instead of making another meanwhile
        result.value = "<p role='status'>Making your report&hellip;</p>"
        button.disabled = True
        try:
            _make(who, where)
        finally:
            button.disabled = False

    def _make(who: str, where: str) -> None:
        with contextlib.suppress(AnswerNotSaved):  # the report is made even so
            details = {"name": who, "country": where, "cluster": cluster.value.strip()}
            store.record(REPORT_DETAILS, details, kind="details",
                         question="Name, country and cluster on the country report")  # fmt: skip
        try:
            report = build_report(
                [(who, Path(course_folder))], country=where, cluster=cluster.value
            )
            files = write_report(report, Path(save_to))
            html_path, md_path = files
            markdown_zip = markdown_archive(report, md_path.stem)
        except OSError:
            result.value = (
                "<p role='alert'>The report could not be saved beside this notebook: "
                "the folder cannot be written to, or the disk is full. Free some "
                "space or ask your trainer, then click the button again.</p>"
            )
            return
        except Exception:  # a fault of the course: say so plainly, never stop the button
            logging.getLogger(__name__).warning("the country report failed", exc_info=True)
            result.value = (
                "<p role='alert'>The report could not be made because of a fault in the course, "
                "not in your answers. Please tell your trainer; your answers are kept.</p>"
            )
            return
        made = [s for s in report.sections if s.status != STATUS_NONE]
        own = sum(1 for s in made if s.status == STATUS_DONE)
        result.value = (
            f"<p>&#10003; Report made from {len(made)} of {len(report.sections)} modules "
            f"({own} with answers or data about your own cluster; the answers to the course's "
            "exercises are in its annex), saved as "
            f"<code>{html.escape(html_path.name)}</code> and "
            f"<code>{html.escape(md_path.name)}</code> beside this notebook. Download: "
            + _download(html_path.name, to_html(report).encode("utf-8"), "text/html",
                        "the report as a web page (print it or save it as PDF)")
            + " · "
            + _download(f"{md_path.stem}.zip", markdown_zip, "application/zip",
                        "the text to edit, with its charts (Markdown, in a zip file)")
            + "</p>"
            + (f"<p role='status'>{html.escape(files.note)}</p>" if files.note else "")
        )  # fmt: skip

    button.on_click(make)
    fields = w.HBox([name, country, cluster], layout={"flex_flow": "row wrap"})
    panel = w.VBox([fields, button, result])
    panel.add_class("eic-report-panel")
    display(panel)
    return panel
