"""`ForkPool`: a function over chunks of work in this process and in forked
workers: `workers - 1` children, and the parent as the last worker.

The chunks' numbers wait in one pipe, written before the fork, that every
process reads 4 bytes at a time (a pipe hands each number to one reader only):
no process waits on another for its next chunk, and the parent takes its share
like the others instead of idling.  The children are forks: they hold the chunks
already (and every compiled rule), so a chunk's number is all that goes out; a
child's results come back pickled, each with its chunk's number, through a pipe
of its own, which the parent reads between its own chunks and at the end.  No
thread, queue or manager process, and none of multiprocessing's imports.

A child that raises sends the exception back, and the parent raises it; a child
that ends in error (killed by the system, say) is a `WorkerDied` naming its
signal or status and the chunk it held (the parent then takes no more chunks,
and the other children stop after theirs).  Either way, and on Ctrl-C, leaving
the pool's `with` ends the children and reaps them.  Where the
platform cannot fork, the chunks go through a ProcessPoolExecutor instead.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
from typing import Callable, Iterator

from promiselint.core.errors import WorkerDied

_INDEX = struct.Struct("<I")  # a chunk's number, in the shared queue
_SIZE = struct.Struct("<Q")  # a result's length in bytes, child -> parent
_AT_ONCE = max(1, getattr(select, "PIPE_BUF", 512) // _INDEX.size)  # numbers one atomic write holds
_RESULT_PIPE = 1 << 20  # bytes a child's result pipe holds (Linux), so it rarely waits on a busy parent


class ForkPool:
    """`workers` processes, this one included, for one `map` (a stand-in for a
    ProcessPoolExecutor used as `with ForkPool(n) as pool: pool.map(fn, chunks)`).
    Leaving the `with` ends and reaps every child, whatever happened."""

    def __init__(self, workers: int):
        self.workers = workers
        self.forks = 0  # children forked
        self._live: dict[int, _Child] = {}  # result fd -> child
        self._queue: dict[str, int] = {}  # the shared queue's ends still open here: "read", "write"
        self._executor = None

    def __enter__(self) -> ForkPool:
        return self

    def __exit__(self, *exc) -> bool:
        for w in self._live.values():
            _stop(w)
        self._live.clear()
        _close(self._queue, "read", "write")
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
        return False

    def map(self, fn: Callable, chunks: list) -> Iterator:
        """fn(chunk) for every chunk, in the order of `chunks`; the children start now,
        the parent works on its share as the results are asked for."""
        chunks = list(chunks)
        if not hasattr(os, "fork"):  # (Windows) spawned processes, which set themselves up
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(self.workers)
            return self._executor.map(fn, chunks)
        if min(self.workers, len(chunks)) <= 1:
            return map(fn, chunks)
        read, write = os.pipe()
        self._queue = {"read": read, "write": write}
        rest = _fill(write, list(range(len(chunks))))  # (what a full pipe leaves, the parent adds later)
        if not rest:
            _close(self._queue, "write")
        for _ in range(min(self.workers, len(chunks)) - 1):
            w = _start(fn, chunks, read, [self._queue.get("write", -1), *self._live])
            self._live[w.results] = w
            self.forks += 1
        return _in_order(self._run(fn, chunks, rest))

    def _run(self, fn: Callable, chunks: list, rest: list) -> Iterator[tuple[int, object]]:
        """(chunk number, result): the parent's own chunks as it does them, the
        children's as they come; WorkerDied at the end if a child took chunks with it."""
        done: set[int] = set()
        poll = select.poll()
        for fd in self._live:
            poll.register(fd, select.POLLIN)
        died = None
        while died is None and (index := self._take(rest)) is not None:
            yield index, fn(chunks[index])
            done.add(index)
            died = yield from self._answers(poll, done, 0)
        _close(self._queue, "write")  # (the children end at the queue's end)
        dropped = {*rest, *_empty(self._queue["read"])}  # what nobody took (after a death: nobody will)
        while self._live:  # the children finish what they hold
            died = (yield from self._answers(poll, done, None)) or died
        _close(self._queue, "read")
        if died is not None or len(done) < len(chunks):  # (the dead child's chunks: neither done nor dropped)
            held = sorted(set(range(len(chunks))) - done - dropped)
            raise WorkerDied(f"a worker process {_how(died or 0)} before it finished its files",
                             [chunks[i] for i in held])

    def _take(self, rest: list) -> int | None:
        """The next chunk's number for this process, or None when there is none."""
        if rest:  # the queue was full: refill it, and take the next one here if it is still full
            rest[:] = _fill(self._queue["write"], rest)
            if rest:
                return rest.pop(0)
            _close(self._queue, "write")
        got = _read_exactly(self._queue["read"], _INDEX.size)
        return None if got is None else _INDEX.unpack(got)[0]

    def _answers(self, poll, done: set, timeout) -> Iterator[tuple[int, object]]:
        """What the children sent back so far (timeout 0) or next (None); returns the
        wait status of a child that ended in error (killed, say), if one did."""
        died = None
        for fd, _ in poll.poll(timeout):
            w = self._live[fd]
            while data := os.read(fd, 1 << 20):  # to the end of the answer the child is writing
                w.buffer += data
                for index, ok, result in _complete(w):
                    if not ok:
                        raise result
                    done.add(index)
                    yield index, result
                if not w.buffer:  # (a large one would otherwise wait for this process's next chunk)
                    break
            else:  # the child ended
                poll.unregister(fd)
                del self._live[fd]
                status = _reap(w)
                died = status if status != 0 else died
        return died


def _in_order(answers: Iterator[tuple[int, object]]) -> Iterator:
    done: dict[int, object] = {}
    nxt = 0
    for index, result in answers:
        done[index] = result
        while nxt in done:
            yield done.pop(nxt)
            nxt += 1


class _Child:
    """The parent's end of one child: its pid, its result pipe and what came unread."""

    def __init__(self, pid: int, results: int):
        self.pid, self.results = pid, results
        self.buffer = bytearray()


def _fill(fd: int, indices: list) -> list:
    """Write chunk numbers to the queue while it has room; the ones that did not fit."""
    os.set_blocking(fd, False)
    while indices:
        try:
            os.write(fd, b"".join(map(_INDEX.pack, indices[:_AT_ONCE])))  # (all or nothing: atomic)
        except BlockingIOError:
            break
        indices = indices[_AT_ONCE:]
    return indices


def _start(fn: Callable, chunks: list, queue: int, inherited: list) -> _Child:
    """Fork one child and return the parent's end of it; `inherited`: the parent's
    fds the child closes (the queue's write end, the other children's pipes)."""
    result_r, result_w = os.pipe()
    _widen(result_w)
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        code = 1
        try:
            for fd in (result_r, *inherited):
                if fd >= 0:
                    os.close(fd)
            _serve(fn, chunks, queue, result_w)
            code = 0
        except KeyboardInterrupt:
            code = 130
        finally:
            os._exit(code)
    os.close(result_w)
    return _Child(pid, result_r)


def _serve(fn: Callable, chunks: list, queue: int, results: int) -> None:
    """The child's loop: take a chunk's number, send back (number, True, result) or
    (number, False, the exception it raised); end when the queue is empty."""
    while True:
        got = _read_exactly(queue, _INDEX.size)
        if got is None:
            return
        (index,) = _INDEX.unpack(got)
        try:
            answer = (index, True, fn(chunks[index]))
        except Exception as e:  # the parent raises it, with where it happened here
            import traceback

            e.add_note("in a worker process:\n" + "".join(traceback.format_exception(e)).rstrip())
            answer = (index, False, e)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # a result or an exception that does not pickle
            data = pickle.dumps((index, False, RuntimeError(f"{type(e).__name__}: {e}")))
        _write_all(results, _SIZE.pack(len(data)) + data)


def _complete(w: _Child) -> Iterator[tuple[int, bool, object]]:
    """The complete answers in `w`'s buffer, removed from it."""
    while len(w.buffer) >= _SIZE.size:
        (size,) = _SIZE.unpack_from(w.buffer)
        if len(w.buffer) < _SIZE.size + size:
            return
        data = bytes(w.buffer[_SIZE.size:_SIZE.size + size])
        del w.buffer[:_SIZE.size + size]
        yield pickle.loads(data)


def _reap(w: _Child) -> int:
    """Wait for a child whose pipe closed: its wait status (KeyboardInterrupt when
    Ctrl-C reached it first)."""
    os.close(w.results)
    _, status = os.waitpid(w.pid, 0)
    if os.waitstatus_to_exitcode(status) in (130, -signal.SIGINT):
        raise KeyboardInterrupt
    return status


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"was killed by signal {sig} ({name})"
    return f"ended with status {os.waitstatus_to_exitcode(status)}"


def _stop(w: _Child) -> None:
    """End a child the parent no longer waits for (an error, Ctrl-C) and reap it."""
    os.close(w.results)
    try:
        os.kill(w.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(w.pid, 0)
    except ChildProcessError:
        pass


def _empty(queue: int) -> list[int]:
    """Take every number still in the queue (its write end is closed everywhere: this
    ends; after a child died, the others then stop at their current chunk)."""
    taken = []
    while got := os.read(queue, _INDEX.size * _AT_ONCE):
        taken += [i for (i,) in _INDEX.iter_unpack(got)]
    return taken


def _widen(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _RESULT_PIPE)
    except (ImportError, AttributeError, OSError):  # not Linux, or over the system's limit
        pass


def _close(fds: dict, *names: str) -> None:
    """Close the named fds that are still open, and forget them."""
    for name in names:
        if name in fds:
            os.close(fds.pop(name))


def _read_exactly(fd: int, n: int) -> bytes | None:
    """`n` bytes from `fd`, or None at its end."""
    data = b""
    while len(data) < n:
        got = os.read(fd, n - len(data))
        if not got:
            return None
        data += got
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
