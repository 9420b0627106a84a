"""Disclosures a page owes the buyer, and whether the page (or the site) gives them.

A full page (an HTML document, Markdown with front matter) owes, by default,
the privacy policy, a disclaimer, a way to contact the seller and the return
policy; a product page (a price, a Product JSON-LD, or front matter
`type: product`) also owes the shipping-total statement.  `page_types` in the
config maps front matter types or path globs to other sets.

How a disclosure can be shown (cues are data: lexicons/{ar,fa,en}/disclosures.yaml,
merged, every cue tried on every page, matched on `fold(text, "ar")` so that
digits, Arabic/Persian letter variants and ZWNJ spellings meet):

* a link: its text (a label such as «الخصوصية» or a name such as «سياسة
  الخصوصية») or its target (`/policies/refund-policy`, an Arabic slug);
  for contact also `mailto:`, `tel:`, `sms:`, WhatsApp (wa.me, api.whatsapp.com);
* a heading or the page title naming it (the page *is* the policy);
* body text that is the disclosure itself («استرجاع خلال ١٤ يوماً», "we are not
  liable for", an email address, a phone number in any digit system, a postal
  address, an <address> element, a contact form with a message box);
* schema.org JSON-LD anywhere in doc.structured (nested, @graph):
  hasMerchantReturnPolicy, contactPoint / telephone / email / address,
  termsOfService, shippingDetails;
* Markdown front matter fields (`return_policy:`, `phone:`, `shipping: free`...).

Shipping-total: once a page shows a price (an amount with a currency, in any
digit system and with ٬ , ٫ separators), the page must say that the price or
total includes shipping, or state the shipping cost (a shipping word beside an
amount: «رسوم الشحن: 15 درهم», "£4.95 UK delivery") or free-shipping terms.
"Calculated at checkout", "excluding shipping" and the like are masked out
first, so they never count.  JSON-LD offers.shippingDetails counts.  The
statement may be anywhere on the page (an announcement bar, a note under a
product grid): it covers every price on that page.

Judgment calls:

* Terms pages («الشروط والأحكام», «قوانین و مقررات», "Terms of service")
  count as the disclaimer: that is where stores put their liability and
  warranty disclaimers.
* A page whose own body is a placeholder («محتوى صفحة سياسة الخصوصية», "Lorem
  ipsum", "Coming soon" on an otherwise empty page) does not show the policy
  its heading names.  The same phrases next to a policy name in a footer
  ("Privacy policy coming soon") cancel that mention.
* Contact: "Contact us" inside a sentence is not a contact; a link, a heading,
  a label, or an actual email/phone/address/WhatsApp/form is.
* Page mode (check_page) judges a page alone: a link naming a disclosure
  counts whatever its target, since the target cannot be seen.  Site mode
  (check_site) follows the link: the target must exist in the site and have
  real content; a missing target is a `broken-link` finding (so is a dead
  `#` link), a placeholder target a `placeholder-policy` finding, and either
  replaces the missing-disclosure finding for that kind.  Links to other
  hosts are taken on trust.
"""
from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .data import data_dir
from .document import Document, Link
from .errors import UsageError
from .language import SUPPORTED, detect
from .lexicon import union
from .normalize import fold, fold_word, table
from .yamlload import load_yaml

KINDS = ("privacy-policy", "disclaimer", "contact", "return-policy", "shipping-total")
LINK_KINDS = KINDS[:4]
FINDING_KINDS = KINDS + ("placeholder-policy", "broken-link")
DEFAULT_PAGE = frozenset(LINK_KINDS)
DEFAULT_PRODUCT = frozenset(KINDS)
PRODUCT_TYPES = ("product", "products", "product-page", "product_page")
_LANGS = ("ar", "fa", "en")

# roles whose text is not shown on the page
_HIDDEN = {"meta", "jsonld", "alt"}
# roles that are UI chrome rather than copy
_UI = {"nav", "breadcrumb", "menu", "option", "button", "label"}
_SENTENCE_BREAK = re.compile(r"[!?؟\n]|\.(?=\s|$)")
_WORD = re.compile(r"[^\W_]+")
_ANY_DIGIT = re.compile(r"\d").search
_EMAIL = re.compile(r"(?<![\w.+-])[a-z0-9][\w.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w-])")
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[\s.\-]?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,5}){1,4}(?![\d])")
_PHONE_LOCAL = re.compile(r"(?<![\w.,/])0\d{1,4}(?:[\s.\-]?\d{2,5}){1,4}(?![\d])|(?<![\w.,/])0\d{8,11}(?![\d])")
_PHONE_US = re.compile(r"(?<![\w])\(\d{3}\)\s?\d{3}[\s.\-]\d{4}(?!\d)|(?<![\w.,/])\d{3}[.\-]\d{3}[.\-]\d{4}(?!\d)")
_PHONE_AFTER_LABEL = re.compile(r"\s*(?:[:：\-–]|\(|\)|\s)*\s*(\+?\d[\d\s.\-()]{5,20}\d)")
_AMOUNT = r"(?<![\d,./])\d{1,3}(?:[,./]\d{3})+(?:[.,]\d{1,2})?(?![\d])|(?<![\d,./])\d+(?:[.,]\d{1,2})?(?![\d])"
_HTML_FORM = re.compile(r"<form\b.*?</form>", re.S | re.I)
_HTML_ADDRESS = re.compile(r"<address\b[^>]*>(.*?)</address>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_LD_PRICE = re.compile(r'"(?:price|lowPrice|highPrice)"\s*:\s*"?([0-9][0-9.,]*)')
_FM_PRICE = re.compile(r"^[ \t]*(?:price|sale_price|regular_price)[ \t]*:[ \t]*(.+?)[ \t]*$", re.M | re.I)


@dataclass
class Missing:
    kind: str  # one of FINDING_KINDS
    offset: int  # file offset of the place to point at
    end_offset: int  # >= offset, <= len(doc.text)
    lang: str  # the page's language (ar, fa, en): the message is in it
    message: str
    detail: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------

_AR_TABLE = table("ar")


def _fold_regex(pattern: str) -> str:
    """A lexicon regex in matching form: fold only its non-ASCII characters."""
    return "".join(ch.translate(_AR_TABLE) if ord(ch) > 0x7F else ch for ch in pattern)


def _phrase(item: str, lang: str) -> str:
    """Regex over folded text for a lexicon phrase, with the language's morphology."""
    words = fold_word(item, "ar").split()
    if not words:
        raise UsageError(f"empty phrase in the {lang} disclosure lexicon")
    esc = [re.escape(w) for w in words]
    if lang == "fa":  # joined, spaced and ZWNJ spellings, plural -ها/-های
        body = r"[\s\-_]*".join(w + r"(?:\s*(?:هاي|ها))?" for w in esc)
    elif lang == "ar":  # proclitics on the first word
        first = words[0]
        if first.startswith("ال") and len(first) > 2:
            head = r"(?:[وف]?(?:[بك]?ال|لل))" + re.escape(first[2:])
        else:
            head = r"(?:[وف]?[بكل]?)" + esc[0]
        body = r"\s+".join([head] + esc[1:])
    else:
        body = r"[\s\-]+".join(esc)
    return rf"(?<!\w){body}(?!\w)"


def _entry(item, lang: str, where: str) -> str:
    if isinstance(item, dict) and "regex" in item:
        pattern = _fold_regex(str(item["regex"]))
    elif isinstance(item, (str, int, float)):
        pattern = _phrase(str(item), lang)
    else:
        raise UsageError(f"{where}: expected a phrase or {{regex: ...}}, got {item!r}")
    try:
        re.compile(pattern)
    except re.error as e:
        raise UsageError(f"{where}: bad regex {item!r}: {e}")
    return pattern


def _union(patterns: list[str]) -> re.Pattern:
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile(union(patterns))


@dataclass
class _Kind:
    labels: re.Pattern  # fullmatch of a whole link text / heading / label block
    names: re.Pattern  # inside link texts, headings, titles, slugs
    link_names: re.Pattern  # inside link texts only
    text: re.Pattern  # anywhere in the copy
    hrefs: re.Pattern
    jsonld: frozenset
    front_matter: frozenset


@dataclass
class _Lexicon:
    kinds: dict
    phone_labels: re.Pattern
    address: re.Pattern
    uk_postcode: re.Pattern
    price: re.Pattern
    ship_words: re.Pattern
    cost_words: re.Pattern
    included: re.Pattern
    free: re.Pattern
    not_statements: re.Pattern
    ship_jsonld: frozenset
    ship_front_matter: frozenset
    ship_values: re.Pattern
    strong: re.Pattern
    weak: re.Pattern
    messages: dict


def _lists(data: dict, *path) -> list:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return []
    if not isinstance(node, list):
        raise UsageError(f"disclosure lexicon: {'.'.join(path)} must be a list")
    return node


@lru_cache(maxsize=8)
def load_lexicon(extra_folders: tuple = ()) -> _Lexicon:
    """The merged ar/fa/en disclosure lexicons, read once (yaml.safe_load) and cached.

    `extra_folders`: lexicon folders of the user's config (with ar/, fa/, en/
    inside); their disclosures.yaml files add cues to the built-in ones.
    """
    raw = []  # (lang, data, path)
    for root in [data_dir("lexicons")] + [Path(f) for f in extra_folders]:
        for lang in _LANGS:
            path = Path(root) / lang / "disclosures.yaml"
            if path.is_file():
                data = load_yaml(path) or {}
                if not isinstance(data, dict):
                    raise UsageError(f"{path}: a disclosure lexicon is a mapping")
                raw.append((lang, data, str(path)))
    if not raw:
        raise UsageError("no disclosures.yaml lexicons found")

    def collect(*path) -> list[str]:
        out = []
        for lang, data, where in raw:
            out += [_entry(x, lang, f"{where}: {'.'.join(path)}") for x in _lists(data, *path)]
        return out

    def keys(*path) -> frozenset:
        return frozenset(str(k).lower() for _, d, _w in raw for k in _lists(d, *path))

    kinds = {}
    for kind in LINK_KINDS:
        kinds[kind] = _Kind(
            labels=_union(collect("kinds", kind, "labels") + collect("kinds", kind, "names")
                          + collect("kinds", kind, "link_names")),
            names=_union(collect("kinds", kind, "names")),
            link_names=_union(collect("kinds", kind, "link_names")),
            text=_union(collect("kinds", kind, "text")),
            hrefs=re.compile("|".join(f"(?:{_fold_regex(str(h))})" for _, d, _w in raw
                                      for h in _lists(d, "kinds", kind, "hrefs")) or r"(?!)"),
            jsonld=keys("kinds", kind, "jsonld"),
            front_matter=keys("kinds", kind, "front_matter"),
        )
    currencies = _union(collect("shipping", "currencies")).pattern
    mults = _union(collect("shipping", "multipliers")).pattern
    amount = rf"(?:{_AMOUNT})(?:\s*(?:{mults}))?"
    price = re.compile(rf"(?:(?:{currencies})\s?(?:{amount}))|(?:(?:{amount})\s?(?:{currencies}))")
    postcode = "|".join(f"(?:{(d.get('contact_details') or {}).get('uk_postcode')})"
                        for _, d, _w in raw if (d.get("contact_details") or {}).get("uk_postcode"))
    messages: dict[str, dict] = {}
    for lang, d, _w in raw:
        messages.setdefault(lang, {}).update(d.get("messages") or {})
    return _guarded(_Lexicon(
        kinds=kinds,
        phone_labels=_union(collect("contact_details", "phone_labels")),
        address=_union(collect("contact_details", "address")),
        uk_postcode=re.compile(postcode or r"(?!)"),
        price=price,
        ship_words=_union(collect("shipping", "words")),
        cost_words=_union(collect("shipping", "cost_words")),
        included=_union(collect("shipping", "included")),
        free=_union(collect("shipping", "free")),
        not_statements=_union(collect("shipping", "not_statements")),
        ship_jsonld=keys("shipping", "jsonld"),
        ship_front_matter=keys("shipping", "front_matter"),
        ship_values=_union(collect("shipping", "front_matter_values")),
        strong=_union(collect("placeholders", "strong")),
        weak=_union(collect("placeholders", "weak")),
        messages=messages,
    ))


def _guarded(lex: _Lexicon) -> _Lexicon:
    """Every cue regex behind a literal-anchor check (prefilter.py): a text with
    none of a regex's anchors is answered "no match" without running it."""
    from dataclasses import fields

    from .prefilter import guard

    for obj in [lex, *lex.kinds.values()]:
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, re.Pattern):
                setattr(obj, f.name, guard(value))
    return lex


# ---------------------------------------------------------------------------
# What one page shows
# ---------------------------------------------------------------------------

@dataclass
class _Unit:
    role: str
    in_footer: bool
    src: object  # Mapped: block text -> file
    folded: object  # Mapped: folded text -> block text
    text: str  # folded text
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


def _units(doc: Document) -> list[_Unit]:
    out = []
    for b in doc.blocks:
        if b.role in _HIDDEN or not b.text.text.strip():
            continue
        f = fold(b.text.text, "ar")
        out.append(_Unit(b.role, b.in_footer, b.text, f, f.text, b.text.text))
    return out


def _file_span(u: _Unit, start: int, end: int) -> tuple[int, int]:
    a, b = u.folded.source_span(start, end)
    return u.src.source_span(a, b)


def _clean_label(text: str) -> str:
    s = fold(text, "ar").text
    s = re.sub(r"[^\w&+'\-\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip(" -")


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


def _link_kinds(link: Link, lex: _Lexicon) -> set[str]:
    kinds = set()
    label = _clean_label(link.text) if link.text else ""
    target, slug, stem = _href_text(link.href or "")
    for kind, k in lex.kinds.items():
        if label and (k.labels.fullmatch(label) or k.names.search(label)
                      or k.link_names.search(label) or k.text.search(label)):
            kinds.add(kind)
        elif target and k.hrefs.search(target):
            kinds.add(kind)
        elif slug and (k.names.search(slug) or (stem and k.labels.fullmatch(stem))):
            kinds.add(kind)
    return kinds


def _is_contact_href(href: str) -> bool:
    h = href.strip().lower()
    return bool(re.match(r"(?:mailto|tel|callto|sms|whatsapp):", h)
                or re.search(r"(?:^|//)(?:www\.)?wa\.me/|(?:^|//)(?:api|web|chat)\.whatsapp\.com/", h))


_A_TAG = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>""", re.S | re.I)


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


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


_NOT_PHONE_BEFORE = re.compile(
    r"(?:sku|ean|upc|gtin|isbn|barcode|model|part|order|order #|invoice|ref|code|iban|vat|"
    r"كود|رمز|باركود|رقم الطلب|رقم المنتج|رقم الموديل|سجل تجاري|الرقم الضريبي|"
    r"كد|باركد|شناسه|شماره سفارش|شماره فاكتور|شماره ثبت|شماره اقتصادي)\s*[:#.]?\s*$")
_DATE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")


def _phone_ok(text: str, start: int, number: str) -> bool:
    if not 7 <= _digits(number) <= 15 or _DATE.fullmatch(number.strip()):
        return False
    return not _NOT_PHONE_BEFORE.search(text[max(0, start - 24):start])


def _has_phone(text: str, lex: _Lexicon) -> bool:
    if _ANY_DIGIT(text) is None:
        return False  # every phone pattern (and the number after a label) needs a digit
    for rx in (_PHONE_INTL, _PHONE_LOCAL, _PHONE_US):
        for m in rx.finditer(text):
            if _phone_ok(text, m.start(), m.group()):
                return True
    for m in lex.phone_labels.finditer(text):
        after = _PHONE_AFTER_LABEL.match(text, m.end())
        if after and _phone_ok(text, m.start(), after.group(1)):
            return True
    return False


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


def _present(value) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and value.strip().lower() not in ("no", "false", "none", "n/a", "-")
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _structured(doc: Document, lex: _Lexicon, own: dict, shipping: set) -> tuple[bool, bool]:
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
        if low in ("price", "lowprice", "highprice") and _present(value):
            has_price = True
        if not _present(value):
            continue
        if low in lex.ship_jsonld:
            shipping.add("jsonld")
        for kind, k in lex.kinds.items():
            if low in k.jsonld:
                if low == "address" and types & {"definedregion", "shippingratesettings"}:
                    continue
                own[kind].add("jsonld")
    return product, has_price


def _front_matter(doc: Document, lex: _Lexicon, own: dict, shipping: set) -> None:
    for key, value, _ in _walk(doc.front_matter):
        low = key.lower()
        if not _present(value):
            continue
        for kind, k in lex.kinds.items():
            if low in k.front_matter:
                own[kind].add("front-matter")
        if low in lex.ship_front_matter:
            if isinstance(value, bool) or isinstance(value, (int, float)):
                shipping.add("front-matter")
            elif isinstance(value, str):
                v = fold(value, "ar").text
                masked = _mask(v, lex.not_statements)
                if masked.strip() and (lex.ship_values.search(masked) or lex.price.search(masked)
                                       or _shipping_statement(masked, lex)
                                       or re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", masked)):
                    shipping.add("front-matter")


def _mask(text: str, rx: re.Pattern) -> str:
    return rx.sub(lambda m: " " * len(m.group()), text)


_GAP_BEFORE_PRICE = re.compile(r"[\s:=\-–—]*(?:(?:from|of|at|از|به)\s*)?[\s:]*")
_GAP_AFTER_PRICE = re.compile(
    r"(?:\s|\+|plus|uk|us|eu|standard|tracked|mainland|flat[- ]rate|flat|برای|براي|لل)*\s*")
_FILLER = re.compile(r"(?<!\w)(?:just|only|for|now|today|فقط|الان|امروز|همين)(?!\w)")
# a shipping word that opens its clause ("Shipping: $5", «، التوصيل ٢٠ درهم»), unlike
# «كابل شحن» (a charging cable) or "Fast delivery · $30"
_CLAUSE_START = re.compile(
    r"(?:^|[.:;؛،,!?؟\n\-–—•·|(+/*])\s*(?:(?:and|plus|standard|express|economy|tracked|next[- ]day|"
    r"same[- ]day|uk|us|eu|local|domestic|international|worldwide|flat[- ]rate|و)\s*){0,2}$")
_SPEED_BEFORE = re.compile(r"(?:fast|quick|speedy|rapid|سريع|سريعه|فوري|فوريه)\W*$")
_SPEED_AFTER = re.compile(
    r"\s*(?:سريع|السريع|فوري|لاسلكي|اللاسلكي|اكسپرس|اكسبرس|express|fast|quick|wireless|same|next|"
    r"\d+\s*(?:ساعه|ساعت|روز|يوم|ايام|hours?|days?|h\b|w\b|واط|وات))")


def _shipping_statement(text: str, lex: _Lexicon) -> str | None:
    """How `text` (folded, non-statements masked) states shipping: included, free, cost."""
    if lex.included.search(text):
        return "included"
    if lex.free.search(text):
        return "free"
    prices = list(lex.price.finditer(text))
    if not prices:
        return None
    for w in lex.ship_words.finditer(text):
        # shipping word, then the amount: "Shipping: $5.99", «رسوم الشحن داخل المملكة ٢٥ ريال»
        window = text[w.end():w.end() + 48]
        cut = _SENTENCE_BREAK.search(window)
        window_end = w.end() + (cut.start() if cut else len(window))
        p = next((p for p in prices if w.end() <= p.start() <= window_end), None)
        if p is None:
            continue
        gap = text[w.end():p.start()]
        if _digits(gap):
            continue
        if lex.cost_words.search(text[max(0, w.start() - 16):p.start()]):
            return "cost"
        if not _CLAUSE_START.search(text[max(0, w.start() - 40):w.start()]) \
                or _SPEED_BEFORE.search(text[max(0, w.start() - 14):w.start()]) \
                or _SPEED_AFTER.match(text, w.end()):
            continue
        if _GAP_BEFORE_PRICE.fullmatch(gap):
            return "cost"
        # a place between: "Delivery to London £5", «ارسال به تهران ۵۰ هزار تومان»
        if len(_WORD.findall(gap)) <= 3 and not _FILLER.search(gap):
            return "cost"
    for p in prices:
        # the amount, then the shipping word: "£4.95 UK delivery", «۴۵٬۰۰۰ تومان هزینه ارسال»
        gap = _GAP_AFTER_PRICE.match(text, p.end())
        w = lex.ship_words.match(text, gap.end())
        if w and not _SPEED_AFTER.match(text, w.end()):
            return "cost"
    return None


def _placeholder(doc: Document, units: list[_Unit], lex: _Lexicon) -> tuple[bool, int]:
    """(the body holds placeholder text, number of words of real body copy).

    Body copy: paragraphs, list items, cells outside the footer and outside
    link texts (a footer of links is not content), headings and UI excluded.
    Placeholder: a strong phrase (lorem ipsum, «محتوى صفحة ...») anywhere in
    it, or a weak one ("coming soon") with fewer than 25 other words.
    """
    starts = sorted((l.start, len(_WORD.findall(fold(l.text, "ar").text))) for l in doc.links if l.text)
    keys = [a for a, _ in starts]
    words = 0
    strong = weak = False
    for u in units:
        if u.role in _UI or u.role in ("title", "heading") or u.in_footer:
            continue
        if lex.strong.search(u.text):
            strong = True
        if lex.weak.search(u.text):
            weak = True
        body = _mask(_mask(u.text, lex.strong), lex.weak)
        n = len(_WORD.findall(body))
        # words of the links inside this block are navigation, not content
        a0, b0 = u.src.source_span(0, len(u.raw))
        lo = bisect_right(keys, a0 - 1)
        hi = bisect_right(keys, b0)
        n -= sum(w for _, w in starts[lo:hi])
        words += max(0, n)
    return strong or (weak and words < 25), words


def _page_lang(doc: Document, units: list[_Unit]) -> str:
    if doc.lang in SUPPORTED:
        return doc.lang
    sample = " ".join(u.raw for u in units if u.role not in _UI)[:6000]
    arabic = len(re.findall("[\u0600-\u06ff]", sample))
    latin = len(re.findall("[A-Za-z]", sample))
    if arabic and arabic >= latin / 3:
        return detect(sample) or "ar"
    return "en"


def evidence(doc: Document, lex: _Lexicon | None = None) -> Evidence:
    """Everything the page shows about each disclosure."""
    lex = lex or load_lexicon()
    units = _units(doc)
    own: dict[str, set] = {k: set() for k in LINK_KINDS}
    shipping: set[str] = set()

    # contact details: email, phone, address, contact form
    for u in units:
        if _EMAIL.search(u.text):
            own["contact"].add("email")
        if _has_phone(u.text, lex):
            own["contact"].add("phone")
        if u.role not in _UI and (lex.address.search(u.text) or lex.uk_postcode.search(u.raw)):
            own["contact"].add("address")
    if doc.format == "html":
        for m in _HTML_ADDRESS.finditer(doc.text):
            if len(_TAG.sub(" ", m.group(1)).split()) >= 3:
                own["contact"].add("address")
        for m in _HTML_FORM.finditer(doc.text):
            if re.search(r"<textarea\b", m.group(), re.I):
                own["contact"].add("form")
    links = []
    for link in doc.links + _raw_html_links(doc):
        if link.href and _is_contact_href(link.href):
            own["contact"].add("link-detail")
        kinds = _link_kinds(link, lex)
        if kinds:
            links.append((link, kinds))

    product, ld_price = _structured(doc, lex, own, shipping)
    _front_matter(doc, lex, own, shipping)
    placeholder, words = _placeholder(doc, units, lex)
    has_form = "form" in own["contact"]

    # headings, titles, body text, short labels
    labels: set[str] = set()
    for u in units:
        if lex.strong.search(u.text) or lex.weak.search(u.text):
            continue  # "Privacy policy coming soon" names a policy that is not there
        heading = u.role in ("heading", "title")
        short = len(_WORD.findall(u.text)) <= 6
        label = _clean_label(u.raw) if short or heading else ""
        for kind, k in lex.kinds.items():
            if not label:
                named = False
            elif heading:
                named = bool(k.labels.fullmatch(label) or k.names.search(u.text))
            else:  # a label-like block: the name is most of it («سياسة الخصوصية», "Contact us")
                m = k.names.search(label)
                named = bool(k.labels.fullmatch(label) or (m and len(m.group()) >= 0.6 * len(label)))
            if not placeholder:
                if heading and named:
                    own[kind].add("heading")
                elif k.text.search(u.text):
                    own[kind].add("text")
            if named and not heading:
                labels.add(kind)

    # prices and the shipping statement
    prices = []
    first_heading = next((u for u in units if u.role == "heading"), None)
    for u in units:
        # a shipping page («الشحن والتوصيل», "Delivery information"): its amounts are shipping costs
        if u.role != "title" and u is not first_heading or lex.price.search(u.text):
            continue
        w = lex.ship_words.search(u.text)
        if w and _CLAUSE_START.search(u.text[:w.start()]):
            shipping.add("shipping-page")
    for u in units:
        if u.role in ("title", "nav", "breadcrumb", "menu"):
            continue
        masked = _mask(u.text, lex.not_statements)
        how = _shipping_statement(masked, lex)
        if how:
            shipping.add(how)
        for m in lex.price.finditer(u.text):
            a, b = _file_span(u, m.start(), m.end())
            prices.append((a, b, doc.text[a:b]))
    prices.sort()
    fm = doc.front_matter or {}
    if not prices and any(str(k).lower() in ("price", "sale_price", "regular_price") and _present(v)
                          for k, v in fm.items()):
        m = _FM_PRICE.search(doc.text)
        if m:
            prices.append((m.start(1), m.end(1), m.group(1)))
    if not prices and ld_price:
        m = _LD_PRICE.search(doc.text)
        if m:
            prices.append((m.start(1), m.end(1), m.group(1)))
        else:
            prices.append((0, 0, ""))
    ftype = str(fm.get("type") or "").strip().lower()
    product = product or bool(prices) or ftype in PRODUCT_TYPES
    empty = placeholder or (words < 8 and not own["contact"] and not has_form)
    return Evidence(_page_lang(doc, units), own, links, labels, placeholder, empty, prices,
                    shipping, product)


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


def _requirements(doc: Document, ev: Evidence, page_types: dict | None) -> frozenset:
    from .formats.office import is_draft

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
    return set(_requirements(doc, evidence(doc), page_types))


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


def _message(lang: str, key: str, lex: _Lexicon, **values) -> str:
    for l in (lang, "en"):
        template = lex.messages.get(l, {}).get(key)
        if template:
            try:
                return template.format(**values)
            except (KeyError, IndexError):
                return template
    return key


def _missing(doc: Document, ev: Evidence, kind: str, lex: _Lexicon, named=()) -> Missing:
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


def _named_by_heading(doc: Document, ev: Evidence, lex: _Lexicon) -> set[str]:
    """Kinds a placeholder page's headings name (for the message only)."""
    if not ev.placeholder:
        return set()
    out = set()
    for b in doc.blocks:
        if b.role in ("heading", "title"):
            label = _clean_label(b.text.text)
            for kind, k in lex.kinds.items():
                if label and (k.labels.fullmatch(label) or k.names.search(fold(b.text.text, "ar").text)):
                    out.add(kind)
    return out


def _shipping_missing(ev: Evidence, reqs) -> bool:
    return "shipping-total" in reqs and bool(ev.prices) and not ev.shipping


def check_page(doc: Document, page_types: dict | None = None,
               lexicon_folders: tuple = ()) -> list[Missing]:
    """Missing disclosures of one full page, judged on that page alone.

    A link naming a disclosure counts whatever its target (check_site follows it).
    """
    lex = load_lexicon(tuple(lexicon_folders))
    if not doc.is_page and not page_types:
        return []
    ev = evidence(doc, lex)
    reqs = _requirements(doc, ev, page_types)
    named = _named_by_heading(doc, ev, lex)
    out = []
    linked = {k for _, kinds in ev.links for k in kinds}
    for kind in LINK_KINDS:
        if kind in reqs and not (ev.own[kind] or kind in linked or kind in ev.labels):
            out.append(_missing(doc, ev, kind, lex, named=named))
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
