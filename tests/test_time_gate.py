"""The delivery detector's shortcuts never change what it finds.

`delivery_near` (time_context.py) lets the time grammar skip the parts of a
block with no delivery cue word within classify_context's reach, and the
per-region parse is cached by the region's text: on random copy made of time
words, cue words and sentence ends, the delivery promises found are those of
parsing everything and classifying every expression.
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.match.detectors import delivery_promises
from promiselint.match.time_context import classify_context, delivery_near
from promiselint.match.time_parse import TimeExpr, _parser, _regions, _tokenize, find_time_expressions, word_classes
from promiselint.text.normalize import fold

PIECES = {
    "en": ["delivery", "delivered", "ships", "shipping", "arrives", "to your door", "within", "in", "24", "2-3",
           "hours", "business days", "days", "next day", "same-day", "returns", "warranty", "for", "up to",
           "order", "the", "kettle", ".", ",", "!", "\n", "30 minutes", "by", "tomorrow", "1.5", "a week"],
    "ar": ["توصيل", "شحن", "يصلك", "خلال", "٢٤", "ساعة", "ساعه", "أيام", "يوم", "عمل", "ثلاثة", "إلى", "خمسة",
           "الطلب", "إرجاع", "ضمان", "مجاني", ".", "،", "\n", "بكرة", "نفس اليوم", "دقيقة", "30", "delivery"],
    "fa": ["ارسال", "تحویل", "می‌رسد", "ظرف", "۲۴", "ساعت", "ساعته", "روز", "کاری", "سه", "تا", "پنج", "سفارش",
           "مرجوعی", "گارانتی", ".", "،", "\n", "فردا", "همان روز", "shipping"],
}


def _copy(lang):
    return st.lists(st.sampled_from(PIECES[lang]), max_size=30).map(" ".join)


def _parsed_in_place(text: str, lang: str) -> list:
    """Every time expression, each region tokenized inside the whole text (no cache)."""
    lex, parser = word_classes(lang), _parser()
    found = []
    for rs, re_ in _regions(text, lex):
        toks = _tokenize(text, rs, re_, lex)
        i = 0
        while i < len(toks):
            hit = None if parser.first.isdisjoint(toks[i][0]) else parser.longest(toks, i)
            if hit is None:
                i += 1
                continue
            j, (kind, lo, hi, business, bound, _) = hit
            found.append(TimeExpr(toks[i][2], toks[j - 1][3], kind, lo, hi, business, bound))
            i = j
    return found


def _everything(text: str, lang: str) -> list:
    """The delivery promises of parsing every region and classifying every expression."""
    return [e for e in _parsed_in_place(text, lang) if classify_context(text, e, lang) == "delivery"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["en", "ar", "fa"]).flatmap(lambda lang: st.tuples(st.just(lang), _copy(lang))))
def test_delivery_promises_are_those_of_parsing_everything(case):
    lang, raw = case
    text = fold(raw, lang).text
    assert find_time_expressions(text, lang) == _parsed_in_place(text, lang)  # cached per region: the same
    assert list(delivery_promises(text, lang)) == _everything(text, lang)
    near = delivery_near(text, lang)
    if near is None:  # no cue word: no expression is a delivery
        assert not _everything(text, lang)


def test_a_block_without_a_cue_word_is_not_parsed():
    text = fold("Warranty: 2 years. Returns accepted for 30 days.", "en").text
    assert find_time_expressions(text, "en")  # it has time expressions
    assert delivery_near(text, "en") is None and list(delivery_promises(text, "en")) == []


def test_the_cue_test_looks_only_at_cues_within_reach():
    """`near` is asked once per region; it must look at the cues within reach, not at
    every cue of the block (a long paragraph of delivery notes was quadratic).
    Four times the text, about four times the work (CPU, best of three; quadratic: 16)."""
    import time

    from promiselint.match.time_context import delivery_near

    def cost(n: int) -> float:
        text = "Orders ship in 2 days from our shop. It lasts 10 years. " * n
        near = delivery_near(text, "en")
        spans = [(i, i + 6) for i in range(0, len(text), 28)]
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            for a, b in spans:
                near(a, b)
            best = min(best, time.process_time() - t)
        return max(best, 1e-4)

    cost(50)
    assert cost(8000) < 8 * cost(2000)
