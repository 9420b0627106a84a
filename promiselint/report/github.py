"""GitHub Actions: one workflow-command annotation per finding, and a Markdown
summary for ``$GITHUB_STEP_SUMMARY`` (GitHub shows only ten error annotations
per step; the summary lists them all, up to MAX_ROWS)."""
from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import Iterator

from promiselint.core.findings import FileResult

from .escape import one_line, visible
from .jsonout import summary

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
MAX_ROWS = 500  # the step summary is limited to 1 MiB per step


def _escape(s: str, prop: bool = False) -> str:
    """Workflow-command escaping: data escapes % CR LF; properties also : and ,."""
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


def render(results: list[FileResult]) -> str:
    return "".join(chunks(results))


def chunks(results: list[FileResult]) -> Iterator[str]:
    """One workflow command (a line) per finding."""
    for r in results:
        path = _escape(r.path, True)
        for f in r.findings:
            props = (f"file={path},line={f.line},col={f.column},"
                     f"endLine={f.end_line},endColumn={f.end_column},title={_escape(f.rule, True)}")
            msg = visible(one_line(f.message + (f" — {f.suggestion}" if f.suggestion else "")))
            yield f"::{LEVEL.get(f.severity, 'notice')} {props}::{_escape(msg)}\n"


def _cell(s: str) -> str:
    """Text safe inside a Markdown table cell (GitHub renders HTML too)."""
    s = visible(one_line(s)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("|", "\\|").replace("`", "\\`")


def step_summary(results: list[FileResult]) -> str:
    """The Markdown appended to $GITHUB_STEP_SUMMARY: totals, counts per rule, findings."""
    s = summary(results)
    out = ["## promiselint", "",
           f"**{s['error']} error(s), {s['warning']} warning(s), {s['info']} note(s)** "
           f"in {s['files']} file(s) checked" + (f", {s['skipped']} skipped" if s["skipped"] else ""), ""]
    if not s["findings"]:
        return "\n".join(out) + "\n"
    findings = ((r, f) for r in results for f in r.findings)
    counts = Counter((f.rule, f.severity) for r in results for f in r.findings)
    out += ["| rule | severity | count |", "|---|---|---:|"]
    out += [f"| `{rule}` | {sev} | {n} |" for (rule, sev), n in
            sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    out += ["", "| file | line | severity | rule | message |", "|---|---:|---|---|---|"]
    for r, f in islice(findings, MAX_ROWS):
        out.append(f"| {_cell(r.path)} | {f.line} | {f.severity} | `{f.rule}` | {_cell(f.message)} |")
    if s["findings"] > MAX_ROWS:
        out += ["", f"… and {s['findings'] - MAX_ROWS} more (see the job log)."]
    return "\n".join(out) + "\n"
