"""The fast HTML tokenizer (formats/htmlscan.py) against html.parser.

Whenever `scan` accepts a text, it must report exactly html.parser's events
(tags, attributes, text, references, comments, each at its file offset), and
the document built from them must equal the one built from html.parser's; where
it stops, html.parser reads the rest as it would have read it.  Checked on markup drawn from clean
and malformed pieces, on generated pages with random edits, and on the pages
the bench and the example storefront use (which must take the fast path).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promiselint.core.errors import UsageError
from promiselint.formats import html as html_format
from promiselint.formats import htmlstd
from promiselint.formats.htmlscan import scan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import pages  # noqa: E402  (bench/pages.py)

EXAMPLES = 300


class Recorder:
    """A sink that keeps the events it is given (an element as its three events)."""

    def __init__(self, text: str = ""):
        self.events = []
        self.text = text

    def element(self, tag, start, text_start, text, end):
        self.start(tag, [], start, self.text[start:text_start])
        self.data(text, text_start)
        self.end(tag, end)

    def start(self, tag, attrs, start, raw, closing=False):
        self.events.append(("start", tag, list(attrs), start, raw, closing))

    def end(self, tag, start):
        self.events.append(("end", tag, start))

    def data(self, text, start):
        self.events.append(("data", text, start))

    def ref(self, start, end):
        self.events.append(("ref", start, end))

    def comment(self, data, start):
        self.events.append(("comment", data, start))

    def flush(self):
        pass


def stdlib(text: str, start: int = 0) -> list:
    """html.parser's events for `text` read from `start` on."""
    r = Recorder()
    htmlstd.stdlib_events(text, r, "t.html", start)
    return r.events


def fast(text: str) -> tuple[list, int]:
    """scan's events and where it stopped."""
    r = Recorder(text)
    return r.events, scan(text, r)


def document(text: str, fast_path: bool) -> tuple:
    """Everything a parsed page holds, each block character with its file span."""
    doc = html_format._run(text, "t.html", fast_path).doc
    return (doc.comments, doc.structured, doc.footer_offset,
            [(link.text, link.href, link.start, link.end, link.in_footer) for link in doc.links],
            [(b.text.text, [b.text.source_span(i, i + 1) for i in range(len(b.text.text))],
              b.role, b.lang, b.key, b.in_footer) for b in doc.blocks])


def outcome(read, *args):
    try:
        return read(*args)
    except UsageError as e:  # an unclosed comment
        return str(e)


def assert_same_reading(text: str) -> bool:
    """scan, then html.parser from where scan stopped, read `text` as html.parser
    alone does; True if scan read all of it."""
    events, stop = fast(text)
    assert 0 <= stop <= len(text)
    assert outcome(lambda: events + stdlib(text, stop) if stop < len(text) else events) == outcome(stdlib, text)
    assert outcome(document, text, True) == outcome(document, text, False)
    return stop == len(text)


# -- markup drawn from clean and malformed pieces ---------------------------------------------
TEXT = ["The fastest kettle", " ", "\n", "\r\n", "\r", "الأرخص في المملكة", "سریع\u200cترین", "5 < 6",
        "a & b", "a &b", "&amp;", "&amp", "&amp.", "&lt", "&#39;", "&#39", "&#x1F600;", "&#x;", "&#12a;",
        "&foo;", "&a-b.c ", "&zwnj;", "&nbsp;", "<", "&", ">", "x", "\x00", "\xa0", ";", "#", "&#", "&#;"]
NAMES = ["p", "div", "a", "b", "br", "img", "script", "style", "svg", "template", "nav", "footer", "option",
         "li", "title", "meta", "input", "span", "x-el", "h1", "P", "SCRIPT", "Style", "section", "button",
         "main", "td", "hr", "a:b", "p.q", "1"]
ATTRS = ['class="x"', "class='breadcrumb'", "id=bare", 'lang="fa-IR"', "lang=ar", "role=navigation",
         'role="button"', 'alt="Best &amp; fastest"', "alt='The fastest'", "title=Fastest", 'href="/a?b=1&amp;c"',
         "disabled", "data-x=1", 'aria-label="Rated #1"', 'type="application/ld+json"', 'content="Best price"',
         "name=description", 'class="site-footer"', 'role="contentinfo"', 'value="Buy now"', 'type=submit',
         "a=b/", "a==b", "a= b", '"x"', 'a="x"b="y"', "a=", "a=`x`", "a='x", "ALT=Loud", "alt=a&amp;b",
         'placeholder="Search the best"', "x=\xa0y", "z\xa0=1", "a=<b>"]
SEPARATORS = [" ", "  ", "\n", "\t", "", "\xa0", "/", " / ", "\r\n", "\x0b"]
ENDINGS = [">", "/>", " />", " / >", " >", "", "\n>"]
MARKUP = ["<!-- c -->", "<!---->", "<!-- a -- > b -->", "<!--", "<!-->", "<!- x ->", "<!doctype html>",
          "<!DOCTYPE html>", "<![CDATA[x]]>", "<?php x ?>", "<!x>", "</>", "</ p>", "</p x>", "</3>",
          "</script>", "</ script >", "</P >", "</a\n>", "<a/b>", "< p>", "<p", "</",
          '<script type="application/ld+json">{"name": "The fastest kettle"}</script>',
          "<script>if (a < b) {}</script>", "<style>p{}</STYLE >", "<script>x</ſcript></script>",
          "<script>never closed", "<svg><div/><p>x</p></svg>"]


@st.composite
def start_tags(draw) -> str:
    attrs = "".join(draw(st.sampled_from(SEPARATORS)) + draw(st.sampled_from(ATTRS))
                    for _ in range(draw(st.integers(0, 3))))
    return f"<{draw(st.sampled_from(NAMES))}{attrs}{draw(st.sampled_from(ENDINGS))}"


PIECES = st.one_of(st.sampled_from(TEXT), start_tags(),
                   st.sampled_from(NAMES).map(lambda n: f"</{n}>"), st.sampled_from(MARKUP))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=30).map("".join))
def test_drawn_markup_is_read_as_html_parser_reads_it(text):
    assert_same_reading(text)


# -- generated pages with random edits --------------------------------------------------------
EDITS = list("<>&;\"'=/ !-#\n\rabpx") + ["<p>", "</p>", "&amp", "<!--", "-->", "<br/>", "<script>", "\xa0"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 4),
                                                  st.sampled_from(EDITS)), min_size=1, max_size=4))
def test_edited_pages_are_read_as_html_parser_reads_them(seed, edits):
    text = pages.product_page(random.Random(seed), random.Random(seed).choice(["en", "ar", "fa"]), 2)
    for at, cut, insert in edits:
        i = int(at * len(text))
        text = text[:i] + insert + text[i + cut:]
    assert_same_reading(text)


# -- clean pages take the fast path ------------------------------------------------------------
def test_generated_and_example_pages_take_the_fast_path():
    rng = random.Random(3)
    texts = [pages.product_page(rng, lang, 4) for lang in ("en", "ar", "fa")]
    texts += [pages.big_html_page(20_000), pages.shape_minified_html(20_000)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.htm*"))]
    for text in texts:
        assert assert_same_reading(text)


@pytest.mark.parametrize("text", [
    '<a href=x/>fastest</a>',  # html.parser: the value is "x/", the tag is not self-closing
    "<p>a</p>\n<p>fastest<!-- never closed",  # html.parser raises; its line is the file's
    "<script>var best = 1;",  # the script never ends
    "<p>fastest</ p>",
    "<?php echo 'best'; ?><p>x</p>",
    "<p>5 &#12a; best</p>",
    "<p>best &amp",  # a reference at the very end
    "<p x=\xa0y>best</p>",
])
def test_unusual_markup_is_left_to_html_parser(text):
    events, stop = fast(text)
    assert text[stop:].startswith(("<", "&"))
    assert not assert_same_reading(text)


def test_html_parser_reads_only_from_the_first_odd_token():
    clean = pages.big_html_page(20_000)
    middle = clean.index("<section", len(clean) // 2)
    text = clean[:middle] + "<a href=/x/>fastest</a>" + clean[middle:]
    events, stop = fast(text)
    assert stop == middle
    assert not assert_same_reading(text)
