"""The worker pool of a large run (project/forkmap.py, issue #10): the parent and
`workers - 1` forked children take chunk numbers from one shared queue; results
come in order, every chunk is done once, a child's exception reaches the parent,
a killed child is a clear WorkerDied naming what it held, Ctrl-C is Ctrl-C, and
no child outlives the pool.  Work is counted (chunks, forks, processes), never timed."""
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from promiselint.core.errors import WorkerDied
from promiselint.project import forkmap
from promiselint.project.forkmap import ForkPool

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")


def _square_all(chunk: list) -> tuple:
    return os.getpid(), [x * x for x in chunk]


def _gone(pid: int) -> bool:
    """The process is not there any more (not even a zombie waiting to be reaped)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def children_take_first(fn, flag: Path):
    """`fn`, except that the parent waits (a minute at most) for a child to take a
    chunk before it does its own: the children work even on a busy machine."""
    parent = os.getpid()

    def wrapped(chunk):
        if os.getpid() != parent:
            flag.touch()
        else:
            end = time.monotonic() + 60
            while not flag.exists() and time.monotonic() < end:
                time.sleep(0.001)
        return fn(chunk)

    return wrapped


def each_takes_one(fn, folder: Path, processes: int):
    """`fn`, except that each process, at its first chunk, waits (a minute at most)
    until `processes` processes have taken one: the work is spread even when it is
    so little that one child could take it all."""
    def wrapped(chunk):
        mine = folder / str(os.getpid())
        if not mine.exists():
            mine.touch()
            end = time.monotonic() + 60
            while len(list(folder.iterdir())) < processes and time.monotonic() < end:
                time.sleep(0.001)
        return fn(chunk)

    return wrapped


def _logged(log: Path, fn=lambda chunk: chunk):
    """`fn`, writing "pid chunk" to `log` first (one short append: whole lines from every process)."""
    def wrapped(chunk):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {chunk[0]}\n")
        return fn(chunk)

    return wrapped


def _calls(log: Path) -> list[tuple[int, int]]:
    return [tuple(map(int, line.split())) for line in log.read_text().splitlines()]


@pytest.fixture
def forked(monkeypatch) -> list:
    """The pids of the children forked meanwhile."""
    pids = []
    real = os.fork

    def fork():
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


@pytest.mark.parametrize("n_chunks, workers", [(0, 2), (1, 2), (2, 2), (3, 2), (5, 1), (40, 2), (9, 3)])
def test_results_come_in_order_from_the_parent_and_its_children(n_chunks, workers):
    chunks = [list(range(i, i + 3)) for i in range(n_chunks)]
    with ForkPool(workers) as pool:
        got = list(pool.map(_square_all, chunks))
    assert [squares for _, squares in got] == [[x * x for x in c] for c in chunks]
    assert pool.forks == max(0, min(workers, n_chunks) - 1)  # the parent is the last worker
    children = {pid for pid, _ in got} - {os.getpid()}
    assert len(children) <= pool.forks and all(_gone(pid) for pid in children)


@pytest.mark.parametrize("room", [None, 3])
def test_every_chunk_is_done_once_by_one_process(tmp_path, monkeypatch, room):
    """Numbers go out through one queue that every process reads; when it cannot
    hold them all (room: numbers it takes at first), the parent adds the rest later."""
    if room is not None:
        real = forkmap._fill
        first = []
        monkeypatch.setattr(forkmap, "_fill", lambda fd, indices: (
            real(fd, indices) if first else first.append(1) or real(fd, indices[:room]) + indices[room:]))
    log = tmp_path / "calls"
    chunks = [[i] for i in range(60)]
    with ForkPool(3) as pool:
        (tmp_path / "took").mkdir()
        got = list(pool.map(each_takes_one(_logged(log), tmp_path / "took", 3), chunks))
    assert got == chunks
    calls = _calls(log)
    assert sorted(i for _, i in calls) == list(range(60))  # each chunk once
    pids = {pid for pid, _ in calls}
    assert os.getpid() in pids and len(pids) == 3 and pool.forks == 2
    assert all(_gone(pid) for pid in pids - {os.getpid()})


def test_the_queue_carries_chunk_numbers_written_before_the_fork(monkeypatch):
    """What goes out to the children: the chunks' numbers, all queued before they start."""
    written = []
    real = forkmap._fill
    monkeypatch.setattr(forkmap, "_fill", lambda fd, indices: (written.append(list(indices)), real(fd, indices))[1])
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: (forks.append(len(written)), real_fork())[1])
    chunks = [[i] * 1000 for i in range(30)]
    with ForkPool(2) as pool:
        assert [c[0] for c in pool.map(lambda chunk: chunk[:1], chunks)] == list(range(30))
    assert written == [list(range(30))] and forks == [1]  # every number queued before the one fork


def _fails_on_three(chunk: list) -> list:
    if 3 in chunk:
        raise ValueError("no threes")
    return chunk


def test_an_exception_in_a_child_is_raised_in_the_parent(tmp_path):
    parent = os.getpid()

    def fails_in_a_child(chunk):
        if os.getpid() != parent:
            _fails_on_three([3])
        return chunk

    with pytest.raises(ValueError, match="no threes") as caught:
        with ForkPool(2) as pool:
            list(pool.map(children_take_first(fails_in_a_child, tmp_path / "flag"), [[i] for i in range(8)]))
    assert "in a worker process" in "\n".join(caught.value.__notes__)
    assert "_fails_on_three" in "\n".join(caught.value.__notes__)  # where it was raised
    assert all(_gone(w.pid) for w in pool._live.values()) and not pool._live


def test_an_exception_in_the_parent_ends_the_children(forked):
    parent = os.getpid()

    def fails_in_the_parent(chunk):
        if os.getpid() == parent:
            raise ValueError("here")
        time.sleep(60)  # (a child still at work: ended all the same)

    with pytest.raises(ValueError, match="here"):
        with ForkPool(3) as pool:
            list(pool.map(fails_in_the_parent, [[i] for i in range(20)]))
    assert len(forked) == 2 and all(_gone(pid) for pid in forked)


def test_a_killed_child_is_reported_with_the_chunk_it_held(tmp_path):
    parent = os.getpid()
    log = tmp_path / "calls"

    def killed_in_a_child(chunk):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return chunk

    chunks = [[i] for i in range(12)]
    with pytest.raises(WorkerDied) as caught:
        with ForkPool(2) as pool:
            list(pool.map(children_take_first(_logged(log, killed_in_a_child), tmp_path / "flag"), chunks))
    assert "killed by signal 9 (SIGKILL)" in str(caught.value)
    child = [(pid, i) for pid, i in _calls(log) if pid != parent]
    assert len(child) == 1 and caught.value.held == [[child[0][1]]]  # that chunk, and nothing the parent did
    assert _gone(child[0][0])


def test_a_child_that_dies_holding_nothing_still_fails_the_run(monkeypatch, forked):
    """No chunk is lost silently: the parent stops taking chunks when a child dies."""
    monkeypatch.setattr(forkmap, "_serve", lambda *args: os._exit(3))  # (in the child, before any chunk)
    with pytest.raises(WorkerDied, match="ended with status 3") as caught:
        with ForkPool(2) as pool:
            list(pool.map(lambda chunk: chunk, [[i] for i in range(12)]))
    assert caught.value.held == [] and len(forked) == 1 and _gone(forked[0])


def test_leaving_early_ends_and_reaps_the_children(forked):
    parent = os.getpid()

    def children_stay(chunk):
        if os.getpid() != parent and chunk != [0]:
            time.sleep(60)  # (still at work when the parent leaves)
        return chunk

    with ForkPool(3) as pool:
        assert next(pool.map(children_stay, [[i] for i in range(50)])) == [0]
        assert len(pool._live) == 2
    assert len(forked) == 2 and all(_gone(p) for p in forked) and not pool._queue


def test_a_result_larger_than_a_pipe_comes_back_whole(tmp_path):
    big = [["x" * 3_000_000, "ي" * 200_000], ["y"]]
    with ForkPool(2) as pool:
        got = list(pool.map(children_take_first(lambda chunk: chunk, tmp_path / "flag"), big))
    assert got == big


def test_an_answer_once_begun_is_read_to_its_end():
    """Between two of its chunks the parent reads a child's answer whole, however large:
    the child does not wait, blocked on a full pipe, for the parent's next chunk to end."""
    import pickle
    import select

    big = "x" * 5_000_000
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        data = pickle.dumps((0, True, big))
        forkmap._write_all(w, forkmap._SIZE.pack(len(data)) + data)
        os._exit(0)
    os.close(w)
    with ForkPool(2) as pool:
        pool._live[r] = forkmap._Child(pid, r)
        poll = select.poll()
        poll.register(r, select.POLLIN)
        poll.poll()  # the child has begun to write
        answered = set()
        assert list(pool._answers(poll, answered, 0)) == [(0, big)] and answered == {0}
    assert _gone(pid)


def _interrupted(chunk: list) -> list:
    raise KeyboardInterrupt  # what Ctrl-C does


def test_ctrl_c_in_a_child_is_ctrl_c_in_the_parent(tmp_path, forked):
    parent = os.getpid()

    def interrupted_in_a_child(chunk):
        return _interrupted(chunk) if os.getpid() != parent else chunk

    with pytest.raises(KeyboardInterrupt):
        with ForkPool(3) as pool:
            list(pool.map(children_take_first(interrupted_in_a_child, tmp_path / "flag"), [[i] for i in range(6)]))
    assert len(forked) == 2 and all(_gone(pid) for pid in forked)


def test_ctrl_c_in_the_parent_ends_the_children(forked):
    parent = os.getpid()

    def interrupted_in_the_parent(chunk):
        if os.getpid() == parent:
            _interrupted(chunk)
        time.sleep(60)

    with pytest.raises(KeyboardInterrupt):
        with ForkPool(2) as pool:
            list(pool.map(interrupted_in_the_parent, [[i] for i in range(6)]))
    assert len(forked) == 1 and all(_gone(pid) for pid in forked)


PROBE = """\
import os, signal, sys, time
from pathlib import Path
from promiselint.project import api
flag = Path(sys.argv.pop(1))
parent = os.getpid()
real, real_chunk = api._lint_job, api._lint_chunk
def job(j):
    if os.getpid() != parent:
        flag.write_text(j[1])  # the file the child holds when it is killed
        os.kill(os.getpid(), signal.SIGKILL)
    return real(j)
def chunk(jobs):  # the parent waits for the child to take a chunk first
    end = time.monotonic() + 60
    while os.getpid() == parent and not flag.exists() and time.monotonic() < end:
        time.sleep(0.001)
    return real_chunk(jobs)
api._lint_job, api._lint_chunk = job, chunk
from promiselint.cli import run
run()
"""


def test_the_cli_names_the_file_of_a_killed_worker(tmp_path):
    """`promiselint check` over many files whose worker is killed: one line, exit 2."""
    import subprocess

    for i in range(30):
        (tmp_path / f"p{i:02d}.md").write_text(f"# Page {i}\n\nThe fastest kettle.\n", encoding="utf-8")
    flag = tmp_path.parent / f"{tmp_path.name}-held"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(flag), "check", "--no-cache", "--jobs", "2",
                           str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "killed by signal 9" in lines[0] and flag.read_text() in lines[0], proc.stderr


CTRL_C = """\
import os, sys, time
from pathlib import Path
from promiselint.project import api
folder = Path(sys.argv.pop(1))
def chunk(jobs):  # every process at work (the parent too) when Ctrl-C comes
    (folder / str(os.getpid())).touch()
    while True:
        time.sleep(0.01)
api._lint_chunk = chunk
from promiselint.cli import run
run()
"""


def test_ctrl_c_ends_a_pool_run_with_130_and_no_process_left(tmp_path):
    import subprocess

    for i in range(30):
        (tmp_path / f"p{i:02d}.md").write_text(f"# Page {i}\n\nThe fastest kettle.\n", encoding="utf-8")
    working = tmp_path.parent / f"{tmp_path.name}-working"
    working.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C, str(working), "check", "--no-cache", "--jobs", "2",
                             str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # (its own process group, as a terminal's job is)
    try:
        end = time.monotonic() + 60
        while len(list(working.iterdir())) < 2 and time.monotonic() < end and proc.poll() is None:
            time.sleep(0.01)
        pids = {int(p.name) for p in working.iterdir()}
        assert proc.pid in pids and len(pids) == 2  # the parent and its child
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err, err
    for pid in pids - {proc.pid}:  # the child was ended and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
