"""Every finding points at the exact code points of the original file."""
import html
import json

from hypothesis import given, settings, strategies as st

from promiselint.formats import parse
from promiselint.normalize import fold

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
    from promiselint.sourcemap import line_col, line_starts, newline_starts

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
