"""Built-in detectors: candidates that need more than a pattern.

A detector takes normalized block text and a language and yields
(start, end, match, value) like a rule pattern does; `value` carries
structured data into conditions, messages and the JSON output.
"""
from __future__ import annotations

from functools import lru_cache

from .time_context import context_kind, delivery_near
from .time_parse import TimeExpr, expression_spans, has_anchor, time_runs

FAST_KINDS = {"same-day", "next-day", "overnight", "express", "instant", "fixed"}
FAST_HOURS = 72  # a stated delivery time at or under this (3 days) is a promise to check


_CACHED_CHARS = 2000  # a longer block is checked afresh (a cache entry keeps its text)


def delivery_promises(text: str, lang: str):
    """Time expressions that promise delivery (any speed): only near a delivery cue."""
    return iter(_promises(text, lang) if len(text) > _CACHED_CHARS else _cached_promises(text, lang))


def _promises(text: str, lang: str) -> tuple:
    """The cheapest tests first: a block without an anchor word of the time grammar
    (one automaton scan) is done, then one without a delivery cue word; only the
    runs of time words near a cue are parsed."""
    if not has_anchor(text, lang):
        return ()
    near = delivery_near(text, lang)
    if near is None:
        return ()
    runs = [(s, e) for s, e in time_runs(text, lang) if near(s, e)]
    return tuple(TimeExpr(*found) for found in expression_spans(text, lang, runs)
                 if context_kind(text, found[0], found[1], found[4], lang) == "delivery")


_cached_promises = lru_cache(maxsize=4096)(_promises)  # pages repeat their blocks (banners, footers, notes)


def delivery_time(text: str, lang: str, settings=None):
    """Fast delivery promises: a parsed time expression in a delivery context."""
    for expr in delivery_promises(text, lang):
        fast = expr.kind in FAST_KINDS or (expr.max_hours is not None and expr.max_hours <= FAST_HOURS)
        if not fast:
            continue
        hours = expr.max_hours if expr.max_hours is not None else expr.min_hours
        yield expr.start, expr.end, None, {
            "json": expr.to_json(),
            "hours": f"{hours:g}" if hours is not None else "?",
            "kind": expr.kind,
        }


def _registry(method):
    """A detector that asks the run's claims registry (`Settings.registry`), if any."""
    def detector(text, lang, settings=None):
        registry = getattr(settings, "registry", None)
        return getattr(registry, method)(text, lang) if registry is not None else ()
    return detector


# "page" rules are checked per document instead (disclosures)
DETECTORS = {"delivery-time": delivery_time,
             "registry": _registry("claim_findings"),
             "service-level": _registry("service_level_findings")}
NEED_REGISTRY = frozenset({"registry", "service-level"})  # these find nothing without one
