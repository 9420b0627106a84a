"""`ForkPool`: a function over chunks of work in forked worker processes, with
a pipe each way per worker and nothing else.

The children are forks of the parent: they hold the chunks already (and every
compiled rule), so only a chunk's number goes out (4 bytes) and its result
comes back, pickled.  Each worker has two chunks in hand at most; the next goes
to whichever answers first, so none idles while another has a queue.  No thread,
queue or manager process, and none of multiprocessing's imports (what a
`concurrent.futures.ProcessPoolExecutor` costs a run before its first chunk).

A worker that raises sends the exception back, and the parent raises it; a
worker that ends without answering (killed by the system, say) is a
`WorkerDied` naming its signal or status.  Either way, and on Ctrl-C, leaving
the pool's `with` ends the other workers and reaps every child.  Where the
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

_INDEX = struct.Struct("<I")  # a chunk's number, parent -> worker
_SIZE = struct.Struct("<Q")  # a result's length in bytes, worker -> parent
IN_HAND = 2  # chunks a worker holds at most (one it works on, the next waiting in its pipe)


class ForkPool:
    """`workers` forked processes for one `map` (a stand-in for a
    ProcessPoolExecutor used as `with ForkPool(n) as pool: pool.map(fn, chunks)`).
    Leaving the `with` ends and reaps every worker, whatever happened."""

    def __init__(self, workers: int):
        self.workers = workers
        self._live: dict[int, _Worker] = {}  # result fd -> worker
        self._executor = None

    def __enter__(self) -> ForkPool:
        return self

    def __exit__(self, *exc) -> bool:
        for w in self._live.values():
            _stop(w)
        self._live.clear()
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
        return False

    def map(self, fn: Callable, chunks: list) -> Iterator:
        """fn(chunk) for every chunk, in the order of `chunks`; the workers start now."""
        chunks = list(chunks)
        if not hasattr(os, "fork"):  # (Windows) spawned processes, which set themselves up
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(self.workers)
            return self._executor.map(fn, chunks)
        todo = list(range(len(chunks)))[::-1]  # popped from the end: chunk 0 first
        for _ in range(min(self.workers, len(chunks))):
            w = _start(fn, chunks, self._live)
            self._live[w.results] = w
            _hand_out(w, todo, 1)  # one each first, then a second to whoever can take it
        for w in list(self._live.values()):
            _hand_out(w, todo)
        return _in_order(self._answers(chunks, todo))

    def _answers(self, chunks: list, todo: list) -> Iterator[tuple[int, object]]:
        """(chunk number, result) as each worker answers."""
        poll = select.poll()
        for fd in self._live:
            poll.register(fd, select.POLLIN)
        while self._live:
            for fd, _ in poll.poll():
                w = self._live[fd]
                data = os.read(fd, 1 << 20)
                if not data:  # the worker is gone
                    poll.unregister(fd)
                    del self._live[fd]
                    _reap(w, chunks)
                    continue
                w.buffer += data
                for ok, result in _complete(w):
                    if not ok:
                        raise result
                    yield w.held.pop(0), result
                    _hand_out(w, todo)


def _in_order(answers: Iterator[tuple[int, object]]) -> Iterator:
    done: dict[int, object] = {}
    nxt = 0
    for index, result in answers:
        done[index] = result
        while nxt in done:
            yield done.pop(nxt)
            nxt += 1


class _Worker:
    """The parent's end of one child: its pid, pipes, and the chunks it holds."""

    def __init__(self, pid: int, tasks: int, results: int):
        self.pid, self.tasks, self.results = pid, tasks, results
        self.held: list[int] = []
        self.buffer = bytearray()


def _start(fn: Callable, chunks: list, pool: dict) -> _Worker:
    """Fork one worker and return the parent's end of it."""
    task_r, task_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        code = 1
        try:
            os.close(task_w)
            os.close(result_r)
            for other in pool.values():  # the pipes of the workers forked before this one
                for fd in (other.tasks, other.results):
                    if fd >= 0:
                        os.close(fd)
            _serve(fn, chunks, task_r, result_w)
            code = 0
        except KeyboardInterrupt:
            code = 130
        finally:
            os._exit(code)
    os.close(task_r)
    os.close(result_w)
    return _Worker(pid, task_w, result_r)


def _serve(fn: Callable, chunks: list, tasks: int, results: int) -> None:
    """The worker's loop: read a chunk's number, send back (True, result) or
    (False, the exception it raised); end when the parent closes the pipe."""
    while True:
        got = _read_exactly(tasks, _INDEX.size)
        if got is None:
            return
        (index,) = _INDEX.unpack(got)
        try:
            answer = (True, fn(chunks[index]))
        except Exception as e:  # the parent raises it, with where it happened here
            import traceback

            e.add_note("in a worker process:\n" + "".join(traceback.format_exception(e)).rstrip())
            answer = (False, e)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # a result or an exception that does not pickle
            data = pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}")))
        _write_all(results, _SIZE.pack(len(data)) + data)


def _hand_out(w: _Worker, todo: list, most: int = IN_HAND) -> None:
    """Give `w` chunks up to `most` in hand; close its task pipe once there are no
    more (it then ends).  A worker that is gone keeps what it held: _reap tells."""
    try:
        while len(w.held) < most and todo:
            w.held.append(todo.pop())
            _write_all(w.tasks, _INDEX.pack(w.held[-1]))
    except BrokenPipeError:
        todo.clear()  # (the run fails: WorkerDied)
    if not todo and w.tasks >= 0:
        os.close(w.tasks)
        w.tasks = -1


def _complete(w: _Worker) -> Iterator[tuple[bool, object]]:
    """The complete answers in `w`'s buffer, removed from it."""
    while len(w.buffer) >= _SIZE.size:
        (size,) = _SIZE.unpack_from(w.buffer)
        if len(w.buffer) < _SIZE.size + size:
            return
        data = bytes(w.buffer[_SIZE.size:_SIZE.size + size])
        del w.buffer[:_SIZE.size + size]
        yield pickle.loads(data)


def _reap(w: _Worker, chunks: list) -> None:
    """Wait for a worker whose pipe closed; WorkerDied if it still held a chunk."""
    if w.tasks >= 0:
        os.close(w.tasks)
        w.tasks = -1
    os.close(w.results)
    _, status = os.waitpid(w.pid, 0)
    if os.waitstatus_to_exitcode(status) in (130, -signal.SIGINT):  # Ctrl-C reached the worker first
        raise KeyboardInterrupt
    if w.held or status != 0:
        raise WorkerDied(f"a worker process {_how(status)} before it finished its files",
                         [chunks[i] for i in w.held])


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"was killed by signal {sig} ({name})"
    return f"ended with status {os.waitstatus_to_exitcode(status)}"


def _stop(w: _Worker) -> None:
    """End a worker the parent no longer waits for (an error, Ctrl-C) and reap it."""
    for fd in (w.tasks, w.results):
        if fd >= 0:
            os.close(fd)
    try:
        os.kill(w.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(w.pid, 0)
    except ChildProcessError:
        pass


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
