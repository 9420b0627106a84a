"""The CI integrations, run here as far as this machine allows.

- action.yml: schema-checked, and its shell steps run locally the way the
  GitHub runner runs them (bash -eo pipefail, inputs through env, $GITHUB_OUTPUT),
  with `uses:` steps recorded instead of run.
- docs/ci.md: every YAML example parses and matches its schema (GitHub workflow,
  GitLab CI, pre-commit config); the GitLab job's script runs locally and writes a
  Code Quality report.
- .pre-commit-hooks.yaml: validated by pre-commit, and the hook runs for real in
  a temporary git repository (`repo: local` with the manifest's entry and file
  filters; set PROMISELINT_SLOW_TESTS=1 to also let pre-commit pip-install a
  clone of this working tree as `repo:` at a `rev:`).
"""
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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1"}

CLAIMS = {"content/charger.md": "# Charger\n\nThe fastest charger money can buy.\n",
          "content/ar.txt": "متجرنا الأرخص في المملكة\n",
          "content/clean.txt": "A cotton shirt in three colours.\n"}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, env={**ENV, **GIT_ENV, "HOME": str(cwd)},
                          check=True, capture_output=True, text=True).stdout


def check_jsonschema(schema: str, path: Path):
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed")
    r = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def cli_has(option: str) -> bool:
    r = subprocess.run([sys.executable, "-m", "promiselint.cli", "check", "--help"], capture_output=True,
                       text=True, env=ENV, cwd=ROOT)
    return option in r.stdout


# -- action.yml ------------------------------------------------------------------------

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


def run_action(cwd: Path, skip_install: bool = True, **inputs) -> dict:
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
        env = {**ENV, **{k: _interp(v, ctx) for k, v in step.get("env", {}).items()},
               "GITHUB_OUTPUT": str(out_file)}
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                           cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        logs.append(r.stdout + r.stderr)
        if step.get("id"):
            ctx["outputs"][step["id"]] = dict(
                line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line)
        code = r.returncode
        failed = failed or code != 0
    return {"outputs": ctx["outputs"].get("run", {}), "uses": used, "code": code, "log": "\n".join(logs)}


@pytest.fixture
def content(tmp_path):
    write_tree(tmp_path, CLAIMS)
    return tmp_path


def test_action_sarif_run_uploads_and_fails(content):
    res = run_action(content, paths="content")
    assert res["outputs"]["exit-code"] == "1"
    assert res["uses"] == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    assert res["code"] == 1  # the job fails after the upload
    sarif = json.loads((content / "promiselint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {"content/charger.md", "content/ar.txt"} <= uris


def test_action_clean_copy_passes(content):
    res = run_action(content, paths="content/clean.txt")
    assert res["outputs"]["exit-code"] == "0" and res["code"] == 0
    assert "github/codeql-action/upload-sarif" in res["uses"]


def test_action_annotations_and_fail_on(content):
    res = run_action(content, paths="content", format="github")
    assert res["code"] == 1 and "github/codeql-action/upload-sarif" not in res["uses"]
    assert re.search(r"^::error file=content/ar.txt,line=1,", res["log"], re.M)
    assert "::error file=content/charger.md,line=3," in res["log"]
    never = run_action(content, paths="content", format="github", fail_on="never")
    assert never["code"] == 0 and never["outputs"]["exit-code"] == "0"


def test_action_usage_error_skips_upload(content):
    res = run_action(content, paths="no-such-folder")
    assert res["outputs"]["exit-code"] == "2" and res["code"] == 2
    assert "github/codeql-action/upload-sarif" not in res["uses"]
    assert "::error title=promiselint::promiselint could not run" in res["log"]


def test_action_extra_args(content):
    res = run_action(content, paths="content", format="text", args="--select promise")
    assert res["code"] == 0, res["log"]  # no promise claims in this copy


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
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    step = next(s for s in ACTION["runs"]["steps"] if s["name"] == "Install promiselint")
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PL_VERSION": "", "PL_ACTION_PATH": str(ROOT)}
    r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=env, capture_output=True,
                       text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "promiselint" in r.stdout


# -- docs/ci.md examples ------------------------------------------------------------------

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.S)


def blocks_named(pattern: str) -> list[str]:
    return [b for b in YAML_BLOCKS if re.match(r"# " + pattern, b)]


def test_docs_yaml_examples_parse():
    assert len(YAML_BLOCKS) >= 6
    for b in YAML_BLOCKS:
        assert isinstance(yaml.safe_load(b), (dict, list)), b[:80]


@pytest.mark.parametrize("i", range(3))
def test_docs_github_workflows_match_schema(tmp_path, i):
    blocks = blocks_named(r"\.github/workflows/")
    assert len(blocks) == 3
    f = tmp_path / "workflow.yml"
    f.write_text(blocks[i], encoding="utf-8")
    check_jsonschema("vendor.github-workflows", f)


def test_docs_gitlab_ci_matches_schema_and_its_script_runs(tmp_path):
    [block] = blocks_named(r"\.gitlab-ci\.yml")
    f = tmp_path / ".gitlab-ci.yml"
    f.write_text(block, encoding="utf-8")
    check_jsonschema("vendor.gitlab-ci", f)
    job = yaml.safe_load(block)["promiselint"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    # the job's script, as a GitLab shell runner runs it (one shell, stop at the first failure)
    write_tree(tmp_path, CLAIMS)
    script = "\n".join(line for line in job["script"] if not line.startswith("pip install"))
    r = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env={**ENV, "NO_COLOR": "1"},
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr  # findings: the job fails...
    report = json.loads((tmp_path / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report and {i["location"]["path"] for i in report} == {"content/charger.md", "content/ar.txt"}
    assert {i["severity"] for i in report} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in report}) == len(report)
    assert "الأرخص" in r.stdout  # ...and the log shows the findings readably


def test_docs_precommit_configs_validate(tmp_path):
    blocks = blocks_named(r"\.pre-commit-config\.yaml")
    assert len(blocks) == 2
    if not shutil.which("pre-commit", path=ENV["PATH"]):
        pytest.skip("pre-commit is not installed")
    for b in blocks:
        f = tmp_path / ".pre-commit-config.yaml"
        f.write_text(b, encoding="utf-8")
        r = subprocess.run(["pre-commit", "validate-config", str(f)], env=ENV, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


# -- pre-commit ------------------------------------------------------------------------------

needs_precommit = pytest.mark.skipif(
    not shutil.which("pre-commit", path=ENV["PATH"]) or not shutil.which("git"),
    reason="pre-commit and git are needed (pip install pre-commit)")
MANIFEST = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


@needs_precommit
def test_manifest_validates():
    r = subprocess.run(["pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                       env=ENV, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    hook = next(h for h in MANIFEST if h["id"] == "promiselint")
    assert hook["entry"] == "promiselint check" and hook["language"] == "python"


def content_repo(root: Path) -> Path:
    repo = root / "shop"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_tree(repo, CLAIMS)
    write_tree(repo, {"package.json": '{"description": "the best package"}\n',
                      "src/app.py": "print('the fastest')\n"})
    return repo


def precommit(repo: Path, home: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["pre-commit", *args], cwd=repo, capture_output=True, text=True, timeout=1500,
                          env={**ENV, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "HOME": str(repo)})


@needs_precommit
def test_precommit_hook_blocks_and_passes(tmp_path):
    """The manifest's hook (entry, files, exclude, types) as a local hook: no pip install."""
    hook = {**next(h for h in MANIFEST if h["id"] == "promiselint"), "language": "system"}
    hook.pop("minimum_pre_commit_version", None)
    repo = content_repo(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, allow_unicode=True), encoding="utf-8")
    git(repo, "add", "-A")
    r = precommit(repo, tmp_path / "pc", "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "content/ar.txt" in r.stdout and "content/charger.md" in r.stdout
    assert "package.json" not in r.stdout and "app.py" not in r.stdout
    assert "3 file(s) checked" in r.stdout or "3 files" in r.stdout
    # as a git hook: the commit is refused, then allowed once the copy is fixed
    assert precommit(repo, tmp_path / "pc", "install").returncode == 0
    c = subprocess.run(["git", "commit", "-qm", "claims"], cwd=repo, capture_output=True, text=True,
                       env={**ENV, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pc"), "HOME": str(repo)})
    assert c.returncode != 0 and "الأرخص" in c.stdout + c.stderr
    write_tree(repo, {"content/charger.md": "# Charger\n\nA 65 W charger.\n",
                      "content/ar.txt": "متجرنا بأسعار مناسبة في المملكة\n"})
    git(repo, "add", "-A")
    c = subprocess.run(["git", "commit", "-qm", "fixed"], cwd=repo, capture_output=True, text=True,
                       env={**ENV, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pc"), "HOME": str(repo)})
    assert c.returncode == 0, c.stdout + c.stderr


def clone_working_tree(dest: Path) -> str:
    """This working tree (committed or not) as a fresh git repository; returns its HEAD."""
    files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").strip()


@needs_precommit
@pytest.mark.skipif(os.environ.get("PROMISELINT_SLOW_TESTS") != "1",
                    reason="pre-commit pip-installs promiselint and its dependencies; set PROMISELINT_SLOW_TESTS=1")
def test_precommit_from_repository_at_rev(tmp_path):
    hookrepo = tmp_path / "promiselint"
    hookrepo.mkdir()
    rev = clone_working_tree(hookrepo)
    repo = content_repo(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hookrepo}\n    rev: {rev}\n    hooks:\n      - id: promiselint\n", encoding="utf-8")
    git(repo, "add", "-A")
    r = precommit(repo, tmp_path / "pc", "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "content/ar.txt" in r.stdout and "package.json" not in r.stdout
