"""Template tables from grids: rows of cells, whatever format they came from.

A reader (text, HTML, DOCX, PDF) turns each table row into a ``GridRow``; ``TableReader`` places
the rows' numbers into template cells by their labels. It copes with what published tables do:
multi-row headers, row labels split over two or three cells (三、本年度办理结果 | （三）不予公开 |
1.属于国家秘密), group labels given once for several rows, ragged rows whose values are shifted by
one or two cells, labels with typos or cut into fragments by converters (matched loosely, or
placed by the template's row order), tables split into pieces under headings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from auditor.i18n import Message
from auditor.model import Cell, CellStatus, GridRef, Position, Problem
from auditor.template import Labels, RowSpec, Template, best_match, normalize_label

NON_NUMBER_MARKS = frozenset({"/", "\\", "-", "—", "——", "–", "－", "无", "不适用", "×", "*", "…"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(?:万元|元|件|项|个|条)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZY_RATIO = 0.8


@dataclass(frozen=True)
class GridCell:
    """A cell as printed, where it starts, where it sits in the table; ``recovered`` when its
    text was split out of flattened text by arithmetic rather than printed as a cell; ``covered``
    for the extra columns of a column span (blank, no value of their own)."""

    text: str
    position: Position
    grid: GridRef | None = None
    recovered: bool = False
    covered: bool = False  # the extra column of a column span: blank, no cell of its own


@dataclass(frozen=True)
class GridRow:
    """One table row: its cells in order, blank cells kept."""

    cells: tuple[GridCell, ...]


@lru_cache(maxsize=65536)
def parse_value(text: str) -> tuple[int | float | None, CellStatus | str]:
    """Read a cell's text: ``(value, status)``; status ``label`` for text that is not a value.

    Full-width digits, thousands separators and a trailing unit (元, 万元, 件) are read, footnote
    marks (①, ¹) dropped; "/", "—", "无", "12%" are ``non_number``; an empty cell is ``blank``.
    Integers come back as ``int``, decimals as ``float``.
    """
    marks = "".join(ch for ch in text if unicodedata.category(ch) == "No")  # ① ¹: footnote marks
    norm = unicodedata.normalize("NFKC", text.translate({ord(ch): None for ch in marks}) if marks else text)
    norm = norm.strip().replace(",", "").replace(" ", "").replace("\u2212", "-")  # − (U+2212): 本年增/减 "−18"
    if not norm:
        return None, "blank"
    bare = _UNIT_SUFFIX.sub("", norm) if len(norm) > 1 else norm
    if _NUMBER.match(bare) and len(bare) <= 16:
        return (float(bare) if "." in bare else int(bare)), "number"
    if norm in NON_NUMBER_MARKS or set(norm) <= set("/-—–－") or (any(ch.isdigit() for ch in norm) and not _CJK.search(norm)):
        return None, "non_number"  # "/", "—", "12%", a 5000-digit run: a value that is not a count
    return None, "label"


def _in_yuan(text: str) -> bool:
    norm = unicodedata.normalize("NFKC", text).strip()
    return norm.endswith("元") and not norm.endswith("万元")


def _kind(cell: GridCell) -> str:
    return parse_value(cell.text)[1]


def _after_labels(row: GridRow) -> list[GridCell]:
    """Every cell after the row's last label, blanks kept, the extra columns of spans left out."""
    kinds = [_kind(c) for c in row.cells]
    last = max((i for i, k in enumerate(kinds) if k == "label"), default=-1)
    return [c for c in row.cells[last + 1 :] if not c.covered]


def _value_cells(row: GridRow) -> tuple[list[GridCell], list[GridCell]]:
    """Split a row into its label cells and the cells after the last label, trimmed of blanks;
    the extra columns of column spans are no cells."""
    kinds = [_kind(c) for c in row.cells]
    labels = [c for c, k in zip(row.cells, kinds) if k == "label"]
    last = max((i for i, k in enumerate(kinds) if k == "label"), default=-1)
    values = [c for c in row.cells[last + 1 :] if not c.covered]
    while values and _kind(values[-1]) == "blank":
        values.pop()
    while values and _kind(values[0]) == "blank":
        values.pop(0)
    return labels, values


def _spanning(row: GridRow, index: int) -> GridCell:
    """The cell of ``row`` at ``index``, or the cell whose column span covers it."""
    while index > 0 and row.cells[index].covered:
        index -= 1
    return row.cells[index]


def _matches(text: str, spec: Labels) -> bool:
    """True when ``text`` names ``spec`` itself (not only by the template's order)."""
    return bool(spec.match_length(text)) or _fuzzy(text, [spec]) is not None


def _exact(text: str, candidates) -> Labels | None:
    norm = normalize_label(text)
    return next((c for c in candidates if norm in c.normalized), None)


def _fuzzy(text: str, candidates) -> Labels | None:
    """The candidate a label with a typo or OCR error most resembles (ratio ≥ ``FUZZY_RATIO``)."""
    norm = normalize_label(text)
    if len(norm) < 4:
        return None
    scored = [
        (max(SequenceMatcher(None, norm, normalize_label(v)).ratio() for v in c.labels), i, c)
        for i, c in enumerate(candidates)
    ]
    best = max(scored, default=None, key=lambda s: (s[0], -s[1]))
    return best[2] if best and best[0] >= FUZZY_RATIO else None


@dataclass
class TableReader:
    """Reads grid rows of one report into template cells.

    Feed rows with ``add(row, table)`` where ``table`` is the table the surrounding text says the
    row belongs to (``"active"``, ``"requests"``, ``"appeals"`` or None when unknown); a row that
    carries another table's signature switches table. ``heading(text)`` tells it a heading stood
    between rows (a table split under headings: "### 行政诉讼（复议后起诉）"). ``finish()`` returns
    the cells (every template cell of each table seen; unread ones ``missing``) and the problems.
    """

    template: Template
    cells: dict[str, Cell] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    _table: str | None = None
    _group: str | None = None
    _last_row: int = -1
    _measures: list[str] | None = None
    _outcome_order: list[str] = field(default_factory=list)
    _column_at: dict[str, int] = field(default_factory=dict)
    _appeal_group: str | None = None
    _group_order: list[str] = field(default_factory=list)

    def heading(self, text: str) -> None:
        """Note a heading between table rows: it may name a 表四 group or a 表三 group."""
        self._appeal_group = None
        compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
        named = [(len(v), g) for g in self.template.appeal_groups for v in map(normalize_label, g.labels) if v in compact]
        if named:
            self._appeal_group = max(named, key=lambda n: n[0])[1].key
        request_group = _exact(text, self.template.request_groups)
        if request_group is not None:
            self._group = request_group.key

    def add(self, row: GridRow, table: str | None) -> None:
        """Place the numbers of ``row`` into template cells."""
        signed = self._signature(row)
        if signed:
            table = signed
        elif table is None or (table != self._table and self._belongs(row, self._table)):
            table = self._table  # a row of the table it is in, whatever a stale heading said
        if table != self._table:
            self._table, self._group, self._measures, self._outcome_order = table, None, None, []
            self._column_at, self._last_row, self._group_order = {}, -1, []
        if table == "active":
            self._add_active(row)
        elif table == "requests":
            self._add_requests(row)
        elif table == "appeals":
            self._add_appeals(row)

    def _belongs(self, row: GridRow, table: str | None) -> bool:
        """True when ``row`` goes on the table it is in: a row of values only, or one whose first
        label names a row (or, in 表四, a group or outcome) of ``table`` exactly."""
        if table is None:
            return False
        label = next((c.text for c in row.cells if _kind(c) == "label"), None)
        if label is None:
            return any(_kind(c) == "number" for c in row.cells)
        specs = {"active": self.template.active_items, "requests": self.template.request_rows,
                 "appeals": (*self.template.appeal_groups, *self.template.appeal_outcomes)}.get(table, ())
        return _exact(label, specs) is not None

    def _signature(self, row: GridRow) -> str | None:
        for cell in row.cells:
            if cell.text:
                name = self.template.signed_table(normalize_label(cell.text))
                if name:
                    return name
        return None

    def _put(self, key: str, cell: GridCell | None, table: str | None = None, label: str | None = None) -> None:
        spec = self.template.cells.get(key)
        table = spec.table if spec else table
        label = spec.label if spec else label
        self.seen.add(table)
        if key in self.cells:
            if cell is not None:
                self.problems.append(Problem(Message("{label}: cell read twice; the first reading is kept", label=label), cell.position, table))
            return
        if cell is None:
            return
        value, status = parse_value(cell.text)
        if status == "label":
            self.problems.append(Problem(Message("{label}: {text} is not a number", label=label, text=repr(cell.text)), cell.position, table))
            status = "non_number"
        if spec is not None and spec.unit == "万元" and value is not None and _in_yuan(cell.text):
            self.problems.append(Problem(
                Message("{label} is printed in 元 ({text}) in a 万元 column: read as {value} 万元", label=label,
                        text=cell.text.strip(), value=f"{value / 10000:g}"),
                cell.position, table))
            value = value / 10000
        if isinstance(value, float) and value.is_integer() and (spec is None or spec.unit == "件"):
            value = int(value)
        if cell.recovered and status == "number":
            status = "recovered"
        self.cells[key] = Cell(key, table, value, status, cell.text.strip(), cell.position, cell.grid)

    def _short(self, row: GridRow, what: str, found: int, expected: int, table: str) -> None:
        self.seen.add(table)
        self.problems.append(
            Problem(
                Message("{table} {row}: found {found} values, expected {expected}", table=self.template.names[table],
                        row=what, found=found, expected=expected),
                row.cells[0].position if row.cells else None,
                table,
            )
        )

    # -- 表二 ---------------------------------------------------------------------------------
    def _add_active(self, row: GridRow) -> None:
        labels, values = _value_cells(row)
        measures = [best_match(c.text, self.template.active_measures) for c in labels]
        if len(labels) > 1 and all(measures[1:]) and not values:
            self._measures = [m.key for m in measures[1:] if m]  # header: 信息内容 | 本年制发件数 | …
            return
        if not labels:
            return
        item = best_match(labels[0].text, self.template.active_items) or _fuzzy(labels[0].text, self.template.active_items)
        if item is None:
            return
        order = [m for m in (self._measures or []) if m in item.measures]
        if sorted(order) != sorted(item.measures):
            order = list(item.measures)
        after = [c for c in row.cells[row.cells.index(labels[0]) + 1 :] if not c.covered]  # blanks inside are blank values
        if len(after) < len(order):
            self._short(row, item.label, len(after), len(order), "active")
            return
        for measure, cell in zip(order, after):
            self._put(f"active.{item.key}.{measure}", cell)

    # -- 表三 ---------------------------------------------------------------------------------
    def _add_requests(self, row: GridRow) -> None:
        t = self.template
        labels, values = _value_cells(row)
        every = _after_labels(row)
        if len(values) != len(t.request_columns) and len(every) == len(t.request_columns) and labels and self._names_row(labels):
            values = every  # blank cells at the edges of a row with a cell for every column are blank values
        if not values:
            self._header_columns(row)
            return
        row_labels = []
        for cell in labels:
            if _exact(cell.text, t.request_sections):
                continue
            group = _exact(cell.text, t.request_groups)
            if group is not None:
                self._group = group.key
                continue
            row_labels.append(cell)
        columns = t.request_columns
        if len(values) != len(columns):
            values = self._aligned(row, labels)
        if not row_labels and self._group is not None and labels and _exact(labels[-1].text, t.request_groups):
            self._group_row(row, values)
            return
        if not row_labels and (values is None or not any(_kind(c) == "number" for c in values)):
            return  # no label and no number: a header or a filler row ("| - | - |")
        text = row_labels[-1].text if row_labels else ""
        spec = self._request_row(text)
        if spec is not None and not (row_labels and _matches(text, spec)) and values is None:
            spec = None  # placed by order only when the row has every value
        if spec is None:
            where = row_labels[-1].position if row_labels else row.cells[0].position
            self.problems.append(Problem(Message("{table}: row label {label} is not in the template", table=t.names["requests"],
                                                 label=repr(text.strip())), where, "requests"))
            return
        self._group = spec.group
        self._last_row = t.request_rows.index(spec)
        if values is None:
            _, found = _value_cells(row)
            self._short(row, t.row_labels["requests", spec.key], len(found), len(columns), "requests")
            return
        for col, cell in zip(self._printed_columns(), values):
            self._put(f"requests.{spec.key}.{col.key}", cell)

    def _names_row(self, labels: list[GridCell]) -> bool:
        """True when the row's last label names a 表三 row or group: a header's column label
        ("其他") only before the first data row ("3.其他" after it is the row)."""
        text = labels[-1].text
        if self._last_row < 0 and _exact(text, self.template.request_columns) is not None:
            return False
        return best_match(text, self.template.request_rows) is not None or _exact(text, self.template.request_groups) is not None

    def _printed_columns(self) -> list[Labels]:
        """The applicant columns in the order the header printed them (when it printed all)."""
        columns = list(self.template.request_columns)
        if len(self._column_at) == len(columns) and len(set(self._column_at.values())) == len(columns):
            return sorted(columns, key=lambda c: self._column_at[c.key])
        return columns

    def _group_row(self, row: GridRow, values: list[GridCell] | None) -> None:
        """A group printed as one row where the template has sub-rows (a 2021 report printing
        （六）其他处理 the 2019 way): kept as the group's own cells, sub-rows reported missing."""
        t = self.template
        group = next(g for g in t.request_groups if g.key == self._group)
        self._last_row = max(i for i, r in enumerate(t.request_rows) if r.group == group.key)
        if values is None:
            _, found = _value_cells(row)
            self._short(row, group.label, len(found), len(t.request_columns), "requests")
            return
        self.problems.append(
            Problem(Message("{table} {row} is printed as one row; its sub-rows are not given", table=t.names["requests"],
                            row=group.label), row.cells[0].position, "requests")
        )
        for col, cell in zip(self._printed_columns(), values):
            self._put(f"requests.{group.key}.{col.key}", cell, "requests", f"{group.label} / {col.label}")

    def _request_row(self, text: str) -> RowSpec | None:
        rows = self.template.request_rows
        ungrouped = [r for r in rows if r.group is None]
        grouped = [r for r in rows if r.group is not None]
        if text:
            found = _exact(text, ungrouped)
            if found is None and self._group is not None:
                found = best_match(text, [r for r in rows if r.group == self._group])
            found = found or best_match(text, grouped) or best_match(text, ungrouped) or _fuzzy(text, rows)
            if found is not None:
                return found  # type: ignore[return-value]
        following = rows[self._last_row + 1] if self._last_row + 1 < len(rows) else None
        if following is not None and self._fragment_of(text, following):
            return following
        return None

    def _fragment_of(self, text: str, row: RowSpec) -> bool:
        """True when ``text`` is empty or a piece of the row's label (a label cut by a converter)."""
        norm = normalize_label(text)
        key = f"requests.{row.key}.total"
        return key not in self.cells and (not norm or any(norm in normalize_label(v) for v in row.labels))

    def _header_columns(self, row: GridRow) -> None:
        """Remember where the header printed each applicant column (rows may span 2–3 lines;
        the header comes before the data rows: a row label "3.其他" after them is no column)."""
        if self._last_row >= 0:
            return
        seen: set[str] = set()
        for index, cell in enumerate(row.cells):
            col = _exact(cell.text, self.template.request_columns)
            if col is not None and col.key not in seen:  # a lower header row is the more precise
                self._column_at[col.key] = index
                seen.add(col.key)

    def _aligned(self, row: GridRow, labels: list[GridCell]) -> list[GridCell] | None:
        """Values by the header's cell positions, for a row with blank cells at its edges; None
        when the header does not place every column or the row does not line up with it."""
        _, values = _value_cells(row)
        columns = self.template.request_columns
        if len(values) == len(columns):
            return values
        if len(self._column_at) != len(columns):
            return None
        last_label = max((row.cells.index(c) for c in labels), default=-1)
        indices = [self._column_at[c.key] for c in columns]
        if min(indices) <= last_label or max(indices) >= len(row.cells):
            return None
        placed = [_spanning(row, i) for i in indices]  # a value whose span starts left of the header's column
        return None if len({id(c) for c in placed}) != len(placed) else placed

    # -- 表四 ---------------------------------------------------------------------------------
    def _add_appeals(self, row: GridRow) -> None:
        t = self.template
        labels, values = _value_cells(row)
        if not values:
            for cell in labels:
                outcome = _exact(cell.text, t.appeal_outcomes)
                if outcome is not None:
                    self._outcome_order.append(outcome.key)
                group = _exact(cell.text, t.appeal_groups)
                if group is not None and group.key not in self._group_order:
                    self._group_order.append(group.key)
            return
        if all(f"{g.key}.{o.key}" in self.cells for g in t.appeal_groups for o in t.appeal_outcomes):
            return  # 表四 is complete: a table after it (a footer, a note) is not 表四
        outcomes = [o.key for o in t.appeal_outcomes]
        every = _after_labels(row)
        if len(values) not in (len(outcomes), len(outcomes) * len(t.appeal_groups)) and len(every) in (len(outcomes), len(outcomes) * len(t.appeal_groups)):
            values = every  # trailing blank cells of a row with a cell for every column are blank values
        group = best_match(labels[-1].text, t.appeal_groups) if labels else None
        if group is None and self._appeal_group is not None:
            group = next(g for g in t.appeal_groups if g.key == self._appeal_group)
        if group is not None and len(values) == len(outcomes):
            for outcome, cell in zip(self._order(outcomes, 1), values):
                self._put(f"{group.key}.{outcome}", cell)
            return
        expected = len(outcomes) * len(t.appeal_groups)
        if len(values) != expected:
            self._short(row, t.titles["appeals"], len(values), expected, "appeals")
            return
        order = self._order(outcomes, len(t.appeal_groups))
        groups = list(t.appeal_groups)
        if sorted(self._group_order) == sorted(g.key for g in groups):
            groups.sort(key=lambda g: self._group_order.index(g.key))  # as the header printed them
        keys = [f"{g.key}.{o}" for i, g in enumerate(groups) for o in order[i * 5 : i * 5 + 5]]
        for key, cell in zip(keys, values):
            self._put(key, cell)

    def _order(self, outcomes: list[str], groups: int) -> list[str]:
        """Outcome order per group as the header printed it, or the template's order."""
        printed = self._outcome_order[-len(outcomes) * groups :]
        if len(printed) == len(outcomes) * groups and all(
            sorted(printed[i : i + len(outcomes)]) == sorted(outcomes)
            for i in range(0, len(printed), len(outcomes))
        ):
            return printed
        return outcomes * groups

    # -- result -------------------------------------------------------------------------------
    def finish(self, explained: frozenset[str] = frozenset()) -> tuple[dict[str, Cell], list[Problem]]:
        """All cells of every table seen (unread ones ``missing``) and the problems, in template
        order; cells in ``explained`` (a row already reported as unreadable) are not reported again."""
        cells: dict[str, Cell] = {}
        missing_rows: dict[tuple[str, str], int] = {}
        printed_groups = {k.split(".")[1] for k in self.cells if k not in self.template.cells}
        for key, spec in self.template.cells.items():
            if key in self.cells:
                cells[key] = self.cells[key]
            elif spec.table in self.seen:
                cells[key] = Cell(key, spec.table, None, "missing", "", None)
                if spec.row.split(".")[0] not in printed_groups and key not in explained:  # once, as a group row
                    missing_rows[(spec.table, spec.row)] = missing_rows.get((spec.table, spec.row), 0) + 1
        cells.update((k, c) for k, c in self.cells.items() if k not in self.template.cells)
        problems = list(self.problems)
        for (table, row), count in missing_rows.items():
            label = self.template.row_labels[table, row]
            problems.append(Problem(Message("{table} {row}: {count} cell(s) not found", table=self.template.names[table], row=label,
                                            count=count), None, table))
        for table, name in self.template.names.items():
            if table not in self.seen:
                problems.append(Problem(Message("{table} ({title}) not found", table=name, title=self.template.titles[table]), None, table))
        return cells, problems
