"""The CLI contract: exit codes, JSON shape, bad input as one line and exit 2."""
import json
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
