"""The time grammar's built parser kept in the project cache (larkstore.py,
packcache.py; issue #10): a warm run builds no grammar, a parser rebuilt from
the store parses exactly as a built one, and a damaged entry is a miss.
Work is counted (grammars built), never timed."""
import json
from pathlib import Path

import pytest

from promiselint.match import larkstore, packs, time_parse
from promiselint.match.timeexpr import find_time_expressions
from promiselint.project import cache

from .probe import run_probe
from .test_timeexpr import CASES, DELIVERY, norm

PAGE = "# Kettle\n\nOrder now: delivered within 24 hours, guaranteed.\n"


def probe(project: Path, *args: str) -> tuple[int, dict]:
    """(grammars built, JSON report) of `promiselint check --no-cache ARGS` in a fresh process."""
    did, report = run_probe(project, "from promiselint.match import larkstore", '{"built": larkstore.builds()}',
                            "--no-cache", *args)
    return did["built"], report


def stored(project: Path) -> list[Path]:
    return sorted((project / cache.CACHE_DIR / cache.BLOBS / "grammars").glob("*.json"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root, where .promiselint_cache lives
    (tmp_path / "ship.md").write_text(PAGE, encoding="utf-8")
    return tmp_path


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


@pytest.mark.parametrize("damage", [
    lambda d: {},
    lambda d: {**d, "data": {**d["data"], "parser": "x"}},
    lambda d: {**d, "memo": {"\0map": [[0, {"x": 1}]]}},
    lambda d: {**d, "data": {**d["data"], "rules": [None]}},
    lambda d: [1, 2],
])
def test_a_damaged_entry_is_built_afresh(store, damage):
    built = _all_expressions()
    (grammar, data), = store.parsers.items()
    store.parsers[grammar] = damage(data)
    before = larkstore.builds()
    assert _all_expressions() == built
    assert larkstore.builds() == before + 1
