"""The CLI contract: exit codes, JSON shape, bad input as one line and exit 2."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = [sys.executable, "-m", "promiselint.cli"]


def run(*args, cwd=None, stdin=None):
    return subprocess.run(EXE + list(args), cwd=cwd, input=stdin, capture_output=True)


def test_json_contract_and_exit_1(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("Our *fastest* delivery ever.\n\nأرخص سعر في مصر!\n", encoding="utf-8")
    proc = run("check", "--format", "json", str(page))
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["version"] == 1 and report["summary"]["error"] >= 2
    text = page.read_text(encoding="utf-8")
    for f in report["files"][0]["findings"]:
        assert set(f) >= {"rule", "category", "severity", "message", "line", "column", "end_line",
                          "end_column", "offset", "end_offset", "text", "language", "suggestion"}
        assert text[f["offset"]:f["end_offset"]] == f["text"]
    assert {f["language"] for f in report["files"][0]["findings"]} == {"en", "ar"}


def test_clean_file_exits_0_and_fail_on_never(tmp_path):
    (tmp_path / "ok.txt").write_text("Free shipping on UK orders over £40.", encoding="utf-8")
    assert run("check", str(tmp_path / "ok.txt")).returncode == 0
    (tmp_path / "bad.txt").write_text("The cheapest in town.", encoding="utf-8")
    assert run("check", "--fail-on", "never", str(tmp_path / "bad.txt")).returncode == 0


def test_select_and_ignore_prefixes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("The fastest delivery. Free shipping on everything!", encoding="utf-8")
    rules = lambda *a: {x["rule"] for x in json.loads(run("check", "--format", "json", *a, str(f)).stdout)["files"][0]["findings"]}
    assert rules("--select", "promise") == {"promise.free"}
    assert "promise.free" not in rules("--ignore", "promise.free")


def test_stdin_with_filename_picks_format():
    proc = run("check", "--format", "json", "--stdin-filename", "x.html", "-",
               stdin="<p>The <b>fastest</b> charger</p><script>var best=1</script>".encode())
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [f["text"] for f in findings] == ["fastest"]


@pytest.mark.parametrize("setup,needle", [
    (lambda d: None, "no such file"),
    (lambda d: (d / ".promiselint.yaml").write_text("rules: [unclosed\n"), ".promiselint.yaml:"),
    (lambda d: (d / ".promiselint.yaml").write_text("rulez: {}\n"), "did you mean 'rules'"),
])  # a malformed file is an input.invalid finding, not exit 2: tests/test_bad_input.py
def test_bad_input_is_one_line_and_exit_2(tmp_path, setup, needle):
    setup(tmp_path)
    target = tmp_path / ("missing.txt" if needle == "no such file" else "")
    proc = run("check", str(target), cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_broken_rule_pack_names_file_and_line(tmp_path):
    (tmp_path / "pack.yaml").write_text("rules:\n  - id: claim.x\n    message: [oops\n")
    (tmp_path / ".promiselint.yaml").write_text("packs: [pack.yaml]\n")
    (tmp_path / "a.txt").write_text("hello")
    proc = run("check", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "pack.yaml:" in proc.stderr.decode()


def test_encodings_and_binary(tmp_path):
    s = "متجرنا الأرخص في المملكة"
    (tmp_path / "a.txt").write_bytes(s.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(s.encode("utf-16"))
    (tmp_path / "c.txt").write_bytes(b"\xef\xbb\xbf" + s.encode("utf-8"))
    (tmp_path / "d.txt").write_bytes(bytes(range(256)) * 4)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    report = json.loads(run("check", "--format", "json", str(tmp_path)).stdout)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    for name in ("a.txt", "b.txt", "c.txt"):
        assert [f["text"] for f in by_name[name]["findings"]] == ["الأرخص"], name
    assert "binary" in by_name["d.txt"]["notice"]
    assert before == {p.name: p.read_bytes() for p in tmp_path.iterdir()}  # never modified


def test_suppression_with_and_without_reason(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("<!-- promiselint-disable-next-line superlative -- award on /awards -->\n"
                 "The fastest kettle.\n\n<!-- promiselint-disable-next-line -->\nThe cheapest kettle.\n",
                 encoding="utf-8")
    rules = [x["rule"] for x in json.loads(run("check", "--format", "json", str(f)).stdout)["files"][0]["findings"]]
    assert rules.count("superlative.unverified") == 0
    assert "suppression.no-reason" in rules


def test_sarif_and_github_outputs(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("The fastest kettle.", encoding="utf-8")
    sarif = json.loads(run("check", "--format", "sarif", str(f)).stdout)
    assert sarif["version"] == "2.1.0"
    res = sarif["runs"][0]["results"][0]
    assert res["ruleId"] == "superlative.unverified" and res["locations"][0]["physicalLocation"]["region"]["startColumn"] == 5
    gh = run("check", "--format", "github", str(f)).stdout.decode()
    assert gh.startswith("::error file=") and "line=1,col=5" in gh


def test_rules_and_explain():
    out = run("rules").stdout.decode()
    assert "superlative.unverified" in out and "promise.delivery-time" in out
    ex = run("explain", "superlative.unverified", "--lang", "ar").stdout.decode()
    assert "FAIL" in ex and "References" in ex
    assert run("explain", "nope.rule").returncode == 2


def test_site_mode_follows_footer_links(tmp_path):
    footer = ("<footer><a href='privacy.html'>Privacy policy</a> <a href='returns.html'>Returns</a> "
              "<a href='contact.html'>Contact us</a> <a href='terms.html'>Terms</a></footer>")
    (tmp_path / "index.html").write_text(f"<html><body><p>Welcome.</p>{footer}</body></html>")
    (tmp_path / "privacy.html").write_text(f"<html><body><h1>Privacy policy</h1><p>Privacy policy page content goes here.</p>{footer}</body></html>")
    (tmp_path / "returns.html").write_text(f"<html><body><h1>Returns</h1><p>Return any unused item within 30 days of delivery for a full refund to the original payment method.</p>{footer}</body></html>")
    (tmp_path / "terms.html").write_text(f"<html><body><h1>Terms and conditions</h1><p>These terms govern every order placed with Example Ltd, registered in England, and limit our liability as the law allows.</p>{footer}</body></html>")
    report = json.loads(run("check", "--site", "--format", "json", "--select", "disclosure", str(tmp_path)).stdout)
    index = next(f for f in report["files"] if f["path"].endswith("index.html"))
    rules = sorted(f["rule"] for f in index["findings"])
    assert rules == ["disclosure.broken-link", "disclosure.placeholder-policy"], rules
    page_mode = json.loads(run("check", "--format", "json", "--select", "disclosure", str(tmp_path / "index.html")).stdout)
    assert page_mode["files"][0]["findings"] == []  # alone, the footer links count


def test_sarif_validates_against_the_official_schema(tmp_path):
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    (tmp_path / "a.md").write_text("# The fastest kettle\n\nأرخص سعر في مصر!\n\nسریع‌ترین ارسال\n", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Price: £40</p></body></html>", encoding="utf-8")
    sarif = json.loads(run("check", "--format", "sarif", str(tmp_path)).stdout)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    assert len(sarif["runs"][0]["results"]) >= 5
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[-1]
            for r in sarif["runs"][0]["results"]} == {"a.md", "b.html"}


def test_config_overrides_severity_exclude_and_per_glob_rules(tmp_path):
    (tmp_path / ".promiselint.yaml").write_text(
        "rules: {superlative.unmatched: off, promise: warning}\n"
        "exclude: [vendor/]\n"
        "overrides:\n  - files: ['legal/*']\n    rules: {superlative: off}\n", encoding="utf-8")
    for folder in ("vendor", "legal", "copy"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("The fastest kettle. Unmatched quality. Free shipping on everything!",
                                                 encoding="utf-8")
    proc = run("check", "--format", "json", ".", cwd=tmp_path)
    files = {f["path"]: f["findings"] for f in json.loads(proc.stdout)["files"]}
    assert set(files) == {"copy/a.txt", "legal/a.txt"}  # vendor/ excluded
    copy = {(f["rule"], f["severity"]) for f in files["copy/a.txt"]}
    assert copy == {("superlative.unverified", "error"), ("promise.free", "warning")}
    assert {f["rule"] for f in files["legal/a.txt"]} == {"promise.free"}


def test_lang_attribute_front_matter_and_flag_override_detection(tmp_path):
    # "ضمانت اصالت" has no telling letters: Arabic by default, Persian when declared
    html = tmp_path / "p.html"
    html.write_text('<p lang="fa">ضمانت اصالت</p>', encoding="utf-8")
    md = tmp_path / "p.md"
    md.write_text("---\nlang: fa\n---\nضمانت اصالت\n", encoding="utf-8")
    txt = tmp_path / "p.txt"
    txt.write_text("ضمانت اصالت", encoding="utf-8")
    rules = lambda *a: [f["rule"] for f in json.loads(run("check", "--format", "json", *a).stdout)["files"][0]["findings"]]
    assert rules(str(html)) == ["promise.guarantee"]
    assert rules("--select", "promise", str(md)) == ["promise.guarantee"]
    assert rules(str(txt)) == []
    assert rules("--lang", "fa", str(txt)) == ["promise.guarantee"]


# -- unknown rule ids are errors, never silent passes ---------------------------------------

@pytest.mark.parametrize("config,args,needle", [
    (None, ["--select", "superlativ"], "--select: unknown rule or prefix 'superlativ' (did you mean 'superlative'?)"),
    (None, ["--ignore", "promise.fre"], "--ignore: unknown rule or prefix 'promise.fre' (did you mean 'promise.free'?)"),
    (None, ["--select", "promise,nothing.like.it"], "'nothing.like.it'"),
    ("rules: {superlative.unverifed: off}\n", [], "rules: unknown rule or prefix 'superlative.unverifed'"),
    ("select: [promis]\n", [], "select: unknown rule or prefix 'promis' (did you mean 'promise'?)"),
    ("ignore: [claim.urgent]\n", [], "ignore: unknown rule or prefix 'claim.urgent'"),
    ("overrides:\n  - files: ['*.txt']\n    rules: {superlatives: off}\n", [],
     "overrides[1].rules: unknown rule or prefix 'superlatives'"),
])
def test_unknown_rule_ids_are_usage_errors(tmp_path, config, args, needle):
    (tmp_path / "a.txt").write_text("The fastest kettle.", encoding="utf-8")
    if config:
        (tmp_path / ".promiselint.yaml").write_text(config, encoding="utf-8")
    proc = run("check", *args, "a.txt", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and needle in err and len(err.strip().splitlines()) == 1, err
    assert proc.stdout == b""  # nothing checked, nothing reported
    if config is None and "promise.fre" in args:  # `baseline` validates the same way
        assert run("baseline", *args, "a.txt", cwd=tmp_path).returncode == 2


def test_ids_from_user_packs_are_known(tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "rules:\n  - id: house.halal\n    category: claim\n    severity: warning\n"
        "    match: {en: ['\\bhalal certified\\b']}\n    message: {en: 'name the body'}\n", encoding="utf-8")
    (tmp_path / ".promiselint.yaml").write_text("packs: [pack.yaml]\nrules: {house: error}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Halal certified chicken.\n\n"
                                   "<!-- promiselint-disable-next-line house.halal -- certificate 12 on file -->\n"
                                   "Halal certified lamb.\n", encoding="utf-8")
    proc = run("check", "--format", "json", "--select", "house", "a.md", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    [f] = json.loads(proc.stdout)["files"][0]["findings"]
    assert f["rule"] == "house.halal" and f["severity"] == "error" and f["line"] == 1


def test_unknown_rule_in_a_suppression_comment_is_a_finding(tmp_path):
    (tmp_path / "a.md").write_text("<!-- promiselint-disable-next-line superlativ.unverified -- award -->\n"
                                   "The fastest kettle.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The cheapest kettle.\n", encoding="utf-8")
    proc = run("check", "--format", "json", ".", cwd=tmp_path)
    assert proc.returncode == 1
    files = {f["path"]: f["findings"] for f in json.loads(proc.stdout)["files"]}
    rules = sorted(f["rule"] for f in files["a.md"])
    assert rules == ["superlative.unverified", "suppression.unknown-rule"]  # the typo suppressed nothing
    bad = next(f for f in files["a.md"] if f["rule"] == "suppression.unknown-rule")
    assert bad["line"] == 1 and bad["severity"] == "error"
    assert "did you mean 'superlative.unverified'" in bad["message"]
    assert [f["rule"] for f in files["b.txt"]] == ["superlative.unverified"]  # the run went on


# -- reports: --output-file, --statistics, --quiet, step summary --------------------------------

def test_output_file_gets_the_report_and_the_terminal_the_findings(tmp_path):
    (tmp_path / "a.txt").write_text("The fastest kettle. The cheapest tea.", encoding="utf-8")
    proc = run("check", "--format", "sarif", "--output-file", "out/report.sarif", "a.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "--output-file out/report.sarif" in proc.stderr.decode()  # no folder
    (tmp_path / "out").mkdir()
    proc = run("check", "--format", "sarif", "-o", "out/report.sarif", "a.txt", cwd=tmp_path)
    assert proc.returncode == 1
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 2
    out = proc.stdout.decode()
    assert "fastest" in out and "1 file(s) checked: 2 error(s)" in out and "$schema" not in out
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.sarif"]  # no temporary left
    proc = run("check", "--output-file", "out/log.txt", "a.txt", cwd=tmp_path)
    assert proc.stdout == b"" and "fastest" in (tmp_path / "out" / "log.txt").read_text(encoding="utf-8")
    assert oct((tmp_path / "out" / "log.txt").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    # the last run's report inside the checked folder is not checked as copy
    for _ in range(2):
        proc = run("check", "--format", "json", "-o", "report.json", ".", cwd=tmp_path)
        report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
        assert sorted(f["path"] for f in report["files"]) == ["a.txt", "out/log.txt"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_statistics_and_quiet(tmp_path):
    (tmp_path / "a.txt").write_text("The fastest kettle. The cheapest tea. Free shipping on everything!",
                                    encoding="utf-8")
    (tmp_path / "b.bin.txt").write_bytes(bytes(range(256)) * 4)
    out = run("check", "--statistics", ".", cwd=tmp_path).stdout.decode()
    assert out.splitlines() == ["2  superlative.unverified  error", "1  promise.free            error"]
    stats = json.loads(run("check", "--statistics", "--format", "json", ".", cwd=tmp_path).stdout)
    assert stats == [{"rule": "superlative.unverified", "severity": "error", "count": 2},
                     {"rule": "promise.free", "severity": "error", "count": 1}]
    quiet = run("check", "-q", ".", cwd=tmp_path)
    text = quiet.stdout.decode()
    assert quiet.returncode == 1 and "fastest" in text
    assert "file(s) checked" not in text and "binary" not in text
    loud = run("check", ".", cwd=tmp_path).stdout.decode()
    assert "file(s) checked" in loud and "binary" in loud


def test_github_format_appends_a_step_summary(tmp_path):
    (tmp_path / "a.txt").write_text("The fastest kettle. The cheapest tea.", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(EXE + ["check", "--format", "github", "a.txt"], cwd=tmp_path, env=env,
                          capture_output=True)
    assert proc.returncode == 1 and proc.stdout.decode().count("::error ") == 2
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("earlier step\n## promiselint")  # appended, not replaced
    assert "**2 error(s), 0 warning(s), 0 note(s)** in 1 file(s) checked" in md
    assert "| `superlative.unverified` | error | 2 |" in md
    assert md.count("| a.txt | 1 | error | `superlative.unverified` |") == 2
    subprocess.run(EXE + ["check", "--format", "json", "a.txt"], cwd=tmp_path, env=env, capture_output=True)
    assert summary.read_text(encoding="utf-8") == md  # only --format github writes it


def test_step_summary_cells_cannot_break_the_table():
    from promiselint.core.findings import FileResult, Finding
    from promiselint.report.github import step_summary

    f = Finding("superlative.unverified", "superlative", "error", "“a|b” <img src=x>\nnext", 0, 3, "a|b", "en",
                line=1, column=1, end_line=1, end_column=4)
    md = step_summary([FileResult("p|q.txt", "en", [f], "a|b")])
    row = md.strip().splitlines()[-1]
    assert row == "| p\\|q.txt | 1 | error | `superlative.unverified` | “a\\|b” &lt;img src=x&gt; next |"


# -- excludes and adoption ---------------------------------------------------------------------

def test_force_exclude_applies_config_excludes_to_named_files(tmp_path):
    (tmp_path / ".promiselint.yaml").write_text("exclude: [drafts/, '*.min.html']\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text("The fastest kettle.", encoding="utf-8")
    (tmp_path / "p.min.html").write_text("<p>The fastest kettle.</p>", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("The cheapest tea.", encoding="utf-8")
    paths = lambda *a: [f["path"] for f in json.loads(run("check", "--format", "json", *a, cwd=tmp_path).stdout)["files"]]
    assert paths("drafts/a.txt", "p.min.html", "ok.txt") == ["drafts/a.txt", "p.min.html", "ok.txt"]
    assert paths("--force-exclude", "drafts/a.txt", "p.min.html", "ok.txt") == ["ok.txt"]
    assert paths("--force-exclude", "drafts") == []
    proc = run("check", "--force-exclude", "drafts/a.txt", cwd=tmp_path)
    assert proc.returncode == 0 and b"0 file(s) checked" in proc.stdout  # not "." instead
    proc = run("check", "--force-exclude", "--stdin-filename", "drafts/x.txt", "-", cwd=tmp_path,
               stdin=b"The fastest kettle.")
    assert proc.returncode == 0


def test_init_claims_enables_the_registry(tmp_path):
    assert run("init", "--claims", cwd=tmp_path).returncode == 0
    assert "\nclaims: claims.yaml\n" in (tmp_path / ".promiselint.yaml").read_text(encoding="utf-8")
    proc = run("claims", ".", cwd=tmp_path)
    assert proc.returncode == 0 and "best-seller-2026" in proc.stdout.decode()
    assert run("init", "--claims", cwd=tmp_path).returncode == 2  # exists: --force to overwrite


def test_cache_notices_evidence_disappearing(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root, where the cache lives
    assert run("init", "--claims", cwd=tmp_path).returncode == 0
    evidence = tmp_path / "evidence" / "sales-report-2026-q1.pdf"
    evidence.parent.mkdir()
    evidence.write_bytes(b"%PDF")
    (tmp_path / "a.txt").write_text("Try our best-selling kettle today.", encoding="utf-8")
    rules = lambda: [f["rule"] for f in json.loads(run("check", "--format", "json", "a.txt", cwd=tmp_path).stdout)["files"][0]["findings"]]
    assert rules() == [] and rules() == []  # the second run comes from the cache
    assert (tmp_path / ".promiselint_cache").is_dir()
    evidence.unlink()
    assert rules() == ["claim.expired-evidence"]
    evidence.write_bytes(b"%PDF")
    assert rules() == []


def test_page_disclosures_survive_an_appended_line_after_a_baseline(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: Kettle\n---\n\n# Kettle\n\nA steel kettle.\n", encoding="utf-8")
    assert run("baseline", "p.md", "-o", "bl.json", cwd=tmp_path).returncode == 0
    assert json.loads(run("check", "--format", "json", "--select", "disclosure", "p.md",
                          cwd=tmp_path).stdout)["summary"]["findings"] >= 3  # the page owes disclosures
    assert run("check", "--baseline", "bl.json", "p.md", cwd=tmp_path).returncode == 0
    with page.open("a", encoding="utf-8") as fh:
        fh.write("\nNow in green.\n")
    proc = run("check", "--baseline", "bl.json", "--format", "json", "p.md", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["summary"]["findings"] == 0


def test_persian_suggestion_without_a_safer_word_is_a_whole_sentence():
    import promiselint

    [f] = promiselint.check_text("پیشرفته‌ترین گوشی بازار", lang="fa").findings
    assert f.suggestion == "منبع و تاریخ را ذکر کنید"
    [f] = promiselint.check_text("The comfiest sofa in town.", filename="a.txt").findings
    assert not f.suggestion.rstrip().endswith((" say", " or"))


# -- SARIF --------------------------------------------------------------------------------------

def test_sarif_fingerprints_unique_help_and_no_placeholder(tmp_path):
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    (tmp_path / "a.txt").write_text("The fastest kettle.\n\nThe fastest kettle.\n\nThe fastest kettle.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("The fastest kettle.\n", encoding="utf-8")
    sarif = json.loads(run("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    results = sarif["runs"][0]["results"]
    prints = [r["partialFingerprints"]["promiselint/v1"] for r in results]
    assert len(results) == 4 and len(set(prints)) == 4
    # stable: moving the findings down a file keeps their fingerprints
    (tmp_path / "a.txt").write_text("Intro.\n\n" + (tmp_path / "a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    again = json.loads(run("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    assert sorted(r["partialFingerprints"]["promiselint/v1"] for r in again["runs"][0]["results"]) == sorted(prints)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver and "example" not in json.dumps(driver)
    [rule] = driver["rules"]
    explained = run("explain", "superlative.unverified").stdout.decode().strip()
    assert rule["help"]["text"] == explained
    assert rule["help"]["markdown"].startswith("**superlative.unverified**") and "References" in rule["help"]["markdown"]


@pytest.mark.skipif(not __import__("shutil").which("git"), reason="git is not installed")
def test_changed_files_from_git_respect_config_excludes(tmp_path):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(tmp_path)}
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, env=env, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    (tmp_path / ".promiselint.yaml").write_text("exclude: [vendor/]\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "config")
    for folder in ("vendor", "content"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("The fastest kettle.", encoding="utf-8")
    for args in (["--changed"], ["--diff-base", "HEAD", "."]):
        proc = run("check", "--format", "json", *args, cwd=tmp_path)
        assert [f["path"] for f in json.loads(proc.stdout)["files"]] == ["content/a.txt"], args
    proc = run("check", "--changed", "vendor", cwd=tmp_path)
    assert proc.returncode == 0 and b"0 file(s) checked" in proc.stdout
