"""Every finding points at the exact code points of the original file."""
import html
import json

from hypothesis import given, settings, strategies as st

from promiselint.formats import parse
from promiselint.text.normalize import fold

CLAIMS = {"en": ["fastest", "cheapest", "the best"], "ar": ["الأسرع", "الأرخص", "بأفضل"],
          "fa": ["سریع‌ترین", "ارزان‌ترین", "بهترین"]}
CORE = {"fastest": "fastest", "cheapest": "cheapest", "the best": "best", "الأسرع": "سرع",
        "الأرخص": "رخص", "بأفضل": "فضل", "سریع‌ترین": "سریع", "ارزان‌ترین": "ارزان", "بهترین": "بهترین"}
FILLER = {"en": ["our", "shop", "delivers", "quality", "coffee"], "ar": ["متجرنا", "في", "المملكة", "جودة"],
          "fa": ["فروشگاه", "ما", "در", "ایران", "کیفیت"]}
NOISE = ["\u064e", "\u0640", "\u200f", "\u200e"]  # fatha, tatweel, RLM, LRM


def noisy(word, draw):
    out = []
    for ch in word:
        out.append(ch)
        if ch.isalpha() and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(NOISE)))
    return "".join(out)


@st.composite
def documents(draw):
    lang = draw(st.sampled_from(sorted(CLAIMS)))
    words = draw(st.lists(st.sampled_from(FILLER[lang]), min_size=1, max_size=5))
    claim = draw(st.sampled_from(CLAIMS[lang]))
    pos = draw(st.integers(0, len(words)))
    body = " ".join(words[:pos] + [noisy(claim, draw)] + words[pos:]) + "."
    fmt = draw(st.sampled_from(["txt", "md", "html", "json"]))
    if fmt == "html":
        escaped = html.escape(body).replace("\u200c", "&zwnj;")
        text = f"<p>{escaped} &amp; <b>more</b></p>"
    elif fmt == "md":
        text = f"# Title\n\nSome *intro* text.\n\n{body}\n"
    elif fmt == "json":
        text = json.dumps({"section": {"copy": body}}, ensure_ascii=draw(st.booleans()))
    else:
        text = body
    return lang, claim, fmt, text


@settings(max_examples=120, deadline=None)
@given(documents())
def test_findings_map_to_original_text(lint_doc):  # noqa: D103
    import promiselint

    lang, claim, fmt, text = lint_doc
    result = promiselint.check_text(text, format=fmt)
    assert result.findings, f"no finding in {text!r}"
    for f in result.findings:
        assert f.text == text[f.offset:f.end_offset]
    core = CORE[claim]

    def decoded(raw):
        raw = json.loads(f'"{raw}"') if fmt == "json" else html.unescape(raw) if fmt == "html" else raw
        return fold(raw, lang).text.replace(" ", "")

    assert any(core in decoded(f.text) for f in result.findings), (text, [f.text for f in result.findings])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc أإآةىيكی\u064e\u0640\u200c\u200f\ufefb\ufe8d ٤۴5")), max_size=40),
       st.sampled_from(["ar", "fa", "en"]))
def test_fold_maps_every_character_back(text, lang):
    m = fold(text, lang)
    for i in range(len(m.text)):
        s, e = m.source_span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert m.text[i] in fold(text[s:e], lang).text


def test_html_entities_and_markup_map_back():
    text = '<p>ما <b>سریع&zwnj;ترین</b> هستیم &amp; more</p>'
    doc = parse(text, "html")
    block = doc.blocks[0]
    s, e = block.text.source_span(3, 12)
    assert text[s:e] == "سریع&zwnj;ترین"


def test_lines_end_at_lf_crlf_and_lone_cr_only():
    from promiselint.core.sourcemap import line_col, line_starts, newline_starts

    text = "a\rb\r\nc\nd\u2028e\u0085f"
    starts = line_starts(text)
    assert starts == [0, 2, 5, 7]  # U+2028 and U+0085 stay inside their line, as in editors
    assert [line_col(starts, text.index(ch)) for ch in "abcdf"] == [(1, 1), (2, 1), (3, 1), (4, 1), (4, 5)]
    assert newline_starts(text) == [0, 5, 7]  # what html.parser counts


def test_markdown_words_with_entities_and_escapes_are_placed():
    text = "ارسال سریع&zwnj;ترین و The fastest\\! charger &#33; الأرخص\\. في المملكة\r\nline two"
    [block] = parse(text, "md").blocks
    assert block.text.text == "ارسال سریع\u200cترین و The fastest! charger ! الأرخص. في المملكة\nline two"
    for i, ch in enumerate(block.text.text):
        a, b = block.text.source_span(i, i + 1)
        raw = text[a:b]
        assert ch == raw or ch == html.unescape(raw) or raw == "\\" + ch or (ch == "\n" and raw == "\r\n")


# -- the run-based map answers as a per-character map would -------------------

def _per_char(m):
    """[(start, end)] of every character of `m`, from its public source_span."""
    return [m.source_span(i, i + 1) for i in range(len(m.text))]


@st.composite
def built(draw, source_len=60):
    """A Builder's Mapped from random pieces, with the per-character spans they stand for."""
    from promiselint.core.sourcemap import Builder, Mapped

    b, spans, at = Builder(), [], 0
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["verbatim", "replaced", "mapped"]))
        at = draw(st.integers(0, source_len))
        n = draw(st.integers(0, 6 if kind == "replaced" else min(6, source_len - at)))  # (inside the source)
        if kind == "verbatim":
            b.add_verbatim("v" * n, at)
            spans += [(at + i, at + i + 1) for i in range(n)]
        elif kind == "replaced":
            end = at + draw(st.integers(0, min(5, source_len - at)))
            b.add_replaced("r" * n, at, end)
            spans += [(at, end)] * n
        else:
            b.add_mapped(Mapped.identity("m" * n, at))
            spans += [(at + i, at + i + 1) for i in range(n)]
    return b.build(), spans


@settings(max_examples=300, deadline=None)
@given(built(), built(), st.data())
def test_runs_compose_and_slice_like_per_character_spans(inner, outer, data):
    from promiselint.core.sourcemap import Mapped

    (m, spans), (o, ospans) = inner, outer
    assert _per_char(m) == spans
    a = data.draw(st.integers(0, len(m.text)))
    z = data.draw(st.integers(a, len(m.text)))
    assert _per_char(m.slice(a, z)) == spans[a:z]
    if z > a:
        assert m.source_span(a, z) == (spans[a][0], spans[z - 1][1])
    # compose: inner spans must point into outer.text; re-map them per character
    if ospans:
        inner_on_outer = Mapped.identity("x" * len(o.text)).slice(0, len(o.text))
        for i in range(len(o.text)):  # a verbatim inner map over outer.text, then a shifted one
            assert inner_on_outer.source_span(i, i + 1) == (i, i + 1)
        k = data.draw(st.integers(0, len(o.text) - 1))
        piece = o.slice(k, len(o.text))
        assert _per_char(piece) == ospans[k:]
        sub = Mapped.identity(o.text[k:], k).compose(o)
        assert _per_char(sub) == ospans[k:]
        wrapped = data.draw(built(source_len=len(o.text)))[0]
        composed = wrapped.compose(o)
        want = [o.source_span(s, e) for s, e in _per_char(wrapped)]
        assert _per_char(composed) == want


def test_a_million_characters_of_mapped_text_cost_a_few_bytes_each():
    """Runs, not per-character entries: HTML-like text with an entity every 40
    characters maps in well under a byte per character (a per-character list
    pair cost about 78 bytes)."""
    from promiselint.core.sourcemap import Builder

    b, at = Builder(), 0
    while len(b) < 1_000_000:
        b.add_verbatim("x" * 40, at)
        b.add_replaced("&", at + 40, at + 45)  # "&amp;"
        at += 45
    m = b.build()
    assert len(m.text) >= 1_000_000
    assert m.footprint() / len(m.text) < 2.0, m.footprint()
    folded = fold("\u064e".join(["سریع‌ترین ارسال"] * 50_000), "fa")  # a mark to drop every 15 characters
    assert folded.footprint() / len(folded.text) < 3.0, folded.footprint()


def _fold_per_character(text, lang):
    """fold's definition, one character at a time: (text, [(start, end)])."""
    import unicodedata

    from promiselint.text.normalize import _DROP, table

    out, spans = [], []
    for i, ch in enumerate(text):
        for f in (unicodedata.normalize("NFKC", ch) if not _DROP.match(ch) else ""):
            if not _DROP.match(f):
                out.append(f.translate(table(lang)))
                spans.append((i, i + 1))
    return "".join(out), spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ ÀÉ أإآةىيكیك٤۴5ﷺﬁ½éé\u2212\u202f\u2013")
                                        + ["\u064e", "\u0640", "\u200c", "\u200f", "\ufefb", "\ufe8d",
                                           "\u0301", "\u2460", "\ufdfa", "\U0001F600", "\u064b", "\u064f"]),
               max_size=120),
       st.sampled_from(["ar", "fa", "en"]))
def test_fold_in_runs_equals_folding_each_character(text, lang):
    m = fold(text, lang)
    want, spans = _fold_per_character(text, lang)
    assert m.text == want
    assert _per_char(m) == spans


def test_take_gives_the_built_map_and_starts_afresh():
    from promiselint.core.sourcemap import Builder

    b = Builder()
    b.add_verbatim("fastest ", 10)
    b.add_verbatim("kettle", 18)  # continues the same piece of the source
    one = b.take()
    assert (one.text, one.pos, one.base) == ("fastest kettle", None, 10)  # the identity map, shifted
    assert len(b) == 0 and b.take().text == ""
    b.add_verbatim("best", 3)
    b.add_replaced("&", 7, 12)
    two = b.take()
    assert [two.source_span(i, i + 1) for i in range(5)] == [(3, 4), (4, 5), (5, 6), (6, 7), (7, 12)]
