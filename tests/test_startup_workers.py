"""Worker processes do not pay the set-up again (issue #10): the parent derives
the prefilter's anchors, compiles the rule patterns and lints the first file
(loading the cue lexicon and grammars) before forking, and the workers inherit
all of it.  Work is counted inside each worker, never timed."""
import importlib.util
import os
import random
from pathlib import Path

from promiselint.core.settings import Settings
from promiselint.match import packs, prefilter
from promiselint.project import api, prefork

_spec = importlib.util.spec_from_file_location("bench_pages", Path(__file__).parents[1] / "bench" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)

_REAL = api._lint_job


def _counting_job(job: tuple) -> tuple:
    """What one job did in its process: (pid, anchors derived, rule patterns compiled, findings)."""
    derived, compiled = prefilter.derivations(), packs.compilations()
    result = _REAL(job)
    return os.getpid(), prefilter.derivations() - derived, packs.compilations() - compiled, len(result.findings)


def test_workers_inherit_anchors_patterns_and_lexicons(tmp_path, monkeypatch, fresh):
    rng = random.Random(11)
    work = []
    for i in range(60):  # ~160 KB: past the prefilter's warm-up in each worker
        path = tmp_path / f"en-{i:03d}.html"
        path.write_text(pages.product_page(rng, "en", rng.randint(4, 12)), encoding="utf-8")
        work.append((path, path.name, None, Settings(), None, None))
    monkeypatch.setattr(api, "_lint_job", _counting_job)
    before = prefilter.derivations()
    done = api._lint_in_workers(work, 2)
    assert prefilter.derivations() > before  # the parent derived them, once
    first, _ = prefork.schedule(work, 2)  # the file the parent lints before it forks
    workers = [d for i, d in enumerate(done) if i != first]  # (the parent's share after the fork too)
    assert done[first][0] == os.getpid() and sum(n for *_, n in done) > 0
    assert [(d, c) for _, d, c, _ in workers] == [(0, 0)] * len(workers)
    # and the findings are those of linting in this process, file by file
    monkeypatch.setattr(api, "_lint_job", _REAL)
    assert [n for *_, n in done] == [len(_REAL(job).findings) for job in work]
