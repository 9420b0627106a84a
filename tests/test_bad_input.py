"""The bad-input table (issue 9): every hostile or unlucky input, through the real CLI
in a subprocess with a timeout and a memory limit.  Each case asserts the exit code, at most one line
on stderr and never a traceback, what the report says, that no input file changed
and that nothing was written outside the project's cache folder."""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

EXE = [sys.executable, "-m", "promiselint.cli"]
MEMORY = 3 << 30  # address space a run may use: reading /dev/zero or expanding a YAML bomb would not fit


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
AR = "متجرنا الأرخص في المملكة"
EN = "The fastest charger in town."
BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n")
PACK = "rules:\n  - id: claim.house\n    message: m\n    match: {en: 'house'}\n"
# what a wrapper around the CLI does to deny reading (tests run as root: chmod 000 does not)
DENY = """import errno, os, sys
denied = os.path.abspath(sys.argv.pop(1))
real_open, real_scandir = os.open, os.scandir
def guard(path):
    if os.path.abspath(os.fsdecode(path)) == denied:
        raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
os.open = lambda path, *a, **k: guard(path) or real_open(path, *a, **k)
os.scandir = lambda path=".": guard(path) or real_scandir(path)
from promiselint.cli import main
main()
"""


@dataclass
class Case:
    id: str
    setup: Callable[[Path], list]  # writes the inputs into the project folder; returns the CLI arguments
    code: int  # expected exit code
    expect: Callable[[dict, str], None] = lambda report, err: None  # (JSON report or {}, stderr)
    wrapper: str | None = None  # run this script instead of the CLI module (argv: denied path, check...)


def write(d: Path, name: str, data: bytes | str) -> Path:
    p = d / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def files(report: dict) -> dict:
    return {Path(f["path"]).name: f for f in report["files"]}


def rules_of(report: dict, name: str) -> list[str]:
    return [f["rule"] for f in files(report)[name]["findings"]]


def texts_of(report: dict, name: str) -> list[str]:
    return [f["text"] for f in files(report)[name]["findings"] if not f["rule"].startswith("input.")]


def one(*pairs):
    """setup writing files (name, data) and checking the project folder."""
    def setup(d: Path) -> list:
        for name, data in pairs:
            write(d, name, data)
        return ["."]
    return setup


def invalid_at(name: str, line: int, also: list | None = None):
    def expect(report, err):
        [problem] = [f for f in files(report)[name]["findings"] if f["rule"] == "input.invalid"]
        assert problem["line"] == line and problem["severity"] == "error", problem
        assert "\n" not in problem["message"]
        if also is not None:
            assert texts_of(report, name) == also
    return expect


def finds(name: str, texts: list, notice: str | None = None):
    def expect(report, err):
        assert texts_of(report, name) == texts, files(report)[name]
        assert not [r for r in rules_of(report, name) if r.startswith("input.")]
        if notice:
            assert notice in files(report)[name].get("notice", ""), files(report)[name]
    return expect


def notice(name: str, needle: str):
    def expect(report, err):
        f = files(report)[name]
        assert needle in f.get("notice", "") and f["findings"] == [], f
    return expect


def usage(*needles: str):
    def expect(report, err):
        assert err.startswith("promiselint: ") and all(n in err for n in needles), err
    return expect


def symlink(target: str, name: str):
    def setup(d: Path) -> list:
        os.symlink(target, d / name)
        write(d, "ok.txt", EN)
        return ["."]
    return setup


def loops(d: Path) -> list:
    write(d, ".promiselint.yaml", "exclude: [vendor/]\n")  # excludes look at paths, never follow links
    os.symlink("loop.txt", d / "loop.txt")
    os.symlink(".", d / "d1")  # a folder inside itself
    os.symlink("d3", d / "d2")
    os.symlink("d2", d / "d3")
    write(d, "ok.txt", EN)
    return ["."]


def fifo(d: Path) -> list:
    os.mkfifo(d / "x.txt")
    write(d, "ok.txt", EN)
    return ["."]


def unreadable_file(d: Path) -> list:
    write(d, "ok.txt", EN)
    p = write(d, "secret.txt", EN)
    p.chmod(0)
    return ["secret.txt", "secret.txt", "ok.txt"] if os.geteuid() == 0 else [".", "."]


def unreadable_folder(d: Path) -> list:
    write(d, "ok.txt", EN)
    p = write(d, "locked/inner.txt", EN).parent
    p.chmod(0)
    return ["locked", "."] if os.geteuid() == 0 else [".", "."]


def deny_expect(name: str):
    def expect(report, err):
        assert rules_of(report, name) == ["input.unreadable"], files(report)
        assert texts_of(report, "ok.txt") == ["fastest"]  # the run went on
    return expect


def utf8_cut(d: Path) -> list:
    write(d, "a.txt", (EN + " " + AR).encode("utf-8")[:-1])  # cut inside the last letter
    return ["."]


def config(text: str, *more):
    def setup(d: Path) -> list:
        write(d, ".promiselint.yaml", text)
        for name, data in more:
            write(d, name, data)
        write(d, "a.txt", EN)
        return ["."]
    return setup


def deep_json(n: int) -> str:
    return "[" * n + "]" * n


def baseline_then_check(d: Path) -> list:
    write(d, "a.md", f"# Shop\n\n{EN}\n\n{AR}\n")
    proc = subprocess.run(EXE + ["baseline", "."], cwd=d, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [".", "--baseline", ".promiselint-baseline.json"]


def no_findings(report, err):
    assert all(f["findings"] == [] for f in report["files"]), report


UTF16 = AR + " 😀 ﻻ ﺗﻮﺻﻴﻞ " + EN  # emoji (surrogates) and presentation forms
CASES = [
    Case("missing path", lambda d: ["missing.txt"], 2, usage("missing.txt", "no such file")),
    Case("binary file", one(("b.txt", bytes(range(256)) * 8)), 0, notice("b.txt", "binary")),
    *[Case(f"empty .{ext}", one((f"e.{ext}", b"")), 0, lambda r, e, ext=ext: files(r)[f"e.{ext}"]["findings"] == [])
      for ext in ("txt", "md", "html", "po", "csv")],
    Case("empty .json", one(("e.json", b"")), 1, invalid_at("e.json", 1)),
    Case("utf-8", one(("a.txt", AR.encode())), 1, finds("a.txt", ["الأرخص"])),
    Case("utf-8 with BOM", one(("a.txt", codecs.BOM_UTF8 + AR.encode())), 1, finds("a.txt", ["الأرخص"])),
    Case("utf-16-le with BOM", one(("a.txt", codecs.BOM_UTF16_LE + AR.encode("utf-16-le"))), 1,
         finds("a.txt", ["الأرخص"])),
    Case("utf-16-be with BOM", one(("a.txt", codecs.BOM_UTF16_BE + AR.encode("utf-16-be"))), 1,
         finds("a.txt", ["الأرخص"])),
    Case("utf-16-le without BOM, emoji and presentation forms", one(("a.txt", UTF16.encode("utf-16-le"))), 1,
         finds("a.txt", ["الأرخص", "fastest"])),
    Case("utf-16-be without BOM, emoji and presentation forms", one(("a.txt", UTF16.encode("utf-16-be"))), 1,
         finds("a.txt", ["الأرخص", "fastest"])),
    Case("cp1256", one(("a.txt", AR.encode("cp1256"))), 1, finds("a.txt", ["الأرخص"])),
    Case("utf-8 with one bad byte", one(("a.txt", AR.encode()[:6] + b"\xff" + AR.encode()[6:] + b"\n" + EN.encode())),
         1, finds("a.txt", ["الأرخص", "fastest"], notice="at byte 6")),
    Case("utf-8 cut mid-character", utf8_cut, 1, finds("a.txt", ["fastest", "الأرخص"], notice="invalid utf-8")),
    Case("symlink loops (file, folders)", loops, 1, lambda r, e: notice("loop.txt", "loop")(r, e)
         or notice("d1", "folder, not followed")(r, e) or finds("ok.txt", ["fastest"])(r, e)),
    Case("symlink out of the root", symlink("/etc/passwd", "pw.txt"), 1, notice("pw.txt", "outside")),
    Case("symlink to /dev/zero", symlink("/dev/zero", "z.txt"), 1, notice("z.txt", "outside")),
    Case("device given by name", lambda d: ["/dev/zero"], 0, notice("zero", "device")),
    Case("FIFO", fifo, 1, notice("x.txt", "FIFO")),
    Case("permission denied (file)", unreadable_file, 1, deny_expect("secret.txt"), wrapper=DENY),
    Case("permission denied (folder)", unreadable_folder, 1, deny_expect("locked"), wrapper=DENY),
    Case("invalid JSON, the run goes on", one(("a.json", '{\n  "title": "x",\n  oops\n}'), ("b.txt", EN)), 1,
         lambda r, e: invalid_at("a.json", 3)(r, e) or finds("b.txt", ["fastest"])(r, e)),
    Case("JSON nested 100,000 deep", one(("a.json", deep_json(100_000))), 1, invalid_at("a.json", 1)),
    Case("JSON-LD nested 100,000 deep in HTML", one(("a.html", '<p>The fastest charger.</p><script type='
                                                    f'"application/ld+json">{deep_json(100_000)}</script>')),
         1, finds("a.html", ["fastest"])),
    Case("JSON lone surrogate escape", one(("a.json", '{"title": "\\udbff\\uffff The fastest charger"}')), 1,
         finds("a.json", ["fastest"])),
    Case("file name not UTF-8", lambda d: (d / os.fsdecode(b"bad\xff.txt")).write_text(EN) and ["."], 1,
         lambda r, e: [f["text"] for f in r["files"][0]["findings"]] == ["fastest"]),
    Case("unclosed HTML comment", one(("a.html", f"<p>{EN}</p>\n<!-- never closed")), 1, invalid_at("a.html", 2)),
    Case("front matter YAML error", one(("a.md", f"---\ntitle: [oops\n---\n\n{EN}\n")), 1,
         invalid_at("a.md", 3, also=["fastest"])),
    Case("front matter alias bomb", one(("a.md", f"---\n{BOMB}---\n\n{EN}\n")), 1,
         invalid_at("a.md", 6, also=["fastest"])),
    Case("config alias bomb", config(BOMB), 2, usage(".promiselint.yaml:", "aliases")),
    Case("rule pack alias bomb", config("packs: [p.yaml]\n", ("p.yaml", BOMB)), 2, usage("p.yaml:", "aliases")),
    Case("lexicon alias bomb", config("lexicons: [lex]\npacks: [p.yaml]\n", ("lex/en/x.yaml", BOMB),
                                      ("p.yaml", PACK.replace("'house'", "'{lex:x}'"))), 2, usage("x.yaml:", "aliases")),
    Case("claims registry alias bomb", config("claims: c.yaml\n", ("c.yaml", BOMB)), 2, usage("c.yaml:", "aliases")),
    Case("claims: 5", config("claims: c.yaml\n", ("c.yaml", "claims: 5\n")), 2, usage("c.yaml", "claims:")),
    Case("rule pack adjust: ['oops']", config("packs: [p.yaml]\n", ("p.yaml", PACK + "    adjust: ['oops']\n")),
         2, usage("p.yaml", "adjust")),
    Case("rule pack (a+)+$", config("packs: [p.yaml]\n", ("p.yaml", PACK.replace("'house'", "'(a+)+$'"))),
         2, usage("p.yaml", "(a+)+$", "nests")),
    Case("po msgstr ending in a backslash", one(("a.po", 'msgid "a"\nmsgstr "\\"\n')), 1, invalid_at("a.po", 2)),
    Case("po msgstr with U+0085 and U+2028", one(("a.po", f'msgid "a"\nmsgstr "x\u0085y\u2028 {EN}"\n')), 1,
         finds("a.po", ["fastest"])),
    Case("csv cell over 131,072 bytes", one(("a.csv", f'title,description\nA,"{"x " * 70_000}{EN}"\n')), 1,
         finds("a.csv", ["fastest"])),
    Case("csv unbalanced quote", one(("a.csv", f'title,description\nA,"{EN}\nB,{AR}\n')), 1,
         invalid_at("a.csv", 2, also=["fastest", "الأرخص"])),
    Case("over the size cap", config("max_file_bytes: 100\n", ("big.txt", EN * 10)), 1,
         lambda r, e: rules_of(r, "big.txt") == ["input.too-large"] and texts_of(r, "a.txt") == ["fastest"]),
    Case("baseline file is not checked", baseline_then_check, 0, no_findings),
]


def snapshot(root: Path) -> dict:
    """Every file under root (symlinks as their target) with its content hash, but the cache."""
    out = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".promiselint_cache"]
        for name in names:
            p = Path(folder, name)
            if p.is_symlink():
                out[p] = "-> " + os.readlink(p)
            elif p.is_file():
                out[p] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[p] = "special"
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()  # the project root: the cache lives here
    sentinel = write(tmp_path / "outside", "sentinel.txt", "keep")
    try:
        args = case.setup(project)
        before = snapshot(tmp_path)
        cmd = EXE if case.wrapper is None else [sys.executable, "-c", case.wrapper, args.pop(0)]
        proc = subprocess.run(cmd + ["check", "--format", "json", *args], cwd=project, capture_output=True,
                              timeout=120, preexec_fn=_bounded)
    finally:
        for p in project.rglob("*"):
            if not p.is_symlink():
                p.chmod(0o700)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 1, err
    assert proc.returncode == case.code, (proc.returncode, err, proc.stdout[:2000])
    report = json.loads(proc.stdout) if proc.returncode in (0, 1) else {}
    if proc.returncode == 2:
        assert err.strip() and not proc.stdout
    assert case.expect(report, err) is not False
    after = snapshot(tmp_path)
    assert after == before  # no input changed, nothing written outside the cache
    assert sentinel.read_text() == "keep"
