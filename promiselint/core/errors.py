"""Errors that end a run with exit code 2 and a one-line message, and the
problems with one input file that become findings instead (see problems.py)."""


class UsageError(Exception):
    """Bad usage, config or rule pack: reported as one line, exit code 2."""


class InputError(UsageError):
    """A file that cannot be read as its format: an `input.invalid` finding at `offset`
    (a UsageError where no file is being checked, e.g. in a claims registry)."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


class UnreadableFile(Exception):
    """The system refused to read a file or folder: an `input.unreadable` finding."""


class SkipFile(Exception):
    """Not text (binary, a FIFO, a device, a promiselint file): skipped with a notice."""


class WorkerDied(Exception):
    """A worker process ended without handing back its files' results (killed by
    the system, say): the run cannot report them; one line, exit code 2.
    `held`: the chunks of work it held."""

    def __init__(self, message: str, held: list = ()):
        super().__init__(message)
        self.held = list(held)
