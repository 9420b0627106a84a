"""promiselint in a terminal: colour conventions (NO_COLOR, FORCE_COLOR,
TERM=dumb, a real pseudo-terminal), UTF-8 output whatever the locale, carets
that never point at the wrong place in right-to-left copy, no raw newlines or
control characters from a checked file, progress on a terminal only, and every
usage error on one line."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from promiselint.core.findings import FileResult, Finding
from promiselint.report import github, text

EXE = [sys.executable, "-m", "promiselint.cli"]
ESC = "\x1b"
BASE_ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "CLICOLOR")}


def run(*args, env=None, cwd=None):
    return subprocess.run(EXE + list(args), capture_output=True, cwd=cwd, env={**BASE_ENV, **(env or {})})


def run_in_pty(*args, env=None, cwd=None) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a pseudo-terminal; (exit code, all output)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(EXE + list(args), stdin=follower, stdout=follower, stderr=follower, cwd=cwd,
                            env={**BASE_ENV, "TERM": "xterm-256color", **(env or {})}, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("The fastest kettle.\n\nمتجرنا الأرخص في المملكة\n", encoding="utf-8")
    return p


# -- colour -----------------------------------------------------------------------------

@pytest.mark.parametrize("env,flag,coloured", [
    ({}, None, False),                                   # a pipe: plain
    ({"FORCE_COLOR": "1"}, None, True),
    ({"FORCE_COLOR": ""}, None, False),                  # set but empty means unset
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, None, False),  # NO_COLOR wins
    ({"NO_COLOR": "1"}, "--color", True),                # the flag wins over everything
    ({"FORCE_COLOR": "1"}, "--no-color", False),
])
def test_colour_on_a_pipe(page, env, flag, coloured):
    proc = run("check", str(page), *([flag] if flag else []), env=env)
    assert proc.returncode == 1
    assert (ESC in proc.stdout.decode()) is coloured


@pytest.mark.parametrize("env,coloured", [
    ({}, True),
    ({"NO_COLOR": "1"}, False),
    ({"TERM": "dumb"}, False),
    ({"TERM": "dumb", "FORCE_COLOR": "1"}, True),
])
def test_colour_on_a_terminal(page, env, coloured):
    code, out = run_in_pty("check", "--quiet", str(page), env=env)
    assert code == 1 and "fastest" in out
    assert ("\x1b[31m" in out) is coloured, out


# -- encoding -----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "codequality"])
def test_utf8_output_whatever_the_locale(page, fmt):
    env = {"PYTHONIOENCODING": "cp1252", "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    proc = run("check", "--format", fmt, str(page), env=env)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and "Traceback" not in err, err
    out = proc.stdout.decode("utf-8")  # strict: the bytes are UTF-8
    assert "الأرخص" in out
    if fmt in ("json", "sarif", "codequality"):
        json.loads(out)


def test_errors_are_utf8_too(tmp_path):
    proc = run("check", str(tmp_path / "ملف.txt"), env={"PYTHONIOENCODING": "cp1252", "LC_ALL": "C"})
    assert proc.returncode == 2
    assert "ملف.txt" in proc.stderr.decode("utf-8")


# -- right-to-left copy: quoted, never carets --------------------------------------------

def _marker_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip().startswith("│")]


@pytest.mark.parametrize("name,content,span", [
    ("p.html", "<p>سریع‌ترین ارسال در کل کشور</p>\n", "سریع‌ترین"),
    ("p.md", "---\ntitle: x\ndescription: أفضل متجر في مصر\n---\n\nHello.\n", "أفضل"),
    ("p.txt", "متجرنا الأرخص في المملكة\n", "الأرخص"),
    ("q.txt", "«قهوة» The fastest kettle.\n", "fastest"),  # a Latin span on a line with Arabic
])
def test_rtl_lines_get_the_span_quoted_not_carets(tmp_path, name, content, span):
    (tmp_path / name).write_text(content, encoding="utf-8")
    out = run("check", "--no-color", "--select", "superlative", str(tmp_path / name)).stdout.decode()
    markers = _marker_lines(out)
    assert f"» {span}" in out, out
    assert not any("^" in line for line in markers), out


def test_carets_sit_under_the_span_on_ltr_lines(tmp_path):
    src = "\tOur «new» kettle: the fastest one.\n"
    (tmp_path / "a.txt").write_text(src, encoding="utf-8")
    out = run("check", "--no-color", str(tmp_path / "a.txt")).stdout.decode()
    shown, carets = [line for line in _marker_lines(out)][:2]
    start = carets.index("^")
    assert shown[start:start + len("fastest")] == "fastest"
    assert carets.count("^") == len("fastest")


# -- one line per message; nothing raw from the file ------------------------------------

def test_a_span_across_a_line_break_stays_on_one_line(tmp_path):
    (tmp_path / "a.txt").write_text("Free\nshipping on everything!\n", encoding="utf-8")
    rep = json.loads(run("check", "--format", "json", str(tmp_path / "a.txt")).stdout)
    [f] = rep["files"][0]["findings"]
    assert f["text"] == "Free\nshipping" and f["line"] == 1 and f["end_line"] == 2
    assert "“Free shipping”" in f["message"] and "\n" not in f["message"]  # JSON (and the service) too
    gh = run("check", "--format", "github", str(tmp_path / "a.txt")).stdout.decode()
    assert len(gh.strip().splitlines()) == 1 and "%0A" not in gh and "“Free shipping”" in gh
    out = run("check", "--no-color", str(tmp_path / "a.txt")).stdout.decode()
    [message] = [line for line in out.splitlines() if "promise.free" in line]
    assert "“Free shipping”" in message
    assert "» Free shipping" in out


def test_reporters_make_messages_one_line():
    f = Finding("promise.free", "promise", "error", "“Free\r\nshipping” needs terms:\nsay where", 0, 13,
                "Free\r\nshipping", "en", "say\nwhere", 1, 1, 2, 9)
    r = FileResult("a.txt", "en", [f], "Free\r\nshipping\n")
    gh = github.render([r])
    assert gh.count("\n") == 1 and "%0A" not in gh and "%0D" not in gh
    t = text.render([r])
    assert "“Free shipping” needs terms: say where" in t


def test_control_characters_from_the_file_are_shown_not_sent(tmp_path):
    hostile = "The fast\u202eest kettle \x1b]0;pwned\x07 here.\x1b[2K\x1b[1A \x9b31m \u2066x\u2069\n"
    (tmp_path / "a.txt").write_text(hostile, encoding="utf-8")
    for env in ({}, {"FORCE_COLOR": "1"}):
        out = run("check", str(tmp_path / "a.txt"), env=env).stdout.decode()
        assert "fast<U+202E>est" in out and "␛]0;pwned␇" in out and "␛[2K" in out and "\\x9b31m" in out
        for raw in ("\x07", "\x9b", "\u202e", "\u2066", "\u2069", "\x1b]", "\x1b[2K", "\x1b[1A"):
            assert raw not in out, repr(raw)
    gh = run("check", "--format", "github", str(tmp_path / "a.txt")).stdout.decode()
    assert "\u202e" not in gh and ESC not in gh


def test_hostile_file_name_is_shown_visibly(tmp_path):
    name = tmp_path / "a\x1b[2Jb.txt"
    name.write_text("The fastest kettle.\n", encoding="utf-8")
    out = run("check", str(name)).stdout.decode()
    assert "a␛[2Jb.txt" in out and ESC not in out


# -- progress -------------------------------------------------------------------------------

def test_progress_on_a_terminal_only(page):
    code, out = run_in_pty("check", str(page))
    assert code == 1 and "promiselint: checking…" in out
    proc = run("check", str(page))
    assert "checking" not in proc.stderr.decode() and "checking" not in proc.stdout.decode()
    code, out = run_in_pty("check", "--quiet", str(page))
    assert code == 1 and "checking" not in out


# -- usage errors: one line -------------------------------------------------------------------

@pytest.mark.parametrize("args,needle", [
    (["check", "--format", "xml", "."], "Invalid value for '--format'"),
    (["check", "--jobs", "0", "."], "Invalid value for '--jobs'"),
    (["check", "--selct", "x", "."], "No such option"),
    (["chek", "."], "No such command 'chek'"),
    (["check", "--select"], "requires an argument"),
    (["explain"], "Missing argument"),
    (["explain", "superlative.unverifed"], "did you mean 'superlative.unverified'"),
    (["check", "--select", "superlativ", "."], "did you mean 'superlative'"),
    (["check", "--statistics", "--format", "sarif", "."], "--statistics"),
])
def test_usage_errors_are_one_line(tmp_path, args, needle):
    proc = run(*args, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("promiselint: error: "), err
    assert needle in err and "Traceback" not in err and "Usage:" not in err
