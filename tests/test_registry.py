"""Claims registry: valid evidence silences, expired evidence is an error,
promises faster than the registered service level are flagged with both numbers."""
import datetime as dt
import json
import subprocess
import sys

import pytest

EXE = [sys.executable, "-m", "promiselint.cli"]
NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def project(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "audit.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".promiselint.yaml").write_text("claims: claims.yaml\n")
    (tmp_path / "claims.yaml").write_text(f"""\
claims:
  - id: fastest-riyadh
    claim: {{en: ["fastest delivery in Riyadh"], ar: ["الأسرع في الرياض"]}}
    evidence: evidence/audit.pdf
    owner: ops@example.com
    expires: {NEXT_YEAR}-12-31
  - id: cheapest-2023
    claim: {{en: ["cheapest kettles"], fa: ["ارزان‌ترین کتری"]}}
    evidence: https://example.com/price-survey-2023
    owner: marketing@example.com
    expires: 2023-12-31
  - id: best-no-file
    claim: {{en: ["best tea in town"]}}
    evidence: evidence/missing.pdf
service_levels:
  - {{name: Riyadh, where: {{en: [Riyadh], ar: [الرياض]}}, hours: 24}}
  - {{name: elsewhere, hours: 48}}
""", encoding="utf-8")
    return tmp_path


def check(project, text, name="copy.txt"):
    (project / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(EXE + ["check", "--format", "json", name], cwd=project, capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return json.loads(proc.stdout)["files"][0]["findings"]


def test_registered_claim_with_valid_evidence_passes(project):
    assert check(project, "The fastest delivery in Riyadh.") == []
    assert check(project, "متجرنا الأسرع في الرياض.") == []


def test_expired_claim_is_an_error_that_says_so(project):
    findings = check(project, "Our cheapest kettles ever.")
    expired = [f for f in findings if f["rule"] == "claim.expired-evidence"]
    assert expired and expired[0]["severity"] == "error" and "2023-12-31" in expired[0]["message"]
    assert any(f["rule"] == "superlative.unverified" for f in findings)  # no longer vouched for
    fa = [f for f in check(project, "ارزان‌ترین کتری بازار") if f["rule"] == "claim.expired-evidence"]
    assert fa and "منقضی" in fa[0]["message"]


def test_missing_evidence_file_is_reported(project):
    findings = [f for f in check(project, "The best tea in town.") if f["rule"] == "claim.expired-evidence"]
    assert findings and "evidence/missing.pdf" in findings[0]["message"]


def test_promise_faster_than_service_level(project):
    slow = [f for f in check(project, "Delivery within 24 hours in Jeddah for orders placed by 2pm.")
            if f["rule"] == "promise.service-level"]
    assert slow and "24" in slow[0]["message"] and "48" in slow[0]["message"]
    assert slow[0]["value"]["registered_hours"] == 48
    ok = check(project, "Delivery within 24 hours in Riyadh for orders placed by 2pm.")
    assert not [f for f in ok if f["rule"].startswith("promise.")]
    ar = [f for f in check(project, "التوصيل خلال 12 ساعة داخل الرياض للطلبات قبل الساعة 2 ظهراً.")
          if f["rule"] == "promise.service-level"]
    assert ar and "24" in ar[0]["message"] and "12" in ar[0]["message"]


def test_claims_command_lists_status_and_uses(project):
    (project / "page.md").write_text("# Shop\n\nThe fastest delivery in Riyadh!\n", encoding="utf-8")
    out = subprocess.run(EXE + ["claims", "."], cwd=project, capture_output=True, text=True).stdout
    assert "fastest-riyadh" in out and "valid" in out and "page.md:3" in out
    assert "cheapest-2023" in out and "expired" in out and "missing-evidence" in out


def test_init_writes_starter_config_and_registry(tmp_path):
    proc = subprocess.run(EXE + ["init", "--claims"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0
    assert (tmp_path / ".promiselint.yaml").exists() and "service_levels" in (tmp_path / "claims.yaml").read_text()
    again = subprocess.run(EXE + ["init"], cwd=tmp_path, capture_output=True, text=True)
    assert again.returncode == 2 and "exists" in again.stderr
    # the starter files are valid: check runs with them
    (tmp_path / ".promiselint.yaml").write_text((tmp_path / ".promiselint.yaml").read_text() + "claims: claims.yaml\n")
    (tmp_path / "a.txt").write_text("Hello")
    assert subprocess.run(EXE + ["check", "a.txt"], cwd=tmp_path, capture_output=True).returncode == 0
