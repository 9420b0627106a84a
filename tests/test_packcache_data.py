"""What the pack cache keeps that runs derive from the lexicons (packs.kept_data,
issue #10): every cue list's source (conditions.cue) and the disclosure lexicon
(its cues' items and sources, its indexes' anchors), and the lazily decoded parts
(kept anchors, a pack's lexicon entries).

A fresh process per run (tests/probe.py); what each run built is read back from
the process as counts, never from a clock."""
import json
from pathlib import Path

import pytest

from .probe import cache_blobs, project_with, run_probe

PAGE = ("<html><head><title>Kettle</title></head><body><h1>Kettle</h1>"
        "<p>The fastest kettle we sell boils in 90 seconds, guaranteed. Ships within 2 days.</p>"
        "<p>Price: $49.99 plus shipping. Call us at +1 555 0100.</p>"
        '<footer><a href="/privacy">Privacy policy</a> <a href="/returns">Returns</a></footer>'
        "</body></html>\n")


def probe(project: Path, *args: str) -> tuple[dict, dict]:
    """(what the run built, its JSON report) for `promiselint check --no-cache ARGS`."""
    return run_probe(project, "from promiselint.match import conditions, prefilter\n"
                              "from promiselint.checks import disclosure_cues",
                     '{"sources": conditions.sources_built(), "lexicon": disclosure_cues.counts(), '
                     '"decoded": prefilter.decoded(), "kept": prefilter.kept()}', "--no-cache", *args)


def findings(report: dict) -> list:
    return [(f["path"], x["rule"], x["offset"], x["end_offset"]) for f in report["files"] for x in f["findings"]]


def data_blobs(project: Path) -> dict:
    """"cues" / "disclosures" -> the blob keeping it alone; "bundle" -> the one keeping
    every pack, with both."""
    out = {}
    for path in cache_blobs(project, "packs"):
        stored = json.loads(path.read_text(encoding="utf-8"))
        if "packs" in stored:
            out["bundle"] = path
        elif isinstance(stored.get("data"), dict):
            out["disclosures" if "kinds" in stored["data"] else "cues"] = path
    return out


@pytest.fixture
def project(tmp_path):
    return project_with(tmp_path, "page.html", PAGE)


def test_a_warm_run_builds_no_cue_list_and_reads_no_disclosure_yaml(project):
    cold, expected = probe(project, "page.html")
    assert cold["sources"] > 0 and cold["lexicon"]["read"] == 1  # the counters count
    assert {r for _, r, _, _ in findings(expected)} >= {"superlative.unverified", "disclosure.shipping-total"}
    assert set(data_blobs(project)) == {"cues", "disclosures", "bundle"}
    assert set(json.loads(data_blobs(project)["bundle"].read_text(encoding="utf-8"))["data"]) == \
        {"cues", "disclosures"}
    warm, report = probe(project, "page.html")
    assert report == expected
    assert warm["sources"] == 0
    assert warm["lexicon"] == {"read": 0, "stored": 1, "derived": 0}
    # the kept anchors decode when asked for: a run over English copy reads a fraction of them
    assert 0 < warm["decoded"] < warm["kept"] / 2


def _damaged_data(data: dict, damage: str):
    if damage == "wrong types":
        return {k: 7 for k in data}
    if "kinds" in data:
        data["index"]["groups"] = [[g[0], 10_000, g[2]] for g in data["index"]["groups"]]
        data["index"]["owners"] = {a: [-1] for a in data["index"]["owners"]}
        return data
    return {k: ["not", "a", "source"] for k in data}


def _damaged(text: str, damage: str) -> str:
    stored = json.loads(text)
    if damage in ("wrong types", "groups out of range"):
        if "packs" in stored:  # (the bundle keeps both)
            data = {name: _damaged_data(d, damage) for name, d in stored["data"].items()}
        else:
            data = _damaged_data(stored["data"], damage)
        return json.dumps({**stored, "data": data})
    return {"garbage": "{not json", "truncated": text[:len(text) // 2],
            "foreign key": json.dumps({**stored, "key": "0" * 64}), "not a mapping": json.dumps([stored])}[damage]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign key", "not a mapping", "wrong types",
                                    "groups out of range"])
def test_damaged_data_is_a_miss_with_the_same_findings(project, damage):
    _, expected = probe(project, "page.html")
    for path in data_blobs(project).values():  # (the bundle, too: the packs' copy of the data)
        path.write_text(_damaged(path.read_text(encoding="utf-8"), damage), encoding="utf-8")
    did, report = probe(project, "page.html")
    assert report == expected  # never trusted: built afresh
    assert did["sources"] > 0 and did["lexicon"]["derived"] > 0
    warm, report = probe(project, "page.html")  # and kept again, whole
    assert report == expected and warm["sources"] == 0 and warm["lexicon"]["derived"] == 0


def test_a_users_lexicon_folder_is_kept_apart(project):
    """The user's disclosure phrases and cue lists key their own entries: a run with
    them finds what they add, and the built-in entries stay as they were."""
    probe(project, "page.html")
    (project / "words" / "en").mkdir(parents=True)
    (project / "words" / "en" / "disclosures.yaml").write_text(
        "kinds:\n  contact:\n    text: ['ring the kettle desk']\n", encoding="utf-8")
    (project / "page2.html").write_text(PAGE.replace("Call us at +1 555 0100.", "Ring the kettle desk."),
                                        encoding="utf-8")
    _, plain = probe(project, "page2.html")
    assert "disclosure.contact" in {r for _, r, _, _ in findings(plain)}
    (project / ".promiselint.yaml").write_text("lexicons: [words]\n", encoding="utf-8")
    first, report = probe(project, "page2.html")
    assert first["lexicon"]["read"] == 1 and "disclosure.contact" not in {r for _, r, _, _ in findings(report)}
    again, report_again = probe(project, "page2.html")
    assert again["lexicon"] == {"read": 0, "stored": 1, "derived": 0} and report_again == report


# -- in one process ------------------------------------------------------------------------

TEXTS = ["Privacy policy", "Call us: +1 555 0100", "Shipping: $4.99, free over $50", "سياسة الخصوصية",
         "هزینه ارسال ۲۰ هزار تومان", "Returns accepted within 30 days", "Lorem ipsum", "contact@example.com"]


def test_the_stored_lexicon_answers_as_the_built_one():
    from promiselint.checks import disclosure_cues as dc

    built = dc._build_lexicon(())
    stored = dc.from_stored(json.loads(json.dumps(dc.stored_form(built))))
    cues_built, cues_stored = dc.cues(built), dc.cues(stored)
    assert cues_built.keys() == cues_stored.keys()
    for name, cue in cues_built.items():
        assert (cue.sources, cue.items) == (cues_stored[name].sources, cues_stored[name].items), name
    for lex in (built, stored):
        lex.index.pending = lex.label_index.pending = 0  # (build them, as a large run does)
        lex.index.build()
    assert built.index.scan(TEXTS) == stored.index.scan(TEXTS)
    assert built.label_index.scan(TEXTS) == stored.label_index.scan(TEXTS)
    assert (built.messages, built.ship_jsonld, built.kinds["contact"].jsonld) == \
        (stored.messages, stored.ship_jsonld, stored.kinds["contact"].jsonld)


def test_a_damaged_index_entry_is_a_miss():
    from promiselint.checks import disclosure_cues as dc

    form = json.loads(json.dumps(dc.stored_form(dc._build_lexicon(()))))
    dc.from_stored(json.loads(json.dumps(form)))
    index = form["index"]
    for damage in ({**index, "owners": {a: [len(index["groups"])] for a in index["owners"]}},  # (past the end)
                   {**index, "digit": ["0"]}, {**index, "groups": [["no such cue", 0, 0]]},
                   {**index, "groups": [[g[0], 10_000, g[2]] for g in index["groups"]]},
                   {**index, "seconds": [[0, [""]]]}, {**index, "always": 3}):
        with pytest.raises((KeyError, TypeError, ValueError, IndexError)):
            dc.from_stored({**form, "index": damage})


def test_a_packs_lexicon_entries_decode_when_read_and_come_from_yaml_when_damaged():
    from promiselint.core.data import data_dir
    from promiselint.match.conditions import FUNCTIONS
    from promiselint.match.lexicon import StoredLexicon
    from promiselint.match.packs import LexiconStore, _compile_pack, pack_from_json, pack_to_json

    store = LexiconStore([data_dir("lexicons")])
    pack = data_dir("rules") / "superlatives.yaml"
    rules = _compile_pack(pack, store, FUNCTIONS)
    data = json.loads(json.dumps(pack_to_json(rules)))
    for lex in data["lexicons"].values():
        if lex["lang"] == "en":
            lex["entries"] = lex["entries"][:len(lex["entries"]) // 2]  # cut: no longer JSON
    again = pack_from_json(data, FUNCTIONS, store)
    for rule, back in zip(rules, again):
        assert {lang: str(p) for lang, p in rule.patterns.items()} == {lang: str(p) for lang, p in back.patterns.items()}
        for lang, lexicons in back.lexicons.items():
            for lex, original in zip(lexicons, rule.lexicons[lang]):
                assert isinstance(lex, StoredLexicon) and lex._entries is None  # nothing decoded yet
                assert [(e.text, e.kind, e.pattern, e.data) for e in lex.entries] == \
                    [(e.text, e.kind, e.pattern, e.data) for e in original.entries]


def test_kept_anchors_decode_one_by_one_and_a_bad_one_is_derived_again(monkeypatch):
    from promiselint.match import prefilter

    for name in ("_KNOWN", "_STORED", "_LEARNED"):
        monkeypatch.setattr(prefilter, name, {})
    monkeypatch.setattr(prefilter, "_SOURCE", [None])
    prefilter._requirement_groups.cache_clear()
    patterns = [rf"\bword{n}s?\b" for n in range(20)]
    for p in patterns:
        prefilter.requirement_groups(p)
    kept = json.loads(json.dumps(prefilter.learned()))
    for name in ("_KNOWN", "_STORED", "_LEARNED"):
        monkeypatch.setattr(prefilter, name, {})
    prefilter._requirement_groups.cache_clear()
    kept[prefilter._digest("groups", patterns[1], 0)] = [["not", "a", "requirement"]]
    assert prefilter.remember(kept) == len(kept)
    decoded, derived = prefilter.decoded(), prefilter.derivations()
    assert prefilter.requirement_groups(patterns[0])[0].anchors == frozenset({"word0"})
    assert (prefilter.decoded() - decoded, prefilter.derivations() - derived) == (1, 0)
    assert prefilter.requirement_groups(patterns[1])[0].anchors == frozenset({"word1"})
    assert (prefilter.decoded() - decoded, prefilter.derivations() - derived) == (2, 1)
    prefilter._requirement_groups.cache_clear()


def _reads(project: Path, *args: str) -> tuple[dict, dict]:
    """(blobs read by kind, the report) of `promiselint check --no-cache ARGS`."""
    return run_probe(project, "from promiselint.project import cache\n"
                              "from collections import Counter\n"
                              "reads = Counter()\n"
                              "_read = cache.read_blob\n"
                              "def read_blob(root, kind, key):\n"
                              "    reads[kind] += 1\n"
                              "    return _read(root, kind, key)\n"
                              "cache.read_blob = read_blob",
                     "dict(reads)", "--no-cache", *args)


def test_a_warm_run_reads_one_entry_for_every_pack_and_its_data(project):
    """Every pack, the lexicon documents and the derived data in one blob (and the
    anchors, the compiled regexes, the time grammar in theirs); a changed pack of the
    user's is compiled alone (the built-in ones from their own entries), and the
    whole is kept again."""
    (project / ".promiselint.yaml").write_text("packs: [house.yaml]\n", encoding="utf-8")
    pack = "rules:\n  - id: claim.house-words\n    message: a house claim\n    match:\n      en: ['\\bhouse blend\\b']\n"
    (project / "house.yaml").write_text(pack, encoding="utf-8")
    _reads(project, "page.html")
    warm, expected = _reads(project, "page.html")
    assert warm["packs"] == 1 and warm["anchors"] == 1
    (project / "house.yaml").write_text(pack.replace("house blend", "house roast"), encoding="utf-8")
    (project / "page.html").write_text(PAGE.replace("Ships", "Our house roast ships"), encoding="utf-8")
    changed, report = _reads(project, "page.html")
    assert changed["packs"] > 1 and "claim.house-words" in {r for _, r, _, _ in findings(report)}
    again, report_again = _reads(project, "page.html")
    assert again["packs"] == 1 and report_again == report


def test_a_damaged_bundle_is_a_miss_and_kept_again(project):
    _, expected = probe(project, "page.html")
    bundle = data_blobs(project)["bundle"]
    stored = json.loads(bundle.read_text(encoding="utf-8"))
    for damage in ({**stored, "packs": stored["packs"][:-1]}, {**stored, "packs": [{"rules": [{}]}] * 6},
                   {**stored, "documents": 3, "data": []}):
        bundle.write_text(json.dumps(damage), encoding="utf-8")
        _, report = probe(project, "page.html")
        assert report == expected
    def ids(kept: dict) -> list:
        return [[rule["id"] for rule in pack["rules"]] for pack in kept["packs"]]

    assert ids(json.loads(bundle.read_text(encoding="utf-8"))) == ids(stored)  # (written again)
    warm, report = _reads(project, "page.html")
    assert report == expected and warm["packs"] == 1


def test_data_no_page_of_the_run_needed_is_kept_for_the_next(project):
    """A run that met no page (or met pages only in its workers, whose copies are lost)
    still keeps the disclosure lexicon and the cue lists, for the next run that does."""
    (project / "page.html").unlink()
    (project / "notes.md").write_text("# Kettle\n\nOur kettle boils water.\n", encoding="utf-8")
    first, _ = probe(project, "notes.md")
    assert first["lexicon"]["read"] == 1  # (built at the end, to keep)
    assert {"cues", "disclosures", "bundle"} <= set(data_blobs(project))
    (project / "page.html").write_text(PAGE, encoding="utf-8")
    warm, report = probe(project, "page.html")
    assert warm["lexicon"] == {"read": 0, "stored": 1, "derived": 0} and warm["sources"] == 0
    assert "disclosure.shipping-total" in {r for _, r, _, _ in findings(report)}
