"""What a run is configured with (config.py reads it from `.promiselint.yaml`),
and how rule ids and prefixes select rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    """What a run is configured with (see config.py for the file format)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule id or prefix -> severity|off
    lang: str | None = None
    packs: list[Path] = field(default_factory=list)  # extra rule packs
    lexicon_folders: list[Path] = field(default_factory=list)  # extra lexicon folders
    registry: object = None  # ClaimsRegistry
    disclosures: bool = True
    page_types: dict | None = None


def selected(rule_id: str, prefixes: list[str]) -> bool:
    return any(rule_id == p or rule_id.startswith(p.rstrip(".") + ".") for p in prefixes)


def split_ids(values) -> list[str]:
    """Rule ids and prefixes from repeated, comma-separated options (``--select a,b --select c``)."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]
