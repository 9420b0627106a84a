"""The prefilter's anchors kept in the project cache (packcache.py, issue #10).

A fresh process per run, as a pre-commit hook starts it; what each run did is
read back from the process (patterns parsed with re._parser to derive anchors,
rule patterns compiled), never from a clock."""
import json
from pathlib import Path

import pytest

from promiselint.project import cache

from .test_cold import probe as cold_probe

PACK = """rules:
  - id: claim.house-words
    category: claim
    message: a house claim
    match:
      en: ['\\bhouse (?:blend|roast)\\b']
"""
PAGE = ("<html><head><title>Kettle</title></head><body><h1>Kettle</h1>"
        "<p>The fastest kettle we sell boils in 90 seconds. Our house blend ships within 2 days.</p>"
        "<p>Guaranteed lowest price, free returns.</p></body></html>\n")


def probe(project: Path, *args: str) -> tuple[dict, dict]:
    """(what the run did, its JSON report) for `promiselint check --no-cache ARGS` (test_cold.probe)."""
    return cold_probe(project, "--no-cache", *args)


def findings(report: dict) -> list:
    return [(f["path"], x["rule"], x["offset"], x["end_offset"]) for f in report["files"] for x in f["findings"]]


def anchors(project: Path) -> list[Path]:
    return sorted((project / cache.CACHE_DIR / cache.BLOBS / "anchors").glob("*.json"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root, where .promiselint_cache lives
    (tmp_path / ".promiselint.yaml").write_text("packs: [house.yaml]\n", encoding="utf-8")
    (tmp_path / "house.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_a_warm_run_derives_nothing_and_compiles_only_what_matches(project):
    cold, expected = probe(project, "page.html")
    assert cold["derived"] > 0 and len(anchors(project)) == 1  # the first run derives them all, once
    assert "claim.house-words" in {f[1] for f in findings(expected)} and len(findings(expected)) > 2
    warm, report = probe(project, "page.html")
    assert warm["derived"] == 0 and report == expected
    # the prefilter is built at once: rules whose anchors the page lacks never compile
    assert 0 < warm["compiled"] < cold["compiled"]
    again, report = probe(project, "page.html")
    assert again == warm and report == expected


def test_a_changed_pack_derives_its_new_pattern_only(project):
    probe(project, "page.html")
    warm, _ = probe(project, "page.html")
    assert warm["derived"] == 0
    (project / "house.yaml").write_text(PACK.replace("blend|roast", "blend|brew"), encoding="utf-8")
    changed, report = probe(project, "page.html")
    assert 0 < changed["derived"] <= 2  # the new pattern (as a whole and its groups), nothing else
    assert "claim.house-words" in {f[1] for f in findings(report)}
    after, report_after = probe(project, "page.html")
    assert after["derived"] == 0 and report_after == report


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign key", "bad entries", "not a mapping"])
def test_a_corrupt_anchors_entry_is_derived_again(project, damage):
    _, expected = probe(project, "page.html")
    (entry,) = anchors(project)
    text = entry.read_text(encoding="utf-8")
    stored = json.loads(text)
    bad = {k: [[["x"], None, "yes"]] if i % 2 else [[[], None, False]] for i, k in enumerate(stored["entries"])}
    entry.write_text({"garbage": "{not json", "truncated": text[:len(text) // 2],
                      "foreign key": json.dumps({**stored, "key": "0" * 64}),
                      "bad entries": json.dumps({**stored, "entries": bad}),
                      "not a mapping": json.dumps([stored])}[damage], encoding="utf-8")
    did, report = probe(project, "page.html")
    assert did["derived"] > 0 and report == expected  # never trusted: derived afresh, same findings
    (entry,) = anchors(project)  # and written again, whole
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem
    warm, report = probe(project, "page.html")
    assert warm["derived"] == 0 and report == expected


def test_anchors_are_written_inside_the_cache_folder_only(project):
    """(A symlinked anchors folder: test_cold.)"""
    before = {p for p in project.rglob("*")}
    probe(project, "page.html")
    probe(project, "page.html")
    made = {p for p in project.rglob("*")} - before
    assert made and all(cache.CACHE_DIR in p.relative_to(project).parts for p in made)


def test_the_library_keeps_nothing(tmp_path):
    """Only the CLI keeps anchors: the library API derives in memory and writes nothing."""
    from promiselint.project.api import check_paths

    (tmp_path / ".git").mkdir()
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    results = check_paths([tmp_path / "page.html"])
    assert results[0].findings and not (tmp_path / cache.CACHE_DIR).exists()


def test_a_language_first_met_later_is_derived_then_kept(project):
    (project / "ar.txt").write_text("متجرنا الأرخص في المملكة، والشحن مجاني دائما.\n", encoding="utf-8")
    probe(project, "page.html")  # the first run derives what English copy needs
    first, expected = probe(project, "ar.txt")
    assert first["derived"] > 0 and findings(expected)  # Arabic rules: derived when first met
    again, report = probe(project, "ar.txt")
    assert again["derived"] == 0 and report == expected
    english, _ = probe(project, "page.html")
    assert english["derived"] == 0
