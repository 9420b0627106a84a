"""The service without httptools: uvicorn's pure-Python h11 parser, guarded the same way.

httptools is a test dependency, so every other service test runs on it; here a
`serve` subprocess is started as if the `service` extra were not installed.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

from promiselint.service import server  # noqa: E402

SERVER = """
import sys
sys.modules["httptools"] = None  # as where the service extra is not installed: the import fails
from promiselint.service import httpguard, server
assert httpguard.GuardedProtocol is httpguard.GuardedH11Protocol, httpguard.GuardedProtocol
server._rule_examples = lambda: []  # a shorter warm-up: this test is about HTTP
server.serve("127.0.0.1", int(sys.argv[1]), workers=1, header_timeout=1, log_level="warning")
"""


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("h11") / "server.log"
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdout=log.open("w"),
                            stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(server.WEB_DIR.parent.parent)})
    try:
        deadline = time.time() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.time() < deadline, "server did not start"
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(30)
    assert "Traceback" not in log.read_text()


def test_h11_answers_checks_on_one_connection(port):
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
        ar = c.post("/v1/check", json={"content": "متجرنا الأرخص في المملكة"})
        clean = c.post("/v1/check", json={"content": "A cotton shirt in three colours."})
        bad = c.post("/v1/check", content=b"{not json")
    assert ar.status_code == 200 and ar.json()["verdict"] == "fail"
    assert [f["text"] for f in ar.json()["files"][0]["findings"]] == ["الأرخص"]
    assert "check;dur=" in ar.headers["server-timing"]
    assert clean.status_code == 200 and clean.json()["verdict"] == "pass"
    assert bad.status_code == 400 and bad.json()["error"].startswith("invalid JSON")


def test_h11_chunked_body_is_read(port):
    body = b'{"content": "The fastest charger money can buy."}'
    with httpx.Client(timeout=30) as c:
        r = c.post(f"http://127.0.0.1:{port}/v1/check", content=iter([body[:10], body[10:]]))
    assert r.status_code == 200 and r.json()["summary"]["findings"] >= 1


def test_h11_connection_without_a_request_is_dropped(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(30)  # a bound for a test that would otherwise hang, not a measurement
    try:
        assert s.recv(1024) == b""  # closed by the server's header deadline (1 s)
    except ConnectionResetError:
        pass
    finally:
        s.close()
