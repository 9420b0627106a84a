"""`promiselint text FILE`: print exactly the text promiselint checks in a file."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from promiselint.core.errors import SkipFile, UsageError
from promiselint.formats import CONTAINER_FORMATS, FORMATS, format_for, parse_bytes


@click.command("text")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--input-format", type=click.Choice(FORMATS), default=None,
              help="Read the file as this format.")
def text_cmd(path, input_format):
    """Print the text that `check` reads in PATH, byte for byte (UTF-8).

    For a .docx or .odt draft: its paragraphs, one per line, so a finding's
    line is its paragraph number and its offsets point into this text.  For
    other files: the decoded file text.
    """
    from promiselint.formats.office import InvalidDraft, read_draft
    from promiselint.read.reader import read_path

    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    fmt = input_format or format_for(str(path), "txt")
    try:
        if fmt in CONTAINER_FORMATS:
            text = parse_bytes(read_draft(path), fmt, str(path)).text
        else:
            text = read_path(path)[0]
    except (InvalidDraft, SkipFile) as e:
        raise UsageError(f"{path}: {e}" if not str(e).startswith(str(path)) else str(e))
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
    sys.stdout.buffer.flush()
