"""Reader for plain-text and Markdown reports whose tables are tab- or space-separated grids
(as reports pasted from a web page or a word processor look) or Markdown pipe tables."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from auditor.hookspecs import hookimpl
from auditor.model import GridRef, Position, Report
from auditor.read.decode import decode_text
from auditor.read.document import CRAWL_HEADER_END, Block, Break, Heading, TextLine, build_report
from auditor.read.flattened import FlatTables, looks_flattened, prose_spans, table_region
from auditor.read.grid import GridCell, GridRow, parse_value
from auditor.template import load_template

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

# Patterns over a line of the input: none nests quantifiers over the same characters, so none
# backtracks more than linearly; what such a pattern would do is done in code (``_heading``).
_MARKDOWN_HEADING = re.compile(r"(#{1,6})\s")  # used with match()
_SEPARATOR_CELL = re.compile(r":?-{2,}:?")
_WIDE_GAP = re.compile(r" {2,}|\u3000{1,}")
_PAGE_FOOTER = re.compile(r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_VALUE = re.compile(r"[\d０-９.,]+")
_PLAIN_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\S")


def _pipe_separator(line: str) -> bool:
    """True for a Markdown table's separator line ("|---|:--:|")."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return "|" in line and bool(cells) and all(_SEPARATOR_CELL.fullmatch(c) for c in cells)


def _ends_in_values(text: str) -> bool:
    """True when a line ends in two values or more ("二、上年结转… 7 5 6 4 2 3 27"): a row, not a heading."""
    words = text.split()
    return len(words) >= 3 and all(_VALUE.fullmatch(w) for w in words[-2:])


def _split(line: str, separator: str, lineno: int, page: int | None) -> list[GridCell]:
    """Cells of ``line`` split at the regex ``separator``, each with its 1-based column."""
    cells, start = [], 0
    for match in re.finditer(separator, line):
        cells.append(_cell(line, start, match.start(), lineno, page))
        start = match.end()
    cells.append(_cell(line, start, len(line), lineno, page))
    return cells


def _cell(line: str, start: int, end: int, lineno: int, page: int | None) -> GridCell:
    raw = line[start:end]
    lead = len(raw) - len(raw.lstrip())
    return GridCell(raw.strip(), Position(lineno, start + lead + 1, page))


def _grid_cells(line: str, lineno: int, page: int | None) -> list[GridCell] | None:
    """The line's cells when it is a table row, or None when it is running text."""
    if "\t" in line:
        return _split(line, "\t", lineno, page)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        end = line.rindex("|") if stripped.endswith("|") else len(line)
        return _split(line[:end], r"\|", lineno, page)[1:]
    fields = [f for f in _WIDE_GAP.split(stripped) if f]
    if len(fields) >= 3 and any(parse_value(f)[1] == "number" for f in fields):
        return _split(line, _WIDE_GAP.pattern, lineno, page)
    words = stripped.split()
    if len(words) >= 3 and all(parse_value(w)[1] in ("number", "non_number") for w in words):
        return _split(line, r"\s+", lineno, page)
    return None


def _section_pattern() -> re.Pattern[str]:
    titles = load_template().sections
    return re.compile(r"[一二三四五六七八九十]、\s*(?:" + "|".join(map(re.escape, titles)) + ")")


def _flattened_blocks(line: str, lineno: int, page: int | None) -> Iterator[Block]:
    """A crawler's one-line page: narrative cut at the section headings, the tables as
    ``FlatTables`` blocks (see ``auditor.read.flattened``), and the prose that stands between
    the tables ("(二)主动公开政府信息的主要类别…") as narrative again."""
    start, end = table_region(line) or (len(line), len(line))
    yield from _narrative_pieces(line, 0, start, lineno, page)
    at = start
    for prose_start, prose_end in prose_spans(line, start, end):
        if prose_start > at:
            yield FlatTables(line[at:prose_start], Position(lineno, at + 1, page))
        yield TextLine(line[prose_start:prose_end], Position(lineno, prose_start + 1, page))
        yield Break()
        at = prose_end
    if end > at:
        yield FlatTables(line[at:end], Position(lineno, at + 1, page))
    yield from _narrative_pieces(line, end, len(line), lineno, page)


def _narrative_pieces(line: str, start: int, end: int, lineno: int, page: int | None) -> Iterator[Block]:
    at = start
    for match in _section_pattern().finditer(line, start, end):
        if line[at : match.start()].strip():
            yield TextLine(line[at : match.start()].strip(), Position(lineno, at + 1, page))
            yield Break()
        yield Heading(match.group(), Position(lineno, match.start() + 1, page))
        at = match.end()
    if line[at:end].strip():
        lead = len(line[at:end]) - len(line[at:end].lstrip())
        yield TextLine(line[at:end].strip(), Position(lineno, at + lead + 1, page))
        yield Break()


def text_blocks(
    text: str, pages: Sequence[int | None] | None = None, covered: Mapping[int, tuple[bool, ...]] | None = None
) -> Iterator[Block]:
    """Blocks of a text or Markdown report, in order, with 1-based line/column positions.

    ``pages`` gives the page of each line (for text extracted from a PDF); ``covered`` marks,
    by 0-based line, the cells of a table row that are the extra columns of a column span (see
    ``auditor.read.rendition.Rendition``). Consecutive table rows form one table; cells get
    their table/row/column (``GridRef``).
    """
    table, row_number, in_table = 0, 0, False
    for lineno, line in enumerate(text.splitlines(), start=1):
        page = pages[lineno - 1] if pages and lineno <= len(pages) else None
        if not line.strip() or _PAGE_FOOTER.match(line) or CRAWL_HEADER_END.match(line):
            in_table = False
            yield Break()
            continue
        if _pipe_separator(line):
            continue
        heading = _MARKDOWN_HEADING.match(line)
        if heading:
            in_table = False
            words = line[heading.end() :].strip().rstrip("#").rstrip()
            column = line.index(words, heading.end()) + 1 if words else 1
            yield Heading(words, Position(lineno, column, page), len(heading.group(1)))
            continue
        cells = _grid_cells(line, lineno, page)
        if cells is not None:
            if not in_table:
                table, row_number, in_table = table + 1, 0, True
            row_number += 1
            mask = covered.get(lineno - 1, ()) if covered else ()
            yield GridRow(tuple(
                GridCell(c.text, c.position, GridRef(table, row_number, i), covered=i <= len(mask) and mask[i - 1])
                for i, c in enumerate(cells, 1)
            ))
            continue
        in_table = False
        yield from paragraph_blocks(line, lineno, page)


def paragraph_blocks(line: str, lineno: int, page: int | None = None) -> Iterator[Block]:
    """The blocks of one line of running text (1-based ``lineno``): a numbered heading
    ("一、总体情况", "（二）…", short, no full stop, not ending in values), a crawler's one-line page
    cut into narrative and ``FlatTables``, or a line of text. What the rich readers use for a
    paragraph their format states as one (HTML ``<p>``, a DOCX paragraph): no Markdown, no table
    row guessed from spaces, no page footer."""
    if looks_flattened(line):
        yield from _flattened_blocks(line, lineno, page)
        return
    column = len(line) - len(line.lstrip()) + 1
    content = line.strip()
    if _PLAIN_HEADING.match(content) and len(content) <= 40 and not content.endswith("。") and not _ends_in_values(content):
        yield Heading(content, Position(lineno, column, page))
    else:
        yield TextLine(content, Position(lineno, column, page))


@hookimpl(trylast=True)
def auditor_read(path: str, data: bytes) -> Report:
    """Read any file as a text report: the fallback reader (binary data is a ``ReportReadError``)."""
    text = decode_text(data, path)
    return build_report(path, text_blocks(text), text)


@hookimpl
def auditor_file_suffixes() -> tuple[str, ...]:
    """Text and Markdown reports."""
    return TEXT_SUFFIXES
