"""Where a pattern's matches can start: literal "leads" near the start of every match.

`leads(source)` walks a regex's parse tree (`re._parser`) from the start of
each alternative and returns `Lead`s (skip, run, strings, others, edges): every
match of the pattern has, for one of them, one of `strings` beginning at most
`skip` characters after the match's start (None when that cannot be derived:
an alternative opens with something unbounded, `\\w+`, before any literal).

So a match can only start in [p - skip, p] for an occurrence p of a lead
string: `Starts` tries the pattern only there (`match` at those positions, in
order, resuming after each match), which finds exactly what `finditer` over
the whole text finds, for a fraction of the positions (the prefilter,
prefilter.py, says whether a pattern may match a block at all; this says
where).  A `\\b` the pattern asserts right before the lead or at the match's
start, and a `\\b` or a space right after it (`edges`), rule out most
occurrences inside a word ("the" in "other", "with" in "without", "est" in
"interested") with one look at the character before or after.
"""
from __future__ import annotations

import re
import warnings
from array import array
from functools import lru_cache
from typing import NamedTuple

from . import regexstore
from .prefilter import derived

try:  # Python 3.11+: the parser moved to re._parser
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore
    import sre_parse as _p  # type: ignore

_LIMIT = 64  # largest finite set of strings carried
_CLASS_LIMIT = 8  # a character class with at most this many characters is a finite set
MAX_SKIP = 24  # a lead further than this into the match is not worth the positions it costs
_SHORT = 3  # a lead shorter than this is common: look for a longer one after it
_I = 2  # re.IGNORECASE
_ASCII = int(re.ASCII)
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_UNBOUNDED = _c.MAXREPEAT


AT_LEAD = 1  # edges: a \\b holds right before the lead string (as `re` reads \\b without ASCII)
AT_START = 2  # edges: a \\b holds at the match's start
AT_END = 4  # edges: the character after the lead string is not a word character (or there is none)
APART = 8  # edges: the character before the lead string is not a word character (or there is none)


class Lead(NamedTuple):
    """One way into a pattern: a match starts at most `skip` characters before one of
    `strings`, crossing only characters of the class `run` (a regex, "" for none) and
    at most `skip` others, each of the class `others` (a regex, "" when there is no run)."""

    skip: int
    run: str
    strings: frozenset
    others: str
    edges: int  # AT_LEAD | AT_START | AT_END | APART


@lru_cache(maxsize=1024)
def leads(source: str, flags: int = 0) -> tuple[Lead, ...] | None:
    """`Lead`s, one of which every match of `source` meets; None when they cannot
    be derived.  Kept between runs beside the anchors (prefilter.derived: a warm run
    parses no pattern)."""
    return derived("leads/2", source, flags, lambda: _derive(source, flags), _encode, _decode)


def _encode(found) -> list | None:
    return None if found is None else [[x.skip, x.run, sorted(x.strings), x.others, x.edges] for x in found]


def _decode(raw) -> tuple | None:
    """leads()'s value from _encode's form (ValueError when it is not that)."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise ValueError("not leads")
    out = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 5 and type(item[0]) is int and 0 <= item[0] <= MAX_SKIP
                and isinstance(item[1], str) and isinstance(item[2], list) and item[2]
                and all(isinstance(x, str) and x for x in item[2]) and isinstance(item[3], str)
                and type(item[4]) is int and 0 <= item[4] <= AT_LEAD | AT_START | AT_END | APART):
            raise ValueError("not a lead")
        for source in item[1], item[3]:
            if source:
                re.compile(source)  # (re.error is a ValueError)
        out.append(Lead(item[0], item[1], frozenset(item[2]), item[3], item[4]))
    return tuple(out)


def _derive(source: str, flags: int) -> tuple | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _p.parse(source, flags)
        found = _seq(list(parsed), int(parsed.state.flags))
    except Exception:  # noqa: BLE001 - anything unexpected (or _TooMany): no leads, finditer as before
        return None
    if not found:
        return None
    out = {Lead(n, _class_source(run), strings, _class_source(others) if run else "", edges)
           for n, run, others, strings, edges in found}
    return tuple(sorted(out, key=lambda x: (x.skip, x.run, sorted(x.strings), x.others, x.edges)))


def _char(code: int, flags: int) -> str | None:
    ch = chr(code)
    if flags & _I and (ch.lower() != ch or ch.upper() != ch or ch.casefold() != ch):
        return None  # a cased letter under IGNORECASE: its variants are not enumerated
    return ch


def _cat(a: frozenset, b: frozenset) -> frozenset | None:
    if len(a) * len(b) > _LIMIT:
        return None
    return frozenset(x + y for x in a for y in b)


def _exact(op, av, flags: int) -> frozenset | None:
    """Every string the item can match, when that is a small finite set."""
    if op is _c.LITERAL:
        ch = _char(av, flags)
        return frozenset((ch,)) if ch is not None else None
    if op is _c.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL:
                codes = [iav]
            elif iop is _c.RANGE and iav[1] - iav[0] < _CLASS_LIMIT:
                codes = range(iav[0], iav[1] + 1)
            else:
                return None
            for code in codes:
                ch = _char(code, flags)
                if ch is None:
                    return None
                chars.add(ch)
        return frozenset(chars) if 0 < len(chars) <= _CLASS_LIMIT else None
    if op is _c.SUBPATTERN:
        return _exact_seq(av[3], (flags | int(av[1])) & ~int(av[2]))
    if op is _c.BRANCH:
        out: set[str] = set()
        for b in av[1]:
            got = _exact_seq(b, flags)
            if got is None:
                return None
            out |= got
        return frozenset(out) if len(out) <= _LIMIT else None
    if op in _REPEATS:
        lo, hi, sub = av
        inner = _exact_seq(sub, flags)
        if inner is None or hi > 4:
            return None
        out, power = set(), frozenset({""})
        for k in range(hi + 1):
            if k >= lo:
                out |= power
            if k < hi:
                power = _cat(power, inner)
                if power is None:
                    return None
        return frozenset(out) if len(out) <= _LIMIT else None
    return None


def _exact_seq(items, flags: int) -> frozenset | None:
    full = frozenset({""})
    for op, av in items:
        if op in _ZERO_WIDTH:
            return None  # an assertion inside: the strings alone do not say where it matches
        got = _exact(op, av, flags)
        if got is None:
            return None
        full = _cat(full, got)
        if full is None:
            return None
    return full


def _width(op, av) -> int:
    """The most characters the item can consume (MAXREPEAT or more: unbounded)."""
    return _p.SubPattern(_p.State(), [(op, av)]).getwidth()[1]


def _seq(items, flags: int, at: tuple = (0, frozenset(), frozenset(), 0, False),
         budget: list | None = None) -> list | None:
    """Leads (skip, run, others, strings, edges) of a sequence whose first item starts at
    `at` = (skip, run, others, bounded, start): within `skip` characters (of the classes
    `others`) and characters of the classes `run` of the match's start; `bounded`: a \\b
    (AT_LEAD) or `(?<!\\w)` (APART) holds there; `start`: one holds at the match's start.  The lead is the first literal
    set every way through reaches.  A group is walked in place, an alternation or an
    optional item as each way through followed by the rest of the sequence; an unbounded
    item before the lead adds its characters' classes to the run, a bounded one its
    width to the skip."""
    budget = budget if budget is not None else [_BUDGET]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooMany
    n, run, others, bounded, start = at  # (bounded: AT_LEAD, APART or both)
    items = list(items)
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            edge = _edge(op, av, flags, -1)
            if edge:
                bounded |= edge
                start = start or (n == 0 and not run)
            continue
        rest = items[i + 1:]
        got = _exact(op, av, flags)
        if got is not None and "" not in got:
            strings, after = _extend(got, rest, flags)
            shortest = min(map(len, strings))
            if shortest < _SHORT and n + max(map(len, got)) <= MAX_SKIP:  # a common string: a rarer one further on?
                beyond = (n + max(map(len, got)), run, others | (_chars(op, av, flags) or {_ANY}), 0, start)
                further = _seq(rest, flags, beyond, budget)
                if further is not None and min(len(x) for *_, found, _ in further for x in found) > shortest:
                    return further
            apart = after is not None and _apart(after, flags, strings)
            return [(n, run, others, strings, bounded | (AT_START if start else 0) | (AT_END if apart else 0))]
        here = (n, run, others, bounded, start)
        if op is _c.SUBPATTERN and not av[1] and not av[2]:  # no flags of its own: walk it in place
            return _seq(list(av[3]) + rest, flags, here, budget)
        if op is _c.BRANCH and got is None:
            found = []
            for alternative in av[1]:
                part = _seq(list(alternative) + rest, flags, here, budget)
                if part is None:
                    return None
                found.extend(part)
            return found
        if op in _REPEATS and got is None:
            lo, _hi, body = av
            # a lead within the first copy (followed by the rest when there is at most one)
            first = _seq(list(body) + (rest if _hi == 1 else []), flags, here, budget)
            if first is not None:
                if lo >= 1:
                    return first
                none = _seq(rest, flags, here, budget)  # or no copy at all
                return None if none is None else first + none
        width = _width(op, av)
        if width < _UNBOUNDED:
            n += width
            if n > MAX_SKIP:
                return None
            others = others | (_chars(op, av, flags) or {_ANY})
        else:
            chars = _chars(op, av, flags)
            if chars is None:
                return None
            run = run | chars
        bounded = 0  # (the next item starts after this one)
    return None


_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
               _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
               _c.CATEGORY_UNI_DIGIT: r"\d", _c.CATEGORY_UNI_NOT_DIGIT: r"\D", _c.CATEGORY_UNI_SPACE: r"\s",
               _c.CATEGORY_UNI_NOT_SPACE: r"\S", _c.CATEGORY_UNI_WORD: r"\w", _c.CATEGORY_UNI_NOT_WORD: r"\W"}
_ANY = r"[\s\S]"


def _in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _chars(op, av, flags: int) -> frozenset | None:
    """Code points, and regex sources of single characters, one of which matches each
    character the item consumes (a superset is fine); None when unknown."""
    if op is _c.LITERAL:
        return frozenset((_ANY if flags & _I else av,))
    if op is _c.NOT_LITERAL:
        return frozenset(("[^" + _in_class(chr(av)) + "]" if not flags & _I else _ANY,))
    if op is _c.ANY:
        return frozenset((_ANY,))
    if op is _c.IN:
        if flags & _I:
            return frozenset((_ANY,))
        if all(iop is _c.LITERAL or (iop is _c.RANGE and iav[1] - iav[0] < 256) for iop, iav in av):
            return frozenset(code for iop, iav in av
                             for code in ((iav,) if iop is _c.LITERAL else range(iav[0], iav[1] + 1)))
        parts = []
        for iop, iav in av:
            if iop is _c.NEGATE:
                parts.append("^")
            elif iop is _c.LITERAL:
                parts.append(_in_class(chr(iav)))
            elif iop is _c.RANGE:
                parts.append(_in_class(chr(iav[0])) + "-" + _in_class(chr(iav[1])))
            elif iop is _c.CATEGORY and iav in _CATEGORIES:
                parts.append(_CATEGORIES[iav])
            else:
                return frozenset((_ANY,))
        return frozenset(("[" + "".join(parts) + "]",))
    if op is _c.SUBPATTERN:
        return _chars_seq(av[3], (flags | int(av[1])) & ~int(av[2]))
    if op is _c.BRANCH:
        out: set = set()
        for b in av[1]:
            got = _chars_seq(b, flags)
            if got is None:
                return None
            out |= got
        return frozenset(out)
    if op in _REPEATS or op is getattr(_c, "ATOMIC_GROUP", None):
        return _chars_seq(av[2] if op in _REPEATS else av, flags)
    return None


def _chars_seq(items, flags: int) -> frozenset | None:
    out: set = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        got = _chars(op, av, flags)
        if got is None:
            return None
        out |= got
    return frozenset(out)


def _class_source(chars: frozenset) -> str:
    """One regex for the characters `chars` (from _chars: code points and one-character
    regexes): the code points as one class, written one way whatever items they came
    from (equal classes, equal regexes), the regexes (\\s, negated classes) after it."""
    parts, run = [], []
    for code in sorted(c for c in chars if type(c) is int):
        if run and code != run[-1] + 1:
            parts.append(_span(run))
            run = []
        run.append(code)
    if run:
        parts.append(_span(run))
    rest = sorted(c for c in chars if type(c) is str)
    return "|".join((["[" + "".join(parts) + "]"] if parts else []) + rest)


def _span(codes: list) -> str:
    first, last = _in_class(chr(codes[0])), _in_class(chr(codes[-1]))
    return first + "-" + last if len(codes) > 2 else "".join(_in_class(chr(c)) for c in codes)


class _TooMany(Exception):
    """The walk has tried too many ways through the pattern."""


_BUDGET = 4000


def _extend(strings: frozenset, rest, flags: int) -> tuple[frozenset, list | None]:
    """The lead strings made longer (rarer) by what every match continues with, and the
    items that follow them (None: not known, the strings end inside a group)."""
    head, after = _head(rest, flags)
    longer = _cat(strings, head)
    return (longer, after) if longer is not None else (strings, list(rest))


def _head(items, flags: int) -> tuple[frozenset, list | None]:
    """Strings one of which every match of the sequence starts with ({""}: nothing known),
    and the items after them (None: they end inside a group)."""
    strings = frozenset({""})
    after = 0  # where the items after the strings begin
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the next item's strings follow directly
        got = _exact(op, av, flags)
        if got is None and op is _c.SUBPATTERN and not av[1] and not av[2]:
            got = _head(av[3], flags)[0]
        elif got is None and op is _c.BRANCH:
            got = frozenset().union(*(_head(b, flags)[0] for b in av[1]))
        elif got is not None and "" not in got:
            longer = _cat(strings, got)
            if longer is None:
                return strings, list(items[after:])
            strings, after = longer, i + 1
            continue
        if got is None or "" in got:
            return strings, list(items[after:])
        return _cat(strings, got) or strings, None  # the group's strings end what is known
    return strings, list(items[after:])


def _apart(items, flags: int, strings: frozenset) -> bool:
    """After any of `strings`, the `items` that follow them start with a \\b (the strings
    end with a word character) or with a non-word character: either way the character
    after the string is not a word character (or there is none)."""
    for op, av in items:
        edge = _edge(op, av, flags, 1)
        if edge:
            return edge == APART or all(_is_word(s[-1]) for s in strings)
        if op not in _ZERO_WIDTH:
            return _non_word(op, av, flags)
    return False


def _edge(op, av, flags: int, direction: int) -> int:
    """AT_LEAD for a \\b; APART for `(?<!\\w)` (direction -1) or `(?!\\w)` (1): no word
    character before (after) here; 0 for anything else (and under ASCII, another \\w)."""
    if flags & _ASCII:
        return 0
    if op is _c.AT:
        return AT_LEAD if av is _c.AT_BOUNDARY else 0
    if op is _c.ASSERT_NOT and av[0] == direction:
        body = list(av[1])
        if len(body) == 1 and body[0][0] is _c.IN and list(body[0][1]) in _WORD_CLASSES:
            return APART
    return 0


_WORD_CLASSES = [[(_c.CATEGORY, _c.CATEGORY_WORD)], [(_c.CATEGORY, _c.CATEGORY_UNI_WORD)]]


_SPACES = {_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE}
_NOT_WORDS = {_c.CATEGORY_NOT_WORD, _c.CATEGORY_UNI_NOT_WORD}  # (under ASCII: not \\w of ASCII only)


def _non_word(op, av, flags: int) -> bool:
    """Every match of the item starts with a character `\\w` does not match (Unicode)."""
    if op is _c.LITERAL:
        return not flags & _I and not _is_word(chr(av))
    if op is _c.IN:
        return not flags & _I and all(
            (iop is _c.LITERAL and not _is_word(chr(iav)))
            or (iop is _c.CATEGORY and (iav in _SPACES or (iav in _NOT_WORDS and not flags & _ASCII)))
            for iop, iav in av)
    if op in _REPEATS:
        return av[0] >= 1 and _non_word_seq(av[2], flags)
    if op is _c.SUBPATTERN:
        return _non_word_seq(av[3], (flags | int(av[1])) & ~int(av[2]))
    if op is _c.BRANCH:
        return all(_non_word_seq(b, flags) for b in av[1])
    return False


def _non_word_seq(items, flags: int) -> bool:
    for op, av in items:
        if op not in _ZERO_WIDTH:
            return _non_word(op, av, flags)
    return False


class Windows:
    """Where the patterns of many keys can start in a text, from one scan for all their leads.

    `keyed` maps a key to its pattern's `leads()`.  `ranges(text, keys)` gives,
    per key, the sorted disjoint [lo, hi] ranges of positions where a match can
    start (`Ranges`; empty: nowhere), or None when they cover more than `share`
    of the text (a plain scan is then cheaper).

    An occurrence of a lead string is passed over when the \\b its lead asserts
    before it does not hold there, or when a word character follows it where its
    lead says none can (one look at the character before, or after); when the
    match starts at a \\b and the characters a lead reaches back over are letters
    or digits, the match can only start where they begin ("fast" of "fastest",
    not "ast" or "st")."""

    def __init__(self, keyed: dict):
        self.keys = frozenset(keyed)  # the keys whose patterns have leads
        self.bits = {key: 1 << i for i, key in enumerate(keyed)}  # (to skip a lead no wanted key owns)
        owners: dict[str, dict] = {}  # lead string -> {(key, back, test): skip}
        backs: dict[tuple, int] = {}
        self.back = []  # per (skip, run, others): how far back from a lead a match can start
        for key, found in keyed.items():
            for n, run, strings, others, edges in found:
                b = -1
                if run:
                    b = backs.get((n, run, others))
                    if b is None:
                        b = backs[n, run, others] = len(self.back)
                        # matched on the reversed text: the run, then up to n other characters each followed by the run
                        other = others or _ANY
                        self.back.append(regexstore.compile(f"(?:{run})*(?:(?:{other})(?:{run})*){{0,{n}}}").match)
                for s in strings:
                    test = 0
                    if edges & AT_LEAD:
                        test |= _AFTER_NONWORD if _is_word(s[0]) else _AFTER_WORD
                    if edges & APART and not test & _AFTER_WORD == _AFTER_WORD:
                        test |= _AFTER_NONWORD
                    elif edges & APART:
                        continue  # a word character and none before the lead: it never occurs in a match
                    if b >= 0 and edges & AT_START and _is_word(s[0]):
                        test |= _RUN_START
                    if edges & AT_END:
                        test |= _END_APART
                    owned = owners.setdefault(s, {})
                    # (without a run the largest skip covers the rest)
                    owned[key, b, test] = max(n, owned.get((key, b, test), 0))
        self.automaton = None
        if owners:
            import ahocorasick

            self.automaton = ahocorasick.Automaton()  # a lead string -> (its length, its owners' bits, its owners)
            for s, owned in owners.items():
                self.automaton.add_word(s, (len(s), sum({self.bits[key] for key, _, _ in owned}),
                                            tuple((key, n, b, test) for (key, b, test), n in owned.items())))
            self.automaton.make_automaton()

    def ranges(self, text: str, keys, share: float | None = 0.5) -> dict:
        if not isinstance(keys, (set, frozenset)):
            keys = frozenset(keys)
        if self.automaton is None:
            return dict.fromkeys(keys, _NOWHERE)
        found: dict = {}  # key -> lo, hi, lo, hi... (made at its first hit: most keys have none)
        bits = self.bits
        wanted = 0
        for k in keys:
            wanted |= bits.get(k, 0)
        get = found.get
        unsorted = set()  # keys whose ranges came out of order
        reverse = None
        size = len(text)
        for end, (length, mask, owners) in self.automaton.iter(text):
            if not mask & wanted:
                continue
            p = end - length + 1
            for key, n, b, test in owners:
                if key not in keys:
                    continue
                hi = p
                if test:
                    if test & _AT_LEAD_TESTS:  # the \b before the lead: a word character before it, or not
                        c = text[p - 1] if p else " "
                        if (c.isalnum() or c == "_") is not (test & _AFTER_WORD == _AFTER_WORD):
                            continue
                    if test & _END_APART and end + 1 < size:  # no word character right after it
                        c = text[end + 1]
                        if c.isalnum() or c == "_":
                            continue
                if b < 0:
                    lo = p - n if p > n else 0
                else:
                    if reverse is None:
                        reverse = text[::-1]
                    lo = p - self.back[b](reverse, size - p).end() + size - p
                    if test & _RUN_START and (lo == p or text[lo:p].isalnum()):
                        # a \b at the start, letters and digits up to the lead: only where they begin
                        if lo:
                            c = text[lo - 1]
                            if c.isalnum() or c == "_":
                                continue
                        hi = lo
                spans = get(key)
                if spans is None:
                    spans = found[key] = array("q")
                    spans.append(lo)
                    spans.append(hi)
                    continue
                a, z = spans[-2], spans[-1]
                if lo > z + 1:  # after the last range (hits come by their end)
                    spans.append(lo)
                    spans.append(hi)
                elif hi >= a - 1:  # touching it: joined (dense hits keep a few ranges)
                    if hi > z:
                        spans[-1] = hi
                    if lo < a:
                        spans[-2] = lo
                        if len(spans) > 2 and lo <= spans[-3] + 1:
                            unsorted.add(key)
                else:  # before it (a longer skip): sorted at the end
                    spans.append(lo)
                    spans.append(hi)
                    unsorted.add(key)
        limit = size * share if share is not None else None
        out = dict.fromkeys(keys, _NOWHERE)
        for key, spans in found.items():
            if key in unsorted:
                out[key] = _merged(spans, limit)
            elif limit is not None and sum(spans[1::2]) - sum(spans[0::2]) + len(spans) // 2 > limit:
                out[key] = None
            else:
                out[key] = Ranges(spans)
        return out


_AFTER_NONWORD, _AFTER_WORD, _RUN_START, _END_APART = 1, 3, 4, 8  # Windows' tests of an occurrence (see ranges)
_AT_LEAD_TESTS = _AFTER_NONWORD  # (a bit both lead tests hold)


def _is_word(ch: str) -> bool:
    """`ch` is a character `\\w` matches (re without ASCII)."""
    return ch.isalnum() or ch == "_"


class Ranges:
    """[lo, hi] ranges, iterated as pairs, kept as one flat array of numbers (16 bytes a
    range, not a tuple and two ints: a block of claims back to back has one per claim)."""

    __slots__ = ("flat",)

    def __init__(self, flat: array | None = None):
        self.flat = array("q") if flat is None else flat

    def __iter__(self):
        pairs = iter(self.flat)
        return zip(pairs, pairs)

    def __len__(self) -> int:
        return len(self.flat) // 2

    def __repr__(self) -> str:
        return f"Ranges({list(self)})"


_NOWHERE = Ranges()  # (shared: the ranges of every key no lead of which occurs; never changed)


def _merged(flat: array, limit: float | None) -> Ranges | None:
    """Sorted disjoint ranges covering the (lo, hi) pairs of `flat`; None when they hold over
    `limit` positions (if any)."""
    pairs = iter(flat)
    spans = sorted(zip(pairs, pairs))
    out = array("q")
    lo, hi = spans[0]
    covered = 0
    for a, b in spans:
        if a > hi + 1:
            out.append(lo)
            out.append(hi)
            covered += hi - lo + 1
            lo, hi = a, b
        elif b > hi:
            hi = b
    out.append(lo)
    out.append(hi)
    if limit is not None and covered + hi - lo + 1 > limit:
        return None
    return Ranges(out)


class Starts:
    """A pattern tried only in given ranges of start positions: its `finditer` gives
    what the pattern's own finditer gives when every match starts in one of them."""

    __slots__ = ("regex", "spans")

    def __init__(self, regex, spans):
        self.regex = regex
        self.spans = spans

    def finditer(self, text: str):
        match = self.regex.match
        resume = 0
        for lo, hi in self.spans:
            pos = lo if lo > resume else resume
            while pos <= hi:
                m = match(text, pos)
                if m is None:
                    pos += 1
                    continue
                yield m
                resume = m.end()
                pos = resume if resume > pos else pos + 1  # matches hold a lead: never empty
