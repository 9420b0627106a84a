"""Time expressions in normalized copy: tokens, then the LALR grammar (grammars/time.lark).

An Aho-Corasick automaton finds anchors (unit words and fixed forms); only the
run of time words around each (numbers and words of the word lists with only
spaces between: any other token ends every expression) is split into word-class
tokens (time_words.py), and the grammar's LALR table (built by lark once and
kept as data: larkstore.py, lalr.py) keeps the longest expression that parses
from each token, each run's expressions cached by its text.  Pages
without a unit word cost one automaton scan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import lalr
from .lalr import END
from .time_words import BOUND_ORDER, NUMBER, WordClasses, values, word_classes


@dataclass(frozen=True)
class TimeExpr:
    start: int          # span in the input string (code points), end exclusive
    end: int
    kind: str           # duration | same-day | next-day | overnight | express | instant | fixed
    min_hours: float | None
    max_hours: float | None
    business_days: bool
    bound: str | None   # within | under | at-most | about | None

    def to_json(self) -> dict:
        return {
            "start": self.start, "end": self.end, "kind": self.kind,
            "min_hours": self.min_hours, "max_hours": self.max_hours,
            "business_days": self.business_days, "bound": self.bound,
        }


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(rf"{NUMBER}|[^\W\d_]+|\S")
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")   # "s24", "wait_24h"
_NUMERIC = frozenset({"NUM", "NUMWORD"})

# a token: (word classes it may be, word or phrase, start, end)
_Tok = tuple[tuple[str, ...], str, int, int]


def _raw_words(text: str, start: int, end: int, lex: WordClasses) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        w, s, e = m.group(), m.start(), m.end()
        if lex.clitics and len(w) > 2 and w[0] in lex.clitics and w not in lex.known:
            rest = w[1:]
            if rest in lex.known:
                out.append((w[0], s, s + 1))
                out.append((rest, s + 1, e))
                continue
            if len(rest) > 2 and rest[0] in lex.clitics and rest[1:] in lex.known:
                out.append((w[0], s, s + 1))
                out.append((rest[0], s + 1, s + 2))
                out.append((rest[1:], s + 2, e))
                continue
        out.append((w, s, e))
    return out


def _tokenize(text: str, start: int, end: int, lex: WordClasses) -> list[_Tok]:
    words = _raw_words(text, start, end, lex)
    toks: list[_Tok] = []
    i, n = 0, len(words)
    while i < n:
        w, s, e = words[i]
        c = w[0]
        if "0" <= c <= "9":
            numeric = w.isdigit() or (w.count(".") == 1 and w.replace(".", "").isdigit())
            if numeric and not (s > 0 and text[s - 1] in _LATIN):
                toks.append((("NUM",), w, s, e))
            else:
                toks.append(((), w, s, e))
            i += 1
            continue
        if w == "-":
            toks.append((("DASH",), w, s, e))
            i += 1
            continue
        best = None
        after_number = bool(toks) and not _NUMERIC.isdisjoint(toks[-1][0])
        for phrase in lex.phrases.get(w, ()):
            if len(phrase) > 1 and after_number and phrase[0] in lex.unit_words:
                continue            # "2 روز بعد" is "2 days later", not "next day"
            j, k = i + 1, 1
            while k < len(phrase) and j < n:
                if words[j][0] == "-" and j + 1 < n:
                    j += 1
                if words[j][0] != phrase[k]:
                    break
                j += 1
                k += 1
            if k == len(phrase):
                best = (phrase, j)
                break
        if best is None:
            toks.append(((), w, s, e))
            i += 1
        else:
            phrase, j = best
            key = " ".join(phrase)
            types = lex.types.get(key, ())
            if key in lex.attached and not (s > 0 and text[s - 1].isdigit()):
                types = ()
            toks.append((types, key, s, words[j - 1][2]))
            i = j
    return toks


# ---------------------------------------------------------------------------
# Parser (the LALR table of grammars/time.lark, built by lark once: larkstore.py)
# ---------------------------------------------------------------------------

GRAMMAR_PATH = Path(__file__).with_name("grammars") / "time.lark"


class _Unit:
    __slots__ = ("minutes", "business", "half")

    def __init__(self, minutes: int, business: bool, half: bool):
        self.minutes, self.business, self.half = minutes, business, half


class _Amount:
    __slots__ = ("lo", "hi", "business", "needs")

    def __init__(self, lo, hi, business, needs=None):
        self.lo, self.hi, self.business, self.needs = lo, hi, business, needs


_HALF_TAIL = object()


def _h(minutes: float) -> float:
    return round(minutes / 60, 4)


@lru_cache(maxsize=None)
def _parser():
    from .larkstore import table

    v = values()
    unit_minutes, number_value, bound_kind, post_kind, fixed_info, weak = (
        v["unit"], v["number"], v["bound"], v["post"], v["fixed"], v["weak"])

    def toks(children, *types):  # (a token is a str with a .type: lalr.Word, or lark's Token)
        return [c for c in children if isinstance(c, str) and c.type in types]

    class _Build:  # the grammar's rules (and aliases) -> values, called on each reduction
        def number(self, ch):
            t = ch[0]
            return float(t) if t.type == "NUM" else number_value[t]

        def quantity(self, ch):
            return ch[-1]

        def and_half(self, ch):
            return number_value[ch[0]] + 0.5

        def range(self, ch):
            lo, hi = [c for c in ch if isinstance(c, float)]
            return (lo, hi)

        def sep(self, ch):
            return ch[0]

        def half_tail(self, ch):
            return _HALF_TAIL

        def unit_phrase(self, ch):
            unit = toks(ch, "UNIT", "UNIT_SG")[0]
            return _Unit(unit_minutes[unit], bool(toks(ch, "BUSINESS", "WORK")), _HALF_TAIL in ch)

        sg_phrase = unit_phrase

        def single(self, ch):
            q, u = ch[0], ch[-1]
            return _Amount(None, (q + 0.5 if u.half else q) * u.minutes, u.business)

        def ranged(self, ch):
            (lo, hi), u = ch
            return _Amount(lo * u.minutes, hi * u.minutes, u.business)

        def dual(self, ch):
            return _Amount(None, 2 * unit_minutes[ch[0]], len(ch) > 1)

        def dual_range(self, ch):
            u = ch[-1]
            return _Amount(2 * unit_minutes[ch[0]], ch[2] * u.minutes, u.business)

        def bare(self, ch):
            u = ch[0]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business, "strong")

        def one(self, ch):
            u = ch[0]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business)

        def article(self, ch):
            u = ch[1]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business, "any")

        def one_or_n(self, ch):
            unit = toks(ch, "UNIT_SG")[0]
            m = unit_minutes[unit]
            return _Amount(m, number_value[ch[-1]] * m, False)

        def one_or_two(self, ch):
            m = unit_minutes[ch[0]]
            return _Amount(m, 2 * unit_minutes[ch[2]], False)

        def half(self, ch):
            u = ch[-1]
            return _Amount(None, 0.5 * u.minutes, u.business)

        def pre(self, ch):
            return ("pre", tuple(str(t) for t in ch))

        def duration(self, ch):
            pre = next((c[1] for c in ch if isinstance(c, tuple)), ())
            amount = next(c for c in ch if isinstance(c, _Amount))
            post = toks(ch, "POST")
            if amount.needs == "any" and not pre:
                return None
            if amount.needs == "strong" and all(b in weak for b in pre):
                return None
            bound = _combine([bound_kind[b] for b in pre] + [post_kind[p] for p in post])
            lo = amount.lo
            if lo is None and bound == "about":
                lo = amount.hi
            return ("duration", None if lo is None else _h(lo), _h(amount.hi),
                    amount.business, bound, amount.needs is not None)

        def fixed(self, ch):
            pre = next((c[1] for c in ch if isinstance(c, tuple)), ())
            kind, max_h, business = fixed_info[toks(ch, "FIXED")[0]]
            return (kind, None, max_h, business, _combine([bound_kind[b] for b in pre]), False)

    return _Parser(table(GRAMMAR_PATH.read_text(encoding="utf-8")), _Build())


class _Parser:
    """The grammar's LALR table run by lalr.Parser with the transformer (`_Build`).

    The longest expression from a token is found by stepping through the table
    without building values; only the winning span is then parsed, with values.
    """

    def __init__(self, table, transformer):
        self.transformer = transformer
        self.lalr = lalr.Parser(table, transformer)
        self.states, self.start_state = table.states, table.start
        self.first = frozenset(t for t in table.states[table.start] if t.isupper())

    def longest(self, toks: list[_Tok], i: int):
        """Longest valid expression starting at toks[i]: (end index, value) or None."""
        states, feed = self.states, self.lalr.feed
        stack = [self.start_state]
        chosen: list[str] = []
        ends: list[int] = []
        for j in range(i, min(len(toks), i + _MAX_TOKENS)):
            row = states[stack[-1]]
            term = next((t for t in toks[j][0] if t in row), None)
            if term is None or not feed(stack, term):
                break
            chosen.append(term)
            if END in states[stack[-1]] and feed(stack[:], END):
                ends.append(j + 1)
        for end in reversed(ends):      # longest first; the transformer may refuse one
            value = self.value(tuple((t, toks[i + k][1]) for k, t in enumerate(chosen[:end - i])))
            if value is None:
                continue
            if value[5] and end < len(toks) and "NUM" in toks[end][0]:
                continue                # «خلال عام 2026» is "during 2026", not "within a year"
            return end, value
        return None

    @lru_cache(maxsize=8192)        # copy repeats the same few expressions
    def value(self, terms: tuple[tuple[str, str], ...]):
        return self.lalr.parse(terms)


_MAX_TOKENS = 12


def _combine(kinds: list[str | None]) -> str | None:
    for k in BOUND_ORDER:
        if k in kinds:
            return k
    return None


def find_time_expressions(text: str, lang: str, near=None) -> list[TimeExpr]:
    """All time expressions in a normalized matching string, in order, non-overlapping
    (only in the runs of words, around the anchors, for which `near(start, end)` holds)."""
    runs = time_runs(text, lang)
    if near is not None:
        runs = [(s, e) for s, e in runs if near(s, e)]
    return expressions_in(text, lang, runs)


def has_anchor(text: str, lang: str) -> bool:
    """Whether an anchor word (a unit or fixed form) occurs in `text`, even inside a
    word: without one, no time expression can (one automaton scan)."""
    return next(word_classes(lang).anchor_words.iter(text), None) is not None


def time_runs(text: str, lang: str) -> list[tuple[int, int]]:
    """The spans of `text` a time expression may lie in (see `_runs`)."""
    return _runs(text, word_classes(lang))


def expressions_in(text: str, lang: str, runs: list[tuple[int, int]]) -> list[TimeExpr]:
    """The time expressions in the given runs of `text` (from `time_runs`)."""
    return [TimeExpr(*found) for found in expression_spans(text, lang, runs)]


def expression_spans(text: str, lang: str, runs: list[tuple[int, int]]) -> list[tuple]:
    """`expressions_in` as tuples of TimeExpr's fields (cheaper to make)."""
    found = []
    for s, e in runs:
        before = text[s - 1] if s else " "
        # what the tokenizer reads before a run: a Latin letter ("s24" is no number), a digit ("24h")
        key = ("_" if before in _LATIN else "0" if before.isdigit() else " ") + text[s:e]
        for start, end, *value in (_run_expressions if len(key) <= _CACHED_RUN else _parse_run)(key, lang):
            found.append((s + start - 1, s + end - 1, *value))
    return found


def _parse_run(key: str, lang: str) -> tuple:
    """The time expressions in one run (key[1:]; key[0] stands for the character
    before it), as (start, end, kind, min_hours, max_hours, business_days, bound)
    in `key`."""
    parser = _parser()
    first = parser.first
    toks = _tokenize(key, 1, len(key), word_classes(lang))
    found = []
    i, n = 0, len(toks)
    while i < n:
        if first.isdisjoint(toks[i][0]):
            i += 1
            continue
        hit = parser.longest(toks, i)
        if hit is None:
            i += 1
            continue
        j, (kind, lo, hi, business, bound, _bare) = hit
        found.append((toks[i][2], toks[j - 1][3], kind, lo, hi, business, bound))
        i = j
    return tuple(found)


# copy repeats the same phrases («خلال 24 ساعه», "ships in 2 days") page after page
_run_expressions = lru_cache(maxsize=8192)(_parse_run)
_CACHED_RUN = 200  # a longer run is parsed afresh (a cache entry keeps its text)


def _runs(text: str, lex: WordClasses) -> list[tuple[int, int]]:
    """The runs of `text` that hold an anchor: only they can hold a time expression.

    A run (`WordClasses.run_re`) is a stretch of candidate tokens (numbers, words of
    the word lists, known signs) with only spaces between them; any other token
    breaks every expression, so the expressions of the whole text are those of its
    runs, each parsed alone.  Every expression holds a unit or a fixed form, and so
    the anchor word of one (time_words.WordClasses) among its run's words.  Only
    the text around each anchor is read: back to the start of its run, then the run."""
    runs: list[tuple[int, int]] = []
    clitics = lex.clitics
    done = 0  # the end of the last run found
    rev = None
    for a, _ in _anchors(text, lex):
        if a < done:
            continue
        if a > 0 and text[a - 1].isalpha() and not text[a].isdigit():  # inside a word, unless after
            # proclitics (a number glued to a letter, "s24h", is the tokenizer's call: _LATIN)
            k = a - 1
            while k >= 0 and a - k <= 2 and text[k] in clitics:
                k -= 1
            if k == a - 1 or (k >= 0 and text[k].isalpha()):
                continue
        if rev is None:
            rev = text[::-1]
        for m in lex.run_re.finditer(text, _run_floor(text, rev, a, lex)):
            if m.end() > a:
                if m.start() <= a:
                    done = m.start() + len(m.group().rstrip())
                    runs.append((m.start(), done))
                break
    return runs


_NOT_SPACES = re.compile(r"\S*")
_PIECE_BEFORE = re.compile(r"\s+(\S+)")  # read in the reversed text: the piece before


def _run_floor(text: str, rev: str, a: int, lex: WordClasses) -> int:
    """A place at or before the start of the run that holds text[a]: the start of the
    nearest space-separated piece before `a`'s own that is not all candidates (a
    run crosses only whole pieces of candidates), or of the text.  `rev` is the
    text reversed: the pieces are read backwards from `a`."""
    n = len(text)
    i = _NOT_SPACES.match(rev, n - a).end()  # back to the start of a's own piece
    while (m := _PIECE_BEFORE.match(rev, i)) is not None:
        i = m.end()
        if not lex.run_re.fullmatch(text, n - i, n - m.start(1)):  # not all candidates
            return n - i
    return 0


_LETTER = re.compile(r"[^\W\d_]")


def _anchors(text: str, lex: WordClasses) -> list[tuple[int, int]]:
    """The spans `lex.anchor_re.finditer(text)` gives (leftmost, then the longest
    anchor not followed by a letter), found from the anchors' Aho-Corasick matches:
    a text without an anchor costs one automaton scan, no regex."""
    hits = sorted((end + 1 - size, -size) for end, size in lex.anchor_words.iter(text))
    spans = []
    pos = 0
    for start, size in hits:
        end = start - size
        if start >= pos and not _LETTER.match(text, end):
            spans.append((start, end))
            pos = end
    return spans
