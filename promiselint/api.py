"""The library API and the file walk shared by the CLI and the service."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .engine import Linter, Settings
from .errors import SkipFile, UsageError
from .findings import FileResult
from .formats import FORMATS, format_for, parse
from .reader import read_path

_LINTERS: dict = {}


def linter_for(settings: Settings) -> Linter:
    """Linters are cached per settings: rules compile once per process."""
    key = repr(settings)
    if key not in _LINTERS:
        _LINTERS[key] = Linter(settings)
    return _LINTERS[key]


def lint_text(linter: Linter, text: str, fmt: str, path: str) -> FileResult:
    doc = parse(text, fmt, path)
    findings = linter.lint(doc)
    langs = [f.language for f in findings]
    language = doc.lang or (max(set(langs), key=langs.count) if langs else _doc_language(linter, doc))
    return FileResult(path, language, findings, text)


def _doc_language(linter: Linter, doc) -> str | None:
    from .language import detect

    sample = " ".join(b.text.text for b in doc.blocks[:50])
    return detect(sample[:5000], linter.settings.lang)


def check_text(text: str, fmt: str = "txt", lang: str | None = None, filename: str = "<text>",
               select=None, ignore=None, settings: Settings | None = None) -> FileResult:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if settings is None:
        settings = Settings(select=list(select or []), ignore=list(ignore or []), lang=lang)
    return lint_text(linter_for(settings), text, fmt, filename)


def lint_file(linter: Linter, path: Path, display: str, fmt: str | None = None) -> FileResult:
    try:
        text, encoding = read_path(path)
    except SkipFile as e:
        return FileResult(display, None, [], "", notice=str(e))
    return lint_text(linter, text, fmt or format_for(str(path), "txt"), display)


def check_paths(paths, select=None, ignore=None, lang=None, config_path=None) -> list[FileResult]:
    from .config import load_config

    config = load_config(Path(next(iter(paths), ".")), config_path)
    settings = config.settings(select=select, ignore=ignore, lang=lang)
    linter = linter_for(settings)
    return [lint_file(linter, p, str(p)) for p in walk([Path(p) for p in paths], config)]


def walk(paths: list[Path], config) -> list[Path]:
    """Files to check: given files as they are, folders walked with excludes."""
    out = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_file():
            out.append(path)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")
                             and not config.excluded(Path(root, d), is_dir=True))
            for name in sorted(files):
                p = Path(root, name)
                if format_for(name) and not config.excluded(p):
                    out.append(p)
    return out
