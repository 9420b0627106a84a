"""The library API and the file walk shared by the CLI and the service."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .engine import Linter, Settings
from .errors import SkipFile, UsageError
from .findings import FileResult
from .formats import CONTAINER_FORMATS, FORMATS, format_for, parse, parse_bytes
from .reader import read_path

_LINTERS: dict = {}


def linter_for(settings: Settings) -> Linter:
    """Linters are cached per settings: rules compile once per process."""
    key = repr(settings)
    if key not in _LINTERS:
        _LINTERS[key] = Linter(settings)
    return _LINTERS[key]


def lint_text(linter: Linter, text: str, fmt: str, path: str) -> FileResult:
    return lint_document(linter, parse(text, fmt, path))


def lint_draft(linter: Linter, source: bytes | Path, fmt: str, path: str) -> FileResult:
    """A .docx/.odt draft (its bytes or its file); a malformed one is one input.invalid finding."""
    from .formats.office import InvalidDraft, invalid_finding, read_draft

    try:
        doc = parse_bytes(read_draft(source) if isinstance(source, Path) else source, fmt, path)
    except InvalidDraft as e:
        return FileResult(path, None, [invalid_finding(str(e))], "")
    return lint_document(linter, doc)


def lint_document(linter: Linter, doc) -> FileResult:
    text, path = doc.text, doc.path
    findings = linter.lint(doc)
    langs = [f.language for f in findings]
    language = doc.lang or (max(set(langs), key=langs.count) if langs else _doc_language(linter, doc))
    return FileResult(path, language, findings, text)


def _doc_language(linter: Linter, doc) -> str | None:
    from .language import detect

    sample = " ".join(b.text.text for b in doc.blocks[:50])
    return detect(sample[:5000], linter.settings.lang)


def check_text(text: str, fmt: str = "txt", lang: str | None = None, filename: str = "<text>",
               select=None, ignore=None, settings: Settings | None = None) -> FileResult:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if settings is None:
        settings = Settings(select=list(select or []), ignore=list(ignore or []), lang=lang)
    return lint_text(linter_for(settings), text, fmt, filename)





def lint_file(linter: Linter, path: Path, display: str, fmt: str | None = None) -> FileResult:
    fmt = fmt or format_for(str(path), "txt")
    if fmt in CONTAINER_FORMATS:
        return lint_draft(linter, path, fmt, display)
    try:
        text, encoding = read_path(path)
    except SkipFile as e:
        return FileResult(display, None, [], "", notice=str(e))
    return lint_text(linter, text, fmt, display)


def check_paths(paths, select=None, ignore=None, lang=None, config_path=None) -> list[FileResult]:
    results, _ = run_check([Path(p) for p in paths], select=select or (), ignore=ignore or (), lang=lang,
                           config_path=config_path, use_cache=False)
    return results


def run_check(paths: list, *, select=(), ignore=(), lang=None, config_path=None, input_format=None,
              stdin_filename=None, site=False, use_cache=True, diff_base=None, changed=False,
              baseline=None, stdin=None, jobs=None):
    """What `promiselint check` does before reporting: (results, config).

    Paths may include '-' (read `stdin` bytes, named `stdin_filename`).  Files
    come from the walk, or from git when `diff_base`/`changed` is given;
    unchanged files come from the cache and the rest are spread over `jobs`
    processes (default: one per core); `baseline` drops accepted findings.
    """
    from .cache import cache_for_settings
    from .cli_extra import apply_baseline, select_paths
    from .config import load_config
    from .reader import decode

    paths = list(paths) or [Path(".")]
    start = next((Path(p) for p in paths if str(p) != "-"), Path("."))
    config = load_config(start, config_path)
    picked = select_paths([p for p in paths if str(p) != "-"], diff_base, changed)
    if picked is not None:
        paths = [p for p in paths if str(p) == "-"] + picked

    def linter_at(p: Path | None) -> Linter:
        return linter_for(config.settings(select, ignore, lang, for_path=p))

    results = []
    for p in paths:
        if str(p) == "-":
            name = stdin_filename or "<stdin>"
            if (fmt := input_format or format_for(name, "txt")) in CONTAINER_FORMATS:
                results.append(lint_draft(linter_at(Path(name)), stdin or b"", fmt, name))
                continue
            try:
                text, _ = decode(stdin or b"", name)
            except SkipFile as e:
                raise UsageError(str(e))
            results.append(lint_text(linter_at(Path(name)), text, input_format or format_for(name, "txt"), name))
            continue
        for f in walk([Path(p)], config):
            settings = config.settings(select, ignore, lang, for_path=f)
            cache = cache_for_settings(settings, f, enabled=use_cache, extra=(input_format,))
            results.append(_Job(f, f.as_posix(), input_format, settings, cache))
    _lint_jobs(results, jobs)
    if site or config.data.get("site"):
        from .disclosure_rules import site_findings

        site_findings(linter_at(None), results, [p for p in paths if str(p) != "-"])
    return apply_baseline(results, baseline), config


class _Job:
    """A file waiting to be linted (its slot in the results list)."""

    def __init__(self, path: Path, shown: str, input_format, settings: Settings, cache):
        self.path, self.shown, self.input_format, self.settings, self.cache = \
            path, shown, input_format, settings, cache
        self.data: bytes | None = None


PARALLEL_MIN = 24  # fewer files than this are linted in-process (workers cost ~0.5 s to warm)


def _lint_job(job: tuple) -> FileResult:
    path, shown, input_format, settings = job
    return lint_file(linter_for(settings), path, shown, input_format)


def _lint_jobs(results: list, jobs: int | None) -> None:
    """Replace each _Job in `results` by its FileResult: from the cache, else linted
    (in worker processes when there are many)."""
    from .cache import result_from_dict
    from .reader import decode

    pending = []
    for i, job in enumerate(results):
        if not isinstance(job, _Job):
            continue
        if job.cache is not None and job.cache.enabled:
            try:
                job.data = job.path.read_bytes()
            except OSError:
                job.data = None
            hit = job.cache.get(job.path, job.data) if job.data is not None else None
            if hit is not None:
                try:
                    text = _cached_text(job)
                except (SkipFile, UsageError):
                    text = ""
                results[i] = result_from_dict(hit, path=job.shown, text=text)
                continue
        pending.append(i)
    work = [(results[i].path, results[i].shown, results[i].input_format, results[i].settings) for i in pending]
    workers = min(jobs or os.cpu_count() or 1, max(1, len(work) // 8))
    if workers > 1 and len(work) >= PARALLEL_MIN:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        for settings in {repr(w[3]): w[3] for w in work}.values():
            linter_for(settings)  # compile rules and prefilters once, before the workers fork
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            done = list(pool.map(_lint_job, work, chunksize=max(1, len(work) // (workers * 8))))
    else:
        done = [_lint_job(w) for w in work]
    for i, result in zip(pending, done):
        job = results[i]
        if job.cache is not None and job.cache.enabled and job.data is not None:
            job.cache.put(job.path, job.data, result.to_dict())
        results[i] = result


def _cached_text(job: _Job) -> str:
    """The checked text of a file whose findings came from the cache."""
    from .reader import decode

    fmt = job.input_format or format_for(str(job.path))
    if fmt in CONTAINER_FORMATS:
        from .formats.office import InvalidDraft

        try:
            return parse_bytes(job.data, fmt, job.shown).text
        except InvalidDraft:
            return ""
    return decode(job.data, job.shown)[0]


def walk(paths: list[Path], config) -> list[Path]:
    """Files to check: given files as they are, folders walked with excludes."""
    out = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_file():
            out.append(path)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")
                             and not config.excluded(Path(root, d), is_dir=True))
            for name in sorted(files):
                p = Path(root, name)
                if format_for(name) and not config.excluded(p):
                    out.append(p)
    return out
