"""A grammar's LALR parse table: built by lark once, then kept between runs as plain data.

Building a grammar's parser costs a run about 25 ms of importing lark and
tens of milliseconds of grammar analysis.  What parsing needs of it is plain
data: the table's actions and, per rule, what a reduction hands the
transformer (lalr.py's form; `build` reads it off lark's parser).  That is
what is kept, as JSON (never pickle: the cache folder holds data, not code),
and a run that finds it loads it with `lalr.load` and imports no lark.  A
stored entry `lalr.load` refuses is a miss: built afresh and stored again.

Where it is kept is PACK_STORE's business (packs.py: the project layer installs
the compiled-packs cache, packcache.py, only when the CLI turns the cache on);
without a store every process builds the table itself.
"""
from __future__ import annotations

from . import lalr

_builds = [0]  # tables built from a grammar in this process (tests count them)


def builds() -> int:
    """How many tables this process built from a grammar (not from the store)."""
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


def table(grammar: str) -> lalr.Table:
    """The LALR table of `grammar`: from the store when it holds a well-formed one,
    else built with lark (and then stored)."""
    from .packs import PACK_STORE

    store = PACK_STORE[0]
    stored = store.get_parser(grammar) if store is not None else None
    if stored is not None:
        try:
            return lalr.load(stored)
        except ValueError:
            pass  # (damaged or tampered: a miss)
    _builds[0] += 1
    data = build(grammar)
    if store is not None:
        store.put_parser(grammar, data)
    return lalr.load(data)


def lark_parser(grammar: str, transformer=None):
    """lark's own LALR parser of `grammar`, over tokens given to `parse` as a list
    (lark Tokens), `transformer` inline: what `build` reads, and what the tests
    check lalr.Parser against."""
    import_lark()
    from lark import Lark
    from lark.lexer import Lexer

    class _Given(Lexer):  # the tokens come from the caller, not from characters
        def __init__(self, conf):
            pass

        def lex(self, tokens):
            return iter(tokens)

    return Lark(grammar, parser="lalr", lexer=_Given, transformer=transformer)


def build(grammar: str) -> dict:
    """The table of `grammar` as lark builds it (lalr.py's form, JSON-ready)."""
    built = lark_parser(grammar)
    from lark.parsers.lalr_analysis import Shift

    conf = built.parse_interactive().parser_state.parse_conf
    rules: list = []
    numbers: dict = {}  # lark's rule -> its index in `rules`

    def number(rule) -> int:
        if rule not in numbers:
            numbers[rule] = len(rules)
            rules.append(_rule(rule, built.options.maybe_placeholders))
        return numbers[rule]

    ids = {state: i for i, state in enumerate(conf.states)}
    states = [{symbol: ids[arg] if kind is Shift else -1 - number(arg) for symbol, (kind, arg) in row.items()}
              for row in conf.states.values()]
    return {"start": ids[conf.start_state], "end": ids[conf.end_state], "states": states, "rules": rules}


def _rule(rule, maybe_placeholders: bool) -> list:
    """[origin, expansion, callback, keep, expand1] of a lark Rule, as lark's tree
    builder (parse_tree_builder.py) shapes its children."""
    expansion = rule.expansion
    if not expansion or (maybe_placeholders and rule.options.empty_indices):
        raise ValueError(f"rule {rule}: empty rules and [optional] placeholders are not supported")
    keep = [[i, not sym.is_term and sym.name.startswith("_")] for i, sym in enumerate(expansion)
            if rule.options.keep_all_tokens or not (sym.is_term and sym.filter_out)]
    if len(keep) == len(expansion) and not any(inline for _, inline in keep):
        keep = None
    return [rule.origin.name, [sym.name for sym in expansion],
            rule.alias or rule.options.template_source or rule.origin.name, keep,
            bool(rule.options.expand1 and not rule.alias)]
