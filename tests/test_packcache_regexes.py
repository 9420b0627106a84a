"""Compiled regexes kept in the project cache (match/regexstore.py, packcache.py;
issue #10): a warm run parses none of the stored patterns and finds the same;
a damaged, tampered or foreign entry is a miss that compiles as `re` does; a
symlinked cache folder is never written through; a worker pool's parent makes
what its workers would compile, so that they compile none of it.  Work is
counted (patterns parsed by re._parser, made from the store), never timed."""
import base64
import json
import shutil
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from promiselint.match import regexstore
from promiselint.project import cache, packcache

from .probe import cache_blobs, project_with, run_probe
from .test_startup_workers import pages

PROBE = """
from re import _parser
from promiselint.match import regexstore
parsed = []
_parse = _parser.parse
def parse(pattern, *args):
    parsed.append(pattern)
    return _parse(pattern, *args)
_parser.parse = parse
"""

PAGE = ("<html><head><title>Kettle</title></head><body><h1>Kettle</h1>"
        "<p>The fastest kettle we sell, the #1 choice of chefs. Delivered within 24 hours, guaranteed.</p>"
        "<p>Clinically proven to lower stress. Free returns.</p>"
        "<p>\u0627\u0644\u0623\u0633\u0631\u0639 \u0641\u064a \u0627\u0644\u0633\u0648\u0642. "
        "\u0627\u0631\u0633\u0627\u0644 \u06f2\u06f4 \u0633\u0627\u0639\u062a\u0647.</p></body></html>\n")


def probe(project: Path, *args: str) -> tuple[dict, dict]:
    """(what `promiselint check --no-cache ARGS` did in a fresh process, its JSON report)."""
    return run_probe(project, PROBE, '{"patterns": [p for p in parsed if isinstance(p, str)], **regexstore.counts()}',
                     "--no-cache", *args)


def blobs(project: Path) -> list[Path]:
    return cache_blobs(project, packcache.REGEXES)


def entries(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


@pytest.fixture
def project(tmp_path):
    return project_with(tmp_path, "page.html", PAGE)


def test_a_warm_run_parses_none_of_the_stored_patterns(project):
    cold, expected = probe(project, "page.html")
    (blob,) = blobs(project)
    stored = {e[0] for e in entries(blob)}
    assert cold["stored"] == 0 and len(stored) > 50 and stored <= set(cold["patterns"])
    assert sum(map(len, stored)) > 20_000  # (the large ones: rule patterns, cues)
    warm, report = probe(project, "page.html")
    assert report == expected and len(report["files"][0]["findings"]) > 3
    assert not stored & set(warm["patterns"])  # re._parser saw none of them again
    assert warm["stored"] > 50 and warm["parsed"] <= 5  # (a few small leads the stored anchors name)
    written = blob.stat().st_mtime_ns
    again, report = probe(project, "page.html")
    assert report == expected and again["parsed"] == 0 and again["stored"] == warm["stored"] + warm["parsed"]
    assert blob.stat().st_mtime_ns == written  # nothing new: not written again


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """A project after one run (its blobs written) and that run's report."""
    root = tmp_path_factory.mktemp("warmed")
    (root / ".git").mkdir()
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    return root, probe(root, "page.html")[1]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign key", "not a list", "tampered"])
def test_a_damaged_blob_is_a_miss_with_the_same_findings(warmed, tmp_path, damage):
    project, expected = _copy(warmed, tmp_path), warmed[1]
    (blob,) = blobs(project)
    text = blob.read_text(encoding="utf-8")
    data = json.loads(text)
    if damage == "tampered":  # every entry holds another pattern's code
        codes = [e[5] for e in data["entries"]]
        data["entries"] = [e[:5] + [codes[(i + 1) % len(codes)]] + e[6:] for i, e in enumerate(data["entries"])]
    blob.write_text({"garbage": "{not json", "truncated": text[:len(text) // 2],
                     "foreign key": json.dumps({**data, "key": "0" * 64}),
                     "not a list": json.dumps({**data, "entries": {"a": 1}}),
                     "tampered": json.dumps(data)}[damage], encoding="utf-8")
    did, report = probe(project, "page.html")
    assert report == expected
    assert did["parsed"] > 50 and did["stored"] == 0 and len(entries(blob)) > 50  # parsed again, stored again
    if damage == "tampered":
        again, report = probe(project, "page.html")
        assert report == expected and again["parsed"] == 0 and not {e[0] for e in entries(blob)} & set(again["patterns"])


def _copy(warmed, tmp_path) -> Path:
    shutil.copytree(warmed[0], tmp_path / "project", symlinks=True)
    return tmp_path / "project"


def test_a_symlinked_cache_folder_is_never_written_through(warmed, tmp_path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    project, expected = _copy(warmed, tmp_path), warmed[1]
    kinds = project / cache.CACHE_DIR / cache.BLOBS
    for blob in blobs(project):
        blob.unlink()
    (kinds / packcache.REGEXES).rmdir()
    (kinds / packcache.REGEXES).symlink_to(elsewhere, target_is_directory=True)
    did, report = probe(project, "page.html")
    assert report == expected and did["stored"] == 0 and list(elsewhere.iterdir()) == []


# -- the store itself, in this process ------------------------------------------------------

PATTERNS = [
    r"(?P<word>[^\W\d_]+)\s*(\d+)?",
    r"(?i)fast(?:est|er)\b|(?<!\w)#\s?1\b",
    r"(?:\u0627\u0644)?\u0623\u0633\u0631\u0639|\u0633\u0631\u06cc\u0639\u200c?\u062a\u0631\u06cc\u0646",
    r"(?s:.){0,12}?(free (?:shipping|delivery))",
    r"(?P<a>x)(?P<b>y)?(?(b)z|w)",
]
TEXT = "Fastest kettle #1, 24 hours. FREE shipping xy xw \u0627\u0644\u0623\u0633\u0631\u0639 \u0633\u0631\u06cc\u0639\u200c\u062a\u0631\u06cc\u0646"


def _same(made, plain) -> None:
    assert (made.pattern, made.flags, made.groups, dict(made.groupindex)) == \
        (plain.pattern, plain.flags, plain.groups, dict(plain.groupindex))
    assert [(m.span(), m.groups(), m.lastgroup) for m in made.finditer(TEXT)] == \
        [(m.span(), m.groups(), m.lastgroup) for m in plain.finditer(TEXT)]


@pytest.fixture
def store():
    """A store in memory: regexstore reads `held` (what packcache reads from disk)."""
    held: list = []
    regexstore.keep_from(lambda: json.loads(json.dumps(held)))  # (what a JSON file gives back)
    yield held
    regexstore.keep_from(None)


def _learn(held: list, flags=0) -> None:
    for p in PATTERNS:
        regexstore.compile(p, flags)
    held[:] = held + regexstore.learned()  # (merged, as packcache keeps them)
    regexstore.keep_from(regexstore._read[0])  # a new process: nothing made yet


def test_stored_patterns_match_as_re_compiles_them(store):
    import re

    _learn(store)
    _learn(store, re.IGNORECASE)
    assert len(store) == 2 * len(PATTERNS)
    before = regexstore.counts()
    for flags in (0, re.IGNORECASE):
        for p in PATTERNS:
            _same(regexstore.compile(p, flags), re.compile(p, flags))
    after = regexstore.counts()
    assert after["stored"] - before["stored"] == 2 * len(PATTERNS) and after["parsed"] == before["parsed"]


def _code(entry: list) -> list:
    return array("I", base64.b64decode(entry[5])).tolist()


def _b64(words: list) -> str:
    return base64.b64encode(array("I", words).tobytes()).decode()


@pytest.mark.parametrize("tamper", [
    lambda e, other: e[:5] + other[5:],  # another pattern's code (and its digest)
    lambda e, other: e[:5] + [other[5]] + e[6:],  # another pattern's code
    lambda e, other: e[:5] + [_b64(_code(e)[:-3])] + e[6:],  # cut short
    lambda e, other: e[:5] + [_b64([w ^ 1 for w in _code(e)])] + e[6:],  # bits flipped
    lambda e, other: e[:5] + ["not base64!"] + e[6:],
    lambda e, other: e[:6] + ["0" * 64],  # digest
    lambda e, other: e[:2] + [e[2] & ~32] + e[3:],  # flags other than re's
    lambda e, other: e[:3] + [e[3] + 1] + e[4:],  # groups
    lambda e, other: e[:4] + [{"other": 1}] + e[5:],  # group names
    lambda e, other: e[:2] + [None, "x", [], 3, e[6]],
    lambda e, other: e[:6],
])
def test_a_tampered_entry_is_a_miss(store, tamper):
    import re

    _learn(store)
    store[:] = [tamper(e, store[(i + 1) % len(store)]) for i, e in enumerate(store)]
    before = regexstore.counts()
    for p in PATTERNS:
        _same(regexstore.compile(p), re.compile(p))
    assert regexstore.counts()["stored"] == before["stored"]  # every one compiled as re does


def test_without_a_store_it_is_re_compile():
    import re

    regexstore.keep_from(None)
    assert regexstore.compile(PATTERNS[0]) is re.compile(PATTERNS[0])
    with pytest.raises(re.error):
        regexstore.compile("(unclosed")


def test_a_bad_pattern_raises_as_re_does(store):
    import re

    with pytest.raises(re.error):
        regexstore.compile("(unclosed")
    assert regexstore.learned() == []


def test_a_foreign_interpreter_reads_nothing(warmed, monkeypatch):
    project = warmed[0]
    packcache.use(project)
    try:
        assert packcache._read_regexes(project)
        regexstore.interpreter.cache_clear()
        monkeypatch.setattr(sys, "version", sys.version + " (another build)")
        assert packcache._read_regexes(project) is None
    finally:
        regexstore.interpreter.cache_clear()
        packcache.use(None)


def test_the_blob_is_bounded(warmed, tmp_path, monkeypatch):
    project = _copy(warmed, tmp_path)
    (blob,) = blobs(project)
    old = entries(blob)
    packcache.use(project)
    try:
        regexstore.compile(r"a new (?:pattern|regex) of this run")
        monkeypatch.setattr(packcache, "MAX_REGEXES", len(old))
        packcache._keep_regexes()  # old + new would pass the bound: only the new one is kept
        assert [e[0] for e in entries(blob)] == [r"a new (?:pattern|regex) of this run"]
    finally:
        packcache.use(None)


# -- a worker pool: the parent makes what its workers would compile -----------------------

POOL = """
import json, os, random, sys
from pathlib import Path
from promiselint.core.settings import Settings
from promiselint.match import regexstore, time_parse
from promiselint.project import api, packcache, prefork
root = Path(sys.argv[1])
packcache.use(root)
real = api._lint_job
def counting(job):
    before, loads = regexstore.counts(), time_parse._parser.cache_info().misses
    result = real(job)
    after = regexstore.counts()
    return (os.getpid(), after["parsed"] - before["parsed"], after["stored"] - before["stored"],
            time_parse._parser.cache_info().misses - loads, [f.to_dict() for f in result.findings])
api._lint_job = counting
work = [(p, p.name, None, Settings(), None, None) for p in sorted(root.glob("*.html"))]
done = api._lint_in_workers(work, 2)
packcache.keep_anchors(api._LINTERS.values())
print(json.dumps({"first": prefork.schedule(work, 2)[0], "jobs": done}))
"""


def _pool(root: Path) -> tuple[list, list]:
    """(per job after the fork -- the parent's share too --: (regexes parsed, made from the
    store, time parsers loaded), the findings)."""
    proc = subprocess.run([sys.executable, "-c", POOL, str(root)], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    jobs = out["jobs"]
    return [tuple(j[1:4]) for i, j in enumerate(jobs) if i != out["first"]], [j[4] for j in jobs]


def test_workers_compile_nothing_the_parent_could_have(project):
    import random

    rng = random.Random(5)
    for i in range(40):
        (project / f"p-{i:02d}.html").write_text(pages.product_page(rng, "en", rng.randint(4, 10)), encoding="utf-8")
    cold, findings = _pool(project)
    assert sum(parsed for parsed, _, _ in cold) > 0  # the cues workers meet first: compiled there, handed back
    warm, again = _pool(project)
    assert again == findings and sum(map(len, findings)) > 40
    assert len(warm) == 40 and warm == [(0, 0, 0)] * len(warm)  # nothing parsed, made or loaded in a worker
