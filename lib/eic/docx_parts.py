"""The parts of a Word document (.docx) written as Office Open XML: the page's size, a run
of text, a paragraph, a table, a picture's size, and the package's fixed parts (its content
types, relations, properties and styles). :mod:`eic.report_docx` puts them together from a
web page.

>>> Run("Ports & roads", bold=True).xml()
'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Ports &amp; roads</w:t></w:r>'
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

# the text's width on an A4 page with margins of 2.5 cm, and the page's size, in twips
# (1/1440 inch) and in EMU (1/914400 inch) for pictures
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1418
TEXT_WIDTH_EMU = (PAGE_WIDTH - 2 * MARGIN) * 635
MAX_PICTURE_HEIGHT_EMU = 8 * 914400  # a tall chart keeps room for its caption
SCREEN_DPI = 96  # a picture without its own resolution is shown at a screen's size
# characters XML 1.0 cannot hold (a control character pasted from a spreadsheet)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def xml_text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value).replace("\n", " "))


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    sup: bool = False  # raised, as an exponent
    brk: bool = False  # a line break, not text

    def xml(self) -> str:
        if self.brk:
            return "<w:r><w:br/></w:r>"
        looks = ("<w:b/>" if self.bold else "") + ("<w:i/>" if self.italic else "")
        if self.code:
            looks += '<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>'
        if self.sup:
            looks += '<w:vertAlign w:val="superscript"/>'
        props = f"<w:rPr>{looks}</w:rPr>" if looks else ""
        return f'<w:r>{props}<w:t xml:space="preserve">{xml_text(self.text)}</w:t></w:r>'


@dataclass
class Paragraph:
    style: str = ""
    italic: bool = False  # the whole paragraph (a note, a status)
    runs: list[Run] = field(default_factory=list)

    def add(self, text: str, **looks: bool) -> None:
        if not self.runs or self.runs[-1].brk:
            text = text.lstrip()
        if text:
            self.runs.append(Run(text, **looks))

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
class Table:
    caption: Paragraph | None = None
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
        caption_property = (
            f"<w:tblCaption w:val={xml_attr(self.caption.text())}/>" if self.caption else ""
        )
        parts = [
            '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
            f"<w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
            "</w:tblCellMar>"
            f"{caption_property}"
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
    f"<w:styles {NAMESPACES}>"
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
