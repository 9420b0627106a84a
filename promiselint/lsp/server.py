"""`promiselint lsp`: a language server over stdio, built on pygls.

Findings become diagnostics on open, on change (debounced) and on save; a hover
on a finding explains its rule in the copy's language; quick fixes apply the
safer wording where one can replace the words as they are, or insert a
suppression comment (HTML and Markdown) with a reason to fill in.  Saving a
full page re-checks the disclosures of its workspace folder as one storefront.
Linting runs in one worker thread, so the server answers while it works.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from promiselint.core.errors import UsageError
from promiselint.core.findings import Finding
from promiselint.core.version import __version__
from promiselint.project.config import CONFIG_NAME

from . import linting
from .actions import code_actions, diagnostic, hover_text
from .positions import PositionMap

DEBOUNCE = 0.3  # seconds of quiet typing before a re-check
log = logging.getLogger("promiselint.lsp")


class PromiselintServer(LanguageServer):
    def __init__(self):
        super().__init__("promiselint", __version__)
        self.linted: dict[str, linting.Linted] = {}
        self.site: dict[str, tuple[str, list[Finding]]] = {}  # uri -> (text checked, disclosures)
        self.pending: dict[str, asyncio.Task] = {}
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="promiselint-lint")
        self.site_enabled = True

    @property
    def encoding(self) -> str:
        return str(getattr(self.workspace.position_encoding, "value", self.workspace.position_encoding)
                   or "utf-16")

    # -- linting -------------------------------------------------------------
    async def refresh(self, uri: str) -> linting.Linted | None:
        """Lint the document's current text (in the worker) and publish."""
        doc = self.workspace.get_text_document(uri)
        text, version = doc.source, doc.version
        path = to_fs_path(uri) if uri.startswith("file:") else None
        fmt = linting.document_format(doc.language_id, path)
        if fmt is None:
            return None
        loop = asyncio.get_running_loop()
        try:
            linted = await loop.run_in_executor(
                self.worker, linting.lint_document, text, version, fmt, path, self._fallback_dir())
        except UsageError as e:  # a broken config or front matter: say so where the user looks
            self._publish_error(uri, version, str(e))
            return None
        except Exception:  # a bug must not take the server down with it: report, keep serving
            log.exception("checking %s failed", uri)
            self._publish_error(uri, version, "internal error while checking this document (see the log)")
            return None
        if linted is None:
            self.linted.pop(uri, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, [], version))
            return None
        if uri not in self.workspace.text_documents or self.workspace.get_text_document(uri).version != version:
            return None  # closed, or typed on meanwhile (a newer check is on its way)
        self.linted[uri] = linted
        self._merge_site(uri, linted)
        self.publish(uri, linted)
        return linted

    def _merge_site(self, uri: str, linted: linting.Linted) -> None:
        if uri in self.site and linted.site and self.site_enabled:
            old_text, found = self.site[uri]
            kept = [f for f in linted.findings if not f.rule.startswith("disclosure.")]
            linted.findings = kept + linting.relocate(found, old_text, linted.text)

    def publish(self, uri: str, linted: linting.Linted) -> None:
        positions = PositionMap(linted.text, self.encoding)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri, [diagnostic(f, positions) for f in linted.findings], linted.version))

    def _publish_error(self, uri: str, version, message: str) -> None:
        self.linted.pop(uri, None)
        here = types.Range(types.Position(0, 0), types.Position(0, 0))
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, [types.Diagnostic(
            here, f"promiselint: {message}", types.DiagnosticSeverity.Error, source="promiselint")], version))

    def schedule(self, uri: str, delay: float = DEBOUNCE) -> None:
        """Re-check after `delay` unless the document changes again first."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

        async def later():
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            await self.refresh(uri)

        self.pending[uri] = asyncio.ensure_future(later())

    def recheck_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    async def current(self, uri: str) -> linting.Linted | None:
        """Findings for the document's text as it is now."""
        linted = self.linted.get(uri)
        if linted is None or linted.version != self.workspace.get_text_document(uri).version:
            linted = await self.refresh(uri)
        return linted

    # -- site mode -------------------------------------------------------------
    async def site_check(self, uri: str) -> None:
        """After saving a full page: the workspace folder's disclosures as one storefront."""
        linted = self.linted.get(uri)
        path = to_fs_path(uri) if uri.startswith("file:") else None
        root = self._folder_of(path) if path else None
        if (not self.site_enabled or linted is None or not linted.site or root is None
                or linted.fmt not in linting.PAGE_FORMATS):
            return
        buffers = {str(Path(to_fs_path(u)).resolve()): d.source for u, d in self.workspace.text_documents.items()
                   if u.startswith("file:")}
        loop = asyncio.get_running_loop()
        try:
            found = await loop.run_in_executor(self.worker, linting.site_disclosures, root, buffers)
        except UsageError as e:
            self.window_log_message(types.LogMessageParams(types.MessageType.Warning, f"promiselint: {e}"))
            return
        except Exception:  # as in refresh(): report, keep serving
            log.exception("the site check of %s failed", root)
            return
        if found is None:
            return
        for page, (text, findings) in found.items():
            page_uri = from_fs_path(page)
            self.site[page_uri] = (text, findings)
            current = self.linted.get(page_uri)
            if current is not None and page_uri in self.workspace.text_documents:
                self._merge_site(page_uri, current)
                self.publish(page_uri, current)
            else:
                self.publish_closed(page_uri)

    def publish_closed(self, uri: str) -> None:
        """A page that is not open shows its site disclosures (if any) and nothing else."""
        text, findings = self.site.get(uri, ("", []))
        positions = PositionMap(text, self.encoding)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri, [diagnostic(f, positions) for f in findings]))

    def _folder_of(self, path: str) -> Path | None:
        """The workspace folder holding `path` (the innermost one)."""
        p = Path(path).resolve()
        roots = [Path(to_fs_path(f.uri)).resolve() for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [Path(self.workspace.root_path).resolve()]
        inside = [r for r in roots if p.is_relative_to(r)]
        return max(inside, key=lambda r: len(r.parts)) if inside else None

    def _fallback_dir(self) -> Path:
        root = self.workspace.root_path
        return Path(root) if root else Path.cwd()


def build_server() -> PromiselintServer:
    server = PromiselintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: PromiselintServer, params: types.InitializeParams):
        options = params.initialization_options or {}
        if isinstance(options, dict) and options.get("site") is False:
            ls.site_enabled = False

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: PromiselintServer, params: types.DidOpenTextDocumentParams):
        await ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PromiselintServer, params: types.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: PromiselintServer, params: types.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if uri.endswith("/" + CONFIG_NAME):  # the config changed: every open document may change
            ls.recheck_all()
            return
        await ls.refresh(uri)
        await ls.site_check(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: PromiselintServer, params: types.DidChangeWatchedFilesParams):
        if any(change.uri.endswith("/" + CONFIG_NAME) for change in params.changes):
            ls.recheck_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PromiselintServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.linted.pop(uri, None)
        ls.publish_closed(uri)  # what the last site check said of it, else nothing

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: PromiselintServer, params: types.HoverParams):
        linted = await ls.current(params.text_document.uri)
        if linted is None:
            return None
        positions = PositionMap(linted.text, ls.encoding)
        at = positions.offset(params.position.line, params.position.character)
        text = hover_text(linted, at)
        if text is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.PlainText, text))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def code_action(ls: PromiselintServer, params: types.CodeActionParams):
        uri = params.text_document.uri
        linted = await ls.current(uri)
        if linted is None:
            return None
        positions = PositionMap(linted.text, ls.encoding)
        r = params.range
        start = positions.offset(r.start.line, r.start.character)
        end = positions.offset(r.end.line, r.end.character)
        return code_actions(uri, linted, positions, start, end)

    return server


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="promiselint lsp: %(message)s")
    build_server().start_io()
