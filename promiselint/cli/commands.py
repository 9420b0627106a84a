"""CLI commands `serve` and `baseline`, and the options `check` adds for
``--baseline``, ``--diff-base REV`` / ``--changed`` and ``--no-cache``.

The main CLI calls ``register(main)`` to add the commands.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from promiselint.core.errors import UsageError


def check_options(f):
    """Decorator for `check`: adds --baseline, --diff-base, --changed and --no-cache
    (parameters baseline_file, diff_base, changed, no_cache)."""
    f = click.option("--no-cache", is_flag=True,
                     help="Read every file afresh: no findings from or into .promiselint_cache/ "
                          "(compiled rule packs are still kept there).")(f)
    f = click.option("--changed", is_flag=True,
                     help="Check only files with uncommitted changes (and untracked files).")(f)
    f = click.option("--diff-base", default=None, metavar="REV",
                     help="Check only files changed since REV (its merge base with HEAD), "
                          "plus untracked files.")(f)
    f = click.option("--baseline", "baseline_file", default=None,
                     type=click.Path(path_type=Path, dir_okay=False),
                     help="Report only findings not in this baseline (see `promiselint baseline`).")(f)
    return f


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] or None


# -- commands ----------------------------------------------------------------------

@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]), default="error",
              show_default=True, help="Default severity that makes the verdict 'fail'.")
@click.option("--workers", default=None, type=click.IntRange(1, 64), envvar="PROMISELINT_WORKERS",
              help="Check processes, forked once the rules are built (default: one per core).")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(1),
              help="Largest request body, in bytes (413 above it).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.01),
              help="Seconds a check may take, queue included (504 above it).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_cmd(host, port, fail_on, workers, max_body, timeout, log_level):
    """Run the pre-publish HTTP service and the editor page.

    POST /v1/check answers {content, format, lang?, filename?, select?} or
    {fields: [{name, content, format?}]} with findings and a pass/fail verdict;
    GET / is a page to paste copy into; GET /openapi.json describes the API.
    """
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise click.UsageError(f"`serve` needs starlette and uvicorn ({e.name} is missing): "
                               "pip install starlette uvicorn")
    from promiselint.service.server import serve

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"promiselint: serving on {host}: the API has no authentication; "
                   "put it behind your CMS's network or a proxy.", err=True)
    serve(host, port, workers=workers, fail_on=fail_on, max_body=max_body, timeout=timeout,
          log_level=log_level)


@click.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", default=".promiselint-baseline.json", show_default=True,
              type=click.Path(dir_okay=False), help="Baseline file to write.")
@click.option("--select", default=None, help="Rule ids or prefixes, comma-separated.")
@click.option("--ignore", default=None, help="Rule ids or prefixes to leave out.")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default=None)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Config file (default: .promiselint.yaml found walking up).")
def baseline_cmd(paths, output, select, ignore, lang, config_path):
    """Record the current findings so `check --baseline FILE` reports only new ones.

    Findings are matched by rule, file and text (not line), so moving lines does
    not revive them; each recorded finding absorbs as many occurrences as there
    were when the baseline was written.
    """
    from promiselint.project import baseline, packcache

    try:
        from promiselint.project.api import run_check
        from promiselint.project.ruleids import validated_config

        validated_config([Path(p) for p in paths], Path(config_path) if config_path else None,
                         _split(select) or [], _split(ignore) or [], lang)
        results, _ = run_check([Path(p) for p in paths] or [Path(".")], select=_split(select),
                               ignore=_split(ignore), lang=lang,
                               config_path=Path(config_path) if config_path else None, use_cache=False)
        n = baseline.write(results, output)
    except UsageError as e:
        click.echo(f"promiselint: {e}", err=True)
        sys.exit(2)
    finally:
        packcache.use(None)  # the project's cache served this command only (as check's)
    files = sum(1 for r in results if r.findings)
    click.echo(f"promiselint: wrote {output}: {n} finding{'s' if n != 1 else ''} "
               f"in {files} file{'s' if files != 1 else ''}", err=True)


def register(group: click.Group) -> None:
    """Add `serve` and `baseline` to the promiselint command group."""
    group.add_command(serve_cmd)
    group.add_command(baseline_cmd)
