"""Compiled rule packs, kept on disk between runs.

Compiling a pack reads YAML, expands every lexicon into regexes and parses
each `unless` condition (lark): most of a one-file check's time.  The result
is plain data (pattern sources, lexicon entries, condition trees), so it is
stored as JSON in the project cache folder and a later run rebuilds the rules
from it (patterns still compile on first use: rules.LazyPattern):

    .promiselint_cache/blobs/packs/<key>.json

The key is a sha256 of promiselint's version and code (its files' sizes and
modification times: code_key), Python's version, the pack file and every file
of the lexicon folders: change any of them and the pack compiles afresh.  The
parsed lexicon documents travel along (cues, concepts, disclosures), so
conditions read them without PyYAML.  The cache
folder follows cache.py's rules (never a symlink, never one committed to the
repository); an entry that does not read back whole is a miss.  Only the CLI
turns this on (`use(root)`): the library, the service and the language server
compile in memory.

The literal anchors derived from the rule and cue regexes (prefilter.py) are
kept there too, one entry per code and built-in data version:

    .promiselint_cache/blobs/anchors/<key>.json

and so is the time grammar's parse table (match/larkstore.py), keyed on the code
and the grammar (not lark's version: any lark builds the grammar the same table):

    .promiselint_cache/blobs/grammars/<key>.json

and so is the sre code of the regexes a run compiled (match/regexstore.py), keyed on
the exact interpreter, the code and the built-in data:

    .promiselint_cache/blobs/regexes/<key>.json

and so is what runs derive from the lexicon folders (match/packs.py kept_data): every
cue list's source (conditions.cue) and the disclosure lexicon (its cues' items and
sources, its indexes' anchors), each in one entry keyed like a pack's, stored at the
end of the run that first needed it:

    .promiselint_cache/blobs/packs/<key>.json  ({"key", "data"})

A linter's packs are kept together too, in one entry keyed on all of them, with
the parsed documents and the derived data (a warm run reads that one blob, not
one per pack and three more; a changed pack misses it and compiles alone, the
others coming from their own entries, and the whole is kept again):

    .promiselint_cache/blobs/packs/<key>.json  ({"key", "packs", "documents", "data"})

`use` hands the anchors to the prefilter (which then builds at once: no regex is
parsed, and a rule whose anchors a block lacks is never compiled), and
`keep_anchors` stores what a run derived anew (anchors and compiled regexes).  The first run in a project
derives them all once, for the next runs.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache, partial
from pathlib import Path

KIND = "packs"
ANCHORS = "anchors"
GRAMMARS = "grammars"
REGEXES = "regexes"
LAYOUT = "packs-1"
MAX_ANCHORS = 20_000  # entries kept in the anchors blob (patterns of packs changed since are dropped)
MAX_REGEXES = 8_000  # compiled regexes kept (a run over every built-in language compiles about 1,500)
MAX_REGEX_CHARS = 24 << 20  # and their stored text, at most (all built-in ones: about 4 MB)
_root: list = [None]  # the project root whose cache holds compiled packs, or None: off
_seeded: set = set()  # lexicon folder keys whose documents were handed to yamlload
_anchors: dict = {}  # the anchors blob read back at use(): key -> {"key", "entries"}, or None


def use(root: Path | None) -> None:
    """Keep compiled packs and derived anchors in the cache of project `root`
    (None: in memory only)."""
    from promiselint.match.packs import PACK_STORE

    from .cache import trusted_root

    from promiselint.match import prefilter, regexstore

    _root[0] = root if root is not None and trusted_root(root) else None
    _bundles.clear()  # (what a run read and wants kept: this root's)
    _held.clear()
    _wanted.clear()
    PACK_STORE[0] = sys.modules[__name__] if _root[0] is not None else None
    # compiled regexes kept by an earlier run, read at the first compile
    regexstore.keep_from(partial(_read_regexes, _root[0]) if _root[0] is not None else None)
    # anchors kept by an earlier run, read when first needed: prefilters then build at once
    prefilter.set_eager(False)
    prefilter.keep_from(partial(_read_anchors, _root[0]) if _root[0] is not None else None)


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _folders_digest(folders: list[Path]) -> str:
    from promiselint import __version__

    return _key(LAYOUT, __version__, sys.version, code_key(),
                *(f"{folder}\0{_folder_digest(str(folder))}" for folder in folders))


@lru_cache(maxsize=None)
def _folder_digest(folder: str) -> str:
    """The digest of a lexicon or rules folder's files (read once per process)."""
    from .cache import _tree_digest

    return _tree_digest(Path(folder))


@lru_cache(maxsize=1)
def code_key() -> str:
    """promiselint's code files by path, size and modification time, as Python's own
    bytecode cache tells a changed source: an edit changes the key, and no file is
    read (hashing the code's bytes costs a few milliseconds of every run)."""
    top = str(Path(__file__).resolve().parents[1])
    parts = [top]
    for here, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            try:
                st = os.stat(f"{here}/{name}")
            except OSError:
                continue
            parts.append(f"{here[len(top):]}/{name}\0{st.st_size}\0{st.st_mtime_ns}")
    return _key(*parts)


_digests: dict[tuple, str] = {}


def folders_key(folders: list[Path]) -> str:
    """Digest of the code and the lexicon folders (computed once per process)."""
    k = tuple(map(str, folders))
    if k not in _digests:
        _digests[k] = _folders_digest(list(folders))
    return _digests[k]


def _pack_key(pack: Path, folders: list[Path]) -> str | None:
    try:
        data = Path(pack).read_bytes()
    except OSError:
        return None
    return _key("pack", str(Path(pack).resolve()), hashlib.sha256(data).hexdigest(), folders_key(folders))


def get(pack: Path, folders: list[Path]) -> dict | None:
    """The stored compiled form of `pack` with these lexicon folders, or None."""
    root = _root[0]
    key = _pack_key(pack, folders) if root is not None else None
    if key is None:
        return None
    from .cache import read_blob

    _seed(root, folders)
    stored = _load(read_blob(root, KIND, key))
    return stored["pack"] if stored is not None and stored.get("key") == key else None


def put(pack: Path, folders: list[Path], compiled: dict) -> None:
    """Store the compiled form of `pack` (a no-op when off or when it is not plain JSON)."""
    root = _root[0]
    key = _pack_key(pack, folders) if root is not None else None
    if key is None:
        return
    from .cache import write_blob

    text = _dump({"key": key, "pack": compiled})
    if text is not None:
        write_blob(root, KIND, key, text)
    _store_documents(root, folders)


def _load(text: str | None) -> dict | None:
    import gc

    collecting = gc.isenabled()
    gc.disable()  # (decoded JSON holds no cycle: a collection while it grows only walks it, often)
    try:
        stored = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return None
    finally:
        if collecting:
            gc.enable()
    return stored if isinstance(stored, dict) else None


def _dump(data: dict) -> str | None:
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return text if json.loads(text) == data else None  # (non-string keys would change)


# -- the parsed lexicon documents, handed to yamlload -----------------------------------

def _documents_key(folders: list[Path]) -> str:
    return _key("documents", folders_key(folders))


def _seed(root: Path, folders: list[Path]) -> None:
    from .cache import read_blob

    key = _documents_key(folders)
    if key in _seeded:
        return
    _seeded.add(key)
    _remember(_documents(read_blob(root, KIND, key), key) or {})


def _remember(documents: dict) -> None:
    """Hand the parsed documents (path -> [digest, JSON]) to yamlload."""
    from promiselint.core.yamlload import remember

    for path, pair in documents.items():
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair):
            remember(path, *pair)


def _documents(text: str | None, key: str) -> dict | None:
    stored = _load(text)
    if stored is None or stored.get("key") != key or not isinstance(stored.get("documents"), dict):
        return None
    return stored["documents"]


def _store_documents(root: Path, folders: list[Path]) -> None:
    from promiselint.core.yamlload import parsed

    from .cache import read_blob, write_blob

    key = _documents_key(folders)
    if _documents(read_blob(root, KIND, key), key) is not None:
        return
    documents = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.yaml")) if Path(folder).is_dir() else ():
            found = parsed(path)
            if found is not None:
                documents[str(path)] = list(found)
    text = _dump({"key": key, "documents": documents})
    if text is not None:
        write_blob(root, KIND, key, text)


# -- every pack of a linter in one entry, with the documents and data of its folders ------

_bundles: dict = {}  # key -> [folders, the packs' data or a function giving them, write it at the end]
_held: dict = {}  # folders key -> {name: data} read with a bundle (get_data serves them)


def _bundle_key(packs: list, folders: list[Path]) -> str | None:
    keys = [_pack_key(pack, folders) for pack in packs]
    return None if None in keys else _key("bundle", folders_key(folders), *keys)


def get_all(packs: list, folders: list[Path]) -> list | None:
    """The stored compiled form of every pack of `packs` (a list, in order), or None;
    the parsed lexicon documents and the derived data kept with them are taken too."""
    root = _root[0]
    key = _bundle_key(packs, folders) if root is not None else None
    if key is None:
        return None
    from .cache import read_blob

    stored = _load(read_blob(root, KIND, key))
    compiled = stored.get("packs") if stored is not None and stored.get("key") == key else None
    documents, data = (stored.get("documents"), stored.get("data")) if stored is not None else (None, None)
    if not (isinstance(compiled, list) and len(compiled) == len(packs) and isinstance(documents, dict)
            and isinstance(data, dict)):
        return None
    if _documents_key(folders) not in _seeded:
        _seeded.add(_documents_key(folders))
        _remember(documents)
    _held[folders_key(folders)] = data
    _bundles[key] = [list(folders), compiled, False]
    return compiled


def want_all(packs: list, folders: list[Path], build) -> None:
    """Keep `build()` (the compiled form of every pack) as one entry at the end of the run."""
    key = _bundle_key(packs, folders) if _root[0] is not None else None
    if key is not None:
        _bundles[key] = [list(folders), build, True]


def _keep_bundles() -> None:
    from .cache import read_blob, write_blob

    root = _root[0]
    for key, (folders, compiled, wanted) in list(_bundles.items()) if root is not None else ():
        if not wanted:
            continue
        _bundles[key][2] = False
        documents = _documents(read_blob(root, KIND, _documents_key(folders)), _documents_key(folders))
        data = {name: found for name in _DATA if (found := get_data(name, folders, held=False)) is not None}
        text = _dump({"key": key, "packs": compiled() if callable(compiled) else compiled,
                      "documents": documents or {}, "data": data})
        if text is not None:
            write_blob(root, KIND, key, text)


# -- data derived from the lexicon folders (packs.kept_data) ------------------------------

_DATA = ("cues", "disclosures")  # the names kept_data is asked for (kept with the packs, too)

_wanted: dict = {}  # (name, folders key) -> (folders, build): data a run asked for and found no entry of


def _data_key(name: str, folders: list[Path]) -> str:
    return _key("data", name, folders_key(folders))


def get_data(name: str, folders: list[Path], held: bool = True) -> dict | None:
    """The data kept under `name` for these lexicon folders (a dict), or None (`held`:
    the data read with the packs serves, when it holds `name`)."""
    root = _root[0]
    if root is None:
        return None
    found = _held.get(folders_key(folders), {}).get(name) if held else None
    if isinstance(found, dict):
        return found
    from .cache import read_blob

    key = _data_key(name, folders)
    stored = _load(read_blob(root, KIND, key))
    data = stored.get("data") if stored is not None and stored.get("key") == key else None
    return data if isinstance(data, dict) else None


def want_data(name: str, folders: list[Path], build) -> None:
    """Keep `build()` under `name` for these folders at the end of the run (keep_anchors)."""
    if _root[0] is not None:
        _wanted[(name, folders_key(folders))] = (list(folders), build)
        for bundle in _bundles.values():  # (the packs' entry held it damaged, or not at all: keep it again)
            if folders_key(bundle[0]) == folders_key(folders):
                bundle[2] = True


def _want_data(linters) -> None:
    """Ask for the data of `linters`' folders that is not kept (built once, here: a run whose
    workers alone met pages or conditions built it in them, and their copies are lost)."""
    from promiselint.core.data import data_dir

    if _root[0] is None:
        return
    for linter in linters:
        extra = list(linter.settings.lexicon_folders)
        folders = extra + [data_dir("lexicons")]
        if get_data("cues", folders) is None:
            from promiselint.match.conditions import cue_sources

            want_data("cues", folders, partial(cue_sources, folders))
        if linter.enabled_prefix("disclosure") and get_data("disclosures", folders) is None:
            from promiselint.checks.disclosure_cues import load_lexicon, stored_form

            want_data("disclosures", folders, lambda extra=tuple(extra): stored_form(load_lexicon(extra)))


def _keep_data() -> None:
    from .cache import write_blob

    root = _root[0]
    wanted = list(_wanted.items()) if root is not None else []
    _wanted.clear()
    for (name, _), (folders, build) in wanted:
        key = _data_key(name, folders)
        text = _dump({"key": key, "data": build()})
        if text is not None:
            write_blob(root, KIND, key, text)


# -- built grammar parsers (larkstore.py) ---------------------------------------------------

def _parser_key(grammar: str) -> str:
    from promiselint import __version__

    return _key(GRAMMARS, LAYOUT, __version__, sys.version, code_key(), grammar)


def get_parser(grammar: str) -> dict | None:
    """The stored data of `grammar`'s parse table (larkstore.build's form), or None."""
    root = _root[0]
    if root is None:
        return None
    from .cache import read_blob

    key = _parser_key(grammar)
    stored = _load(read_blob(root, GRAMMARS, key))
    return stored["parser"] if stored is not None and stored.get("key") == key else None


def put_parser(grammar: str, data: dict) -> None:
    """Store `grammar`'s parse table (a no-op when off)."""
    root = _root[0]
    if root is None:
        return
    from .cache import write_blob

    key = _parser_key(grammar)
    text = _dump({"key": key, "parser": data})
    if text is not None:
        write_blob(root, GRAMMARS, key, text)


# -- the anchors derived from the patterns (prefilter.py) ----------------------------------

def _anchors_key() -> str:
    from promiselint.core.data import data_dir

    return _key(ANCHORS, folders_key([data_dir("rules"), data_dir("lexicons")]))


def _read_anchors(root: Path) -> dict | None:
    """The anchors stored in `root`'s cache (prefilter.remember's form), or None."""
    from .cache import read_blob

    key = _anchors_key()
    if (root, key) not in _anchors:
        stored = _load(read_blob(root, ANCHORS, key))
        entries = stored.get("entries") if stored is not None and stored.get("key") == key else None
        _anchors[(root, key)] = entries if isinstance(entries, dict) else None
    return _anchors[(root, key)]


def keep_anchors(linters=()) -> None:
    """Store the anchors this process derived, then the regexes it compiled anew
    (a no-op when off or when nothing is new)."""
    _want_data(linters)
    _keep_data()
    _keep_bundles()
    _keep_anchors(linters)
    _keep_regexes()


def _keep_anchors(linters=()) -> None:
    """Store the anchors this process derived (a no-op when off or when nothing is new).
    When the project had none stored, the rules of the languages `linters` met
    and the disclosure cues derive theirs first, so that the next run finds them."""
    from promiselint.match import prefilter

    from .cache import write_blob

    root = _root[0]
    if root is None or not prefilter.enabled():
        return
    key = _anchors_key()
    if (root, key) not in _anchors:
        return  # no prefilter was needed (nothing was linted)
    old = _anchors[(root, key)]
    if not prefilter.kept():  # none stored (or none well formed)
        if not _writable(root):
            return  # (deriving everything would be lost)
        for linter in linters:  # the languages this run met (another derives when first met)
            for matcher in linter.matchers.values():
                matcher.build()
        prefilter.derive_pending()
        from promiselint.checks.disclosure_cues import load_lexicon

        load_lexicon().index.build()  # the built-in disclosure cues' items
    new = prefilter.learned()  # (entries the stored ones lacked, or held malformed)
    if not new:
        return
    entries = {**(old or {}), **new} if len(old or {}) + len(new) <= MAX_ANCHORS else new
    text = _dump({"key": key, "entries": entries})
    if text is not None:
        write_blob(root, ANCHORS, key, text)
        _anchors[(root, key)] = entries


def _writable(root: Path) -> bool:
    """The project's cache folder holds promiselint's blobs (compiled packs were stored)."""
    from .cache import BLOBS, CACHE_DIR

    folder = Path(root).resolve() / CACHE_DIR / BLOBS / KIND
    return folder.is_dir() and not folder.is_symlink()


# -- compiled regexes (match/regexstore.py) ------------------------------------------------

def _regexes_key() -> str:
    from promiselint.core.data import data_dir
    from promiselint.match.regexstore import interpreter

    return _key(REGEXES, interpreter(), folders_key([data_dir("rules"), data_dir("lexicons")]))


def _read_regexes(root: Path) -> list | None:
    """The compiled regexes stored in `root`'s cache (regexstore.learned's form), or None."""
    from .cache import read_blob

    key = _regexes_key()
    stored = _load(read_blob(root, REGEXES, key))
    entries = stored.get("entries") if stored is not None and stored.get("key") == key else None
    return entries if isinstance(entries, list) else None


def _keep_regexes() -> None:
    """Store the regexes this run compiled anew, with those stored before (only the new
    ones when both would pass the bounds)."""
    from promiselint.match import regexstore

    from .cache import write_blob

    root = _root[0]
    new = regexstore.learned() if root is not None else []
    if not new:
        return
    key = _regexes_key()
    old = _read_regexes(root) or []
    fresh = {(e[0], e[1]) for e in new}
    entries = [e for e in old if isinstance(e, list) and len(e) == 7 and isinstance(e[0], str)
               and (e[0], e[1]) not in fresh] + new
    text = _dump({"key": key, "entries": entries})
    if text is not None and (len(entries) > MAX_REGEXES or len(text) > MAX_REGEX_CHARS):
        text = _dump({"key": key, "entries": new})
    if text is not None and len(new) <= MAX_REGEXES and len(text) <= MAX_REGEX_CHARS:
        write_blob(root, REGEXES, key, text)
