"""A drop-in replacement for a flagged word, taken from its lexicon's `safer` wording.

`safer` is written for people ("great / one of our favourites", "low-priced
(state the price)", "a specific, checkable quality"); a quick fix needs words
that can replace the flagged text as they are.  The head of the safer wording
(before " (") is used when it is one or two words and no list; of "A / B" choices the
one the flagged word is built on ("strongest" -> "strong") or, when the second
is a phrase, the first.  Only where the grammar allows a word-for-word swap:

- en: a single token ("fastest" -> "fast", "Unbeatable" -> "Excellent");
- ar: a definite elative keeps its clitics and article ("والأسرع" -> "والسريع");
  a bare elative heads a construct ("أسرع توصيل") and gets none; a phrase is
  swapped whole, the adjective agreeing with it ("لا مثيل لها" -> "مميزة");
- fa: an adjective after its noun ("بی‌نظیر" -> "ممتاز"); a ‑ترین superlative
  stands before its noun and gets none.
"""
from __future__ import annotations

import re
import unicodedata

from promiselint.core.lazyre import lazy_compile

_AR_ARTICLE = lazy_compile(r"^([وف]?[بك]?ال|[وف]?لل)(?=\S)")


def drop_in(safer: str, shown: str, lang: str) -> str | None:
    """The text that can replace `shown`, or None when none can."""
    word = _head(safer, unicodedata.normalize("NFKC", shown).lower())
    if not word:
        return None
    shown = unicodedata.normalize("NFKC", shown)
    if lang == "en":
        if len(shown.split()) != 1:
            return None
        if shown.isupper() and len(shown) > 1:
            return word.upper()
        return word[0].upper() + word[1:] if shown[0].isupper() else word
    if lang == "ar":
        if len(shown.split()) > 1:
            return _agree(word, shown)
        m = _AR_ARTICLE.match(shown)
        if m is None or " " in word or word.startswith("ال"):
            return None
        return m.group(1) + word
    if lang == "fa":
        return None if re.search(r"ترین$", shown.replace("\u200c", "")) else word
    return None


def _agree(word: str, phrase: str) -> str | None:
    """An Arabic phrase's adjective takes its gender and number from the phrase:
    «لا مثيل لها» / «لا تقاوم» are feminine («مميزة»), «لهما» / «لهم» get none."""
    words = phrase.split()
    if re.search(r"(هما|هم|هن)$", words[-1]):
        return None
    feminine = words[-1].endswith("ها") or (words[0] == "لا" and words[1].startswith("ت"))
    if not feminine or " " in word or word.endswith(("ة", "ى", "ا")):
        return word if not feminine else None
    return word + "ة"


def _head(safer: str, shown: str) -> str | None:
    choices = [c.split(" (")[0].strip() for c in safer.split(" / ")]
    if len(choices) > 1:  # "high / strong, with the measured figure": the advice after the comma goes
        choices[-1] = re.split(r"[,،]", choices[-1])[0].strip()
    if len(choices) > 1 and all(len(c.split()) == 1 for c in choices):
        word = next((c for c in choices if shown.startswith(c.lower())), None)  # "strongest" -> "strong"
    else:
        word = choices[0]
    if not word or re.search(r"[,،.…]", word) or len(word.split()) > 2:
        return None
    return word
