"""The command line: `promiselint check|rules|explain|init|claims|baseline|serve|lsp|text|catalog`."""
from .app import main
from .exit import run

__all__ = ["main", "run"]
