"""The fixed cost of one `promiselint check` process (issue #10): what a run
imports, and whether it starts git, counted in the process itself (never timed)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from promiselint.project import cache

from .probe import run_probe

GIT = subprocess.run(["git", "--version"], capture_output=True).returncode == 0 if sys.platform != "win32" else False
PAGE = "# Kettle\n\nThe fastest kettle we sell boils in 90 seconds.\n"

PROBE = """
started = []
sys.addaudithook(lambda event, args: started.append([str(a) for a in args[1]]) if event == "subprocess.Popen" else None)
before = set(sys.modules)
"""


def probe(cwd: Path, *args: str) -> dict:
    """What `promiselint check --format json ARGS` did in a fresh process: the
    processes it started and the modules it imported."""
    did, report = run_probe(cwd, PROBE, '{"started": started, "modules": sorted(set(sys.modules) - before)}', *args)
    did["report"] = report
    return did


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository holding one page, its cache filled by a first run."""
    if not GIT:
        pytest.skip("git is not installed")
    _git(tmp_path, "init", "-q", ".")
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    _git(tmp_path, "add", "page.md")
    _git(tmp_path, "commit", "-q", "-m", "page")
    probe(tmp_path, "page.md")
    assert (tmp_path / cache.CACHE_DIR).is_dir()
    return tmp_path


def _git_runs(did: dict) -> list:
    return [a for a in did["started"] if a and Path(a[0]).name == "git"]


def test_a_check_in_a_repository_starts_no_git(repo):
    """Git's index does not name the cache folder: git need not be asked whether it tracks it."""
    did = probe(repo, "page.md")
    assert did["started"] == [] and "subprocess" not in did["modules"]
    assert did["report"]["summary"]["findings"] == 1


def test_a_committed_cache_is_still_found_out(repo):
    _git(repo, "add", "-f", cache.CACHE_DIR)
    did = probe(repo, "page.md")
    assert _git_runs(did)  # the index names it: git is asked (and the cache is not trusted)
    assert not cache.trusted_root(repo)


@pytest.mark.parametrize("how", ["index version 4", "split index", "GIT_INDEX_FILE", "a submodule's name"])
def test_git_is_asked_when_the_index_cannot_tell(repo, monkeypatch, how):
    folder = repo / cache.CACHE_DIR
    assert cache._not_in_index(folder)
    if how == "index version 4":
        _git(repo, "update-index", "--index-version", "4")
    elif how == "split index":
        _git(repo, "update-index", "--split-index")
    elif how == "GIT_INDEX_FILE":
        monkeypatch.setenv("GIT_INDEX_FILE", str(repo / ".git" / "index"))
    else:  # a gitlink entry is the bare name, with no "/" after it; any case
        (repo / "notes").mkdir()
        (repo / "notes" / ".PromiseLint_Cache").write_text("x", encoding="utf-8")
        _git(repo, "add", "notes")
    assert not cache._not_in_index(folder)


def test_a_worktree_reads_its_own_index(repo, tmp_path_factory):
    other = tmp_path_factory.mktemp("wt") / "wt"
    _git(repo, "worktree", "add", "-q", str(other))
    assert (other / ".git").is_file()
    (other / cache.CACHE_DIR).mkdir()
    assert cache._not_in_index(other / cache.CACHE_DIR)
    assert not cache._tracked(other / cache.CACHE_DIR)


def test_a_plain_check_imports_no_pool_tempfile_or_subprocess(repo):
    """A one-file check (in-process) from the cache and afresh."""
    for args in (("page.md",), ("--no-cache", "page.md")):
        modules = probe(repo, *args)["modules"]
        for name in ("multiprocessing", "concurrent.futures", "tempfile", "subprocess", "jsonschema",
                     "pickle", "promiselint.project.forkmap"):
            assert name not in modules, (args, name)


def test_a_large_run_imports_no_multiprocessing(tmp_path):
    for i in range(30):
        (tmp_path / f"p{i:02d}.md").write_text(PAGE.replace("90", str(i)), encoding="utf-8")
    did = probe(tmp_path, "--no-cache", "--jobs", "2", ".")
    assert "promiselint.project.forkmap" in did["modules"]  # the files went to workers
    assert "multiprocessing" not in did["modules"] and "concurrent.futures" not in did["modules"]
    assert did["report"]["summary"]["findings"] == 30


def test_a_walk_compiles_the_excludes_once_and_resolves_each_folder_once(tmp_path, monkeypatch):
    import os

    import pathspec

    from promiselint.project import config as cfg
    from promiselint.project.walk import walk

    (tmp_path / ".promiselint.yaml").write_text('exclude: ["vendor/", "*.min.html"]\n', encoding="utf-8")
    for folder in ("a", "b", "vendor"):
        (tmp_path / folder).mkdir()
        for i in range(20):
            (tmp_path / folder / f"p{i}.html").write_text("<p>x</p>", encoding="utf-8")
        (tmp_path / folder / "x.min.html").write_text("<p>x</p>", encoding="utf-8")
    compiled, resolved = [], []
    real_from_lines, real_realpath = pathspec.GitIgnoreSpec.from_lines, os.path.realpath
    monkeypatch.setattr(pathspec.GitIgnoreSpec, "from_lines", lambda *a, **k: compiled.append(a) or real_from_lines(*a, **k))
    monkeypatch.setattr(os.path, "realpath", lambda p, **k: resolved.append(p) or real_realpath(p, **k))
    cfg._exclude_spec.cache_clear()
    config = cfg.load_config(tmp_path)
    files = walk([tmp_path], config)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in files) == sorted(
        f"{d}/p{i}.html" for d in ("a", "b") for i in range(20))
    assert len(compiled) == 1
    assert len(resolved) <= 8  # the root and each folder (not once per file)


def test_a_recheck_asks_for_a_cache_once_per_folder(tmp_path, monkeypatch):
    from promiselint.project import api

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for i in range(15):
            (tmp_path / folder / f"p{i}.md").write_text(PAGE.replace("90", str(i)), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # the project root
    monkeypatch.chdir(tmp_path)
    first, _ = api.run_check([Path(".")], jobs=1)
    asked = []
    real = cache.cache_for_settings
    monkeypatch.setattr(cache, "cache_for_settings", lambda *a, **k: asked.append(a) or real(*a, **k))
    again, _ = api.run_check([Path(".")], jobs=1)
    assert len(asked) == 2  # one per folder, not one per file
    hits = {c.hits for c in cache._caches.values()}
    assert sum(hits) >= 30 and [r.to_dict() for r in again] == [r.to_dict() for r in first]


def test_workers_send_back_no_text_when_no_report_shows_it(tmp_path, monkeypatch):
    """`--format json` shows no source line: a result comes back as its findings only."""
    from promiselint.project import api, forkmap

    from .test_forkmap import children_take_first

    for i in range(40):
        (tmp_path / f"p{i:02d}.md").write_text(PAGE.replace("90", str(i)) + "Filler words. " * 200,
                                               encoding="utf-8")
    received = []
    real = forkmap._complete

    def spy(w):
        before = len(w.buffer)
        for answer in real(w):  # (chunk number, ok, (results, regexes))
            received.append((before - len(w.buffer), len(answer[2][0])))  # its bytes and files
            before = len(w.buffer)
            yield answer

    monkeypatch.setattr(forkmap, "_complete", spy)
    sent = {}
    for keep in (True, False):
        received.clear()
        monkeypatch.setattr(api, "_lint_chunk", children_take_first(api._lint_chunk, tmp_path / f"took-{keep}"))
        results, _ = api.run_check([tmp_path], use_cache=False, jobs=2, keep_text=keep)
        sent[keep] = (sum(b for b, _ in received) / sum(n for _, n in received),  # bytes a file from a worker
                      [r.to_dict() for r in results], [len(r.text) for r in results])
    assert sent[False][1] == sent[True][1]  # the same findings
    assert min(sent[True][2]) > 2000 and set(sent[False][2]) == {0}
    assert sent[True][0] > 2000 and sent[False][0] < sent[True][0] / 5


def test_a_text_report_still_shows_the_source_line(tmp_path):
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "promiselint.cli", "check", "--no-cache", "--no-color", "page.md"],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert "The fastest kettle we sell" in proc.stdout and "^^^^^^^" in proc.stdout


def test_the_time_grammar_loads_lark_without_the_regex_engine():
    """lark imports the third-party `regex` module whenever it is installed (about
    10 ms of every run's set-up) and never uses it for these grammars: the time
    grammar and the condition grammar load without it, with the same parses, and
    `regex` stays importable for whoever needs it."""
    pytest.importorskip("regex")
    code = (
        "import sys\n"
        "from promiselint.match import expr, time_parse\n"
        "time_parse._parser(); expr.parse_expr('covers(\"x\") or not dated()')\n"
        "assert 'regex' not in sys.modules, 'regex was imported'\n"
        "assert time_parse.find_time_expressions('delivered within 2-3 days', 'en')\n"
        "import regex\n"
        "assert regex.search(r'\\p{L}+', 'abc')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
