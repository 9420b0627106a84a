"""Code-point offsets <-> LSP positions in the negotiated encoding.

promiselint's offsets count code points; an LSP position is a line (split at
\\r\\n, \\r or \\n, nothing else) and a column in UTF-16 code units by default,
or UTF-8 / UTF-32 when the client and server agreed on it (LSP 3.17
`positionEncoding`).  An emoji is one code point, two UTF-16 units, four bytes;
an Arabic letter or presentation form is one code point, one UTF-16 unit, two
or three bytes.
"""
from __future__ import annotations

import re
from bisect import bisect_right

_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """Length of `text` in the encoding's code units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class PositionMap:
    """Converts between offsets into `text` and (line, character) positions."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text, self.encoding = text, encoding
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, units(self.text[self.starts[line]:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset at a position; past the end of a line means its end."""
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[max(line, 0)]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        content = _BREAK.sub("", self.text[start:end])
        count = 0
        for i, ch in enumerate(content):
            if count >= character:
                return start + i
            count += units(ch, self.encoding)
        return start + len(content)

    def line_start(self, line: int) -> int:
        return self.starts[min(line, len(self.starts) - 1)]
