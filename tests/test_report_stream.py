"""Reports are written piece by piece (issue #10): the same bytes as the whole
documents they replace, a small memory peak however many findings, and
compact findings.  Memory is measured with tracemalloc, never timed."""
from __future__ import annotations

import gc
import json
import sys
import tracemalloc
from pathlib import Path

import pytest

import promiselint
from promiselint.core.findings import FileResult, Finding, locate
from promiselint.core.settings import Settings
from promiselint.project.api import linter_for
from promiselint.report import chunks, codequality, jsonout, render, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import pages  # noqa: E402  (bench/pages.py: generated copy, no corpus text)

FORMATS = ("text", "json", "sarif", "github", "codequality")


@pytest.fixture(scope="module")
def results() -> list[FileResult]:
    """Findings of several kinds: three languages, a key path, a value, a notice, control characters."""
    return [
        promiselint.check_text("The fastest kettle.\tDelivered within 24 hours, guaranteed!\n\x1b[2K Rated #1.\n",
                               filename="a.txt"),
        promiselint.check_text('{"title": "الأرخص في المملكة", "body": "سریع‌ترین ارسال ۲۴ ساعته"}',
                               format="json", filename="locale.json"),
        promiselint.check_text("<html lang=en><body><p>Best price, guaranteed.</p></body></html>",
                               format="html", filename="page.html"),
        FileResult("skipped.bin", None, [], "", notice="skipped.bin: binary file skipped"),
        promiselint.check_text("Plain copy, nothing to say.", filename="clean.txt"),
    ]


@pytest.fixture(scope="module")
def many() -> list[FileResult]:
    """One file with a finding every ~15 characters (bench's claims-back-to-back shape)."""
    return [promiselint.check_text(pages.shape_claims_back_to_back(30_000), filename="claims.txt")]


def test_streamed_reports_are_the_whole_documents_byte_for_byte(results):
    rules = linter_for(Settings()).all_rules
    assert any(f.context for r in results for f in r.findings)
    assert any(f.value for r in results for f in r.findings)
    for rs in (results, results[3:], []):
        assert render("json", rs) == json.dumps({"version": 1, "files": [r.to_dict() for r in rs],
                                                 "summary": jsonout.summary(rs)}, ensure_ascii=False) + "\n"
        assert render("codequality", rs) == json.dumps(codequality.issues(rs), ensure_ascii=False, indent=2) + "\n"
        sarif = render("sarif", rs, rules=rules)
        assert sarif == json.dumps(json.loads(sarif), ensure_ascii=False, indent=2) + "\n"
        doc = json.loads(sarif)
        assert len(doc["runs"][0]["results"]) == sum(len(r.findings) for r in rs)
        assert {d["id"] for d in doc["runs"][0]["tool"]["driver"]["rules"]} == {f.rule for r in rs for f in r.findings}


def test_text_report_lines_end_as_before(results):
    out = render("text", results)
    assert out.endswith("\n") and not out.endswith("\n\n\n")
    assert out.splitlines()[-1].startswith("5 file(s) checked:")
    assert "skipped.bin: binary file skipped" in out
    assert render("text", [FileResult("x.txt", "en", [], "")], quiet=True) == ""
    assert render("github", [FileResult("x.txt", "en", [], "")]) == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_streaming_peak_is_a_small_part_of_the_report(many, fmt):
    """Writing the report never holds it whole (before: the document plus its dicts);
    the text report holds one file's findings sorted by position."""
    rules = linter_for(Settings()).all_rules
    render(fmt, many, rules=rules)  # imports and caches outside the measure
    size = 0
    gc.collect()
    tracemalloc.start()
    for piece in chunks(fmt, many, rules=rules):
        size += len(piece)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert size > 200_000  # ~2000 findings
    assert peak < size / 2, (fmt, peak, size)


def test_findings_are_compact():
    """Held memory per finding on a file that repeats its claims (764 B before slots and sharing)."""
    promiselint.check_text("warm up. The fastest kettle.")
    source = pages.shape_claims_back_to_back(60_000)
    gc.collect()
    tracemalloc.start()
    result = promiselint.check_text(source, filename="claims.txt")
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(result.findings) > 3000
    assert (held - sys.getsizeof(result.text)) / len(result.findings) < 600


def test_locate_shares_equal_strings_and_interns_ids():
    source = "fastest! fastest! fastest!"
    findings = [Finding("superlative." + "unverified", "super" + "lative", "err" + "or", f"«{source[i:i + 7]}»",
                        i, i + 7, "", "e" + "n", "say fast") for i in (0, 9, 18)]
    locate(source, findings)
    a, b, c = findings
    assert a.text == "fastest" and a.text is b.text is c.text
    assert a.message is b.message and a.suggestion is c.suggestion
    assert a.rule is b.rule is sys.intern("superlative.unverified") and a.language is sys.intern("en")
    assert (b.line, b.column, b.end_column) == (1, 10, 17)
    assert not hasattr(a, "__dict__")  # slotted


def test_a_long_line_is_made_visible_once(monkeypatch):
    """The text report quoted the source line under each finding: on a one-line
    file of N characters with a finding every few, that was N x findings work."""
    result = promiselint.check_text(pages.shape_claims_back_to_back(20_000), filename="one-line.txt")
    assert len(result.findings) > 500 and "\n" not in result.text.strip()
    calls = []
    real = text.visible
    monkeypatch.setattr(text, "visible", lambda s: calls.append(len(s)) or real(s))
    out = render("text", [result])
    assert sum(1 for n in calls if n > 1000) == 1
    assert out.count("» ") == len(result.findings)  # each span quoted instead of the long line


def test_peak_memory_per_finding_while_linting():
    """The most memory a check holds at once, per finding, on a file of claims back to back
    (1,157 B before a repeated message was shared from the finding's creation on): findings
    are made while the block's own working data is alive, so their size sets the peak."""
    promiselint.check_text("warm up. The fastest kettle.")
    source = pages.shape_claims_back_to_back(60_000)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = promiselint.check_text(source, filename="claims.txt")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(result.findings) > 3000
    assert (peak - before - 2 * sys.getsizeof(source)) / len(result.findings) < 1000


def test_equal_messages_are_one_string_from_creation_and_the_table_stays_bounded():
    from promiselint.core import findings as module

    word = "fast"  # the strings below are made anew each time (not one constant)
    made = [Finding("superlative.unverified", "superlative", "error", f"«{word}est» needs evidence",
                    0, 7, "", "en", f"Say {word}.", replacement=f"{word}er") for _ in range(2)]
    a, b = made
    assert a.message == "«fastest» needs evidence" and a.message is b.message
    assert a.suggestion is b.suggestion and a.replacement is b.replacement
    for i in range(module._SHARED_MAX + 10):
        module.shared(f"message {i}")
    assert len(module._SHARED) <= module._SHARED_MAX  # forgotten all at once, not kept forever
