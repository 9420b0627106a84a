"""The content-hash cache under .promiselint_cache/."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from promiselint.project import cache
from promiselint.project.cache import Cache, default_fingerprint, find_root, result_from_dict

AR = "متجرنا الأرخص في المملكة\n"


def res(n: int = 0, path: str = "a.txt") -> dict:
    """A well-formed cached result (FileResult.to_dict()); `n` tells results apart."""
    return {"path": path, "language": "ar", "findings": [], "notice": f"result {n}"}


def entries(root: Path) -> list[Path]:
    return sorted((root / cache.CACHE_DIR).rglob("*.json"))


def test_miss_put_hit(tmp_path):
    c = Cache(tmp_path, "fp1")
    f = tmp_path / "a.txt"
    data = AR.encode()
    assert c.get(f, data) is None
    result = {"path": "a.txt", "language": "ar", "findings": [{
        "rule": "superlative.x", "category": "superlative", "severity": "error", "message": "m", "line": 1,
        "column": 8, "end_line": 1, "end_column": 14, "offset": 7, "end_offset": 13, "text": "الأرخص",
        "language": "ar", "suggestion": None}]}
    c.put(f, data, result)
    assert c.get(f, data) == result
    assert (c.hits, c.misses) == (1, 1)
    # stored as readable JSON under the project root
    [entry] = entries(tmp_path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    assert stored["fingerprint"] == "fp1" and stored["path"] == "a.txt" and stored["result"] == result
    assert stored["sha256"] == __import__("hashlib").sha256(data).hexdigest()
    assert (tmp_path / ".promiselint_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert (tmp_path / ".promiselint_cache" / ".gitignore").read_text().strip().endswith("*")


def test_key_changes_with_content_fingerprint_and_path(tmp_path):
    c = Cache(tmp_path, "fp1")
    c.put(tmp_path / "a.txt", b"one", res(1))
    assert c.get(tmp_path / "a.txt", b"one!") is None  # content changed
    assert c.get(tmp_path / "b.txt", b"one") is None  # another file (format, config may differ)
    assert Cache(tmp_path, "fp2").get(tmp_path / "a.txt", b"one") is None  # rules/config changed
    assert Cache(tmp_path, "fp1").get(tmp_path / "a.txt", b"one") == res(1)  # a new run, same key


def test_same_file_by_relative_or_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    c = Cache(tmp_path, "fp")
    c.put("a.txt", b"x", res(1))
    assert c.get(tmp_path / "a.txt", b"x") == res(1)


def test_corrupt_entry_is_a_miss_and_is_removed(tmp_path):
    c = Cache(tmp_path, "fp")
    c.put(tmp_path / "a.txt", b"x", res(1))
    [entry] = entries(tmp_path)
    entry.write_text("{not json", encoding="utf-8")
    assert c.get(tmp_path / "a.txt", b"x") is None
    assert not entry.exists()


def test_disabled_cache_neither_reads_nor_writes(tmp_path):
    c = Cache(tmp_path, "fp", enabled=False)
    c.put(tmp_path / "a.txt", b"x", res(1))
    assert c.get(tmp_path / "a.txt", b"x") is None
    assert not (tmp_path / cache.CACHE_DIR).exists()


def test_old_fingerprints_are_pruned(tmp_path):
    for i in range(cache.KEEP_FINGERPRINTS + 3):
        c = Cache(tmp_path, f"fp{i}")
        c.put(tmp_path / "a.txt", b"x", res(i))
        os.utime(c.fp_dir, (1000 + i, 1000 + i))  # a definite age order
    dirs = list((tmp_path / cache.CACHE_DIR / cache.LAYOUT).iterdir())
    assert len(dirs) <= cache.KEEP_FINGERPRINTS + 1
    assert Cache(tmp_path, f"fp{cache.KEEP_FINGERPRINTS + 2}").get(tmp_path / "a.txt", b"x") is not None
    assert Cache(tmp_path, "fp0").get(tmp_path / "a.txt", b"x") is None


def test_read_only_project_still_works(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        c = Cache(ro, "fp")
        c.put(ro / "a.txt", b"x", res(1))  # no exception
        if os.geteuid() != 0:  # root writes anyway
            assert c.get(ro / "a.txt", b"x") is None
    finally:
        ro.chmod(0o700)


def test_module_level_api_finds_project_root(tmp_path, monkeypatch):
    project = tmp_path / "shop"
    (project / "content" / "deep").mkdir(parents=True)
    (project / ".promiselint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    f = project / "content" / "deep" / "p.md"
    f.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert find_root(f) == project.resolve()
    assert cache.get(f, b"x", "fp") is None
    cache.put(f, b"x", "fp", res(2))
    assert cache.get(f, b"x", "fp") == res(2)
    assert (project / cache.CACHE_DIR).is_dir() and not (tmp_path / cache.CACHE_DIR).exists()
    cache.clear(project)
    assert not (project / cache.CACHE_DIR).exists()


def test_fingerprint_is_stable_and_sensitive():
    from promiselint.core.settings import Settings

    a = default_fingerprint(Settings())
    assert a == default_fingerprint(Settings())  # no object addresses, no randomness
    assert a != default_fingerprint(Settings(select=["promise"]))
    assert a != default_fingerprint(Settings(), "config: v2")
    assert cache.make_fingerprint("x", {"b": 1, "a": 2}) == cache.make_fingerprint("x", {"a": 2, "b": 1})


def test_fingerprint_follows_rule_pack_bytes(tmp_path):
    from promiselint.core.settings import Settings

    pack = tmp_path / "house.yaml"
    pack.write_text("rules: []\n", encoding="utf-8")
    before = default_fingerprint(Settings(packs=[pack]))
    pack.write_text("rules: [] # edited\n", encoding="utf-8")
    assert default_fingerprint(Settings(packs=[pack])) != before


def test_result_round_trip_and_check_reads_the_cache(tmp_path, monkeypatch):
    from promiselint.project import api

    monkeypatch.chdir(tmp_path)
    f = Path("p.txt")
    f.write_text("The fastest charger money can buy.\n" + AR, encoding="utf-8")
    calls = []
    real = api._lint_job
    monkeypatch.setattr(api, "_lint_job", lambda job: calls.append(job[0]) or real(job))

    first, _ = api.run_check([f])
    second, _ = api.run_check([f])
    assert len(calls) == 1  # the second run read the cache
    assert second[0].to_dict() == first[0].to_dict() and first[0].findings
    assert second[0].text == f.read_text(encoding="utf-8")
    assert result_from_dict(first[0].to_dict()).to_dict() == first[0].to_dict()
    # an edit is a miss
    f.write_text("A cotton shirt.\n", encoding="utf-8")
    third, _ = api.run_check([f])
    assert len(calls) == 2 and third[0].findings == []
    # no cache: always lints
    api.run_check([f], use_cache=False)
    assert len(calls) == 3


# -- hardening (issue 9): a cache committed or planted in a repository ---------------

FAST = "The fastest charger money can buy.\n"


def _project(tmp_path, monkeypatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "p.txt").write_text(FAST, encoding="utf-8")
    monkeypatch.chdir(project)
    cache._caches.clear()
    return project


def _outside(tmp_path) -> tuple[Path, dict]:
    """A folder beside the project that looks like cache layout, and its snapshot."""
    out = tmp_path / "outside"
    for name in ("0123456789abcdef0123", "fedcba9876543210fedc", "sentinel"):
        d = out / name / "ab"
        d.mkdir(parents=True)
        (d / ("a" * 64 + ".json")).write_text("{}", encoding="utf-8")
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    return out, _tree(out)


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in root.rglob("*")}


def _texts(results) -> list[str]:
    return [f.text for r in results for f in r.findings]


def _runs(n: int = 3) -> list:
    from promiselint.project import api

    out = []
    for i in range(n):  # new fingerprints (new selections) make the cache prune old ones
        results, _ = api.run_check([Path("p.txt")], ignore=[f"claim.none{i}"])
        out.append(_texts(results))
    return out


def test_symlinked_layout_pointing_outside_is_never_touched(tmp_path, monkeypatch):
    project = _project(tmp_path, monkeypatch)
    outside, before = _outside(tmp_path)
    _runs(1)  # a real cache, with its tag
    layout = project / cache.CACHE_DIR / cache.LAYOUT
    for d in layout.iterdir():
        for p in sorted(d.rglob("*"), reverse=True):
            p.rmdir() if p.is_dir() else p.unlink()
        d.rmdir()
    layout.rmdir()
    layout.symlink_to(outside)
    assert _runs(cache.KEEP_FINGERPRINTS + 2) == [["fastest"]] * (cache.KEEP_FINGERPRINTS + 2)
    assert _tree(outside) == before  # nothing read as an entry, written, or deleted


def test_cache_folder_that_is_a_symlink_or_not_promiselints_is_left_alone(tmp_path, monkeypatch):
    project = _project(tmp_path, monkeypatch)
    outside, before = _outside(tmp_path)
    (project / cache.CACHE_DIR).symlink_to(outside)
    assert _runs(2) == [["fastest"]] * 2
    assert _tree(outside) == before
    (project / cache.CACHE_DIR).unlink()
    cache._caches.clear()
    mine = project / cache.CACHE_DIR / cache.LAYOUT / "0123456789abcdef0123"
    mine.mkdir(parents=True)  # a folder of that name, without promiselint's CACHEDIR.TAG
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    owned = _tree(project / cache.CACHE_DIR)
    assert _runs(cache.KEEP_FINGERPRINTS + 2) == [["fastest"]] * (cache.KEEP_FINGERPRINTS + 2)
    assert _tree(project / cache.CACHE_DIR) == owned
    cache.clear(project)
    assert _tree(project / cache.CACHE_DIR) == owned


def test_prune_removes_only_its_own_layout(tmp_path):
    c = Cache(tmp_path, "fp-old")
    c.put(tmp_path / "a.txt", b"x", res(0))
    stray = c.fp_dir / "notes.txt"
    stray.write_text("mine", encoding="utf-8")
    os.utime(c.fp_dir, (1000, 1000))
    for i in range(cache.KEEP_FINGERPRINTS + 1):
        Cache(tmp_path, f"fp{i}").put(tmp_path / "a.txt", b"x", res(i))
    assert stray.read_text() == "mine"  # its folder stays: it holds something not the cache's
    assert not list(c.fp_dir.rglob("*.json"))  # the cache's own entries are gone


GARBAGE = {
    "not JSON": lambda e: "{oops",
    "a list": lambda e: "[1, 2]",
    "right shape, no findings, wrong hash": lambda e: json.dumps({**e, "sha256": "0" * 64, "result": {
        **e["result"], "findings": []}}),
    "findings of the wrong type": lambda e: json.dumps({**e, "result": {**e["result"], "findings": "none"}}),
    "offsets that do not fit the file": lambda e: json.dumps({**e, "result": {**e["result"], "findings": [
        {**e["result"]["findings"][0], "offset": 10**6, "end_offset": 10**6 + 7}]}}),
    "text that is not the file's": lambda e: json.dumps({**e, "result": {**e["result"], "findings": [
        {**e["result"]["findings"][0], "text": "slowest"}]}}),
    "deeply nested": lambda e: "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("kind", list(GARBAGE))
def test_garbage_entries_mean_the_file_is_checked_again(tmp_path, monkeypatch, kind):
    project = _project(tmp_path, monkeypatch)
    assert _runs(1) == [["fastest"]]
    [entry] = entries(project)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(GARBAGE[kind](stored), encoding="utf-8")
    cache._caches.clear()
    assert _runs(1) == [["fastest"]]


def test_a_committed_cache_is_not_trusted(tmp_path, monkeypatch):
    """An entry forged with the right fingerprint and hash, committed to the repository."""
    import subprocess

    project = _project(tmp_path, monkeypatch)
    (project / ".git").rmdir()
    subprocess.run(["git", "init", "-q", "."], check=True)
    _runs(1)
    [entry] = entries(project)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**stored, "result": {**stored["result"], "findings": []}}), encoding="utf-8")
    cache._caches.clear()
    assert _runs(1) == [[]]  # the cache of this machine is trusted...
    subprocess.run(["git", "add", "-f", cache.CACHE_DIR], check=True)
    cache._caches.clear()
    assert _runs(1) == [["fastest"]]  # ...one that came with the repository is not
    assert entry.exists()  # and is left as it is


def test_entry_that_is_a_symlink_is_not_read_nor_deleted(tmp_path, monkeypatch):
    project = _project(tmp_path, monkeypatch)
    _runs(1)
    [entry] = entries(project)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    target = tmp_path / "forged.json"
    target.write_text(json.dumps({**stored, "result": {**stored["result"], "findings": []}}), encoding="utf-8")
    entry.unlink()
    entry.symlink_to(target)
    cache._caches.clear()
    assert _runs(1) == [["fastest"]]
    assert target.exists()


# -- cache entries are checked without importing jsonschema (jsonshape.py) ---------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2, allow_nan=False),
                     st.sampled_from(["", "error", "info", "x", "superlative.unverified", "Bad.Rule"]))
_FINDING = st.fixed_dictionaries(
    {k: st.one_of(st.integers(-1, 5), st.sampled_from([1.0, 2.5])) for k in
     ("line", "column", "end_line", "end_column", "offset", "end_offset")} |
    {k: st.sampled_from(["superlative.unverified", "claim.x-1", "Bad", ""]) for k in ("rule",)} |
    {k: st.sampled_from(["error", "warning", "info", "fatal", None]) for k in ("severity",)} |
    {k: st.one_of(st.text(max_size=3), st.none(), st.integers()) for k in
     ("category", "message", "text", "language", "suggestion")},
    optional={"replacement": st.one_of(st.text(max_size=2), st.none()), "value": st.one_of(st.just({}), _SCALARS),
              "key": _SCALARS, "extra": _SCALARS})
_ENTRY = st.one_of(_SCALARS, st.fixed_dictionaries(
    {"path": st.one_of(st.text(max_size=3), st.none()), "language": st.one_of(st.none(), st.just("en"), st.integers()),
     "findings": st.one_of(st.lists(_FINDING, max_size=3), _SCALARS)},
    optional={"notice": _SCALARS, "other": _SCALARS}))


@settings(max_examples=400, deadline=None)
@given(_ENTRY)
def test_entry_check_agrees_with_jsonschema(entry):
    import jsonschema

    from promiselint.core import jsonshape

    schema = json.loads((Path(cache.__file__).resolve().parents[1] / "schema" / "cache-entry.schema.json").read_text("utf-8"))
    assert jsonshape.supported(schema)
    assert jsonshape.is_valid(entry, schema) == jsonschema.Draft202012Validator(schema).is_valid(entry)


def test_a_schema_with_an_unknown_keyword_is_left_to_jsonschema():
    from promiselint.core import jsonshape

    assert not jsonshape.supported({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})
    assert not jsonshape.supported({"type": "object", "patternProperties": {"^a": {"type": "string"}}})
