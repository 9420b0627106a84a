"""What parsers hand to the linter: a document made of text blocks."""
from __future__ import annotations

from dataclasses import dataclass, field

from .sourcemap import Mapped

UI_ROLES = frozenset({"option", "nav", "button", "label", "breadcrumb", "menu"})


@dataclass(slots=True)
class Block:
    """A run of text with one role, mapped back to the file."""

    text: Mapped
    role: str = "paragraph"  # title, heading, paragraph, list-item, cell, quote, link, alt,
    #                          meta, jsonld, string, option, nav, button, label, breadcrumb...
    lang: str | None = None  # declared by lang=, front matter or a PO header
    key: str | None = None  # key path (locale files), column (CSV), field (front matter)
    in_footer: bool = False


@dataclass(slots=True)
class Link:
    text: str
    href: str
    start: int  # file offsets of the link element
    end: int
    in_footer: bool = False


@dataclass
class Document:
    path: str
    text: str  # the decoded file text; every offset points into it
    format: str  # txt, md, html, json, po, csv
    blocks: list[Block] = field(default_factory=list)
    is_page: bool = False  # a full page owes disclosures; a snippet does not
    lang: str | None = None
    links: list[Link] = field(default_factory=list)
    structured: list[dict] = field(default_factory=list)  # JSON-LD objects
    front_matter: dict = field(default_factory=dict)
    comments: list[tuple[str, int, int]] = field(default_factory=list)  # (text, start, end)
    footer_offset: int | None = None  # where a missing-link finding points
    encoding: str = "utf-8"
    problems: list[tuple[str, int]] = field(default_factory=list)  # (message, offset): input.invalid
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # indexes conditions share
