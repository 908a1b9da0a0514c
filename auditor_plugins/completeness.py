"""What the reader could not read: template cells missing, tables not found, cells that are not
numbers. A miss is always reported, never read as 0."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.audit import Document
from auditor.findings import Evidence, Hit, RuleSet
from auditor.hookspecs import hookimpl

rules = RuleSet()


@rules.rule(
    "M001", "table-unreadable", "warning",
    "A template table, row or cell could not be read from the report (named by table and row).",
)
def table_unreadable(document: Document) -> Iterator[Hit]:
    for problem in document.report.problems:
        yield Hit(problem.message, problem.position)


@rules.rule(
    "M002", "cell-not-number", "warning",
    "A count cell of a template table is blank or holds a mark such as “/” or “—” instead of a number.",
)
def cell_not_number(document: Document) -> Iterator[Hit]:
    for key, cell in document.report.cells.items():
        if cell.status in ("blank", "non_number"):
            shown = f"“{cell.text}”" if cell.text else "blank"
            yield Hit(f"{document.template.label(key)} is {shown}, not a number", cell.position, (Evidence.of_cell(cell),))


@hookimpl
def auditor_rules():
    """Rules M001–M002."""
    return rules.rules


@hookimpl
def auditor_check(document: Document):
    """Completeness findings of one report."""
    return list(rules.check(document))
