"""CSV product feeds: the text columns of every row.

The csv module splits the fields; each field is then found in the source
from a moving cursor (quoted fields with doubled quotes are mapped char by
char).  Columns are text when their header says so (title, description...)
or when their values read like sentences.
"""
from __future__ import annotations

import csv
import io
import re

from ..document import Document
from ..errors import UsageError
from ..sourcemap import Builder, Mapped
from .jsonfile import fragment_blocks, is_text_key

_WORDY = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")


def _locate(text: str, field: str, cursor: int) -> tuple[Mapped | None, int]:
    """Find a field's raw form at or after cursor; return its mapped value."""
    if not field:
        return None, cursor
    quoted = '"' + field.replace('"', '""') + '"'
    q = text.find(quoted, cursor)
    p = text.find(field, cursor) if field else -1
    if p >= 0 and (q < 0 or p <= q) and '"' not in field:
        return Mapped.identity(field, p), p + len(field)
    if q < 0:
        stripped = field.rstrip()
        if stripped != field and stripped:  # `"text"   ,`: padding after the closing quote
            return _locate(text, stripped, cursor)
        return None, cursor
    b, i = Builder(), q + 1
    end = q + len(quoted) - 1
    while i < end:
        if text.startswith('""', i):
            b.add_replaced('"', i, i + 2)
            i += 2
        else:
            j = text.find('""', i, end)
            j = end if j < 0 else j
            b.add_verbatim(text[i:j], i)
            i = j
    return b.build(), q + len(quoted)


def parse_csv(text: str, path: str) -> Document:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise UsageError(f"{path}: invalid CSV: {e}")
    doc = Document(path, text, "csv")
    if not rows:
        return doc
    header = [h.strip() for h in rows[0]]
    text_cols = _text_columns(header, rows[1:])
    cursor = 0
    for f in rows[0]:
        _, cursor = _locate(text, f, cursor)
    for r, row in enumerate(rows[1:], start=2):
        for c, value in enumerate(row):
            mapped, cursor = _locate(text, value, cursor)
            if c in text_cols and mapped is not None and value.strip():
                doc.blocks.extend(fragment_blocks(mapped, f"{header[c] if c < len(header) else c}[{r}]", "cell"))
    return doc


def _text_columns(header: list[str], rows: list[list[str]]) -> set[int]:
    cols = set()
    for c, name in enumerate(header):
        values = [row[c] for row in rows[:200] if c < len(row) and row[c].strip()]
        if not values or not is_text_key(name.lower().replace(" ", "_")):
            continue
        wordy = sum(1 for v in values if _WORDY.search(v))
        if wordy >= 0.3 * len(values) or re.search(r"title|name|desc|text|body|content|summary",
                                                   name, re.I):
            cols.add(c)
    return cols
