"""Real-copy labels: load, verify, score, and a small CLI for labeling.

Labels live in tests/data/real/{ar,fa,en}.jsonl and point into the shared
corpus (../shared/corpus/real) by path and code-point offsets, with a short
hash of the span instead of its text (the corpus may not be copied here).

    python -m tests.real_labels alarms ar/FILE      alarms promiselint raises, with context
    python -m tests.real_labels grep ar/FILE REGEX  where a pattern occurs, with offsets
    python -m tests.real_labels add SPECS           add labels from a spec file (below)
    python -m tests.real_labels verify              check every label's hash
    python -m tests.real_labels score [-v]          the tables the test prints

A spec line is `path | flag|ok | family[/context] | why | text with [[span]]`,
optionally followed by `| N` to take the N-th (1-based) occurrence. The text
around the brackets is context that must be found verbatim in the file; the
bracketed part becomes the label's span, so offsets are never typed by hand
(⏎ stands for a line break).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("PROMISELINT_REAL_CORPUS", ROOT.parent / "shared" / "corpus" / "real"))
LABELS = ROOT / "tests" / "data" / "real"
LANGS = ("ar", "fa", "en")
CATEGORIES = ("superlative", "promise", "claim")

# Claim families of issue 11 (a flag label's family; an ok label names the
# family it could be mistaken for).
FAMILIES = (
    "superlative", "market-position", "comparison", "delivery-time", "guarantee",
    "result", "free", "health", "absolute", "scientific", "environmental", "urgency",
    "price-reference",
)
# Why an ok span is not a claim (the "not a claim" contexts of issue 11).
CONTEXTS = (
    "suitability", "own-range", "reader-choice", "price-badge", "ui-label", "world-fact",
    "idiom", "greeting", "temporal", "spec", "negation", "question", "ensuring", "duty",
    "charging", "bounded", "footnote", "policy", "testimonial", "hedge", "plain",
)
KEYS = {"path", "start", "end", "sha", "label", "family", "why", "context"}


def sha(span: str) -> str:
    return hashlib.sha256(span.encode("utf-8")).hexdigest()[:10]


@lru_cache(maxsize=None)
def text_of(path: str) -> str:
    """A corpus file's text as promiselint decodes it."""
    from promiselint.read.reader import read_path

    return read_path(CORPUS / path)[0]


def load(langs=LANGS) -> list[dict]:
    out = []
    for lang in langs:
        f = LABELS / f"{lang}.jsonl"
        if not f.exists():
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                label = json.loads(line)
                label["lang"], label["where"] = lang, f"{f.name}:{n}"
                out.append(label)
    return out


def problem(label: dict) -> str | None:
    """Why a label is malformed or stale, or None."""
    extra = set(label) - KEYS - {"lang", "where"}
    if extra or not {"path", "start", "end", "sha", "label", "family", "why"} <= set(label):
        return f"bad keys {sorted(set(label) - {'lang', 'where'})}"
    if label["label"] not in ("flag", "ok") or label["family"] not in FAMILIES:
        return f"bad label/family {label['label']!r}/{label['family']!r}"
    if label.get("context") is not None and label["context"] not in CONTEXTS:
        return f"unknown context {label['context']!r}"
    if not label["path"].startswith(label["lang"] + "/"):
        return f"{label['path']} is not a {label['lang']} file"
    if not (CORPUS / label["path"]).is_file():
        return f"{label['path']}: not in the corpus"
    text = text_of(label["path"])
    start, end = label["start"], label["end"]
    if not 0 <= start < end <= len(text):
        return f"offsets {start}:{end} outside the file"
    if sha(text[start:end]) != label["sha"]:
        return f"stale: the text at {label['path']}[{start}:{end}] no longer hashes to {label['sha']}"
    if len(label["why"].split()) >= 3 and label["why"].lower() in text.lower():
        return "the reason quotes the file; say it in your own words"
    return None


def overlaps(f, label) -> bool:
    return f.offset < label["end"] and f.end_offset > label["start"]


def alarm_list(result) -> list:
    """Alarms as evaluate.py counts them: claim categories, error or warning."""
    return [f for f in result.findings if f.category in CATEGORIES and f.severity in ("error", "warning")]


def run_promiselint(paths) -> dict:
    """{corpus path: [alarms]} with `--select superlative,promise,claim` semantics."""
    from promiselint.project.api import check_paths

    files = {(CORPUS / p).as_posix(): p for p in set(paths)}
    results = check_paths(sorted(files), select=list(CATEGORIES))
    return {files[r.path]: alarm_list(r) for r in results}


def judge(labels, alarms) -> list[tuple[dict, str, list]]:
    """Each label with its outcome (tp, fn, fp, tn) and the alarms over it."""
    out = []
    for label in labels:
        hits = [f for f in alarms.get(label["path"], []) if overlaps(f, label)]
        if label["label"] == "flag":
            out.append((label, "tp" if hits else "fn", hits))
        else:
            out.append((label, "fp" if hits else "tn", hits))
    return out


def ratio(a, b) -> float:
    return a / b if b else float("nan")


def figures(outcomes) -> dict:
    """Counts and P/R, defined as in ../shared/tools/evaluate.py."""
    c = defaultdict(int)
    for _, key, _ in outcomes:
        c[key] += 1
    return {"flags": c["tp"] + c["fn"], "found": c["tp"], "oks": c["fp"] + c["tn"], "false": c["fp"],
            "P": ratio(c["tp"], c["tp"] + c["fp"]), "R": ratio(c["tp"], c["tp"] + c["fn"])}


def table(title: str, groups: dict) -> str:
    rows = [f"{title:<22} {'flags':>5} {'found':>5} {'oks':>5} {'false':>5} {'P':>6} {'R':>6}"]
    for name, outcomes in groups.items():
        s = figures(outcomes)
        rows.append(f"{name:<22} {s['flags']:>5} {s['found']:>5} {s['oks']:>5} {s['false']:>5} "
                    f"{s['P']:>6.3f} {s['R']:>6.3f}")
    return "\n".join(rows)


def report(outcomes) -> str:
    """Tables per language, per family and per rule."""
    by_lang, by_family, by_rule = defaultdict(list), defaultdict(list), defaultdict(list)
    for o in outcomes:
        label, key, hits = o
        by_lang[label["lang"]].append(o)
        by_family[label["family"]].append(o)
        for rule in {f.rule for f in hits} or ({"(none)"} if key == "fn" else set()):
            by_rule[rule].append(o)
    by_lang = {lang: by_lang[lang] for lang in LANGS if lang in by_lang} | {"all": list(outcomes)}
    return "\n\n".join([table("language", by_lang), table("family", dict(sorted(by_family.items()))),
                        table("rule (alarms on labels)", dict(sorted(by_rule.items())))])


def errors(outcomes) -> list[str]:
    """One line per miss (fn) and false alarm (fp), with the span's text (for the terminal only)."""
    out = []
    for label, key, hits in outcomes:
        if key in ("fn", "fp"):
            rules = ",".join(sorted({f.rule for f in hits}))
            span = text_of(label["path"])[label["start"]:label["end"]].replace("\n", " ")
            out.append(f"{key} {label['lang']} {label['family']:<15} {label['path']}[{label['start']}:{label['end']}] "
                       f"{rules} :: {span[:90]}")
    return out


# ---------------------------------------------------------------- labeling CLI


def _context(text: str, start: int, end: int, width: int = 70) -> str:
    return (text[max(0, start - width):start] + "[[" + text[start:end] + "]]" + text[end:end + width]).replace("\n", "⏎")


def locate(text: str, marked: str, nth: int = 1) -> tuple[int, int]:
    """Offsets of the [[span]] inside the N-th verbatim occurrence of `marked` in `text`."""
    m = re.fullmatch(r"(.*?)\[\[(.+?)\]\](.*)", marked, re.S)
    if not m:
        raise ValueError(f"no [[span]] in {marked!r}")
    before, span, after = m.groups()
    whole = before + span + after
    hits = [i for i in range(len(text)) if text.startswith(whole, i)]
    if len(hits) < nth:
        raise ValueError(f"found {len(hits)} occurrence(s) of {whole!r}, wanted #{nth}")
    if len(hits) > 1 and nth == 1:
        print(f"  note: {len(hits)} occurrences, taking the first: {whole[:40]!r}", file=sys.stderr)
    start = hits[nth - 1] + len(before)
    return start, start + len(span)


def add_specs(spec_path: str) -> int:
    existing = {lang: load((lang,)) for lang in LANGS}
    seen = {(x["path"], x["start"], x["end"]) for labels in existing.values() for x in labels}
    added, errors = defaultdict(list), 0
    for n, line in enumerate(Path(spec_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        try:
            path, verdict, fam, why, marked = parts[:5]
            nth = int(parts[5]) if len(parts) > 5 else 1
            family, _, context = fam.partition("/")
            text = text_of(path)
            start, end = locate(text, marked.replace("⏎", "\n"), nth)
        except Exception as e:  # report and go on: a spec file is a working draft
            print(f"{spec_path}:{n}: {e}", file=sys.stderr)
            errors += 1
            continue
        label = {"path": path, "start": start, "end": end, "sha": sha(text[start:end]),
                 "label": verdict, "family": family, "why": why}
        if context:
            label["context"] = context
        label["lang"] = path.split("/")[0]
        bad = problem(label)
        if bad or (path, start, end) in seen:
            print(f"{spec_path}:{n}: {bad or 'duplicate'}", file=sys.stderr)
            errors += 1
            continue
        seen.add((path, start, end))
        del label["lang"]
        added[path.split("/")[0]].append(label)
    LABELS.mkdir(parents=True, exist_ok=True)
    for lang, labels in added.items():
        with open(LABELS / f"{lang}.jsonl", "a", encoding="utf-8") as out:
            for label in labels:
                out.write(json.dumps(label, ensure_ascii=False) + "\n")
    print(f"added {sum(map(len, added.values()))} label(s), {errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str]) -> int:
    cmd, args = (argv[0], argv[1:]) if argv else ("score", [])
    if cmd == "alarms":
        for path in args:
            text = text_of(path)
            labelled = {(x["start"], x["end"]): x["label"] for x in load() if x["path"] == path}
            for f in run_promiselint([path])[path]:
                mark = next((v for (s, e), v in labelled.items() if f.offset < e and f.end_offset > s), "-")
                print(f"{f.offset}:{f.end_offset} {mark:4} {f.rule}/{f.severity} {_context(text, f.offset, f.end_offset)}")
    elif cmd == "grep":
        text = text_of(args[0])
        for m in re.finditer(args[1], text):
            print(f"{m.start()}:{m.end()} {_context(text, m.start(), m.end())}")
    elif cmd == "add":
        return add_specs(args[0])
    elif cmd == "verify":
        bad = [(x["where"], problem(x)) for x in load() if problem(x)]
        for where, why in bad:
            print(f"{where}: {why}")
        return 1 if bad else 0
    elif cmd == "score":
        labels = load()
        outcomes = judge(labels, run_promiselint(x["path"] for x in labels))
        print(report(outcomes))
        if "-v" in args:
            print("\n".join(errors(outcomes)))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
