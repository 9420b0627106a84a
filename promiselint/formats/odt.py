"""OpenDocument text (.odt) drafts: content.xml read with lxml, entities never expanded.

odfpy loads every part of the package (images too) and its text extraction
keeps comments and runs footnotes into the sentence, so the few elements that
matter are walked here: text:h and text:p (in lists, sections and table
cells), with text:s/text:tab/text:line-break and ODF's whitespace collapsing;
without office:annotation (comments), draw:frame (text boxes), indexes (the
table of contents) and text:tracked-changes (deleted text).  A footnote reads
"[1]" where it is cited and its text follows the body: "[1] Tested by ...".
"""
from __future__ import annotations

import re

from lxml import etree

from promiselint.core.lazyre import lazy_compile

from .office import InvalidDraft, open_zip, xml_parts_size

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_H, _P, _CELL, _S, _TAB, _BR, _NOTE, _CITATION, _NOTE_BODY = (_q(t) for t in (
    "text:h", "text:p", "table:table-cell", "text:s", "text:tab", "text:line-break", "text:note",
    "text:note-citation", "text:note-body"))
_SKIP = frozenset(_q(t) for t in (
    "office:annotation", "office:annotation-end", "text:tracked-changes", "draw:frame",
    "draw:custom-shape", "table:covered-table-cell", "office:forms", "text:sequence-decls",
    "text:variable-decls", "text:user-field-decls", "text:table-of-content", "text:illustration-index",
    "text:table-index", "text:object-index", "text:user-index", "text:alphabetical-index",
    "text:bibliography"))
_HEADING_STYLES = lazy_compile(r"Title|Subtitle|Heading(_20_\d+)?", re.I)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(role, text) of every heading and paragraph of the body, table cells included."""
    zf = open_zip(data, "odt")
    if "content.xml" not in zf.namelist():
        raise InvalidDraft("not an OpenDocument text: no content.xml in the zip file")
    xml_parts_size(zf, {"content.xml"})
    root = etree.fromstring(zf.read("content.xml"), _PARSER)
    body = root.find(f"{_q('office:body')}/{_q('office:text')}")
    if body is None:
        raise InvalidDraft("not an OpenDocument text: content.xml has no office:text body")
    parents = {s.get(_q("style:name")): s.get(_q("style:parent-style-name"), "")
               for s in root.iter(_q("style:style"))}
    out: list[tuple[str, str]] = []
    notes: list[str] = []
    _walk(body, parents, out, notes, in_cell=False)
    return out + [("footnote", note) for note in notes]


def _walk(el, parents: dict, out: list, notes: list, in_cell: bool) -> None:
    for c in el:
        tag = c.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _H:
            out.append(("heading", _text(c, notes)))
        elif tag == _P:
            style = c.get(_q("text:style-name"), "")
            heading = _HEADING_STYLES.fullmatch(style) or _HEADING_STYLES.fullmatch(parents.get(style, ""))
            out.append(("heading" if heading else "cell" if in_cell else "paragraph", _text(c, notes)))
        else:  # lists, sections, tables, rows, cells...
            _walk(c, parents, out, notes, in_cell or tag == _CELL)


class _Text:
    """Paragraph text with ODF's rule: runs of white space in character data are one
    space, dropped at the start; text:s, text:tab and text:line-break are kept."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.space = True  # at the start, or after a space: white space is dropped

    def data(self, s: str | None) -> None:
        for piece in re.split(r"([ \t\n\r]+)", s or ""):
            if not piece:
                continue
            if piece[0] in " \t\n\r":
                if not self.space:
                    self.parts.append(" ")
                    self.space = True
            else:
                self.parts.append(piece)
                self.space = False

    def literal(self, s: str) -> None:
        self.parts.append(s)
        self.space = False


def _text(p, notes: list) -> str:
    t = _Text()
    _inline(p, t, notes)
    return "".join(t.parts)


def _note(note, t: _Text, notes: list) -> None:
    """A footnote: "[n]" where it is cited; "[n] its text" kept for after the body."""
    citation = note.find(_CITATION)
    label = "".join(citation.itertext()).strip() if citation is not None else ""
    label = label or str(len(notes) + 1)
    t.literal(f"[{label}]")
    body = note.find(_NOTE_BODY)
    inner: list = []
    text = " ".join(_text(p, inner) for p in body.iter(_P)) if body is not None else ""
    notes.append(f"[{label}] {text}".rstrip())
    notes.extend(inner)


def _inline(el, t: _Text, notes: list) -> None:
    t.data(el.text)
    for c in el:
        tag = c.tag
        if tag == _S:
            try:
                n = int(c.get(_q("text:c"), "1"))
            except ValueError:
                n = 1
            t.literal(" " * max(1, min(n, 1000)))
        elif tag == _TAB:
            t.literal("\t")
        elif tag == _BR:
            t.literal(" ")
        elif tag == _NOTE:
            _note(c, t, notes)
        elif isinstance(tag, str) and tag not in _SKIP:
            _inline(c, t, notes)  # spans, links, insertions, fields...
        t.data(c.tail)
