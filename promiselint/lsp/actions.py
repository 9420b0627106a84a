"""Findings as LSP diagnostics, hovers and quick fixes."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lsprotocol import types

from promiselint.core.findings import Finding

from .linting import Linted
from .positions import PositionMap

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
REASON = "TODO: why this is fine"
SUPPRESSIBLE = ("html", "md")  # formats whose comments carry suppressions (suppress.py)


@lru_cache(maxsize=1)
def _rules_doc() -> tuple[str, frozenset]:
    """docs/rules.md beside the package (a source checkout) and the rule ids it documents.
    There is no published copy; an installed wheel has none, and links are left out."""
    path = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    try:
        ids = frozenset(re.findall(r"^## `([^`]+)`", path.read_text(encoding="utf-8"), re.M))
    except OSError:
        return "", frozenset()
    return path.as_uri(), ids


def docs_href(rule: str) -> str | None:
    """The rule's section in docs/rules.md (GitHub's heading anchor)."""
    uri, ids = _rules_doc()
    return f"{uri}#{re.sub(r'[^a-z0-9_-]', '', rule.lower())}" if rule in ids else None


def to_range(positions: PositionMap, start: int, end: int) -> types.Range:
    return types.Range(types.Position(*positions.position(start)), types.Position(*positions.position(end)))


def diagnostic(f: Finding, positions: PositionMap) -> types.Diagnostic:
    href = docs_href(f.rule)
    return types.Diagnostic(
        range=to_range(positions, f.offset, f.end_offset),
        message=f.message + (f"\n{f.suggestion}" if f.suggestion else ""),
        severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
        code=f.rule, code_description=types.CodeDescription(href) if href else None,
        source="promiselint")


def _at(linted: Linted, start: int, end: int) -> list[Finding]:
    """Findings touching [start, end] (a caret touches the finding it stands in or at the end of)."""
    return [f for f in linted.findings if f.offset <= end and start <= f.end_offset]


def hover_text(linted: Linted, offset: int) -> str | None:
    from promiselint.report.docs import explain_rule

    rules = {r.id: r for r in linted.linter.all_rules}
    parts = [explain_rule(rules[f.rule], f.language or "en") for f in _at(linted, offset, offset)
             if f.rule in rules]
    return "\n\n".join(dict.fromkeys(parts)) or None


def code_actions(uri: str, linted: Linted, positions: PositionMap, start: int, end: int
                 ) -> list[types.CodeAction]:
    actions = []
    for f in _at(linted, start, end):
        diag = diagnostic(f, positions)
        if f.replacement and f.text and not re.search(r"[<>&]", f.text):
            edit = types.TextEdit(diag.range, f.replacement)
            actions.append(types.CodeAction(
                f"Replace “{f.text}” with “{f.replacement}”", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [edit]})))
        edit = suppression_edit(linted, positions, f)
        if edit is not None:
            actions.append(types.CodeAction(
                f"Suppress {f.rule} here (with a reason)", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=types.WorkspaceEdit(changes={uri: [edit]})))
    return actions


def suppression_edit(linted: Linted, positions: PositionMap, f: Finding) -> types.TextEdit | None:
    """A suppression comment for the finding's line: in HTML a line of its own
    above it, in Markdown at the end of its line (a comment line would split a
    paragraph); none inside a tag or front matter, where a comment breaks the file."""
    if linted.fmt not in SUPPRESSIBLE or f.category == "suppression":
        return None
    text = linted.text
    line, _ = positions.position(f.offset)
    start = positions.line_start(line)
    if linted.fmt == "html":
        if text.rfind("<", 0, start) > text.rfind(">", 0, start):
            return None  # the line starts inside a tag
        indent = re.match(r"[ \t]*", text[start:]).group()
        newline = _newline(text)
        comment = f"{indent}<!-- promiselint-disable-next-line {f.rule} -- {REASON} -->{newline}"
        return types.TextEdit(to_range(positions, start, start), comment)
    if _front_matter_end(text) > f.offset:
        return None
    end = start + len(re.match(r"[^\r\n]*", text[start:]).group())
    comment = f" <!-- promiselint-disable-line {f.rule} -- {REASON} -->"
    return types.TextEdit(to_range(positions, end, end), comment)


def _newline(text: str) -> str:
    m = re.search(r"\r\n|\r|\n", text)
    return m.group() if m else "\n"


def _front_matter_end(text: str) -> int:
    m = re.match(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", text, re.S | re.M)
    return m.end() if m else 0
