"""Plain text: one block per paragraph (blank-line separated)."""
from __future__ import annotations

import re

from promiselint.core.document import Block, Document
from promiselint.core.sourcemap import Mapped

_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")


def paragraphs(text: str, base: int = 0, role: str = "paragraph") -> list[Block]:
    return [Block(Mapped.identity(m.group().rstrip(), base + m.start()), role)
            for m in _PARAGRAPH.finditer(text)]


def parse_text(text: str, path: str) -> Document:
    return Document(path, text, "txt", paragraphs(text))
