"""uvicorn's HTTP/1.1 protocols with bounds on what a client may hold.

uvicorn closes idle keep-alive connections but waits forever for a request's
headers, so clients that connect and send nothing, or drip a header a byte at
a time, each keep a socket open until the server runs out of descriptors.
Here a connection must deliver its request headers within `header_timeout`
seconds of connecting (or of the previous response), and connections beyond
`max_connections` are closed as soon as they are accepted.  The body's own
deadline is the application's (server.py answers 408).

`GuardedProtocol` is the fastest protocol uvicorn has here: its httptools
parser (C, llhttp) when httptools is installed, else the pure-Python h11 one.
"""
from __future__ import annotations

import os

from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency; h11 still works without it
    HttpToolsProtocol = None

DEFAULT_HEADER_TIMEOUT = 5.0  # seconds
DEFAULT_MAX_CONNECTIONS = 256


def limits() -> tuple[float, int]:
    """(header timeout, connection limit) from PROMISELINT_HEADER_TIMEOUT / _MAX_CONNECTIONS."""
    env = os.environ
    return (float(env.get("PROMISELINT_HEADER_TIMEOUT") or DEFAULT_HEADER_TIMEOUT),
            int(env.get("PROMISELINT_MAX_CONNECTIONS") or DEFAULT_MAX_CONNECTIONS))


class _Guard:
    """A header deadline and a hard connection limit for a uvicorn protocol (see the module doc)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_timeout, self.max_connections = limits()
        self._header_timer = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            self.logger.warning("Connection limit (%d) reached; closing a new connection.",
                                self.max_connections)
            transport.close()
            return
        self._await_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_headers()

    def connection_lost(self, exc) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._stop_timer()
        if not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _stop_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        """No new request has started since the timer was set: drop the connection."""
        self._header_timer = None
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()


class GuardedH11Protocol(_Guard, H11Protocol):
    """uvicorn's h11 protocol, guarded."""


if HttpToolsProtocol is not None:
    class GuardedHttpToolsProtocol(_Guard, HttpToolsProtocol):
        """uvicorn's httptools protocol, guarded."""

    GuardedProtocol: type = GuardedHttpToolsProtocol
else:  # pragma: no cover
    GuardedProtocol = GuardedH11Protocol
