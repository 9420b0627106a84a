"""``--statistics``: how many findings of each rule (and severity), like ruff's."""
from __future__ import annotations

import json
from collections import Counter

from promiselint.core.findings import FileResult


def counts(results: list[FileResult]) -> list[dict]:
    """[{rule, severity, count}], most frequent first."""
    c = Counter((f.rule, f.severity) for r in results for f in r.findings)
    return [{"rule": rule, "severity": sev, "count": n}
            for (rule, sev), n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]


def render_text(results: list[FileResult]) -> str:
    rows = counts(results)
    if not rows:
        return ""
    width = max(len(str(r["count"])) for r in rows)
    name = max(len(r["rule"]) for r in rows)
    return "".join(f"{r['count']:>{width}}  {r['rule']:<{name}}  {r['severity']}\n" for r in rows)


def render_json(results: list[FileResult]) -> str:
    return json.dumps(counts(results), ensure_ascii=False) + "\n"
