"""The extracted text of a report in a rich format (HTML, DOCX, PDF).

Readers of rich formats do not build the model themselves: they render the report as text —
one line per paragraph or heading, one line per table row with its cells separated by tabs
(spans expanded) — and hand it to the text reader. So every format yields the same model, and
every position (line, column; page for PDF) points into this extracted text, which
``auditor parse --format text`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from auditor.read.grid import parse_value

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
    """Extracted text being built: lines, and the page of each line (None outside PDF)."""

    lines: list[str] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)

    def line(self, text: str, page: int | None = None) -> None:
        """Add a paragraph line (skipped when empty)."""
        text = clean_line(text)
        if text:
            self.lines.append(text)
            self.pages.append(page)

    def heading(self, text: str, level: int, page: int | None = None) -> None:
        """Add a heading as a Markdown heading line."""
        text = clean_line(text)
        if text:
            self.lines.append("#" * max(1, min(level, 6)) + " " + text)
            self.pages.append(page)

    def table(self, rows: Sequence[Sequence[str]], page: int | None = None) -> None:
        """Add a table: one tab-separated line per row, a blank line before and after."""
        rows = [[clean_cell(c) for c in row] for row in rows]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        self.blank(page)
        for row in rows:
            if sum(1 for c in row if c) == 1 and not any(parse_value(c)[1] == "number" for c in row):
                self.line(next(c for c in row if c), page)  # a one-cell row is a line of text
            else:
                self.lines.append("\t".join(row) + ("\t" if len(row) == 1 else ""))
                self.pages.append(page)
        self.blank(page)

    def blank(self, page: int | None = None) -> None:
        """A paragraph break."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.pages.append(page)

    @property
    def text(self) -> str:
        """The extracted text."""
        return "\n".join(self.lines) + "\n"


def expand_spans(rows: Sequence[Sequence[tuple[str, int, int]]]) -> list[list[str]]:
    """A grid from rows of (text, rowspan, colspan) cells.

    A label spanning rows is repeated in each row it covers (so that a group label such as
    （三）不予公开 reaches each of its sub-rows); a number spanning rows is kept once; the extra
    columns of a column span are blank.
    """
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) filled by a rowspan from above
    for r, row in enumerate(rows):
        out: list[str] = []
        c = 0
        cells = list(row)
        while cells or any(key[0] == r and key[1] >= c for key in pending):
            if (r, c) in pending:
                out.append(pending.pop((r, c)))
                c += 1
                continue
            if not cells:
                c += 1
                out.append("")
                continue
            text, rowspan, colspan = cells.pop(0)
            label = parse_value(text)[1] == "label"
            for dc in range(max(colspan, 1)):
                out.append(text if dc == 0 else "")
                for dr in range(1, max(rowspan, 1)):
                    pending[(r + dr, c + dc)] = text if (label and dc == 0) else ""
            c += max(colspan, 1)
        grid.append(out)
    return grid
