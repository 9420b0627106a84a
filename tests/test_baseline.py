"""Baseline files and changed-files selection, with temporary git repositories."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import promiselint
from promiselint.project import baseline
from promiselint.project.baseline import apply as apply_baseline
from promiselint.project.gitfiles import changed_files, select_paths
from promiselint.core.errors import UsageError
from promiselint.core.findings import FileResult, Finding

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EN = "The fastest charger money can buy.\n"
AR = "متجرنا الأرخص في المملكة\n"
FA = "سریع‌ترین ارسال در کل کشور\n"


def finding(rule, text, offset=0, line=1, severity="error"):
    return Finding(rule, rule.split(".")[0], severity, "msg", offset, offset + len(text), text, "en",
                   line=line)


def git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "shop"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "content").mkdir()
    (root / "content" / "charger.md").write_text("# Charger\n\n" + EN, encoding="utf-8")
    (root / "content" / "ar.txt").write_text(AR, encoding="utf-8")
    (root / "content" / "fa.txt").write_text(FA, encoding="utf-8")
    (root / "content" / "clean.txt").write_text("A cotton shirt.\n", encoding="utf-8")
    (root / "README.rst").write_text("not copy\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    monkeypatch.chdir(root)
    return root


# -- normalization and keys ---------------------------------------------------------

def test_text_normalization_ignores_cosmetic_differences():
    n = baseline.normalize_text
    assert n("سریع‌ترین") == n("سریع ترین") == n("سریع\u200fترین ")
    assert n("الأرخـــص") == n("الأرخص")  # tatweel
    assert n("الأَرْخَص") == n("الأرخص")  # harakat
    assert n("ارسال ۲۴ ساعته") == n("ارسال 24 ساعته") == n("ارسال ٢٤ ساعته")
    assert n("The  FASTEST\ncharger") == n("the fastest charger")
    assert n("ﻻ") == n("لا")  # presentation forms fold with NFKC
    assert n("الأرخص") != n("الأسرع")


def test_filter_absorbs_up_to_count_per_key(tmp_path, monkeypatch):
    res = [FileResult("a.md", "en", [finding("superlative.unverified", "fastest", 4),
                                     finding("superlative.unverified", "fastest", 40, line=3),
                                     finding("promise.delivery-time", "24-hour delivery", 60, line=5)])]
    bfile = tmp_path / "base.json"
    monkeypatch.chdir(tmp_path)
    # the baseline was written when the page had one "fastest"
    assert baseline.write([FileResult("a.md", "en", res[0].findings[:1])], bfile) == 1
    out = baseline.filter(res, bfile)
    # one "fastest" accepted; the second occurrence and the other rule are new
    assert [(f.rule, f.offset) for f in out[0].findings] == [("superlative.unverified", 40),
                                                              ("promise.delivery-time", 60)]
    assert len(res[0].findings) == 3  # input untouched
    kept, absorbed = baseline.filter_counted(res, bfile)
    assert absorbed == 1


def test_baseline_file_is_stable_and_readable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = [FileResult("b.md", "ar", [finding("superlative.unverified", "الأرخص"),
                                     finding("superlative.unverified", "الأرخص", 30, 2)]),
           FileResult("a.md", "en", [finding("superlative.unverified", "fastest")])]
    baseline.write(res, "bl.json")
    first = Path("bl.json").read_text(encoding="utf-8")
    baseline.write(list(reversed(res)), "bl.json")
    assert Path("bl.json").read_text(encoding="utf-8") == first  # sorted: no diff noise
    doc = json.loads(first)
    assert doc["version"] == 1
    assert doc["findings"] == [
        {"rule": "superlative.unverified", "path": "a.md", "text": "fastest", "count": 1},
        {"rule": "superlative.unverified", "path": "b.md", "text": "الأرخص", "count": 2},
    ]
    assert "الأرخص" in first  # not \\u-escaped: reviewable in a diff


def test_paths_are_relative_to_the_baseline_file(tmp_path, monkeypatch):
    (tmp_path / "site" / "content").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    baseline.write([FileResult("site/content/p.md", "en", [finding("superlative.unverified", "fastest")])],
                   "site/.promiselint-baseline.json")
    doc = json.loads((tmp_path / "site/.promiselint-baseline.json").read_text(encoding="utf-8"))
    assert doc["findings"][0]["path"] == "content/p.md"
    # later, run from inside site/: the same file is reached as content/p.md
    monkeypatch.chdir(tmp_path / "site")
    out = baseline.filter([FileResult("content/p.md", "en", [finding("superlative.unverified", "fastest")])],
                          ".promiselint-baseline.json")
    assert out[0].findings == []
    # and from the parent with an absolute path
    monkeypatch.chdir(tmp_path)
    out = baseline.filter([FileResult(str(tmp_path / "site/content/p.md"), "en",
                                      [finding("superlative.unverified", "fastest")])],
                          "site/.promiselint-baseline.json")
    assert out[0].findings == []


def test_other_file_same_text_is_not_absorbed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    baseline.write([FileResult("a.md", "en", [finding("superlative.unverified", "fastest")])], "bl.json")
    out = baseline.filter([FileResult("b.md", "en", [finding("superlative.unverified", "fastest")])], "bl.json")
    assert len(out[0].findings) == 1


def test_dict_results_work_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = FileResult("a.md", "en", [finding("superlative.unverified", "fastest")]).to_dict()
    baseline.write([d], "bl.json")
    assert baseline.filter([d], "bl.json")[0]["findings"] == []


def test_bad_baseline_files_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        baseline.filter([], tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid JSON"):
        baseline.load(bad)
    bad.write_text('{"version": 99, "findings": []}', encoding="utf-8")
    with pytest.raises(UsageError, match="not a promiselint baseline"):
        baseline.load(bad)
    bad.write_text('{"version": 1, "findings": [{"text": "x"}]}', encoding="utf-8")
    with pytest.raises(UsageError, match="malformed"):
        baseline.load(bad)


def test_apply_baseline_without_file_is_identity():
    res = [FileResult("a", "en", [finding("superlative.unverified", "x")])]
    assert apply_baseline(res, None) is res


# -- with the real linter ------------------------------------------------------------------

def test_baseline_survives_moved_lines_and_reports_new_claims(repo):
    results = promiselint.check_paths([Path("content")])
    assert sum(len(r.findings) for r in results) >= 3
    n = baseline.write(results, ".promiselint-baseline.json")
    assert n == sum(len(r.findings) for r in results)
    # unchanged tree: nothing left
    assert all(not r.findings for r in apply_baseline(promiselint.check_paths([Path("content")]),
                                                      ".promiselint-baseline.json"))
    # lines move (new lines above), and the Arabic page gets a second, new claim
    md = Path("content/charger.md")
    md.write_text("# Charger\n\nIntro.\n\nMore intro.\n\n" + EN, encoding="utf-8")
    Path("content/ar.txt").write_text("مقدمة\n\n" + AR + "\nوالأرخص أيضاً في الخليج\n", encoding="utf-8")
    after = apply_baseline(promiselint.check_paths([Path("content")]), ".promiselint-baseline.json")
    left = [(r.path, f.text) for r in after for f in r.findings]
    assert all(p.endswith("ar.txt") for p, _ in left) and left, left
    assert any("الأرخص" in t for _, t in left)
    # the first «الأرخص» is still accepted: only one Arabic superlative remains
    assert len([t for _, t in left if "الأرخص" in t]) == 1


def test_baseline_command_writes_the_file(repo):
    from promiselint.cli import main

    r = CliRunner().invoke(main, ["baseline", "content", "-o", "bl.json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(Path("bl.json").read_text(encoding="utf-8"))
    paths = {e["path"] for e in doc["findings"]}
    assert {"content/charger.md", "content/ar.txt", "content/fa.txt"} <= paths
    assert "content/clean.txt" not in paths
    assert "wrote bl.json" in r.output
    r = CliRunner().invoke(main, ["baseline", "no-such-dir", "-o", "bl2.json"])
    assert r.exit_code == 2 and not Path("bl2.json").exists()


# -- changed files ------------------------------------------------------------------------

@needs_git
def test_changed_files_since_a_revision(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    assert changed_files(base) == []
    Path("content/ar.txt").write_text(AR + "جديد\n", encoding="utf-8")  # modified, unstaged
    Path("content/new.md").write_text(EN, encoding="utf-8")  # untracked
    Path("content/staged.txt").write_text(FA, encoding="utf-8")
    git(repo, "add", "content/staged.txt")  # staged
    Path(".gitignore").write_text("build/\n", encoding="utf-8")
    Path("build").mkdir()
    Path("build/out.html").write_text("<p>fastest</p>", encoding="utf-8")  # ignored
    Path("content/clean.txt").unlink()  # deleted: nothing to check
    got = changed_files(base)
    assert got == sorted([Path(".gitignore"), Path("content/ar.txt"), Path("content/new.md"),
                          Path("content/staged.txt")])
    assert all(not p.is_absolute() for p in got)
    # the same, without a revision: uncommitted changes against HEAD
    assert changed_files(None) == got


@needs_git
def test_committed_changes_and_merge_base(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    Path("content/fa.txt").write_text(FA + "ارسال ۲۴ ساعته\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "feature edit")
    # main moves on after the branch point: its change is not the branch's
    git(repo, "checkout", "-q", "main")
    Path("content/charger.md").write_text("# Charger v2\n\n" + EN, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "main edit")
    git(repo, "checkout", "-q", "feature")
    assert changed_files("main") == [Path("content/fa.txt")]
    assert changed_files("HEAD~1") == [Path("content/fa.txt")]
    assert changed_files("HEAD") == []


@needs_git
def test_non_ascii_file_names(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    Path("content/محصول.md").write_text(AR, encoding="utf-8")
    Path("content/کالا دو.txt").write_text(FA, encoding="utf-8")
    assert changed_files(base) == sorted([Path("content/محصول.md"), Path("content/کالا دو.txt")])


@needs_git
def test_paths_from_a_subfolder(repo, monkeypatch):
    base = git(repo, "rev-parse", "HEAD").strip()
    Path("content/ar.txt").write_text(AR + "x\n", encoding="utf-8")
    monkeypatch.chdir(repo / "content")
    assert changed_files(base) == [Path("ar.txt")]


@needs_git
def test_select_paths_filters_by_paths_and_format(repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    assert select_paths(["content"], None, False) is None  # not asked: check PATHS as given
    Path("content/ar.txt").write_text(AR + "x\n", encoding="utf-8")
    Path("notes.rst").write_text("fastest\n", encoding="utf-8")  # not a format we read
    Path("other").mkdir()
    Path("other/p.html").write_text("<p>fastest</p>", encoding="utf-8")
    Path("node_modules/pkg").mkdir(parents=True)
    Path("node_modules/pkg/readme.md").write_text("fastest", encoding="utf-8")
    assert select_paths(["."], base) == [Path("content/ar.txt"), Path("other/p.html")]
    assert select_paths([], base) == [Path("content/ar.txt"), Path("other/p.html")]
    assert select_paths(["content"], base) == [Path("content/ar.txt")]
    assert select_paths(["content/ar.txt"], diff_base=None, changed=True) == [Path("content/ar.txt")]
    assert select_paths(["content/fa.txt"], base) == []


@needs_git
def test_git_errors_are_usage_errors(repo, tmp_path, monkeypatch):
    with pytest.raises(UsageError, match="unknown git revision 'nope'"):
        changed_files("nope")
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(UsageError, match="git"):
        changed_files("HEAD")


@needs_git
def test_fresh_repository_without_commits(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(EN, encoding="utf-8")
    Path("b.md").write_text(EN, encoding="utf-8")
    git(tmp_path, "add", "a.md")
    assert changed_files(None) == [Path("a.md"), Path("b.md")]
