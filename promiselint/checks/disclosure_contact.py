"""Contact details in a block's folded text: an email address, a phone number."""
from __future__ import annotations

import re

from promiselint.core.lazyre import lazy_compile

# seven digits with only a phone number's other characters between them: every number
# has_phone accepts is such a run (its characters: \d, \s . - ( ) +; 7 to 15 of them digits)
_PHONE_RUN = re.compile(r"\d(?:[\s.\-()+]*\d){6}").search
EMAIL = lazy_compile(r"(?<![\w.+-])[a-z0-9][\w.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w-])")
_PHONE_INTL = lazy_compile(r"(?<![\w+])(?:\+|00)\d{1,3}[\s.\-]?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,5}){1,4}(?![\d])")
_PHONE_LOCAL = lazy_compile(r"(?<![\w.,/])0\d{1,4}(?:[\s.\-]?\d{2,5}){1,4}(?![\d])|(?<![\w.,/])0\d{8,11}(?![\d])")
_PHONE_US = lazy_compile(r"(?<![\w])\(\d{3}\)\s?\d{3}[\s.\-]\d{4}(?!\d)|(?<![\w.,/])\d{3}[.\-]\d{3}[.\-]\d{4}(?!\d)")
_PHONE_AFTER_LABEL = lazy_compile(r"\s*(?:[:：\-–]|\(|\)|\s)*\s*(\+?\d[\d\s.\-()]{5,20}\d)")
_NOT_PHONE_BEFORE = lazy_compile(
    r"(?:sku|ean|upc|gtin|isbn|barcode|model|part|order|order #|invoice|ref|code|iban|vat|"
    r"كود|رمز|باركود|رقم الطلب|رقم المنتج|رقم الموديل|سجل تجاري|الرقم الضريبي|"
    r"كد|باركد|شناسه|شماره سفارش|شماره فاكتور|شماره ثبت|شماره اقتصادي)\s*[:#.]?\s*$")
_DATE = lazy_compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")
_CONTACT_SCHEME = lazy_compile(r"(?:mailto|tel|callto|sms|whatsapp):", re.I)
_WHATSAPP = lazy_compile(r"(?:^|//)(?:www\.)?wa\.me/|(?:^|//)(?:api|web|chat)\.whatsapp\.com/")


def digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def has_email(text: str) -> bool:
    return "@" in text and EMAIL.search(text) is not None


def _phone_ok(text: str, start: int, number: str) -> bool:
    if not 7 <= digits(number) <= 15 or _DATE.fullmatch(number.strip()):
        return False
    return not _NOT_PHONE_BEFORE.search(text[max(0, start - 24):start])


def has_phone(text: str, phone_labels) -> bool:
    """A phone number: international, local, US style, or digits after a label («هاتف:»)."""
    if _PHONE_RUN(text) is None:
        return False
    for rx in (_PHONE_INTL, _PHONE_LOCAL, _PHONE_US):
        for m in rx.finditer(text):
            if _phone_ok(text, m.start(), m.group()):
                return True
    for m in phone_labels.finditer(text):
        after = _PHONE_AFTER_LABEL.match(text, m.end())
        if after and _phone_ok(text, m.start(), after.group(1)):
            return True
    return False


def is_contact_href(href: str) -> bool:
    """mailto:, tel:, sms:, WhatsApp links."""
    h = href.strip().lower()
    return bool(_CONTACT_SCHEME.match(h) or _WHATSAPP.search(h))
