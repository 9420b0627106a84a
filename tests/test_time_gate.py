"""The delivery detector's shortcuts never change what it finds, and save work.

The time grammar reads only the runs of time words (numbers and words of the
word lists with only spaces between) that hold an anchor (a unit or a fixed
form), each run's parse cached by its text; `delivery_near` (time_context.py)
lets it skip runs with no delivery cue word within classify_context's reach.
On random copy made of time words, cue words, sentence ends and other tokens,
the expressions found are those of tokenizing the whole text token by token and
parsing it from start to end, and the delivery promises those of classifying
every one of them.  The work tests count
calls and tokens, never time.
"""
from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from promiselint.match import time_parse
from promiselint.match.detectors import _cached_promises, delivery_promises
from promiselint.match.time_context import classify_context, delivery_near
from promiselint.match.time_parse import TimeExpr, _parser, _tokenize, find_time_expressions, word_classes
from promiselint.text.normalize import fold

PIECES = {
    "en": ["delivery", "delivered", "ships", "shipping", "arrives", "to your door", "within", "in", "24", "2-3",
           "hours", "business days", "days", "next day", "same-day", "returns", "warranty", "for", "up to",
           "order", "the", "kettle", ".", ",", "!", "\n", "30 minutes", "by", "tomorrow", "1.5", "a week",
           "s24", "24h", "(24", "1,000", "24/7", "50%", "approx.", "a day or two", "today", "hourly"],
    "ar": ["توصيل", "شحن", "يصلك", "خلال", "٢٤", "ساعة", "ساعه", "أيام", "يوم", "عمل", "ثلاثة", "إلى", "خمسة",
           "الطلب", "إرجاع", "ضمان", "مجاني", ".", "،", "\n", "بكرة", "نفس اليوم", "دقيقة", "30", "delivery",
           "وخلال", "بساعتين", "وبيومين", "لل", "و", "24h", "(3", "يوما", "واحد"],
    "fa": ["ارسال", "تحویل", "می‌رسد", "ظرف", "۲۴", "ساعت", "ساعته", "روز", "کاری", "سه", "تا", "پنج", "سفارش",
           "مرجوعی", "گارانتی", ".", "،", "\n", "فردا", "همان روز", "shipping", "و", "در", "های", "ارسال‌ها"],
}
JOINS = [" ", " ", " ", "", "-", "\n", "  "]


def _copy(lang):
    return st.lists(st.tuples(st.sampled_from(PIECES[lang]), st.sampled_from(JOINS)), max_size=40).map(
        lambda parts: "".join(w + j for w, j in parts))


def _parsed_whole(text: str, lang: str) -> list:
    """Every time expression of the whole text, tokenized token by token (no runs, no cache)."""
    parser = _parser()
    toks = _tokenize(text, 0, len(text), word_classes(lang))
    found, i = [], 0
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
    """The delivery promises of parsing the whole text and classifying every expression."""
    return [e for e in _parsed_whole(text, lang) if classify_context(text, e, lang) == "delivery"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["en", "ar", "fa"]).flatmap(lambda lang: st.tuples(st.just(lang), _copy(lang))))
def test_delivery_promises_are_those_of_parsing_everything(case):
    lang, raw = case
    for text in (raw, fold(raw, lang).text):
        assert find_time_expressions(text, lang) == _parsed_whole(text, lang)  # runs, cached: the same
        assert list(delivery_promises(text, lang)) == _everything(text, lang)
        if delivery_near(text, lang) is None:  # no cue word: no expression is a delivery
            assert not _everything(text, lang)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["en", "ar", "fa"]).flatmap(lambda lang: st.tuples(st.just(lang), _copy(lang))))
def test_anchors_are_those_of_the_anchor_regex(case):
    """`_anchors` finds, from the automaton's matches, the spans anchor_re.finditer finds."""
    lang, raw = case
    lex = word_classes(lang)
    for text in (raw, fold(raw, lang).text, raw.replace(" ", "")):
        assert list(time_parse._anchors(text, lex)) == [m.span() for m in lex.anchor_re.finditer(text)]


class _Count:
    """Counts the calls of time_parse._tokenize and the tokens they build."""

    def __init__(self):
        self.calls = self.tokens = 0

    def __call__(self, *args):
        toks = _TOKENIZE(*args)
        self.calls += 1
        self.tokens += len(toks)
        return toks


_TOKENIZE = time_parse._tokenize


def _counted(text: str, lang: str) -> tuple[_Count, list]:
    """(the tokenizing work, the delivery promises) of a cold check of `text`."""
    count = _Count()
    time_parse._run_expressions.cache_clear()
    _cached_promises.cache_clear()
    with mock.patch.object(time_parse, "_tokenize", count):
        found = list(delivery_promises(text, lang))
    return count, found


def test_a_block_without_an_anchor_or_a_cue_word_is_not_tokenized():
    prose = "Hand-finished in small batches by our workshop in Porto, 450 grams, 3 colours. " * 50
    count, found = _counted(fold(prose + "Free delivery on every order.", "en").text, "en")  # no unit word
    assert count.calls == 0 and found == []
    text = fold("Warranty: 2 years. Returns accepted for 30 days.", "en").text
    assert find_time_expressions(text, "en")  # it has time expressions, but no delivery cue word
    count, found = _counted(text, "en")
    assert delivery_near(text, "en") is None and count.calls == 0 and found == []


def test_only_the_run_around_an_anchor_is_tokenized():
    """However long the prose around it, a promise costs the tokens of its own run
    ("ships within 24 hours": ships is no time word, so 3 tokens), in every language."""
    cases = {
        "en": ("Hand-finished in small batches by our workshop in Porto. ", "It ships within 24 hours. ", 3),
        "ar": ("قطعة مصنوعة يدويا من مواد طبيعية بوزن خفيف. ", "يصلك الطلب خلال 24 ساعة. ", 3),
        "fa": ("پتو دست ساز از مواد طبیعی با وزن سبک است. ", "سفارش ظرف ۲۴ ساعت ارسال می شود. ", 3),
    }
    for lang, (prose, promise, tokens) in cases.items():
        for n in (1, 40):
            count, found = _counted(fold(prose * n + promise + prose * n, lang).text, lang)
            assert len(found) == 1 and count.calls == 1 and count.tokens <= tokens + 1, (lang, n, count.tokens)


def test_a_run_of_many_anchors_is_found_once():
    """A long run holding many anchors is read back to its start and parsed once,
    not once per anchor (that would be quadratic)."""
    lex = word_classes("en")
    calls = []
    real = time_parse._run_floor

    def floor(*args):
        calls.append(args[2])
        return real(*args)

    text = "delivery in " + "2 days and 3 hours and " * 500 + "1 week"
    with mock.patch.object(time_parse, "_run_floor", floor):
        runs = time_parse._runs(text, lex)
    assert runs == [(len("delivery "), len(text))] and len(calls) == 1


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


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 5.!?\n|;،؟", max_size=40))
def test_the_sentence_tail_starts_after_the_last_sentence_end(before):
    """classify_context reads the text before an expression from its last sentence end
    on: one regex match, the same place as the last of _SENTENCE_END's matches."""
    from promiselint.match.time_context import _SENTENCE_END, _SENTENCE_TAIL

    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    assert _SENTENCE_TAIL.match(before).end() == (ends[-1] if ends else 0)


def test_long_blocks_and_runs_are_not_kept():
    """The caches keep short texts only: a long block (or run) is checked afresh, the
    same findings, and no cache entry holds it."""
    text = "delivery in " + "2 days and 3 hours and " * 100 + "1 week"  # one run of 2,300 characters
    before = (_cached_promises.cache_info().currsize, time_parse._run_expressions.cache_info().currsize)
    found = list(delivery_promises(text, "en"))
    assert found == _everything(text, "en") and found
    assert (_cached_promises.cache_info().currsize, time_parse._run_expressions.cache_info().currsize) == before
