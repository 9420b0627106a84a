"""Every example of every rule runs as a test (as LanguageTool does)."""
import pytest

from promiselint.project.api import linter_for
from promiselint.core.settings import Settings

from .conftest import alarms

RULES = linter_for(Settings()).all_rules
CASES = [(r.id, e) for r in RULES for e in r.examples]


def test_every_rule_has_flag_and_ok_examples():
    for r in RULES:
        if r.category == "disclosure" or r.detector in ("registry", "service-level"):
            continue  # page-level and registry rules are tested in test_disclosures / test_registry
        kinds = {"flag" if "flag" in e else "ok" for e in r.examples}
        assert "flag" in kinds, f"{r.id} has no failing example"


@pytest.mark.parametrize("rule_id,example", CASES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(CASES)])
def test_rule_example(lint, rule_id, example):
    text = example.get("flag", example.get("ok"))
    result = lint(text, fmt=example.get("format", "txt"), lang=example.get("lang"))
    hits = [f for f in alarms(result) if f.rule == rule_id]
    if "flag" in example:
        assert hits, f"{rule_id} should flag: {text!r}"
        for f in hits:
            assert result.text[f.offset:f.end_offset] == f.text
    else:
        assert not hits, f"{rule_id} should pass: {text!r} -> {[h.text for h in hits]}"


def test_generated_rule_docs_are_current():
    from pathlib import Path

    from promiselint.report.docs import markdown

    doc = Path(__file__).parent.parent / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == markdown(RULES) + "\n", "run `make docs`"
