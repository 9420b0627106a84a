"""What parsers hand to the linter: a document made of text blocks.

(Plain classes rather than dataclasses: every check builds these classes at
import, and a dataclass costs about 0.4 ms to build.)"""
from __future__ import annotations

from .sourcemap import Mapped

UI_ROLES = frozenset({"option", "nav", "button", "label", "breadcrumb", "menu"})


def fields_repr(obj, names) -> str:
    """`Name(field=value, ...)` of the fields `names` of `obj` (a dataclass's repr)."""
    return f"{type(obj).__name__}(" + ", ".join(f"{n}={getattr(obj, n)!r}" for n in names) + ")"


class Block:
    """A run of text with one role, mapped back to the file."""

    __slots__ = ("text", "role", "lang", "key", "in_footer")

    def __init__(self, text: Mapped, role: str = "paragraph", lang: str | None = None, key: str | None = None,
                 in_footer: bool = False):
        self.text = text
        self.role = role  # title, heading, paragraph, list-item, cell, quote, link, alt,
        #                   meta, jsonld, string, option, nav, button, label, breadcrumb...
        self.lang = lang  # declared by lang=, front matter or a PO header
        self.key = key  # key path (locale files), column (CSV), field (front matter)
        self.in_footer = in_footer

    def __repr__(self) -> str:
        return fields_repr(self, self.__slots__)


class Link:
    __slots__ = ("text", "href", "start", "end", "in_footer")

    def __init__(self, text: str, href: str, start: int, end: int, in_footer: bool = False):
        self.text, self.href = text, href
        self.start, self.end = start, end  # file offsets of the link element
        self.in_footer = in_footer

    def __repr__(self) -> str:
        return fields_repr(self, self.__slots__)


class Document:
    FIELDS = ("path", "text", "format", "blocks", "is_page", "lang", "links", "structured", "front_matter",
              "comments", "footer_offset", "encoding", "problems")

    def __init__(self, path: str, text: str, format: str, blocks: list[Block] | None = None,  # noqa: A002
                 is_page: bool = False, lang: str | None = None, links: list[Link] | None = None,
                 structured: list[dict] | None = None, front_matter: dict | None = None,
                 comments: list[tuple[str, int, int]] | None = None, footer_offset: int | None = None,
                 encoding: str = "utf-8", problems: list[tuple[str, int]] | None = None):
        self.path = path
        self.text = text  # the decoded file text; every offset points into it
        self.format = format  # txt, md, html, json, po, csv
        self.blocks = [] if blocks is None else blocks
        self.is_page = is_page  # a full page owes disclosures; a snippet does not
        self.lang = lang
        self.links = [] if links is None else links
        self.structured = [] if structured is None else structured  # JSON-LD objects
        self.front_matter = {} if front_matter is None else front_matter
        self.comments = [] if comments is None else comments  # (text, start, end)
        self.footer_offset = footer_offset  # where a missing-link finding points
        self.encoding = encoding
        self.problems = [] if problems is None else problems  # (message, offset): input.invalid
        self.memo: dict = {}  # indexes conditions share

    def __repr__(self) -> str:
        return fields_repr(self, self.FIELDS)
