"""Promises: bounded by the next sentence, by footnotes in HTML and Markdown,
and the parsed delivery value in the JSON output."""
import pytest

from .conftest import alarms

FOOTNOTED = [
    ("md", "---\ntitle: Kettle\n---\nDelivered within 24 hours*.\n\n\\* Mainland UK orders placed by 2pm, Monday to Friday.\n"),
    ("md", "The fastest kettle in the UK¹.\n\n¹ Which? lab test of 14 kettles, March 2026.\n"),
    ("md", "Free shipping[^1] on every kettle.\n\n[^1]: On UK orders over £40.\n"),
    ("html", "<p>التوصيل خلال 24 ساعة*</p><p>* داخل الرياض للطلبات قبل الساعة 2 ظهراً.</p>"),
    ("html", "<p>ارسال رایگان†</p><p>† برای سفارش‌های بالای ۵۰۰ هزار تومان در تهران.</p>"),
]


@pytest.mark.parametrize("fmt,text", FOOTNOTED)
def test_footnote_with_its_text_bounds_the_claim(lint, fmt, text):
    assert not alarms(lint(text, fmt=fmt), "promise") and not alarms(lint(text, fmt=fmt), "superlative")


@pytest.mark.parametrize("fmt,text", [
    ("md", "Delivered within 24 hours*. Shop now!\n"),             # marker, but no footnote text
    ("html", "<p>ارسال رایگان†</p><p>همین حالا خرید کنید.</p>"),
])
def test_marker_without_footnote_text_does_not_count(lint, fmt, text):
    assert alarms(lint(text, fmt=fmt), "promise")


@pytest.mark.parametrize("promise,bound,hype", [
    ("Next-day delivery.", "Order by 8pm Monday to Friday; mainland UK only.", "Treat yourself today!"),
    ("توصيل في نفس اليوم.", "الخدمة متاحة داخل جدة للطلبات قبل الساعة 1 ظهراً.", "تسوق الآن!"),
    ("ارسال همان روز در کشور.", "فقط در اصفهان و برای سفارش‌های ثبت‌شده تا ساعت ۱۱.", "همین حالا خرید کنید!"),
])
def test_next_sentence_of_the_paragraph_bounds_a_promise(lint, promise, bound, hype):
    assert not alarms(lint(f"{promise} {bound}"), "promise")
    assert alarms(lint(f"{promise} {hype}"), "promise")
    assert alarms(lint(f"{promise}\n\n{bound}", fmt="md"), "promise")  # another paragraph does not count


def test_delivery_findings_carry_the_parsed_value(lint):
    (f,) = [f for f in lint("Delivered within 48 working hours.").findings if f.rule == "promise.delivery-time"]
    assert f.value["max_hours"] == 48 and f.value["bound"] == "within"
    (g,) = [f for f in lint("ارسال ۲ تا ۳ ساعته به سراسر کشور").findings if f.rule == "promise.delivery-time"]
    assert (g.value["min_hours"], g.value["max_hours"]) == (2, 3)


@pytest.mark.parametrize("text", [
    "24/7 customer support by chat.",
    "Open 9am–6pm, Monday to Saturday.",
    "Return within 30 days of delivery.",
    "پشتیبانی ۲۴ ساعته در ۷ روز هفته",
    "ضمان سنتين ضد عيوب التصنيع.",
    "خدمة العملاء متاحة من 9 صباحاً حتى 11 مساءً.",
])
def test_time_expressions_that_are_not_delivery_promises(lint, text):
    assert not alarms(lint(text), "promise.delivery")


@pytest.mark.parametrize("text", [
    "30-day money-back guarantee; see our Returns Policy for conditions.",
    "ضمان استرداد كامل المبلغ. خلال 14 يوماً من الاستلام وفق سياسة الاسترجاع.",
    "گارانتی ۱۸ ماهه در برابر عیوب ساخت",
])
def test_guarantees_with_defined_terms_pass(lint, text):
    assert not alarms(lint(text), "promise")


@pytest.mark.parametrize("text", [
    "Guaranteed results in 30 days, see our terms.",
    "نتائج مضمونة خلال أسبوعين وفق الشروط.",
    "نتیجه تضمینی در ۷ روز طبق شرایط",
])
def test_guaranteed_results_are_never_bounded_by_terms(lint, text):
    assert alarms(lint(text), "promise.result")
