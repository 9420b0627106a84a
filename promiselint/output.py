"""Where `check` sends its report: stdout, ``--output-file`` (written atomically),
and with ``--format github`` a Markdown summary appended to ``$GITHUB_STEP_SUMMARY``."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import UsageError
from .writefile import write_atomic


def report_text(fmt: str, results: list, *, color: bool, quiet: bool, statistics: bool, rules=None) -> str:
    """The report in `fmt` (or the per-rule counts with `statistics`)."""
    if statistics:
        from .report import statistics as stats

        if fmt == "json":
            return stats.render_json(results)
        if fmt != "text":
            raise UsageError("--statistics prints text or json: use --format text or --format json")
        return stats.render_text(results)
    if fmt == "sarif":
        from .report.sarif import render as sarif

        return sarif(results, rules)
    from .report import render

    return render(fmt, results, color=color, quiet=quiet)


def write_output_file(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as e:
        raise UsageError(f"--output-file {path}: {e.strerror or e}")


def append_step_summary(results: list) -> None:
    """With $GITHUB_STEP_SUMMARY set (a GitHub Actions step), append the summary table."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from .report.github import step_summary

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(step_summary(results))
    except OSError as e:
        print(f"promiselint: warning: cannot write the step summary ({target}): {e.strerror or e}",
              file=sys.stderr)
