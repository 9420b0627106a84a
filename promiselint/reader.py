"""Read bytes into text: BOMs, UTF-8, UTF-16 and legacy Arabic code pages."""
from __future__ import annotations

import codecs
from pathlib import Path

from .errors import SkipFile, UsageError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_path(path: Path) -> tuple[str, str]:
    """Text and encoding name of a file; UsageError if unreadable."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory")
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}")
    return decode(data, str(path))


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode bytes: BOM first, then UTF-16 without BOM, UTF-8, then detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], enc, name), enc
    enc = _utf16_without_bom(data)
    if enc:
        return _strict(data, enc, name), enc
    if b"\x00" in data:
        raise SkipFile(f"{name}: binary file skipped")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has few distinct high bytes (0x00 for Latin, 0x06 for Arabic)."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        top = sorted((high.count(b) for b in set(high)), reverse=True)[:3]
        if sum(top) >= 0.95 * len(high) and (0 in high or 6 in high):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if not _binary_like(text):
                return enc
    return None


def _strict(data: bytes, enc: str, name: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise UsageError(f"{name}: not valid {enc} at byte {e.start}")


def _detect(data: bytes, name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1256", "iso8859_6", "cp1252", "latin_1"]).best()
    if best is None or _binary_like(str(best)):
        raise SkipFile(f"{name}: binary file skipped")
    return str(best), best.encoding


def _binary_like(text: str) -> bool:
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f")
    return controls > 0.05 * max(1, min(len(text), 4096))
