"""Inline suppressions in HTML and Markdown comments.

    <!-- promiselint-disable-next-line superlative.unverified -- award is sourced on /awards -->
    <!-- promiselint-disable promise -- legal approved 2026-03 -->  ...  <!-- promiselint-enable -->
    <!-- promiselint-disable-line -- reason -->

Rule lists are ids or prefixes, comma or space separated; none means all.
A suppression without a reason (`-- why`) is itself reported.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .document import Document
from .findings import Finding
from .sourcemap import line_col, line_starts

_DIRECTIVE = re.compile(r"^\s*promiselint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)\s*$", re.S)
NO_REASON = "suppression.no-reason"


def _rules(spec: str) -> list[str]:
    return [r for r in re.split(r"[\s,]+", spec.strip()) if r]


def _matches(rule: str, prefixes: list[str]) -> bool:
    return not prefixes or any(rule == p or rule.startswith(p.rstrip(".") + ".") for p in prefixes)


def apply_suppressions(doc: Document, findings: list[Finding]) -> list[Finding]:
    if not doc.comments:
        return findings
    starts = line_starts(doc.text)
    lines: list[tuple[int, int, list[str]]] = []  # (first line, last line, rules)
    extra: list[Finding] = []
    open_blocks: list[tuple[int, list[str]]] = []
    last_line = len(starts) + 1
    for body, start, end in sorted(doc.comments, key=lambda c: c[1]):
        m = _DIRECTIVE.match(body)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2)
        spec, _, reason = rest.partition("--")
        rules = _rules(spec)
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, max(start, end - 1))
        if kind != "enable" and not reason.strip():
            f = Finding(NO_REASON, "suppression", "warning",
                        "Suppression without a reason: add one after “--” so reviewers know why.",
                        start, end, doc.text[start:end], doc.lang or "en",
                        "promiselint-disable-next-line RULE -- why this is fine")
            f.line, f.column = line_col(starts, start)
            f.end_line, f.end_column = line_col(starts, end)
            extra.append(f)
        if kind == "disable-next-line":
            lines.append((end_line + 1, end_line + 1, rules))
        elif kind == "disable-line":
            lines.append((line, end_line, rules))
        elif kind == "disable":
            open_blocks.append((end_line, rules))
        elif open_blocks:
            first, block_rules = open_blocks.pop()
            lines.append((first, line, block_rules))
    for first, block_rules in open_blocks:
        lines.append((first, last_line, block_rules))
    kept = [f for f in findings
            if not any(a <= f.line <= b and _matches(f.rule, rules) for a, b, rules in lines)]
    return kept + extra
