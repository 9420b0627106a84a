"""promiselint side by side with proselint, and against its own speed aims.

    .venv/bin/python bench/bench.py                 # every section (several minutes)
    .venv/bin/python bench/bench.py --quick         # smaller sizes, for a first look
    .venv/bin/python bench/bench.py --only proselint,shapes

Sections (issue #10's aims in brackets; figures go in the README and release
notes, never into timed tests):

* proselint  -- the same generated English product pages checked by both tools,
                best of three, as a throughput ratio [>= 5x, aim 10x];
* mixed      -- mixed ar/fa/en pages on every core: MB/s and total time
                [>= 3 MB/s; 10,000 pages < 20 s]; peak RSS of the largest process
                and summed over processes;
* shapes     -- pathological inputs at size S and 2S: time and peak RSS, and the
                growth factor of a doubling [~2.0: linear; RSS <= ~100 MB + 10 B/char];
                an 11.5 MB HTML page [< 10 s];
* cold       -- one small file, cold, with and without an abbreviation that needs
                a sentence splitter [<= 0.4 s]; a re-check from the cache [<= 0.15 s];
* service    -- bench/load_test.py from a second process, 5 KB bodies, 1 and 8
                clients against `serve --workers 1` and `--workers 2`: req/s, p50,
                p99 [p99 <= 20 ms sequentially; stable (no errors) under 8 clients;
                throughput grows with the workers].

Timings on a shared machine are noisy: each section prints the load average it
ran under.

`pip install -e '.[bench]'` installs proselint.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402  (bench/pages.py)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (MB) of the largest process of one command."""
    elapsed, rss, _ = run_sampled(cmd, cwd, sample=False)
    return elapsed, rss


def run_sampled(cmd: list[str], cwd: Path | None = None, sample: bool = True) -> tuple[float, int, int]:
    """Wall time, peak RSS (MB) of the largest process, and the peak of the RSS
    summed over the command's processes (sampled every 0.2 s; 0 unless `sample`)."""
    from load_test import rss_kb  # bench/load_test.py: RSS of a process tree from /proc

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    summed = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
        if pid:
            break
        summed = max(summed, rss_kb(proc.pid))
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd)} exited {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss // 1024, summed // 1024


def rss_aim(chars: int) -> str:
    """The memory aim for a largest file of `chars` characters."""
    return f"[<= {100 + 10 * chars / 1e6:.0f} MB: 100 MB + 10 B/char]"


def load() -> str:
    return f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"


def best(cmd: list[str], times: int = 3, cwd: Path | None = None) -> tuple[float, int]:
    runs = [run(cmd, cwd) for _ in range(times)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def promiselint(*args: str) -> list[str]:
    return [str(BIN / "promiselint"), "check", "--fail-on", "never", "--format", "json", *args]


def write_pages(folder: Path, count: int, langs: tuple[str, ...], seed: int) -> int:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for i in range(count):
        lang = langs[i % len(langs)]
        text = pages.product_page(rng, lang, rng.randint(4, 12))
        (folder / f"{lang}-{i:05d}.html").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def row(label: str, value: str, aim: str = "") -> None:
    print(f"  {label:<52} {value:>22}  {aim}")


def section_proselint(tmp: Path, quick: bool) -> None:
    print("promiselint vs proselint, the same English product pages, best of three", load())
    n = 60 if quick else 200
    folder = tmp / "en-pages"
    size = write_pages(folder, n, ("en",), seed=11)
    exe = BIN / "proselint"
    if not exe.exists():
        row("proselint", "not installed", "(pip install -e '.[bench]')")
        return
    theirs, _ = best([str(exe), "check", "--output-format", "json", str(folder)])
    ours, _ = best(promiselint("--no-cache", str(folder)))
    ours1, _ = best(promiselint("--no-cache", "--jobs", "1", str(folder)))
    mb = size / 1e6
    row(f"{n} pages, {mb:.2f} MB: proselint", f"{theirs:.2f} s {mb / theirs:.2f} MB/s")
    row("promiselint, all cores", f"{ours:.2f} s {mb / ours:.2f} MB/s",
        f"ratio {theirs / ours:.1f}x  [>= 5x, aim 10x]")
    row("promiselint, one core", f"{ours1:.2f} s {mb / ours1:.2f} MB/s", f"ratio {theirs / ours1:.1f}x")


def section_mixed(tmp: Path, quick: bool) -> None:
    print("mixed ar/fa/en storefront pages, every core", load())
    n = 1500 if quick else 10_000
    folder = tmp / "mixed"
    size = write_pages(folder, n, ("en", "ar", "fa"), seed=7)
    largest = max(len(p.read_text(encoding="utf-8")) for p in folder.iterdir())
    elapsed, rss, summed = run_sampled(promiselint("--no-cache", str(folder)))
    row(f"{n:,} pages, {size / 1e6:.1f} MB", f"{elapsed:.1f} s {size / 1e6 / elapsed:.2f} MB/s", "[>= 3 MB/s]")
    if n == 10_000:
        row("10,000 pages", f"{elapsed:.1f} s", "[< 20 s]")
    else:
        row("10,000 pages (extrapolated from this run)", f"{elapsed * 10_000 / n:.1f} s", "[< 20 s]")
    row("peak RSS, largest process", f"{rss} MB", rss_aim(largest))
    row("peak RSS summed over processes", f"{summed} MB")
    run(promiselint(str(folder)))  # fills the cache
    warm, _ = run(promiselint(str(folder)))
    row(f"re-check of the {n:,} pages, nothing changed (cache)", f"{warm:.2f} s")


SHAPES = {
    "claims back to back (.txt)": ("txt", pages.shape_claims_back_to_back),
    "one huge paragraph (.txt)": ("txt", pages.shape_huge_paragraph),
    "one line, no punctuation (.txt)": ("txt", pages.shape_one_block),
    "minified HTML on one line (.html)": ("html", pages.shape_minified_html),
}


def _doubling(label: str, paths: tuple[Path, Path], chars: int) -> None:
    """Check each of two files (the second twice the first) on one core: time, growth, RSS."""
    (t1, m1), (t2, m2) = (run(promiselint("--no-cache", "--jobs", "1", str(p))) for p in paths)
    row(label, f"{t1:.2f} s -> {t2:.2f} s", f"growth {t2 / t1:.2f} [~2.0]  RSS {m1} -> {m2} MB {rss_aim(chars)}")


def section_shapes(tmp: Path, quick: bool) -> None:
    print("pathological shapes: size S and 2S, one core (growth ~2.0 means linear)", load())
    base = 250_000 if quick else 1_000_000
    tmp = tmp / "shapes"  # with a config that lets the largest shapes in (default cap: 10 MB a file)
    tmp.mkdir(exist_ok=True)
    (tmp / ".promiselint.yaml").write_text("max_file_bytes: 100000000\n", encoding="utf-8")
    for i, (label, (ext, make)) in enumerate(SHAPES.items()):
        paths = (tmp / f"shape{i}-1.{ext}", tmp / f"shape{i}-2.{ext}")
        for path, size in zip(paths, (base, 2 * base)):
            path.write_text(make(size), encoding="utf-8")
        _doubling(f"{label} {base // 1000}k -> {2 * base // 1000}k chars", paths,
                  len(paths[1].read_text(encoding="utf-8")))
    keys = 25_000 if quick else 50_000
    paths = (tmp / "locale-1.json", tmp / "locale-2.json")
    for path, k in zip(paths, (keys, 2 * keys)):
        path.write_text(pages.shape_locale_table(k), encoding="utf-8")
    _doubling(f"locale table {keys // 1000}k -> {2 * keys // 1000}k keys (.json)", paths,
              len(paths[1].read_text(encoding="utf-8")))
    big = tmp / "big.html"
    body = pages.big_html_page(3_000_000 if quick else 11_500_000)
    big.write_text(body, encoding="utf-8")
    elapsed, rss = run(promiselint("--no-cache", "--jobs", "1", str(big)))
    row(f"one HTML page of {len(body) / 1e6:.1f} MB", f"{elapsed:.1f} s",
        f"{'[< 10 s for 11.5 MB]' if quick else '[< 10 s]'}  RSS {rss} MB {rss_aim(len(body))}")


def section_cold(tmp: Path, quick: bool) -> None:
    print("one small file, cold process, best of three", load())
    samples = {
        "plain (en)": ("plain.md", "# Kettle\n\nThe fastest kettle we sell boils in 90 seconds.\n"),
        "with an abbreviation (en)": ("abbr.md", "# Kettle\n\nRated No. 1 e.g. by buyers. Ships fast.\n"),
        "with an abbreviation (fa)": ("abbr-fa.md", "# کتری\n\nسریع‌ترین کتری. ک. ۲ در انبار است.\n"),
    }
    for label, (name, text) in samples.items():
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        elapsed, _ = best(promiselint("--no-cache", str(path)))
        row(label, f"{elapsed:.2f} s", "[<= 0.4 s]")
        run(promiselint(str(path)), cwd=tmp)
        warm, _ = best(promiselint(str(path)), cwd=tmp)
    row("re-check of that file from the cache", f"{warm:.2f} s", "[<= 0.15 s]")


def section_service(tmp: Path, quick: bool) -> None:
    print("service: bench/load_test.py from a second process, 5 KB bodies", load())
    script = ROOT / "bench" / "load_test.py"
    n = 300 if quick else 2000
    rates = {}
    for workers in (1, 2):
        for clients in (1, 8):
            out = tmp / f"load-{workers}-{clients}.json"
            proc = subprocess.run([sys.executable, str(script), "-n", str(n), "-c", str(clients),
                                   "--workers", str(workers), "--body-bytes", "5000", "--out", str(out)],
                                  capture_output=True, text=True, check=False)
            label = f"--workers {workers}, {clients} client{'s' if clients > 1 else ''}"
            if not out.exists():
                row(label, "failed", (proc.stderr.strip().splitlines() or ["no output"])[-1])
                continue
            r = json.loads(out.read_text(encoding="utf-8"))
            lat, cpu = r["latency_ms"], r["server_cpu_ms_per_request"]
            rates[workers, clients] = r["requests_per_s"]
            aim = "[p99 <= 20 ms]" if clients == 1 else "[stable: no errors]"
            row(label, f"{r['requests_per_s']:.0f} req/s p50 {lat['p50']:.0f} p99 {lat['p99']:.0f} ms",
                f"{aim}  errors {r['errors']}; checks in flight {r['checks_in_flight']}; "
                f"CPU/request: HTTP {cpu['http']} ms, checks {cpu['checks']} ms; "
                f"load {r['load_average']['before']:.1f}")
    if (1, 8) in rates and (2, 8) in rates:
        row("throughput, 2 workers / 1 worker, 8 clients", f"{rates[2, 8] / rates[1, 8]:.2f}x",
            "[grows with the cores: ~2x on 2 idle cores]")


SECTIONS = {"proselint": section_proselint, "mixed": section_mixed, "shapes": section_shapes,
            "cold": section_cold, "service": section_service}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = ap.parse_args()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="pl-bench-"))
    # as on a user's machine, where pip compiled the modules at install: the tools run
    # from bytecode (a shell with PYTHONDONTWRITEBYTECODE=1 would make every run compile
    # promiselint's sources afresh)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "promiselint")],
                   stdout=subprocess.DEVNULL, check=False)
    print(f"promiselint bench on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    try:
        for name in chosen:
            SECTIONS[name](tmp, args.quick)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
