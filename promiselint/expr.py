"""The `unless` / `when` condition language of rules, parsed with lark.

    not (has_qualifier() or cites_source()) and in_role("option", "nav")

Names are condition functions from `conditions.py`; arguments are strings or
numbers.  An expression compiles to a Python callable taking a Context.
"""
from __future__ import annotations

from functools import lru_cache

from lark import Lark, Transformer, exceptions

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
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr")


class _Compile(Transformer):
    def __init__(self, functions: dict):
        super().__init__()
        self.functions = functions

    def string(self, items):
        return items[0][1:-1].encode().decode("unicode_escape") if "\\" in items[0] else items[0][1:-1]

    def number(self, items):
        return float(items[0])

    def call(self, items):
        name, args = str(items[0]), [a for a in items[1:] if a is not None]
        fn = self.functions.get(name)
        if fn is None:
            raise ExprError(f"unknown condition {name}() (known: {', '.join(sorted(self.functions))})")
        return lambda ctx: fn(ctx, *args)

    def neg(self, items):
        f = items[0]
        return lambda ctx: not f(ctx)

    def or_(self, items):
        return lambda ctx: any(f(ctx) for f in items)

    def and_(self, items):
        return lambda ctx: all(f(ctx) for f in items)


def compile_expr(source: str, functions: dict):
    """Callable(ctx) -> bool for an expression; ExprError if it is not valid."""
    try:
        tree = _parser().parse(source)
    except exceptions.LarkError as e:
        raise ExprError(f"cannot parse condition {source!r}: {str(e).splitlines()[0]}")
    return _Compile(functions).transform(tree)
