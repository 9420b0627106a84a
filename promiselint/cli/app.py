"""Command line: `promiselint check|rules|explain|init|claims` (and the commands
registered at the bottom).

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage,
config or input errors (always a one-line message, never a traceback).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from promiselint.core.errors import UsageError, WorkerDied
from promiselint.core.findings import severity_rank
from promiselint.core.settings import split_ids
from promiselint.core.version import __version__
from promiselint.report.terminal import utf8_output

from .commands import check_options


class OneLineError(click.ClickException):
    """A Click error shown as one line: ``promiselint: error: ...``."""

    def show(self, file=None) -> None:
        click.echo(f"promiselint: error: {self.message}", err=True)


def _one_line(e: click.ClickException) -> OneLineError:
    err = OneLineError(" ".join(e.format_message().split()))
    err.exit_code = e.exit_code
    return err


class Group(click.Group):
    """Every error is one line on stderr: promiselint's own (exit 2) and Click's
    usage errors (`--format xml`, `--jobs 0`: exit 2), instead of Click's three."""

    def main(self, *args, **kwargs):
        utf8_output()
        return super().main(*args, **kwargs)

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.ClickException as e:
            raise _one_line(e) from None

    # commands whose modules load only when named (their imports are not a check's)
    LAZY = {"lsp": ("promiselint.lsp", "lsp_cmd"), "text": ("promiselint.cli.textcmd", "text_cmd"),
            "catalog": ("promiselint.catalog.cli", "catalog")}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name):
        if name in self.LAZY and name not in self.commands:
            from importlib import import_module

            module, attr = self.LAZY[name]
            self.add_command(getattr(import_module(module), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (UsageError, WorkerDied) as e:
            click.echo(f"promiselint: error: {' '.join(str(e).split())}", err=True)
            sys.exit(2)
        except OneLineError:
            raise
        except click.ClickException as e:
            raise _one_line(e) from None
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
@click.option("--color/--no-color", default=None,
              help="Colour text output (default: on a terminal, unless NO_COLOR is set or TERM=dumb; "
                   "FORCE_COLOR forces it).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes for large runs (default: one per core).")
@click.option("--output-file", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file (atomically); the terminal then shows the findings as text.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, not the findings.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary, notices or progress.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the config's `exclude` also to paths named on the command line (for pre-commit).")
@check_options
def check(**options):
    """Check files, folders or '-' (stdin)."""
    from promiselint.project import packcache

    try:
        _check(**options)
    finally:
        packcache.use(None)  # the project's cache served this command only (not a later one in this process)


def _check(paths, fmt, select, ignore, fail_on, lang, stdin_filename, input_format, config_path, site, color,
           jobs, output_file, statistics, quiet, force_exclude, baseline_file, diff_base, changed, no_cache):
    from promiselint.project.api import run_check
    from promiselint.project.ruleids import all_rules, validated_config
    from promiselint.report import output
    from promiselint.report.terminal import Progress, use_color

    select, ignore = split_ids(select), split_ids(ignore)
    config, rules = validated_config(paths, config_path, select, ignore, lang)
    if statistics and fmt not in ("text", "json"):
        raise UsageError("--statistics prints text or json: use --format text or --format json")
    targets = _targets(list(paths), config, diff_base, changed, force_exclude, stdin_filename)
    results = []
    if targets is None or targets:
        stdin = sys.stdin.buffer.read() if any(str(p) == "-" for p in targets or ()) else None
        with Progress(enabled=not quiet):
            results, config = run_check(
                targets or [], select=select, ignore=ignore, lang=lang, config_path=config_path,
                input_format=input_format, stdin_filename=stdin_filename, site=site, use_cache=not no_cache,
                baseline=baseline_file, stdin=stdin, jobs=jobs,
                keep_text=not statistics and (fmt == "text" or output_file is not None))  # (source lines shown)
    if output_file:  # last run's report inside the checked tree is not copy
        results = [r for r in results if not _same_file(r.path, output_file)]
    if rules is None and fmt == "sarif":  # (SARIF describes the rules)
        rules = all_rules(config, select, ignore, lang)
    output.emit(fmt, results, output_file=output_file, color=use_color(color, sys.stdout), quiet=quiet,
                statistics=statistics, rules=rules)
    threshold = fail_on or config.data.get("fail_on") or "error"
    if threshold != "never" and any(severity_rank(f.severity) >= severity_rank(threshold)
                                    for r in results for f in r.findings):
        sys.exit(1)


def _same_file(shown: str, path: Path) -> bool:
    try:
        return Path(shown).resolve() == path.resolve()
    except (OSError, ValueError):
        return False


def _targets(paths: list, config, diff_base, changed, force_exclude, stdin_filename) -> list | None:
    """What `check` reads: None for the default (the current folder), else the
    paths (an empty list: nothing to check).  Files git names for --diff-base or
    --changed are filtered by the config's `exclude` like walked files; with
    --force-exclude, so are the paths named on the command line."""
    given = bool(paths)
    if diff_base or changed:
        from promiselint.project.gitfiles import select_paths

        picked = select_paths([p for p in paths if str(p) != "-"], diff_base, changed)
        paths = [p for p in paths if str(p) == "-"] + [p for p in picked if not config.excluded(p)]
        given = True
    if force_exclude:
        paths = [p for p in paths if not _force_excluded(config, p, stdin_filename)]
    return paths if given else None


def _force_excluded(config, path: Path, stdin_filename: str | None) -> bool:
    if str(path) == "-":
        return bool(stdin_filename) and config.excluded(Path(stdin_filename))
    return config.excluded(path, is_dir=path.is_dir())


@main.command("rules")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default="en",
              help="en: each rule's description; ar or fa: its message in that language.")
@click.option("--markdown", is_flag=True, help="Print the rule reference (docs/rules.md) instead.")
def list_rules(lang, markdown):
    """List the rules with their default severity and what they flag."""
    from promiselint.core.settings import Settings
    from promiselint.project.api import linter_for
    from promiselint.report.escape import one_line

    rules = linter_for(Settings()).all_rules
    if markdown:
        from promiselint.report.docs import markdown as reference

        click.echo(reference(rules))
        return
    for r in rules:
        about = r.description if lang == "en" else r.text(r.message, lang).replace("{text}", "…")
        click.echo(f"{r.id:<32} {r.severity:<8} {' '.join(one_line(about).split())[:90]}")


@main.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["ar", "fa", "en"]), default="en",
              help="Language of the message and examples shown.")
def explain(rule_id, lang):
    """Print a rule's rationale, references and examples."""
    from promiselint.core.settings import Settings
    from promiselint.project.api import linter_for
    from promiselint.project.ruleids import hint, known_ids
    from promiselint.report.docs import explain_rule

    rules = {r.id: r for r in linter_for(Settings()).all_rules}
    if rule_id not in rules:
        raise UsageError(f"unknown rule {rule_id!r}{hint(rule_id, known_ids(rules.values()))}")
    click.echo(explain_rule(rules[rule_id], lang))


@main.command()
@click.option("--claims", is_flag=True, help="Also write a starter claims.yaml (and point the config at it).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init(claims, force):
    """Write a commented starter .promiselint.yaml (and claims.yaml)."""
    from promiselint.core.writefile import write_atomic
    from promiselint.project.claimsreport import STARTER_CLAIMS
    from promiselint.project.config import CONFIG_NAME, STARTER

    config = STARTER
    if claims:
        enabled = config.replace("# claims: claims.yaml\n", "claims: claims.yaml\n")
        config = enabled if enabled != config else config + "\nclaims: claims.yaml\n"
    targets = [(Path(CONFIG_NAME), config)] + ([(Path("claims.yaml"), STARTER_CLAIMS)] if claims else [])
    for path, _ in targets:
        if path.exists() and not force:
            raise UsageError(f"{path} exists; use --force to overwrite")
    for path, text in targets:
        write_atomic(path, text)
        click.echo(f"wrote {path}")


@main.command("claims")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Config file (default: .promiselint.yaml found walking up).")
def claims_cmd(paths, config_path):
    """List registered claims, their status and where each is used."""
    from promiselint.project.claimsreport import claims_report

    click.echo(claims_report(list(paths) or [Path(".")], config_path))


# -- commands defined in other modules: one line each (and Group.LAZY) -------------
from .commands import baseline_cmd, serve_cmd  # noqa: E402

main.add_command(serve_cmd)
main.add_command(baseline_cmd)

if __name__ == "__main__":
    main()
