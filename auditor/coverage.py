"""Coverage figures: how much of each report the reader and the figure extractor understood.

Reported apart from the findings (as statcheck reports extraction apart from accuracy), so that
gaps show on any new batch: the share of template cells read, and the share of the narrative's
count statements resolved to a key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from auditor.figures import Figure
from auditor.model import Report
from auditor.template import Template

COUNT_KINDS = ("count", "amount", "absence")


@dataclass(frozen=True)
class Coverage:
    """Counts for one report or a total: template cells, cells read (any status but ``missing``),
    cells recovered from flattened text, cells the report printed only as a group row (a 2021
    report printing （六）其他处理 as one row), count statements, and those resolved to a key."""

    path: str
    template: str
    cells: int
    read: int
    recovered: int
    grouped: int
    statements: int
    resolved: int

    @property
    def cell_share(self) -> float | None:
        """Share of template cells read (None when the template has no tables)."""
        return self.read / self.cells if self.cells else None

    @property
    def figure_share(self) -> float | None:
        """Share of count statements resolved to a key (None when there are none)."""
        return self.resolved / self.statements if self.statements else None


def coverage(report: Report, figures: Iterable[Figure], template: Template) -> Coverage:
    """Coverage of one report."""
    # the pre-2019 统计表's rows vary by province and year: only the rows the report prints count
    keys = [k for k in template.cells if template.cells[k].table != "statistics" or k in report.cells]
    statuses = [report.cells[k].status if k in report.cells else "missing" for k in keys]
    printed_groups = {k.split(".")[1] for k in report.cells if k not in template.cells}
    counts = [f for f in figures if f.kind in COUNT_KINDS and f.period == "current"]
    return Coverage(
        report.path,
        report.template,
        len(statuses),
        sum(s != "missing" for s in statuses),
        sum(s == "recovered" for s in statuses),
        sum(1 for k, s in zip(keys, statuses) if s == "missing" and k.split(".")[1] in printed_groups),
        len(counts),
        sum(f.key is not None for f in counts),
    )


def total(items: Iterable[Coverage]) -> Coverage:
    """The sum over reports."""
    items = list(items)
    return Coverage(
        "total", "",
        *(sum(getattr(c, f) for c in items) for f in ("cells", "read", "recovered", "grouped", "statements", "resolved")),
    )
