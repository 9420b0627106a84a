"""Word (.docx) drafts, read with python-docx: paragraphs and table cells in order.

Tracked insertions count, tracked deletions (w:del, w:moveFrom) do not;
comments live in their own part and are never read; text boxes, drawings,
field codes and the table of contents are left out.  A footnote reference
reads "[1]" (footnotes numbered in the order they are referenced) and the
footnotes follow the body, one paragraph each: "[1] Tested by ...".  Media
parts are never unpacked.
"""
from __future__ import annotations

import io
import re
import zipfile

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from promiselint.core.lazyre import lazy_compile

from .office import open_zip, xml_parts_size

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(t) for t in (
    "w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
_T, _TAB, _PTAB, _BR, _CR, _NB_HYPHEN = (qn(t) for t in (
    "w:t", "w:tab", "w:ptab", "w:br", "w:cr", "w:noBreakHyphen"))
_FOOTNOTE_REF = qn("w:footnoteReference")
_SKIP = frozenset([*(qn(t) for t in (
    "w:pPr", "w:rPr", "w:sdtPr", "w:del", "w:moveFrom", "w:drawing", "w:pict", "w:object",
    "w:instrText", "w:delText", "w:endnoteReference")),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"])
_CONTAINERS = frozenset(qn(t) for t in ("w:customXml", "w:ins", "w:moveTo", "w:smartTag"))
_HEADING_NAME = lazy_compile(r"heading \d|title|subtitle", re.I)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(role, text) of every paragraph of the body, table cells included, then footnotes."""
    doc = open_docx(io.BytesIO(_without_media(data)))
    return _Reader(doc).read()


def _without_media(data: bytes) -> bytes:
    """The package with only its XML parts unpacked (media parts left empty)."""
    zf = open_zip(data, "docx")
    xml = {i.filename for i in zf.infolist() if i.filename.endswith((".xml", ".rels"))}
    xml_parts_size(zf, xml)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for info in zf.infolist():
            if not info.is_dir():
                out.writestr(info.filename, zf.read(info) if info.filename in xml else b"")
    return buf.getvalue()


def _heading_styles(doc) -> set[str]:
    """Style ids of headings: built-in Heading N/Title/Subtitle, an outline level,
    or based on such a style."""
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.iterchildren(qn("w:style"))}

    def is_heading(style_id, depth=0) -> bool:
        s = styles.get(style_id)
        if s is None or depth > 10:
            return False
        name = s.find(qn("w:name"))
        if name is not None and _HEADING_NAME.fullmatch(name.get(qn("w:val"), "")):
            return True
        if _outline_level(s.find(qn("w:pPr"))):
            return True
        based = s.find(qn("w:basedOn"))
        return based is not None and is_heading(based.get(qn("w:val")), depth + 1)

    return {sid for sid in styles if sid and is_heading(sid)}


def _outline_level(ppr) -> bool:
    """An outline level 0-8 marks a heading (9 is body text)."""
    lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    return lvl is not None and lvl.get(qn("w:val"), "9") in "012345678"


class _Reader:
    def __init__(self, doc):
        self.doc = doc
        self.headings = _heading_styles(doc)
        self.notes: dict[str, int] = {}  # footnote id -> its number, in order of reference
        self.out: list[tuple[str, str]] = []

    def read(self) -> list[tuple[str, str]]:
        self.walk(self.doc.element.body, in_cell=False)
        footnotes = self.footnotes()
        for note_id, n in list(self.notes.items()):
            self.out.append(("footnote", f"[{n}] " + footnotes.get(note_id, "")))
        return self.out

    def walk(self, container, in_cell: bool) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == _P:
                self.out.append((_role(child, self.headings, in_cell), self.text(child)))
            elif tag == _TBL:
                for row in _rows(child):
                    for cell in row.iterchildren(_TC):
                        self.walk(cell, in_cell=True)
            elif tag == _SDT and not _is_toc(child):
                for content in child.iterchildren(_SDT_CONTENT):
                    self.walk(content, in_cell)
            elif tag in _CONTAINERS:
                self.walk(child, in_cell)

    def text(self, p) -> str:
        parts: list[str] = []
        self.inline(p, parts)
        return "".join(parts)

    def inline(self, el, parts: list[str]) -> None:
        for c in el.iterchildren():
            tag = c.tag
            if tag in _SKIP:
                continue
            if tag == _T:
                parts.append(c.text or "")
            elif tag in (_TAB, _PTAB):
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append(" ")
            elif tag == _NB_HYPHEN:
                parts.append("\u2011")
            elif tag == _FOOTNOTE_REF:
                note_id = c.get(qn("w:id"), "")
                parts.append(f"[{self.notes.setdefault(note_id, len(self.notes) + 1)}]")
            else:  # runs, hyperlinks, insertions, fields, content controls...
                self.inline(c, parts)

    def footnotes(self) -> dict[str, str]:
        """Footnote id -> its text (its paragraphs joined by spaces)."""
        for rel in self.doc.part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                root = parse_xml(rel.target_part.blob)
                return {n.get(qn("w:id")): " ".join(self.text(p) for p in n.iter(_P)).strip()
                        for n in root.iterchildren(qn("w:footnote"))}
        return {}


def _is_toc(sdt) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and gallery.get(qn("w:val"), "").lower().startswith("table of contents")


def _rows(tbl):
    for child in tbl.iterchildren():
        if child.tag == _TR:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _rows(child)
        elif child.tag == _SDT and child.find(_SDT_CONTENT) is not None:
            yield from _rows(child.find(_SDT_CONTENT))


def _role(p, headings: set[str], in_cell: bool) -> str:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if (style is not None and style.get(qn("w:val")) in headings) or _outline_level(ppr):
        return "heading"
    return "cell" if in_cell else "paragraph"


