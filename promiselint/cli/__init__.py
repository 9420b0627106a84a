"""The command line: `promiselint check|rules|explain|init|claims|baseline|serve|lsp|text|catalog`."""
from .app import main

__all__ = ["main"]
