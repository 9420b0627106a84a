"""Load YAML files with errors that name the file and line.

YAML aliases (`*name`) repeat a node without copying it, so a few hundred
bytes can stand for billions of nodes ("billion laughs"): anything that walks
the data (validation, fingerprints, front matter checks) would never finish.
Every document is composed first and refused when its aliases expand it by
more than MAX_ALIAS_NODES nodes (environment variable
PROMISELINT_MAX_ALIAS_NODES), or when an alias refers to itself.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import UsageError

# libyaml's loader when PyYAML was built with it: rule packs and lexicons load ~10x faster
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIAS_NODES = 10_000


class YAMLLimitError(yaml.YAMLError):
    """A document over the alias expansion limit, or nested too deeply."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem, self.problem_mark, self.context_mark = problem, mark, None


def alias_limit() -> int:
    try:
        return int(os.environ.get("PROMISELINT_MAX_ALIAS_NODES", MAX_ALIAS_NODES))
    except ValueError:
        raise UsageError("PROMISELINT_MAX_ALIAS_NODES must be a whole number")


def parse_yaml(text: str):
    """The data of one YAML document (YAMLError, or YAMLLimitError, when it is refused)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "&" in text:  # no anchor, no alias: nothing can expand (most packs and lexicons)
            _check_expansion(node, alias_limit())
        return loader.construct_document(node)
    except RecursionError:
        raise YAMLLimitError("nested too deeply")
    finally:
        loader.dispose()


def _check_expansion(root, limit: int) -> None:
    """Refuse a node graph whose expanded tree has `limit` more nodes than the graph."""
    size: dict[int, int] = {}  # id(node) -> nodes in its expanded tree
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] - distinct > limit:
                raise YAMLLimitError(f"aliases expand the document beyond {limit} nodes "
                                     "(PROMISELINT_MAX_ALIAS_NODES)", node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise YAMLLimitError("an alias refers to a node that contains it", node.start_mark)
        open_.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text")
    try:
        return parse_yaml(text)
    except yaml.YAMLError as e:
        raise UsageError(f"{yaml_where(e, str(path))}: invalid YAML: {yaml_problem(e)}")


def yaml_where(e: yaml.YAMLError, path: str, first_line: int = 0) -> str:
    """`path:line` of a YAML error (first_line: where the YAML starts in the file)."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    return f"{path}:{first_line + mark.line + 1}" if mark else path


def yaml_problem(e: yaml.YAMLError) -> str:
    """A YAML error's problem, on one line."""
    problem = getattr(e, "problem", None) or str(e)
    return " ".join(str(problem).split())
