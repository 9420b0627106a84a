"""The condition language (promiselint/match/expr.py): a built condition answers as
the tree says and calls its conditions in the same order, stopping where the
tree's `or`/`and` would (a condition may be costly, or only meaningful after
another one held)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.match.expr import ExprError, build_expr, compile_expr

NAMES = ("a", "b", "c", "d")
TREES = st.recursive(
    st.tuples(st.sampled_from(NAMES), st.lists(st.one_of(st.text(max_size=3), st.integers(0, 9).map(float)),
                                                max_size=2)).map(lambda t: ["call", t[0], *t[1]]),
    lambda inner: st.one_of(inner.map(lambda x: ["not", x]),
                            st.lists(inner, min_size=1, max_size=4).map(lambda xs: ["or", *xs]),
                            st.lists(inner, min_size=1, max_size=4).map(lambda xs: ["and", *xs])),
    max_leaves=12)


def reference(tree, ctx, calls):
    """The tree evaluated by hand: Python's short-circuit order."""
    op, items = tree[0], tree[1:]
    if op == "call":
        calls.append((items[0], *items[1:]))
        return ctx[items[0]]
    if op == "not":
        return not reference(items[0], ctx, calls)
    if op == "or":
        return any(reference(item, ctx, calls) for item in items)
    return all(reference(item, ctx, calls) for item in items)


@settings(max_examples=300, deadline=None)
@given(TREES, st.fixed_dictionaries({n: st.sampled_from([True, False, 0, 1, "", "x", None]) for n in NAMES}))
def test_a_built_condition_answers_and_calls_as_the_tree_says(tree, values):
    calls: list = []

    def condition(name):
        def fn(ctx, *args):
            calls.append((name, *args))
            return ctx[name]
        return fn

    built = build_expr(tree, {n: condition(n) for n in NAMES})
    expected_calls: list = []
    expected = reference(tree, values, expected_calls)
    assert bool(built(values)) == bool(expected)
    assert calls == expected_calls


def test_expressions_parse_and_unknown_conditions_are_errors():
    f = compile_expr('not (a() or b("x", 2)) and c()', {"a": lambda ctx: ctx[0], "b": lambda ctx, s, n: ctx[1],
                                                       "c": lambda ctx: ctx[2]})
    assert f((0, 0, 1)) and not f((1, 0, 1)) and not f((0, 1, 1)) and not f((0, 0, 0))
    with pytest.raises(ExprError, match="unknown condition nope"):
        compile_expr("a() or nope()", {"a": lambda ctx: True})
    with pytest.raises(ExprError):
        build_expr(["xor", ["call", "a"]], {"a": lambda ctx: True})
