"""Text that remembers where every character came from.

A `Mapped` string pairs text with, for each character, the half-open span of
the *source* text that produced it.  Parsers build one from the file text
(entities, escapes and markup dropped), normalizers build one from a parser's
text (diacritics dropped, presentation forms folded), and `compose` chains
them, so a match in normalized text maps straight back to file offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Mapped:
    text: str
    starts: list[int] | None = None  # None: identity map shifted by `base`
    ends: list[int] | None = None
    base: int = 0

    @classmethod
    def identity(cls, text: str, base: int = 0) -> "Mapped":
        return cls(text, None, None, base)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering text[start:end]."""
        if self.starts is None:
            return self.base + start, self.base + end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.end_offset()
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def end_offset(self) -> int:
        if self.starts is None:
            return self.base + len(self.text)
        return self.ends[-1] if self.ends else self.base

    def slice(self, start: int, end: int) -> "Mapped":
        if self.starts is None:
            return Mapped(self.text[start:end], None, None, self.base + start)
        return Mapped(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def compose(self, outer: "Mapped") -> "Mapped":
        """Re-express this map (relative to outer.text) relative to outer's source."""
        if self.starts is None and outer.starts is None:
            return Mapped(self.text, None, None, outer.base + self.base)
        starts, ends = [], []
        for s, e in zip(*self._spans()):
            a, b = outer.source_span(s, e)
            starts.append(a)
            ends.append(b)
        return Mapped(self.text, starts, ends)

    def _spans(self) -> tuple[list[int], list[int]]:
        if self.starts is None:
            r = range(self.base, self.base + len(self.text))
            return list(r), [i + 1 for i in r]
        return self.starts, self.ends


class Builder:
    """Accumulates text pieces with their source spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add_verbatim(self, text: str, at: int) -> None:
        """text appears unchanged in the source at offset `at`."""
        self.parts.append(text)
        self.starts.extend(range(at, at + len(text)))
        self.ends.extend(range(at + 1, at + len(text) + 1))

    def add_replaced(self, text: str, start: int, end: int) -> None:
        """text stands for the whole source span [start, end) (an entity, an escape)."""
        self.parts.append(text)
        self.starts.extend([start] * len(text))
        self.ends.extend([end] * len(text))

    def add_mapped(self, m: Mapped) -> None:
        s, e = m._spans()
        self.parts.append(m.text)
        self.starts.extend(s)
        self.ends.extend(e)

    def __len__(self) -> int:
        return len(self.starts)

    def build(self) -> Mapped:
        return Mapped("".join(self.parts), self.starts, self.ends)


_BREAK = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (for offset -> line/column).

    Lines end at LF, CRLF or a lone CR, as in editors and the LSP; other
    Unicode separators (U+2028, U+0085) are characters within a line."""
    if "\r" in text:
        return [0] + [m.end() for m in _BREAK.finditer(text)]
    return newline_starts(text)


def newline_starts(text: str) -> list[int]:
    """Offsets after each LF only: for positions counted by tools that see only LF
    (html.parser's getpos, text.split("\n"))."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a 0-based offset."""
    from bisect import bisect_right

    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
