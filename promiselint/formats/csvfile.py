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

from promiselint.core.document import Document
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, Mapped, line_starts

from .jsonfile import fragment_blocks, is_text_key

_WORDY = lazy_compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")


def _locate(text: str, field: str, cursor: int, literal: bool = False) -> tuple[Mapped | None, int]:
    """Find a field's raw form at or after cursor; return its mapped value
    (`literal`: the field was read without quoting rules, as it stands)."""
    if not field:
        return None, cursor
    if literal:
        p = text.find(field, cursor)
        return (Mapped.identity(field, p), p + len(field)) if p >= 0 else (None, cursor)
    quoted = '"' + field.replace('"', '""') + '"'
    if '"' in field:
        q = text.find(quoted, cursor)
    else:  # the quoted form holds the field one character in: one search finds either form
        p = text.find(field, cursor)
        q = p - 1 if p > cursor and text.startswith(quoted, p - 1) else -1
        if p >= 0 and q < 0:
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


def _rows(text: str, delimiter: str) -> tuple[list[list[str]], int, tuple[str, int] | None]:
    """(rows, index of the first row read literally, problem).  An opening quote that
    is never closed would swallow the rest of the file into one cell: that row and
    the rest are read literally instead (quotes as characters), so no cell is lost."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a cell may be the whole file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    line = last = 0  # lines read before the last row, and by all rows
    for row in reader:
        rows.append(row)
        line, last = last, reader.line_num
    if not rows or '"' not in text:
        return rows, len(rows), None
    at = line_starts(text)[min(line, text.count("\n"))]
    try:
        list(csv.reader(io.StringIO(text[at:], newline=""), delimiter=delimiter, strict=True))
    except csv.Error as e:
        if "unexpected end of data" not in str(e):
            return rows, len(rows), None  # e.g. padding after a closing quote: read as the csv module does
        rest = list(csv.reader(io.StringIO(text[at:], newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE))
        return rows[:-1] + rest, len(rows) - 1, (f"the quote opened in the row at line {line + 1} is never "
                                                 "closed; rows read without quoting from there", at)
    return rows, len(rows), None


def parse_csv(text: str, path: str) -> Document:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    rows, literal, problem = _rows(text, delimiter)
    doc = Document(path, text, "csv")
    if problem:
        doc.problems.append(problem)
    if not rows:
        return doc
    header = [h.strip() for h in rows[0]]
    text_cols = _text_columns(header, rows[1:])
    cursor = 0
    for f in rows[0]:
        _, cursor = _locate(text, f, cursor, literal == 0)
    for r, row in enumerate(rows[1:], start=2):
        for c, value in enumerate(row):
            mapped, cursor = _locate(text, value, cursor, r - 1 >= literal)
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
