"""One scan per block for all the rules of a language: which rules can match it.

The linter does not ask every rule about every block.  A `Matcher` holds the
block rules of one language in order; one scan of a block's folded text for
the literal anchors of all their patterns (a `Prefilter`, prefilter.py) names
the rules whose pattern may match there, and only those run their own pattern,
on that block.  Rules without a derivable anchor, and detectors, always run;
a rule none of whose anchors occurs cannot match, so the findings are those of
running every pattern everywhere.

The anchors are derived once per Linter and language: at once when the
Linter is `prepare()`d (before worker processes fork, so they inherit it),
else after the run has scanned `prefilter.warmup()` characters (a one-file
check never pays for the derivation).
"""
from __future__ import annotations

from .prefilter import Prefilter, conjunction


class Matcher:
    """The block rules of one language and the combined prefilter of their patterns."""

    def __init__(self, rules: list, lang: str, budget: int | None):
        self.lang = lang
        # (rule, its pattern for this language or None) in rule order
        self.entries = [(r, r.patterns.get(lang)) for r in rules if r.patterns.get(lang) is not None
                        or (r.detector and r.detector != "page")]
        self.budget = budget  # characters to scan before the prefilter is built (None: never)
        self.prefilter: Prefilter | None = None
        self.scans = 0  # block scans done with the prefilter (for tests and profiles)
        if budget is not None and budget <= 0:
            self.build()

    def build(self) -> None:
        if self.prefilter is None:
            self.prefilter = Prefilter({i: conjunction(p) for i, (_, p) in enumerate(self.entries)
                                        if p is not None})
            self.budget = 0

    def select(self, text: str) -> list[tuple]:
        """(rule, pattern or None) to run on `text`, in rule order: a pattern is
        None when none of its anchors occurs in `text` (it cannot match there);
        rules whose pattern cannot match and that have no detector are left out."""
        if self.prefilter is None:
            if self.budget is None:
                return self.entries
            self.budget -= len(text)
            if self.budget > 0:
                return self.entries
            self.build()
        self.scans += 1
        hits = self.prefilter.hits(text)
        out = []
        for i, (rule, pattern) in enumerate(self.entries):
            if pattern is not None and i not in hits:
                if not rule.detector or rule.detector == "page":
                    continue
                pattern = None
            out.append((rule, pattern))
        return out
