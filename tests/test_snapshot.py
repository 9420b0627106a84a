"""The built-in rules' findings, held identical across speed work (issue 10).

A snapshot of every finding (path, rule, offsets, severity, a short hash of
the message) over the shared real corpus (read in place, never copied) and
over generated pages from bench/pages.py (ar/fa/en product pages and the
pathological shapes), kept in tests/data/snapshot/*.jsonl.  When rules change
on purpose, regenerate it and review the diff:

    .venv/bin/python -m tests.test_snapshot --update     (or: make snapshot)
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "snapshot"
sys.path.insert(0, str(ROOT / "bench"))
from tests.real_labels import CORPUS  # noqa: E402

PAGES = 24  # generated product pages per language


def write_generated(folder: Path) -> None:
    """Deterministic generated copy (bench/pages.py): pages in three languages and the shapes."""
    import pages

    rng = random.Random(10)
    for lang in ("en", "ar", "fa"):
        for i in range(PAGES):
            page = pages.product_page(rng, lang, rng.randint(4, 12), claim_rate=0.2)
            (folder / f"{lang}-{i:03d}.html").write_text(page, encoding="utf-8")
    (folder / "back-to-back.txt").write_text(pages.shape_claims_back_to_back(20_000), encoding="utf-8")
    (folder / "one-block.txt").write_text(pages.shape_one_block(60_000), encoding="utf-8")
    (folder / "minified.html").write_text(pages.shape_minified_html(60_000), encoding="utf-8")
    (folder / "locale.json").write_text(pages.shape_locale_table(1500), encoding="utf-8")


def rows(root: Path) -> list[dict]:
    """One row per finding of every file under `root`, paths relative to it, sorted."""
    from promiselint.project.api import run_check

    results, _ = run_check([root], use_cache=False)
    out = []
    for r in results:
        path = Path(r.path).resolve().relative_to(root.resolve()).as_posix()
        for f in r.findings:
            out.append({"path": path, "rule": f.rule, "offset": f.offset, "end_offset": f.end_offset,
                        "severity": f.severity,
                        "message": hashlib.sha1(f.message.encode()).hexdigest()[:10]})
    out.sort(key=lambda x: (x["path"], x["offset"], x["end_offset"], x["rule"], x["severity"], x["message"]))
    return out


def current() -> dict[str, list[dict]]:
    got = {"real": rows(CORPUS)}
    with tempfile.TemporaryDirectory() as tmp:
        write_generated(Path(tmp))
        got["generated"] = rows(Path(tmp))
    return got


def stored(name: str) -> list[dict]:
    f = DATA / f"{name}.jsonl"
    return [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(x: dict) -> str:
    return json.dumps(x, sort_keys=True, ensure_ascii=False)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real corpus not found at {CORPUS}")
def test_findings_match_the_snapshot():
    got = current()
    for name, now in got.items():
        before = stored(name)
        assert len(now) > 100, f"{name}: too few findings to hold anything ({len(now)})"
        old, new = {_key(x) for x in before}, {_key(x) for x in now}
        lost, gained = sorted(old - new)[:15], sorted(new - old)[:15]
        assert not lost and not gained and len(now) == len(before), (
            f"{name}: findings changed (if on purpose: make snapshot)\n"
            f"lost ({len(old - new)}):\n  " + "\n  ".join(lost)
            + f"\ngained ({len(new - old)}):\n  " + "\n  ".join(gained))


def update() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for name, now in current().items():
        text = "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in now)
        (DATA / f"{name}.jsonl").write_text(text, encoding="utf-8")
        print(f"{name}: {len(now)} findings -> {DATA / (name + '.jsonl')}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python -m tests.test_snapshot --update")
    update()
