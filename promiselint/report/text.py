"""Human output: grouped by file, the source line and a marker under the span.

Right-to-left lines are not underlined with carets (terminals lay them out
differently); the flagged words are quoted after the line instead.
"""
from __future__ import annotations

import unicodedata

from ..findings import FileResult
from .jsonout import summary

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
RESET, DIM, BOLD = "\033[0m", "\033[2m", "\033[1m"


def _rtl(line: str) -> bool:
    for ch in line:
        d = unicodedata.bidirectional(ch)
        if d in ("R", "AL"):
            return True
        if d == "L":
            return False
    return False


def _width(s: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)


def render(results: list[FileResult], color: bool = False) -> str:
    c = (lambda code, s: f"{code}{s}{RESET}") if color else (lambda code, s: s)
    out = []
    for r in results:
        if r.notice:
            out.append(c(DIM, f"{r.path}: {r.notice.split(': ', 1)[-1]}"))
        if not r.findings:
            continue
        out.append(c(BOLD, r.path))
        lines = r.text.split("\n")
        for f in sorted(r.findings, key=lambda f: (f.line, f.column)):
            sev = c(COLORS[f.severity], f"{f.severity:<7}")
            where = f"{f.line}:{f.column}"
            key = f"  {c(DIM, '[' + f.context + ']')}" if f.context else ""
            out.append(f"  {where:<8} {sev} {f.message}  {c(DIM, f.rule)}{key}")
            src = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
            shown = src.strip()
            if shown and len(shown) <= 200:
                out.append(f"           {c(DIM, '│')} {shown}")
                if _rtl(shown) or f.end_line != f.line:
                    out.append(f"           {c(DIM, '│')} » {c(COLORS[f.severity], f.text)}")
                else:
                    lead = _width(src[:f.column - 1]) - (len(src) - len(src.lstrip()))
                    out.append(f"           {c(DIM, '│')} {' ' * max(0, lead)}"
                               f"{c(COLORS[f.severity], '^' * max(1, _width(f.text)))}")
            elif shown:
                out.append(f"           {c(DIM, '│')} » {c(COLORS[f.severity], f.text)}")
            if f.suggestion:
                out.append(f"           {c(DIM, '↳')} {f.suggestion}")
        out.append("")
    s = summary(results)
    out.append(f"{s['files']} file(s) checked: {s['error']} error(s), {s['warning']} warning(s), "
               f"{s['info']} note(s)" + (f", {s['skipped']} skipped" if s["skipped"] else ""))
    return "\n".join(out) + "\n"
