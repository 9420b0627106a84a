"""Where the built-in rule packs and lexicons live (repo checkout or wheel)."""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parents[1]  # the promiselint package


def data_dir(name: str) -> Path:
    """`rules` or `lexicons`: inside the wheel, else at the repository root."""
    for candidate in (_PKG / "data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"promiselint data folder {name!r} is missing from the installation")
