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

from promiselint.core.errors import UsageError
from promiselint.core.lazyre import lazy_compile
from promiselint.core.yamlload import load_yaml

from . import regexstore
from .expr import ExprError, build_expr, parse_expr
from .lexicon import Lexicon, StoredLexicon, concept_lexicon, fold_regex, load_lexicon, union

LANGS = ("ar", "fa", "en")
CATEGORIES = ("superlative", "promise", "claim", "disclosure")
SEVERITIES = ("error", "warning", "info")
MACROS = {
    "NUM": r"\d+(?:[.,]\d+)*",
    "W": r"[^\W\d_]+",
}
_RULE_KEYS = {"id", "category", "severity", "match", "unless", "adjust", "message", "suggestion",
              "references", "examples", "description", "detector", "value", "yields_to"}
_REF = lazy_compile(r"\{(lex:[\w-]+|[A-Z]+)\}")


BOUNDED_OUTER = 10  # an outer repeat of at most this many rounds may hold an unbounded one


def nested_quantifier(pattern: str) -> str | None:
    """The first piece of `pattern` where an unbounded repeat sits inside a repeat
    that can run many rounds (`(a+)+`, `(?:\\w+\\s*)*`): Python's regex engine can
    take exponential time on such a pattern.  None when there is none."""
    from re import _constants as c
    from re import _parser

    def unbounded(items) -> bool:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] > 1:
                return True
            if op in (c.ATOMIC_GROUP, c.POSSESSIVE_REPEAT):
                continue  # no backtracking into it
            if _subpatterns(op, av) and any(unbounded(sub) for sub in _subpatterns(op, av)):
                return True
        return False

    def walk(items) -> str | None:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and (av[1] == c.MAXREPEAT or av[1] > BOUNDED_OUTER) \
                    and unbounded(av[2]):
                return str(op).lower()
            for sub in _subpatterns(op, av):
                found = walk(sub)
                if found:
                    return found
        return None

    return walk(_parser.parse(pattern))


def _subpatterns(op, av) -> list:
    """The sub-patterns of one parsed regex item (groups, branches, repeats, lookarounds)."""
    from re import _constants as c

    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return [av[2]]
    if op is c.SUBPATTERN:
        return [av[3]]
    if op is c.BRANCH:
        return list(av[1])
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [av[1]]
    if op is c.ATOMIC_GROUP:
        return [av]
    if op is c.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    return []


_compiled = [0]  # rule patterns compiled in this process (tests count them)


def compilations() -> int:
    """How many rule patterns this process has compiled so far."""
    return _compiled[0]


class LazyPattern(str):
    """A rule's regex: its source (a str, as prefilter.requirements reads it),
    compiled on first use, so a run over English copy never compiles the
    Arabic and Persian patterns, and a run served from the cache compiles none."""

    __slots__ = ("_regex",)

    def __new__(cls, source: str):
        self = super().__new__(cls, source)
        self._regex = None
        return self

    @property
    def pattern(self) -> str:
        return str(self)

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = regexstore.compile(str(self))
            _compiled[0] += 1
        return self._regex

    flags = property(lambda self: self.regex.flags)
    groups = property(lambda self: self.regex.groups)
    groupindex = property(lambda self: self.regex.groupindex)

    def finditer(self, *args):
        return self.regex.finditer(*args)

    def search(self, *args):
        return self.regex.search(*args)

    def match(self, *args):
        return self.regex.match(*args)

    def fullmatch(self, *args):
        return self.regex.fullmatch(*args)

    def findall(self, *args):
        return self.regex.findall(*args)


def compile_patterns(rules: list, langs=LANGS) -> None:
    """Compile every pattern of `rules` for `langs` now (before worker processes fork: they share them)."""
    for rule in rules:
        for lang, pattern in rule.patterns.items():
            if lang in langs:
                pattern.regex


@dataclass
class Adjust:
    when: object  # compiled condition
    source: str
    severity: str
    message: dict[str, str]
    tree: list = field(default_factory=list)  # the parsed condition (expr.parse_expr)


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
    patterns: dict[str, LazyPattern] = field(default_factory=dict)
    lexicons: dict[str, list[Lexicon]] = field(default_factory=dict)
    unless: object = None
    unless_source: str = ""
    unless_tree: list | None = None
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


def build_rule(raw: dict, where: str, store: LexiconStore, functions: dict, user: bool = False) -> Rule:
    """A compiled rule (`user`: from a user's pack, whose patterns must not nest
    unbounded repeats)."""
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
            rule.patterns[lang] = LazyPattern(union(parts))
            if user:  # built-in ones compile in the tests (test_cold: every built-in pattern compiles)
                rule.patterns[lang].regex
            for source, part in zip(sources, parts) if user else ():
                if nested_quantifier(part):
                    raise UsageError(f"{where}: pattern {str(source)[:60]!r} for {lang} nests a repeat inside "
                                     "a repeat (like (a+)+), which can take exponential time; "
                                     "write it without the nesting")
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
            rule.unless_tree = parse_expr(rule.unless_source)
            rule.unless = build_expr(rule.unless_tree, functions)
        for adj in raw.get("adjust") or []:
            sev = adj.get("severity", "info")
            if sev not in SEVERITIES:
                raise UsageError(f"{where}: adjust severity must be one of {', '.join(SEVERITIES)}")
            tree = parse_expr(str(adj["when"]))
            rule.adjust.append(Adjust(build_expr(tree, functions), str(adj["when"]), sev,
                                      _localized(adj.get("message"), where, "message"), tree))
    except (ExprError, KeyError) as e:
        raise UsageError(f"{where}: {e}")
    return rule


# Where compiled packs are kept between runs: None (compile in memory), or an
# object with get(pack, folders) -> dict | None and put(pack, folders, dict).
# The project layer installs one (packcache.use); this stage never reaches up.
PACK_STORE: list = [None]
# what reading back a damaged or foreign stored entry raises: the entry is a miss
DAMAGED = (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError)


def kept_data(name: str, folders: list, build, load):
    """`load(data)` of what PACK_STORE keeps under `name` for these lexicon folders (data
    derived from them: built cue lists, the disclosure lexicon), or None: none is kept
    (or it does not load: a miss), and then `build()`'s data is kept at the end of the run."""
    keep = PACK_STORE[0]
    if keep is None:
        return None
    data = keep.get_data(name, folders)
    if data is not None:
        try:
            return load(data)
        except DAMAGED:
            pass  # a damaged entry is a miss
    keep.want_data(name, folders, build)
    return None


def load_packs(paths: list, store: LexiconStore, functions: dict) -> list[Rule]:
    """The rules of every pack of `paths`, in order: rebuilt from PACK_STORE's one entry
    for them all when it keeps one (a run reads one blob, not one per pack), else pack
    by pack (load_pack), and that entry is kept at the end of the run."""
    keep = PACK_STORE[0]
    stored = keep.get_all(paths, store.folders) if keep is not None else None
    if stored is not None:
        try:
            return [rule for data in stored for rule in pack_from_json(data, functions, store)]
        except DAMAGED:
            pass  # a damaged entry is a miss
    packs = [load_pack(Path(path), store, functions) for path in paths]
    if keep is not None:
        keep.want_all(paths, store.folders, lambda: [pack_to_json(rules) for rules in packs])
    return [rule for rules in packs for rule in rules]


def load_pack(path: Path, store: LexiconStore, functions: dict) -> list[Rule]:
    """The rules of a pack, compiled (or rebuilt from PACK_STORE, the
    compiled-packs cache); a user's pack (not a built-in one) is validated against
    schema/rule-pack.schema.json and its patterns checked for nested repeats."""
    keep = PACK_STORE[0]
    stored = keep.get(path, store.folders) if keep is not None else None
    if stored is not None:
        try:
            return pack_from_json(stored, functions, store)
        except DAMAGED:
            pass  # a damaged entry is a miss
    rules = _compile_pack(path, store, functions)
    if keep is not None:
        keep.put(path, store.folders, pack_to_json(rules))
    return rules


_FIELDS = ("id", "category", "severity", "message", "suggestion", "description", "references", "examples",
           "detector", "yields_to", "path", "unless_source", "unless_tree")


def pack_to_json(rules: list[Rule]) -> dict:
    """A compiled pack as plain data: pattern sources, lexicons, condition trees."""
    lexicons: dict[str, dict] = {}
    out = []
    for r in rules:
        for lang, used in r.lexicons.items():
            for lex in used:
                lexicons.setdefault(f"{lang}:{lex.name}:{id(lex)}", {  # (entries: decoded when read)
                    "name": lex.name, "lang": lex.lang, "path": lex.path,
                    "entries": StoredLexicon.encode([[e.text, e.kind, e.pattern, e.data] for e in lex.entries])})
        out.append({**{f: getattr(r, f) for f in _FIELDS},
                    "patterns": {lang: str(p) for lang, p in r.patterns.items()},
                    "lexicons": {lang: [f"{lang}:{lex.name}:{id(lex)}" for lex in used]
                                 for lang, used in r.lexicons.items()},
                    "adjust": [[a.source, a.tree, a.severity, a.message] for a in r.adjust]})
    return {"rules": out, "lexicons": lexicons}


def pack_from_json(data: dict, functions: dict, store: LexiconStore) -> list[Rule]:
    """The rules of pack_to_json's data (KeyError, TypeError... when it is not that);
    a lexicon's entries are decoded when first read (from `store` when they do not)."""
    from functools import partial

    def lexicon(lex: dict) -> Lexicon:
        name, lang, path, text = lex["name"], lex["lang"], lex["path"], lex["entries"]
        if not all(isinstance(x, str) for x in (name, lang, path, text)):
            raise TypeError("not a lexicon")
        return StoredLexicon(name, lang, text, path, partial(store.get, lang, name))

    lexicons = {key: lexicon(lex) for key, lex in data["lexicons"].items()}
    rules = []
    for raw in data["rules"]:
        rule = Rule(**{f: raw[f] for f in _FIELDS})
        if not isinstance(rule.id, str) or not isinstance(rule.message, dict):
            raise TypeError("not a compiled rule")
        rule.patterns = {str(lang): LazyPattern(str(p)) for lang, p in raw["patterns"].items()}
        rule.lexicons = {lang: [lexicons[k] for k in keys] for lang, keys in raw["lexicons"].items()}
        try:
            rule.unless = build_expr(rule.unless_tree, functions) if rule.unless_tree else None
            rule.adjust = [Adjust(build_expr(tree, functions), source, severity, message, tree)
                           for source, tree, severity, message in raw["adjust"]]
        except ExprError as e:
            raise ValueError(str(e))
        rules.append(rule)
    return rules


def _compile_pack(path: Path, store: LexiconStore, functions: dict) -> list[Rule]:
    from promiselint.core.data import data_dir

    data = load_yaml(path)
    user = not Path(path).resolve().is_relative_to(data_dir("rules").resolve())
    if user:
        validate_pack(data, path)
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(f"{path}: a rule pack is a list of rules (or a mapping with 'rules:')")
    rules = []
    for n, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            raise UsageError(f"{path}: rule {n}: expected a mapping")
        rules.append(build_rule(raw, f"{path}: rule {n}", store, functions, user))
    return rules


def validate_pack(data, path) -> None:
    """UsageError naming the file and the field when `data` is not a rule pack."""
    validate_schema(data, "rule-pack.schema.json", path)


@lru_cache(maxsize=None)
def _validator(name: str):
    import json

    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[1] / "schema" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate_schema(data, schema_name: str, path) -> None:
    """UsageError `path: field.path: problem` for the best-matching schema error."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator(schema_name).iter_errors(data))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "top level"
        raise UsageError(f"{path}: {where}: {' '.join(error.message.split())[:200]}")
