"""`promiselint lsp` driven by a real LSP client (pytest-lsp) over stdio.

Expected positions are written out by hand: an emoji is two UTF-16 units and
four UTF-8 bytes, an Arabic letter or presentation form one UTF-16 unit and two
(U+06xx) or three (U+FBxx-FExx) UTF-8 bytes.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "promiselint.cli", "lsp"]
# "😀🎁 عرض اليوم: " is 14 code points: 16 UTF-16 units, 28 UTF-8 bytes; the claim
# is five presentation forms (U+FExx), one unit / three bytes each.
ARABIC = "😀🎁 عرض اليوم: ﺍﻷﺳﺮﻉ توصيل، والمنتج الأفضل في المدينة.\n"
PERSIAN = "🔥🔥 کیفیت بی‌نظیر با ارسال ۲۴ ساعته\n"
ENGLISH = "# Soap\n\n🚚 The fastest delivery in town.\n"
PAGE = """<!doctype html>
<html lang="en"><head><title>Shop</title></head>
<body>
<p>Handmade soap for every day.</p>
<footer><a href="privacy.html">Privacy policy</a> · <a href="contact.html">Contact us</a> · \
<a href="returns.html">Returns</a> · <a href="disclaimer.html">Disclaimer</a></footer>
</body></html>
"""
POLICY = ("<!doctype html><html lang=\"en\"><body><h1>{0}</h1><p>This page explains our {0} terms in full "
          "detail for every customer who buys from the shop, by email at help@example.com.</p></body></html>\n")


def _workspace(root: Path) -> None:
    root.mkdir(exist_ok=True)
    (root / ".promiselint.yaml").write_text("ignore: [disclosure.shipping-total]\n", encoding="utf-8")
    for name, text in {"ar.txt": ARABIC, "fa.txt": PERSIAN, "en.md": ENGLISH, "index.html": PAGE}.items():
        (root / name).write_text(text, encoding="utf-8")
    for name in ("privacy", "contact", "disclaimer"):  # returns.html is missing
        (root / f"{name}.html").write_text(POLICY.format(name), encoding="utf-8")


async def _start(lsp_client: LanguageClient, root: Path, encodings: list[str] | None):
    _workspace(root)
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(general=types.GeneralClientCapabilities(
            position_encodings=encodings)),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(root.as_uri(), "shop")]))
    return result


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    lsp_client.root = tmp_path_factory.mktemp("shop")
    lsp_client.init = await _start(lsp_client, lsp_client.root, None)  # offers none: UTF-16 by default
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client8(lsp_client: LanguageClient, tmp_path_factory):
    lsp_client.root = tmp_path_factory.mktemp("shop8")
    lsp_client.init = await _start(lsp_client, lsp_client.root, [types.PositionEncodingKind.Utf8,
                                                                  types.PositionEncodingKind.Utf16])
    yield
    await lsp_client.shutdown_session()


async def _diagnostics(client: LanguageClient, uri: str, ready=lambda ds: True):
    """Wait for diagnostics of `uri` that satisfy `ready` (the bound only guards against a hang)."""
    async def wait():
        while uri not in client.diagnostics or not ready(client.diagnostics[uri]):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[uri]
    return await asyncio.wait_for(wait(), 120)


def _open(client: LanguageClient, path: Path, language_id: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri, language_id, version, path.read_text(encoding="utf-8"))))
    return uri


def _span(d: types.Diagnostic) -> tuple:
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)


def _reference(text: str, fmt: str) -> dict:
    """What the engine finds in-process, by flagged text (rule ids and wording are the
    rule packs' business; positions and their encoding are the server's)."""
    from promiselint.project.api import check_text

    return {f.text: f for f in check_text(text, fmt).findings}


def _check(diag: types.Diagnostic, finding) -> None:
    assert diag.code == finding.rule and diag.source == "promiselint"
    assert diag.message == finding.message + (f"\n{finding.suggestion}" if finding.suggestion else "")
    assert diag.severity == {"error": 1, "warning": 2, "info": 3}[finding.severity]


@pytest.mark.asyncio
async def test_diagnostics_land_on_the_right_utf16_ranges(client: LanguageClient):
    caps = client.init.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.hover_provider and list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert caps.text_document_sync.open_close and caps.text_document_sync.save is not None
    root = client.root
    ar = _open(client, root / "ar.txt", "plaintext")
    fa = _open(client, root / "fa.txt", "plaintext")
    en = _open(client, root / "en.md", "markdown")
    ar_d = {_span(d): d for d in await _diagnostics(client, ar)}
    fa_d = {_span(d): d for d in await _diagnostics(client, fa)}
    en_d = {_span(d): d for d in await _diagnostics(client, en)}

    ref = _reference(ARABIC, "txt")
    assert ref["ﺍﻷﺳﺮﻉ"].offset == 14  # 14 code points before the claim, two of them emoji
    _check(ar_d[(0, 16, 0, 21)], ref["ﺍﻷﺳﺮﻉ"])  # five presentation forms after two emoji
    _check(ar_d[(0, 37, 0, 43)], ref["الأفضل"])
    assert len(ar_d) == len(ref)
    href = ar_d[(0, 16, 0, 21)].code_description.href
    anchor = ref["ﺍﻷﺳﺮﻉ"].rule.replace(".", "")
    assert href.endswith(f"docs/rules.md#{anchor}") and Path(href.split("#")[0].removeprefix("file://")).is_file()

    ref = _reference(PERSIAN, "txt")
    _check(fa_d[(0, 11, 0, 18)], ref["بی‌نظیر"])  # seven code points with its ZWNJ
    _check(fa_d[(0, 28, 0, 36)], ref["۲۴ ساعته"])
    assert len(fa_d) == len(ref)

    ref = _reference(ENGLISH, "md")
    _check(en_d[(2, 7, 2, 14)], ref["fastest"])
    assert len(en_d) == len(ref) == 1  # no front matter: not a page, no disclosures


@pytest.mark.asyncio
async def test_hover_explains_the_rule_in_the_copys_language(client: LanguageClient):
    from promiselint.project.api import linter_for
    from promiselint.report.docs import explain_rule
    from promiselint.core.settings import Settings

    rules = {r.id: r for r in linter_for(Settings()).all_rules}
    root = client.root
    ar = _open(client, root / "ar.txt", "plaintext")
    en = _open(client, root / "en.md", "markdown")
    await _diagnostics(client, ar)
    await _diagnostics(client, en)

    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(ar), types.Position(0, 18)))
    rule = _reference(ARABIC, "txt")["ﺍﻷﺳﺮﻉ"].rule
    assert hover.contents.value == explain_rule(rules[rule], "ar")
    assert "سريع" in hover.contents.value or "المصدر" in hover.contents.value  # Arabic, not English

    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(en), types.Position(2, 9)))
    assert hover.contents.value == explain_rule(rules[_reference(ENGLISH, "md")["fastest"].rule], "en")
    nothing = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(en), types.Position(0, 2)))
    assert nothing is None


@pytest.mark.asyncio
async def test_code_action_replaces_the_claim_and_diagnostics_update(client: LanguageClient):
    ar = _open(client, client.root / "ar.txt", "plaintext")
    await _diagnostics(client, ar)
    here = types.Range(types.Position(0, 17), types.Position(0, 17))
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(ar), here, types.CodeActionContext(diagnostics=[])))
    replace = [a for a in actions if a.title.startswith("Replace")]
    assert len(replace) == 1 and replace[0].kind == types.CodeActionKind.QuickFix
    (edit,) = replace[0].edit.changes[ar]
    assert (edit.range.start.character, edit.range.end.character) == (16, 21)
    assert edit.new_text == _reference(ARABIC, "txt")["ﺍﻷﺳﺮﻉ"].replacement
    assert edit.new_text and edit.new_text != "ﺍﻷﺳﺮﻉ"
    assert not [a for a in actions if a.title.startswith("Suppress")]  # plain text has no comments

    # apply the edit as the editor would, as an incremental change
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=ar, version=2),
        [types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)]))
    after = await _diagnostics(client, ar, lambda ds: all(_span(d) != (0, 16, 0, 21) for d in ds))
    # the other claim moved by one unit (six letters replaced five), nothing else changed
    spans = [_span(d) for d in after]
    assert (0, 16, 0, 21) not in spans and (0, 38, 0, 44) in spans and (0, 37, 0, 43) not in spans


@pytest.mark.asyncio
async def test_suppression_comment_in_markdown_and_html(client: LanguageClient):
    root = client.root
    en = _open(client, root / "en.md", "markdown")
    await _diagnostics(client, en)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(en), types.Range(types.Position(2, 8), types.Position(2, 8)),
        types.CodeActionContext(diagnostics=[])))
    (suppress,) = [a for a in actions if a.title.startswith("Suppress")]
    (edit,) = suppress.edit.changes[en]
    line = ENGLISH.splitlines()[2]
    assert _span(types.Diagnostic(edit.range, "")) == (2, len(line) + 1, 2, len(line) + 1)  # end of line (+1: the emoji)
    rule = _reference(ENGLISH, "md")["fastest"].rule
    assert edit.new_text == f" <!-- promiselint-disable-line {rule} -- TODO: why this is fine -->"
    (replace,) = [a for a in actions if a.title.startswith("Replace")]
    assert replace.edit.changes[en][0].new_text == _reference(ENGLISH, "md")["fastest"].replacement

    # with the suppression in place the claim is gone (a reason was given: no suppression finding)
    text = ENGLISH.splitlines(True)
    text[2] = line + edit.new_text + "\n"
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=en, version=2), [types.TextDocumentContentChangeWholeDocument("".join(text))]))
    assert list(await _diagnostics(client, en, lambda ds: not ds)) == []


@pytest.mark.asyncio
async def test_saving_a_page_checks_the_site(client: LanguageClient):
    root = client.root
    page = root / "index.html"
    uri = _open(client, page, "html")
    first = await _diagnostics(client, uri)
    assert not [d for d in first if d.code.startswith("disclosure.")]  # every link is on the page

    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
    after = await _diagnostics(client, uri, lambda ds: any(d.code == "disclosure.broken-link" for d in ds))
    broken = next(d for d in after if d.code == "disclosure.broken-link")
    assert broken.range.start.line == 4  # the footer's link to the missing returns.html
    # closed pages of the storefront get their disclosure findings too
    privacy = (root / "privacy.html").as_uri()
    closed = await _diagnostics(client, privacy)
    assert {d.code for d in closed} >= {"disclosure.return-policy"}

    # typing keeps the storefront's verdict, moved with the words it points at
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2), [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)), text="<!-- draft -->\n")]))
    moved = await _diagnostics(client, uri, lambda ds: any(d.range.start.line == 5 for d in ds))
    assert [d.range.start.line for d in moved if d.code == "disclosure.broken-link"] == [5]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=3), [types.TextDocumentContentChangeWholeDocument(PAGE)]))
    await _diagnostics(client, uri, lambda ds: any(d.range.start.line == 4 for d in ds))

    # an HTML suppression goes on its own line above the finding
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), broken.range, types.CodeActionContext(diagnostics=[broken])))
    (suppress,) = [a for a in actions if a.title.startswith("Suppress")]
    (edit,) = suppress.edit.changes[uri]
    assert (edit.range.start.line, edit.range.start.character) == (4, 0)
    assert edit.new_text == ("<!-- promiselint-disable-next-line disclosure.broken-link -- TODO: why this is fine -->\n")


@pytest.mark.asyncio
async def test_config_from_the_workspace_is_honoured(client: LanguageClient):
    root = client.root
    (root / ".promiselint.yaml").write_text("ignore: [superlative]\n", encoding="utf-8")
    ar = _open(client, root / "ar.txt", "plaintext")
    diags = await _diagnostics(client, ar)
    assert list(diags) == []
    (root / ".promiselint.yaml").write_text("rules: {superlative: [oops]}\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([types.FileEvent(
        (root / ".promiselint.yaml").as_uri(), types.FileChangeType.Changed)]))  # the editor's file watcher
    broken = await _diagnostics(client, ar, lambda ds: bool(ds))
    assert len(broken) == 1 and broken[0].message.startswith("promiselint: ")
    assert ".promiselint.yaml" in broken[0].message

    # saving the config in the editor re-checks the open documents too
    (root / ".promiselint.yaml").write_text("ignore: [disclosure.shipping-total]\n", encoding="utf-8")
    config = _open(client, root / ".promiselint.yaml", "yaml")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config)))
    fixed = await _diagnostics(client, ar, lambda ds: bool(ds) and not ds[0].message.startswith("promiselint: "))
    assert len(fixed) == len(_reference(ARABIC, "txt"))


@pytest.mark.asyncio
async def test_utf8_when_the_client_prefers_it(client8: LanguageClient):
    assert client8.init.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    ar = _open(client8, client8.root / "ar.txt", "plaintext")
    fa = _open(client8, client8.root / "fa.txt", "plaintext")
    ar_d = await _diagnostics(client8, ar)
    fa_d = await _diagnostics(client8, fa)
    # 28 bytes before the claim, five presentation forms of three bytes
    assert (0, 28, 0, 43) in [_span(d) for d in ar_d]
    # "🔥🔥 کیفیت " = 8 + 1 + 10 + 1 bytes; بی‌نظیر = six letters of two bytes and a ZWNJ of three
    assert (0, 20, 0, 35) in [_span(d) for d in fa_d]
    hover = await client8.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(ar), types.Position(0, 30)))
    assert hover is not None and hover.contents.value.startswith(_reference(ARABIC, "txt")["ﺍﻷﺳﺮﻉ"].rule)


@pytest.mark.parametrize("safer, shown, lang, expected", [
    ("fast", "fastest", "en", "fast"),
    ("excellent (say what you compared it with)", "Unbeatable", "en", "Excellent"),
    ("great / one of our favourites", "BEST", "en", "GREAT"),
    ("high / strong, with the measured figure", "strongest", "en", "strong"),
    ("high / strong, with the measured figure", "toughest", "en", None),  # neither fits
    ("a specific, checkable quality", "nicest", "en", None),  # advice, not words
    ("excellent (say what you compared it with)", "like no other", "en", None),  # a phrase after its noun
    ("سريع", "والأسرع", "ar", "والسريع"),  # clitics and article kept
    ("سريع", "ﺍﻷﺳﺮﻉ", "ar", "السريع"),  # presentation forms
    ("سريع", "أسرع", "ar", None),  # a bare elative heads a construct: «أسرع توصيل»
    ("مميز (مع ذكر ما قارنته به)", "لا مثيل له", "ar", "مميز"),
    ("مميز (مع ذكر ما قارنته به)", "لا مثيل لها", "ar", "مميزة"),  # agrees with a feminine noun
    ("مميز (مع ذكر ما قارنته به)", "لا تقاوم", "ar", "مميزة"),
    ("مميز (مع ذكر ما قارنته به)", "لا مثيل لهما", "ar", None),  # dual: no single word fits
    ("ممتاز (با ذکر اینکه با چه مقایسه شده)", "بی‌نظیر", "fa", "ممتاز"),
    ("سریع", "سریع‌ترین", "fa", None),  # ‑ترین stands before its noun
])
def test_replacement_only_where_words_can_be_swapped(safer, shown, lang, expected):
    from promiselint.checks.replacement import drop_in

    assert drop_in(safer, shown, lang) == expected


def test_changes_are_debounced_into_one_check():
    from promiselint.lsp.server import PromiselintServer

    async def run():
        server, checked = PromiselintServer(), []

        async def refresh(uri):
            checked.append(uri)
        server.refresh = refresh
        for _ in range(5):  # five keystrokes in one go
            server.schedule("file:///a.txt", delay=0.05)
        server.schedule("file:///b.txt", delay=0.05)
        await asyncio.gather(*server.pending.values())
        return checked

    assert sorted(asyncio.run(run())) == ["file:///a.txt", "file:///b.txt"]


def test_positions_in_each_encoding_and_line_break():
    from promiselint.lsp.positions import PositionMap

    text = "a\r\n😀ﻷx\rب\n"  # CRLF, then CR: both end a line for LSP
    x = text.index("x")
    expected = {"utf-16": (1, 3), "utf-8": (1, 7), "utf-32": (1, 2)}  # 😀 = 2/4/1 units, ﻷ = 1/3/1
    for encoding, position in expected.items():
        positions = PositionMap(text, encoding)
        assert positions.position(x) == position
        assert positions.offset(*position) == x
        assert positions.position(text.index("ب")) == (2, 0)
        assert positions.offset(1, 99) == text.index("\r", 3)  # past the end: the end of the line
    assert PositionMap(text).offset(1, 1) == text.index("ﻷ")  # inside a surrogate pair: after it


def test_check_does_not_load_the_language_server():
    import subprocess

    code = "import sys, promiselint.cli; sys.exit('pygls' in sys.modules or 'lsprotocol' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
