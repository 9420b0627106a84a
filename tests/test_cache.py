"""The content-hash cache under .promiselint_cache/."""
from __future__ import annotations

import json
import os
from pathlib import Path

import promiselint
from promiselint import cache
from promiselint.cache import Cache, default_fingerprint, find_root, result_from_dict

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
    from promiselint.engine import Settings

    a = default_fingerprint(Settings())
    assert a == default_fingerprint(Settings())  # no object addresses, no randomness
    assert a != default_fingerprint(Settings(select=["promise"]))
    assert a != default_fingerprint(Settings(), "config: v2")
    assert cache.make_fingerprint("x", {"b": 1, "a": 2}) == cache.make_fingerprint("x", {"a": 2, "b": 1})


def test_fingerprint_follows_rule_pack_bytes(tmp_path):
    from promiselint.engine import Settings

    pack = tmp_path / "house.yaml"
    pack.write_text("rules: []\n", encoding="utf-8")
    before = default_fingerprint(Settings(packs=[pack]))
    pack.write_text("rules: [] # edited\n", encoding="utf-8")
    assert default_fingerprint(Settings(packs=[pack])) != before


def test_result_round_trip_and_check_reads_the_cache(tmp_path, monkeypatch):
    from promiselint import api

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
