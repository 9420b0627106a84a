"""Write findings (Parquet or JSON Lines, by extension), the summary, and catalog baselines.

A catalog baseline is JSON: the findings accepted when it was written, keyed by
listing id, field, rule and the finding's text (normalized as `check`'s
baseline does), each with a count.  `--baseline` drops findings it accepts.
Local files are written atomically; other fsspec URLs are written in one go.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from promiselint.core.errors import UsageError
from promiselint.core.findings import normalize_text

VERSION = 1


def summary_path(output: str) -> str:
    """findings.parquet -> findings.summary.json (beside it)."""
    base = output
    for ext in (".gz", ".parquet", ".pq", ".jsonl", ".ndjson"):
        base = base.removesuffix(ext)
    return base + ".summary.json"


def _write_bytes(path: str, data: bytes) -> None:
    if "://" not in path or path.startswith("file://"):
        target = Path(path.removeprefix("file://"))
        if not target.parent.is_dir():
            raise UsageError(f"{path}: folder {target.parent} does not exist")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return
    import fsspec

    try:
        with fsspec.open(path, "wb") as fh:
            fh.write(data)
    except ImportError as e:
        raise UsageError(f"{path}: {str(e).splitlines()[0]}")


def write_findings(df, path: str) -> None:
    name = path.lower().removesuffix(".gz")
    if name.endswith((".parquet", ".pq")):
        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), buf)
        _write_bytes(path, buf.getvalue())
    elif name.endswith((".jsonl", ".ndjson")):
        lines = (json.dumps(_plain(r), ensure_ascii=False) + "\n" for r in df.to_dict("records"))
        data = "".join(lines).encode("utf-8")
        if path.lower().endswith(".gz"):
            import gzip

            data = gzip.compress(data)
        _write_bytes(path, data)
    else:
        raise UsageError(f"--output {path}: use a .parquet or .jsonl name")


def _plain(record: dict) -> dict:
    return {k: (None if v != v else int(v) if hasattr(v, "item") and not isinstance(v, str) else v)
            for k, v in record.items()}


def write_json(data: dict, path: str) -> None:
    _write_bytes(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _key(row: dict) -> tuple:
    return (str(row.get("id")), str(row.get("field") or ""), row["rule"], normalize_text(row.get("text") or ""))


def write_baseline(df, path: str) -> int:
    counts: Counter = Counter()
    shown: dict = {}
    for row in df.to_dict("records"):
        k = _key(row)
        counts[k] += 1
        shown.setdefault(k, row.get("text") or "")
    entries = [{"id": k[0], "field": k[1], "rule": k[2], "text": shown[k], "count": n}
               for k, n in sorted(counts.items())]
    write_json({"version": VERSION, "tool": "promiselint", "kind": "catalog", "findings": entries}, path)
    return len(df)


def apply_baseline(df, path: str):
    """(findings the baseline does not accept, how many it absorbed)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline file not found (write one with --baseline-out)")
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: cannot read baseline: {e}")
    if not isinstance(doc, dict) or doc.get("kind") != "catalog" or doc.get("version") != VERSION:
        raise UsageError(f"{path}: not a promiselint catalog baseline (version {VERSION})")
    budget: Counter = Counter()
    for e in doc.get("findings") or []:
        try:
            budget[_key(e)] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise UsageError(f"{path}: malformed baseline entry: {e!r}")
    keep = []
    for row in df.to_dict("records"):
        k = _key(row)
        keep.append(budget[k] <= 0)
        budget[k] -= 1
    kept = df[keep].reset_index(drop=True) if len(df) else df
    return kept, len(df) - int(sum(keep))
