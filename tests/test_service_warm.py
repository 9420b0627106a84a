"""The service's check workers start warm, never pause a check to collect garbage,
keep little between checks, and a worker about to collect is the pool's last choice.

Counted, never timed: regex compiles during a worker's first checks, collections
during a check, what the collector frees between checks, objects kept per check.
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

from promiselint.service import checkpool, server  # noqa: E402
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

from promiselint.project.api import cached_linters

def first_check(plan):
    remembered = sum(len(m.seen) for linter in cached_linters() for m in linter.matchers.values())
    kept = gc.get_count()[0]  # container objects kept since the worker last collected
    before, collections = compiles[0], sum(s["collections"] for s in gc.get_stats())
    result = server.run_checks(plan)
    return {"remembered": remembered, "kept": kept,
            "compiles": compiles[0] - before, "gc_enabled": gc.isenabled(),
            "collections": sum(s["collections"] for s in gc.get_stats()) - collections,
            "findings": result["summary"]["findings"]}

plans = []
for body in make_requests(12, seed=3, size=2000):  # en, ar, fa in turn; txt, md, html, batches
    plans.append(server.parse_request(body, "error", 200))
for fmt, text in server.WARMUP_FORMATS.items():
    plans.append(server.parse_request({"content": text.replace("Charger", "Kettle"), "format": fmt}, "error", 200))

async def main():
    pool = CheckPool(first_check, 1, between=server._State(1).pool.between)  # as the service's
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
    # after each answer the worker forgot the request's texts (service copy is one-off:
    # remembered, it only makes each between-check collection walk more): it keeps few
    # objects per check, so it collects seldom
    assert [c["remembered"] for c in checks] == [0] * len(checks)
    kept = [c["kept"] for c in checks]
    assert (kept[-1] - kept[1]) / (len(kept) - 2) < checkpool.COLLECT_AFTER / 200


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


_KEPT: list = []


def _keep(n: int) -> int:
    """A check that keeps `n` new container objects (a cache filling up); returns the worker's pid."""
    _KEPT.extend([] for _ in range(n))
    return os.getpid()


def test_a_worker_about_to_collect_is_the_last_choice_for_the_next_check():
    """After an answer that leaves a worker collecting garbage, the next check goes
    to another idle worker; otherwise the worker used last takes it (warm caches)."""
    pool = CheckPool(_keep, 2)
    pool.start()
    try:
        first, second, third = asyncio.run(_runs(pool, [checkpool.COLLECT_AFTER + 100, 0, 0]))
        fourth, = asyncio.run(_runs(pool, [0]))
    finally:
        pool.close()
    assert second != first  # the first one was collecting
    assert third == second and fourth == second  # then the last used one again


def test_the_service_forgets_each_requests_texts_after_answering():
    """The matchers' memory of short texts (nav and footers repeat on pages) is
    emptied after each answer: one-off service texts would only fill it."""
    import promiselint
    from promiselint.project.api import cached_linters

    copy = "Free delivery on every order.\n\nThe fastest charger money can buy."
    promiselint.check_text(copy, lang="en")
    for linter in cached_linters():
        linter.prepare()  # as the service's warm-up does (the prefilter, which remembers texts)
    promiselint.check_text(copy, lang="en")
    assert any(m.seen for linter in cached_linters() for m in linter.matchers.values())
    assert server._State(1).pool.between is server.forget_request_texts
    server.forget_request_texts()
    assert not any(m.seen for linter in cached_linters() for m in linter.matchers.values())
