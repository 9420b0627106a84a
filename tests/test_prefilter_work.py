"""Work counts of the claim matcher per block (issue #10), never timed.

A block's folded text is scanned for anchors once per language; a text met
before (a site's nav, footer, repeated notes) is not scanned again, and its
languages are not detected again."""
from __future__ import annotations

import pytest

from promiselint.checks.linter import Linter
from promiselint.core.settings import Settings
from promiselint.match import prefilter
from promiselint.project.api import lint_text
from promiselint.text import language

NAV = "<nav><a href='/'>Home</a> | <a href='/shop'>Shop</a> | <a href='/faq'>الأسئلة الشائعة</a></nav>"
FOOT = "<footer><p>© Kettle Co. Free returns within 30 days. سریع‌ترین ارسال.</p></footer>"


def page(i: int) -> str:
    return (f"<html><body>{NAV}<h1>Kettle {i}</h1><p>The fastest kettle we sell, model {i}: "
            f"boils in {60 + i} seconds.</p><p>الأرخص في المملكة {i}</p>{FOOT}</body></html>")


@pytest.fixture
def counted(monkeypatch):
    monkeypatch.setenv("PROMISELINT_PREFILTER", "eager")
    counts = {"hits": 0, "detect": 0}
    real_hits, real_detect = prefilter.Prefilter.hits, language.detect

    def hits(self, text):
        counts["hits"] += 1
        return real_hits(self, text)

    def detect(*args, **kwargs):
        counts["detect"] += 1
        return real_detect(*args, **kwargs)

    monkeypatch.setattr(prefilter.Prefilter, "hits", hits)
    monkeypatch.setattr(language, "detect", detect)
    return counts


def test_a_repeated_block_is_scanned_and_detected_once(counted):
    linter = Linter(Settings())
    first = lint_text(linter, page(1), "html", "p1.html").findings
    scans, detections = counted["hits"], counted["detect"]
    assert first and scans and detections
    for i in range(2, 12):  # ten more pages: the same nav and footer, new copy
        found = lint_text(linter, page(i), "html", f"p{i}.html").findings
        assert [f.rule for f in found] == [f.rule for f in first]
    per_page_scans = (counted["hits"] - scans) / 10
    per_page_detections = (counted["detect"] - detections) / 10
    # only the blocks that differ (the heading and the two paragraphs) cost a scan
    # per language they are in; the nav and footer none
    assert per_page_scans <= 4, per_page_scans
    assert per_page_detections <= 2 + 1, per_page_detections  # (the page's own script_language)

