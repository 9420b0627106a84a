"""Time expressions in ar/fa/en copy: "within 24 hours", «خلال ساعتين», «۲ تا ۳ روز کاری».

Input is promiselint's normalized matching string (ASCII digits, Latin lowercased,
harakat and tatweel removed, Arabic alef/ya/ta-marbuta folded, Persian ي/ك folded
and ZWNJ turned into a space, dashes folded to "-").

How it works: one compiled regex finds anchors (unit words and fixed forms); only
the text around them is split into word-class tokens using the word lists below,
and the LALR grammar in ``grammars/time.lark`` (lark) keeps the longest expression
that parses from each token. Pages without a unit word cost one regex scan.

Values (all in hours):
- 1 day = 24 h (also for business days; ``business_days`` says which), 1 week =
  168 h, 1 month = 30 days, 1 year = 365 days, minutes / 60.
- A single value ("within 24 hours", "24-hour") gives ``min_hours=None`` and
  ``max_hours`` = the value; with an "about" bound min = max = the value.
  A range gives both ends ("2-4 days" -> 48, 96).
- Fixed forms: same-day and overnight -> max 24, next-day ("tomorrow", «باكر»,
  «فردا») -> max 48, day after tomorrow (kind "fixed") -> max 72; express and
  instant carry no hours.
- ``bound``: the strongest of the words around the value, in the order
  about > under > at-most > within ("within about 2 days" -> "about").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["TimeExpr", "find_time_expressions", "classify_context"]


@dataclass(frozen=True)
class TimeExpr:
    start: int          # span in the input string (code points), end exclusive
    end: int
    kind: str           # duration | same-day | next-day | overnight | express | instant | fixed
    min_hours: float | None
    max_hours: float | None
    business_days: bool
    bound: str | None   # within | under | at-most | about | None

    def to_json(self) -> dict:
        return {
            "start": self.start, "end": self.end, "kind": self.kind,
            "min_hours": self.min_hours, "max_hours": self.max_hours,
            "business_days": self.business_days, "bound": self.bound,
        }


# ---------------------------------------------------------------------------
# Word lists (normalized spellings). Terminal names are those of time.lark.
# Arabic and Persian text may also contain English forms ("24h").
# ---------------------------------------------------------------------------

MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200, "year": 525600}

# unit -> terminal -> forms. UNIT_SG forms can also follow a number ("24 hour", «24 ساعه»).
UNITS = {
    "en": {
        "minute": {"UNIT_SG": ("minute", "min"), "UNIT": ("minutes", "mins")},
        "hour": {"UNIT_SG": ("hour", "hr", "h"), "UNIT": ("hours", "hrs")},
        "day": {"UNIT_SG": ("day",), "UNIT": ("days",)},
        "week": {"UNIT_SG": ("week", "wk"), "UNIT": ("weeks", "wks")},
        "month": {"UNIT_SG": ("month",), "UNIT": ("months",)},
        "year": {"UNIT_SG": ("year", "yr"), "UNIT": ("years", "yrs")},
    },
    "ar": {
        "minute": {"UNIT_SG": ("دقيقه",), "UNIT": ("دقائق", "دقايق"), "UNIT_DUAL": ("دقيقتين", "دقيقتان")},
        "hour": {"UNIT_SG": ("ساعه",), "UNIT": ("ساعات",), "UNIT_DUAL": ("ساعتين", "ساعتان")},
        "day": {"UNIT_SG": ("يوم",), "UNIT": ("يوما", "ايام"), "UNIT_DUAL": ("يومين", "يومان")},
        "week": {"UNIT_SG": ("اسبوع",), "UNIT": ("اسبوعا", "اسابيع"), "UNIT_DUAL": ("اسبوعين", "اسبوعان")},
        "month": {"UNIT_SG": ("شهر",), "UNIT": ("شهرا", "اشهر", "شهور"), "UNIT_DUAL": ("شهرين", "شهران")},
        "year": {"UNIT_SG": ("سنه", "عام"), "UNIT": ("سنوات", "سنين", "عاما", "اعوام"),
                 "UNIT_DUAL": ("سنتين", "سنتان", "عامين", "عامان")},
    },
    "fa": {   # Persian nouns need a number: "در روز" means "per day", not "within a day"
        "minute": {"UNIT": ("دقیقه", "دقیقه ای")},
        "hour": {"UNIT": ("ساعت", "ساعته")},
        "day": {"UNIT": ("روز", "روزه")},
        "week": {"UNIT": ("هفته",)},
        "month": {"UNIT": ("ماه", "ماهه")},
        "year": {"UNIT": ("سال", "ساله")},
    },
}

NUMBER_WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
           "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40,
           "fifty": 50, "sixty": 60, "seventy": 70, "ninety": 90,
           "a couple of": 2, "a couple": 2, "couple of": 2},
    "ar": {"اثنين": 2, "اثنان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
           "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8,
           "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
           "اثنا عشر": 12, "اثني عشر": 12, "عشرين": 20, "عشرون": 20, "ثلاثين": 30,
           "ثلاثون": 30, "اربعين": 40, "اربعون": 40, "خمسين": 50, "ستين": 60,
           "سبعين": 70, "ثمانين": 80, "تسعين": 90},
    "fa": {"یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7,
           "هشت": 8, "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "پانزده": 15,
           "هجده": 18, "هیجده": 18, "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50,
           "شصت": 60, "هفتاد": 70, "نود": 90},
}


def _compound_numbers() -> None:
    """Add twenty-four, «اربع وعشرين», «بیست و چهار» and the like."""
    tens = {"en": ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "ninety"),
            "ar": ("عشرين", "ثلاثين", "اربعين", "خمسين", "ستين", "سبعين"),
            "fa": ("بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد")}
    ones = {"en": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            "ar": ("واحد", "اثنين", "ثلاث", "ثلاثه", "اربع", "اربعه", "خمس", "خمسه",
                   "ست", "سته", "سبع", "سبعه", "ثمان", "ثمانيه", "تسع", "تسعه"),
            "fa": ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه")}
    arabic_ones = {"واحد": 1}
    for lang, words in NUMBER_WORDS.items():
        for t in tens[lang]:
            for o in ones[lang]:
                v = words[t] + words.get(o, arabic_ones.get(o, 0))
                if lang == "en":
                    words[f"{t} {o}"] = v          # the tokenizer skips the hyphen
                elif lang == "ar":
                    words[f"{o} و{t}"] = v
                    words[f"{o} و {t}"] = v
                else:
                    words[f"{t} و {o}"] = v


_compound_numbers()

# Bound words before the value: kind -> forms. Each is a single BOUND token.
BOUNDS = {
    "en": {
        "within": ("within", "in", "in just", "in only", "within just", "within only",
                   "in as little as", "by"),
        "under": ("under", "in under", "less than", "in less than", "fewer than",
                  "in fewer than", "in no more than"),
        "at-most": ("up to", "at most", "no more than", "not more than", "a maximum of",
                    "maximum of", "max", "maximum", "no later than"),
        "about": ("about", "around", "approx", "approx .", "approximately", "roughly", "~",
                  "circa"),
    },
    "ar": {
        "within": ("خلال", "في غضون", "غضون", "في ظرف", "ظرف", "في مده", "في", "ب"),
        "under": ("اقل من", "في اقل من", "باقل من", "في اقل"),
        "at-most": ("بحد اقصي", "كحد اقصي", "حد اقصي", "لا يتجاوز", "لا تتجاوز",
                    "ما يصل الي", "يصل الي", "تصل الي",
                    "لا يزيد عن", "لا تزيد عن", "حتي", "علي الاكثر"),
        "about": ("حوالي", "تقريبا", "نحو", "قرابه", "ما يقارب", "ما يقرب من", "في حدود"),
    },
    "fa": {
        "within": ("ظرف", "ظرف مدت", "طی", "طی مدت", "در عرض", "در مدت", "در"),
        "under": ("کمتر از", "در کمتر از", "زیر"),
        "at-most": ("حداکثر", "تا", "نهایتا", "حداکثر تا"),
        "about": ("حدود", "حدودا", "در حدود", "تقریبا"),
    },
}
# Bounds too common to make a bare unit a time ("in a day" yes, «في يوم الجمعه» no).
WEAK_BOUNDS = frozenset({"in", "by", "في", "ب", "در"})

# Words after the value (POST). kind None: allowed, changes nothing («القادمه»).
POST_BOUNDS = {
    "en": {"at-most": ("or less", "or fewer", "at most", "max", "maximum", "at the latest",
                       "tops"),
           "about": ("or so", "approx", "approx .", "approximately", "roughly")},
    "ar": {"at-most": ("او اقل", "كحد اقصي", "بحد اقصي", "علي الاكثر", "بالكثير", "بالكتير"),
           "about": ("تقريبا",),
           None: ("القادمه", "المقبله", "فقط")},
    "fa": {"at-most": ("یا کمتر", "حداکثر"),
           "about": ("تقریبا",),
           None: ("آینده", "دیگر")},
}

# Small words the grammar needs (terminal -> forms).
CONNECTORS = {
    "en": {"FROM": ("from",), "BETWEEN": ("between",), "SEP": ("to", "or", "through"),
           "AND": ("and",), "DEF": ("the", "the next", "the first"), "A": ("a", "an"),
           "HALF": ("half",), "BUSINESS": ("business", "working", "work")},
    "ar": {"FROM": ("من",), "BETWEEN": ("بين",), "SEP": ("الي", "ل", "او", "حتي"),
           "AND": ("و",), "DEF": ("ال",), "HALF": ("نصف", "نص"), "ONE_AR": ("واحد", "واحده"),
           "WORK": ("عمل", "العمل")},
    "fa": {"FROM": ("از",), "BETWEEN": ("بین",), "SEP": ("تا", "الی", "یا"),
           "AND": ("و",), "HALF": ("نیم",), "WORK": ("کاری", "اداری"),
           "SUFFIX": ("ها", "های", "ای")},
}

# Fixed forms: (kind, max_hours, business_days, phrases).
FIXED_FORMS = {
    "en": (
        ("same-day", 24, False, ("same day", "the same day")),
        ("same-day", 24, True, ("same business day", "same working day")),
        ("next-day", 48, False, ("next day", "the next day", "tomorrow", "the following day")),
        ("next-day", 48, True, ("next business day", "next working day",
                                "the next business day", "the next working day")),
        ("fixed", 72, False, ("day after tomorrow", "the day after tomorrow")),
        ("overnight", 24, False, ("overnight",)),
        ("express", None, False, ("express",)),
        ("instant", None, False, ("instant", "instantly", "immediate", "immediately")),
    ),
    "ar": (
        ("same-day", 24, False, ("نفس اليوم", "ذات اليوم", "اليوم نفسه", "اليوم ذاته")),
        ("next-day", 48, False, ("اليوم التالي", "ثاني يوم", "تاني يوم", "باكر", "بكره",
                                 "بكرا", "غدا", "الغد", "باجر", "بكرة")),
        ("next-day", 48, True, ("يوم العمل التالي",)),
        ("fixed", 72, False, ("بعد بكره", "بعد باكر", "بعد غد", "بعد الغد")),
        ("overnight", 24, False, ("بين عشيه وضحاها", "بين ليله وضحاها")),
        ("express", None, False, ("اكسبريس", "اكسبرس")),
        ("instant", None, False, ("فوري", "فورا", "الفوري")),
    ),
    "fa": (
        ("same-day", 24, False, ("همان روز", "همون روز", "همین امروز")),
        ("next-day", 48, False, ("روز بعد", "فردا")),
        ("next-day", 48, True, ("روز کاری بعد",)),
        ("fixed", 72, False, ("پس فردا",)),
        ("express", None, False, ("اکسپرس",)),
        ("instant", None, False, ("فوری", "فورا", "آنی")),
    ),
}

# Unit letters that count only when glued to the number ("24h", not "ms-3 h-100").
ATTACHED_ONLY = frozenset({"h"})

# Arabic proclitics split off a word when the rest is a known word («بساعتين», «وعشرين»).
ARABIC_CLITICS = "وبلفك"

BOUND_ORDER = ("about", "under", "at-most", "within")   # strongest first

# ---------------------------------------------------------------------------
# Lexicon tables built from the lists above
# ---------------------------------------------------------------------------

def _phrase_key(form: str) -> str:
    return " ".join(form.replace("-", " ").split())


def _value_tables():
    """What each word means to the transformer (the same in every language)."""
    tables: dict[str, dict] = {"unit": {}, "number": {}, "bound": {}, "post": {}, "fixed": {}}

    def put(table: str, form: str, value) -> None:
        key = _phrase_key(form)
        if tables[table].get(key, value) != value:
            raise ValueError(f"{key!r} has two meanings in the time word lists")
        tables[table][key] = value

    for lang in UNITS:
        for unit, by_term in UNITS[lang].items():
            for forms in by_term.values():
                for f in forms:
                    put("unit", f, MINUTES[unit])
        for f, v in NUMBER_WORDS[lang].items():
            put("number", f, float(v))
        for kind, forms in BOUNDS[lang].items():
            for f in forms:
                put("bound", f, kind)
        for kind, forms in POST_BOUNDS[lang].items():
            for f in forms:
                put("post", f, kind)
        for kind, max_h, business, forms in FIXED_FORMS[lang]:
            for f in forms:
                put("fixed", f, (kind, None if max_h is None else float(max_h), business))
    return tables["unit"], tables["number"], tables["bound"], tables["post"], tables["fixed"]


_UNIT_MINUTES, _NUMBER_VALUE, _BOUND_KIND, _POST_KIND, _FIXED_INFO = _value_tables()


class _Lexicon:
    """Word classes for one language: phrases by first word, known words, anchors."""

    def __init__(self, langs: tuple[str, ...]):
        types: dict[str, list[str]] = {}
        unit_words: set[str] = set()
        anchors: dict[str, set[str]] = {lang: set() for lang in langs}

        def add(form: str, term: str) -> None:
            lst = types.setdefault(_phrase_key(form), [])
            if term not in lst:
                lst.append(term)

        for lang in langs:
            for by_term in UNITS[lang].values():
                for term, forms in by_term.items():
                    for f in forms:
                        add(f, term)
                        unit_words.add(f.split()[0])
                        anchors[lang].add(f.split()[0])
            for f in NUMBER_WORDS[lang]:
                add(f, "NUMWORD")
            for forms in BOUNDS[lang].values():
                for f in forms:
                    add(f, "BOUND")
            for forms in POST_BOUNDS[lang].values():
                for f in forms:
                    add(f, "POST")
            for term, forms in CONNECTORS[lang].items():
                for f in forms:
                    add(f, term)
            for _kind, _max_h, _business, forms in FIXED_FORMS[lang]:
                for f in forms:
                    add(f, "FIXED")
                    anchors[lang].add(max(f.split(), key=len))
        if "ar" in langs:   # the clitic letters themselves
            for f in ARABIC_CLITICS:
                types.setdefault(f, [])

        self.types = {k: tuple(v) for k, v in types.items()}
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        self.known: set[str] = set()
        for key in self.types:
            words = tuple(key.split())
            self.known.update(words)
            self.phrases.setdefault(words[0], []).append(words)
        for lst in self.phrases.values():
            lst.sort(key=len, reverse=True)
        self.unit_words = frozenset(unit_words)
        self.clitics = "ar" in langs
        # Anchors: one plain trie (fast in re: its first characters form a set); the
        # left word boundary is checked in _regions. "h" is an anchor only glued to a
        # digit ("24h"), or it would fire at the end of every "with".
        words: set[str] = set()
        for lang in langs:
            for w in anchors[lang]:
                if w in ATTACHED_ONLY:
                    words.update(f"{d}{w}" for d in "0123456789")
                else:
                    words.add(w)
        self.anchor_re = re.compile(_trie_regex(sorted(words)) + r"(?![^\W\d_])")


def _trie_regex(words: list[str]) -> str:
    """A regex alternation factored by common prefixes (much faster than a flat one)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts, optional = [], "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if optional:
            body = f"(?:{body})?"
        return body

    return emit(trie)


_LANGS = {"en": ("en",), "ar": ("ar", "en"), "fa": ("fa", "en")}


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    return _Lexicon(_LANGS.get(lang, ("en",)))


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[0-9]+(?:[.,/:][0-9]+)*%?|[^\W\d_]+|\S")
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")   # "s24", "wait_24h"
_NUMERIC = frozenset({"NUM", "NUMWORD"})

# a token: (word classes it may be, word or phrase, start, end)
_Tok = tuple[tuple[str, ...], str, int, int]


def _raw_words(text: str, start: int, end: int, lex: _Lexicon) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(text, start, end):
        w, s, e = m.group(), m.start(), m.end()
        if lex.clitics and len(w) > 2 and w[0] in ARABIC_CLITICS and w not in lex.known:
            rest = w[1:]
            if rest in lex.known:
                out.append((w[0], s, s + 1))
                out.append((rest, s + 1, e))
                continue
            if len(rest) > 2 and rest[0] in ARABIC_CLITICS and rest[1:] in lex.known:
                out.append((w[0], s, s + 1))
                out.append((rest[0], s + 1, s + 2))
                out.append((rest[1:], s + 2, e))
                continue
        out.append((w, s, e))
    return out


def _tokenize(text: str, start: int, end: int, lex: _Lexicon) -> list[_Tok]:
    words = _raw_words(text, start, end, lex)
    toks: list[_Tok] = []
    i, n = 0, len(words)
    while i < n:
        w, s, e = words[i]
        c = w[0]
        if "0" <= c <= "9":
            numeric = w.isdigit() or (w.count(".") == 1 and w.replace(".", "").isdigit())
            if numeric and not (s > 0 and text[s - 1] in _LATIN):
                toks.append((("NUM",), w, s, e))
            else:
                toks.append(((), w, s, e))
            i += 1
            continue
        if w == "-":
            toks.append((("DASH",), w, s, e))
            i += 1
            continue
        best = None
        after_number = bool(toks) and not _NUMERIC.isdisjoint(toks[-1][0])
        for phrase in lex.phrases.get(w, ()):
            if len(phrase) > 1 and after_number and phrase[0] in lex.unit_words:
                continue            # "2 روز بعد" is "2 days later", not "next day"
            j, k = i + 1, 1
            while k < len(phrase) and j < n:
                if words[j][0] == "-" and j + 1 < n:
                    j += 1
                if words[j][0] != phrase[k]:
                    break
                j += 1
                k += 1
            if k == len(phrase):
                best = (phrase, j)
                break
        if best is None:
            toks.append(((), w, s, e))
            i += 1
        else:
            phrase, j = best
            key = " ".join(phrase)
            types = lex.types.get(key, ())
            if key in ATTACHED_ONLY and not (s > 0 and text[s - 1].isdigit()):
                types = ()
            toks.append((types, key, s, words[j - 1][2]))
            i = j
    return toks


# ---------------------------------------------------------------------------
# Parser (lark, LALR, built once on first use)
# ---------------------------------------------------------------------------

GRAMMAR_PATH = Path(__file__).with_name("grammars") / "time.lark"


class _Unit:
    __slots__ = ("minutes", "business", "half")

    def __init__(self, minutes: int, business: bool, half: bool):
        self.minutes, self.business, self.half = minutes, business, half


class _Amount:
    __slots__ = ("lo", "hi", "business", "needs")

    def __init__(self, lo, hi, business, needs=None):
        self.lo, self.hi, self.business, self.needs = lo, hi, business, needs


_HALF_TAIL = object()


def _h(minutes: float) -> float:
    return round(minutes / 60, 4)


@lru_cache(maxsize=None)
def _parser():
    from lark import Lark, Token, Transformer
    from lark.lexer import Lexer

    class _TokenList(Lexer):       # tokens come from _tokenize, not from characters
        def __init__(self, conf):
            pass

        def lex(self, tokens):
            return iter(tokens)

    def toks(children, *types):
        return [c for c in children if isinstance(c, Token) and c.type in types]

    class _Build(Transformer):
        def number(self, ch):
            t = ch[0]
            return float(t) if t.type == "NUM" else _NUMBER_VALUE[t]

        def quantity(self, ch):
            return ch[-1]

        def and_half(self, ch):
            return _NUMBER_VALUE[ch[0]] + 0.5

        def range(self, ch):
            lo, hi = [c for c in ch if isinstance(c, float)]
            return (lo, hi)

        def sep(self, ch):
            return ch[0]

        def half_tail(self, ch):
            return _HALF_TAIL

        def unit_phrase(self, ch):
            unit = toks(ch, "UNIT", "UNIT_SG")[0]
            return _Unit(_UNIT_MINUTES[unit], bool(toks(ch, "BUSINESS", "WORK")), _HALF_TAIL in ch)

        sg_phrase = unit_phrase

        def single(self, ch):
            q, u = ch[0], ch[-1]
            return _Amount(None, (q + 0.5 if u.half else q) * u.minutes, u.business)

        def ranged(self, ch):
            (lo, hi), u = ch
            return _Amount(lo * u.minutes, hi * u.minutes, u.business)

        def dual(self, ch):
            return _Amount(None, 2 * _UNIT_MINUTES[ch[0]], len(ch) > 1)

        def dual_range(self, ch):
            u = ch[-1]
            return _Amount(2 * _UNIT_MINUTES[ch[0]], ch[2] * u.minutes, u.business)

        def bare(self, ch):
            u = ch[0]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business, "strong")

        def one(self, ch):
            u = ch[0]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business)

        def article(self, ch):
            u = ch[1]
            return _Amount(None, (1.5 if u.half else 1) * u.minutes, u.business, "any")

        def one_or_n(self, ch):
            unit = toks(ch, "UNIT_SG")[0]
            m = _UNIT_MINUTES[unit]
            return _Amount(m, _NUMBER_VALUE[ch[-1]] * m, False)

        def one_or_two(self, ch):
            m = _UNIT_MINUTES[ch[0]]
            return _Amount(m, 2 * _UNIT_MINUTES[ch[2]], False)

        def half(self, ch):
            u = ch[-1]
            return _Amount(None, 0.5 * u.minutes, u.business)

        def pre(self, ch):
            return ("pre", tuple(str(t) for t in ch))

        def duration(self, ch):
            pre = next((c[1] for c in ch if isinstance(c, tuple)), ())
            amount = next(c for c in ch if isinstance(c, _Amount))
            post = toks(ch, "POST")
            if amount.needs == "any" and not pre:
                return None
            if amount.needs == "strong" and all(b in WEAK_BOUNDS for b in pre):
                return None
            bound = _combine([_BOUND_KIND[b] for b in pre] + [_POST_KIND[p] for p in post])
            lo = amount.lo
            if lo is None and bound == "about":
                lo = amount.hi
            return ("duration", None if lo is None else _h(lo), _h(amount.hi),
                    amount.business, bound, amount.needs is not None)

        def fixed(self, ch):
            pre = next((c[1] for c in ch if isinstance(c, tuple)), ())
            kind, max_h, business = _FIXED_INFO[toks(ch, "FIXED")[0]]
            return (kind, None, max_h, business, _combine([_BOUND_KIND[b] for b in pre]), False)

    lark = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr",
                lexer=_TokenList, transformer=_Build())
    conf = lark.parse_interactive().parser_state.parse_conf
    return _Parser(lark, Token, conf.states, conf.start_state, conf.end_state)


class _Parser:
    """The lark parser plus its LALR table, used to find where an expression ends.

    The longest expression from a token is found by stepping through lark's own
    parse table without building values; only the winning span is then parsed,
    with the transformer, by ``lark.parse``.
    """

    def __init__(self, lark, Token, states, start_state, end_state):
        from lark.parsers.lalr_analysis import Shift
        self.lark, self.Token, self.Shift = lark, Token, Shift
        self.states, self.start_state, self.end_state = states, start_state, end_state
        self.first = frozenset(t for t in states[start_state] if t.isupper())

    def _step(self, stack: list, term: str) -> bool:
        states, shift = self.states, self.Shift
        while True:
            action = states[stack[-1]].get(term)
            if action is None:
                return False
            kind, arg = action
            if kind is shift:
                stack.append(arg)
                return True
            size = len(arg.expansion)
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][arg.origin.name][1])
            if term == "$END" and stack[-1] == self.end_state:
                return True

    def longest(self, toks: list[_Tok], i: int):
        """Longest valid expression starting at toks[i]: (end index, value) or None."""
        states = self.states
        stack = [self.start_state]
        chosen: list[str] = []
        ends: list[int] = []
        for j in range(i, min(len(toks), i + _MAX_TOKENS)):
            row = states[stack[-1]]
            term = next((t for t in toks[j][0] if t in row), None)
            if term is None or not self._step(stack, term):
                break
            chosen.append(term)
            if "$END" in states[stack[-1]] and self._step(stack[:], "$END"):
                ends.append(j + 1)
        for end in reversed(ends):      # longest first; the transformer may refuse one
            value = self.value(tuple((t, toks[i + k][1]) for k, t in enumerate(chosen[:end - i])))
            if value is None:
                continue
            if value[5] and end < len(toks) and "NUM" in toks[end][0]:
                continue                # «خلال عام 2026» is "during 2026", not "within a year"
            return end, value
        return None

    @lru_cache(maxsize=8192)        # copy repeats the same few expressions
    def value(self, terms: tuple[tuple[str, str], ...]):
        Token = self.Token
        return self.lark.parse([Token(t, v) for t, v in terms])


_MAX_TOKENS = 12


def _combine(kinds: list[str | None]) -> str | None:
    for k in BOUND_ORDER:
        if k in kinds:
            return k
    return None


def find_time_expressions(text: str, lang: str) -> list[TimeExpr]:
    """All time expressions in a normalized matching string, in order, non-overlapping."""
    lex = _lexicon(lang)
    regions = _regions(text, lex)
    if not regions:
        return []
    parser = _parser()
    first = parser.first
    found: list[TimeExpr] = []
    for rs, re_ in regions:
        toks = _tokenize(text, rs, re_, lex)
        i, n = 0, len(toks)
        while i < n:
            if first.isdisjoint(toks[i][0]):
                i += 1
                continue
            hit = parser.longest(toks, i)
            if hit is None:
                i += 1
                continue
            j, (kind, lo, hi, business, bound, _bare) = hit
            found.append(TimeExpr(toks[i][2], toks[j - 1][3], kind, lo, hi, business, bound))
            i = j
    return found


_WINDOW_BEFORE, _WINDOW_AFTER = 48, 32


def _regions(text: str, lex: _Lexicon) -> list[tuple[int, int]]:
    """Merged [start, end) windows around anchors, widened to word boundaries."""
    regions: list[list[int]] = []
    n = len(text)
    clitics = ARABIC_CLITICS if lex.clitics else ""
    for m in lex.anchor_re.finditer(text):
        a = m.start()
        if a > 0 and text[a - 1].isalpha():     # inside a word, unless after proclitics
            k = a - 1
            while k >= 0 and a - k <= 2 and text[k] in clitics:
                k -= 1
            if k == a - 1 or (k >= 0 and text[k].isalpha()):
                continue
        s = max(0, m.start() - _WINDOW_BEFORE)
        e = min(n, m.end() + _WINDOW_AFTER)
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        while e < n and not text[e].isspace():
            e += 1
        if regions and s <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], e)
        else:
            regions.append([s, e])
    return [(s, e) for s, e in regions]


# ---------------------------------------------------------------------------
# Is it a delivery promise? Cue words around the expression.
# A trailing "*" matches any ending; Arabic cues also allow proclitics (و ف ب ل ال).
# ---------------------------------------------------------------------------

DELIVERY_CUES = {
    "en": ("deliver*", "ship", "ships", "shipped", "shipping", "shipment", "dispatch*",
           "arrive*", "arrival", "at your door*", "to your door*", "doorstep", "get it",
           "courier*", "in your hands", "postage", "send it", "sent out", "with you",
           "wear it", "have it", "on your doorstep"),
    "ar": ("توصيل*", "يوصل*", "توصل*", "بيوصل*", "هيوصل*", "شحن*", "استلم*", "استلام*",
           "باب بيتك", "باب البيت", "يصلك*", "يصل*", "تصلك*", "يوصلك*", "تسليم*",
           "مندوب*", "ارسال*", "عندك", "بين ايديك", "نشحن*", "نوصل*", "نسلم*", "بنوصل*", "بنشحن*"),
    "fa": ("ارسال*", "تحویل*", "می رس*", "میرس*", "برس*", "به دستتان*", "به دستت*",
           "به دست شما", "پیک*", "دریافت*", "مرسوله*", "پست پیشتاز", "پست سفارشی",
           "دم در*", "دستت*", "دستتون*", "به دستتون*"),
}

NOT_DELIVERY_CUES = {
    "en": ("warrant*", "guarantee", "money back", "money-back", "return", "returns", "returned",
           "refund*", "exchange*", "offer*", "sale", "deal", "deals", "ends", "ending", "expire*",
           "countdown", "left", "remaining", "hurry", "support", "customer service",
           "customer care", "helpline", "hotline", "open", "opening", "call us", "chat",
           "lasts", "lasting", "long-lasting", "battery", "batteries", "play time", "playtime",
           "playback", "runtime", "charge", "charging", "hydrat*", "protection", "relief",
           "result", "results", "lose", "drop", "old", "ages", "aged", "age", "kids",
           "baby", "study", "trial", "clinical*", "supply", "course", "cook*", "bake",
           "simmer", "ago", "streak", "access", "subscription", "free trial", "pay", "paying",
           "payment*", "installment*", "valid", "validity", "withdraw*", "cancel*",
           "experience", "in business", "founded", "established", "report*", "notify*", "let us know"),
    "ar": ("ضمان*", "كفاله*", "ارجاع*", "استرجاع*", "استرداد*", "استبدال*", "ترجيع*",
           "عرض", "العرض", "عروض", "ينتهي*", "تنتهي*", "خصم*", "تخفيض*", "متبقي*",
           "دعم*", "خدمه العملاء", "متاحون", "نعمل", "مفتوح*", "اتصل*", "تواصل*", "يدوم*",
           "تدوم*", "يستمر*", "تستمر*", "بطاري*", "ثبات*", "ترطيب*", "مفعول*", "نتائج*",
           "نتيجه*", "تخسي*", "خساره*", "تنزلي*", "كيلو*", "عمر*", "اطفال*", "الاطفال*",
           "دراسه*", "تجربه*", "استخدام*", "استخدمي*", "مرتين*", "حمايه*", "ادفع*", "دفع*",
           "الدفع*", "تقسيط*", "اقساط*", "صالح*", "صلاحيه*", "انسحاب*", "الغاء*", "خبره*",
           "ابلاغ*", "بلغ*", "تبليغ*", "تشغيل*", "جدوله*", "شاحن*", "مره اخري", "اعاده*", "يعاد*", "سيعاد*"),
    "fa": ("گارانتی*", "ضمانت*", "وارانتی*", "بازگشت*", "مرجوع*", "عودت*", "تعویض*",
           "استرداد*", "بازپرداخت*", "تخفیف*", "جشنواره*", "حراج*", "پایان*", "فرصت*",
           "پیشنهاد*", "پشتیبانی*", "پاسخگو*", "تماس*", "خدمات مشتری*", "ماندگاری*",
           "دوام*", "باتری*", "شارژ*", "آبرسانی*", "اثر*", "نتیجه*", "لاغری*", "کاهش وزن*",
           "کیلو*", "سن", "کودک*", "نوزاد*", "مطالعه*", "آزمایش*", "مصرف*", "استفاده*",
           "پرداخت*", "قسط*", "اقساط*", "معتبر*", "اعتبار*", "منقضی*", "انصراف*", "لغو*",
           "سابقه*", "تجربه*", "اطلاع دهید", "گزارش*", "آماده سازی*", "آماده شود", "آماده شدن"),
}

# Patterns right after (or before) the expression that make it "not a delivery time":
# round-the-clock service, periods counted from delivery (return windows), past periods.
NOT_DELIVERY_AFTER = {
    "en": (r"\s*(?:a|per|each|every|/)\s*(?:day|week|month|year)\b", r"\s*/\s*7\b",
           r"\W{0,3}(?:of|from|after|following)\s+(?:the\s+)?(?:date\s+of\s+)?"
           r"(?:delivery|receipt|receiving|purchase|dispatch|arrival)",
           r"\s*(?:ago|earlier)\b", r"[\s,]*(?:7|seven)\s+days\s+a\s+week",
           r"\s*(?:round|around)\s+the\s+clock", r"\s*(?:old|of\s+age)\b",
           r"\s*(?:upon|on)\s+(?:delivery|receipt|arrival)\b"),
    "ar": (r"\s*(?:في|ب)\s*(?:ال)?(?:يوم|اسبوع)", r"\s*(?:طوال|طيله|علي\s+مدار|يوميا)",
           r"\s*/\s*7", r"\W{0,3}(?:من|بعد)\s+(?:تاريخ\s+)?(?:ال)?(?:استلام|شراء|توصيل|تسليم)",
           r"\s*(?:ال)?(?:ماضيه|ماضي|اخيره|فائته|سابقه)",
           r"\W{0,3}(?:من|بعد)\s+(?:ال)?(?:استخدام|اول)", r"\s*(?:من\s+)?(?:ال)?شحن(?![^\W\d_])"),
    "fa": (r"\s*(?:ی\s+)?هفته\b", r"\s*(?:در|به)\s+(?:روز|هفته)\b",
           r"\s*(?:شبانه\s*روز|شبانه)", r"\s*/\s*7",
           r"\W{0,3}(?:پس|بعد)\s+از\s+(?:تحویل|دریافت|خرید|استفاده)",
           r"\W{0,3}از\s+(?:زمان|تاریخ)\s+(?:تحویل|دریافت|خرید)",
           r"\s*(?:گذشته|اخیر|قبل)\b"),
}
NOT_DELIVERY_BEFORE = {  # (and the customer's duty: "report damage immediately", «يتم الإبلاغ عنه فوراً»)
    "en": (r"(?:past|last|previous|first)\s+(?:the\s+)?$", r"24/7\W*$", r"(?:7|seven)\s+days\s+a\s+week\W*$",
           r"\b(?:report|notify|contact|tell|inform)\w*(?:\s+\S+){0,3}\s*$"),
    "ar": (r"(?:اخر|اول|الماضي)\s+(?:ال)?$", r"24/7\W*$", r"(?:طوال|علي\s+مدار)\s+$",
           r"(?:ابلاغ|الابلاغ|بلغ|تبليغ|اخبار|التواصل|تواصل)\S*(?:\s+\S+){0,2}\s*$"),
    "fa": (r"(?:24/7|7/24)\W*$", r"(?:اخیر|گذشته)\s+$", r"(?:اطلاع|گزارش|تماس)\S*(?:\s+\S+){0,2}\s*$"),
}

_AR_CHARGING = re.compile(r"(?:ال)?شحن\s+(?:ال)?سريع\S*\s+(?:\S+\s+){0,3}$")
_SENTENCE_END = re.compile(r"[!?؟؛;\n|•]|\.(?![0-9])")
_CLAUSE_BREAK = re.compile(r"[,،:()\[\]]")
_CONTEXT = 90


def _cue_regex(words: tuple[str, ...], lang: str) -> str:
    parts = []
    for w in words:
        prefix = w.endswith("*")
        body = re.escape(w.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body if prefix else body + r"(?![^\W\d_])")
    clitic = r"(?:[وف]?[بلكسهح]?(?:ال|ل)?)" if lang == "ar" else ""
    return r"(?<![^\W\d_])" + clitic + "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=None)
def _context_patterns(lang: str):
    lang = lang if lang in DELIVERY_CUES else "en"
    langs = (lang,) if lang == "en" else (lang, "en")
    cue = re.compile("|".join(
        f"(?P<{name}{i}>{_cue_regex(table[lg], lg)})"
        for i, lg in enumerate(langs)
        for name, table in (("d", DELIVERY_CUES), ("n", NOT_DELIVERY_CUES))))
    after = re.compile("|".join(f"(?:{p})" for lg in langs for p in NOT_DELIVERY_AFTER[lg]))
    before = re.compile("|".join(f"(?:{p})" for lg in langs for p in NOT_DELIVERY_BEFORE[lg]))
    return cue, after, before


def classify_context(text: str, expr: TimeExpr, lang: str) -> str:
    """ "delivery", "not-delivery" or "unknown" for a time expression found in ``text``.

    Not a delivery promise: round-the-clock hours (24/7, "7 days a week", «۷ روز
    هفته»), periods counted from delivery (return windows), past periods, and
    expressions nearer to a warranty, return, offer, support, use/effect, result or
    age word than to a delivery word. Nearest cue in the sentence wins.
    """
    cue_re, after_re, before_re = _context_patterns(lang)
    s0 = max(0, expr.start - _CONTEXT)
    before = text[s0:expr.start]
    last = None
    for last in _SENTENCE_END.finditer(before):
        pass
    if last is not None:
        before = before[last.end():]
    after = text[expr.end:expr.end + _CONTEXT]
    m = _SENTENCE_END.search(after)
    if m:
        after = after[:m.start()]
    if after_re.match(after) or before_re.search(before):
        return "not-delivery"
    if lang == "ar" and expr.max_hours is not None and expr.max_hours <= 1 and _AR_CHARGING.search(before):
        return "not-delivery"  # «شحن سريع خلال 30 دقيقة»: battery charging, not shipping

    best: tuple[int, str] | None = None
    for m in cue_re.finditer(before):
        dist = len(before) - m.end()
        if _CLAUSE_BREAK.search(before, m.end()):
            dist += 40
        best = _nearer(best, dist, m.lastgroup)
    for m in cue_re.finditer(after):
        dist = m.start()
        if _CLAUSE_BREAK.search(after, 0, m.start()):
            dist += 40
        best = _nearer(best, dist, m.lastgroup)
    if best is None:
        return "unknown"
    return "delivery" if best[1].startswith("d") else "not-delivery"


def _nearer(best, dist: int, group: str):
    if best is None or dist < best[0] or (dist == best[0] and group.startswith("d")):
        return (dist, group)
    return best
