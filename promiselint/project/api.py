"""The library API and the file walk shared by the CLI and the service."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from promiselint.core.errors import SkipFile, UnreadableFile, UsageError, WorkerDied
from promiselint.core.findings import FileResult
from promiselint.core.settings import Settings
from promiselint.formats import (
    CONTAINER_FORMATS,
    FORMATS,
    format_for,
    parse,
    parse_bytes,
)
from promiselint.read.reader import (
    DEFAULT_MAX_BYTES,
    TooLarge,
    decode_bytes,
    read_bytes,
)

from .walk import own_files, shown_path, walk, walk_entries  # noqa: F401 - walk is part of the API

if TYPE_CHECKING:
    from promiselint.checks.linter import Linter

_LINTERS: dict = {}  # repr(settings) -> Linter, least recently used first
MAX_LINTERS = 32  # a service request may name its own select/ignore: the cache must not grow with them


def linter_for(settings: Settings) -> Linter:
    """Linters are cached per settings: rules compile once per process (and load
    only when a file is linted: a re-check from the cache needs none).  The
    MAX_LINTERS most recently used are kept."""
    key = repr(settings)
    linter = _LINTERS.pop(key, None)
    if linter is None:
        from promiselint.checks.linter import Linter

        linter = Linter(settings)
        while len(_LINTERS) >= MAX_LINTERS:
            del _LINTERS[next(iter(_LINTERS))]
    _LINTERS[key] = linter
    return linter


def cached_linters() -> list[Linter]:
    """The linters linter_for() keeps now (least recently used first)."""
    return list(_LINTERS.values())


def lint_text(linter: Linter, text: str, fmt: str, path: str) -> FileResult:
    """Findings of `text` read as `fmt`; a file that cannot be read as its format
    gives an `input.invalid` finding at the problem's position (see problems.py)."""
    from promiselint.read.problems import error_offset, problem_result

    try:
        doc = parse(text, fmt, path)
    except UsageError as e:  # an InputError, or a parser's own complaint
        return problem_result(path, "input.invalid", str(e), text, error_offset(e, path, text), fmt,
                              linter.settings)
    except RecursionError:  # a last guard: every parser bounds its nesting
        return problem_result(path, "input.invalid", "nested too deeply", text, 0, fmt, linter.settings)
    return lint_document(linter, doc)


def lint_draft(linter: Linter, source: bytes | Path, fmt: str, path: str) -> FileResult:
    """A .docx/.odt draft (its bytes or its file); a malformed one is one input.invalid finding."""
    from promiselint.formats.office import InvalidDraft, invalid_finding, read_draft

    try:
        doc = parse_bytes(read_draft(source) if isinstance(source, Path) else source, fmt, path)
    except InvalidDraft as e:
        return FileResult(path, None, [invalid_finding(str(e))], "")
    return lint_document(linter, doc)


def lint_document(linter: Linter, doc) -> FileResult:
    """Findings of a parsed document, with the problems its parser noted."""
    from promiselint.read.problems import input_finding, relevant, strip_path

    text, path = doc.text, doc.path
    findings = linter.lint(doc)
    problems = relevant([input_finding("input.invalid", strip_path(m, path), text, at, doc.format)
                         for m, at in doc.problems], linter.settings)
    langs = [f.language for f in findings]
    language = doc.lang or (max(set(langs), key=langs.count) if langs else _doc_language(linter, doc))
    return FileResult(path, language, problems + findings, text, page=doc.is_page)


def _doc_language(linter: Linter, doc) -> str | None:
    from promiselint.text.language import detect

    sample = " ".join(b.text.text for b in doc.blocks[:50])
    return detect(sample[:5000], linter.settings.lang)


def check_text(text: str, fmt: str = "txt", lang: str | None = None, filename: str = "<text>",
               select=None, ignore=None, settings: Settings | None = None) -> FileResult:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if settings is None:
        settings = Settings(select=list(select or []), ignore=list(ignore or []), lang=lang)
    return lint_text(linter_for(settings), text, fmt, filename)


def lint_file(linter: Linter, path: Path, display: str, fmt: str | None = None,
              max_bytes: int | None = DEFAULT_MAX_BYTES) -> FileResult:
    """Read a file (regular files only, at most `max_bytes`) and lint it."""
    from promiselint.read.problems import problem_result

    fmt = fmt or format_for(str(path), "txt")
    if fmt in CONTAINER_FORMATS:  # a zip of XML parts: its own, larger cap (see formats/office.py)
        from promiselint.formats.office import MAX_FILE_BYTES as max_bytes
    try:
        data = read_bytes(path, max_bytes)
    except SkipFile as e:
        return FileResult(display, None, [], "", notice=str(e))
    except TooLarge as e:
        return problem_result(display, "input.too-large", str(e), settings=linter.settings)
    except UnreadableFile as e:
        return problem_result(display, "input.unreadable", str(e), settings=linter.settings)
    return lint_bytes(linter, data, display, fmt)


def lint_bytes(linter: Linter, data: bytes, display: str, fmt: str) -> FileResult:
    """Decode and lint a file's bytes (binary data and promiselint's own files are skipped)."""
    if fmt in CONTAINER_FORMATS:
        return lint_draft(linter, data, fmt, display)
    try:
        text, _, notice = decode_bytes(data, display)
    except SkipFile as e:
        return FileResult(display, None, [], "", notice=str(e))
    if fmt == "json" and is_own_output(text):
        return FileResult(display, None, [], "", notice=f"{display}: a promiselint baseline, not copy; skipped")
    result = lint_text(linter, text, fmt, display)
    result.notice = result.notice or notice
    return result


def is_own_output(text: str) -> bool:
    """A baseline written by promiselint (whatever its name)."""
    head = text[:400]
    if '"tool"' not in head or '"promiselint"' not in head:
        return False
    from promiselint.formats.jsonfile import load_json

    try:
        doc = load_json(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("tool") == "promiselint" and "findings" in doc


def check_paths(paths, select=None, ignore=None, lang=None, config_path=None) -> list[FileResult]:
    results, _ = run_check([Path(p) for p in paths], select=select or (), ignore=ignore or (), lang=lang,
                           config_path=config_path, use_cache=False)
    return results


def run_check(paths: list, *, select=(), ignore=(), lang=None, config_path=None, input_format=None,
              stdin_filename=None, site=False, use_cache=True, diff_base=None, changed=False,
              baseline=None, stdin=None, jobs=None, keep_text=True):
    """What `promiselint check` does before reporting: (results, config).

    Paths may include '-' (read `stdin` bytes, named `stdin_filename`).  Files
    come from the walk, or from git when `diff_base`/`changed` is given;
    unchanged files come from the cache and the rest are spread over `jobs`
    processes (default: one per core); `baseline` drops accepted findings.
    A file that cannot be read is a finding (problems.py); the run goes on.
    Without `keep_text` (no report shows source lines) a file's result holds no
    text: workers send back only the findings, and this process keeps no copy
    of every file it checked.
    """
    from promiselint.read.problems import problem_result

    from .baseline import apply as apply_baseline
    from .cache import cache_for_settings
    from .config import load_config
    from .gitfiles import select_paths

    paths = list(paths) or [Path(".")]
    start = next((Path(p) for p in paths if str(p) != "-"), Path("."))
    config = load_config(start, config_path)
    max_bytes = config.max_file_bytes
    picked = select_paths([p for p in paths if str(p) != "-"], diff_base, changed)
    if picked is not None:
        paths = [p for p in paths if str(p) == "-"] + picked

    def linter_at(p: Path | None) -> Linter:
        return linter_for(config.settings(select, ignore, lang, for_path=p))

    shared: list = []  # without per-file overrides, every file has the same settings: made once

    def settings_for(f: Path) -> Settings:
        if config.data.get("overrides"):
            return config.settings(select, ignore, lang, for_path=f)
        if not shared:
            shared.append(config.settings(select, ignore, lang))
        return shared[0]

    caches: dict = {}  # (settings, folder) -> Cache: a folder's files share one (its root and fingerprint)

    def cache_of(settings: Settings, f: Path):
        key = (id(settings), os.path.dirname(f))
        if key not in caches:
            caches[key] = cache_for_settings(settings, f, extra=(input_format, max_bytes))
        return caches[key]

    own = own_files(config, baseline)
    results = []
    for p in paths:
        if str(p) == "-":
            name = stdin_filename or "<stdin>"
            linter = linter_at(Path(name))
            data = stdin or b""
            if max_bytes is not None and len(data) > max_bytes:
                results.append(problem_result(name, "input.too-large", f"{len(data)} bytes, over the "
                                              f"{max_bytes}-byte limit", settings=linter.settings))
                continue
            results.append(lint_bytes(linter, data, name, input_format or format_for(name, "txt")))
            continue
        for f in walk_entries([Path(p)], config, own):
            if isinstance(f, FileResult):
                results.append(f)
                continue
            settings = settings_for(f)
            cache = cache_of(settings, f) if use_cache else None  # (--no-cache: no fingerprint to compute)
            results.append(_Job(f, shown_path(f), input_format, settings, cache, max_bytes))
    _KEEP_TEXT[0] = keep_text or bool(site or config.data.get("site"))  # (--site reads the pages again)
    try:
        _lint_jobs(results, jobs)
    finally:
        _KEEP_TEXT[0] = True
    from .packcache import keep_anchors

    keep_anchors(_LINTERS.values())  # for the next run (when the CLI keeps compiled packs)
    if site or config.data.get("site"):
        from promiselint.checks.disclosure_findings import site_findings

        site_findings(linter_at(None), results, [p for p in paths if str(p) != "-"])
    return apply_baseline(results, baseline), config


class _Job:
    """A file waiting to be linted (its slot in the results list)."""

    def __init__(self, path: Path, shown: str, input_format, settings: Settings, cache, max_bytes):
        self.path, self.shown, self.input_format, self.settings, self.cache, self.max_bytes = \
            path, shown, input_format, settings, cache, max_bytes
        self.data: bytes | None = None

    def work(self) -> tuple:
        """What a worker needs: the bytes when the parent read them, else the path."""
        return self.path, self.shown, self.input_format, self.settings, self.max_bytes, self.data


PARALLEL_MIN = 24  # fewer files than this are linted in-process (workers cost ~0.5 s to warm)
_KEEP_TEXT = [True]  # whether a run's results hold their file's text (run_check's keep_text; forked workers see it)


def _lint_job(job: tuple) -> FileResult:
    path, shown, input_format, settings, max_bytes, data = job
    linter = linter_for(settings)
    if data is None:
        result = lint_file(linter, path, shown, input_format, max_bytes)
    else:
        result = lint_bytes(linter, data, shown, input_format or format_for(str(path), "txt"))
    if not _KEEP_TEXT[0]:
        result.text = ""
    return result


def _lint_jobs(results: list, jobs: int | None) -> None:
    """Replace each _Job in `results` by its FileResult: from the cache, else linted
    (in worker processes when there are many)."""
    pending = []
    for i, job in enumerate(results):
        if not isinstance(job, _Job):
            continue
        if job.cache is not None and job.cache.enabled:
            try:
                job.data = read_bytes(job.path, job.max_bytes)
            except (SkipFile, TooLarge, UnreadableFile):
                job.data = None  # lint_file reports it
            hit = job.cache.get(job.path, job.data) if job.data is not None else None
            cached = _from_cache(hit, job) if hit is not None else None
            if cached is not None:
                results[i] = cached
                continue
        pending.append(i)
    work = [results[i].work() for i in pending]

    def keep(k: int, result: FileResult) -> None:  # (stored as each result comes: while workers go on)
        job = results[pending[k]]
        if job.cache is not None and job.cache.enabled and job.data is not None:
            job.cache.put(job.path, job.data, result.to_dict())

    workers = min(jobs or os.cpu_count() or 1, max(1, len(work) // 8))
    if workers > 1 and len(work) >= PARALLEL_MIN:
        try:
            done = _lint_in_workers(work, workers, keep)
        except WorkerDied as e:  # name the files it held (a file too large for memory, say)
            names = [job[1] for chunk in e.held for job in chunk]
            if names:
                raise WorkerDied(f"{e}: {', '.join(names[:3])}{' and others' if len(names) > 3 else ''}") from None
            raise
    else:
        done = [_lint_job(w) for w in work]
        for k, result in enumerate(done):
            keep(k, result)
    for i, result in zip(pending, done):
        results[i] = result


def _lint_in_workers(work: list, workers: int, on_result=None) -> list:
    """Lint `work` in `workers` processes, this one and `workers - 1` forks that share
    what it set up: the compiled patterns and prefilters of the languages the files
    hold, the regexes the project's cache holds and the time grammar's parser
    (prefork.warm), and whatever a first file loads (cue lexicons), which this one
    lints before forking; the rest goes out largest first, in shrinking chunks
    (prefork.py), and this process takes its share like the forks (forkmap.py).
    Forks hand back the regexes they compile anew, kept for the next run.
    `on_result(index, result)` is called in this process as each result comes."""
    import gc

    from promiselint.match import prefilter, regexstore
    from promiselint.match.packs import compile_patterns

    from .forkmap import ForkPool
    from .prefork import languages, schedule, warm

    langs = languages(work)
    first, chunks = schedule(work, workers)
    eager = prefilter.set_eager(True)  # a large run: anchors are worth deriving at once, here, once
    try:
        linters = [linter_for(s) for s in {repr(s): s for s in {id(w[3]): w[3] for w in work}.values()}.values()]
        warm(linters, langs)  # what every worker would compile or load on its first pages
        for linter in linters:
            compile_patterns(linter.rules, langs)
            linter.prepare(langs)
        prefilter.derive_pending()
        done = {first: _lint_job(work[first])}
    finally:
        prefilter.set_eager(eager)
    on_result = on_result or (lambda i, result: None)
    regexstore.mark_shared()  # a worker hands back only the regexes it compiles anew
    gc.freeze()  # the inherited objects stay shared: no collection in a worker touches them
    try:
        with ForkPool(workers) as pool:
            linted = pool.map(_lint_chunk, [[work[i] for i in c] for c in chunks])
            on_result(first, done[first])
            for chunk, (results, compiled) in zip(chunks, linted):
                regexstore.adopt(compiled)  # (stored at the end of the run, for the next)
                for i, result in zip(chunk, results):
                    done[i] = result
                    on_result(i, result)
    finally:
        gc.unfreeze()
    return [done[i] for i in range(len(work))]


def _lint_chunk(jobs: list) -> tuple[list, list]:
    """(the results of `jobs`, the regexes this worker compiled anew meanwhile)."""
    from promiselint.match import regexstore

    return [_lint_job(job) for job in jobs], regexstore.take_learned()


def _cached_text(job: _Job) -> str:
    """The checked text of a file whose findings came from the cache."""
    fmt = job.input_format or format_for(str(job.path))
    if fmt in CONTAINER_FORMATS:
        from promiselint.formats.office import InvalidDraft

        try:
            return parse_bytes(job.data, fmt, job.shown).text
        except (InvalidDraft, UsageError):
            return ""
    try:
        return decode_bytes(job.data, job.shown).text
    except SkipFile:
        return ""


def _from_cache(hit: dict, job: _Job) -> FileResult | None:
    """A cached result, if it fits the file: every finding's text is the file's text
    at its offsets (anything else is a miss: the file is checked again)."""
    from .cache import result_from_dict

    text = _cached_text(job)
    try:
        result = result_from_dict(hit, path=job.shown, text=text)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    for f in result.findings:
        if not (0 <= f.offset <= f.end_offset <= len(text)) or text[f.offset:f.end_offset] != f.text:
            return None
    if not _KEEP_TEXT[0]:
        result.text = ""
    return result
