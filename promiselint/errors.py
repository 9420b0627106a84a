"""Errors that end a run with exit code 2 and a one-line message."""


class UsageError(Exception):
    """Bad input, config or rule pack: reported as one line, exit code 2."""


class SkipFile(Exception):
    """A file that is not text (binary): skipped with a notice."""
