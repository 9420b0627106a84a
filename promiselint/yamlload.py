"""Load YAML files with errors that name the file and line."""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import UsageError

# libyaml's loader when PyYAML was built with it: rule packs and lexicons load ~10x faster
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    return yaml.load(text, Loader=SafeLoader)


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
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise UsageError(f"{where}: invalid YAML: {problem}")
