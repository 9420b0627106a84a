"""`promiselint catalog FEED...`: check product feeds, one listing at a time, on Dask.

Imports only click at load time: pandas, pyarrow and Dask load when the
command runs (and a missing `promiselint[catalog]` extra is a one-line error).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _names(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@click.command("catalog")
@click.argument("feeds", nargs=-1, required=True)
@click.option("--id-column", default=None, help="Column holding the listing id (default: per format: Handle, ID, id...).")
@click.option("--text-columns", default=None, help="Columns to check, comma separated (default: per format).")
@click.option("--html-columns", default=None, help="Columns that hold HTML (default: body_html-like names, "
                                                  "and any value with markup).")
@click.option("--lang-column", default=None, help="Column declaring each listing's language (ar, fa, en...).")
@click.option("--seller-column", default=None, help="Column naming the seller (adds `seller` to the output).")
@click.option("--output", "-o", default=None, help="Write findings to PATH.parquet or PATH.jsonl "
                                                   "(and the summary to PATH.summary.json).")
@click.option("--select", multiple=True, help="Only these rule ids or prefixes (comma separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or prefixes (comma separated).")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default=None, help="Force the language.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Config file (default: .promiselint.yaml found from the first feed's folder).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--baseline", "baseline_file", default=None, help="Drop findings accepted by this catalog baseline.")
@click.option("--baseline-out", default=None, help="Write a catalog baseline of the current findings to this file.")
@click.option("--workers", type=click.IntRange(0, 512), default=None,
              help="Worker processes of the local Dask cluster (default: one per core; 0: no Dask).")
@click.option("--scheduler", default=None, help="Use the Dask cluster at tcp://HOST:PORT "
                                                "(default: $DASK_SCHEDULER_ADDRESS, else a local cluster).")
@click.option("--chunk-rows", type=click.IntRange(1), default=2000, help="Listings per task.")
@click.option("--encoding", default="utf-8", help="Encoding of CSV/TSV feeds (default: utf-8).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
def catalog(feeds, id_column, text_columns, html_columns, lang_column, seller_column, output, select, ignore,
            lang, config_path, fail_on, baseline_file, baseline_out, workers, scheduler, chunk_rows, encoding,
            progress):
    """Check product feeds (CSV/TSV, JSON Lines, Parquet, Google Merchant XML), one listing at a time."""
    from . import require_extra

    require_extra()
    import codecs

    from promiselint.core.errors import UsageError
    from promiselint.core.findings import severity_rank
    from promiselint.core.settings import split_ids as split
    from promiselint.project.config import load_config

    from . import output as out
    from . import run

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {encoding!r}")
    first = next((Path(f) for f in feeds if "://" not in f), Path("."))
    config = load_config(first, config_path)
    jobs = run.plan(list(feeds), settings_for=lambda p: config.settings(
        split(select), split(ignore), lang, for_path=Path(p) if "://" not in p else None),
        id_column=id_column, text_columns=_names(text_columns), html_columns=_names(html_columns),
        lang_column=lang_column, seller_column=seller_column, encoding=encoding)
    bar = run.Progress(sys.stderr.isatty() if progress is None else progress)
    try:
        if workers == 0 and not scheduler:
            outcome = run.run_local(jobs, chunk_rows, bar)
        else:
            outcome = _on_dask(jobs, workers, scheduler, chunk_rows, bar)
    finally:
        bar.close()
    if baseline_out:
        count = out.write_baseline(outcome.findings, baseline_out)
        click.echo(f"wrote {baseline_out} ({count} findings)", err=True)
    if baseline_file:
        outcome.findings, absorbed = out.apply_baseline(outcome.findings, baseline_file)
        click.echo(f"baseline {baseline_file}: {absorbed} accepted findings not shown", err=True)
    seller = any(j.spec.seller_column for j in jobs)
    summary = run.summary(outcome, seller)
    if output:
        out.write_findings(outcome.findings, output)
        out.write_json(summary, out.summary_path(output))
    else:
        for row in outcome.findings.itertuples(index=False):
            click.echo(f"{row.id}\t{row.field}:{row.offset}-{row.end_offset}\t{row.severity}\t{row.rule}\t"
                       f"{' '.join(str(row.message).split())}")
    click.echo(render_summary(summary, output))
    threshold = fail_on or config.data.get("fail_on") or "error"
    if threshold != "never" and any(severity_rank(s) >= severity_rank(threshold)
                                    for s in outcome.findings["severity"]):
        sys.exit(1)


def _on_dask(jobs, workers, scheduler, chunk_rows, bar):
    from promiselint.core.errors import UsageError

    from . import run

    try:
        with run.client_for(workers, scheduler) as client:
            return run.run_dask(jobs, client, chunk_rows, bar)
    except UsageError:
        raise
    except Exception as e:  # noqa: BLE001 - a lost worker or scheduler (KilledWorker...): one line, exit 2
        raise UsageError(f"the Dask job failed: {type(e).__name__}: {(str(e).splitlines() or [''])[0]}")


def render_summary(summary: dict, output: str | None) -> str:
    from .output import summary_path

    lines = [f"{summary['listings']} listings checked, {summary['listings_with_findings']} with findings, "
             f"{summary['findings']} findings"]
    for title, key in (("rule", "by_rule"), ("language", "by_language"), ("severity", "by_severity")):
        if summary[key]:
            lines.append(f"  by {title}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    if summary.get("by_seller"):
        lines.append("  by seller (listings / with findings / findings):")
        for name, c in list(summary["by_seller"].items())[:20]:
            lines.append(f"    {name or '(none)'}: {c['listings']} / {c['with_findings']} / {c['findings']}")
        if len(summary["by_seller"]) > 20:
            lines.append(f"    ... {len(summary['by_seller']) - 20} more sellers"
                         + (f" in {summary_path(output)}" if output else ""))
    if output:
        lines.append(f"findings: {output}; summary: {summary_path(output)}")
    return "\n".join(lines)
