"""The same copy as plain text, Markdown and HTML yields the same claims.

Every snippet of the repository's labeled data (tests/data/claims/*.jsonl) and
of the shared dev corpus is checked three ways: as it is (.txt); as Markdown
with every ASCII punctuation mark backslash-escaped, `&` as `&amp;` and ZWNJ
as `&zwnj;`; as an HTML paragraph with entities for `& < > "` and ZWNJ, and
<br> for line breaks.  The claims found (rule, and the text once its escapes
are decoded) must be the same.  None of these renderings gives the copy an
HTML role (option, nav, button), which legitimately changes a verdict.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import promiselint

ROOT = Path(__file__).resolve().parent
SOURCES = sorted((ROOT / "data" / "claims").glob("*.jsonl")) + sorted(
    (ROOT.parent.parent / "shared" / "corpus" / "dev").glob("*.jsonl"))
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
ZWNJ = "\u200c"


def snippets() -> list[tuple[str, str]]:
    out = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out.append((f"{path.parent.name}/{path.stem}:{item['id']}", item["text"]))
    return out


def as_markdown(text: str) -> str:
    lines = [_PUNCT.sub(r"\\\1", line.strip()).replace(ZWNJ, "&zwnj;") for line in text.split("\n")]
    return "\n".join(lines).replace("\\&", "&amp;").replace("&amp;zwnj;", "&zwnj;") + "\n"


def as_html(text: str) -> str:
    escaped = html.escape(text, quote=True).replace(ZWNJ, "&zwnj;")
    return "<p>" + "<br>".join(line.strip() for line in escaped.split("\n")) + "</p>"


def decoded(fmt: str, raw: str) -> str:
    if fmt == "md":
        raw = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw)
    return html.unescape(raw) if fmt in ("md", "html") else raw


def claims(text: str, fmt: str) -> list[tuple[str, str]]:
    result = promiselint.check_text(text, format=fmt)
    return sorted((f.rule, decoded(fmt, f.text)) for f in result.findings)


SNIPPETS = snippets()


def test_the_data_is_there():
    assert len(SNIPPETS) >= 200, [str(s) for s in SOURCES]


@pytest.mark.parametrize("fmt, render", [("md", as_markdown), ("html", as_html)])
def test_markup_yields_the_claims_of_plain_text(fmt, render):
    differ = []
    for name, text in SNIPPETS:
        plain = claims(text, "txt")
        marked = claims(render(text), fmt)
        if plain != marked:
            differ.append((name, plain, marked))
    assert not differ, f"{len(differ)} of {len(SNIPPETS)} differ, e.g. {differ[:3]}"
