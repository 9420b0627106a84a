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
