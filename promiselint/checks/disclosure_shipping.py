"""The shipping-total statement in a block's folded text, and the prices it covers.

A block states shipping when it says the price includes it, that it is free,
or gives its cost: a shipping word beside an amount («رسوم الشحن: 15 درهم»,
"£4.95 UK delivery").  Non-statements ("calculated at checkout") are masked
out first (`mask`), so they never count.
"""
from __future__ import annotations

from bisect import bisect_left

from promiselint.core.lazyre import lazy_compile

from .disclosure_contact import digits

_SENTENCE_BREAK = lazy_compile(r"[!?؟\n]|\.(?=\s|$)")
WORD = lazy_compile(r"[^\W_]+")
_GAP_BEFORE_PRICE = lazy_compile(r"[\s:=\-–—]*(?:(?:from|of|at|از|به)\s*)?[\s:]*")
_GAP_AFTER_PRICE = lazy_compile(
    r"(?:\s|\+|plus|uk|us|eu|standard|tracked|mainland|flat[- ]rate|flat|برای|براي|لل)*\s*")
_FILLER = lazy_compile(r"(?<!\w)(?:just|only|for|now|today|فقط|الان|امروز|همين)(?!\w)")
# a shipping word that opens its clause ("Shipping: $5", «، التوصيل ٢٠ درهم»), unlike
# «كابل شحن» (a charging cable) or "Fast delivery · $30"
CLAUSE_START = lazy_compile(
    r"(?:^|[.:;؛،,!?؟\n\-–—•·|(+/*])\s*(?:(?:and|plus|standard|express|economy|tracked|next[- ]day|"
    r"same[- ]day|uk|us|eu|local|domestic|international|worldwide|flat[- ]rate|و)\s*){0,2}$")
_SPEED_BEFORE = lazy_compile(r"(?:fast|quick|speedy|rapid|سريع|سريعه|فوري|فوريه)\W*$")
_SPEED_AFTER = lazy_compile(
    r"\s*(?:سريع|السريع|فوري|لاسلكي|اللاسلكي|اكسپرس|اكسبرس|express|fast|quick|wireless|same|next|"
    r"\d+\s*(?:ساعه|ساعت|روز|يوم|ايام|hours?|days?|h\b|w\b|واط|وات))")


class _Every(dict):
    """Every cue, every item (no CueIndex answer to go by)."""

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key):
        return None


_EVERY = _Every()


def mask(text: str, rx) -> str:
    """`text` with every match of `rx` blanked out (same length, same offsets)."""
    return rx.sub(lambda m: " " * len(m.group()), text)


def shipping_statement(text: str, lex, cues=None, prices=None) -> str | None:
    """How `text` (folded, non-statements masked) states shipping: included, free, cost.

    `cues`: the cues (and their items) that may match in `text` (CueIndex.scan;
    None: every cue); `prices`: the matches of `lex.price` in it, when already found.
    """
    cues = cues if cues is not None else _EVERY
    if "included" in cues and lex.included.found(text, cues["included"]):
        return "included"
    if "free" in cues and lex.free.found(text, cues["free"]):
        return "free"
    if prices is None:
        prices = list(lex.price.finditer(text)) if "price" in cues else []
    if not prices:
        return None
    starts = [p.start() for p in prices]
    for w in lex.ship_words.finditer(text) if "ship_words" in cues else ():
        # shipping word, then the amount: "Shipping: $5.99", «رسوم الشحن داخل المملكة ٢٥ ريال»
        window = text[w.end():w.end() + 48]
        cut = _SENTENCE_BREAK.search(window)
        window_end = w.end() + (cut.start() if cut else len(window))
        k = bisect_left(starts, w.end())  # the first price starting at or after the word
        if k == len(prices) or prices[k].start() > window_end:
            continue
        p = prices[k]
        gap = text[w.end():p.start()]
        if digits(gap):
            continue
        if lex.cost_words.search(text[max(0, w.start() - 16):p.start()]):
            return "cost"
        if not CLAUSE_START.search(text[max(0, w.start() - 40):w.start()]) \
                or _SPEED_BEFORE.search(text[max(0, w.start() - 14):w.start()]) \
                or _SPEED_AFTER.match(text, w.end()):
            continue
        if _GAP_BEFORE_PRICE.fullmatch(gap):
            return "cost"
        # a place between: "Delivery to London £5", «ارسال به تهران ۵۰ هزار تومان»
        if len(WORD.findall(gap)) <= 3 and not _FILLER.search(gap):
            return "cost"
    for p in prices:
        # the amount, then the shipping word: "£4.95 UK delivery", «۴۵٬۰۰۰ تومان هزینه ارسال»
        gap = _GAP_AFTER_PRICE.match(text, p.end())
        w = lex.ship_words.match(text, gap.end())
        if w and not _SPEED_AFTER.match(text, w.end()):
            return "cost"
    return None
