"""Terminal conventions: colour (``--color`` > ``NO_COLOR`` > ``FORCE_COLOR`` >
``TERM=dumb`` > is it a terminal), UTF-8 output whatever the locale, and a
progress line on a terminal's stderr while a run lasts."""
from __future__ import annotations

import os
import sys
import threading
import time


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(flag: bool | None, stream=None) -> bool:
    """Colour or not: the flag wins, then NO_COLOR and FORCE_COLOR (set and not
    empty, see no-color.org and force-color.org), then TERM=dumb, then a TTY."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return _isatty(stream if stream is not None else sys.stdout)


def utf8_output() -> None:
    """Write stdout and stderr as UTF-8 (JSON and SARIF must be UTF-8; a cp1252
    console must not end the run with UnicodeEncodeError)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper (e.g. captured)
            pass


class Progress:
    """``promiselint: checking… 12 s`` rewritten in place on stderr, only when
    stderr is a terminal; erased when the run ends.  Writes with os.write (no
    Python lock a forked worker could inherit held)."""

    def __init__(self, enabled: bool = True, label: str = "promiselint: checking…", interval: float = 1.0):
        self.enabled = enabled and _isatty(sys.stderr) and os.environ.get("TERM") != "dumb"
        self.label, self.interval = label, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0

    def _show(self, text: str) -> None:
        self._width = max(self._width, len(text))
        try:
            os.write(sys.stderr.fileno(), ("\r" + text.ljust(self._width)).encode("utf-8", "replace"))
        except (OSError, ValueError):
            self._stop.set()

    def _run(self, start: float) -> None:
        while not self._stop.wait(self.interval):
            self._show(f"{self.label} {int(time.monotonic() - start)} s")

    def __enter__(self):
        if self.enabled:
            sys.stderr.flush()
            self._show(self.label)
            self._thread = threading.Thread(target=self._run, args=(time.monotonic(),), daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._show("")  # blank the line, then back to its start
            try:
                os.write(sys.stderr.fileno(), b"\r")
            except (OSError, ValueError):
                pass
        return False
