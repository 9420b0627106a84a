"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

No ``informationUri``: promiselint has no public home page yet, and a
placeholder address would send readers nowhere; each rule's ``help`` carries
what ``promiselint explain RULE`` prints instead."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Iterator

from promiselint.core.findings import FileResult
from promiselint.core.version import __version__

from .docs import explain_rule
from .escape import one_line

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(results: list[FileResult], rules=()) -> str:
    """SARIF 2.1.0; `rules` (the run's rules) describe the rules that have findings."""
    return "".join(chunks(results, rules))


def chunks(results: list[FileResult], rules=()) -> Iterator[str]:
    """The SARIF document of `render`, one result at a time (the same bytes as
    ``json.dumps(doc, indent=2)``: each result indented to its depth, 8 spaces)."""
    descriptors = _descriptors(results, rules)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "promiselint", "version": __version__, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": []}]}
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    cut = text.rindex('"results": []') + len('"results": ')  # the run's last key
    head, tail = text[:cut], text[cut + 2:] + "\n"
    yield head
    first = True
    for res in _results(results, index):
        yield ("[\n" if first else ",\n") + _INDENT + json.dumps(res, ensure_ascii=False, indent=2).replace(
            "\n", "\n" + _INDENT)
        first = False
    yield ("[]" if first else "\n" + _INDENT[2:] + "]") + tail


_INDENT = " " * 8  # doc > runs > run > results > result


def _descriptors(results: list[FileResult], rules) -> list[dict]:
    rule_ids = {f.rule for r in results for f in r.findings}
    described = [r for r in rules if r.id in rule_ids]
    known = {r.id for r in described}
    descriptors = [{
        "id": r.id, "name": r.id.replace(".", "-"),
        "shortDescription": {"text": r.text(r.message, "en").replace("“{text}”", "This").replace("{text}", "this")[:200]},
        "fullDescription": {"text": " ".join(r.description.split()) or r.id},
        "help": {"text": explain_rule(r, "en"), "markdown": _help_markdown(r)},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"category": r.category},
    } for r in described]
    descriptors += [{"id": rid, "name": rid.replace(".", "-"), "shortDescription": {"text": rid}}
                    for rid in sorted(rule_ids - known)]
    return descriptors


def _results(results: list[FileResult], index: dict) -> Iterator[dict]:
    """One SARIF result per finding, built when it is written."""
    for r in results:
        uri = _uri(r.path)
        seen: Counter = Counter()
        for f in r.findings:
            occurrence = seen[(f.rule, f.text)]
            seen[(f.rule, f.text)] += 1
            region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                      "endColumn": f.end_column, "charOffset": f.offset,
                      "charLength": f.end_offset - f.offset, "snippet": {"text": f.text}}
            yield {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVEL[f.severity],
                   "message": {"text": one_line(f.message + (f" {f.suggestion}" if f.suggestion else ""))},
                   "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                        "region": region}}],
                   "partialFingerprints": {"promiselint/v1": _fingerprint(r.path, f, occurrence)},
                   "properties": {"language": f.language, "category": f.category}}


def _uri(path: str) -> str:
    """A URI reference for a checked path: relative to the working directory when
    possible (what code scanning expects), percent-encoded (Arabic file names)."""
    from pathlib import Path
    from urllib.parse import quote

    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    text = p.as_posix()
    return quote(text[2:] if text.startswith("./") else text)


def _fingerprint(path: str, f, occurrence: int = 0) -> str:
    """Stable across moved lines (path, rule, text) and unique within a file: the
    n-th finding with the same rule and text adds n (the first keeps the
    fingerprint it had before occurrences were counted)."""
    raw = f"{path}\0{f.rule}\0{f.text}" + (f"\0{occurrence}" if occurrence else "")
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _help_markdown(rule) -> str:
    """`promiselint explain RULE` as Markdown."""
    out = [f"**{rule.id}** ({rule.category}, default severity {rule.severity})", ""]
    if rule.description:
        out += [" ".join(rule.description.split()), ""]
    out.append(f"Message: {rule.text(rule.message, 'en')}")
    if rule.suggestion:
        out.append(f"\nSuggestion: {rule.text(rule.suggestion, 'en')}")
    if rule.unless_source:
        out += ["", f"Not reported when: `{' '.join(rule.unless_source.split())}`"]
    if rule.references:
        out += ["", "References:", ""] + [f"- {ref}" for ref in rule.references]
    examples = [e for e in rule.examples if e.get("lang", "en") == "en"] or rule.examples
    if examples:
        out += ["", "Examples:", ""]
        out += [f"- {'FAIL' if 'flag' in e else 'PASS'}: `{e.get('flag', e.get('ok', ''))}`" for e in examples]
    return "\n".join(out)
