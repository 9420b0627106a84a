"""Parity across languages: every claim concept gets the same verdict and
severity in Arabic, Persian and English (lexicons/concepts.yaml)."""
import pytest

from promiselint.project.api import linter_for
from promiselint.core.data import data_dir
from promiselint.core.settings import Settings
from promiselint.match.lexicon import concept_cues, concept_lexicon, load_concepts
from promiselint.match.packs import LexiconStore

from .conftest import alarms

LANGS = ("ar", "fa", "en")
CONCEPTS = load_concepts([data_dir("lexicons")])
RULE_IDS = {r.id for r in linter_for(Settings()).all_rules}
CLAIMS = ("superlative", "promise", "claim")


def test_concept_table_is_well_formed():
    ids = [c["id"] for c in CONCEPTS]
    assert len(ids) == len(set(ids)), "concept ids must be unique"
    assert len(CONCEPTS) >= 15
    for c in CONCEPTS:
        assert c["family"] == "context" or c["family"] in RULE_IDS, f"{c['id']}: unknown family {c['family']}"
        assert len({"lexicon", "cue", "realized_by"} & set(c)) == 1, \
            f"{c['id']}: give exactly one of lexicon, cue, realized_by"
        assert c["family"] != "context" or "cue" in c, f"{c['id']}: a context is read through a cue"
        assert set(c.get("examples", {})) == set(LANGS), f"{c['id']}: examples in ar, fa and en"


@pytest.mark.parametrize("concept", [c for c in CONCEPTS if "lexicon" in c], ids=lambda c: c["id"])
def test_every_language_realizes_the_concept(concept):
    """The same words exist in all three languages, and rules read them."""
    for lang in LANGS:
        lex = concept_lexicon([data_dir("lexicons")], lang, concept["lexicon"])
        assert lex is not None and any(e.data.get("concept") == concept["id"] for e in lex.entries), \
            f"{concept['id']} has no {lang} words"
    store = LexiconStore([data_dir("lexicons")])
    assert store.get("en", concept["lexicon"]).entries  # reachable as {lex:NAME}


@pytest.mark.parametrize("concept", [c for c in CONCEPTS if "cue" in c], ids=lambda c: c["id"])
def test_every_language_has_the_context(concept):
    for lang in LANGS:
        assert concept_cues([data_dir("lexicons")], lang, concept["cue"]), f"{concept['id']} has no {lang} cue"


def _verdict(lint, text, lang):
    res = lint(text, lang=lang)
    return sorted({(f.rule, f.severity) for f in alarms(res) if f.category in CLAIMS})


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c["id"])
def test_same_verdict_in_every_language(lint, concept):
    verdicts = {}
    for lang in LANGS:
        example = concept["examples"][lang]
        kind = "flag" if "flag" in example else "ok"
        verdicts[lang] = (kind, _verdict(lint, example[kind], lang))
    kinds = {k for k, _ in verdicts.values()}
    assert len(kinds) == 1, f"{concept['id']}: examples must all flag or all pass: {verdicts}"
    if kinds == {"ok"}:
        assert all(not v for _, v in verdicts.values()), f"{concept['id']}: false alarm: {verdicts}"
        return
    want = (concept["family"], concept["severity"])
    for lang, (_, got) in verdicts.items():
        assert want in got, f"{concept['id']} ({lang}): expected {want}, got {got}"
    others = {lang: [v for v in got if v != want] for lang, (_, got) in verdicts.items()}
    assert len({tuple(v) for v in others.values()}) == 1, f"{concept['id']}: other verdicts differ: {others}"


def test_a_context_silences_in_every_language(lint):
    """The price-history context turns a discount into a stated reference price everywhere."""
    bare = {"en": "70% off all sofas.", "ar": "خصم 70% على جميع الكنب.", "fa": "۷۰٪ تخفیف روی همه مبل‌ها."}
    for lang, text in bare.items():
        assert ("claim.reference-price", "warning") in _verdict(lint, text, lang), lang
    for c in CONCEPTS:
        if c["id"] == "context.price-history":
            for lang in LANGS:
                assert not _verdict(lint, c["examples"][lang]["ok"], lang), lang
