"""A config is checked by jsonshape.py, not jsonschema (issue #10: importing
jsonschema cost more than the rest of a small run); jsonschema only words the
error of an invalid one.  The two must agree on every config."""
from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from promiselint.core import jsonshape
from promiselint.project import config as cfg

_WORDS = st.sampled_from(["", "en", "ar", "error", "warning", "info", "off", "never", "contact", "x.md",
                          "claim", "superlative.unverified", "privacy-policy", "files"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.sampled_from([0.0, 1.0, 2.5]), _WORDS)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(_WORDS, inner, max_size=3)), max_leaves=6)


def _mostly(valid, invalid=_SCALARS):
    """Valid values three times in four (a config breaks the schema in one place, if at all)."""
    return st.one_of(valid, valid, valid, invalid)


_SEVERITY = _mostly(st.sampled_from(["error", "warning", "info", "off"]))
_SEVERITIES = _mostly(st.dictionaries(_WORDS, _SEVERITY, max_size=3))
_LISTS = _mostly(st.lists(_mostly(_WORDS), max_size=3))
_DISCLOSURE = _mostly(st.sampled_from(["privacy-policy", "disclaimer", "contact", "return-policy", "shipping-total"]))
_OVERRIDE = _mostly(st.fixed_dictionaries(
    {"files": _LISTS}, optional={"rules": _SEVERITIES, "lang": _mostly(st.sampled_from(["ar", "fa", "en"])),
                                 "ignore": _LISTS}), _VALUES)
_CONFIG = st.fixed_dictionaries({}, optional={
    "lang": _mostly(st.sampled_from(["ar", "fa", "en"])),
    "fail_on": _mostly(st.sampled_from(["error", "warning", "info", "never"])),
    "select": _LISTS, "ignore": _LISTS, "packs": _LISTS, "lexicons": _LISTS, "exclude": _LISTS,
    "rules": _SEVERITIES, "claims": _mostly(_WORDS), "max_file_bytes": _mostly(st.integers(0, 10)),
    "site": _mostly(st.booleans()),
    "page_types": _mostly(st.dictionaries(_WORDS, _mostly(st.lists(_DISCLOSURE, max_size=3)), max_size=2)),
    "overrides": _mostly(st.lists(_OVERRIDE, max_size=2)),
    "unknown": _SCALARS})


def test_the_config_schema_is_one_jsonshape_knows():
    assert jsonshape.supported(cfg.schema())


@settings(max_examples=500, deadline=None)
@given(_CONFIG)
def test_config_check_agrees_with_jsonschema(data):
    import jsonschema

    assert jsonshape.is_valid(data, cfg.schema()) == jsonschema.Draft202012Validator(cfg.schema()).is_valid(data)


def test_refs_must_point_into_the_schemas_definitions():
    schema = {"type": "object", "definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s"}}}
    assert jsonshape.supported(schema) and jsonshape.is_valid({"a": "x"}, schema) and not jsonshape.is_valid({"a": 1}, schema)
    assert not jsonshape.supported({**schema, "properties": {"a": {"$ref": "#/definitions/t"}}})
    assert not jsonshape.supported({**schema, "properties": {"a": {"$ref": "https://example.com/s.json"}}})
    assert not jsonshape.supported({"type": "object", "additionalProperties": True})


def test_a_run_with_a_valid_config_imports_no_jsonschema(tmp_path):
    (tmp_path / ".promiselint.yaml").write_text(cfg.STARTER, encoding="utf-8")
    (tmp_path / "page.md").write_text("# Kettle\n\nThe fastest kettle.\n", encoding="utf-8")
    code = ("import sys\nfrom promiselint.cli import main\ntry: main(sys.argv[1:])\nexcept SystemExit: pass\n"
            "sys.stderr.write('\\nJSONSCHEMA %s\\n' % ('jsonschema' in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code, "check", "--no-cache", "--format", "json", "page.md"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert "JSONSCHEMA False" in proc.stderr and json.loads(proc.stdout)["summary"]["findings"] == 1
    (tmp_path / ".promiselint.yaml").write_text("max_file_bytes: -1\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", code, "check", "--no-cache", "page.md"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert "max_file_bytes: -1 is less than the minimum of 0" in proc.stderr and "JSONSCHEMA True" in proc.stderr
