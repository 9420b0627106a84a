"""Decode HTML character references while keeping the offset map."""
from __future__ import annotations

import html
from html.entities import html5

from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, Mapped

_REF = lazy_compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def unescape_mapped(raw: str, base: int = 0) -> Mapped:
    """html.unescape(raw), each character mapped to its span in the source.

    A reference stands for its own characters only: in ``&amp100%`` (a legacy
    entity without its semicolon) "&" maps to ``&amp`` and "100%" to itself, and
    an unknown name (``&foo;``) is plain text."""
    if "&" not in raw:
        return Mapped.identity(raw, base)
    b = Builder()
    pos = 0
    for m in _REF.finditer(raw):
        if m.start() > pos:
            b.add_verbatim(raw[pos:m.start()], base + pos)
        ref = _reference(m.group())
        decoded = html.unescape(ref)
        if decoded == ref:
            b.add_verbatim(ref, base + m.start())
        else:
            b.add_replaced(decoded, base + m.start(), base + m.start() + len(ref))
        b.add_verbatim(m.group()[len(ref):], base + m.start() + len(ref))
        pos = m.end()
    if pos < len(raw):
        b.add_verbatim(raw[pos:], base + pos)
    return b.build()


def _reference(raw: str) -> str:
    """The part of `raw` (``&name``, ``&name;``, ``&#...``) that html.unescape reads
    as a reference: a name it does not know whole is the longest legacy name
    (one valid without semicolon) it starts with."""
    name = raw[1:]
    if raw.startswith("&#") or name in html5:
        return raw
    for k in range(len(name) - 1, 1, -1):  # as html.unescape does
        if name[:k] in html5:
            return "&" + name[:k]
    return raw
