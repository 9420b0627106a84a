"""Disclosure cues: lexicons/{ar,fa,en}/disclosures.yaml, merged and compiled once.

Every cue is a regex over `normalize.fold(text, "ar")` text (the "ar view":
ASCII digits, one spelling per Arabic-script letter).  `CueIndex` finds, in
one scan of a whole page, which cues each block may hold (see prefilter.py),
so a cue runs only on the blocks that carry one of its anchors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from promiselint.core.data import data_dir
from promiselint.core.errors import UsageError
from promiselint.core.yamlload import load_yaml
from promiselint.match import prefilter
from promiselint.match.lexicon import union
from promiselint.text.normalize import fold_word, table

KINDS = ("privacy-policy", "disclaimer", "contact", "return-policy", "shipping-total")
LINK_KINDS = KINDS[:4]
_LANGS = ("ar", "fa", "en")
_AMOUNT = r"(?<![\d,./])\d{1,3}(?:[,./]\d{3})+(?:[.,]\d{1,2})?(?![\d])|(?<![\d,./])\d+(?:[.,]\d{1,2})?(?![\d])"
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
class Kind:
    """The cues of one disclosure kind."""

    labels: re.Pattern  # fullmatch of a whole link text / heading / label block
    names: re.Pattern  # inside link texts, headings, titles, slugs
    link_names: re.Pattern  # inside link texts only
    text: re.Pattern  # anywhere in the copy
    hrefs: re.Pattern
    jsonld: frozenset
    front_matter: frozenset


@dataclass(eq=False)  # hashed by identity: caches take it as a key
class Lexicon:
    """Every disclosure cue, merged over the languages and the user's folders."""

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
    index: "CueIndex | None" = None


def _lists(data: dict, *path) -> list:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return []
    if not isinstance(node, list):
        raise UsageError(f"disclosure lexicon: {'.'.join(path)} must be a list")
    return node


def _read(extra_folders: tuple) -> list[tuple[str, dict, str]]:
    """(lang, data, path) of every disclosures.yaml, built-in first."""
    raw = []
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
    return raw


@lru_cache(maxsize=8)
def load_lexicon(extra_folders: tuple = ()) -> Lexicon:
    """The merged ar/fa/en disclosure lexicons, read once (yaml.safe_load) and cached.

    `extra_folders`: lexicon folders of the user's config (with ar/, fa/, en/
    inside); their disclosures.yaml files add cues to the built-in ones.
    """
    raw = _read(extra_folders)

    def collect(*path) -> list[str]:
        out = []
        for lang, data, where in raw:
            out += [_entry(x, lang, f"{where}: {'.'.join(path)}") for x in _lists(data, *path)]
        return out

    def keys(*path) -> frozenset:
        return frozenset(str(k).lower() for _, d, _w in raw for k in _lists(d, *path))

    kinds = {}
    for kind in LINK_KINDS:
        kinds[kind] = Kind(
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
    lex = _guarded(Lexicon(
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
    lex.index = CueIndex(lex)
    return lex


def _guarded(lex: Lexicon) -> Lexicon:
    """Every cue regex behind a literal-anchor check (prefilter.py): a text with
    none of a regex's anchors is answered "no match" without running it."""
    for obj in [lex, *lex.kinds.values()]:
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, re.Pattern):
                setattr(obj, f.name, prefilter.guard(value))
    return lex


def regex(cue) -> re.Pattern:
    """The plain compiled regex of a (possibly guarded) cue."""
    return getattr(cue, "regex", cue)


# the cues searched in the body text of every block, by key
BLOCK_CUES = ("strong", "weak", "address", "price", "ship_words", "included", "free", "not_statements")
_SEP = "\uffff"  # between blocks in the page-wide scan (a noncharacter: in no anchor)
_MIN_ANCHOR = 3  # anchor sets with a shorter string ("$", «ب») hold in most blocks: not used
_DIGIT = re.compile(r"\d").search


class CueIndex:
    """Which cues each block of a page may hold, from one scan of the whole page.

    Keys: the names in BLOCK_CUES, and (kind, "text") / (kind, "names") for
    each link kind.  A cue's alternatives fall in groups (those that need a
    digit and those that do not: prefilter.requirement_groups); a group may
    match a block that holds its anchors, and a digit if it needs one.  One
    literal scan of the page finds every anchor (prefilter.Prefilter).  The
    index is built after the prefilter's warm-up (a one-file run does not pay
    for deriving anchors), never when the prefilter is off: until then every
    cue may match every block, which gives the same answers, more slowly.
    """

    def __init__(self, lex: Lexicon):
        self.cues = {key: regex(getattr(lex, key)) for key in BLOCK_CUES}
        for kind, k in lex.kinds.items():
            self.cues[(kind, "text")] = regex(k.text)
            self.cues[(kind, "names")] = regex(k.names)
        self.all = frozenset(self.cues)
        self.pending = prefilter.warmup()  # characters to go before building (None: never)
        self.filter: prefilter.Prefilter | None = None
        self.groups: dict = {}  # cue key -> ((group key, needs a digit), ...)

    def _build(self) -> None:
        keyed = {}
        for key, rx in self.cues.items():
            groups = []
            for i, req in enumerate(prefilter.requirement_groups(rx)):
                sets = [s for s in (req.anchors, req.second)
                        if s and req.anchors and min(map(len, s)) >= _MIN_ANCHOR
                        and not any(_SEP in a for a in s)]
                keyed[(key, i)] = sets or None
                groups.append(((key, i), req.digit))
            self.groups[key] = tuple(groups)
        self.filter = prefilter.Prefilter(keyed)
        self.pending = None

    def scan(self, texts: list[str]) -> list[frozenset]:
        """For each text, the keys of the cues that may match in it."""
        if self.filter is None:
            if self.pending is not None:
                self.pending -= sum(len(t) for t in texts)
                if self.pending <= 0:
                    self._build()
            if self.filter is None:
                return [self.all] * len(texts)
        pf = self.filter
        out = []
        for text in texts:
            hits = pf.hits(text)  # one automaton pass over the block (prefilter.Prefilter)
            digit = _DIGIT(text) is not None
            out.append(frozenset(key for key, groups in self.groups.items()
                                 if any(g in hits and (digit or not needs) for g, needs in groups)))
        return out
