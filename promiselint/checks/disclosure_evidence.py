"""What a page shows about each disclosure, gathered in one pass over its blocks.

Blocks are read in the folded form the claims pass already made
(`normalize.folded`), seen through the "ar" table the cues are written for;
one scan of the whole page (`CueIndex`) says which cues each block may hold,
and only those run.  Cheap tests come first: no digit, no phone; no shipping
word, no shipping statement.  `Facts` works each fact out on first use, so a
verdict reads only what it needs (`check_page` on a page whose links name
every disclosure never looks for contact details or placeholder text).
"""
from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import unescape as html_unescape
from urllib.parse import unquote, urlsplit

from promiselint.core.document import Document, Link
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Mapped
from promiselint.text.language import SUPPORTED, detect
from promiselint.text.normalize import fold, fold_word, folded

from .disclosure_contact import has_email, has_phone, is_contact_href
from .disclosure_cues import LINK_KINDS, Lexicon, load_lexicon
from .disclosure_shipping import CLAUSE_START, WORD, mask, shipping_statement

PRODUCT_TYPES = ("product", "products", "product-page", "product_page")
# roles whose text is not shown on the page
_HIDDEN = {"meta", "jsonld", "alt"}
# roles that are UI chrome rather than copy
UI = {"nav", "breadcrumb", "menu", "option", "button", "label"}
_HTML_FORM = lazy_compile(r"<form\b.*?</form>", re.S | re.I)
_HTML_ADDRESS = lazy_compile(r"<address\b[^>]*>(.*?)</address>", re.S | re.I)
_TAG = lazy_compile(r"<[^>]+>")
_LD_PRICE = lazy_compile(r'"(?:price|lowPrice|highPrice)"\s*:\s*"?([0-9][0-9.,]*)')
_FM_PRICE = lazy_compile(r"^[ \t]*(?:price|sale_price|regular_price)[ \t]*:[ \t]*(.+?)[ \t]*$", re.M | re.I)
_A_TAG = lazy_compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>""", re.S | re.I)
# the "ar" table from a Persian fold: the two tables differ only in these letters
_FA_TO_AR = (("ی", "ي"), ("ک", "ك"), ("آ", "ا"))


def fa_to_ar(text: str) -> str:
    """A Persian fold seen through the "ar" table: three letters, one for one
    (str.replace of each: a fraction of str.translate's cost per character)."""
    for fa, ar in _FA_TO_AR:
        text = text.replace(fa, ar)
    return text


@dataclass(slots=True)
class _Unit:
    role: str
    in_footer: bool
    src: Mapped  # block text -> file
    folded: Mapped  # folded text -> block text
    text: str  # folded text ("ar" table)
    raw: str  # block text


@dataclass
class Evidence:
    """What a page shows, before any requirement is applied."""

    lang: str
    own: dict  # kind -> set of ways shown on the page itself (heading, text, detail, data...)
    links: list  # (Link, set of kinds) for links naming a disclosure
    labels: set  # kinds named by a short label block (page mode only)
    placeholder: bool  # the body is placeholder text: its headings show nothing
    empty: bool  # no real content at all (placeholder, or a few words and no contact details)
    prices: list  # (start, end, text) in file offsets, in document order
    shipping: set  # ways the shipping statement is made (empty: not made)
    product: bool

    @property
    def ships(self) -> bool:
        """The page states shipping (some way)."""
        return bool(self.shipping)

    @property
    def priced(self) -> bool:
        """The page shows a price."""
        return bool(self.prices)


def ar_view(doc: Document, block) -> Mapped:
    """`block` folded with the "ar" table, reusing the fold the claims pass made.

    An English block's fold is the "ar" one; a Persian block's differs only in
    three letters, translated one for one (offsets unchanged).
    """
    memo = doc.memo
    for lang in ("ar", "en"):
        got = memo.get(("fold", id(block), lang))  # normalize.folded's key
        if got is not None:
            return got
    fa = memo.get(("fold", id(block), "fa"))
    if fa is None:
        return folded(memo, block, "ar")
    view = memo.get(("ar-view", id(block)))
    if view is None:
        view = memo[("ar-view", id(block))] = Mapped(fa_to_ar(fa.text), fa.pos, fa.starts, fa.ends, fa.base)
    return view


def _each_unit(doc: Document):
    """The page's shown blocks as units, in order, each made when reached."""
    for b in doc.blocks:
        raw = b.text.text
        if b.role in _HIDDEN or not raw or raw.isspace():
            continue
        f = ar_view(doc, b)
        yield _Unit(b.role, b.in_footer, b.text, f, f.text, raw)


def _units(doc: Document) -> list[_Unit]:
    return list(_each_unit(doc))


def _file_span(u: _Unit, start: int, end: int) -> tuple[int, int]:
    a, b = u.folded.source_span(start, end)
    return u.src.source_span(a, b)


_NOT_LABEL = lazy_compile(r"[^\w&+'\-\s]")
_SPACES = lazy_compile(r"\s+")


def clean_label(folded_text: str) -> str:
    """A label in matching form: punctuation out, spaces collapsed."""
    return _SPACES.sub(" ", _NOT_LABEL.sub(" ", folded_text)).strip(" -")


def _href_text(href: str) -> tuple[str, str, str]:
    """(normalized target for href regexes, slug words, last segment stem)."""
    h = unquote(href.strip())
    parts = urlsplit(h)
    if parts.scheme in ("http", "https") or parts.netloc:
        target = (parts.netloc + parts.path).lower()
        path = parts.path
    elif parts.scheme:
        target = h.lower()
        path = ""
    else:
        target = parts.path.lower()
        path = parts.path
    path = fold(path, "ar").text
    stem = posixpath.splitext(posixpath.basename(path.rstrip("/")))[0]
    words = re.sub(r"[-_/.+]+", " ", posixpath.splitext(path)[0]).strip()
    return target, words, re.sub(r"[-_]+", " ", stem).strip()


@lru_cache(maxsize=4096)  # a site repeats its footer links on every page
def link_kinds(text: str, href: str, lex: Lexicon) -> frozenset:
    """The kinds a link names by its text or its target."""
    kinds = set()
    label = clean_label(fold_word(text, "ar")) if text else ""
    target, slug, stem = _href_text(href or "")
    for kind, k in lex.kinds.items():
        if label and (k.labels.fullmatch(label) or k.names.search(label)
                      or k.link_names.search(label) or k.text.search(label)):
            kinds.add(kind)
        elif target and k.hrefs.search(target):
            kinds.add(kind)
        elif slug and (k.names.search(slug) or (stem and k.labels.fullmatch(stem))):
            kinds.add(kind)
    return frozenset(kinds)


def _raw_html_links(doc: Document) -> list[Link]:
    """<a> tags in a Markdown file's raw HTML blocks, which its parser keeps as text only."""
    if doc.format != "md" or "<a" not in doc.text.lower():
        return []
    known = {l.start for l in doc.links}
    out = []
    for m in _A_TAG.finditer(doc.text):
        if m.start() in known:
            continue
        href = html_unescape(next(g for g in m.groups()[:3] if g is not None))
        text = re.sub(r"\s+", " ", html_unescape(_TAG.sub(" ", m.group(4)))).strip()
        near = doc.text[max(0, m.start() - 400):m.start()].lower()
        out.append(Link(text, href, m.start(), m.end(), in_footer="<footer" in near))
    return out


def _walk(node, parent=None):
    """(key, value, parent dict) for every key of every dict in a JSON-like tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k), v, node
            yield from _walk(v, node)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, parent)


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {str(x).rsplit("/", 1)[-1].lower() for x in ts if x}


def present(value) -> bool:
    """A front matter or JSON-LD value that says something ("no", "n/a" do not)."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and value.strip().lower() not in ("no", "false", "none", "n/a", "-")
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _structured(doc: Document, lex: Lexicon, own: dict, shipping: set) -> tuple[bool, bool]:
    """Record JSON-LD evidence; return (is a product, has a price)."""
    product = has_price = False
    for key, value, parent in _walk(doc.structured):
        types = _types(parent)
        if key == "@type":
            for t in types:
                if t in ("product", "productgroup", "individualproduct", "productmodel"):
                    product = True
                for kind, k in lex.kinds.items():
                    if t in k.jsonld:
                        own[kind].add("jsonld")
                if t in lex.ship_jsonld:
                    shipping.add("jsonld")
            continue
        low = key.lower()
        if low in ("price", "lowprice", "highprice") and present(value):
            has_price = True
        if not present(value):
            continue
        if low in lex.ship_jsonld:
            shipping.add("jsonld")
        for kind, k in lex.kinds.items():
            if low in k.jsonld:
                if low == "address" and types & {"definedregion", "shippingratesettings"}:
                    continue
                own[kind].add("jsonld")
    return product, has_price


def _front_matter(doc: Document, lex: Lexicon, own: dict, shipping: set) -> None:
    for key, value, _ in _walk(doc.front_matter):
        low = key.lower()
        if not present(value):
            continue
        for kind, k in lex.kinds.items():
            if low in k.front_matter:
                own[kind].add("front-matter")
        if low in lex.ship_front_matter:
            if isinstance(value, bool) or isinstance(value, (int, float)):
                shipping.add("front-matter")
            elif isinstance(value, str):
                v = fold(value, "ar").text
                masked = mask(v, lex.not_statements)
                if masked.strip() and (lex.ship_values.search(masked) or lex.price.search(masked)
                                       or shipping_statement(masked, lex)
                                       or re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", masked)):
                    shipping.add("front-matter")


def _placeholder(doc: Document, units: list[_Unit], may: list, lex: Lexicon) -> tuple[bool, int]:
    """(the body holds placeholder text, number of words of real body copy, counted up to 25).

    Body copy: paragraphs, list items, cells outside the footer and outside
    link texts (a footer of links is not content), headings and UI excluded.
    Placeholder: a strong phrase (lorem ipsum, «محتوى صفحة ...») anywhere in
    it, or a weak one ("coming soon") with fewer than 25 other words.  Once
    25 words are counted only a strong phrase can change the answer.
    """
    starts = keys = None
    words = 0
    weak = False
    for u, cues in zip(units, may):
        if u.role in UI or u.role in ("title", "heading") or u.in_footer:
            continue
        body = u.text
        if "strong" in cues:
            if lex.strong.search(body):
                return True, words
            body = mask(body, lex.strong)
        if words >= 25:
            continue
        if "weak" in cues or "strong" in cues:  # (blanking a strong phrase may make a weak one)
            if lex.weak.search(u.text):
                weak = True
            body = mask(body, lex.weak)
        n = len(WORD.findall(body))
        # words of the links inside this block are navigation, not content
        if starts is None:
            starts = sorted((l.start, len(WORD.findall(fold_word(l.text, "ar")))) for l in doc.links if l.text)
            keys = [a for a, _ in starts]
        if keys:
            a0, b0 = u.src.source_span(0, len(u.raw))
            lo = bisect_right(keys, a0 - 1)
            hi = bisect_right(keys, b0)
            n -= sum(w for _, w in starts[lo:hi])
        words += max(0, n)
    return weak and words < 25, words


_ARABIC_RUN = lazy_compile("[\u0600-\u06ff]+")
_LATIN_RUN = lazy_compile("[A-Za-z]+")


def _page_lang(doc: Document, units: list[_Unit]) -> str:
    if doc.lang in SUPPORTED:
        return doc.lang
    sample, size = [], 0
    for u in units:
        if u.role not in UI:
            sample.append(u.raw)
            size += len(u.raw) + 1
            if size > 6000:
                break
    sample = " ".join(sample)[:6000]
    arabic = sum(map(len, _ARABIC_RUN.findall(sample)))
    latin = sum(map(len, _LATIN_RUN.findall(sample)))
    if arabic and arabic >= latin / 3:
        return detect(sample) or "ar"
    return "en"


_SEVEN_WORDS = lazy_compile(r"(?<![^\W_])[^\W_]++(?:[\W_]++[^\W_]++){6}")  # seven WORDs (tried from word starts)


def _short(text: str) -> bool:
    """Six words or fewer."""
    return _SEVEN_WORDS.search(text) is None


def _contact(doc: Document, units: list[_Unit], may: list, lex: Lexicon) -> set:
    """Contact details shown: email, phone, address, contact form."""
    found: set[str] = set()
    for u, cues in zip(units, may):  # (a detail found once needs no more looking for)
        if "email" not in found and has_email(u.text):
            found.add("email")
        if "phone" not in found and has_phone(u.text, lex.phone_labels):
            found.add("phone")
        if "address" not in found and u.role not in UI and (
                ("address" in cues and lex.address.found(u.text, cues["address"]))
                or (lex.uk_postcode.may_match(u.raw) and lex.uk_postcode.search(u.raw))):
            found.add("address")
    if doc.format == "html":
        for m in _HTML_ADDRESS.finditer(doc.text):
            if len(_TAG.sub(" ", m.group(1)).split()) >= 3:
                found.add("address")
        for m in _HTML_FORM.finditer(doc.text):
            if re.search(r"<textarea\b", m.group(), re.I):
                found.add("form")
    return found


def _links(doc: Document, lex: Lexicon, contact: set) -> list:
    """(link, kinds) of the links naming a disclosure; contact links go in `contact`."""
    links = []
    for link in doc.links + _raw_html_links(doc):
        if link.href and is_contact_href(link.href):
            contact.add("link-detail")
        kinds = link_kinds(link.text, link.href, lex)
        if kinds:
            links.append((link, set(kinds)))
    return links


def _named(units: list[_Unit], may: list, lex: Lexicon, placeholder: bool, own: dict) -> set:
    """Headings, titles, body text and short labels naming a disclosure; returns
    the kinds named by a short label block.  A kind's labels and names are tried
    on a label only when the cue index finds their anchors in it."""
    heads = [u.role in ("heading", "title") for u in units]
    texts = [clean_label(u.text) if heading or _short(u.text) else "" for u, heading in zip(units, heads)]
    index = lex.label_index
    if index.filter is None and lex.index.filter is not None:
        index.build()  # (with the blocks' index: the run has shown some volume)
    found = iter(index.scan([t for t in texts if t]))
    labels: set[str] = set()
    for u, cues, heading, label in zip(units, may, heads, texts):
        in_label = next(found) if label else {}
        if ("strong" in cues and lex.strong.search(u.text)) or ("weak" in cues and lex.weak.search(u.text)):
            continue  # "Privacy policy coming soon" names a policy that is not there
        for kind, k in lex.kinds.items():
            if not label or ((kind, "labels") not in in_label and not (heading and (kind, "names") in cues)):
                named = False  # (a name is a label item too: neither can match)
            elif heading:
                named = bool(k.labels.fullmatch(label)
                             or ((kind, "names") in cues and k.names.found(u.text, cues[kind, "names"])))
            else:  # a label-like block: the name is most of it («سياسة الخصوصية», "Contact us")
                m = k.names.search(label)
                named = bool(k.labels.fullmatch(label) or (m and len(m.group()) >= 0.6 * len(label)))
            if not placeholder:
                if heading and named:
                    own[kind].add("heading")
                elif (kind, "text") in cues and k.text.found(u.text, cues[kind, "text"]):
                    own[kind].add("text")
            if named and not heading:
                labels.add(kind)
    return labels


def _shipping_page(units: list[_Unit], lex: Lexicon) -> bool:
    """A shipping page («الشحن والتوصيل», "Delivery information"): its amounts are shipping costs."""
    first_heading = next((u for u in units if u.role == "heading"), None)
    for u in units:
        if u.role != "title" and u is not first_heading or lex.price.search(u.text):
            continue
        w = lex.ship_words.search(u.text)
        if w and CLAUSE_START.search(u.text[:w.start()]):
            return True
    return False


_NO_PRICE_ROLES = ("title", "nav", "breadcrumb", "menu")


class Facts:
    """What a page shows about each disclosure (the fields of `Evidence`), each
    worked out on first use: a verdict reads only what it needs.  Block by
    block too: whether the page shows a price and states shipping stops at the
    first block that does (most pages: an early paragraph), and only the blocks
    read so far are scanned by the cue index and searched for prices."""

    def __init__(self, doc: Document, lex: Lexicon):
        self.doc, self.lex = doc, lex
        self._made: list[_Unit] = []  # the units made so far (see unit)
        self._rest = _each_unit(doc)
        self._cues: dict[int, dict] = {}  # block number -> the cue index's answer, once read
        self._found: dict[int, list] = {}  # block number -> its price matches, once read

    def unit(self, i: int) -> _Unit | None:
        """Unit i (None past the last), the units before it made first."""
        made = self._made
        while len(made) <= i:
            u = next(self._rest, None)
            if u is None:
                return None
            made.append(u)
        return made[i]

    @cached_property
    def units(self) -> list[_Unit]:
        self._made.extend(self._rest)
        return self._made

    def cues_of(self, i: int) -> dict:
        """The cues (and items) unit i may hold (CueIndex.scan)."""
        got = self._cues.get(i)
        if got is None:
            got = self._cues[i] = self.lex.index.scan([self._made[i].text])[0]
        return got

    @cached_property
    def may(self) -> list[dict]:
        """Every unit's cues (one scan of the units not read yet)."""
        todo = [i for i in range(len(self.units)) if i not in self._cues]
        self._cues.update(zip(todo, self.lex.index.scan([self._made[i].text for i in todo])))
        return [self._cues[i] for i in range(len(self._made))]

    def prices_in(self, i: int) -> list:
        """The price matches in unit i's text (none in a title or UI chrome)."""
        got = self._found.get(i)
        if got is None:
            u = self._made[i]
            got = self._found[i] = (list(self.lex.price.finditer(u.text)) if u.role not in _NO_PRICE_ROLES
                                    and "price" in self.cues_of(i) else [])
        return got

    @cached_property
    def _linked(self) -> tuple[list, set]:
        contact: set[str] = set()
        return _links(self.doc, self.lex, contact), contact

    @property
    def links(self) -> list:
        return self._linked[0]

    @cached_property
    def _data(self) -> tuple[bool, bool, dict, set]:
        """JSON-LD and front matter: (a product, a price, kind -> ways shown, shipping ways)."""
        own: dict[str, set] = {k: set() for k in LINK_KINDS}
        shipping: set[str] = set()
        product, has_price = _structured(self.doc, self.lex, own, shipping)
        _front_matter(self.doc, self.lex, own, shipping)
        return product, has_price, own, shipping

    @cached_property
    def _body(self) -> tuple[bool, int]:
        return _placeholder(self.doc, self.units, self.may, self.lex)

    @property
    def placeholder(self) -> bool:
        return self._body[0]

    @cached_property
    def _names(self) -> tuple[set, dict]:
        own: dict[str, set] = {k: set() for k in LINK_KINDS}
        return _named(self.units, self.may, self.lex, self.placeholder, own), own

    @property
    def labels(self) -> set:
        return self._names[0]

    @cached_property
    def own(self) -> dict:
        own = {k: set() for k in LINK_KINDS}
        own["contact"] |= _contact(self.doc, self.units, self.may, self.lex) | self._linked[1]
        for part in (self._data[2], self._names[1]):
            for kind, ways in part.items():
                own[kind] |= ways
        return own

    @cached_property
    def prices(self) -> list:
        """The prices shown, (start, end, text) in file offsets, sorted: in the copy,
        else in front matter or JSON-LD."""
        prices = []
        for i, u in enumerate(self.units):
            for m in self.prices_in(i):
                a, b = _file_span(u, m.start(), m.end())
                prices.append((a, b, self.doc.text[a:b]))
        prices.sort()
        return prices or _data_price(self.doc, self._data[1])

    @cached_property
    def priced(self) -> bool:
        """The page shows a price (bool(prices)): stops at the first block with one."""
        if "prices" in self.__dict__:
            return bool(self.prices)
        i = 0
        while self.unit(i) is not None:
            if self.prices_in(i):
                return True
            i += 1
        return bool(_data_price(self.doc, self._data[1]))

    def _statements(self):
        """How each block states shipping (included, free, cost), one answer per stating block."""
        lex = self.lex
        i = -1
        while (u := self.unit(i := i + 1)) is not None:
            if u.role in _NO_PRICE_ROLES:
                continue
            cues = self.cues_of(i)
            if ("not_statements" in cues or "included" in cues or "free" in cues
                    or ("ship_words" in cues and self.prices_in(i))):
                masked = mask(u.text, lex.not_statements) if "not_statements" in cues else u.text
                how = (shipping_statement(masked, lex, cues, self._found.get(i)) if masked == u.text
                       else shipping_statement(masked, lex))  # (masking may make a cue: try them all)
                if how:
                    yield how

    @cached_property
    def shipping(self) -> set:
        ways = set(self._data[3]) | set(self._statements())
        if _shipping_page(self.units, self.lex):
            ways.add("shipping-page")
        return ways

    @cached_property
    def ships(self) -> bool:
        """The page states shipping (some way): stops at the first."""
        if "shipping" in self.__dict__:
            return bool(self.shipping)
        return bool(self._data[3] or next(self._statements(), None) or _shipping_page(self.units, self.lex))

    @cached_property
    def product(self) -> bool:
        ftype = str((self.doc.front_matter or {}).get("type") or "").strip().lower()
        return self._data[0] or self.priced or ftype in PRODUCT_TYPES

    @cached_property
    def empty(self) -> bool:
        return self.placeholder or (self._body[1] < 8 and not self.own["contact"])

    @cached_property
    def lang(self) -> str:
        return _page_lang(self.doc, self.units)

    def evidence(self) -> Evidence:
        return Evidence(self.lang, self.own, self.links, self.labels, self.placeholder, self.empty, self.prices,
                        self.shipping, self.product)


def _data_price(doc: Document, ld_price: bool) -> list:
    """The price of a page showing none in its copy: front matter, else JSON-LD."""
    fm = doc.front_matter or {}
    if any(str(k).lower() in ("price", "sale_price", "regular_price") and present(v) for k, v in fm.items()):
        m = _FM_PRICE.search(doc.text)
        if m:
            return [(m.start(1), m.end(1), m.group(1))]
    if ld_price:
        m = _LD_PRICE.search(doc.text)
        return [(m.start(1), m.end(1), m.group(1))] if m else [(0, 0, "")]
    return []


def facts(doc: Document, lex: Lexicon | None = None) -> Facts:
    """The page's facts, each worked out when first read."""
    return Facts(doc, lex or load_lexicon())


def evidence(doc: Document, lex: Lexicon | None = None) -> Evidence:
    """Everything the page shows about each disclosure."""
    return facts(doc, lex).evidence()
