"""What a "use your own data" panel (:mod:`eic.own_data`) says to the participant, as HTML.

Its introduction, with the table's template to download and what each column holds; the
box in which it says how an upload went (:func:`message_html`), and what goes in it: that
a file is being read and checked, why a file was refused and that nothing was changed, why
a good table could not be saved, a fault of the course (never blamed on the file), and a
warning when rows of the table are the course's own example. The panel decides when to say
each; the words are here.
"""

from __future__ import annotations

import base64
import html
import traceback
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from eic.answers import cannot_write
from eic.appraisal import and_list
from eic.own_data_specs import DataSpec
from eic.table_cells import row_label
from eic.table_templates import template_csv, template_xlsx
from eic.uploads import MAX_ROWS, MAX_UPLOAD_BYTES, size_text

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

# how a refusal goes on after the file's name, unless it says otherwise
NOT_USED = "was not used.</b> Fix the file and upload it again:"


def intro_html(spec: DataSpec) -> str:
    """The panel's introduction: the template to download (CSV and Excel, filled with the
    course's example), what each column holds, and what is read and checked."""
    example = spec.example_table()
    links = " or ".join(
        download_link(f"{spec.module}-{spec.name}-template.{suffix}", mime, content, label)
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


def message_html(text: str, *, problem: bool) -> str:
    """The panel's message box holding ``text`` (HTML): an alert for a problem, else a
    status, each with its colour."""
    role = "alert" if problem else "status"
    colour = "#9a3412" if problem else "#166534"
    return (
        f"<div role='{role}' class='eic-own-data-{'problem' if problem else 'ok'}' "
        f"style='border-left:4px solid {colour};padding:4px 8px;margin:4px 0'>{text}</div>"
    )


def working_html(name: str) -> str:
    """The message that ``name`` is being read and checked, in place of the last one."""
    return (
        "<div role='status' aria-busy='true' class='eic-own-data-working' "
        "style='border-left:4px solid #1a5fb4;padding:4px 8px;margin:4px 0'>&#8987; "
        f"<b>Reading and checking '{html.escape(name)}'&hellip;</b> Its analysis follows "
        "here in a moment.</div>"
    )


def refusal_html(
    name: str, problems: Sequence[str], *, kept: bool = True, headline: str = NOT_USED
) -> str:
    """The message that the file ``name`` was refused (``headline`` says how, after its
    name), listing ``problems``; ``kept`` adds that nothing saved was changed."""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    after = (
        "Nothing was changed: your saved table and your answers are as they were." if kept else ""
    )
    return message_html(
        f"<b>&#9888; '{html.escape(name)}' {headline}<ul>{items}</ul>{after}",
        problem=True,
    )


def example_warning(spec: DataSpec, clean: pd.DataFrame) -> str:
    """A warning (HTML) when rows of the table are the course's example rows."""
    rows = spec.example_rows(clean)
    if not rows:
        return ""
    first = clean.columns[0]
    if len(rows) == len(clean):
        text = (
            f"<b>&#9888; This is the course's example {html.escape(spec.what)}, "
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


def download_link(filename: str, mime: str, content: bytes, label: str) -> str:
    """A link (HTML) that downloads ``content`` as ``filename``, the file inside the link
    itself, so that it needs no server."""
    encoded = base64.b64encode(content).decode("ascii")
    return (
        f"<a download='{html.escape(filename, quote=True)}' "
        f"href='data:{mime};base64,{encoded}' style='color:#1a5fb4;text-decoration:underline'>"
        f"{html.escape(label)}</a>"
    )


def not_saved_text(err: OSError) -> str:
    """Why a good table could not be kept, in words, without the system's own message."""
    return (
        "the file itself is fine, but it could not be saved in this module's folder "
        f"({cannot_write(err)}), so it was not used; please ask your trainer to make the "
        "folder writable or to free some space, then upload the file again"
    )


def fault_text(err: Exception) -> str:
    """What to say of an error of the course's own code met while a file was analysed: what
    it was and where, and that it is not the file's fault."""
    where = traceback.extract_tb(err.__traceback__)[-1]
    return (
        f"the analysis stopped on an unexpected problem ({type(err).__name__}: {err}, in "
        f"{Path(where.filename).name} line {where.lineno}); this is a fault of the course, not "
        "of your file: please tell your trainer and send them the file"
    )
