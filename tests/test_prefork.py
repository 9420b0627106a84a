"""A worker pool's parent prepares only the languages the files hold (prefork.py,
issue #10): an English-only run compiles no Arabic or Persian pattern and builds
no matcher for them; a run with Arabic-script pages prepares all three, and the
workers then compile no rule pattern.  Work is counted, never timed."""
import os
import random

import pytest

from promiselint.core.settings import Settings
from promiselint.match import packs
from promiselint.project import api, prefork

from .test_startup_workers import _REAL, _counting_job, pages


def _work(paths) -> list:
    return [(p, p.name, None, Settings(), None, None) for p in paths]


def _write(tmp_path, langs, n, seed) -> list:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        lang = langs[i % len(langs)]
        path = tmp_path / f"{lang}-{i:03d}.html"
        path.write_text(pages.product_page(rng, lang, rng.randint(3, 8)), encoding="utf-8")
        paths.append(path)
    return paths


def _after_the_first(work: list, values: list) -> list:
    """`values` (one per file) but the one of the file the parent lints before it forks."""
    first, _ = prefork.schedule(work, 2)
    return [v for i, v in enumerate(values) if i != first]


def _compiled_langs(settings: Settings) -> set:
    return {lang for r in api.linter_for(settings).rules for lang, p in r.patterns.items() if p._regex is not None}


@pytest.mark.parametrize("data, langs", [
    ("Free delivery on every order \u201cguaranteed\u201d.".encode(), ("en",)),
    ("\ufeffThe fastest kettle".encode(), ("en",)),  # a byte order mark is not a letter
    ("\u0627\u0644\u0623\u0633\u0631\u0639".encode(), prefork.ALL),
    ("\u0633\u0631\u06cc\u0639\u200c\u062a\u0631\u06cc\u0646".encode(), prefork.ALL),
    ("\ufef7 presentation form".encode(), prefork.ALL),
    ("\u0627\u0644\u0623\u0633\u0631\u0639".encode("cp1256"), prefork.ALL),  # not UTF-8: may hold them
    ("fastest".encode("utf-16"), prefork.ALL),
    ("fastest \u2014 ".encode()[:-2], ("en",)),  # a sample cut inside a character
])
def test_the_byte_test(tmp_path, data, langs):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    assert prefork.languages(_work([path])) == langs  # read by the test
    assert prefork.languages([(path, "page.txt", None, Settings(), None, data)]) == langs  # read by the parent


def test_a_sample_is_read_and_never_a_fifo(tmp_path):
    paths = _write(tmp_path, ("en",), 3, 1)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it to read would wait for a writer
    assert prefork.languages(_work([fifo, *paths, tmp_path / "gone.txt"])) == ("en",)
    many = [paths[0]] * 500 + _write(tmp_path, ("ar",), 1, 2)
    assert prefork.languages(_work(many)) == prefork.ALL  # a spread sample reaches the last file


def test_an_english_run_prepares_english_only(tmp_path, monkeypatch, fresh):
    work = _work(_write(tmp_path, ("en",), 40, 3))
    compiled = packs.compilations()
    monkeypatch.setattr(api, "_lint_job", _counting_job)
    done = api._lint_in_workers(work, 2)
    linter = api.linter_for(Settings())
    assert _compiled_langs(Settings()) == {"en"} and set(linter.matchers) == {"en"}
    en = sum(1 for r in linter.rules if "en" in r.patterns)
    assert packs.compilations() - compiled == en  # no Arabic or Persian pattern compiled
    assert _after_the_first(work, [c for _, _, c, _ in done]) == [0] * (len(work) - 1)  # nor does any later file
    monkeypatch.setattr(api, "_lint_job", _REAL)
    assert [n for *_, n in done] == [len(_REAL(job).findings) for job in work]


def test_a_mixed_run_prepares_every_language(tmp_path, monkeypatch, fresh):
    work = _work(_write(tmp_path, ("en", "en", "ar", "fa"), 40, 4))
    monkeypatch.setattr(api, "_lint_job", _counting_job)
    done = api._lint_in_workers(work, 2)
    linter = api.linter_for(Settings())
    assert _compiled_langs(Settings()) == {"ar", "fa", "en"} and set(linter.matchers) == {"ar", "fa", "en"}
    assert _after_the_first(work, [c for _, _, c, _ in done]) == [0] * (len(work) - 1)
    monkeypatch.setattr(api, "_lint_job", _REAL)
    assert [n for *_, n in done] == [len(_REAL(job).findings) for job in work]


def test_the_schedule_hands_out_large_files_first_in_shrinking_chunks(tmp_path):
    sizes = [3_000, 900_000, 2_000, 0, 150_000, *[2_500] * 200]
    work = [(tmp_path / f"{i}.txt", f"{i}.txt", None, Settings(), None, b"x" * n) for i, n in enumerate(sizes)]
    first, chunks = prefork.schedule(work, 2)
    order = [i for chunk in chunks for i in chunk]
    assert sorted(order + [first]) == list(range(len(work)))  # every file once
    assert sizes[first] == 2_500  # a file of median size, not the largest
    assert [sizes[i] for i in order] == sorted((sizes[i] for i in order), reverse=True)
    assert chunks[0] == [1] and chunks[1][0] == 4  # the largest file alone, first
    share = 2 * prefork.SHARE
    left = len(order)
    for chunk in chunks:  # each a share of the files left (so the last ones are single files)
        assert len(chunk) <= max(1, left // share)
        left -= len(chunk)
    assert [len(c) for c in chunks[-3:]] == [1, 1, 1]
    assert len(chunks) < 40  # a few dozen, not one per file
    many = [(tmp_path / f"{i}.txt", f"{i}.txt", None, Settings(), None, b"x" * 2_000) for i in range(10_000)]
    chunks = prefork.schedule(many, 2)[1]
    assert sum(map(len, chunks)) == 9_999 and max(map(len, chunks)) == prefork.MOST_FILES  # (a small answer each)
    assert len(chunks) < 10_000 / prefork.MOST_FILES + 30  # and a logarithmic tail
    for path, n in zip([w[0] for w in work[:3]], sizes[:3]):
        path.write_bytes(b"x" * n)
    unread = [(w[0], *w[1:5], None) for w in work[:3]] + [(tmp_path / "gone.txt", "gone.txt", None, Settings(), None, None)]
    first, chunks = prefork.schedule(unread, 2)  # sizes from the files themselves
    assert [i for chunk in chunks for i in chunk][0] == 1


def test_every_file_is_linted_once_by_the_parent_or_its_one_child(tmp_path, monkeypatch, fresh):
    """Two workers are this process and one fork: each file linted once, in one of them."""
    from .test_forkmap import children_take_first

    work = _work(_write(tmp_path, ("en",), 40, 7))
    log = tmp_path / "linted"

    def logged(job):
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {job[1]}\n")
        return _REAL(job)

    monkeypatch.setattr(api, "_lint_job", logged)
    monkeypatch.setattr(api, "_lint_chunk", children_take_first(api._lint_chunk, tmp_path / "took"))
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: (forks.append(1), real_fork())[1])
    done = api._lint_in_workers(work, 2)
    linted = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in linted) == sorted(w[1] for w in work)  # each file once
    assert len(forks) == 1 and len({pid for pid, _ in linted}) == 2 and str(os.getpid()) in {p for p, _ in linted}
    monkeypatch.setattr(api, "_lint_job", _REAL)
    assert [r.to_dict() for r in done] == [_REAL(job).to_dict() for job in work]  # in order, as one process finds


def test_each_result_is_handed_back_once_in_this_process(tmp_path, fresh):
    work = _work(_write(tmp_path, ("en",), 30, 5))
    seen = []
    done = api._lint_in_workers(work, 2, lambda i, result: seen.append((i, os.getpid(), result)))
    assert sorted(i for i, _, _ in seen) == list(range(len(work)))
    assert {pid for _, pid, _ in seen} == {os.getpid()} and all(done[i] is r for i, _, r in seen)


def test_a_parallel_run_stores_every_result_for_the_next(tmp_path, monkeypatch, fresh):
    (tmp_path / ".git").mkdir()  # the project root, where .promiselint_cache lives
    _write(tmp_path, ("en", "ar"), 30, 6)
    first, _ = api.run_check([tmp_path], jobs=2)
    calls = []
    monkeypatch.setattr(api, "_lint_job", lambda job: calls.append(job) or _REAL(job))
    again, _ = api.run_check([tmp_path], jobs=2)
    assert calls == [] and len(again) == 30
    assert [(r.path, [(f.rule, f.offset) for f in r.findings]) for r in again] == \
        [(r.path, [(f.rule, f.offset) for f in r.findings]) for r in first]
