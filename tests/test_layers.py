"""The package's layers hold (pyproject's [tool.importlinter], checked with
import-linter): data flows one way, read -> formats -> text -> match -> checks
-> report, with the project run and the integrations on top."""
from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]


def _lint(config: Path) -> int:
    return lint_imports(config_filename=str(config), no_cache=True, no_logo=True)


def test_the_layer_contracts_hold():
    assert _lint(ROOT / "pyproject.toml") == 0, "a module imports from a layer above its own"


def test_every_module_lives_in_a_layer():
    """A new module at the package root, or a new package, would escape the contract."""
    names = {n.strip() for layer in LAYERS for n in layer.split("|")}
    package = ROOT / "promiselint"
    loose = sorted(p.name for p in package.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside every layer: {loose}"
    packages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= names, f"packages outside every layer: {sorted(packages - names)}"


def test_the_contract_is_not_vacuous(tmp_path):
    """The stages do import one another: with the layers upside down the contract breaks."""
    flipped = "\n".join(f'    "{layer}",' for layer in reversed(LAYERS))
    config = tmp_path / "flipped.toml"
    config.write_text(f'''[tool.importlinter]
root_package = "promiselint"

[[tool.importlinter.contracts]]
name = "upside down"
type = "layers"
containers = ["promiselint"]
layers = [
{flipped}
]
''', encoding="utf-8")
    assert _lint(config) != 0


def test_the_readme_layout_names_every_package_and_module():
    """README's "Layout" section is the newcomer's map: it names every package and module."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "promiselint"
    missing = [p.name + "/" for p in package.iterdir() if (p / "__init__.py").is_file() and p.name + "/" not in section]
    missing += [f"{p.parent.name}/{p.stem}" for p in package.glob("*/*.py")
                if p.stem != "__init__" and p.stem != "__main__" and p.parent.name in {
                    "core", "read", "text", "match", "checks", "project"} and p.stem not in section]
    assert not missing, f"README's layout section does not mention: {missing}"
