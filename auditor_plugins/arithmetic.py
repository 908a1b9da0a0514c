"""Table arithmetic: the hard rules of the 2021 template (REPORT-FORMAT.md, "Arithmetic").

Every check compares integers exactly and is skipped when one of its cells is missing or not a
number (blank cells are reported by the completeness rules, never read as 0 here).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from auditor.audit import Document
from auditor.findings import Evidence, Hit, RuleSet
from auditor.hookspecs import hookimpl
from auditor.model import Cell

rules = RuleSet()


def _numbers(document: Document, keys: Sequence[str]) -> list[Cell] | None:
    cells = [document.report.cells.get(k) for k in keys]
    if any(c is None or c.value is None for c in cells):
        return None
    return cells  # type: ignore[return-value]


def _sum_check(document: Document, total_key: str, part_keys: Sequence[str], what: str) -> Iterator[Hit]:
    """A hit when cell ``total_key`` differs from the sum of ``part_keys``."""
    cells = _numbers(document, [total_key, *part_keys])
    if cells is None:
        return
    total, parts = cells[0], cells[1:]
    computed = sum(c.value for c in parts)  # type: ignore[misc]
    if computed != total.value:
        label = document.template.label(total_key)
        yield Hit(
            f"{label} is {total.value} but {what} add up to {computed}",
            total.position,
            tuple(Evidence.of_cell(c) for c in cells),
        )


@rules.rule(
    "A001", "requests-balance", "error",
    "表三 勾稽关系, per column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理.",
)
def requests_balance(document: Document) -> Iterator[Hit]:
    for column in document.template.request_columns:
        keys = [f"requests.{row}.{column.key}" for row in ("new", "carried_over", "total", "carried_forward")]
        cells = _numbers(document, keys)
        if cells is None:
            continue
        new, carried_over, total, carried_forward = cells
        left, right = new.value + carried_over.value, total.value + carried_forward.value  # type: ignore[operator]
        if left != right:
            name = document.template.row
            yield Hit(
                f"{document.template.names['requests']} {column.label}: "
                f"{name('new').short} {new.value} + {name('carried_over').short} {carried_over.value} = {left}, "
                f"but {name('total').label} {total.value} (line {_line(total)}) + "
                f"{name('carried_forward').short} {carried_forward.value} = {right}",
                new.position,
                tuple(Evidence.of_cell(c) for c in cells),
            )


@rules.rule(
    "A002", "requests-outcome-total", "error",
    "表三, per column: （七）总计 = the sum of the outcome rows （一）予以公开 … （六）其他处理 3.其他.",
)
def requests_outcome_total(document: Document) -> Iterator[Hit]:
    outcome_rows = [r.key for r in document.template.request_rows if r.key not in ("new", "carried_over", "total", "carried_forward")]
    for column in document.template.request_columns:
        parts = [f"requests.{row}.{column.key}" for row in outcome_rows]
        yield from _sum_check(document, f"requests.total.{column.key}", parts, "the outcome rows")


@rules.rule(
    "A003", "requests-applicant-total", "error",
    "表三, per row: 总计 = 自然人 + the five 法人或其他组织 columns (商业企业 … 其他).",
)
def requests_applicant_total(document: Document) -> Iterator[Hit]:
    columns = [c.key for c in document.template.request_columns if c.key != "total"]
    for row in document.template.request_rows:
        parts = [f"requests.{row.key}.{c}" for c in columns]
        yield from _sum_check(document, f"requests.{row.key}.total", parts, "the applicant columns")


@rules.rule(
    "A004", "appeals-total", "error",
    "表四, per group (行政复议; 行政诉讼 未经复议直接起诉; 复议后起诉): 总计 = 维持 + 纠正 + 其他 + 尚未审结.",
)
def appeals_total(document: Document) -> Iterator[Hit]:
    outcomes = [o for o in document.template.appeal_outcomes if o.key != "total"]
    what = ", ".join(o.label for o in outcomes)
    for group in document.template.appeal_groups:
        parts = [f"{group.key}.{o.key}" for o in outcomes]
        yield from _sum_check(document, f"{group.key}.total", parts, what)


@rules.rule(
    "A005", "count-not-whole", "error",
    "Counts (件) are non-negative whole numbers; only 表二's 行政事业性收费 (万元) may have decimals.",
)
def count_not_whole(document: Document) -> Iterator[Hit]:
    for key, cell in document.report.cells.items():
        spec = document.template.cells.get(key)
        if spec is None or spec.unit == "万元" or cell.value is None:
            continue
        if cell.value < 0 or cell.value != int(cell.value):
            yield Hit(f"{spec.label} is {cell.text}, not a whole count of 件", cell.position, (Evidence.of_cell(cell),))


def _line(cell: Cell) -> str:
    return str(cell.position.line) if cell.position else "?"


@hookimpl
def auditor_rules():
    """Rules A001–A005."""
    return rules.rules


@hookimpl
def auditor_check(document: Document):
    """Table arithmetic findings of one report."""
    return list(rules.check(document))
