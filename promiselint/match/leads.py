"""Where a pattern's matches can start: literal "leads" near the start of every match.

`leads(source)` walks a regex's parse tree (`re._parser`) from the start of
each alternative and returns pairs (skip, strings): every match of the pattern
has, for one of the pairs, one of `strings` beginning at most `skip`
characters after the match's start (None when that cannot be derived: an
alternative opens with something unbounded, `\\w+`, before any literal).

So a match can only start in [p - skip, p] for an occurrence p of a lead
string: `Starts` tries the pattern only there (`match` at those positions, in
order, resuming after each match), which finds exactly what `finditer` over
the whole text finds, for a fraction of the positions (the prefilter,
prefilter.py, says whether a pattern may match a block at all; this says
where).
"""
from __future__ import annotations

import re
import warnings
from array import array
from functools import lru_cache

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
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_UNBOUNDED = _c.MAXREPEAT


@lru_cache(maxsize=1024)
def leads(source: str, flags: int = 0) -> tuple[tuple[int, str, frozenset], ...] | None:
    """(skip, run, strings) triples, one of which every match of `source` meets:
    one of `strings` begins after at most `skip` characters outside `run` (a regex
    of one character, "" for none) from the match's start; None when they cannot be
    derived.  Kept between runs beside the anchors (prefilter.derived: a warm run
    parses no pattern)."""
    return derived("leads", source, flags, lambda: _derive(source, flags), _encode, _decode)


def _encode(found) -> list | None:
    return None if found is None else [[n, run, sorted(strings)] for n, run, strings in found]


def _decode(raw) -> tuple | None:
    """leads()'s value from _encode's form (ValueError when it is not that)."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise ValueError("not leads")
    out = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3 and type(item[0]) is int and 0 <= item[0] <= MAX_SKIP
                and isinstance(item[1], str) and isinstance(item[2], list) and item[2]
                and all(isinstance(x, str) and x for x in item[2])):
            raise ValueError("not a lead")
        if item[1]:
            re.compile(item[1])  # (re.error is a ValueError)
        out.append((item[0], item[1], frozenset(item[2])))
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
    return tuple(sorted({(n, "|".join(sorted(run)), strings) for n, run, strings in found},
                        key=lambda x: (x[0], x[1], sorted(x[2]))))


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


def _seq(items, flags: int, skip: tuple = (0, frozenset()), budget: list | None = None) -> list | None:
    """Leads (skip, run, strings) of a sequence whose first item starts within `skip`
    (characters, run classes) of the match's start: the first literal set every way
    through reaches.  A group is walked in place, an alternation or an optional
    item as each way through followed by the rest of the sequence; an unbounded
    item before the lead adds its characters' classes to the run."""
    budget = budget if budget is not None else [_BUDGET]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooMany
    n, run = skip
    items = list(items)
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        rest = items[i + 1:]
        got = _exact(op, av, flags)
        if got is not None and "" not in got:
            strings = _extend(got, rest, flags)
            shortest = min(map(len, strings))
            if shortest < _SHORT and n + max(map(len, got)) <= MAX_SKIP:  # a common string: a rarer one further on?
                further = _seq(rest, flags, (n + max(map(len, got)), run), budget)
                if further is not None and min(len(x) for _, _, found in further for x in found) > shortest:
                    return further
            return [(n, run, strings)]
        if op is _c.SUBPATTERN and not av[1] and not av[2]:  # no flags of its own: walk it in place
            return _seq(list(av[3]) + rest, flags, (n, run), budget)
        if op is _c.BRANCH and got is None:
            found = []
            for alternative in av[1]:
                part = _seq(list(alternative) + rest, flags, (n, run), budget)
                if part is None:
                    return None
                found.extend(part)
            return found
        if op in _REPEATS and got is None:
            lo, _hi, body = av
            # a lead within the first copy (followed by the rest when there is at most one)
            first = _seq(list(body) + (rest if _hi == 1 else []), flags, (n, run), budget)
            if first is not None:
                if lo >= 1:
                    return first
                none = _seq(rest, flags, (n, run), budget)  # or no copy at all
                return None if none is None else first + none
        width = _width(op, av)
        if width < _UNBOUNDED:
            n += width
            if n > MAX_SKIP:
                return None
        else:
            chars = _chars(op, av, flags)
            if chars is None:
                return None
            run = run | chars
    return None


_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
               _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
               _c.CATEGORY_UNI_DIGIT: r"\d", _c.CATEGORY_UNI_NOT_DIGIT: r"\D", _c.CATEGORY_UNI_SPACE: r"\s",
               _c.CATEGORY_UNI_NOT_SPACE: r"\S", _c.CATEGORY_UNI_WORD: r"\w", _c.CATEGORY_UNI_NOT_WORD: r"\W"}
_ANY = r"[\s\S]"


def _in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _chars(op, av, flags: int) -> frozenset | None:
    """Regex sources of single characters, one of which matches each character the
    item consumes (a superset is fine); None when unknown."""
    if op is _c.LITERAL:
        return frozenset((_ANY if flags & _I else re.escape(chr(av)),))
    if op is _c.NOT_LITERAL:
        return frozenset(("[^" + _in_class(chr(av)) + "]" if not flags & _I else _ANY,))
    if op is _c.ANY:
        return frozenset((_ANY,))
    if op is _c.IN:
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
        return frozenset(("[" + "".join(parts) + "]" if not flags & _I else _ANY,))
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


class _TooMany(Exception):
    """The walk has tried too many ways through the pattern."""


_BUDGET = 4000


def _extend(strings: frozenset, rest, flags: int) -> frozenset:
    """The lead strings made longer (rarer) by what every match continues with."""
    return _cat(strings, _head(rest, flags)) or strings


def _head(items, flags: int) -> frozenset:
    """Strings one of which every match of the sequence starts with ({""}: nothing known)."""
    strings = frozenset({""})
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the next item's strings follow directly
        got = _exact(op, av, flags)
        if got is None and op is _c.SUBPATTERN and not av[1] and not av[2]:
            got = _head(av[3], flags)
        elif got is None and op is _c.BRANCH:
            got = frozenset().union(*(_head(b, flags) for b in av[1]))
        elif got is not None and "" not in got:
            longer = _cat(strings, got)
            if longer is None:
                return strings
            strings = longer
            continue
        if got is None or "" in got:
            return strings
        return _cat(strings, got) or strings  # the group's strings end what is known
    return strings


class Windows:
    """Where the patterns of many keys can start in a text, from one scan for all their leads.

    `keyed` maps a key to its pattern's `leads()`.  `ranges(text, keys)` gives,
    per key, the sorted disjoint [lo, hi] ranges of positions where a match can
    start (`Ranges`; empty: nowhere), or None when they cover more than `share`
    of the text (a plain scan is then cheaper)."""

    def __init__(self, keyed: dict):
        self.keys = frozenset(keyed)  # the keys whose patterns have leads
        self.bits = {key: 1 << i for i, key in enumerate(keyed)}  # (to skip a lead no wanted key owns)
        owners: dict[str, dict] = {}  # lead string -> {(key, back): skip}
        backs: dict[tuple, int] = {}
        self.back = []  # per (skip, run): how far back from a lead a match can start
        for key, found in keyed.items():
            for n, run, strings in found:
                b = -1
                if run:
                    b = backs.get((n, run))
                    if b is None:
                        b = backs[n, run] = len(self.back)
                        # matched on the reversed text: the run, then up to n other characters each followed by the run
                        self.back.append(regexstore.compile(f"(?:{run})*(?:[\\s\\S](?:{run})*){{0,{n}}}").match)
                for s in strings:
                    owned = owners.setdefault(s, {})
                    owned[key, b] = max(n, owned.get((key, b), 0))  # (without a run the largest skip covers the rest)
        self.automaton = None
        if owners:
            import ahocorasick

            self.automaton = ahocorasick.Automaton()  # a lead string -> (its length, its owners' bits, its owners)
            for s, owned in owners.items():
                self.automaton.add_word(s, (len(s), sum({self.bits[key] for key, _ in owned}),
                                            tuple((key, n, b) for (key, b), n in owned.items())))
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
        reverse = None
        size = len(text)
        for end, (length, mask, owners) in self.automaton.iter(text):
            if not mask & wanted:
                continue
            p = end - length + 1
            for key, n, b in owners:
                spans = get(key)
                if spans is None and key in keys:
                    spans = found[key] = array("q")
                if spans is not None:
                    if b < 0:
                        lo = p - n if p > n else 0
                    else:
                        if reverse is None:
                            reverse = text[::-1]
                        lo = p - self.back[b](reverse, size - p).end() + size - p
                    if spans:  # joined with the last range when they touch: dense hits keep a few ranges
                        a, z = spans[-2], spans[-1]
                        if lo <= z + 1 and p >= a - 1:
                            if lo < a:
                                spans[-2] = lo
                            if p > z:
                                spans[-1] = p
                            continue
                    spans.append(lo)
                    spans.append(p)
        limit = size * share if share is not None else None
        out = dict.fromkeys(keys, _NOWHERE)
        for key, spans in found.items():
            if len(spans) > 2:
                out[key] = _merged(spans, limit)
            elif limit is not None and spans[1] - spans[0] >= limit:
                out[key] = None
            else:
                out[key] = Ranges(spans)
        return out


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
