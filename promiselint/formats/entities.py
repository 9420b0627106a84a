"""Decode HTML character references while keeping the offset map."""
from __future__ import annotations

import html
import re

from ..sourcemap import Builder, Mapped

_REF = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def unescape_mapped(raw: str, base: int = 0) -> Mapped:
    """html.unescape(raw), each character mapped to its span in the source."""
    if "&" not in raw:
        return Mapped.identity(raw, base)
    b = Builder()
    pos = 0
    for m in _REF.finditer(raw):
        if m.start() > pos:
            b.add_verbatim(raw[pos:m.start()], base + pos)
        b.add_replaced(html.unescape(m.group()), base + m.start(), base + m.end())
        pos = m.end()
    if pos < len(raw):
        b.add_verbatim(raw[pos:], base + pos)
    return b.build()
