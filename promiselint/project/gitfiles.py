"""Which files git says changed: ``--diff-base REV`` and ``--changed``.

    paths = select_paths(paths, diff_base, changed)   # None: no git filter asked
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from promiselint.core.errors import UsageError
from promiselint.formats import EXTENSIONS

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                       ".promiselint_cache", ".tox", ".mypy_cache", ".pytest_cache"})


# -- git: changed files ------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> str:
    import subprocess  # (only --diff-base and --changed run git)

    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise UsageError("--diff-base/--changed need git, and git is not installed")
    if proc.returncode != 0:
        msg = (proc.stderr.strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"git {' '.join(args[:2])}: {msg}")
    return proc.stdout


def _z(out: str) -> list[str]:
    return [p for p in out.split("\0") if p]


def changed_files(rev: str | None = None, cwd: str | os.PathLike | None = None) -> list[Path]:
    """Files changed since `rev` (or, with rev=None, uncommitted changes against HEAD),
    plus untracked files that are not ignored.  Deleted files are left out.

    With a rev, the comparison starts at the merge base of rev and HEAD, so on a
    pull-request branch ``--diff-base origin/main`` lists only the branch's own
    changes, not what landed on main since.  Paths come back relative to the
    working directory when they are under it (absolute otherwise)."""
    cwd = Path(cwd or os.getcwd()).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    if rev:
        try:
            _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
        except UsageError:
            raise UsageError(f"--diff-base: unknown git revision {rev!r}")
        try:
            base = _git(["merge-base", rev, "HEAD"], cwd).strip() or rev
        except UsageError:
            base = rev
        names = _z(_git(["diff", "--name-only", "-z", "--diff-filter=d", "--no-renames", base, "--"], top))
    else:
        try:
            _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd)
            names = _z(_git(["diff", "--name-only", "-z", "--diff-filter=d", "--no-renames", "HEAD", "--"], top))
        except UsageError:  # no commit yet: everything staged is new
            names = _z(_git(["ls-files", "-z", "--cached"], top))
    names += _z(_git(["ls-files", "-z", "--others", "--exclude-standard"], top))
    out, seen = [], set()
    for name in names:
        p = top / name
        if name in seen or not p.is_file():
            continue
        seen.add(name)
        out.append(_relative(p))
    return sorted(out)


def _relative(p: Path) -> Path:
    try:
        return p.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return p


def _within(path: Path, roots: list[Path]) -> bool:
    rp = path.resolve()
    for r in roots:
        rr = r.resolve()
        if rp == rr or rr in rp.parents:
            return True
    return False


def select_paths(paths: Sequence[str | os.PathLike], diff_base: str | None = None,
                 changed: bool = False) -> list[Path] | None:
    """The files `check` should read when --diff-base/--changed is given; None otherwise.

    Only changed files inside the given PATHS (files or folders; none or '-' means
    the whole repository) and with a format promiselint reads are kept.  An empty
    list means nothing changed: `check` reports nothing and exits 0."""
    if not diff_base and not changed:
        return None
    roots = [Path(p) for p in paths if str(p) not in ("", "-")]
    files = changed_files(diff_base or None)
    return [f for f in files
            if f.suffix.lower() in EXTENSIONS and (not roots or _within(f, roots))
            and not any(part in SKIP_DIRS for part in f.parts[:-1])]
