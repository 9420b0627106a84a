"""Time-expression grammar: parsed values, non-promises, and robustness."""
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from promiselint.match import time_parse
from promiselint.match.timeexpr import TimeExpr, classify_context, find_time_expressions

_FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٪٫٬‐‑–—", "01234567890123456789%.,----")
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")     # harakat, superscript alef, tatweel


def norm(text: str, lang: str) -> str:
    """The matching-string folding promiselint applies before this module runs."""
    text = _MARKS.sub("", text.translate(_FOLD)).lower()
    if lang == "ar":
        text = text.translate(str.maketrans("أإآٱىة", "اااايه"))
    elif lang == "fa":
        text = text.translate(str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " "}))
    return text


# (text in original script, expression, kind, min_hours, max_hours, business_days, bound)
EN = [
    ("Delivered to your door within 24 hours.", "within 24 hours", "duration", None, 24, False, "within"),
    ("Your parcel will arrive in 2 days or less.", "in 2 days or less", "duration", None, 48, False, "at-most"),
    ("Standard delivery: 3–5 working days", "3–5 working days", "duration", 72, 120, True, None),
    ("Ships in 1-2 business days", "in 1-2 business days", "duration", 24, 48, True, "within"),
    ("24-hour delivery", "24-hour", "duration", None, 24, False, None),
    ("48hr dispatch", "48hr", "duration", None, 48, False, None),
    ("24h delivery", "24h", "duration", None, 24, False, None),
    ("Delivery in ٢٤ hours", "in ٢٤ hours", "duration", None, 24, False, "within"),
    ("Delivery in ۴۸ hours", "in ۴۸ hours", "duration", None, 48, False, "within"),
    ("2-day shipping", "2-day", "duration", None, 48, False, None),
    ("Delivered within an hour", "within an hour", "duration", None, 1, False, "within"),
    ("At your door in under 2 hours", "in under 2 hours", "duration", None, 2, False, "under"),
    ("Delivered in less than 90 minutes", "in less than 90 minutes", "duration", None, 1.5, False, "under"),
    ("Please allow up to 10 working days", "up to 10 working days", "duration", None, 240, True, "at-most"),
    ("Shipping takes at most 3 days", "at most 3 days", "duration", None, 72, False, "at-most"),
    ("Arrives in about 2 weeks", "in about 2 weeks", "duration", 336, 336, False, "about"),
    ("Delivery between 2 and 4 days", "between 2 and 4 days", "duration", 48, 96, False, None),
    ("Delivery from 2 to 4 days", "from 2 to 4 days", "duration", 48, 96, False, None),
    ("Delivered in two days", "in two days", "duration", None, 48, False, "within"),
    ("Ships within twenty-four hours", "within twenty-four hours", "duration", None, 24, False, "within"),
    ("Delivered within 1.5 hours", "within 1.5 hours", "duration", None, 1.5, False, "within"),
    ("Courier at your door in half an hour", "in half an hour", "duration", None, 0.5, False, "within"),
    ("Arrives within a day or two", "within a day or two", "duration", 24, 48, False, "within"),
    ("Delivered within the next 24 hours", "within the next 24 hours", "duration", None, 24, False, "within"),
    ("Ships in approximately 3-5 business days", "in approximately 3-5 business days", "duration", 72, 120, True, "about"),
    ("Delivered in 30 mins", "in 30 mins", "duration", None, 0.5, False, "within"),
    ("Delivery: approx. 3 days", "approx. 3 days", "duration", 72, 72, False, "about"),
    ("Next-day delivery on every order", "Next-day", "next-day", None, 48, False, None),
    ("Next business day delivery", "Next business day", "next-day", None, 48, True, None),
    ("Same day delivery in London", "Same day", "same-day", None, 24, False, None),
    ("Overnight shipping", "Overnight", "overnight", None, 24, False, None),
    ("Express delivery", "Express", "express", None, None, False, None),
    ("Download instantly", "instantly", "instant", None, None, False, None),
    ("Order today, get it tomorrow", "tomorrow", "next-day", None, 48, False, None),
]

AR = [
    ("التوصيل خلال ٢٤ ساعة.", "خلال ٢٤ ساعة", "duration", None, 24, False, "within"),
    ("طلبك يوصلك خلال ساعتين وين ما كنت", "خلال ساعتين", "duration", None, 2, False, "within"),
    ("توصيل خلال يومين", "خلال يومين", "duration", None, 48, False, "within"),
    ("الشحن في غضون 48 ساعة", "في غضون 48 ساعة", "duration", None, 48, False, "within"),
    ("شحن سريع لباب بيتك في 48 ساعة", "في 48 ساعة", "duration", None, 48, False, "within"),
    ("التوصيل من 2 إلى 4 أيام عمل", "من 2 إلى 4 أيام عمل", "duration", 48, 96, True, None),
    ("بتوصل من ٣ لـ ٥ أيام", "من ٣ لـ ٥ أيام", "duration", 72, 120, False, None),
    ("التوصيل ٢-٥ أيام", "٢-٥ أيام", "duration", 48, 120, False, None),
    ("الشحن 2 الى 3 أيام", "2 الى 3 أيام", "duration", 48, 72, False, None),
    ("التوصيل خلال 48 ساعة عمل", "خلال 48 ساعة عمل", "duration", None, 48, True, "within"),
    ("يصلك في أقل من ساعة", "في أقل من ساعة", "duration", None, 1, False, "under"),
    ("التوصيل خلال ساعة", "خلال ساعة", "duration", None, 1, False, "within"),
    ("توصيل في أقل من 30 دقيقة", "في أقل من 30 دقيقة", "duration", None, 0.5, False, "under"),
    ("التوصيل 3 أيام بحد أقصى", "3 أيام بحد أقصى", "duration", None, 72, False, "at-most"),
    ("الشحن بحد أقصى ٥ أيام", "بحد أقصى ٥ أيام", "duration", None, 120, False, "at-most"),
    ("يصلك طلبك حوالي أسبوع", "حوالي أسبوع", "duration", 168, 168, False, "about"),
    ("التوصيل خلال أسبوعين", "خلال أسبوعين", "duration", None, 336, False, "within"),
    ("التوصيل في ثلاثة أيام", "في ثلاثة أيام", "duration", None, 72, False, "within"),
    ("توصيل خلال أربع وعشرين ساعة", "خلال أربع وعشرين ساعة", "duration", None, 24, False, "within"),
    ("التوصيل خلال يوم عمل واحد", "خلال يوم عمل واحد", "duration", None, 24, True, "within"),
    ("يوصلك خلال ساعة ونص", "خلال ساعة ونص", "duration", None, 1.5, False, "within"),
    ("التوصيل بين ٢ و٤ أيام", "بين ٢ و٤ أيام", "duration", 48, 96, False, None),
    ("التوصيل خلال 24 ساعة كحد أقصى", "خلال 24 ساعة كحد أقصى", "duration", None, 24, False, "at-most"),
    ("التوصيل خلال يوم أو يومين", "خلال يوم أو يومين", "duration", 24, 48, False, "within"),
    ("توصيل خلال الـ24 ساعة القادمة", "خلال الـ24 ساعة القادمة", "duration", None, 24, False, "within"),
    ("توصيل ٢٤ ساعة", "٢٤ ساعة", "duration", None, 24, False, None),
    ("الشحن خلال ۴۸ ساعة", "خلال ۴۸ ساعة", "duration", None, 48, False, "within"),
    ("طلبك يوصلك بساعتين", "بساعتين", "duration", None, 2, False, "within"),
    ("توصيل في نفس اليوم لجميع المناطق", "في نفس اليوم", "same-day", None, 24, False, "within"),
    ("التوصيل في اليوم التالي", "في اليوم التالي", "next-day", None, 48, False, "within"),
    ("اطلب اليوم واستلم طلبك باكر", "باكر", "next-day", None, 48, False, None),
    ("توصيل بكرة", "بكرة", "next-day", None, 48, False, None),
    ("توصيل فوري", "فوري", "instant", None, None, False, None),
    ("شحن إكسبريس", "إكسبريس", "express", None, None, False, None),
]

FA = [
    ("ارسال ۲۴ ساعته به تمام نقاط ایران", "۲۴ ساعته", "duration", None, 24, False, None),
    ("تحویل ٤٨ ساعته در سراسر ایران", "٤٨ ساعته", "duration", None, 48, False, None),
    ("ارسال ۲۴‌ساعته", "۲۴‌ساعته", "duration", None, 24, False, None),
    ("زمان ارسال: ۲ تا ۳ روز کاری", "۲ تا ۳ روز کاری", "duration", 48, 72, True, None),
    ("تحویل بین ۲ تا ۴ روز", "بین ۲ تا ۴ روز", "duration", 48, 96, False, None),
    ("ظرف ۲ تا ۴ روز کاری می‌رسد", "ظرف ۲ تا ۴ روز کاری", "duration", 48, 96, True, "within"),
    ("تحویل اکسپرس در کمتر از ۲ ساعت", "در کمتر از ۲ ساعت", "duration", None, 2, False, "under"),
    ("ارسال حداکثر ۳ روز", "حداکثر ۳ روز", "duration", None, 72, False, "at-most"),
    ("تحویل تا ۷ روز", "تا ۷ روز", "duration", None, 168, False, "at-most"),
    ("ارسال طی 48 ساعت", "طی 48 ساعت", "duration", None, 48, False, "within"),
    ("پیک ظرف یک ساعت به دستتان می‌رساند", "ظرف یک ساعت", "duration", None, 1, False, "within"),
    ("تحویل دو روزه", "دو روزه", "duration", None, 48, False, None),
    ("ارسال سه تا پنج روز کاری", "سه تا پنج روز کاری", "duration", 72, 120, True, None),
    ("تحویل بیست و چهار ساعته", "بیست و چهار ساعته", "duration", None, 24, False, None),
    ("پیک در نیم ساعت", "در نیم ساعت", "duration", None, 0.5, False, "within"),
    ("تحویل یک و نیم ساعت", "یک و نیم ساعت", "duration", None, 1.5, False, None),
    ("تحویل یک ساعت و نیم", "یک ساعت و نیم", "duration", None, 1.5, False, None),
    ("ارسال ۹۰ دقیقه‌ای", "۹۰ دقیقه‌ای", "duration", None, 1.5, False, None),
    ("ارسال یک هفته", "یک هفته", "duration", None, 168, False, None),
    ("تحویل حدود ۳ روز", "حدود ۳ روز", "duration", 72, 72, False, "about"),
    ("تحویل ۳ روز تقریباً", "۳ روز تقریباً", "duration", 72, 72, False, "about"),
    ("ارسال از ۲ تا ۴ روز", "از ۲ تا ۴ روز", "duration", 48, 96, False, None),
    ("تحویل در عرض ۲۴ ساعت", "در عرض ۲۴ ساعت", "duration", None, 24, False, "within"),
    ("ارسال ٢ الی ٣ روز کاری", "٢ الی ٣ روز کاری", "duration", 48, 72, True, None),
    ("تحویل طی ۲۴ ساعت آینده", "طی ۲۴ ساعت آینده", "duration", None, 24, False, "within"),
    ("ارسال ۲ روز یا کمتر", "۲ روز یا کمتر", "duration", None, 48, False, "at-most"),
    ("تحویل ۳ روز‌های کاری", "۳ روز‌های کاری", "duration", None, 72, True, None),
    ("ارسال همان‌روز در تهران", "همان‌روز", "same-day", None, 24, False, None),
    ("تحویل در همان روز", "در همان روز", "same-day", None, 24, False, "within"),
    ("تحویل فردا در تمام شهرها", "فردا", "next-day", None, 48, False, None),
    ("تحویل روز بعد", "روز بعد", "next-day", None, 48, False, None),
    ("تحویل روز کاری بعد", "روز کاری بعد", "next-day", None, 48, True, None),
    ("ارسال فوری به سراسر کشور", "فوری", "instant", None, None, False, None),
    ("ارسال اکسپرس", "اکسپرس", "express", None, None, False, None),
]

CASES = [("en", *c) for c in EN] + [("ar", *c) for c in AR] + [("fa", *c) for c in FA]


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_table_is_large_enough(lang):
    rows = [c for c in CASES if c[0] == lang]
    assert len(rows) >= 25
    digits = "".join(c[1] for c in rows)
    assert re.search("[0-9]", digits) and re.search("[٠-٩]", digits) and re.search("[۰-۹]", digits)


@pytest.mark.parametrize("lang,text,expr,kind,lo,hi,business,bound", CASES)
def test_parses(lang, text, expr, kind, lo, hi, business, bound):
    text, expr = norm(text, lang), norm(expr, lang)
    found = find_time_expressions(text, lang)
    spans = [text[e.start:e.end] for e in found]
    assert expr in spans, f"{expr!r} not among {spans!r}"
    e = found[spans.index(expr)]
    assert (e.kind, e.min_hours, e.max_hours, e.business_days, e.bound) == (kind, lo, hi, business, bound)


DELIVERY = [
    ("en", "Delivered to your door within 24 hours."),
    ("en", "Next-day delivery on every order, guaranteed."),
    ("en", "Order today, get it tomorrow."),
    ("en", "Returns are easy. Delivery in 2 days."),
    ("ar", "التوصيل خلال ٢٤ ساعة."),
    ("ar", "اطلب اليوم واستلم طلبك باكر أكيد!"),
    ("ar", "شحن سريع لباب بيتك في 48 ساعة، مضمون."),
    ("fa", "ارسال ۲۴ ساعته به تمام نقاط ایران"),
    ("fa", "امروز سفارش بده، فردا تحویل بگیر"),
    ("fa", "پیک ظرف یک ساعت به دستتان می‌رساند"),
]


@pytest.mark.parametrize("lang,text", DELIVERY)
def test_delivery_context(lang, text):
    text = norm(text, lang)
    found = find_time_expressions(text, lang)
    assert found
    assert {classify_context(text, e, lang) for e in found} == {"delivery"}


# Time expressions that are not delivery promises.
NOT_DELIVERY = [
    ("en", "We're here 24 hours a day, 7 days a week."),
    ("en", "Customer support 24 hours a day"),
    ("en", "2-year warranty on all models"),
    ("en", "Return within 30 days of delivery for a full refund."),
    ("en", "Free returns within 30 days."),
    ("en", "Offer ends in 2 hours!"),
    ("en", "Sale ends tomorrow"),
    ("en", "Lasts 24 hours."),
    ("en", "Battery: 30 hours of playback"),
    ("en", "Suitable for ages 3 years and up"),
    ("en", "Lowest price in the last 30 days"),
    ("en", "30-day money-back guarantee"),
    ("en", "In an independent 8-week study of 62 adults"),
    ("en", "Clear skin results in 7 days"),
    ("en", "Buy now and pay in 30 days"),
    ("en", "With more than 11 years of experience"),
    ("ar", "دعم فني 24 ساعة طوال أيام الأسبوع"),
    ("ar", "خدمة العملاء 24 ساعة في اليوم"),
    ("ar", "ضمان سنتين على جميع الأجهزة"),
    ("ar", "إرجاع مجاني خلال 14 يوماً داخل الإمارات"),
    ("ar", "الاسترداد خلال 14 يوماً من الاستلام"),
    ("ar", "العرض ينتهي خلال ساعة"),
    ("ar", "عطر يدوم 24 ساعة"),
    ("ar", "ثبات يدوم حتى 12 ساعة"),
    ("ar", "أقل سعر خلال 30 يوماً الماضية"),
    ("ar", "نتائج مضمونة خلال أسبوعين"),
    ("ar", "مناسب للأطفال من عمر 3 سنوات"),
    ("ar", "ادفع بعد 14 يوم من الشراء"),
    ("ar", "بطارية تدوم حتى 10 ساعات"),
    ("fa", "۷ روز هفته، ۲۴ ساعته پاسخگوی شما هستیم"),
    ("fa", "پشتیبانی ۲۴ ساعته"),
    ("fa", "گارانتی ۱۸ ماهه"),
    ("fa", "تضمین بازگشت وجه. تا ۷ روز پس از تحویل، به شرط باز نشدن پلمب کالا."),
    ("fa", "۷ روز ضمانت بازگشت کالا"),
    ("fa", "کمترین قیمت این کالا در ۳۰ روز گذشته"),
    ("fa", "تخفیف ویژه فقط تا ۳ روز"),
    ("fa", "ماندگاری ۲۴ ساعته"),
    ("fa", "لاغری با نتیجه تضمینی در ۷ روز"),
    ("fa", "باتری با ۱۰ ساعت شارژدهی"),
    ("fa", "مناسب کودکان بالای ۳ سال"),
    ("fa", "۱۴ روز پس از خریدتان پرداخت کنید"),
    ("fa", "در یک مطالعه مستقل ۸ هفته‌ای روی ۴۵ نفر"),
]


@pytest.mark.parametrize("lang,text", NOT_DELIVERY)
def test_not_delivery(lang, text):
    text = norm(text, lang)
    found = find_time_expressions(text, lang)
    assert found, "expected a time expression"
    assert [classify_context(text, e, lang) for e in found] == ["not-delivery"] * len(found)


# Numbers that are not time expressions at all.
NO_TIME = [
    ("en", "20W fast charger, 1 m cable"),
    ("en", "Price: $24.99"),
    ("en", "Valid until 31/3/2026"),
    ("en", "Since 2026"),
    ("en", "50% off everything"),
    ("en", "24/7 support"),
    ("en", "Opening hours 9am–6pm"),
    ("en", "3 in 1 shampoo, iPhone 15 Pro, Galaxy S24"),
    ("en", '"wait_24h": "wait"'),
    ("en", '<div class="ms-3 h-100">'),
    ("en", "Rated 4.6 out of 5 (1,240 reviews)"),
    ("en", "Sale ends Sunday 6 April at 23:59"),
    ("ar", "شاحن 20W وكابل 1 متر"),
    ("ar", "السعر 150 ريال"),
    ("ar", "العرض ساري حتى 31/3/2026"),
    ("ar", "خصم ٥٠٪ على كل المنتجات"),
    ("ar", "خلال عام 2026"),
    ("ar", "ساعات فاخرة بجودة لا مثيل لها"),
    ("ar", "متاحون من 9 صباحاً حتى 11 مساءً"),
    ("ar", "للطلبات المؤكدة قبل الساعة 12 ظهراً"),
    ("ar", "شاشة Samsung 65 بوصة"),
    ("fa", "شارژر 20W، طول کابل ۱ متر"),
    ("fa", "قیمت ۱۵۰ هزار تومان"),
    ("fa", "تاریخ ۱۴۰۳/۰۱/۱۵"),
    ("fa", "۵۰٪ تخفیف"),
    ("fa", "ساعت ۹ تا ۱۸"),
    ("fa", "از ساعت ۹ تا ۲۱ فعال است"),
    ("fa", "برای سفارش‌های قبل از ساعت ۱۲"),
    ("fa", "مناطق ۱ تا ۶ تهران"),
]


@pytest.mark.parametrize("lang,text", NO_TIME)
def test_no_time_expression(lang, text):
    text = norm(text, lang)
    assert find_time_expressions(text, lang) == []


def test_to_json_and_frozen():
    text = norm("ارسال ۲ تا ۳ روز کاری", "fa")
    (e,) = find_time_expressions(text, "fa")
    assert e.to_json() == {"start": 6, "end": 21, "kind": "duration", "min_hours": 48.0,
                           "max_hours": 72.0, "business_days": True, "bound": None}
    with pytest.raises(AttributeError):
        e.start = 0


def test_several_in_one_string_in_order():
    text = norm("Next-day delivery in London, 2-4 business days elsewhere, "
                "or express within 2 hours.", "en")
    found = find_time_expressions(text, "en")
    assert [text[e.start:e.end] for e in found] == [
        "next-day", "2-4 business days", "express", "within 2 hours"]


# --- robustness -------------------------------------------------------------

VOCAB = ["within", "in", "under", "up to", "about", "a", "an", "the", "next", "same", "day",
         "days", "hour", "hours", "h", "hr", "business", "working", "or", "less", "two", "to",
         "-", "24", "2", "1.5", "48", "/", "%", ",", ".", "خلال", "في", "غضون", "ساعه",
         "ساعتين", "يوم", "يومين", "ايام", "عمل", "من", "الي", "ل", "و", "ب", "ونص", "واحد",
         "نفس", "اليوم", "التالي", "باكر", "اقل", "ظرف", "تا", "روز", "کاری", "ساعته",
         "همان", "فردا", "فوری", "حداکثر", "کمتر", "از", "بین", "نیم", "های", "یک", "دو"]
_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(VOCAB), max_size=40).map(" ".join),
    st.lists(st.sampled_from(VOCAB), max_size=40).map("".join),
)


def _check(found: list[TimeExpr], text: str):
    prev_end = 0
    for e in found:
        assert 0 <= prev_end <= e.start < e.end <= len(text)
        prev_end = e.end
        assert e.kind in {"duration", "same-day", "next-day", "overnight", "express", "instant", "fixed"}
        assert e.bound in {None, "within", "under", "at-most", "about"}


@settings(max_examples=300, deadline=None)
@given(text=_text, lang=st.sampled_from(["en", "ar", "fa"]))
def test_never_raises_and_spans_are_sane(text, lang):
    found = find_time_expressions(text, lang)
    _check(found, text)
    for e in found:
        assert classify_context(text, e, lang) in {"delivery", "not-delivery", "unknown"}


@settings(max_examples=200, deadline=None)
@given(text=_text, lang=st.sampled_from(["en", "ar", "fa"]))
@example(text="À0h", lang="en")  # a number glued to a letter: the tokenizer decides, in both paths
@example(text="x24h s2h", lang="en")
def test_anchor_prefilter_loses_nothing(text, lang):
    """Parsing only the runs around anchors finds what parsing the whole string finds."""
    fast = find_time_expressions(text, lang)
    original = time_parse._runs
    time_parse._runs = lambda t, lex: [(0, len(t))] if t else []
    try:
        slow = find_time_expressions(text, lang)
    finally:
        time_parse._runs = original
    assert fast == slow


# --- word lists are data ------------------------------------------------------

def test_word_lists_come_from_the_lexicon_files():
    from promiselint.match.time_words import values, word_classes, words

    data = words()
    assert set(data) == {"en", "ar", "fa"}
    assert data["fa"]["numbers"]["بیست و چهار"] == 24  # a compound spelled out from tens and ones
    assert data["ar"]["numbers"]["اربع وعشرين"] == 24
    assert values()["unit"]["ساعت"] == 60 and values()["bound"]["حداکثر"] == "at-most"
    assert "FIXED" in word_classes("ar").types["باكر"]
    assert word_classes("ar").clitics and not word_classes("en").clitics


def test_the_time_lexicons_follow_their_schema():
    from promiselint.core.data import data_dir
    from promiselint.match.time_words import validate
    from promiselint.core.yamlload import load_yaml

    for lang in ("en", "ar", "fa"):
        path = data_dir("lexicons") / lang / "time.yaml"
        validate(load_yaml(path), path)


@pytest.mark.parametrize("yaml_text, where", [
    ("lang: en\nunits: {hour: {UNIT: [hours]}}\n", "top level"),  # required lists missing
    ("lang: en\nunits: {fortnight: {UNIT: [fortnights]}}\nnumbers: {}\nbounds: {}\nconnectors: {}\n"
     "fixed: []\ndelivery_cues: []\nnot_delivery_cues: []\n", "units"),
    ("lang: en\nunits: {}\nnumbers: {two: 2}\nbounds: {soon: [soon]}\nconnectors: {}\n"
     "fixed: []\ndelivery_cues: []\nnot_delivery_cues: []\n", "bounds"),
])
def test_a_broken_time_lexicon_is_a_usage_error_naming_file_and_field(tmp_path, yaml_text, where):
    from promiselint.core.errors import UsageError
    from promiselint.match.time_words import validate
    from promiselint.core.yamlload import load_yaml

    path = tmp_path / "time.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(UsageError, match=rf"time.yaml: {where}"):
        validate(load_yaml(path), path)


def test_a_time_lexicon_without_a_list_is_a_usage_error_when_loaded(tmp_path, monkeypatch):
    from promiselint.match import time_words
    from promiselint.core.errors import UsageError

    for lang in ("en", "ar", "fa"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "time.yaml").write_text(f"lang: {lang}\nunits: {{}}\n", encoding="utf-8")
    monkeypatch.setattr(time_words, "data_dir", lambda name: tmp_path)
    time_words.words.cache_clear()
    try:
        with pytest.raises(UsageError, match=r"time.yaml: top level: 'numbers' is a required property"):
            time_words.words()
    finally:
        time_words.words.cache_clear()
