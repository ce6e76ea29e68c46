"""Which older Windows encoding a text file that is not UTF-8 was saved in, judged by its
letters.

Excel's plain "CSV (Comma delimited)" is saved in the encoding of the computer's language
(:data:`WINDOWS_ENCODINGS`). The same bytes often read without error in several of them,
and on a few names charset_normalizer can rank first a reading that nobody writes: two
Chinese names from a GBK file read as Japanese half-width katakana ('ｻｪﾄﾏｷﾄﾖｯｳｧ'), one
read as Korean syllables mixed with a Chinese character in one word ('빽켓렬廉낍'). So every
reading is also judged as text (:func:`oddities`):

- a reading is **garbled** when a word in it holds what no text of its kind holds: a control
  or private-use character; half-width katakana (Excel on a Japanese computer writes
  full-width ones); kana in a Chinese reading; Hangul mixed with Chinese characters or kana,
  or a lone Hangul letter (ㅖ) among syllables; Chinese characters, kana or Hangul mixed with
  accented Latin, Greek or Cyrillic letters or a symbol; one Chinese character, kana, Hangul
  or Thai letter between two English letters, or one English letter between two of them
  ('Vi華t'); Thai written in an order Thai is never written in (a vowel mark on no
  consonant, a tone mark on no consonant or vowel mark, a vowel written before a consonant
  with none after it, a Thai digit inside a word) or mixed with other non-English letters;
  in a Western or Vietnamese reading, three letters in a row that are not English ones
  (Vietnamese writes at most two: 'ươ'), a symbol (§, ³, ¯) beside such a letter, or a
  tone mark left on no vowel;
- a reading also counts its **uncommon** characters: for Chinese, Japanese and Korean,
  those outside its standard's common set (GB2312's 3,755 first-level characters, Big5's
  5,401 frequent ones, JIS level 1 kanji with kana, KS X 1001's 2,350 Hangul syllables);
  for Western European, the letters Western languages hardly use where Windows-1258 has
  Vietnamese ones (Ì, Ò, Þ, ì, ò, þ, Ð, ð, Ý, ý). Text read in its own encoding has few of
  them, text read in another of its family many.

:func:`choose_reading` drops the garbled readings, and those with more uncommon characters
than another of their family (Chinese, Japanese and Korean; Western and Vietnamese). It
keeps charset_normalizer's choice if that is left; else the one that is left, if those left
all say the same. When none is left, or several that say different things, the file is
refused, with how to save it as UTF-8, rather than read with garbled names. (Where several
readings are sensible, charset_normalizer's choice decides: Korean syllables and common
Chinese characters share many byte pairs, and only the frequency of words tells them apart.)

>>> reading = choose_reading("华南纺织厂,320\\n".encode("gb18030") + b"Kim Son Denim,600\\n")
>>> reading.encoding, reading.text.splitlines()[0]
('gb18030', '华南纺织厂,320')
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

# What Excel writes as "CSV (Comma delimited)" on a computer set up for each of these, the
# encodings a file that is not UTF-8 is likely to be in here
WINDOWS_ENCODINGS = {
    "cp1252": "Western European (Windows-1252)",
    "gb18030": "Chinese, simplified (GB18030)",
    "big5": "Chinese, traditional (Big5)",
    "cp932": "Japanese (Shift-JIS)",
    "cp949": "Korean (Windows-949)",
    "cp874": "Thai (Windows-874)",
    "cp1258": "Vietnamese (Windows-1258)",
}
CJK_ENCODINGS = ("gb18030", "big5", "cp932", "cp949")
# the encodings whose readings are compared by their uncommon characters
_FAMILY = dict.fromkeys(CJK_ENCODINGS, "cjk") | {"cp1252": "latin", "cp1258": "latin"}
_FAMILY["cp874"] = "thai"

MAX_WORDS = 2_000  # the words judged in each reading: enough to tell, quick on a large file
# scripts that a word does not mix with English letters inside it
_SCRIPTS_APART = frozenset({"han", "kana", "hangul", "thai"})
# a word: what lies between spaces and a CSV file's separators and quotes
_WORDS = re.compile(r"[^\s,;|\"']+")

# Thai: consonants (not the vowels ฤ and ฦ); vowels written over or under a consonant, and
# tone marks written after them; vowels written before a consonant; and letters and signs
# modern Thai does not use (ฃ, ฅ, ๏, ๚, ๛)
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F)) - {"ฤ", "ฦ"}
_THAI_VOWEL_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a")
_THAI_TONE_MARKS = frozenset(chr(c) for c in range(0x0E47, 0x0E4F))
_THAI_BEFORE = frozenset("เแโใไ")
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_NUMERALS = _THAI_DIGITS + "0123456789.,"  # what a Thai digit may stand beside
_THAI_UNUSED = frozenset("ฃฅ๏๚๛")


@dataclass(frozen=True)
class Reading:
    """A file's text as read in ``encoding`` (one of :data:`WINDOWS_ENCODINGS`)."""

    encoding: str
    text: str

    @property
    def kind(self) -> str:
        """The encoding in words: 'Chinese, simplified (GB18030)'."""
        return WINDOWS_ENCODINGS[self.encoding]


@dataclass(frozen=True)
class Ambiguous:
    """No reading can be trusted: ``readings`` are those that are plausible text (none,
    or several that say different things)."""

    readings: tuple[Reading, ...]


def _script(char: str) -> str:
    """What kind of character ``char`` is, for judging a word."""
    code = ord(char)
    if code < 0x80:
        return "ascii"
    if 0xFF61 <= code <= 0xFF9F:
        return "halfkana"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7A3:
        return "hangul"
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "jamo"
    if 0x3200 <= code <= 0x33FF:  # ㈱, ㈜, ㎥: written in Japanese, Korean, Chinese names
        return "cjk-sign"
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cn", "Cs") or char == "\ufffd":
        return "control"
    name = unicodedata.name(char, "")
    if name.startswith("CJK") or 0xF900 <= code <= 0xFAFF:
        return "han" if category == "Lo" else "cjk-punctuation"
    if 0xFF01 <= code <= 0xFF5E or (0x3000 <= code <= 0x303F and category != "So"):
        return "cjk-punctuation"  # full-width letters and digits, 、。「」々
    if category == "Mn":
        return "mark"
    if char in "ªº":
        return "symbol"
    if category.startswith("L"):
        if name.startswith("LATIN"):
            return "latin"
        if name.startswith(("GREEK", "CYRILLIC")):
            return "greek-cyrillic"
        return "letter" if category == "Lo" else "symbol"  # µ and ˆ are symbols
    if category in ("Pi", "Pf", "Ps", "Pe", "Pd") and char not in "«»‹›":
        return "bracket"
    return "symbol"  # §, ³, ¯, ·, ¿, µ, box drawing, arrows, ...


def _thai_garbled(word: str) -> bool:
    """Whether a word's Thai is written in an order Thai is never written in."""
    consonant_or_vowel = _THAI_CONSONANTS | _THAI_VOWEL_MARKS
    consonant_or_tone = _THAI_CONSONANTS | _THAI_TONE_MARKS
    for i, char in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        wrong = (
            char in _THAI_UNUSED
            or (char in _THAI_VOWEL_MARKS and before not in _THAI_CONSONANTS)
            or (char in _THAI_TONE_MARKS and before not in consonant_or_vowel)
            or (char == "\u0e33" and before not in consonant_or_tone)  # sara am
            or (char in "\u0e30\u0e32\u0e45" and _script(before or "a") != "thai")
            # (เเ, typed for แ, is a common slip)
            or (char in _THAI_BEFORE and after not in _THAI_CONSONANTS and char + after != "เเ")
            or (char in _THAI_DIGITS and bool((before + after).strip(_NUMERALS)))
        )
        if wrong:
            return True
    return False


def _word_garbled(word: str, encoding: str) -> bool:
    scripts = [_script(c) for c in word]
    kinds = set(scripts) - {"ascii"}
    if not kinds:
        return False
    if kinds & {"control", "halfkana"}:
        return True
    for i in range(1, len(word) - 1):  # one script inside a word of another: 'Vi華t', 'ซnจ'
        inside, around = scripts[i], {scripts[i - 1], scripts[i + 1]}
        if inside in _SCRIPTS_APART and around == {"ascii"} and word[i - 1 : i + 2 : 2].isalpha():
            return True
        if word[i].isascii() and word[i].isalpha() and around <= _SCRIPTS_APART:
            return True
    east_asian = kinds & {"han", "kana", "hangul", "jamo"}
    if "kana" in kinds and encoding in ("gb18030", "big5"):
        return True
    if "hangul" in kinds and kinds & {"han", "kana", "jamo"}:
        return True
    if east_asian and kinds & {"latin", "greek-cyrillic", "symbol", "mark", "thai", "letter"}:
        return True
    if "thai" in kinds:
        return bool(kinds - {"thai", "bracket"}) or _thai_garbled(word)
    if east_asian or kinds <= {"cjk-sign", "cjk-punctuation", "bracket"}:
        return False
    # a Western or Vietnamese reading
    if "mark" in kinds or kinds & {"greek-cyrillic", "letter"}:
        return True
    inner = range(1, len(word) - 1)
    scripts = [
        "symbol" if s == "bracket" and i in inner and word[i] not in "-–" else s
        for i, s in enumerate(scripts)
    ]
    run = 0
    for i, script in enumerate(scripts):
        run = run + 1 if script not in ("ascii", "bracket") else 0
        if run >= 3:
            return True
        if script == "symbol" and (
            (i and scripts[i - 1] not in ("ascii", "bracket"))
            or (i + 1 < len(scripts) and scripts[i + 1] not in ("ascii", "bracket"))
        ):
            return True
    return False


def _common(char: str, encoding: str) -> bool:
    """Whether a character is common in text read in ``encoding``: a Chinese character,
    kana or Hangul syllable in the common set of the standard the encoding extends (GB2312
    level 1, Big5 frequent, JIS level 1, KS X 1001), a Western letter other than those
    where Windows-1258 has Vietnamese letters and tone marks."""
    if encoding == "cp1252":
        return char not in "ÌÒÞìòþÐðÝý"
    script = _script(char)
    if script not in ("han", "kana", "hangul"):
        return True
    base = {"gb18030": "gb2312", "big5": "big5", "cp932": "shift_jis", "cp949": "euc_kr"}
    try:  # (Python's EUC-KR writes a syllable outside KS X 1001 as 8 bytes)
        encoded = char.encode(base[encoding])
    except UnicodeEncodeError:
        return False
    code = int.from_bytes(encoded, "big") if len(encoded) == 2 else 0
    if encoding == "gb18030":
        return 0xB0A1 <= code <= 0xD7FE
    if encoding == "big5":
        return 0xA440 <= code <= 0xC67E
    if encoding == "cp932":
        return script == "kana" or 0x889F <= code <= 0x9872
    return script == "hangul" and 0xB0A1 <= code <= 0xC8FE  # Hanja are uncommon in Korean


@dataclass(frozen=True)
class Oddities:
    """What is odd in a reading: its ``garbled`` words, and the number of ``uncommon``
    characters in the others (each word counted once)."""

    garbled: tuple[str, ...]
    uncommon: int


def oddities(text: str, encoding: str) -> Oddities:
    """What is odd in ``text`` read in ``encoding`` (see the module's description).

    >>> oddities("ｻｪﾄﾏｷﾄﾖｯｳｧ,320", "cp932").garbled
    ('ｻｪﾄﾏｷﾄﾖｯｳｧ',)
    >>> oddities("华南纺织厂,320", "gb18030")
    Oddities(garbled=(), uncommon=0)
    """
    garbled, uncommon = [], 0
    words = dict.fromkeys(w for w in _WORDS.findall(text) if not w.isascii())
    for word in itertools.islice(words, MAX_WORDS):
        if _word_garbled(word, encoding):
            garbled.append(word)
        else:  # each name once, however many rows repeat it
            uncommon += sum(not _common(c, encoding) for c in word)
    return Oddities(tuple(garbled), uncommon)


def choose_reading(content: bytes) -> Reading | Ambiguous:
    """The reading of ``content`` (bytes that are not UTF-8) to use, or :class:`Ambiguous`
    when none can be trusted (see the module's description)."""
    ranked = [m.encoding for m in from_bytes(content, cp_isolation=list(WINDOWS_ENCODINGS))]
    first = ranked[0] if ranked else None
    readings: dict[str, Reading] = {}
    for encoding in dict.fromkeys([*ranked, *WINDOWS_ENCODINGS]):
        if encoding not in WINDOWS_ENCODINGS:
            continue
        try:  # Windows-1258 writes a tone mark as a letter of its own after its vowel
            text = unicodedata.normalize("NFC", content.decode(encoding))
        except UnicodeDecodeError:
            continue
        readings[encoding] = Reading(encoding, text)
    odd = {e: oddities(r.text, e) for e, r in readings.items()}
    plausible = [e for e in readings if not odd[e].garbled]
    fewest = {}  # in each family of encodings, the fewest uncommon characters read
    for encoding in plausible:
        family = _FAMILY[encoding]
        fewest[family] = min(fewest.get(family, odd[encoding].uncommon), odd[encoding].uncommon)
    plausible = [e for e in plausible if odd[e].uncommon == fewest[_FAMILY[e]]]
    if plausible and (plausible[0] == first or len({readings[e].text for e in plausible}) == 1):
        return readings[plausible[0]]
    return Ambiguous(tuple(readings[e] for e in plausible))


__all__ = ["WINDOWS_ENCODINGS", "Ambiguous", "Reading", "choose_reading", "oddities"]
