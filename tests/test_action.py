"""The GitHub Action (action.yml), run here as far as this machine allows: its
shell steps run the way the GitHub runner runs them (bash -eo pipefail, inputs
through env, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY), `uses:` steps are recorded
instead of run, and the inputs are the ones people write in workflows."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .test_ci_files import CLAIMS, ENV, ROOT, check_jsonschema, cli_has, git, write_tree

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_schema_and_shape():
    check_jsonschema("vendor.github-actions", ROOT / "action.yml")
    assert ACTION["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    # every input referenced exists; inputs reach scripts only through env (no injection)
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    for name in re.findall(r"inputs\.([\w-]+)", text):
        assert name in ACTION["inputs"], name
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
        if "run" in step:
            assert step["shell"] == "bash"


def test_action_caches_the_install_and_the_findings():
    caches = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    paths = {s["with"]["path"] for s in caches}
    assert ".promiselint_cache" in paths and "${{ steps.spec.outputs.venv }}" in paths
    for s in caches:
        assert s["if"] == "${{ inputs.cache == 'true' }}"
        # keyed by what was installed (its files' hash or its version) and the OS
        assert "steps.spec.outputs.key" in s["with"]["key"] and "runner.os" in s["with"]["key"]
    [venv] = [s for s in caches if s["with"]["path"] != ".promiselint_cache"]
    assert "steps.python.outputs.python-version" in venv["with"]["key"]
    [findings] = [s for s in caches if s["with"]["path"] == ".promiselint_cache"]
    assert "hashFiles('**/.promiselint.yaml')" in findings["with"]["key"]
    assert findings["with"]["restore-keys"].strip() in findings["with"]["key"]


def _lookup(path: str, ctx: dict) -> str:
    head, _, rest = path.partition(".")
    if head == "inputs":
        return ctx["inputs"][rest]
    if head == "github":
        return {"action_path": str(ROOT), "workspace": str(ctx["cwd"])}[rest]
    if head == "steps":
        step, _, out = rest.partition(".outputs.")
        return ctx["outputs"].get(step, {}).get(out, "")
    raise KeyError(path)


def _expr(e: str, ctx: dict):
    e = e.strip()
    if e.startswith("${{"):
        e = e[3:-2]
    py = e.replace("&&", " and ").replace("||", " or ").replace("always()", "True")
    py = re.sub(r"\b(inputs|steps|github)\.[\w.-]+", lambda m: repr(_lookup(m.group(), ctx)), py)
    return eval(py, {"__builtins__": {}}, {"True": True})  # noqa: S307 - our own action file


def _interp(s: str, ctx: dict) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(_expr(m.group(1), ctx)), str(s))


def _outputs(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def run_action(cwd: Path, skip_install: bool = True, env: dict | None = None, **inputs) -> dict:
    """Run action.yml's steps like a runner would; returns outputs, uses-steps run, final code."""
    ctx = {"inputs": {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()},
           "outputs": {}, "cwd": cwd}
    ctx["inputs"].update({k.replace("_", "-"): str(v) for k, v in inputs.items()})
    used, logs, code, failed = [], [], 0, False
    for step in ACTION["runs"]["steps"]:
        if failed and "always()" not in str(step.get("if", "")):
            continue  # after a failure only `if: always()` steps run
        if "if" in step and not _expr(str(step["if"]), ctx):
            continue
        if "uses" in step:
            used.append(step["uses"].split("@")[0])
            continue
        if skip_install and step["name"] == "Install promiselint":
            continue
        out_file = cwd / f".gh-output-{len(logs)}"
        out_file.write_text("")
        step_env = {**ENV, **(env or {}), **{k: _interp(v, ctx) for k, v in step.get("env", {}).items()},
                    "GITHUB_OUTPUT": str(out_file)}
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                           cwd=cwd, env=step_env, capture_output=True, text=True, timeout=300)
        logs.append(r.stdout + r.stderr)
        if step.get("id"):
            ctx["outputs"][step["id"]] = _outputs(out_file)
        code = r.returncode
        failed = failed or code != 0
    return {"outputs": ctx["outputs"].get("run", {}), "all": ctx["outputs"], "uses": used, "code": code,
            "log": "\n".join(logs)}


@pytest.fixture
def content(tmp_path):
    write_tree(tmp_path, CLAIMS)
    return tmp_path


def test_action_sarif_run_uploads_and_fails(content):
    res = run_action(content, paths="content")
    assert res["outputs"]["exit-code"] == "1"
    assert res["uses"] == ["actions/setup-python", "actions/cache", "actions/cache",
                           "github/codeql-action/upload-sarif"]
    assert res["code"] == 1  # the job fails after the upload
    sarif = json.loads((content / "promiselint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {"content/charger.md", "content/ar.txt"} <= uris
    assert "الأرخص" in res["log"]  # the findings are readable in the log too (--output-file)


def test_action_cache_off(content):
    res = run_action(content, paths="content/clean.txt", cache="false")
    assert res["uses"] == ["actions/setup-python", "github/codeql-action/upload-sarif"]


def test_action_chooses_what_to_install(content):
    own = run_action(content, paths="content/clean.txt")["all"]["spec"]
    assert own["spec"] == str(ROOT) and re.fullmatch(r"[0-9a-f]{20}", own["key"])
    assert own["venv"].endswith("promiselint-venv")
    pinned = run_action(content, paths="content/clean.txt", version="0.2.0")["all"]["spec"]
    assert pinned["spec"] == "promiselint==0.2.0" and pinned["key"] == "0.2.0"
    other = run_action(content, paths="content/clean.txt", version="promiselint[arabic]>=0.2")["all"]["spec"]
    assert other["spec"] == "promiselint[arabic]>=0.2" and other["key"] != own["key"]


def test_action_clean_copy_passes(content):
    res = run_action(content, paths="content/clean.txt")
    assert res["outputs"]["exit-code"] == "0" and res["code"] == 0
    assert "github/codeql-action/upload-sarif" in res["uses"]


def test_action_annotations_fail_on_and_step_summary(content):
    summary = content / "summary.md"
    res = run_action(content, env={"GITHUB_STEP_SUMMARY": str(summary)}, paths="content", format="github")
    assert res["code"] == 1 and "github/codeql-action/upload-sarif" not in res["uses"]
    assert re.search(r"^::error file=content/ar.txt,line=1,", res["log"], re.M)
    assert "::error file=content/charger.md,line=3," in res["log"]
    table = summary.read_text(encoding="utf-8")
    assert "| `superlative.unverified` | error | 2 |" in table
    assert "| content/ar.txt | 1 | error | `superlative.unverified` |" in table
    never = run_action(content, paths="content", format="github", fail_on="never")
    assert never["code"] == 0 and never["outputs"]["exit-code"] == "0"


def test_action_usage_error_skips_upload(content):
    res = run_action(content, paths="no-such-folder")
    assert res["outputs"]["exit-code"] == "2" and res["code"] == 2
    assert "github/codeql-action/upload-sarif" not in res["uses"]
    assert "::error title=promiselint::promiselint could not run" in res["log"]


def rules_in(log: str) -> set[str]:
    return set(re.findall(r"title=(\w+\.[\w.-]+)::", log))


@pytest.mark.parametrize("args,expected", [
    ("--select promise", set()),  # no promise claims in this copy
    ('--select "superlative,promise"', {"superlative.unverified"}),
    ("--select 'superlative.unverified' --ignore=\"claim\"", {"superlative.unverified"}),
    ("--select superlative\n--fail-on never", {"superlative.unverified"}),
])
def test_action_args_follow_shell_quoting(content, args, expected):
    res = run_action(content, paths="content", format="github", args=args)
    assert res["outputs"]["exit-code"] in ("0", "1"), res["log"]
    assert rules_in(res["log"]) == expected, res["log"]


def test_action_typo_in_args_is_an_error_not_a_pass(content):
    res = run_action(content, paths="content", format="github", args="--select superlativ")
    assert res["outputs"]["exit-code"] == "2" and res["code"] == 2
    assert "did you mean 'superlative'" in res["log"]


def test_action_unbalanced_quote_is_an_error(content):
    res = run_action(content, paths="content", format="github", args='--select "superlative')
    assert res["outputs"]["exit-code"] == "2" and res["code"] == 2
    assert "::error title=promiselint::the args input: No closing quotation" in res["log"]
    assert "Traceback" not in res["log"]


@pytest.mark.parametrize("paths", [
    "content/charger.md\ncontent/ar.txt\n",          # a `paths: |` block
    "  content/charger.md   content/ar.txt  ",       # spaces
    "content/charger.md\n\n  'content/ar.txt'\n",     # blank lines, quotes
])
def test_action_paths_newline_or_space_separated(content, paths):
    res = run_action(content, paths=paths, format="github")
    assert "file=content/charger.md," in res["log"] and "file=content/ar.txt," in res["log"], res["log"]


def test_action_path_with_spaces_and_leading_dash(content):
    write_tree(content, {"my copy/-draft.txt": "The cheapest in town.\n"})
    res = run_action(content, paths='"my copy/-draft.txt"', format="github")
    assert res["outputs"]["exit-code"] == "1", res["log"]
    assert "file=my copy/-draft.txt," in res["log"]


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_action_diff_base_and_baseline(content):
    if not (cli_has("--diff-base") and cli_has("--baseline")):
        pytest.skip("`promiselint check` has no --diff-base/--baseline yet")
    git(content, "init", "-q", "-b", "main")
    git(content, "add", "-A")
    git(content, "commit", "-q", "-m", "old copy")
    (content / "content" / "new.md").write_text("Guaranteed results in 7 days.\n", encoding="utf-8")
    res = run_action(content, paths="content", format="github", diff_base="HEAD")
    assert res["code"] == 1 and "content/new.md" in res["log"] and "content/ar.txt" not in res["log"]
    subprocess.run([sys.executable, "-m", "promiselint.cli", "baseline", "content", "-o", "bl.json"],
                   cwd=content, env=ENV, check=True, capture_output=True)
    res = run_action(content, paths="content", format="github", baseline="bl.json")
    assert res["code"] == 0, res["log"]


@pytest.mark.skipif(os.environ.get("PROMISELINT_SLOW_TESTS") != "1",
                    reason="installs promiselint from the checkout into a new venv; set PROMISELINT_SLOW_TESTS=1")
def test_action_install_step(tmp_path):
    step = next(s for s in ACTION["runs"]["steps"] if s["name"] == "Install promiselint")
    gh_path = tmp_path / "github_path"
    env = {**os.environ, "PL_SPEC": str(ROOT), "PL_VENV": str(tmp_path / "venv"), "PL_CACHED": "",
           "GITHUB_PATH": str(gh_path)}
    r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=env, capture_output=True,
                       text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "promiselint" in r.stdout
    assert gh_path.read_text().strip() == str(tmp_path / "venv" / "bin")
    # a restored (cached) install is used as it is
    r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env={**env, "PL_CACHED": "true"},
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "promiselint" in r.stdout
