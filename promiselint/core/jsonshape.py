"""Check data against the few JSON Schema keywords of promiselint's own schemas
(schema/cache-entry.schema.json, schema/config.schema.json), without importing
jsonschema.

A cache re-check reads one entry per file, and every run reads the config;
importing jsonschema to check them would cost more than the rest of a small
run.  Only the keywords below are known, and `$ref` only to the schema's own
`definitions`: a schema that uses anything else is refused (`supported`), so
the schema file stays the one source of truth (tests/test_cache.py and
tests/test_config_shape.py check that this agrees with jsonschema on generated
data).  Where a config is not valid, jsonschema still finds the message.
"""
from __future__ import annotations

import re
from functools import lru_cache

KEYWORDS = frozenset({"$schema", "$id", "title", "description", "type", "required", "additionalProperties",
                      "properties", "items", "enum", "pattern", "minimum", "definitions", "$ref"})
_TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}
_REF = "#/definitions/"


def supported(schema, root=None) -> bool:
    """Whether `schema` (and every schema inside it) uses only KEYWORDS, with
    `additionalProperties` false or a schema, and `$ref`s to `root`'s definitions."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or not set(schema) <= KEYWORDS:
        return False
    extra = schema.get("additionalProperties", False)
    ref = schema.get("$ref")
    if ref is not None and not (isinstance(ref, str) and ref.startswith(_REF)
                                and ref[len(_REF):] in (root.get("definitions") or {})):
        return False
    inner = list((schema.get("properties") or {}).values()) + ([schema["items"]] if "items" in schema else [])
    inner += list((schema.get("definitions") or {}).values()) + ([extra] if extra is not False else [])
    return all(supported(s, root) for s in inner)


def is_valid(data, schema: dict, root: dict | None = None) -> bool:
    """Whether `data` satisfies `schema` (which `supported` accepts; `root`: the
    schema its `$ref`s point into, by default `schema` itself)."""
    root = schema if root is None else root
    if "$ref" in schema and not is_valid(data, root["definitions"][schema["$ref"][len(_REF):]], root):
        return False
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
        extra = schema.get("additionalProperties", True)
        if extra is False and any(k not in props for k in data):
            return False
        if isinstance(extra, dict) and not all(is_valid(v, extra, root) for k, v in data.items() if k not in props):
            return False
        return all(is_valid(v, props[k], root) for k, v in data.items() if k in props)
    if isinstance(data, list) and "items" in schema:
        return all(is_valid(v, schema["items"], root) for v in data)
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
