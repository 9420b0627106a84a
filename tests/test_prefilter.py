"""The literal-anchor prefilter (promiselint/match/prefilter.py) never changes a result.

* anchors/digit requirements are sound: every match of a random regex holds one
  of its anchors (and a digit when one is required);
* a Guarded pattern answers exactly like the pattern;
* over every rule pattern and disclosure cue, on random text made of lexicon
  words, the prefilter never rules out a pattern that matches;
* the combined matcher (matcher.py) finds exactly what every rule's pattern
  finds, on random text made of the rules' anchors and examples;
* the findings over the test data, the bundled storefront, every rule example
  and the shared corpus (dev and real) are identical with the prefilter off,
  on from the first character, and warming up part-way through a run.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from promiselint.checks import disclosures
from promiselint.checks.disclosure_cues import Cue
from promiselint.match import prefilter
from promiselint.project.api import lint_text
from promiselint.core.data import data_dir
from promiselint.checks.linter import Linter
from promiselint.core.settings import Settings
from promiselint.core.errors import SkipFile
from promiselint.formats import format_for
from promiselint.text.normalize import fold
from promiselint.match.prefilter import (Guarded, Prefilter, anchors, conjunction, requirement_groups, requirements,
                                  trie_regex)
from promiselint.read.reader import read_path
from promiselint.core.yamlload import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


# -- anchors --------------------------------------------------------------------

@pytest.mark.parametrize("pattern,expected", [
    (r"fastest", {"fastest"}),
    (r"(?<!\w)(?:[وف]?(?:[بك]?ال|لل|[بكل])?)(?:اسرع|ارخص)(?!\w)", {"اسرع", "ارخص"}),
    (r"\bbest\s+seller\b", {"seller"}),
    (r"free|gratis", {"free", "gratis"}),
    (r"colou?r", {"color", "colour"}),
    (r"(?:a|b)(?:c|d)x", {"acx", "adx", "bcx", "bdx"}),
    (r"x*", None),  # matches the empty string
    (r"free|\w+", None),  # a branch with no literal
    (r"(?:free)?", None),
    (r"(?i)free", None),  # cased letters under IGNORECASE are not enumerated
    (r"(?i)١٠٠%", {"١٠٠%"}),  # uncased characters are
    (r"(a)\1", {"a"}),
])
def test_anchors(pattern, expected):
    got = anchors(re.compile(pattern))
    assert (set(got) if got is not None else None) == expected


def test_two_anchor_sets():
    req = requirements(r"ab+c")
    assert {req.anchors, req.second} == {frozenset({"ab"}), frozenset({"bc"})}
    req = requirements(r"\bbest\s+seller\b")
    assert {req.anchors, req.second} == {frozenset({"best"}), frozenset({"seller"})}
    req = requirements(r"(?:free\s+shipping|gratis\s+versand)")
    assert req.anchors | req.second == {"free", "shipping", "gratis", "versand"}


def test_alternatives_that_need_a_digit_are_tested_apart():
    rx = re.compile(r"\b(?:p\.?o\.? box \d+|address: \w+)")
    groups = requirement_groups(rx)
    assert [g.digit for g in groups] == [False, True]
    assert groups[0].anchors == {"address: "} and all(a.endswith(" box ") for a in groups[1].anchors)
    g = Guarded(rx)
    for text in ("po box 12", "address: here", "a box of 12", "po box", "an address"):
        assert _same(g.search(text), rx.search(text))


def test_digit_requirement():
    assert requirements(r"\d+ ريال").digit
    assert requirements(r"(?:[0-9]{2}|٣)x").digit
    assert not requirements(r"\d*x").digit
    assert not requirements(r"\d|x").digit


def test_trie_regex_finds_the_longest_anchor_at_each_position():
    rx = re.compile(trie_regex({"best", "bestseller", "be", "st"}))
    assert rx.match("bestsellers").group() == "bestseller"
    assert rx.match("bestow").group() == "best"
    assert rx.match("bet").group() == "be"


def test_prefilter_hits():
    pf = Prefilter({"a": [frozenset({"best", "st"})], "b": [frozenset({"bestseller"})], "c": None,
                    "d": [frozenset({"free"}), frozenset({"shipping", "delivery"})]})
    assert pf.hits("our bestseller") == {"a", "b", "c"}
    assert pf.hits("be st") == {"a", "c"}
    assert pf.hits("nothing here") == {"c"}
    assert pf.hits("free delivery") == {"c", "d"}
    assert pf.hits("free for all") == {"c"}


# random regexes over a small alphabet, with the awkward cases: IGNORECASE case
# variants (ſ/s, K/k, ı/I), digits of several scripts, lookarounds, repeats,
# empty branches and backreferences
ALPHABET = "abAB sſKkıI1٢-"
_atoms = st.sampled_from([
    "a", "b", "A", "s", "k", "1", "٢", " ", "-", "ab", "ba", "k1", "sa", "-b", "[ab]", "[a-c]", "[0-9]", r"\d", r"\w",
    r"\s", ".", "[^a]", r"\b", r"(?<!a)", r"(?<=b)", "(?=a)", "(?!b)", "^", "$", r"(?P<g>a|b)(?P=g)",
])


def _compiled(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error:  # e.g. a group name used twice
        assume(False)


def _regexes():
    def extend(inner):
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}|{t[1]}"),
            inner.map(lambda r: f"(?:{r})"),
            inner.map(lambda r: f"({r})"),
            st.tuples(inner, st.sampled_from(["?", "*", "+", "{0,2}", "{1,3}", "{2}", "??", "+?"])).map(
                lambda t: f"(?:{t[0]}){t[1]}"),
            inner.map(lambda r: f"(?:{r}|)"),
            inner.map(lambda r: f"(?i:{r})"),
            inner.map(lambda r: f"(?>{r})"),
        )
    return st.tuples(st.sampled_from(["", "(?i)"]),
                     st.recursive(_atoms, extend, max_leaves=8)).map("".join)


# literal words with gaps between them: the sequences that get two anchor sets
_GAPPED = st.lists(st.tuples(st.sampled_from(["k1", "sa", "ab", "-b", "ba", "s", "(?:k1|ab)", "(?i:sa)"]),
                             st.sampled_from([".", r"\w*", r"\d+", "[ab]+", ".?", r"\s?", "", "(?:a|k1)+"])),
                   min_size=1, max_size=4).map(lambda parts: "".join(w + g for w, g in parts))
REGEXES = st.one_of(_regexes(), _GAPPED, st.tuples(_GAPPED, _GAPPED).map("|".join))
TEXTS = st.lists(st.sampled_from(list(ALPHABET) + ["ab", "ba", "k1", "sa", "-b"] * 4), max_size=12).map("".join)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=600, deadline=None)
@given(REGEXES, TEXTS)
def test_every_match_holds_an_anchor(pattern, text):
    rx = _compiled(pattern)
    found, second, digit = requirements(rx)
    groups = requirement_groups(rx)
    for pos in range(len(text) + 1):
        m = rx.search(text, pos)
        if m is None:
            break
        for needed in (found, second):
            if needed is not None:
                assert any(a in m.group() for a in needed), (pattern, text, needed, m)
        if digit:
            assert any(ch.isdecimal() for ch in m.group()), (pattern, text, m)
        assert any((g.anchors is None or any(a in m.group() for a in g.anchors))
                   and (g.second is None or any(a in m.group() for a in g.second))
                   and (not g.digit or any(ch.isdecimal() for ch in m.group())) for g in groups), (pattern, m)


def _same(a, b) -> bool:
    return (a is None) == (b is None) and (a is None or (a.span(), a.groups()) == (b.span(), b.groups()))


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=300, deadline=None)
@given(REGEXES, TEXTS, st.integers(0, 3))
def test_guarded_answers_like_the_pattern(pattern, text, pos):
    rx = _compiled(pattern)
    g = Guarded(rx)
    assert _same(g.search(text), rx.search(text))
    assert _same(g.search(text, pos), rx.search(text, pos))
    assert _same(g.match(text, pos), rx.match(text, pos))
    assert _same(g.fullmatch(text), rx.fullmatch(text))
    assert [m.span() for m in g.finditer(text)] == [m.span() for m in rx.finditer(text)]
    assert g.findall(text) == rx.findall(text)
    assert g.sub(lambda m: "#", text) == rx.sub(lambda m: "#", text)
    assert g.pattern == rx.pattern


def test_guarded_warms_up_then_derives():
    rx = re.compile(r"\bfree\s+shipping\b")
    g = Guarded(rx, warmup=30)
    texts = ["no offer here at all", "free shipping on everything", "nothing"] * 4
    assert [bool(g.search(t)) for t in texts] == [bool(rx.search(t)) for t in texts]
    assert g.pending is None and g.tests is not None


# -- the real patterns, on text made of lexicon words ---------------------------

def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def _words() -> list[str]:
    words: set[str] = set()
    for path in sorted(data_dir("lexicons").glob("*/*.yaml")) + sorted(data_dir("rules").glob("*.yaml")):
        for s in _strings(load_yaml(path)):
            if len(s) < 200:
                words.update(w for w in re.split(r"\s+", s) if w)
    return sorted(words)


WORDS = _words()
SEPARATORS = [" ", " ", " ", "", "-", ", ", ". ", "\n", "،", "\u200c", ": ", " 24 ", " ۲۴ ", "% ", "؟ ", "ال", "و"]


@st.composite
def joined_words(draw, words, alphabet="abeilnorst0123٤۵", max_parts=10):
    """Words (or short noise) joined by the separators copy uses: text near the patterns' anchors."""
    parts = draw(st.lists(st.one_of(st.sampled_from(words), st.text(alphabet=alphabet, max_size=4)),
                          min_size=1, max_size=max_parts))
    out = parts[0]
    for p in parts[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + p
    return out


def lexicon_text():
    return joined_words(WORDS)


@pytest.fixture(scope="module")
def eager(request):
    mp = pytest.MonkeyPatch()
    mp.setenv("PROMISELINT_PREFILTER", "eager")
    disclosures.load_lexicon.cache_clear()
    yield Linter(Settings()), disclosures.load_lexicon(())
    mp.undo()
    disclosures.load_lexicon.cache_clear()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lexicon_text())
def test_rule_prefilter_never_rules_out_a_match(eager, text):
    linter, _ = eager
    for lang in ("ar", "fa", "en"):
        patterns = [p for _, p in linter.matcher(lang).entries if p is not None]
        folded = fold(text, lang).text
        pf = Prefilter({id(p): conjunction(p) for p in patterns})
        hits = pf.hits(folded)
        for p in patterns:
            if p.search(folded):
                assert id(p) in hits, (lang, folded, p.pattern[:80])


def _cues(lex):
    for obj in [lex, *lex.kinds.values()]:
        for name, value in vars(obj).items():
            if isinstance(value, (Guarded, Cue)):  # a Cue: its latin form answers like its full regex
                yield name, value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lexicon_text())
def test_guarded_cues_answer_like_the_cues(eager, text):
    _, lex = eager
    folded = fold(text, "ar").text
    cues = list(_cues(lex))
    assert len(cues) > 20
    for name, g in cues:
        for s in (folded, text):
            assert _same(g.search(s), g.regex.search(s)), name
            assert [m.span() for m in g.finditer(s)] == [m.span() for m in g.regex.finditer(s)], name
            assert _same(g.fullmatch(s), g.regex.fullmatch(s)), name


# -- whole runs: identical findings with and without the prefilter ---------------

def _documents():
    """(name, text, format, lang) for every document the equality check covers."""
    docs = []
    for kind in ("claims", "pages"):
        for path in sorted((ROOT / "tests" / "data" / kind).glob("*.jsonl")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    it = json.loads(line)
                    docs.append((f"{path.name}:{n}", it["text"], it.get("format", "txt"), None))
    linter = Linter(Settings())
    for rule in linter.all_rules:
        for n, ex in enumerate(rule.examples):
            text = ex.get("flag", ex.get("ok"))
            if isinstance(text, str):
                docs.append((f"{rule.id}:{n}", text, ex.get("format", "txt"), ex.get("lang")))
    files = sorted(p for p in (ROOT / "examples" / "storefront").rglob("*") if p.is_file())
    if CORPUS.is_dir():
        for path in sorted((CORPUS / "dev").glob("*.jsonl")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    it = json.loads(line)
                    docs.append((f"corpus/{path.name}:{n}", it["text"], it.get("format", "txt"), None))
        files += sorted(p for p in (CORPUS / "real").rglob("*") if p.is_file() and p.suffix != ".md")
    for path in files:
        try:
            text, _ = read_path(path)
        except SkipFile:
            continue
        docs.append((str(path), text, format_for(str(path), "txt"), None))
    return docs


def _findings(docs, mode: str, warmup: int | None = None) -> dict:
    mp = pytest.MonkeyPatch()
    mp.setenv("PROMISELINT_PREFILTER", mode)
    if warmup is not None:
        mp.setattr(prefilter, "WARMUP", warmup)
    disclosures.load_lexicon.cache_clear()
    try:
        linters: dict = {}
        out = {}
        for name, text, fmt, lang in docs:
            linter = linters.get(lang) or linters.setdefault(lang, Linter(Settings(lang=lang)))
            res = lint_text(linter, text, fmt, name)
            out[name] = (res.language, [
                (f.rule, f.severity, f.message, f.offset, f.end_offset, f.text, f.language,
                 f.suggestion, json.dumps(f.value, sort_keys=True, ensure_ascii=False))
                for f in res.findings])
        return out
    finally:
        mp.undo()
        disclosures.load_lexicon.cache_clear()


def test_findings_identical_with_and_without_prefilter():
    docs = _documents()
    assert len(docs) > 500
    off = _findings(docs, "0")
    assert sum(len(f) for _, f in off.values()) > 200  # the data does have findings
    eager = _findings(docs, "eager")
    assert eager == off
    lazy = _findings(docs, "1", warmup=4000)  # switches on part-way through
    assert lazy == off


# -- the combined matcher (matcher.py) finds exactly what every rule's pattern finds --

def _matcher_words(linter) -> list[str]:
    """Strings that make rules match or nearly match: every anchor of every rule
    pattern, and the rules' own flag/ok examples cut into pieces."""
    words: set[str] = set()
    for lang in ("ar", "fa", "en"):
        m = linter.matcher(lang)
        m.build()
        words.update(m.prefilter.masks)
    for rule in linter.block_rules:
        for ex in rule.examples:
            text = ex.get("flag", ex.get("ok"))
            if isinstance(text, str) and len(text) < 300:
                words.add(text)
                words.update(text.split())
    return sorted(words)


@pytest.fixture(scope="module")
def matcher_linter():
    mp = pytest.MonkeyPatch()
    mp.setenv("PROMISELINT_PREFILTER", "eager")
    linter = Linter(Settings())
    yield linter, _matcher_words(linter)
    mp.undo()


def anchor_text(words):
    return joined_words(words, alphabet="abest 0123٤۵", max_parts=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_matcher_finds_exactly_what_every_rule_pattern_finds(matcher_linter, data):
    linter, words = matcher_linter
    text = data.draw(anchor_text(words))
    for lang in ("ar", "fa", "en"):
        folded = fold(text, lang).text
        m = linter.matcher(lang)
        direct = {(id(r), x.span()) for r, p in m.entries if p is not None for x in p.finditer(folded)}
        chosen = m.select(folded)
        via = {(id(r), x.span()) for r, p in chosen if p is not None for x in p.finditer(folded)}
        assert via == direct, (lang, folded)
        # detectors always run; rule order is kept
        assert {id(r) for r, _ in m.entries if r.detector} <= {id(r) for r, _ in chosen}
        order = [id(r) for r, _ in m.entries]
        assert [order.index(id(r)) for r, _ in chosen] == sorted(order.index(id(r)) for r, _ in chosen)
