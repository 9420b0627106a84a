"""`.promiselint.yaml`: found by walking up from the checked path, validated
against the JSON Schema shipped in `schema/config.schema.json`."""
from __future__ import annotations

import json
import os
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.settings import Settings
from promiselint.core.yamlload import load_yaml

CONFIG_NAME = ".promiselint.yaml"
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "config.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class Config:
    """A loaded `.promiselint.yaml` (`data`), the folder it governs and its file (None: none found)."""

    def __init__(self, data: dict | None = None, root: Path | None = None, path: Path | None = None):
        self.data = {} if data is None else data
        self.root = Path.cwd() if root is None else root
        self.path = path
        self._real: dict = {}  # folder -> realpath

    def __repr__(self) -> str:
        return f"Config(data={self.data!r}, root={self.root!r}, path={self.path!r})"

    def settings(self, select=None, ignore=None, lang=None, for_path: Path | None = None) -> Settings:
        d = self.data
        severity = dict(d.get("rules") or {})
        ignores = list(ignore or []) + list(d.get("ignore") or [])
        forced = lang or d.get("lang")
        if for_path is not None:
            for ov in d.get("overrides") or []:
                if self.matches(for_path, ov["files"]):
                    severity.update(ov.get("rules") or {})
                    ignores += ov.get("ignore") or []
                    forced = lang or ov.get("lang") or forced
        registry = None
        if d.get("claims"):
            from promiselint.checks.registry import load_registry

            registry = load_registry(self.root / d["claims"])
        return Settings(
            select=list(select or d.get("select") or []), ignore=ignores, severity=severity, lang=forced,
            packs=[self.root / p for p in d.get("packs") or []],
            lexicon_folders=[self.root / p for p in d.get("lexicons") or []],
            registry=registry, page_types=d.get("page_types"))

    @property
    def max_file_bytes(self) -> int | None:
        """Bytes read per file at most (`max_file_bytes`; 0 means no limit)."""
        from promiselint.read.reader import DEFAULT_MAX_BYTES

        value = self.data.get("max_file_bytes", DEFAULT_MAX_BYTES)
        return value or None

    def relative(self, path: Path) -> str:
        """`path` relative to the config's folder, posix: where the file sits in the
        tree (its folder resolved; the file itself, maybe a symlink, is not followed)."""
        here = os.path.join(self._realpath(os.fspath(path.parent)), path.name)
        root = self._realpath(os.fspath(self.root))
        if here == root:
            return "."
        top = root if root.endswith(os.sep) else root + os.sep
        if not here.startswith(top):
            return path.as_posix()
        return here[len(top):].replace(os.sep, "/")

    def _realpath(self, folder: str) -> str:
        """os.path.realpath, once per folder in a run (a walk asks for every file)."""
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = os.path.realpath(folder)
        return real

    def matches(self, path: Path, patterns: list[str]) -> bool:
        rel = self.relative(path)
        return any(fnmatch(rel, p) or fnmatch(path.name, p) for p in patterns)

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        patterns = self.data.get("exclude") or []
        if not patterns:
            return False
        return _exclude_spec(tuple(patterns)).match_file(self.relative(path) + ("/" if is_dir else ""))


@lru_cache(maxsize=8)
def _exclude_spec(patterns: tuple):
    """The compiled `exclude` patterns (once per run, not once per file)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)  # (git's own rules, negations included)


def find_config(start: Path) -> Path | None:
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    path = explicit or find_config(start)
    if path is None:
        return Config(root=Path.cwd())
    data = _yaml_11_off(load_yaml(Path(path)) or {})
    validate(data, Path(path))
    return Config(data, Path(path).resolve().parent, Path(path))


def _yaml_11_off(data):
    """`off` in YAML 1.1 is the boolean false: read it as the severity "off"."""
    if isinstance(data, dict):
        for table in [data.get("rules")] + [o.get("rules") for o in data.get("overrides") or []
                                            if isinstance(o, dict)]:
            if isinstance(table, dict):
                for k, v in table.items():
                    if v is False:
                        table[k] = "off"
    return data


def validate(data, path: Path) -> None:
    """UsageError for a config that breaks the schema.  A valid one is told by
    jsonshape.py; only an invalid one imports jsonschema, for its message."""
    from promiselint.core import jsonshape

    if not isinstance(data, dict):
        raise UsageError(f"{path}: the config must be a mapping of settings")
    allowed = set(schema()["properties"])
    for key in data:
        if key not in allowed:
            import difflib  # (here: only a config with an unknown key needs it)

            hint = difflib.get_close_matches(str(key), allowed, n=1)
            raise UsageError(f"{path}: unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint
                                                               else f" (known: {', '.join(sorted(allowed))})"))
    if jsonshape.supported(schema()) and jsonshape.is_valid(data, schema()):
        return
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema()).iter_errors(data))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "config"
        raise UsageError(f"{path}: {where}: {error.message}")


STARTER = """\
# promiselint configuration. Schema: promiselint/schema/config.schema.json
# fail_on: lowest severity that makes `promiselint check` exit 1.
fail_on: error

# Turn rules off or change their severity (ids or prefixes), e.g.
#   rules: {superlative.unmatched: info, claim.urgency: off}
rules: {}

# Files not to check (gitignore-style).
exclude:
  - "vendor/"
  - "*.min.html"

# Force a language (otherwise detected per block, lang= and front matter win).
# lang: ar

# Your own rule packs and lexicon folders (ar/, fa/, en/ inside).
# packs: [promiselint/house-rules.yaml]
# lexicons: [promiselint/lexicons]

# Claims you can substantiate, with evidence and expiry dates.
# claims: claims.yaml

# Which disclosures each page type owes (front matter `type` or a glob).
# page_types:
#   product: [privacy-policy, disclaimer, contact, return-policy, shipping-total]
#   "blog/*": [privacy-policy, contact]

# Per-path overrides.
# overrides:
#   - files: ["legal/*"]
#     rules: {superlative: off}
"""
