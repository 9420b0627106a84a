"""html.parser's events for the HTML that htmlscan does not read (formats/html.py),
with file offsets; imported only when a page needs it."""
from __future__ import annotations

from html.parser import HTMLParser

from promiselint.core.errors import UsageError
from promiselint.core.sourcemap import newline_starts


class _Stdlib(HTMLParser):
    """html.parser reading `text` (the part of a file from offset `base` on),
    reporting its events to a sink with file offsets."""

    def __init__(self, text: str, sink, base: int = 0):
        super().__init__(convert_charrefs=False)
        self.src = text
        self.lines = [base + s for s in newline_starts(text)]  # html.parser counts lines at LF only
        self.sink = sink

    def here(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        self.sink.start(tag, attrs, self.here(), self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        self.sink.start(tag, attrs, self.here(), self.get_starttag_text() or "", True)

    def handle_endtag(self, tag):
        self.sink.end(tag, self.here())

    def handle_data(self, data):
        self.sink.data(data, self.here())

    def handle_entityref(self, name):
        self._ref("&" + name)

    def handle_charref(self, name):
        self._ref("&#" + name)

    def _ref(self, raw: str) -> None:
        start = self.here()
        semicolon = self.src.startswith(";", start - self.lines[0] + len(raw))
        self.sink.ref(start, start + len(raw) + semicolon)

    def handle_comment(self, data):
        self.sink.comment(data, self.here())


def stdlib_events(text: str, sink, path: str = "<html>", start: int = 0) -> None:
    """Feed `sink` html.parser's events for `text` from offset `start` on (UsageError
    if it cannot be read)."""
    p = _Stdlib(text[start:], sink, start)
    try:
        p.feed(p.src)
        sink.flush()
        leftover = p.rawdata[p.rawdata.find("<", 0) if "<" in p.rawdata else 0:]
        p.close()
    except (AssertionError, ValueError) as e:  # pragma: no cover - HTMLParser is lenient
        raise UsageError(f"{path}: malformed HTML: {e}")
    if leftover.startswith("<!--"):
        line = text.count("\n", 0, len(text) - len(leftover)) + 1
        raise UsageError(f"{path}:{line}: malformed HTML: comment never closed")
