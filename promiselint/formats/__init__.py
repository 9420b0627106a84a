"""Parsers: file text -> Document of Blocks with source maps, one module per format."""
from __future__ import annotations

from pathlib import PurePath

from promiselint.core.document import Document

EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md", ".mdx": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".liquid": "html",
    ".json": "json",
    ".po": "po", ".pot": "po",
    ".csv": "csv",
    ".docx": "docx", ".odt": "odt",
}
CONTAINER_FORMATS = frozenset({"docx", "odt"})  # read from bytes by parse_bytes, never decoded
FORMATS = sorted(set(EXTENSIONS.values()) - CONTAINER_FORMATS)


def format_for(path: str, default: str | None = None) -> str | None:
    return EXTENSIONS.get(PurePath(path).suffix.lower(), default)


def parse(text: str, fmt: str, path: str = "<text>") -> Document:
    """Parse text of the given format into a Document."""
    if fmt == "html":
        from .html import parse_html as p
    elif fmt == "md":
        from .markdown import parse_markdown as p
    elif fmt == "json":
        from .jsonfile import parse_json as p
    elif fmt == "po":
        from .po import parse_po as p
    elif fmt == "csv":
        from .csvfile import parse_csv as p
    else:
        from .text import parse_text as p
    doc = p(text, path)
    return doc


def parse_bytes(data: bytes, fmt: str, path: str) -> Document:
    """Parse a container format (docx, odt) from its bytes; office.InvalidDraft if malformed."""
    from .office import parse_draft

    return parse_draft(data, fmt, path)
