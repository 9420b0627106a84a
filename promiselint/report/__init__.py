"""Reporters: FileResults -> text for a terminal, JSON, SARIF, GitHub annotations."""
from __future__ import annotations

from ..findings import FileResult


def render(fmt: str, results: list[FileResult], color: bool = False) -> str:
    if fmt == "json":
        from .jsonout import render as r
    elif fmt == "sarif":
        from .sarif import render as r
    elif fmt == "github":
        from .github import render as r
    elif fmt == "codequality":
        from ..report_codequality import render as r
    else:
        from .text import render as r
        return r(results, color)
    return r(results)


FORMATS = ("text", "json", "sarif", "github", "codequality")
