"""JSON string tables (Shopify/Salla locale files, product data) and JSON-LD.

json.loads validates the file; a small token scanner then walks it again to
find every string value with its key path and exact source span, decoding
escapes with an offset map.
"""
from __future__ import annotations

import json
import re

from promiselint.core.document import Block, Document
from promiselint.core.errors import InputError, UsageError
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, Mapped

_TOKEN = lazy_compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d[\d.eE+-]*|true|false|null|\s+', re.S)
_BRACKETS = lazy_compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
MAX_DEPTH = 500  # deeper JSON is refused (Python's parser recurses once per level)
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# keys whose values are identifiers, not copy
_NON_TEXT_KEY = lazy_compile(r"(^|_)(url|href|src|image|img|icon|id|sku|slug|handle|color|colour|"
                           r"code|class|key|path|email|phone|date|type|format|locale|template)s?$", re.I)


def decode_string(token: str, base: int) -> Mapped:
    """Decode a JSON string token (with quotes) found at `base`."""
    body = token[1:-1]
    if "\\" not in body:
        return Mapped.identity(body, base + 1)
    b = Builder()
    i, n = 0, len(body)
    while i < n:
        j = body.find("\\", i)
        if j == -1:
            b.add_verbatim(body[i:], base + 1 + i)
            break
        if j > i:
            b.add_verbatim(body[i:j], base + 1 + i)
        c = body[j + 1]
        if c == "u":
            k = j + 6
            code = int(body[j + 2:k], 16)
            low = int(body[k + 2:k + 6], 16) if 0xD800 <= code < 0xDC00 and body[k:k + 2] == "\\u" else 0
            if 0xDC00 <= low < 0xE000:
                code, k = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), k + 6
            elif 0xD800 <= code < 0xE000:
                code = 0xFFFD  # a lone surrogate is not text
            b.add_replaced(chr(code), base + 1 + j, base + 1 + k)
            i = k
        else:
            b.add_replaced(_ESCAPES.get(c, c), base + 1 + j, base + 1 + j + 2)
            i = j + 2
    return b.build()


def iter_strings(text: str, base: int = 0):
    """Yield (key_path, Mapped) for every string *value* in JSON text."""
    stack: list[list] = []  # one [kind, name, next_index] per open container
    key = None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c in "{[":
            stack.append([c, _name(stack, key), 0])
            key = None
        elif c in "}]":
            stack.pop()
        elif c == '"' and stack and stack[-1][0] == "{" and _is_key(text, m.end()):
            key = json.loads(tok)
        elif not (c.isspace() or c in ":,"):
            name = _name(stack, key)
            key = None
            if c == '"':
                path = ".".join(str(p[1]) for p in stack[1:])
                full = ".".join(p for p in (path, "" if name is None else str(name)) if p)
                yield full, decode_string(tok, base + m.start())


def _name(stack: list[list], key):
    """Name of the next value in the innermost container (its key or index)."""
    if stack and stack[-1][0] == "[":
        stack[-1][2] += 1
        return stack[-1][2] - 1
    return key


def _is_key(text: str, pos: int) -> bool:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return text.startswith(":", pos)


def is_text_key(path: str) -> bool:
    last = path.rsplit(".", 1)[-1]
    return not _NON_TEXT_KEY.search(last)


def load_json(text: str):
    """json.loads for untrusted text: ValueError (a JSONDecodeError with a position)
    for invalid JSON and for nesting deeper than MAX_DEPTH, never a RecursionError."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, m.start())
        elif c in "]}":
            depth -= 1
    return json.loads(text)


def parse_json(text: str, path: str) -> Document:
    try:
        load_json(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}", e.pos)
    doc = Document(path, text, "json")
    for key, value in iter_strings(text):
        if not is_text_key(key) or not value.text.strip():
            continue
        doc.blocks.extend(fragment_blocks(value, key))
    return doc


def fragment_blocks(value: Mapped, key: str | None, role: str = "string") -> list[Block]:
    """Blocks of a string value; values holding HTML markup are parsed as HTML."""
    if "<" in value.text and re.search(r"</?[a-zA-Z][^>]*>", value.text):
        from .html import parse_fragment

        try:
            fragment = parse_fragment(value.text)
        except UsageError:  # e.g. an unclosed <!-- inside one string: read it as plain text
            return [Block(value, role, key=key)]
        blocks = []
        for blk in fragment:
            blk.text = blk.text.compose(value)
            blk.key = key
            blocks.append(blk)
        return blocks
    return [Block(value, role, key=key)]
