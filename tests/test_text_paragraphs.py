"""Plain-text paragraphs (formats/text.py): the same blocks as the blank-line
definition, in memory that does not grow per character of a long line."""
from __future__ import annotations

import random
import re
import tracemalloc

from promiselint.formats.text import paragraphs

# the definition: a non-space, then any character but a line end, or a line end not
# followed by a blank line (the first version's pattern, whose re state grew per character)
DEFINITION = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")


def test_paragraphs_are_the_definitions_runs():
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(["a", " ", "\n", "\t", "\r", "b c", "\n\n", " \n", "\n \t\n"])
                       for _ in range(rng.randint(0, 40)))
        want = [(m.start(), m.group().rstrip()) for m in DEFINITION.finditer(text)]
        assert [(b.text.source_span(0, 0)[0], b.text.text) for b in paragraphs(text)] == want, repr(text)


def test_a_long_line_is_split_in_small_memory():
    text = "soft cotton shirt with long sleeves " * 30_000  # ~1 MB, one line
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        (block,) = paragraphs(text)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert block.text.text == text.rstrip()
    assert peak < 3 * len(text), f"{peak / len(text):.1f} bytes per character"
