"""Per-language analyzers: sentence spans over normalized text.

Most copy splits cleanly at ". ", "! ", "? ", «؟», line breaks and menu
separators, so a punctuation splitter does it.  Where a period may not end a
sentence (an abbreviation, an initialism, a decimal, "No. 1"), English goes to
a blank spaCy pipeline with its rule-based sentencizer and Persian to hazm's
sentence tokenizer; hazm's lexicon also tells nouns like ویترین from
superlatives.  Each stack is imported on first need, so a pre-commit run over
plain copy starts in a fraction of a second and a run over English pages never
pays for hazm.  camel-tools (the optional `arabic` extra) is never needed:
Arabic folding agrees letter for letter with its normalizers
(tests/test_camel.py checks that whenever camel-tools is importable).
"""
from __future__ import annotations

from functools import lru_cache

from promiselint.core.lazyre import lazy_compile

# hard boundaries inside a block: line breaks, menu separators, list bullets
_HARD = lazy_compile(r"\n\s*|\s[|·•/]\s|\s*[|·•]\s*")
# a sentence ends after . ! ? ؟ ؛ ; and white space (group 1), or right after ! ? ؟ (group 0's end).
# (Each regex here starts with a character or a class: re then skips ahead to it, several
# times faster than trying every position.)
_REGEX_SENT = lazy_compile(r"[.!?؟؛;](?:(\s+)|(?<=[!?؟])(?=\S))")
# an abbreviation or an initialism (its last two letters) ending right at the end
_ABBREV = lazy_compile(r"(?:\b(?:no|nr|dr|mr|mrs|ms|st|vs|approx|etc|inc|ltd|co|fig|ref|tel|ext)|"
                     r"\b[^\W\d]\.\b[^\W\d])\.\Z")


@lru_cache(maxsize=1)
def _spacy():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


# hazm's SentenceTokenizer, rule for rule (hazm/sentence_tokenizer.py): a run of
# end marks followed by spaces or line breaks ends a sentence.  Importing hazm
# to run this one regex would cost most of a second (tests/test_analyze.py
# checks that both agree whenever hazm is installed).
_HAZM_END = lazy_compile(r"([!.?⸮؟]+)[ \n]+")


def hazm_sentences(text: str) -> list[str]:
    """What hazm.SentenceTokenizer().tokenize(text) returns."""
    marked = _HAZM_END.sub("\\1\n\n", text)
    return [s.replace("\n", " ").strip() for s in marked.split("\n\n") if s.strip()]


class _HazmRule:
    """Persian's sentence splitter: hazm's rule, with hazm's interface."""

    tokenize = staticmethod(hazm_sentences)


@lru_cache(maxsize=1)
def _hazm():
    return _HazmRule()


@lru_cache(maxsize=1)
def persian_tarin_nouns() -> frozenset[str]:
    """Words ending in ‑ترین that hazm's lexicon (data/words.dat) tags only as
    nouns (ویترین, کاترین): read straight from the package's data file, without
    importing hazm (whose import alone takes over a second)."""
    import re
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("hazm")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "words.dat"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return frozenset(re.findall(r"^(\S*ترین)\t\d+\tN$", text, re.M))
    return frozenset()


def _align(text: str, pieces) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor, cursor + len(piece) + 200)  # pieces come in order
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _split_regex(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    from_ = start - 1 if start and text[start - 1] in ".!?؟؛;" else start  # a mark just before
    for m in _REGEX_SENT.finditer(text, from_, end):
        if m.lastindex:  # the white space after the mark
            spans.append((pos, m.start(1)))
        else:  # right after the mark
            spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, end))
    return spans


LONG_CHUNK = 200_000  # characters between hard breaks; longer runs split at punctuation only

# a period that may not end a sentence: after an initialism (u.s., e.g.), a
# single letter or a common abbreviation, before another word.  (An initialism
# ends in a single letter; Python's look-behinds are of one width each.)
_AMBIGUOUS_WORDS = ("no nr dr mr mrs ms st vs inc ltd co approx etc fig min max jr sr dept ca ref tel ext").split()
_AMBIGUOUS = lazy_compile(r"\.(?:(?<=\b[^\W\d]\.)|" + "|".join(
    rf"(?<=\b(?:{'|'.join(w for w in _AMBIGUOUS_WORDS if len(w) == n)})\.)"
    for n in sorted({len(w) for w in _AMBIGUOUS_WORDS})) + r")\s+\w")


def ambiguous(chunk: str) -> bool:
    """Some period in `chunk` may not end a sentence ("No. 1", "e.g. this", "u.s. made")."""
    return _AMBIGUOUS.search(chunk) is not None


# Plain English words: runs of letters or of digits joined by . ' or ’, maybe a
# final period and one of , ; : ! ?  On a chunk of such words, one space apart,
# spaCy's tokenizer splits only the final marks off (unless the word is one of
# its exceptions: lexicons/en/abbreviations.yaml) and its sentencizer ends a
# sentence after a word that ends in a split-off . ! or ?  (No hyphen and no
# digit next to a letter: "x-y." and "5m." end in the exceptions "y." and "m.".)
_PLAIN_WORD = r"(?:[a-z]+|[0-9]+)(?:[.'’](?:[a-z]+|[0-9]+))*\.?[,;:!?]?"
_PLAIN = lazy_compile(rf"{_PLAIN_WORD}(?: {_PLAIN_WORD})*")


@lru_cache(maxsize=1)
def kept_whole() -> frozenset[str]:
    """Words whose final period spaCy's English tokenizer does not split off ("e.g.", "vs.", "wed.")."""
    from promiselint.core.data import data_dir
    from promiselint.core.yamlload import load_yaml

    data = load_yaml(data_dir("lexicons") / "en" / "abbreviations.yaml") or {}
    return frozenset((data.get("kept_whole") or []) + (data.get("period_joins_last_piece") or []))


def _ends_sentence(word: str) -> bool:
    """spaCy (blank English + sentencizer) ends a sentence after this plain word."""
    kept = kept_whole()
    if word in kept:
        return False
    if word[-1] in "!?":
        return True
    core = word[:-1] if word[-1] in ",;:" else word
    return core.endswith(".") and core not in kept


def plain_english_sentences(chunk: str) -> list[tuple[int, int]] | None:
    """The sentences spaCy finds in a chunk of plain lower-case words, without
    spaCy; None for any other chunk (spaCy decides those)."""
    words = chunk[:-1] if chunk.endswith("\r") else chunk  # a CRLF line: spaCy makes "\r" a token
    if not _PLAIN.fullmatch(words):
        return None
    spans, start, pos = [], 0, 0
    for word in words.split(" "):
        pos += len(word)
        if _ends_sentence(word):
            spans.append((start, pos))
            start = pos + 1
        pos += 1
    start = min(start, len(words))
    if start < len(chunk):  # (after an ended sentence, the "\r" is one of its own)
        spans.append((start, len(chunk)))
    return spans


def _language_split(text: str, lang: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk = text[start:end]
    if len(chunk) > LONG_CHUNK:  # beyond what the language stacks take (spaCy: 1,000,000)
        return _split_regex(text, start, end)
    if lang == "en" and ambiguous(chunk):
        plain = plain_english_sentences(chunk)
        if plain is not None:
            return [(start + a, start + b) for a, b in plain]
        doc = _spacy()(chunk)
        return [(start + s.start_char, start + s.end_char) for s in doc.sents]
    if lang == "fa" and ambiguous(chunk):
        return [(start + a, start + b) for a, b in _align(chunk, _hazm().tokenize(chunk))]
    return _split_regex(text, start, end)


def _ends_in_abbreviation(text: str, start: int, end: int) -> bool:
    """text[start:end] ends in an abbreviation ("No.", "u.s."), maybe then white space
    (within its last 64 characters): only its tail is read, so that a run of merged
    sentences is not read again at every merge."""
    low, stop = max(start, end - 64), end
    while stop > low and text[stop - 1].isspace():
        stop -= 1
    if stop == low or text[stop - 1] != ".":
        return False
    return _ABBREV.search(text, max(low, stop - 10), stop) is not None


def sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of normalized block text, abbreviations ("No. 1") kept whole."""
    spans: list[tuple[int, int]] = []
    pos = 0
    hard = "\n" in text or "|" in text or "·" in text or "•" in text or "/" in text  # (in every match)
    for m in (list(_HARD.finditer(text)) if hard else []) + [None]:
        end = m.start() if m else len(text)
        if end > pos:
            spans.extend(_language_split(text, lang, pos, end))
        if m:
            pos = m.end()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if s >= e or not text[s:e].strip():
            continue
        if merged and _ends_in_abbreviation(text, *merged[-1]) and text[merged[-1][1]:s].strip() == "":
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged
