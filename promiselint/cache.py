"""Content-hash cache: repeated `check` runs skip files that did not change.

A file's entry is keyed by sha256(fingerprint, path, file bytes), where the
fingerprint is what the caller says decides the findings: promiselint's
version, the rule packs and lexicons, the configuration.  Change any of them and
every key changes.  Entries are small JSON files under ``.promiselint_cache/``
in the project root (the folder with ``.promiselint.yaml``, ``.git`` or
``pyproject.toml``, else the working directory):

    .promiselint_cache/
        CACHEDIR.TAG  .gitignore
        v1/<fingerprint hash>/<key[:2]>/<key>.json

Writes are atomic (temp file + rename), so parallel workers and interrupted
runs never leave a half-written entry; an unreadable entry is a miss.  Only the
few most recently used fingerprints are kept, so the folder does not grow with
every rule edit.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".promiselint_cache"
LAYOUT = "v1"
KEEP_FINGERPRINTS = 4
ROOT_MARKERS = (".promiselint.yaml", ".promiselint.yml", ".git", "pyproject.toml")
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by promiselint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")


def make_fingerprint(*parts: Any) -> str:
    """A stable digest of whatever decides the findings (strings, dicts, lists, paths).

    Paths to files contribute their bytes, so editing a rule pack changes it."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(b"P" + str(part).encode())
            try:
                h.update(part.read_bytes())
            except OSError:
                h.update(b"<missing>")
        elif isinstance(part, (bytes, bytearray)):
            h.update(b"B" + bytes(part))
        else:
            h.update(b"J" + json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    if folder.is_file():
        files = [folder]
    elif folder.is_dir():
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    else:
        files = []
    for f in files:
        h.update(f.relative_to(folder.parent).as_posix().encode() + b"\x00")
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return _tree_digest(Path(__file__).resolve().parent)


def default_fingerprint(settings: Any = None, *extra: Any) -> str:
    """Fingerprint of a run: promiselint's version and code, the built-in and configured rule
    packs and lexicons (their bytes), the settings (select, ignore, severities,
    language, claims registry...), today's date (registered evidence expires) and
    anything in `extra` (e.g. the config file's text)."""
    from . import __version__
    from .data import data_dir

    # the package's own code too: an edited checkout must not serve stale results
    parts: list[Any] = [__version__, datetime.date.today().isoformat(), _code_digest()]
    for name in ("rules", "lexicons"):
        try:
            parts.append(_tree_digest(data_dir(name)))
        except FileNotFoundError:
            parts.append(f"<no {name}>")
    if settings is not None:
        for attr in ("packs", "lexicon_folders"):
            for p in getattr(settings, attr, None) or []:
                parts.append(_tree_digest(Path(p)))
        registry = getattr(settings, "registry", None)
        for attr in ("path", "source", "file"):
            src = getattr(registry, attr, None)
            if isinstance(src, (str, Path)):
                parts.append(_tree_digest(Path(src)))
        # object addresses in reprs change every run; they must not change the key
        parts.append(re.sub(r" at 0x[0-9a-fA-F]+", "", repr(settings)))
    parts.extend(extra)
    return make_fingerprint(*parts)


@lru_cache(maxsize=1024)
def _root_for_dir(directory: str) -> str:
    d = Path(directory)
    for candidate in (d, *d.parents):
        if any((candidate / m).exists() for m in ROOT_MARKERS):
            return str(candidate)
    return str(Path.cwd())


def find_root(path: str | os.PathLike | None = None) -> Path:
    """The project root for `path` (a file or folder; default: the working directory)."""
    p = Path(os.path.abspath(path or "."))
    return Path(_root_for_dir(str(p if p.is_dir() else p.parent)))


class Cache:
    """One run's view of the cache: a root and a fingerprint."""

    def __init__(self, root: str | os.PathLike, fingerprint: str, *, enabled: bool = True):
        self.root = Path(root).resolve()
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.dir = self.root / CACHE_DIR
        self.fp_dir = self.dir / LAYOUT / hashlib.sha256(fingerprint.encode()).hexdigest()[:20]
        self.hits = 0
        self.misses = 0
        self._prepared = False

    def key(self, path: str | os.PathLike, data: bytes) -> str:
        h = hashlib.sha256()
        h.update(self.fingerprint.encode() + b"\x00")
        h.update(self._rel(path).encode() + b"\x00")
        h.update(data)
        return h.hexdigest()

    def _rel(self, path) -> str:
        p = os.path.abspath(path)
        try:
            return Path(os.path.relpath(p, self.root)).as_posix()
        except ValueError:
            return Path(p).as_posix()

    def _entry(self, k: str) -> Path:
        return self.fp_dir / k[:2] / (k + ".json")

    def get(self, path: str | os.PathLike, data: bytes) -> dict | None:
        """The stored result for this path and content, or None."""
        if not self.enabled:
            return None
        entry = self._entry(self.key(path, data))
        try:
            stored = json.loads(entry.read_text(encoding="utf-8"))
            if stored.get("fingerprint") != self.fingerprint:
                raise ValueError("fingerprint mismatch")
            result = stored["result"]
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            try:
                entry.unlink()
            except OSError:
                pass
            return None
        self.hits += 1
        return result

    def put(self, path: str | os.PathLike, data: bytes, result: dict) -> None:
        """Store `result` (a FileResult.to_dict()) for this path and content."""
        if not self.enabled:
            return
        try:
            self._prepare()
            entry = self._entry(self.key(path, data))
            entry.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"fingerprint": self.fingerprint, "path": self._rel(path),
                                  "result": result}, ensure_ascii=False, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
                os.replace(tmp, entry)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only checkout still lints; it just does not cache

    def _prepare(self) -> None:
        if self._prepared:
            return
        self._prepared = True
        self.dir.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by promiselint\n*\n")):
            f = self.dir / name
            if not f.exists():
                f.write_text(text, encoding="utf-8")
        new = not self.fp_dir.exists()
        self.fp_dir.mkdir(parents=True, exist_ok=True)
        os.utime(self.fp_dir)
        if new:
            self.prune()

    def prune(self, keep: int = KEEP_FINGERPRINTS) -> None:
        """Remove all but the `keep` most recently used fingerprint folders."""
        layout = self.dir / LAYOUT
        try:
            dirs = sorted((d for d in layout.iterdir() if d.is_dir()),
                          key=lambda d: d.stat().st_mtime, reverse=True)
        except OSError:
            return
        for d in dirs[keep:]:
            if d != self.fp_dir:
                shutil.rmtree(d, ignore_errors=True)

    def clear(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self._prepared = False


# -- module-level API ------------------------------------------------------------

_caches: dict[tuple[str, str], Cache] = {}


def _cache_for(path, fingerprint: str, root=None) -> Cache:
    r = str(Path(root).resolve()) if root else str(find_root(path))
    c = _caches.get((r, fingerprint))
    if c is None:
        c = _caches[(r, fingerprint)] = Cache(r, fingerprint)
    return c


_fingerprints: dict[tuple, str] = {}


def cache_for_settings(settings: Any, path: str | os.PathLike = ".", *, enabled: bool = True,
                       extra: tuple = ()) -> Cache:
    """The cache for files checked with `settings` (the fingerprint is computed once per
    distinct settings), rooted at the project root of `path`."""
    key = (re.sub(r" at 0x[0-9a-fA-F]+", "", repr(settings)), tuple(map(str, extra)))
    fp = _fingerprints.get(key)
    if fp is None:
        fp = _fingerprints[key] = default_fingerprint(settings, *extra)
    c = _cache_for(path, fp)
    c.enabled = enabled
    return c


def get(path: str | os.PathLike, data: bytes, fingerprint: str, root=None) -> dict | None:
    """Cached result dict for `path` with content `data` under `fingerprint`, or None."""
    return _cache_for(path, fingerprint, root).get(path, data)


def put(path: str | os.PathLike, data: bytes, fingerprint: str, result: dict, root=None) -> None:
    """Store the result dict (FileResult.to_dict()) for `path` with content `data`."""
    _cache_for(path, fingerprint, root).put(path, data, result)


def clear(root: str | os.PathLike | None = None) -> None:
    shutil.rmtree(Path(root or find_root()) / CACHE_DIR, ignore_errors=True)


def result_from_dict(d: dict, path: str | None = None, text: str = ""):
    """Rebuild a FileResult from its to_dict() form (path overridable: a cached entry
    may have been stored when the file was reached by another relative path)."""
    from .findings import FileResult, Finding

    findings = []
    for f in d.get("findings", []):
        f = dict(f)
        context = f.pop("key", None)
        known = {k: f[k] for k in ("rule", "category", "severity", "message", "offset",
                                   "end_offset", "text", "language", "suggestion", "line",
                                   "column", "end_line", "end_column", "value", "replacement") if k in f}
        findings.append(Finding(**known, context=context))
    return FileResult(path=path or d.get("path", ""), language=d.get("language"),
                      findings=findings, text=text, notice=d.get("notice"))
