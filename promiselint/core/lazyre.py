"""Module-level regexes compiled on first use, not at import.

A module-level `re.compile` costs 0.05-0.5 ms at import whether or not the run
ever uses the pattern: a check of English pages never needs the Persian cues,
the JSON or PO readers' patterns or the did-you-mean of a bad rule id.
`lazy_compile(pattern, flags)` stands in for `re.compile(pattern, flags)`:

    _EMAIL = lazy_compile(r"[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+")
    ...
    _EMAIL.search(text)  # compiles here, the first time

It answers the methods and attributes of the compiled pattern (search, sub,
finditer, pattern, groupindex...).  The first read of each name compiles (once)
and keeps the compiled pattern's attribute on the stand-in, so later calls cost
what the compiled pattern's own do.  It is not an `re.Pattern`: keep a pattern
that other code checks with isinstance, or passes to `re` functions, eager.
"""
from __future__ import annotations

import re

_compiled = [0]  # stand-ins compiled in this process (tests count them)


class LazyRegex:
    """`re.compile(pattern, flags)`, made the first time one of its attributes is read."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._regex = None

    def __getattr__(self, name: str):  # only for names not set yet: the first read of each
        if name.startswith("__"):  # (copy, pickle and friends probing for protocols)
            raise AttributeError(name)
        regex = self._regex
        if regex is None:
            regex = self._regex = re.compile(*self._source)
            _compiled[0] += 1
        value = getattr(regex, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy_compile({self._source[0]!r}, {self._source[1]!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyRegex:
    """A stand-in for `re.compile(pattern, flags)` that compiles on first use."""
    return LazyRegex(pattern, flags)


def compiled_count() -> int:
    """How many stand-ins were compiled in this process so far."""
    return _compiled[0]
