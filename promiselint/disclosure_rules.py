"""Disclosure findings: glue between the linter and disclosures.py."""
from __future__ import annotations

from .findings import Finding

RULE_PREFIX = "disclosure."


def _finding(linter, m) -> Finding | None:
    rule_id = RULE_PREFIX + m.kind
    if not linter.enabled(rule_id):
        return None
    rule = next((r for r in linter.rules if r.id == rule_id), None)
    severity = linter.severity_override(rule_id) or (rule.severity if rule else "error")
    suggestion = rule.text(rule.suggestion, m.lang) if rule and rule.suggestion else None
    return Finding(rule_id, "disclosure", severity, m.message, m.offset, m.end_offset, "", m.lang,
                   suggestion, value=m.detail or None)


def disclosure_findings(linter, doc) -> list[Finding]:
    from .disclosures import check_page

    return [f for m in check_page(doc) if (f := _finding(linter, m))]


def site_findings(linter, results, roots) -> None:
    """Storefront mode: replace per-page disclosure findings by site-wide ones."""
    from .disclosures import check_site
    from .formats import format_for, parse
    from .engine import _locate

    docs = []
    for r in results:
        fmt = format_for(r.path)
        if fmt in ("html", "md") and r.text:
            docs.append(parse(r.text, fmt, r.path))
    missing = check_site(docs)
    by_path = {r.path: r for r in results}
    for path, items in missing.items():
        r = by_path.get(path)
        if r is None:
            continue
        r.findings = [f for f in r.findings if not f.rule.startswith(RULE_PREFIX)]
        new = [f for m in items if (f := _finding(linter, m))]
        _locate(r.text, new)
        r.findings.extend(new)
