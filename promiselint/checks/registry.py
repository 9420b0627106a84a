"""The claims registry: what a store can substantiate, with evidence and expiry.

    # claims.yaml (path set by `claims:` in .promiselint.yaml)
    claims:
      - id: fastest-riyadh
        claim:                       # phrases (or {regex: ...}) per language
          en: ["fastest delivery in Riyadh"]
          ar: ["الأسرع في الرياض"]
        evidence: evidence/delivery-audit-2026.pdf   # a file in the repo or a URL
        owner: ops@example.com
        expires: 2026-12-31
    service_levels:                  # the delivery times the store can back
      - {name: Riyadh, where: {en: [Riyadh], ar: [الرياض]}, hours: 24}
      - {name: elsewhere, hours: 48}  # no `where`: the default level

A claim whose text covers a finding silences it while its evidence is valid;
an expired claim, or one whose evidence file is missing, is itself an error.
A delivery promise faster than the service level for its region is flagged
with both numbers.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.yamlload import load_yaml
from promiselint.match.lexicon import expand

LANGS = ("ar", "fa", "en")


@dataclass
class Claim:
    id: str
    patterns: dict[str, re.Pattern]
    evidence: str
    owner: str
    expires: dt.date | None
    root: Path

    def status(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        if self.expires and self.expires < today:
            return "expired"
        if not re.match(r"https?://", self.evidence) and not (self.root / self.evidence).exists():
            return "missing-evidence"
        return "valid"

    def find(self, text: str, lang: str):
        pattern = self.patterns.get(lang)
        return list(pattern.finditer(text)) if pattern else []


@dataclass
class ServiceLevel:
    name: str
    hours: float
    where: dict[str, re.Pattern] = field(default_factory=dict)


@dataclass
class Registry:
    claims: list[Claim]
    levels: list[ServiceLevel]
    path: Path
    # (file, size, mtime_ns) of each local evidence file, None when missing: part of
    # the repr, so the findings cache notices an evidence file appearing or vanishing
    evidence_state: tuple = ()

    def covering(self, text: str, lang: str, start: int, end: int) -> Claim | None:
        """The registered claim whose text covers [start, end) of normalized text."""
        for claim in self.claims:
            for m in claim.find(text, lang):
                if m.start() <= start and end <= m.end() or (m.start() < end and start < m.end()):
                    return claim
        return None

    def vouches(self, ctx) -> bool:
        claim = self.covering(ctx.norm, ctx.lang, ctx.start, ctx.end)
        return claim is not None and claim.status() == "valid"

    def claim_findings(self, text: str, lang: str):
        """Detector (`detector: registry`): registered claims whose evidence is not valid."""
        return registry_findings(text, lang, self)

    def service_level_findings(self, text: str, lang: str):
        """Detector (`detector: service-level`): promises faster than the service level."""
        return service_level_findings(text, lang, self)

    def level_for(self, context: str, lang: str) -> ServiceLevel | None:
        default = None
        for level in self.levels:
            if not level.where:
                default = default or level
            elif lang in level.where and level.where[lang].search(context):
                return level
        return default


def _patterns(value, lang: str, where: str) -> re.Pattern:
    items = value if isinstance(value, list) else [value]
    parts = []
    for item in items:
        if isinstance(item, dict) and "regex" in item:
            parts.append(expand(str(item["regex"]), "regex", lang))
        elif isinstance(item, str):
            parts.append(expand(item, "phrase", lang))
        else:
            raise UsageError(f"{where}: expected a phrase or {{regex: ...}}")
    try:
        return re.compile("|".join(parts))
    except re.error as e:
        raise UsageError(f"{where}: bad pattern: {e}")


def _date(value, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: expires must be a date like 2026-12-31, got {value!r}")


def load_registry(path: Path) -> Registry:
    """The registry in `path`, validated against schema/claims.schema.json (read
    once per run for each version of the file)."""
    try:
        st = os.stat(path)
        version = (st.st_mtime_ns, st.st_size)
    except OSError:
        version = None
    return _load_registry(Path(path), version)


@lru_cache(maxsize=8)
def _load_registry(path: Path, version) -> Registry:
    from promiselint.match.packs import validate_schema

    data = load_yaml(path)
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a claims registry is a mapping with 'claims' and 'service_levels'")
    unknown = set(data) - {"claims", "service_levels"}
    if unknown:
        raise UsageError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: claims, service_levels)")
    validate_schema(data, "claims.schema.json", path)
    claims = []
    for n, raw in enumerate(data.get("claims") or [], 1):
        where = f"{path}: claim {n}"
        if not isinstance(raw, dict) or "claim" not in raw or "evidence" not in raw:
            raise UsageError(f"{where}: each claim needs 'claim' and 'evidence'")
        texts = raw["claim"] if isinstance(raw["claim"], dict) else {lang: raw["claim"] for lang in LANGS}
        claims.append(Claim(str(raw.get("id", n)), {lang: _patterns(v, lang, where) for lang, v in texts.items()
                                                    if lang in LANGS},
                            str(raw["evidence"]), str(raw.get("owner", "")), _date(raw.get("expires"), where),
                            path.parent))
    levels = []
    for n, raw in enumerate(data.get("service_levels") or [], 1):
        where = f"{path}: service level {n}"
        if not isinstance(raw, dict) or not isinstance(raw.get("hours"), (int, float)):
            raise UsageError(f"{where}: each service level needs 'hours' (a number)")
        places = raw.get("where") or {}
        if not isinstance(places, dict):
            places = {lang: places for lang in LANGS}
        levels.append(ServiceLevel(str(raw.get("name", n)), float(raw["hours"]),
                                   {lang: _patterns(v, lang, where) for lang, v in places.items() if lang in LANGS}))
    return Registry(claims, levels, path, _evidence_state(claims))


def _evidence_state(claims: list[Claim]) -> tuple:
    state = []
    for c in claims:
        if re.match(r"https?://", c.evidence):
            continue
        try:
            st = (c.root / c.evidence).stat()
            state.append((c.evidence, st.st_size, st.st_mtime_ns))
        except OSError:
            state.append((c.evidence, None))
    return tuple(state)


def registry_findings(text: str, lang: str, registry: Registry):
    """Detector: registered claims in this text whose evidence is not valid."""
    for claim in registry.claims:
        status = claim.status()
        if status == "valid":
            continue
        for m in claim.find(text, lang):
            detail = _problem(status, lang, claim)
            yield m.start(), m.end(), m, {"claim": claim.id, "problem": detail, "owner": claim.owner or "—",
                                         "json": {"claim": claim.id, "status": status,
                                                  "evidence": claim.evidence,
                                                  "expires": claim.expires.isoformat() if claim.expires else None}}


_PROBLEMS = {
    "en": ("expired on {date}", "missing ({file})"),
    "ar": ("انتهت صلاحيته في {date}", "مفقود ({file})"),
    "fa": ("در {date} منقضی شده است", "پیدا نشد ({file})"),
}


def _problem(status: str, lang: str, claim: Claim) -> str:
    expired, missing = _PROBLEMS.get(lang, _PROBLEMS["en"])
    if status == "expired":
        return expired.format(date=claim.expires.isoformat())
    return missing.format(file=claim.evidence)


def service_level_findings(text: str, lang: str, registry: Registry):
    """Detector: delivery promises faster than the registered service level."""
    if not registry.levels:
        return
    from promiselint.match.detectors import delivery_promises
    from promiselint.text.sentences import sentences

    spans = None
    for expr in delivery_promises(text, lang):
        promised = expr.max_hours if expr.max_hours is not None else expr.min_hours
        if promised is None:
            continue
        if spans is None:
            spans = sentences(text, lang) or [(0, len(text))]
        i = next((k for k, (s, e) in enumerate(spans) if expr.start < e), len(spans) - 1)
        context = " ".join(text[s:e] for s, e in spans[i:i + 2])
        level = registry.level_for(context, lang)
        if level and promised < level.hours:
            yield expr.start, expr.end, None, {
                "promised": f"{promised:g}", "registered": f"{level.hours:g}", "level": level.name,
                "json": {**expr.to_json(), "registered_hours": level.hours, "service_level": level.name}}
