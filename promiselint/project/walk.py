"""The file walk: which files a run checks, and what it leaves out and why.

Only regular files are taken; a symlink only to a regular file inside the
walked folder (a file named on the command line: inside its project); a
symlinked folder is not entered, so there are no loops.  promiselint's own
files (config, claims registry, baseline) are never checked as copy.
"""
from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.findings import FileResult
from promiselint.formats import format_for
from promiselint.read.problems import problem_result
from promiselint.read.reader import kind_of

SKIP_DIRS = ("node_modules", "__pycache__")


def shown_path(path: Path) -> str:
    """A path as reports show it: posix, and printable as UTF-8 (a file name that is
    not valid UTF-8 shows U+FFFD for its bad bytes)."""
    s = path.as_posix()
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def own_files(config, baseline=None) -> set[str]:
    """promiselint's own files, never checked as copy: the config, the claims registry,
    the baseline (given, and the default name beside the config)."""
    from .baseline import DEFAULT_NAME

    own = {config.root / DEFAULT_NAME}
    if config.path is not None:
        own.add(Path(config.path))
    if config.data.get("claims"):
        own.add(config.root / config.data["claims"])
    if baseline:
        own.add(Path(baseline))
    return {os.path.abspath(p) for p in own}


def walk(paths: list[Path], config) -> list[Path]:
    """Files to check (see walk_entries), without the skipped ones."""
    return [p for p in walk_entries(paths, config, own_files(config)) if isinstance(p, Path)]


def walk_entries(paths: list[Path], config, own: set[str] = frozenset()) -> list:
    """Files to check, in order: given files as they are, folders walked with excludes.

    Only regular files are taken, and symlinks only to a regular file inside the
    walked folder (a given file: inside its project); a symlinked folder is not
    entered; promiselint's own files (`own`: baseline, config, registry) are
    left out.  What else is left out is a FileResult in the list: a notice
    (FIFO, device, symlink out of the tree or a loop) or an `input.unreadable`
    finding (a folder that cannot be listed)."""
    from .cache import CACHE_DIR, find_root

    out: list = []

    def add(entry) -> None:
        if entry is not None:
            out.append(entry)

    for path in paths:
        try:
            os.lstat(path)
        except FileNotFoundError:
            raise UsageError(f"{shown_path(path)}: no such file or directory")
        except OSError as e:  # e.g. inside a folder that cannot be searched
            add(problem_result(shown_path(path), "input.unreadable", e.strerror or str(e)))
            continue
        if not os.path.isdir(path):
            add(_admit(path, find_root(path), own))
            continue
        root = Path(os.path.realpath(path))
        failed: list[OSError] = []
        for folder, dirs, files in os.walk(path, onerror=failed.append):
            _report_unreadable(failed, out)
            keep = []
            for d in sorted(dirs):
                sub = Path(folder, d)
                if d.startswith(".") or d in SKIP_DIRS or d == CACHE_DIR \
                        or config.excluded(sub, is_dir=True):
                    continue
                if os.path.islink(sub):
                    out.append(_notice(sub, "a symlink to a folder, not followed"))
                    continue
                keep.append(d)
            dirs[:] = keep
            for name in sorted(files):
                dot = name.rfind(".")  # (the suffix as PurePath.suffix has it)
                if not _format_of(name[dot:] if 0 < dot < len(name) - 1 else ""):
                    continue
                full = os.path.join(folder, name)
                p = Path(full)
                if not config.excluded(p):
                    add(_admit(p, root, own, path, full))
        _report_unreadable(failed, out)
    return out


@lru_cache(maxsize=256)
def _format_of(extension: str) -> str | None:
    """The format of files with this extension (format_for, once per extension: a walk
    asks for every file)."""
    return format_for("file" + extension)


def _admit(path: Path, root: Path, own: set[str], shown_root: Path | None = None,
           where: str | None = None) -> Path | FileResult | None:
    """`path` (`where`: the same as a str) if it is a regular file to check, a notice
    saying why not, or None for promiselint's own files (not copy, left out without a word)."""
    where = where or os.fspath(path)
    if os.path.abspath(where) in own:
        return None
    try:
        st = os.lstat(where)
    except OSError as e:
        return problem_result(shown_path(path), "input.unreadable", e.strerror or str(e))
    if stat.S_ISLNK(st.st_mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
            st = os.stat(target)
        except OSError as e:
            why = "a symlink loop" if e.errno == errno.ELOOP else "a broken symlink"
            return _notice(path, f"{why}, not followed")
        if not target.is_relative_to(Path(os.path.realpath(root))):
            return _notice(path, f"a symlink to outside {shown_path(shown_root or root)}, not followed")
        if str(target) in own:
            return None
    if not stat.S_ISREG(st.st_mode):
        return _notice(path, f"{kind_of(st.st_mode)}, not read")
    return path


def _notice(path: Path, why: str) -> FileResult:
    shown = shown_path(path)
    return FileResult(shown, None, [], "", notice=f"{shown}: {why}")


def _report_unreadable(failed: list[OSError], out: list) -> None:
    for e in failed:
        shown = shown_path(Path(e.filename or "?"))
        out.append(problem_result(shown, "input.unreadable", f"cannot list folder: {e.strerror or e}"))
    failed.clear()
