"""What every rule receives: a report read into the model, with the statements of its narrative
(figures, breakdowns, rates, claims) and its template — and the one way rules read a quantity
from the tables (``Document.readings``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.breakdowns import (
    Breakdown,
    NamedShare,
    Rate,
    extract_breakdowns,
    extract_named_shares,
    extract_rates,
)
from auditor.categories import extract_category_lists
from auditor.changes import StatedChange, Statements, extract_changes, share_key
from auditor.figures import Figure, extract_figures, load_rules
from auditor.figures.claims import Claim, extract_claims
from auditor.figures.numbers import FULL_WIDTH
from auditor.figures.rules import FigureRules
from auditor.model import Cell, Report
from auditor.read.statistics import RowStatement, row_statements
from auditor.template import Template, load_template


@dataclass(frozen=True)
class Reading:
    """A quantity as the tables give it: the ``total`` (件, or 万元 for the fee), the cells
    added up, and ``filled``: the 总计 cells that are blank in the report and were replaced by
    the sum of their printed parts (so a message can say so)."""

    total: int | float
    cells: tuple[Cell, ...]
    filled: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """What auditors receive: the report model, its narrative figures, the report's template,
    the breakdowns the narrative states (a whole and its parts), the rates and the claims in
    words ("均获维持", "未收到…申请"), the changes against the year before it states
    ("较上年增加3件", ``auditor.changes``) and the shares that name parts of a list before them
    ("主动公开的政府信息占98.55%")."""

    report: Report
    figures: tuple[Figure, ...]
    template: Template
    breakdowns: tuple[Breakdown, ...] = ()
    rates: tuple[Rate, ...] = ()
    claims: tuple[Claim, ...] = ()
    changes: tuple[StatedChange, ...] = ()
    named_shares: tuple[NamedShare, ...] = ()

    @classmethod
    def of(cls, report: Report, rules: FigureRules | None = None) -> Document:
        """Extract the statements of ``report``'s narrative with the figure ``rules`` (default: the
        shipped ones; ``PluginHost.document`` passes them with the plugins' vocabulary)."""
        figures = tuple(extract_figures(report, rules))
        breakdowns, rates = extract_breakdowns(report, figures), extract_rates(report, figures)
        breakdowns += extract_category_lists(report, figures, breakdowns)
        return cls(
            report, figures, load_template(report.template), breakdowns, rates, tuple(extract_claims(report, rules)),
            extract_changes(report, figures, _row_statements(report)),
            extract_named_shares(report, figures, breakdowns, rates),
        )

    def numbers(self, keys: Sequence[str]) -> list[Cell] | None:
        """The cells ``keys`` when every one of them holds a number (the rules' checks are skipped
        otherwise: a missing or unreadable cell is the completeness rules' to report, never 0)."""
        cells = [self.report.cells.get(k) for k in keys]
        if any(c is None or c.value is None for c in cells):
            return None
        return cells  # type: ignore[return-value]

    def cell_value(self, key: str) -> tuple[int | float, tuple[Cell, ...], bool] | None:
        """A cell's value, its cells (the blank total first, then its parts, when filled), and
        whether it was filled: the cell itself when it holds a
        number; for a 总计 left blank (or a mark) whose parts were all read and hold at least one
        number, the sum of the parts' numbers (template arithmetic, ``Template.parts_of``: a row
        printed "252 12 _ _ 1 _" with its 总计 blank adds up to 265); None otherwise."""
        cell = self.report.cells.get(key)
        if cell is not None and cell.value is not None:
            return cell.value, (cell,), False
        if cell is None or cell.status not in ("blank", "non_number"):
            return None
        parts = [self.report.cells.get(k) for k in self.template.parts_of(key)]
        if not parts or any(p is None or p.status == "missing" for p in parts):
            return None
        numbers = [p for p in parts if p.value is not None]  # type: ignore[union-attr]
        if not numbers:
            return None
        return sum(p.value for p in numbers), (cell, *numbers), True  # type: ignore[misc]

    def readings(self, key: str) -> list[Reading]:
        """Every reading of the quantity ``key`` (a cell or a derived quantity such as 收到 =
        新收, or 新收 + 上年结转) that the tables give, blank 总计 cells filled from their parts."""
        found = []
        for reading in self.template.readings(key):
            values = [self.cell_value(k) for k in reading]
            if reading and all(v is not None for v in values):
                cells = tuple(c for v in values for c in v[1])  # type: ignore[index]
                filled = tuple(k for k, v in zip(reading, values) if v[2])  # type: ignore[index]
                found.append(Reading(sum(v[0] for v in values), cells, filled))  # type: ignore[index]
        return found

    def statements(self) -> Statements:
        """What the report states that next year's report may be compared with: its stated
        changes, each quantity's values (every reading of the tables, every figure of the
        narrative resolved to it for the report's year, and every share whose subject names
        members of a partition, ``auditor.changes.share_key``) and every count or amount the
        narrative prints."""
        quantities: dict[str, set[float]] = {}
        for figure in self.figures:
            if figure.comparable and figure.kind != "absence":
                quantities.setdefault(figure.key, set()).add(figure.value)  # type: ignore[arg-type]
        texts = {}
        for figure in self.figures:  # a share of named partition members: "主动公开的政府信息占98.55%"
            if figure.kind == "share" and figure.period == "current":
                if figure.paragraph not in texts:
                    texts[figure.paragraph] = self.report.paragraphs[figure.paragraph].text.translate(FULL_WIDTH)
                key = share_key(texts[figure.paragraph], figure)
                if key is not None:
                    quantities.setdefault(key, set()).add(figure.value)
        for statement in _row_statements(self.report):
            if statement.measure == "year":
                quantities.setdefault(f"statistics.{statement.item}.year", set()).add(statement.value)
        rows = {f"statistics.{i.key}.year" for i in self.template.statistics.items} if self.template.statistics else set()
        for key in {c.key for c in self.changes} | set(quantities) | {q.key for q in load_rules().quantities} | rows:
            for reading in self.readings(key):
                quantities.setdefault(key, set()).add(reading.total)
        counts = sorted({f.value for f in self.figures if f.kind in ("count", "amount")})
        return Statements(self.changes, {k: tuple(sorted(v)) for k, v in sorted(quantities.items())}, tuple(counts))


def _row_statements(report: Report) -> list[RowStatement]:
    """A pre-2019 report's statements of its 统计表 rows' figures (none for the other templates)."""
    template = load_template(report.template)
    return row_statements(report.paragraphs, report.agency, template) if template.statistics else []
