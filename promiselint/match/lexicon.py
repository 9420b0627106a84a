"""Word lists per language, expanded into regular expressions by morphology.

A lexicon file lists lemmas and phrases, never every spelling: the analyzer
of each language generates the surface forms (Arabic proclitics و ف ب ك ل
and the article, Persian joined/ZWNJ/spaced compounds, English -est forms),
and the normalizer has already folded letters, digits and diacritics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.yamlload import load_yaml
from promiselint.text.normalize import fold_word

from . import regexstore

AR_PROCLITICS = r"(?:[وف]?(?:[بك]?ال|لل|[بكل])?)"
AR_SUFFIX = r"(?:ه|ها|هم|هما|هن|كم|نا)?"
BOUNDARY_L = r"(?<![\w])"
BOUNDARY_R = r"(?![\w])"
FA_PREFIX = r"(?:[وب]\s*)?"
FA_SUFFIX = r"(?:\s*(?:ها|های|هایی|ی|ای))?"
_AFFIXES = (AR_PROCLITICS, AR_SUFFIX, FA_PREFIX, FA_SUFFIX)  # morphology shared by lexicon entries


_EDGES = (  # (left, right) word-boundary spellings that can be factored out of an alternation
    (r"(?<!\w)", r"(?!\w)"), (r"(?<![\w])", r"(?![\w])"), (r"\b", r"\b"))


def union(parts: list[str]) -> str:
    r"""One alternation of regexes, longest first, with shared word boundaries
    and morphology (Arabic proclitics, suffixes) factored out:
    `(?<!\w)PRE(?:a|b)(?!\w)` scans many times faster in Python's engine than
    `(?<!\w)PRE a(?!\w)|(?<!\w)PRE b(?!\w)`."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    rest: list[str] = []
    for p in sorted(dict.fromkeys(parts), key=len, reverse=True):  # (first spelling first: the same in every process)
        for left, right in _EDGES:
            if p.startswith(left) and p.endswith(right) and len(p) > len(left) + len(right) \
                    and not p.endswith("\\" + right):
                body = p[len(left):len(p) - len(right)]
                pre = next((x for x in _AFFIXES if body.startswith(x)), "")
                body = body[len(pre):]
                suf = next((x for x in _AFFIXES if body.endswith(x) and len(body) > len(x)), "")
                body = body[:len(body) - len(suf)] if suf else body
                groups.setdefault((left, pre, suf, right), []).append(body)
                break
        else:
            rest.append(p)
    out = [f"{left}{pre}(?:{'|'.join(f'(?:{b})' for b in bodies)}){suf}{right}"
           for (left, pre, suf, right), bodies in groups.items()]
    out += [f"(?:{p})" for p in rest]
    return "|".join(out) if out else "(?!)"


@dataclass
class Entry:
    text: str  # the lemma or phrase as written in the lexicon
    kind: str  # lemma | phrase | regex
    pattern: str  # regex over normalized text
    data: dict = field(default_factory=dict)  # safer, strength... as written
    _compiled: re.Pattern | None = None

    def fullmatch(self, s: str) -> bool:
        if self._compiled is None:
            self._compiled = regexstore.compile(self.pattern)
        return self._compiled.fullmatch(s) is not None


@dataclass
class Lexicon:
    name: str
    lang: str
    entries: list[Entry]
    path: str = ""

    def pattern(self) -> str:
        return "(?:" + union([e.pattern for e in self.entries]) + ")"

    def entry_for(self, matched: str) -> Entry | None:
        for e in self.entries:
            if e.fullmatch(matched):
                return e
        return None


class StoredLexicon(Lexicon):
    """A lexicon kept in the project cache (packs.pack_from_json) whose entries are
    decoded from their text (`encode`) when first read: a run reads few lexicons'
    entries (the patterns are built already), and base64 makes them one plain
    string in the cache entry, which JSON reads without unescaping its regexes.
    Text that does not decode is a miss: the entries come from `rebuild()` (the
    lexicon read from its YAML) instead."""

    def __init__(self, name: str, lang: str, text: str, path: str, rebuild):
        self.name, self.lang, self.path = name, lang, path
        self._text, self._rebuild, self._entries = text, rebuild, None

    @staticmethod
    def encode(entries: list) -> str:
        """[[text, kind, pattern, data], ...] as the text the entries are read from."""
        import base64
        import json

        return base64.b64encode(json.dumps(entries, ensure_ascii=False).encode("utf-8")).decode("ascii")

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            try:
                import base64
                import json

                raw = json.loads(base64.b64decode(self._text, validate=True).decode("utf-8"))
                self._entries = [Entry(str(t), str(k), str(p), dict(d)) for t, k, p, d in raw]
            except (ValueError, TypeError, RecursionError):  # (binascii.Error, UnicodeDecodeError: ValueError)
                self._entries = self._rebuild().entries
        return self._entries

    @entries.setter
    def entries(self, value: list[Entry]) -> None:
        self._entries = value


def _words(phrase: str, lang: str) -> list[str]:
    return [re.escape(w) for w in fold_word(phrase, lang).split()]


def en_superlative(adj: str) -> list[str]:
    """fast -> fastest, big -> biggest, easy -> easiest, fine -> finest."""
    if adj.endswith("e"):
        return [adj + "st"]
    if adj.endswith("y") and len(adj) > 2 and adj[-2] not in "aeiou":
        return [adj[:-1] + "iest"]
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", adj) and len(adj) <= 4:
        return [adj + adj[-1] + "est"]
    return [adj + "est"]


def en_inflections(word: str, pos: str) -> list[str]:
    """cure -> cures, cured, curing; wrinkle -> wrinkles (verb and noun forms)."""
    forms = [word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        s_form = word + "es"
    elif re.search(r"[^aeiou]y$", word):
        s_form = word[:-1] + "ies"
    else:
        s_form = word + "s"
    forms.append(s_form)
    if pos == "verb":
        stem = word[:-1] if word.endswith("e") else word[:-1] + "i" if re.search(r"[^aeiou]y$", word) else word
        forms += [stem + "ed", (word[:-1] if word.endswith("e") and not word.endswith("ee") else word) + "ing"]
    return forms


def fold_regex(pattern: str, lang: str) -> str:
    """A regex written with any spelling, in matching form: its non-ASCII letters
    and digits are folded like the text (ى→ي، أ→ا، ی/ي, ٤→4); ASCII syntax is left alone."""
    import unicodedata

    from promiselint.text.normalize import table

    tab = table(lang)
    return "".join(ch.translate(tab) if ord(ch) > 0x7F and unicodedata.category(ch)[0] in "LN" else ch
                   for ch in pattern)


def expand(item: str, kind: str, lang: str, pos: str | None = None) -> str:
    """Regex (over normalized text) for a lexicon item."""
    if kind == "regex":
        return f"(?:{fold_regex(item, lang)})"
    words = _words(item, lang)
    if lang == "en":
        if kind == "lemma" and pos == "adj":
            body = "|".join(re.escape(f) for f in en_superlative(fold_word(item, lang)))
            return rf"\b(?:{body})\b"
        if kind == "lemma" and pos in ("verb", "noun"):  # verbs inflect the head ("gets rid of"), nouns the last word
            words = fold_word(item, lang).split()
            i = 0 if pos == "verb" else len(words) - 1
            alts = "|".join(re.escape(f) for f in en_inflections(words[i], pos))
            parts = [re.escape(w) for w in words]
            parts[i] = f"(?:{alts})"
            return r"\b" + r"[\s-]+".join(parts) + r"\b"
        body = r"[\s-]+".join(words)
        left = r"\b" if re.match(r"\w", item) else ""
        right = r"\b" if re.search(r"\w$", item) else ""
        return left + body + right
    if lang == "ar":
        body = r"\s+".join(words)
        suffix = AR_SUFFIX if kind == "lemma" else ""
        return BOUNDARY_L + AR_PROCLITICS + body + suffix + BOUNDARY_R
    # Persian: ZWNJ was folded to a space; joined, spaced and ZWNJ forms all meet here
    body = r"\s*".join(words)
    if kind == "lemma" and pos == "adj":
        body += r"\s*ترین"
    suffix = FA_SUFFIX if kind == "lemma" else ""
    return BOUNDARY_L + FA_PREFIX + body + suffix + BOUNDARY_R


def load_lexicon(path: Path, lang: str) -> Lexicon:
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise UsageError(f"{path}: a lexicon needs an 'entries' list")
    return Lexicon(data.get("name", path.stem), lang, _entries(data["entries"], lang, data.get("pos"), path), str(path))


def _entries(raws: list, lang: str, default_pos: str | None, path, extra: dict | None = None) -> list[Entry]:
    entries = []
    check = not _built_in(path)  # built-in entries compile in the tests (test_cold)
    for n, raw in enumerate(raws, 1):
        if isinstance(raw, str):
            raw = {"lemma": raw}
        if not isinstance(raw, dict):
            raise UsageError(f"{path}: entry {n}: expected a mapping or a string")
        kinds = [k for k in ("lemma", "phrase", "regex") if k in raw]
        if len(kinds) != 1:
            raise UsageError(f"{path}: entry {n}: give exactly one of lemma, phrase, regex")
        kind = kinds[0]
        items = raw[kind] if isinstance(raw[kind], list) else [raw[kind]]
        pos = raw.get("pos", default_pos)
        for item in items:
            try:
                pattern = expand(str(item), kind, lang, pos)
                if check:
                    re.compile(pattern)
            except re.error as e:
                raise UsageError(f"{path}: entry {n}: bad regex {item!r}: {e}")
            entries.append(Entry(str(item), kind, pattern, {**(extra or {}), **raw}))
    return entries


@lru_cache(maxsize=64)
def _built_in(path) -> bool:
    """A file of promiselint's own lexicons (not a user's folder)."""
    from promiselint.core.data import data_dir

    return Path(path).resolve().is_relative_to(data_dir("lexicons").resolve())


# -- the table of claim concepts (lexicons/concepts.yaml) -------------------
def load_concepts(folders: list) -> list[dict]:
    return _concepts(tuple(str(f) for f in folders))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@lru_cache(maxsize=8)
def _concepts(folders: tuple) -> list[dict]:
    """Every concept of every `concepts.yaml` in the lexicon folders.

    A concept is one claim (or one context) told in three languages:
    `id`, `family` (the rule that reports it, or `context`), `severity`,
    `lexicon` or `cue` (the name rules and conditions refer to), `pos`, and
    per language (`ar`, `fa`, `en`) a list of lexicon entries; `examples`
    holds sentences per language that must get the same verdict."""
    out = []
    for folder in folders:
        path = Path(folder) / "concepts.yaml"
        if path.is_file():
            data = load_yaml(path) or {}
            for c in data.get("concepts") or []:
                if not isinstance(c, dict) or "id" not in c:
                    raise UsageError(f"{path}: every concept needs an id")
                out.append({**c, "_path": str(path)})
    return out


def concept_lexicon(folders: list, lang: str, name: str) -> Lexicon | None:
    """The words of every concept exposed as lexicon `name`, in `lang` (None if none)."""
    entries = []
    for c in load_concepts(folders):
        if c.get("lexicon") == name and c.get(lang):
            extra = {"concept": c["id"], **({"severity": c["severity"]} if c.get("severity") else {})}
            entries += _entries(_as_list(c[lang]), lang, c.get("pos"), c["_path"], extra)
    return Lexicon(name, lang, entries, "concepts.yaml") if entries else None


def concept_cues(folders: list, lang: str, name: str) -> list[str]:
    """Regexes of the concepts that realize the context cue `name` in `lang`."""
    return [e.pattern for c in load_concepts(folders) if c.get("cue") == name and c.get(lang)
            for e in _entries(_as_list(c[lang]), lang, c.get("pos"), c["_path"])]
