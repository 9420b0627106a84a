"""Reading, decoding and YAML limits (issue 9), in-process: the details behind the
bad-input table in test_bad_input.py."""
from __future__ import annotations

import codecs
import os

import pytest
import yaml

from promiselint.core.errors import SkipFile
from promiselint.read.reader import TooLarge, decode_bytes, read_bytes
from promiselint.core.yamlload import YAMLLimitError, parse_yaml

AR = "متجرنا الأرخص في المملكة 😀 ﻻ"


@pytest.mark.parametrize("data, encoding, notice", [
    (AR.encode("utf-16-le"), "utf-16-le", None),
    (AR.encode("utf-16-be"), "utf-16-be", None),
    (AR.encode("utf-16-le")[:-1], "utf-16-le", "at byte"),  # cut inside a code unit
    (codecs.BOM_UTF16_LE + AR.encode("utf-16-le")[:-3], "utf-16-le", "at byte"),
    (AR.encode()[:-1], "utf-8", "at byte"),
    (AR.encode()[:4] + b"\xff" + AR.encode()[4:], "utf-8", "at byte 4"),
    ("متجرنا الأرخص في المملكة".encode("cp1256"), "windows-1256", None),
])
def test_text_is_decoded_not_dropped(data, encoding, notice):
    text, enc, note = decode_bytes(data, "x")
    assert enc.replace("cp", "windows-") == encoding
    assert "الأرخص" in text
    assert (note is None) if notice is None else (notice in note)


def test_only_binary_is_skipped():
    for data in (bytes(range(256)) * 4, b"\x00\x01" * 100, b"PK\x03\x04\x00\x00" * 50):
        with pytest.raises(SkipFile):
            decode_bytes(data, "x")


def test_fifo_is_not_read_and_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "x.txt")
    with pytest.raises(SkipFile, match="FIFO"):
        read_bytes(tmp_path / "x.txt")  # no writer: a blocking open would hang here


def test_size_cap_and_devices(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x" * 101)
    with pytest.raises(TooLarge):
        read_bytes(tmp_path / "a.txt", 100)
    assert read_bytes(tmp_path / "a.txt", None) == b"x" * 101
    with pytest.raises(SkipFile, match="device"):
        read_bytes("/dev/zero")


def test_alias_expansion_limit(monkeypatch):
    doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
          "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"  # about 1,100 nodes added by aliases
    assert len(parse_yaml(doc)["c"]) == 10
    monkeypatch.setenv("PROMISELINT_MAX_ALIAS_NODES", "500")
    with pytest.raises(YAMLLimitError, match="beyond 500 nodes"):
        parse_yaml(doc)
    with pytest.raises(YAMLLimitError, match="contains it"):
        parse_yaml("a: &a [1, *a]\n")
    assert isinstance(YAMLLimitError("x"), yaml.YAMLError)  # callers catching YAML errors catch it
    # the check is skipped only when no anchor can stand in the text: every place one can is seen
    flow = '{"a":&a [x, x, x, x, x, x, x, x, x, x], "b":&b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], ' \
           '"c": [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]}'
    for bomb in (flow, doc.replace(": &", ":\t&"), "- &a [x, x, x, x, x, x, x, x, x, x]\n"
                 "- &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n- [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"):
        with pytest.raises(YAMLLimitError, match="beyond 500 nodes"):
            parse_yaml(bomb)
    assert parse_yaml("k: T&Cs apply, R&D & more\n") == {"k": "T&Cs apply, R&D & more"}


def test_json_depth_and_lone_surrogates():
    from promiselint.formats.jsonfile import MAX_DEPTH, decode_string, load_json

    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    with pytest.raises(ValueError, match="nested deeper"):
        load_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert load_json('["[[[[", "{{{{"]') == ["[[[[", "{{{{"]  # brackets in strings do not count
    mapped = decode_string('"a\\udbff\\uffffb\\ud83d\\ude00"', 0)
    assert mapped.text == "a\ufffd\uffffb\U0001f600"
    assert mapped.text.encode("utf-8")  # printable: no lone surrogate left


def test_input_findings_are_errors_and_can_be_relaxed(tmp_path, monkeypatch):
    from pathlib import Path

    from promiselint.project import api

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".promiselint.yaml").write_text("max_file_bytes: 10\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("The fastest charger.", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")

    def found(**kw):
        results, _ = api.run_check([Path(".")], use_cache=False, **kw)
        return {(Path(r.path).name, f.rule, f.severity) for r in results for f in r.findings}

    assert found() == {("big.txt", "input.too-large", "error"), ("bad.json", "input.invalid", "error")}
    assert found(select=["promise"]) == found()  # a file that was not read is news whatever is selected
    assert found(ignore=["input.too-large"]) == {("bad.json", "input.invalid", "error")}
    (tmp_path / ".promiselint.yaml").write_text("max_file_bytes: 10\nrules: {input.too-large: warning}\n")
    assert ("big.txt", "input.too-large", "warning") in found()


def test_unclosed_comment_inside_one_json_string_does_not_reject_the_file():
    import promiselint

    text = '{"note": "<b>x</b> <!-- never closed", "description": "The fastest charger in town."}'
    result = promiselint.check_text(text, format="json")
    assert [(f.rule, f.text) for f in result.findings] == [("superlative.unverified", "fastest")]
