"""Hypothesis strategies for storefront files in every format promiselint reads.

Copy is built from Arabic, Persian and English words and claims, with the
characters that break naive offset arithmetic: ZWNJ, bidi marks, tatweel and
harakat, Arabic presentation forms, astral characters, Unicode line separators,
and mixed line endings (LF, CRLF, lone CR).  Each format then adds its own
encodings: HTML entities (also without semicolon), Markdown escapes and
entities, JSON and C escapes, CSV quoting.
"""
from __future__ import annotations

import csv
import io
import json

from hypothesis import strategies as st

CLAIMS = {"en": ["fastest", "cheapest", "the best", "guaranteed results", "#1"],
          "ar": ["الأسرع", "الأرخص", "بأفضل", "لا مثيل له"],
          "fa": ["سریع‌ترین", "ارزان‌ترین", "بهترین", "بی‌نظیر"]}
WORDS = {"en": ["our", "shop", "delivers", "quality", "coffee", "charger", "in", "town"],
         "ar": ["متجرنا", "في", "المملكة", "جودة", "شاحن", "توصيل"],
         "fa": ["فروشگاه", "ما", "در", "ایران", "کیفیت", "ارسال"]}
ODD = ["\u200c", "\u200f", "\u200e", "\u202b", "\u202c", "\u2067", "\u2069", "\u0640", "\u064e",
       "\ufefb", "\ufe8d", "\ufeb3", "🚀", "\u00a0", "٤", "۴", "&", "<", ">", '"', "\\", "*", "_", "#"]
SEPARATORS = ["\u2028", "\u0085"]  # line separators in Unicode, characters within a line for us
LINE_ENDS = ["\n", "\r\n", "\r"]
PUNCT = [".", "!", "?", "؟", "،", ",", ":", ";"]

LANGS = st.sampled_from(sorted(CLAIMS))


@st.composite
def phrases(draw, lang: str | None = None, odd: bool = True, separators: bool = True) -> str:
    """A line of copy: words, maybe a claim, maybe odd characters, no line ends."""
    lang = lang or draw(LANGS)
    pool = WORDS[lang] + CLAIMS[lang] + PUNCT + (ODD if odd else []) + (SEPARATORS if separators else [])
    parts = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10))
    joins = draw(st.lists(st.sampled_from([" ", " ", "", "\u200c"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + j for p, j in zip(parts, joins)).strip() or "x"


@st.composite
def lines(draw, **kw) -> list[str]:
    return draw(st.lists(phrases(**kw), min_size=1, max_size=6))


def join_lines(draw, items: list[str]) -> str:
    """Lines joined by LF, CRLF or lone CR, one ending drawn per line."""
    out = ""
    for item in items:
        out += item + draw(st.sampled_from(LINE_ENDS))
    return out


# -- encodings each format adds -------------------------------------------------------------
HTML_REFS = {"&": ["&amp;", "&amp", "&#38;"], "\u200c": ["&zwnj;", "&#8204;", "&#x200c;"],
             "<": ["&lt;", "&lt"], ">": ["&gt;"], '"': ["&quot;", "&#34;"], "!": ["&#33;", "&#x21;"],
             " ": [" ", "&nbsp;", "&#32;"], "t": ["&#116;"], "©": ["&copy;", "&copy"]}
MD_ESCAPES = {"!": ["\\!"], ".": ["\\."], "*": ["\\*", "&#42;"], "_": ["\\_"], "#": ["\\#"],
              "\u200c": ["&zwnj;"], "&": ["&amp;", "&amp"], "<": ["&lt;", "\\<"], "\\": ["\\\\"],
              "t": ["&#116;"], "[": ["\\["], "]": ["\\]"]}


def encode(draw, text: str, table: dict[str, list[str]], must: set[str] = frozenset()) -> str:
    """text with some characters written as references or escapes (those in `must` always)."""
    out = []
    for ch in text:
        forms = table.get(ch)
        if forms and (ch in must or draw(st.integers(0, 2)) == 0):
            out.append(draw(st.sampled_from(forms)))
        else:
            out.append(ch)
    return "".join(out)


@st.composite
def txt_files(draw) -> str:
    paragraphs = draw(st.lists(lines(), min_size=1, max_size=4))
    return "".join(join_lines(draw, p) + draw(st.sampled_from(LINE_ENDS)) for p in paragraphs)


@st.composite
def md_files(draw) -> str:
    out = ""
    if draw(st.booleans()):
        title = draw(phrases(odd=False, separators=False)).replace(":", " ").replace("#", " ")
        out += f"---\ntitle: \"{title}\"\nlang: {draw(LANGS)}\n---\n"
    for item in draw(st.lists(lines(), min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["", "", "# ", "## ", "- ", "1. ", "> "]))
        body = [encode(draw, line, MD_ESCAPES, {"\\", "<"}) for line in item]
        if draw(st.booleans()):
            body[0] = f"*{body[0]}*" if draw(st.booleans()) else f"[{body[0]}](/p?a=1&b=2)"
        out += kind + join_lines(draw, body) + draw(st.sampled_from(LINE_ENDS))
    return out


@st.composite
def html_files(draw) -> str:
    page = draw(st.booleans())
    out = "<!doctype html><html lang=\"%s\"><body>\n" % draw(LANGS) if page else ""
    for item in draw(st.lists(lines(), min_size=1, max_size=5)):
        tag = draw(st.sampled_from(["p", "h1", "li", "div", "td", "option", "span", "a"]))
        body = [encode(draw, line, HTML_REFS, {"&", "<", ">"}) for line in item]
        inner = join_lines(draw, body) if draw(st.booleans()) else "<br>".join(body)
        if draw(st.booleans()):
            inner = f"<b>{inner}</b> <img alt=\"{body[0].replace(chr(34), '&quot;')}\" src=x.png>"
        attrs = ' href="/x?a=1&amp;b=2"' if tag == "a" else ""
        out += f"<{tag}{attrs}>{inner}</{tag}>" + draw(st.sampled_from(["", "\n", "\r\n", "\r", "<!-- c -->"]))
    return out + ("</body></html>\n" if page else "")


@st.composite
def json_files(draw) -> str:
    keys = draw(st.lists(st.sampled_from(["title", "description", "body", "label", "sort_by", "name"]),
                         min_size=1, max_size=5, unique=True))
    data = {k: join_lines(draw, draw(lines())).rstrip("\r\n") for k in keys}
    if draw(st.booleans()):
        data = {"product": data, "items": [draw(phrases())]}
    return json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))


def _c_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


@st.composite
def po_files(draw) -> str:
    lang = draw(LANGS)
    out = f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n\n'
    for i, item in enumerate(draw(st.lists(lines(lang=lang, separators=False), min_size=1, max_size=4))):
        # U+2028/U+0085 in a msgstr are refused by the PO reader today (issue 9, item 15)
        out += f'msgid "key {i}"\nmsgstr ""\n' + "".join(f'"{_c_quote(line)}\\n"\n' for line in item) + "\n"
    return out.replace("\n", "\r\n") if draw(st.booleans()) else out  # (gettext writes no lone CR)


@st.composite
def csv_files(draw) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(["sku", "title", "description"])
    for n in range(draw(st.integers(1, 4))):
        writer.writerow([f"SKU-{n}", draw(phrases()), join_lines(draw, draw(lines())).rstrip("\r\n")])
    return buf.getvalue()


FILES = {"txt": txt_files(), "md": md_files(), "html": html_files(), "json": json_files(),
         "po": po_files(), "csv": csv_files()}
