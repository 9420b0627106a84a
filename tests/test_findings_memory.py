"""Memory of a check that finds a claim every few characters (issue #10: 2 MB of claims
back to back within 120 MB).  Measured with tracemalloc, never timed."""
from __future__ import annotations

import gc
import sys
import tracemalloc
from pathlib import Path

import promiselint

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import pages  # noqa: E402  (bench/pages.py)


def test_memory_per_finding_of_claims_back_to_back():
    """At the peak of a check, a finding's share was 554 bytes (the matcher kept a tuple and
    two ints for each claim's start range, each finding 16 slots, two offsets and four line
    and column numbers): now ~270.  Held once the check is done: 281 bytes a finding, now ~105."""
    promiselint.check_text(pages.shape_claims_back_to_back(60_000))  # caches, the prefilter (built after 50k characters) outside the measure
    source = pages.shape_claims_back_to_back(120_000)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = promiselint.check_text(source, filename="claims.txt")
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    n = len(result.findings)
    assert n > 7000
    assert (peak - before - 2 * sys.getsizeof(source)) / n < 400
    assert (held - before - sys.getsizeof(result.text)) / n < 180
