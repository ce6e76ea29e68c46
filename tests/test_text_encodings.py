"""A CSV file saved in an older Windows encoding is read in the one whose reading of its
letters is sensible text (eic.text_encodings), or refused: never saved with garbled names."""

from __future__ import annotations

import pytest

from eic import text_encodings
from eic.text_encodings import Ambiguous, Reading, choose_reading, oddities
from eic.uploads import UploadError, read_upload

HEADER = b"firm,effluent_m3_per_day,cod_mg_per_l\n"
LATIN = (
    b"Minh Long Garments,85,600\nTan Phat Weaving,60,450\nAn Khang Dye Works,410,2100\n"
    b"Viet Thang Knitting,150,900\nSong Hong Printing,220,1500\nKim Son Denim,600,2600\n"
    b"Bao Tin Finishing,95,1100\nLien Minh Washing,180,1300\n"
)
# as Excel's "CSV (Comma delimited)" writes them on a computer set up for each language
HUANAN_GBK = b"\xbb\xaa\xc4\xcf\xb7\xc4\xd6\xaf\xb3\xa7"  # 华南纺织厂
SHAOXING_GBK = (
    b"\xc9\xdc\xd0\xcb\xd3\xa1\xc8\xbe\xd3\xd0\xcf\xde\xb9\xab\xcb\xbe"  # 绍兴印染有限公司
)


def firm_names(content: bytes) -> list[str]:
    return read_upload(content, "firms.csv").table["firm"].tolist()


def test_two_chinese_names_among_latin_ones_in_gbk_are_read_as_chinese_not_japanese():
    content = HEADER + HUANAN_GBK + b",320,1800\n" + SHAOXING_GBK + b",540,2400\n" + LATIN
    read = read_upload(content, "firms.csv")
    assert read.table["firm"].tolist()[:3] == [
        "华南纺织厂",
        "绍兴印染有限公司",
        "Minh Long Garments",
    ]
    assert "read as Chinese, simplified (GB18030) text" in read.notes[0]


def test_one_chinese_name_among_latin_ones_in_gbk_is_read_as_chinese_not_korean():
    content = HEADER + HUANAN_GBK + b",320,1800\n" + LATIN
    assert firm_names(content)[:2] == ["华南纺织厂", "Minh Long Garments"]


@pytest.mark.parametrize(
    ("names", "encoding"),
    [
        (["株式会社やまと染工", "東洋テキスタイル", "さくら織物"], "cp932"),
        (["대구염색산업단지", "한국섬유"], "cp949"),
        (["台灣紡織股份有限公司", "彰化染整廠"], "big5"),
        (["鑫达印染有限公司", "华南纺织（集团）有限公司"], "gb18030"),
    ],
)
def test_names_in_an_east_asian_windows_encoding_among_latin_ones_are_read_as_written(
    names, encoding
):
    content = HEADER + b"".join(n.encode(encoding) + b",320,1800\n" for n in names) + LATIN
    assert firm_names(content)[: len(names) + 1] == [*names, "Minh Long Garments"]


def test_thai_and_vietnamese_from_windows_are_read_as_written():
    thai = (
        b"\xe2\xc3\xa7\xa7\xd2\xb9\xb7\xcd\xbc\xe9\xd2\xca\xc1\xd8\xb7\xc3\xbb\xc3\xd2\xa1\xd2"
        b"\xc3,320,1800\n\xe2\xc3\xa7\xc2\xe9\xcd\xc1\xba\xd2\xa7\xbb\xd9,540,2400\n"
    )
    assert firm_names(HEADER + thai + LATIN)[:2] == ["โรงงานทอผ้าสมุทรปราการ", "โรงย้อมบางปู"]
    # Windows-1258 writes a tone mark after its vowel (\xf2: dot below, \xcc: grave)
    vietnamese = (
        b"D\xea\xf2t may Ph\xfa Thi\xf2nh,320,1800\nNhu\xf4\xf2m Ho\xcca Bi\xccnh,540,2400\n"
    )
    assert firm_names(HEADER + vietnamese + LATIN)[:2] == ["Dệt may Phú Thịnh", "Nhuộm Hòa Bình"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("ｻｪﾄﾏｷﾄﾖｯｳｧ", "cp932"),  # half-width katakana: 华南纺织厂 read as Japanese
        ("빽켓렬廉낍", "cp949"),  # Hangul and a Chinese character in one word
        ("범ㅖ촚얇펤", "cp949"),  # a lone Hangul letter among syllables
        ("»ªÄÏ·ÄÖ¯³§", "cp1252"),  # symbols and accented letters in a row
        ("ปชฤฯทฤึฏณง", "cp874"),  # a Thai vowel mark on a vowel
        ("Vi華t", "gb18030"),  # a Chinese character inside an English word
    ],
)
def test_readings_no_one_writes_are_garbled(text, encoding):
    assert oddities(f"{text},320,1800", encoding).garbled == (text,)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("华南纺织（集团）有限公司", "gb18030"),
        ("㈱ヤマト染工", "cp932"),
        ("㈜부산염색", "cp949"),
        ("แหลมฉบัง", "cp874"),
        ("Nguyễn Trường", "cp1258"),
        ("Café Müller (m³/day)", "cp1252"),
    ],
)
def test_names_as_people_write_them_are_not_garbled(text, encoding):
    assert oddities(f"{text},320,1800", encoding).garbled == ()


def test_a_chinese_reading_of_rare_characters_loses_to_one_of_common_ones():
    # 华南 in GB18030 is two of GB2312's 3,755 common characters; read as Big5, the bytes
    # give '貌鰍', the second outside Big5's 5,401 frequent characters
    assert oddities("华南纺织厂", "gb18030").uncommon == 0
    assert oddities(HUANAN_GBK.decode("big5"), "big5").uncommon > 0


def test_a_file_two_encodings_read_sensibly_is_refused_when_nothing_ranks_them(monkeypatch):
    # with no ranking from charset_normalizer, a Chinese and a Thai reading that are both
    # sensible text leave the names to a guess: refused, with how to save as UTF-8
    monkeypatch.setattr(text_encodings, "from_bytes", lambda *a, **k: [])
    content = HEADER + "广东省".encode("gb18030") + b",320,1800\n" + LATIN
    readings = {r.encoding: r.text.splitlines()[1] for r in choose_reading(content).readings}
    assert readings == {"gb18030": "广东省,320,1800", "cp874": "นใถซสก,320,1800"}
    with pytest.raises(UploadError) as caught:
        read_upload(content, "firms.csv")
    (problem,) = caught.value.problems
    assert "in more than one of them (Chinese, simplified (GB18030) or Thai (Windows-874))" in (
        problem
    )
    assert problem.endswith(
        "Save it again as UTF-8: in Excel, use File > Save As and choose 'CSV UTF-8 (Comma "
        "delimited)' or 'Excel Workbook (.xlsx)'"
    )


def test_a_file_no_encoding_reads_sensibly_is_refused_not_read_letter_by_letter():
    content = HEADER + b"A\x80\x80\x80B,320,1800\n"  # €€€ inside a name, in any reading
    assert choose_reading(content) == Ambiguous(())
    with pytest.raises(UploadError, match="none of them reads its letters as sensible text"):
        read_upload(content, "firms.csv")


def test_the_reading_charset_normalizer_ranks_first_is_kept_when_it_is_sensible():
    content = HEADER + "서울특별시".encode("cp949") + b",320,1800\n" + LATIN
    reading = choose_reading(content)
    assert isinstance(reading, Reading) and reading.encoding == "cp949"
