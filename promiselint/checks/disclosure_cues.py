"""Disclosure cues: lexicons/{ar,fa,en}/disclosures.yaml, merged; each cue compiles on first use.

Every cue is a regex over `normalize.fold(text, "ar")` text (the "ar view":
ASCII digits, one spelling per Arabic-script letter).  Loading only reads the
YAML and writes the regex sources (`Cue`): text without an Arabic-script
letter is matched by a cue's latin form (no built-in ar/fa item), a fraction
of the whole.  `CueIndex` finds, in one literal scan of each block, which cues
and which of their items the block may hold (see prefilter.py), so an item
runs only on the blocks that carry one of its anchors.
"""
from __future__ import annotations

import re
import sys
from re import _parser
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from promiselint.core.data import data_dir
from promiselint.core.errors import UsageError
from promiselint.core.lazyre import lazy_compile
from promiselint.core.yamlload import load_yaml
from promiselint.match import prefilter, regexstore
from promiselint.match.lexicon import union
from promiselint.text.normalize import fold_word, table

from promiselint.match.gates import gate

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


def _entry(item, lang: str, where: str, check: bool) -> str:
    """The regex of one lexicon item; `check`: compile it to report a bad one
    (the built-in items are checked by tests/test_disclosure_cues.py instead)."""
    if isinstance(item, dict) and "regex" in item:
        pattern = _fold_regex(str(item["regex"]))
    elif isinstance(item, (str, int, float)):
        pattern = _phrase(str(item), lang)
    else:
        raise UsageError(f"{where}: expected a phrase or {{regex: ...}}, got {item!r}")
    if check:
        try:
            re.compile(pattern)
        except re.error as e:
            raise UsageError(f"{where}: bad regex {item!r}: {e}")
    return pattern


# Arabic-script letters: every match of every built-in ar/fa cue holds one
# (tests/test_disclosure_cues.py checks it), so text without one cannot match them
ARABIC_SCRIPT = lazy_compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_seen: tuple = (None, False)  # the last text tested and its answer (a block meets many cues in a row)


def _arabic(text: str) -> bool:
    global _seen
    seen = _seen
    if text is not seen[0]:
        seen = _seen = (text, ARABIC_SCRIPT.search(text) is not None)  # (one assignment: thread-safe)
    return seen[1]


class Cue:
    """One cue regex, compiled on first use, in two forms: `full` (every item)
    and `latin` (without the built-in ar/fa items), which answers the same on
    text holding no Arabic-script letter and is a fraction of the size.
    Behaves like a compiled pattern (search, match, fullmatch, finditer, sub);
    each form sits behind a prefilter guard (prefilter.guard)."""

    __slots__ = ("_make", "_sources", "forms", "items", "item_forms", "_gates")

    def __init__(self, make, items: tuple = ()):
        self._make = make  # () -> (latin source, full source), called on first use
        self._sources: tuple | None = None
        self.forms: list | None = None  # the compiled forms (one when latin and full are the same)
        self.items = items  # (regex, is a built-in ar/fa item) of each item (none: one whole regex)
        self.item_forms: list = [None] * len(items)
        self._gates: dict = {}  # form -> its gate (match/gates.py), None: none

    @property
    def sources(self) -> tuple[str, str]:
        """(latin, full): the regex sources of the two forms."""
        if self._sources is None:
            latin, full = self._make()
            self.forms = [None, None] if latin != full else [None]
            self._sources = (latin, full)  # (after the forms: sources set means forms set)
        return self._sources

    def _form(self, i: int):
        if self.forms is None:
            self.sources
        if self.forms[i] is None:
            self.forms[i] = prefilter.guard(regexstore.compile(self.sources[i]))
        return self.forms[i]

    def _which(self, text: str) -> int:
        """The number of the form to run on `text`."""
        if self.forms is None:
            self.sources
        return 1 if len(self.forms) == 2 and _arabic(text) else 0

    def pick(self, text: str):
        """The form to run on `text`."""
        return self._form(self._which(text))

    def may_match(self, text: str) -> bool:
        """False when `text` lacks the gate of the form that would run on it: a run of
        characters every match holds (match/gates.py), found by one quick scan."""
        i = self._which(text)
        if i not in self._gates:
            self._gates[i] = gate(self.sources[i])
        return self._gates[i] is None or self._gates[i].search(text) is not None

    @property
    def regex(self) -> re.Pattern:
        """The full regex, compiled, unguarded."""
        self.sources  # (sizes self.forms)
        form = self._form(len(self.forms) - 1)
        return getattr(form, "regex", form)

    @property
    def compiled(self) -> int:
        """How many of the forms have been compiled."""
        return sum(f is not None for f in self.forms or ())

    def __repr__(self) -> str:
        return f"Cue({self.sources[1][:60]!r}...)"  # (computes the sources)

    def found(self, text: str, admitted=None) -> bool:
        """Whether the cue matches somewhere in `text` (bool(search)): with
        `admitted` (item numbers, CueIndex.scan), trying only those items, one
        by one, and on text without an Arabic-script letter no built-in ar/fa
        item; else (None: every item) the whole regex."""
        if admitted is None or not self.items or -1 in admitted:  # (no index yet: the one regex)
            return self.search(text) is not None
        arabic = _arabic(text)
        for n in admitted:
            pattern, ar = self.items[n]
            if ar and not arabic:
                continue
            rx = self.item_forms[n]
            if rx is None:
                rx = self.item_forms[n] = regexstore.compile(pattern)
            if rx.search(text):
                return True
        return False

    def search(self, string, pos=0, endpos=sys.maxsize):
        return self.pick(string).search(string, pos, endpos)

    def match(self, string, pos=0, endpos=sys.maxsize):
        return self.pick(string).match(string, pos, endpos)

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        return self.pick(string).fullmatch(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        return self.pick(string).finditer(string, pos, endpos)

    def sub(self, repl, string, count=0):
        return self.pick(string).sub(repl, string, count)


_AMOUNT_START = lazy_compile(r"(?<![\d,./])\d")  # where each amount (_AMOUNT) begins
_MAX_LEAD = 80  # a longer currency before the amount: the whole regex runs instead


class PriceCue(Cue):
    """The price cue (`_price`): an amount with a currency before or after it.

    `finditer` finds what the whole regex's finditer finds, trying it only
    near the amounts: a price holds an amount, which starts at a digit not
    after [\\d,./], and starts at most `lead` characters before that digit (the
    longest currency and a space).  Text without a digit costs one scan.  Like
    a prefilter guard, it waits until the cue has scanned `prefilter.warmup()`
    characters (a one-file run never compiles the windows)."""

    __slots__ = ("_currencies", "_mults", "_near", "pending")

    def __init__(self, currencies: Cue, mults: Cue):
        super().__init__(lambda: tuple(_price(currencies.sources[i], mults.sources[i]) for i in (0, 1)))
        self._currencies, self._mults = currencies, mults
        self._near: dict = {}  # form -> (regex, window regex, lead) or None (the whole regex runs)
        self.pending = prefilter.warmup()  # characters to go before the windows (None: never)

    def _window(self, i: int):
        if i not in self._near:
            lead = _parser.parse(rf"(?:{self._currencies.sources[i]})\s?").getwidth()[1]
            form = self._form(i)
            self._near[i] = None if lead > _MAX_LEAD else (
                getattr(form, "regex", form), regexstore.compile(rf"(?s:.){{0,{lead}}}?({self.sources[i]})"), lead)
        return self._near[i]

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        near = None
        if self.pending is not None and pos == 0 and endpos == sys.maxsize:
            if self.pending > 0:
                self.pending -= len(string)
            if self.pending <= 0:
                near = self._window(self._which(string))
        if near is None:
            return super().finditer(string, pos, endpos)
        return iter(_near_amounts(string, *near))


def _near_amounts(text: str, regex, window, lead: int) -> list:
    """regex.finditer(text), trying `regex` only in the `lead` characters before each amount
    (`window`: the regex after up to `lead` characters, the first place first)."""
    out, pos = [], 0
    for d in _AMOUNT_START.finditer(text):
        if d.start() < pos:
            continue
        m = window.match(text, max(pos, d.start() - lead))
        if m is not None:
            found = regex.match(text, m.start(1))
            out.append(found)
            pos = found.end()
    return out


def _union(items: list[tuple[str, bool]]) -> Cue:
    """A cue from (regex, is a built-in ar/fa item) pairs."""
    return Cue(lambda: (union([p for p, ar in items if not ar]), union([p for p, _ in items])), tuple(items))


def _alternation(items: list[tuple[str, bool]]) -> Cue:
    """A cue trying the regexes in the order given (no union reordering)."""
    def join(ps):
        return "|".join(f"(?:{p})" for p in ps) or r"(?!)"
    return Cue(lambda: (join([p for p, ar in items if not ar]), join([p for p, _ in items])), tuple(items))


@dataclass
class Kind:
    """The cues of one disclosure kind."""

    labels: Cue  # fullmatch of a whole link text / heading / label block
    names: Cue  # inside link texts, headings, titles, slugs
    link_names: Cue  # inside link texts only
    text: Cue  # anywhere in the copy
    hrefs: Cue
    jsonld: frozenset
    front_matter: frozenset


@dataclass(eq=False)  # hashed by identity: caches take it as a key
class Lexicon:
    """Every disclosure cue, merged over the languages and the user's folders."""

    kinds: dict
    phone_labels: Cue
    address: Cue
    uk_postcode: Cue
    price: Cue
    ship_words: Cue
    cost_words: Cue
    included: Cue
    free: Cue
    not_statements: Cue
    ship_jsonld: frozenset
    ship_front_matter: frozenset
    ship_values: Cue
    strong: Cue
    weak: Cue
    messages: dict
    index: "CueIndex | None" = None
    label_index: "CueIndex | None" = None  # (built when a page first needs its labels read)


def _lists(data: dict, *path) -> list:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return []
    if not isinstance(node, list):
        raise UsageError(f"disclosure lexicon: {'.'.join(path)} must be a list")
    return node


def _read(extra_folders: tuple) -> list[tuple[str, dict, str, bool]]:
    """(lang, data, path, built in) of every disclosures.yaml, built-in first."""
    raw = []
    for n, root in enumerate([data_dir("lexicons")] + [Path(f) for f in extra_folders]):
        for lang in _LANGS:
            path = Path(root) / lang / "disclosures.yaml"
            if path.is_file():
                data = load_yaml(path) or {}
                if not isinstance(data, dict):
                    raise UsageError(f"{path}: a disclosure lexicon is a mapping")
                raw.append((lang, data, str(path), n == 0))
    if not raw:
        raise UsageError("no disclosures.yaml lexicons found")
    return raw


@lru_cache(maxsize=8)
def load_lexicon(extra_folders: tuple = ()) -> Lexicon:
    """The merged ar/fa/en disclosure lexicons, read once (yaml.safe_load) and cached.

    `extra_folders`: lexicon folders of the user's config (with ar/, fa/, en/
    inside); their disclosures.yaml files add cues to the built-in ones.
    Nothing is compiled here: each cue compiles on first use (Cue).  When the
    project cache keeps what an earlier run built from the same lexicons (every
    cue's items and sources, the index's anchors: `stored_form`), the lexicon is
    made from that instead (packs.kept_data).
    """
    from promiselint.match.packs import kept_data

    folders = [Path(f) for f in extra_folders] + [data_dir("lexicons")]
    kept = kept_data("disclosures", folders, lambda: stored_form(load_lexicon(extra_folders)), from_stored)
    return kept if kept is not None else _build_lexicon(extra_folders)


def _build_lexicon(extra_folders: tuple) -> Lexicon:
    """The lexicon built from the YAML of the built-in and `extra_folders` lexicons."""
    _counts["read"] += 1
    raw = _read(extra_folders)

    def collect(*path) -> list[tuple[str, bool]]:
        """(regex, is a built-in ar/fa item) of every item at `path`."""
        out = []
        for lang, data, where, builtin in raw:
            out += [(_entry(x, lang, f"{where}: {'.'.join(path)}", check=not builtin), builtin and lang != "en")
                    for x in _lists(data, *path)]
        return out

    def keys(*path) -> frozenset:
        return frozenset(str(k).lower() for _, d, _w, _b in raw for k in _lists(d, *path))

    kinds = {}
    for kind in LINK_KINDS:
        names = collect("kinds", kind, "names")
        link_names = collect("kinds", kind, "link_names")
        kinds[kind] = Kind(
            labels=_union(collect("kinds", kind, "labels") + names + link_names),
            names=_union(names),
            link_names=_union(link_names),
            text=_union(collect("kinds", kind, "text")),
            hrefs=_alternation([(_fold_regex(str(h)), builtin and lang != "en") for lang, d, _w, builtin in raw
                                for h in _lists(d, "kinds", kind, "hrefs")]),
            jsonld=keys("kinds", kind, "jsonld"),
            front_matter=keys("kinds", kind, "front_matter"),
        )
    currencies, mults = _union(collect("shipping", "currencies")), _union(collect("shipping", "multipliers"))
    price = PriceCue(currencies, mults)
    postcodes = [(str(pc), builtin and lang != "en") for lang, d, _w, builtin in raw
                 if (pc := (d.get("contact_details") or {}).get("uk_postcode"))]
    messages: dict[str, dict] = {}
    for lang, d, _w, _b in raw:
        messages.setdefault(lang, {}).update(d.get("messages") or {})
    lex = Lexicon(
        kinds=kinds,
        phone_labels=_union(collect("contact_details", "phone_labels")),
        address=_union(collect("contact_details", "address")),
        uk_postcode=_alternation(postcodes),
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
    )
    lex.label_index = CueIndex(lex, labels=True)
    lex.index = CueIndex(lex, companion=lex.label_index)
    return lex


# -- the lexicon as plain data, kept between runs (packs.kept_data) ------------------------

_LEXICON_CUES = ("phone_labels", "address", "uk_postcode", "ship_words", "cost_words", "included", "free",
                 "not_statements", "ship_values", "strong", "weak")
_KIND_CUES = ("labels", "names", "link_names", "text", "hrefs")
_counts = {"read": 0, "stored": 0, "derived": 0}  # lexicons read from YAML / made from their
# stored form, indexes derived from their items' anchors, in this process (tests count them)


def counts() -> dict:
    """{"read": lexicons built from YAML, "stored": from the project cache, "derived":
    indexes that derived their anchors from the items} in this process."""
    return dict(_counts)


def stored_form(lex: Lexicon) -> dict:
    """`lex` as JSON-ready data: each cue's items and sources, the key sets, the
    messages, and what its indexes derived from the items' anchors."""
    def cue(c: Cue) -> list:
        latin, full = c.sources
        return [[list(item) for item in c.items], latin, full if full != latin else None]

    price = lex.price
    return {
        "kinds": {kind: {**{f: cue(getattr(k, f)) for f in _KIND_CUES},
                         "jsonld": sorted(k.jsonld), "front_matter": sorted(k.front_matter)}
                  for kind, k in lex.kinds.items()},
        "cues": {name: cue(getattr(lex, name)) for name in _LEXICON_CUES},
        "price": [cue(price._currencies), cue(price._mults)],
        "ship_jsonld": sorted(lex.ship_jsonld), "ship_front_matter": sorted(lex.ship_front_matter),
        "messages": lex.messages,
        "index": lex.index.derived(), "label_index": lex.label_index.derived(),
    }


def from_stored(data: dict) -> Lexicon:
    """The Lexicon of stored_form's data (KeyError, TypeError, ValueError... when it is not that)."""
    def cue(item) -> Cue:
        items, latin, full = item
        full = latin if full is None else full
        if not (isinstance(latin, str) and isinstance(full, str)):
            raise TypeError("not a cue")
        pairs = tuple((str(p), bool(ar)) for p, ar in items)
        return Cue(lambda: (latin, full), pairs)

    def keys(values) -> frozenset:
        return frozenset(map(str, values))

    kinds = {str(kind): Kind(**{f: cue(k[f]) for f in _KIND_CUES}, jsonld=keys(k["jsonld"]),
                             front_matter=keys(k["front_matter"])) for kind, k in data["kinds"].items()}
    messages = data["messages"]
    if set(kinds) != set(LINK_KINDS) or not all(
            isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in messages.values()):
        raise ValueError("not a disclosure lexicon")
    lex = Lexicon(kinds=kinds, price=PriceCue(*map(cue, data["price"])),
                  **{name: cue(data["cues"][name]) for name in _LEXICON_CUES},
                  ship_jsonld=keys(data["ship_jsonld"]), ship_front_matter=keys(data["ship_front_matter"]),
                  messages=messages)
    lex.label_index = CueIndex(lex, labels=True, derived=data["label_index"])
    lex.index = CueIndex(lex, companion=lex.label_index, derived=data["index"])
    _counts["stored"] += 1
    return lex


def _price(currencies: str, mults: str) -> str:
    """An amount with a currency before or after it."""
    amount = rf"(?:{_AMOUNT})(?:\s*(?:{mults}))?"
    return rf"(?:(?:{currencies})\s?(?:{amount}))|(?:(?:{amount})\s?(?:{currencies}))"


def cues(lex: Lexicon) -> dict:
    """Every Cue of the lexicon, by name ("address", "contact.names", ...)."""
    out = {f.name: getattr(lex, f.name) for f in fields(lex) if isinstance(getattr(lex, f.name), Cue)}
    for kind, k in lex.kinds.items():
        out.update({f"{kind}.{f.name}": getattr(k, f.name) for f in fields(k)
                    if isinstance(getattr(k, f.name), Cue)})
    return out


# the cues searched in the body text of every block, by key
BLOCK_CUES = ("strong", "weak", "address", "price", "ship_words", "included", "free", "not_statements")
_SEP = "\uffff"  # between blocks in the page-wide scan (a noncharacter: in no anchor)
_MIN_ANCHOR = 3  # anchor sets with a shorter word («ب», "k") hold in most blocks: not used


def _rare(anchor: str) -> bool:
    """An anchor few blocks hold: three characters or more, or a symbol ("$", "€", «ر.»)."""
    return len(anchor) >= _MIN_ANCHOR or any(not (c.isalnum() or c.isspace()) for c in anchor)

_DIGIT = re.compile(r"\d").search
_SEEN = 4096  # answers kept by CueIndex.scan
_SECOND = itemgetter(1)


class CueIndex:
    """Which cues, and which of their items, each block of a page may hold,
    from one literal scan of each block.

    `scan` gives, per block, a dict: cue key -> the numbers of the items that
    may match (-1: the cue is one whole regex; None: every item).  Keys: the
    names in BLOCK_CUES, and (kind, "text") / (kind, "names") for each link
    kind; with `labels`, (kind, "labels") only (Lexicon.label_index: scanned
    over label texts, built only when a page first needs its labels read).  An item's alternatives fall in groups (those that need a digit and
    those that do not: prefilter.requirement_groups); a group may match a
    block that holds one of its anchors (and one of its second anchors, if
    any), and a digit if it needs one; a built-in ar/fa item never matches a
    block without an Arabic-script letter.  One Aho-Corasick pass over the
    block finds every anchor.  The index is built after the prefilter's
    warm-up (a one-file run does not pay for deriving anchors), never when the
    prefilter is off: until then every cue may match every block, which gives
    the same answers, more slowly.
    """

    def __init__(self, lex: Lexicon, labels: bool = False, companion: "CueIndex | None" = None,
                 derived: dict | None = None):
        self.companion = companion  # built by build() too (not when a scan builds this one)
        self._kept = None  # derived() of an earlier run, read back (used by _build, else derived anew)
        if labels:  # the index of the labels (kind, "labels"), scanned over label texts
            self.cues = {(kind, "labels"): k.labels for kind, k in lex.kinds.items()}
        else:
            self.cues = {key: getattr(lex, key) for key in BLOCK_CUES}
            for kind, k in lex.kinds.items():
                self.cues[(kind, "text")] = k.text
                self.cues[(kind, "names")] = k.names
        self.all = dict.fromkeys(self.cues)  # every item of every cue
        self.pending = prefilter.warmup()  # characters to go before building (None: never)
        self.filter = None  # the automaton of every anchor, once built
        self.owners: dict = {}  # anchor -> the groups (key, item, group) it may start
        self.seconds: dict = {}  # group -> the second anchors it also needs
        self.digit: frozenset = frozenset()  # groups that need a digit
        self.base: dict = {}  # (Arabic letter in the text, digit in the text) -> the unanchored groups' items
        self.seen: dict = {}  # (Arabic letter, digit, anchors found) -> scan's answer (blocks repeat them)
        if derived is not None:
            self._kept = self._decode(derived)  # (ValueError, IndexError...: the stored lexicon is a miss)

    def build(self) -> None:
        """Build the index now, and its companion (the labels' index), unless built
        or the prefilter is off (to derive their anchors before worker processes
        fork, or for the next run to keep)."""
        if self.filter is None and self.pending is not None:
            self._build()
        if self.companion is not None:
            self.companion.build()

    def _build(self) -> None:
        import ahocorasick

        kept, self._kept = self._kept, None
        always, digit, owners, seconds = kept if kept is not None else self._derive()
        self.owners = {a: frozenset(g) for a, g in owners.items()}
        self.seconds, self.digit = seconds, frozenset(digit)
        for arabic in (False, True):
            for has_digit in (False, True):
                may: dict = {}
                for group, ar in always:
                    if (arabic or not ar) and (has_digit or group not in digit):
                        may.setdefault(group[0], set()).add(group[1])
                self.base[arabic, has_digit] = {k: frozenset(v) for k, v in may.items()}
        automaton = ahocorasick.Automaton()
        for a in {*owners, *(a for s in seconds.values() for a in s)}:
            automaton.add_word(a, a)
        automaton.make_automaton()
        self.filter = automaton
        self.pending = None

    def derived(self) -> dict:
        """What the index derives from its cues' items (their anchors), as JSON-ready data."""
        always, digit, owners, seconds = self._derive()
        groups = sorted({g for g, _ in always} | digit | set(seconds) | {g for gs in owners.values() for g in gs},
                        key=str)
        number = {g: n for n, g in enumerate(groups)}  # (each group once: the rest refer to it by number)
        return {"groups": [[list(g[0]) if isinstance(g[0], tuple) else g[0], g[1], g[2]] for g in groups],
                "always": [[number[g], ar] for g, ar in always], "digit": sorted(number[g] for g in digit),
                "owners": {a: sorted(number[g] for g in gs) for a, gs in owners.items()},
                "seconds": [[number[g], sorted(s)] for g, s in seconds.items()]}

    def _decode(self, data: dict) -> tuple:
        """derived()'s data read back (ValueError... when it does not fit these cues)."""
        def group(item) -> tuple:
            key, n, i = item
            key = tuple(key) if isinstance(key, list) else key
            items = self.cues[key].items
            if type(n) is not int or type(i) is not int or not (0 <= n < len(items) if items else n == -1):
                raise ValueError("not a group of these cues")
            return key, n, i

        def anchors(values) -> frozenset:
            if not all(map(str.__len__, values)):  # (TypeError for anything but strings)
                raise ValueError("not anchors")
            return frozenset(values)

        groups = [group(g) for g in data["groups"]]

        # (a number that is not one of the groups': TypeError, IndexError)
        always = [(groups[g], bool(ar)) for g, ar in data["always"]]
        digit = {groups[g] for g in data["digit"]}
        owners = {a: {groups[g] for g in gs} for a, gs in data["owners"].items()}
        anchors(owners)
        seconds = {groups[g]: anchors(s) for g, s in data["seconds"]}
        return always, digit, owners, seconds

    def _derive(self) -> tuple:
        """(the groups no anchor rules out, each with whether it is a built-in ar/fa item;
        the groups that need a digit; anchor -> the groups it may start; group -> the
        second anchors it also needs), from the items' requirements (prefilter.py)."""
        _counts["derived"] += 1
        always, digit, owners, seconds = [], set(), {}, {}
        for key, cue in self.cues.items():
            items = cue.items or ((cue.sources[-1], False),)
            for n, (pattern, ar) in enumerate(items):
                n = n if cue.items else -1
                # (derived from the item's source: parsed, not compiled)
                for i, req in enumerate(prefilter.requirement_groups(pattern)):
                    group = (key, n, i)
                    if req.digit:
                        digit.add(group)
                    sets = [s for s in (req.anchors, req.second)
                            if s and req.anchors and all(map(_rare, s))
                            and not any(_SEP in a for a in s)]
                    if not sets:
                        always.append((group, ar))
                        continue
                    for a in sets[0]:
                        owners.setdefault(a, set()).add(group)
                    if len(sets) > 1:
                        seconds[group] = frozenset(sets[1])
        return always, digit, owners, seconds

    def scan(self, texts: list[str]) -> list[dict]:
        """For each text, cue key -> the items that may match in it (see the class)."""
        if self.filter is None:
            if self.pending is not None:
                self.pending -= sum(len(t) for t in texts)
                if self.pending <= 0:
                    self._build()
            if self.filter is None:
                return [self.all] * len(texts)
        out, seen = [], self.seen
        for text in texts:
            found = (ARABIC_SCRIPT.search(text) is not None, _DIGIT(text) is not None,
                     frozenset(map(_SECOND, self.filter.iter(text))))
            may = seen.get(found)
            if may is None:
                if len(seen) >= _SEEN:
                    seen.clear()
                may = seen[found] = self._admit(*found)
            out.append(may)
        return out

    def _admit(self, arabic: bool, has_digit: bool, occurring: frozenset) -> dict:
        """Cue key -> items that may match in a text with these anchors (and an Arabic letter, a digit)."""
        may = self.base[arabic, has_digit]
        if not occurring:
            return may
        owners, seconds, needs = self.owners, self.seconds, self.digit
        may = dict(may)
        for a in occurring:
            for group in owners.get(a, ()):
                key, n, _ = group
                if (has_digit or group not in needs) and (
                        group not in seconds or not seconds[group].isdisjoint(occurring)):
                    items = may.get(key)
                    if items is None or n not in items:
                        may[key] = (items or frozenset()) | {n}
        return may
