"""Pre-publish service: an HTTP JSON API and an editor page.

    promiselint serve [--host 127.0.0.1] [--port 8080] [--fail-on error] [--workers N]

Routes
    POST /v1/check      check one text ({content, format, ...}) or the fields of one
                        CMS entry ({fields: [{name, content, format?, lang?}], ...})
    GET  /healthz       liveness and warm-up state
    GET  /openapi.json  the OpenAPI 3.1 description of the API
    GET  /              the editor page (promiselint/service/web/)

Every error is a one-line JSON object ``{"error": "..."}`` with a 4xx/5xx status:
400 invalid JSON (or a body that is not UTF-8), 413 body over the size limit,
422 a request that is valid JSON but not a valid check (unknown format or
language, binary content, wrong types), 503 when too many checks are queued,
504 when a check takes longer than the time limit.

408 when a request body does not arrive within ``read_timeout`` seconds.

One service process answers HTTP (asyncio: concurrent I/O, no checking) and
hands each check to one of N worker processes (``--workers``, default one per
core; see checkpool.py), so N checks run at once.  The rules, lexicons and
language stacks are built once at startup (a warm-up check per language and
format, then every example of every rule) and only then are the workers
forked: they share the built linter copy-on-write and answer a typical product
description in milliseconds.  The warm-up compiles every pattern the default
settings use (no request compiles one), and the workers collect garbage only
between checks (checkpool.py).  Each request waits at most ``timeout`` seconds,
queue time included: a check still running then is killed with its process and
a fresh worker takes its place, so it cannot slow the requests after it nor
the other workers.

Under ``promiselint serve`` sockets are bounded too (httpguard.py): request
headers must arrive within PROMISELINT_HEADER_TIMEOUT seconds (5), idle
keep-alive connections close after 5 s, and connections beyond
PROMISELINT_MAX_CONNECTIONS (256) are refused.  (Running the app under another
server, pass it the same limits: for uvicorn, ``--http
promiselint.service.httpguard:GuardedProtocol --limit-concurrency``.)  HTTP is
parsed by httptools (C) where it is installed, else by h11.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import time
from contextlib import asynccontextmanager, suppress
from pathlib import Path, PurePath
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .checkpool import CheckPool, WorkerDied

WEB_DIR = Path(__file__).with_name("web")

FORMATS = ("txt", "md", "html", "json", "po", "csv")
LANGS = ("ar", "fa", "en")
FAIL_ON = ("info", "warning", "error", "never")
EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".mdx": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".liquid": "html",
    ".json": "json", ".po": "po", ".pot": "po", ".csv": "csv",
}
API_VERSION = 1

DEFAULT_MAX_BODY = 1_000_000  # bytes
DEFAULT_TIMEOUT = 10.0  # seconds, queue time included
DEFAULT_READ_TIMEOUT = 10.0  # seconds to receive a request body
DEFAULT_MAX_FIELDS = 200
DEFAULT_MAX_PENDING = 64


def default_workers() -> int:
    """One check process per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1

WARMUP = {
    "ar": "متجرنا الأرخص في المملكة، وتوصيل خلال 24 ساعة. أحدث المنتجات.",
    "fa": "سریع‌ترین ارسال در کل کشور؛ ارسال ۲۴ ساعته. بهترین آرزوها.",
    "en": "The fastest charger money can buy. Guaranteed results, 24-hour delivery.",
}
WARMUP_FORMATS = {
    "md": "---\ntitle: Charger\n---\n# The fastest charger\n\nBest price.\n",
    "html": "<!doctype html><html lang=en><body><h1>The fastest charger</h1>"
            "<p>Price: $10</p><footer><a href=/privacy>Privacy</a></footer></body></html>",
    "json": '{"title": "The fastest charger", "body": "الأرخص في المملكة"}',
    "po": 'msgid "Fastest"\nmsgstr "سریع‌ترین"\n',
    "csv": "title,description\nCharger,The fastest charger\n",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    def __reduce__(self):  # raised in a worker process, answered by the service
        return ApiError, (self.status, self.message, self.headers)


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    message = " ".join(str(message).split())  # one line
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _version() -> str:
    try:
        import promiselint

        v = getattr(promiselint, "__version__", None)
        if v:
            return str(v)
    except Exception:  # pragma: no cover - the package is importable when serving
        pass
    try:
        from importlib.metadata import version

        return version("promiselint")
    except Exception:
        return "0+unknown"


# -- request validation ------------------------------------------------------

def looks_binary(text: str) -> str | None:
    """Why `text` is not text (NUL, many control characters, lone surrogates), or None."""
    if "\x00" in text:
        return "content contains NUL bytes; send text, not a binary file"
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > max(2, 0.05 * len(sample)):
        return "content looks binary (control characters); send text, not a binary file"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "content is not valid Unicode text (lone surrogate)"
    return None


def _str_list(value: Any, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
        return items or None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()] or None
    raise ApiError(422, f"'{name}' must be a list of rule ids or prefixes")


def _format(value: Any, filename: str | None, default: str | None = None) -> str:
    if value is None or value == "auto":
        if filename:
            ext = EXTENSIONS.get(PurePath(filename).suffix.lower())
            if ext:
                return ext
        return default or "txt"
    if not isinstance(value, str) or value.lower() not in FORMATS:
        raise ApiError(422, f"unknown format {value!r}; use one of: {', '.join(FORMATS)}")
    return value.lower()


def _lang(value: Any, default: str | None = None) -> str | None:
    if value is None or value == "" or value == "auto":
        return default
    if not isinstance(value, str) or value.lower() not in LANGS:
        raise ApiError(422, f"unknown lang {value!r}; use one of: auto, {', '.join(LANGS)}")
    return value.lower()


def _content(value: Any, where: str) -> str:
    if value is None:
        raise ApiError(422, f"missing '{where}'")
    if not isinstance(value, str):
        raise ApiError(422, f"'{where}' must be a string")
    why = looks_binary(value)
    if why:
        raise ApiError(422, f"{where}: {why}")
    if value.startswith("\ufeff"):  # a BOM is not part of the text offsets point into
        value = value[1:]
    return value


def parse_request(body: dict, default_fail_on: str, max_fields: int) -> dict:
    """Validate a decoded request body into a plan of checks (raises ApiError)."""
    if not isinstance(body, dict):
        raise ApiError(422, "request body must be a JSON object")
    fail_on = body.get("fail_on", default_fail_on)
    if fail_on not in FAIL_ON:
        raise ApiError(422, f"unknown fail_on {fail_on!r}; use one of: {', '.join(FAIL_ON)}")
    select = _str_list(body.get("select"), "select")
    ignore = _str_list(body.get("ignore"), "ignore")
    top_lang = _lang(body.get("lang"))
    filename = body.get("filename")
    if filename is not None and not isinstance(filename, str):
        raise ApiError(422, "'filename' must be a string")
    top_format = body.get("format")
    jobs = []
    if "fields" in body:
        if "content" in body:
            raise ApiError(422, "send either 'content' or 'fields', not both")
        fields = body["fields"]
        if not isinstance(fields, list) or not fields:
            raise ApiError(422, "'fields' must be a non-empty list of {name, content}")
        if len(fields) > max_fields:
            raise ApiError(422, f"too many fields ({len(fields)} > {max_fields})")
        default_fmt = _format(top_format, None) if top_format not in (None, "auto") else None
        names = set()
        for i, f in enumerate(fields):
            if not isinstance(f, dict):
                raise ApiError(422, f"fields[{i}] must be an object")
            name = f.get("name", f"field{i + 1}")
            if not isinstance(name, str) or not name:
                raise ApiError(422, f"fields[{i}].name must be a non-empty string")
            if name in names:
                raise ApiError(422, f"duplicate field name {name!r}")
            names.add(name)
            fname = f.get("filename")
            if fname is not None and not isinstance(fname, str):
                raise ApiError(422, f"fields[{i}].filename must be a string")
            jobs.append({
                "name": name,
                "content": _content(f.get("content"), f"fields[{i}].content"),
                "format": _format(f.get("format"), fname or name, default_fmt),
                "lang": _lang(f.get("lang"), top_lang),
                "filename": fname or name,
            })
    else:
        jobs.append({
            "name": None,
            "content": _content(body.get("content"), "content"),
            "format": _format(top_format, filename),
            "lang": top_lang,
            "filename": filename or "<text>",
        })
    return {"jobs": jobs, "select": select, "ignore": ignore, "fail_on": fail_on,
            "batch": "fields" in body}


# -- checking ----------------------------------------------------------------

def _is_page(result, content: str, fmt: str) -> bool:
    if any(f.rule.startswith("disclosure.") for f in result.findings):
        return True
    if fmt not in ("html", "md"):
        return False
    if result.page is not None:  # the check parsed it: no second parse
        return result.page
    try:
        from promiselint.formats import parse

        return bool(parse(content, fmt, "<text>").is_page)
    except Exception:
        return False


def run_checks(plan: dict) -> dict:
    """The synchronous work of one request: check every job, decide the verdict."""
    import promiselint
    from promiselint.core.errors import UsageError

    threshold = promiselint.severity_rank(plan["fail_on"]) if plan["fail_on"] != "never" else None
    out = []
    counts = {"error": 0, "warning": 0, "info": 0}
    failed = False
    for job in plan["jobs"]:
        try:
            result = promiselint.check_text(
                job["content"], format=job["format"], lang=job["lang"],
                filename=job["filename"], select=plan["select"], ignore=plan["ignore"])
        except UsageError as e:
            raise ApiError(422, str(e))
        d = result.to_dict()
        d["format"] = job["format"]
        d["page"] = _is_page(result, job["content"], job["format"])
        if job["name"] is not None:
            d = {"name": job["name"], **d}
        for f in result.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
            if threshold is not None and promiselint.severity_rank(f.severity) >= threshold:
                failed = True
        out.append(d)
    return {
        "version": API_VERSION,
        "verdict": "fail" if failed else "pass",
        "fail_on": plan["fail_on"],
        ("fields" if plan["batch"] else "files"): out,
        "summary": {"findings": sum(counts.values()), **counts},
    }


def _timed(fn, *args):
    t = time.perf_counter()
    return fn(*args), time.perf_counter() - t


def warm_up() -> dict:
    """Load every language stack and parser once, then run every rule's examples
    (so that each cue list and condition is built before the workers fork);
    returns seconds per step."""
    import promiselint

    t = time.perf_counter()
    _build_everything()  # first: its thousands of compiles would push the ones below out of re's cache
    times = {"patterns": round(time.perf_counter() - t, 3)}
    for lang, text in WARMUP.items():
        t = time.perf_counter()
        promiselint.check_text(text, format="txt", lang=lang, filename="<warm-up>")
        times[lang] = round(time.perf_counter() - t, 3)
    for fmt, text in WARMUP_FORMATS.items():
        t = time.perf_counter()
        promiselint.check_text(text, format=fmt, filename=f"<warm-up>.{fmt}")
        times[fmt] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    for example in _rule_examples():
        promiselint.check_text(example.get("flag", example.get("ok")), format=example.get("format", "txt"),
                               lang=example.get("lang"), filename="<warm-up>")
    times["rule examples"] = round(time.perf_counter() - t, 3)
    forget_request_texts()
    return times


def forget_request_texts() -> None:
    """Drop the short texts the matchers remember (a page's nav and footer repeat;
    see match/matcher.py): a service's requests hold other texts each time, so
    kept they only cost memory (about 10 MB per worker) and the time of every
    garbage collection that walks them.  Run in each worker after each answer."""
    from promiselint.project.api import cached_linters

    for linter in cached_linters():
        for matcher in linter.matchers.values():
            matcher.seen.clear()


def _build_everything() -> None:
    """Compile what the linters of a request's default settings (language detected
    or given) otherwise build on first use: every rule pattern, every language's
    prefilter, every lexicon entry's own pattern (which names the entry a match
    came from).  Then no request compiles a regex, the first ones included."""
    from promiselint.core.settings import Settings
    from promiselint.match import prefilter
    from promiselint.match.packs import compile_patterns
    from promiselint.project.api import linter_for

    for lang in (None, *LANGS):
        linter = linter_for(Settings(lang=lang))
        compile_patterns(linter.rules)
        linter.prepare()
        for rule in linter.rules:
            for lexicons in rule.lexicons.values():
                for lexicon in lexicons:
                    for entry in lexicon.entries:
                        entry.fullmatch("")  # compiles its pattern
    prefilter.derive_pending()


def _rule_examples() -> list[dict]:
    from promiselint.core.settings import Settings
    from promiselint.project.api import linter_for

    return [e for rule in linter_for(Settings()).all_rules for e in rule.examples
            if isinstance(e.get("flag", e.get("ok")), str)]


# -- the app -----------------------------------------------------------------

class _State:
    def __init__(self, workers: int):
        self.pool = CheckPool(_check_job, workers, warm_up, between=forget_request_texts)
        self.pending = 0
        self.ready = False
        self.warmup: dict = {}
        self.started = time.time()
        self.served = 0


def _check_job(plan: dict) -> tuple[bytes, float]:
    """What a worker process does for one request: (the response's JSON without its
    closing brace, seconds).  Encoded here, not in the service process: that one
    process answers every client, and bytes cross the pipe cheaper than dicts."""
    result, seconds = _timed(run_checks, plan)
    return _encode(result)[:-1], seconds


def _encode(content) -> bytes:
    """What starlette's JSONResponse sends for `content`."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def create_app(*, fail_on: str | None = None, max_body: int | None = None,
               timeout: float | None = None, workers: int | None = None,
               max_pending: int | None = None, max_fields: int | None = None,
               read_timeout: float | None = None, warm: bool = True) -> Starlette:
    """The ASGI app.  Unset options come from PROMISELINT_* environment variables
    (so ``uvicorn --factory promiselint.service.server:create_app`` works; PROMISELINT_WORKERS
    sets the check processes: run one uvicorn process, the checks use the cores)."""
    env = os.environ
    fail_on = fail_on or env.get("PROMISELINT_FAIL_ON", "error")
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {FAIL_ON}")
    max_body = int(max_body or env.get("PROMISELINT_MAX_BODY", DEFAULT_MAX_BODY))
    timeout = float(timeout or env.get("PROMISELINT_TIMEOUT", DEFAULT_TIMEOUT))
    read_timeout = float(read_timeout or env.get("PROMISELINT_READ_TIMEOUT", DEFAULT_READ_TIMEOUT))
    if workers is None:
        workers = int(env.get("PROMISELINT_WORKERS") or default_workers())
    max_pending = int(max_pending or env.get("PROMISELINT_MAX_PENDING", DEFAULT_MAX_PENDING))
    max_fields = int(max_fields or DEFAULT_MAX_FIELDS)
    state = _State(workers)

    @asynccontextmanager
    async def lifespan(app):
        if warm:  # here, before the workers fork from this process: they start warm
            state.warmup = warm_up()
        state.pool.start()
        state.ready = True
        try:
            yield
        finally:
            state.pool.close()

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > max_body:
                    raise ApiError(413, f"request body too large: {declared} bytes > limit {max_body}")
            except ValueError:
                raise ApiError(400, "invalid Content-Length header")
        chunks, size = [], 0
        try:
            async with asyncio.timeout(read_timeout):  # a slow drip or a short body ends here
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > max_body:
                        raise ApiError(413, f"request body too large: over the limit of {max_body} bytes")
                    chunks.append(chunk)
        except TimeoutError:
            raise ApiError(408, f"request body not received within {read_timeout:g} s "
                                f"({size} bytes came)", {"Connection": "close"})
        return b"".join(chunks)

    async def check(request: Request) -> Response:
        t0 = time.perf_counter()
        try:
            raw = await read_body(request)
            if not raw.strip():
                raise ApiError(400, "empty body; send a JSON object like {\"content\": \"...\", \"format\": \"txt\"}")
            if b"\x00" in raw and not raw.lstrip().startswith((b"{", b"[")):
                raise ApiError(422, "body is binary; send a JSON object with text content")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                raise ApiError(400, f"invalid JSON: body is not UTF-8 (byte {e.start})")
            try:
                body = json.loads(text)
            except json.JSONDecodeError as e:
                raise ApiError(400, f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")
            plan = parse_request(body, fail_on, max_fields)
            if state.pending >= max_pending:
                raise ApiError(503, f"server busy: {state.pending} checks queued; retry later",
                               {"Retry-After": "1"})
            state.pending += 1
            try:
                remaining = max(0.001, timeout - (time.perf_counter() - t0))
                result, check_s = await _answer_or_give_up(request, state.pool.run(plan), remaining)
            except TimeoutError:
                raise ApiError(504, f"check timed out after {timeout:g} s")
            except WorkerDied as e:
                _log().warning("check process died: %s", e)
                raise ApiError(500, f"internal error: {e}")
            finally:
                state.pending -= 1
        except ApiError as e:
            return _error(e.status, e.message, e.headers)
        except ClientDisconnect:
            return Response(status_code=499)  # nobody is listening any more
        except Exception as e:  # a bug in a rule must not take the service down
            _log().exception("check failed")
            return _error(500, f"internal error: {type(e).__name__}: {e}")
        state.served += 1
        elapsed = (time.perf_counter() - t0) * 1000
        body = result + b',"elapsed_ms":' + _encode(round(elapsed, 2)) + b"}"  # the result's last key
        timing = f"check;dur={check_s * 1000:.1f}, total;dur={elapsed:.1f}"
        return Response(body, media_type="application/json", headers={"Server-Timing": timing})

    async def healthz(request: Request) -> Response:
        body = {"status": "ok" if state.ready else "starting", "version": _version(),
                "api_version": API_VERSION, "warm": bool(state.warmup), "warmup_s": state.warmup,
                "fail_on": fail_on, "pending": state.pending, "served": state.served,
                "uptime_s": round(time.time() - state.started, 1),
                "check_processes": {"size": state.pool.size, "started": state.pool.started,
                                    "busy": len(state.pool.busy)},
                "limits": {"max_body": max_body, "timeout_s": timeout, "read_timeout_s": read_timeout,
                           "max_fields": max_fields}}
        return JSONResponse(body, status_code=200 if state.ready else 503)

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_schema(max_body, fail_on))

    async def index(request: Request) -> Response:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def method_not_allowed(request: Request, exc: HTTPException) -> Response:
        return _error(exc.status_code, exc.detail or "error", getattr(exc, "headers", None))

    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(500, f"internal error: {type(exc).__name__}: {exc}")

    routes = [
        Route("/", index, methods=["GET", "HEAD"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=WEB_DIR), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: method_not_allowed, Exception: server_error})
    app.add_middleware(_SecurityHeaders)
    app.state.promiselint = state
    return app


def _log():
    import logging

    return logging.getLogger("promiselint.service.server")


async def _answer_or_give_up(request: Request, check, timeout: float):
    """Await `check` for at most `timeout` seconds, or until the client goes away
    (ClientDisconnect); either way an unfinished check is cancelled, which ends
    its worker process."""
    task = asyncio.ensure_future(check)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        done, _ = await asyncio.wait({task, gone}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            return task.result()
        raise ClientDisconnect() if gone in done else TimeoutError()
    finally:
        for pending in (task, gone):
            if not pending.done():
                pending.cancel()
                with suppress(BaseException):
                    await pending


async def _disconnected(request: Request) -> None:
    """Returns when the client has disconnected (the body is already read)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class _SecurityHeaders:
    """The page loads nothing from outside: say so to the browser."""

    CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", self.CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- OpenAPI -------------------------------------------------------------------

def openapi_schema(max_body: int = DEFAULT_MAX_BODY, fail_on: str = "error") -> dict:
    sev = {"type": "string", "enum": ["error", "warning", "info"]}
    finding = {
        "type": "object",
        "required": ["rule", "category", "severity", "message", "line", "column", "end_line",
                     "end_column", "offset", "end_offset", "text", "language"],
        "properties": {
            "rule": {"type": "string", "examples": ["superlative.unverified"]},
            "category": {"type": "string", "examples": ["superlative", "promise", "claim", "disclosure"]},
            "severity": sev,
            "message": {"type": "string", "description": "In the language of the copy."},
            "line": {"type": "integer", "minimum": 0}, "column": {"type": "integer", "minimum": 0},
            "end_line": {"type": "integer", "minimum": 0}, "end_column": {"type": "integer", "minimum": 0},
            "offset": {"type": "integer", "minimum": 0,
                       "description": "0-based Unicode code point offset into content."},
            "end_offset": {"type": "integer", "minimum": 0},
            "text": {"type": "string", "description": "content[offset:end_offset] in code points."},
            "language": {"type": ["string", "null"]},
            "suggestion": {"type": ["string", "null"]},
            "key": {"type": "string"},
            "value": {"type": "object"},
        },
    }
    file_result = {
        "type": "object", "required": ["path", "language", "findings"],
        "properties": {
            "name": {"type": "string", "description": "Field name (batch form only)."},
            "path": {"type": "string"}, "language": {"type": ["string", "null"]},
            "format": {"type": "string", "enum": list(FORMATS)},
            "page": {"type": "boolean",
                     "description": "A full page (owes disclosures): disclosure.* findings apply."},
            "notice": {"type": "string"},
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        },
    }
    common = {
        "format": {"type": "string", "enum": list(FORMATS) + ["auto"],
                   "description": "Default: from filename's extension, else txt."},
        "lang": {"type": ["string", "null"], "enum": list(LANGS) + ["auto", None],
                 "description": "Force a language; default: detected per block."},
        "select": {"type": ["array", "string"], "items": {"type": "string"},
                   "description": "Rule ids or prefixes to run (list or comma-separated)."},
        "ignore": {"type": ["array", "string"], "items": {"type": "string"}},
        "fail_on": {"type": "string", "enum": list(FAIL_ON), "default": fail_on,
                    "description": "Lowest severity that makes the verdict 'fail'."},
    }
    single = {"type": "object", "required": ["content"], "properties": {
        "content": {"type": "string"}, "filename": {"type": "string"}, **common}}
    field = {"type": "object", "required": ["content"], "properties": {
        "name": {"type": "string"}, "content": {"type": "string"}, "filename": {"type": "string"},
        "format": common["format"], "lang": common["lang"]}}
    batch = {"type": "object", "required": ["fields"], "properties": {
        "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Field"}},
        **common}}
    summary = {"type": "object", "properties": {k: {"type": "integer"} for k in
                                                ("findings", "error", "warning", "info")}}
    response = {
        "type": "object", "required": ["version", "verdict", "fail_on", "summary"],
        "properties": {
            "version": {"const": API_VERSION},
            "verdict": {"type": "string", "enum": ["pass", "fail"]},
            "fail_on": {"type": "string", "enum": list(FAIL_ON)},
            "files": {"type": "array", "items": {"$ref": "#/components/schemas/FileResult"}},
            "fields": {"type": "array", "items": {"$ref": "#/components/schemas/FileResult"}},
            "summary": summary,
            "elapsed_ms": {"type": "number"},
        },
    }
    err = {"description": "Error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "promiselint", "version": _version(),
                 "description": "Lint storefront copy in Arabic, Persian and English for "
                                "unverifiable claims, unsupported promises and missing disclosures."},
        "paths": {
            "/v1/check": {"post": {
                "operationId": "check",
                "summary": "Check one text, or the fields of one CMS entry",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "oneOf": [{"$ref": "#/components/schemas/CheckRequest"},
                              {"$ref": "#/components/schemas/BatchRequest"}]},
                    "examples": {
                        "single": {"value": {"content": "The fastest charger money can buy.",
                                             "format": "txt", "lang": "en"}},
                        "batch": {"value": {"fields": [
                            {"name": "title", "content": "متجرنا الأرخص في المملكة"},
                            {"name": "body", "content": "<p>سریع‌ترین ارسال در کل کشور</p>",
                             "format": "html"}], "fail_on": "warning"}}}}}},
                "responses": {
                    "200": {"description": "Findings and a verdict", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/CheckResponse"}}}},
                    "400": {**err, "description": "Invalid JSON"},
                    "408": {**err, "description": "Body not received in time"},
                    "413": {**err, "description": f"Body over the size limit ({max_body} bytes)"},
                    "422": {**err, "description": "Unknown format or language, binary content, wrong types"},
                    "503": {**err, "description": "Too many checks queued"},
                    "504": {**err, "description": "Check over the time limit"},
                }}},
            "/healthz": {"get": {"operationId": "healthz", "summary": "Liveness and warm-up state",
                                 "responses": {"200": {"description": "Ready", "content": {
                                     "application/json": {"schema": {"type": "object"}}}},
                                     "503": {"description": "Starting"}}}},
        },
        "components": {"schemas": {
            "CheckRequest": single, "BatchRequest": batch, "Field": field,
            "CheckResponse": response, "FileResult": file_result, "Finding": finding,
            "Error": {"type": "object", "required": ["error"],
                      "properties": {"error": {"type": "string"}}},
        }},
    }


def serve(host: str = "127.0.0.1", port: int = 8080, *, workers: int | None = None, fail_on: str = "error",
          max_body: int = DEFAULT_MAX_BODY, timeout: float = DEFAULT_TIMEOUT,
          log_level: str = "info", read_timeout: float | None = None,
          header_timeout: float | None = None, max_connections: int | None = None) -> None:
    """Run the service with uvicorn (blocking) until SIGTERM or Ctrl-C: one
    process answering HTTP, `workers` check processes (default: one per core).

    On SIGTERM, running checks get at most `timeout` seconds more; then they are
    cancelled and their worker processes killed."""
    import uvicorn

    from .httpguard import GuardedProtocol, limits

    env = os.environ
    env["PROMISELINT_FAIL_ON"] = fail_on
    env["PROMISELINT_MAX_BODY"] = str(max_body)
    env["PROMISELINT_TIMEOUT"] = str(timeout)
    env.setdefault("PROMISELINT_PREFILTER", "eager")  # a service has the volume: derive it before forking
    for name, value in (("READ_TIMEOUT", read_timeout), ("HEADER_TIMEOUT", header_timeout),
                        ("MAX_CONNECTIONS", max_connections)):
        if value is not None:
            env[f"PROMISELINT_{name}"] = str(value)
    header_timeout, max_connections = limits()
    options = dict(host=host, port=port, log_level=log_level, access_log=False, http=GuardedProtocol,
                   limit_concurrency=max_connections, timeout_keep_alive=min(5, header_timeout),
                   timeout_graceful_shutdown=int(timeout) + 1)
    uvicorn.run(create_app(workers=workers), **options)
