"""Text that remembers where every character came from.

A `Mapped` string pairs text with, for each character, the half-open span of
the *source* text that produced it.  Parsers build one from the file text
(entities, escapes and markup dropped), normalizers build one from a parser's
text (diacritics dropped, presentation forms folded), and `compose` chains
them, so a match in normalized text maps straight back to file offsets.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right

from .lazyre import lazy_compile

VERBATIM = -1  # a run's `ends` entry for "character i of the run comes from source[start + i]"


class Mapped:
    """Text and, for each character, the half-open source span it came from,
    stored as runs (a few entries per run, not per character).

    Run k covers text[pos[k]:pos[k + 1]]; its characters come either verbatim
    from source[start[k]:] one by one (ends[k] == VERBATIM), or each from the
    whole span source[start[k]:ends[k]] (an entity, an escape, a folded
    ligature).  `pos` None: the identity map shifted by `base`.
    (A plain class: a dataclass costs every check about 0.4 ms to build at import.)"""

    __slots__ = ("text", "pos", "starts", "ends", "base")

    def __init__(self, text: str, pos: array | None = None, starts: array | None = None,
                 ends: array | None = None, base: int = 0):
        self.text, self.pos, self.starts, self.ends, self.base = text, pos, starts, ends, base

    def __repr__(self) -> str:
        return f"Mapped(text={self.text!r}, pos={self.pos!r}, starts={self.starts!r}, ends={self.ends!r}, " \
               f"base={self.base!r})"

    @classmethod
    def identity(cls, text: str, base: int = 0) -> "Mapped":
        return cls(text, None, None, None, base)

    def _char(self, i: int) -> tuple[int, int]:
        """Source span of character i (0 <= i < len(text)) of a run-mapped text."""
        k = bisect_right(self.pos, i) - 1
        a, e = self.starts[k], self.ends[k]
        if e == VERBATIM:
            a += i - self.pos[k]
            return a, a + 1
        return a, e

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering text[start:end]."""
        if self.pos is None:
            return self.base + start, self.base + end
        if end <= start:
            pos = self._char(start)[0] if start < len(self.text) else self.end_offset()
            return pos, pos
        return self._char(start)[0], self._char(end - 1)[1]

    def end_offset(self) -> int:
        if self.pos is None:
            return self.base + len(self.text)
        return self._char(len(self.text) - 1)[1] if self.text else self.base

    def clipped(self, start: int, end: int):
        """(length, source start, source end or VERBATIM) of the runs of text[start:end]."""
        if self.pos is None:
            if end > start:
                yield end - start, self.base + start, VERBATIM
            return
        pos, n = self.pos, len(self.pos)
        k = max(bisect_right(pos, start) - 1, 0)
        while k < n and pos[k] < end:
            a, z = max(pos[k], start), min(pos[k + 1] if k + 1 < n else len(self.text), end)
            if a < z:
                src, e = self.starts[k], self.ends[k]
                yield z - a, (src + a - pos[k] if e == VERBATIM else src), e
            k += 1

    def slice(self, start: int, end: int) -> "Mapped":
        if self.pos is None:
            return Mapped(self.text[start:end], None, None, None, self.base + start)
        b = Builder()
        b.parts.append(self.text[start:end])
        for run in self.clipped(start, end):
            b._run(*run)
        return b._mapped()

    def compose(self, outer: "Mapped") -> "Mapped":
        """Re-express this map (relative to outer.text) relative to outer's source."""
        if self.pos is None and outer.pos is None:
            return Mapped(self.text, None, None, None, outer.base + self.base)
        b = Builder()
        b.parts.append(self.text)
        for length, src, e in self.clipped(0, len(self.text)):
            if e == VERBATIM:  # characters outer.text[src:src + length], one by one
                for run in outer.clipped(src, src + length):
                    b._run(*run)
            else:  # each character stands for outer.text[src:e]
                b._run(length, *outer.source_span(src, e))
        return b._mapped()

    def footprint(self) -> int:
        """Bytes held by the map itself (its runs), not counting the text."""
        import sys

        return sum(sys.getsizeof(x) for x in (self.pos, self.starts, self.ends) if x is not None)


class Builder:
    """Accumulates text pieces with their source spans (as runs)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = array("q")
        self.starts = array("q")
        self.ends = array("q")
        self.n = 0  # characters so far

    def _run(self, length: int, start: int, end: int) -> None:
        """`length` more characters from source `start` on (end VERBATIM) or each from [start, end)."""
        if length <= 0:
            return
        if self.pos:
            k = len(self.pos) - 1
            last_end = self.ends[k]
            if end == VERBATIM and last_end == VERBATIM and self.starts[k] + self.n - self.pos[k] == start:
                self.n += length  # continues the last verbatim run
                return
            if end != VERBATIM and last_end == end and self.starts[k] == start:
                self.n += length  # more characters standing for the same span
                return
        self.pos.append(self.n)
        self.starts.append(start)
        self.ends.append(end)
        self.n += length

    def add_verbatim(self, text: str, at: int) -> None:
        """text appears unchanged in the source at offset `at`."""
        self.parts.append(text)
        self._run(len(text), at, VERBATIM)

    def add_replaced(self, text: str, start: int, end: int) -> None:
        """text stands for the whole source span [start, end) (an entity, an escape)."""
        self.parts.append(text)
        self._run(len(text), start, end)

    def add_mapped(self, m: Mapped) -> None:
        self.parts.append(m.text)
        for run in m.clipped(0, len(m.text)):
            self._run(*run)

    def __len__(self) -> int:
        return self.n

    def _mapped(self) -> Mapped:
        return Mapped("".join(self.parts), self.pos, self.starts, self.ends)

    def build(self) -> Mapped:
        return Mapped("".join(self.parts), array("q", self.pos), array("q", self.starts), array("q", self.ends))

    def take(self) -> Mapped:
        """The text so far, as build() gives it (the identity map when it is one piece of
        the source), then start afresh."""
        text = "".join(self.parts)
        if len(self.pos) == 1 and self.ends[0] == VERBATIM:
            m = Mapped.identity(text, self.starts[0])
        else:
            m = Mapped(text, self.pos, self.starts, self.ends)
        self.__init__()
        return m


_BREAK = lazy_compile(r"\r\n?|\n")


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
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
