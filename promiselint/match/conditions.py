"""Named conditions that rules use in `unless` and `adjust` expressions.

Each takes the match Context and returns a bool.  Most are generic and take
the name of a cue list from `lexicons/<lang>/cues.yaml`, so what counts as a
negation, a hedge, a qualifier or a source is data, not code:

    near("negation", 40)          cue within 40 chars before the match
    before("hedge")               cue ending right before the match
    after("option_noun")          cue starting right after the match
    in_sentence("source")         cue anywhere in the match's sentence
    in_context("region", ...)     cue in the sentence or the next one
    covers("greeting")            a cue phrase overlaps the match itself
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from promiselint.core.document import UI_ROLES, Block, Document
from promiselint.core.lazyre import lazy_compile
from promiselint.core.yamlload import load_yaml
from promiselint.text.normalize import fold

from . import prefilter, regexstore
from .lexicon import concept_cues, expand, union

_CUE_FOLDERS: list = []
# a UI key segment: a whole segment of the key path ("sort", "sort_by", "filters"),
# never a word inside one ("sort-description" is a description)
_UI_SEGMENT = lazy_compile(r"(?:sort|sorting|filter|filters|facets?|order[_-]?by|menu|nav|navigation|breadcrumbs?|btn|button|tabs?)"
                         r"(?:[_-]?(?:by|options?|labels?|names?|titles?|items?|links?))?", re.I)
# a key naming a selling point on a storefront (a feature strip, trust badges, the hero):
# its short texts are copy shown to buyers, not UI labels ("feature_title": "Free delivery")
_STOP = lazy_compile(r"[.!?]")
_SEPARATORS = "|·•›»>/"  # between the items of a menu (see _menu)
_LATIN_WORD = lazy_compile(r"[A-Za-z][\w'-]*")
_SELLING_WORD = lazy_compile(r"features?|usps?|perks?|benefits?|highlights?|trust|hero|announcement|marquee|promo|statistics", re.I)


@dataclass
class Context:
    lang: str
    doc: Document
    block: Block
    norm: str  # normalized block text
    start: int  # match span in norm
    end: int
    sentences: list[tuple[int, int]]
    index: int  # which sentence holds the match
    match: re.Match | None = None
    entry: object = None  # lexicon Entry that matched, if any
    value: dict | None = None  # structured value from a detector
    settings: object = None
    norm_map: object = None  # Mapped: norm -> block text (to read the unfolded text)
    memo: dict = field(default_factory=dict)
    _window: tuple[int, int] | None = None
    shared: dict = field(default_factory=dict)  # facts of the block in this language, one dict for all its matches

    def original(self, start: int, end: int) -> str:
        """Block text (before folding) behind norm[start:end]."""
        if self.norm_map is None:
            return self.norm[start:end]
        a, b = self.norm_map.source_span(start, end)
        return self.block.text.text[a:b]

    @property
    def sentence(self) -> tuple[int, int]:
        """The match's sentence, cut to WINDOW characters on each side of the match
        (at a space), so that what a condition reads is bounded, however long the block."""
        if self._window is None:
            s, e = self.sentences[self.index]
            self._window = _clip(self.norm, s, e, self.start - WINDOW, self.end + WINDOW)
        return self._window

    def sentence_text(self) -> str:
        s, e = self.sentence
        return self.norm[s:e]

    def next_text(self) -> str:
        """The next sentence of the paragraph; after a heading, the paragraph under it."""
        if self.index + 1 < len(self.sentences):
            s, e = self.sentences[self.index + 1]
            return self.norm[s:min(e, s + 2 * WINDOW)]
        if self.block.role in ("heading", "title") and "under" not in self.memo:
            under = _block_under(self.doc, self.block)
            self.memo["under"] = fold(under.text.text[:400], self.lang).text if under else ""
        return self.memo.get("under", "")

    def previous_text(self) -> str:
        """The sentence before the match's (its last 2 * WINDOW characters), or ''."""
        if self.index == 0:
            return ""
        s, e = self.sentences[self.index - 1]
        return self.norm[max(s, e - 2 * WINDOW):e]

    def per_block(self, key, compute):
        """compute() once per block and language (a fact about the whole block, or
        about a window of it that several matches read)."""
        shared = self.shared
        got = shared.get(key, _UNKNOWN)
        if got is _UNKNOWN:
            got = shared[key] = compute()
        return got

    def matched(self) -> str:
        return self.norm[self.start:self.end]


_UNKNOWN = object()
WINDOW = 400  # characters a condition reads on each side of the match, at most
PHRASE = 80  # the longest cue phrase that `covers` looks for around the match


def _clip(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """[s, e) narrowed to [lo, hi), widened to whole words at a cut."""
    if lo > s:
        space = text.find(" ", lo, hi)
        s = space + 1 if space >= 0 else lo
    if hi < e:
        space = text.rfind(" ", s, hi)
        e = space if space > s else hi
    return s, e


def _per_doc(doc: Document, key, compute):
    """compute() once per document (indexes that conditions share across matches)."""
    memo = doc.memo
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _block_under(doc: Document, block: Block) -> Block | None:
    """The first block after `block` that is not a heading, title, meta or alt text."""
    def index() -> tuple[dict, list]:
        blocks = doc.blocks
        under: list = [None] * (len(blocks) + 1)
        for k in range(len(blocks) - 1, -1, -1):
            b = blocks[k + 1] if k + 1 < len(blocks) else None
            under[k] = b if b is not None and b.role not in ("heading", "title", "meta", "alt") else under[k + 1]
        return {id(b): k for k, b in enumerate(blocks)}, under

    position, under = _per_doc(doc, "under", index)
    k = position.get(id(block))
    return under[k] if k is not None else None


def set_cue_folders(folders: list) -> None:
    _CUE_FOLDERS[:] = folders
    _FOUND.clear()
    _held[0] = 0
    cue.cache_clear()
    _guarded.cache_clear()
    _cue_at_end.cache_clear()
    _cue_lists.cache_clear()
    _sources.clear()


@lru_cache(maxsize=None)
def _cue_lists(folder, lang: str) -> dict:
    """The cue lists of one folder's `lang/cues.yaml` (parsed once per process)."""
    path = folder / lang / "cues.yaml"
    return (load_yaml(path) or {}) if path.is_file() else {}


@lru_cache(maxsize=None)
def cue(lang: str, name: str) -> re.Pattern:
    """Compiled alternation of the cue list `name` for `lang`."""
    source = kept_sources().get(f"{lang} {name}")
    return regexstore.compile(source if source is not None else _cue_source(_CUE_FOLDERS, lang, name))


def kept_sources() -> dict:
    """"lang name" -> the source of every cue list, as an earlier run built them (packs.kept_data;
    {} when none are kept, and then they are kept at the end of this run)."""
    if not _sources:
        from .packs import kept_data

        folders = list(_CUE_FOLDERS)
        _sources["kept"] = kept_data("cues", folders, lambda: cue_sources(folders), _checked_sources) or {}
    return _sources["kept"]


_sources: dict = {}  # "kept": "lang name" -> the source of that cue list, kept by an earlier run
_built = [0]  # cue lists' sources built from their items in this process (tests count them)


def sources_built() -> int:
    """How many cue lists' sources this process has built from their items."""
    return _built[0]


def _cue_source(folders: list, lang: str, name: str) -> str:
    """The regex source of the cue list `name` for `lang`: its items in these folders'
    cues.yaml, expanded, and the concepts that realize it."""
    _built[0] += 1
    parts = []
    for folder in folders:
        for item in _cue_lists(folder, lang).get(name) or []:
            if isinstance(item, dict):
                parts.append(expand(str(item["regex"]), "regex", lang))
            else:
                parts.append(expand(str(item), "phrase", lang))
    parts += concept_cues(folders, lang, name)  # contexts the table of concepts defines
    return union(parts)


def cue_sources(folders: list) -> dict:
    """"lang name" -> the source of every cue list the folders define (to keep for later runs)."""
    from .lexicon import load_concepts

    langs = ("ar", "fa", "en")
    names = {str(n) for folder in folders for lang in langs for n in _cue_lists(folder, lang)}
    names |= {str(c["cue"]) for c in load_concepts(folders) if c.get("cue")}
    out = {}
    for lang in langs:  # (a list one language lacks is named by rules of all three: empty there)
        for name in sorted(names):
            try:
                out[f"{lang} {name}"] = _cue_source(folders, lang, name)
            except Exception:  # noqa: BLE001 - a list no rule names may be malformed: built (and reported) on use
                continue
    return out


def _checked_sources(data: dict) -> dict:
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise TypeError("not cue sources")
    return data


# What a cue search found, by (lang, cue, how, text): the candidates of one sentence
# read the same sentence, and copy repeats its sentences (a regex search costs
# microseconds, a lookup a fraction of one).  Forgotten all at once when full.
_FOUND: dict = {}
_FOUND_CHARS = 150_000  # characters of the texts remembered, at most, each entry counted 100 more (~0.3 MB)
_held = [0]  # characters of the texts remembered now


def _found(lang: str, name: str, text: str, how: str = "first"):
    """Cue `name` in `text`: "first": where its first match starts (-1: none); "end":
    the same for the cue ending the text (see before()); "all": the spans of its
    matches; "sub": the text with each match replaced by a space."""
    key = (lang, name, how, text)
    got = _FOUND.get(key)
    if got is None:
        if _held[0] >= _FOUND_CHARS:
            _FOUND.clear()
            _held[0] = 0
        _held[0] += 100 + (2 * len(text) if how == "sub" else len(text))
        got = _FOUND[key] = _run(lang, name, text, how)
    return got


def _run(lang: str, name: str, text: str, how: str):
    guarded = _guarded(lang, name)
    if guarded is not None and guarded.absent(text):
        return text if how == "sub" else () if how == "all" else -1
    if how == "all":
        return tuple(m.span() for m in cue(lang, name).finditer(text))
    if how == "sub":
        return cue(lang, name).sub(" ", text)
    m = (_cue_at_end if how == "end" else cue)(lang, name).search(text)
    return -1 if m is None else m.start()


CUE_WARMUP = 50_000  # characters a cue list scans before its anchors are derived (see _guarded)


@lru_cache(maxsize=None)
def _guarded(lang: str, name: str) -> prefilter.Guarded | None:
    """The cue list's anchors (prefilter.Guarded): a text without one cannot hold a
    match.  Deriving them costs about what compiling the cue does (a few pages'
    conditions), so they are derived once the cue has scanned CUE_WARMUP
    characters (a long run), or at once when an earlier run kept them or in a
    service (prefilter.forced); None: the prefilter is off."""
    if prefilter.warmup() is None:
        return None
    regex = cue(lang, name)
    return prefilter.Guarded(regex, 0 if prefilter.forced() or prefilter.known(regex) else CUE_WARMUP)


def _search(ctx: Context, name: str, text: str) -> bool:
    got = _FOUND.get((ctx.lang, name, "first", text))
    return (got if got is not None else _found(ctx.lang, name, text)) >= 0


def _any(ctx: Context, names, text: str) -> bool:
    """Some cue of `names` occurs in `text` (in order, stopping at the first)."""
    lang = ctx.lang
    for name in names:
        got = _FOUND.get((lang, name, "first", text))
        if (got if got is not None else _found(lang, name, text)) >= 0:
            return True
    return False


# -- where the match sits -------------------------------------------------
def in_role(ctx: Context, *roles: str) -> bool:
    return ctx.block.role in roles


def ui_element(ctx: Context) -> bool:
    """A UI element by role or key: an option, nav or button, a sort/filter key
    (a stock-counter string in a locale table is not one: it is shown as copy)."""
    return ctx.block.role in UI_ROLES or bool(
        ctx.block.key and any(_UI_SEGMENT.fullmatch(seg) for seg in _key_segments(ctx.block.key)))


def ui_label(ctx: Context) -> bool:
    """UI text: options, nav, buttons, breadcrumbs, sort/filter labels, menus."""
    if ui_element(ctx):
        return True
    if ctx.block.role == "string" and _words(ctx) <= 3 and not ctx.per_block(
            "stops", lambda: _STOP.search(ctx.norm) is not None) and not selling_point(ctx):
        return True  # a bare label in a locale table ("Best seller", «الأكثر مبيعاً»)
    return ui_prefixed(ctx) or ctx.per_block("menu", lambda: _menu(ctx.norm))


def ui_prefixed(ctx: Context) -> bool:
    """A short control that opens its line with a UI verb: "Sort by: best selling",
    "Shop Eco-Friendly", «فیلتر: بیشترین امتیاز» (not "show" mid-sentence)."""
    s, e = ctx.sentence
    if _STOP.search(ctx.norm[ctx.end:e].split("\n", 1)[0]):
        return False  # a control is not a sentence ("Shop our award-winning oil.")
    head = ctx.norm[max(0, s - 40):ctx.start]
    for start, end in _found(ctx.lang, "ui_prefix", head, "all"):
        lead = head[:start].rstrip(" \t")  # (an indented line opens with its first word)
        if (not lead.strip() or lead[-1] in "\n|:.•·>") and (len(head[end:].split()) <= 4
                                                              or _option_lines(head[end:])):
            return True
    return False


def selling_point(ctx: Context) -> bool:
    """The string fills a selling-point slot of a theme (features, trust badges, hero):
    `store-features-1.feature_101.feature_title` is copy, however short."""
    return bool(ctx.block.key) and any(
        _SELLING_WORD.fullmatch(word) for seg in _key_segments(ctx.block.key) for word in re.split(r"[_-]", seg))


def _option_lines(text: str) -> bool:
    """After "Sort by:" one option a line: every line so far is a short item
    («مرتب سازی بر اساس:⏎ • کمترین قیمت⏎ • بیشترین قیمت»)."""
    lines = text.split("\n")
    return len(lines) > 1 and not lines[0].strip(" :") and all(len(x.strip(" \t•·*-").split()) <= 4 for x in lines)


def _key_segments(key: str) -> list[str]:
    """The segments of a key path: `shop.sort_by`, `a[0].filters`, `products/sort`."""
    return [seg for seg in re.split(r"[.\[\]/:\s]+", key) if seg]


def _menu(text: str) -> bool:
    """The block is a row of three or more short items between separators (a menu),
    not a bulleted list of features: a bullet that opens a line or follows a line
    break opens an item, and an item that ends a sentence is copy."""
    if sum(map(text.count, _SEPARATORS)) < 2:
        return False  # (fewer than three items: what follows only drops separators)
    text = re.sub(r"<br\s*/?>", "\n", text.strip())
    text = re.sub(r"<[^<>\n]{0,200}>", " ", text)  # markup left in a field is not a separator
    text = re.sub(r"(?m)^[ \t]*[•·*-][ \t]*", "", text)
    items = [i for i in re.split(r"\s*[|·•›»>/]\s*", text) if i]
    return (len(items) >= 3 and all(len(i.split()) <= 5 for i in items)
            and not any(i.endswith((".", "!", "?")) for i in items))


def _words(ctx: Context) -> int:
    """Number of words in the block."""
    return ctx.per_block("words", lambda: len(ctx.norm.split()))


def label_colon(ctx: Context, max_words: float = 6) -> bool:
    """The match is in a short label before a colon: 'Fastest option: DPD...'
    (not "the toughest on the market: our sleeve", which ranks against others)."""
    s, e = ctx.sentence
    colon = ctx.norm.find(":", ctx.end, e)
    if colon < 0 or ctx.norm[ctx.end:colon].count(",") or "\n" in ctx.norm[s:colon]:
        return False
    label = ctx.norm[s:colon]
    return len(label.split()) <= max_words and not _search(ctx, "market_scope", label)


def comparative(ctx: Context) -> bool:
    """An Arabic elative used as a comparative adjective: indefinite, after a noun,
    closing its phrase («وصول أسرع»، «منزلي أجمل»), or «المقاس الأكبر» after a spec noun."""
    if ctx.lang != "ar" or " " in ctx.matched().strip():
        return False  # a construct («بأقل سعر») is a superlative
    word = re.sub(r"^[وف]", "", ctx.matched())
    s, e = ctx.sentence
    head = ctx.norm[s:ctx.start].split()
    if not head or word.startswith(("ب", "ك", "لا")) and not word.startswith(("بال", "كال")):
        return False  # «بأفضل»، «كالأسرع», «للأفضل»: a preposition makes it a noun phrase
    if word.startswith(("ال", "لل", "بال", "كال")):
        return bool(re.search(r"(?:^|\s)(?:ال)?(?:مقاس|حجم|لون|خيار|موديل|اصدار|نسخه|طبعه|تركيبه)$", ctx.norm[s:ctx.start].rstrip()))
    tail = ctx.norm[ctx.end:e]
    return bool(re.match(r"\s*(?:$|[.,!?:;)»\"]|و\S|لل\S|لا\S|(?:في|على|الى|عند|مع)\s)", tail))


def short_block(ctx: Context, max_words: float = 4) -> bool:
    """The whole block is at most `max_words` words (a heading, a label, a badge)."""
    return _words(ctx) <= max_words


def proper_name(ctx: Context) -> bool:
    """Part of a capitalised name in English copy ("the Best Western Plus"),
    not a title-case headline."""
    if ctx.lang != "en":
        return False
    s, e = ctx.sentence
    original = ctx.original(s, e)
    words = _LATIN_WORD.findall(original)
    if not words or sum(w[0].isupper() for w in words) > 0.5 * len(words):
        return False
    shown = ctx.original(ctx.start, ctx.end)
    before = ctx.original(s, ctx.start).strip()
    after = ctx.original(ctx.end, e).lstrip()
    return bool(shown[:1].isupper() and not shown.isupper()  # ALL CAPS is emphasis, not a name
                and before and not before.endswith((":", ".", "!", "?", "|")) and after[:1].isupper())


def in_key(ctx: Context, *words: str) -> bool:
    """The block's key path (locale key, CSV column, front matter field) names one of `words`."""
    return bool(words) and _key_words(words).search((ctx.block.key or "").lower()) is not None


@lru_cache(maxsize=256)
def _key_words(words: tuple) -> re.Pattern:
    """One of `words` opening the key or a segment of it."""
    return re.compile("(?:^|[._\\-\\[\\s])(?:" + "|".join(map(re.escape, words)) + ")")


def in_link_label(ctx: Context, max_words: float = 4) -> bool:
    """The match is the text of a short link (a nav or collection link)."""
    if ctx.norm_map is None or not ctx.doc.links:
        return False  # (without links there is no short one)
    a, b = ctx.norm_map.source_span(ctx.start, ctx.end)
    fa, fb = ctx.block.text.source_span(a, b)

    def short_links() -> tuple[list[int], list[int]]:  # starts, and the furthest end so far
        spans = sorted((link.start, link.end) for link in ctx.doc.links if len(link.text.split()) <= max_words)
        reach, furthest = [], -1
        for _, end in spans:
            furthest = max(furthest, end)
            reach.append(furthest)
        return [start for start, _ in spans], reach

    starts, reach = _per_doc(ctx.doc, ("short_links", max_words), short_links)
    i = bisect_right(starts, fa)
    return i > 0 and reach[i - 1] >= fb


_WRAPPED = lazy_compile(r"\n(?![\s\-*•#|])([^\n.!?:]{1,120}[.!?])")


def question(ctx: Context) -> bool:
    """The match is in a question, also one hard-wrapped over the next line
    ("…Where can you find the best\nkind of this honey?")."""
    s, e = ctx.sentence
    rest = ctx.norm[ctx.end:e]
    if "?" in rest or ctx.norm[s:e].rstrip().endswith("?"):
        return True
    line_start = ctx.norm.rfind("\n", max(0, e - 50), ctx.start) + 1  # (only a line start within 50 counts)
    if ctx.norm[e:e + 1] != "\n" or e - line_start < 50 or re.search(r"[.!?:]\s*$", ctx.norm[s:e]):
        return False  # a short line (a heading, a label) is not wrapped prose
    m = _WRAPPED.match(ctx.norm, e)
    return bool(m and m.group(1).endswith("?"))


def quoted(ctx: Context) -> bool:
    """Inside quotation marks (« », “ ”, " ")."""
    before = ctx.norm[max(0, ctx.start - WINDOW):ctx.start]
    after = ctx.norm[ctx.end:ctx.end + WINDOW]
    for open_, close in (("«", "»"), ('"', '"'), ("„", '"')):
        o = before.rfind(open_)
        if o >= 0 and before.rfind(close, o + 1) < 0 and close in after:
            return True
    return False


_SHORT_QUOTE = lazy_compile(r'"[^"\n]{1,60}"|«[^«»\n]{1,60}»|“[^“”\n]{1,60}”')


def quoted_name(ctx: Context, max_words: float = 5) -> bool:
    """The match is a short quotation in its sentence, a name or label being
    mentioned (marked “Express”, the «شحن سريع» service), not said by the seller."""
    s, e = ctx.sentence
    return any(m.start() < ctx.start and ctx.end < m.end() and len(m.group().split()) <= max_words
               for m in _SHORT_QUOTE.finditer(ctx.norm, s, e))


# -- cues around the match ------------------------------------------------
def near(ctx: Context, name: str, chars: float = 40) -> bool:
    s, _ = ctx.sentence
    return _search(ctx, name, ctx.norm[max(s, ctx.start - int(chars)):ctx.start])


@lru_cache(maxsize=None)
def _cue_at_end(lang: str, name: str) -> re.Pattern:
    """The cue list `name` ending the text (one trailing character allowed), whichever
    alternative ends there: "one of the world's " ends with the longer hedge."""
    return regexstore.compile(f"(?:{cue(lang, name).pattern})(?:.|\n)?\\Z")


def before(ctx: Context, name: str) -> bool:
    s, _ = ctx.sentence
    head = ctx.norm[max(s, ctx.start - 40):ctx.start]
    got = _FOUND.get((ctx.lang, name, "end", head))
    return (got if got is not None else _found(ctx.lang, name, head, "end")) >= 0


def after(ctx: Context, name: str, chars: float = 2) -> bool:
    _, e = ctx.sentence
    return 0 <= _found(ctx.lang, name, ctx.norm[ctx.end:e]) <= int(chars)


def around(ctx: Context, name: str, chars: float = 60) -> bool:
    """Cue within `chars` either side of the match in its sentence (what a verb acts
    on: "removes wrinkles from shirts"), not a name further off ("Garden of Wisdom")."""
    s, e = ctx.sentence
    return _search(ctx, name, ctx.norm[max(s, ctx.start - int(chars)):min(e, ctx.end + int(chars))])


def following(ctx: Context, name: str, chars: float = 40) -> bool:
    _, e = ctx.sentence
    return _search(ctx, name, ctx.norm[ctx.end:min(e, ctx.end + int(chars))])


def opens_sentence(ctx: Context, name: str) -> bool:
    """The sentence begins with the cue and the match lies inside it ("For best results, ...")."""
    s, _ = ctx.sentence
    while s < len(ctx.norm) and ctx.norm[s] in " \t\"'«(":
        s += 1
    m = cue(ctx.lang, name).match(ctx.norm, s)  # (anchored: no anchor scan to the block's end first)
    return m is not None and m.start() <= ctx.start < m.end()


def in_sentence(ctx: Context, *names: str) -> bool:
    text = ctx.sentence_text()
    return _any(ctx, names, text)


def in_block(ctx: Context, *names: str) -> bool:
    """Cue anywhere in the block (a short message: "Thanks for rating! ... the best")."""
    return any(ctx.per_block(("cue", n), lambda n=n: _search(ctx, n, ctx.norm)) for n in names)


def in_context(ctx: Context, *names: str) -> bool:
    """Cue in the match's sentence or the next sentence of the same paragraph."""
    text = ctx.sentence_text() + " \n " + ctx.next_text()
    return _any(ctx, names, text)


def cited(ctx: Context) -> bool:
    """A cited source with a date: a source cue ("according to", "Source:",
    «بحسب», «به استناد») and a year or month around the claim, from the sentence
    before to two sentences after (a citation line: "Source: Which?, May 2026").
    Bare words ("award", "rated", "reviews", "study") are not evidence."""
    after = [ctx.norm[s:min(e, s + 2 * WINDOW)] for s, e in ctx.sentences[ctx.index + 1:ctx.index + 3]]
    if ctx.index + 3 >= len(ctx.sentences):
        after.append(ctx.next_text())
    text = " \n ".join([ctx.previous_text(), ctx.sentence_text(), *after])
    return _search(ctx, "source", text) and _search(ctx, "date", text)


def covers(ctx: Context, name: str) -> bool:
    """A cue phrase (an idiom such as 'best regards') overlaps the match."""
    s, e = ctx.sentence
    s, e = _clip(ctx.norm, s, e, ctx.start - PHRASE, ctx.end + PHRASE)  # phrases are short
    guarded = _guarded(ctx.lang, name)
    if guarded is not None and guarded.absent(ctx.norm, s, e):
        return False
    return any(m.start() < ctx.end and m.end() > ctx.start for m in cue(ctx.lang, name).finditer(ctx.norm, s, e))


def entry_has(ctx: Context, key: str) -> bool:
    """The lexicon entry that matched carries `key` (e.g. `spec: true`)."""
    return bool(ctx.entry is not None and ctx.entry.data.get(key))


def dated(ctx: Context) -> bool:
    """A year or month name in the sentence or the next one."""
    return in_context(ctx, "date")


_MARKER = lazy_compile(r"[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+|\[\^?\d+\]")


def footnote(ctx: Context) -> bool:
    """A footnote marker after the match in its sentence (*, †, ¹, [^1]) whose
    footnote text (a block or line starting with the marker, outside the match's
    block) is in the document."""
    _, e = ctx.sentence
    tail = ctx.original(ctx.end, min(len(ctx.norm), e + 2)) if e > ctx.end else ""
    if not _MARKER.search(tail):
        return False
    a, b = ctx.block.text.source_span(0, len(ctx.block.text.text))
    for m in _MARKER.finditer(tail):
        marker = m.group().replace("[^", "[")
        first, last = _per_doc(ctx.doc, ("footnote", marker), lambda: _footnote_reach(ctx.doc, marker))
        if first < a or last > b:  # a footnote text lies outside this block
            return True
    return False


def _footnote_texts(doc: Document) -> dict[str, list[tuple[int, int, int]]]:
    """Lines of blocks (a footnote block, or a line of one: "*prices…<br>**after…") and
    lines of the file that start with a marker: leading marker -> [(length, start, end)]."""
    index: dict[str, list[tuple[int, int, int]]] = {}

    def add(text: str, start: int, end: int) -> None:
        m = _MARKER.match(text)
        if m:
            index.setdefault(m.group(), []).append((len(text), start, end))

    for blk in doc.blocks:
        text, start = blk.text.text, 0
        for line in text.split("\n"):
            if _MARKER.match(line.lstrip().replace("[^", "[")):
                a, b = blk.text.source_span(start, start + len(line))
                add(line.lstrip().replace("[^", "["), a, b)
            start += len(line) + 1
    pos = 0
    for line in doc.text.splitlines(keepends=True):
        add(line.strip().lstrip("\\").replace("[^", "["), pos, pos + len(line.rstrip("\r\n")))
        pos += len(line)
    return index


def _footnote_reach(doc: Document, marker: str) -> tuple[float, float]:
    """(first start, last end) of the footnote texts for `marker`; (inf, -inf) if none."""
    index = _per_doc(doc, "footnotes", lambda: _footnote_texts(doc))
    spans = [(s, e) for lead, texts in index.items() if lead.startswith(marker)
             for length, s, e in texts if length > len(marker) + 3]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (float("inf"), float("-inf"))


def persian_noun(ctx: Context) -> bool:
    """A ‑ترین word that hazm's lexicon knows only as a noun (ویترین, کاترین)."""
    from promiselint.text.sentences import persian_tarin_nouns

    word = ctx.matched().strip()
    return ctx.lang == "fa" and (word in persian_tarin_nouns() or word.replace(" ", "") in persian_tarin_nouns())


def policy_link(ctx: Context) -> bool:
    """A link to a shipping, returns or terms policy in the same block as the claim
    ("Free returns — <a href="/policies/refund-policy">details</a>")."""
    if ctx.norm_map is None or not ctx.doc.links:
        return False
    return ctx.per_block("policy_link", lambda: _policy_link(ctx))


def _policy_link(ctx: Context) -> bool:
    start, end = ctx.block.text.source_span(0, len(ctx.block.text.text))
    pattern = cue("en", "policy_href")
    links = _per_doc(ctx.doc, "links_by_start", lambda: sorted(ctx.doc.links, key=lambda link: link.start))
    starts = _per_doc(ctx.doc, "link_starts", lambda: [link.start for link in links])
    return any(pattern.search(link.href.lower()) or _search(ctx, "policy_link", fold(link.text, ctx.lang).text)
               for link in links[bisect_left(starts, start):bisect_left(starts, end + 200)])


ENTRY_CHARS = 600  # a field, FAQ answer or product blurb up to this size is read whole


def _block_index(doc: Document) -> dict[int, int]:
    """id(block) -> its position in the document, built once per document."""
    return _per_doc(doc, "block_index", lambda: {id(b): k for k, b in enumerate(doc.blocks)})


_ITEM_KEY = lazy_compile(r"^(.*[.\[])(\d+)\]?$")


def _next_item_text(ctx: Context) -> str:
    """The next item of the same list in a JSON or locale file (`text_lines.2` ->
    `text_lines.3`): a heading line and the line that qualifies it."""
    m = _ITEM_KEY.match(ctx.block.key or "")
    if not m or "item" in ctx.memo:
        return ctx.memo.get("item", "")
    want = f"{m.group(1)}{int(m.group(2)) + 1}"
    blocks = ctx.doc.blocks
    i = _block_index(ctx.doc).get(id(ctx.block), len(blocks))
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    ok = nxt is not None and (nxt.key or "").rstrip("]") == want
    ctx.memo["item"] = fold(nxt.text.text[:ENTRY_CHARS], ctx.lang).text if ok else ""
    return ctx.memo["item"]


BADGE_WORDS = 12  # a block this short is a badge or a checklist of a card
CARD_CHARS = 250  # ...and reads with the blocks just before it in the file (its card)


def _card_text(ctx: Context) -> str:
    """A badge's card: the blocks that end within CARD_CHARS of the file before it
    ("Subscribe & Save · Auto-delivery every 30 days · ✓ Free shipping")."""
    if len(ctx.norm.split()) > BADGE_WORDS or "card" in ctx.memo:
        return ctx.memo.get("card", "")
    blocks = ctx.doc.blocks
    i = _block_index(ctx.doc).get(id(ctx.block), 0)
    start, _ = ctx.block.text.source_span(0, len(ctx.block.text.text))
    texts = []
    for blk in reversed(blocks[max(0, i - 4):i]):
        a, b = blk.text.source_span(0, len(blk.text.text))
        if b > start or start - b > CARD_CHARS or blk.role in ("heading", "title", "meta", "alt"):
            break
        texts.append(blk.text.text[:ENTRY_CHARS])
        start = a
    ctx.memo["card"] = fold(" \n ".join(reversed(texts)), ctx.lang).text if texts else ""
    return ctx.memo["card"]


def entry_text(ctx: Context) -> str:
    """The entry the claim belongs to: the whole block when it is a short field,
    FAQ answer or product blurb (with the next item of its list, or the paragraph
    under a heading, or for a badge the card it sits in), else the claim's
    sentence and the next one."""
    if len(ctx.norm) <= ENTRY_CHARS:
        after = ctx.next_text() if ctx.block.role in ("heading", "title") else _next_item_text(ctx)
        return _card_text(ctx) + " \n " + ctx.norm + " \n " + after
    return ctx.sentence_text() + " \n " + ctx.next_text()


def _context_without_universal(ctx: Context) -> str:
    return _found(ctx.lang, "universal", entry_text(ctx), "sub")


def bounded(ctx: Context) -> bool:
    """A cut-off, region, threshold, estimate word or terms bound the promise
    anywhere in its entry (see entry_text); "all orders", "anywhere" do not."""
    text = _context_without_universal(ctx)
    return _any(ctx, ("cutoff", "region", "threshold", "estimate", "terms"), text)


def bounded_terms(ctx: Context) -> bool:
    """A guarantee with a period, a scope or terms (not "lifetime", "forever")."""
    text = _context_without_universal(ctx)
    return _any(ctx, ("period", "defect_scope", "terms"), text)


# -- named contexts: what is not a claim about the seller's offer ------------
# Every rule reads the same contexts; their cue lists live in
# lexicons/<lang>/cues.yaml and lexicons/concepts.yaml, so a context is
# extended for all rules and all languages at once.
def negated(ctx: Context, chars: float = 40) -> bool:
    """The claim is denied: "we don't claim to be the fastest", «لا نضمن», «ادعا نمی‌کنیم»."""
    return near(ctx, "negation", chars) or following(ctx, "negation_after", 40)


def idiom(ctx: Context) -> bool:
    """An idiom or salutation: "best regards", "the best of both worlds", «على أحسن حال»."""
    return covers(ctx, "greeting") or covers(ctx, "idiom")


def advice(ctx: Context) -> bool:
    """Suitability and advice for the reader: "best for oily skin", "for the best fit",
    «للحصول على أفضل ثبات», «برای بهترین نتیجه»."""
    return covers(ctx, "suitability") or covers(ctx, "care") or opens_sentence(ctx, "care_start")


_CLAUSE_BREAK = lazy_compile(r"\s[-–—]\s|[;؛]")


def clause(ctx: Context) -> tuple[int, int]:
    """The clause of the sentence that holds the match: a dash or semicolon
    between two clauses ("choose a payment method - 100% secure") ends it."""
    s, e = ctx.sentence
    for m in _CLAUSE_BREAK.finditer(ctx.norm, s, e):
        if m.end() <= ctx.start:
            s = m.end()
        elif m.start() >= ctx.end:
            return s, m.start()
    return s, e


def reader_choice(ctx: Context) -> bool:
    """The reader's choice among the store's own options, in the match's clause:
    "choose the fastest shipping option", «اختاري المقاس الأنسب», «گزینه سریع‌ترین
    ارسال را انتخاب کنید» (not "choose a payment method - 100% secure")."""
    s, e = clause(ctx)
    text = ctx.norm[s:e]
    if e == ctx.sentence[1] and len(text.split()) <= 8:  # a short line, then what it means
        text += " \n " + ctx.next_text()                  # ("+ cheapest ticket. Total follows your pick.")
    return (_search(ctx, "advice", ctx.norm[max(s, ctx.start - 25):ctx.start]) or before(ctx, "option_before")
            or _search(ctx, "choice", text)
            or (ctx.lang == "fa" and _search(ctx, "advice", ctx.norm[ctx.end:min(e, ctx.end + 40)])))  # verb last


def own_range(ctx: Context) -> bool:
    """Scoped to the store's own range: "our most popular scent", «الأكثر طلباً في متجرنا»."""
    return in_sentence(ctx, "own_scope") and not in_sentence(ctx, "market_scope")


def price_badge(ctx: Context) -> bool:
    """A price-history statement or badge: "lowest price in the last 30 days"."""
    return in_context(ctx, "price_history")


def courtesy(ctx: Context) -> bool:
    """Thanks and wishes: "we wish you the best", «نتمنى لكم أفضل الأوقات»."""
    return in_sentence(ctx, "wish") or (short_block(ctx, 30) and in_block(ctx, "thanks"))


def ensuring(ctx: Context) -> bool:
    """«ضمان / تضمین» as "ensuring" (to ensure it arrives intact), not a warranty."""
    return covers(ctx, "ensuring")


def duty(ctx: Context) -> bool:
    """"Immediately", «فوراً», «فوری» as the customer's duty or an instruction:
    "report damage immediately", «يرجى إبلاغنا فوراً»."""
    return in_sentence(ctx, "duty")


def not_a_claim(ctx: Context) -> bool:
    """Words that are not a claim about the seller's offer: UI labels and short
    link texts, questions, idioms, advice, the reader's choice, price history."""
    return (ui_label(ctx) or in_link_label(ctx) or question(ctx) or idiom(ctx) or advice(ctx)
            or reader_choice(ctx) or price_badge(ctx) or courtesy(ctx))


def not_a_superlative(ctx: Context) -> bool:
    """The word has the superlative's form but not its function: a temporal word
    (latest, «أحدث»), a noun (ویترین), a range ("low to high"), an Arabic
    comparative, a name, a measured value ("highest setting: 230°C")."""
    return (covers(ctx, "temporal") or covers(ctx, "nouns") or persian_noun(ctx) or covers(ctx, "range")
            or comparative(ctx) or proper_name(ctx) or after(ctx, "quantity", 1) or after(ctx, "number_after", 1))


def supported(ctx: Context) -> bool:
    """The copy supports the claim: a dated source, a footnote whose text exists,
    or the claims registry."""
    return cited(ctx) or footnote(ctx) or registered(ctx)


def registered(ctx: Context) -> bool:
    """The claims registry vouches for this claim (valid evidence)."""
    registry = getattr(ctx.settings, "registry", None)
    if not registry:
        return False
    s, e = ctx.sentence  # the registry reads the match's sentence, not the whole block
    window = Context(ctx.lang, ctx.doc, ctx.block, ctx.norm[s:e], ctx.start - s, ctx.end - s,
                     [(0, e - s)], 0, ctx.match, ctx.entry, ctx.value, ctx.settings)
    return bool(registry.vouches(window))


FUNCTIONS = {f.__name__: f for f in (
    in_role, ui_element, ui_label, ui_prefixed, selling_point, label_colon, comparative, short_block, proper_name, in_key, in_link_label, question, quoted, quoted_name, near, before, after, following, around, in_sentence,
    in_context, in_block, opens_sentence, cited, covers, entry_has, dated, footnote, persian_noun, bounded, bounded_terms, policy_link, registered,
    negated, idiom, advice, reader_choice, own_range, price_badge, courtesy, ensuring, duty, not_a_claim,
    not_a_superlative, supported)}
