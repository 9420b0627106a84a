"""Inline suppressions in HTML and Markdown comments.

    <!-- promiselint-disable-next-line superlative.unverified -- award is sourced on /awards -->
    <!-- promiselint-disable promise -- legal approved 2026-03 -->  ...  <!-- promiselint-enable -->
    <!-- promiselint-disable-line -- reason -->

Rule lists are ids or prefixes, comma or space separated; none means all.
A suppression without a reason (`-- why`) is itself reported, and so is one
naming a rule that does not exist (`suppression.unknown-rule`, an error, as
ESLint reports an unknown rule in a directive): a typo must not pass silently,
and a finding keeps the other files' findings coming where exit code 2 would
stop the whole run over one content file.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from promiselint.core.document import Document
from promiselint.core.findings import Finding
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import line_col, line_starts

_DIRECTIVE = lazy_compile(r"^\s*promiselint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)\s*$", re.S)
NO_REASON = "suppression.no-reason"
UNKNOWN = "suppression.unknown-rule"


def _rules(spec: str) -> list[str]:
    return [r for r in re.split(r"[\s,]+", spec.strip()) if r]


def _matches(rule: str, prefixes: list[str]) -> bool:
    return not prefixes or any(rule == p or rule.startswith(p.rstrip(".") + ".") for p in prefixes)


def _finding(doc: Document, starts, rule: str, severity: str, message: str, start: int, end: int,
             suggestion: str) -> Finding:
    f = Finding(rule, "suppression", severity, message, start, end, doc.text[start:end], doc.lang or "en",
                suggestion)
    f.line, f.column = line_col(starts, start)
    f.end_line, f.end_column = line_col(starts, end)
    return f


def apply_suppressions(doc: Document, findings: list[Finding], loaded=None) -> list[Finding]:
    """`findings` minus the suppressed ones, plus findings about the directives
    (no reason; with `loaded`, the loaded rules, an unknown rule id or prefix)."""
    if not doc.comments:
        return findings
    known = None
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
            extra.append(_finding(doc, starts, NO_REASON, "warning",
                                  "Suppression without a reason: add one after “--” so reviewers know why.",
                                  start, end, "promiselint-disable-next-line RULE -- why this is fine"))
        if loaded is not None and rules:
            from promiselint.match.ids import hint, is_known, known_ids

            known = known if known is not None else known_ids(loaded)
            for name in rules:
                if not is_known(name, known):
                    extra.append(_finding(
                        doc, starts, UNKNOWN, "error",
                        f"Suppression names an unknown rule or prefix “{name}”{hint(name, known)}: "
                        "it suppresses nothing.", start, end, "promiselint rules"))
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
