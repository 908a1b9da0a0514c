"""Bytes to text: UTF-8 or GB18030/GBK (and what else the bytes say), detected, never guessed
from the file name."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from auditor.i18n import Message
from auditor.errors import ReportReadError

_CHINESE_LEGACY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, path: str) -> str:
    """Decode a text report's bytes.

    A BOM decides; else strict UTF-8; else charset-normalizer's best guess, with any GB family
    guess read as GB18030 (the superset). Raises ``ReportReadError`` for binary data (NUL bytes,
    no plausible text encoding) and for an empty file.
    """
    if not data.strip():
        raise ReportReadError(path, Message("empty file"))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise ReportReadError(path, Message("binary data (NUL bytes), not a text report"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise ReportReadError(path, Message("binary data or unknown text encoding, not a text report"))
    encoding = best.encoding.replace("_", "").lower()
    if encoding in _CHINESE_LEGACY:
        return data.decode("gb18030", errors="replace")
    return str(best)
