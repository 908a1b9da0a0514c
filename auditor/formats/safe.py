"""What an output format's reader would execute or choke on, made harmless.

Text from a report (a title, a path, a cell) can hold control characters (Word's cell marks
survive in crawled text; a zip member's name can hold a newline) and can start like a formula.
A terminal runs escape sequences, a line-based tool splits a name with a newline in it, Excel
refuses a workbook with a C0 control character and runs a cell that starts with ``=`` — so:

- ``one_line`` escapes every control character (``\\n`` as the two characters ``\\n``…): for text
  output, one finding per line;
- ``spreadsheet`` escapes the control characters an XLSX file may not hold and neutralises a
  cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return by a leading
  apostrophe (OWASP's rule for CSV injection), for CSV and XLSX alike.

JSON, SARIF and HTML escape on their own (``json.dumps``, ``html.escape``).
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f\x80-\x9f]")
_SHEET_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group(), f"\\x{ord(match.group()):02x}")


def one_line(text: str) -> str:
    """``text`` with every control character escaped: safe on one line of a terminal."""
    return _CONTROL.sub(_escape, text)


def spreadsheet(value: Any) -> Any:
    """A cell value safe for CSV and XLSX: numbers as they are; text with its control
    characters escaped and, when it would start a formula, an apostrophe in front."""
    if not isinstance(value, str):
        return value
    value = _SHEET_ILLEGAL.sub(_escape, value)
    return "'" + value if value.startswith(_FORMULA_START) else value
