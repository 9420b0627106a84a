"""Write a file atomically: a temporary file in the same folder, then rename."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write `text` (a string, or its pieces) as UTF-8 (a lone surrogate, e.g. from a file name that is not
    UTF-8, is written as U+FFFD); the file is replaced whole or not at all."""
    import tempfile  # (with shutil, random...: only a run that writes a file pays for it)

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.writelines([text] if isinstance(text, str) else text)
        os.chmod(tmp, _mode(path))  # mkstemp makes it 0600: keep the file's mode, else the umask's
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(path: Path) -> int:
    """The mode `path` has, or the one a new file gets (0666 less the umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
