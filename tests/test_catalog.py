"""Catalog mode: feeds in every format, on a real local Dask cluster (two worker
processes) and in one process, must give the same findings listing by listing;
broken rows are findings, never the end of the job."""
from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the catalog extra is not installed: pip install 'promiselint[catalog]'")
import pandas as pd  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from promiselint.catalog import check_dataframe, catalog_spec, lint_frame, spark_schema  # noqa: E402
from promiselint.catalog import listing  # noqa: E402
from promiselint.catalog.run import plan, run_dask, run_local  # noqa: E402
from promiselint.cli import main  # noqa: E402
from promiselint.core.settings import Settings  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_catalog", Path(__file__).parents[1] / "bench" / "catalog.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SIZE = 45
CHUNK = 7  # several chunks per piece, so both workers get work


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def listings():
    return bench.generate(SIZE, seed=3, claim_rate=0.5)


def _jobs(path, **kw):
    return plan([str(path)], settings_for=lambda p: Settings(), **kw)


def _by_listing(df) -> dict:
    rows = df.drop(columns=[c for c in ("seller",) if c in df]).to_dict("records")
    out: dict = {}
    for r in rows:
        out.setdefault(r["id"], []).append(tuple(r.values()))
    return out


def _same(local, dask) -> None:
    assert _by_listing(local.findings) == _by_listing(dask.findings)
    assert local.findings.to_dict("records") == dask.findings.to_dict("records")  # order too
    assert local.stats == dask.stats


@pytest.mark.parametrize("fmt", bench.FORMATS)
def test_every_format_same_findings_on_dask_and_in_one_process(fmt, tmp_path, client, listings):
    ext = {"jsonl": "jsonl", "parquet": "parquet", "google-xml": "xml", "google-tsv": "tsv"}.get(fmt, "csv")
    path = bench.write(listings, tmp_path / f"feed.{ext}", fmt)
    jobs = _jobs(path)
    local = run_local(jobs, chunk_rows=CHUNK)
    dask = run_dask(jobs, client, chunk_rows=CHUNK)
    _same(local, dask)
    assert local.stats["listings"] == SIZE  # Shopify's variant rows merge into their product
    ids = {r["id"] for r in listings}
    found = local.findings
    assert len(found) >= SIZE // 5 and set(found["id"]) <= ids
    assert set(found["rule"]) >= {"superlative.unverified", "promise.delivery-time"}
    assert set(found["language"]) == {"ar", "fa", "en"}
    assert "input.invalid" not in set(found["rule"])


def test_defaults_per_known_format(tmp_path, listings):
    cases = {"shopify": ("Handle", ["Title", "Body (HTML)"], "Vendor"),
             "woocommerce": ("ID", ["Name", "Short description", "Description"], None),
             "google-xml": ("id", ["title", "description", "product_highlight"], None),
             "google-tsv": ("id", ["title", "description", "product_highlight"], None),
             "jsonl": ("id", ["title", "description", "bullet_points"], "seller")}
    for fmt, (ident, texts, seller) in cases.items():
        ext = {"jsonl": "jsonl", "google-xml": "xml", "google-tsv": "tsv"}.get(fmt, "csv")
        spec = _jobs(bench.write(listings[:3], tmp_path / f"f-{fmt}.{ext}", fmt))[0].spec
        assert (spec.id_column, spec.text_columns, spec.seller_column) == (ident, texts, seller), fmt
    assert spec.lang_column == "lang"


def test_offsets_point_into_the_field(tmp_path, listings):
    path = bench.write(listings, tmp_path / "feed.jsonl", "jsonl")
    found = run_local(_jobs(path)).findings
    source = {r["id"]: r for r in listings}
    assert len(found)
    for row in found.to_dict("records"):
        field = source[row["id"]][row["field"]]
        assert field[row["offset"]:row["end_offset"]] == row["text"] != ""


def _jsonl(path: Path, rows: list) -> Path:
    path.write_bytes(b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n"
                              for r in rows))
    return path


def test_the_listing_is_one_entry(tmp_path):
    """A source or footnote in the description bounds a claim in the title; a suppression
    comment in an HTML field works as in `check`."""
    claim = "The fastest kettle in the UK"
    path = _jsonl(tmp_path / "f.jsonl", [
        {"id": "bare", "title": claim, "description": "Boils 1.7 l."},
        {"id": "cited", "title": claim, "description": "Source: Which? kettle test, May 2025."},
        {"id": "footnote", "title": claim + "*", "description": "Steel.\n\n* Fastest of 12 kettles in our lab, 2026."},
        {"id": "suppressed", "title": "Kettle", "description": "<p>Steel.</p><!-- promiselint-disable-next-line "
                                                               "superlative -- sourced on /awards -->\n<p>" + claim + "</p>"},
        {"id": "html", "title": "Kettle", "description": "<p>Steel.</p>\n<p>" + claim + "</p>"}])
    found = run_local(_jobs(path)).findings
    assert sorted(zip(found["id"], found["field"], found["text"])) == [
        ("bare", "title", "fastest"), ("html", "description", "fastest")]
    assert found[found["id"] == "html"]["offset"].item() == len("<p>Steel.</p>\n<p>The ")


def test_malformed_rows_are_findings_not_crashes(tmp_path, client):
    good = {"id": "ok", "title": "The cheapest kettle in Riyadh", "description": "Steel."}
    path = _jsonl(tmp_path / "bad.jsonl", [
        good,
        {"title": "No id here, the best kettle", "description": "Steel."},
        {"id": "num", "title": 12345, "description": "Steel kettle."},
        {"id": "list", "title": ["a", "b"], "description": "Steel kettle."},
        {"id": "html", "title": "Kettle", "description": "<p>Steel <!-- never closed"},
        b'{"id": "enc", "title": "Kettle \xff\xfe", "description": "Steel."}',
        b'{"id": "broken json", "title": ',
        b'["not", "an", "object"]',
        {"id": 77, "title": "Kettle", "description": "Steel."},  # a numeric id is fine
        {**good, "id": "ok2"}])
    jobs = _jobs(path)
    local, dask = run_local(jobs, chunk_rows=3), run_dask(jobs, client, chunk_rows=3)
    _same(local, dask)
    found = local.findings
    invalid = found[found["rule"] == "input.invalid"]
    where = dict(zip(invalid["id"], invalid["message"]))
    second = f"bad.jsonl@{len(json.dumps(good).encode()) + 1}"  # no id: the row is named by its byte offset
    assert "no id" in where[second]
    assert "title holds int" in where["num"] and "title holds list" in where["list"]
    assert "comment never closed" in where["html"]
    assert "bad.jsonl@" in " ".join(where) and any("not valid UTF-8" in m for m in where.values())
    assert any("invalid JSON" in m for m in where.values()) and any("not an object" in m for m in where.values())
    assert len(invalid) == 7 and set(invalid["severity"]) == {"error"}
    claims = found[found["rule"] != "input.invalid"]
    assert sorted(claims["id"]) == [second, "ok", "ok2"]  # the rest of the job goes on
    assert local.stats["listings"] == 10


def test_malformed_csv_and_xml(tmp_path, client):
    csv_path = tmp_path / "bad.csv"
    csv_path.write_bytes(b"id,title,description\n"
                         b"a,The best kettle,Steel\n"
                         b"b,Kettle \xff,Steel\n"
                         b"c,Kettle,Steel,extra\n"
                         b",Kettle,Steel\n")
    found = run_local(_jobs(csv_path)).findings
    where = dict(zip(found["id"], found["message"]))
    assert "not valid UTF-8" in where["b"] and "4 fields" in where["c"] and "no id" in where["bad.csv:5"]
    assert found[found["id"] == "a"]["rule"].tolist() == ["superlative.unverified"]
    xml = tmp_path / "bad.xml"
    xml.write_text('<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>1</g:id>'
                   "<title>The best kettle</title></item><item><title>oops</channel></rss>", encoding="utf-8")
    jobs = _jobs(xml)
    local, dask = run_local(jobs), run_dask(jobs, client)
    _same(local, dask)
    rules = dict(zip(local.findings["rule"], local.findings["message"]))
    assert "invalid XML" in rules["input.invalid"] and "superlative.unverified" in rules


def test_linter_compiled_once_per_worker(tmp_path, client, listings):
    path = bench.write(listings, tmp_path / "feed.jsonl", "jsonl")
    jobs = plan([str(path)], settings_for=lambda p: Settings(select=["superlative"]))  # settings no other test uses
    before = client.run(lambda: listing.built)
    run_dask(jobs, client, chunk_rows=3)  # 15 chunks over 2 workers
    after = client.run(lambda: listing.built)
    assert all(after[w] - before[w] <= 1 for w in after) and sum(after.values()) - sum(before.values()) >= 1


def test_python_api_pandas_and_dask(client, listings):
    import dask.dataframe as dd

    pdf = pd.DataFrame(listings)
    expected = check_dataframe(pdf, ["title", "description"], id_column="id", seller_column="seller")
    assert list(expected.columns)[-1] == "seller" and len(expected)
    lazy = check_dataframe(dd.from_pandas(pdf, npartitions=4), ["title", "description"], id_column="id",
                           seller_column="seller")
    got = client.compute(lazy).result()
    assert got.reset_index(drop=True).to_dict("records") == expected.to_dict("records")
    gaps = pd.DataFrame({"id": ["a", "b", None], "title": [pd.NA, "The best kettle", "Kettle"]}, dtype="string")
    found = check_dataframe(gaps, ["title"], id_column="id")
    assert found["rule"].tolist() == ["superlative.unverified", "input.invalid"]
    assert found["id"].tolist() == ["b", "row 2"] and "no id" in found["message"].iloc[1]


def test_spark_recipe(listings, monkeypatch):
    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (the Spark recipe is tested when it is)")
    if shutil.which("java") is None:
        pytest.skip("pyspark is installed but Java is not")
    import sys

    from pyspark.sql import SparkSession

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers need promiselint too
    spark = SparkSession.builder.master("local[2]").appName("promiselint-test").getOrCreate()
    try:
        pdf = pd.DataFrame(listings)[["id", "title", "description"]]
        spec = catalog_spec(["title", "description"], id_column="id")
        found = spark.createDataFrame(pdf).mapInPandas(
            lambda frames: (lint_frame(f, spec) for f in frames), schema=spark_schema(spec)).toPandas()
        expected = lint_frame(pdf, spec)
        def rows(df):
            return sorted(tuple(None if v is None or v != v else v for v in r)
                          for r in df.astype(object).itertuples(index=False))

        assert len(expected) and rows(found) == rows(expected), pyspark.__version__
    finally:
        spark.stop()


# -- the command ---------------------------------------------------------------

def _run(args, cwd=None):
    return CliRunner().invoke(main, ["catalog", *args], catch_exceptions=False)


def test_cli_outputs_summary_baseline_and_exit_codes(tmp_path, listings, client, monkeypatch):
    feed = bench.write(listings, tmp_path / "feed.jsonl", "jsonl")
    out = tmp_path / "findings.parquet"
    res = _run([str(feed), "--scheduler", client.scheduler.address, "-o", str(out), "--no-progress"])
    assert res.exit_code == 1, res.output
    df = pd.read_parquet(out)
    assert list(df.columns) == listing.FINDING_COLUMNS + ["seller"]
    summary = json.loads((tmp_path / "findings.summary.json").read_text(encoding="utf-8"))
    assert summary["listings"] == SIZE and summary["findings"] == len(df) > 0
    assert sum(summary["by_rule"].values()) == len(df) and set(summary["by_language"]) == {"ar", "fa", "en"}
    assert sum(s["listings"] for s in summary["by_seller"].values()) == SIZE
    assert f"{SIZE} listings checked" in res.output
    same = tmp_path / "same.jsonl"
    assert _run([str(feed), "--workers", "0", "-o", str(same)]).exit_code == 1
    rows = [json.loads(line) for line in same.read_text(encoding="utf-8").splitlines()]
    assert rows == json.loads(df.to_json(orient="records", force_ascii=False))
    assert _run([str(feed), "--workers", "0", "--fail-on", "never", "-o", str(same)]).exit_code == 0

    base = tmp_path / "base.json"
    assert _run([str(feed), "--workers", "0", "--baseline-out", str(base), "-o", str(same)]).exit_code == 1
    assert _run([str(feed), "--workers", "0", "--baseline", str(base), "-o", str(same)]).exit_code == 0
    assert same.read_text(encoding="utf-8") == ""
    new = listings + [{"id": "NEW", "seller": "s", "lang": "en", "title": "The best mug in the world",
                       "description": "Ceramic.", "bullet_points": ""}]
    bench.write(new, feed, "jsonl")
    res = _run([str(feed), "--workers", "0", "--baseline", str(base)])
    assert res.exit_code == 1 and res.stdout.splitlines()[0].startswith("NEW\ttitle:4-8\terror\tsuperlative")


def test_cli_config_from_the_feed_folder(tmp_path):
    feed = _jsonl(tmp_path / "f.jsonl", [{"id": "a", "title": "The best kettle", "description": "Delivered within 24 hours."}])
    assert "superlative.unverified" in _run([str(feed), "--workers", "0"]).output
    (tmp_path / ".promiselint.yaml").write_text("rules: {superlative: off}\n", encoding="utf-8")
    res = _run([str(feed), "--workers", "0"])
    assert "superlative" not in res.output.split("listings checked")[0] and "promise.delivery-time" in res.output


@pytest.mark.parametrize("args, message", [
    (["nope.jsonl"], "no such file"),
    (["{feed}", "--text-columns", "title,nope"], "no text column 'nope'"),
    (["{feed}", "--id-column", "sku"], "no id column 'sku'"),
    (["{feed}", "-o", "{tmp}/out.xlsx"], "use a .parquet or .jsonl name"),
    (["{tmp}/feed.docx"], "unknown feed format"),
    (["{feed}", "--baseline", "{tmp}/none.json"], "baseline file not found"),
    (["{feed}", "--encoding", "klingon"], "unknown encoding"),
    (["{tmp}/garbage.xml"], "garbage.xml:1: invalid XML"),
])
def test_cli_usage_errors_are_one_line(tmp_path, args, message):
    feed = _jsonl(tmp_path / "f.jsonl", [{"id": "a", "title": "Kettle"}])
    (tmp_path / "feed.docx").write_text("x", encoding="utf-8")
    (tmp_path / "garbage.xml").write_text("<rss><channel><item>", encoding="utf-8")
    args = [a.format(feed=feed, tmp=tmp_path) for a in args] + ["--workers", "0"]
    res = CliRunner().invoke(main, ["catalog", *args])
    assert res.exit_code == 2 and message in res.output, res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_missing_filesystem_package_is_one_line(tmp_path):
    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed")
    res = CliRunner().invoke(main, ["catalog", "s3://bucket/feed.jsonl", "--workers", "0"])
    assert res.exit_code == 2 and "s3fs" in res.output and len(res.output.strip().splitlines()) == 1


def test_without_the_extra_a_one_line_error(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "dask" else real(name, *a))
    res = CliRunner().invoke(main, ["catalog", str(tmp_path / "f.jsonl")])
    assert res.exit_code == 2 and "pip install 'promiselint[catalog]'" in res.output and "dask" in res.output


def test_check_does_not_import_dask():
    import subprocess
    import sys

    code = ("import sys, promiselint.cli; from click.testing import CliRunner; "
            "CliRunner().invoke(promiselint.cli.main, ['check', '-'], input='hello'); "
            "print(sorted(m for m in ('dask', 'distributed', 'pandas', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_globs_name_several_feeds(tmp_path):
    for name in ("a", "b"):
        _jsonl(tmp_path / f"{name}.jsonl", [{"id": name, "title": "The best kettle", "description": "Steel."}])
    res = _run([str(tmp_path / "*.jsonl"), "--workers", "0"])
    assert res.exit_code == 1 and "2 listings checked, 2 with findings" in res.stdout
    assert _run([str(tmp_path / "*.csv"), "--workers", "0"]).exit_code == 2


def test_claims_registry_and_scheduler_from_the_environment(tmp_path, client, monkeypatch):
    (tmp_path / "evidence.pdf").write_bytes(b"%PDF")
    (tmp_path / "claims.yaml").write_text(
        "claims:\n  - id: fastest\n    claim: {en: [\"fastest kettle in the UK\"]}\n    evidence: evidence.pdf\n"
        "    owner: ops@example.com\n    expires: 2099-12-31\n", encoding="utf-8")
    feed = _jsonl(tmp_path / "f.jsonl", [
        {"id": "registered", "title": "The fastest kettle in the UK", "description": "Steel."},
        {"id": "not", "title": "The fastest blender in the UK", "description": "Steel."}])
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", client.scheduler.address)
    before = _run([str(feed), "--no-progress"]).stdout
    assert "registered\t" in before and "not\t" in before
    (tmp_path / ".promiselint.yaml").write_text("claims: claims.yaml\n", encoding="utf-8")
    after = _run([str(feed), "--no-progress"]).stdout
    assert "registered\t" not in after and "not\ttitle:4-11" in after


def test_an_unreadable_piece_is_a_finding(tmp_path):
    from promiselint.catalog.feeds import read_piece

    frame = read_piece(("parquet", str(tmp_path / "gone.parquet"), "gone.parquet", 0, 0))
    assert "cannot read" in frame["__error__"].item()
    spec = catalog_spec(["title"], id_column="id", columns=["id", "title"])
    found = lint_frame(frame, spec)
    assert found["rule"].tolist() == ["input.invalid"] and "gone.parquet" in found["message"].item()


def test_feeds_with_and_without_a_seller_column(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "The best kettle"}])
    b = _jsonl(tmp_path / "b.jsonl", [{"id": "b", "seller": "acme", "title": "The best mug"}])
    out = tmp_path / "out.jsonl"
    assert _run([str(a), str(b), "--workers", "0", "-o", str(out)]).exit_code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["seller"]) for r in rows] == [("a", None), ("b", "acme")]


def test_jsonl_in_many_line_aligned_pieces(tmp_path, client, listings):
    """Byte-range pieces cut at line ends: every listing read exactly once, however the file is cut,
    and more pieces than the cluster keeps in flight."""
    from promiselint.catalog.feeds import open_feed
    from promiselint.catalog.run import Job

    path = bench.write(listings, tmp_path / "feed.jsonl", "jsonl")
    whole = run_local(_jobs(path))
    spec = _jobs(path)[0].spec
    for blocksize in (97, 1000):
        feed = open_feed(str(path), blocksize=blocksize)
        assert len(feed.pieces) > 4 * 2  # more than two per worker
        jobs = [Job(feed, spec)]
        local, dask = run_local(jobs, chunk_rows=CHUNK), run_dask(jobs, client, chunk_rows=CHUNK)
        _same(local, dask)
        assert local.stats == whole.stats and _by_listing(local.findings) == _by_listing(whole.findings)
