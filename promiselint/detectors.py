"""Built-in detectors: candidates that need more than a pattern.

A detector takes normalized block text and a language and yields
(start, end, match, value) like a rule pattern does; `value` carries
structured data into conditions, messages and the JSON output.
"""
from __future__ import annotations

FAST_KINDS = {"same-day", "next-day", "overnight", "express", "instant", "fixed"}
FAST_HOURS = 48  # a stated delivery time at or under this is a promise to check


def delivery_time(text: str, lang: str):
    """Fast delivery promises: a parsed time expression in a delivery context."""
    from .timeexpr import classify_context, find_time_expressions

    for expr in find_time_expressions(text, lang):
        fast = expr.kind in FAST_KINDS or (expr.max_hours is not None and expr.max_hours <= FAST_HOURS)
        if not fast or classify_context(text, expr, lang) != "delivery":
            continue
        hours = expr.max_hours if expr.max_hours is not None else expr.min_hours
        yield expr.start, expr.end, None, {
            "json": expr.to_json(),
            "hours": f"{hours:g}" if hours is not None else "?",
            "kind": expr.kind,
        }


DETECTORS = {"delivery-time": delivery_time}  # "page" rules are checked per document (disclosures)
