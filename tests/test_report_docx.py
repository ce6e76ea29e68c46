"""The country report as a Word document: read back with python-docx (as a word processor
reads it), it holds the web page's headings, text, tables and charts, with each chart's
alternative text, and a document edited where it was written is kept when the report is
made again."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from xml.etree import ElementTree

import docx
import pytest
from test_report import MODULES, answer, parse

from eic.report import build_report
from eic.report_docx import (
    MAX_PICTURE_HEIGHT_EMU,
    TEXT_WIDTH_EMU,
    edited_since_written,
    html_to_docx,
    png_size,
)
from eic.report_files import write_report
from eic.report_pages import to_docx, to_html

RATINGS = {"Inter-firm networks": 2, "Enabling technologies": 3, "Social capital": 1,
           "Public policy support": 4}  # fmt: skip
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    folder = tmp_path / "ana"
    answer(folder, "m01", "q7_self_assessment", RATINGS, "ratings", "7. Rate your cluster")
    answer(folder, "m01", "r1_reflection", "Tanneries by the river.\nA forum first.",
           "reflection", "8. Your reflection")  # fmt: skip
    answer(folder, "m03", "q1_missing_flow", 300.0, "number", "1. How much water?")
    return folder


def opened(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def test_the_word_report_holds_the_pages_headings_text_and_charts(course):
    report = build_report([("Ana Reyes", course)], country="Philippines")
    page, document = to_html(report), to_docx(report)
    read = opened(document)
    styled = [(p.style.name, p.text) for p in read.paragraphs if p.text]
    assert styled[0] == ("Title", report.title)
    assert read.core_properties.title == report.title
    assert read.core_properties.author == "Ana Reyes"
    modules = [text for style, text in styled if style == "Heading 1"]
    assert modules == [f"Module {n} · {MODULES[f'm0{n}']['title']}" for n in range(1, 9)] + [
        "Annex: answers to the course's exercises"  # Module 3's answer, on the course's example
    ]
    texts = [text for _style, text in styled]
    # a reflection's lines stay apart, each answer is there once, missing modules are said
    assert texts.count("Tanneries by the river.") == 1 and "A forum first." in texts
    assert texts.count("Not yet done: no answers recorded.") == 6
    assert ("List Paragraph", "\u2022 Social capital: 1") in styled
    assert ("Heading 2", "Rate your cluster") in styled
    # the page's list of contents leads nowhere in Word, which makes its own from headings
    assert "Contents" not in texts
    # every chart of the page, as a picture with its alternative text, at most a page wide
    alts = [image["alt"] for image in parse(page).images]
    assert len(alts) == 1 == len(read.inline_shapes)
    descr = [el.get("descr") for el in read.element.body.iter() if el.tag.endswith("}docPr")]
    assert descr == alts
    shape = read.inline_shapes[0]
    assert 0 < shape.width <= TEXT_WIDTH_EMU and 0 < shape.height <= MAX_PICTURE_HEIGHT_EMU
    picture = read.part.related_parts[
        read.element.body.xpath(".//a:blip/@r:embed")[0]
    ].blob  # fmt: skip
    assert picture.startswith(b"\x89PNG")
    width, height, _dpi = png_size(picture)
    assert shape.width / shape.height == pytest.approx(width / height, rel=0.01)


def test_every_part_of_the_package_is_well_formed_and_typed():
    document = html_to_docx("<h1>R</h1><p>x</p>", title="R")
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        names = package.namelist()
        for name in names:
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # raises if not well-formed
        types = package.read("[Content_Types].xml").decode()
    assert "/word/document.xml" in types and "/word/styles.xml" in types
    assert names[0] == "[Content_Types].xml"


def test_typed_text_is_written_as_typed_and_what_xml_cannot_hold_is_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr("eic.answers._ACTIVE", {})
    typed = 'Rivers <and> ports & "roads"\x01\x1f to 2030'
    answer(tmp_path, "m01", "r1_reflection", typed, "reflection", "8. Your reflection")
    read = opened(to_docx(build_report([("Ana <Reyes> & co", tmp_path)], country="Viet Nam")))
    texts = [p.text for p in read.paragraphs]
    assert 'Rivers <and> ports & "roads" to 2030' in texts
    assert read.core_properties.author == "Ana <Reyes> & co"


def test_an_own_data_table_is_a_table_with_its_caption_header_and_rows(folder):
    from eic.own_data import SPECS, OwnDataPanel
    from eic.table_templates import template_csv

    spec = SPECS["m05"]
    example = spec.example_table()
    assert OwnDataPanel(spec, folder).receive(template_csv(example), "options.csv")
    report = build_report([("Ana Reyes", folder)], country="Philippines")
    read = opened(to_docx(report))
    own = next(t for s in report.sections for t in s.own_data)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in read.tables]
    # the table of the participant's own options, as the page shows it (its header first)
    ours = next(t for t in tables if t[0] == list(own.header))
    assert ours[1:] == [list(row) for row in own.rows[: own.PREVIEW]]
    shown = next(t for t in read.tables if [c.text for c in t.rows[0].cells] == own.header)
    assert shown.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on each page
    assert shown._tbl.xpath("./w:tblPr/w:tblCaption/@w:val") == [own.caption]
    captions = [p.text for p in read.paragraphs if p.style.name == "Caption"]
    assert own.caption in captions
    # the module's analysis of it follows, with its charts as pictures
    texts = "\n".join(p.text for p in read.paragraphs)
    assert "What the module's analysis shows for this table" in texts
    assert len(read.inline_shapes) == len(parse(to_html(report)).images) >= 1


def test_a_picture_keeps_its_own_resolution_and_fits_the_page():
    def png(width: int, height: int, dots_per_metre: int | None) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
        rows = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
        resolution = (
            chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1))
            if dots_per_metre
            else b""
        )
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + resolution
                + chunk(b"IDAT", rows) + chunk(b"IEND", b""))  # fmt: skip

    assert png_size(png(200, 100, 7874)) == (200, 100, pytest.approx(200, abs=0.1))
    assert png_size(png(200, 100, None)) == (200, 100, 96)
    import base64

    def shown(picture: bytes) -> tuple[int, int]:
        src = "data:image/png;base64," + base64.b64encode(picture).decode()
        read = opened(html_to_docx(f"<figure><img src='{src}' alt='A chart'></figure>",
                                   title="R"))  # fmt: skip
        return read.inline_shapes[0].width, read.inline_shapes[0].height

    # 200 px at 200 dpi: one inch wide, half an inch high
    assert shown(png(200, 100, 7874)) == (
        pytest.approx(914400, abs=10),
        pytest.approx(457200, abs=10),
    )
    # 3,000 px at a screen's 96 dpi would be 31 inches: a page's width, the same shape
    wide = shown(png(3000, 1000, None))
    assert wide[0] == TEXT_WIDTH_EMU and wide[0] / wide[1] == pytest.approx(3, rel=0.001)
    # a picture the page could not hold is said in words, never lost
    read = opened(html_to_docx("<img src='data:image/png;base64,AAAA' alt='The radar'>",
                               title="R"))  # fmt: skip
    assert [p.text for p in read.paragraphs] == ["The radar"] and not read.inline_shapes


def test_write_report_writes_the_word_document_beside_the_page(course, tmp_path):
    report = build_report([("Ana Reyes", course)], country="Philippines")
    files = write_report(report, tmp_path / "out")
    assert files.docx == tmp_path / "out" / "country-report.docx"
    assert opened(files.docx.read_bytes()).paragraphs[0].text == report.title
    assert not edited_since_written(files.docx.read_bytes())


def test_a_word_report_edited_where_it_is_is_kept_when_the_report_is_made_again(course, tmp_path):
    report = build_report([("Ana Reyes", course)], country="Philippines")
    files = write_report(report, tmp_path / "out")
    # the report made again, not edited: replaced, no copy
    again = write_report(report, tmp_path / "out")
    assert again.kept_docx is None and "docx" not in again.note
    # edited and saved in a word processor: its text changed, its properties kept
    edited = opened(files.docx.read_bytes())
    edited.add_paragraph("Our ministry's own conclusion.")
    buffer = io.BytesIO()
    edited.save(buffer)
    files.docx.write_bytes(buffer.getvalue())
    assert edited_since_written(buffer.getvalue())
    made = write_report(report, tmp_path / "out")
    assert made.kept_docx is not None and made.kept_docx.suffix == ".docx"
    assert re.fullmatch(r"country-report-edited-[\d-]+\.docx", made.kept_docx.name)
    kept = opened(made.kept_docx.read_bytes())
    assert kept.paragraphs[-1].text == "Our ministry's own conclusion."
    assert f"your version is kept as {made.kept_docx.name}" in made.note
    assert "Our ministry's own conclusion." not in [
        p.text for p in opened(made.docx.read_bytes()).paragraphs
    ]
    # a file that is not a document the course wrote is kept too, never written over
    files.docx.write_bytes(b"not a word document")
    assert edited_since_written(b"not a word document")
    assert write_report(report, tmp_path / "out").kept_docx is not None
