"""One listing -> one Document -> finding rows; a pandas frame of listings -> a frame of findings.

A listing's text fields become the blocks of one Document (joined by blank
lines), so the conditions read the whole entry: a title is a heading and the
description is the paragraph under it, a footnote in the description
answers a marker in the title.  Offsets come back per field.
"""
from __future__ import annotations

import numbers
import re
import threading
from bisect import bisect_right
from collections import Counter

from promiselint.checks.linter import Linter
from promiselint.core.document import Block, Document
from promiselint.core.errors import UsageError
from promiselint.core.sourcemap import Mapped

from .spec import CatalogSpec

FINDING_COLUMNS = ["id", "field", "rule", "category", "severity", "message", "suggestion",
                   "offset", "end_offset", "text", "language"]
INVALID = "input.invalid"
ROW_COLUMN, ERROR_COLUMN = "__row__", "__error__"  # set by the feed readers (optional elsewhere)

_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_LINTERS: dict = {}
_lock = threading.Lock()
built = 0  # Linters this process has compiled (the tests check: one per worker)


def linter(spec: CatalogSpec) -> Linter:
    """The Linter for these settings, compiled once per process and thread and kept."""
    global built
    key = (repr(spec.settings), threading.get_ident())
    found = _LINTERS.get(key)
    if found is None:
        with _lock:
            found = _LINTERS.get(key)
            if found is None:
                found = _LINTERS[key] = Linter(spec.settings)
                built += 1
    return found


def columns_for(spec: CatalogSpec) -> list[str]:
    return FINDING_COLUMNS + (["seller"] if spec.seller_column else [])


def empty_findings(spec: CatalogSpec):
    """The findings frame with no rows (Dask's `meta`)."""
    return _frame([], spec)


def _frame(rows: list[tuple], spec: CatalogSpec):
    import pandas as pd

    cols = columns_for(spec)
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    return df.astype({"offset": "int64", "end_offset": "int64"})


def _missing(value) -> bool:
    """None, NaN, pandas' NA and NaT: an empty cell."""
    if value is None:
        return True
    if isinstance(value, (str, bytes, list, dict, tuple)):
        return False
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:  # pd.NA refuses to be a bool
        return True
    except ValueError:  # an array (a Parquet list column): not empty, not text
        return False


def _text(value) -> tuple[str | None, str | None]:
    """(text, problem) of a cell: None text for an empty cell."""
    if _missing(value):
        return None, None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as e:
            return None, f"is not valid UTF-8 (byte {e.start})"
    if not isinstance(value, str):
        return None, f"holds {type(value).__name__} {str(value)[:40]!r}, not text"
    bad = _UNDECODABLE.search(value)
    if bad:
        return None, f"is not valid UTF-8 (character {bad.start()})"
    return (value if value.strip() else None), None


def _ident(value) -> str | None:
    """A listing id: text or a whole number (JSON and Parquet ids are often numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral) or isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)[0]


def _lang(value) -> str | None:
    text, _ = _text(value)
    code = (text or "").strip().lower()[:2]
    return code if code in ("ar", "fa", "en") else None


def listings(pdf, spec: CatalogSpec):
    """(id, seller, lang, {field: cell}, row error) per listing; consecutive rows with the same
    id merge when the spec says so (Shopify's variant rows)."""
    records = pdf.to_dict("records")
    index = list(pdf.index)
    current = None
    for pos, rec in enumerate(records):
        where = _text(rec.get(ROW_COLUMN))[0] or f"row {index[pos]}"
        ident = _ident(rec.get(spec.id_column)) if spec.id_column else None
        fields = {c: rec.get(c) for c in spec.text_columns}
        if current is not None and spec.merge_rows and ident and ident == current[0]:
            for c, v in fields.items():
                if _text(current[3].get(c))[0] is None:
                    current[3][c] = v
            continue
        if current is not None:
            yield current
        seller = _text(rec.get(spec.seller_column))[0] if spec.seller_column else None
        problem = _text(rec.get(ERROR_COLUMN))[0]
        if spec.id_column and not ident and not problem:
            problem = f"{where}: no id in column {spec.id_column!r}"
        current = [ident or where, seller, _lang(rec.get(spec.lang_column)) if spec.lang_column else None,
                   fields, problem]
    if current is not None:
        yield current


def lint_listing(spec: CatalogSpec, lin: Linter, ident: str, lang: str | None, fields: dict) -> list[tuple]:
    """Finding rows (without seller) for one listing."""
    rows, texts, starts, blocks, comments = [], [], [], [], []
    pos = 0
    for name, value in fields.items():
        text, problem = _text(value)
        if problem:
            rows.append(_invalid(ident, name, f"{name} {problem}"))
            continue
        if text is None:
            continue
        mapped = Mapped.identity(text, pos)
        try:
            blocks.extend(_blocks(spec, name, mapped, lang))
        except UsageError as e:  # markup the HTML parser gives up on
            rows.append(_invalid(ident, name, f"{name}: {str(e).split(': ', 1)[-1]}"))
            continue
        comments.extend((m.group(1), pos + m.start(), pos + m.end()) for m in _COMMENT.finditer(text))
        texts.append((name, text))
        starts.append(pos)
        pos += len(text) + 2
    if not blocks:
        return rows
    doc = Document(ident, "\n\n".join(t for _, t in texts), "catalog", blocks, lang=lang, comments=comments)
    try:
        found = lin.lint(doc)
    except Exception as e:  # noqa: BLE001 - one listing the engine chokes on must not end the job
        return rows + [_invalid(ident, "", f"could not be checked: {type(e).__name__}: {e}")]
    for f in found:
        i = bisect_right(starts, f.offset) - 1
        name, text = texts[i]
        a, b = f.offset - starts[i], min(f.end_offset - starts[i], len(text))
        rows.append((ident, name, f.rule, f.category, f.severity, f.message, f.suggestion, a, b, text[a:b],
                     f.language))
    return rows


def _blocks(spec: CatalogSpec, name: str, mapped: Mapped, lang: str | None) -> list[Block]:
    if name in spec.html_columns or _HTML.search(mapped.text):
        from promiselint.formats.html import parse_fragment

        blocks = parse_fragment(mapped.text)
        for blk in blocks:
            blk.text = blk.text.compose(mapped)
            blk.key, blk.lang = name, blk.lang or lang
        return blocks
    return [Block(mapped, "heading" if spec.is_title(name) else "paragraph", lang=lang, key=name)]


def _invalid(ident: str, name: str, message: str) -> tuple:
    return (ident, name, INVALID, "input", "error", message, None, 0, 0, "", None)


def lint_frame_stats(pdf, spec: CatalogSpec):
    """(findings frame, stats) for a pandas frame of listings; stats count listings per seller."""
    spec = spec.for_checking()
    rows, stats = [], {"listings": 0, "with_findings": 0, "sellers": {}}
    sellers: dict = {}
    lin = linter(spec)
    for ident, seller, lang, fields, problem in listings(pdf, spec):
        found = [_invalid(ident, "", problem)] if problem else []
        found += lint_listing(spec, lin, ident, lang, fields)
        stats["listings"] += 1
        stats["with_findings"] += bool(found)
        if spec.seller_column:
            counts = sellers.setdefault(seller or "", Counter())
            counts["listings"] += 1
            counts["with_findings"] += bool(found)
            found = [r + (seller,) for r in found]
        rows.extend(found)
    stats["sellers"] = {k: dict(v) for k, v in sellers.items()}
    return _frame(rows, spec), stats


def lint_frame(pdf, spec: CatalogSpec):
    """The findings frame for a pandas frame of listings."""
    return lint_frame_stats(pdf, spec)[0]
