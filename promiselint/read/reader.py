"""Read bytes into text: BOMs, UTF-8, UTF-16 and legacy Arabic code pages.

Reading never blocks and never reads more than the size cap: a file is opened
without following a final symlink and without waiting (O_NONBLOCK), and only
a regular file is read.  Decoding never drops a file that holds text: bytes
that are not valid in the detected encoding become U+FFFD, with a notice that
names the first bad byte's offset.  Only data with NUL bytes or many control
characters is "binary" and skipped.
"""
from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import NamedTuple

from promiselint.core.errors import SkipFile, UnreadableFile

DEFAULT_MAX_BYTES = 10_000_000
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# high bytes of UTF-16 code units in storefront copy: Latin and Latin-1, Arabic,
# general punctuation (ZWNJ, RLM, dashes, quotes), letterlike symbols and arrows,
# surrogates (emoji), Arabic presentation forms
_UTF16_HIGH = frozenset({0x00, 0x01, 0x02, 0x06, 0x20, 0x21, *range(0xD8, 0xE0), *range(0xFB, 0xFF)})


class Decoded(NamedTuple):
    text: str
    encoding: str
    notice: str | None = None  # e.g. bytes replaced, with the first bad offset


class TooLarge(Exception):
    """A file over the size cap: skipped with an `input.too-large` finding."""

    def __init__(self, message: str, size: int):
        super().__init__(message)
        self.size = size


def kind_of(mode: int) -> str:
    """A file type's name for messages (fifo, socket, device...)."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `max_bytes`.

    SkipFile for anything but a regular file (FIFOs and devices are never read:
    the open does not wait and the type is checked before reading), TooLarge
    over the cap, UnreadableFile when the system refuses."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise SkipFile(f"{path}: is a directory")
    except OSError as e:
        raise UnreadableFile(f"{path}: {e.strerror or e}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile(f"{path}: {kind_of(st.st_mode)}, not read")
        if max_bytes is not None and st.st_size > max_bytes:
            raise TooLarge(f"{path}: {st.st_size} bytes, over the {max_bytes}-byte limit", st.st_size)
        chunks, total = [], 0
        want = st.st_size + 1
        while True:  # one read of the whole file, as a rule: b"".join then copies nothing
            chunk = os.read(fd, max(want, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:  # grew while reading
                raise TooLarge(f"{path}: over the {max_bytes}-byte limit", total)
        return b"".join(chunks)
    except OSError as e:
        raise UnreadableFile(f"{path}: {e.strerror or e}")
    finally:
        os.close(fd)


def read_path(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Text and encoding name of a file (see read_bytes for the errors)."""
    text, encoding, _ = decode_bytes(read_bytes(path, max_bytes), str(path))
    return text, encoding


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Text and encoding name of `data` (see decode_bytes)."""
    text, encoding, _ = decode_bytes(data, name)
    return text, encoding


def decode_bytes(data: bytes, name: str = "<input>") -> Decoded:
    """Decode bytes: BOM first, then UTF-16 without BOM, UTF-8, then detection.

    SkipFile only for binary data; invalid bytes are replaced, with a notice."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _lenient(data[len(bom):], enc, name, len(bom))
    enc = _utf16_without_bom(data)
    if enc:
        return _lenient(data, enc, name)
    if b"\x00" in data:
        raise SkipFile(f"{name}: binary file skipped")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _lenient(data, "utf-8", name)
    return _detect(data, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has few distinct high bytes (0x00 for Latin, 0x06 for Arabic)."""
    if b"\x00" not in data and b"\x06" not in data:  # neither high byte: not UTF-16 (one C scan)
        return None
    sample = data[:8192]
    if len(sample) < 4:
        return None
    whole = data[:len(data) - len(data) % 2]  # a file cut in the middle of a code unit
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        plausible = sum(high.count(b) for b in set(high) if b in _UTF16_HIGH)
        if plausible >= 0.95 * len(high) and (0 in high or 6 in high):
            text = whole.decode(enc, errors="replace")
            if text.count("\ufffd") <= 1 + len(text) // 100 and not _binary_like(text):
                return enc
    return None


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes (one corrupted byte, a file cut mid-character),
    as opposed to a legacy code page, where most high bytes are invalid UTF-8."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - replaced  # valid non-ASCII characters
    return good > 0 and (replaced - data.count(b"\xef\xbf\xbd")) * 20 <= good


def _lenient(data: bytes, enc: str, name: str, skipped: int = 0) -> Decoded:
    """Decode, replacing invalid bytes; the notice names the first bad byte."""
    try:
        return Decoded(data.decode(enc), enc)
    except UnicodeDecodeError as e:
        first = e.start + skipped
    text = data.decode(enc, errors="replace")
    return Decoded(text, enc, f"{name}: invalid {enc} at byte {first}; undecodable bytes shown as U+FFFD")


def _detect(data: bytes, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1256", "iso8859_6", "cp1252", "latin_1"]).best()
    if best is not None and not _binary_like(str(best)):
        return Decoded(str(best), best.encoding)
    text = data.decode("utf-8", errors="replace")
    if _binary_like(text):
        raise SkipFile(f"{name}: binary file skipped")
    return _lenient(data, "utf-8", name)


def _binary_like(text: str) -> bool:
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f")
    return controls > 0.05 * max(1, min(len(text), 4096))
