"""Time expressions in ar/fa/en copy: "within 24 hours", «خلال ساعتين», «۲ تا ۳ روز کاری».

Input is promiselint's normalized matching string (ASCII digits, Latin lowercased,
harakat and tatweel removed, Arabic alef/ya/ta-marbuta folded, Persian ي/ك folded
and ZWNJ turned into a space, dashes folded to "-").

How it works: an Aho-Corasick automaton finds anchors (unit words and fixed
forms); only the run of time words around each (numbers and words of the word
lists with only spaces between) is split into word-class tokens using the word
lists (``lexicons/{ar,fa,en}/time.yaml``, read by time_words.py), and the LALR
grammar in ``grammars/time.lark`` (lark) keeps the longest expression that parses
from each token (time_parse.py). Pages without a unit word cost one automaton scan.
Whether an expression is a delivery promise is decided by the cue words around
it (time_context.py).  This module keeps their public names.

Values (all in hours):
- 1 day = 24 h (also for business days; ``business_days`` says which), 1 week =
  168 h, 1 month = 30 days, 1 year = 365 days, minutes / 60.
- A single value ("within 24 hours", "24-hour") gives ``min_hours=None`` and
  ``max_hours`` = the value; with an "about" bound min = max = the value.
  A range gives both ends ("2-4 days" -> 48, 96).
- Fixed forms: same-day and overnight -> max 24, next-day ("tomorrow", «باكر»,
  «فردا») -> max 48, day after tomorrow (kind "fixed") -> max 72; express and
  instant carry no hours.
- ``bound``: the strongest of the words around the value, in the order
  about > under > at-most > within ("within about 2 days" -> "about").
"""
from __future__ import annotations

from .time_context import classify_context
from .time_parse import TimeExpr, find_time_expressions

__all__ = ["TimeExpr", "find_time_expressions", "classify_context"]
