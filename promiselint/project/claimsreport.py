"""`promiselint claims` and `init --claims`: the registry seen from a project's files."""
from __future__ import annotations

from pathlib import Path

from promiselint.checks.registry import load_registry
from promiselint.core.errors import UsageError
from promiselint.formats import format_for, parse
from promiselint.read.reader import read_path
from promiselint.text.language import detect, has_latin
from promiselint.text.normalize import fold

from .config import load_config
from .walk import walk

STARTER_CLAIMS = """\
# Claims this store can substantiate. promiselint silences a finding whose text
# a claim here covers while its evidence is valid, and reports expired claims.
claims:
  - id: best-seller-2026
    claim:
      en: ["our best-selling kettle"]
      ar: ["الأكثر مبيعاً في متجرنا"]
      fa: ["پرفروش‌ترین کتری فروشگاه"]
    evidence: evidence/sales-report-2026-q1.pdf   # a file in this repo, or a URL
    owner: marketing@example.com
    expires: 2026-12-31

# Delivery times the store can back; a faster promise is flagged.
service_levels:
  - name: Riyadh
    where: {en: [Riyadh], ar: [الرياض], fa: [ریاض]}
    hours: 24
  - name: elsewhere        # no `where`: applies everywhere else
    hours: 48
"""


def claims_report(paths: list[Path], config_path=None) -> str:
    """`promiselint claims`: every registered claim, its status and where it is used."""
    config = load_config(paths[0], config_path)
    if not config.data.get("claims"):
        raise UsageError("no claims registry configured: set `claims: claims.yaml` in .promiselint.yaml "
                         "(`promiselint init --claims` writes a starter)")
    registry = load_registry(config.root / config.data["claims"])
    uses: dict[str, list[str]] = {c.id: [] for c in registry.claims}
    for path in walk(paths, config):
        try:
            text, _ = read_path(path)
            doc = parse(text, format_for(str(path), "txt"), str(path))
        except Exception:  # unreadable files are reported by `check`, not here
            continue
        for block in doc.blocks:
            langs = {detect(block.text.text, block.lang)} | ({"en"} if has_latin(block.text.text) else set())
            for lang in langs - {None}:
                norm = fold(block.text.text, lang)
                for claim in registry.claims:
                    for m in claim.find(norm.text, lang):
                        a, _ = norm.source_span(m.start(), m.end())
                        offset, _ = block.text.source_span(a, a + 1)
                        line = text.count("\n", 0, offset) + 1
                        uses[claim.id].append(f"{path.as_posix()}:{line}")
    lines = []
    for c in registry.claims:
        expires = c.expires.isoformat() if c.expires else "no expiry"
        lines.append(f"{c.id:<28} {c.status():<17} expires {expires:<12} owner {c.owner or '—'}")
        lines.append(f"    evidence: {c.evidence}")
        lines += [f"    used at {u}" for u in uses[c.id]] or ["    not used in the checked files"]
    for level in registry.levels:
        lines.append(f"service level {level.name}: {level.hours:g} h")
    return "\n".join(lines)
