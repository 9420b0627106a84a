"""Finding is compact (a shared kind, a length, line and column from the file's line starts),
yet every public field reads and writes as the plain attribute it was, for every caller:
reporters, cache, baseline, LSP, catalog, service."""
from __future__ import annotations

import copy
import pickle

import pytest

from promiselint.core.findings import FileResult, Finding, locate
from promiselint.project.cache import result_from_dict

TEXT = "first line\nThe fastest kettle.\r\nلأسرع شحن"


def _made(**over) -> Finding:
    args = dict(rule="superlative.unverified", category="superlative", severity="error",
                message="«fastest» needs evidence", offset=15, end_offset=22, text="", language="en",
                suggestion="Say fast.", replacement="fast")
    args.update(over)
    return Finding(**args)


def test_fields_read_back_as_given():
    f = _made(line=2, column=5, end_line=2, end_column=12, context="a.b", value={"hours": 24})
    assert (f.rule, f.category, f.severity, f.message, f.language) == (
        "superlative.unverified", "superlative", "error", "«fastest» needs evidence", "en")
    assert (f.offset, f.end_offset, f.text, f.suggestion, f.replacement) == (15, 22, "", "Say fast.", "fast")
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 5, 2, 12)
    assert (f.context, f.value) == ("a.b", {"hours": 24})
    bare = Finding("input.invalid", "input", "error", "bad", 0, 0, "", None)
    assert (bare.line, bare.column, bare.context, bare.value, bare.suggestion, bare.language) == (0, 0, None, None,
                                                                                                   None, None)


def test_each_field_is_set_alone():
    f, other = _made(), _made()
    f.severity = "warning"
    f.message = "changed"
    assert (f.severity, f.message, f.rule) == ("warning", "changed", "superlative.unverified")
    assert (other.severity, other.message) == ("error", "«fastest» needs evidence")  # the kind is shared, not changed
    f.offset = 10  # the end stays where it was
    assert (f.offset, f.end_offset) == (10, 22)
    f.end_offset = 30
    assert (f.offset, f.end_offset) == (10, 30)
    f.line, f.column = 3, 4
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 4, 0, 0)
    f.value = {"days": 2}
    assert (f.context, f.value) == (None, {"days": 2})
    f.value = None
    assert (f.context, f.value) == (None, None)


def test_located_lines_and_columns_follow_the_offsets():
    f = _made()
    point = Finding("disclosure.contact", "disclosure", "warning", "no contact", len(TEXT), len(TEXT), "", "en")
    locate(TEXT, [f, point])
    assert f.text == "fastest" == TEXT[f.offset:f.end_offset]
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 5, 2, 12)
    assert (point.line, point.column) == (3, 10)  # after CRLF, the last column + 1
    arabic = TEXT.index("شحن")
    f.offset, f.end_offset = arabic, arabic + 3  # moved (as the LSP does), then located again
    locate(TEXT, [f])
    assert (f.text, f.line, f.column, f.end_column) == ("شحن", 3, 7, 10)


def test_to_dict_and_the_cache_round_trip():
    f = _made(context="name", value={"hours": 24})
    locate(TEXT, [f])
    d = f.to_dict()
    assert d == {"rule": "superlative.unverified", "category": "superlative", "severity": "error",
                 "message": "«fastest» needs evidence", "line": 2, "column": 5, "end_line": 2,
                 "end_column": 12, "offset": 15, "end_offset": 22, "text": "fastest", "language": "en",
                 "suggestion": "Say fast.", "key": "name", "value": {"hours": 24}, "replacement": "fast"}
    assert list(d)[:13] == ["rule", "category", "severity", "message", "line", "column", "end_line",
                            "end_column", "offset", "end_offset", "text", "language", "suggestion"]
    back = result_from_dict(FileResult("a.txt", "en", [f], TEXT).to_dict(), text=TEXT).findings[0]
    assert back == f and back.to_dict() == d


@pytest.mark.parametrize("clone", [copy.copy, lambda f: pickle.loads(pickle.dumps(f))],
                         ids=["copy", "pickle (results from worker processes)"])
def test_copies_are_equal_and_independent(clone):
    f = _made(context="k")
    locate(TEXT, [f])
    g = clone(f)
    assert g == f and repr(g) == repr(f) and g is not f
    g.offset = 0
    assert f.offset == 15 and g != f
    assert f != "not a finding" and _made() != _made(severity="info")
    with pytest.raises(TypeError):
        hash(f)  # mutable: not hashable, as the dataclass was


def test_equal_kinds_are_one_object():
    a, b = (_made(message=f"«{w}est» needs evidence") for w in ("fast", "fast"))
    assert a._kind is b._kind and a.message is b.message
    c = _made(severity="warning")
    assert c.message is a.message and c.rule is a.rule
