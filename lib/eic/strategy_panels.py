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
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import traitlets
from IPython.display import display

from eic import widgets as w
from eic.answers import AnswerNotSaved, active_store
from eic.classroom import participant_details
from eic.explorers import Explorer, answer_view, restarted_line, show, table_html
from eic.grading import grading_mode
from eic.jobs import counted_as, green_jobs
from eic.jobs_shown import jobs_chart, jobs_summary
from eic.question_groups import Checklist
from eic.report import STATUS_DONE, STATUS_NONE, build_report
from eic.report_figures import (
    JOBS_PLAN_ID,
    ROADMAP_START,
    left_out_of_the_plan,
    planned_quantities,
)
from eic.report_files import write_report
from eic.report_markdown import markdown_archive
from eic.strategy import roadmap_chart, roadmap_from_terms, roadmap_summary
from eic.typed_numbers import number_text, parse_number, read_answer_number

# the largest amount a box of the green-jobs estimate takes: more is a slip of the keyboard
LARGEST_QUANTITY = 1e9
# one point and three digits after one to three digits ("1.650"): read as a decimal (1.65),
# though in Viet Nam or Indonesia it may mean 1650; and the same with a comma ("1,650"),
# read as 1650, though it may mean 1.65
_READS_TWO_WAYS = re.compile(r"^([1-9]\d{0,2})([.,])(\d{3})$")


def read_quantity(text: str) -> tuple[float, str]:
    """The amount typed in a box of the green-jobs estimate, read as an answer box reads a
    number (:func:`eic.typed_numbers.parse_number`), and a note that says how a comma, a
    space or a point that reads two ways was read ("" where nothing needed reading). An
    empty box is 0 (none). Raises ValueError, with a message a participant understands, for
    text that is not a number and for an amount below 0 or above 1,000,000,000.

    >>> read_quantity("1,15")
    (1.15, "'1,15' is read as 1.15 (the comma as a decimal mark).")
    >>> read_quantity("1.15")
    (1.15, '')
    """
    typed = text.strip()
    if not typed:
        return 0.0, "An empty box is read as 0 (none)."
    compact = typed.replace(" ", "")
    two_ways = _READS_TWO_WAYS.match(compact)
    if two_ways and two_ways[3] == "000":  # "20.000" is 20,000, as an answer box reads it
        number = read_answer_number(compact, (0, LARGEST_QUANTITY))
    else:
        number = parse_number(typed)
    assert number is not None  # only an empty box reads as None
    if number < 0:
        raise ValueError(
            f"'{typed}' is below 0: an amount planned cannot be negative. Type 0 for none."
        )
    if number > LARGEST_QUANTITY:
        raise ValueError(
            f"'{typed}' is more than {LARGEST_QUANTITY:,.0f}: check the amount and its unit."
        )
    shown = number_text(number)
    if two_ways and two_ways[3] != "000":
        whole, mark, part = two_ways.groups()
        other = number_text(float(f"{whole}.{part}" if mark == "," else f"{whole}{part}"))
        how = "between thousands" if mark == "," else "as a decimal mark"
        return number, (
            f"'{typed}' is read as {shown} (the {'comma' if mark == ',' else 'point'} {how}). "
            f"If you meant {other}, type {other.replace(',', '')}."
        )
    if two_ways and two_ways[2] == ".":
        return number, f"'{typed}' is read as {shown} (the point between thousands)."
    if shown == compact or ("," not in compact and " " not in typed):
        return number, ""  # written as the course writes it, or with a decimal point
    if re.fullmatch(r"[+-]?\d+,\d+", compact) and "," not in shown:
        return number, f"'{typed}' is read as {shown} (the comma as a decimal mark)."
    return number, f"'{typed}' is read as {shown}."


class QuantityBox(w.VBox, w.ValueWidget):
    """A labelled box for an amount of an activity, with a line under it.

    A number box of the browser reads "1,15" as 115 and "1,650" as 1650 without a word:
    a participant who typed 1,15 PJ/yr of biomass fuel was told of some 8,300 jobs. So the
    box is a text box read by :func:`read_quantity` when it is left (or Enter is pressed):
    its ``value`` is the amount, the box then shows it as the course writes numbers, and
    the line says how a mark was read, or why the text could not be used (the box then
    keeps the amount it had). Setting ``value`` shows it in the box.
    """

    value = traitlets.Float()

    def __init__(self, description: str, value: float) -> None:
        self.setting = description.strip().rstrip(":")
        self.field = w.Text(
            value=number_text(float(value)),
            description=description,
            continuous_update=False,
            style={"description_width": "30em"},
            layout={"width": "720px", "max_width": "100%"},
        )
        # a layout shared by every hidden line, not one each: each is a model the page builds
        self.message = w.HTML(layout=w.shared(w.Layout, {"display": "none"}))
        super().__init__([self.field, self.message])
        self.add_class("eic-quantity-box")
        self.value = float(value)
        self._showing = False
        self.observe(self._set, names="value")
        self.field.observe(self._typed, names="value")

    def _show(self, number: float) -> None:
        self._showing = True
        try:
            self.field.value = number_text(number)
        finally:
            self._showing = False

    def say(self, text: str, *, alert: bool = False) -> None:
        """Write ``text`` on the line under the box (hidden when there is nothing to say)."""
        role = "alert" if alert else "status"
        self.message.value = f"<p role='{role}' style='margin:0'>{html.escape(text)}</p>"
        self.message.layout = w.shared(w.Layout, None if text else {"display": "none"})

    def _set(self, change: dict) -> None:
        self._show(change["new"])

    def _typed(self, change: dict) -> None:
        if self._showing:
            return
        try:
            number, note = read_quantity(change["new"])
        except ValueError as err:
            self._show(self.value)
            self.say(f"{err} The box keeps {number_text(self.value)}.", alert=True)
            return
        self.value = number
        self._show(number)  # "1.15" for "1,15", even where the amount was 1.15 already
        self.say(note)


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
        activity: QuantityBox(f"{activity} ({units[activity]}):", start.get(activity, 0.0))
        for activity in factors["activity"]
    }

    def draw(values: dict) -> tuple[object, str]:
        activities = pd.DataFrame(
            {"activity": list(values), "quantity": [float(v or 0) for v in values.values()]}
        )
        estimate = green_jobs(activities[activities["quantity"] > 0], factors)
        shown = estimate.assign(job_kind=counted_as(estimate))
        shown = shown[["activity", "quantity", "unit", "direct", "job_kind", "source"]]
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
        f"<a download='{html.escape(name)}' href='data:{mime};base64,{encoded}' "
        # a widget's link has no look of its own in JupyterLab: shown as the course's others
        "style='color:#1a5fb4;text-decoration:underline'>"
        f"{html.escape(label)}</a>"
    )


# where the report's name and country are kept in Module 8's answer file
REPORT_DETAILS = "report_details"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    # in a served class, the roster's name and country until the participant changes them
    kept = {**participant_details(course_folder), **kept}
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
            page, docx = html_path.read_bytes(), files.docx.read_bytes()
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
            f"<code>{html.escape(html_path.name)}</code>, "
            f"<code>{html.escape(files.docx.name)}</code> and "
            f"<code>{html.escape(md_path.name)}</code> beside this notebook. Download: "
            + _download(files.docx.name, docx, DOCX,
                        "the report to edit in Word (.docx)")
            + " · "
            + _download(html_path.name, page, "text/html",
                        "the report as a web page (print it or save it as PDF)")
            + " · "
            + _download(f"{md_path.stem}.zip", markdown_zip, "application/zip",
                        "the text to edit, with its charts (Markdown, in a zip file)")
            + "</p>"
            + (f"<p role='status'>{html.escape(files.note)}</p>" if files.note else "")
        )  # fmt: skip

    button.on_click(make)
    fields = w.HBox([name, country, cluster], layout={"flex_flow": "row wrap"})
    # after a restart the button still clicks, but nothing answers: the line says so, under
    # the button, where the report's message would appear
    panel = w.VBox([fields, button, result, restarted_line()])
    panel.add_class("eic-report-panel")
    display(panel)
    return panel
