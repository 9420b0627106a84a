"""Word (.docx) drafts, read with python-docx: paragraphs and table cells in order.

Tracked insertions count, tracked deletions (w:del, w:moveFrom) do not;
comments live in their own part and are never read; text boxes, drawings
and field codes are left out.  Media parts are never unpacked.
"""
from __future__ import annotations

import io
import re
import zipfile

from docx import Document as open_docx
from docx.oxml.ns import qn

from .office import open_zip, xml_parts_size

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(t) for t in (
    "w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
_T, _TAB, _PTAB, _BR, _CR, _NB_HYPHEN = (qn(t) for t in (
    "w:t", "w:tab", "w:ptab", "w:br", "w:cr", "w:noBreakHyphen"))
_SKIP = frozenset([*(qn(t) for t in (
    "w:pPr", "w:rPr", "w:sdtPr", "w:del", "w:moveFrom", "w:drawing", "w:pict", "w:object",
    "w:instrText", "w:delText", "w:footnoteReference", "w:endnoteReference")),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"])
_CONTAINERS = frozenset(qn(t) for t in ("w:customXml", "w:ins", "w:moveTo", "w:smartTag"))
_HEADING_NAME = re.compile(r"heading \d|title|subtitle", re.I)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(role, text) of every paragraph of the body, table cells included."""
    doc = open_docx(io.BytesIO(_without_media(data)))
    headings = _heading_styles(doc)
    out: list[tuple[str, str]] = []
    _walk(doc.element.body, headings, out, in_cell=False)
    return out


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


def _walk(container, headings: set[str], out: list, in_cell: bool) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == _P:
            out.append((_role(child, headings, in_cell), _text(child)))
        elif tag == _TBL:
            for row in _rows(child):
                for cell in row.iterchildren(_TC):
                    _walk(cell, headings, out, in_cell=True)
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                _walk(content, headings, out, in_cell)
        elif tag in _CONTAINERS:
            _walk(child, headings, out, in_cell)


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


def _text(p) -> str:
    parts: list[str] = []
    _inline(p, parts)
    return "".join(parts)


def _inline(el, parts: list[str]) -> None:
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
        else:  # runs, hyperlinks, insertions, fields, content controls...
            _inline(c, parts)
