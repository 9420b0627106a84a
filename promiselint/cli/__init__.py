"""The command line: `promiselint check|rules|explain|init|claims|baseline|serve|lsp|text|catalog`.

`main` (the Click group) loads on first use, so that the script's `run` can set
the process's garbage-collection thresholds before the CLI's imports build it.
"""

__all__ = ["main", "run"]


def __getattr__(name: str):
    if name == "main":
        from .app import main

        return main
    if name == "run":
        from .exit import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
