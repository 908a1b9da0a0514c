"""Template tables from grids: rows of cells, whatever format they came from.

A reader (text, HTML, DOCX, PDF) turns each table row into a ``GridRow``; ``TableReader`` places
the rows' numbers into template cells by their labels. It copes with what published tables do:
multi-row headers, row labels split over two or three cells (三、本年度办理结果 | （三）不予公开 |
1.属于国家秘密), group labels given once for several rows, and ragged rows whose values are shifted
by one or two cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from auditor.model import Cell, CellStatus, Position, Problem
from auditor.template import Template, best_match, normalize_label

NON_NUMBER_MARKS = frozenset({"/", "\\", "-", "—", "——", "–", "－", "无", "不适用", "×", "*"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class GridCell:
    """A cell as printed and where it starts."""

    text: str
    position: Position


@dataclass(frozen=True)
class GridRow:
    """One table row: its cells in order, blank cells kept."""

    cells: tuple[GridCell, ...]


def parse_value(text: str) -> tuple[int | float | None, CellStatus]:
    """Read a cell's text: ``(value, status)``.

    Full-width digits and thousands separators are read; "/", "—", "无"… are ``non_number``;
    an empty cell is ``blank``. Integers come back as ``int``, decimals as ``float``.
    """
    norm = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not norm:
        return None, "blank"
    if _NUMBER.match(norm):
        value = float(norm) if "." in norm else int(norm)
        return value, "number"
    if norm in NON_NUMBER_MARKS or set(norm) <= set("/-—–－"):
        return None, "non_number"
    return None, "label"  # type: ignore[return-value]


def _kind(cell: GridCell) -> str:
    return parse_value(cell.text)[1]


def _value_cells(row: GridRow) -> tuple[list[GridCell], list[GridCell]]:
    """Split a row into its label cells and the cells after the last label, trimmed of blanks."""
    labels = [c for c in row.cells if _kind(c) == "label"]
    last = max((i for i, c in enumerate(row.cells) if _kind(c) == "label"), default=-1)
    values = list(row.cells[last + 1 :])
    while values and _kind(values[-1]) == "blank":
        values.pop()
    while values and _kind(values[0]) == "blank":
        values.pop(0)
    return labels, values


@dataclass
class TableReader:
    """Reads grid rows of one report into template cells.

    Feed rows with ``add(row, table)`` where ``table`` is the table the surrounding text says the
    row belongs to (``"active"``, ``"requests"``, ``"appeals"`` or None when unknown); a row that
    carries another table's signature switches table. ``finish()`` returns the cells (every
    template cell of each table seen; unread ones with status ``missing``) and the problems.
    """

    template: Template
    cells: dict[str, Cell] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    _table: str | None = None
    _group: str | None = None
    _measures: list[str] | None = None
    _outcome_order: list[str] = field(default_factory=list)
    _column_at: dict[str, int] = field(default_factory=dict)

    def add(self, row: GridRow, table: str | None) -> None:
        """Place the numbers of ``row`` into template cells."""
        signed = self._signature(row)
        if signed:
            table = signed
        elif table is None:
            table = self._table
        if table != self._table:
            self._table, self._group, self._measures, self._outcome_order = table, None, None, []
            self._column_at = {}
        if table == "active":
            self._add_active(row)
        elif table == "requests":
            self._add_requests(row)
        elif table == "appeals":
            self._add_appeals(row)

    def _signature(self, row: GridRow) -> str | None:
        for cell in row.cells:
            norm = normalize_label(cell.text)
            if not norm:
                continue
            for name, signatures in self.template.signatures.items():
                if any(normalize_label(s) in norm for s in signatures):
                    return name
        return None

    def _put(self, key: str, cell: GridCell | None) -> None:
        spec = self.template.cells[key]
        self.seen.add(spec.table)
        if key in self.cells:
            if cell is not None:
                self.problems.append(
                    Problem(f"{spec.label}: cell read twice; the first reading is kept", cell.position, spec.table)
                )
            return
        if cell is None:
            return
        value, status = parse_value(cell.text)
        if status == "label":
            self.problems.append(Problem(f"{spec.label}: {cell.text!r} is not a number", cell.position, spec.table))
            status = "non_number"
        if value is not None and spec.unit != "万元" and isinstance(value, float) and value.is_integer():
            value = int(value)
        self.cells[key] = Cell(key, spec.table, value, status, cell.text.strip(), cell.position)

    def _short(self, row: GridRow, what: str, found: int, expected: int, table: str) -> None:
        self.problems.append(
            Problem(
                f"{self.template.names[table]} {what}: found {found} values, expected {expected}",
                row.cells[0].position if row.cells else None,
                table,
            )
        )

    # -- 表二 ---------------------------------------------------------------------------------
    def _add_active(self, row: GridRow) -> None:
        labels, values = _value_cells(row)
        measures = [best_match(c.text, self.template.active_measures) for c in labels]
        if labels and all(measures[1:]) and len(labels) > 1 and not values:
            self._measures = [m.key for m in measures[1:] if m]  # header: 信息内容 | 本年制发件数 | …
            return
        if not labels:
            return
        item = best_match(labels[0].text, self.template.active_items)
        if item is None:
            return
        order = [m for m in (self._measures or []) if m in item.measures]
        if sorted(order) != sorted(item.measures):
            order = list(item.measures)
        # cells right after the label, blanks inside kept: a blank cell is a blank value
        start = row.cells.index(labels[0]) + 1
        after = list(row.cells[start:])
        for i, measure in enumerate(order):
            self._put(f"active.{item.key}.{measure}", after[i] if i < len(after) else None)

    # -- 表三 ---------------------------------------------------------------------------------
    def _add_requests(self, row: GridRow) -> None:
        t = self.template
        labels, values = _value_cells(row)
        if not values:
            self._header_columns(row)
            return
        if not labels:
            return
        row_labels = []
        for cell in labels:
            norm = normalize_label(cell.text)
            if any(norm in map(normalize_label, s.labels) for s in t.request_sections):
                continue
            group = next((g for g in t.request_groups if norm in map(normalize_label, g.labels)), None)
            if group is not None:
                self._group = group.key
                continue
            row_labels.append(cell)
        if not row_labels:
            return
        spec = self._request_row(row_labels[-1].text)
        if spec is None:
            self.problems.append(
                Problem(
                    f"{t.names['requests']}: row label {row_labels[-1].text.strip()!r} is not in the template",
                    row_labels[-1].position,
                    "requests",
                )
            )
            return
        self._group = spec.group
        columns = t.request_columns
        if len(values) != len(columns):
            values = self._aligned(row, labels)
        if values is None:
            _, found = _value_cells(row)
            self._short(row, spec.label, len(found), len(columns), "requests")
            self.seen.add("requests")
            return
        for col, cell in zip(columns, values):
            self._put(f"requests.{spec.key}.{col.key}", cell)

    def _header_columns(self, row: GridRow) -> None:
        """Remember where the header printed each applicant column (rows may span 2–3 lines)."""
        for index, cell in enumerate(row.cells):
            norm = normalize_label(cell.text)
            for col in self.template.request_columns:
                if norm in map(normalize_label, col.labels):
                    self._column_at.setdefault(col.key, index)

    def _aligned(self, row: GridRow, labels: list[GridCell]) -> list[GridCell] | None:
        """Values by the header's cell positions, for a row with blank cells at its edges; None
        when the header does not place every column or the row does not line up with it."""
        columns = self.template.request_columns
        if len(self._column_at) != len(columns):
            return None
        last_label = max(row.cells.index(c) for c in labels)
        indices = [self._column_at[c.key] for c in columns]
        if min(indices) <= last_label or max(indices) >= len(row.cells):
            return None
        return [row.cells[i] for i in indices]

    def _request_row(self, text: str):
        rows = self.template.request_rows
        norm = normalize_label(text)
        ungrouped = [r for r in rows if r.group is None]
        exact = [r for r in ungrouped if norm in map(normalize_label, r.labels)]
        if exact:
            return exact[0]
        if self._group is not None:
            found = best_match(text, [r for r in rows if r.group == self._group])
            if found is not None:
                return found
        return best_match(text, [r for r in rows if r.group is not None]) or best_match(text, ungrouped)

    # -- 表四 ---------------------------------------------------------------------------------
    def _add_appeals(self, row: GridRow) -> None:
        t = self.template
        labels, values = _value_cells(row)
        if not values:
            for cell in labels:
                norm = normalize_label(cell.text)
                outcome = next(
                    (o for o in t.appeal_outcomes if norm in map(normalize_label, o.labels)), None
                )
                if outcome is not None:
                    self._outcome_order.append(outcome.key)
            return
        outcomes = [o.key for o in t.appeal_outcomes]
        group = best_match(labels[-1].text, t.appeal_groups) if labels else None
        if group is not None and len(values) == len(outcomes):
            for outcome, cell in zip(self._order(outcomes, 1), values):
                self._put(f"{group.key}.{outcome}", cell)
            return
        expected = len(outcomes) * len(t.appeal_groups)
        if len(values) != expected:
            self._short(row, self.template.titles["appeals"], len(values), expected, "appeals")
            self.seen.add("appeals")
            return
        order = self._order(outcomes, len(t.appeal_groups))
        keys = [f"{g.key}.{o}" for i, g in enumerate(t.appeal_groups) for o in order[i * 5 : i * 5 + 5]]
        for key, cell in zip(keys, values):
            self._put(key, cell)

    def _order(self, outcomes: list[str], groups: int) -> list[str]:
        """Outcome order per group as the header printed it, or the template's order."""
        printed = self._outcome_order
        if len(printed) == len(outcomes) * groups and all(
            sorted(printed[i : i + len(outcomes)]) == sorted(outcomes)
            for i in range(0, len(printed), len(outcomes))
        ):
            return printed
        return outcomes * groups

    # -- result -------------------------------------------------------------------------------
    def finish(self) -> tuple[dict[str, Cell], list[Problem]]:
        """All cells of every table seen (unread ones ``missing``) and the problems, in template order."""
        cells: dict[str, Cell] = {}
        missing_rows: dict[tuple[str, str], int] = {}
        for key, spec in self.template.cells.items():
            if key in self.cells:
                cells[key] = self.cells[key]
            elif spec.table in self.seen:
                cells[key] = Cell(key, spec.table, None, "missing", "", None)
                missing_rows[(spec.table, spec.row)] = missing_rows.get((spec.table, spec.row), 0) + 1
        problems = list(self.problems)
        for (table, row), count in missing_rows.items():
            label = self.template.row_labels[table, row]
            problems.append(Problem(f"{self.template.names[table]} {label}: {count} cell(s) not found", None, table))
        for table, name in self.template.names.items():
            if table not in self.seen:
                problems.append(Problem(f"{name} ({self.template.titles[table]}) not found", None, table))
        return cells, problems
