"""The VS Code extension in editors/vscode: its manifest, what it starts, and its .vsix."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from promiselint.lsp.linting import LANGUAGE_IDS

EXT = Path(__file__).resolve().parent.parent / "editors" / "vscode"
NODE, NPM = shutil.which("node"), shutil.which("npm")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed: the extension's code is not run")


def _node_major() -> int:
    if NODE is None:
        return 0
    out = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=60).stdout
    return int(out.strip().lstrip("v").split(".")[0] or 0)


needs_npm = pytest.mark.skipif(NODE is None or NPM is None or _node_major() < 20,
                               reason="Node.js >= 20 and npm are not installed: the .vsix is not built "
                                      "(@vscode/vsce needs Node.js 20)")


def _manifest() -> dict:
    return json.loads((EXT / "package.json").read_text(encoding="utf-8"))


def test_manifest_has_what_vsce_and_vscode_need():
    m = _manifest()
    for key in ("name", "publisher", "version", "engines", "main", "activationEvents", "contributes", "license"):
        assert m.get(key), key
    assert m["engines"]["vscode"].startswith("^1.")
    assert (EXT / m["main"]).is_file()
    assert (EXT / "README.md").is_file() and (EXT / "LICENSE").is_file()
    # every language the server lints activates the extension
    assert {f"onLanguage:{lid}" for lid in LANGUAGE_IDS if lid != "pot"} <= set(m["activationEvents"])
    settings = m["contributes"]["configuration"]["properties"]
    assert settings["promiselint.path"]["default"] == "promiselint"
    assert settings["promiselint.path"]["scope"] == "machine-overridable"  # may be set per workspace
    # ...but not obeyed in an untrusted workspace
    assert "promiselint.path" in m["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"]
    assert "vscode-languageclient" in m["dependencies"] and "@vscode/vsce" in m["devDependencies"]


def test_lockfile_matches_the_manifest():
    lock = json.loads((EXT / "package-lock.json").read_text(encoding="utf-8"))
    m, root = _manifest(), lock["packages"][""]
    assert lock["lockfileVersion"] >= 2
    assert root["dependencies"] == m["dependencies"] and root["devDependencies"] == m["devDependencies"]
    assert "node_modules/vscode-languageclient" in lock["packages"]
    assert "node_modules/@vscode/vsce" in lock["packages"]
    ignored = (EXT / ".gitignore").read_text(encoding="utf-8").split()
    assert "node_modules/" in ignored and "*.vsix" in ignored


MOCK = r"""
const Module = require('module');
const calls = [];
const settings = JSON.parse(process.env.SETTINGS);
const vscode = {
  workspace: {
    workspaceFolders: [{ uri: { fsPath: process.env.ROOT } }],
    getConfiguration: () => ({ get: (key, fallback) => (key in settings ? settings[key] : fallback) }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
  commands: { registerCommand: (name) => { calls.push(['command', name]); return { dispose() {} }; } },
  window: { showErrorMessage: (message) => calls.push(['error', message]) },
};
class LanguageClient {
  constructor(id, name, server, options) { calls.push(['client', id, server, options]); }
  async start() { if (process.env.FAIL) throw new Error('spawn ENOENT'); calls.push(['start']); }
  async stop() {}
}
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient };
  return load.call(this, request, ...rest);
};
require(process.env.EXTENSION).activate({ subscriptions: [] }).then(() => console.log(JSON.stringify(calls)));
"""


def _activate(settings: dict, fail: bool = False) -> list:
    env = dict(os.environ, SETTINGS=json.dumps(settings), ROOT="/work/shop", EXTENSION=str(EXT / "extension.js"))
    if fail:
        env["FAIL"] = "1"
    out = subprocess.run([NODE, "-e", MOCK], env=env, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


@needs_node
def test_extension_starts_the_configured_server():
    calls = _activate({"path": "${workspaceFolder}/.venv/bin/promiselint", "site": False})
    (client,) = [c for c in calls if c[0] == "client"]
    _, client_id, server, options = client
    assert client_id == "promiselint"
    assert server == {"command": "/work/shop/.venv/bin/promiselint", "args": ["lsp"],
                      "options": {"cwd": "/work/shop"}}
    assert options["initializationOptions"] == {"site": False}
    assert options["synchronize"] == {"fileEvents": {"glob": "**/.promiselint.yaml"}}
    selector = options["documentSelector"]
    for language in ("plaintext", "markdown", "html", "json", "po", "csv"):
        assert {"scheme": "file", "language": language} in selector
    assert ["start"] in calls and ["command", "promiselint.restart"] in calls

    relative = _activate({"path": "tools/py", "args": ["-m", "promiselint.cli"]})
    server = next(c for c in relative if c[0] == "client")[2]
    assert (server["command"], server["args"]) == ("/work/shop/tools/py", ["-m", "promiselint.cli", "lsp"])


@needs_node
def test_extension_says_so_when_the_server_cannot_start():
    calls = _activate({}, fail=True)
    (error,) = [c for c in calls if c[0] == "error"]
    assert 'could not start "promiselint lsp"' in error[1] and "promiselint.path" in error[1]


@needs_npm
def test_vsix_builds_from_the_lockfile(tmp_path):
    """npm ci from the committed lockfile (registry only), then the official packager."""
    work = tmp_path / "vscode"
    shutil.copytree(EXT, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    run = dict(cwd=work, capture_output=True, text=True, timeout=600)
    done = subprocess.run([NPM, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], **run)
    assert done.returncode == 0, done.stderr[-2000:]
    done = subprocess.run([NPM, "run", "package"], **run)
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    with zipfile.ZipFile(work / "promiselint.vsix") as vsix:
        names = set(vsix.namelist())
        manifest = vsix.read("extension.vsixmanifest").decode("utf-8")
        packaged = json.loads(vsix.read("extension/package.json"))
    assert {"extension/package.json", "extension/extension.js", "extension/readme.md",
            "extension/node_modules/vscode-languageclient/node.js"} <= names
    assert not any("/@vscode/vsce/" in n for n in names)  # the packager is a dev dependency
    m = _manifest()
    assert f'Id="{m["name"]}" Version="{m["version"]}" Publisher="{m["publisher"]}"' in manifest
    assert f'Value="{m["engines"]["vscode"]}"' in manifest
    assert packaged["main"] == m["main"]
