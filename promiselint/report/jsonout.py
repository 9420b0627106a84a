"""JSON output: the contract other tools rely on (version 1)."""
from __future__ import annotations

import json
from collections import Counter

from promiselint.core.findings import FileResult


def summary(results: list[FileResult]) -> dict:
    counts = Counter(f.severity for r in results for f in r.findings)
    return {"files": len(results), "findings": sum(counts.values()),
            "error": counts["error"], "warning": counts["warning"], "info": counts["info"],
            "skipped": sum(1 for r in results if r.notice)}


def render(results: list[FileResult]) -> str:
    return json.dumps({"version": 1, "files": [r.to_dict() for r in results],
                       "summary": summary(results)}, ensure_ascii=False) + "\n"
