"""Baselines: adopt promiselint in a repository without fixing every old page first.

    promiselint baseline content/ -o .promiselint-baseline.json
    promiselint check content/ --baseline .promiselint-baseline.json

A baseline records, for every current finding, the key (rule, path, normalized
text) and how many times that key occurs.  Line numbers are not part of the
key, so findings survive edits that move lines; the text is normalized (NFKC,
case, spaces, harakat, tatweel, bidi marks, ZWNJ, digits) so that cosmetic
edits do not revive an old finding.  When filtering, each entry absorbs up to
its count of matching findings, in file order: a page that had one «الأرخص» and
now has two reports the second one.

Paths are stored relative to the baseline file's folder, with ``/``, so the
same baseline works from any checkout and any working directory.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable

from promiselint.core.errors import UsageError
from promiselint.core.findings import normalize_text

BASELINE_VERSION = 1
DEFAULT_NAME = ".promiselint-baseline.json"

_PSEUDO = ("<", "-")  # "<stdin>", "<text>", "-": not file paths


def normalize_path(path: str, root: Path) -> str:
    """`path` (as reported, relative to the working directory) relative to `root`, posix."""
    if not path or path.startswith(_PSEUDO):
        return path
    p = Path(path)
    absolute = p if p.is_absolute() else Path.cwd() / p
    try:
        rel = os.path.relpath(os.path.abspath(absolute), os.path.abspath(root))
    except ValueError:  # another drive on Windows
        rel = str(absolute)
    return Path(rel).as_posix()


def key(rule: str, path: str, text: str) -> tuple[str, str, str]:
    return (rule, path, normalize_text(text))


def build(results: Iterable, root: Path) -> dict:
    """The baseline document for `results` (FileResult objects or their dicts)."""
    counts: Counter = Counter()
    shown: dict[tuple, str] = {}
    for res in results:
        path, findings = _path_and_findings(res)
        npath = normalize_path(path, root)
        for f in findings:
            rule, text = _rule_and_text(f)
            k = key(rule, npath, text)
            counts[k] += 1
            shown.setdefault(k, text)
    entries = [{"rule": k[0], "path": k[1], "text": shown[k], "count": n}
               for k, n in sorted(counts.items())]
    return {"version": BASELINE_VERSION, "tool": "promiselint",
            "about": "Findings accepted when this file was written; "
                     "`promiselint check --baseline` reports only new ones.",
            "findings": entries}


def write(results: Iterable, baseline_path: str | os.PathLike) -> int:
    """Write the baseline for `results`; returns the number of findings recorded."""
    bpath = Path(baseline_path)
    doc = build(results, bpath.parent if str(bpath.parent) else Path("."))
    from promiselint.core.writefile import write_atomic

    bpath.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(bpath, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return sum(e["count"] for e in doc["findings"])


def load(baseline_path: str | os.PathLike) -> Counter:
    """Counter of baseline keys; UsageError for a missing or malformed file."""
    bpath = Path(baseline_path)
    try:
        doc = json.loads(bpath.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{bpath}: baseline file not found (write one with `promiselint baseline`)")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{bpath}: cannot read baseline: {e}")
    except json.JSONDecodeError as e:
        raise UsageError(f"{bpath}: baseline is not valid JSON: {e.msg} at line {e.lineno}")
    entries = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or doc.get("version") != BASELINE_VERSION:
        raise UsageError(f"{bpath}: not a promiselint baseline (version {BASELINE_VERSION})")
    counts: Counter = Counter()
    for e in entries:
        try:
            counts[key(e["rule"], e["path"], e.get("text", ""))] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"{bpath}: malformed baseline entry: {e!r}")
    return counts


def filter(results: list, baseline_path: str | os.PathLike) -> list:  # noqa: A001 - the API name
    """`results` without the findings the baseline accepts (copies; inputs untouched)."""
    return filter_counted(results, baseline_path)[0]


def filter_counted(results: list, baseline_path: str | os.PathLike) -> tuple[list, int]:
    """Like filter(), and the number of findings the baseline absorbed."""
    bpath = Path(baseline_path)
    budget = load(bpath)
    root = bpath.parent if str(bpath.parent) else Path(".")
    out, absorbed = [], 0
    for res in results:
        path, findings = _path_and_findings(res)
        npath = normalize_path(path, root)
        kept = []
        for f in findings:
            rule, text = _rule_and_text(f)
            k = key(rule, npath, text)
            if budget[k] > 0:
                budget[k] -= 1
                absorbed += 1
            else:
                kept.append(f)
        out.append(_with_findings(res, kept))
    return out, absorbed


# -- FileResult or dict ---------------------------------------------------------

def _path_and_findings(res) -> tuple[str, list]:
    if isinstance(res, dict):
        return res.get("path", ""), res.get("findings", [])
    return res.path, res.findings


def _rule_and_text(f) -> tuple[str, str]:
    if isinstance(f, dict):
        return f["rule"], f.get("text") or ""
    return f.rule, f.text or ""


def _with_findings(res, findings: list):
    if isinstance(res, dict):
        return {**res, "findings": findings}
    if dataclasses.is_dataclass(res):
        return dataclasses.replace(res, findings=findings)
    new = copy.copy(res)
    new.findings = findings
    return new


def apply(results: list, baseline_path: str | os.PathLike | None) -> list:
    """`results` without the findings accepted by the baseline (unchanged when None)."""
    if not baseline_path:
        return results
    return filter(results, baseline_path)
