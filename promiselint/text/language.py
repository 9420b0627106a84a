"""Which language a block is in: script first, then Arabic vs Persian cues.

A block may hold two languages (an English line with an Arabic gloss); the
detector names the block's Arabic-script language, and English rules run on
any block with Latin letters.  Declared languages (lang=, front matter, PO
header, --lang) win over detection.
"""
from __future__ import annotations

from promiselint.core.lazyre import lazy_compile

SUPPORTED = ("ar", "fa", "en")
_ARABIC_SCRIPT = lazy_compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = lazy_compile("[A-Za-z\u00c0-\u024f]")
_FA_STRONG = lazy_compile("[پچژگ\u200c]")
_FA_WEAK = lazy_compile("[\u06cc\u06a9\u06f0-\u06f9]")
_AR_STRONG = lazy_compile("[ةى]")
_AR_WEAK = lazy_compile("[\u064a\u0643]|(?<!\\S)ال")
_FA_WORDS = lazy_compile(r"(?<!\S)(?:است|را|در|از|این|که|با|برای|می|های|هستیم|شما|تا|به|یک|کنید|شود)(?!\S)")
_AR_WORDS = lazy_compile(r"(?<!\S)(?:في|من|على|إلى|الى|عن|هذا|هذه|التي|الذي|مع|كل|لكم|نحن|هو|هي|لا|أو|قد)(?!\S)")


def detect(text: str, declared: str | None = None, hint: str | None = None) -> str | None:
    """ar, fa or en for a block; None when it has no letters we know.

    `declared` (lang=, front matter, --lang) wins; `hint` (the language of the
    rest of the page) only breaks a tie between Arabic and Persian."""
    if declared in SUPPORTED:
        if declared != "en" or not has_arabic_script(text):
            return declared
    if not has_arabic_script(text):
        return "en" if _LATIN.search(text) else None
    fa = (3 * len(_FA_STRONG.findall(text)) + len(_FA_WEAK.findall(text))
          + 3 * len(_FA_WORDS.findall(text)))
    ar = (3 * len(_AR_STRONG.findall(text)) + 0.5 * len(_AR_WEAK.findall(text))
          + 3 * len(_AR_WORDS.findall(text)))
    if hint in ("ar", "fa") and abs(fa - ar) < 1:
        return hint
    return "fa" if fa > ar else "ar"


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))


def has_arabic_script(text: str) -> bool:
    return not text.isascii() and _ARABIC_SCRIPT.search(text) is not None
