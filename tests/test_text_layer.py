"""The per-page text layer's short cuts agree with their definitions, and do the work they claim.

Sentence regexes are written to start with a character or a class (re skips
ahead to it); each must find what its first, look-behind form found.  Folding
translates by replacing the few table characters a text holds; it must equal
str.translate with the table for every code point.  Reading, decoding and the
HTML builder are checked by counting work, never by timing it.
"""
from __future__ import annotations

import os
import random
import re

from promiselint.formats import html as html_format
from promiselint.formats.html import parse_html
from promiselint.read import reader
from promiselint.text import sentences as sent
from promiselint.text.normalize import _LISTS, fold, translate

# the first forms of the sentence regexes (a sentence end after a mark; an ambiguous
# period; an abbreviation at the end of a span)
SENTENCE_END = re.compile(r"(?<=[.!?؟؛;])\s+|(?<=[!?؟])(?=\S)")
AMBIGUOUS = re.compile(r"(?:(?:\b[^\W\d]\.){2,}|\b(?:[^\W\d]|no|nr|dr|mr|mrs|ms|st|vs|inc|ltd|co|"
                       r"approx|etc|fig|min|max|jr|sr|dept|ca|ref|tel|ext)\.)\s+\w")
ABBREVIATION = re.compile(r"(?:\b(?:no|nr|dr|mr|mrs|ms|st|vs|approx|etc|inc|ltd|co|fig|ref|tel|ext)\.|"
                          r"(?:\b[^\W\d]\.){2,})\s*$")
PIECES = list("ab.!?؟؛; \n\t1_éس|/·") + ["no", "approx", "u.s.", "e.g.", "co.", " x", "\xa0", "\u2003",
                                          "dept", "mrs", "No. 5", "ج.م.ع."]


def _split_by_definition(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in SENTENCE_END.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return spans


def test_sentence_regexes_find_what_their_first_forms_found():
    rng = random.Random(7)
    for _ in range(40_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert sent._split_regex(text, start, end) == _split_by_definition(text, start, end), (text, start, end)
        assert sent.ambiguous(text) == (AMBIGUOUS.search(text) is not None), text
        assert sent._ends_in_abbreviation(text, start, end) == (
            ABBREVIATION.search(text, max(start, end - 64), end) is not None), (text, start, end)


def test_translate_equals_the_table_for_every_code_point():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for lang in ("ar", "fa", "en"):
        table = _LISTS.get(lang, _LISTS["ar"])
        assert translate(everything, lang) == everything.translate(table)
        assert translate("Mixed ASCII Only", lang) == "mixed ascii only"


def test_fold_of_ascii_is_its_lower_case_with_the_identity_map():
    m = fold("The FASTEST Kettle", "en")
    assert (m.text, m.pos, m.base) == ("the fastest kettle", None, 0)


def test_a_file_is_read_in_one_piece(tmp_path, monkeypatch):
    path = tmp_path / "big.html"
    data = b"<p>fastest kettle</p>\n" * 150_000  # 3.3 MB
    path.write_bytes(data)
    reads = []
    real_read = os.read
    monkeypatch.setattr(reader.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    assert reader.read_bytes(path) == data
    assert len(reads) == 2  # the file, then the end of it


class _Counted(frozenset):
    """A set that counts membership tests."""

    tests = 0

    def __contains__(self, item):
        type(self).tests += 1
        return super().__contains__(item)


def test_utf8_without_nul_bytes_skips_the_utf16_test(monkeypatch):
    monkeypatch.setattr(reader, "_UTF16_HIGH", _Counted(reader._UTF16_HIGH))
    text, encoding, _ = reader.decode_bytes("الأسرع في المملكة — best".encode() * 500)
    assert encoding == "utf-8" and _Counted.tests == 0
    _, encoding, _ = reader.decode_bytes("fastest kettle".encode("utf-16-le") * 50)
    assert encoding == "utf-16-le" and _Counted.tests > 0  # (the test itself still runs where it may)


def test_a_repeated_start_tag_is_read_once_and_the_readings_kept_are_bounded(monkeypatch):
    searched = []
    hint = html_format._MAPPED_HINT
    monkeypatch.setattr(html_format, "_MAPPED_HINT", type("H", (), {
        "search": staticmethod(lambda raw: searched.append(raw) or hint.search(raw))}))
    cards = '<section class="product"><h2>kettle</h2><p>The fastest kettle.</p></section>\n' * 2000
    doc = parse_html(f"<html><body>{cards}</body></html>", "p.html")
    assert len(doc.blocks) == 4000
    assert searched == ['<section class="product">']
    page = html_format._Page("")
    many = "".join(f'<p class="c{i}">x</p>' for i in range(3 * html_format._TAGS_KEPT))
    html_format.scan(many, page)
    assert len(page.tags) == html_format._TAGS_KEPT
    assert len(page.doc.blocks) == 3 * html_format._TAGS_KEPT
