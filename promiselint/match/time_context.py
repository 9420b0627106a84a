"""Is a time expression a delivery promise?  The cue words around it decide.

Cue words and patterns are data (lexicons/{ar,fa,en}/time.yaml): delivery
cues, not-delivery cues (warranty, returns, offers, support, use, results,
age), and patterns right after or before the expression (24/7, periods
counted from delivery, past periods).  A trailing "*" on a cue matches any
ending; Arabic cues also allow proclitics (و ف ب ل ال).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from promiselint.core.lazyre import lazy_compile

from . import regexstore
from .time_parse import TimeExpr
from .time_words import READ_WITH, literal_automaton, words

_SENTENCE_END = lazy_compile(r"[!?؟؛;\n|•]|\.(?![0-9])")
_CLAUSE_BREAK = lazy_compile(r"[,،:()\[\]]")
_CONTEXT = 90
_CLAUSE_PENALTY = 40  # a cue in another clause counts as this much further away


def _cue_regex(cues: list[str], lang: str) -> str:
    parts = []
    for w in cues:
        prefix = w.endswith("*")
        body = re.escape(w.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body if prefix else body + r"(?![^\W\d_])")
    clitic = r"(?:[وف]?[بلكسهح]?(?:ال|ل)?)" if lang == "ar" else ""
    return r"(?<![^\W\d_])" + clitic + "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=None)
def _context_patterns(lang: str):
    data = words()
    langs = READ_WITH.get(lang, ("en",))
    cue = regexstore.compile("|".join(
        f"(?P<{name}{i}>{_cue_regex(data[lg][key], lg)})"
        for i, lg in enumerate(langs)
        for name, key in (("d", "delivery_cues"), ("n", "not_delivery_cues"))))
    after = regexstore.compile("|".join(f"(?:{p})" for lg in langs for p in data[lg].get("not_delivery_after", ())))
    before = regexstore.compile("|".join(f"(?:{p})" for lg in langs for p in data[lg].get("not_delivery_before", ())))
    charging = data[lang].get("charging_before") if lang in data else None
    return cue, after, before, re.compile(charging) if charging else None


def classify_context(text: str, expr: TimeExpr, lang: str) -> str:
    """ "delivery", "not-delivery" or "unknown" for a time expression found in ``text``.

    Not a delivery promise: round-the-clock hours (24/7, "7 days a week", «۷ روز
    هفته»), periods counted from delivery (return windows), past periods, and
    expressions nearer to a warranty, return, offer, support, use/effect, result or
    age word than to a delivery word. Nearest cue in the sentence wins.
    """
    return context_kind(text, expr.start, expr.end, expr.max_hours, lang)


_SENTENCE_TAIL = lazy_compile(rf"(?:.*(?:{_SENTENCE_END.pattern}))?", re.S)  # up to the last sentence end


def context_kind(text: str, start: int, end: int, max_hours: float | None, lang: str) -> str:
    """`classify_context` for the expression text[start:end] of at most `max_hours`."""
    before = text[max(0, start - _CONTEXT):start]
    before = before[_SENTENCE_TAIL.match(before).end():]
    after = text[end:end + _CONTEXT]
    m = _SENTENCE_END.search(after)
    if m:
        after = after[:m.start()]
    return _classify(before, after, lang, max_hours is not None and max_hours <= 1)


@lru_cache(maxsize=8192)  # copy repeats its delivery notes page after page
def _classify(before: str, after: str, lang: str, short: bool) -> str:
    """classify_context for an expression with `before` and `after` it in its sentence
    (`short`: at most an hour)."""
    cue_re, after_re, before_re, charging_re = _context_patterns(lang)
    if after_re.match(after) or before_re.search(before):
        return "not-delivery"
    if charging_re and short and charging_re.search(before):
        return "not-delivery"  # «شحن سريع خلال 30 دقيقة»: battery charging, not shipping

    best: tuple[int, str] | None = None
    for m in cue_re.finditer(before):
        dist = len(before) - m.end()
        if _CLAUSE_BREAK.search(before, m.end()):
            dist += _CLAUSE_PENALTY
        best = _nearer(best, dist, m.lastgroup)
    for m in cue_re.finditer(after):
        dist = m.start()
        if _CLAUSE_BREAK.search(after, 0, m.start()):
            dist += _CLAUSE_PENALTY
        best = _nearer(best, dist, m.lastgroup)
    if best is None:
        return "unknown"
    return "delivery" if best[1].startswith("d") else "not-delivery"


@lru_cache(maxsize=None)
def _cue_words(lang: str):
    """An Aho-Corasick automaton of one literal word of every delivery cue (its
    longest): every match of a delivery cue holds it."""
    data = words()
    literals = {max(cue.rstrip("*").split(), key=len)
                for lg in READ_WITH.get(lang, ("en",)) for cue in data[lg]["delivery_cues"]}
    return literal_automaton(literals), max(_CONTEXT, *map(len, literals))


def delivery_near(text: str, lang: str):
    """A test whether a time expression found in text[start:end] could be a delivery
    promise, from where the delivery cues' words occur (None: nowhere, none can).

    `classify_context` calls an expression a delivery only for a delivery cue in
    its sentence and within _CONTEXT characters of it, so a part of the text with
    no cue word that near (and no sentence end between) holds none (the time
    grammar skips it)."""
    automaton, reach = _cue_words(lang)
    cues = [(end + 1, end + 1 - length) for end, length in automaton.iter(text)]  # (end, start), by end
    if not cues:
        return None

    def near(start: int, end: int) -> bool:
        # only cues ending within reach can qualify (one that starts at or after
        # start - _CONTEXT ends there or later; one inside or after ends before end + reach)
        lo, hi = bisect_left(cues, (start - _CONTEXT,)), bisect_right(cues, (end + reach, end + reach))
        for e, s in cues[lo:hi]:
            if e <= start:  # before: within reach, and no sentence end between
                if s >= start - _CONTEXT and _no_sentence_end(text, e, start):
                    return True
            elif s >= end:  # after
                if e <= end + _CONTEXT and _no_sentence_end(text, end, s):
                    return True
            else:
                return True  # inside
        return False

    return near


def _no_sentence_end(text: str, a: int, b: int) -> bool:
    """No sentence end starts in text[a:b] (the "." test reads the character after it)."""
    m = _SENTENCE_END.search(text, a, b + 1)
    return m is None or m.start() >= b


def _nearer(best, dist: int, group: str):
    if best is None or dist < best[0] or (dist == best[0] and group.startswith("d")):
        return (dist, group)
    return best
