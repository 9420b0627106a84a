"""promiselint: lint storefront copy in Arabic, Persian and English for
unverifiable superlatives, unsupported promises and missing disclosures.

    import promiselint
    result = promiselint.check_text("The fastest delivery in town!", format="txt")
    for f in result.findings:
        print(f.rule, f.severity, f.text)
"""
from __future__ import annotations

from promiselint.core.findings import FileResult, Finding, severity_rank
from promiselint.core.version import __version__


def check_text(text: str, format: str = "txt", lang: str | None = None, filename: str = "<text>",
               select: list[str] | None = None, ignore: list[str] | None = None,
               settings=None) -> FileResult:
    """Lint one text; the same findings the CLI reports for a file with this content."""
    from promiselint.project.api import check_text as _check

    return _check(text, format, lang, filename, select, ignore, settings)


def check_paths(paths, select: list[str] | None = None, ignore: list[str] | None = None,
                lang: str | None = None, config_path=None) -> list[FileResult]:
    """Lint files and folders as `promiselint check PATHS` does (config discovered)."""
    from promiselint.project.api import check_paths as _check

    return _check(paths, select, ignore, lang, config_path)


__all__ = ["check_text", "check_paths", "Finding", "FileResult", "severity_rank", "__version__"]
