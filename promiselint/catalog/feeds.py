"""Product feeds -> pandas frames of rows, in pieces a worker can read on its own.

    feed = open_feed("s3://bucket/listings.jsonl")   # format from the extension
    feed.columns                                      # for resolving the spec
    frames = [read_piece(p) for p in feed.pieces]     # what the workers do

Formats: CSV/TSV (Shopify, WooCommerce, Google's TSV, any header), JSON Lines
(cut at line ends into byte ranges), Parquet (one piece per row group) and the
Google Merchant Center XML feed (RSS 2.0 `item` or Atom `entry`, `g:` fields).
Every row gets `__row__` (where it is: `feed.csv:12` line, `feed.jsonl@4096`
byte, `feed.xml#3` item) and `__error__` (why it cannot be read, else None): a
broken row is a finding, never the end of the job.  Paths go through fsspec.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from promiselint.core.errors import UsageError

from .listing import ERROR_COLUMN, ROW_COLUMN

SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".parquet": "parquet", ".pq": "parquet", ".xml": "xml", ".rss": "xml", ".atom": "xml"}
COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
BLOCKSIZE = 8 * 2 ** 20  # JSON Lines bytes per piece
PEEK = 256 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Feed:
    path: str
    kind: str
    columns: list[str]
    pieces: list[tuple] = field(default_factory=list)  # arguments of read_piece
    types: dict = field(default_factory=dict)  # column -> Parquet type (Parquet only)


def _fs(path: str):
    import fsspec

    try:
        return fsspec.core.url_to_fs(path)
    except ImportError as e:
        raise UsageError(f"{path}: {str(e).splitlines()[0]}")
    except ValueError as e:
        raise UsageError(f"{path}: {e}")


def expand(path: str) -> list[str]:
    """The feeds a path names: itself, or the files its glob (`*`, `?`, `[`) matches."""
    if not any(c in path for c in "*?["):
        return [path]
    fs, local = _fs(path)
    found = sorted(fs.glob(local))
    if not found:
        raise UsageError(f"{path}: no file matches")
    return [p if "://" not in path else fs.unstrip_protocol(p) for p in found]


def _open(path: str, mode="rb"):
    import fsspec

    try:
        return fsspec.open(path, mode, compression="infer").open()
    except ImportError as e:
        raise UsageError(f"{path}: {str(e).splitlines()[0]}")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file")
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: cannot open: {e}")


def kind_of(path: str) -> str:
    name = PurePosixPath(path.split("?")[0]).name.lower()
    for ext in COMPRESSED:
        name = name.removesuffix(ext)
    kind = SUFFIXES.get(PurePosixPath(name).suffix)
    if kind is None:
        raise UsageError(f"{path}: unknown feed format (known: {', '.join(sorted(SUFFIXES))})")
    return kind


def open_feed(path: str, encoding: str = "utf-8", blocksize: int = BLOCKSIZE) -> Feed:
    """The feed's columns and the pieces to read it in."""
    kind = kind_of(path)
    fs, local = _fs(path)
    try:
        if not fs.isfile(local):
            raise UsageError(f"{path}: no such file")
    except (OSError, ValueError) as e:  # pragma: no cover - remote stores
        raise UsageError(f"{path}: {e}")
    if kind == "parquet":
        return _parquet_feed(path)
    with _open(path) as fh:
        head = fh.read(PEEK)
    name = PurePosixPath(local).name
    if kind == "csv":
        return Feed(path, kind, _csv_header(head, path, encoding), [("csv", path, name, encoding)])
    if kind == "jsonl":
        keys: dict = {}
        for line in head.splitlines()[:200]:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                keys.update(dict.fromkeys(obj))
        size = fs.size(local) if not any(local.endswith(e) for e in COMPRESSED) else None
        ranges = [(0, None)] if not size else [(o, min(blocksize, size - o)) for o in range(0, size, blocksize)]
        return Feed(path, kind, list(keys), [("jsonl", path, name, o, n) for o, n in ranges])
    frame = read_piece(("xml", path, name, 200))
    columns = [c for c in frame.columns if not c.startswith("__")]
    if not columns and len(frame):  # not one item could be read: say why
        raise UsageError(frame[ERROR_COLUMN].iloc[0])
    return Feed(path, kind, columns, [("xml", path, name, None)])


def read_piece(piece: tuple):
    """A pandas frame of the rows of one piece (any format); a piece that cannot be
    read at all (a corrupt row group, a file gone) is one row naming the error."""
    reader = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet, "xml": _read_xml}[piece[0]]
    try:
        return reader(*piece[1:])
    except Exception as e:  # noqa: BLE001 - any reader failure becomes a finding, not a failed job
        where = f"{piece[2]}" + (f" (part {piece[3]})" if len(piece) > 4 else "")
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        return _frame([{ROW_COLUMN: where, ERROR_COLUMN: f"{where}: cannot read: {message}"}])


def _frame(records: list[dict]):
    import pandas as pd

    return pd.DataFrame(records, dtype=object) if records else pd.DataFrame(
        {ROW_COLUMN: [], ERROR_COLUMN: []}, dtype=object)


# -- CSV / TSV -----------------------------------------------------------------

def _delimiter(first_line: str, path: str) -> str:
    if kind_of(path) == "csv" and ".tsv" in path.lower():
        return "\t"
    return max(",;\t|", key=first_line.count)


def _csv_header(head: bytes, path: str, encoding: str) -> list[str]:
    text = head.decode(encoding, "surrogateescape").lstrip("\ufeff")
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0], path)))
    except (StopIteration, csv.Error):
        raise UsageError(f"{path}: no CSV header")


def _read_csv(path: str, name: str, encoding: str):
    with _open(path) as fh:
        text = fh.read().decode(encoding, "surrogateescape").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0], path))
    header, records = next(reader, []), []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            records.append({ROW_COLUMN: f"{name}:{start}", ERROR_COLUMN: f"{name}:{start}: invalid CSV: {e}"})
            break
        if not any(v.strip() for v in row):
            continue
        rec = dict(zip(header, row))
        rec[ROW_COLUMN] = f"{name}:{start}"
        rec[ERROR_COLUMN] = (f"{name}:{start}: {len(row)} fields, the header has {len(header)}"
                             if len(row) != len(header) else None)
        records.append(rec)
    return _frame(records)


# -- JSON Lines ----------------------------------------------------------------

def _read_jsonl(path: str, name: str, offset: int, length: int | None):
    with _open(path) as fh:
        if length is None:
            data = fh.read()
        else:  # whole lines: from the first line end at or after `offset` to the one after offset+length
            start, end = _line_end(fh, offset), _line_end(fh, offset + length)
            fh.seek(start)
            data, offset = fh.read(end - start), start
    records, pos = [], offset
    for raw in data.split(b"\n"):
        at, pos = pos, pos + len(raw) + 1
        if not raw.strip():
            continue
        where = f"{name}@{at}"
        try:
            obj = json.loads(raw.decode("utf-8"))
            error = None if isinstance(obj, dict) else f"{where}: a JSON {type(obj).__name__}, not an object"
        except UnicodeDecodeError as e:
            obj, error = {}, f"{where}: not valid UTF-8 (byte {e.start})"
        except ValueError as e:
            obj, error = {}, f"{where}: invalid JSON: {str(e).split(':')[0]}"
        rec = dict(obj) if isinstance(obj, dict) else {}
        rec[ROW_COLUMN], rec[ERROR_COLUMN] = where, error
        records.append(rec)
    return _frame(records)


def _line_end(fh, offset: int) -> int:
    """Offset 0, or the byte after the first newline at or after `offset` (or the end)."""
    from fsspec.utils import seek_delimiter

    fh.seek(offset)
    seek_delimiter(fh, b"\n", 2 ** 16)
    return fh.tell()


# -- Parquet ---------------------------------------------------------------------

def _parquet_feed(path: str) -> Feed:
    import pyarrow.parquet as pq

    with _open(path) as fh:
        try:
            meta = pq.ParquetFile(fh).metadata
        except Exception as e:  # pyarrow raises several kinds for a broken file
            raise UsageError(f"{path}: not a Parquet file ({str(e).splitlines()[0]})")
        schema = pq.ParquetFile(fh).schema_arrow
    name, first, pieces = PurePosixPath(path).name, 0, []
    for g in range(meta.num_row_groups):
        pieces.append(("parquet", path, name, g, first))
        first += meta.row_group(g).num_rows
    return Feed(path, "parquet", list(schema.names), pieces, {n: str(schema.field(n).type) for n in schema.names})


def _read_parquet(path: str, name: str, group: int, first: int):
    import pyarrow.parquet as pq

    with _open(path) as fh:
        pdf = pq.ParquetFile(fh).read_row_group(group).to_pandas().astype(object)
    pdf[ROW_COLUMN] = [f"{name}:{first + i + 1}" for i in range(len(pdf))]
    pdf[ERROR_COLUMN] = None
    return pdf


# -- Google Merchant Center XML ------------------------------------------------------

def _read_xml(path: str, name: str, limit: int | None):
    from defusedxml import ElementTree as ET

    records: list[dict] = []
    try:
        with _open(path) as fh:
            for _, elem in ET.iterparse(fh, events=("end",), forbid_dtd=True):
                if elem.tag not in ("item", ATOM + "entry"):
                    continue
                rec: dict = {}
                for child in elem:
                    key = child.tag.rsplit("}", 1)[-1]
                    value = "".join(child.itertext())
                    rec[key] = rec[key] + "\n" + value if key in rec else value  # repeated highlights
                rec[ROW_COLUMN], rec[ERROR_COLUMN] = f"{name}#{len(records) + 1}", None
                records.append(rec)
                elem.clear()
                if limit and len(records) >= limit:
                    break
    except ET.ParseError as e:
        records.append({ROW_COLUMN: f"{name}:{e.position[0]}", ERROR_COLUMN: f"{name}:{e.position[0]}: invalid XML: {e}"})
    except Exception as e:  # defusedxml refuses entities and DTDs
        records.append({ROW_COLUMN: name, ERROR_COLUMN: f"{name}: refused XML: {type(e).__name__}"})
    return _frame(records)
