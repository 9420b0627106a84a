"""Compiled regexes kept between runs: the sre code of the data-derived patterns.

`re.compile` is two Python passes (`re._parser.parse`, `re._compiler._code`)
and one C call, `_sre.compile(pattern, flags, code, groups, groupindex,
indexgroup)`.  For the large patterns built from the rule packs and lexicons
the Python passes are most of a run's fixed cost; the C call from stored code
is a fraction of a millisecond.  `compile` here keeps the C call's arguments
of what it compiles and, when the project layer hands it a store (packcache.use,
only when the CLI turns the project cache on), calls `_sre.compile` with them
on the next run instead of parsing again.

This uses CPython's private interface (`re._parser`, `re._compiler`, `_sre`):
every use is guarded, the store is keyed on the exact interpreter (`interpreter()`)
so another Python never reads it, and anything unexpected (another
implementation, a probe that does not compile as `re` does, an entry that does
not load, a `_sre.compile` that raises, a result whose pattern, flags, groups or
group names differ from what was asked) falls back silently to `re.compile`.
Without a store `compile` is `re.compile`.  Entries are plain JSON (the code as
base64 of its 32-bit words): data, never pickle or marshal.  Each carries a
sha256 of everything it holds, pattern included, so that a damaged entry or one
holding another pattern's code is a miss (the cache folder is trusted as the rest
of it is: someone who may write there may also rewrite the compiled rule packs).
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache

from promiselint.core import lazyre

_read: list = [None]  # the project layer's reader of the stored entries (None: no store)
_stored: list = [None]  # {(pattern, flags): entry} once read, or None (not read yet)
_made: dict = {}  # (pattern, flags) -> Pattern made from the store (shared with forked workers)
_learned: dict = {}  # (pattern, flags) -> entry compiled anew in this process (stored at the end)
_sent = [0]  # _learned entries that are the parent's (a worker sends back only those after)
_counts = {"stored": 0, "parsed": 0}  # patterns made from the store / parsed, in this process


def keep_from(read) -> None:
    """Compile through the entries `read()` returns (a list, or None when none are
    kept), recording what is compiled anew; None: plain `re.compile`, nothing kept."""
    _read[0] = read
    lazyre.compile_through(compile if read is not None else None)  # (module-level regexes too)
    _stored[0] = None
    _made.clear()
    _learned.clear()
    _sent[0] = 0


def counts() -> dict:
    """{"stored": patterns made from stored code, "parsed": parsed anew} in this process."""
    return dict(_counts)


def compile(pattern, flags=0) -> re.Pattern:  # noqa: A001 - re.compile's stand-in
    """`re.compile(pattern, flags)`, from the stored code when the store holds it."""
    if _read[0] is None or not isinstance(pattern, str) or not isinstance(flags, int) or not _supported():
        return re.compile(pattern, flags)
    flags = int(flags)  # (a RegexFlag: its value, as re keys its cache)
    key = (pattern, flags)
    made = _made.get(key)
    if made is not None:
        return made
    entry = _entries().get(key)
    made = _load(pattern, flags, entry) if entry is not None else None
    if made is not None:
        _counts["stored"] += 1
    else:
        made, entry = _parse(pattern, flags)
        if entry is not None:
            _counts["parsed"] += 1
            _learned[key] = entry
    _made[key] = made
    return made


def warm(wanted=None) -> int:
    """Make every stored pattern (for which `wanted(pattern)` holds) now: before worker
    processes fork, so that they share them and compile none of them; how many were made."""
    if _read[0] is None or not _supported():
        return 0
    n = 0
    for (pattern, flags), entry in _entries().items():
        if (pattern, flags) not in _made and (wanted is None or wanted(pattern)):
            made = _load(pattern, flags, entry)
            if made is not None:
                _made[(pattern, flags)] = made
                _counts["stored"] += 1
                n += 1
    return n


def learned() -> list:
    """The entries compiled anew in this process (JSON-ready), to store for the next run."""
    return [[p, f, *entry] for (p, f), entry in _learned.items()]


def mark_shared() -> None:
    """What this process compiled so far is its workers' too (call before forking):
    a worker's `take_learned` returns only what it compiles after."""
    _sent[0] = len(_learned)


def take_learned() -> list:
    """In a worker: the entries compiled anew since the last call (to hand to the parent)."""
    new = learned()[_sent[0]:]
    _sent[0] = len(_learned)
    return new


def adopt(entries: list) -> None:
    """Entries a worker compiled anew, stored at the end of this (the parent's) run."""
    for item in entries:
        _learned.setdefault((item[0], item[1]), item[2:])


@lru_cache(maxsize=1)
def interpreter() -> str:
    """What the stored code depends on: this exact interpreter and its sre engine."""
    import _sre
    import unicodedata

    return " ".join(map(str, (sys.implementation.cache_tag, sys.version, sys.byteorder, _sre.MAGIC,
                              _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS, unicodedata.unidata_version)))


def _entries() -> dict:
    if _stored[0] is None:
        try:
            items = _read[0]() or []
            _stored[0] = {(item[0], item[1]): item[2:] for item in items
                          if isinstance(item, list) and len(item) == 7
                          and isinstance(item[0], str) and type(item[1]) is int}
        except Exception:  # noqa: BLE001 - a store that does not read is an empty one
            _stored[0] = {}
    return _stored[0]


def _load(pattern: str, flags: int, entry: list) -> re.Pattern | None:
    """The pattern made from a stored entry [final flags, groups, group names, code,
    digest], or None when it does not give exactly what was asked."""
    import _sre

    try:
        final, groups, names, code, digest = entry
        if type(final) is not int or final & flags != flags or type(groups) is not int \
                or not isinstance(names, dict) or not isinstance(code, str) \
                or digest != _digest(pattern, flags, final, groups, names, code):
            return None
        index = [None] * (groups + 1)
        for name, i in names.items():
            if type(i) is not int or not 0 < i <= groups or index[i] is not None \
                    or f"(?P<{name}>" not in pattern:
                return None
            index[i] = name
        made = _sre.compile(pattern, final, _words(code), groups, dict(names), tuple(index))
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises (RuntimeError: invalid code...), a miss
        return None
    if made.pattern != pattern or made.flags != final or made.groups != groups or made.groupindex != names:
        return None
    return made


def _parse(pattern: str, flags: int) -> tuple[re.Pattern, list | None]:
    """(the compiled pattern, its entry) as re._compiler.compile makes it; (re.compile's
    pattern, None) when that does not go as expected (or the pattern is bad: re.error)."""
    import _sre
    from re import _compiler, _parser

    try:
        if flags & (re.DEBUG | re.TEMPLATE):
            raise ValueError("not stored")
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        index = [None] * state.groups
        for name, i in state.groupdict.items():
            index[i] = name
        final = flags | state.flags
        made = _sre.compile(pattern, final, code, state.groups - 1, state.groupdict, tuple(index))
        entry = [final, state.groups - 1, dict(state.groupdict), _text(code)]
        entry.append(_digest(pattern, flags, *entry))
    except Exception:  # noqa: BLE001 - re.compile says what is wrong (or compiles as it always does)
        return re.compile(pattern, flags), None
    return made, entry


def _digest(pattern: str, flags: int, final: int, groups: int, names: dict, code: str) -> str:
    import hashlib

    head = "\0".join([str(flags), str(final), str(groups), *(f"{k}={v}" for k, v in sorted(names.items()))])
    return hashlib.sha256(f"{head}\0{pattern}\0{code}".encode("utf-8", "surrogatepass")).hexdigest()


def _text(code: list) -> str:
    import base64
    from array import array

    return base64.b64encode(array("I", code).tobytes()).decode("ascii")


def _words(text: str) -> list:
    import base64
    from array import array

    return array("I", base64.b64decode(text.encode("ascii"), validate=True)).tolist()


@lru_cache(maxsize=1)
def _supported() -> bool:
    """This interpreter compiles as `_parse` and `_load` expect (CPython's sre, 32-bit
    code words): a probe made both ways matches alike."""
    try:
        import _sre
        from array import array

        if sys.implementation.name != "cpython" or array("I").itemsize != _sre.CODESIZE:
            return False
        probe = r"(?P<word>[^\W\d_]+)\s*(\d+)?|(?i:x{2,})"
        made, entry = _parse(probe, 0)
        again = _load(probe, 0, entry) if entry is not None else None
        plain = re.compile(probe)
        text = "Ab 12 xXx c"
        return again is not None and all(
            (r.pattern, r.flags, r.groups, dict(r.groupindex), [m.span(0) for m in r.finditer(text)],
             [m.groups() for m in r.finditer(text)])
            == (plain.pattern, plain.flags, plain.groups, dict(plain.groupindex),
                [m.span(0) for m in plain.finditer(text)], [m.groups() for m in plain.finditer(text)])
            for r in (made, again))
    except Exception:  # noqa: BLE001 - anything unexpected: plain re.compile
        return False
