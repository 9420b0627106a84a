"""GitHub Actions workflow commands: one annotation per finding."""
from __future__ import annotations

from ..findings import FileResult

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def render(results: list[FileResult]) -> str:
    lines = []
    for r in results:
        for f in r.findings:
            props = (f"file={_escape(r.path, True)},line={f.line},col={f.column},"
                     f"endLine={f.end_line},endColumn={f.end_column},title={_escape(f.rule, True)}")
            msg = f.message + (f" — {f.suggestion}" if f.suggestion else "")
            lines.append(f"::{LEVEL[f.severity]} {props}::{_escape(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")
