"""The disclosure cue lexicon: its built-in items are sound, it compiles only
what the pages need, and its latin forms answer like the full regexes."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from promiselint.checks import disclosure_cues
from promiselint.checks.disclosure_cues import ARABIC_SCRIPT, cues, load_lexicon
from promiselint.checks.disclosure_evidence import evidence
from promiselint.core.errors import SkipFile, UsageError
from promiselint.formats import format_for, parse
from promiselint.match.prefilter import requirements
from promiselint.read.reader import read_path
from tests.real_labels import CORPUS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def _items():
    """(lang, path, item) of every regex item of the built-in lexicons."""
    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, path + (str(k),))
        elif isinstance(node, list) and path[0] != "messages" \
                and path[-1] not in ("jsonld", "front_matter", "hrefs"):
            yield from ((path, x) for x in node)

    for lang, data, where, builtin in disclosure_cues._read(()):
        assert builtin
        for path, item in walk(data, ()):
            yield lang, ".".join(path), disclosure_cues._entry(item, lang, where, check=True)


def test_every_built_in_item_compiles():
    """Load time no longer compiles the built-in items one by one: this does."""
    items = list(_items())
    assert len(items) > 700
    for _, _, pattern in items:
        re.compile(pattern)  # _entry(check=True) has too; this names the failure


def test_every_built_in_arabic_or_persian_item_needs_an_arabic_letter():
    """What makes the latin forms exact: no ar/fa item can match text without an
    Arabic-script letter (each literal every match holds has one)."""
    checked = 0
    for lang, path, pattern in _items():
        if lang == "en":
            continue
        found = requirements(pattern).anchors
        assert found and all(ARABIC_SCRIPT.search(a) for a in found), (lang, path, pattern[:80])
        checked += 1
    assert checked > 400


def test_a_bad_regex_in_a_user_folder_is_a_usage_error(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "disclosures.yaml").write_text(
        "contact_details:\n  address:\n    - {regex: '(unclosed'}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="bad regex"):
        load_lexicon((str(tmp_path),))


def test_user_items_in_arabic_are_never_left_out(tmp_path):
    """A user's ar/fa items go in the latin forms too (nothing checks what they need)."""
    (tmp_path / "fa").mkdir()
    (tmp_path / "fa" / "disclosures.yaml").write_text(
        "contact_details:\n  address:\n    - {regex: 'warehouse\\s+\\d+'}\n", encoding="utf-8")
    lex = load_lexicon((str(tmp_path),))
    assert lex.address.search("warehouse 12") and lex.address.pick("warehouse 12") is not None
    assert "warehouse" in lex.address.sources[0]


def _counting(monkeypatch) -> list:
    calls: list = []
    real = re.compile

    def counting(pattern, flags=0):
        calls.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    return calls


def test_building_the_lexicon_compiles_no_regex(monkeypatch):
    load_lexicon.cache_clear()
    try:
        calls = _counting(monkeypatch)
        lex = load_lexicon(())
        assert calls == []
        assert sum(c.compiled for c in cues(lex).values()) == 0
        assert len(cues(lex)) > 25
    finally:
        load_lexicon.cache_clear()


def _page(lang: str):
    import pages  # bench/pages.py

    text = pages.product_page(random.Random(3), lang, 6)
    return parse(text, "html", f"{lang}.html")


def test_an_english_page_compiles_only_latin_forms(monkeypatch):
    """An English page never compiles the big ar/fa unions, and at most one
    form per cue; an Arabic page then compiles the full forms it needs."""
    en, ar = _page("en"), _page("ar")
    load_lexicon.cache_clear()
    try:
        lex = load_lexicon(())
        every = cues(lex).values()
        two_forms = [c for c in every if c.sources[0] != c.sources[1]]
        assert len(two_forms) > 25
        calls = _counting(monkeypatch)
        evidence(en, lex)
        assert all(c.forms[1] is None for c in two_forms)
        compiled = sum(c.compiled for c in every)
        assert 10 < compiled == len([p for p in calls if any(p in c.sources for c in every)])
        latin, full = (sum(len(c.sources[i]) for c in two_forms) for i in (0, 1))
        assert latin * 2 < full  # the latin forms are a fraction of the size
        evidence(ar, lex)
        assert any(c.forms[1] is not None for c in two_forms)
        assert sum(c.compiled for c in every) <= 2 * len(every)
    finally:
        load_lexicon.cache_clear()


def _latin_texts() -> list[str]:
    """Folded blocks without an Arabic-script letter: generated pages, tests' pages, the real corpus."""
    from promiselint.checks.disclosure_evidence import _units

    import pages

    rng = random.Random(5)
    docs = [parse(pages.product_page(rng, "en", rng.randint(2, 10), claim_rate=0.3), "html", "p.html")
            for _ in range(30)]
    if CORPUS.is_dir():
        for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".txt", ".json")):
            try:
                text, _ = read_path(path)
                docs.append(parse(text, format_for(str(path), "txt"), str(path)))
            except (SkipFile, UsageError):
                continue
    texts = sorted({u.text[:1000] for d in docs for u in _units(d)} - {""})
    texts = [t for t in texts if not ARABIC_SCRIPT.search(t)]
    return random.Random(1).sample(texts, min(len(texts), 1500))


def test_latin_forms_find_what_the_full_regexes_find():
    lex = load_lexicon(())
    texts = _latin_texts()
    assert len(texts) > 200
    for name, cue in cues(lex).items():
        full = cue.regex
        for t in texts:
            assert [m.span() for m in cue.finditer(t)] == [m.span() for m in full.finditer(t)], (name, t[:80])
            m, n = cue.fullmatch(t), full.fullmatch(t)
            assert (m is None) == (n is None), (name, t[:80])


def test_the_index_admits_only_the_items_whose_anchors_a_block_holds():
    """Work count: on a block, the address cue tries the few items whose anchors
    the block holds (and the unanchored ones), not all of them one per language."""
    from promiselint.checks.disclosure_cues import CueIndex
    from promiselint.text.normalize import fold

    lex = load_lexicon(())
    index = CueIndex(lex)
    index._build()
    items = lex.address.items
    assert len(items) > 15
    texts = [fold(t, "ar").text for t in ("Order 12 pieces today.", "Address: 12 High Street, Leeds",
                                          "عنواننا: 12 شارع الملك فهد، الرياض")]
    plain, labelled, arabic = index.scan(texts)
    unanchored = plain.get("address", frozenset())
    assert len(unanchored) <= 3  # (a street number, a US city line: no literal long enough)
    assert not any(items[n][1] for n in unanchored)  # no ar/fa item on a latin block
    word = next(n for n, (p, _) in enumerate(items) if p.startswith(r"\baddress"))
    assert word in labelled["address"] and word not in unanchored
    assert len(labelled["address"]) <= len(unanchored) + 3  # (+ the city line: it holds a comma)
    assert any(items[n][1] for n in arabic["address"]) and len(arabic["address"]) < len(items) / 2
    # the verdict from the admitted items is the verdict of the whole cue
    for may, t in zip((plain, labelled, arabic), texts):
        assert lex.address.found(t, may.get("address", frozenset())) == (lex.address.regex.search(t) is not None)
    assert lex.address.found(texts[1]) and lex.address.found(texts[2])
