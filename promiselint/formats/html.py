"""HTML: visible text by block, plus alt/title/meta/Open Graph and JSON-LD.

Built on the standard library's HTMLParser with character references left
unconverted, so every character of every block is mapped to the file.
Scripts, styles and comments are not copy; JSON-LD Product name/description
is.  Elements inside <nav>, <option>, <button>, <label> and breadcrumbs get UI
roles so claim rules can tell a sort label from a sentence.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from promiselint.core.document import Block, Document, Link
from promiselint.core.errors import UsageError
from promiselint.core.sourcemap import Builder, Mapped, newline_starts

from .entities import unescape_mapped
from .jsonfile import fragment_blocks, iter_strings, load_json

BLOCK_TAGS = {
    "p": "paragraph", "div": "paragraph", "section": "paragraph", "article": "paragraph",
    "main": "paragraph", "header": "paragraph", "footer": "paragraph", "aside": "paragraph",
    "li": "list-item", "dt": "list-item", "dd": "list-item",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "title": "title", "td": "cell", "th": "cell", "tr": "paragraph",
    "table": "paragraph", "ul": "paragraph", "ol": "paragraph", "blockquote": "quote",
    "figcaption": "paragraph", "caption": "paragraph", "option": "option", "button": "button",
    "label": "label", "summary": "heading", "legend": "label", "nav": "nav", "form": "paragraph",
    "body": "paragraph", "html": "paragraph", "address": "paragraph", "dl": "paragraph",
    "select": "option", "figure": "paragraph", "details": "paragraph", "br": None, "hr": None,
}
UI_CONTAINERS = {"nav": "nav", "select": "option", "option": "option", "button": "button",
                 "label": "label", "menu": "menu"}
SKIP = {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "canvas"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
_ATTR = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
# any of these makes an HTML file a full page (it owes disclosures), not a fragment
PAGE_TAGS = {"html", "head", "body", "title", "header", "footer", "main", "nav"}
META_TEXT = {"description", "og:description", "og:title", "twitter:description", "twitter:title"}
JSONLD_TEXT = {"name", "description", "headline", "slogan", "disambiguatingDescription"}


class _Parser(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.src = text
        self.lines = newline_starts(text)  # html.parser counts lines at LF only
        self.doc = Document("", text, "html")
        self.stack: list[tuple[str, dict]] = []
        self.buf = Builder()
        self.skip_depth = 0
        self.script: tuple[str, int] | None = None  # (type, content start) of an open script
        self.links: list[tuple[int, str, int, Builder]] = []  # open <a>: depth, href, start, text
        self.saw_document = False

    # -- positions -------------------------------------------------------
    def here(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    # -- blocks ----------------------------------------------------------
    def flush(self) -> None:
        m = self.buf.build() if len(self.buf) else None
        if m is not None and m.text.strip():
            self.doc.blocks.append(Block(m, self.role(), self.lang(), in_footer=self.in_footer()))
        self.buf = Builder()

    def role(self) -> str:
        for tag, attrs in reversed(self.stack):
            if tag in UI_CONTAINERS:
                return UI_CONTAINERS[tag]
            marker = " ".join((attrs.get("class") or "", attrs.get("aria-label") or "",
                               attrs.get("id") or "", attrs.get("role") or "")).lower()
            if "breadcrumb" in marker:
                return "breadcrumb"
            if attrs.get("role") in ("navigation", "menu", "menubar", "tablist", "button"):
                return "nav" if attrs.get("role") != "button" else "button"
        for tag, _ in reversed(self.stack):
            role = BLOCK_TAGS.get(tag)
            if role:
                return role
        return "paragraph"

    def lang(self) -> str | None:
        for _, attrs in reversed(self.stack):
            if attrs.get("lang"):
                return attrs["lang"].split("-")[0].lower()
        return None

    def in_footer(self) -> bool:
        return any(t == "footer" or "footer" in (a.get("class") or "") or a.get("role") == "contentinfo"
                   for t, a in self.stack)

    # -- attributes with offsets -----------------------------------------
    def attrs_mapped(self, start: int) -> dict[str, Mapped]:
        raw = self.get_starttag_text() or ""
        out = {}
        name_end = re.match(r"<\s*[^\s/>]+", raw)
        pos = name_end.end() if name_end else 0
        for m in _ATTR.finditer(raw, pos):
            if m.group(2) is None:
                continue
            value = m.group(2)
            vstart = start + m.start(2)
            if value[0] in "\"'":
                value, vstart = value[1:-1], vstart + 1
            out[m.group(1).lower()] = unescape_mapped(value, vstart)
        return out

    # -- parser callbacks ------------------------------------------------
    def handle_starttag(self, tag, attrs):
        start = self.here()
        if tag in PAGE_TAGS:
            self.saw_document = True
        if self.skip_depth:
            if tag in SKIP:
                self.skip_depth += 1
            return
        amap = dict(attrs)
        if tag in SKIP:
            if tag == "script" and (amap.get("type") or "").lower() == "application/ld+json":
                self.script = ("ld+json", start + len(self.get_starttag_text() or ""))
            self.skip_depth = 1
            return
        mapped = self.attrs_mapped(start)
        if BLOCK_TAGS.get(tag, "inline") is None:  # br / hr: a line break inside the block
            self.buf.add_replaced("\n", start, start + len(self.get_starttag_text() or ""))
        elif tag in BLOCK_TAGS:
            self.flush()
        if tag == "meta":
            name = (amap.get("name") or amap.get("property") or "").lower()
            if name in META_TEXT and "content" in mapped:
                self.doc.blocks.append(Block(mapped["content"], "meta", self.lang(), key=name))
        for attr in ("alt", "title", "placeholder", "aria-label"):
            if attr in mapped and mapped[attr].text.strip():
                role = "alt" if attr == "alt" else ("button" if tag in ("button", "input") else "label")
                self.doc.blocks.append(Block(mapped[attr], role, self.lang(), key=f"@{attr}",
                                             in_footer=self.in_footer()))
        if tag == "input" and (amap.get("type") or "") in ("submit", "button") and "value" in mapped:
            self.doc.blocks.append(Block(mapped["value"], "button", self.lang()))
        if tag not in VOID:
            self.stack.append((tag, {k: (v or "") for k, v in attrs}))
        if tag == "footer" and self.doc.footer_offset is None:
            self.doc.footer_offset = start
        if tag == "a":
            self.links.append((len(self.stack), amap.get("href") or "", start, Builder()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        end = self.here()
        if self.skip_depth:
            if tag in SKIP:
                self.skip_depth -= 1
                if not self.skip_depth and self.script:
                    self.jsonld(self.src[self.script[1]:end], self.script[1])
                    self.script = None
            return
        if not any(t == tag for t, _ in self.stack):
            return  # stray end tag: browsers ignore it, so do we
        if tag in BLOCK_TAGS:
            self.flush()
        while self.stack:
            t, _ = self.stack.pop()
            if t == "a" and self.links:
                self.close_link(end)
            if t == tag:
                break

    def close_link(self, end: int) -> None:
        _, href, start, text = self.links.pop()
        close = self.src.find(">", end)
        self.doc.links.append(Link(text.build().text.strip(), href, start,
                                   close + 1 if close != -1 else end, self.in_footer()))

    def add_text(self, mapped: Mapped) -> None:
        if self.skip_depth:
            return
        self.buf.add_mapped(mapped)
        for *_, text in self.links:
            text.add_mapped(mapped)

    def handle_data(self, data):
        self.add_text(Mapped.identity(data, self.here()))

    def handle_entityref(self, name):
        self._ref("&" + name)

    def handle_charref(self, name):
        self._ref("&#" + name)

    def _ref(self, raw: str) -> None:
        start = self.here()
        end = start + len(raw) + (1 if self.src.startswith(";", start + len(raw)) else 0)
        self.add_text(unescape_mapped(self.src[start:end], start))

    def handle_comment(self, data):
        start = self.here()
        self.doc.comments.append((data, start, start + len(data) + 7))

    # -- JSON-LD ---------------------------------------------------------
    def jsonld(self, raw: str, base: int) -> None:
        try:
            data = load_json(raw)
        except ValueError:
            return  # broken structured data is not copy; nothing to check
        self.doc.structured.extend(data if isinstance(data, list) else [data])
        for key, value in iter_strings(raw, base):
            last = key.rsplit(".", 1)[-1]
            if last in JSONLD_TEXT and value.text.strip():
                self.doc.blocks.extend(fragment_blocks(value, key, "jsonld"))


def _run(text: str, path: str) -> _Parser:
    p = _Parser(text)
    try:
        p.feed(text)
        p.flush()
        leftover = p.rawdata[p.rawdata.find("<", 0) if "<" in p.rawdata else 0:]
        p.close()
    except (AssertionError, ValueError) as e:  # pragma: no cover - HTMLParser is lenient
        raise UsageError(f"{path}: malformed HTML: {e}")
    if leftover.startswith("<!--"):
        line = text.count("\n", 0, len(text) - len(leftover)) + 1
        raise UsageError(f"{path}:{line}: malformed HTML: comment never closed")
    p.flush()
    return p


def parse_html(text: str, path: str) -> Document:
    p = _run(text, path)
    doc = p.doc
    doc.path = path
    doc.is_page = p.saw_document
    m = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]+)", text[:5000], re.I)
    doc.lang = m.group(1).lower() if m else None
    return doc


def parse_fragment(text: str) -> list[Block]:
    """Blocks of an HTML fragment (a description cell, a locale string)."""
    return _run(text, "<fragment>").doc.blocks
