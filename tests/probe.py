"""A `promiselint check` in a fresh process that reports on itself: what it
compiled, derived, imported or started (counted there, never timed)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TEMPLATE = """
import json, sys
{before}
from promiselint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nPROBE " + json.dumps({report}) + "\\n")
"""


def run_probe(cwd: Path, before: str, report: str, *args: str) -> tuple[dict, dict]:
    """(the dict the expression `report` gives after the run, the JSON report) of
    `promiselint check --format json --fail-on never ARGS` run in `cwd`, with the
    code `before` run first in the same process (hooks, counters)."""
    code = TEMPLATE.format(before=before.strip("\n"), report=report)
    proc = subprocess.run([sys.executable, "-c", code, "check", "--format", "json", "--fail-on", "never", *args],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("PROBE ")]
    assert line, proc.stderr[-2000:]
    return json.loads(line[-1][6:]), json.loads(proc.stdout)


def project_with(folder: Path, name: str, text: str) -> Path:
    """`folder` made a project root (where .promiselint_cache lives) holding the file `name`."""
    (folder / ".git").mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def cache_blobs(project: Path, kind: str) -> list[Path]:
    """The project cache's entries of `kind` (packs, regexes, grammars...), sorted."""
    from promiselint.project import cache

    return sorted((project / cache.CACHE_DIR / cache.BLOBS / kind).glob("*.json"))
