"""Language detection and sentence splitting (the analyzers behind every condition)."""
import pytest

from promiselint.text.sentences import sentences
from promiselint.text.language import detect
from promiselint.text.normalize import fold


@pytest.mark.parametrize("text,lang", [
    ("متجرنا الأرخص في المملكة", "ar"),
    ("ده أحسن كريم للشعر في السوق", "ar"),
    ("سریع‌ترین ارسال در کل کشور", "fa"),
    ("بهترين كيفيت را با ما تجربه كنيد", "fa"),  # Persian written with Arabic ي/ك
    ("ارزان ترين قيمت‌ها در كل بازار", "fa"),
    ("The fastest kettle", "en"),
])
def test_detects_arabic_persian_english(text, lang):
    assert detect(text) == lang


def test_declared_language_wins_and_page_language_breaks_ties():
    assert detect("متجرنا الأرخص في المملكة", declared="fa") == "fa"
    assert detect("ضمانت اصالت زعفران", hint="fa") == "fa"   # no telling letters: follow the page
    assert detect("متجرنا الأرخص في المملكة", hint="fa") == "ar"  # clear Arabic: the hint does not win


def split(text, lang):
    norm = fold(text, lang).text
    return [norm[s:e] for s, e in sentences(norm, lang)]


def test_abbreviations_and_initialisms_do_not_end_sentences():
    assert split("Free shipping on U.S. orders over $50. Shop now!", "en") == [
        "free shipping on u.s. orders over $50.", "shop now!"]
    assert split("The UK's No. 1 retailer. Since 1998.", "en") == ["the uk's no. 1 retailer.", "since 1998."]
    assert split("Allow approx. 3 days. Thanks.", "en") == ["allow approx. 3 days.", "thanks."]


def test_menus_line_breaks_and_arabic_punctuation_split():
    assert split("Sort by: Best selling | Newest | Price", "en") == ["sort by: best selling", "newest", "price"]
    assert split("شحن مجاني. يسري العرض داخل الرياض؟ نعم", "ar") == ["شحن مجاني.", "يسري العرض داخل الرياض?", "نعم"]
    assert split("ارسال همان روز.\nفقط در تهران", "fa") == ["ارسال همان روز.", "فقط در تهران"]


def test_arabic_and_persian_lines_in_one_block_each_get_their_rules(lint):
    result = lint("متجرنا الأرخص في المملكة.\nسریع‌ترین ارسال در کل کشور را تجربه کنید.")
    assert {(f.text, f.language) for f in result.findings} == {("الأرخص", "ar"), ("سریع‌ترین", "fa")}


# -- hazm's sentence rule, run without importing hazm -----------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

from promiselint.text.sentences import hazm_sentences  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["کتری", "ک", "۲", "است", "a", ".", "..", "!", "?", "؟", "⸮", " ", "  ", "\n",
                                 "\u200c", "\t", "\\1", "\xa0"]), max_size=30).map("".join))
def test_hazm_sentence_rule_agrees_with_hazm(text):
    hazm = pytest.importorskip("hazm.sentence_tokenizer")
    assert hazm_sentences(text) == hazm.SentenceTokenizer().tokenize(text)


def test_an_ambiguous_persian_period_splits_like_hazm():
    assert split("سریع‌ترین کتری. ک. ۲ در انبار است.", "fa") == ["سریع ترین کتری.", "ک.", "2 در انبار است."]


# -- spaCy's English sentences of plain words, without spaCy ---------------------------
from promiselint.text.sentences import _PLAIN, kept_whole, plain_english_sentences  # noqa: E402


@pytest.fixture(scope="module")
def spacy_en():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def test_the_abbreviation_lists_are_spacys(spacy_en):
    """lexicons/en/abbreviations.yaml: regenerate it when spaCy's exceptions change."""
    rules = spacy_en.tokenizer.rules
    expected = {k for k in rules if _PLAIN.fullmatch(k) and k.endswith(".")}
    expected |= {k + "." for k in rules if _PLAIN.fullmatch(k) and not k.endswith(".")
                 and spacy_en.tokenizer(k + ".")[-1].text != "."}
    assert kept_whole() == expected


_SEGMENT = st.one_of(st.text("abcdegimnopstuvxyz", min_size=1, max_size=3), st.integers(0, 120).map(str))
_WORD = st.one_of(
    st.tuples(_SEGMENT, st.lists(st.tuples(st.sampled_from(".'’"), _SEGMENT), max_size=2),
              st.sampled_from(["", "", ".", ".", ",", "!", "?", ";", ":", ".,", ".!", ".?", ".;"])
              ).map(lambda t: t[0] + "".join(a + b for a, b in t[1]) + t[2]),
    st.sampled_from(["no.", "e.g.", "i.e.", "vs.", "co.,", "a.m.", "x.", "wed.", "thats.", "im.!", "don't.", "u.s."]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=8).map(" ".join), st.sampled_from(["", "\r"]))
def test_plain_english_sentences_are_spacys(spacy_en, words, cr):
    chunk = words + cr
    assert plain_english_sentences(chunk) == [(s.start_char, s.end_char) for s in spacy_en(chunk).sents]


def test_common_abbreviations_need_no_spacy():
    assert plain_english_sentences("rated no. 1 e.g. by buyers. ships fast.") == [(0, 9), (10, 27), (28, 39)]
    assert split("Rated No. 1 e.g. by buyers. Ships fast.", "en") == ["rated no. 1 e.g. by buyers.", "ships fast."]
    assert plain_english_sentences("see (e.g.) the u.s. page") is None  # brackets: spaCy decides
