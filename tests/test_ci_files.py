"""The CI integrations, run here as far as this machine allows.

- action.yml: see tests/test_action.py.
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
    assert hook["entry"] == "promiselint check --force-exclude" and hook["language"] == "python"


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
    # a folder the config excludes: pre-commit names its files, --force-exclude drops them
    write_tree(repo, {".promiselint.yaml": "exclude: [drafts/]\n",
                      "drafts/old.md": "# Old\n\nThe cheapest draft ever.\n"})
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, allow_unicode=True), encoding="utf-8")
    git(repo, "add", "-A")
    r = precommit(repo, tmp_path / "pc", "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "content/ar.txt" in r.stdout and "content/charger.md" in r.stdout
    assert "package.json" not in r.stdout and "app.py" not in r.stdout
    assert "drafts/old.md" not in r.stdout and "cheapest" not in r.stdout
    assert "3 file(s) checked" in r.stdout or "3 files" in r.stdout
    # only the excluded file staged: nothing to check, the hook passes
    r = precommit(repo, tmp_path / "pc", "run", "--files", "drafts/old.md")
    assert r.returncode == 0, r.stdout + r.stderr
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
    write_tree(repo, {".promiselint.yaml": "exclude: [drafts/]\n",
                      "drafts/old.md": "# Old\n\nThe cheapest draft ever.\n"})
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hookrepo}\n    rev: {rev}\n    hooks:\n      - id: promiselint\n", encoding="utf-8")
    git(repo, "add", "-A")
    r = precommit(repo, tmp_path / "pc", "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "content/ar.txt" in r.stdout and "package.json" not in r.stdout
    assert "drafts/old.md" not in r.stdout


# -- set-up noise ------------------------------------------------------------------------------

def _install_lines() -> list[str]:
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("$(STAMP): pyproject.toml", 1)[1]
    recipe = recipe.split("touch $@", 1)[0]
    return [line.strip() for line in recipe.splitlines() if "pip install" in line]


def test_makefile_installs_camel_tools_last_without_deps():
    """pip complains about every unmet requirement of camel-tools (torch, ...) whenever a
    later install touches its dependencies; installed last with --no-deps, it never does."""
    lines = _install_lines()
    assert "--no-deps camel-tools" in lines[-1]
    assert not any("camel-tools" in line for line in lines[:-1])


@pytest.mark.skipif(os.environ.get("PROMISELINT_SLOW_TESTS") != "1",
                    reason="builds a fresh virtualenv (about a minute); set PROMISELINT_SLOW_TESTS=1")
def test_fresh_setup_prints_no_resolver_errors(tmp_path):
    venv = tmp_path / "venv"
    r = subprocess.run(["make", f"VENV={venv}", f"{venv}/.installed"], cwd=ROOT, capture_output=True,
                       text=True, timeout=1500)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "dependency resolver" not in r.stdout + r.stderr and "ERROR" not in r.stdout + r.stderr


# -- the README lists every option --------------------------------------------------------------

def test_readme_cli_reference_lists_every_option():
    from promiselint.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("### Command-line reference", 1)[1].split("\n## ", 1)[0]
    # the commands of this CLI's core; others document theirs in their own sections
    for name in ("check", "rules", "explain", "init", "claims", "baseline", "serve"):
        command = main.commands[name]
        assert f"promiselint {name}" in reference, name
        for param in command.params:
            for opt in param.opts + param.secondary_opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in reference or f" {opt}" in reference, f"{name} {opt}"
