"""The `unless` / `when` condition language of rules, parsed with lark.

    not (has_qualifier() or cites_source()) and in_role("option", "nav")

Names are condition functions from `conditions.py`; arguments are strings or
numbers.  An expression parses to a plain tree (lists, strings, numbers: it
can be cached as JSON, so a run that finds it cached never imports lark) and
builds into a Python callable taking a Context.
"""
from __future__ import annotations

from functools import lru_cache

GRAMMAR = r"""
?start: or_
?or_: and_ ("or" and_)*
?and_: not_ ("and" not_)*
?not_: "not" not_ -> neg
     | atom
?atom: call
     | "(" or_ ")"
call: NAME "(" [arg ("," arg)*] ")"
?arg: ESCAPED_STRING -> string
    | SIGNED_NUMBER -> number
%import common.CNAME -> NAME
%import common.ESCAPED_STRING
%import common.SIGNED_NUMBER
%import common.WS
%ignore WS
"""


class ExprError(ValueError):
    pass


@lru_cache(maxsize=1)
def _parser():
    from .larkstore import import_lark

    import_lark()
    from lark import Lark, Transformer

    class Tree(Transformer):
        """Parse tree -> ["or"|"and", *items] | ["not", item] | ["call", name, *args]."""

        def string(self, items):
            return items[0][1:-1].encode().decode("unicode_escape") if "\\" in items[0] else items[0][1:-1]

        def number(self, items):
            return float(items[0])

        def call(self, items):
            return ["call", str(items[0]), *[a for a in items[1:] if a is not None]]

        def neg(self, items):
            return ["not", items[0]]

        def or_(self, items):
            return ["or", *items]

        def and_(self, items):
            return ["and", *items]

    return Lark(GRAMMAR, parser="lalr"), Tree()


def parse_expr(source: str) -> list:
    """The plain tree of an expression; ExprError if it is not valid."""
    from lark import exceptions

    parser, tree = _parser()
    try:
        return tree.transform(parser.parse(source))
    except exceptions.LarkError as e:
        raise ExprError(f"cannot parse condition {source!r}: {str(e).splitlines()[0]}")


def build_expr(tree: list, functions: dict):
    """Callable(ctx) -> truth for a parsed tree; ExprError for an unknown condition.

    Built of plain closures, one call deep per node: a condition without
    arguments is the function itself, `or`/`and` test their parts in the
    written order and stop at the first that decides (as Python does)."""
    op, items = tree[0], tree[1:]
    if op == "call":
        name, args = items[0], items[1:]
        fn = functions.get(name)
        if fn is None:
            raise ExprError(f"unknown condition {name}() (known: {', '.join(sorted(functions))})")
        if not args:
            return fn
        if len(args) == 1:
            (arg,) = args
            return lambda ctx: fn(ctx, arg)
        return lambda ctx: fn(ctx, *args)
    parts = tuple(build_expr(item, functions) for item in items)
    if op == "not":
        f = parts[0]
        return lambda ctx: not f(ctx)
    if op == "or":
        return _joined(parts, True)
    if op == "and":
        return _joined(parts, False)
    raise ExprError(f"not a condition tree: {op!r}")


def _joined(parts: tuple, decisive: bool):
    """`or` (decisive=True) or `and` (False): the first part whose truth is
    `decisive` decides, in the parts' order; none: the other answer."""
    if len(parts) == 2:
        a, b = parts
        if decisive:
            return lambda ctx: bool(a(ctx) or b(ctx))
        return lambda ctx: bool(a(ctx) and b(ctx))

    def joined(ctx) -> bool:
        for f in parts:
            if (not f(ctx)) is not decisive:
                return decisive
        return not decisive
    return joined


def compile_expr(source: str, functions: dict):
    """Callable(ctx) -> bool for an expression; ExprError if it is not valid."""
    return build_expr(parse_expr(source), functions)
