"""HTML: visible text by block, plus alt/title/meta/Open Graph and JSON-LD.

Tokens come from htmlscan (one regular expression, for clean markup) and,
from the first token it leaves, the standard library's HTMLParser, with
character references left unconverted, so every character of every block is
mapped to the file; one page builder (_Page) turns either's events into blocks.
Scripts, styles and comments are not copy; JSON-LD Product name/description
is.  Elements inside <nav>, <option>, <button>, <label> and breadcrumbs get UI
roles so claim rules can tell a sort label from a sentence.
"""
from __future__ import annotations

import re

from promiselint.core.document import Block, Document, Link
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Builder, Mapped

from .entities import unescape_mapped
from .htmlscan import scan
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
_ATTR = lazy_compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_TAG_NAME = lazy_compile(r"<\s*[^\s/>]+")
MAPPED_ATTRS = frozenset({"content", "alt", "title", "placeholder", "aria-label", "value"})  # copy in attributes
_MAPPED_HINT = lazy_compile("|".join(sorted(MAPPED_ATTRS)))  # a lower-cased start tag without these has none
# any of these makes an HTML file a full page (it owes disclosures), not a fragment
PAGE_TAGS = {"html", "head", "body", "title", "header", "footer", "main", "nav"}
META_TEXT = {"description", "og:description", "og:title", "twitter:description", "twitter:title"}
JSONLD_TEXT = {"name", "description", "headline", "slogan", "disambiguatingDescription"}


class _Page:
    """Blocks, links and comments of one HTML text, built from tokenizer events
    (`htmlscan.scan`'s or html.parser's, see htmlstd.py) with exact file offsets."""

    def __init__(self, text: str):
        self.src = text
        self.doc = Document("", text, "html")
        # open elements: (tag, UI role, block role, lang, in footer), the last three
        # inherited from the enclosing elements, so a block's role is the top's
        self.stack: list[tuple[str, str | None, str | None, str | None, bool]] = []
        self.open: dict[str, int] = {}  # tag -> how many are on the stack
        # the pending block: its pieces of text and, for each, where it comes from
        # (an int: verbatim from that offset; (start, end): the whole span; a Mapped)
        self.parts: list[str] = []
        self.origins: list = []
        self.skip_depth = 0
        self.script: tuple[str, int] | None = None  # (type, content start) of an open script
        self.links: list[tuple[int, str, int, list[str]]] = []  # open <a>: depth, href, start, text
        self.saw_document = False
        self.tags: dict[str, tuple[dict[str, str], bool]] = {}  # start tag -> attributes, copy in them?

    # -- the pending block -------------------------------------------------
    def flush(self) -> None:
        parts, origins = self.parts, self.origins
        if not parts:
            return
        self.parts, self.origins = [], []
        text = parts[0] if len(parts) == 1 else "".join(parts)
        if not text or text.isspace():
            return
        if len(origins) == 1 and type(origins[0]) is int:  # one piece of the source, as it is
            mapped = Mapped(text, None, None, None, origins[0])  # (the identity map, shifted)
        else:
            mapped = _mapped(parts, origins)
        top = self.stack[-1] if self.stack else _ROOT
        self.doc.blocks.append(Block(mapped, top[1] or top[2] or "paragraph", top[3], None, top[4]))

    def lang(self) -> str | None:
        return self.stack[-1][3] if self.stack else None

    def in_footer(self) -> bool:
        return self.stack[-1][4] if self.stack else False

    def _push(self, tag: str, attrs: dict[str, str], block: str | None, ui: str | None) -> None:
        """Open `tag` (its BLOCK_TAGS role `block`, UI_CONTAINERS role `ui`) with its attributes."""
        stack = self.stack
        parent = stack[-1] if stack else _ROOT
        if not attrs:
            stack.append((tag, ui or parent[1], block or parent[2], parent[3], parent[4] or tag == "footer"))
        else:
            if ui is None:
                role = attrs.get("role") or ""
                marker = " ".join((attrs.get("class") or "", attrs.get("aria-label") or "",
                                   attrs.get("id") or "", role)).lower()
                if "breadcrumb" in marker:
                    ui = "breadcrumb"
                elif role in ("navigation", "menu", "menubar", "tablist", "button"):
                    ui = "nav" if role != "button" else "button"
            lang = attrs.get("lang")
            footer = (parent[4] or tag == "footer" or "footer" in (attrs.get("class") or "")
                      or attrs.get("role") == "contentinfo")
            stack.append((tag, ui or parent[1], block or parent[2],
                          lang.split("-")[0].lower() if lang else parent[3], footer))
        self.open[tag] = self.open.get(tag, 0) + 1

    def _pop(self) -> str:
        tag = self.stack.pop()[0]
        self.open[tag] -= 1
        return tag

    # -- attributes with offsets -----------------------------------------
    @staticmethod
    def attrs_mapped(raw: str, start: int) -> dict[str, Mapped]:
        """The values (mapped to the file) of a start tag's attributes that may hold copy."""
        out = {}
        name_end = _TAG_NAME.match(raw)
        pos = name_end.end() if name_end else 0
        for m in _ATTR.finditer(raw, pos):
            name = m.group(1).lower()
            if m.group(2) is None or name not in MAPPED_ATTRS:
                continue
            value = m.group(2)
            vstart = start + m.start(2)
            if value[0] in "\"'":
                value, vstart = value[1:-1], vstart + 1
            out[name] = unescape_mapped(value, vstart)
        return out

    # -- tokenizer events ------------------------------------------------
    def start(self, tag: str, attrs: list, start: int, raw: str, closing: bool = False) -> None:
        """A start tag at `start` whose source is `raw`; `closing`: written <tag/>."""
        page, skip, block, void, ui = _KINDS.get(tag) or _kind(tag)
        if page:
            self.saw_document = True
        if self.skip_depth:
            if skip:
                self.skip_depth += 1
        elif skip:
            if tag == "script" and attrs and (dict(attrs).get("type") or "").lower() == "application/ld+json":
                self.script = ("ld+json", start + len(raw))
            self.skip_depth = 1
        else:
            self._open(tag, attrs, start, raw, block, void, ui)
        if closing and not void and self.stack and self.stack[-1][0] == tag:
            self._pop()  # even when the tag itself was skipped (inside <svg>: its parent)

    def _open(self, tag: str, attrs: list, start: int, raw: str, block: str | None, void: bool,
              ui: str | None) -> None:
        """A start tag outside skipped elements (see start; the rest: its _KINDS entry)."""
        if block is not None:
            if self.parts:
                self.flush()
        elif tag == "br" or tag == "hr":  # a line break inside the block
            self.parts.append("\n")
            self.origins.append((start, start + len(raw)))
        if attrs:
            known = self.tags.get(raw)  # a page repeats its tags: each one's reading is kept
            if known is None:
                known = ({k: v or "" for k, v in attrs},
                         "=" in raw and _MAPPED_HINT.search(raw.lower()) is not None)  # else attrs_mapped finds none
                if len(self.tags) < _TAGS_KEPT:
                    self.tags[raw] = known
            amap, copy = known
        else:
            amap, copy = _NO_ATTRS, False
        if copy:
            mapped = self.attrs_mapped(raw, start)
            if mapped:
                self._attribute_blocks(tag, amap, mapped)
        if not void:
            self._push(tag, amap, block, ui)
        if tag == "footer" and self.doc.footer_offset is None:
            self.doc.footer_offset = start
        if tag == "a":
            self.links.append((len(self.stack), amap.get("href", ""), start, []))

    def _attribute_blocks(self, tag: str, amap: dict, mapped: dict[str, Mapped]) -> None:
        """Blocks of the copy in a tag's attributes: meta content, alt, title, placeholder..."""
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

    def end(self, tag: str, end: int) -> None:
        """An end tag starting at `end`."""
        if self.skip_depth:
            if tag in SKIP:
                self.skip_depth -= 1
                if not self.skip_depth and self.script:
                    self.jsonld(self.src[self.script[1]:end], self.script[1])
                    self.script = None
            return
        opened = self.open
        if not opened.get(tag):
            return  # stray end tag: browsers ignore it, so do we
        if self.parts and tag in BLOCK_TAGS:
            self.flush()
        stack = self.stack
        while stack:
            t = stack.pop()[0]
            opened[t] -= 1
            if t == "a" and self.links:
                self.close_link(end)
            if t == tag:
                break

    def close_link(self, end: int) -> None:
        _, href, start, text = self.links.pop()
        close = self.src.find(">", end)
        self.doc.links.append(Link("".join(text).strip(), href, start,
                                   close + 1 if close != -1 else end, self.in_footer()))

    def data(self, text: str, start: int) -> None:
        if self.skip_depth:
            return
        self.parts.append(text)
        self.origins.append(start)
        for link in self.links:
            link[3].append(text)

    def element(self, tag: str, start: int, text_start: int, text: str, end: int) -> None:
        """An element holding only text: start tag (no attributes) at `start`, `text` at
        `text_start`, end tag at `end` (what start, data and end would do, in one step)."""
        kind = _KINDS.get(tag)
        if self.skip_depth or kind is None or kind[1] or kind[2] is None or kind[3]:
            self.start(tag, _NO_ATTRS, start, self.src[start:text_start])
            self.data(text, text_start)
            self.end(tag, end)
            return
        # a block tag, outside skipped elements: a block of its own, stack as it was
        if kind[0]:
            self.saw_document = True
        if self.parts:
            self.flush()
        parent = self.stack[-1] if self.stack else _ROOT
        if tag == "footer" and self.doc.footer_offset is None:
            self.doc.footer_offset = start
        for link in self.links:
            link[3].append(text)
        if not text.isspace():
            self.doc.blocks.append(Block(Mapped(text, None, None, None, text_start),
                                         kind[4] or parent[1] or kind[2], parent[3], None,
                                         parent[4] or tag == "footer"))

    def ref(self, start: int, end: int) -> None:
        """A character reference: source[start:end]."""
        if not self.skip_depth:
            m = unescape_mapped(self.src[start:end], start)
            self.parts.append(m.text)
            self.origins.append(m)
            for link in self.links:
                link[3].append(m.text)

    def comment(self, data: str, start: int) -> None:
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


def _mapped(parts: list[str], origins: list) -> Mapped:
    """The text of `parts` mapped to the file by their `origins` (see _Page.origins)."""
    b = Builder()
    for piece, origin in zip(parts, origins):
        if type(origin) is int:
            b.add_verbatim(piece, origin)
        elif type(origin) is tuple:
            b.add_replaced(piece, *origin)
        else:
            b.add_mapped(origin)
    return b.take()


_ROOT = ("", None, None, None, False)
_NO_ATTRS: dict = {}
_TAGS_KEPT = 2048  # distinct start tags (with attributes) whose reading a page keeps


def _kind(tag: str) -> tuple[bool, bool, str | None, bool, str | None]:
    """What the builder needs to know of a tag: (a page's tag, skipped, its BLOCK_TAGS role,
    void, its UI_CONTAINERS role)."""
    return tag in PAGE_TAGS, tag in SKIP, BLOCK_TAGS.get(tag), tag in VOID, UI_CONTAINERS.get(tag)


_KINDS = {tag: _kind(tag) for tag in {*BLOCK_TAGS, *UI_CONTAINERS, *SKIP, *VOID, *PAGE_TAGS, "a", "span", "b",
                                      "i", "em", "strong", "small", "sup", "sub", "head", "img"}}


def _run(text: str, path: str, fast: bool = True) -> _Page:
    """The page of `text`: htmlscan reads the clean markup, html.parser the rest
    (all of it when not `fast`)."""
    page = _Page(text)
    stop = scan(text, page) if fast else 0
    if stop < len(text):
        from .htmlstd import stdlib_events  # (here: clean markup, most pages, never needs html.parser)

        stdlib_events(text, page, path, stop)
    page.flush()
    return page


_HTML_LANG = lazy_compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]+)", re.I)  # (in the first 5000 characters)


def parse_html(text: str, path: str) -> Document:
    p = _run(text, path)
    doc = p.doc
    doc.path = path
    doc.is_page = p.saw_document
    m = _HTML_LANG.search(text, 0, 5000)
    doc.lang = m.group(1).lower() if m else None
    return doc


def parse_fragment(text: str) -> list[Block]:
    """Blocks of an HTML fragment (a description cell, a locale string)."""
    return _run(text, "<fragment>").doc.blocks
