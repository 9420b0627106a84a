"""Load test for `promiselint serve`: a few thousand requests from a second process.

    .venv/bin/python bench/load_test.py                 # 3000 requests, 1 connection, 1 worker
    .venv/bin/python bench/load_test.py -n 2000 -c 8 --workers 2
    .venv/bin/python bench/load_test.py --slow-clients 50   # slowloris connections alongside

Starts `promiselint serve --workers N` as a subprocess on a free loopback port
(or uses --url, which must be a loopback address), sends mixed Arabic/Persian/
English product descriptions of about --body-bytes each (5 KB: plain text,
Markdown, HTML, and batch requests with several fields) from -c client
threads, and reports requests/s, latency percentiles, errors, the server's
CPU time per request (its HTTP process and its check processes apart: figures
that a busy machine disturbs less than wall time), its own CPU per request,
and the server's memory.  The client collects no garbage while it measures
(its pauses would count as the server's latency).  Bounded in count and time;
writes bench/out/load_test.json.
"""
from __future__ import annotations

import argparse
import gc
import ipaddress
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent

PHRASES = {
    "en": {
        "claims": ["The fastest charger money can buy.", "Guaranteed results in 7 days.",
                   "Free 24-hour delivery to your door.", "The only blender you will ever need.",
                   "Clinically proven to reduce wrinkles.", "Our best-selling jacket, rated #1.",
                   "Unbeatable prices every day."],
        "plain": ["Made from 100% organic cotton and stitched in Porto.",
                  "The case is aluminium, 42 mm wide and 11 mm thick.",
                  "Machine washable at 30 degrees; do not tumble dry.",
                  "Ships in recycled packaging; returns within 30 days.",
                  "Compatible with USB-C laptops, phones and tablets.",
                  "Each set includes two pillowcases and a fitted sheet.",
                  "Available in navy, sand and forest green."],
    },
    "ar": {
        "claims": ["متجرنا الأرخص في المملكة.", "توصيل خلال 24 ساعة لجميع المدن.",
                   "أفضل شاحن في السوق بلا منافس.", "نتائج مضمونة من أول استخدام.",
                   "المنتج رقم 1 في الخليج.", "جودة لا مثيل لها."],
        "plain": ["القماش من القطن الطبيعي بنسبة مئة في المئة.", "يتوفر المنتج بثلاثة ألوان: الأحمر والأزرق والأسود.",
                  "يمكن غسله في الغسالة على درجة حرارة ثلاثين.", "الضمان سنة واحدة من تاريخ الشراء وفق الشروط.",
                  "الأبعاد 40 × 30 سم والوزن 1.2 كغ.", "يصل الطلب عادة خلال ثلاثة إلى خمسة أيام عمل."],
    },
    "fa": {
        "claims": ["سریع‌ترین ارسال در کل کشور.", "ارسال ۲۴ ساعته به سراسر ایران.",
                   "بهترین کیفیت بازار با تضمین.", "تنها فروشگاه با این قیمت.",
                   "محصول شماره یک ایران.", "بی‌نظیر در دوام و کیفیت."],
        "plain": ["جنس پارچه نخ پنبه طبیعی است.", "این محصول در سه رنگ سرمه‌ای، کرم و سبز موجود است.",
                  "قابل شستشو با ماشین لباسشویی در دمای سی درجه.", "ابعاد ۴۰ در ۳۰ سانتی‌متر و وزن ۱٫۲ کیلوگرم.",
                  "ارسال معمولاً سه تا پنج روز کاری طول می‌کشد.", "گارانتی یک‌ساله طبق شرایط فروشگاه."],
    },
}


def description(rng: random.Random, lang: str, size: int) -> str:
    p = PHRASES[lang]
    out, n = [], 0
    while n < size:
        s = rng.choice(p["claims"]) if rng.random() < 0.25 else rng.choice(p["plain"])
        out.append(s)
        n += len(s.encode()) + 1
    # paragraphs of 3-5 sentences
    paras, i = [], 0
    while i < len(out):
        k = rng.randint(3, 5)
        paras.append(" ".join(out[i:i + k]))
        i += k
    return "\n\n".join(paras)


def make_requests(n: int, seed: int = 7, size: int = 5000) -> list[dict]:
    """n request bodies, each with about `size` bytes of copy."""
    rng = random.Random(seed)
    reqs = []
    for i in range(n):
        lang = ("en", "ar", "fa")[i % 3]
        text = description(rng, lang, size)
        kind = rng.random()
        if kind < 0.55:
            reqs.append({"content": text, "format": "txt"})
        elif kind < 0.75:
            reqs.append({"content": "# Product\n\n" + text.replace("\n\n", "\n\n- ", 1), "format": "md"})
        elif kind < 0.9:
            html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            reqs.append({"content": f"<div class='product' lang='{lang}'>{html}</div>", "format": "html"})
        else:
            reqs.append({"fields": [
                {"name": "title", "content": text.split(".")[0][:120]},
                {"name": "body", "content": text, "format": "txt"},
                {"name": "meta", "content": text[:300]},
            ]})
    return reqs


def descendants(pid: int) -> list[int]:
    """pid, its children and theirs (uvicorn --workers, check processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += [int(k) for k in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return out


def memory_kb(pid: int, field: str = "VmRSS:", where: str = "status") -> int:
    """Memory of pid and its descendants, in KiB: resident (VmRSS, pages shared by
    the forked workers counted in each) or proportional (Pss, from smaps_rollup:
    shared pages split between their sharers, so the sum is what the service costs)."""
    total = 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/{where}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def rss_kb(pid: int) -> int:
    return memory_kb(pid)


def pss_kb(pid: int) -> int:
    return memory_kb(pid, "Pss:", "smaps_rollup")


def cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by pid itself and by its live descendants."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    return used(pid), sum(used(p) for p in descendants(pid)[1:])


def slow_clients(base: str, count: int, until: threading.Event) -> dict:
    """`count` connections that drip request headers a byte every half second (a
    slowloris) while the load runs: how many the server dropped on its own."""
    url = urlparse(base)
    socks = []
    for _ in range(count):
        s = socket.create_connection((url.hostname, url.port or 80))
        s.setblocking(False)
        s.send(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    open_ = set(range(count))
    while open_ and not until.wait(0.5):
        for i in list(open_):
            try:
                if socks[i].recv(1024) == b"":
                    open_.discard(i)
                    continue
            except BlockingIOError:
                pass
            except OSError:
                open_.discard(i)
                continue
            try:
                socks[i].send(b"X")
            except OSError:
                open_.discard(i)
    for s in socks:
        s.close()
    return {"slow_clients": count, "dropped_by_server": count - len(open_)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_loopback(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"load_test: refusing to load {host!r}: only loopback addresses (127.0.0.0/8, ::1)")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--requests", type=int, default=3000)
    ap.add_argument("-c", "--concurrency", type=int, default=1, help="client threads, each one connection")
    ap.add_argument("--workers", type=int, default=1, help="the server's check processes (serve --workers)")
    ap.add_argument("--body-bytes", type=int, default=5000, help="bytes of copy per request")
    ap.add_argument("--url", default=None, help="an already running service (loopback only)")
    ap.add_argument("--time-limit", type=float, default=600, help="stop sending after this many seconds")
    ap.add_argument("--slow-clients", type=int, default=0,
                    help="also hold this many connections that drip headers (the server must drop them)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "load_test.json"))
    args = ap.parse_args()
    n = max(1, min(args.requests, 100_000))

    proc = None
    if args.url:
        check_loopback(args.url)
        base = args.url.rstrip("/")
        pid = None
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        proc = subprocess.Popen([sys.executable, "-m", "promiselint.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", str(args.workers),
                                 "--log-level", "warning"], env=env, cwd=ROOT)
        pid = proc.pid
    try:
        t0 = time.perf_counter()
        rss_start = rss_kb(pid) if pid else None
        deadline = time.time() + 180
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc and proc.poll() is not None:
                sys.exit("load_test: server exited during start-up")
            if time.time() > deadline:
                sys.exit("load_test: server did not become healthy in 180 s")
            time.sleep(0.2)
        startup = time.perf_counter() - t0
        health = httpx.get(base + "/healthz").json()
        rss_ready = rss_kb(pid) if pid else None

        reqs = make_requests(n, size=args.body_bytes)
        bodies = [json.dumps(r, ensure_ascii=False).encode() for r in reqs]
        # a short warm-up (not measured): first requests of each shape
        with httpx.Client(timeout=30) as c:
            for b in bodies[:30]:
                c.post(base + "/v1/check", content=b, headers={"content-type": "application/json"})
        rss_warm = rss_kb(pid) if pid else None

        latencies: list[float] = []
        server_ms: list[float] = []
        statuses: dict[int, int] = {}
        errors: list[str] = []
        lock = threading.Lock()
        next_i = [0]
        stop_at = time.time() + args.time_limit
        samples: list[tuple[int, int]] = []  # (requests done, rss)

        def worker():
            with httpx.Client(timeout=30) as c:
                while True:
                    with lock:
                        i = next_i[0]
                        next_i[0] += 1
                    if i >= n or time.time() > stop_at:
                        return
                    t = time.perf_counter()
                    try:
                        r = c.post(base + "/v1/check", content=bodies[i],
                                   headers={"content-type": "application/json"})
                        dt = time.perf_counter() - t
                        with lock:
                            latencies.append(dt * 1000)
                            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                            if r.status_code == 200:
                                timing = r.headers.get("server-timing", "")
                                check = [x for x in timing.split(",") if x.strip().startswith("check;dur=")]
                                if check:
                                    server_ms.append(float(check[0].split("=")[1]))
                            else:
                                errors.append(f"{r.status_code}: {r.text[:120]}")
                    except httpx.HTTPError as e:
                        with lock:
                            errors.append(f"{type(e).__name__}: {e}")

        def sampler():
            while any(t.is_alive() for t in threads):
                if pid:
                    samples.append((len(latencies), rss_kb(pid)))
                time.sleep(0.5)

        threads = [threading.Thread(target=worker) for _ in range(max(1, args.concurrency))]
        # the client's own garbage collections are not the server's latency: none while measuring
        del reqs
        gc.collect()
        gc.freeze()
        gc.disable()
        client_cpu = time.process_time()
        cpu_start = cpu_s(pid) if pid else None
        load_start = os.getloadavg()[0]
        slow: dict = {}
        slow_done = threading.Event()
        dripper = threading.Thread(target=lambda: slow.update(slow_clients(base, args.slow_clients, slow_done)))
        if args.slow_clients:
            dripper.start()
        start = time.perf_counter()
        for t in threads:
            t.start()
        mon = threading.Thread(target=sampler)
        mon.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        mon.join()
        client_cpu = time.process_time() - client_cpu
        gc.enable()
        gc.unfreeze()
        if args.slow_clients:
            slow_done.set()
            dripper.join()
        rss_end = rss_kb(pid) if pid else None
        pss_end = pss_kb(pid) if pid else None
        cpu_end = cpu_s(pid) if pid else None
        load_end = os.getloadavg()[0]

        done = len(latencies)
        quarter = {}
        for q in (25, 50, 75, 100):
            target = done * q / 100
            s = next((rss for k, rss in samples if k >= target), rss_end)
            quarter[f"{q}%"] = round(s / 1024, 1) if s else None
        report = {
            "requests": done, "concurrency": args.concurrency, "server_workers": args.workers,
            "errors": len(errors), "statuses": statuses, "wall_s": round(wall, 2),
            "requests_per_s": round(done / wall, 1) if wall else None,
            "latency_ms": {"p50": round(pct(latencies, 50), 1), "p90": round(pct(latencies, 90), 1),
                           "p99": round(pct(latencies, 99), 1), "max": round(max(latencies), 1),
                           "mean": round(statistics.fmean(latencies), 1)},
            "server_check_ms": {"p50": round(pct(server_ms, 50), 1), "p99": round(pct(server_ms, 99), 1)},
            # checks running at once, on average: the summed check time over the wall time
            # (how many workers the service kept busy, whatever share of the CPU they got)
            "checks_in_flight": round(sum(server_ms) / 1000 / wall, 2) if wall else None,
            "body_kb_mean": round(statistics.fmean(len(b) for b in bodies[:done]) / 1024, 2),
            "server_cpu_ms_per_request": {
                "http": round((cpu_end[0] - cpu_start[0]) * 1000 / done, 2),
                "checks": round((cpu_end[1] - cpu_start[1]) * 1000 / done, 2)} if pid and done else None,
            # what this load test spent per request (httpx, threads): part of every latency it measures
            "client_cpu_ms_per_request": round(client_cpu * 1000 / done, 2) if done else None,
            "load_average": {"before": round(load_start, 2), "after": round(load_end, 2)},
            "startup_s": round(startup, 1), "warmup_s": health.get("warmup_s"),
            "rss_mb": {"at_start": round(rss_start / 1024, 1) if rss_start else None,
                       "ready": round(rss_ready / 1024, 1) if rss_ready else None,
                       "after_warmup": round(rss_warm / 1024, 1) if rss_warm else None,
                       "during_run": quarter,
                       "peak": round(max((s for _, s in samples), default=0) / 1024, 1) if samples else None,
                       "after": round(rss_end / 1024, 1) if rss_end else None,
                       "pss_after": round(pss_end / 1024, 1) if pss_end else None},
            "cpu": os.cpu_count(), "python": sys.version.split()[0], **slow,
        }
        if errors:
            report["first_errors"] = errors[:5]
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        lat = report["latency_ms"]
        rss = report["rss_mb"]
        print(f"{done} requests ({report['body_kb_mean']} KB mean body), {args.concurrency} clients, "
              f"{args.workers} worker(s): {report['requests_per_s']} req/s, "
              f"p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms, max {lat['max']} ms; "
              f"check alone (Server-Timing) p50 {report['server_check_ms']['p50']} ms, "
              f"p99 {report['server_check_ms']['p99']} ms; checks in flight {report['checks_in_flight']}; "
              f"errors {len(errors)}")
        if pid:
            cpu = report["server_cpu_ms_per_request"]
            print(f"server CPU per request: HTTP process {cpu['http']} ms, check processes {cpu['checks']} ms "
                  f"(client {report['client_cpu_ms_per_request']} ms); "
                  f"load average {load_start:.1f} -> {load_end:.1f} on {os.cpu_count()} cores")
        if slow:
            print(f"slow clients: {slow['dropped_by_server']} of {slow['slow_clients']} dropped by the server")
        if pid:
            print(f"server RSS: ready {rss['ready']} MB, after warm-up {rss['after_warmup']} MB, "
                  f"during run {rss['during_run']}, peak {rss['peak']} MB, after {rss['after']} MB "
                  f"(PSS, shared pages counted once: {rss['pss_after']} MB)")
        print(f"wrote {out}")
        return 1 if errors else 0
    finally:
        if proc:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(main())
