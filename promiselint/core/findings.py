"""Findings and per-file results: what every reporter consumes."""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field

from .sourcemap import line_col, line_starts

SEVERITIES = ("info", "warning", "error")
_DROP = re.compile("[\u064b-\u065f\u0670\u0640\u00ad\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"[\s\u200c]+")
_DIGITS = {**{0x660 + i: str(i) for i in range(10)}, **{0x6F0 + i: str(i) for i in range(10)}}


def severity_rank(severity: str) -> int:
    """info < warning < error; 'never' ranks above everything."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


_SHARED: dict[str, str] = {}
_SHARED_MAX = 4096  # strings kept for sharing (then forgotten all at once: memory stays bounded)


def shared(s: str) -> str:
    """One copy of recent equal strings: `s`, or an equal string seen before.
    (Not sys.intern: in Python 3.12 interned strings are never freed.)"""
    got = _SHARED.get(s)
    if got is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        got = _SHARED[s] = s
    return got


@dataclass(slots=True)
class Finding:
    """One finding.  Slotted, and its rule id, category, severity and language are
    interned: a file can hold a finding every few characters (issue #10's memory aim)."""

    rule: str
    category: str
    severity: str
    message: str
    offset: int
    end_offset: int
    text: str
    language: str
    suggestion: str | None = None
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    context: str | None = None  # key path (locale files), column, field
    value: dict | None = None  # structured data, e.g. a parsed delivery time
    replacement: str | None = None  # words that can replace `text` as they are (replacement.py)

    def __post_init__(self):
        # a small closed set (rule data): interning shares one copy, e.g. across cached results
        self.rule, self.category = sys.intern(self.rule), sys.intern(self.category)
        self.severity = sys.intern(self.severity)
        if self.language is not None:
            self.language = sys.intern(self.language)
        # a page that repeats a claim gets the same message again and again: one copy of it
        # from the start (not only once the file's findings are located)
        self.message = shared(self.message)
        if self.suggestion is not None:
            self.suggestion = shared(self.suggestion)
        if self.replacement is not None:
            self.replacement = shared(self.replacement)

    def to_dict(self) -> dict:
        d = {
            "rule": self.rule, "category": self.category, "severity": self.severity,
            "message": self.message, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column,
            "offset": self.offset, "end_offset": self.end_offset, "text": self.text,
            "language": self.language, "suggestion": self.suggestion,
        }
        if self.context:
            d["key"] = self.context
        if self.value:
            d["value"] = self.value
        if self.replacement:
            d["replacement"] = self.replacement
        return d


@dataclass
class FileResult:
    path: str
    language: str | None
    findings: list[Finding] = field(default_factory=list)
    text: str = ""
    notice: str | None = None  # e.g. "binary file skipped"
    page: bool | None = None  # the parsed document is a full page (owes disclosures); None: not parsed

    def to_dict(self) -> dict:
        d = {"path": self.path, "language": self.language,
             "findings": [f.to_dict() for f in self.findings]}
        if self.notice:
            d["notice"] = self.notice
        return d


def locate(text: str, findings: list[Finding]) -> None:
    """Fill each finding's text, line and column from its offsets into `text`.

    Equal texts, messages, suggestions, replacements and numbers of one file become one object
    each (a page that repeats a claim holds it once, not once per finding)."""
    starts = line_starts(text)
    shared: dict = {}
    one = shared.setdefault
    for f in findings:
        span = text[f.offset:f.end_offset]
        f.text, f.message = one(span, span), one(f.message, f.message)
        if f.suggestion is not None:
            f.suggestion = one(f.suggestion, f.suggestion)
        if f.replacement is not None:
            f.replacement = one(f.replacement, f.replacement)
        line, column = line_col(starts, f.offset)
        end_line, end_column = line_col(starts, f.end_offset)
        f.line, f.column = one(line, line), one(column, column)
        f.end_line, f.end_column = one(end_line, end_line), one(end_column, end_column)


def normalize_text(text: str) -> str:
    """The form of a finding's text that fingerprints compare (baseline, Code Quality, catalog diffs)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DROP.sub("", text).translate(_DIGITS)
    # no spaces at all: Persian writes one word joined, with ZWNJ or with a space
    return _SPACE.sub("", text).casefold()
