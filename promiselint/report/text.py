"""Human output: grouped by file, the source line and a marker under the span.

Carets are drawn only under lines without right-to-left letters: a bidi
terminal reorders Arabic and Persian runs (and may lay the whole line out
right to left), so there the flagged words are quoted after the line instead.
Everything from the checked file is shown through `escape.visible`.
"""
from __future__ import annotations

import unicodedata
from typing import Iterator

from promiselint.core.findings import FileResult

from .escape import visible
from .jsonout import summary

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
RESET, DIM, BOLD = "\033[0m", "\033[2m", "\033[1m"
MAX_SHOWN = 200  # longer source lines are not repeated; the span is quoted


def has_rtl(s: str) -> bool:
    """Any right-to-left letter (Hebrew, Arabic, Persian...) in `s`."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in s)


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


def render(results: list[FileResult], color: bool = False, quiet: bool = False) -> str:
    return "".join(chunks(results, color, quiet))


def chunks(results: list[FileResult], color: bool = False, quiet: bool = False) -> Iterator[str]:
    """The report a line at a time, file by file."""
    c = (lambda code, s: f"{code}{s}{RESET}") if color else (lambda code, s: s)
    bar = c(DIM, "│")
    for r in results:
        if r.notice and not quiet:
            yield c(DIM, visible(f"{r.path}: {r.notice.split(': ', 1)[-1]}")) + "\n"
        if not r.findings:
            continue
        yield c(BOLD, visible(r.path)) + "\n"
        yield from _file_lines(r, c, bar)
        yield "\n"
    if not quiet:
        s = summary(results)
        yield (f"{s['files']} file(s) checked: {s['error']} error(s), {s['warning']} warning(s), "
               f"{s['info']} note(s)" + (f", {s['skipped']} skipped" if s["skipped"] else "") + "\n")


def _file_lines(r: FileResult, c, bar: str) -> Iterator[str]:
    lines = r.text.split("\n")
    shown_lines: dict[int, str] = {}  # each source line made visible once (a long line holds many findings)
    for f in sorted(r.findings, key=lambda f: (f.line, f.column)):
        paint = COLORS.get(f.severity, "")
        where = f"{f.line}:{f.column}"
        key = f"  {c(DIM, '[' + visible(f.context) + ']')}" if f.context else ""
        yield (f"  {where:<8} {c(paint, f'{f.severity:<7}')} {visible(f.message)}  "
               f"{c(DIM, f.rule)}{key}\n")
        src = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        if f.line not in shown_lines:
            shown_lines[f.line] = _shown(src)
        shown = shown_lines[f.line]
        span = visible(f.text)
        if shown:
            yield f"           {bar} {shown}\n"
            if has_rtl(src) or f.end_line != f.line:
                if span.strip():
                    yield f"           {bar} » {c(paint, span.strip())}\n"
            else:
                line = visible(src)
                lead = _width(visible(src[:f.column - 1])) - (len(line) - len(line.lstrip()))
                yield f"           {bar} {' ' * max(0, lead)}{c(paint, '^' * max(1, _width(span)))}\n"
        elif span.strip():
            yield f"           {bar} » {c(paint, span.strip())}\n"
        if f.suggestion:
            yield f"           {c(DIM, '↳')} {visible(f.suggestion)}\n"


def _shown(src: str) -> str:
    """The source line as shown under a finding, or "" when it is empty or too long to repeat."""
    shown = visible(src).strip()
    return shown if len(shown) <= MAX_SHOWN else ""
