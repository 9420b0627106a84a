"""Word and OpenDocument drafts: zip containers read from bytes, with caps.

A draft becomes a Document whose text is its paragraphs (headings, body
paragraphs, table cells, in document order), each followed by a newline, so a
finding's line is its paragraph number and its offsets point into the text
`promiselint text DRAFT` prints.  A line break inside a paragraph becomes a
space.  Footnotes follow the body ("[1] ..."; the reference reads "[1]").
Comments, tracked deletions, text boxes, the table of contents, headers and
footers are not part of the text.  A draft is not a storefront page: it owes
no disclosures (`is_draft`), nor does an HTML export of a Google Doc.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from promiselint.core.document import Block, Document
from promiselint.core.errors import UsageError
from promiselint.core.findings import Finding
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Mapped

from . import CONTAINER_FORMATS

if TYPE_CHECKING:
    import zipfile

NAMES = {"docx": "Word document", "odt": "OpenDocument text"}
MAX_FILE_BYTES = 100 * 2**20  # a draft file larger than this is not read
MAX_XML_BYTES = 64 * 2**20  # declared unpacked size of the XML parts read (zip bombs)
MAX_ENTRIES = 20_000

_BREAKS = lazy_compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


class InvalidDraft(Exception):
    """A draft that cannot be read: reported as an `input.invalid` finding."""


def read_draft(path: Path) -> bytes:
    """The bytes of a draft file; UsageError if unreadable, InvalidDraft if too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidDraft(f"file is larger than {MAX_FILE_BYTES // 2**20} MB; not read")
        return path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory")
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}")


def invalid_finding(message: str) -> Finding:
    """The one finding of a draft that cannot be read (at its start)."""
    return Finding("input.invalid", "input", "error", message, 0, 0, "", "en",
                   line=1, column=1, end_line=1, end_column=1)


def open_zip(data: bytes, fmt: str) -> zipfile.ZipFile:
    """The zip container of a draft, refused when it is not one or has too many entries."""
    import io
    import zipfile  # (here: every HTML check imports this module for is_draft, and reads no zip)

    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InvalidDraft(f"not a {NAMES[fmt]}: an old binary (.doc) or password-protected file")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        entries = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InvalidDraft(f"not a {NAMES[fmt]} (not a zip file)")
    if len(entries) > MAX_ENTRIES:
        raise InvalidDraft(f"not a {NAMES[fmt]}: {len(entries)} parts in the zip file")
    return zf


def xml_parts_size(zf: zipfile.ZipFile, names) -> int:
    """Declared unpacked size of these parts; InvalidDraft above MAX_XML_BYTES.

    zipfile never unpacks more than an entry declares, so the cap holds for
    entries that lie about their size too."""
    total = sum(i.file_size for i in zf.infolist() if i.filename in names)
    if total > MAX_XML_BYTES:
        raise InvalidDraft(f"unpacks to {total // 2**20} MB of XML, over the "
                           f"{MAX_XML_BYTES // 2**20} MB limit (a zip bomb?)")
    return total


def parse_draft(data: bytes, fmt: str, path: str) -> Document:
    """A Document from the bytes of a .docx or .odt file; InvalidDraft if malformed."""
    if fmt == "docx":
        from .docx import paragraphs
    else:
        from .odt import paragraphs
    try:
        paras = paragraphs(data)
    except InvalidDraft:
        raise
    except Exception as e:  # a malformed part can break the parser anywhere
        detail = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise InvalidDraft(f"cannot read as a {NAMES[fmt]}: {detail}")
    return draft_document(path, fmt, paras)


def draft_document(path: str, fmt: str, paras: list[tuple[str, str]]) -> Document:
    """Document of (role, text) paragraphs: one line each, one Block per non-empty one."""
    doc = Document(path, "", fmt)
    pieces, at = [], 0
    for role, text in paras:
        text = _BREAKS.sub(" ", text)
        if text.strip():
            doc.blocks.append(Block(Mapped.identity(text, at), role))
        pieces.append(text + "\n")
        at += len(text) + 1
    doc.text = "".join(pieces)
    return doc


# -- Google Docs exports -----------------------------------------------------

# Google Docs' "Download > Web page" writes this meta tag (content before
# http-equiv), one-letter class styles (.c0, .c1...) and, since 2022,
# <body class="cN doc-content">; copy-paste from Docs wraps the copy in
# <b id="docs-internal-guid-...">.
_GDOCS_STRONG = lazy_compile(
    r'id="docs-internal-guid-|<body\s+class="c\d+ doc-content"|'
    r"ol\{margin:0;padding:0\}table td,table th\{padding:0\}", re.I)
_GDOCS_META = lazy_compile(r'<meta content="text/html; charset=UTF-8" http-equiv="content-type">', re.I)
_GDOCS_CLASSES = lazy_compile(r"\.c\d+\{[^}]*\}\.c\d+\{")


def google_docs_export(html: str) -> bool:
    """HTML that Google Docs wrote (an exported or pasted document, not a page)."""
    head = html[:200_000]
    return bool(_GDOCS_STRONG.search(head) or (_GDOCS_META.search(head) and _GDOCS_CLASSES.search(head)))


def is_draft(doc: Document) -> bool:
    """A Word/OpenDocument draft or a Google Docs export: owes no disclosures."""
    return doc.format in CONTAINER_FORMATS or (doc.format == "html" and google_docs_export(doc.text))
