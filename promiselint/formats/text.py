"""Plain text: one block per paragraph (blank-line separated)."""
from __future__ import annotations

from promiselint.core.document import Block, Document
from promiselint.core.lazyre import lazy_compile
from promiselint.core.sourcemap import Mapped

# a run of lines with no blank line between them; each line is one repeat of a
# character class (re keeps no backtracking state per character: a 2 MB line
# once took 120 MB as `\S(?:.|\n(?![ \t]*\n))*`)
_PARAGRAPH = lazy_compile(r"\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*")


def paragraphs(text: str, base: int = 0, role: str = "paragraph") -> list[Block]:
    return [Block(Mapped.identity(m.group().rstrip(), base + m.start()), role)
            for m in _PARAGRAPH.finditer(text)]


def parse_text(text: str, path: str) -> Document:
    return Document(path, text, "txt", paragraphs(text))
