import pytest

import promiselint
from promiselint.core.findings import severity_rank


@pytest.fixture(scope="session")
def lint():
    """lint(text, fmt="txt", lang=None) -> FileResult, rules compiled once."""
    def run(text, fmt="txt", lang=None, **kw):
        return promiselint.check_text(text, format=fmt, lang=lang, **kw)
    return run


def alarms(result, prefix=""):
    return [f for f in result.findings if f.rule.startswith(prefix)
            and severity_rank(f.severity) >= severity_rank("warning")]


@pytest.fixture
def fresh(monkeypatch):
    """A process state as a fresh run starts with: nothing derived, compiled or loaded."""
    from promiselint.checks import disclosures
    from promiselint.match import prefilter
    from promiselint.project import api

    monkeypatch.delenv("PROMISELINT_PREFILTER", raising=False)
    monkeypatch.setattr(api, "_LINTERS", {})
    monkeypatch.setattr(prefilter, "_KNOWN", {})
    monkeypatch.setattr(prefilter, "_STORED", {})
    monkeypatch.setattr(prefilter, "_LEARNED", {})
    monkeypatch.setattr(prefilter, "_EAGER", [False])
    prefilter._requirements.cache_clear()
    prefilter._requirement_groups.cache_clear()
    disclosures.load_lexicon.cache_clear()
    yield
    disclosures.load_lexicon.cache_clear()


