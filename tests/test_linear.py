"""Checking time grows linearly with the input, on the shapes that were quadratic.

Quadrupling an adversarial input may at most about quadruple the work:
claims back to back (the dedupe and yield steps compared every finding with
every other), one huge block without punctuation (conditions read the whole
block per candidate), a long line of minified HTML, a big JSON table, lone-CR
lines, Markdown full of escapes, a CSV feed.  Work is CPU time of this process, best of
three runs, compared as a ratio with a bound halfway (in log scale) between
linear (4) and quadratic (16), so that a busy CI machine cannot make a linear
step fail; no assertion is about seconds.
"""
from __future__ import annotations

import gc
import json
import time

import pytest

import promiselint

SHAPES = {  # name: (format, unit of copy, repetitions at the smaller size)
    "claims back to back": ("txt", "The fastest charger. الأرخص في المملكة. سریع‌ترین ارسال. ", 200),
    "block without punctuation (en)": ("txt", "the fastest charger and ", 250),
    "block without punctuation (fa)": ("txt", "سریع‌ترین ارسال و ", 250),
    "block without punctuation (ar)": ("txt", "الأرخص في المملكة و ", 300),
    "delivery promises in one block": ("txt", "free 24-hour delivery and ", 250),
    "lone CR line ends": ("txt", "The fastest charger\r", 300),
    "minified HTML line": ("html", "<div><p>The fastest charger</p><a href='/x'>best deal</a></div>", 300),
    "Markdown escapes and entities": ("md", "The fastest\\! charger &amp; more, سریع&zwnj;ترین\n\n", 150),
    "JSON table": ("json", None, 300),
}
GROWTH = 4  # the larger input is this many times the smaller
BOUND = 8.0  # linear work gives about 4, quadratic about 16


def make(fmt: str, unit: str | None, n: int) -> str:
    if unit is None:  # a locale table: one key per string
        return json.dumps({f"key{i}": f"The fastest charger, model {i}" for i in range(n)})
    return unit * n


def work(text: str, fmt: str) -> tuple[float, int]:
    """(CPU seconds, findings) of the best of three checks, garbage collected before each."""
    best, found = float("inf"), 0
    for _ in range(3):
        gc.collect()
        t = time.process_time()
        found = len(promiselint.check_text(text, format=fmt).findings)
        best = min(best, time.process_time() - t)
    return best, found


def growth(name: str) -> tuple[float, int, int]:
    """(work ratio when the input grows GROWTH times, findings at n, findings at GROWTH·n)."""
    fmt, unit, n = SHAPES[name]
    work(make(fmt, unit, n // 4), fmt)  # warm: language stacks, prefilters
    small, found_small = work(make(fmt, unit, n), fmt)
    large, found_large = work(make(fmt, unit, GROWTH * n), fmt)
    return large / small, found_small, found_large


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_quadrupling_the_input_at_most_about_quadruples_the_work(name):
    ratio, found_small, found_large = growth(name)
    assert found_small > 0 and found_large >= GROWTH * (found_small - 1), (found_small, found_large)
    assert ratio < BOUND, f"{name}: work grew {ratio:.2f}x when the input grew {GROWTH}x"


def test_csv_feed_parse_is_linear():
    """Each cell is found in the source from a moving cursor; an unquoted cell's quoted
    form was looked for up to the end of the file (a 1 MB feed took 8 s to parse)."""
    from promiselint.formats.csvfile import parse_csv

    def parse(n: int) -> float:
        text = "title,description,sku,price\n" + "A cable,a plain cable for the desk,sku-1,10\n" * n
        best = float("inf")
        for _ in range(3):
            gc.collect()
            t = time.process_time()
            doc = parse_csv(text, "feed.csv")
            best = min(best, time.process_time() - t)
        assert len(doc.blocks) >= 2 * n
        return best

    parse(500)
    ratio = parse(4 * 4000) / parse(4000)
    assert ratio < BOUND, f"CSV parse grew {ratio:.2f}x when the feed grew 4x"


def test_dedupe_and_yield_agree_with_the_pairwise_definition():
    """The sweeps return what comparing every pair of findings returned."""
    import random

    from promiselint.checks.linter import _dedupe, _Spans
    from promiselint.core.findings import Finding, severity_rank

    def pairwise_dedupe(findings):
        findings.sort(key=lambda f: (f.offset, -severity_rank(f.severity), -(f.end_offset - f.offset)))
        kept = []
        for f in findings:
            clash = None if f.category == "disclosure" else next(
                (k for k in kept if k.category == f.category and k.offset < f.end_offset
                 and f.offset < k.end_offset), None)
            if clash is None:
                kept.append(f)
            elif severity_rank(f.severity) > severity_rank(clash.severity):
                kept[kept.index(clash)] = f
        return kept

    rng = random.Random(9)
    for _ in range(300):
        findings = []
        for i in range(rng.randint(0, 25)):
            a = rng.randint(0, 60)
            findings.append(Finding(f"r{i}", rng.choice(["superlative", "promise", "disclosure"]),
                                    rng.choice(["info", "warning", "error"]), "", a, a + rng.randint(0, 12),
                                    "", "en"))
        assert [id(f) for f in _dedupe(list(findings))] == [id(f) for f in pairwise_dedupe(list(findings))]
        spans = _Spans(findings)
        for _ in range(10):
            a = rng.randint(0, 70)
            b = a + rng.randint(0, 10)
            assert spans.overlaps(a, b) == any(f.offset < b and a < f.end_offset for f in findings)


def test_very_long_runs_split_at_punctuation_without_the_language_stacks(monkeypatch):
    """spaCy refuses texts over 1,000,000 characters; a run between line breaks longer
    than LONG_CHUNK is split at punctuation, and a run of abbreviations is not re-read."""
    from promiselint.text import sentences as analyze

    def refuse():
        raise AssertionError("language stack used on a very long run")

    monkeypatch.setattr(analyze, "_spacy", refuse)
    monkeypatch.setattr(analyze, "_hazm", refuse)
    text = "no. 1 fastest st. mr. " * (analyze.LONG_CHUNK // 20)  # (normalized text)
    spans = analyze.sentences(text, "en")
    assert spans and all(0 <= s < e <= len(text) for s, e in spans)


def test_pattern_runs_per_block_do_not_grow_with_the_number_of_rules(tmp_path, monkeypatch):
    """One anchor scan per block and language names the rules to run: 200 more
    rules whose words are absent add no pattern run at all, and one whose word
    occurs once adds exactly one (counts of work, not time)."""
    import random
    import sys
    from pathlib import Path

    from promiselint.checks import linter as engine
    from promiselint.project.api import lint_text

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import pages

    monkeypatch.setenv("PROMISELINT_PREFILTER", "eager")
    rng = random.Random(5)
    page = "".join(pages.product_page(rng, lang, 8, claim_rate=0.2) for lang in ("en", "ar", "fa"))
    page = page.replace("Hand-finished", "Hand-finished zqvxw3", 1)
    assert "zqvxw3" in page

    def pack(n: int) -> Path:
        rules = "".join(f"  - id: claim.house{i}\n    message: m\n    match: {{en: 'zqvxw{i}'}}\n" for i in range(n))
        path = tmp_path / f"pack{n}.yaml"
        path.write_text("rules:\n" + rules, encoding="utf-8")
        return path

    real = engine._candidates
    counts: dict = {}

    def counting(rule, pattern, lang, text, settings):
        if pattern is not None:
            counts["runs"] = counts.get("runs", 0) + 1
        return real(rule, pattern, lang, text, settings)

    monkeypatch.setattr(engine, "_candidates", counting)
    work = {}
    for n in (0, 5, 200):
        counts.clear()
        linter = engine.Linter(engine.Settings(packs=[pack(n)] if n else []))
        found = lint_text(linter, page, "html", "page.html").findings
        scans = sum(m.scans for m in linter.matchers.values())
        work[n] = (counts["runs"], scans, len([f for f in found if f.rule.startswith("claim.house")]))
    assert work[0][2] == 0 and work[5][2] == work[200][2] == 1, work
    assert work[5][0] == work[0][0] + 1 and work[200][0] == work[5][0], work  # only the rule that hits runs
    assert work[0][1] == work[5][1] == work[200][1], work  # one scan per block and language, however many rules


def test_a_guarded_window_costs_the_window_not_the_whole_block():
    """A condition asks whether a cue may occur in a few dozen characters around a
    match (conditions.covers); the anchor automaton reads every character of the
    string it is given, whatever the bounds, so a window of a long block is cut
    out first (each candidate of a 1 MB block scanned the whole block: quadratic)."""
    import re

    from promiselint.match.prefilter import Guarded

    guarded = Guarded(re.compile(r"best regards|kind regards"), 0)

    def cost(size: int) -> float:
        text = "the fastest charger " * (size // 20)
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            for pos in range(0, 40_000, 20):
                assert guarded.absent(text, pos, pos + 80)
            best = min(best, time.process_time() - t)
        return best

    assert cost(1_000_000) / cost(62_500) < 4  # (16x the block: about 1x now, about 16x when it scanned it)
