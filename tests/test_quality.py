"""Quality on our own labeled snippets (tests/data/claims), scored like evaluate.py."""
import json
from pathlib import Path

import pytest

from .conftest import alarms

DATA = Path(__file__).parent / "data" / "claims"
CATS = ("superlative", "promise", "claim")


def items(lang):
    return [json.loads(l) for l in (DATA / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]


@pytest.mark.parametrize("lang", ["ar", "fa", "en"])
def test_precision_and_recall(lint, lang):
    tp = fp = fn = 0
    misses = []
    for it in items(lang):
        res = lint(it["text"], fmt=it.get("format", "txt"))
        hits = [f for f in alarms(res) if f.category in CATS]
        if it["label"] == "flag":
            t0 = it["text"].find(it["trigger"])
            t1 = t0 + len(it["trigger"])
            ok = any(f.offset < t1 and f.end_offset > t0 for f in hits)
            tp, fn = tp + ok, fn + (not ok)
        elif hits:
            fp += 1
            misses.append((it["id"], [h.text for h in hits]))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95, f"precision {precision:.2f}; false alarms: {misses}"
    assert recall >= 0.85, f"recall {recall:.2f}"
