"""Reporters: FileResults -> text for a terminal, JSON, SARIF, GitHub annotations,
GitLab Code Quality; plus ``--statistics`` and the GitHub step summary."""
from __future__ import annotations

from promiselint.core.findings import FileResult

FORMATS = ("text", "json", "sarif", "github", "codequality")


def render(fmt: str, results: list[FileResult], color: bool = False, quiet: bool = False, rules=()) -> str:
    """The report in `fmt`; SARIF describes the `rules` that have findings."""
    if fmt == "json":
        from .jsonout import render as r
    elif fmt == "sarif":
        from .sarif import render

        return render(results, rules)
    elif fmt == "github":
        from .github import render as r
    elif fmt == "codequality":
        from .codequality import render as r
    else:
        from .text import render as r
        return r(results, color, quiet)
    return r(results)
