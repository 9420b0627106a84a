"""Command line: `promiselint check|rules|explain|init|claims`.

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage,
config or input errors (always a one-line message, never a traceback).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .cli_extra import check_options
from .errors import UsageError
from .findings import severity_rank


def _split(values) -> list[str]:
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


class Group(click.Group):
    """Turns promiselint's own errors into one line and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as e:
            click.echo(f"promiselint: error: {e}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            sys.exit(130)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promiselint")
def main():
    """Lint storefront copy (ar/fa/en) for unverifiable claims, unsupported
    promises and missing disclosures."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json", "sarif", "github", "codequality"]),
              help="Output format.")
@click.option("--select", multiple=True, help="Only these rule ids or prefixes (comma separated).")
@click.option("--ignore", multiple=True, help="Skip these rule ids or prefixes (comma separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default=None, help="Force the language.")
@click.option("--stdin-filename", default=None, help="Name (and so format) of text read from '-'.")
@click.option("--input-format", type=click.Choice(["txt", "md", "html", "json", "po", "csv"]), default=None,
              help="Parse every input as this format.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Config file (default: .promiselint.yaml found walking up).")
@click.option("--site", is_flag=True, help="Check folders as one storefront (shared footers, links).")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes for large runs (default: one per core).")
@check_options
def check(paths, fmt, select, ignore, fail_on, lang, stdin_filename, input_format, config_path, site, color,
          jobs, baseline_file, diff_base, changed, no_cache):
    """Check files, folders or '-' (stdin)."""
    from .api import run_check
    from .report import render

    stdin = sys.stdin.buffer.read() if any(str(p) == "-" for p in paths) else None
    results, config = run_check(
        list(paths), select=_split(select), ignore=_split(ignore), lang=lang, config_path=config_path,
        input_format=input_format, stdin_filename=stdin_filename, site=site, use_cache=not no_cache,
        diff_base=diff_base, changed=changed, baseline=baseline_file, stdin=stdin, jobs=jobs)
    color = sys.stdout.isatty() if color is None else color
    sys.stdout.write(render(fmt, results, color=color))
    threshold = fail_on or config.data.get("fail_on") or "error"
    if threshold != "never" and any(severity_rank(f.severity) >= severity_rank(threshold)
                                    for r in results for f in r.findings):
        sys.exit(1)


@main.command("rules")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default="en")
def list_rules(lang):
    """List the rules with their category and default severity."""
    from .api import linter_for
    from .engine import Settings

    for r in linter_for(Settings()).all_rules:
        click.echo(f"{r.id:<32} {r.severity:<8} {' '.join(r.description.split())[:90]}")


@main.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default="en",
              help="Language of the message and examples shown.")
def explain(rule_id, lang):
    """Print a rule's rationale, references and examples."""
    from .api import linter_for
    from .docs import explain_rule
    from .engine import Settings

    rules = {r.id: r for r in linter_for(Settings()).all_rules}
    if rule_id not in rules:
        raise UsageError(f"unknown rule {rule_id!r}; `promiselint rules` lists them")
    click.echo(explain_rule(rules[rule_id], lang))


@main.command()
@click.option("--claims", is_flag=True, help="Also write a starter claims.yaml.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init(claims, force):
    """Write a commented starter .promiselint.yaml (and claims.yaml)."""
    from .config import CONFIG_NAME, STARTER
    from .registry import STARTER_CLAIMS
    from .writefile import write_atomic

    targets = [(Path(CONFIG_NAME), STARTER)] + ([(Path("claims.yaml"), STARTER_CLAIMS)] if claims else [])
    for path, text in targets:
        if path.exists() and not force:
            raise UsageError(f"{path} exists; use --force to overwrite")
        write_atomic(path, text)
        click.echo(f"wrote {path}")


@main.command("claims")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None)
def claims_cmd(paths, config_path):
    """List registered claims, their status and where each is used."""
    from .registry import claims_report

    click.echo(claims_report(list(paths) or [Path(".")], config_path))


try:  # commands contributed by the service / CI integration module
    from .cli_extra import register

    register(main)
except ImportError:  # pragma: no cover - optional module
    pass

main.add_command(__import__("promiselint.catalog.cli", fromlist=["catalog"]).catalog)  # imports click only

if __name__ == "__main__":
    main()
