"""The time grammar run from its table as data (lalr.py) against lark itself (issue #10).

lark builds the table (larkstore.build); a run then parses with lalr.Parser and
the same transformer, without lark.  Here both parse the same term sequences
and must give the same value (None and the transformer's refusals included) or
both refuse the sequence: every sentence of the grammar's language (it is
finite), every term sequence the shared real corpus and the generated pages
lead the parser to try, and random sequences over the grammar's terminals.
A small grammar with every tree-shaping lark does (filtered tokens, inlined
`_rules`, `?rules`, `!rules`, aliases, rules without a method) shows the
driver's reductions are lark's in general.
"""
from __future__ import annotations

import random
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.match import lalr, larkstore, time_parse
from promiselint.match.time_words import word_classes

from .real_labels import CORPUS


@lru_cache(maxsize=None)
def _time():
    """(lalr.Parser, lark's parser, the table's data), the same transformer in both."""
    grammar = time_parse.GRAMMAR_PATH.read_text(encoding="utf-8")
    transformer = time_parse._parser().transformer
    data = larkstore.build(grammar)
    return lalr.Parser(lalr.load(data), transformer), larkstore.lark_parser(grammar, transformer), data


def _lark_outcome(lark, terms) -> tuple:
    from lark import Token
    from lark.exceptions import UnexpectedInput

    try:
        return ("value", lark.parse([Token(t, text) for t, text in terms]))
    except UnexpectedInput:
        return ("no parse",)


def _outcome(parser, terms) -> tuple:
    try:
        return ("value", parser.parse(terms))
    except lalr.NoParse:
        return ("no parse",)


def _same(terms) -> tuple:
    parser, lark, _ = _time()
    ours = _outcome(parser, terms)
    assert ours == _lark_outcome(lark, terms), terms
    return ours


# -- texts for the terminals: the word lists' own words ------------------------------------

@lru_cache(maxsize=None)
def _texts() -> dict[str, list[str]]:
    """Terminal -> words of that class in every language's word lists (and numbers)."""
    texts: dict[str, list[str]] = {"NUM": ["24", "1.5", "3", "0", "90"], "DASH": ["-"]}
    for lang in ("en", "ar", "fa"):
        for key, types in sorted(word_classes(lang).types.items()):
            for t in types:
                texts.setdefault(t, []).append(key)
    return texts


def _sentences(data: dict) -> list[tuple[str, ...]]:
    """Every sentence of the table's grammar, as terminal names (the time grammar has
    no recursion: its language is finite)."""
    rules: dict[str, list[list[str]]] = {}
    for origin, expansion, *_ in data["rules"]:
        if expansion not in rules.setdefault(origin, []):
            rules[origin].append(expansion)

    @lru_cache(maxsize=None)
    def of(symbol: str) -> list[tuple[str, ...]]:
        if symbol not in rules:
            return [(symbol,)]
        out = []
        for expansion in rules[symbol]:
            seqs = [()]
            for s in expansion:
                seqs = [a + b for a in seqs for b in of(s)]
            out.extend(seqs)
        return out

    return of("start")


def test_every_sentence_of_the_grammar_has_the_same_value_both_ways():
    _, _, data = _time()
    sentences = _sentences(data)
    texts = _texts()
    rng = random.Random(5)
    values = set()
    for n, types in enumerate(sentences):
        for _ in range(3):  # a few choices of words for each (bounds, units, numbers vary)
            terms = tuple((t, rng.choice(texts[t])) for t in types)
            outcome = _same(terms)
            assert outcome[0] == "value", terms  # every sentence parses
            values.add(outcome[1])
    assert len(sentences) > 1000 and None in values and len(values) > 500


def _near_misses(types: tuple[str, ...], rng: random.Random) -> list[tuple[str, ...]]:
    terminals = sorted(_texts())
    i = rng.randrange(len(types))
    return [types[:i] + types[i + 1:], types[:i] + (rng.choice(terminals),) + types[i:],
            types[:i] + (rng.choice(terminals),) + types[i + 1:], types + types[:i + 1]]


def test_near_misses_are_refused_or_parsed_alike():
    _, _, data = _time()
    sentences = _sentences(data)
    texts = _texts()
    rng = random.Random(6)
    refused = 0
    for types in rng.sample(sentences, 600):
        for other in _near_misses(types, rng):
            refused += _same(tuple((t, rng.choice(texts[t])) for t in other))[0] == "no parse"
    assert refused > 1000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(["NUM", "NUMWORD", "ONE_AR", "A", "HALF", "UNIT", "UNIT_SG", "UNIT_DUAL",
                                       "BUSINESS", "WORK", "SUFFIX", "BOUND", "POST", "SEP", "DASH", "AND",
                                       "FROM", "BETWEEN", "DEF", "FIXED", "NOT_A_TERMINAL"])),
                max_size=8), st.randoms(use_true_random=False))
def test_random_term_sequences_alike(types, rng):
    texts = _texts()
    _same(tuple((t, rng.choice(texts.get(t, ["x"]))) for t in types))


# -- what the corpus and the generated pages lead the parser to try ---------------------------

@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real corpus not found at {CORPUS}")
def test_every_term_sequence_of_the_corpus_and_pages_alike(tmp_path, monkeypatch):
    """The token runs a check of the real corpus and the generated pages tokenizes
    (recorded in the check itself); from every token of each, every prefix of the
    terms the parser steps through, and the one after it fails."""
    from promiselint.project.api import run_check

    from .test_snapshot import write_generated

    runs = set()
    tokenize = time_parse._tokenize

    def recording(text, start, end, lex):
        toks = tokenize(text, start, end, lex)
        runs.add(tuple(tuple(t[:2]) for t in toks))
        return toks

    monkeypatch.setattr(time_parse, "_tokenize", recording)
    time_parse._run_expressions.cache_clear()
    write_generated(tmp_path)  # (the snapshot's generated pages and shapes)
    run_check([CORPUS, tmp_path], use_cache=False, jobs=1)
    time_parse._run_expressions.cache_clear()
    parser, _, _ = _time()
    tried = set()
    for toks in runs:
        for i in range(len(toks)):
            stack, terms = [parser.start], []
            for types, text in toks[i:i + time_parse._MAX_TOKENS]:
                term = next((t for t in types if t in parser.states[stack[-1]]), types[0] if types else "?")
                terms.append((term, text))
                tried.add(tuple(terms))
                if not parser.feed(stack, term):
                    break
    outcomes = [_same(terms) for terms in sorted(tried)]
    parsed = sum(o[0] == "value" for o in outcomes)
    assert len(runs) > 200 and parsed > 200 and len(outcomes) - parsed > 300, (len(runs), parsed, len(outcomes))


# -- lark's tree shaping in general -----------------------------------------------------------

TOY = r"""
%declare NUM WORD PLUS _SEMI COMMA
start: item+ _SEMI?                -> items
item: NUM                          -> num
    | WORD _inner                  -> pair
    | maybe
    | bare
    | loud
_inner: WORD COMMA? NUM
?maybe: PLUS NUM | PLUS NUM NUM
bare: COMMA COMMA
!loud: _SEMI NUM _SEMI
"""


class _Toy:
    def num(self, ch):
        return ("num", float(ch[0]))

    def pair(self, ch):
        return ("pair", [(getattr(c, "type", None), str(c)) for c in ch])

    def items(self, ch):
        return ("items", [_plain(c) for c in ch])

    def WORD(self, token):  # (lark's lexer would call it: tokens given to the parser stay as they are)
        return token.upper()


def _plain(x):
    if hasattr(x, "data") and hasattr(x, "children"):
        return (x.data, [_plain(c) for c in x.children])
    if isinstance(x, str):
        return (getattr(x, "type", None), str(x))
    return x


def test_the_driver_shapes_children_as_lark_does():
    data = larkstore.build(TOY)
    assert any(keep for *_, keep, _ in data["rules"]) and any(e for *_, e in data["rules"])
    parser = lalr.Parser(lalr.load(data), _Toy())
    lark = larkstore.lark_parser(TOY, _Toy())
    terminals = ["NUM", "WORD", "PLUS", "_SEMI", "COMMA"]
    rng = random.Random(3)
    parsed = 0
    for _ in range(3000):
        terms = [(t, {"NUM": "7", "WORD": "w"}.get(t, t)) for t in rng.choices(terminals, k=rng.randint(1, 7))]
        ours, theirs = _outcome(parser, terms), _lark_outcome(lark, terms)
        assert _plain(ours[1:]) == _plain(theirs[1:]) and ours[0] == theirs[0], terms
        parsed += ours[0] == "value"
    assert parsed > 100


def test_a_cycle_of_unit_rules_is_no_table():
    """A table that would reduce A -> B -> A for ever (never one lark builds) is refused."""
    data = {"start": 0, "end": 4, "rules": [["B", ["X"], "b", None, False], ["A", ["B"], "a", None, False],
                                            ["B", ["A"], "b", None, False]],
            "states": [{"X": 3, "A": 2, "B": 1}, {"$END": -2}, {"$END": -3}, {"$END": -1}, {}]}
    with pytest.raises(ValueError, match="cycle"):
        lalr.load(data)
    del data["rules"][2], data["states"][2]["$END"]
    assert lalr.load(data)
