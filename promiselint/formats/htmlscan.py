"""A fast HTML tokenizer for clean markup; html.parser reads from where it stops.

`scan` reads a page with one regular expression and hands its tokens to a sink
with their exact file offsets: the events html.parser (``convert_charrefs=False``)
reports for the same text (text runs, start tags with html.parser's attribute
list, end tags, character references, comments; an element holding only text,
``<p>...</p>``, as one `element` call standing for its three events).  It takes only markup that
html.parser reads the obvious way: ASCII tag names, attributes separated by
ASCII white space with quoted or plain bare values, ``&name`` references
followed by a character, ``&#N;``/``&#xN;``, closed comments, a doctype, script
and style bodies that are closed.  At the first token outside that (a stray
``</``, ``<?``, ``<![CDATA[``, a bare value ending in ``/``, a reference at the
very end...) it stops and returns that offset: html.parser, started there (in
its normal state, as it is at every token boundary of such markup), reads the
rest, so malformed markup keeps html.parser's reading exactly.
tests/test_htmlscan.py compares the two on drawn and edited markup.
"""
from __future__ import annotations

import re
from html import unescape

from promiselint.core.lazyre import lazy_compile

_WS = r"[ \t\n\r\f]"
_BARE = r"""[^\s"'<>=`/]+(?![^ \t\n\r\f>])"""  # html.parser reads a bare value up to space or >
_NAME = r"""[^\s"'<>/=]+"""
_VALUE = rf""""[^"]*"|'[^']*'|{_BARE}"""
_ATTR = rf"{_WS}+({_NAME})(?:{_WS}*={_WS}*({_VALUE}))?"  # 1 name, 2 value
_ATTR_NC = rf"{_WS}+{_NAME}(?:{_WS}*={_WS}*(?:{_VALUE}))?"  # the same, without groups
_TOKEN = lazy_compile(rf"""
    <([a-zA-Z][a-zA-Z0-9-]*)>([^<&]++)</(?:\1)>          # 1 an element holding only text: 2 its text
  | ([^<&]+)                                            # 3 text
  | <([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTR_NC})*){_WS}*(/?)>   # 4 start tag, 5 attributes, 6 self-closing
  | </([a-zA-Z][a-zA-Z0-9-]*){_WS}*>                    # 7 end tag
  | &(?:[a-zA-Z][-.a-zA-Z0-9]*(?=[^a-zA-Z0-9])|\#[0-9]+(?=;)|\#[xX][0-9a-fA-F]+(?=;));?   # a reference
  | (<(?=[^a-zA-Z/!?])|&(?=[^a-zA-Z\#]))                # 8 a lone < or & (followed by something)
  | (<!--)                                              # 9 a comment opens
  | <![dD][oO][cC][tT][yY][pP][eE][^>]*>                # a doctype
""", re.X)
_ATTRS = lazy_compile(_ATTR)
_COMMENT_CLOSE = lazy_compile(r"--\s*>")  # as _markupbase
_RAW_TEXT = {"script": lazy_compile(r"</\s*script\s*>", re.I), "style": lazy_compile(r"</\s*style\s*>", re.I)}
_ELEMENT, _TEXT, _START, _END, _LONE, _COMMENT = 2, 3, 6, 7, 8, 9  # m.lastindex of each kind of token
_NO_ATTRS = ()  # a start tag's attributes when it has none


def attributes(raw: str) -> list[tuple[str, str | None]]:
    """html.parser's attribute list for the attribute part of a clean start tag."""
    out = []
    for name, value in _ATTRS.findall(raw):
        if not value:  # no value (a quoted empty one keeps its quotes here)
            out.append((name.lower(), None))
            continue
        if value[0] in "\"'":
            value = value[1:-1]
        out.append((name.lower(), unescape(value) if value else value))
    return out


def scan(text: str, sink) -> int:
    """Feed `sink` the tokens of `text` up to the first one that is not clean markup;
    return where that one starts (len(text) when all of it is clean).

    An element holding only text (``<p>Fastest kettle</p>``, the bulk of most
    pages) is one call, ``sink.element(tag, start, text start, text, end tag start)``,
    standing for its start tag (no attributes), its text and its end tag."""
    pos, n = 0, len(text)
    data, start, end_tag, ref, element = sink.data, sink.start, sink.end, sink.ref, sink.element
    while pos < n:
        # tokens follow one another; a gap before the next one means none starts at pos
        for m in _TOKEN.finditer(text, pos):
            at, end = m.span()
            if at != pos:
                return pos
            kind = m.lastindex
            if kind == _ELEMENT:
                element(m.group(1).lower(), pos, m.start(2), m.group(2), m.end(2))
            elif kind == _TEXT:
                data(m.group(3), pos)
            elif kind == _START:
                tag, raw_attrs, closing = m.group(4, 5, 6)
                tag = tag.lower()
                if tag in _RAW_TEXT and not closing:  # html.parser's CDATA mode: text up to </tag>
                    close = _RAW_TEXT[tag].search(text, end)
                    if close is None or not close.group().isascii():
                        return pos
                    start(tag, attributes(raw_attrs) if raw_attrs else _NO_ATTRS, pos, m.group(), False)
                    if close.start() > end:
                        data(text[end:close.start()], end)
                    end_tag(tag, close.start())
                    pos = close.end()
                    break  # the next token starts after the element's end tag
                start(tag, attributes(raw_attrs) if raw_attrs else _NO_ATTRS, pos, m.group(), bool(closing))
            elif kind == _END:
                end_tag(m.group(7).lower(), pos)
            elif kind == _LONE:
                data(m.group(8), pos)
            elif kind == _COMMENT:
                close = _COMMENT_CLOSE.search(text, end)
                if close is None:
                    return pos
                sink.comment(text[end:close.start()], pos)
                pos = close.end()
                break
            elif text[pos] == "&":
                ref(pos, end)
            pos = end
        else:
            return pos  # no token at pos (or none left: pos == n)
    return n
