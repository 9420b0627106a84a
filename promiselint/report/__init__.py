"""Reporters: FileResults -> text for a terminal, JSON, SARIF, GitHub annotations,
GitLab Code Quality; plus ``--statistics`` and the GitHub step summary.

Each reporter's `chunks` yields its report piece by piece (per file, per
finding), so a run with many findings never holds the whole report."""
from __future__ import annotations

from typing import Iterable

from promiselint.core.findings import FileResult

FORMATS = ("text", "json", "sarif", "github", "codequality")


def chunks(fmt: str, results: list[FileResult], color: bool = False, quiet: bool = False,
           rules=()) -> Iterable[str]:
    """The report in `fmt`, piece by piece; SARIF describes the `rules` that have findings."""
    if fmt == "json":
        from .jsonout import chunks as c
    elif fmt == "sarif":
        from .sarif import chunks as sarif

        return sarif(results, rules)
    elif fmt == "github":
        from .github import chunks as c
    elif fmt == "codequality":
        from .codequality import chunks as c
    else:
        from .text import chunks as text

        return text(results, color, quiet)
    return c(results)


def render(fmt: str, results: list[FileResult], color: bool = False, quiet: bool = False, rules=()) -> str:
    """The whole report in `fmt` as one string."""
    return "".join(chunks(fmt, results, color, quiet, rules))
