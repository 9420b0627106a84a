"""The work of deciding candidates (match/conditions.py): cue searches are shared
between the candidates that read the same text, and skipped where a cue's anchors
are absent, with the answers of a plain regex search."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.checks.linter import Linter
from promiselint.core.settings import Settings
from promiselint.match import conditions
from promiselint.project.api import lint_text

# a sentence of more than 12 words (not a badge read with its card) holding several claims
PARAGRAPH = ("Our charger is the fastest and the cheapest on the market, guaranteed to work "
             "with every phone and delivered within 24 hours to any address.")


@pytest.fixture()
def runs(monkeypatch):
    """lint(text) -> the cue regex searches it ran, as (lang, cue, how, text), and its findings."""
    linter = Linter(Settings(lang="en"))

    def lint(text: str):
        done: list = []
        real = conditions._run

        def run(lang, name, searched, how):
            done.append((lang, name, how, searched))
            return real(lang, name, searched, how)

        monkeypatch.setattr(conditions, "_run", run)
        conditions._FOUND.clear()
        try:
            result = lint_text(linter, text, "txt", "x.txt")
        finally:
            monkeypatch.setattr(conditions, "_run", real)
        return done, result.findings
    return lint


def test_no_cue_searches_the_same_text_twice(runs):
    done, findings = runs(PARAGRAPH)
    assert len(findings) >= 3 and done  # several candidates, decided by cue searches
    assert len(done) == len(set(done))


def test_repeated_copy_costs_the_searches_of_one_copy(runs):
    once, one_copy = runs(PARAGRAPH)
    eight, eight_copies = runs("\n\n".join([PARAGRAPH] * 8))
    assert len(eight_copies) == 8 * len(one_copy)  # eight times the candidates...
    assert sorted(eight) == sorted(once)  # ...and not one search more


def test_candidates_of_one_sentence_share_its_sentence_searches(runs):
    one, found_one = runs("We sell the fastest chargers for every phone and tablet that you own at home.")
    many, found_many = runs("We sell the fastest, cheapest and strongest chargers for every phone and tablet you own.")
    assert {f.rule for f in found_one} == {f.rule for f in found_many}  # the same rules...
    assert len(found_many) == 3 * len(found_one)  # ...on three times the candidates

    def sentence_searches(done):  # the cues searched for in the whole sentence (in_sentence...)
        return sorted(name for _, name, how, text in done if text.endswith(("home.", "own.")) and text[:6] == "we sel")
    assert sentence_searches(many) == sentence_searches(one)


# -- the anchors skip only searches that find nothing --------------------------------

def _cue_items(lang: str) -> dict[str, list[str]]:
    Linter(Settings())  # (sets the cue folders)
    out: dict[str, list[str]] = {}
    for folder in conditions._CUE_FOLDERS:
        for name, items in conditions._cue_lists(folder, lang).items():
            out.setdefault(name, []).extend(str(i) for i in items or () if isinstance(i, str))
    return {n: items for n, items in out.items() if items}


_ITEMS = {lang: _cue_items(lang) for lang in ("en", "ar", "fa")}
_FILLER = ["the", "fastest", "best", " ", ", ", ". ", "\n", "2026", "أفضل", "بهترین", "-", "«", "»", "x"]


@st.composite
def cue_texts(draw):
    lang = draw(st.sampled_from(sorted(_ITEMS)))
    name = draw(st.sampled_from(sorted(_ITEMS[lang])))
    pieces = _ITEMS[lang][name] + _FILLER
    words = draw(st.lists(st.sampled_from(pieces), max_size=6))
    cut = draw(st.lists(st.integers(0, 3), min_size=len(words), max_size=len(words)))
    text = "".join(w[k:] if len(w) > 3 else w for w, k in zip(words, cut))  # (cut heads: near misses)
    return lang, name, text


@settings(max_examples=150, deadline=None)
@given(cue_texts(), st.integers(0, 40), st.integers(0, 40))
def test_a_guarded_cue_answers_as_its_regex(monkeypatch_anchors, case, a, b):
    lang, name, text = case
    regex = conditions.cue(lang, name)
    m = regex.search(text)
    conditions._FOUND.clear()
    assert conditions._found(lang, name, text) == (m.start() if m else -1)
    assert conditions._found(lang, name, text, "all") == tuple(x.span() for x in regex.finditer(text))
    assert conditions._found(lang, name, text, "sub") == regex.sub(" ", text)
    at_end = conditions._cue_at_end(lang, name).search(text)
    assert conditions._found(lang, name, text, "end") == (at_end.start() if at_end else -1)
    guarded = conditions._guarded(lang, name)
    assert guarded is not None and guarded.pending is None  # (its anchors are derived)
    pos, endpos = min(a, b), max(a, b)
    if guarded.absent(text, pos, endpos):  # (what covers() and opens_sentence() skip)
        assert next(regex.finditer(text, pos, endpos), None) is None


@pytest.fixture(scope="module")
def monkeypatch_anchors():
    """Cue anchors derived at once (as in a service)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(conditions, "CUE_WARMUP", 0)
    conditions._guarded.cache_clear()
    conditions._FOUND.clear()
    yield
    mp.undo()
    conditions._guarded.cache_clear()
    conditions._FOUND.clear()


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.text(alphabet="ab._-[ /cdrvwt", max_size=12)),
       st.lists(st.text(alphabet="abcdrvw-.", min_size=1, max_size=4), min_size=1, max_size=3))
def test_in_key_answers_as_one_search_per_word(key, words):
    class Block:
        pass

    class Ctx:
        block = Block()
    Ctx.block.key = key
    low = (key or "").lower()
    expected = any(re.search(rf"(?:^|[._\-\[\s]){re.escape(w)}", low) for w in words)
    assert conditions.in_key(Ctx, *words) == expected


def test_what_is_remembered_is_bounded(runs, monkeypatch):
    monkeypatch.setattr(conditions, "_FOUND_CHARS", 2000)  # (each entry counts 100 more)
    biggest = 0
    real = conditions._found

    def found(lang, name, text, how="first"):
        nonlocal biggest
        got = real(lang, name, text, how)
        held = sum(100 + len(k[3]) + (len(v) if isinstance(v, str) else 0) for k, v in conditions._FOUND.items())
        biggest = max(biggest, held)
        return got

    monkeypatch.setattr(conditions, "_found", found)
    _, findings = runs("\n\n".join(PARAGRAPH.replace("phone", f"phone {n}") for n in range(30)))
    assert len(findings) >= 30 and 2000 <= biggest <= 2000 + 100 + 2 * 4000  # (the last text may exceed it)
