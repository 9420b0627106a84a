"""Markdown with YAML front matter, parsed with markdown-it-py.

markdown-it gives block structure and inline tokens; each inline text token
is located in the source from a moving cursor, so emphasis, links and
escapes drop out while offsets stay exact.  Raw HTML blocks go through the
HTML parser; front matter text fields are checked like any other copy.
"""
from __future__ import annotations

import re
from bisect import bisect_right

import yaml

from promiselint.core.document import Block, Document, Link
from promiselint.core.errors import InputError
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, Mapped, line_starts
from promiselint.core.yamlload import parse_yaml, yaml_problem, yaml_where

_FRONT = lazy_compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\Z)", re.S)
FRONT_TEXT_KEYS = {"title", "description", "summary", "excerpt", "subtitle", "tagline",
                   "seo_title", "seo_description", "meta_description", "headline", "teaser"}
ROLES = {"heading_open": "heading", "paragraph_open": "paragraph", "th_open": "cell",
         "td_open": "cell"}
_BREAK = lazy_compile(r"\r\n?|\n")
_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        # text_join would fold entities and escapes into the text around them
        # (`fastest\\!` as "fastest!"), which then no longer matches the source
        _md = MarkdownIt("commonmark").enable("table").enable("strikethrough").disable("text_join")
    return _md


def front_matter(text: str, path: str) -> tuple[dict, list[Block], int]:
    """(front matter fields, text blocks from them, offset where the body starts)."""
    m = _FRONT.match(text)
    if not m:
        return {}, [], 0
    raw, base = m.group(2) or "", m.end(1)
    try:
        node = yaml.compose(raw)
        data = parse_yaml(raw) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        error = InputError(f"{yaml_where(e, path, text.count(chr(10), 0, base))}: invalid YAML front matter: "
                           f"{yaml_problem(e)}", base + (mark.index if mark else 0))
        error.resume = m.end()
        raise error
    if not isinstance(data, dict):
        return {}, [], m.end()
    blocks = []
    for key_node, value_node in getattr(node, "value", []) or []:
        key = str(key_node.value)
        if key.lower() in FRONT_TEXT_KEYS and isinstance(value_node, yaml.ScalarNode):
            mapped = _scalar(raw, value_node, base)
            if mapped is not None:
                blocks.append(Block(mapped, "title" if key.lower() == "title" else "meta",
                                    key=key))
    return data, blocks, m.end()


def _scalar(raw: str, node, base: int) -> Mapped | None:
    s, e = node.start_mark.index, node.end_mark.index
    src = raw[s:e]
    if node.style in ("'", '"'):
        s, src = s + 1, src[1:-1]
    if src == node.value:
        return Mapped.identity(node.value, base + s)
    at = src.find(node.value)
    return Mapped.identity(node.value, base + s + at) if at >= 0 else None


class _Walker:
    def __init__(self, text: str, body_start: int):
        self.text = text
        self.lines = line_starts(text)
        self.body_start = body_start
        self.body_line = bisect_right(self.lines, body_start) - 1  # markdown-it counts lines as we do
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self.roles: list[str] = []

    def line_offset(self, line: int) -> int:
        i = self.body_line + line
        return self.lines[i] if i < len(self.lines) else len(self.text)

    def walk(self, tokens) -> None:
        for tok in tokens:
            if tok.type.endswith("_open"):
                self.roles.append(ROLES.get(tok.type, {"list_item_open": "list-item",
                                                        "blockquote_open": "quote"}.get(tok.type, "")))
            elif tok.type.endswith("_close"):
                if self.roles:
                    self.roles.pop()
            elif tok.type == "inline" and tok.map:
                self.inline(tok)
            elif tok.type == "html_block" and tok.map:
                from .html import parse_fragment

                start = self.line_offset(tok.map[0])
                end = self.line_offset(tok.map[1])
                frag = Mapped.identity(self.text[start:end], start)
                for blk in parse_fragment(frag.text):
                    blk.text = blk.text.compose(frag)
                    self.blocks.append(blk)

    def role(self) -> str:
        named = [r for r in self.roles if r]
        if "list-item" in named and named[-1] == "paragraph":
            return "list-item"
        return named[-1] if named else "paragraph"

    def inline(self, tok) -> None:
        start, end = self.line_offset(tok.map[0]), self.line_offset(tok.map[1])
        cursor, b = start, Builder()
        link_stack: list[tuple[str, int, int]] = []
        for child in tok.children or []:
            kind = child.type
            if kind in ("text", "code_inline"):
                cursor = self._place(b, child.content, cursor, end)
            elif kind == "text_special":  # an entity (&zwnj;) or a backslash escape (\\!)
                at = self.text.find(child.markup, cursor, end)
                if at >= 0:
                    b.add_replaced(child.content, at, at + len(child.markup))
                    cursor = at + len(child.markup)
            elif kind in ("softbreak", "hardbreak"):
                nl = _BREAK.search(self.text, cursor, end)
                if nl:
                    b.add_replaced("\n", nl.start(), nl.end())
                    cursor = nl.end()
            elif kind == "html_inline":
                at = self.text.find(child.content, cursor, end)
                if at >= 0:
                    cursor = at + len(child.content)
            elif kind == "link_open":
                link_stack.append((child.attrs.get("href", ""), len(b), cursor))
            elif kind == "link_close" and link_stack:
                href, from_len, at = link_stack.pop()
                label = b.build().text[from_len:]
                self.links.append(Link(label.strip(), str(href), at, cursor))
            elif kind == "image":
                alt = child.content
                at = self.text.find(alt, cursor, end) if alt else -1
                if at >= 0:
                    self.blocks.append(Block(Mapped.identity(alt, at), "alt"))
                    cursor = at + len(alt)
        if len(b):
            self.blocks.append(Block(b.build(), self.role()))

    def _place(self, b: Builder, content: str, cursor: int, end: int) -> int:
        at = self.text.find(content, cursor, end)
        if at >= 0:
            b.add_verbatim(content, at)
            return at + len(content)
        # text containing folded whitespace or markup-free pieces: place word by word
        for word in re.finditer(r"\S+", content):
            at = self.text.find(word.group(), cursor, end)
            if at >= 0:
                if len(b) and word.start():
                    b.add_replaced(" ", at, at)
                b.add_verbatim(word.group(), at)
                cursor = at + len(word.group())
        return cursor


def parse_markdown(text: str, path: str) -> Document:
    try:
        fm, fm_blocks, body_start = front_matter(text, path)
        problems = []
    except InputError as e:  # broken front matter: a finding, and the body is still checked
        fm, fm_blocks, body_start, problems = {}, [], e.resume, [(str(e), e.offset)]
    walker = _Walker(text, body_start)
    walker.walk(_parser().parse(text[body_start:]))
    doc = Document(path, text, "md", fm_blocks + walker.blocks, links=walker.links)
    doc.front_matter = fm
    doc.problems = problems
    doc.is_page = bool(fm)
    lang = fm.get("lang") or fm.get("language") or fm.get("locale")
    doc.lang = str(lang).split("-")[0].lower() if lang else None
    if doc.lang:
        for blk in doc.blocks:
            blk.lang = blk.lang or doc.lang
    doc.comments = [(m.group(1), m.start(), m.end())
                    for m in re.finditer(r"<!--(.*?)-->", text, re.S)]
    doc.footer_offset = len(text.rstrip())
    return doc


