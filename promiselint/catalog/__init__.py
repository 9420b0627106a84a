"""Catalog mode: check product feeds and DataFrames of listings (the `catalog` extra).

    import pandas as pd
    from promiselint.catalog import check_dataframe

    listings = pd.DataFrame({"sku": ["k1"], "title": ["The fastest kettle in the world"],
                             "description": ["Boils 1.7 l in 90 seconds."]})
    findings = check_dataframe(listings, ["title", "description"], id_column="sku")
    # one row per finding: id, field, rule, category, severity, message, suggestion,
    # offset, end_offset (into that field's text), text, language (+ seller)

A Dask DataFrame gives back a (lazy) Dask DataFrame of findings; Spark users
map `lint_frame` over their partitions (see README, "Checking catalogs").
Importing this package is cheap: pandas and Dask load when used.
"""
from __future__ import annotations

from .spec import CatalogSpec

EXTRA_MODULES = ("pandas", "pyarrow", "dask", "distributed", "defusedxml", "fsspec")


def require_extra() -> None:
    """A one-line UsageError naming the extra when a catalog dependency is missing."""
    import importlib.util

    from promiselint.core.errors import UsageError

    missing = [m for m in EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(f"catalog mode needs the catalog extra (missing: {', '.join(missing)}): "
                         "pip install 'promiselint[catalog]'")


def catalog_spec(text_columns, id_column=None, *, html_columns=None, lang_column=None, seller_column=None,
                 select=None, ignore=None, lang=None, config=None, columns=None) -> CatalogSpec:
    """The spec `lint_frame` needs: which columns are what, and the engine settings
    (from `config`, a `.promiselint.yaml` path, plus select/ignore/lang)."""
    from pathlib import Path

    from promiselint.project.config import load_config

    from .spec import resolve

    cfg = load_config(Path(config).parent if config else Path("."), Path(config) if config else None)
    settings = cfg.settings(list(select or []), list(ignore or []), lang)
    names = list(columns) if columns is not None else [c for c in [id_column, lang_column, seller_column,
                                                                     *text_columns] if c]
    return resolve(names, id_column=id_column, text_columns=list(text_columns), html_columns=html_columns,
                   lang_column=lang_column, seller_column=seller_column, settings=settings, where="DataFrame")


def lint_frame(pdf, spec: CatalogSpec):
    """A pandas DataFrame of findings for a pandas DataFrame of listings."""
    from .listing import lint_frame as lint

    return lint(pdf, spec)


def check_dataframe(df, text_columns, id_column=None, **options):
    """Findings for a pandas or Dask DataFrame of listings (Dask: lazy, one task per partition).

    `options`: html_columns, lang_column, seller_column, select, ignore, lang, config."""
    from .listing import empty_findings

    spec = catalog_spec(text_columns, id_column, columns=list(df.columns), **options)
    if hasattr(df, "map_partitions"):
        return df.map_partitions(lint_frame, spec, meta=empty_findings(spec))
    return lint_frame(df, spec)


def spark_schema(spec: CatalogSpec) -> str:
    """The findings schema as a Spark DDL string, for `mapInPandas`."""
    from .listing import columns_for

    return ", ".join(f"`{c}` {'long' if c in ('offset', 'end_offset') else 'string'}" for c in columns_for(spec))


__all__ = ["CatalogSpec", "catalog_spec", "check_dataframe", "lint_frame", "require_extra", "spark_schema"]
