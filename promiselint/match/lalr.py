"""A small LALR(1) driver over a parse table kept as plain data, without lark.

larkstore.py has lark build a grammar's table once and keeps it as JSON; a run
loads it here (`load`, which checks it) and `Parser` runs it: the same shifts
and reductions as lark's LALR parser, and the same calls of a transformer's
methods with the same children as lark makes with that transformer inline
(tokens are `Word`s: a str with the terminal's name as `.type`).  The table:

    {"start": state, "end": state,
     "states": [{symbol: action}],   # action >= 0: shift or go to that state;
                                     # < 0: reduce by rules[-1 - action]
     "rules": [[origin, [symbol, ...], callback, keep, expand1]]}

`callback` is the transformer's method a reduction calls (the rule's alias, or
its name; without one a `Tree`), `keep` the children it gets as lark's tree
builder picks them (null: all; else [[index, inline]]: filtered tokens left
out, an inlined `_rule`'s children in its place) and `expand1` a `?rule`'s
single child passed up as is.  The end state is the one `start` goes to.
"""
from __future__ import annotations

from functools import partial
from graphlib import CycleError, TopologicalSorter

END = "$END"


class NoParse(ValueError):
    """The tokens are not a sentence of the grammar."""


class Word(str):
    """A token: its text, with its terminal's name as `.type` (all a transformer
    reads of lark's Token)."""

    def __new__(cls, type_: str, text: str):
        word = str.__new__(cls, text)
        word.type = type_
        return word


class Tree:
    """What a reduction makes when the transformer has no method for it (lark's Tree)."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list):
        self.data, self.children = data, children

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class Table:
    """A parse table `load` checked (the module docstring's fields)."""

    __slots__ = ("start", "end", "states", "rules")

    def __init__(self, start: int, end: int, states: list[dict], rules: list[list]):
        self.start, self.end, self.states, self.rules = start, end, states, rules


def load(data) -> Table:
    """The table `data` holds (read back from JSON); ValueError when it holds none:
    a wrong shape, an action out of range, or a reduction that could pop the start
    state, find no state to go to, or loop without reading a token (the driver
    then never raises on its own, nor hangs)."""
    try:
        start, end, states, rules = data["start"], data["end"], data["states"], data["rules"]
    except (TypeError, KeyError, IndexError):
        raise ValueError("not a parse table") from None
    _need(type(start) is int and type(end) is int and isinstance(states, list) and isinstance(rules, list))
    _need(0 <= start < len(states) and 0 <= end < len(states))
    for rule in rules:
        _need(isinstance(rule, list) and len(rule) == 5)
        origin, expansion, callback, keep, expand1 = rule
        _need(isinstance(origin, str) and isinstance(callback, str) and type(expand1) is bool)
        _need(isinstance(expansion, list) and expansion and all(isinstance(s, str) for s in expansion))
        _need(keep is None or (isinstance(keep, list) and all(
            isinstance(k, list) and len(k) == 2 and type(k[0]) is int and type(k[1]) is bool for k in keep)))
        _need(keep is None or [k[0] for k in keep] == sorted({k[0] for k in keep} & set(range(len(expansion)))))
    origins = {rule[0] for rule in rules}
    came: list = [None] * len(states)  # the symbol every way into a state reads
    before: list[set] = [set() for _ in states]
    reductions = set()
    for state, row in enumerate(states):
        _need(isinstance(row, dict))
        for symbol, action in row.items():
            _need(isinstance(symbol, str) and type(action) is int and -len(rules) <= action < len(states))
            if action >= 0:
                _need(action != start and came[action] in (None, symbol))
                came[action] = symbol
                before[action].add(state)
            else:
                _need(symbol not in origins)  # a reduction looks ahead at a token
                reductions.add((state, -1 - action))
    for state, r in reductions:
        origin, expansion = rules[r][:2]
        here = {state}
        for symbol in reversed(expansion):  # the states the reduction pops (never the start's)
            _need(all(came[s] == symbol for s in here))
            here = set().union(*(before[s] for s in here))
        _need(all(states[s].get(origin, -1) >= 0 for s in here))
    units: dict = {}  # A -> B for every rule A: B (a cycle would reduce for ever)
    for origin, expansion, *_ in rules:
        if len(expansion) == 1 and expansion[0] in origins:
            units.setdefault(origin, set()).add(expansion[0])
    try:
        TopologicalSorter(units).prepare()
    except CycleError:
        raise ValueError("a cycle of unit rules") from None
    return Table(start, end, states, rules)


def _need(ok: bool) -> None:
    if not ok:
        raise ValueError("not a well-formed parse table")


class Parser:
    """`table` run with `transformer`'s methods called on every reduction."""

    def __init__(self, table: Table, transformer):
        self.states, self.start, self.end = table.states, table.start, table.end
        self.rules = [(origin, len(expansion), _reduction(transformer, callback, keep, expand1))
                      for origin, expansion, callback, keep, expand1 in table.rules]

    def feed(self, stack: list, term: str, values: list | None = None, text: str = "") -> bool:
        """Feed one terminal (or END) to a stack of states, and to its `values`
        when given: False when the table has no action for it (the stack and
        values are then of no further use)."""
        states = self.states
        while True:
            action = states[stack[-1]].get(term)
            if action is None or (action >= 0 and term == END):
                return False
            if action >= 0:
                stack.append(action)
                if values is not None:
                    values.append(Word(term, text))
                return True
            origin, size, reduce = self.rules[-1 - action]
            if values is not None:
                children = values[-size:]
                del values[-size:]
                values.append(reduce(children))
            del stack[-size:]
            stack.append(states[stack[-1]][origin])
            if term == END and stack[-1] == self.end:
                return True

    def parse(self, terms) -> object:
        """The value the transformer makes of the sentence `terms` ((terminal, text)
        pairs); NoParse when it is not one."""
        stack, values = [self.start], []
        for term, text in terms:
            if not self.feed(stack, term, values, text):
                raise NoParse(term)
        if not self.feed(stack, END, values):
            raise NoParse(END)
        return values[-1]


def _reduction(transformer, callback: str, keep: list | None, expand1: bool):
    """What a reduction calls with its children (lark's tree builder's chain)."""
    build = getattr(transformer, callback, None) or partial(Tree, callback)
    if expand1:
        build = partial(_expand1, build)
    if keep is not None:
        build = partial(_keep, keep, build)
    return build


def _expand1(build, children: list):
    return children[0] if len(children) == 1 else build(children)


def _keep(keep: list, build, children: list):
    kept = []
    for i, inline in keep:
        if inline:
            kept.extend(children[i].children)
        else:
            kept.append(children[i])
    return build(kept)
