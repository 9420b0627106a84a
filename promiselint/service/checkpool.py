"""Worker processes for the service's checks: they use every core, and a time
limit really ends a check.

`CheckPool(work, size)` keeps `size` children; each request goes to an idle one
and the event loop waits for its answer on a pipe, so `size` checks run at
once while the service's front end stays free for I/O.  When a check outlives
its time (or its client goes away) its child is killed and a fresh one takes
its place, so one bad request never slows the next, nor the other workers.
Children are forked from the warm service process where the platform allows
(`start()`, after the linter is built: they share its compiled rules
copy-on-write and answer in milliseconds); elsewhere they are spawned and warm
up on their own.

A worker tidies up only after it has answered (`between`, then a garbage
collection now and then), and its answer says when it is about to collect:
the pool then hands the next check to another idle worker if it has one, so a
collection delays no request while a worker is free.
"""
from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import sys
from typing import Callable


class WorkerDied(Exception):
    """The child ended without answering (killed by the OS, crashed)."""


def _child(conn, parent_end, parent: int, work: Callable, warm: Callable | None,
           between: Callable | None) -> None:
    """A worker: answer each message with ("ok", work(message), collecting) or
    ("raised", exception, collecting); then run `between` and, if `collecting`
    said so, collect garbage."""
    parent_end.close()  # so that the pipe reads EOF when the service is gone
    _die_with_parent()  # even in the middle of a check
    if os.getppid() != parent:  # it died before we asked
        os._exit(0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the service, which stops us
    try:
        signal.set_wakeup_fd(-1)  # the service's event loop, not ours
    except (ValueError, OSError):  # pragma: no cover - not the main thread
        pass
    if warm is not None:
        warm()
    _collect_between_checks()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", work(message))
        except Exception as e:  # the service turns it into an error response
            answer = ("raised", e)
        del message
        collecting = gc.get_count()[0] >= COLLECT_AFTER
        try:
            conn.send((*answer, collecting))
        except Exception as e:  # an answer that does not pickle
            conn.send(("raised", RuntimeError(f"{type(e).__name__}: {e}"), collecting))
        del answer
        if between is not None:
            between()
        if collecting:
            _collect_between_checks()


COLLECT_AFTER = 20_000  # new container objects (net) a worker keeps before it collects


def _collect_between_checks() -> None:
    """A worker's garbage collection: never in the middle of a check, and never
    over the warm objects.  Checks make next to no reference cycles (their objects
    die by reference counting), yet the automatic collector keeps walking every
    object that outlived a check (the rules' caches grow with the traffic): a pause
    of tens of milliseconds in some check.  So the automatic collector is off; after
    a check, once COLLECT_AFTER new objects have accumulated, one collection frees
    any cycles (an exception's traceback, say) and freezes what survives, so the
    next collection walks only what came after it."""
    gc.disable()
    gc.collect()
    gc.freeze()


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this process when the service process dies."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass


class _Worker:
    def __init__(self, context, work: Callable, warm: Callable | None, between: Callable | None):
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_child, daemon=True, name="promiselint-check",
                                       args=(child_end, self.conn, os.getpid(), work, warm, between))
        self.process.start()
        child_end.close()
        self.collecting = False  # its last answer said it was about to collect garbage

    async def call(self, message):
        loop = asyncio.get_running_loop()
        try:
            self.conn.send(message)
        except OSError:
            raise WorkerDied(f"check process ended (exit code {self.process.exitcode})")
        readable = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
        try:
            await readable
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop's add_reader made it non-blocking: recv() reads whole messages
        try:
            kind, value, self.collecting = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerDied(f"check process ended (exit code {self.process.exitcode})")
        if kind == "raised":
            raise value
        return value

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class CheckPool:
    """`size` worker processes running `work(message)`; callers queue for an idle one.

    ``await pool.run(message)`` returns work's result or raises what it raised;
    cancelling the call (a time limit, a client gone) kills the worker doing it
    and starts its replacement.  `warm` runs in a spawned worker before its
    first check; `between` in every worker after each answer."""

    def __init__(self, work: Callable, size: int = 1, warm: Callable | None = None,
                 between: Callable | None = None):
        if size < 1:
            raise ValueError(f"a check pool needs at least one worker, not {size}")
        methods = multiprocessing.get_all_start_methods()
        self.forking = "fork" in methods
        self.context = multiprocessing.get_context("fork" if self.forking else "spawn")
        self.work, self.size, self.between = work, size, between
        self.warm = None if self.forking else warm  # forked children inherit the warm parent
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.started = 0  # processes started so far (replacements included)
        self.closed = False
        self._slots: asyncio.Semaphore | None = None

    def start(self) -> None:
        """Fork every worker now, from the warm process (call it after the warm-up)."""
        while len(self.idle) + len(self.busy) < self.size:
            self.idle.append(self._start())

    async def run(self, message):
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            worker = self.idle.pop() if self.idle else self._start()
            self.busy.add(worker)
            healthy = False
            try:
                result = await worker.call(message)
                healthy = True
                return result
            except WorkerDied:
                raise
            except Exception:
                healthy = True  # the check raised; the process is fine
                raise
            finally:
                self.busy.discard(worker)
                if healthy and worker.collecting:  # busy collecting: the last choice for the next check
                    self.idle.insert(0, worker)
                elif healthy:  # the next check goes to the worker used last (its caches are warm)
                    self.idle.append(worker)
                else:  # cancelled (time limit, client gone) or dead: never reuse it
                    worker.kill()
                    if not self.closed:
                        self.idle.append(self._start())

    def _start(self) -> _Worker:
        self.started += 1
        if self.forking:
            # frozen, the warm objects are left alone by the collectors of the children (their
            # pages stay shared) and of this process (no pause in the front end walks them)
            gc.freeze()
        return _Worker(self.context, self.work, self.warm, self.between)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.idle + list(self.busy)]

    def close(self) -> None:
        """Kill every worker, busy or idle."""
        self.closed = True
        for worker in self.idle + list(self.busy):
            worker.kill()
        self.idle.clear()
        self.busy.clear()
        gc.unfreeze()
