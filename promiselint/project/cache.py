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
runs never leave a half-written entry; an unreadable or unsound entry is a
miss.  A cache folder promiselint did not create (no CACHEDIR.TAG of its own,
or a symlink anywhere in the layout) is left alone and the run goes without.  Only the
few most recently used fingerprints are kept, so the folder does not grow with
every rule edit.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import stat
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
    """sha256 of the files under `folder` (or of the file itself): names and bytes."""
    h = hashlib.sha256()
    top = os.fspath(folder)
    if os.path.isfile(top):
        files = [os.path.basename(top)]
        top = os.path.dirname(top)
    else:
        files = []
        for here, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            rel = os.path.relpath(here, top)
            files += [n if rel == "." else f"{rel}/{n}".replace(os.sep, "/") for n in names
                      if os.path.isfile(os.path.join(here, n))]
        files = [f"{os.path.basename(top)}/{f}" for f in sorted(files)]
        top = os.path.dirname(top)
    for name in files:
        h.update(name.encode("utf-8", "surrogateescape") + b"\x00")
        try:
            with open(os.path.join(top, name), "rb") as fh:
                h.update(fh.read())
        except OSError:
            pass
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return _tree_digest(Path(__file__).resolve().parents[1])


def default_fingerprint(settings: Any = None, *extra: Any) -> str:
    """Fingerprint of a run: promiselint's version and code, the built-in and configured rule
    packs and lexicons (their bytes), the settings (select, ignore, severities,
    language, claims registry...), today's date (registered evidence expires) and
    anything in `extra` (e.g. the config file's text)."""
    from promiselint.core.data import data_dir
    from promiselint.core.version import __version__

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
    """One run's view of the cache: a root and a fingerprint.

    The cache never follows a symlink and never deletes what it did not create:
    a `.promiselint_cache` that is a symlink, or a folder without promiselint's
    CACHEDIR.TAG, or any part of the layout that is not a plain folder, makes
    the cache absent for the run (files are checked, nothing is written).  Every
    entry is checked before use (shape, fingerprint, path and the checked
    file's content hash); a bad entry is a miss."""

    def __init__(self, root: str | os.PathLike, fingerprint: str, *, enabled: bool = True):
        self.root = Path(root).resolve()
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.dir = self.root / CACHE_DIR
        self.fp_dir = self.dir / LAYOUT / hashlib.sha256(fingerprint.encode()).hexdigest()[:20]
        self.hits = 0
        self.misses = 0
        self._prepared = False
        self._trusted: bool | None = None

    def key(self, path: str | os.PathLike, data: bytes, rel: str | None = None) -> str:
        h = hashlib.sha256()
        h.update(self.fingerprint.encode() + b"\x00")
        h.update((rel or self._rel(path)).encode("utf-8", "surrogateescape") + b"\x00")
        h.update(data)
        return h.hexdigest()

    def _rel(self, path) -> str:
        """`path` relative to the root, with "/" between names (as Path.as_posix)."""
        p = os.path.abspath(path)
        try:
            rel = os.path.relpath(p, self.root)
        except ValueError:  # (another drive)
            return Path(p).as_posix()
        return rel if os.sep == "/" else Path(rel).as_posix()

    def _entry(self, k: str) -> Path:
        return self.fp_dir / k[:2] / (k + ".json")

    def trusted(self) -> bool:
        """Whether the cache folder is promiselint's own (a plain folder with its tag);
        a missing folder is trusted (it will be created)."""
        if self._trusted is None:
            self._trusted = _own_cache_dir(self.dir, missing_ok=True) and not _tracked(self.dir)
        return self._trusted

    def get(self, path: str | os.PathLike, data: bytes) -> dict | None:
        """The stored result for this path and content, or None."""
        if not self.enabled or not self.trusted():
            return None
        rel = self._rel(path)
        k = self.key(path, data, rel)
        shard = os.path.join(self.fp_dir, k[:2])
        entry = os.path.join(shard, k + ".json")
        if not _plain_dirs(self.dir, shard):
            self.misses += 1
            return None
        try:
            raw = _read_regular(entry, MAX_ENTRY_BYTES)
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError:
            self.misses += 1
            return None
        result = self._valid(raw, rel, data)
        if result is None:
            self.misses += 1
            _unlink_regular(entry)
            return None
        self.hits += 1
        return result

    def _valid(self, raw: bytes, rel: str, data: bytes) -> dict | None:
        """The entry's result if the entry is sound and is about this file (`rel`:
        its path from the root) and content."""
        try:
            stored = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        if not (isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint
                and stored.get("path") == rel
                and stored.get("sha256") == hashlib.sha256(data).hexdigest()):
            return None
        result = stored.get("result")
        return result if _entry_validator().is_valid(result) else None

    def put(self, path: str | os.PathLike, data: bytes, result: dict) -> None:
        """Store `result` (a FileResult.to_dict()) for this path and content."""
        if not self.enabled:
            return
        try:
            if not self._prepare():
                return
            entry = self._entry(self.key(path, data))
            # checked on every write: a long-lived process outlives changes to the folder
            if not _plain_dirs(self.dir, self.fp_dir) or not _make_plain_dirs(self.fp_dir, entry.parent):
                return
            payload = json.dumps({"fingerprint": self.fingerprint, "path": self._rel(path),
                                  "sha256": hashlib.sha256(data).hexdigest(), "result": result},
                                 ensure_ascii=False, separators=(",", ":"))
            _write_atomic(entry.parent, entry.name, payload)
        except (OSError, UnicodeError):
            pass  # a read-only checkout still lints; it just does not cache

    def _prepare(self) -> bool:
        """Create the cache folder, its tag and this fingerprint's folder (False: the
        cache cannot be trusted or written; the run goes on without it)."""
        if self._prepared:
            return self.trusted()
        self._prepared = True
        if not self.trusted():
            return False
        if not _create_cache_dir(self.dir):
            self._trusted = False
            return False
        new = not os.path.lexists(self.fp_dir)
        if not _make_plain_dirs(self.dir, self.fp_dir):
            self._trusted = False
            return False
        os.utime(self.fp_dir)
        if new:
            self.prune()
        return True

    def prune(self, keep: int = KEEP_FINGERPRINTS) -> None:
        """Remove all but the `keep` most recently used fingerprint folders (only
        folders of the cache's own layout; symlinks are never followed)."""
        layout = self.dir / LAYOUT
        if not _own_cache_dir(self.dir) or not _plain_dirs(self.dir, layout):
            return
        try:
            with os.scandir(layout) as it:
                dirs = [(e.stat(follow_symlinks=False).st_mtime, e.path) for e in it
                        if _FP_DIR.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
        except OSError:
            return
        for _, d in sorted(dirs, reverse=True)[keep:]:
            if Path(d) != self.fp_dir:
                _remove_fingerprint_dir(d)

    def clear(self) -> None:
        """Remove what the cache created (nothing when the folder is not its own)."""
        _clear(self.dir)
        self._prepared = False
        self._trusted = None


MAX_ENTRY_BYTES = 64 << 20
_FP_DIR = re.compile(r"[0-9a-f]{20}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json|\.tmp-[A-Za-z0-9_]+\.json")


@lru_cache(maxsize=1)
def _entry_validator():
    """Checks a cached result against schema/cache-entry.schema.json: with jsonshape.py
    (no jsonschema import on a re-check) unless the schema grows past what it knows."""
    schema = json.loads((Path(__file__).resolve().parents[1] / "schema" / "cache-entry.schema.json").read_text("utf-8"))
    from promiselint.core import jsonshape

    if jsonshape.supported(schema):
        return _Shape(schema)
    import jsonschema

    return jsonschema.Draft202012Validator(schema)


class _Shape:
    def __init__(self, schema: dict):
        self.schema = schema

    def is_valid(self, data) -> bool:
        from promiselint.core.jsonshape import is_valid

        return is_valid(data, self.schema)


def _create_cache_dir(folder: Path) -> bool:
    """Create the cache folder with its tag (OSError when it cannot be written);
    False when what is there is not promiselint's own."""
    if not os.path.lexists(folder):
        os.mkdir(folder)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by promiselint\n*\n")):
            with open(folder / name, "x", encoding="utf-8") as fh:
                fh.write(text)
    return _own_cache_dir(folder)


def _write_atomic(folder: Path, name: str, payload: str) -> None:
    import tempfile  # (a re-check that writes nothing never loads it)

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(payload)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _tracked(folder: Path) -> bool:
    """Whether git tracks files in `folder`: a cache committed to a repository (its
    .gitignore says `*`, so only on purpose) is not this machine's, and not trusted.
    Git is asked only when its index may name the folder (_not_in_index)."""
    if not os.path.lexists(folder) or not os.path.lexists(folder.parent / ".git"):
        return False
    if _not_in_index(folder):
        return False
    import subprocess

    try:
        proc = subprocess.run(["git", "-c", "core.fsmonitor=", "ls-files", "-z", "--", folder.name],
                              cwd=folder.parent, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and bool(proc.stdout)


_GIT_ENV = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR")


def _not_in_index(folder: Path) -> bool:
    """True when git's index certainly lists nothing at or under `folder` (which
    sits at the repository's top): a version 2 or 3 index (full paths), whole in
    one file, where the folder's name appears nowhere, in any case.  Every other
    case (an index that holds the name, a version 4 or split index, a `.git` or
    environment this does not read) is False: git is asked.  Most runs then start
    no git at all."""
    if any(os.environ.get(name) for name in _GIT_ENV):
        return False
    git = folder.parent / ".git"
    try:
        gitdir = git
        if not _is_plain_dir(git):  # a worktree or a submodule: "gitdir: <path>"
            line = _read_regular(git, 4096).decode("utf-8").strip()
            if not line.startswith("gitdir: "):
                return False
            gitdir = folder.parent / line[len("gitdir: "):]
        if any(name.startswith("sharedindex.") for name in os.listdir(gitdir)):
            return False
        index = _read_regular(gitdir / "index", MAX_ENTRY_BYTES)
    except (OSError, UnicodeDecodeError):
        return False
    return index[:4] == b"DIRC" and index[4:8] in (b"\0\0\0\2", b"\0\0\0\3") \
        and folder.name.lower().encode("utf-8", "surrogateescape") not in index.lower()


def _is_plain_dir(path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _own_cache_dir(folder: Path, missing_ok: bool = False) -> bool:
    """A plain folder (not a symlink) holding promiselint's CACHEDIR.TAG as a plain file."""
    if missing_ok and not os.path.lexists(folder):
        return True
    if not _is_plain_dir(folder):
        return False
    try:
        return _read_regular(folder / "CACHEDIR.TAG", 4096).decode("utf-8") == _TAG
    except (OSError, UnicodeDecodeError):
        return False


def _plain_dirs(top: str | os.PathLike, deepest: str | os.PathLike) -> bool:
    """Whether every folder from `top` down to `deepest` (inside it) exists and is a plain folder."""
    path = os.fspath(top)
    rel = os.path.relpath(deepest, path)
    parts = [] if rel == os.curdir else rel.split(os.sep)
    if os.pardir in parts:
        raise ValueError(f"{deepest} is not inside {top}")
    if not _is_plain_dir(path):
        return False
    for part in parts:
        path = os.path.join(path, part)
        if not _is_plain_dir(path):
            return False
    return True


def _make_plain_dirs(top: Path, deepest: Path) -> bool:
    """Create the folders below `top` down to `deepest`; False if one exists but is
    not a plain folder (a symlink, a file)."""
    parts = deepest.relative_to(top).parts
    for i in range(1, len(parts) + 1):
        d = top.joinpath(*parts[:i])
        try:
            os.mkdir(d)
        except FileExistsError:
            if not _is_plain_dir(d):
                return False
    return True


def _read_regular(path: Path, limit: int) -> bytes:
    """Bytes of a regular file that is not a symlink, at most `limit` (OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            raise OSError(f"{path}: not a cache file")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def _unlink_regular(path: Path) -> None:
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)
    except OSError:
        pass


def _remove_fingerprint_dir(folder: str) -> None:
    """Remove a fingerprint folder's entries and shards: only names of the cache's
    layout, plain files and folders; anything else stays (and so does its folder)."""
    try:
        _remove_two_levels(folder, _SHARD)
    except OSError:
        pass


def _remove_two_levels(folder, sub: re.Pattern) -> None:
    """Remove `folder`: its sub-folders named by `sub`, their entries (plain files
    named as the layout names them) and then the folders; anything else stays,
    and so does the folder that holds it (rmdir fails)."""
    with os.scandir(folder) as it:
        subs = [e.path for e in it if sub.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    for path in subs:
        with os.scandir(path) as it:
            for e in it:
                if _ENTRY.fullmatch(e.name) and e.is_file(follow_symlinks=False):
                    os.unlink(e.path)
        os.rmdir(path)
    os.rmdir(folder)


def _clear(folder: Path) -> None:
    if not os.path.lexists(folder) or not _own_cache_dir(folder):
        return
    layout = folder / LAYOUT
    if _is_plain_dir(layout):
        try:
            with os.scandir(layout) as it:
                fps = [e.path for e in it if _FP_DIR.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
        except OSError:
            fps = []
        for d in fps:
            _remove_fingerprint_dir(d)
    try:
        _clear_blobs(folder)
        if _is_plain_dir(layout):
            os.rmdir(layout)
        for name in ("CACHEDIR.TAG", ".gitignore"):
            _unlink_regular(folder / name)
        os.rmdir(folder)
    except OSError:
        pass


# -- blobs: other derived data (compiled rule packs), one JSON file per key -----------

BLOBS = "blobs"
KEEP_BLOBS = 64  # entries kept per kind (the most recently written)


def trusted_root(root: str | os.PathLike) -> bool:
    """Whether the cache folder at project `root` may hold blobs: promiselint's own
    (or missing) and not committed to the repository.  Ask once per run, then use
    read_blob and write_blob."""
    folder = Path(root).resolve() / CACHE_DIR
    return _own_cache_dir(folder, missing_ok=True) and not _tracked(folder)


def read_blob(root: str | os.PathLike, kind: str, key: str) -> str | None:
    """The text stored under `key` (64 hex digits) in the cache at a trusted project
    `root`, or None: missing, unreadable, or a cache folder that is not promiselint's own."""
    folder = Path(root).resolve() / CACHE_DIR
    if not _HEX64.fullmatch(key) or not _BLOB_KIND.fullmatch(kind):
        return None
    if not os.path.lexists(folder) or not _own_cache_dir(folder) or not _plain_dirs(folder, folder / BLOBS / kind):
        return None
    try:
        return _read_regular(folder / BLOBS / kind / f"{key}.json", MAX_ENTRY_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_blob(root: str | os.PathLike, kind: str, key: str, text: str) -> None:
    """Store `text` under `key` at a trusted project `root`, atomically (nothing when
    the folder cannot be written); only the KEEP_BLOBS most recent entries of `kind` are kept."""
    folder = Path(root).resolve() / CACHE_DIR
    if not _HEX64.fullmatch(key) or not _BLOB_KIND.fullmatch(kind):
        return
    try:
        if not _create_cache_dir(folder) or not _make_plain_dirs(folder, folder / BLOBS / kind):
            return
        _write_atomic(folder / BLOBS / kind, f"{key}.json", text)
        _prune_blobs(folder / BLOBS / kind)
    except (OSError, UnicodeError):
        pass


def _prune_blobs(folder: Path, keep: int = KEEP_BLOBS) -> None:
    with os.scandir(folder) as it:
        entries = [(e.stat(follow_symlinks=False).st_mtime, e.path) for e in it
                   if _ENTRY.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    for _, path in sorted(entries, reverse=True)[keep:]:
        _unlink_regular(Path(path))


_HEX64 = re.compile(r"[0-9a-f]{64}")
_BLOB_KIND = re.compile(r"[a-z]+")


def _clear_blobs(folder: Path) -> None:
    blobs = folder / BLOBS
    if not _is_plain_dir(blobs):
        return
    _remove_two_levels(blobs, _BLOB_KIND)


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
    """Remove the cache the project at `root` holds (only what promiselint created)."""
    _clear(Path(root or find_root()).resolve() / CACHE_DIR)


def result_from_dict(d: dict, path: str | None = None, text: str = ""):
    """Rebuild a FileResult from its to_dict() form (path overridable: a cached entry
    may have been stored when the file was reached by another relative path)."""
    from promiselint.core.findings import FileResult, Finding

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
