"""Which columns of a feed are the id, the copy, the language and the seller.

`CatalogSpec` travels to every worker with the engine `Settings`; `resolve`
fills its gaps from the feed's header using `columns.yaml` (Shopify,
WooCommerce, Google Merchant Center and a generic list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.settings import Settings
from promiselint.core.yamlload import load_yaml

_TITLE = re.compile(r"(?:^|_)(?:title|name|headline)(?:$|_)")


def fold_name(name: str) -> str:
    """Compare column names the forgiving way: 'Body (HTML)' -> 'body_html'."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).lower()).strip("_")


@lru_cache(maxsize=1)
def known_formats() -> dict:
    return load_yaml(Path(__file__).with_name("columns.yaml"))


@dataclass
class CatalogSpec:
    """How to read listings out of rows, and the engine settings to check them with."""

    text_columns: list[str]
    id_column: str | None = None
    html_columns: list[str] = field(default_factory=list)  # forced HTML; others: auto per value
    lang_column: str | None = None
    seller_column: str | None = None
    merge_rows: bool = False  # consecutive rows with the same id are one listing (Shopify)
    settings: Settings = field(default_factory=Settings)
    feed_format: str = "generic"

    def for_checking(self) -> "CatalogSpec":
        """A listing is not a page: no disclosure checks."""
        return replace(self, settings=replace(self.settings, disclosures=False, page_types=None))

    def is_title(self, column: str) -> bool:
        return bool(_TITLE.search(fold_name(column)))


def _pick(candidates: list[str], folded: dict[str, str], every: bool) -> list[str]:
    out = []
    for cand in candidates:
        for key, name in folded.items():
            hit = key == cand or (cand.endswith("*") and key.startswith(cand[:-1]))
            if hit and name not in out:
                out.append(name)
        if out and not every:
            break
    return out


def detect_format(columns: list[str]) -> str:
    folded = {fold_name(c) for c in columns}
    for name, entry in known_formats().items():
        if entry.get("signature") and set(entry["signature"]) <= folded:
            return name
    return "generic"


def resolve(columns: list[str], *, id_column=None, text_columns=None, html_columns=None, lang_column=None,
            seller_column=None, settings: Settings | None = None, where: str = "feed",
            feed_format: str | None = None) -> CatalogSpec:
    """The spec for a feed with these `columns`: given names are checked, missing ones defaulted."""
    columns = [str(c) for c in columns]
    folded = {fold_name(c): c for c in columns}
    fmt = feed_format or detect_format(columns)
    entry, generic = known_formats().get(fmt, {}), known_formats()["generic"]

    def named(value, what):
        if value is None:
            return None
        if value in columns:
            return value
        if fold_name(value) in folded:
            return folded[fold_name(value)]
        raise UsageError(f"{where}: no {what} column {value!r} (columns: {', '.join(columns[:30])})")

    def default(key, every=False):
        got = _pick(entry.get(key) or [], folded, every) if fmt != "generic" else []
        return got or _pick(generic.get(key) or [], folded, every)

    texts = [named(c, "text") for c in text_columns] if text_columns else default("text", every=True)
    if not texts:
        raise UsageError(f"{where}: no text columns found among {', '.join(columns[:30])}; "
                         "name them with --text-columns")
    ident = named(id_column, "id") if id_column else next(iter(default("id")), None)
    forced_html = [named(c, "HTML") for c in html_columns or []]
    auto_html = [c for c in default("html", every=True) if c in texts]
    return CatalogSpec(
        text_columns=texts, id_column=ident, html_columns=forced_html or auto_html,
        lang_column=named(lang_column, "language") if lang_column else next(iter(default("lang")), None),
        seller_column=named(seller_column, "seller") if seller_column else next(iter(default("seller")), None),
        merge_rows=bool(entry.get("merge_rows")), settings=settings or Settings(),
        feed_format=fmt)
