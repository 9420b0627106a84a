"""Verdicts: which disclosures a page owes, and the findings for those it lacks.

Page mode (`check_page`) judges a page alone; site mode (`check_site`)
follows each link naming a disclosure to its target in the site.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from urllib.parse import unquote, urlsplit

from promiselint.core.document import Document
from promiselint.core.errors import UsageError

from .disclosure_cues import KINDS, LINK_KINDS, Lexicon, load_lexicon
from .disclosure_evidence import Evidence, Facts, ar_view, clean_label, evidence, facts

FINDING_KINDS = KINDS + ("placeholder-policy", "broken-link")
DEFAULT_PAGE = frozenset(LINK_KINDS)
DEFAULT_PRODUCT = frozenset(KINDS)


@dataclass
class Missing:
    kind: str  # one of FINDING_KINDS
    offset: int  # file offset of the place to point at
    end_offset: int  # >= offset, <= len(doc.text)
    lang: str  # the page's language (ar, fa, en): the message is in it
    message: str
    detail: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Requirements
# ---------------------------------------------------------------------------

def _check_kinds(kinds, where: str) -> frozenset:
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, (list, tuple, set, frozenset)):
        raise UsageError(f"page_types: {where}: expected a list of disclosure kinds")
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise UsageError(f"page_types: {where}: unknown disclosure {bad[0]!r} "
                         f"(known: {', '.join(KINDS)})")
    return frozenset(kinds)


def _configured(doc: Document, page_types: dict | None) -> frozenset | None:
    """The kinds config gives this document, or None when no entry matches."""
    if not page_types:
        return None
    ftype = str((doc.front_matter or {}).get("type") or "").strip()
    if ftype:
        for key, kinds in page_types.items():
            if str(key) == ftype:
                return _check_kinds(kinds, str(key))
    path = doc.path.replace("\\", "/")
    for key, kinds in page_types.items():
        key = str(key)
        if any(ch in key for ch in "*?[/") or "." in key:
            if fnmatch(path, key) or fnmatch(path, "*/" + key.lstrip("/")) or fnmatch(posixpath.basename(path), key):
                return _check_kinds(kinds, key)
    return None


def _requirements(doc: Document, ev: Evidence | Facts, page_types: dict | None) -> frozenset:
    from promiselint.formats.office import is_draft

    if is_draft(doc):  # a Word/OpenDocument draft or a Google Docs export is not a page
        return frozenset()
    configured = _configured(doc, page_types)
    if configured is not None:
        return configured
    if not doc.is_page:
        return frozenset()
    if ev.product:
        return DEFAULT_PRODUCT
    return DEFAULT_PAGE


def page_requirements(doc: Document, page_types: dict | None = None) -> set[str]:
    """Disclosures this page owes.

    Default: every full page (doc.is_page) owes privacy-policy, disclaimer,
    contact and return-policy; a product page (a visible price, a Product
    JSON-LD, or front matter `type: product`) also owes shipping-total.
    Snippets owe nothing.  `page_types` maps a front matter `type` or a path
    glob to a list of kinds and, when an entry matches, replaces the default
    (for snippets too: that is how config makes a snippet owe disclosures).
    A front matter type wins over a glob; among globs the first match wins.
    """
    if page_types is None and not doc.is_page:
        return set()
    return set(_requirements(doc, facts(doc), page_types))


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------

def _anchor(doc: Document) -> tuple[int, int]:
    """Where a missing link points: the <footer> tag, else </body>, else the first line."""
    text, n = doc.text, len(doc.text)
    if doc.format == "html" and doc.footer_offset is not None and doc.footer_offset < n:
        start = doc.footer_offset
        end = text.find(">", start)
        return start, (end + 1 if end != -1 else min(n, start + 8))
    if doc.format == "html":
        m = None
        for m in re.finditer(r"</body\s*>", text, re.I):
            pass
        if m:
            return m.start(), m.end()
    # the first non-blank line (front matter's `---`): the baseline matches findings by
    # rule, path and text, and this text does not change when lines are added below
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    return start, len(text[:end].rstrip())


def _message(lang: str, key: str, lex: Lexicon, **values) -> str:
    for l in (lang, "en"):
        template = lex.messages.get(l, {}).get(key)
        if template:
            try:
                return template.format(**values)
            except (KeyError, IndexError):
                return template
    return key


def _missing(doc: Document, ev: Evidence | Facts, kind: str, lex: Lexicon, named=()) -> Missing:
    detail: dict = {}
    if kind == "shipping-total":
        a, b, price = ev.prices[0] if ev.prices else (*_anchor(doc), "")
        detail["price"] = price.strip()
        msg = _message(ev.lang, kind, lex, price=price.strip() or "?")
    else:
        a, b = _anchor(doc)
        msg = _message(ev.lang, kind, lex)
        if ev.placeholder and kind in named:
            detail["placeholder"] = True
            msg += " " + _message(ev.lang, "placeholder", lex, target=doc.path)
    n = len(doc.text)
    a = max(0, min(a, n))
    return Missing(kind, a, max(a, min(b, n)), ev.lang, msg, detail)


def _named_by_heading(doc: Document, ev: Evidence | Facts, lex: Lexicon) -> set[str]:
    """Kinds a placeholder page's headings name (for the message only)."""
    if not ev.placeholder:
        return set()
    out = set()
    for b in doc.blocks:
        if b.role in ("heading", "title"):
            text = ar_view(doc, b).text
            label = clean_label(text)
            for kind, k in lex.kinds.items():
                if label and (k.labels.fullmatch(label) or k.names.search(text)):
                    out.add(kind)
    return out


def _shipping_missing(ev: Evidence | Facts, reqs) -> bool:
    return "shipping-total" in reqs and ev.priced and not ev.ships


def check_page(doc: Document, page_types: dict | None = None,
               lexicon_folders: tuple = ()) -> list[Missing]:
    """Missing disclosures of one full page, judged on that page alone.

    A link naming a disclosure counts whatever its target (check_site follows it).
    The page's facts are read cheapest first: links, then what the page shows itself.
    """
    lex = load_lexicon(tuple(lexicon_folders))
    if not doc.is_page and not page_types:
        return []
    ev = facts(doc, lex)
    linked = {k for _, kinds in ev.links for k in kinds}
    lacking = [k for k in LINK_KINDS if not (k in linked or ev.own[k] or k in ev.labels)]
    if not lacking and not (ev.priced and not ev.ships) and not page_types:
        return []  # the page shows all it could owe (and no config to check): no need to know what it owes
    reqs = _requirements(doc, ev, page_types)
    named = _named_by_heading(doc, ev, lex)
    out = [_missing(doc, ev, kind, lex, named=named) for kind in lacking if kind in reqs]
    if _shipping_missing(ev, reqs):
        out.append(_missing(doc, ev, "shipping-total", lex))
    return out


# -- site mode ---------------------------------------------------------------

_PAGE_EXTS = (".html", ".htm", ".md", ".markdown", ".mdx", ".liquid", ".xhtml")


def _norm(path: str) -> str:
    p = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    return "" if p == "." else p


def _resolve(page: str, href: str, index: dict, lower: dict, others: set):
    """What a link leads to: ('external'|'contact'|'dead'|'outside', None) or ('doc', path) or ('missing', path)."""
    h = (href or "").strip()
    if not h or h.startswith("#") or h.lower().startswith("javascript:"):
        return "dead", None
    if re.match(r"(?:mailto|tel|callto|sms|whatsapp):", h, re.I):
        return "contact", None
    parts = urlsplit(h)
    if parts.scheme or parts.netloc:
        if re.search(r"(?:^|\.)(?:wa\.me|whatsapp\.com)$", parts.netloc.lower()):
            return "contact", None
        return "external", None
    path = unquote(parts.path)
    if not path:
        return "doc", _norm(page)  # "?x=1": the page itself
    base = "" if path.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/") if base == "" else path))
    if joined.startswith(".."):
        return "outside", None
    target = _norm(joined)
    candidates = [target] if target else []
    if not posixpath.splitext(target)[1] or path.endswith("/"):
        stem = target.rstrip("/")
        candidates += [stem + ext for ext in _PAGE_EXTS if stem]
        candidates += [posixpath.join(stem, "index" + ext) for ext in (".html", ".htm", ".md")]
    for c in candidates:
        if c in index:
            return "doc", c
        if c.lower() in lower:
            return "doc", lower[c.lower()]
        if c in others or c.lower() in others:
            return "file", c
    return "missing", target or path


def check_site(docs: list, page_types: dict | None = None, other_files=(),
               lexicon_folders: tuple = ()) -> dict[str, list[Missing]]:
    """Storefront mode: every page of a folder (paths relative to the site root).

    A page shows a disclosure when it has it itself (heading, text, contact
    details, JSON-LD, front matter) or links to it: a link counts when its
    target exists in the site and has real content.  A link to a missing
    target is a 'broken-link' finding, to a placeholder page a
    'placeholder-policy' finding (either stands in for the missing-disclosure
    finding of that kind).  `other_files`: paths of files in the site that
    are not documents (a PDF policy), which links may point at.
    Returns path -> findings, for every document.
    """
    lex = load_lexicon(tuple(lexicon_folders))
    index = {_norm(d.path): d for d in docs}
    lower = {p.lower(): p for p in index}
    others = {_norm(p) for p in other_files} | {_norm(p).lower() for p in other_files}
    evs = {p: evidence(d, lex) for p, d in index.items()}
    result: dict[str, list[Missing]] = {}
    for d in docs:
        path = _norm(d.path)
        ev = evs[path]
        reqs = _requirements(d, ev, page_types) if (d.is_page or page_types) else frozenset()
        found: list[Missing] = []
        if not reqs:
            result[d.path] = found
            continue
        named = _named_by_heading(d, ev, lex)
        satisfied = {k for k in LINK_KINDS if ev.own[k]}
        tried: dict[str, int] = {}
        bad_links: list[Missing] = []
        seen_links: set[int] = set()
        for link, kinds in ev.links:
            how, target = _resolve(path, link.href, index, lower, others)
            if how in ("external", "file", "outside") or (how == "contact" and "contact" in kinds):
                satisfied |= kinds
                continue
            if how == "contact":
                continue
            if how == "doc" and not evs[target].empty:
                satisfied |= kinds
                continue
            for k in kinds:
                tried[k] = tried.get(k, 0) + 1
            if link.start in seen_links:
                continue
            seen_links.add(link.start)
            kind = "placeholder-policy" if how == "doc" else "broken-link"
            shown = link.href if how != "doc" else target
            n = len(d.text)
            a = max(0, min(link.start, n))
            ordered = [k for k in LINK_KINDS if k in kinds]
            bad_links.append(Missing(
                kind, a, max(a, min(link.end, n)), ev.lang,
                _message(ev.lang, kind, lex, text=link.text or link.href, target=shown),
                {"kind": ordered[0], "kinds": ordered, "target": shown, "href": link.href,
                 "text": link.text}))
        for kind in LINK_KINDS:
            if kind in reqs and kind not in satisfied and not tried.get(kind):
                found.append(_missing(d, ev, kind, lex, named=named))
        found.extend(bad_links)
        if _shipping_missing(ev, reqs):
            found.append(_missing(d, ev, "shipping-total", lex))
        found.sort(key=lambda m: (m.offset, FINDING_KINDS.index(m.kind)))
        result[d.path] = found
    return result
