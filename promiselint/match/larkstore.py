"""A built lark LALR parser, kept between runs as plain JSON.

Building the parser of a grammar (lark's grammar analysis and LALR table) costs
tens of milliseconds per process; lark can serialize what it built
(`Lark.memo_serialize`, the data `Lark.save` pickles) and rebuild a parser from
it.  Here that data travels as JSON (never pickle: the cache folder holds data,
not code), with the two things JSON cannot say spelled out: integer dictionary
keys (the parse table's states) and tuples.  The custom lexer class and the
transformer are not data: they are given again when the parser is rebuilt.

Where it is kept is PACK_STORE's business (packs.py: the project layer installs
the compiled-packs cache, packcache.py, only when the CLI turns the cache on);
without a store every process builds the parser itself.
"""
from __future__ import annotations

_MAP, _TUPLE = "\0map", "\0tuple"  # (no key lark writes starts with a NUL)
_NOT_DATA = ("lexer", "transformer")  # options given again at load (a class, an object)
_builds = [0]  # parsers built from a grammar in this process (tests count them)


def builds() -> int:
    """How many parsers this process built from a grammar (not from the store)."""
    return _builds[0]


def import_lark():
    """`import lark` without its optional engine: lark.utils imports the third-party
    `regex` module whenever it is installed (about 10 ms of a run's set-up) and
    uses it only for a grammar built with `regex=True`, which no grammar here is.
    `regex` stays importable as usual by everything else."""
    import sys

    if "lark" not in sys.modules and "regex" not in sys.modules:
        sys.modules["regex"] = None  # (lark's `import regex` raises ImportError: it goes without)
        try:
            import lark  # noqa: F401
        finally:
            if "regex" in sys.modules and sys.modules["regex"] is None:
                del sys.modules["regex"]
    import lark

    return lark


def parser(grammar: str, lexer: type, transformer):
    """The LALR parser of `grammar` with a custom `lexer` class and `transformer`:
    rebuilt from the store when it holds it, else built (and then stored)."""
    from lark import Lark

    from .packs import PACK_STORE

    store = PACK_STORE[0]
    stored = store.get_parser(grammar) if store is not None else None
    if stored is not None:
        try:
            return _load(stored, lexer, transformer)
        except Exception:  # noqa: BLE001 - whatever a damaged entry raises inside lark, it is a miss
            pass
    _builds[0] += 1
    built = Lark(grammar, parser="lalr", lexer=lexer, transformer=transformer)
    if store is not None:
        try:
            store.put_parser(grammar, dump(built))
        except TypeError:
            pass  # (a lark whose data is not plain: nothing is stored)
    return built


def dump(lark) -> dict:
    """What rebuilds `lark` (JSON-ready)."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = lark.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _NOT_DATA}
    data["parser"]["lexer_conf"]["lexer_type"] = None
    return _encode({"data": data, "memo": memo})


def _load(stored: dict, lexer: type, transformer):
    from lark import Lark

    saved = _decode(stored)
    data = saved["data"]
    data["options"]["lexer"] = data["parser"]["lexer_conf"]["lexer_type"] = lexer
    lark = Lark._load_from_dict(data, saved["memo"], transformer=transformer)
    conf = lark.parse_interactive().parser_state.parse_conf
    if not conf.states or conf.start_state is None:
        raise ValueError("no parse table")
    return lark


def _encode(x):
    if isinstance(x, dict):
        if all(isinstance(k, str) and not k.startswith("\0") for k in x):
            return {k: _encode(v) for k, v in x.items()}
        return {_MAP: [[_encode(k), _encode(v)] for k, v in x.items()]}
    if isinstance(x, tuple):
        return {_TUPLE: [_encode(v) for v in x]}
    if isinstance(x, list):
        return [_encode(v) for v in x]
    if x is None or isinstance(x, (str, int, float, bool)):
        return x
    raise TypeError(f"not data: {type(x).__name__}")


def _decode(x):
    if isinstance(x, dict):
        if _MAP in x:
            return {_decode(k): _decode(v) for k, v in x[_MAP]}
        if _TUPLE in x:
            return tuple(_decode(v) for v in x[_TUPLE])
        return {k: _decode(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_decode(v) for v in x]
    return x
