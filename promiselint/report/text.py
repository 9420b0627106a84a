"""Human output: grouped by file, the source line and a marker under the span.

Carets are drawn only under lines without right-to-left letters: a bidi
terminal reorders Arabic and Persian runs (and may lay the whole line out
right to left), so there the flagged words are quoted after the line instead.
Everything from the checked file is shown through `escape.visible`.
"""
from __future__ import annotations

import unicodedata

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
    c = (lambda code, s: f"{code}{s}{RESET}") if color else (lambda code, s: s)
    out = []
    bar = c(DIM, "│")
    for r in results:
        if r.notice and not quiet:
            out.append(c(DIM, visible(f"{r.path}: {r.notice.split(': ', 1)[-1]}")))
        if not r.findings:
            continue
        out.append(c(BOLD, visible(r.path)))
        lines = r.text.split("\n")
        for f in sorted(r.findings, key=lambda f: (f.line, f.column)):
            paint = COLORS.get(f.severity, "")
            where = f"{f.line}:{f.column}"
            key = f"  {c(DIM, '[' + visible(f.context) + ']')}" if f.context else ""
            out.append(f"  {where:<8} {c(paint, f'{f.severity:<7}')} {visible(f.message)}  "
                       f"{c(DIM, f.rule)}{key}")
            src = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
            line = visible(src)
            shown = line.strip()
            span = visible(f.text)
            if shown and len(shown) <= MAX_SHOWN:
                out.append(f"           {bar} {shown}")
                if has_rtl(src) or f.end_line != f.line:
                    if span.strip():
                        out.append(f"           {bar} » {c(paint, span.strip())}")
                else:
                    lead = _width(visible(src[:f.column - 1])) - (len(line) - len(line.lstrip()))
                    out.append(f"           {bar} {' ' * max(0, lead)}{c(paint, '^' * max(1, _width(span)))}")
            elif span.strip():
                out.append(f"           {bar} » {c(paint, span.strip())}")
            if f.suggestion:
                out.append(f"           {c(DIM, '↳')} {visible(f.suggestion)}")
        out.append("")
    if not quiet:
        s = summary(results)
        out.append(f"{s['files']} file(s) checked: {s['error']} error(s), {s['warning']} warning(s), "
                   f"{s['info']} note(s)" + (f", {s['skipped']} skipped" if s["skipped"] else ""))
    return "\n".join(out) + ("\n" if out else "")
