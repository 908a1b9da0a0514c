"""The typed report model every reader produces and every auditor reads.

Positions are 1-based line and column numbers in the report's extracted text, columns counted in
characters (code points), as editors and ``path:line:col`` tools show them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

CellStatus = Literal["number", "blank", "non_number", "recovered", "missing"]


@dataclass(frozen=True, order=True)
class Position:
    """Where something is in the report's text: 1-based ``line`` and ``column``; ``page`` for PDF."""

    line: int
    column: int
    page: int | None = None


@dataclass(frozen=True, order=True)
class GridRef:
    """Where a cell sits in the report's tables: the ``table``-th table of the report, its
    ``row``-th row and ``column``-th cell (all 1-based, as printed, spans expanded)."""

    table: int
    row: int
    column: int


@dataclass(frozen=True)
class Section:
    """A heading of the report: its text, nesting ``level`` (1 = 一、…, 2 = （一）…) and position."""

    heading: str
    level: int
    position: Position


@dataclass(frozen=True)
class Paragraph:
    """A narrative paragraph: its text, the heading it stands under and where each line starts.

    ``line_starts`` holds, for each source line the paragraph spans, the text offset where that
    line begins and its position; ``position_at`` maps any offset of ``text`` back to the source.
    """

    text: str
    section: str | None
    line_starts: tuple[tuple[int, Position], ...]

    @property
    def position(self) -> Position:
        """Position of the paragraph's first character."""
        return self.line_starts[0][1]

    def position_at(self, offset: int) -> Position:
        """Source position of character ``offset`` (0-based) of ``text``."""
        starts = [s for s, _ in self.line_starts]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        start, pos = self.line_starts[i]
        return Position(pos.line, pos.column + offset - start, pos.page)


@dataclass(frozen=True)
class Cell:
    """One template cell as read from a table.

    ``key`` is the template key (see ``auditor.template``); ``value`` is an ``int`` count (件) or,
    for the 万元 fee cell, a ``float``; ``None`` unless ``status`` is ``number`` or ``recovered``.
    ``recovered`` marks a value split out of flattened text by the template's arithmetic.
    ``text`` is the cell as printed; ``position`` where it starts; ``grid`` its table/row/column.
    """

    key: str
    table: str
    value: int | float | None
    status: CellStatus
    text: str
    position: Position | None
    grid: GridRef | None = None


@dataclass(frozen=True)
class Problem:
    """Something a reader could not read as the template expects (a missing cell, a ragged row);
    ``keys``: the template cells it left unread, when the reader knows them (a flattened row)."""

    message: str
    position: Position | None
    table: str | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnreadableRow:
    """A flattened row whose digits could not be read as cells: its cell ``keys``, the digit run
    as printed and where it starts, and either every split that fits the template's arithmetic
    (``candidates``, two or more, values in key order) or, when no split fits, the relation no
    split satisfies (``broken``, e.g. ``"requests.row_total:new"``) and the split nearest to
    satisfying it (``likeliest``). Its cells stay ``missing``; auditors may test statements
    against the candidates, and report a broken row as arithmetic that cannot add up."""

    keys: tuple[str, ...]
    candidates: tuple[tuple[int | float, ...], ...]
    text: str
    position: Position | None
    broken: str | None = None
    likeliest: tuple[int | float, ...] | None = None


@dataclass
class Report:
    """A report read into the template model.

    ``cells`` maps template keys to cells: every cell of each table the reader found (cells it
    could not read have status ``missing``), plus group rows printed instead of their sub-rows
    (e.g. ``requests.other_handling.total`` when a 2021 report prints （六）其他处理 as one row).
    ``problems`` lists what the reader could not place. ``year`` is the report year (int) or None.
    ``template`` is the generation: ``"2021"``, ``"2019"`` or ``"pre2019"`` (free-form).
    ``assumed`` names the template relations that recovering flattened cells relied on
    (``"requests.row_total:new"``, ``"requests.balance:total"`` …): checking them again would
    prove nothing, so no rule may report them. ``debris`` holds the pieces of tables a converter
    or crawler left outside them (a row label, a line of numbers): not narrative, never read for
    figures. ``text`` is the extracted text that positions refer to (the file itself for text
    reports).
    """

    path: str
    title: str | None
    agency: str | None
    year: int | None
    template: str
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    assumed: set[str] = field(default_factory=set)
    unreadable: list[UnreadableRow] = field(default_factory=list)
    debris: list[Paragraph] = field(default_factory=list)
    text: str = ""

    def value(self, key: str) -> int | float | None:
        """The numeric value of cell ``key``, or None when it is missing or not a number."""
        cell = self.cells.get(key)
        return cell.value if cell is not None else None

    def offset_of(self, position: Position) -> int:
        """The offset in ``text`` of a (line, column) position (both from 1)."""
        at = 0
        for _ in range(position.line - 1):
            at = self.text.find("\n", at) + 1
        return at + position.column - 1

    def position_of(self, offset: int, page: int | None = None) -> Position:
        """The (line, column) position of an offset in ``text``."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return Position(self.text.count("\n", 0, offset) + 1, offset - line_start + 1, page)
