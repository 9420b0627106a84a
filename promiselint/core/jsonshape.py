"""Check data against the few JSON Schema keywords of promiselint's own cache
files (schema/cache-entry.schema.json), without importing jsonschema.

A cache re-check reads one entry per file; importing jsonschema to check them
would cost more than the rest of the run.  Only the keywords below are known:
a schema that uses another one is refused (`supported`), so the schema file
stays the one source of truth (tests/test_cache.py checks that this agrees
with jsonschema on generated entries).
"""
from __future__ import annotations

import re
from functools import lru_cache

KEYWORDS = frozenset({"$schema", "$id", "title", "description", "type", "required", "additionalProperties",
                      "properties", "items", "enum", "pattern", "minimum"})
_TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}


def supported(schema) -> bool:
    """Whether `schema` (and every schema inside it) uses only KEYWORDS."""
    if not isinstance(schema, dict) or not set(schema) <= KEYWORDS or schema.get("additionalProperties", False):
        return False
    inner = list((schema.get("properties") or {}).values()) + ([schema["items"]] if "items" in schema else [])
    return all(supported(s) for s in inner)


def is_valid(data, schema: dict) -> bool:
    """Whether `data` satisfies `schema` (which `supported` accepts)."""
    kinds = schema.get("type")
    if kinds is not None and not any(_is_type(data, k) for k in ([kinds] if isinstance(kinds, str) else kinds)):
        return False
    if "enum" in schema and not any(data == v and type(data) is type(v) for v in schema["enum"]):
        return False
    if "pattern" in schema and isinstance(data, str) and _regex(schema["pattern"]).search(data) is None:
        return False
    if "minimum" in schema and _is_type(data, "number") and data < schema["minimum"]:
        return False
    if isinstance(data, dict):
        props = schema.get("properties") or {}
        if any(k not in data for k in schema.get("required") or ()):
            return False
        if "additionalProperties" in schema and any(k not in props for k in data):
            return False
        return all(is_valid(v, props[k]) for k, v in data.items() if k in props)
    if isinstance(data, list) and "items" in schema:
        return all(is_valid(v, schema["items"]) for v in data)
    return True


def _is_type(data, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(data, int) and not isinstance(data, bool)) or (isinstance(data, float) and data.is_integer())
    if kind == "number":
        return isinstance(data, (int, float)) and not isinstance(data, bool)
    return isinstance(data, _TYPES[kind])


@lru_cache(maxsize=32)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)
