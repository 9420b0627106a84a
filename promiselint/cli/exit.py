"""The `promiselint` command's process: run the CLI, then end at once.

Once a command is done, tearing the interpreter down (freeing every compiled
rule, lexicon and module one object at a time) takes longer than many a
one-file check.  `run` ends the process as soon as the command's output is
flushed and the atexit handlers have run; only the interpreter's own clean-up
is skipped.  While another thread still runs (a server's), the process exits
the usual way, which waits for it.  `main` itself (what tests and embedders
call) exits as any Click program does.

The process also collects garbage less often (GC_THRESHOLD), from before the
CLI is imported: what a run builds first (modules, rule packs, patterns) lives as long as the process, and the
default thresholds walked it again and again (a full collection in a 200-page
run); linting makes few reference cycles.
"""
from __future__ import annotations

import atexit
import gc
import os
import sys
import threading

GC_THRESHOLD = (10_000, 10, 10)  # (Python's: 700, 10, 10)


def run() -> None:
    """Entry point of the `promiselint` script and of `python -m promiselint.cli`."""
    gc.set_threshold(*GC_THRESHOLD)  # (before the CLI's imports: they build most of what lives long)
    from .app import main

    try:
        main()
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    if threading.active_count() > 1:
        sys.exit(code)
    if not isinstance(code, int):  # (None: success; a message: printed, status 1, as sys.exit does)
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the status Python gives it
            code = code or 120
    os._exit(code)
