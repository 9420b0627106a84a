"""What the language server lints, and how: the same config and engine as `check`.

A document is linted from the editor's buffer with the settings `.promiselint.yaml`
gives its path (walking up, as `check` does); its format comes from the
editor's languageId, else from the file extension.  The site check treats the
document's workspace folder as one storefront (`check --site`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from promiselint.checks.linter import Linter
from promiselint.core.errors import SkipFile
from promiselint.core.findings import FileResult, Finding
from promiselint.formats import format_for
from promiselint.project.api import lint_text, linter_for, walk
from promiselint.project.config import load_config
from promiselint.read.reader import read_path

LANGUAGE_IDS = {"plaintext": "txt", "markdown": "md", "html": "html", "json": "json", "jsonc": "json",
                "po": "po", "pot": "po", "csv": "csv"}
PAGE_FORMATS = ("html", "md")
MAX_SITE_PAGES = 5000  # a workspace with more pages than this is not a storefront: no site check


@dataclass
class Linted:
    """A document's findings for one version of its text."""

    text: str
    version: int | None
    fmt: str
    result: FileResult
    linter: Linter
    site: bool = False  # site mode: disclosures come from the site check
    error: str | None = None  # a config or input error, shown instead of findings
    findings: list[Finding] = field(default_factory=list)


def document_format(language_id: str | None, path: str | None) -> str | None:
    """The editor's languageId decides; "plaintext" (what an editor says of a
    `.po` or `.csv` it has no mode for) yields to the file extension."""
    if language_id != "plaintext" and language_id in LANGUAGE_IDS:
        return LANGUAGE_IDS[language_id]
    return (format_for(path) if path else None) or LANGUAGE_IDS.get(language_id or "")


def lint_document(text: str, version, fmt: str, path: str | None, fallback_dir: Path) -> Linted | None:
    """Lint a buffer; None when the config excludes its file."""
    where = Path(path) if path else None
    config = load_config(where or fallback_dir)
    if where is not None and config.excluded(where):
        return None
    linter = linter_for(config.settings(for_path=where))
    result = lint_text(linter, text, fmt, path or "<buffer>")
    return Linted(text, version, fmt, result, linter, site=bool(config.data.get("site", True)),
                  findings=list(result.findings))


def site_disclosures(root: Path, buffers: dict[str, str]) -> dict[str, tuple[str, list[Finding]]] | None:
    """(text checked, disclosure findings) of every page under `root` checked as one
    storefront, by absolute path (open documents are read from `buffers`, the rest
    from disk); None when the config turns site mode off or there are too many pages."""
    from promiselint.checks.disclosure_findings import RULE_PREFIX, site_findings

    config = load_config(root)
    if config.data.get("site") is False:
        return None
    pages = [p.resolve() for p in walk([root], config) if format_for(p.name) in PAGE_FORMATS]
    if len(pages) > MAX_SITE_PAGES:
        return None
    results = []
    for p in pages:
        text = buffers.get(str(p))
        if text is None:
            try:
                text, _ = read_path(p)
            except (SkipFile, OSError):
                continue
        linter = linter_for(config.settings(for_path=p))
        results.append(lint_text(linter, text, format_for(p.name), str(p)))
    site_findings(linter_for(config.settings()), results, [root])
    return {r.path: (r.text, [f for f in r.findings if f.rule.startswith(RULE_PREFIX)]) for r in results}


def relocate(old: list[Finding], old_text: str, text: str) -> list[Finding]:
    """Site findings computed on `old_text`, moved to the same words in `text`
    (the nearest occurrence); a finding whose words are gone is dropped."""
    if old_text == text:
        return old
    from copy import copy

    from promiselint.core.findings import locate

    moved = []
    for f in old:
        if not f.text:  # a point anchor (the end of the page)
            g = copy(f)
            g.offset = g.end_offset = min(f.offset, len(text))
            moved.append(g)
            continue
        hits, at = [], text.find(f.text)
        while at != -1 and len(hits) < 1000:
            hits.append(at)
            at = text.find(f.text, at + 1)
        if hits:
            g = copy(f)
            g.offset = min(hits, key=lambda h: abs(h - f.offset))
            g.end_offset = g.offset + len(f.text)
            moved.append(g)
    locate(text, moved)
    return moved
