"""The pre-publish service: POST /v1/check, /healthz, /openapi.json, the page's files."""
from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
# TestClient runs the app in a thread of this process, so forking a check worker warns;
# under uvicorn the service forks from its single thread.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")

from starlette.testclient import TestClient  # noqa: E402

import promiselint  # noqa: E402
from promiselint.service import server  # noqa: E402
from promiselint.service.server import create_app  # noqa: E402

EN = "The fastest charger money can buy."
AR = "متجرنا الأرخص في المملكة"
FA = "سریع‌ترین ارسال در کل کشور"
CLEAN = "A cotton shirt in three colours. Machine washable at 30 degrees."


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:  # runs the lifespan: the warm-up
        yield c


def post(client, body, **kw):
    return client.post("/v1/check", content=json.dumps(body, ensure_ascii=False).encode(), **kw)


def texts(result_file):
    return [f["text"] for f in result_file["findings"]]


# -- answers ----------------------------------------------------------------

def test_healthz_reports_warm_service(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["warm"] is True
    assert set(body["warmup_s"]) >= {"ar", "fa", "en"}


@pytest.mark.parametrize("content, lang, word", [(EN, "en", "fastest"), (AR, "ar", "الأرخص"),
                                                 (FA, "fa", "سریع‌ترین")])
def test_check_flags_superlative_in_each_language(client, content, lang, word):
    r = post(client, {"content": content, "format": "txt"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["version"] == 1 and body["verdict"] == "fail" and body["fail_on"] == "error"
    [file] = body["files"]
    assert file["language"] == lang
    hits = [f for f in file["findings"] if word in f["text"]]
    assert hits, file["findings"]
    for f in file["findings"]:
        assert content[f["offset"]:f["end_offset"]] == f["text"]
        assert f["language"] == lang and f["severity"] in ("error", "warning", "info")
    assert any(f["rule"].startswith("superlative") and f["severity"] == "error" for f in hits)
    assert body["summary"]["findings"] == len(file["findings"])


def test_same_findings_as_the_library(client):
    content = "## Charger\n\n" + EN + "\n\n" + AR + "\n"
    r = post(client, {"content": content, "format": "md", "filename": "page.md"})
    lib = promiselint.check_text(content, format="md", filename="page.md").to_dict()
    [file] = r.json()["files"]
    assert file["findings"] == lib["findings"]
    assert file["path"] == "page.md" and file["format"] == "md"


def test_offsets_are_code_points_even_after_astral_characters(client):
    content = "🚀🚀 " + EN
    [file] = post(client, {"content": content, "format": "txt"}).json()["files"]
    f = next(f for f in file["findings"] if "fastest" in f["text"])
    assert content[f["offset"]:f["end_offset"]] == f["text"]
    assert f["offset"] == content.index("fastest")  # code points: each rocket counts as one


def test_clean_copy_passes(client):
    body = post(client, {"content": CLEAN, "format": "txt", "lang": "en"}).json()
    assert body["verdict"] == "pass"
    assert body["files"][0]["findings"] == []


def test_fail_on_is_configurable_per_request(client):
    never = post(client, {"content": EN, "format": "txt", "fail_on": "never"}).json()
    assert never["verdict"] == "pass" and never["fail_on"] == "never"
    assert never["files"][0]["findings"]  # findings still reported


def test_server_default_fail_on():
    with TestClient(create_app(fail_on="never", warm=False)) as c:
        body = post(c, {"content": EN}).json()
    assert body["fail_on"] == "never" and body["verdict"] == "pass"


def test_select_limits_rules(client):
    body = post(client, {"content": EN + " Guaranteed 24-hour delivery.", "select": ["promise"]}).json()
    rules = [f["rule"] for f in body["files"][0]["findings"]]
    assert rules and all(r.startswith("promise") for r in rules)
    # a comma-separated string works too
    body2 = post(client, {"content": EN, "select": "superlative"}).json()
    assert all(f["rule"].startswith("superlative") for f in body2["files"][0]["findings"])


def test_lang_can_be_forced(client):
    body = post(client, {"content": FA, "lang": "fa"}).json()
    assert body["files"][0]["language"] == "fa"


def test_format_from_filename(client):
    body = post(client, {"content": f"<p>{EN}</p>", "filename": "product.html"}).json()
    assert body["files"][0]["format"] == "html"


def test_batch_form_checks_each_field(client):
    r = post(client, {"fields": [
        {"name": "title", "content": CLEAN},
        {"name": "body", "content": f"<p>{AR}</p>", "format": "html"},
        {"name": "summary", "content": FA, "lang": "fa"},
    ]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "files" not in body and [f["name"] for f in body["fields"]] == ["title", "body", "summary"]
    title, html, summary = body["fields"]
    assert title["findings"] == [] and title["format"] == "txt"
    assert html["format"] == "html" and any("الأرخص" in t for t in texts(html))
    h = next(f for f in html["findings"] if "الأرخص" in f["text"])
    assert f"<p>{AR}</p>"[h["offset"]:h["end_offset"]] == h["text"]
    assert summary["language"] == "fa" and any("سریع" in t for t in texts(summary))
    assert body["verdict"] == "fail"
    assert body["summary"]["findings"] == sum(len(f["findings"]) for f in body["fields"])


def test_full_html_page_reports_disclosures_and_page_flag(client):
    page = ("<!doctype html><html lang='en'><head><title>Charger</title></head><body>"
            f"<h1>Charger</h1><p>{EN}</p><p>Price: $19.99</p></body></html>")
    [file] = post(client, {"content": page, "format": "html"}).json()["files"]
    assert file["page"] is True
    lib = promiselint.check_text(page, format="html").to_dict()["findings"]
    assert file["findings"] == lib
    if not any(f["rule"].startswith("disclosure.") for f in lib):
        pytest.skip("the core reports no disclosure findings yet")
    rules = {f["rule"] for f in file["findings"]}
    assert {"disclosure.privacy-policy", "disclosure.return-policy"} <= rules
    snippet = post(client, {"content": f"<p>{EN}</p>", "format": "html"}).json()["files"][0]
    assert snippet["page"] is False
    assert not any(f["rule"].startswith("disclosure.") for f in snippet["findings"])


def test_leading_bom_is_not_counted_in_offsets(client):
    [file] = post(client, {"content": "\ufeff" + EN}).json()["files"]
    f = next(f for f in file["findings"] if "fastest" in f["text"])
    assert EN[f["offset"]:f["end_offset"]] == f["text"]


# -- bad requests -----------------------------------------------------------------

def assert_error(r, status, pattern):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["error"] and "\n" not in body["error"]
    assert re.search(pattern, body["error"], re.I), body["error"]


def test_invalid_json_is_400(client):
    assert_error(client.post("/v1/check", content=b'{"content": "x",'), 400, r"invalid JSON")
    assert_error(client.post("/v1/check", content=b""), 400, r"empty body")
    assert_error(client.post("/v1/check", content=b'{"content": "\xff\xfe"}'), 400, r"not UTF-8")


def test_body_must_be_an_object(client):
    assert_error(post(client, ["x"]), 422, r"JSON object")
    assert_error(post(client, {"text": "x"}), 422, r"missing 'content'")
    assert_error(post(client, {"content": 42}), 422, r"must be a string")


def test_oversize_body_is_413(client):
    big = {"content": "a" * 1_000_100}
    assert_error(post(client, big), 413, r"too large")


def test_oversize_chunked_body_without_length_is_413(client):
    def chunks():
        yield b'{"content": "'
        for _ in range(300):
            yield b"x" * 4096
        yield b'"}'

    r = client.post("/v1/check", content=chunks())
    assert_error(r, 413, r"too large")


def test_small_limit_is_configurable():
    with TestClient(create_app(max_body=100, warm=False)) as c:
        assert_error(post(c, {"content": "x" * 200}), 413, r"limit of 100|limit 100")
        assert post(c, {"content": "short"}).status_code == 200


def test_unknown_format_and_lang_are_422(client):
    assert_error(post(client, {"content": "x", "format": "docx"}), 422, r"unknown format 'docx'.*txt")
    assert_error(post(client, {"content": "x", "lang": "de"}), 422, r"unknown lang 'de'")
    assert_error(post(client, {"content": "x", "fail_on": "fatal"}), 422, r"unknown fail_on")
    assert_error(post(client, {"fields": [{"name": "a", "content": "x", "format": "pdf"}]}), 422,
                 r"unknown format 'pdf'")


def test_binary_content_is_422(client):
    assert_error(post(client, {"content": "PK\x03\x04\x00\x00binary"}), 422, r"NUL")
    controls = "".join(chr(c) for c in range(1, 9)) * 20
    assert_error(post(client, {"content": controls}), 422, r"binary")
    # a lone surrogate is not text either (JSON allows the escape)
    assert_error(client.post("/v1/check", content=b'{"content": "ab\\ud800cd"}'), 422, r"surrogate")
    # raw bytes instead of JSON
    assert_error(client.post("/v1/check", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 422, r"binary")
    assert_error(post(client, {"fields": [{"name": "img", "content": "\x00\x01"}]}), 422,
                 r"fields\[0\]\.content.*NUL")


def test_bad_batch_forms_are_422(client):
    assert_error(post(client, {"fields": []}), 422, r"non-empty list")
    assert_error(post(client, {"fields": ["x"]}), 422, r"must be an object")
    assert_error(post(client, {"fields": [{"name": "a", "content": "x"}, {"name": "a", "content": "y"}]}),
                 422, r"duplicate field")
    assert_error(post(client, {"content": "x", "fields": [{"content": "y"}]}), 422, r"either")
    assert_error(post(client, {"fields": [{"content": "x"}] * 201}), 422, r"too many fields")
    assert_error(post(client, {"content": "x", "select": [1, 2]}), 422, r"select")


def test_wrong_method_and_path_are_json(client):
    assert_error(client.get("/v1/check"), 405, r"method not allowed")
    assert_error(client.get("/v2/nothing"), 404, r"not found")


HANG = "hang here"  # content that the patched check below never finishes


def warm_here() -> None:
    """Build the rules in this process, so that the workers an app forks start warm
    (the tests below use warm=False to skip the full warm-up)."""
    promiselint.check_text(EN)


def hang_on(marker: str):
    """A check_text that never returns for `marker` (a stuck rule, a parser loop)."""
    real = promiselint.check_text

    def check(text, *a, **kw):
        if text == marker:
            while True:
                time.sleep(1)
        return real(text, *a, **kw)
    return check


def test_stuck_check_is_504_and_the_next_request_is_answered(monkeypatch):
    """The check runs in a worker process: at the time limit it is killed, not left
    running in the only worker, so the next request is checked as usual."""
    warm_here()
    monkeypatch.setattr(promiselint, "check_text", hang_on(HANG))  # before the workers fork
    with TestClient(create_app(timeout=1.5, warm=False, workers=1)) as c:
        pool = c.app.state.promiselint.pool
        assert post(c, {"content": EN}).status_code == 200
        [stuck] = pool.pids()
        assert_error(post(c, {"content": HANG}), 504, r"timed out after 1.5 s")
        assert not _alive(stuck)  # the stuck check's process is gone
        [fresh] = pool.pids()  # and a fresh one took its place
        for _ in range(3):
            r = post(c, {"content": EN})
            assert r.status_code == 200, r.text
            assert any("fastest" in f["text"] for f in r.json()["files"][0]["findings"])
        assert pool.started == 2 and pool.pids() == [fresh]  # one replacement, then reused


PO_LOOP = 'msgid "a"\nmsgstr "\\"\n'  # a msgstr ending in a backslash: looped forever once


def test_po_that_once_hung_does_not_degrade_the_service():
    warm_here()
    with TestClient(create_app(timeout=2, warm=False)) as c:
        r = post(c, {"content": PO_LOOP, "format": "po"})
        assert r.status_code in (200, 504), r.text  # 200 once the reader is fixed
        for _ in range(2):
            assert post(c, {"content": EN}).status_code == 200


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").is_file() or Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_queue_full_is_503(monkeypatch):
    import multiprocessing

    release = multiprocessing.get_context("fork").Event()  # shared with the forked worker
    real = promiselint.check_text

    def blocked(*a, **kw):
        release.wait(20)
        return real(*a, **kw)

    monkeypatch.setattr(promiselint, "check_text", blocked)
    with TestClient(create_app(max_pending=1, warm=False)) as c:
        state = c.app.state.promiselint
        first = {}
        t = threading.Thread(target=lambda: first.setdefault("r", post(c, {"content": EN})))
        t.start()
        deadline = time.time() + 20
        while state.pending < 1 and time.time() < deadline:
            time.sleep(0.02)
        try:
            r = post(c, {"content": EN})
            assert_error(r, 503, r"busy")
            assert r.headers["retry-after"] == "1"
        finally:
            release.set()
            t.join(20)
        assert first["r"].status_code == 200


def test_internal_error_is_500_json(monkeypatch):
    def broken(*a, **kw):
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(promiselint, "check_text", broken)
    with TestClient(create_app(warm=False, workers=1)) as c:
        assert_error(post(c, {"content": EN}), 500, r"internal error: RuntimeError: rule exploded")
        assert c.get("/healthz").status_code == 200  # still serving
        assert c.app.state.promiselint.pool.started == 1  # the worker survived its exception


def test_dead_worker_is_500_and_replaced(monkeypatch):
    import os
    import signal

    def dies(text, *a, **kw):
        os.kill(os.getpid(), signal.SIGKILL)  # as if the OS had killed it (memory)

    monkeypatch.setattr(promiselint, "check_text", dies)
    with TestClient(create_app(warm=False, workers=1)) as c:
        pool = c.app.state.promiselint.pool
        assert_error(post(c, {"content": EN}), 500, r"check process ended")
        assert_error(post(c, {"content": EN}), 500, r"check process ended")
        assert pool.started == 3  # each dead worker replaced at once
        [pid] = pool.pids()
        assert _alive(pid)


def test_usage_error_from_the_core_is_422(monkeypatch):
    from promiselint.core.errors import UsageError

    def bad(*a, **kw):
        raise UsageError("unknown rule 'nope'")

    monkeypatch.setattr(promiselint, "check_text", bad)
    with TestClient(create_app(warm=False)) as c:
        assert_error(post(c, {"content": EN, "select": ["nope"]}), 422, r"unknown rule")


# -- check workers: --workers N --------------------------------------------------------

def _fork():
    import multiprocessing

    return multiprocessing.get_context("fork")  # shared with the workers forked from this process


def test_workers_check_requests_in_parallel(monkeypatch):
    """With two workers, two requests are checked at the same time: each check waits
    at a barrier that only opens when both are inside a check at once (with one
    worker it would break, and the requests would fail), in two distinct processes."""
    import os

    ctx = _fork()
    barrier, pids = ctx.Barrier(2, timeout=60), ctx.SimpleQueue()
    real = promiselint.check_text

    def meet(*a, **kw):
        barrier.wait()  # raises BrokenBarrierError if the other check never comes
        pids.put(os.getpid())
        return real(*a, **kw)

    warm_here()
    monkeypatch.setattr(promiselint, "check_text", meet)
    with TestClient(create_app(warm=False, workers=2)) as c:
        assert c.app.state.promiselint.pool.size == 2 and len(c.app.state.promiselint.pool.pids()) == 2
        answers = {}
        threads = [threading.Thread(target=lambda i=i: answers.setdefault(i, post(c, {"content": EN})))
                   for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert [answers[i].status_code for i in range(2)] == [200, 200], [answers[i].text for i in answers]
        assert all(r.json()["verdict"] == "fail" for r in answers.values())  # real findings
        seen = {pids.get(), pids.get()}
        assert len(seen) == 2 and seen == set(c.app.state.promiselint.pool.pids())


def test_a_busy_worker_does_not_block_the_others(monkeypatch):
    """One worker holds a check that does not end; the other answers every request
    meanwhile (the held one is still unanswered: it cannot end before it is released)."""
    import os

    ctx = _fork()
    holding, release, pids = ctx.Event(), ctx.Event(), ctx.SimpleQueue()
    real = promiselint.check_text

    def check(text, *a, **kw):
        pids.put(os.getpid())
        if text == HANG:
            holding.set()
            release.wait(120)
        return real(text, *a, **kw)

    warm_here()
    monkeypatch.setattr(promiselint, "check_text", check)
    with TestClient(create_app(warm=False, workers=2, timeout=120)) as c:
        held = {}
        t = threading.Thread(target=lambda: held.setdefault("r", post(c, {"content": HANG})))
        t.start()
        try:
            assert holding.wait(60)
            held_pid = pids.get()
            for _ in range(4):
                r = post(c, {"content": EN})
                assert r.status_code == 200 and r.json()["verdict"] == "fail", r.text
                assert pids.get() != held_pid
            assert "r" not in held and c.get("/healthz").json()["check_processes"]["busy"] == 1
        finally:
            release.set()
            t.join(60)
        assert held["r"].status_code == 200


def test_workers_default_to_the_cores_and_come_from_the_environment(monkeypatch):
    with TestClient(create_app(warm=False)) as c:
        assert c.app.state.promiselint.pool.size == server.default_workers()
        assert len(c.app.state.promiselint.pool.pids()) == server.default_workers()  # forked at start
    monkeypatch.setenv("PROMISELINT_WORKERS", "3")
    with TestClient(create_app(warm=False)) as c:
        health = c.get("/healthz").json()["check_processes"]
        assert health["size"] == 3 and health["started"] == 3


@pytest.mark.parametrize("args, env", [(["--workers", "0"], {}), (["--workers", "-2"], {}),
                                       ([], {"PROMISELINT_WORKERS": "0"})])
def test_workers_below_one_is_a_usage_error(args, env):
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "promiselint.cli", "serve", "--port", "1", *args],
                         capture_output=True, text=True, timeout=120, check=False, env={**os.environ, **env})
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "--workers" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


# -- schema and page ------------------------------------------------------------------

def test_openapi_document_is_valid_and_describes_responses(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/v1/check" in spec["paths"] and "/healthz" in spec["paths"]
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec)


def test_responses_match_the_published_schema(client):
    jsonschema = pytest.importorskip("jsonschema")
    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]

    def check(instance, name):
        schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        jsonschema.Draft202012Validator(schema).validate(instance)

    check(post(client, {"content": EN + "\n" + AR}).json(), "CheckResponse")
    check(post(client, {"fields": [{"name": "t", "content": FA}]}).json(), "CheckResponse")
    check(post(client, {"content": "x", "format": "nope"}).json(), "Error")
    single = {"content": EN, "format": "txt", "lang": "en", "select": ["superlative"], "fail_on": "warning"}
    check(single, "CheckRequest")
    assert components["CheckResponse"]["properties"]["verdict"]["enum"] == ["pass", "fail"]


def test_page_and_assets_are_self_contained(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    html = r.text
    assert 'src="static/app.js"' in html and 'href="static/style.css"' in html
    for asset in ("static/app.js", "static/style.css"):
        a = client.get("/" + asset)
        assert a.status_code == 200 and len(a.text) > 500
        code = re.sub(r"/\*.*?\*/", "", a.text, flags=re.S)  # comments may name URLs
        assert not re.search(r"https?://|url\(\s*['\"]?//|@import", code), asset
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_cli_registers_serve_and_baseline():
    import click
    from click.testing import CliRunner

    from promiselint.cli.commands import register

    @click.group()
    def main():
        pass

    register(main)
    assert {"serve", "baseline"} <= set(main.commands)
    out = CliRunner().invoke(main, ["serve", "--help"])
    assert out.exit_code == 0 and "--port" in out.output and "127.0.0.1" in out.output


def test_serve_runs_uvicorn_on_loopback(tmp_path):
    """`promiselint serve` for real: a subprocess on a free port answers /healthz."""
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import click, sys\n"
            "from promiselint.cli.commands import register\n"
            "@click.group()\n"
            "def main(): pass\n"
            "register(main)\n"
            "main(['serve', '--port', sys.argv[1], '--log-level', 'warning'])\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(port)], cwd=tmp_path,
                            env={**__import__("os").environ, "PYTHONPATH": str(server.WEB_DIR.parent.parent)})
    try:
        deadline = time.time() + 90
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "server exited"
            assert time.time() < deadline, "server did not start"
            time.sleep(0.3)
        r = httpx.post(f"http://127.0.0.1:{port}/v1/check", json={"content": AR}, timeout=10)
        assert r.status_code == 200 and r.json()["verdict"] == "fail"
    finally:
        proc.terminate()
        proc.wait(10)


# -- a real server: slow clients, sockets, signals ------------------------------------

SERVER = """
import sys, time
import promiselint
real = promiselint.check_text

def check(text, *a, **kw):  # a check that never ends, for 'hang here'
    if text == "hang here":
        while True:
            time.sleep(1)
    return real(text, *a, **kw)

promiselint.check_text = check
from promiselint.service import server
server._rule_examples = lambda: []  # a shorter warm-up: these tests are about sockets and signals
server.serve("127.0.0.1", int(sys.argv[1]), timeout=float(sys.argv[2]), read_timeout=1,
      header_timeout=1, max_connections=8, log_level="info")
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path, timeout: float):
    """A `serve` subprocess with small limits; returns (process, port, log file)."""
    import os
    import subprocess
    import sys

    import httpx

    port, log = _free_port(), tmp_path / "server.log"
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(timeout)], cwd=tmp_path,
                            stdout=log.open("w"), stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(server.WEB_DIR.parent.parent)})
    deadline = time.time() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc, port, log
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, log.read_text()
        assert time.time() < deadline, "server did not start"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    proc, port, log = start_server(tmp_path_factory.mktemp("live"), timeout=2)
    yield port, log
    proc.terminate()
    proc.wait(30)


def connect(port: int):
    import socket

    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(30)  # a bound for a test that would otherwise hang, not a measurement
    return s


def closed_by_server(s) -> bool:
    """Reads until the server closes the connection (True), or 30 s pass (False)."""
    import socket

    try:
        while s.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def read_until_closed(s) -> bytes:
    """Everything the server sends until it closes the connection (30 s at most)."""
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data


def live_check(port: int, content: str = EN):
    import httpx

    return httpx.post(f"http://127.0.0.1:{port}/v1/check", json={"content": content}, timeout=30)


def check_in_background(port: int, content: str) -> None:
    """Send a check from a thread; the server may drop it (it is being stopped)."""
    import httpx

    def send():
        try:
            live_check(port, content)
        except httpx.HTTPError:
            pass
    threading.Thread(target=send, daemon=True).start()


def health(port: int) -> dict:
    import httpx

    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30).json()


def test_idle_and_slow_header_clients_are_dropped(live):
    port, _ = live
    idle = connect(port)
    drip = connect(port)
    drip.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
    for _ in range(300):  # one header byte at a time, as long as the server listens
        try:
            drip.sendall(b"X")
        except OSError:
            break
        time.sleep(0.1)
    assert closed_by_server(drip)
    assert closed_by_server(idle)
    assert live_check(port).status_code == 200


@pytest.mark.parametrize("sent", [b"", b'{"content": "x'])
def test_truncated_body_is_408_and_closed(live, sent):
    port, _ = live
    s = connect(port)
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n" + sent)
    answer = read_until_closed(s)  # the server answers, then closes
    assert answer.startswith(b"HTTP/1.1 408") and b"not received within 1 s" in answer


def test_slow_drip_body_is_408(live):
    port, _ = live
    s = connect(port)
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
    s.setblocking(False)
    answer = b""
    for _ in range(300):
        try:
            s.send(b" ")
        except OSError:
            break
        try:
            answer += s.recv(4096)
            if answer:
                break
        except BlockingIOError:
            pass
        time.sleep(0.1)
    s.settimeout(30)
    answer += read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 408")


def test_connections_over_the_limit_are_refused_then_service_recovers(live):
    port, log = live
    sockets = [connect(port) for _ in range(30)]  # limit: 8
    try:
        assert all(closed_by_server(s) for s in sockets)  # refused at once, or dropped at the header deadline
        assert "Connection limit (8) reached" in log.read_text()
        assert live_check(port).status_code == 200
    finally:
        for s in sockets:
            s.close()


def test_client_gone_cancels_its_check_and_logs_no_traceback(live):
    port, log = live
    body = json.dumps({"content": HANG}).encode()
    s = connect(port)
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    deadline = time.time() + 30
    while health(port)["pending"] < 1 and time.time() < deadline:
        time.sleep(0.05)
    s.close()  # while its check is running
    cut = connect(port)  # and one that leaves in the middle of its body
    cut.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"co")
    cut.close()
    while health(port)["pending"] and time.time() < deadline:
        time.sleep(0.05)
    assert health(port)["pending"] == 0
    assert live_check(port).status_code == 200
    assert "Traceback" not in log.read_text()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def signal_during_check(tmp_path, sig, timeout: float) -> tuple[list[int], str]:
    """Start a server, send it a check that never ends, then `sig`: (its check
    processes, its log).  Fails if the server does not exit."""
    proc, port, log = start_server(tmp_path, timeout=timeout)
    try:
        check_in_background(port, HANG)
        deadline = time.time() + 30
        while (health(port)["pending"] < 1 or not _children(proc.pid)) and time.time() < deadline:
            time.sleep(0.05)
        workers = _children(proc.pid)
        proc.send_signal(sig)
        proc.wait(60)  # raises if the signal did not stop it
    finally:
        if proc.poll() is None:
            proc.kill()
    return workers, log.read_text()


def test_sigterm_stops_the_service_while_a_check_runs(tmp_path):
    import signal

    workers, log = signal_during_check(tmp_path, signal.SIGTERM, timeout=3)
    assert workers and not any(_alive(pid) for pid in workers)
    assert "Traceback" not in log


def test_a_stuck_check_dies_with_a_killed_service(tmp_path):
    """Even SIGKILL (no shutdown code runs) leaves no check process behind."""
    import signal

    workers, _ = signal_during_check(tmp_path, signal.SIGKILL, timeout=60)
    deadline = time.time() + 30
    while any(_alive(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert workers and not any(_alive(pid) for pid in workers)


# -- the request path: encoded once, parsed once (issue #10) -----------------

def test_response_is_the_json_the_worker_encoded(client):
    """The worker encodes the result; the service appends elapsed_ms: the bytes of
    starlette's JSONResponse for the same document, in the same key order."""
    body = {"fields": [{"name": "title", "content": EN}, {"name": "body", "content": f"{AR}\n\n{FA}"}]}
    r = post(client, body)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    doc = r.json()
    assert list(doc) == ["version", "verdict", "fail_on", "fields", "summary", "elapsed_ms"]
    assert r.content == json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    expected = server.run_checks(server.parse_request(body, "error", 10))
    assert {k: v for k, v in doc.items() if k != "elapsed_ms"} == expected


@pytest.mark.parametrize("content, fmt, page", [
    ("---\ntitle: Kettle\n---\nThe fastest kettle.\n", "md", True), ("The fastest kettle.\n", "md", False),
    ("<p>The fastest kettle.</p>", "html", False)])
def test_page_flag_without_a_second_parse(monkeypatch, content, fmt, page):
    import promiselint.formats as formats

    parsed = []
    real = formats.parse
    monkeypatch.setattr(formats, "parse", lambda *a, **k: parsed.append(a[1]) or real(*a, **k))
    import promiselint.project.api as api

    monkeypatch.setattr(api, "parse", formats.parse)
    [file] = server.run_checks(server.parse_request({"content": content, "format": fmt}, "error", 10))["files"]
    assert file["page"] is page
    assert parsed == [fmt]  # the check's own parse; the page flag comes from it
