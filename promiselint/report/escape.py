"""Text made safe to show: one line, and control characters visible.

A checked file is untrusted: its escape sequences (``ESC]0;…BEL``, ``ESC[2K``)
must not act on the user's terminal, and bidi overrides or isolates inside a
flagged span must not reorder what follows.  Such characters are shown as
visible symbols instead (C0 as control pictures ␛ ␇…, C1 as ``\\x9b``, bidi
controls as ``<U+202E>``).  Tabs and line breaks become spaces, so a span across
a line break never puts a raw newline into a message.
"""
from __future__ import annotations

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
_TABLE = {c: chr(0x2400 + c) for c in range(0x20)}
_TABLE.update({0x7F: "\u2421", **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
               **{c: f"<U+{c:04X}>" for c in _BIDI}})
_TABLE.update({ord("\t"): " ", ord("\n"): " ", ord("\r"): " "})
_LINE_BREAKS = {ord("\n"): " ", ord("\r"): " ", 0x2028: " ", 0x2029: " ", 0x85: " "}


def visible(s: str) -> str:
    """`s` with every control character shown as a visible symbol (tabs and line breaks as spaces)."""
    return s.replace("\r\n", "\n").translate(_TABLE)


def one_line(s: str) -> str:
    """`s` with line breaks as spaces (``\\r\\n`` counts once)."""
    return s.replace("\r\n", "\n").translate(_LINE_BREAKS)
