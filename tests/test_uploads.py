"""Reading a participant's own file: every kind of file a spreadsheet user may upload."""

from __future__ import annotations

import fnmatch
import io
import runpy
import subprocess
import sys
import unicodedata

import pandas as pd
import pytest
from conftest import ROOT, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eic.appraisal import check_options
from eic.clusters import check_employment
from eic.flows import check_flows
from eic.own_tables import OwnDataFile
from eic.table_templates import template_csv, template_xlsx
from eic.tables import TableError
from eic.uploads import MAX_ROWS, MAX_UPLOAD_BYTES, WINDOWS_ENCODINGS, UploadError, read_upload

EMPLOYMENT = "region,sector,year,employment\nNorth,Textiles,2020,300\nSouth,Textiles,2020,200\n"


def problems_of(content: bytes, name: str = "mine.csv") -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(content, name)
    assert caught.value.problems
    return " ".join(caught.value.problems)


# -- encodings and separators ------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "note"),
    [("utf-8", None), ("utf-8-sig", None), ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
)
def test_a_table_is_read_in_each_encoding_spreadsheets_save(encoding, note):
    text = "région,sector,year,employment\nÎle-de-Ré,Pêche,2020,35\nSão Paulo,Pêche,2020,5\n"
    read = read_upload(text.encode(encoding), "mine.csv")
    assert list(read.table.columns) == ["région", "sector", "year", "employment"]
    assert read.table.loc[0, "région"] == "Île-de-Ré"
    assert read.table.loc[1, "sector"] == "Pêche"
    notes = " ".join(read.notes)
    assert (note is None and notes == "") or (note is not None and note in notes)


# Region names as officials in each country write them, and the encoding Excel's plain
# "CSV (Comma delimited)" uses on a computer set up for that language
NAMES_BY_ENCODING = {
    "gb18030": ["江苏省", "浙江省", "广东省", "山东省", "河南省", "四川省"],
    "big5": ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市"],
    "cp932": ["東京都", "大阪府", "愛知県", "神奈川県", "北海道", "福岡県"],
    "cp949": ["서울특별시", "부산광역시", "울산광역시", "경기도", "경상남도", "전라남도"],
    "cp874": ["กรุงเทพมหานคร", "ชลบุรี", "ระยอง", "สมุทรปราการ", "เชียงใหม่", "ขอนแก่น"],
    "cp1258": ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Bình Dương", "Đồng Nai", "Cần Thơ"],
}


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def windows_1258(text: str) -> bytes:
    """``text`` as Windows-1258 writes Vietnamese: a vowel with its circumflex, breve or
    horn as one letter, its tone mark as a letter of its own after it."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tone = next(m for m in marks if m in TONE_MARKS)
            vowel = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out += vowel.encode("cp1258") + tone.encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", NAMES_BY_ENCODING)
def test_names_in_an_asian_windows_encoding_are_read_as_written(encoding):
    names = NAMES_BY_ENCODING[encoding]
    text = "region,sector,year,employment\n" + "".join(
        f"{name},{sector},2020,{100 + i}\n"
        for i, name in enumerate(names)
        for sector in ("Textiles", "Services", "Mining")
    )
    content = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    read = read_upload(content, "mine.csv")
    assert list(dict.fromkeys(read.table["region"])) == names
    notes = " ".join(read.notes)
    assert f"was read as {WINDOWS_ENCODINGS[encoding]} text" in notes
    assert "check that the names look right in the preview, or save it again as UTF-8" in notes
    assert check_employment(read.table)["region"].nunique() == 6


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_the_column_separator_is_found(separator):
    text = EMPLOYMENT.replace(",", separator)
    read = read_upload(text.encode(), "mine.csv")
    clean = check_employment(read.table)
    assert clean["employment"].tolist() == [300.0, 200.0]
    assert (separator == ",") == (not any("separated" in n for n in read.notes))


def test_decimal_commas_with_semicolons_are_read_as_numbers():
    text = "option;investment_usd;annual_saving_usd;life_years;abatement_tco2e_per_yr\n"
    text += "Solar;1.250.000,50;90 000,5;25;1,5\n"
    read = read_upload(text.encode("cp1252"), "options.csv")
    clean = check_options(read.table)
    assert clean.loc[0, "investment_usd"] == 1_250_000.5
    assert clean.loc[0, "annual_saving_usd"] == 90_000.5
    assert clean.loc[0, "abatement_tco2e_per_yr"] == 1.5
    assert any("decimal commas" in note for note in read.notes)


def test_thousands_separators_in_quoted_cells_are_read_as_numbers():
    text = 'region,sector,year,employment\nNorth,"Textiles, dyeing",2020,"61,860"\n'
    text += 'South,"Textiles, dyeing",2020,5\n'
    clean = check_employment(read_upload(text.encode(), "mine.csv").table)
    assert clean["employment"].tolist() == [61_860.0, 5.0]
    assert clean.loc[0, "sector"] == "Textiles, dyeing"


def test_a_column_of_labels_with_commas_is_left_alone():
    text = "flow;substance\nA;3,4-dichloroaniline\nB;1,5\n"
    table = read_upload(text.encode(), "mine.csv").table
    assert table["substance"].tolist() == ["3,4-dichloroaniline", "1,5"]


def test_empty_rows_and_unnamed_empty_columns_are_dropped():
    text = "region,sector,year,employment,,\n\nNorth,Textiles,2020,300,,\n,,,,,\n"
    table = read_upload(text.encode(), "mine.csv").table
    assert list(table.columns) == ["region", "sector", "year", "employment"]
    assert len(table) == 1


# -- files refused, each with the fix ----------------------------------------------------
@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "mine.csv", ["empty"]),
        (b"\n \n", "mine.csv", ["empty"]),
        (b"region,sector\n", "mine.csv", ["no rows", "add your rows"]),
        (b"a,b\n1,2,3\n", "mine.csv", ["line 2", "3 cells", "header has 2", "double quotes"]),
        (b"%PDF-1.7 ...", "mine.csv", ["PDF", "Save As"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "old.xls", ["97-2003", ".xlsx"]),
        (b"PK\x03\x04 not really a workbook", "mine.xlsx", ["cannot be opened", "Save As"]),
        (b"a,b\n1,2\n", "mine.docx", ["'.docx'", "CSV", ".xlsx"]),
        (b"\x00\x01\x02binary", "mine.csv", ["binary"]),
    ],
)
def test_an_unreadable_file_is_refused_with_what_to_do(content, name, words):
    text = problems_of(content, name)
    for word in words:
        assert word in text


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    content = b"a,b\n" + b"1,2\n" * (MAX_UPLOAD_BYTES // 4 + 1)
    text = problems_of(content)
    assert "limit of 2.0 MB" in text and "MB" in text


def test_a_file_over_the_row_limit_is_refused():
    content = b"a\n" + b"1\n" * (MAX_ROWS + 1)
    assert f"{MAX_ROWS:,} rows" in problems_of(content)


# -- Excel workbooks ---------------------------------------------------------------------
def test_a_workbook_sheet_called_data_is_read_by_default_and_others_on_request():
    content = workbook(
        {
            "notes": [["Prepared by the planning office"]],
            "data": [["region", "sector", "year", "employment"], ["North", "Textiles", 2020, 300],
                     ["South", "Textiles", 2020, 200]],
            "2010": [["region", "sector", "year", "employment"], ["North", "Textiles", 2010, 250],
                     ["South", "Textiles", 2010, 260]],
        }
    )  # fmt: skip
    read = read_upload(content, "mine.xlsx")
    assert read.sheets == ["notes", "data", "2010"] and read.sheet == "data"
    assert check_employment(read.table)["year"].tolist() == [2020.0, 2020.0]
    other = read_upload(content, "mine.xlsx", sheet="2010")
    assert check_employment(other.table)["employment"].tolist() == [250.0, 260.0]
    assert "its sheets are notes, data, 2010" in " ".join(
        pytest.raises(UploadError, read_upload, content, "mine.xlsx", sheet="2030").value.problems
    )


def test_an_empty_workbook_and_an_empty_chosen_sheet_are_refused():
    assert "empty" in problems_of(workbook({"Sheet1": []}), "mine.xlsx")
    content = workbook({"data": [["a"], [1]], "blank": []})
    with pytest.raises(UploadError, match="sheet 'blank' is empty"):
        read_upload(content, "mine.xlsx", sheet="blank")


def test_workbook_cells_keep_their_numbers_and_text_in_a_number_column_is_named():
    content = workbook(
        {"data": [["region", "sector", "year", "employment"], ["North", "Textiles", 2020, 300],
                  ["South", "Textiles", 2020, "about 200"]]}
    )  # fmt: skip
    with pytest.raises(TableError) as caught:
        check_employment(read_upload(content, "mine.xlsx").table)
    text = " ".join(caught.value.problems)
    assert "row 3" in text and "employment" in text and "about 200" in text


# -- what the module checks say about an uploaded table ----------------------------------
@pytest.mark.parametrize(
    ("text", "check", "words"),
    [
        ("region,sectr,year,employment\nN,T,2020,1\n", check_employment, ["'sector'", "'sectr'"]),
        ("region,sector,year,employment\nN,T,2020,-5\n", check_employment, ["row 2", "-5"]),
        (
            "flow,source,target,substance,quantity,unit\nA,,P,water,10,m3/dya\n",
            check_flows,
            ["row 2", "unit", "m3/day"],
        ),
        (
            "flow,source,target,substance,quantity,unit\nA,,P,water,-3,m3/day\n",
            check_flows,
            ["row 2", "quantity", "-3"],
        ),
        (
            "region,sector,year,employment\nN,T,2020,1\nN,T,2020,2\n",
            check_employment,
            ["row 2 and row 3 repeat", "keep one"],
        ),
    ],
)
def test_an_uploaded_table_gets_the_row_the_column_and_the_fix(text, check, words):
    with pytest.raises(TableError) as caught:
        check(read_upload(text.encode(), "mine.csv").table)
    message = " ".join(caught.value.problems)
    for word in words:
        assert word in message, (word, message)


# -- templates ---------------------------------------------------------------------------
def test_templates_read_back_as_the_table_they_were_made_from():
    example = pd.DataFrame({"firm": ["A", "Bé"], "effluent_m3_per_day": [150, 250.5]})
    guide = [("firm", "the firm's name"), ("effluent_m3_per_day", "m3 per day")]
    from_csv = read_upload(template_csv(example), "t.csv").table
    from_xlsx = read_upload(template_xlsx(example, guide), "t.xlsx")
    assert from_xlsx.sheets == ["data", "read me"] and from_xlsx.sheet == "data"
    for table in (from_csv, from_xlsx.table):
        assert table["firm"].tolist() == ["A", "Bé"]
        assert [float(v) for v in table["effluent_m3_per_day"]] == [150.0, 250.5]
    notes = read_upload(template_xlsx(example, guide), "t.xlsx", sheet="read me").table
    assert notes["Column"].tolist() == ["firm", "effluent_m3_per_day"]


# -- saving beside the answers -----------------------------------------------------------
def test_a_saved_table_comes_back_and_a_failed_write_leaves_the_old_one(tmp_path, monkeypatch):
    saved = OwnDataFile(tmp_path, "m02", "employment")
    first = check_employment(read_upload(EMPLOYMENT.encode(), "first.csv").table)
    saved.save(first, "first.csv")
    assert check_employment(saved.load()).equals(first)
    assert saved.source()["file"] == "first.csv" and saved.source()["rows"] == 2
    before = saved.path.read_bytes()

    def broken(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("eic.file_lock.os.replace", broken)
    with pytest.raises(OSError):
        saved.save(first.head(1), "second.csv")
    assert saved.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    monkeypatch.undo()
    saved.remove()
    assert not saved.exists() and not saved.meta_path.exists()


def test_the_instructor_copys_trial_table_never_reaches_a_release():
    from traitlets.config import Config

    config = Config()
    runpy.run_path(str(ROOT / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
    ignore = config.CourseDirectory.ignore
    model = OwnDataFile(ROOT, "m02", "employment", model=True)
    participant = OwnDataFile(ROOT, "m02", "employment")

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignore)

    assert ignored(model.path.name) and ignored(model.meta_path.name)
    assert ignored(".m02-own-employment.csv.k2j3.tmp")
    assert not ignored(participant.path.name) and not ignored(participant.meta_path.name)


# -- nothing unexpected escapes ----------------------------------------------------------
_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["1,5", "1.234,5", '"61,860"', "-3", "", " ", "nan", "∞", "1e999", "1 234"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(_cells, min_size=0, max_size=6), min_size=0, max_size=8),
    separator=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    name=st.sampled_from(["a.csv", "a.txt", "a.tsv", "a", "a.xlsx", "a.CSV", "a.xls"]),
)
def test_any_text_file_is_read_or_refused_with_a_reason(rows, separator, encoding, name):
    text = "\n".join(separator.join(row) for row in rows)
    content = text.encode(encoding, errors="replace")
    try:
        read = read_upload(content, name)
    except UploadError as err:
        assert err.problems and all(p.strip() for p in err.problems)
    else:
        assert read.table.shape[0] >= 1 and read.table.shape[1] >= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.bin", "a", "a.xls"]))
def test_any_bytes_are_read_or_refused_with_a_reason(content, name):
    try:
        read_upload(content, name)
    except UploadError as err:
        assert err.problems


def test_the_excel_template_opens_cleanly_with_a_bold_header(recwarn):
    from openpyxl import load_workbook

    example = pd.DataFrame({"firm & co": ["A <1>", None], "t_per_yr": [1.5, 2]})
    book = load_workbook(io.BytesIO(template_xlsx(example, [("firm & co", "its name")])))
    assert [w for w in recwarn if "openpyxl" in str(w.filename)] == []
    data = book["data"]
    assert [[c.value for c in row] for row in data.iter_rows()] == [
        ["firm & co", "t_per_yr"],
        ["A <1>", 1.5],
        [None, 2],
    ]
    assert data["A1"].font.b and not data["A2"].font.b
    assert book["read me"]["B2"].value == "its name"


def test_offering_the_templates_does_not_load_a_spreadsheet_library():
    code = (
        "import sys; from eic.own_data import SPECS, OwnDataPanel; OwnDataPanel(SPECS['m05']); "
        "print('openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
