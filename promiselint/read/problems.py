"""Findings about an input file itself, not its copy.

    input.invalid     the file cannot be read as its format (invalid JSON, broken
                      front matter, an unclosed comment); the position is the problem's
    input.unreadable  the system refused to read a file or a folder
    input.too-large   the file is over the size cap (`max_file_bytes`) and was not read

They are errors: a CI run must not pass silently over a file it could not read.
`--ignore input.too-large` (or `rules: {input.too-large: warning}`) relaxes one.
"""
from __future__ import annotations

import re

from promiselint.core.findings import FileResult, Finding
from promiselint.core.sourcemap import line_col, line_starts

FORMAT_NAMES = {"txt": "text", "md": "Markdown", "html": "HTML", "json": "JSON", "po": "a PO file", "csv": "CSV"}
MESSAGES = {
    "input.invalid": "promiselint could not read this file as {fmt}: {detail}",
    "input.unreadable": "promiselint could not read this: {detail}",
    "input.too-large": "not checked: {detail} (raise `max_file_bytes` in .promiselint.yaml)",
}


def input_finding(rule: str, detail: str, text: str = "", offset: int = 0, fmt: str = "text") -> Finding:
    """A finding of `rule` at `offset` of `text` (an empty span: a position, not copy)."""
    offset = max(0, min(offset, len(text)))
    line, column = line_col(line_starts(text), offset)
    message = MESSAGES[rule].format(detail=detail, fmt=FORMAT_NAMES.get(fmt, fmt))
    return Finding(rule, "input", "error", message, offset, offset, "", "en", None, line, column, line, column)


def strip_path(message: str, path: str) -> str:
    """A one-line message without its leading `path:` (the finding already names the file)."""
    message = " ".join(str(message).split())
    return re.sub(rf"^{re.escape(path)}(?::\d+)*:\s*", "", message)


def error_offset(error: Exception, path: str, text: str) -> int:
    """Where a parser's error points: its `offset`, else the `path:LINE[:COL]:` its
    message starts with, else the start of the file."""
    offset = getattr(error, "offset", None)
    if isinstance(offset, int):
        return offset
    m = re.match(rf"{re.escape(path)}:(\d+)(?::(\d+))?:", str(error))
    if not m:
        return 0
    starts = line_starts(text)
    line = min(max(int(m.group(1)), 1), len(starts))
    return starts[line - 1] + max(int(m.group(2) or 1) - 1, 0)


def problem_result(path: str, rule: str, detail: str, text: str = "", offset: int = 0,
                   fmt: str = "text", settings=None) -> FileResult:
    """The result of a file that could not be checked at all."""
    return FileResult(path, None, relevant([input_finding(rule, strip_path(detail, path), text, offset, fmt)],
                                           settings), text)


def relevant(findings: list[Finding], settings) -> list[Finding]:
    """Input findings the settings keep (`ignore` and severity overrides apply;
    `select` does not hide them: a file that was not read is always news)."""
    if settings is None:
        return findings
    from promiselint.core.settings import selected

    out = []
    for f in findings:
        if settings.ignore and selected(f.rule, settings.ignore):
            continue
        sev = _override(f.rule, settings.severity or {})
        if sev == "off":
            continue
        if sev:
            f.severity = sev
        out.append(f)
    return out


def _override(rule: str, table: dict) -> str | None:
    from promiselint.core.settings import selected

    keys = [k for k in table if selected(rule, [k])]
    return table[max(keys, key=len)] if keys else None
