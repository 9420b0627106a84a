"""Load YAML files with errors that name the file and line.

YAML aliases (`*name`) repeat a node without copying it, so a few hundred
bytes can stand for billions of nodes ("billion laughs"): anything that walks
the data (validation, fingerprints, front matter checks) would never finish.
Every document is composed first and refused when its aliases expand it by
more than MAX_ALIAS_NODES nodes (environment variable
PROMISELINT_MAX_ALIAS_NODES), or when an alias refers to itself.

PyYAML is imported on first parse: documents already parsed by an earlier
run (the lexicon files, from the compiled-packs cache: see packcache.py) are
handed over with `remember()` and returned without it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from .errors import UsageError
from .lazyre import lazy_compile

MAX_ALIAS_NODES = 10_000
# where a node's anchor (`&name`) can stand: at a line's start, after a space or a flow
# indicator ([ { , and : after a JSON-like key); an "&" inside a word ("T&Cs") is not one
_ANCHOR = lazy_compile(r"(?:^|[\s\[{,:])&[^\s,\[\]{}]", re.M)
_KNOWN: dict[str, tuple[str, str]] = {}  # path -> (sha256 of its text, the document as JSON)


def __getattr__(name: str):
    if name == "YAMLLimitError":
        return _limit_error()
    if name == "SafeLoader":
        return _loader()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _loader():
    """libyaml's loader when PyYAML was built with it: rule packs and lexicons load ~10x faster."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def _limit_error():
    import yaml

    class YAMLLimitError(yaml.YAMLError):
        """A document over the alias expansion limit, or nested too deeply."""

        def __init__(self, problem: str, mark=None):
            super().__init__(problem)
            self.problem, self.problem_mark, self.context_mark = problem, mark, None

    return YAMLLimitError


def alias_limit() -> int:
    try:
        return int(os.environ.get("PROMISELINT_MAX_ALIAS_NODES", MAX_ALIAS_NODES))
    except ValueError:
        raise UsageError("PROMISELINT_MAX_ALIAS_NODES must be a whole number")


def parse_yaml(text: str):
    """The data of one YAML document (YAMLError, or YAMLLimitError, when it is refused)."""
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _ANCHOR.search(text):  # no anchor, no alias: nothing can expand (most packs and lexicons)
            _check_expansion(node, alias_limit())
        return loader.construct_document(node)
    except RecursionError:
        raise _limit_error()("nested too deeply")
    finally:
        loader.dispose()


def _check_expansion(root, limit: int) -> None:
    """Refuse a node graph whose expanded tree has `limit` more nodes than the graph."""
    size: dict[int, int] = {}  # id(node) -> nodes in its expanded tree
    distinct = 0
    stack: list[tuple] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] - distinct > limit:
                raise _limit_error()(f"aliases expand the document beyond {limit} nodes "
                                     "(PROMISELINT_MAX_ALIAS_NODES)", node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise _limit_error()("an alias refers to a node that contains it", node.start_mark)
        open_.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node) -> list:
    import yaml

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
    known = _KNOWN.get(str(path))
    if known is not None and known[0] == _digest(text):
        return json.loads(known[1])  # a fresh copy: callers may change what they get
    import yaml

    try:
        return parse_yaml(text)
    except yaml.YAMLError as e:
        raise UsageError(f"{yaml_where(e, str(path))}: invalid YAML: {yaml_problem(e)}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def parsed(path: Path) -> tuple[str, str] | None:
    """(sha256 of the file's text, its document as JSON) for `remember()` in a later
    run; None when the file does not load or its data is not plain JSON."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = load_yaml(path)
        document = json.dumps(data, ensure_ascii=False)
    except (UsageError, OSError, UnicodeError, TypeError, ValueError):
        return None
    return (_digest(text), document) if json.loads(document) == data else None  # (int keys, floats...)


def remember(path: str, digest: str, document: str) -> None:
    """Serve `path` from `document` (JSON) while its text still hashes to `digest`."""
    _KNOWN[str(path)] = (digest, document)


def yaml_where(e, path: str, first_line: int = 0) -> str:
    """`path:line` of a YAML error (first_line: where the YAML starts in the file)."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    return f"{path}:{first_line + mark.line + 1}" if mark else path


def yaml_problem(e) -> str:
    """A YAML error's problem, on one line."""
    problem = getattr(e, "problem", None) or str(e)
    return " ".join(str(problem).split())
