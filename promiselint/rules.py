"""Rule packs: YAML rules validated and compiled at start.

A rule names what it matches per language (regexes over normalized text, in
which `{lex:NAME}` stands for a lexicon's expanded forms and `{NUM}` for a
number), `unless` conditions that silence it, `adjust` conditions that lower
its severity, messages and suggestions in ar/fa/en, references and examples.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import UsageError
from .expr import ExprError, compile_expr
from .lexicon import Lexicon, concept_lexicon, fold_regex, load_lexicon, union
from .yamlload import load_yaml

LANGS = ("ar", "fa", "en")
CATEGORIES = ("superlative", "promise", "claim", "disclosure")
SEVERITIES = ("error", "warning", "info")
MACROS = {
    "NUM": r"\d+(?:[.,]\d+)*",
    "W": r"[^\W\d_]+",
}
_RULE_KEYS = {"id", "category", "severity", "match", "unless", "adjust", "message", "suggestion",
              "references", "examples", "description", "detector", "value", "yields_to"}
_REF = re.compile(r"\{(lex:[\w-]+|[A-Z]+)\}")


@dataclass
class Adjust:
    when: object  # compiled condition
    source: str
    severity: str
    message: dict[str, str]


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    message: dict[str, str]
    suggestion: dict[str, str] = field(default_factory=dict)
    description: str = ""
    references: list[str] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    patterns: dict[str, re.Pattern] = field(default_factory=dict)
    lexicons: dict[str, list[Lexicon]] = field(default_factory=dict)
    unless: object = None
    unless_source: str = ""
    adjust: list[Adjust] = field(default_factory=list)
    detector: str | None = None  # a built-in detector instead of patterns (e.g. delivery-time)
    yields_to: list[str] = field(default_factory=list)  # rules whose overlapping finding wins
    path: str = ""

    def text(self, table: dict[str, str], lang: str) -> str:
        return table.get(lang) or table.get("en") or next(iter(table.values()), "")


class LexiconStore:
    """Lexicons by (lang, name), from the built-in folder and extra folders."""

    def __init__(self, folders: list[Path]):
        self.folders = folders

    @lru_cache(maxsize=None)
    def get(self, lang: str, name: str) -> Lexicon:
        merged = None
        for folder in self.folders:
            path = folder / lang / f"{name}.yaml"
            if path.is_file():
                lex = load_lexicon(path, lang)
                if merged is None:
                    merged = lex
                else:
                    merged.entries.extend(lex.entries)
        if merged is None:  # a lexicon the table of claim concepts defines
            merged = concept_lexicon(self.folders, lang, name)
        if merged is None:
            raise UsageError(f"lexicon {lang}/{name}.yaml not found in {', '.join(map(str, self.folders))}")
        return merged


def _expand(source: str, lang: str, store: LexiconStore, where: str, used: list) -> str:
    def sub(m: re.Match) -> str:
        ref = m.group(1)
        if ref.startswith("lex:"):
            lex = store.get(lang, ref[4:])
            used.append(lex)
            return lex.pattern()
        if ref in MACROS:
            return MACROS[ref]
        raise UsageError(f"{where}: unknown placeholder {{{ref}}}")
    return _REF.sub(sub, source)


def _localized(value, where: str, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise UsageError(f"{where}: {what} must be text or a mapping of language to text")
    return dict(value)


def build_rule(raw: dict, where: str, store: LexiconStore, functions: dict) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(allowed: {', '.join(sorted(_RULE_KEYS))})")
    rid = raw.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z]+\.[a-z0-9-]+", rid):
        raise UsageError(f"{where}: rule id must look like 'category.name', got {rid!r}")
    where = f"{where} ({rid})"
    category = raw.get("category", rid.split(".")[0])
    if category not in CATEGORIES:
        raise UsageError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    severity = raw.get("severity", "error")
    if severity not in SEVERITIES:
        raise UsageError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    message = _localized(raw.get("message"), where, "message")
    if not message:
        raise UsageError(f"{where}: a rule needs a message")
    rule = Rule(rid, category, severity, message, _localized(raw.get("suggestion"), where, "suggestion"),
                raw.get("description", ""), list(raw.get("references") or []),
                list(raw.get("examples") or []), detector=raw.get("detector"), path=where,
                yields_to=list(raw.get("yields_to") or []))
    for lang, sources in (raw.get("match") or {}).items():
        if lang not in LANGS:
            raise UsageError(f"{where}: match language must be one of {', '.join(LANGS)}")
        sources = sources if isinstance(sources, list) else [sources]
        used: list[Lexicon] = []
        parts = [_expand(fold_regex(str(s), lang), lang, store, where, used) for s in sources]
        try:
            rule.patterns[lang] = re.compile(union(parts))
        except re.error as e:
            raise UsageError(f"{where}: bad pattern for {lang}: {e}")
        rule.lexicons[lang] = used
    from .detectors import DETECTORS

    if rule.detector and rule.detector not in DETECTORS and rule.detector != "page":
        raise UsageError(f"{where}: unknown detector {rule.detector!r} (known: page, {', '.join(DETECTORS)})")
    if not rule.patterns and not rule.detector:
        raise UsageError(f"{where}: a rule needs 'match' patterns or a 'detector'")
    try:
        if raw.get("unless"):
            rule.unless_source = str(raw["unless"])
            rule.unless = compile_expr(rule.unless_source, functions)
        for adj in raw.get("adjust") or []:
            sev = adj.get("severity", "info")
            if sev not in SEVERITIES:
                raise UsageError(f"{where}: adjust severity must be one of {', '.join(SEVERITIES)}")
            rule.adjust.append(Adjust(compile_expr(str(adj["when"]), functions), str(adj["when"]), sev,
                                      _localized(adj.get("message"), where, "message")))
    except (ExprError, KeyError) as e:
        raise UsageError(f"{where}: {e}")
    return rule


def load_pack(path: Path, store: LexiconStore, functions: dict) -> list[Rule]:
    data = load_yaml(path)
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(f"{path}: a rule pack is a list of rules (or a mapping with 'rules:')")
    rules = []
    for n, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            raise UsageError(f"{path}: rule {n}: expected a mapping")
        rules.append(build_rule(raw, f"{path}: rule {n}", store, functions))
    return rules
