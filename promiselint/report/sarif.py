"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""
from __future__ import annotations

import json

from .. import __version__
from ..findings import FileResult

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(results: list[FileResult], rules=None) -> str:
    if rules is None:
        from ..api import linter_for
        from ..engine import Settings

        rules = linter_for(Settings()).all_rules
    rule_ids = {f.rule for r in results for f in r.findings}
    described = [r for r in rules if r.id in rule_ids]
    known = {r.id for r in described}
    descriptors = [{
        "id": r.id, "name": r.id.replace(".", "-"),
        "shortDescription": {"text": r.text(r.message, "en").replace("“{text}”", "This").replace("{text}", "this")[:200]},
        "fullDescription": {"text": " ".join(r.description.split()) or r.id},
        "help": {"text": "References: " + "; ".join(r.references) if r.references else r.id},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"category": r.category},
    } for r in described]
    descriptors += [{"id": rid, "name": rid.replace(".", "-"), "shortDescription": {"text": rid}}
                    for rid in sorted(rule_ids - known)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    sarif_results = []
    for r in results:
        for f in r.findings:
            region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                      "endColumn": f.end_column, "charOffset": f.offset,
                      "charLength": f.end_offset - f.offset, "snippet": {"text": f.text}}
            res = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVEL[f.severity],
                   "message": {"text": f.message + (f" {f.suggestion}" if f.suggestion else "")},
                   "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)},
                                                        "region": region}}],
                   "partialFingerprints": {"promiselint/v1": _fingerprint(r.path, f)},
                   "properties": {"language": f.language, "category": f.category}}
            sarif_results.append(res)
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "promiselint", "version": __version__,
                            "informationUri": "https://github.com/promiselint/promiselint",
                            "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results}]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


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


def _fingerprint(path: str, f) -> str:
    import hashlib

    return hashlib.sha256(f"{path}\0{f.rule}\0{f.text}".encode()).hexdigest()[:32]
