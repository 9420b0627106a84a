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
that other code checks with isinstance, or passes to `re` functions, eager; and
one that module-level code uses at import (it would compile there anyway).

When the project's regex store is on (match/regexstore.py `keep_from`), the
stand-ins compile through it (`compile_through`): a later run makes them from
the stored sre code instead of parsing them again.
"""
from __future__ import annotations

import re

_compiled = [0]  # stand-ins compiled in this process (tests count them)
_through = [None]  # the compile function stand-ins go through (None: re.compile)
_busy = [False]  # a compile through it is running (one it makes itself goes to re.compile)


def compile_through(compile_fn) -> None:
    """Compile the stand-ins with `compile_fn(pattern, flags)` from now on (None: re.compile)."""
    _through[0] = compile_fn


def _compile(pattern: str, flags: int) -> re.Pattern:
    through = _through[0]
    if through is None or _busy[0]:  # (reading the store may use a stand-in itself)
        return re.compile(pattern, flags)
    _busy[0] = True
    try:
        return through(pattern, flags)
    finally:
        _busy[0] = False


class LazyRegex:
    """`re.compile(pattern, flags)`, made the first time one of its attributes is read."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._regex = None
        self.pattern = pattern  # (the compiled one's: a regex built from it compiles nothing)

    def __getattr__(self, name: str):  # only for names not set yet: the first read of each
        if name.startswith("__"):  # (copy, pickle and friends probing for protocols)
            raise AttributeError(name)
        regex = self._regex
        if regex is None:
            regex = self._regex = _compile(*self._source)
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
