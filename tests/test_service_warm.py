"""The service's check workers start warm and never pause a check to collect garbage.

Counted, never timed: regex compiles during a worker's first checks, collections
during a check, and what the collector frees between checks.
"""
from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from promiselint.service import checkpool  # noqa: E402
from promiselint.service.checkpool import CheckPool  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# A fresh process: warm up as `serve` does, fork a worker, and have it check a
# product description of each language in each format (and a batch) with every
# regex compile counted.  A fresh process, because in this one earlier tests
# have built much of the linter already.
FIRST_CHECKS = r"""
import asyncio, gc, json, os, re, sys
sys.path.insert(0, os.path.join(sys.argv[1], "bench"))
os.environ["PROMISELINT_PREFILTER"] = "eager"  # as serve() sets it
from load_test import make_requests  # bench/load_test.py: the load test's bodies
from promiselint.service import server
from promiselint.service.checkpool import CheckPool

server.warm_up()
compiles = [0]
real = re._compiler.compile
def counted(*a, **kw):
    compiles[0] += 1
    return real(*a, **kw)
re._compiler.compile = counted  # before the fork: the worker inherits it

def first_check(plan):
    before, collections = compiles[0], sum(s["collections"] for s in gc.get_stats())
    result = server.run_checks(plan)
    return {"compiles": compiles[0] - before, "gc_enabled": gc.isenabled(),
            "collections": sum(s["collections"] for s in gc.get_stats()) - collections,
            "findings": result["summary"]["findings"]}

plans = []
for body in make_requests(12, seed=3, size=2000):  # en, ar, fa in turn; txt, md, html, batches
    plans.append(server.parse_request(body, "error", 200))
for fmt, text in server.WARMUP_FORMATS.items():
    plans.append(server.parse_request({"content": text.replace("Charger", "Kettle"), "format": fmt}, "error", 200))

async def main():
    pool = CheckPool(first_check, 1)
    pool.start()
    try:
        return [await pool.run(p) for p in plans]
    finally:
        pool.close()

print(json.dumps(asyncio.run(main())))
"""


def test_a_fresh_worker_compiles_nothing_and_collects_nothing_while_checking():
    out = subprocess.run([sys.executable, "-c", FIRST_CHECKS, str(ROOT)], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-2000:]
    checks = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(checks) == 17
    assert sum(c["findings"] for c in checks) > 12  # real copy with claims, not empty checks
    assert [c["compiles"] for c in checks] == [0] * len(checks)  # the warm-up built every pattern
    assert not any(c["gc_enabled"] for c in checks)
    assert [c["collections"] for c in checks] == [0] * len(checks)


def _garbage(n: int):
    """A check that leaves `n` reference cycles behind; reports the worker's collector."""
    before = gc.get_stats()
    for _ in range(n):
        a = []
        a.append(a)
    after = gc.get_stats()
    return {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count(),
            "collections_during": sum(x["collections"] - y["collections"] for x, y in zip(after, before)),
            "collected_before": sum(s["collected"] for s in before), "pending": gc.get_count()[0]}


def test_worker_collects_between_checks_and_frees_their_cycles():
    keep = [object() for _ in range(1000)]  # objects of the service process, frozen by the fork
    pool = CheckPool(_garbage, 1)
    pool.start()
    try:
        n = checkpool.COLLECT_AFTER // 4
        runs = asyncio.run(_runs(pool, [n] * 12))
    finally:
        pool.close()
    del keep
    assert all(not r["enabled"] for r in runs)  # no automatic collection in a worker
    assert all(r["frozen"] >= 1000 for r in runs)  # what it inherited is frozen
    assert [r["collections_during"] for r in runs] == [0] * len(runs)  # never in the middle of a check
    # between checks the cycles were freed: about every fourth check, so the count stays bounded
    assert runs[-1]["collected_before"] - runs[0]["collected_before"] >= 6 * n
    assert max(r["pending"] for r in runs) < 2 * checkpool.COLLECT_AFTER
    assert gc.get_freeze_count() == 0  # closing the pool unfroze this process again


async def _runs(pool, args):
    return [await pool.run(a) for a in args]


def test_linters_per_request_settings_are_bounded():
    """A request may name its own select/ignore; the linters kept for them are the
    MAX_LINTERS most recently used, not one per distinct request for ever."""
    import promiselint
    from promiselint.project import api

    for i in range(api.MAX_LINTERS + 20):
        found = promiselint.check_text("The fastest charger.", select=["superlative"], ignore=[f"rule{i}"])
        assert found.findings  # each request still gets its own settings
        assert len(api._LINTERS) <= api.MAX_LINTERS
    assert api.linter_for(api.Settings()) is api.linter_for(api.Settings())  # kept while in use
