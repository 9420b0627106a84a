"""Disclosure findings: the glue between the linter and disclosures.py."""
from __future__ import annotations

import os
from pathlib import Path

from promiselint.core.findings import Finding

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


def _options(linter) -> dict:
    s = linter.settings
    return {"page_types": s.page_types, "lexicon_folders": tuple(s.lexicon_folders)}


def disclosure_findings(linter, doc) -> list[Finding]:
    from .disclosures import check_page

    return [f for m in check_page(doc, **_options(linter)) if (f := _finding(linter, m))]


def site_findings(linter, results, roots) -> None:
    """Storefront mode: replace per-page disclosure findings by site-wide ones.

    Pages are named relative to the common root of the checked folders, so a
    root-relative link (/privacy) resolves the way the web server would.
    """
    from promiselint.core.findings import locate
    from promiselint.formats import format_for, parse

    from .disclosures import check_site

    folders = [Path(r) for r in roots if Path(r).is_dir()] or [Path(".")]
    root = Path(os.path.commonpath([str(f.resolve()) for f in folders]))
    docs, by_rel, others = [], {}, []
    for r in results:
        try:
            rel = Path(r.path).resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        by_rel[rel] = r
        if format_for(r.path) in ("html", "md") and r.text:
            docs.append(parse(r.text, format_for(r.path), rel))
    for folder in folders:
        for p in folder.rglob("*"):
            if p.is_file() and format_for(str(p)) not in ("html", "md"):  # link targets, not pages
                others.append(p.resolve().relative_to(root).as_posix())
    for rel, items in check_site(docs, other_files=others, **_options(linter)).items():
        r = by_rel.get(rel)
        if r is None:
            continue
        r.findings = [f for f in r.findings if not f.rule.startswith(RULE_PREFIX)]
        new = [f for m in items if (f := _finding(linter, m))]
        locate(r.text, new)
        r.findings.extend(new)
