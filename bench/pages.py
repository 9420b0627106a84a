"""Deterministic generated storefront copy for the benchmarks (never real-corpus text).

Every generator takes a seed and a size so that two runs on two machines measure
the same bytes.  `product_page` writes English, Arabic or Persian product pages
with a few claims among ordinary copy; the `shape_*` functions write the
pathological inputs the linear-time aims are about.
"""
from __future__ import annotations

import json
import random

NOUNS = {
    "en": ["kettle", "skillet", "jacket", "backpack", "desk lamp", "blender", "chef knife", "duvet",
           "water bottle", "headphones", "yoga mat", "teapot", "rain boots", "coffee grinder"],
    "ar": ["عطر", "دهن عود", "بخور", "مكواة", "خلاط", "حقيبة", "سجادة", "ساعة", "قهوة", "تمر"],
    "fa": ["زعفران", "چای", "کتری", "کیف", "فرش", "ساعت", "قهوه", "عسل", "پتو", "گلدان"],
}
PLAIN = {
    "en": ["The {n} is made from brushed steel and weighs {d}.{d} kg.",
           "Hand-finished in small batches by our workshop in Porto.",
           "Wash by hand with warm water and dry at once to keep the finish.",
           "Available in navy, sand and forest green, sizes S to XL.",
           "Each {n} ships in recycled cardboard with a printed care card.",
           "Questions about sizing? Our team answers emails on weekdays.",
           "Price: £{d}{d}.00. Standard shipping £4.95, shown in your basket total.",
           "Compatible with every induction, gas and electric hob we tested.",
           "The handle stays cool for about {d} minutes on a medium flame.",
           "We recommend seasoning the surface twice before the first use."],
    "ar": ["{n} مصنوع يدوياً من مواد طبيعية بوزن {d}.{d} كغ.",
           "الألوان المتاحة: أحمر، أزرق، أسود.",
           "يُغسل باليد بالماء الدافئ ويجفف مباشرة.",
           "السعر: {d}{d}٩ ر.س شامل الشحن داخل المملكة.",
           "يصل الطلب عادة خلال ثلاثة إلى خمسة أيام عمل.",
           "للاستفسار راسلونا عبر البريد الإلكتروني في أيام العمل."],
    "fa": ["{n} دست‌ساز از مواد طبیعی با وزن {d}.{d} کیلوگرم.",
           "رنگ‌بندی: مشکی، سفید، سرمه‌ای",
           "با آب گرم و دست شسته شود و فوراً خشک شود.",
           "قیمت: {d}۵۰٬۰۰۰ تومان با احتساب هزینه ارسال.",
           "سفارش معمولاً بین سه تا پنج روز کاری می‌رسد.",
           "برای پرسش‌ها در روزهای کاری به ما ایمیل بزنید."],
}
CLAIMS = {
    "en": ["The fastest {n} you can buy.", "Delivered within 24 hours, guaranteed.",
           "The only {n} you will ever need.", "Clinically proven to last longer.",
           "Rated #1 by our customers.", "Free shipping on everything."],
    "ar": ["{n} الأرخص في المملكة.", "توصيل خلال ٢٤ ساعة.", "أفضل {n} في السوق.", "نتائج مضمونة."],
    "fa": ["سریع‌ترین ارسال {n} در کل کشور", "ارسال ۲۴ ساعته", "بهترین {n} بازار", "تنها فروشگاه با این قیمت"],
}
FOOTER = {
    "en": ('<a href="/privacy">Privacy policy</a> <a href="/returns">Returns</a> '
           '<a href="/contact">Contact us</a> <a href="/disclaimer">Disclaimer</a>'),
    "ar": ('<a href="/privacy">سياسة الخصوصية</a> <a href="/returns">سياسة الإرجاع</a> '
           '<a href="/contact">اتصل بنا</a> <a href="/disclaimer">إخلاء المسؤولية</a>'),
    "fa": ('<a href="/privacy">حریم خصوصی</a> <a href="/returns">رویه بازگرداندن کالا</a> '
           '<a href="/contact">تماس با ما</a> <a href="/disclaimer">سلب مسئولیت</a>'),
}


def _sentence(rng: random.Random, lang: str, claim_rate: float) -> str:
    pool = CLAIMS[lang] if rng.random() < claim_rate else PLAIN[lang]
    return rng.choice(pool).format(n=rng.choice(NOUNS[lang]), d=rng.randint(1, 9))


def product_page(rng: random.Random, lang: str, paragraphs: int, claim_rate: float = 0.04) -> str:
    """A full HTML product page: title, paragraphs of 2-5 sentences, a list, a footer."""
    name = rng.choice(NOUNS[lang])
    paras = "\n".join("<p>" + " ".join(_sentence(rng, lang, claim_rate) for _ in range(rng.randint(2, 5)))
                      + "</p>" for _ in range(paragraphs))
    items = "".join(f"<li>{_sentence(rng, lang, claim_rate)}</li>" for _ in range(4))
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{name}</title>'
            f'<meta name="description" content="{_sentence(rng, lang, 0)}"></head>\n<body><main>\n'
            f'<h1>{name}</h1>\n{paras}\n<ul>{items}</ul>\n</main>\n<footer>{FOOTER[lang]}</footer>\n'
            f'</body></html>\n')


def shape_claims_back_to_back(size: int) -> str:
    """Claims with no other text between them: every sentence is a candidate."""
    unit = "Fastest delivery, guaranteed. The best price, #1 in Kuwait. "
    return unit * (size // len(unit) + 1)


def shape_one_block(size: int, seed: int = 1) -> str:
    """One paragraph with no punctuation at all, a claim every ~2 KB."""
    rng = random.Random(seed)
    words, n = [], 0
    while n < size:
        w = "fastest" if rng.random() < 0.004 else rng.choice(["soft", "cotton", "blue", "shirt", "with",
                                                                "long", "sleeves", "and", "a", "collar"])
        words.append(w)
        n += len(w) + 1
    return " ".join(words)


def shape_minified_html(size: int, seed: int = 2) -> str:
    """A whole page on one line, as minifiers write it."""
    rng = random.Random(seed)
    parts, n = ['<html lang="en"><body>'], 0
    while n < size:
        p = f"<div class=\"c{rng.randint(1, 99)}\"><span>{_sentence(rng, 'en', 0.05)}</span></div>"
        parts.append(p)
        n += len(p)
    return "".join(parts) + "</body></html>"


def shape_locale_table(keys: int, seed: int = 3) -> str:
    """A flat JSON locale table with many keys, as storefront themes ship them."""
    rng = random.Random(seed)
    table = {f"section_{i // 50}.key_{i}": _sentence(rng, rng.choice(("en", "ar", "fa")), 0.03)
             for i in range(keys)}
    return json.dumps(table, ensure_ascii=False, indent=1)


def shape_huge_paragraph(size: int, seed: int = 4) -> str:
    """One paragraph of ordinary punctuated sentences (no line break), a few claims among them."""
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        s = _sentence(rng, "en", 0.04)
        parts.append(s)
        n += len(s) + 1
    return " ".join(parts)


def big_html_page(size: int, seed: int = 5) -> str:
    """One HTML document of about `size` characters: a catalog page of product cards."""
    rng = random.Random(seed)
    cards, n = [], 0
    while n < size:
        name = rng.choice(NOUNS["en"])
        paras = "".join("<p>" + " ".join(_sentence(rng, "en", 0.04) for _ in range(rng.randint(2, 5))) + "</p>"
                        for _ in range(rng.randint(2, 4)))
        card = f'<section class="product"><h2>{name}</h2>{paras}</section>\n'
        cards.append(card)
        n += len(card)
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Catalog</title></head>\n'
            f'<body><main>\n{"".join(cards)}</main>\n<footer>{FOOTER["en"]}</footer>\n</body></html>\n')
