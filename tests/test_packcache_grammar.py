"""The time grammar's parse table kept in the project cache (larkstore.py,
packcache.py; issue #10): a warm run builds no grammar and imports no lark, a
table from the store parses exactly as a built one, and a damaged or tampered
entry is a miss (lalr.load refuses it: built afresh, never an exception).
Work is counted (grammars built), never timed."""
import json
from pathlib import Path

import pytest

from promiselint.match import larkstore, packs, time_parse
from promiselint.match.timeexpr import find_time_expressions

from .probe import cache_blobs, project_with, run_probe
from .test_timeexpr import CASES, DELIVERY, norm

PAGE = "# Kettle\n\nOrder now: delivered within 24 hours, guaranteed.\n"


def probe(project: Path, *args: str) -> tuple[int, dict]:
    """(grammars built, JSON report) of `promiselint check --no-cache ARGS` in a fresh
    process, which imports lark only when it builds a grammar."""
    did, report = run_probe(project, "from promiselint.match import larkstore",
                            '{"built": larkstore.builds(), "lark": "lark" in sys.modules}', "--no-cache", *args)
    assert did["lark"] == (did["built"] > 0), did
    return did["built"], report


def stored(project: Path) -> list[Path]:
    return cache_blobs(project, "grammars")


@pytest.fixture
def project(tmp_path):
    return project_with(tmp_path, "ship.md", PAGE)


def test_a_warm_run_builds_no_grammar(project):
    built, expected = probe(project, "ship.md")
    rules = [x["rule"] for f in expected["files"] for x in f["findings"]]
    assert built == 1 and "promise.delivery-time" in rules and len(stored(project)) == 1
    built, report = probe(project, "ship.md")
    assert built == 0 and report == expected


def test_a_damaged_entry_on_disk_is_a_miss(project):
    _, expected = probe(project, "ship.md")
    (entry,) = stored(project)
    entry.write_text(entry.read_text(encoding="utf-8")[:5000], encoding="utf-8")  # cut short
    built, report = probe(project, "ship.md")
    assert built == 1 and report == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["parser"]  # written whole again
    assert probe(project, "ship.md") == (0, expected)


class _Store:
    """An in-memory stand-in for packcache (what PACK_STORE holds when the CLI keeps packs)."""

    def __init__(self):
        self.parsers: dict = {}

    def get_parser(self, grammar):
        return self.parsers.get(grammar)

    def put_parser(self, grammar, data):
        self.parsers[grammar] = json.loads(json.dumps(data))  # (what a JSON file gives back)


@pytest.fixture
def store(monkeypatch):
    keep = _Store()
    monkeypatch.setattr(packs, "PACK_STORE", [keep])
    yield keep
    _fresh()


def _fresh():
    time_parse._parser.cache_clear()
    time_parse._run_expressions.cache_clear()


def _all_expressions() -> list:
    _fresh()
    texts = [(lang, norm(text, lang)) for lang, text, *_ in CASES] + [(lang, norm(t, lang)) for lang, t in DELIVERY]
    return [[e.to_json() if hasattr(e, "to_json") else e for e in find_time_expressions(text, lang)]
            for lang, text in texts]


def test_the_stored_parser_parses_as_a_built_one(store):
    before = larkstore.builds()
    built = _all_expressions()
    assert larkstore.builds() == before + 1 and len(store.parsers) == 1
    rebuilt = _all_expressions()
    assert larkstore.builds() == before + 1  # from the store: no grammar built
    assert rebuilt == built and sum(map(len, built)) >= len(CASES)


def _reduce_of(d: dict, origin: str) -> tuple[int, int]:
    """(a state, the index in d["rules"] of a rule of `origin` it reduces by)."""
    return next((s, -1 - a) for s, row in enumerate(d["states"]) for a in row.values()
                if a < 0 and d["rules"][-1 - a][0] == origin)


def _edit(d: dict, how) -> dict:
    d = json.loads(json.dumps(d))
    how(d)
    return d


def _drop_a_goto(d):
    for row in d["states"]:  # the state under a reduced `number` has nowhere to go
        row.pop("number", None)


def _shorter_rule(d):
    _, r = _reduce_of(d, "range")  # a reduction popping fewer states than it read
    d["rules"][r][1] = d["rules"][r][1][1:]


def _longer_rule(d):
    _, r = _reduce_of(d, "start")  # one popping the start state
    d["rules"][r][1] = ["pre"] * 9


@pytest.mark.parametrize("damage", [
    lambda d: {},
    lambda d: [1, 2],
    lambda d: {**d, "states": "x"},
    lambda d: {**d, "start": len(d["states"])},
    lambda d: {**d, "end": -1},
    lambda d: {**d, "rules": [None]},
    lambda d: {**d, "rules": d["rules"][:1]},  # reductions by rules it no longer holds
    lambda d: _edit(d, lambda d: d["states"][d["start"]].update(NUM=10 ** 6)),  # a shift to no state
    lambda d: _edit(d, lambda d: d["states"][0].update(NUM="3")),
    lambda d: _edit(d, lambda d: d["rules"][0].__setitem__(3, [[7, False]])),  # a child it has not
    lambda d: _edit(d, lambda d: d["rules"][0].__setitem__(4, 1)),
    lambda d: _edit(d, _drop_a_goto),
    lambda d: _edit(d, _shorter_rule),
    lambda d: _edit(d, _longer_rule),
])
def test_a_damaged_entry_is_built_afresh(store, damage):
    built = _all_expressions()
    (grammar, data), = store.parsers.items()
    store.parsers[grammar] = damage(data)
    before = larkstore.builds()
    assert _all_expressions() == built
    assert larkstore.builds() == before + 1
