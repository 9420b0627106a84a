"""What the parent of a worker pool prepares before it forks: only the language
stacks the run's files need; and how the files are handed out.

English runs on any block with Latin letters, so its stack is always built;
the Arabic and Persian ones only when a file holds Arabic-script letters.  A
cheap byte test tells (the UTF-8 lead bytes of U+0600..U+06FF, U+0750..U+077F
and the presentation forms), over the bytes the parent already read (the cache
is on) or a spread sample of the files.  The guess only decides what is
prepared ahead: a worker that meets a language the parent did not prepare
builds it on first use, with the same findings.

Files are handed out largest first, in shrinking chunks: each takes a share of
the bytes and files not yet handed out (guided self-scheduling), so the first
chunks are large (few answers to send back) and the last are single small files
(the workers end together: none idles while another finishes a long chunk), and
a large file goes alone.  The parent lints a file of median size itself before
forking (what it loads, every worker then shares), never a large one while the
other cores wait.

Before that the parent makes what every worker would otherwise compile or load on
its first pages (`warm`): every regex the project's cache holds (cheap: no regex
is parsed) and the time grammar's parse table (no lark when cached).  Made once
there, before the fork, instead of once in each worker: the same wall time on free cores, half the
work on two (and a worker's first chunk costs what the others do).  The cue
lists' sources come built from the pack cache (packcache.py) when a page first
names them; their regexes come from the regex store.
"""
from __future__ import annotations

import os
import re
import stat

ALL = ("ar", "fa", "en")
SAMPLE_FILES = 64  # files read for the test when the parent has not read them
SAMPLE_BYTES = 256 * 1024  # bytes of each file tested
SHARE = 2  # a chunk is 1/(workers * SHARE) of what is left: large ones first, single files at the end
MOST_FILES = 256  # and holds at most this many files and bytes (unless one file is larger): its
MOST_BYTES = 4 << 20  # answer, pickled, stays small, and results come back all along a long run
# Arabic-script letters in UTF-8 (text/language.py's ranges); a file that is not
# UTF-8 (a NUL of UTF-16, a lone high byte of windows-1256) may hold them too
_ARABIC = re.compile(rb"[\xd8-\xdb\xdd]|\xef[\xad-\xb7\xb9-\xbb]|\x00")
_UTF8 = re.compile(rb"[\x80-\xff]")
_ARABIC_TEXT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def languages(work: list) -> tuple[str, ...]:
    """The languages whose stacks the run's files (api._Job.work() tuples) need:
    ("en",) when none of the tested files may hold Arabic-script letters."""
    read = [w[5] for w in work if w[5] is not None]
    unread = [w for w in work if w[5] is None]
    k = min(len(unread), SAMPLE_FILES)  # spread from the first file to the last
    sample = [unread[i * (len(unread) - 1) // max(1, k - 1)] for i in range(k)]
    for data in read:
        if _may_hold_arabic(data):
            return ALL
    for path, *_ in sample:
        data = _head(path)
        if data is not None and _may_hold_arabic(data):
            return ALL
    return ("en",)


def _head(path) -> bytes | None:
    """The first SAMPLE_BYTES of a regular file (None for anything else, or an
    error: the worker reports it).  A FIFO or a device is never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        return os.read(fd, SAMPLE_BYTES) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _may_hold_arabic(data: bytes) -> bool:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # the UTF-8 byte order mark is not a letter
    if _ARABIC.search(data):
        return True
    if _UTF8.search(data):  # high bytes without an Arabic lead: Latin UTF-8, or another encoding
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:  # (a sample cut inside a character is still UTF-8)
            return e.reason != "unexpected end of data"
    return False


def schedule(work: list, workers: int) -> tuple[int, list[list[int]]]:
    """(the index of the file the parent lints first, the other indices in chunks:
    largest files first, each chunk 1/(workers * SHARE) of the bytes and of the
    files not yet in a chunk (MOST_BYTES, MOST_FILES at most), whichever it reaches
    first, and at least one file)."""
    sizes = [len(w[5]) if w[5] is not None else _size(w[0]) for w in work]
    order = sorted(range(len(work)), key=lambda i: -sizes[i])
    first = order.pop(len(order) // 2)
    left = sum(sizes[i] for i in order)
    share = workers * SHARE
    chunks: list[list[int]] = []
    k = 0
    while k < len(order):
        target = min(left / share, MOST_BYTES)
        most = min(max(1, (len(order) - k) // share), MOST_FILES)  # (files, when bytes cannot tell)
        chunk, held = [], 0
        while k < len(order) and (not chunk or (held < target and len(chunk) < most)):
            chunk.append(order[k])
            held += sizes[order[k]]
            k += 1
        chunks.append(chunk)
        left -= held
    return first, chunks


def _size(path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0



def warm(linters, langs) -> None:
    """Make in the parent, before it forks, what every worker otherwise compiles or
    loads on its first pages: the regexes the project's cache holds
    (match/regexstore.py; for an English-only run none with Arabic-script letters),
    and when a rule reads delivery times, the time grammar's parser (its table from
    the cache when it holds it, else built with lark)."""
    from promiselint.match import regexstore

    regexstore.warm(None if langs != ("en",) else lambda pattern: not _ARABIC_TEXT.search(pattern))
    if any(rule.detector == "delivery-time" for linter in linters for rule in linter.rules):
        from promiselint.match.time_parse import _parser

        _parser()
