"""GitLab Code Quality report (``promiselint check --format codequality``).

GitLab reads a JSON array of issues (a subset of the Code Climate format):
``description``, ``check_name``, ``fingerprint``, ``severity`` (info, minor,
major, critical, blocker) and ``location.path`` / ``location.lines.begin``.
GitLab compares fingerprints between the merge request and its target branch
to say which findings are new, so the fingerprint must not change when lines
move: it hashes the rule, the path and the finding's normalized text, plus the
occurrence number of that same (rule, path, text) in the file.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterator

from .escape import one_line

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
CATEGORY = {"superlative": "Style", "promise": "Bug Risk", "claim": "Bug Risk",
            "disclosure": "Compatibility"}


def _repo_path(path: str) -> str:
    """Paths relative to the working directory (the project root in CI), with '/'."""
    if not path or path.startswith("<"):
        return path or "-"
    p = Path(path)
    if p.is_absolute():
        try:
            p = Path(os.path.relpath(p, Path.cwd()))
        except ValueError:
            pass
    s = p.as_posix()
    while s.startswith("./"):
        s = s[2:]
    return s


def fingerprint(rule: str, path: str, text: str, occurrence: int = 0) -> str:
    from promiselint.core.findings import normalize_text

    raw = "\x00".join((rule, path, normalize_text(text), str(occurrence)))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issues(results) -> list[dict]:
    return list(each_issue(results))


def each_issue(results) -> Iterator[dict]:
    """One Code Quality issue per finding, built when it is needed."""
    for res in results:
        path = _repo_path(res.path)
        seen: Counter = Counter()
        for f in res.findings:
            text = f.text or ""
            k = (f.rule, text)
            occurrence = seen[k]
            seen[k] += 1
            description = f.message
            if text and text not in description:
                description = f"{description} «{text}»"
            if f.suggestion:
                description = f"{description} — {f.suggestion}"
            line = max(1, int(f.line or 1))
            issue = {
                "type": "issue",
                "check_name": f.rule,
                "description": one_line(description),
                "categories": [CATEGORY.get(f.category, "Style")],
                "severity": SEVERITY.get(f.severity, "info"),
                "fingerprint": fingerprint(f.rule, path, text, occurrence),
                "location": {"path": path, "lines": {"begin": line,
                                                     "end": max(line, int(f.end_line or line))}},
            }
            yield issue


def render(results) -> str:
    """The Code Quality JSON for a list of FileResult."""
    return "".join(chunks(results))


def chunks(results) -> Iterator[str]:
    """`render`'s JSON one issue at a time (the bytes of ``json.dumps(issues, indent=2)``)."""
    first = True
    for issue in each_issue(results):
        yield ("[\n  " if first else ",\n  ") + json.dumps(issue, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"
