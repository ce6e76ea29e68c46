""" "Use your own data" panels: a participant's own table, run through a module's analysis.

Modules 2 to 7 each end with one panel (:func:`panel`). It offers the table's template to
download (CSV and Excel, filled with the course's example), takes an upload (CSV,
``.xlsx`` or ``.xls``, with a choice of sheet), checks it with the module's own check, shows
a preview and runs the module's analysis and charts on it. The checked table is saved beside the
module's answers (:class:`eic.own_tables.OwnDataFile`), so it is there after a restart and in
a submission, where the country report finds it; figures an analysis asks for besides the
table, and the settings of its controls that matter (Module 4's distance limit, Module 6's
plant costs and sharing rule, Module 7's budget and weights), are kept in the table's
``.json``. Module 7's analysis also reads the module's answers beside the table (the
priorities of question 1). Rows left from the course's example are named, with the advice
to delete them.

A refused upload shows what is wrong and how to fix it, and leaves everything as it was:
the saved table, the analysis on screen and every recorded answer.
"""

from __future__ import annotations

import base64
import html
import traceback
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from IPython.display import display

from eic import widgets as w
from eic.answers import MODEL_SUFFIX, AnswerStore, active_store, cannot_write
from eic.appraisal import and_list
from eic.explorers import restarted_line, table_html
from eic.grading import grading_mode
from eic.own_data_specs import SPECS, DataSpec
from eic.own_results import results_page
from eic.own_tables import OwnDataFile
from eic.table_cells import row_label, spreadsheet_rows
from eic.table_templates import template_csv, template_xlsx
from eic.tables import TableError
from eic.uploads import (
    ACCEPT,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    UploadError,
    read_upload,
    size_text,
)

PREVIEW_ROWS = 10


# ipywidgets writes on its upload button how many files it holds: "Upload your employment
# table (0)", a count that means nothing to a participant (the panel says which file it
# read). This style element, in the panel's introduction, takes the count off the button's
# text each time the button is drawn (it tries again while the button is still to be drawn);
# where no script runs, the count simply stays.
_STRIP_UPLOAD_COUNT = (
    "var s=this,n=0;(function find(){var p=s.closest('.eic-own-data'),"
    "b=p&&p.querySelector('button.widget-upload');if(!b){if(n++<100){setTimeout(find,50)}"
    "return}if(b.dataset.eicNoCount){return}b.dataset.eicNoCount='1';"
    "var count=/ [(][0-9]+[)]$/,strip=function(){for(var c=b.firstChild;c;c=c.nextSibling){"
    "if(c.nodeType===3&&count.test(c.data)){c.data=c.data.replace(count,'')}}};"
    "strip();new MutationObserver(strip).observe(b,{childList:true,characterData:true,"
    "subtree:true})})()"
)
UPLOAD_WITHOUT_COUNT = f'<style class="eic-upload-count" onload="{_STRIP_UPLOAD_COUNT}"></style>'


class OwnDataPanel:
    """Template, upload, messages, preview and analysis of one module's own-data table.

    ``folder`` is where the table is saved: by default the folder of the module's answer
    file. Tests call :meth:`receive` with a file's bytes, as the upload button does.
    """

    def __init__(self, spec: DataSpec, folder: Path | str | None = None) -> None:
        self.spec = spec
        store = active_store(spec.module)
        model = store.path.name.endswith(MODEL_SUFFIX)
        self.file = OwnDataFile(
            store.path.parent if folder is None else folder, spec.module, spec.name, model=model
        )
        # the module's answers beside the table (Module 7's analysis weighs with them)
        self.answers = AnswerStore.for_module(spec.module, self.file.folder, model=model)
        self.table: pd.DataFrame | None = None
        # the file whose sheets the sheet list offers, and the last file used
        self._last: tuple[bytes, str] | None = None
        self._accepted: tuple[bytes, str, list[str], str | None] | None = None
        self.intro = w.HTML(self._intro())
        self.upload = w.FileUpload(
            accept=ACCEPT,
            multiple=False,
            description=f"Upload your {spec.what}",
            tooltip=f"A CSV file or an Excel workbook (.xlsx or .xls), at most "
            f"{size_text(MAX_UPLOAD_BYTES)}",
            layout={"width": "auto"},
        )
        # in the row beside the upload button only for a workbook of several sheets; shown
        # and hidden by being there or not, its look shared, so a page holds fewer models
        self.sheet = w.Dropdown(
            description="Sheet:", options=[], style={"description_width": "initial"}
        )
        self.remove = w.Button(
            description="Remove my table",
            tooltip="Delete the saved table; your recorded answers are not touched",
            disabled=True,
            layout={"width": "auto"},
        )
        self.message = w.HTML()
        self.preview = w.HTML()
        self.analysis = w.VBox()
        # the results as shown, to take away: a page made when asked, as the controls move
        self.keep = w.Button(
            description="Make a page of these results",
            icon="download",
            tooltip="A web page of the analysis as shown now, with its settings, to download",
            layout={"width": "auto"},
        )
        self.kept = w.HTML()
        # empty until there is an analysis to keep (shown by its children, as the sheet list)
        self.results = w.VBox()
        # on a phone, what does not fit goes below, whole
        self.row = w.HBox([self.upload, self.remove], layout={"flex_flow": "row wrap"})
        self.box = w.VBox(
            [
                self.intro,
                restarted_line(),
                self.row,
                self.message,
                self.preview,
                self.analysis,
                self.results,
            ]
        )
        self.box.add_class("eic-own-data")
        self.upload.observe(self._on_upload, names="value")
        self.sheet.observe(self._on_sheet, names="value")
        self.remove.on_click(lambda _button: self.forget())
        self.keep.on_click(lambda _button: self.results_link())
        self._restore()

    # -- what the participant sees --------------------------------------------------------
    def _intro(self) -> str:
        spec = self.spec
        example = spec.example_table()
        links = " or ".join(
            _download_link(f"{spec.module}-{spec.name}-template.{suffix}", mime, content, label)
            for suffix, mime, content, label in (
                ("csv", "text/csv", template_csv(example), "the template as CSV"),
                (
                    "xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    template_xlsx(example, spec.guide),
                    "the template as Excel",
                ),
            )
        )
        rows = "".join(
            f"<li><code>{html.escape(column)}</code>: {html.escape(meaning)}</li>"
            for column, meaning in spec.guide
        )
        return (
            f"{UPLOAD_WITHOUT_COUNT}"
            f"<p>&#11015; Download {links}. It holds the course's example; replace its rows with "
            f"yours, keep the header row, and upload it below as CSV or Excel (.xlsx or .xls). "
            f"The columns:</p><ul>{rows}</ul>"
            f"<p>Files up to {size_text(MAX_UPLOAD_BYTES)} and {MAX_ROWS:,} rows are read; "
            "a title above the header, a row of units and notes under the table, as "
            "statistics offices publish tables, are left out. "
            "Your table is checked first; if something is wrong you are told the row, the "
            "column and the fix, and nothing you saved before is changed.</p>"
        )

    def _say(self, text: str, *, problem: bool) -> None:
        role = "alert" if problem else "status"
        colour = "#9a3412" if problem else "#166534"
        self.message.value = (
            f"<div role='{role}' class='eic-own-data-{'problem' if problem else 'ok'}' "
            f"style='border-left:4px solid {colour};padding:4px 8px;margin:4px 0'>{text}</div>"
        )

    def _working(self, name: str) -> None:
        """Say that ``name`` is being read and checked, in place of the last message."""
        self.message.value = (
            "<div role='status' aria-busy='true' class='eic-own-data-working' "
            "style='border-left:4px solid #1a5fb4;padding:4px 8px;margin:4px 0'>&#8987; "
            f"<b>Reading and checking '{html.escape(name)}'&hellip;</b> Its analysis follows "
            "here in a moment.</div>"
        )

    def _refuse(
        self,
        name: str,
        problems: Sequence[str],
        *,
        kept: bool = True,
        headline: str = "was not used.</b> Fix the file and upload it again:",
    ) -> None:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
        after = (
            "Nothing was changed: your saved table and your answers are as they were."
            if kept
            else ""
        )
        self._say(
            f"<b>&#9888; '{html.escape(name)}' {headline}<ul>{items}</ul>{after}",
            problem=True,
        )

    # -- the steps -----------------------------------------------------------------------
    def receive(self, content: bytes, name: str, *, sheet: str | None = None) -> bool:
        """Read, check and analyse an uploaded file; keep it only if all of that works.

        The message says at once that the file is being read and checked, in place of what
        it said of the file before, as a large table takes a few seconds."""
        self._working(name)
        read = None
        try:
            read = read_upload(content, name, sheet=sheet)
            with spreadsheet_rows(read.rows):  # problems named by the file's own rows
                clean = self.spec.check(read.table)
                analysis = self._analyse(clean)
                warning = self._example_warning(clean)
        except UploadError as err:
            self._refuse_upload(content, name, err.problems, err.sheets, err.sheet)
            return False
        except TableError as err:
            sheets, chosen = (read.sheets, read.sheet) if read else ((), None)
            self._refuse_upload(content, name, err.listed, sheets, chosen)
            return False
        except (TypeError, ValueError) as err:
            self._refuse(name, [str(err)])
            return False
        except Exception as err:  # a fault of the course, not of the file: say so, keep going
            self._refuse(name, [_fault(err)])
            return False
        try:
            # the figures entered for the table before stay with the new one: save reads
            # them under its lock, so a change made in another tab meanwhile is kept
            self.file.save(
                clean, name, sheet=read.sheet, example_rows=len(self.spec.example_rows(clean))
            )
        except OSError as err:
            self._refuse(
                name, [_not_saved(err)], headline="was read and checked, but not saved.</b>"
            )
            return False
        self._last = (bytes(content), name)
        self._accepted = (bytes(content), name, list(read.sheets), read.sheet)
        self._show(clean, analysis, read.sheets, read.sheet)
        said = [*read.notes, *clean.attrs.get("notes", [])]  # the check's own, too
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in said)
        self._say(
            f"<b>&#10003; '{html.escape(name)}' was read, checked and saved</b> as "
            f"<code>{html.escape(self.file.path.name)}</code> beside your answers: "
            f"{len(clean):,} rows. The analysis below uses it."
            + (f" Note:<ul>{notes}</ul>" if notes else "")
            + warning,
            problem=False,
        )
        return True

    def _refuse_upload(
        self,
        content: bytes,
        name: str,
        problems: Sequence[str],
        sheets: Sequence[str],
        sheet: str | None,
    ) -> None:
        """Refuse a file; for a workbook, say which sheet was read and offer the others."""
        problems = list(problems)
        others = ", ".join(f"'{s}'" for s in sheets if s != sheet)
        if sheet is not None:
            problems.insert(
                0,
                f"sheet '{sheet}' of the workbook was read; if your table is on another sheet "
                f"({others}), choose it in the 'Sheet' list beside the upload button"
                if others
                else f"sheet '{sheet}', the workbook's only sheet, was read",
            )
        self._refuse(name, problems)
        if len(sheets) > 1:  # the sheet list now offers this file's sheets
            self._last = (bytes(content), name)
            self._offer_sheets(sheets, sheet)
        elif self._accepted is not None:  # those of the table in use, as before
            self._last = self._accepted[:2]
            self._offer_sheets(*self._accepted[2:])
        else:
            self._last = None
            self._offer_sheets((), None)

    def _offer_sheets(self, sheets: Sequence[str], sheet: str | None) -> None:
        if len(sheets) < 2:
            self.row.children = (self.upload, self.remove)
            return
        self._sheet_quiet = True
        try:
            self.sheet.options = list(sheets)
            self.sheet.value = sheet if sheet in sheets else None
        finally:
            self._sheet_quiet = False
        self.row.children = (self.upload, self.sheet, self.remove)

    def _show(
        self,
        clean: pd.DataFrame,
        analysis: w.Widget,
        sheets: Sequence[str] = (),
        sheet: str | None = None,
    ) -> None:
        self.table = clean
        shown = clean.head(PREVIEW_ROWS)
        more = f" (the first {PREVIEW_ROWS} of {len(clean):,} rows)" if len(clean) > 10 else ""
        self.preview.value = table_html(shown, caption=f"Your {self.spec.what}{more}")
        self.analysis.children = (analysis,)
        self.kept.value = ""
        self.results.children = (self.keep, self.kept)
        self.remove.disabled = False
        self._offer_sheets(sheets, sheet)

    def _restore(self) -> None:
        if not self.file.exists():
            return
        source = self.file.source().get("file", "an earlier upload")
        try:
            clean = self.spec.check(self.file.load())
            analysis = self._analyse(clean)
        except (UploadError, TableError) as err:
            problems = err.listed if isinstance(err, TableError) else err.problems
            self._refuse(self.file.path.name, problems, kept=False)
            return
        except Exception as err:
            self._refuse(self.file.path.name, [_fault(err)], kept=False)
            return
        self._show(clean, analysis)
        self._say(
            f"Your table from '{html.escape(str(source))}' ({len(clean):,} rows) was loaded "
            f"from <code>{html.escape(self.file.path.name)}</code>. Upload another file to "
            "replace it." + self._example_warning(clean),
            problem=False,
        )

    def _analyse(self, clean: pd.DataFrame) -> w.Widget:
        return self.spec.run(
            clean,
            settings=self.file.settings(),
            remember=self.file.keep_settings,
            answers=self.answers,
        )

    def _example_warning(self, clean: pd.DataFrame) -> str:
        """A warning (HTML) when rows of the table are the course's example rows."""
        rows = self.spec.example_rows(clean)
        if not rows:
            return ""
        first = clean.columns[0]
        if len(rows) == len(clean):
            text = (
                f"<b>&#9888; This is the course's example {html.escape(self.spec.what)}, "
                "not your own:</b> every row is a row of the course's invented example, so "
                "the analysis below is of the example, not of your cluster. Replace the rows "
                "with your own and upload the file again."
            )
        else:
            named = [f"{row_label(p)} ('{clean[first].iloc[p]}')" for p in rows[:8]]
            if len(rows) > 8:
                named.append(f"{len(rows) - 8} more")
            text = (
                f"<b>&#9888; {len(rows)} of the {len(clean)} rows are the course's invented "
                f"example, not your cluster:</b> {html.escape(and_list(named))}. The analysis "
                "below mixes them with your rows: delete them from your file and upload it "
                "again."
            )
        return (
            "<div role='alert' class='eic-own-data-example' style='border-left:4px solid "
            f"#9a3412;padding:4px 8px;margin:6px 0'>{text}</div>"
        )

    def forget(self) -> None:
        self.file.remove()
        self.table = None
        self._last = None
        self._accepted = None
        self.preview.value = ""
        self.analysis.children = ()
        self.results.children = ()
        self.kept.value = ""
        self.remove.disabled = True
        self.row.children = (self.upload, self.remove)
        self.upload.value = ()  # the same file may be uploaded again
        self._say("Your table was removed. Your recorded answers are unchanged.", problem=False)

    def results_link(self) -> str:
        """Make the page of the results as shown now, and offer it for download."""
        number = int(self.spec.module[1:])
        page = results_page(
            self.analysis,
            title=f"Module {number}: the analysis of your {self.spec.what}",
            source=str(self.file.source().get("file") or self.file.path.name),
        )
        name = f"{self.spec.module}-own-{self.spec.name}-results.html"
        self.kept.value = (
            "<p>&#11015; "
            + _download_link(name, "text/html", page.encode("utf-8"),
                             "Download the results as a web page")
            + " (open it in a browser to print it or save it as PDF; its tables copy into a "
            "spreadsheet). Move a control? Make the page again.</p>"
        )  # fmt: skip
        return page

    # -- widget events ---------------------------------------------------------------------
    _sheet_quiet = False

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = str(upload.get("name", "the file"))
        try:
            accepted = self.receive(bytes(upload["content"]), name)
        except Exception as err:  # never let a callback fail silently in the browser
            self._refuse(name, [_fault(err)])
            accepted = False
        # a file taken stays counted on the button ("Upload ... (1)"); a refused one is let
        # go, so that the same file can be uploaded again after a fix outside it
        if not accepted:
            self.upload.value = ()

    def _on_sheet(self, change: dict) -> None:
        if self._sheet_quiet or self._last is None or change["new"] is None:
            return
        content, name = self._last
        try:
            self.receive(content, name, sheet=change["new"])
        except Exception as err:  # never let a callback fail silently in the browser
            self._refuse(name, [_fault(err)])


def _download_link(filename: str, mime: str, content: bytes, label: str) -> str:
    encoded = base64.b64encode(content).decode("ascii")
    return (
        f"<a download='{html.escape(filename, quote=True)}' "
        f"href='data:{mime};base64,{encoded}' style='color:#1a5fb4;text-decoration:underline'>"
        f"{html.escape(label)}</a>"
    )


def _not_saved(err: OSError) -> str:
    """Why a good table could not be kept, in words, without the system's own message."""
    return (
        "the file itself is fine, but it could not be saved in this module's folder "
        f"({cannot_write(err)}), so it was not used; please ask your trainer to make the "
        "folder writable or to free some space, then upload the file again"
    )


def _fault(err: Exception) -> str:
    where = traceback.extract_tb(err.__traceback__)[-1]
    return (
        f"the analysis stopped on an unexpected problem ({type(err).__name__}: {err}, in "
        f"{Path(where.filename).name} line {where.lineno}); this is a fault of the course, not "
        "of your file: please tell your trainer and send them the file"
    )


def panel(module: str, folder: Path | str | None = None) -> OwnDataPanel | None:
    """Show the module's own-data panel (nothing while a notebook is graded)."""
    if grading_mode():
        return None
    own = OwnDataPanel(SPECS[module], folder)
    display(own.box)
    return own
