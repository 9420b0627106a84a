"""Cold start (issue #10): a one-file check loads only what it uses, compiled rule
packs come from the project cache, a cached re-check compiles no rule.

Every run here is a fresh process (what a pre-commit hook starts); what it did
is read back from the process itself (modules imported, rule patterns
compiled), never from a clock."""
import json
import os
from pathlib import Path

import pytest

from promiselint.project import cache

from .probe import run_probe

HEAVY = ("spacy", "hazm", "lark", "lxml", "jsonschema", "nltk")


def probe(project: Path, *args: str) -> tuple[dict, dict]:
    """(what the run did, its JSON report) for `promiselint check --format json ARGS` in `project`."""
    return run_probe(project, "from promiselint.match import packs as rules, prefilter",
                     '{"compiled": rules.compilations(), "derived": prefilter.derivations(), '
                     f'"heavy": sorted(m for m in {HEAVY!r} if m in sys.modules)}}', *args)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root, where .promiselint_cache lives
    (tmp_path / "plain.md").write_text("# Kettle\n\nThe fastest kettle we sell boils in 90 seconds.\n",
                                       encoding="utf-8")
    (tmp_path / "abbr.md").write_text("# Kettle\n\nRated No. 1 e.g. by buyers. Ships fast.\n", encoding="utf-8")
    (tmp_path / "abbr-fa.md").write_text("# کتری\n\nسریع‌ترین کتری. ک. ۲ در انبار است.\n", encoding="utf-8")
    return tmp_path


def blobs(project: Path) -> list[Path]:
    return sorted((project / cache.CACHE_DIR / cache.BLOBS).rglob("*.json"))


def rules_of(report: dict) -> list:
    return [(f["path"], x["rule"], x["offset"], x["end_offset"]) for f in report["files"] for x in f["findings"]]


def test_a_cached_recheck_compiles_no_rule(project):
    first, report = probe(project, "plain.md")
    assert first["compiled"] > 0 and rules_of(report)  # the counter counts: the first run compiles
    again, report_again = probe(project, "plain.md")
    assert again["compiled"] == 0
    assert report_again == report


def test_a_plain_check_imports_no_heavy_stack(project):
    cold, _ = probe(project, "--no-cache", "plain.md")  # compiles the packs (conditions need lark)
    assert set(cold["heavy"]) <= {"lark"}
    warm, report = probe(project, "--no-cache", "plain.md")
    assert warm["heavy"] == [] and rules_of(report)
    for name in ("abbr.md", "abbr-fa.md"):  # an ambiguous period: spaCy's and hazm's rules, without them
        did, report = probe(project, "--no-cache", name)
        assert did["heavy"] == [] and rules_of(report), name


def test_compiled_packs_give_the_findings_of_a_fresh_compile(project):
    """Every example of every rule, checked with packs compiled in memory and
    rebuilt from the cache: the same findings, byte for byte."""
    from promiselint.core.settings import Settings
    from promiselint.project.api import linter_for

    folder = project / "examples"
    folder.mkdir()
    n = 0
    for rule in linter_for(Settings()).all_rules:
        for example in rule.examples:
            for text in (example.get("flag"), example.get("ok")):
                if isinstance(text, str):
                    n += 1
                    (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
    assert n > 50
    _, fresh = probe(project, "--no-cache", "examples")
    assert blobs(project)  # the packs were stored
    _, rebuilt = probe(project, "--no-cache", "examples")
    assert rules_of(rebuilt) and rebuilt == fresh


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "empty rules"])
def test_a_corrupt_compiled_pack_is_a_miss(project, damage):
    _, expected = probe(project, "--no-cache", "plain.md")
    entries = blobs(project)
    assert entries
    for entry in entries:
        text = entry.read_text(encoding="utf-8")
        stored = json.loads(text)
        entry.write_text({"garbage": "{not json", "truncated": text[:len(text) // 2],
                          "foreign": json.dumps({**stored, "key": "0" * 64}),
                          "empty rules": json.dumps({**stored, "pack": {"rules": [{}], "lexicons": {}}})}[damage],
                         encoding="utf-8")
    did, report = probe(project, "--no-cache", "plain.md")
    assert did["compiled"] > 0 and report == expected
    for entry in blobs(project):  # written again, whole
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem


@pytest.mark.parametrize("kind, work", [("packs", "compiled"), ("anchors", "derived")])
def test_a_symlinked_blob_folder_is_neither_read_nor_written(project, tmp_path_factory, kind, work):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    probe(project, "--no-cache", "plain.md")
    folder = project / cache.CACHE_DIR / cache.BLOBS / kind
    for entry in folder.iterdir():
        entry.replace(elsewhere / entry.name)
    folder.rmdir()
    os.symlink(elsewhere, folder)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    assert before
    did, report = probe(project, "--no-cache", "plain.md")
    assert did[work] > 0 and rules_of(report)  # done afresh: the link was not followed
    assert folder.is_symlink() and {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before


def test_every_builtin_pattern_and_lexicon_entry_compiles():
    """Built-in patterns compile on first use (rules.LazyPattern), lexicon entries
    only when matched: a broken one must fail here, not in a user's run."""
    import re

    from promiselint.core.settings import Settings
    from promiselint.project.api import linter_for

    for rule in linter_for(Settings()).all_rules:
        for lang, pattern in rule.patterns.items():
            assert isinstance(pattern.regex, re.Pattern), (rule.id, lang)
            for lex in rule.lexicons.get(lang, []):
                for entry in lex.entries:
                    re.compile(entry.pattern)


def test_every_builtin_cue_compiles():
    """Cue lists (cues.yaml and the concepts' cues) compile on first use in a condition."""
    from promiselint.core.data import data_dir
    from promiselint.core.yamlload import load_yaml
    from promiselint.match.conditions import cue, set_cue_folders
    from promiselint.match.lexicon import load_concepts

    folders = [data_dir("lexicons")]
    set_cue_folders(folders)
    for lang in ("ar", "fa", "en"):
        names = set(load_yaml(folders[0] / lang / "cues.yaml") or {})
        names |= {c["cue"] for c in load_concepts(folders) if c.get("cue")}
        assert names
        for name in names:
            cue(lang, name)
