"""Rule ids: which ones a run knows, whether a name selects any, and did-you-mean."""
from __future__ import annotations

from promiselint.read.problems import MESSAGES as INPUT_PROBLEMS

# ids of findings that do not come from a rule pack: input problems and suppressions
EXTRA_IDS = frozenset({"suppression.no-reason", "suppression.unknown-rule", *INPUT_PROBLEMS})


def known_ids(rules) -> frozenset[str]:
    """Every id a finding can carry with these rules loaded (built-in and user packs)."""
    return frozenset(r.id for r in rules) | EXTRA_IDS


def is_known(spec: str, ids) -> bool:
    """`spec` names a rule or a prefix of at least one (``promise``, ``promise.free``)."""
    name = spec.strip().rstrip(".")
    return bool(name) and (name in ids or any(i.startswith(name + ".") for i in ids))


def hint(spec: str, ids) -> str:
    """' (did you mean ...?)' for the closest id or category, else where to look."""
    import difflib  # (here: only an unknown id needs it, not a check's start)

    names = sorted(set(ids) | {i.split(".")[0] for i in ids})
    close = difflib.get_close_matches(spec.strip(), names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else " (`promiselint rules` lists them)"
