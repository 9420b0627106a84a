"""Where `check` sends its report: stdout, ``--output-file`` (written atomically),
and with ``--format github`` a Markdown summary appended to ``$GITHUB_STEP_SUMMARY``.

Reports are written as they are made (see `report.chunks`), not built whole first."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable

from promiselint.core.errors import UsageError
from promiselint.core.writefile import write_atomic


def report_chunks(fmt: str, results: list, *, color: bool, quiet: bool, statistics: bool,
                  rules=None) -> Iterable[str]:
    """The report in `fmt` (or the per-rule counts with `statistics`: json, else text), piece by piece."""
    if statistics:
        from . import statistics as stats

        return [stats.render_json(results) if fmt == "json" else stats.render_text(results)]
    from . import chunks

    return chunks(fmt, results, color=color, quiet=quiet, rules=rules or ())


def emit(fmt: str, results: list, *, output_file: Path | None, color: bool, quiet: bool, statistics: bool,
         rules=None) -> None:
    """The report to stdout, or to `output_file` with the findings as text on stdout
    (unless the file is the text report); with --format github, the step summary too."""
    report = report_chunks(fmt, results, color=color and not output_file, quiet=quiet, statistics=statistics,
                           rules=rules)
    if output_file:
        write_output_file(output_file, report)
        if fmt != "text" and not statistics:
            sys.stdout.writelines(report_chunks("text", results, color=color, quiet=quiet, statistics=False))
    else:
        sys.stdout.writelines(report)
    if fmt == "github":
        append_step_summary(results)


def write_output_file(path: Path, text: str | Iterable[str]) -> None:
    try:
        write_atomic(path, text)
    except OSError as e:
        raise UsageError(f"--output-file {path}: {e.strerror or e}")


def append_step_summary(results: list) -> None:
    """With $GITHUB_STEP_SUMMARY set (a GitHub Actions step), append the summary table."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from .github import step_summary

    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(step_summary(results))
    except OSError as e:
        print(f"promiselint: warning: cannot write the step summary ({target}): {e.strerror or e}",
              file=sys.stderr)
