"""What the reader could not read, and which template the report uses: template cells missing,
tables not found, cells that are not numbers, tables of the wrong generation for the year,
free-form reports. A miss is always reported, never read as 0."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.audit import Document
from auditor.findings import Evidence, Hit, RuleSet
from auditor.hookspecs import hookimpl
from difflib import SequenceMatcher

from auditor.template import GENERATIONS, load_template, normalize_label

TYPO_RATIO = 0.88

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
            text = cell.text if len(cell.text) <= 40 else cell.text[:40] + "…"
            shown = f"“{text}”" if text else "blank"
            yield Hit(f"{document.template.label(key)} is {shown}, not a number", cell.position, (Evidence.of_cell(cell),))


@rules.rule(
    "M003", "template-year-mismatch", "warning",
    "The tables are printed in a template generation not meant for the report's year "
    "(2019 试行 tables in a 2022 report; 国办公开办函〔2021〕30号 applies from reports on 2021).",
)
def template_year_mismatch(document: Document) -> Iterator[Hit]:
    report, template = document.report, document.template
    if report.year is None or not template.has_tables or template.covers(report.year):
        return
    meant = next((g for g in GENERATIONS if load_template(g).covers(report.year)), None)
    notice = load_template(meant).notice if meant else "none"
    yield Hit(
        f"tables printed in the {template.generation} template ({template.notice}) in a report on "
        f"{report.year}, which should use {notice or 'a free-form report'}",
        None,
    )


@rules.rule(
    "M004", "free-form-report", "info",
    "A report from before the 2019 national template: no template tables, so only narrative checks run.",
)
def free_form_report(document: Document) -> Iterator[Hit]:
    if not document.template.has_tables:
        yield Hit(f"free-form report on {document.report.year or 'an unknown year'}: narrative checks only", None)


@rules.rule(
    "M005", "heading-typo", "warning",
    "A section heading nearly matches the template's (四、政府信息公开行政法复议、行政诉讼情况 for "
    "四、政府信息公开行政复议、行政诉讼情况): a typo in the heading.",
)
def heading_typo(document: Document) -> Iterator[Hit]:
    titles = [*load_template("2021").sections, *document.template.titles.values()]  # numbered titles win
    known = {normalize_label(t): t for t in titles}
    for section in document.report.sections:
        if section.level != 1:
            continue
        heading = normalize_label(section.heading)
        if heading in known:
            continue
        close = [(SequenceMatcher(None, heading, k).ratio(), t) for k, t in known.items()]
        ratio, title = max(close, default=(0.0, ""))
        if ratio >= TYPO_RATIO:
            yield Hit(f"heading “{section.heading}” differs from the template's “{title}”", section.position)


@hookimpl
def auditor_rules():
    """Rules M001–M005."""
    return rules.rules


@hookimpl
def auditor_check(document: Document):
    """Completeness findings of one report."""
    return list(rules.check(document))
