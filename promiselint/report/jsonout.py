"""JSON output: the contract other tools rely on (version 1).

`chunks` writes the document file by file and finding by finding, never the
whole of it at once: its bytes are those of ``json.dumps`` of the document."""
from __future__ import annotations

import json
from collections import Counter
from typing import Iterable, Iterator

from promiselint.core.findings import FileResult

dump = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False)


def summary(results: list[FileResult]) -> dict:
    counts = Counter(f.severity for r in results for f in r.findings)
    return {"files": len(results), "findings": sum(counts.values()),
            "error": counts["error"], "warning": counts["warning"], "info": counts["info"],
            "skipped": sum(1 for r in results if r.notice)}


def file_chunks(r: FileResult) -> Iterator[str]:
    """``dump(r.to_dict())``, one finding at a time."""
    yield f'{{"path": {dump(r.path)}, "language": {dump(r.language)}, "findings": ['
    sep = ""
    for f in r.findings:
        yield sep + dump(f.to_dict())
        sep = ", "
    yield f']{f", {dump("notice")}: {dump(r.notice)}" if r.notice else ""}}}'


def chunks(results: list[FileResult]) -> Iterable[str]:
    yield '{"version": 1, "files": ['
    for i, r in enumerate(results):
        if i:
            yield ", "
        yield from file_chunks(r)
    yield f'], "summary": {dump(summary(results))}}}\n'


def render(results: list[FileResult]) -> str:
    return "".join(chunks(results))
