"""gettext .po files: every msgstr is copy (msgids are the source language)."""
from __future__ import annotations

import re

from promiselint.core.document import Document
from promiselint.core.errors import InputError
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, newline_starts

from .jsonfile import fragment_blocks

_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
              "f": "\f", "v": "\v"}
_LITERAL = r'"(?:[^"\\]|\\.)*"'  # a C string literal: a backslash always escapes the next character
_MSGSTR = lazy_compile(rf'^msgstr(?:\[\d+\])?\s*({_LITERAL})\s*$')
_CONT = lazy_compile(rf'^\s*({_LITERAL})\s*$')
_STRING_LINE = lazy_compile(r'^\s*(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_VALID_LINE = lazy_compile(rf'^\s*(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*{_LITERAL}\s*$')


def _add_quoted(b: Builder, raw: str, base: int) -> None:
    """Append the decoded content of a C string literal found at `base`."""
    i, body = 1, raw
    while i < len(body) - 1:
        c = body[i]
        if c == "\\" and i + 1 < len(body) - 1:
            b.add_replaced(_C_ESCAPES.get(body[i + 1], body[i + 1]), base + i, base + i + 2)
            i += 2
        else:  # a run up to the next backslash (a backslash before the closing quote: kept)
            j = body.find("\\", i + 1, len(body) - 1)
            j = len(body) - 1 if j < 0 else j
            b.add_verbatim(body[i:j], base + i)
            i = j


def _check_strings(text: str, path: str) -> None:
    """InputError at the first string line whose literal is not closed (`msgstr "\\"`)."""
    pos = 0
    for n, line in enumerate(text.split("\n"), 1):
        if _STRING_LINE.match(line) and not _VALID_LINE.match(line):
            raise InputError(f"{path}:{n}: invalid PO file: unterminated string", pos)
        pos += len(line) + 1


# characters str.splitlines() breaks at that a .po line may hold (polib splits with it)
_LINE_BREAKS = lazy_compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def parse_po(text: str, path: str) -> Document:
    import polib

    _check_strings(text, path)
    # polib reads a *file* when its argument names one: the NUL line makes sure the
    # text is never taken for a path; breaks only splitlines() knows are masked
    masked = _LINE_BREAKS.sub("\ufffc", text) + "\n# \x00\n"
    try:
        catalog = polib.pofile(masked)
    except (OSError, ValueError) as e:
        line = re.search(r"line (\d+)", str(e))
        starts = newline_starts(text)  # lines are split at LF below
        at = starts[min(int(line.group(1)), len(starts)) - 1] if line else 0
        raise InputError(f"{path}: invalid PO file: {e}", at)
    doc = Document(path, text, "po")
    lang = (catalog.metadata.get("Language") or "").split("_")[0].split("-")[0].lower() or None
    doc.lang = lang
    starts = newline_starts(text)  # lines are split at LF below
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
