"""Regex time (issue 9, item 5): built-in rule patterns stay linear on adversarial
input; a user's pattern that nests repeats is refused when its pack loads."""
from __future__ import annotations

import time

import pytest

from promiselint.core.errors import UsageError
from promiselint.match.packs import nested_quantifier

# runs of what rule patterns are made of: letters, spaces, digits, joiners, affixes, keywords
UNITS = {
    "en": ["a", " ", "1", "a-", "best ", "100% ", "in 3 days "],
    "ar": ["ا", " ", "1", "ال", "الافضل ", "100% ", "خلال 24 ساعه "],
    "fa": ["ا", " ", "1", "\u200c", "ترین ", "100% ", "ارسال 24 ساعته "],
}
GROWTH = 10  # 4x the input may take at most 10x the time (linear: about 4x; quadratic: 16x)


def _seconds(pattern, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in pattern.finditer(text):
            pass
        best = min(best, time.process_time() - start)
    return max(best, 1e-5)


def _growth(pattern, unit: str, n: int) -> float:
    small, large = unit * (n // len(unit)), unit * (4 * n // len(unit))
    return _seconds(pattern, large) / _seconds(pattern, small)


def _patterns():
    from promiselint.project.api import linter_for
    from promiselint.core.settings import Settings

    return [(r.id, lang, p) for r in linter_for(Settings()).all_rules for lang, p in r.patterns.items()]


def test_builtin_patterns_have_no_nested_repeats():
    assert [(rid, lang) for rid, lang, p in _patterns() if nested_quantifier(p.pattern)] == []


def test_builtin_patterns_are_linear_on_adversarial_input():
    slow = []
    for rid, lang, pattern in _patterns():
        for unit in UNITS[lang]:
            # a suspect is measured again on larger input, where timer noise matters less
            if _growth(pattern, unit, 2000) > GROWTH and _growth(pattern, unit, 8000) > GROWTH:
                slow.append((rid, lang, unit))
    assert slow == []


@pytest.mark.parametrize("pattern, nested", [
    (r"(a+)+$", True), (r"(?:\w+\s*)*!", True), (r"(?:x|y+)*z", True), (r"(?:a+){2,50}", True),
    (r"(?<=(a+)+)b", True),
    (r"a+b+", False), (r"(?:\s+[a-z]+){0,2}", False), (r"(a|b)*", False), (r"(?>a+)+", False),
    (r"(?:a++)*", False), (r"\bfastest\b", False),
])
def test_nested_quantifier_detection(pattern, nested):
    assert bool(nested_quantifier(pattern)) is nested


def test_user_pack_with_nested_repeats_is_refused_and_builtin_style_is_not(tmp_path):
    from promiselint.match.conditions import FUNCTIONS
    from promiselint.core.data import data_dir
    from promiselint.match.packs import LexiconStore, load_pack

    store = LexiconStore([data_dir("lexicons")])
    pack = tmp_path / "house.yaml"
    pack.write_text("rules:\n  - id: claim.house\n    message: m\n    match: {en: ['(?:best\\s*)+!']}\n")
    with pytest.raises(UsageError, match=r"house.yaml: rule 1 \(claim.house\).*nests a repeat"):
        load_pack(pack, store, FUNCTIONS)
    pack.write_text("rules:\n  - id: claim.house\n    message: m\n    match: {en: ['\\bbest(?:\\s+\\w+){0,2}']}\n")
    assert [r.id for r in load_pack(pack, store, FUNCTIONS)] == ["claim.house"]


@pytest.mark.parametrize("body, field", [
    ("  - id: claim.x\n    message: m\n    match: {en: x}\n    adjust: ['oops']\n", "rules.0.adjust.0"),
    ("  - id: claim.x\n    message: m\n    match: {de: x}\n", "rules.0.match"),
    ("  - id: claim.x\n    message: {en: 5}\n    match: {en: x}\n", "rules.0.message"),
    ("  - id: Claim\n    message: m\n", "rules.0.id"),
])
def test_user_pack_schema_errors_name_file_and_field(tmp_path, body, field):
    from promiselint.match.conditions import FUNCTIONS
    from promiselint.match.packs import LexiconStore, load_pack

    pack = tmp_path / "house.yaml"
    pack.write_text("rules:\n" + body)
    with pytest.raises(UsageError) as e:
        load_pack(pack, LexiconStore([]), FUNCTIONS)
    assert str(e.value).startswith(f"{pack}: {field}") and "\n" not in str(e.value)


def test_builtin_packs_match_the_schema():
    from promiselint.core.data import data_dir
    from promiselint.match.packs import validate_pack
    from promiselint.core.yamlload import load_yaml

    for pack in sorted(data_dir("rules").glob("*.yaml")):
        validate_pack(load_yaml(pack), pack)
