"""Disclosure checks do little work per page, and the shortcuts change no answer.

Work counts, never timings: which cues run on a page whose links name every
disclosure, how often the price regex is tried, when the phone regexes run.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from promiselint.checks import disclosure_contact
from promiselint.checks.disclosure_cues import Cue, cues, load_lexicon
from promiselint.checks.disclosure_evidence import evidence, facts
from promiselint.checks.disclosure_verdicts import check_page
from promiselint.formats import parse
from promiselint.text.normalize import fold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import pages  # noqa: E402  (bench/pages.py)


@pytest.fixture
def lex():
    lex = load_lexicon(())
    if lex.index.filter is None:
        lex.index._build()
    pending, lex.price.pending = lex.price.pending, 0  # (the price windows from the first text)
    yield lex
    lex.price.pending = pending


class Counting:
    """A compiled pattern that counts its calls (only `match`: any other use fails the test)."""

    def __init__(self, regex):
        self.regex, self.calls = regex, 0

    def match(self, *args):
        self.calls += 1
        return self.regex.match(*args)


# -- prices: the price regex only near the amounts ----------------------------

_TOKENS = ["$", "£", "€", "us$", "usd", "dollars", "eur ", "sar", "ريال", "ر.س", "ر. س.", "د.ك", "ج.م", "تومان",
           "هزار", "درهم", "k", "thousand", "12", "1,234", "3.5", "0", "99.99", "1.234.567", "٫", ",", ".", "/",
           " ", " ", "  ", "\n", "a", "price", "shipping", "سعر", "-", "x1", "2024/05/01", "pounds sterling",
           "ريالات عماني", "ج. م."]


def _price_texts() -> list[str]:
    rng = random.Random(11)
    texts = ["".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    texts += [fold(t, "ar").text for t in ("Price: $1,249.00 + $15 delivery", "السعر: ٣٥٠ جنيه مصري",
                                            "قیمت: ۴۵٬۰۰۰ تومان", "Only 5 left. £4.95 UK delivery, 10k dollars")]
    return texts


def test_prices_near_the_amounts_are_what_the_whole_regex_finds(lex):
    price = lex.price
    found = 0
    for t in _price_texts():
        got = [m.span() for m in price.finditer(t)]
        assert got == [m.span() for m in price.regex.finditer(t)], t
        form = price.pick(t)
        assert got == [m.span() for m in getattr(form, "regex", form).finditer(t)], t
        found += len(got)
    assert found > 1000


def test_a_one_file_run_compiles_no_price_window(monkeypatch):
    from promiselint.match import prefilter

    monkeypatch.setattr(prefilter, "warmup", lambda: prefilter.WARMUP)  # (not eager: a one-file run)
    load_lexicon.cache_clear()
    try:
        price = load_lexicon(()).price
        assert [m.group() for m in price.finditer("Price: $12")] == ["$12"] and price._near == {}
    finally:
        load_lexicon.cache_clear()


def test_the_price_regex_runs_once_per_amount_and_never_over_the_whole_text(lex):
    price = lex.price
    latin = "one block without an Arabic letter"
    i = price._which(latin)
    saved = price._window(i)
    regex, window, lead = saved
    counted = (Counting(regex), Counting(window), lead)
    price._near[i] = counted
    try:
        assert list(price.finditer("no digit here, only words " * 200)) == []
        assert counted[0].calls == counted[1].calls == 0  # (the digit scan found nothing)
        text = " ".join(f"item {n} weighs {n}.5 kg" for n in range(200)) + " for $12"
        assert [m.group() for m in price.finditer(text)] == ["$12"]
        assert counted[1].calls == 401  # one window per amount: two per item («5» after «.» starts none), «12»
        assert counted[0].calls == 1  # the regex itself: once per price
    finally:
        price._near[i] = saved


def test_a_currency_longer_than_the_window_falls_back_to_the_whole_regex(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "disclosures.yaml").write_text(
        "shipping:\n  currencies:\n    - {regex: 'gold\\s+coins?'}\n", encoding="utf-8")
    load_lexicon.cache_clear()
    try:
        price = load_lexicon((str(tmp_path),)).price
        price.pending = 0
        text = "gold      coins 12 and $5"
        assert [m.group() for m in price.finditer(text)] == ["gold      coins 12", "$5"]
        assert price._near[price._which(text)] is None
    finally:
        load_lexicon.cache_clear()


# -- a page whose links name every disclosure ---------------------------------

def _counting_cues(monkeypatch, lex) -> dict:
    names = {id(c): n for n, c in cues(lex).items()}
    calls: dict = {}
    for meth in ("found", "search", "match", "fullmatch", "finditer", "sub"):
        real = getattr(Cue, meth)

        def counted(self, *args, _real=real, **kw):
            name = names.get(id(self), "?")
            calls[name] = calls.get(name, 0) + 1
            return _real(self, *args, **kw)

        monkeypatch.setattr(Cue, meth, counted)
    real_phone = disclosure_contact.has_phone

    def phone(*args):
        calls["has_phone"] = calls.get("has_phone", 0) + 1
        return real_phone(*args)

    from promiselint.checks import disclosure_evidence
    monkeypatch.setattr(disclosure_evidence, "has_phone", phone)
    return calls


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_a_page_linking_every_disclosure_looks_for_no_contact_detail_or_name(monkeypatch, lex, lang):
    page = pages.product_page(random.Random(4), lang, 12)
    assert pages.FOOTER[lang] in page
    doc = parse(page, "html", f"{lang}.html")
    assert check_page(doc) == []  # (the footer's link texts are known now: link_kinds keeps them)
    calls = _counting_cues(monkeypatch, lex)
    assert check_page(parse(page, "html", f"{lang}.html")) == []
    looked = set(calls)
    assert not looked & {"address", "uk_postcode", "phone_labels", "has_phone", "strong", "weak"}
    assert not [n for n in looked if n.split(".")[0] in ("privacy-policy", "disclaimer", "contact", "return-policy")]
    # the prices and the shipping statement: at most once per block each
    blocks = len(facts(doc, lex).units)
    assert sum(calls.values()) <= 3 * blocks
    # without the footer the same page is searched for contact details; its headings
    # and short blocks hold no anchor of a label: no label is tried
    calls.clear()
    check_page(parse(page.replace(pages.FOOTER[lang], ""), "html", f"{lang}.html"))
    assert {"has_phone", "address"} <= set(calls)
    assert not [n for n in calls if n.endswith(".labels")]
    calls.clear()
    check_page(parse(page.replace(pages.FOOTER[lang], "<p>Contact us</p><h2>Refund policy</h2>"), "html", "p.html"))
    assert {"contact.labels", "return-policy.labels"} <= set(calls)


@pytest.mark.parametrize("lang", ["en", "ar", "fa"])
def test_a_page_linking_every_disclosure_reads_its_blocks_up_to_the_first_price_and_statement(
        monkeypatch, lex, lang):
    """Whether a page shows a price and states shipping stops at the first block that
    does: the blocks after it are not even made into units, scanned by the cue index
    or searched for prices."""
    priced = {"en": "Price: £12.00. Standard shipping £4.95, shown in your basket total.",
              "ar": "السعر: 129 ر.س شامل الشحن داخل المملكة.", "fa": "قیمت: ۲۵۰٬۰۰۰ تومان با احتساب هزینه ارسال."}
    rng = random.Random(5)
    rest = "".join(f"<p>{pages._sentence(rng, lang, 0)} {n} {pages._sentence(rng, lang, 0)}</p>" for n in range(40))
    page = (f'<html lang="{lang}"><head><title>x</title></head><body><main><p>{priced[lang]}</p>{rest}</main>'
            f"<footer>{pages.FOOTER[lang]}</footer></body></html>")
    scanned, searched = [], []
    real_scan, real_finditer = type(lex.index).scan, type(lex.price).finditer
    monkeypatch.setattr(type(lex.index), "scan", lambda self, texts: scanned.extend(texts) or real_scan(self, texts))
    monkeypatch.setattr(type(lex.price), "finditer",
                        lambda self, text, *a: searched.append(text) or real_finditer(self, text, *a))
    from promiselint.checks import disclosure_evidence

    made = []
    real_view = disclosure_evidence.ar_view
    monkeypatch.setattr(disclosure_evidence, "ar_view", lambda doc, b: made.append(b) or real_view(doc, b))
    doc = parse(page, "html", "p.html")
    assert check_page(doc) == []
    assert len(scanned) <= 2 and len(searched) <= 1 and len(made) <= 2  # (the title, the priced paragraph)
    assert len(facts(doc, lex).units) > 40
    full = evidence(doc, lex)  # (and every block, when all of the evidence is asked for)
    assert full.prices and full.shipping and len(scanned) > 40 and len(searched) > 1


def test_read_lazily_the_facts_are_the_evidence(lex):
    """Whatever is read first, each fact is the one evidence() gives; `ships`
    (stops at the first statement) is whether `shipping` has a way."""
    rng = random.Random(8)
    docs = []
    for i in range(45):
        lang = ("ar", "fa", "en")[i % 3]
        text = pages.product_page(rng, lang, rng.randint(2, 8))
        if i % 2:
            text = text.replace(pages.FOOTER[lang], "")
        docs.append(parse(text, "html", f"p{i}.html"))
    orders = (("ships", "links", "own"), ("prices", "empty"), ("labels", "placeholder", "shipping"))
    for n, d in enumerate(docs):
        full = evidence(d, lex)
        f = facts(d, lex)
        for name in orders[n % 3]:
            getattr(f, name)
        assert f.evidence() == full
        assert facts(d, lex).ships == bool(full.shipping)
    assert any(e.shipping for e in map(evidence, docs)) and not all(e.shipping for e in map(evidence, docs))


# -- phones --------------------------------------------------------------------

def test_the_phone_regexes_run_only_on_a_run_of_seven_digits(monkeypatch, lex):
    counted = [Counting(rx) for rx in (disclosure_contact._PHONE_INTL, disclosure_contact._PHONE_LOCAL,
                                       disclosure_contact._PHONE_US)]
    for c in counted:
        c.finditer = lambda *a, _c=c: (setattr(_c, "calls", _c.calls + 1), _c.regex.finditer(*a))[1]
    for name, c in zip(("_PHONE_INTL", "_PHONE_LOCAL", "_PHONE_US"), counted):
        monkeypatch.setattr(disclosure_contact, name, c)
    has_phone = disclosure_contact.has_phone
    assert not has_phone("weighs 5.5 kg, 2 m long, $329.00, sizes 10 to 14, 2024", lex.phone_labels)
    assert sum(c.calls for c in counted) == 0
    assert has_phone("call us: +44 20 7946 0958", lex.phone_labels)
    assert sum(c.calls for c in counted) >= 1


def test_the_seven_digit_run_changes_no_phone_answer(monkeypatch, lex):
    rng = random.Random(3)
    parts = ["0", "7", "12", "345", "+", "00", "(", ")", " ", "-", ".", "/", ",", ":", "tel", "phone:", "هاتف",
             "sku", "a", "x", "2024-01-02", "٫", "\n"]
    texts = ["".join(rng.choice(parts) for _ in range(rng.randint(3, 25))) for _ in range(4000)]
    new = [disclosure_contact.has_phone(t, lex.phone_labels) for t in texts]
    monkeypatch.setattr(disclosure_contact, "_PHONE_RUN", re.compile(r"(?:\D*\d){7}").match)  # the old test
    old = [disclosure_contact.has_phone(t, lex.phone_labels) for t in texts]
    assert new == old and 100 < sum(new) < len(texts) - 100


# -- the cue index -------------------------------------------------------------

def test_the_cue_index_works_out_each_set_of_anchors_once(monkeypatch, lex):
    index = lex.index
    index.seen.clear()
    worked: list = []
    real = index._admit
    monkeypatch.setattr(index, "_admit", lambda *a: worked.append(a) or real(*a))
    texts = [fold(t, "ar").text for t in ("Free shipping on orders over $50.", "Privacy policy",
                                          "Free shipping on orders over $50.", "سياسة الخصوصية")] * 5
    first = index.scan(texts)
    assert len(worked) == 3
    assert index.scan(texts) == first and len(worked) == 3
    assert "free" in first[0] and "price" in first[0] and ("privacy-policy", "names") in first[1]


# -- gates: a run of characters every match holds ------------------------------

@pytest.mark.parametrize("pattern, holds, lacks", [
    (r"a{3,5}b", "xaaaaab", "aab aaa"),
    (r"x\d{10}y", "x0123456789y", "x0123456 y"),
    (r"(?i)ab|cd", "xABx", "ac bd"),
    (r"\d+[a-z]", "12b", "12 b"),
])
def test_a_gate_is_a_run_every_match_holds(pattern, holds, lacks):
    from promiselint.match.gates import gate

    g = gate(pattern)
    assert g is not None and g.search(holds) and re.search(pattern, holds)
    assert not g.search(lacks) and not re.search(pattern, lacks)


def test_no_gate_without_a_run_of_two():
    from promiselint.match.gates import gate

    assert gate(r"a?b?c?") is None and gate(r"(?<=x)\s*y") is None and gate(r"ab|c") is None


def test_every_cue_item_match_holds_its_gate(lex):
    """Over the labeled pages, the example storefront and generated pages: each
    match of each cue item (and of the postcode cue) holds the item's gate."""
    from promiselint.checks.disclosure_evidence import _units
    from promiselint.match.gates import gate

    rng = random.Random(2)
    docs = [parse(pages.product_page(rng, lang, 6), "html", "p.html") for lang in ("ar", "fa", "en") * 5]
    texts = [u.text for d in docs for u in _units(d)]
    texts += [fold(t, "ar").text for t in ("12 High Street, London SW1A 1AA", "Austin, TX 78701",
                                           "ص.ب 1234 الرياض", "كد پستي: 1234567890", "P.O. Box 12, Leeds")]
    checked = 0
    for name, cue in cues(lex).items():
        for pattern, _ in cue.items or ((cue.sources[1], False),):
            g = gate(pattern)
            if g is None:
                continue
            rx = re.compile(pattern)
            for t in texts + ["12 High Street, London SW1A 1AA"]:
                for m in rx.finditer(t):
                    assert g.search(t, m.start(), m.end()), (name, pattern[:60], m.group())
                    checked += 1
    assert checked > 300


def test_the_postcode_runs_only_on_a_block_holding_its_gate(lex):
    cue = lex.uk_postcode
    assert not cue.may_match("Order by 12 May for delivery, London") and cue.may_match("London SW1A 1AA")
    assert cue.search("12 High Street, London SW1A 1AA")
