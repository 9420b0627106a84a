"""One scan per block for all the rules of a language: which rules can match it.

The linter does not ask every rule about every block.  A `Matcher` holds the
block rules of one language in order; one scan of a block's folded text for
the literal anchors of all their patterns (a `Prefilter`, prefilter.py) names
the rules whose pattern may match there, and only those run their own pattern,
on that block.  Rules without a derivable anchor, and detectors, always run;
a rule none of whose anchors occurs cannot match, so the findings are those of
running every pattern everywhere.  A selected pattern with leads (leads.py)
runs only at the positions where its matches can start, found by one more
literal scan.  A short text seen before (nav, footer, a repeated note) gets
its earlier selection back.

The anchors and leads are derived once per Linter and language: at once when the
Linter is `prepare()`d (before worker processes fork, so they inherit it),
else after the run has scanned `prefilter.warmup()` characters (a one-file
check never pays for the derivation).
"""
from __future__ import annotations

from .leads import Starts, Windows, leads
from .prefilter import Prefilter, conjunction


_SEEN = 4096  # texts whose selection is kept (then forgotten all at once)
_SEEN_CHARS = 1000  # ... if no longer than this (boilerplate is short)


class Matcher:
    """The block rules of one language and the combined prefilter of their patterns."""

    def __init__(self, rules: list, lang: str, budget: int | None):
        self.lang = lang
        # (rule, its pattern for this language or None) in rule order
        self.entries = [(r, r.patterns.get(lang)) for r in rules if r.patterns.get(lang) is not None
                        or (r.detector and r.detector != "page")]
        self.budget = budget  # characters to scan before the prefilter is built (None: never)
        self.prefilter: Prefilter | None = None
        self.windows: Windows | None = None  # where the patterns with leads can start (leads.py)
        self.compiled: dict = {}  # entry -> its compiled pattern
        self.seen: dict = {}  # text -> what select() gave for it (pages repeat their nav, footer, notes)
        # entries with a detector: they run on every block
        self.detected = frozenset(i for i, (r, _) in enumerate(self.entries) if r.detector and r.detector != "page")
        self.scans = 0  # block scans done with the prefilter (for tests and profiles)
        if budget is not None and budget <= 0:
            self.build()

    def build(self) -> None:
        if self.prefilter is None:
            self.prefilter = Prefilter({i: conjunction(p) for i, (_, p) in enumerate(self.entries)
                                        if p is not None})
            found = {i: _leads(p) for i, (_, p) in enumerate(self.entries) if p is not None}
            self.windows = Windows({i: got for i, got in found.items() if got is not None})
            self.budget = 0

    def select(self, text: str) -> list[tuple]:
        """(rule, pattern or None) to run on `text`, in rule order: a pattern is
        None when none of its anchors occurs in `text` (it cannot match there);
        rules whose pattern cannot match and that have no detector are left out.
        A pattern with leads comes as a `Starts`, tried only where a match can start."""
        if self.prefilter is None:
            if self.budget is None:
                return self.entries
            self.budget -= len(text)
            if self.budget > 0:
                return self.entries
            self.build()
        if len(text) > _SEEN_CHARS:
            return self._select(text)
        got = self.seen.get(text)
        if got is None:
            if len(self.seen) >= _SEEN:
                self.seen.clear()
            got = self.seen[text] = self._select(text)
        return got

    def _select(self, text: str) -> list[tuple]:
        self.scans += 1
        hits = self.prefilter.hits(text)
        wanted = self.windows.keys.intersection(hits)
        spans = self.windows.ranges(text, wanted) if wanted else {}
        chosen = self.detected.union(hits)
        out = []
        for i in sorted(chosen) if len(chosen) > 1 else chosen:
            rule, pattern = self.entries[i]
            if i in spans:
                where = spans[i]
                if where is not None:  # (None: most of the text, the plain scan)
                    if not where:
                        if i not in self.detected:
                            continue  # no lead occurs: no match
                        pattern = None
                    else:
                        pattern = Starts(self.regex(i), where)
            elif i not in hits:
                pattern = None
            out.append((rule, pattern))
        return out

    @property
    def windowed(self) -> frozenset:
        """The entries whose pattern has leads (once built)."""
        return self.windows.keys if self.windows is not None else frozenset()

    def regex(self, i: int):
        """Entry i's compiled pattern (a LazyPattern compiles on first use)."""
        got = self.compiled.get(i)
        if got is None:
            pattern = self.entries[i][1]
            got = self.compiled[i] = getattr(pattern, "regex", pattern)
        return got


def _leads(pattern):
    """The pattern's leads (leads.py), None when it has none or is not a plain regex source."""
    source = pattern if isinstance(pattern, str) else getattr(pattern, "pattern", None)
    if not isinstance(source, str):
        return None
    return leads(str(source), 0 if isinstance(pattern, str) else int(pattern.flags))
