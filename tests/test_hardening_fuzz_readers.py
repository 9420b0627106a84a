"""Fuzzing the readers promiselint owns (issue 9): bytes -> text, and .po, .csv and
.json text -> findings.  No input raises, hangs, or yields a finding whose text is
not the file's text at its offsets.  Budget: a few hundred examples in all."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import promiselint
from promiselint.core.errors import SkipFile
from promiselint.read.reader import decode_bytes
from promiselint.core.sourcemap import line_col, line_starts

PIECES = ["msgid ", "msgstr ", "msgstr[0] ", '"', "\\", '\\"', "\n", "\r\n", "\r", ",", ";", "{", "}", "[", "]",
          ":", "\\u", "d83d", "dc00", "\u0085", "\u2028", "\u200c", "\u200f", " ", "#~ ", "# ", "msgid_plural ",
          "fastest", "الأرخص", "سریع‌ترین", "&amp;", "<b>", "</b>", "<!--", "1", "%", "title,description\n"]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=30).map("".join)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _consistent(result, text: str) -> None:
    starts = line_starts(text)
    for f in result.findings:
        assert 0 <= f.offset <= f.end_offset <= len(text)
        assert text[f.offset:f.end_offset] == f.text
        assert (f.line, f.column) == line_col(starts, f.offset)


@pytest.mark.parametrize("fmt", ["po", "csv", "json"])
@FAST
@given(text=texts)
def test_readers_never_raise_and_findings_point_at_the_file(fmt, text):
    _consistent(promiselint.check_text(text, format=fmt), text)


@FAST
@given(data=st.binary(max_size=200) | texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decoding_never_raises_but_skip(data):
    try:
        text, encoding, notice = decode_bytes(data, "x")
    except SkipFile:
        return
    assert isinstance(text, str) and encoding
    assert notice is None or "\n" not in notice
