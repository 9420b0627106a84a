"""The `promiselint` process ends as soon as its command is done (cli/exit.py):
the output is whole, the status is the command's, atexit handlers run, and the
interpreter's own tear-down (which frees every object one at a time) is skipped,
unless another thread still runs."""
import json
import subprocess
import sys

import pytest

PROBE = """
import atexit, os, sys, threading


class Sentinel:
    def __del__(self, write=os.write):  # runs only when the interpreter tears its modules down
        write(2, b"TEARDOWN\\n")


keep = Sentinel()
atexit.register(lambda: os.write(2, b"ATEXIT\\n"))
if os.environ.get("PROBE_THREAD"):
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # still waiting at the end
sys.argv = ["promiselint", *sys.argv[1:]]
from promiselint.cli import run
run()
"""


def probe(tmp_path, *args, thread=False):
    env = {**__import__("os").environ, **({"PROBE_THREAD": "1"} if thread else {})}
    return subprocess.run([sys.executable, "-c", PROBE, *args], cwd=tmp_path, capture_output=True, text=True,
                          encoding="utf-8", env=env)


@pytest.fixture
def page(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "page.md").write_text("# Kettle\n\nThe fastest kettle we sell.\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args, status", [
    (("check", "--format", "json", "page.md"), 1),
    (("check", "--format", "json", "--fail-on", "never", "page.md"), 0),
])
def test_a_check_ends_without_tearing_down(page, args, status):
    proc = probe(page, *args)
    assert proc.returncode == status
    report = json.loads(proc.stdout)  # whole
    assert [f["rule"] for f in report["files"][0]["findings"]] == ["superlative.unverified"]
    assert "ATEXIT" in proc.stderr and "TEARDOWN" not in proc.stderr


def test_a_usage_error_keeps_its_status_and_message(page):
    proc = probe(page, "check", "--format", "xml", "page.md")
    assert proc.returncode == 2 and "promiselint: error:" in proc.stderr
    assert "ATEXIT" in proc.stderr and "TEARDOWN" not in proc.stderr


def test_with_another_thread_running_the_process_exits_the_usual_way(page):
    proc = probe(page, "check", "--format", "json", "--fail-on", "never", "page.md", thread=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["files"]
    assert "ATEXIT" in proc.stderr and "TEARDOWN" in proc.stderr


def test_python_m_runs_the_same_entry(page):
    proc = subprocess.run([sys.executable, "-m", "promiselint.cli", "check", "--format", "json", "page.md"],
                          cwd=page, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1 and json.loads(proc.stdout)["files"]
