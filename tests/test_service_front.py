"""The service's front process keeps nothing per request, so its garbage collector
has nothing to walk while it answers (a collection there pauses every client).

Counted, never timed: the container objects the front process holds after a few
hundred requests through the real app and check pool, its collector switched off
to read the count.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette")

ROOT = Path(__file__).resolve().parent.parent

FRONT = r"""
import asyncio, gc, json
from promiselint.service.server import create_app

BODY = json.dumps({"content": "The fastest charger money can buy. Free delivery on every order."}).encode()
SCOPE = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
         "scheme": "http", "path": "/v1/check", "raw_path": b"/v1/check", "root_path": "",
         "query_string": b"", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000),
         "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]}

async def request(app):
    sent, first = [], [True]
    async def receive():
        if first[0]:
            first[0] = False
            return {"type": "http.request", "body": BODY, "more_body": False}
        await asyncio.Future()  # the client stays connected
    async def send(message):
        sent.append(message)
    await app(dict(SCOPE), receive, send)
    return sent[0]["status"]

async def main():
    app = create_app(workers=1, warm=False)
    async with app.router.lifespan_context(app):  # forks the check worker
        statuses = [await request(app) for _ in range(30)]
        gc.collect()
        gc.disable()
        start = gc.get_count()[0]
        kept = []
        for n in (100, 300):
            statuses += [await request(app) for _ in range(n)]
            kept.append(gc.get_count()[0] - start)
    print(json.dumps({"statuses": sorted(set(statuses)), "kept": kept}))

asyncio.run(main())
"""


def test_the_front_process_keeps_nothing_per_request():
    out = subprocess.run([sys.executable, "-c", FRONT], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["statuses"] == [200]
    after_100, after_400 = got["kept"]
    # a bounded set (asyncio's cancelled timers until it purges them), not a few per request:
    # 300 more requests keep fewer than 30 more objects
    assert after_400 - after_100 < 30, got


def test_a_check_crosses_to_its_worker_as_its_text_and_back_as_bytes():
    """What the pipe carries per request: the validated plan (the copy and a few
    options, nothing built from the linter) and the worker's encoded JSON."""
    import pickle

    from promiselint.service import server

    copy = "متجرنا الأرخص في المملكة. The fastest charger money can buy. " * 40
    plan = server.parse_request({"fields": [{"name": "title", "content": copy[:60]},
                                            {"name": "body", "content": copy}], "select": "superlative"},
                                "error", 200)
    assert len(pickle.dumps(plan)) < len((copy[:60] + copy).encode()) + 600
    body, seconds = server._check_job(plan)
    assert isinstance(body, bytes) and isinstance(seconds, float)
    assert json.loads(body + b"}")["summary"]["findings"] >= 40
