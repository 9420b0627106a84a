"""A gate for a regex: a run of single characters that every match of it holds.

`gate(pattern)` walks the pattern's parse tree (`re._parser`) for runs of
single-character elements that each match holds one right after another (a
literal, a class, the fixed part of a repeat such as `\\d{5}`) and compiles the
longest (of two or more).  Searching for it is a quick scan (re skips ahead to
its first character); a text without it cannot match the pattern, which then
need not run.  A pattern that is one alternation gets the alternation of its
branches' gates.  None: no such run.
"""
from __future__ import annotations

import re
from re import _constants as C
from re import _parser as P

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
               C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL | re.MULTILINE
_LONGEST = 8  # characters of a repeat kept in a run


def _in_class(code: int) -> str:
    ch = chr(code)
    return "\\" + ch if ch in "\\]^-[" else ch


def _char(op, av) -> str | None:
    """The regex of one single-character element, or None if it is not one."""
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.NOT_LITERAL:
        return f"[^{_in_class(av)}]"
    if op is C.ANY:
        return "(?s:.)"
    if op is not C.IN:
        return None
    parts = []
    for o, a in av:
        if o is C.NEGATE:
            parts.insert(0, "^")
        elif o is C.LITERAL:
            parts.append(_in_class(a))
        elif o is C.RANGE:
            parts.append(f"{_in_class(a[0])}-{_in_class(a[1])}")
        elif o is C.CATEGORY and a in _CATEGORIES:
            parts.append(_CATEGORIES[a])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _flat(items):
    """The elements of a sequence, groups without flags opened in place."""
    for op, av in items:
        if op is C.SUBPATTERN and not av[1] and not av[2]:
            yield from _flat(av[3])
        else:
            yield op, av


def _runs(items) -> list[list[str]]:
    """Every run of single-character elements each match holds in a row."""
    runs, run = [], []
    for op, av in _flat(items):
        ch = _char(op, av)
        if ch is not None:
            run.append(ch)
            continue
        if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 and (ch := _char(*av[2][0])) is not None:
            lo, hi = av[0], av[1]
            run.extend([ch] * min(lo, _LONGEST))
            if lo == hi and lo <= _LONGEST:
                continue
            runs.append(run)  # (the repeat's first `lo` end this run, its last `lo` start the next)
            run = [ch] * min(lo, _LONGEST)
            continue
        runs.append(run)  # an alternation, an optional part, an assertion...: the run ends
        run = []
    runs.append(run)
    return runs


def _source(items) -> str | None:
    if len(items) == 1 and items[0][0] is C.BRANCH:
        branches = [_source(list(b)) for b in items[0][1][1]]
        return None if None in branches else "|".join(f"(?:{b})" for b in branches)
    best = max(_runs(items), key=len)
    return "".join(best) if len(best) >= 2 else None


def gate(pattern: str) -> re.Pattern | None:
    """A regex every match of `pattern` holds a match of, or None (see the module)."""
    tree = P.parse(pattern)
    source = _source(list(tree.data))
    return re.compile(source, tree.state.flags & _FLAGS) if source else None
