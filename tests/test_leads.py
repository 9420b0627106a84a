"""Leads (promiselint/match/leads.py): a rule pattern tried only where a match can start.

* sound: on random regexes and texts, every position where the regex matches
  lies in the ranges `Windows` gives, and `Starts.finditer` finds exactly what
  the regex's own finditer finds (spans and groups);
* the rule patterns get leads (the expensive ones included), and the matcher
  finds what they find (tests/test_prefilter.py runs every rule pattern
  through `Matcher.select` on random text);
* work count: the start positions tried on a block do not grow with the
  block's length beyond its lead occurrences, and on generated product pages
  they are a small share of the characters a plain scan would try.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.checks.linter import Linter
from promiselint.core.settings import Settings
from promiselint.match.leads import APART, AT_END, AT_LEAD, AT_START, Lead, Starts, Windows, leads
from promiselint.text.normalize import fold
from tests.test_prefilter import ALPHABET, REGEXES, _compiled

ROOT = Path(__file__).resolve().parent.parent

# unbounded runs of a class before the literal (the windows then reach back over the run), \b before it,
# at the start or after it, a non-word character after it (occurrences inside a word passed over)
_LEADING = st.lists(st.tuples(st.sampled_from(["", r"\d+", "[ab]+", r"\w*", r"\s?", r"[^\W\d_]+\s+", ".{0,3}",
                                               "(?:sa|)", r"(?:k1\s+)?", "(?:a|b)?", r"\b",
                                               r"\b[ab]+", r"\b\w*", r"\b[\w-]*", r"(?a:\b)", r"\b-?",
                                               r"(?<!\w)", r"(?<![\w])[ab]*", r"(?a:(?<!\w))"]),
                              st.sampled_from(["k1", "sa", "ab", "-b", "ba", "s", "(?:k1|ab)", "(?i:sa)", "1", "b-"]),
                              st.sampled_from(["", "", r"\b", r"\s+", r"\W", r"[\s-]", r"(?:\s|-)?", r"(?a:\W)",
                                               r"(?![\w])", r"(?a:(?!\w))"])),
                    min_size=1, max_size=3).map(lambda parts: "".join(g + w + t for g, w, t in parts))
TEXTS = st.lists(st.sampled_from(list(ALPHABET) + ["ab", "ba", "k1", "sa", "-b", "_", "é"] * 4), max_size=12).map("".join)
PATTERNS = st.one_of(REGEXES, _LEADING, st.tuples(_LEADING, _LEADING).map("|".join),
                     st.tuples(_LEADING, REGEXES).map(lambda t: f"(?:{t[0]})?{t[1]}"))


def _windows(rx, text, share=None):
    found = leads(rx.pattern, rx.flags)
    if found is None:
        return None
    return Windows({0: found}).ranges(text, {0}, share)[0]


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=800, deadline=None)
@given(PATTERNS, TEXTS)
def test_every_match_starts_in_a_window_and_starts_finds_what_finditer_finds(pattern, text):
    rx = _compiled(pattern)
    spans = _windows(rx, text)
    if spans is None:
        return
    pairs = list(spans)
    assert all(lo <= hi for lo, hi in pairs) and all(b[0] > a[1] + 1 for a, b in zip(pairs, pairs[1:])), pairs
    inside = {pos for lo, hi in spans for pos in range(lo, hi + 1)}
    for pos in range(len(text) + 1):
        if rx.match(text, pos) is not None:
            assert pos in inside, (pattern, text, spans, pos)
    got = [(m.span(), m.groups()) for m in Starts(rx, spans).finditer(text)]
    assert got == [(m.span(), m.groups()) for m in rx.finditer(text)], (pattern, text, spans)


def test_leads_of_simple_patterns():
    assert leads(r"\bfree\s+shipping") == (Lead(0, "", frozenset({"free"}), "", AT_LEAD | AT_START | AT_END),)
    assert leads(r"(?:the\s+)?best") == (Lead(0, "", frozenset({"best"}), "", 0),
                                         Lead(0, "", frozenset({"the"}), "", AT_END))  # ("the" ends before a space)
    # a short string is passed over for a longer one after it
    assert leads(r"an?\s+offer") == (Lead(2, r"[\s]", frozenset({"offer"}), "[an]", 0),)
    # an unbounded run before the literal: the windows reach back over its characters
    assert leads(r"[a-z]{3,}est\b") == (Lead(0, "[a-z]", frozenset({"est"}), "", AT_END),)
    assert leads(r"\w+") is None  # nothing literal
    assert leads(r"(a)\1") is None or all(s for lead in leads(r"(a)\1") for s in lead.strings)
    # the \b before a lead, at the match's start; none under ASCII (another \w)
    assert leads(r"\b(?:the\s+)?\bbest") == (Lead(0, "", frozenset({"best"}), "", AT_LEAD | AT_START),
                                             Lead(0, "", frozenset({"the"}), "", AT_LEAD | AT_START | AT_END))
    assert leads(r"(?:the\s+)?\bbest") == (Lead(0, "", frozenset({"best"}), "", AT_LEAD | AT_START),
                                           Lead(0, "", frozenset({"the"}), "", AT_END))  # (no \b asked at "the")
    assert leads(r"\b[a-z]+\s+than") == (Lead(0, r"[a-z]|[\s]", frozenset({"than"}), "", AT_START),)
    assert leads(r"(?a)\bbest")[0].edges == 0


def test_an_occurrence_inside_a_word_is_passed_over():
    rx = re.compile(r"\b(?:the|with)\s+(?:best|only)\b")
    text = "other bother, the best, rather the only; with ease"
    spans = _windows(rx, text)
    assert [text[lo:lo + 4] for lo, _ in spans] == ["the ", "the ", "with"]  # not the "the" of "other", ...
    assert [m.group() for m in Starts(rx, spans).finditer(text)] == ["the best", "the only"]
    # a lead opening with a non-word character: the \b before it needs a word character
    rx = re.compile(r"\b-proof")
    assert [tuple(s) for s in _windows(rx, "water-proof -proof")] == [(5, 5)]
    # a word character right after the lead where the pattern has a \b or a space
    rx = re.compile(r"\b(?:was|with)\s+\d")
    assert [tuple(s) for s in _windows(rx, "washed with 2 within was 3")] == [(7, 7), (21, 21)]
    # (?<!\w) and (?!\w), as the Arabic and Persian patterns write them: no word character there
    rx = re.compile(r"(?<![\w])(?:از|با)(?![\w])")
    assert [tuple(s) for s in _windows(rx, "بازار از باز با")] == [(6, 6), (13, 13)]
    assert leads(r"(?<![\w])-x\b")[0].edges == APART | AT_START | AT_END
    assert leads(r"(?a)(?<!\w)abc")[0].edges == 0
    # "_" is a word character; a run crossing a non-word one may start after it
    for pattern, text in ((r"\bk1", "_k1 -k1 k1"), (r"\b[\w-]*k1", "-bk1 _-k1"), (r"x-\b", "x- x-y")):
        rx = re.compile(pattern)
        got = [m.span() for m in Starts(rx, _windows(rx, text)).finditer(text)]
        assert got == [m.span() for m in rx.finditer(text)] and got, pattern


def test_ranges_come_sorted_and_apart_whatever_order_the_hits_come_in():
    rx = re.compile(r"ab|.{0,5}zz")  # "zz" reaches further back than "ab": a later hit, an earlier range
    text = "xxab.abzz ab ab x zz"
    spans = list(_windows(rx, text))
    assert spans == [(2, 7), (10, 10), (13, 18)]
    assert [m.span() for m in Starts(rx, _windows(rx, text)).finditer(text)] == [m.span() for m in rx.finditer(text)]


def test_windows_reach_back_over_the_run():
    rx = re.compile(r"[a-z]{3,}est\b")
    text = "the fastest kettle, 12 est"
    spans = _windows(rx, text)
    assert [tuple(s) for s in spans] == [(4, 8), (23, 23)]  # "fast" before "est"; "12 " is outside the run
    assert [m.group() for m in Starts(rx, spans).finditer(text)] == ["fastest"]
    # from a \b at the match's start over letters and digits: only where they begin
    rx = re.compile(r"\b[a-z]{3,}(?:[^aeioun\s]est|iest)\b")
    text = "the fastest kettle, interested 12 est, _fastest"
    spans = _windows(rx, text)
    assert [text[lo:hi + 1] for lo, hi in spans] == ["f", "e", "_faste"]  # ("_": not a letter: the whole run)
    assert [m.group() for m in Starts(rx, spans).finditer(text)] == ["fastest"]


@pytest.fixture(scope="module")
def eager_linter():
    mp = pytest.MonkeyPatch()
    mp.setenv("PROMISELINT_PREFILTER", "eager")
    linter = Linter(Settings())
    yield linter
    mp.undo()


def test_the_rule_patterns_have_leads(eager_linter):
    for lang in ("ar", "fa", "en"):
        m = eager_linter.matcher(lang)
        with_pattern = [i for i, (_, p) in enumerate(m.entries) if p is not None]
        assert len(m.windowed) >= 0.9 * len(with_pattern), lang
    # the patterns that cost most before leads (whole-block scans of big alternations)
    ids = {m.entries[i][0].id for i in eager_linter.matcher("en").windowed}
    assert {"superlative.unverified", "claim.urgency", "claim.health", "promise.guarantee",
            "claim.result-time", "claim.reference-price"} <= ids


def _positions(linter, text: str, lang: str = "en") -> int:
    """Start positions the block's selected rule patterns are tried at (a plain scan: every one)."""
    total = 0
    for _, pattern in linter.matcher(lang).select(text):
        if isinstance(pattern, Starts):
            total += sum(hi - lo + 1 for lo, hi in pattern.spans)
        elif pattern is not None:
            total += len(text) + 1
    return total


def test_positions_tried_do_not_grow_with_the_block(eager_linter):
    claim = "the fastest kettle you can buy, only 3 left in stock. "
    filler = "hand finished in small batches by our workshop in porto. "
    short = fold(claim + filler, "en").text
    long = fold(claim + filler * 64, "en").text
    assert 0 < _positions(eager_linter, short) == _positions(eager_linter, long)
    assert _positions(eager_linter, long) < len(claim)


def test_positions_tried_on_generated_pages_are_a_small_share(eager_linter):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import pages
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from promiselint.project.api import parse
    from promiselint.text.normalize import folded

    for seed, langs in ((11, ("en",)), (7, ("ar", "fa", "en"))):
        rng = random.Random(seed)
        tried = plain = 0
        for i in range(30):
            doc = parse(pages.product_page(rng, langs[i % len(langs)], rng.randint(4, 12)), "html", "p.html")
            hint = eager_linter.script_language(doc)
            for block in doc.blocks:
                for lang, _ in eager_linter.block_languages(doc, block, hint):
                    text = folded(doc.memo, block, lang).text
                    tried += _positions(eager_linter, text, lang)
                    plain += sum(len(text) + 1 for _, p in eager_linter.matcher(lang).entries if p is not None)
        assert tried < 0.05 * plain, (seed, tried, plain)


class _Counting:
    """re._parser with its parse() calls counted."""

    def __init__(self, parser):
        self.parser, self.calls = parser, 0

    def __getattr__(self, name):
        return getattr(self.parser, name)

    def parse(self, *args, **kwargs):
        self.calls += 1
        return self.parser.parse(*args, **kwargs)


def _fresh_process(monkeypatch, kept=None) -> _Counting:
    """The derivation state of a new process (given `kept`, what an earlier run stored),
    with leads' and the prefilter's pattern parses counted."""
    import json

    from promiselint.match import leads as leads_module
    from promiselint.match import prefilter

    for name in ("_KNOWN", "_STORED", "_LEARNED", "_RAW", "_VALUES", "_LEARNED_RAW"):
        monkeypatch.setattr(prefilter, name, {})
    monkeypatch.setattr(prefilter, "_SOURCE", [None])
    leads_module.leads.cache_clear()
    prefilter._requirements.cache_clear()
    counting = _Counting(leads_module._p)
    monkeypatch.setattr(leads_module, "_p", counting)
    monkeypatch.setattr(prefilter, "_p", counting)
    monkeypatch.setenv("PROMISELINT_PREFILTER", "eager")
    if kept is not None:
        prefilter.remember(json.loads(json.dumps(kept)))  # (as read back from the cache folder)
    return counting


def _built() -> dict:
    """lang -> (each entry's anchors, each entry's leads) of a new Linter's matchers."""
    linter = Linter(Settings())
    out = {}
    for lang in ("ar", "fa", "en"):
        m = linter.matcher(lang)
        m.build()
        out[lang] = (m.prefilter.masks, {i: leads(str(p), int(getattr(p, "flags", 0)))
                                         for i, (_, p) in enumerate(m.entries) if p is not None})
    return out


def test_a_warm_run_parses_no_pattern_for_leads_or_anchors(monkeypatch):
    """The leads travel with the anchors (prefilter.learned / remember, stored by
    project/packcache.py): a process given them parses no rule pattern to build its
    matchers; a damaged leads entry is derived again, never trusted."""
    from promiselint.match import prefilter

    try:
        cold = _fresh_process(monkeypatch)
        expected = _built()
        assert cold.calls > 40  # every rule pattern parsed, for its anchors and its leads
        kept = prefilter.learned()
        stored = [k for k, v in kept.items() if isinstance(v, dict)]
        assert len(stored) >= sum(len(found) for _, found in expected.values()) > 40

        warm = _fresh_process(monkeypatch, kept)
        assert _built() == expected and warm.calls == 0
        assert prefilter.learned() == {}  # nothing new to store

        damaged = {**kept, **{k: {"value": [[99, "", ["x"]]] if i % 2 else "garbage"}
                               for i, k in enumerate(stored)}}
        again = _fresh_process(monkeypatch, damaged)
        assert _built() == expected and again.calls == len(stored)  # each damaged entry, and nothing else
    finally:
        from promiselint.match import leads as leads_module

        monkeypatch.undo()
        leads_module.leads.cache_clear()
        prefilter._requirements.cache_clear()
