"""Rule ids and prefixes that users write (``--select``/``--ignore``, the config's
``select``, ``ignore``, ``rules:`` and overrides, suppression comments).

A name that matches no loaded rule would silently select or silence nothing, so
it is an error with a did-you-mean (difflib), like ruff's unknown rule codes.
"""
from __future__ import annotations

from promiselint.core.errors import UsageError
from promiselint.match.ids import EXTRA_IDS, hint, is_known, known_ids  # noqa: F401 - used by the CLI


def check(specs, ids, where: str) -> None:
    """UsageError naming `where` for the first unknown id or prefix in `specs`."""
    for spec in specs:
        if not is_known(str(spec), ids):
            raise UsageError(f"{where}: unknown rule or prefix {str(spec)!r}{hint(str(spec), ids)}")


def check_config(config, ids) -> None:
    """Every rule id or prefix named in a loaded Config."""
    d, name = config.data, str(config.path or ".promiselint.yaml")
    check(d.get("select") or [], ids, f"{name}: select")
    check(d.get("ignore") or [], ids, f"{name}: ignore")
    check(d.get("rules") or {}, ids, f"{name}: rules")
    for n, ov in enumerate(d.get("overrides") or [], 1):
        check(ov.get("rules") or {}, ids, f"{name}: overrides[{n}].rules")
        check(ov.get("ignore") or [], ids, f"{name}: overrides[{n}].ignore")


def validated_config(paths, config_path, select, ignore, lang):
    """The config a run over `paths` uses, after checking every rule id or prefix
    named on the command line and in the config against the rules it loads
    (built-in and user packs): (config, rules).  The packs compile through the
    project's cache (packcache.py); their patterns are not compiled here.
    When no id is named and the config adds no pack or lexicon, nothing needs
    the rules yet (a re-check from the cache may never load them): rules is None,
    and `all_rules` gives them."""
    from pathlib import Path

    from . import packcache
    from .cache import find_root
    from .config import load_config

    start = next((Path(p) for p in paths if str(p) != "-"), Path("."))
    config = load_config(start, config_path)
    packcache.use(find_root(config.root if config.path else start))  # compiled packs: the project's cache
    settings = config.settings(select, ignore, lang)
    d = config.data
    if not (select or ignore or settings.packs or settings.lexicon_folders or d.get("select") or d.get("ignore")
            or d.get("rules") or d.get("overrides")):
        return config, None
    rules = all_rules(config, select, ignore, lang)
    ids = known_ids(rules)
    check(select or (), ids, "--select")
    check(ignore or (), ids, "--ignore")
    check_config(config, ids)
    return config, rules


def all_rules(config, select, ignore, lang) -> list:
    """Every rule loaded for a run with this config and these options (built-in and user packs)."""
    from .api import linter_for

    return linter_for(config.settings(select, ignore, lang)).all_rules
