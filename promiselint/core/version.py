"""The version promiselint reports (CLI, SARIF, the cache key, the language server)."""
__version__ = "0.1.0"
