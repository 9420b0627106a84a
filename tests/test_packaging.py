"""`pip install .` gives a promiselint whose wheel carries the rule packs, lexicons,
config schema and editor page (the data lives at the repo root in development)."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_rules_lexicons_schema_and_page(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("promiselint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rules in (ROOT / "rules").glob("*.yaml"):
        assert f"promiselint/data/rules/{rules.name}" in names
    for lexicon in (ROOT / "lexicons").rglob("*.yaml"):
        assert f"promiselint/data/lexicons/{lexicon.relative_to(ROOT / 'lexicons').as_posix()}" in names
    assert {"promiselint/schema/config.schema.json", "promiselint/service/web/index.html",
            "promiselint/match/grammars/time.lark"} <= names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "promiselint = promiselint.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()
