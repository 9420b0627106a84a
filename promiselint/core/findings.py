"""Findings and per-file results: what every reporter consumes."""
from __future__ import annotations

import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from operator import attrgetter

from .lazyre import lazy_compile
from .sourcemap import line_col, line_starts

SEVERITIES = ("info", "warning", "error")
_DROP = lazy_compile("[\u064b-\u065f\u0670\u0640\u00ad\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = lazy_compile(r"[\s\u200c]+")
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


_KINDS: dict[tuple, tuple] = {}  # a kind -> its one shared copy (bounded as _SHARED)
_NOWHERE = (0, 0, 0, 0)  # line, column, end line, end column of a finding not yet located


def _kind(rule, category, severity, message, language, suggestion, replacement) -> tuple:
    """The part of a finding that many findings share, as one tuple per equal kind:
    ids interned (a small closed set), texts shared (a page repeats its claims)."""
    key = (rule, category, severity, message, language, suggestion, replacement)
    got = _KINDS.get(key)
    if got is None:
        if len(_KINDS) >= _SHARED_MAX:
            _KINDS.clear()
        got = (sys.intern(rule), sys.intern(category), sys.intern(severity), shared(message),
               None if language is None else sys.intern(language),
               None if suggestion is None else shared(suggestion),
               None if replacement is None else shared(replacement))
        _KINDS[got] = got
    return got


class Lines:
    """A file's line starts, shared by its located findings: their lines and columns."""

    __slots__ = ("starts",)

    def __init__(self, text: str):
        self.starts = array("q", line_starts(text))

    def position(self, offset: int, end_offset: int) -> tuple[int, int, int, int]:
        return (*line_col(self.starts, offset), *line_col(self.starts, end_offset))


def _field(read, write, i: int) -> property:
    """A property over item i of the tuple `read(finding)` gives; setting it passes the
    changed items to `write(finding, items)`."""
    def put(self, value):
        items = list(read(self))
        items[i] = value
        write(self, items)

    return property(lambda self: read(self)[i], put)


def _set_kind(f: "Finding", items: list) -> None:
    f._kind = _kind(*items)


def _set_at(f: "Finding", items: list) -> None:
    f._at = tuple(items)


def _set_extra(f: "Finding", items: list) -> None:
    f._extra = None if items == [None, None] else tuple(items)


class Finding:
    """One finding: its fields read and write as plain attributes.

    Compact, for a file can hold a finding every few characters (issue #10's memory aim,
    ~120 bytes each): what findings share (rule, category, severity, message, language,
    suggestion, replacement) is one tuple per equal kind; the end is kept as a length
    (a small number); line and column are worked out from the offsets and the file's
    `Lines` once `locate`d, unless given; the key path and value share one slot."""

    __slots__ = ("_kind", "_offset", "_length", "text", "_at", "_extra")
    FIELDS = ("rule", "category", "severity", "message", "offset", "end_offset", "text", "language",
              "suggestion", "line", "column", "end_line", "end_column", "context", "value", "replacement")

    def __init__(self, rule: str, category: str, severity: str, message: str, offset: int, end_offset: int,
                 text: str, language: str | None, suggestion: str | None = None, line: int = 0,
                 column: int = 0, end_line: int = 0, end_column: int = 0,
                 context: str | None = None,  # key path (locale files), column, field
                 value: dict | None = None,  # structured data, e.g. a parsed delivery time
                 replacement: str | None = None):  # words that can replace `text` as they are (replacement.py)
        self._kind = _kind(rule, category, severity, message, language, suggestion, replacement)
        self._offset, self._length = offset, end_offset - offset
        self.text = text
        at = (line, column, end_line, end_column)
        self._at = None if at == _NOWHERE else at  # None, the four numbers, or the file's Lines
        self._extra = None if context is None and value is None else (context, value)

    rule, category, severity, message, language, suggestion, replacement = (
        _field(attrgetter("_kind"), _set_kind, i) for i in range(7))
    line, column, end_line, end_column = (_field(attrgetter("position"), _set_at, i) for i in range(4))
    context, value = (_field(lambda f: f._extra or (None, None), _set_extra, i) for i in range(2))

    @property
    def offset(self) -> int:
        return self._offset

    @offset.setter
    def offset(self, value: int) -> None:  # the end stays where it was
        self._length += self._offset - value
        self._offset = value

    @property
    def end_offset(self) -> int:
        return self._offset + self._length

    @end_offset.setter
    def end_offset(self, value: int) -> None:
        self._length = value - self._offset

    @property
    def position(self) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column), 1-based; zeros until located."""
        at = self._at
        if at is None:
            return _NOWHERE
        if at.__class__ is tuple:
            return at
        return at.position(self._offset, self._offset + self._length)

    def __reduce__(self):  # (pickled from worker processes: the slots as they are)
        return _rebuilt, (self._kind, self._offset, self._length, self.text, self._at, self._extra)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # (mutable, as the dataclass it was)

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __repr__(self) -> str:
        return "Finding(" + ", ".join(f"{n}={v!r}" for n, v in zip(self.FIELDS, self._fields())) + ")"

    def to_dict(self) -> dict:
        line, column, end_line, end_column = self.position
        d = {
            "rule": self.rule, "category": self.category, "severity": self.severity,
            "message": self.message, "line": line, "column": column,
            "end_line": end_line, "end_column": end_column,
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


def _rebuilt(kind, offset, length, text, at, extra) -> Finding:
    f = Finding.__new__(Finding)
    f._kind, f._offset, f._length, f.text, f._at, f._extra = _kind(*kind), offset, length, text, at, extra
    return f


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
    """Fill each finding's text from its offsets into `text`, and let its line and column
    follow from them (one `Lines` for the file).

    Equal texts and kinds (message, suggestion, replacement...) of one file become one
    object each (a page that repeats a claim holds it once, not once per finding)."""
    lines = Lines(text)
    spans: dict = {}
    kinds: dict = {}
    for f in findings:
        start = f._offset
        span = text[start:start + f._length]
        f.text, f._kind, f._at = spans.setdefault(span, span), kinds.setdefault(f._kind, f._kind), lines


def normalize_text(text: str) -> str:
    """The form of a finding's text that fingerprints compare (baseline, Code Quality, catalog diffs)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DROP.sub("", text).translate(_DIGITS)
    # no spaces at all: Persian writes one word joined, with ZWNJ or with a space
    return _SPACE.sub("", text).casefold()
