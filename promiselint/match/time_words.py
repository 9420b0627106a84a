"""The time grammar's word lists: lexicons/{ar,fa,en}/time.yaml, loaded once.

`words()` gives the data of every language; `values()` what each form means
(the same in every language); `word_classes(lang)` the phrases by first word,
their grammar terminals and the anchor regex of one language's copy.
"""
from __future__ import annotations

import json
import re
from functools import cached_property, lru_cache
from pathlib import Path

from promiselint.core.data import data_dir
from promiselint.core.errors import UsageError
from promiselint.core.yamlload import load_yaml

from . import regexstore
from .prefilter import trie_regex

LANGS = ("en", "ar", "fa")
MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200, "year": 525600}
BOUND_ORDER = ("about", "under", "at-most", "within")  # strongest first
# the languages whose words a language's copy is read with ("24h" in Persian copy)
READ_WITH = {"en": ("en",), "ar": ("ar", "en"), "fa": ("fa", "en")}
_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "time-lexicon.schema.json"
NUMBER = r"[0-9]+(?:[.,/:][0-9]+)*%?"  # one number token: 24, 1.5, 1,000, 10:30, 50%
_LETTERS = re.compile(r"[^\W\d_]+")
_REQUIRED = ("lang", "units", "numbers", "bounds", "connectors", "fixed", "delivery_cues", "not_delivery_cues")


def validate(data, path) -> None:
    """UsageError `path: field: problem` when `data` does not follow the schema.

    The built-in files are checked by the tests (as the built-in rule packs are):
    a run does not pay for importing jsonschema."""
    import jsonschema

    schema = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "top level"
        raise UsageError(f"{path}: {where}: {' '.join(error.message.split())[:200]}")


def _numbers(data: dict) -> dict[str, float]:
    """Number words, then the compounds (twenty four, «اربع وعشرين», «بیست و چهار»)."""
    words = dict(data["numbers"])
    comp = data.get("compound_numbers")
    if comp:
        extra = comp.get("extra_ones") or {}
        for t in comp["tens"]:
            for o in comp["ones"]:
                v = words[t] + words.get(o, extra.get(o, 0))
                for form in comp["forms"]:
                    words[form.format(tens=t, one=o)] = v
    return words


@lru_cache(maxsize=None)
def words() -> dict[str, dict]:
    """lang -> its time.yaml data, with compound numbers spelled out."""
    out = {}
    for lang in LANGS:
        path = data_dir("lexicons") / lang / "time.yaml"
        data = load_yaml(path)
        missing = [k for k in _REQUIRED if not isinstance(data, dict) or k not in data]
        if missing:
            raise UsageError(f"{path}: top level: {missing[0]!r} is a required property")
        if data["lang"] != lang:
            raise UsageError(f"{path}: lang: {data['lang']!r} in the {lang} folder")
        try:
            data["numbers"] = _numbers(data)
            for key in ("not_delivery_after", "not_delivery_before", "charging_before"):
                for p in [data[key]] if isinstance(data.get(key), str) else data.get(key, ()):
                    regexstore.compile(p)
        except (KeyError, TypeError, AttributeError, re.error) as e:
            raise UsageError(f"{path}: {type(e).__name__}: {e}")
        out[lang] = data
    return out


def phrase_key(form: str) -> str:
    return " ".join(form.replace("-", " ").split())


@lru_cache(maxsize=None)
def values() -> dict[str, dict]:
    """What each form means, by table: unit (minutes), number, bound, post, fixed."""
    tables: dict[str, dict] = {"unit": {}, "number": {}, "bound": {}, "post": {}, "fixed": {}}

    def put(table: str, form: str, value) -> None:
        key = phrase_key(form)
        if tables[table].get(key, value) != value:
            raise UsageError(f"{key!r} has two meanings in the time word lists")
        tables[table][key] = value

    for lang, data in words().items():
        for unit, by_term in data["units"].items():
            for forms in by_term.values():
                for f in forms:
                    put("unit", f, MINUTES[unit])
        for f, v in data["numbers"].items():
            put("number", f, float(v))
        for kind, forms in data["bounds"].items():
            for f in forms:
                put("bound", f, kind)
        for kind, forms in data.get("post_bounds", {}).items():
            for f in forms:
                put("post", f, None if kind == "neutral" else kind)
        for fx in data["fixed"]:
            for f in fx["forms"]:
                max_h = fx["max_hours"]
                put("fixed", f, (fx["kind"], None if max_h is None else float(max_h), fx["business"]))
    tables["weak"] = frozenset(w for data in words().values() for w in data.get("weak_bounds", ()))
    tables["attached"] = frozenset(w for data in words().values() for w in data.get("attached_only", ()))
    return tables


class WordClasses:
    """Word classes for one language's copy: phrases by first word, known words, anchors."""

    def __init__(self, langs: tuple[str, ...]):
        data = words()
        attached = values()["attached"]
        types: dict[str, list[str]] = {}
        unit_words: set[str] = set()
        anchors: set[str] = set()

        def add(form: str, term: str) -> None:
            lst = types.setdefault(phrase_key(form), [])
            if term not in lst:
                lst.append(term)

        for lang in langs:
            d = data[lang]
            for by_term in d["units"].values():
                for term, forms in by_term.items():
                    for f in forms:
                        add(f, term)
                        unit_words.add(phrase_key(f).split()[0])
                        anchors.add(phrase_key(f).split()[0])
            for f in d["numbers"]:
                add(f, "NUMWORD")
            for forms in d["bounds"].values():
                for f in forms:
                    add(f, "BOUND")
            for forms in d.get("post_bounds", {}).values():
                for f in forms:
                    add(f, "POST")
            for term, forms in d["connectors"].items():
                for f in forms:
                    add(f, term)
            for fx in d["fixed"]:
                for f in fx["forms"]:
                    add(f, "FIXED")
                    anchors.add(max(phrase_key(f).split(), key=len))  # a word of every match
        self.clitics = "".join(data[lang].get("clitics", "") for lang in langs)
        for f in self.clitics:  # the clitic letters themselves
            types.setdefault(f, [])

        self.types = {k: tuple(v) for k, v in types.items()}
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        self.known: set[str] = set()
        for key in self.types:
            ws = tuple(key.split())
            self.known.update(ws)
            self.phrases.setdefault(ws[0], []).append(ws)
        for lst in self.phrases.values():
            lst.sort(key=len, reverse=True)
        self.unit_words = frozenset(unit_words)
        self.attached = attached
        # Candidates: the tokens that may belong to an expression (numbers, known words
        # with up to two proclitics, known signs and dashes).  A run: candidates with
        # only spaces between them (and after: the caller trims them); any other token
        # ends every expression.  A known word that is neither one run of letters nor
        # one sign could never be a token: it is left out.
        letters = sorted(w for w in self.known if _LETTERS.fullmatch(w))
        signs = "".join(sorted({w for w in self.known if len(w) == 1 and not _LETTERS.fullmatch(w)
                                and not w.isspace() and not "0" <= w <= "9"} | {"-"}))
        clitic = f"[{re.escape(self.clitics)}]{{0,2}}" if self.clitics else ""
        self.run_re = regexstore.compile(rf"(?:(?:{NUMBER}|(?<![^\W\d_]){clitic}(?:{trie_regex(letters)})(?![^\W\d_])"
                                 rf"|[{re.escape(signs)}])\s*)+")
        # Anchors: one plain trie (fast in re: its first characters form a set); the
        # left word boundary is checked by the caller. "h" is an anchor only glued to a
        # digit ("24h"), or it would fire at the end of every "with".
        found: set[str] = set()
        for w in anchors:
            if w in attached:
                found.update(f"{d}{w}" for d in "0123456789")
            else:
                found.add(w)
        self.anchor_words = literal_automaton(found)  # time_parse._anchors: the matches of anchor_re
        self._anchors = found

    @cached_property
    def anchor_re(self) -> re.Pattern:
        """The anchors, leftmost then longest, not followed by a letter (the definition
        time_parse._anchors follows with the automaton; compiled only when asked)."""
        return re.compile(trie_regex(sorted(self._anchors)) + r"(?![^\W\d_])")


def literal_automaton(strings):
    """An Aho-Corasick automaton of `strings` (its matches: the strings' lengths)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for s in strings:
        automaton.add_word(s, len(s))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=None)
def word_classes(lang: str) -> WordClasses:
    return WordClasses(READ_WITH.get(lang, ("en",)))
