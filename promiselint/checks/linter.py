"""The linter: Document -> findings, in one direction.

For every block: pick its languages, fold it to matching form, run each
rule's compiled pattern, and only around a candidate build the context
(sentences from the language analyzer) that the rule's conditions read.
Spans are mapped back through the normalizer and the parser to the file.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from pathlib import Path

from promiselint.core.data import data_dir
from promiselint.core.document import Block, Document
from promiselint.core.findings import Finding, locate, severity_rank
from promiselint.core.lazyre import lazy_compile
from promiselint.core.settings import Settings, selected
from promiselint.match.conditions import FUNCTIONS, Context, set_cue_folders
from promiselint.match.detectors import DETECTORS, NEED_REGISTRY
from promiselint.match.matcher import Matcher
from promiselint.match.packs import LexiconStore, Rule, load_packs
from promiselint.text import language
from promiselint.text.normalize import folded
from promiselint.text.sentences import sentences as split_sentences

from .replacement import drop_in


class Linter:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        folders = self.settings.lexicon_folders + [data_dir("lexicons")]
        set_cue_folders(folders)
        store = LexiconStore(folders)
        packs = sorted(data_dir("rules").glob("*.yaml")) + list(self.settings.packs)
        rules: list[Rule] = load_packs([Path(pack) for pack in packs], store, FUNCTIONS)
        self.all_rules = rules
        self.rules = [r for r in rules if self.enabled(r.id)]
        self.block_rules = [r for r in self.rules if r.detector != "page"]
        # one scan of a block names the rules that can match it (matcher.py)
        from promiselint.match.prefilter import warmup

        self._budget = warmup()
        self.matchers: dict[str, Matcher] = {}  # lang -> its rules' Matcher (see matcher())
        self._seen_languages: dict = {}  # (short text, declared, hint) -> block_languages() (nav, footer repeat)
        self._entries: dict = {}  # (id of a lexicon, matched text) -> its entry (see _entry_for)
        self._overrides: dict = {}  # rule id -> severity_override()
        self._suggestions: dict = {}  # (id of a rule, lang, no safer wording) -> _suggestion()

    def matcher(self, lang: str) -> Matcher:
        """The block rules of `lang` with their combined prefilter (made on first use)."""
        m = self.matchers.get(lang)
        if m is None:
            m = self.matchers[lang] = Matcher(self.block_rules, lang, self._budget)
        return m

    def prepare(self, langs=("ar", "fa", "en")) -> "Linter":
        """Build the matchers of `langs` now (before worker processes fork, so
        that they share them instead of each deriving them again)."""
        for lang in langs:
            m = self.matcher(lang)
            if m.budget is not None:
                m.build()
        return self

    def enabled(self, rule_id: str) -> bool:
        s = self.settings
        if s.select and not selected(rule_id, s.select):
            return False
        if s.ignore and selected(rule_id, s.ignore):
            return False
        return self.severity_override(rule_id) != "off"

    def severity_override(self, rule_id: str) -> str | None:
        best = None
        for key, sev in self.settings.severity.items():
            if selected(rule_id, [key]) and (best is None or len(key) > len(best[0])):
                best = (key, sev)
        return best[1] if best else None

    # -- claims -------------------------------------------------------------
    def lint(self, doc: Document) -> list[Finding]:
        findings: list[Finding] = []
        hint = self.script_language(doc)
        for block in doc.blocks:
            findings.extend(self.lint_block(doc, block, hint))
        if (self.settings.disclosures and (doc.is_page or self.settings.page_types)
                and self.enabled_prefix("disclosure")):
            from .disclosure_findings import disclosure_findings

            findings.extend(disclosure_findings(self, doc))
        findings = _dedupe(self._yield(findings))
        locate(doc.text, findings)
        from .suppress import apply_suppressions

        return apply_suppressions(doc, findings, self.all_rules)

    @cached_property
    def _yields(self) -> tuple[dict, set]:
        """(rule id -> the ids it yields to, for the rules that yield; every id yielded to)."""
        yields = {r.id: set(r.yields_to) for r in self.rules if r.yields_to}
        return yields, set().union(*yields.values())

    def _yield(self, findings: list[Finding]) -> list[Finding]:
        """Drop a finding when a rule it `yields_to` reports an overlapping span."""
        yields, targets = self._yields
        if not yields:
            return findings
        by_rule: dict[str, list[Finding]] = {rule: [] for rule in targets}
        for f in findings:
            if f.rule in by_rule:
                by_rule[f.rule].append(f)
        spans = {rule: _Spans(found) for rule, found in by_rule.items()}
        return [f for f in findings if not any(
            spans[rule].overlaps(f.offset, f.end_offset) for rule in yields.get(f.rule, ()))]

    @cached_property
    def _prefixes(self) -> frozenset:
        """Every dotted prefix of an enabled rule's id ("claim" of "claim.health")."""
        return frozenset(r.id[:i] for r in self.rules for i, c in enumerate(r.id) if c == ".")

    def enabled_prefix(self, prefix: str) -> bool:
        return prefix in self._prefixes

    def script_language(self, doc: Document) -> str | None:
        """The document's Arabic-script language: declared, else detected over all
        its blocks (a short block with no telling letters follows its page)."""
        declared = self.settings.lang or doc.lang
        if declared in ("ar", "fa"):
            return declared
        texts = [b.text.text for b in doc.blocks[:200]]
        if not language.has_arabic_script(" ".join(texts)):  # (one scan for a page without any)
            return None
        sample = " ".join(t for t in texts if language.has_arabic_script(t))
        return language.detect(sample[:20000]) if sample else None

    def block_languages(self, doc: Document, block: Block, hint: str | None = None
                        ) -> list[tuple[str, list | None]]:
        """(language, line spans it owns or None for the whole block).

        A block's Arabic-script lines are detected one by one when they disagree
        (an Arabic line above its Persian translation); English runs on any block
        with Latin letters."""
        text = block.text.text
        declared = self.settings.lang or block.lang or doc.lang
        declared = declared if declared in ("ar", "fa") else None
        if len(text) > _SEEN_CHARS:
            return self._languages(text, declared, hint)
        key = (text, declared, hint)
        got = self._seen_languages.get(key)
        if got is None:
            if len(self._seen_languages) >= _SEEN:
                self._seen_languages.clear()
            got = self._seen_languages[key] = self._languages(text, declared, hint)
        return got

    def _languages(self, text: str, declared: str | None, hint: str | None) -> list[tuple[str, list | None]]:
        langs: list[tuple[str, list | None]] = []
        if language.has_arabic_script(text):
            lines = _arabic_lines(text)
            per_line = ({(s, e): language.detect(text[s:e], declared, hint) for s, e in lines}
                        if len(lines) > 1 else {})
            if len(set(per_line.values()) - {None}) > 1 and not self.settings.lang:
                for lang in ("ar", "fa"):
                    spans = [span for span, got in per_line.items() if got == lang]
                    if spans:
                        langs.append((lang, spans))
            else:
                lang = language.detect(text, declared, hint)
                if lang:
                    langs.append((lang, None))
        if language.has_latin(text):
            langs.append(("en", None))
        return langs

    def lint_block(self, doc: Document, block: Block, hint: str | None = None) -> list[Finding]:
        out = []
        settings = self.settings
        idle = NEED_REGISTRY if settings.registry is None else ()  # detectors with nothing to do
        for lang, spans in self.block_languages(doc, block, hint):
            norm = folded(doc.memo, block, lang)
            text = norm.text
            sentences = ends = None
            shared: dict = {}  # what conditions learn about this block in `lang` (Context.per_block)
            for rule, pattern in self.matcher(lang).select(text):
                if pattern is not None:
                    found = _candidates(rule, pattern, lang, text, settings)
                elif rule.detector in idle or not rule.detector or rule.detector == "page":
                    continue
                else:  # only its detector runs
                    found = DETECTORS[rule.detector](text, lang, settings)
                for start, end, m, value in found:
                    if spans is not None and not _within_lines(norm, start, spans):
                        continue
                    if sentences is None:
                        sentences = split_sentences(text, lang) or [(0, len(text))]
                        ends = [e for _, e in sentences]
                    ctx = Context(lang, doc, block, text, start, end, sentences,
                                  _sentence_index(ends, start), m, None, value, settings, norm, shared=shared)
                    if m is not None:
                        for lex in rule.lexicons.get(lang, []):
                            ctx.entry = self._entry_for(lex, m.group()) or ctx.entry
                    a, b = norm.source_span(start, end)
                    finding = self.decide(rule, ctx, block.text.text[a:b])
                    if finding is None:
                        continue
                    fa, fb = block.text.source_span(a, b)
                    finding.offset, finding.end_offset = fa, fb
                    finding.context = block.key
                    out.append(finding)
        return out

    def _entry_for(self, lex, matched: str):
        """lex.entry_for(matched), kept per lexicon and matched text (the same words recur)."""
        key = (id(lex), matched)  # (the rules hold their lexicons as long as this Linter lives)
        got = self._entries.get(key, self)
        if got is self:
            if len(self._entries) >= _SEEN:
                self._entries.clear()
            got = self._entries[key] = lex.entry_for(matched)
        return got

    def decide(self, rule: Rule, ctx: Context, shown: str) -> Finding | None:
        if rule.unless is not None and rule.unless(ctx):
            return None
        severity = (ctx.entry.data.get("severity") if ctx.entry is not None else None) or rule.severity
        message = rule.message
        for adj in rule.adjust:
            if adj.when(ctx):
                severity, message = adj.severity, adj.message or rule.message
                break
        override = self._overrides.get(rule.id, self)
        if override is self:
            override = self._overrides[rule.id] = self.severity_override(rule.id)
        if override and severity_rank(severity) >= severity_rank("warning"):
            severity = override
        safer = ""
        if ctx.entry is not None:
            safer = str(ctx.entry.data.get("safer", {}).get(ctx.lang, "") if isinstance(
                ctx.entry.data.get("safer"), dict) else ctx.entry.data.get("safer") or "")
        fill = {"text": " ".join(shown.split()), "safer": safer or "—", **(ctx.value or {})}  # one line
        key = (id(rule), ctx.lang, not safer)  # (the rules live as long as this Linter)
        suggestion = self._suggestions.get(key, self)
        if suggestion is self:
            suggestion = self._suggestions[key] = _suggestion(rule, ctx.lang, bool(safer))
        return Finding(rule.id, rule.category, severity, _fill(rule.text(message, ctx.lang), fill),
                       0, 0, "", ctx.lang, _fill(suggestion, fill) if suggestion else None,
                       value=ctx.value.get("json") if ctx.value else None,
                       replacement=drop_in(safer, shown, ctx.lang) if safer else None)


def _suggestion(rule: Rule, lang: str, safer: bool) -> str | None:
    """The rule's suggestion in `lang`; without a safer wording, the clause that offers one dropped."""
    suggestion = rule.text(rule.suggestion, lang) if rule.suggestion else None
    if suggestion and not safer and "{safer}" in suggestion:
        head = suggestion.split("{safer}")[0]
        cut = max(head.rfind(sep) for sep in ",،;؛.")
        suggestion = head[:cut].strip() if cut > 0 else None
    return suggestion


def _candidates(rule: Rule, pattern, lang: str, text: str, settings: Settings):
    """`rule`'s candidates in `text`: the matches of `pattern` (None: skip it), spaces
    trimmed, then its detector's."""
    if pattern is not None:
        for m in pattern.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                yield s, e, m, None
    if rule.detector and rule.detector != "page":
        yield from DETECTORS[rule.detector](text, lang, settings)


_LINE = lazy_compile(r"[^\r\n]+")
_SEEN, _SEEN_CHARS = 4096, 1000  # short block texts whose languages are kept (then forgotten all at once)


def _arabic_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines of `text` (ending at LF, CRLF or CR) that hold Arabic-script letters."""
    return [m.span() for m in _LINE.finditer(text) if language.has_arabic_script(m.group())]


def _within_lines(norm, start: int, spans: list[tuple[int, int]]) -> bool:
    """The candidate's first character lies on one of the (sorted, disjoint) line spans."""
    a, _ = norm.source_span(start, start + 1)
    i = bisect_right(spans, (a, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= a < spans[i][1]


def _fill(template: str, values: dict) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def _sentence_index(ends: list[int], pos: int) -> int:
    """The first sentence ending after `pos` (the last one if none does), by their sorted ends."""
    return min(bisect_right(ends, pos), len(ends) - 1)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One claim finding per overlapping span and category: the most severe, longest.
    (Disclosure findings share an anchor, the footer, and are all kept.)

    One sweep in offset order: the kept findings of a category never overlap one
    another, so only the one reaching furthest can clash with the next."""
    findings.sort(key=lambda f: (f.offset, -severity_rank(f.severity), -(f.end_offset - f.offset)))
    kept: list[Finding] = []
    last: dict[str, int] = {}  # category -> index in kept of its furthest-reaching finding
    for f in findings:
        i = None if f.category == "disclosure" else last.get(f.category)
        clash = kept[i] if i is not None else None
        if clash is not None and not (clash.offset < f.end_offset and f.offset < clash.end_offset):
            clash = None
        if clash is None:
            kept.append(f)
            if f.category != "disclosure" and (i is None or f.end_offset > kept[i].end_offset):
                last[f.category] = len(kept) - 1
        elif severity_rank(f.severity) > severity_rank(clash.severity):
            kept[i] = f
    return kept


class _Spans:
    """Overlap queries over a fixed set of findings' spans in O(log n)."""

    def __init__(self, findings: list[Finding]):
        spans = sorted((f.offset, f.end_offset) for f in findings)
        self.starts = [s for s, _ in spans]
        self.reach, furthest = [], -1  # reach[i]: the largest end among spans[:i + 1]
        for _, e in spans:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        """Some span [s, e) has s < end and start < e."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start
