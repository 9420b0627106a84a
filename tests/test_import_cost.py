"""What a plain English check loads besides what it lints with (issue #10): the
modules it never imports, and the module-level regexes it never compiles
(core/lazyre.py).  Counted in a fresh process, never timed."""
from __future__ import annotations

import copy
import re

import pytest

from promiselint.core import lazyre
from promiselint.core.lazyre import LazyRegex, lazy_compile

from .probe import run_probe

PAGE = """<!doctype html><html lang="en"><head><title>Kettle</title></head><body>
<nav><a href="/">Home</a></nav>
<main><h1>Steel kettle</h1><p>The fastest kettle we sell boils in 90 seconds.</p>
<p>Price: $49. Free delivery within 2 days.</p></main>
<footer><a href="/privacy">Privacy policy</a></footer></body></html>
"""

# what a check of clean English HTML pages never needs: html.parser (htmlscan reads
# them), other commands, reports and
# formats, the did-you-mean of a bad rule id, the language stacks, YAML (rule
# packs come from the pack cache), schema validation
NOT_IMPORTED = (
    "difflib", "yaml", "jsonschema", "spacy", "hazm", "subprocess", "html.parser", "promiselint.formats.htmlstd",
    "promiselint.lsp", "promiselint.service", "promiselint.catalog", "promiselint.cli.textcmd",
    "promiselint.report.sarif", "promiselint.report.text", "promiselint.report.github",
    "promiselint.report.codequality", "promiselint.report.docs",
    "promiselint.formats.po", "promiselint.formats.csvfile", "zipfile",
    "promiselint.formats.docx", "promiselint.formats.odt", "promiselint.formats.markdown",
)

# (counts every compile the `re` module makes, by who asked: a module's top level or
# not; every pattern parsed, by `re` or by the regex store; and the lazy stand-ins)
COUNT_COMPILES = """
before = set(sys.modules)
import gc, re._compiler, re._parser
_real_compile, _real_parse = re._compiler.compile, re._parser.parse
at_import, parsed = [], []

def _counting(pattern, flags=0):
    f = sys._getframe(1)
    while f is not None and f.f_globals.get("__name__") in ("re", "re._compiler"):
        f = f.f_back
    name = f.f_globals.get("__name__", "") if f is not None else ""
    if name.startswith("promiselint") and f.f_code.co_name == "<module>":
        at_import.append(name)
    return _real_compile(pattern, flags)

def _parsing(pattern, *args):
    parsed.append(pattern)
    return _real_parse(pattern, *args)

def _report():
    lazy = [o for o in gc.get_objects() if type(o).__name__ == "LazyRegex"]
    made = {o._source[0] for o in lazy if o._regex is not None}
    return {"modules": sorted(set(sys.modules) - before), "at_import": at_import, "standins": len(lazy),
            "lazy": len(made), "lazy_parsed": sorted(made & {p for p in parsed if isinstance(p, str)})}

re._compiler.compile, re._parser.parse = _counting, _parsing
"""


@pytest.fixture(scope="module")
def plain_check(tmp_path_factory) -> dict:
    """What a warm check (pack cache and regex store filled by earlier runs) of three English pages did."""
    project = tmp_path_factory.mktemp("store")
    (project / "pyproject.toml").write_text("", encoding="utf-8")  # the project root: the pack cache
    for i in range(3):
        (project / f"p{i}.html").write_text(PAGE.replace("90", str(90 + i)), encoding="utf-8")
    cold, _ = run_probe(project, COUNT_COMPILES, "_report()", "--no-cache", ".")
    run_probe(project, COUNT_COMPILES, "_report()", "--no-cache", ".")  # (stores the few a cold run did not use)
    did, report = run_probe(project, COUNT_COMPILES, "_report()", "--no-cache", ".")
    did["report"], did["cold"] = report, cold
    return did


def test_a_plain_check_imports_only_what_it_uses(plain_check):
    assert plain_check["report"]["summary"]["findings"] > 0
    imported = set(plain_check["modules"])
    assert sorted(imported & set(NOT_IMPORTED)) == []
    assert "promiselint.formats.html" in imported and "promiselint.core.lazyre" in imported


def test_a_plain_check_compiles_few_regexes_at_import(plain_check):
    """Module-level regexes compile on first use (before lazyre: 98 at import), less
    than half of them in an English check of HTML pages, and from the project's regex
    store once a run has stored them: a warm run parses none of them."""
    assert len(plain_check["at_import"]) <= 12, sorted(plain_check["at_import"])  # (8: the cache's, and
    #                                                             three that module-level code uses at import)
    for module in ("promiselint.core.findings", "promiselint.formats.html", "promiselint.text.normalize",
                   "promiselint.checks.disclosure_evidence", "promiselint.match.conditions"):
        assert module not in plain_check["at_import"]
    assert 0 < plain_check["lazy"] < plain_check["standins"] / 2
    assert plain_check["cold"]["lazy_parsed"]  # the first run parses them (and stores them)
    assert plain_check["lazy_parsed"] == []  # the next one makes them from the stored code


# -- the stand-in itself ------------------------------------------------------------

def test_a_lazy_regex_compiles_once_on_first_use():
    before = lazyre.compiled_count()
    word = lazy_compile(r"(?P<word>\w+)-(\d+)", re.I)
    assert word.pattern == r"(?P<word>\w+)-(\d+)"  # (a regex built from it compiles nothing)
    assert lazyre.compiled_count() == before and word._regex is None  # nothing compiled yet
    real = re.compile(r"(?P<word>\w+)-(\d+)", re.I)
    text = "Kettle-2 and TOASTER-14, kettle-x"
    assert [m.span() for m in word.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert word.sub(r"\2", text) == real.sub(r"\2", text)
    assert word.search(text, 10).groupdict() == real.search(text, 10).groupdict()
    assert (word.pattern, word.flags, word.groups, word.groupindex) == (real.pattern, real.flags, real.groups,
                                                                       real.groupindex)
    assert word.fullmatch("a-1") and not word.match("-1")
    assert lazyre.compiled_count() == before + 1  # every method above shared one compile
    assert "search" in vars(word)  # later calls read a plain attribute (no __getattr__)


def test_a_lazy_regex_reports_a_bad_pattern_on_first_use():
    bad = lazy_compile("(unclosed")
    for _ in range(2):  # every time, as re.compile would
        with pytest.raises(re.error):
            bad.search("x")
    with pytest.raises(AttributeError):
        lazy_compile("ok").no_such_method  # noqa: B018 - the compiled pattern's own AttributeError


def test_a_lazy_regex_is_not_mistaken_for_a_protocol():
    lazy = lazy_compile("a+")
    assert not hasattr(lazy, "__iter__") and lazy._regex is None  # probes for dunders compile nothing
    assert copy.copy(lazy).match("aa").end() == 2
    assert repr(lazy) == "lazy_compile('a+', 0)"
    assert isinstance(lazy, LazyRegex)


def test_lazy_regexes_compile_through_the_store_when_it_is_on(monkeypatch):
    asked = []
    inner = lazy_compile("b+")

    def store_compile(pattern, flags=0):  # a store whose own reading uses a stand-in
        asked.append(pattern)
        assert inner.match("bb")  # (compiled by re meanwhile: no endless recursion)
        return re.compile(pattern, flags)

    monkeypatch.setattr(lazyre, "_through", [None])
    lazyre.compile_through(store_compile)
    assert lazy_compile("a+").match("aa").end() == 2 and asked == ["a+"]
    lazyre.compile_through(None)
    assert lazy_compile("c+").match("cc") and asked == ["a+"]
