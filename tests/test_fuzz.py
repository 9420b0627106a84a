"""Fuzzing every reader and the whole pipeline (strategies in tests/strategies.py).

For txt, md, html, json, po and csv files of ar/fa/en copy with ZWNJ, bidi
marks, entities, escapes, presentation forms and mixed line endings:
- parsing and checking never raise;
- every character of every block maps to a span of the file that encodes it
  (itself, an entity, an escape, a line break), spans in order;
- every finding's text is file_text[offset:end_offset], never starts or ends
  with white space, and its lines and columns agree with its offsets, lines
  ending at LF, CRLF or a lone CR.
The budget is bounded (EXAMPLES per format) so the file runs in well under a minute.
"""
from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings

import promiselint
from promiselint.formats import parse

from .strategies import FILES

EXAMPLES = 60  # per format


def _decodings(raw: str) -> set[str]:
    """What a piece of a file may stand for: itself, an HTML reference, a JSON,
    C or Markdown escape, a CSV doubled quote, a line break."""
    out = {raw, html.unescape(raw), raw.replace('""', '"')}
    if raw.startswith("\\") and len(raw) == 2:
        out |= {raw[1], {"n": "\n", "r": "\r", "t": "\t"}.get(raw[1], raw[1])}
        try:
            out.add(json.loads(f'"{raw}"'))
        except ValueError:
            pass
    if raw.startswith("\\u"):
        try:
            out.add(json.loads(f'"{raw}"'))
        except ValueError:
            pass
    if raw in ("\n", "\r\n", "\r"):
        out.add("\n")
    return out


def assert_blocks_map_back(text: str, fmt: str) -> None:
    doc = parse(text, fmt, f"fuzz.{fmt}")
    for block in doc.blocks:
        mapped = block.text
        previous = 0
        for i, ch in enumerate(mapped.text):
            a, b = mapped.source_span(i, i + 1)
            assert 0 <= a <= b <= len(text), (fmt, block.role, i, a, b)
            if a == b or (text[a] == "<" and ch != "<"):  # a separator between placed words, a <br>
                assert ch.isspace(), (fmt, ch, text[a:b])
                continue
            assert any(ch in d for d in _decodings(text[a:b])), (fmt, block.role, ch, text[a:b])
            assert a >= previous or fmt in ("json", "po", "csv"), (fmt, "spans out of order", a, previous)
            previous = a


def expected_line_col(text: str, offset: int) -> tuple[int, int]:
    breaks = [m.end() for m in re.finditer(r"\r\n?|\n", text[:offset])]
    return len(breaks) + 1, offset - (breaks[-1] if breaks else 0) + 1


def assert_findings_point_at_the_file(text: str, fmt: str) -> None:
    result = promiselint.check_text(text, format=fmt, filename=f"fuzz.{fmt}")
    for f in result.findings:
        assert 0 <= f.offset <= f.end_offset <= len(text), f
        assert f.text == text[f.offset:f.end_offset]
        if f.category != "disclosure" and f.text:
            assert not f.text[0].isspace() and not f.text[-1].isspace(), (fmt, f.rule, f.text)
        assert (f.line, f.column) == expected_line_col(text, f.offset), (fmt, f.rule, f.text)
        assert (f.end_line, f.end_column) == expected_line_col(text, f.end_offset), (fmt, f.rule)
    assert json.loads(json.dumps(result.to_dict(), ensure_ascii=False))  # reportable as JSON


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_readers_and_pipeline_hold_their_invariants(fmt):
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(FILES[fmt])
    def run(text):
        assert_blocks_map_back(text, fmt)
        assert_findings_point_at_the_file(text, fmt)

    run()


@pytest.mark.parametrize("text, fmt, word", [
    ("ارسال سریع&zwnj;ترین در ایران", "md", "سریع&zwnj;ترین"),
    ("The fastest\\! charger", "md", "fastest"),
    ("الأرخص\\. في المملكة", "md", "الأرخص"),
    ("The fastest&#33; charger", "md", "fastest"),
    ("<p>&amp100% the fastest charger</p>", "html", "fastest"),
    ("intro\rThe fastest charger in town\rthe end", "txt", "fastest"),
    ("intro\r\rThe fastest charger in town", "md", "fastest"),
    ("<p>intro</p>\r<p>The fastest charger in town</p>", "html", "fastest"),
])
def test_cases_the_fuzzing_found(text, fmt, word):
    """Each was lost or misplaced once: a word with an entity or escape in Markdown,
    a lone CR (every finding on line 1), an entity without semicolon."""
    result = promiselint.check_text(text, format=fmt)
    [hit] = [f for f in result.findings if f.text == word]
    at = text.index(word)
    assert hit.offset == at
    assert (hit.line, hit.column) == expected_line_col(text, at)
    assert_findings_point_at_the_file(text, fmt)


def test_entity_without_semicolon_maps_to_its_own_characters():
    from promiselint.formats.entities import unescape_mapped

    m = unescape_mapped("&amp100%", 10)
    assert m.text == "&100%"
    assert [m.source_span(i, i + 1) for i in range(len(m.text))] == [(10, 14), (14, 15), (15, 16), (16, 17), (17, 18)]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_arabic_and_persian_lines_are_told_apart_whatever_the_line_end(end):
    text = "متجرنا الأرخص في المملكة" + end + "سریع‌ترین ارسال در کل کشور"
    found = {(f.text, f.language, f.line) for f in promiselint.check_text(text).findings}
    assert {("الأرخص", "ar", 1), ("سریع\u200cترین", "fa", 2)} <= found
