"""Reader for plain-text and Markdown reports whose tables are tab- or space-separated grids
(as reports pasted from a web page or a word processor look) or Markdown pipe tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.hookspecs import hookimpl
from auditor.model import Position, Report
from auditor.read.decode import decode_text
from auditor.read.document import Block, Break, Heading, TextLine, build_report
from auditor.read.grid import GridCell, GridRow, parse_value

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_WIDE_GAP = re.compile(r" {2,}|\u3000{1,}")
_PLAIN_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\S")


def _split(line: str, separator: re.Pattern[str] | str, lineno: int) -> GridRow:
    """Cells of ``line`` split at ``separator``, each with its 1-based column."""
    cells, start = [], 0
    pattern = re.compile(separator) if isinstance(separator, str) else separator
    for match in pattern.finditer(line):
        cells.append(_cell(line, start, match.start(), lineno))
        start = match.end()
    cells.append(_cell(line, start, len(line), lineno))
    return GridRow(tuple(cells))


def _cell(line: str, start: int, end: int, lineno: int) -> GridCell:
    raw = line[start:end]
    lead = len(raw) - len(raw.lstrip())
    return GridCell(raw.strip(), Position(lineno, start + lead + 1))


def _grid_row(line: str, lineno: int) -> GridRow | None:
    """The line as a table row, or None when it is running text."""
    if "\t" in line:
        return _split(line, "\t", lineno)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        end = line.rindex("|") if stripped.endswith("|") else len(line)
        return GridRow(_split(line[:end], r"\|", lineno).cells[1:])
    fields = [f for f in _WIDE_GAP.split(stripped) if f]
    if len(fields) >= 3 and any(parse_value(f)[1] == "number" for f in fields):
        return _split(line, _WIDE_GAP, lineno)
    words = stripped.split()
    if len(words) >= 3 and all(parse_value(w)[1] in ("number", "non_number") for w in words):
        return _split(line, r"\s+", lineno)
    return None


def text_blocks(text: str) -> Iterator[Block]:
    """Blocks of a text or Markdown report, in order, with 1-based line/column positions."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            yield Break()
            continue
        if _PIPE_SEPARATOR.match(line) and "-" in line and "|" in line:
            continue
        heading = _MARKDOWN_HEADING.match(line)
        if heading:
            column = line.index(heading.group(2)) + 1 if heading.group(2) else 1
            yield Heading(heading.group(2), Position(lineno, column), len(heading.group(1)))
            continue
        row = _grid_row(line, lineno)
        if row is not None:
            yield row
            continue
        column = len(line) - len(line.lstrip()) + 1
        content = line.strip()
        if _PLAIN_HEADING.match(content) and len(content) <= 40 and not content.endswith("。"):
            yield Heading(content, Position(lineno, column))
        else:
            yield TextLine(content, Position(lineno, column))


@hookimpl(trylast=True)
def auditor_read(path: str, data: bytes) -> Report:
    """Read any file as a text report: the fallback reader (binary data is a ``ReportReadError``)."""
    return build_report(path, text_blocks(decode_text(data, path)))


@hookimpl
def auditor_file_suffixes() -> tuple[str, ...]:
    """Text and Markdown reports."""
    return TEXT_SUFFIXES
