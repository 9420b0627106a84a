"""gettext .po files: every msgstr is copy (msgids are the source language)."""
from __future__ import annotations

import re

from ..document import Document
from ..errors import UsageError
from ..sourcemap import Builder, line_starts
from .jsonfile import fragment_blocks

_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
              "f": "\f", "v": "\v"}
_MSGSTR = re.compile(r'^msgstr(?:\[\d+\])?\s*(".*")\s*$')
_CONT = re.compile(r'^\s*(".*")\s*$')


def _add_quoted(b: Builder, raw: str, base: int) -> None:
    """Append the decoded content of a C string literal found at `base`."""
    i, body = 1, raw
    while i < len(body) - 1:
        c = body[i]
        if c == "\\" and i + 1 < len(body) - 1:
            b.add_replaced(_C_ESCAPES.get(body[i + 1], body[i + 1]), base + i, base + i + 2)
            i += 2
        else:
            j = i
            while j < len(body) - 1 and body[j] != "\\":
                j += 1
            b.add_verbatim(body[i:j], base + i)
            i = j


def parse_po(text: str, path: str) -> Document:
    import polib

    try:
        catalog = polib.pofile(text)
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: invalid PO file: {e}")
    doc = Document(path, text, "po")
    lang = (catalog.metadata.get("Language") or "").split("_")[0].split("-")[0].lower() or None
    doc.lang = lang
    starts = line_starts(text)
    lines = text.split("\n")
    for entry in catalog:
        if entry.obsolete or not (entry.msgstr or entry.msgstr_plural):
            continue
        n = (entry.linenum or 1) - 1
        while n < len(lines) and not lines[n].startswith("msgstr"):
            n += 1
        while n < len(lines) and lines[n].startswith("msgstr"):
            b = Builder()
            m = _MSGSTR.match(lines[n])
            if m:
                _add_quoted(b, m.group(1), starts[n] + m.start(1))
            n += 1
            while n < len(lines) and (c := _CONT.match(lines[n])):
                _add_quoted(b, c.group(1), starts[n] + c.start(1))
                n += 1
            if len(b) and b.build().text.strip():
                for blk in fragment_blocks(b.build(), entry.msgid[:60]):
                    blk.lang = blk.lang or lang
                    doc.blocks.append(blk)
    return doc
