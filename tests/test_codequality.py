"""GitLab Code Quality report."""
from __future__ import annotations

import json

import promiselint
from promiselint.core.findings import FileResult, Finding
from promiselint.report.codequality import render


def f(rule, text, line, severity="error", offset=0):
    return Finding(rule, rule.split(".")[0], severity, f"{text} needs evidence", offset,
                   offset + len(text), text, "en", suggestion="say fast", line=line, end_line=line)


def test_required_fields_and_severity_mapping():
    res = [FileResult("./content/p.md", "en", [f("superlative.unverified", "fastest", 3),
                                               f("superlative.puffery", "amazing", 4, "warning"),
                                               f("claim.testimonial", "Trustpilot", 9, "info")])]
    issues = json.loads(render(res))
    assert [i["severity"] for i in issues] == ["major", "minor", "info"]
    for i in issues:
        assert set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["location"]["path"] == "content/p.md"
        assert isinstance(i["location"]["lines"]["begin"], int)
        assert len(i["fingerprint"]) == 64
    assert issues[0]["check_name"] == "superlative.unverified"
    assert issues[0]["location"]["lines"]["begin"] == 3
    assert "fastest" in issues[0]["description"] and "say fast" in issues[0]["description"]


def test_fingerprint_survives_moved_lines_and_separates_duplicates():
    before = json.loads(render([FileResult("p.md", "en", [f("superlative.unverified", "fastest", 3)])]))
    after = json.loads(render([FileResult("p.md", "en", [f("superlative.unverified", "fastest", 30),
                                                         f("superlative.unverified", "fastest", 31)])]))
    assert before[0]["fingerprint"] == after[0]["fingerprint"]
    assert after[0]["fingerprint"] != after[1]["fingerprint"]  # GitLab needs unique ones
    other = json.loads(render([FileResult("q.md", "en", [f("superlative.unverified", "fastest", 3)])]))
    assert other[0]["fingerprint"] != before[0]["fingerprint"]


def test_disclosure_findings_have_a_line():
    res = [FileResult("p.html", "en", [Finding("disclosure.privacy-policy", "disclosure", "error",
                                               "No privacy policy", 0, 0, "", "en")])]
    [issue] = json.loads(render(res))
    assert issue["location"]["lines"]["begin"] == 1


def test_real_findings_render_as_json_array():
    r = promiselint.check_text("متجرنا الأرخص في المملكة", filename="p.txt")
    out = render([r])
    issues = json.loads(out)
    assert issues and all(i["location"]["path"] == "p.txt" for i in issues)
    assert "الأرخص" in out  # readable, not escaped
    assert render([]) == "[]\n"
