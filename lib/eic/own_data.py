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
the saved table, the analysis on screen and every recorded answer. What the panel says, its
introduction and its messages, is written in :mod:`eic.own_data_messages`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from IPython.display import display

from eic import widgets as w
from eic.answers import MODEL_SUFFIX, AnswerStore, active_store
from eic.explorers import restarted_line, table_html
from eic.grading import grading_mode
from eic.own_data_messages import (
    NOT_USED,
    download_link,
    example_warning,
    fault_text,
    intro_html,
    message_html,
    not_saved_text,
    refusal_html,
    working_html,
)
from eic.own_data_specs import SPECS, DataSpec
from eic.own_results import results_page
from eic.own_tables import OwnDataFile
from eic.table_cells import spreadsheet_rows
from eic.tables import TableError
from eic.uploads import (
    ACCEPT,
    MAX_UPLOAD_BYTES,
    UploadError,
    read_upload,
    size_text,
)

PREVIEW_ROWS = 10


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
        self.intro = w.HTML(intro_html(spec))
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
    def _say(self, text: str, *, problem: bool) -> None:
        self.message.value = message_html(text, problem=problem)

    def _refuse(
        self, name: str, problems: Sequence[str], *, kept: bool = True, headline: str = NOT_USED
    ) -> None:
        self.message.value = refusal_html(name, problems, kept=kept, headline=headline)

    # -- the steps -----------------------------------------------------------------------
    def receive(self, content: bytes, name: str, *, sheet: str | None = None) -> bool:
        """Read, check and analyse an uploaded file; keep it only if all of that works.

        The message says at once that the file is being read and checked, in place of what
        it said of the file before, as a large table takes a few seconds."""
        self.message.value = working_html(name)
        read = None
        try:
            read = read_upload(content, name, sheet=sheet)
            with spreadsheet_rows(read.rows):  # problems named by the file's own rows
                clean = self.spec.check(read.table)
                analysis = self._analyse(clean)
                warning = example_warning(self.spec, clean)
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
            self._refuse(name, [fault_text(err)])
            return False
        try:
            # the figures entered for the table before stay with the new one: save reads
            # them under its lock, so a change made in another tab meanwhile is kept
            self.file.save(
                clean, name, sheet=read.sheet, example_rows=len(self.spec.example_rows(clean))
            )
        except OSError as err:
            self._refuse(
                name, [not_saved_text(err)], headline="was read and checked, but not saved.</b>"
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
            self._refuse(self.file.path.name, [fault_text(err)], kept=False)
            return
        self._show(clean, analysis)
        self._say(
            f"Your table from '{html.escape(str(source))}' ({len(clean):,} rows) was loaded "
            f"from <code>{html.escape(self.file.path.name)}</code>. Upload another file to "
            "replace it." + example_warning(self.spec, clean),
            problem=False,
        )

    def _analyse(self, clean: pd.DataFrame) -> w.Widget:
        return self.spec.run(
            clean,
            settings=self.file.settings(),
            remember=self.file.keep_settings,
            answers=self.answers,
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
            + download_link(name, "text/html", page.encode("utf-8"),
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
            self._refuse(name, [fault_text(err)])
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
            self._refuse(name, [fault_text(err)])


def panel(module: str, folder: Path | str | None = None) -> OwnDataPanel | None:
    """Show the module's own-data panel (nothing while a notebook is graded)."""
    if grading_mode():
        return None
    own = OwnDataPanel(SPECS[module], folder)
    display(own.box)
    return own
