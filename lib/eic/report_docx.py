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
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.sax.saxutils import escape, quoteattr

# the text's width on an A4 page with margins of 2.5 cm, and the page's size, in twips
# (1/1440 inch) and in EMU (1/914400 inch) for pictures
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1418
TEXT_WIDTH_EMU = (PAGE_WIDTH - 2 * MARGIN) * 635
MAX_PICTURE_HEIGHT_EMU = 8 * 914400  # a tall chart keeps room for its caption
SCREEN_DPI = 96  # a picture without its own resolution is shown at a screen's size
HEADINGS = {"h1": "Title", "h2": "Heading1", "h3": "Heading2", "h4": "Heading3",
            "h5": "Heading4", "h6": "Heading4"}  # fmt: skip
BLOCKS = {"p", "div", "section", "figure", "figcaption", "caption", "li", "ul", "ol",
          "table", "thead", "tbody", "tr", "td", "th", "blockquote", "pre", *HEADINGS}  # fmt: skip
LEFT_OUT = {"head", "style", "script", "nav", "title"}
# characters XML 1.0 cannot hold (a control character pasted from a spreadsheet)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PNG = re.compile(r"data:image/png;base64,(.+)", re.DOTALL)

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value).replace("\n", " "))


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    brk: bool = False  # a line break, not text

    def xml(self) -> str:
        if self.brk:
            return "<w:r><w:br/></w:r>"
        looks = ("<w:b/>" if self.bold else "") + ("<w:i/>" if self.italic else "")
        if self.code:
            looks += '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>'
        props = f"<w:rPr>{looks}</w:rPr>" if looks else ""
        return f'<w:r>{props}<w:t xml:space="preserve">{_text(self.text)}</w:t></w:r>'


@dataclass
class _Paragraph:
    style: str = ""
    italic: bool = False  # the whole paragraph (a note, a status)
    runs: list[_Run] = field(default_factory=list)

    def add(self, text: str, **looks: bool) -> None:
        if not self.runs or self.runs[-1].brk:
            text = text.lstrip()
        if text:
            self.runs.append(_Run(text, **looks))

    def empty(self) -> bool:
        return not any(r.text.strip() or r.brk for r in self.runs)

    def text(self) -> str:
        return "".join("\n" if r.brk else r.text for r in self.runs)

    def xml(self, *, keep_with_next: bool = False) -> str:
        if self.runs and not self.runs[-1].brk:
            self.runs[-1].text = self.runs[-1].text.rstrip()
        props = f'<w:pStyle w:val="{self.style}"/>' if self.style else ""
        props += "<w:keepNext/>" if keep_with_next else ""
        if self.italic:
            for run in self.runs:
                run.italic = True
        return f"<w:p><w:pPr>{props}</w:pPr>{''.join(r.xml() for r in self.runs)}</w:p>"


@dataclass
class _Table:
    caption: _Paragraph | None = None
    rows: list[list[list[str]]] = field(default_factory=list)  # row -> cell -> paragraphs XML
    heads: list[bool] = field(default_factory=list)  # whether each row has only header cells

    @property
    def header_rows(self) -> int:
        """How many rows at the top are headers (repeated on each page Word fills)."""
        count = 0
        for row, head in zip(self.rows, self.heads, strict=True):
            if not (head and row):
                break
            count += 1
        return count if count < len(self.rows) else 0  # a table of headers alone has none

    def xml(self) -> str:
        columns = max((len(row) for row in self.rows), default=0)
        if not columns:
            return ""
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="999999"/>'
        borders = "".join(border.format(side) for side in
                          ("top", "left", "bottom", "right", "insideH", "insideV"))  # fmt: skip
        parts = [
            '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
            f"<w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
            "</w:tblCellMar>"
            f"{'<w:tblCaption w:val=' + _attr(self.caption.text()) + '/>' if self.caption else ''}"
            "</w:tblPr><w:tblGrid>"
            + f'<w:gridCol w:w="{(PAGE_WIDTH - 2 * MARGIN) // columns}"/>' * columns
            + "</w:tblGrid>"
        ]
        for number, row in enumerate(self.rows):
            header = "<w:trPr><w:tblHeader/></w:trPr>" if number < self.header_rows else ""
            cells = [*row, *[[] for _ in range(columns - len(row))]]
            parts.append(f"<w:tr>{header}")
            for cell in cells:
                parts.append('<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>')
                parts.append("".join(cell) or "<w:p/>")  # a cell holds a paragraph at least
                parts.append("</w:tc>")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        caption = self.caption.xml(keep_with_next=True) if self.caption else ""
        return caption + "".join(parts) + "<w:p/>"  # Word runs two tables together without


def png_size(png: bytes) -> tuple[int, int, float]:
    """A PNG picture's width and height in pixels, and its resolution in dots per inch (its
    own, or a screen's)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG picture")
    width, height = struct.unpack(">II", png[16:24])
    dpi = SCREEN_DPI
    found = png.find(b"pHYs", 0, 4096)
    if found > 0:
        per_x, _per_y, unit = struct.unpack(">IIB", png[found + 4 : found + 13])
        if unit == 1 and per_x > 0:  # dots per metre
            dpi = per_x * 0.0254
    return width, height, dpi


class _Document(HTMLParser):
    """The body of a Word document, read from a web page's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []
        self.pictures: list[bytes] = []
        self.paragraph: _Paragraph | None = None
        self.looks = {"bold": 0, "italic": 0, "code": 0}
        self.lists: list[str] = []  # "ul" or "ol", with the count of an "ol"
        self.counts: list[int] = []
        self.left_out = 0  # inside <style>, <nav>...
        self.table: _Table | None = None
        self.tables: list[_Table] = []  # a table inside a cell waits for its outer table
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

    def _start(self, style: str = "", *, italic: bool = False) -> _Paragraph:
        self._flush()
        self.paragraph = _Paragraph(style, italic)
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
            self.table = _Table()
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
                self.paragraph.runs.append(_Run("", brk=True))
        elif tag in {"b", "strong"}:
            self.looks["bold"] += 1
        elif tag in {"i", "em", "cite"}:
            self.looks["italic"] += 1
        elif tag in {"code", "kbd", "samp"}:
            self.looks["code"] += 1
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
        name = _attr(f"Chart {number}")
        alt_text = _attr(alt)
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
    main = f"{xml}<w:document {_NS}><w:body>{body}{section}</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", xml + CONTENT_TYPES)
        package.writestr("_rels/.rels", xml + PACKAGE_RELATIONS)
        package.writestr(
            "docProps/core.xml",
            xml
            + CORE.format(title=_text(title), author=_text(author), now=now, check=_check(main)),
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


CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELATIONS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdDocument" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rIdCore" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
    "<dc:description>Written by the EIC Course (check {check}). If this document is edited "
    "where it was written, making the report again keeps it as a dated copy beside it."
    "</dc:description><dc:language>en</dc:language>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
    "</cp:coreProperties>"
)


def _style(style_id: str, name: str, props: str = "", run: str = "", *, level: int = -1) -> str:
    outline = f'<w:outlineLvl w:val="{level}"/>' if level >= 0 else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        f"<w:pPr>{props}{outline}</w:pPr><w:rPr>{run}</w:rPr></w:style>"
    )


_HEADING = '<w:keepNext/><w:spacing w:before="{0}" w:after="120"/>'
STYLES = (
    f"<w:styles {_NS}>"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    + _style("Title", "Title", '<w:spacing w:after="240"/>', '<w:b/><w:sz w:val="40"/>')
    + _style("Heading1", "heading 1", _HEADING.format(360),
             '<w:b/><w:color w:val="1F4E79"/><w:sz w:val="32"/>', level=0)
    + _style("Heading2", "heading 2", _HEADING.format(240),
             '<w:b/><w:color w:val="1F4E79"/><w:sz w:val="26"/>', level=1)
    + _style("Heading3", "heading 3", _HEADING.format(200), '<w:b/><w:sz w:val="24"/>', level=2)
    + _style("Heading4", "heading 4", _HEADING.format(160), '<w:b/><w:i/>', level=3)
    + _style("Caption", "caption", '<w:spacing w:after="200"/>',
             '<w:i/><w:color w:val="404040"/><w:sz w:val="20"/>')
    + _style("ListParagraph", "List Paragraph",
             '<w:spacing w:after="60"/><w:ind w:left="720" w:hanging="360"/>')
    + "</w:styles>"
)  # fmt: skip
