"""The extracted text of a report in a rich format (HTML, DOCX, PDF), and its blocks.

Readers of rich formats render the report as text — one line per paragraph or heading (a
heading as a Markdown heading line), one line per table row with its cells separated by tabs
(spans expanded) — and, as they write each line, the block it is (``blocks``: a heading, a
paragraph's line, a paragraph break, a table row with its cells): the structure the format states
is kept as stated, never parsed back from the text ("# 说明…" in a ``<p>`` is text, not a heading;
"2021 2022 2023" is text, not a table row; "1/2" is text, not a page footer). Every position
(line, column; page for PDF) points into the extracted text, which ``auditor parse --format text``
prints, so every format yields the same model.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from auditor.i18n import Message
from auditor.model import GridRef, Position, Problem
from auditor.read.document import Block, Break, Heading
from auditor.read.grid import GridCell, GridRow, parse_value
from auditor.read.text import paragraph_blocks

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_CJK_BREAK = re.compile(rf"(?<={_CJK})\s+(?={_CJK})|(?<={_CJK})\s+(?=[\d（(])|(?<=[\d）)])\s+(?={_CJK})")


def clean_cell(text: str) -> str:
    """A cell's text on one line: line breaks inside Chinese text removed ("结果\\n维持" is
    结果维持), other runs of whitespace (&nbsp; included) made one space, no tabs."""
    text = text.replace("\t", " ")
    text = re.sub(rf"(?<={_CJK})\s*\n\s*(?={_CJK})", "", text)
    return _SPACES.sub(" ", text).strip()


def clean_line(text: str) -> str:
    """A paragraph's text on one line (whitespace runs made one space)."""
    return _SPACES.sub(" ", text.replace("\t", " ")).strip()


@dataclass
class Rendition:
    """Extracted text being built: lines, the page of each line (None outside PDF), and for a
    table row with column spans, which of its cells are the extra columns of a span
    (``covered``, by 0-based line index): blank in the text, but no cell of their own; ``notes``
    on how the source was read (a reader's problems, reported with the report's)."""

    lines: list[str] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    covered: dict[int, tuple[bool, ...]] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    cells: int = 0  # table cells added so far (bounded by MAX_DOCUMENT_CELLS)
    chars: int = 0  # characters of the text so far (a reader may stop past a report's length)
    blocks: list[Block] = field(default_factory=list)  # what each line is, as the format states it
    tables: int = 0  # tables begun so far (a GridRef's table number)
    _row: int = 0  # rows of the current table
    _in_table: bool = False

    def line(self, text: str, page: int | None = None) -> None:
        """Add a paragraph line (skipped when empty): a numbered heading, a crawler's one-line
        page or a line of text (``auditor.read.text.paragraph_blocks``)."""
        text = clean_line(text)
        if text:
            self.lines.append(text)
            self.pages.append(page)
            self.chars += len(text) + 1
            self._in_table = False
            self.blocks.extend(paragraph_blocks(text, len(self.lines), page))

    def heading(self, text: str, level: int, page: int | None = None) -> None:
        """Add a heading as a Markdown heading line."""
        text = clean_line(text)
        if text:
            level = max(1, min(level, 6))
            self.lines.append("#" * level + " " + text)
            self.pages.append(page)
            self.chars += len(text) + level + 2
            self._in_table = False
            self.blocks.append(Heading(text, Position(len(self.lines), level + 2, page), level))

    def table(self, rows: Sequence[Sequence[str | None]], page: int | None = None) -> None:
        """Add a table: one tab-separated line per row, a blank line before and after. A None
        cell is the extra column of a column span (see ``covered``). Past ``MAX_DOCUMENT_CELLS``
        cells in all, tables are left out, with a note."""
        kept_rows, budget = [], self.cells_left
        for row in rows:
            if len(row) > budget:
                self.table_left_out()
                break
            kept_rows.append(row)
            budget -= len(row)
        rows = kept_rows
        self.cells += sum(len(row) for row in rows)
        masks = [tuple(c is None for c in row) for row in rows]
        cleaned = [[clean_cell(c or "") for c in row] for row in rows]
        kept = [(row, mask) for row, mask in zip(cleaned, masks) if any(row)]
        if not kept:
            return
        self.blank(page)
        for row, mask in kept:
            if sum(1 for c in row if c) == 1 and not any(parse_value(c)[1] == "number" for c in row):
                self.line(next(c for c in row if c), page)  # a one-cell row is a line of text
            else:
                if any(mask):
                    self.covered[len(self.lines)] = mask
                self.lines.append("\t".join(row) + ("\t" if len(row) == 1 else ""))
                self.pages.append(page)
                self.chars += len(self.lines[-1]) + 1
                self._grid_row(row, mask, page)
        self.blank(page)

    def _grid_row(self, row: list[str], mask: tuple[bool, ...], page: int | None) -> None:
        """The block of the table row just added as the last line: its cells where they start."""
        if not self._in_table:
            self.tables, self._row, self._in_table = self.tables + 1, 0, True
        self._row += 1
        lineno, at, cells = len(self.lines), 0, []
        for i, text in enumerate([*row, ""] if len(row) == 1 else row, start=1):
            cells.append(GridCell(text, Position(lineno, at + 1, page), GridRef(self.tables, self._row, i),
                                  covered=i <= len(mask) and mask[i - 1]))
            at += len(text) + 1
        self.blocks.append(GridRow(tuple(cells)))

    def table_left_out(self) -> None:
        """A table not built because the document's cells are spent (noted once)."""
        if not any(n.message.startswith(_TOO_MANY) for n in self.notes):
            self.notes.append(Problem(Message("the document holds more than {count} table cells: the tables after them are not read",
                                              count=MAX_DOCUMENT_CELLS), None))

    @property
    def cells_left(self) -> int:
        """How many more table cells this document may add."""
        return MAX_DOCUMENT_CELLS - self.cells

    def blank(self, page: int | None = None) -> None:
        """A paragraph break."""
        self._in_table = False
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.pages.append(page)
            self.blocks.append(Break())

    @property
    def text(self) -> str:
        """The extracted text."""
        return "\n".join(self.lines) + "\n"


MAX_COLUMNS = 64  # no template table is wider; a larger span is a page error
MAX_CELLS = 20000  # a grid larger than this is not a report table
MAX_DOCUMENT_CELLS = 50000  # all tables of one document; a real report has a few thousand (~4 s per 100 000 cells)
_TOO_MANY = "the document holds more than"


def is_layout_table(row_widths: Iterable[int], holds_tables: bool) -> bool:
    """Whether a table lays out a page rather than holding data, for the HTML and DOCX readers
    alike: it holds tables and no row has three cells or more (a data table may hold a small table
    in a cell; it stays a data table). ``row_widths``: the cells of each of its own rows."""
    return holds_tables and all(width <= 2 for width in row_widths)


def expand_spans(rows: Sequence[Sequence[tuple[str, int, int]]], limit: int = MAX_CELLS) -> list[list[str | None]]:
    """A grid from rows of (text, rowspan, colspan) cells.

    A label spanning rows is repeated in each row it covers (so that a group label such as
    （三）不予公开 reaches each of its sub-rows); a number spanning rows is kept once, in its first
    row; every other position a span covers is None (no cell of its own: a value is placed by
    where its cell starts, and a row whose values a span from above holds has no value there).
    Spans are bounded (``MAX_COLUMNS`` wide, the table's own length down) and the grid stops at
    ``min(limit, MAX_CELLS)`` cells (``limit``: what the document may still add).
    """
    grid: list[list[str | None]] = []
    pending: dict[int, dict[int, str | None]] = {}  # row -> column -> text filled by a rowspan from above
    cells_made = 0
    for r, row in enumerate(rows):
        out: list[str | None] = []
        above = pending.pop(r, {})
        cells = deque(row)
        c = 0
        last = max(above, default=-1)
        while cells or c <= last:
            if c in above:
                out.append(above[c])
                c += 1
                continue
            if not cells:
                out.append("")
                c += 1
                continue
            text, rowspan, colspan = cells.popleft()
            colspan = max(1, min(colspan, MAX_COLUMNS - c)) if c < MAX_COLUMNS else 1
            rowspan = max(1, min(rowspan, len(rows) - r))
            label = parse_value(text)[1] == "label"
            for dc in range(colspan):
                out.append(text if dc == 0 else None)
                for dr in range(1, rowspan):
                    pending.setdefault(r + dr, {})[c + dc] = text if (label and dc == 0) else None
            c += colspan
        grid.append(out)
        cells_made += len(out)
        if cells_made > min(limit, MAX_CELLS):
            break
    return grid
