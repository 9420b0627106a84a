"""Run a catalog check: in this process, or on a Dask cluster (local or remote).

Both paths do the same steps on the same pieces: read a piece of a feed
(feeds.read_piece), cut it into chunks of `chunk_rows` listings, lint each
chunk (listing.lint_frame_stats).  On Dask, chunks are cut where the rows
are (only the chunk travels to the worker that lints it), and the Linter is
compiled once per worker process (listing.linter keeps it).
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from operator import getitem

from promiselint.core.errors import UsageError

from .feeds import open_feed, read_piece
from .listing import lint_frame_stats
from .spec import CatalogSpec

CHUNK_ROWS = 2000


@dataclass
class Job:
    """One feed to check: where its rows come from and how to read listings out of them."""

    feed: object  # feeds.Feed
    spec: CatalogSpec


@dataclass
class Outcome:
    findings: object  # pandas DataFrame, FINDING_COLUMNS (+ seller)
    stats: dict = field(default_factory=dict)


def check_parquet_types(job: Job) -> None:
    for col in job.spec.text_columns:
        kind = job.feed.types.get(col, "string")
        if not any(t in kind for t in ("string", "binary", "null")):
            raise UsageError(f"{job.feed.path}: text column {col!r} holds {kind}, not text")


def split(pdf, rows: int, spec: CatalogSpec) -> list:
    """`pdf` in chunks of about `rows` rows; merged listings (same id) stay in one chunk."""
    n, cuts = len(pdf), [0]
    ids = pdf[spec.id_column].tolist() if spec.merge_rows and spec.id_column in pdf.columns else None
    while cuts[-1] + rows < n:
        cut = cuts[-1] + rows
        while ids is not None and cut < n and ids[cut] == ids[cut - 1]:
            cut += 1
        if cut >= n:
            break
        cuts.append(cut)
    cuts.append(n)
    return [pdf.iloc[a:b] for a, b in zip(cuts, cuts[1:])]


def run_local(jobs: list[Job], chunk_rows: int = CHUNK_ROWS, progress=None) -> Outcome:
    """The single-process path."""
    parts = []
    for job in jobs:
        for piece in job.feed.pieces:
            pdf = read_piece(piece)
            if progress:
                progress.grow(len(pdf))
            for chunk in split(pdf, chunk_rows, job.spec):
                parts.append(lint_frame_stats(chunk, job.spec))
                if progress:
                    progress.done(len(chunk))
    return combine(parts, jobs)


def run_dask(jobs: list[Job], client, chunk_rows: int = CHUNK_ROWS, progress=None) -> Outcome:
    """The same steps as run_local, as tasks on the cluster behind `client`.  At most
    two pieces per worker are read and not yet linted, so memory stays flat."""
    from distributed import as_completed

    workers = sorted(client.scheduler_info()["workers"])
    specs = [client.scatter(job.spec, broadcast=True) for job in jobs]
    queue = [(j, p, piece) for j, job in enumerate(jobs) for p, piece in enumerate(job.feed.pieces)]
    queue.reverse()
    pending, reads, order, left, results = as_completed(), {}, {}, {}, {}
    turn = 0

    def read_next() -> None:
        if queue:
            j, p, piece = queue.pop()
            frame = client.submit(read_piece, piece, pure=False)
            count = client.submit(_chunk_count, frame, chunk_rows, jobs[j].spec)
            reads[count] = (j, p, frame)
            pending.add(count)

    for _ in range(2 * max(1, len(workers))):
        read_next()
    for fut in pending:
        if fut in reads:
            j, p, frame = reads.pop(fut)
            sizes = fut.result()
            if progress:
                progress.grow(sum(sizes))
            chunks = client.submit(split, frame, chunk_rows, jobs[j].spec)
            left[j, p] = len(sizes)
            for c, size in enumerate(sizes):
                chunk = client.submit(getitem, chunks, c)  # runs where the rows are
                # round robin: left alone, the scheduler keeps every chunk where the rows were read
                where = {"workers": workers[turn % len(workers)], "allow_other_workers": True} if workers else {}
                turn += 1
                lint = client.submit(lint_frame_stats, chunk, specs[j], **where)
                order[lint] = ((j, p, c), size)
                pending.add(lint)
            del frame, chunks
        else:
            key, size = order.pop(fut)
            results[key] = fut.result()
            if progress:
                progress.done(size)
            left[key[:2]] -= 1
            if not left[key[:2]]:
                read_next()
    return combine([results[k] for k in sorted(results)], jobs)


def _chunk_count(pdf, rows: int, spec: CatalogSpec) -> list[int]:
    return [len(c) for c in split(pdf, rows, spec)]


def combine(parts: list[tuple], jobs: list[Job]) -> Outcome:
    """One findings frame and the summed counts of the chunks' (findings, stats)."""
    import pandas as pd

    from .listing import empty_findings

    frames = [f for f, _ in parts if len(f)]
    spec = next((j.spec for j in jobs if j.spec.seller_column), jobs[0].spec)  # a seller column if any feed has one
    columns = list(empty_findings(spec).columns)
    findings = pd.concat(frames, ignore_index=True).reindex(columns=columns) if frames else empty_findings(spec)
    findings = findings.astype(object).where(findings.notna(), None).astype({"offset": "int64", "end_offset": "int64"})
    stats = {"listings": 0, "with_findings": 0, "sellers": {}}
    for _, s in parts:
        stats["listings"] += s["listings"]
        stats["with_findings"] += s["with_findings"]
        for seller, counts in s["sellers"].items():
            into = stats["sellers"].setdefault(seller, {"listings": 0, "with_findings": 0})
            for k, v in counts.items():
                into[k] = into.get(k, 0) + v
    return Outcome(findings, stats)


def client_for(workers: int | None, scheduler: str | None):
    """A client of the named cluster, or of a new local one with `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("Dask is not installed: pip install 'promiselint[catalog]'")
    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        try:
            return Client(address, timeout="15s")
        except (OSError, TimeoutError, ValueError) as e:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {str(e).splitlines()[0]}")
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    return Client(cluster)


def plan(paths: list[str], *, settings_for, id_column=None, text_columns=None, html_columns=None,
         lang_column=None, seller_column=None, encoding="utf-8") -> list[Job]:
    """A Job per feed, its columns resolved (known formats give the defaults)."""
    from .feeds import expand
    from .spec import resolve

    jobs = []
    for path in [p for given in paths for p in expand(given)]:
        feed = open_feed(path, encoding=encoding)
        spec = resolve(feed.columns, id_column=id_column, text_columns=text_columns, html_columns=html_columns,
                       lang_column=lang_column, seller_column=seller_column, settings=settings_for(path),
                       where=path)
        job = Job(feed, spec)
        if feed.kind == "parquet":
            check_parquet_types(job)
        jobs.append(job)
    return jobs


class Progress:
    """A progress bar on stderr (listings checked of listings read so far)."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm comes with spaCy
                return
            self.bar = tqdm(total=0, unit=" listings", file=sys.stderr, dynamic_ncols=True)

    def grow(self, n: int) -> None:
        if self.bar is not None:
            self.bar.total += n
            self.bar.refresh()

    def done(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary(outcome: Outcome, seller: bool) -> dict:
    """Listings checked and with findings; findings per rule, language, severity (and seller)."""
    df = outcome.findings
    out = {"listings": outcome.stats["listings"], "listings_with_findings": outcome.stats["with_findings"],
           "findings": len(df)}
    for name, col in (("by_rule", "rule"), ("by_language", "language"), ("by_severity", "severity")):
        counts = df[col].fillna("-").value_counts() if len(df) else {}
        out[name] = {str(k): int(v) for k, v in sorted(dict(counts).items(), key=lambda kv: (-kv[1], kv[0]))}
    if seller:
        per = df.groupby(df["seller"].fillna("")).size().to_dict() if len(df) else {}
        out["by_seller"] = {
            s: {**c, "findings": int(per.get(s, 0))}
            for s, c in sorted(outcome.stats["sellers"].items(), key=lambda kv: (-per.get(kv[0], 0), kv[0]))}
    return out
