"""The worker pool of a large run (project/forkmap.py, issue #10): forked
workers, a pipe each way, results in order; a worker's exception reaches the
parent, a killed worker is a clear WorkerDied, and no child outlives the pool.
Work is counted (chunks, bytes, processes), never timed."""
import os
import signal
import sys

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


@pytest.mark.parametrize("n_chunks, workers", [(0, 2), (1, 2), (2, 2), (3, 2), (5, 1), (40, 2), (9, 3)])
def test_results_come_in_order_from_forked_workers(n_chunks, workers):
    chunks = [list(range(i, i + 3)) for i in range(n_chunks)]
    with ForkPool(workers) as pool:
        got = list(pool.map(_square_all, chunks))
    assert [squares for _, squares in got] == [[x * x for x in c] for c in chunks]
    pids = {pid for pid, _ in got}
    assert os.getpid() not in pids and len(pids) <= workers
    assert all(_gone(pid) for pid in pids)


def test_each_worker_holds_two_chunks_at_most(monkeypatch):
    """The next chunk goes to whichever worker answers: 4-byte numbers out, never the chunk."""
    sent = []
    real = forkmap._write_all
    monkeypatch.setattr(forkmap, "_write_all", lambda fd, data: (sent.append(len(data)), real(fd, data)))
    chunks = [[i] for i in range(30)]
    with ForkPool(2) as pool:
        it = pool.map(_square_all, chunks)
        assert len(sent) == 4  # two workers, two chunks each, before any answer
        assert list(it)[-1][1] == [29 * 29]
    assert sent == [forkmap._INDEX.size] * 30


def _fails_on_three(chunk: list) -> list:
    if 3 in chunk:
        raise ValueError("no threes")
    return chunk


def test_an_exception_in_a_worker_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="no threes") as caught:
        with ForkPool(2) as pool:
            list(pool.map(_fails_on_three, [[i] for i in range(8)]))
    assert "in a worker process" in "\n".join(caught.value.__notes__)
    assert "_fails_on_three" in "\n".join(caught.value.__notes__)  # where it was raised


def _killed_on_three(chunk: list) -> list:
    with open(chunk[0][1], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    if chunk[0][0] == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return chunk


def test_a_killed_worker_is_reported_and_every_worker_is_reaped(tmp_path):
    log = tmp_path / "pids"
    chunks = [[(i, str(log))] for i in range(12)]
    with pytest.raises(WorkerDied) as caught:
        with ForkPool(2) as pool:
            list(pool.map(_killed_on_three, chunks))
    assert "killed by signal 9 (SIGKILL)" in str(caught.value)
    assert chunks[3] in caught.value.held
    pids = {int(line) for line in log.read_text().split()}
    assert pids and all(_gone(pid) for pid in pids)


def test_leaving_early_ends_and_reaps_the_workers():
    with ForkPool(2) as pool:
        it = pool.map(_square_all, [[i] for i in range(50)])
        pid, _ = next(it)
        workers = [w.pid for w in pool._live.values()]
    assert len(workers) == 2 and pid in workers
    assert all(_gone(p) for p in workers)


def test_a_result_larger_than_a_pipe_comes_back_whole():
    big = [["x" * 300_000, "ي" * 200_000]]
    with ForkPool(1) as pool:
        assert list(pool.map(lambda chunk: chunk, big)) == big


def test_the_cli_names_the_files_of_a_killed_worker(tmp_path):
    """`promiselint check` over many files whose worker is killed: one line, exit 2."""
    import subprocess

    for i in range(30):
        (tmp_path / f"p{i:02d}.md").write_text(f"# Page {i}\n\nThe fastest kettle.\n", encoding="utf-8")
    probe = ("import os, signal, sys\n"
             "from promiselint.project import api\n"
             "real = api._lint_job\n"
             "def job(j):\n"
             "    if j[1].endswith('p07.md') and os.getpid() != parent: os.kill(os.getpid(), signal.SIGKILL)\n"
             "    return real(j)\n"
             "parent = os.getpid()\n"
             "api._lint_job = job\n"
             "from promiselint.cli import run\n"
             "run()\n")
    proc = subprocess.run([sys.executable, "-c", probe, "check", "--no-cache", "--jobs", "2", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "killed by signal 9" in lines[0] and "p07.md" in lines[0], proc.stderr


def _interrupted_on_two(chunk: list) -> list:
    if 2 in chunk:
        raise KeyboardInterrupt  # what Ctrl-C does in a worker
    return chunk


def test_ctrl_c_in_a_worker_is_ctrl_c_in_the_parent():
    with pytest.raises(KeyboardInterrupt):
        with ForkPool(2) as pool:
            list(pool.map(_interrupted_on_two, [[i] for i in range(6)]))
