"""The country report as a Word document (.docx): the draft most officials will edit, in
Word, LibreOffice Writer or Google Docs, into their country's own report.

The document is made from the report's web page (:func:`eic.report_pages.to_html`), so the
two always hold the same text in the same order: its headings become Word's headings (the
document's outline, and what a screen reader lists), its tables real tables with a header
row repeated on each page, each chart a picture with its alternative text, each caption
Word's "Caption" style. Only what a document to edit has no use for is left out: the page's
table of contents, whose links would lead nowhere in Word (Word makes its own from the
headings).

It is written as Office Open XML directly (a zip file of a few XML parts), so the course
needs no other package for it. Its properties hold a check of its text as the course wrote
it, so that a document edited since (where it was written) can be told from one that was
not (:func:`edited_since_written`), and kept when the report is made again.

>>> from zipfile import ZipFile
>>> import io
>>> page = "<h1>Report</h1><p>Ports &amp; <b>roads</b></p><ul><li>One</li></ul>"
>>> document = ZipFile(io.BytesIO(html_to_docx(page, title="Report"))).read("word/document.xml")
>>> b'<w:pStyle w:val="Title"/>' in document and b"Ports &amp; " in document
True
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import html
import io
import re
import struct
import zipfile
from html.parser import HTMLParser

from eic.docx_parts import (
    CONTENT_TYPES,
    CORE,
    MARGIN,
    MAX_PICTURE_HEIGHT_EMU,
    NAMESPACES,
    PACKAGE_RELATIONS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    STYLES,
    TEXT_WIDTH_EMU,
    Paragraph,
    Run,
    Table,
    png_size,
    xml_attr,
    xml_text,
)

# what tests and other modules import from here
__all__ = [
    "MAX_PICTURE_HEIGHT_EMU",
    "TEXT_WIDTH_EMU",
    "edited_since_written",
    "html_to_docx",
    "png_size",
    "text_of",
]

HEADINGS = {"h1": "Title", "h2": "Heading1", "h3": "Heading2", "h4": "Heading3",
            "h5": "Heading4", "h6": "Heading4"}  # fmt: skip
BLOCKS = {"p", "div", "section", "figure", "figcaption", "caption", "li", "ul", "ol",
          "table", "thead", "tbody", "tr", "td", "th", "blockquote", "pre", *HEADINGS}  # fmt: skip
LEFT_OUT = {"head", "style", "script", "nav", "title"}
_PNG = re.compile(r"data:image/png;base64,(.+)", re.DOTALL)


class _Document(HTMLParser):
    """The body of a Word document, read from a web page's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.pictures: list[bytes] = []
        self.paragraph: Paragraph | None = None
        self.looks = {"bold": 0, "italic": 0, "code": 0, "sup": 0}
        self.lists: list[str] = []  # "ul" or "ol", with the count of an "ol"
        self.counts: list[int] = []
        self.left_out = 0  # inside <style>, <nav>...
        self.table: Table | None = None
        self.tables: list[Table] = []  # a table inside a cell waits for its outer table
        self.cell: list[str] | None = None
        self.in_caption = False
        self.pending_keep = False  # a heading keeps with what follows it

    # -- where paragraphs go -----------------------------------------------------------------
    def _emit(self, xml: str) -> None:
        if self.cell is not None:
            self.cell.append(xml)
        else:
            self.body.append(xml)

    def _flush(self) -> None:
        paragraph, self.paragraph = self.paragraph, None
        if paragraph is None or paragraph.empty():
            return
        if self.in_caption and self.table is not None:
            self.table.caption = paragraph
            return
        keep = paragraph.style.startswith("Heading") or paragraph.style == "Title"
        self._emit(paragraph.xml(keep_with_next=keep))

    def _start(self, style: str = "", *, italic: bool = False) -> Paragraph:
        self._flush()
        self.paragraph = Paragraph(style, italic)
        return self.paragraph

    # -- the page's elements ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in LEFT_OUT:
            self.left_out += 1
            return
        if self.left_out:
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag in HEADINGS:
            self._start(HEADINGS[tag])
        elif tag in {"ul", "ol"}:
            self._flush()
            self.lists.append(tag)
            self.counts.append(0)
        elif tag == "li":
            paragraph = self._start("ListParagraph")
            if self.counts:
                self.counts[-1] += 1
            kind = self.lists[-1] if self.lists else "ul"
            paragraph.add(f"{self.counts[-1]}. " if kind == "ol" else "\u2022 ")
        elif tag == "table":
            self._flush()
            if self.table is not None:
                self.tables.append(self.table)
            self.table = Table()
        elif tag == "caption":
            self.in_caption = True
            self._start("Caption")
        elif tag == "tr" and self.table is not None:
            self._flush()
            self.table.rows.append([])
            self.table.heads.append(True)
        elif tag in {"td", "th"} and self.table is not None:
            self._flush()
            if not self.table.rows:
                self.table.rows.append([])
                self.table.heads.append(True)
            if tag == "td":
                self.table.heads[-1] = False
            self.cell = []
            self.table.rows[-1].append(self.cell)
            self._start()
            if tag == "th":
                self.looks["bold"] += 1
        elif tag == "figcaption":
            self._start("Caption")
        elif tag == "img":
            self._picture(found.get("src") or "", found.get("alt") or "")
        elif tag == "br":
            if self.paragraph is not None:
                self.paragraph.runs.append(Run("", brk=True))
        elif tag in {"b", "strong"}:
            self.looks["bold"] += 1
        elif tag in {"i", "em", "cite"}:
            self.looks["italic"] += 1
        elif tag in {"code", "kbd", "samp"}:
            self.looks["code"] += 1
        elif tag == "sup":
            self.looks["sup"] += 1
        elif tag in BLOCKS:
            self._start(italic="status" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag in LEFT_OUT:
            self.left_out = max(0, self.left_out - 1)
            return
        if self.left_out:
            return
        if tag in {"ul", "ol"}:
            self._flush()
            if self.lists:
                self.lists.pop()
                self.counts.pop()
        elif tag == "caption":
            self._flush()
            self.in_caption = False
        elif tag in {"td", "th"}:
            self._flush()
            self.cell = None
            if tag == "th":
                self.looks["bold"] = max(0, self.looks["bold"] - 1)
        elif tag == "table":
            self._flush()
            self.cell = None
            table, self.table = self.table, (self.tables.pop() if self.tables else None)
            if table is not None:
                if self.table is not None and self.table.rows and self.table.rows[-1]:
                    self.cell = self.table.rows[-1][-1]  # back in the outer table's cell
                self._emit(table.xml())
        elif tag in {"b", "strong"}:
            self.looks["bold"] = max(0, self.looks["bold"] - 1)
        elif tag in {"i", "em", "cite"}:
            self.looks["italic"] = max(0, self.looks["italic"] - 1)
        elif tag in {"code", "kbd", "samp"}:
            self.looks["code"] = max(0, self.looks["code"] - 1)
        elif tag == "sup":
            self.looks["sup"] = max(0, self.looks["sup"] - 1)
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.left_out:
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and (self.paragraph is None or self.paragraph.empty()):
            return
        if self.paragraph is None:
            self._start()
        looks = {name: count > 0 for name, count in self.looks.items()}
        self.paragraph.add(text, **looks)

    def _picture(self, src: str, alt: str) -> None:
        self._flush()
        data = _PNG.match(src)
        try:
            png = base64.b64decode(data.group(1), validate=False) if data else b""
            width, height, dpi = png_size(png)
        except (ValueError, binascii.Error, struct.error):
            if alt:  # a picture the document cannot hold: what it shows, in words
                self._start(italic=True).add(alt)
                self._flush()
            return
        cx = round(width / dpi * 914400)
        cy = round(height / dpi * 914400)
        scale = min(1.0, TEXT_WIDTH_EMU / cx, MAX_PICTURE_HEIGHT_EMU / cy)
        cx, cy = round(cx * scale), round(cy * scale)
        self.pictures.append(png)
        number = len(self.pictures)
        name = xml_attr(f"Chart {number}")
        alt_text = xml_attr(alt)
        self._emit(
            "<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing>"
            '<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{number}" name={name} descr={alt_text}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            "</wp:cNvGraphicFramePr>"
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            'picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="{number}" name="chart{number}.png" descr={alt_text}/>'
            "<pic:cNvPicPr/></pic:nvPicPr>"
            f'<pic:blipFill><a:blip r:embed="rIdPicture{number}"/>'
            "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )

    def close(self) -> None:
        super().close()
        self._flush()
        while self.table is not None:  # a table the page left open
            self.handle_endtag("table")


def html_to_docx(page: str, *, title: str, author: str = "") -> bytes:
    """A Word document (.docx) holding what the HTML ``page`` shows: its headings, text,
    lists, tables and embedded PNG pictures, with ``title`` and ``author`` as its
    properties."""
    document = _Document()
    document.feed(page)
    document.close()
    body = "".join(document.body) or "<w:p/>"
    section = (
        f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" '
        f'w:left="{MARGIN}" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    )
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    relations = [
        '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/styles" Target="styles.xml"/>'
    ] + [
        f'<Relationship Id="rIdPicture{n}" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/image" Target="media/chart{n}.png"/>'
        for n in range(1, len(document.pictures) + 1)
    ]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    main = f"{xml}<w:document {NAMESPACES}><w:body>{body}{section}</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", xml + CONTENT_TYPES)
        package.writestr("_rels/.rels", xml + PACKAGE_RELATIONS)
        package.writestr(
            "docProps/core.xml",
            xml
            + CORE.format(
                title=xml_text(title), author=xml_text(author), now=now, check=_check(main)
            ),
        )
        package.writestr("word/document.xml", main)
        package.writestr(
            "word/_rels/document.xml.rels",
            f'{xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{"".join(relations)}</Relationships>',
        )
        package.writestr("word/styles.xml", xml + STYLES)
        for n, png in enumerate(document.pictures, 1):
            package.writestr(f"word/media/chart{n}.png", png)
    return buffer.getvalue()


def _check(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]


_WRITTEN = re.compile(r"<dc:description>Written by the EIC Course \(check ([0-9a-f]{16})\)")


def edited_since_written(content: bytes) -> bool:
    """Whether a Word document's file holds anything but the document the course wrote:
    its text was changed (Word writes the whole document again when it saves), or it is not
    a document the course wrote.

    >>> written = html_to_docx("<p>Our cluster</p>", title="Report")
    >>> edited_since_written(written), edited_since_written(written[:-1])
    (False, True)
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
            main = package.read("word/document.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError, EOFError):
        return True
    found = _WRITTEN.search(core)
    return found is None or found[1] != _check(main)


def text_of(docx: bytes) -> str:
    """The text of a Word document made here, one paragraph a line (for checks and tests)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        document = package.read("word/document.xml").decode("utf-8")
    lines = []
    for paragraph in re.findall(r"<w:p>.*?</w:p>|<w:p/>", document, re.DOTALL):
        words = re.findall(r"<w:t[^>]*>(.*?)</w:t>|<w:br/>", paragraph, re.DOTALL)
        lines.append(html.unescape("".join(w if w else "" for w in words)))
    return "\n".join(line for line in lines if line.strip())
