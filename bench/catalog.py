"""Benchmark: `promiselint catalog` on a generated marketplace catalog, in one process and on Dask.

    python bench/catalog.py [--size 1000000] [--out bench/out] [--workers 1,2] [--no-single]

Generates a catalog (ar/fa/en mixed, a few percent of listings with a claim,
HTML descriptions, bullet points, sellers; phrases from bench/catalog.yaml),
writes it as Parquet (row groups of 50,000), then reports listings/second for
the plain single-process path and for local Dask clusters of 1 and 2 worker
processes, the peak memory of each worker, and Dask's overhead (1 worker
against the single-process path).  The tests import `generate` and `write`
to build small catalogs in every feed format.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from html import escape
from pathlib import Path

import yaml

PHRASES = yaml.safe_load(Path(__file__).with_name("catalog.yaml").read_text(encoding="utf-8"))
FORMATS = ("jsonl", "parquet", "csv", "google-xml", "google-tsv", "shopify", "woocommerce")


def _fill(rng: random.Random, lang: str, template: str, noun: str) -> str:
    p = PHRASES[lang]
    return template.format(noun=noun, spec=rng.choice(p["specs"]), city=rng.choice(p["cities"]), n=rng.randint(2, 9))


def generate(size: int, seed: int = 7, claim_rate: float = 0.04) -> list[dict]:
    """`size` listings: id, seller, lang, title, description (HTML for a third), bullet_points."""
    rng = random.Random(seed)
    out = []
    for i in range(size):
        lang = rng.choice(("ar", "ar", "fa", "en"))
        p = PHRASES[lang]
        noun = rng.choice(p["nouns"])
        sentences = [_fill(rng, lang, rng.choice(p["neutral"]), noun) for _ in range(rng.randint(2, 5))]
        if rng.random() < claim_rate:
            sentences.insert(rng.randrange(len(sentences) + 1), _fill(rng, lang, rng.choice(p["claims"]), noun))
        title = f"{noun} {rng.choice(p['specs'])}"
        if rng.random() < claim_rate / 3:
            title = _fill(rng, lang, rng.choice(p["claims"]), noun).rstrip(".")
        description = " ".join(sentences)
        if i % 3 == 0:
            description = "".join(f"<p>{escape(s, quote=False)}</p>" for s in sentences)
        bullets = "\n".join(rng.choice(p["specs"]) for _ in range(3))
        out.append({"id": f"L{i:07d}", "seller": f"seller-{rng.randint(1, max(1, size // 200)):05d}", "lang": lang,
                    "title": title, "description": description, "bullet_points": bullets})
    return out


def write(listings: list[dict], path: Path, fmt: str) -> Path:
    """Write the listings as a feed in `fmt` (see FORMATS); returns the path."""
    import pandas as pd

    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listings), encoding="utf-8")
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(listings), path, row_group_size=50_000)
    elif fmt == "csv":
        pd.DataFrame(listings).to_csv(path, index=False)
    elif fmt == "google-tsv":
        rows = [{"id": r["id"], "title": r["title"], "description": r["description"], "link": f"https://example.com/{r['id']}",
                 "product_highlight": r["bullet_points"].replace("\n", "; ")} for r in listings]
        pd.DataFrame(rows).to_csv(path, sep="\t", index=False)
    elif fmt == "google-xml":
        items = "".join(
            f"<item><g:id>{r['id']}</g:id><title>{escape(r['title'])}</title>"
            f"<description>{escape(r['description'])}</description><link>https://example.com/{r['id']}</link>"
            + "".join(f"<g:product_highlight>{escape(b)}</g:product_highlight>" for b in r["bullet_points"].split("\n"))
            + "</item>\n" for r in listings)
        path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                        'xmlns:g="http://base.google.com/ns/1.0"><channel><title>Feed</title>\n'
                        f"{items}</channel></rss>\n", encoding="utf-8")
    elif fmt == "shopify":
        rows = []
        for r in listings:
            rows.append({"Handle": r["id"], "Title": r["title"], "Body (HTML)": r["description"], "Vendor": r["seller"],
                         "Variant SKU": r["id"] + "-1", "Variant Price": "49.00"})
            rows.append({"Handle": r["id"], "Title": "", "Body (HTML)": "", "Vendor": "",
                         "Variant SKU": r["id"] + "-2", "Variant Price": "59.00"})  # a variant row
        pd.DataFrame(rows).to_csv(path, index=False)
    elif fmt == "woocommerce":
        rows = [{"ID": r["id"], "Type": "simple", "SKU": r["id"], "Name": r["title"],
                 "Short description": r["bullet_points"], "Description": r["description"], "Regular price": "49"}
                for r in listings]
        pd.DataFrame(rows).to_csv(path, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--workers", default="1,2", help="Local cluster sizes to time (comma separated).")
    ap.add_argument("--no-single", action="store_true", help="Skip the single-process path.")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import logging

    from distributed import Client, LocalCluster

    from promiselint.catalog.run import plan, run_dask, run_local
    from promiselint.core.settings import Settings

    args.out.mkdir(parents=True, exist_ok=True)
    feed = args.out / f"catalog-{args.size}.parquet"
    t0 = time.perf_counter()
    if not feed.exists():
        write(generate(args.size), feed, "parquet")
    print(f"catalog: {args.size:,} listings, {feed.stat().st_size / 1e6:.1f} MB Parquet "
          f"(ready in {time.perf_counter() - t0:.1f} s)")
    jobs = plan([str(feed)], settings_for=lambda p: Settings(), seller_column="seller", lang_column="lang",
                text_columns=["title", "description", "bullet_points"], id_column="id")
    rows, base, load = [], None, f"{os.getloadavg()[0]:.1f}"
    if not args.no_single:
        t0, c0 = time.perf_counter(), _cpu_seconds()
        outcome = run_local(jobs)
        base = time.perf_counter() - t0
        rows.append(("single process", base, len(outcome.findings), f"{_peak_rss_mb():.0f}",
                     f"{_cpu_seconds() - c0:.0f}"))
    for n in [int(w) for w in args.workers.split(",") if w.strip()]:
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            cpu0 = client.run(_cpu_seconds)  # (and the workers are up before the clock starts)
            t0 = time.perf_counter()
            outcome = run_dask(jobs, client)
            elapsed = time.perf_counter() - t0
            peaks, cpu = client.run(_peak_rss_mb), client.run(_cpu_seconds)
        rows.append((f"dask, {n} worker{'s' * (n > 1)}", elapsed, len(outcome.findings),
                     " / ".join(f"{v:.0f}" for v in peaks.values()),
                     " / ".join(f"{cpu[w] - cpu0[w]:.0f}" for w in cpu)))
    print(f"\nload average before the runs: {load}; after: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    print("\n| path | seconds | listings/s | findings | peak RSS per process (MB) | CPU s per process |\n"
          "|---|---|---|---|---|---|")
    for name, secs, found, mem, cpu_s in rows:
        print(f"| {name} | {secs:.1f} | {args.size / secs:,.0f} | {found:,} | {mem} | {cpu_s} |")
    timed = {name: secs for name, secs, *_ in rows}
    if base and "dask, 1 worker" in timed:
        print(f"\nDask overhead (1 worker against one process): {100 * (timed['dask, 1 worker'] / base - 1):+.1f}%")
    if "dask, 1 worker" in timed and "dask, 2 workers" in timed:
        print(f"Scaling 1 -> 2 workers: x{timed['dask, 1 worker'] / timed['dask, 2 workers']:.2f}")


if __name__ == "__main__":
    main()
