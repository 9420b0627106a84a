"""Fold text into the form rules match against, keeping the offset map.

Matching form: NFKC (Arabic presentation forms, ligatures), no harakat,
tatweel or bidi marks, ASCII digits, lower-case Latin, one spelling per letter
(Arabic: أإآٱ→ا ى→ي ة→ه; Persian: ي→ی ك→ک, ZWNJ→space so joined, spaced
and ZWNJ spellings meet).  Every step maps one character to zero or more, so
the result is a `Mapped` relative to the input.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import VERBATIM, Builder, Mapped

_DROP_CLASS = "[\u064b-\u065f\u0670\u0640\u00ad\u200b\u200d-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_DROP = lazy_compile(_DROP_CLASS)
# (X X* rather than X+: re then skips ahead to the class's characters, several times faster)
_DROPS = lazy_compile(_DROP_CLASS * 2 + "*")
_SPLIT = lazy_compile(f"({_DROP_CLASS * 2}*)")
ZWNJ = "\u200c"

_COMMON = {
    **{0x660 + i: str(i) for i in range(10)},  # Eastern Arabic digits
    **{0x6F0 + i: str(i) for i in range(10)},  # Persian digits
    **{c: chr(c + 32) for c in range(0x41, 0x5B)},
    **{c: chr(c + 32) for c in range(0xC0, 0xDF) if c != 0xD7},
    0x66A: "%", 0x66B: ".", 0x66C: ",", 0x60C: ",", 0x61B: ";", 0x61F: "?",
    0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2212: "-",
    0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x00A0: " ", 0x202F: " ",
}
_AR = {**_COMMON, 0x623: "ا", 0x625: "ا", 0x622: "ا", 0x671: "ا", 0x649: "ي", 0x629: "ه",
       0x6CC: "ي", 0x6A9: "ك", 0x6C0: "ه", ord(ZWNJ): " "}
_FA = {**_COMMON, 0x64A: "ی", 0x649: "ی", 0x643: "ک", 0x629: "ه", 0x6C0: "ه",
       0x623: "ا", 0x625: "ا", 0x671: "ا", ord(ZWNJ): " "}
_TABLES = {"ar": _AR, "fa": _FA}


def _as_list(tab: dict[int, str]) -> list[int]:
    """The same table for str.translate as a list indexed by code point (several
    times faster than a dict; code points past its end stay as they are)."""
    out = list(range(max(tab) + 1))
    for code, to in tab.items():
        out[code] = ord(to)
    return out


_LISTS = {lang: _as_list(tab) for lang, tab in _TABLES.items()}
# the same tables by character, with a regex for the characters each one maps: str.translate
# costs ~70 ns a character outside ASCII, str.replace of the few it holds a fraction of that
_CHARS = {lang: {chr(code): to for code, to in tab.items()} for lang, tab in _TABLES.items()}
_MAPPED = {lang: lazy_compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")
           for lang, chars in _CHARS.items()}
assert not any(to in chars for chars in _CHARS.values() for to in chars.values())  # (so no order matters)


def table(lang: str) -> dict[int, str]:
    return _TABLES.get(lang, _AR)


@lru_cache(maxsize=4096)
def fold_word(word: str, lang: str) -> str:
    """Matching form of a lexicon word (no offsets needed)."""
    return fold(word, lang).text


def translate(text: str, lang: str) -> str:
    """text.translate(table(lang)): every table maps ASCII to lower case and nothing else
    of it, and no character to one it maps, so each one it maps is replaced in one go."""
    if text.isascii():
        return text.lower()
    chars = _CHARS.get(lang) or _CHARS["ar"]
    for ch in set((_MAPPED.get(lang) or _MAPPED["ar"]).findall(text)):
        text = text.replace(ch, chars[ch])
    return text


def folded(memo: dict, block, lang: str) -> Mapped:
    """`block`'s matching form for `lang`, folded once per document: every check
    (claims, promises, disclosures, the registry) reads this one result.
    `memo` is the document's `Document.memo`."""
    key = ("fold", id(block), lang)
    got = memo.get(key)
    if got is None:
        got = memo[key] = fold(block.text.text, lang)
    return got


def fold(text: str, lang: str) -> Mapped:
    """Matching form of `text` for `lang`, mapped back to `text` offsets.

    Each character is folded on its own (NFKC, then the language's table);
    runs of characters that NFKC keeps as they are are translated in one call,
    and only the rest are folded one by one."""
    if text.isascii():  # nothing to drop, NFKC already: only upper case to fold
        return Mapped.identity(text.lower())
    if not _DROP.search(text):
        if unicodedata.is_normalized("NFKC", text):
            return Mapped.identity(translate(text, lang))
    else:
        pieces = _SPLIT.split(text)  # kept, dropped, kept, ..., kept
        kept = "".join(pieces[::2])
        if unicodedata.is_normalized("NFKC", kept):  # only marks to drop: the runs between them
            pos, starts = array("q"), array("q")
            at = n = 0
            for i in range(0, len(pieces), 2):
                size = len(pieces[i])
                if size:
                    pos.append(n)
                    starts.append(at)
                    n += size
                at += size + (len(pieces[i + 1]) if i + 1 < len(pieces) else 0)
            return Mapped(translate(kept, lang), pos, starts, array("q", [VERBATIM]) * len(pos))
    b = Builder()
    at = 0
    for m in _DROPS.finditer(text):
        _kept(b, text, at, m.start(), lang)
        at = m.end()
    _kept(b, text, at, len(text), lang)
    return b.build()


_CHUNK = 32  # characters tested for NFKC stability at once


def _kept(b: Builder, text: str, start: int, end: int, lang: str) -> None:
    """Fold text[start:end] (no dropped characters in it) onto `b`."""
    normal, drop = unicodedata.is_normalized, _DROP.match
    tab = _LISTS.get(lang, _LISTS["ar"])
    if normal("NFKC", text[start:end]):
        b.add_verbatim(translate(text[start:end], lang), start)
        return
    for a in range(start, end, _CHUNK):
        z = min(a + _CHUNK, end)
        piece = text[a:z]
        if normal("NFKC", piece):  # every character of it is its own NFKC form
            b.add_verbatim(translate(piece, lang), a)
            continue
        for i in range(a, z):
            ch = text[i]
            folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
            if len(folded) == 1 and not drop(folded):  # (one character from one: a verbatim span)
                b.add_verbatim(folded.translate(tab), i)
                continue
            for f in folded:
                if not drop(f):
                    b.add_replaced(f.translate(tab), i, i + 1)
