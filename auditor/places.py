"""Where things are in a report's view (``records.report_record(..., view=True)``): a finding's
narrative evidence as a span of a paragraph's text, and the template tables as rows and columns
of cell keys. Shared by the HTML output and the web page (``auditor serve``)."""

from __future__ import annotations

from typing import Any

from auditor.template import Template


def paragraph_offset(paragraph: dict[str, Any], line: int, column: int) -> int | None:
    """The offset in the paragraph's text (a view paragraph: ``text`` and ``starts``) of a
    1-based line/column of the extracted text, or None when it is in another paragraph."""
    starts = paragraph["starts"]
    for i, (offset, start_line, start_column) in enumerate(starts):
        if start_line == line and column >= start_column:
            end = starts[i + 1][0] if i + 1 < len(starts) else len(paragraph["text"])
            at = offset + column - start_column
            if at < end or (at == end and i + 1 == len(starts)):
                return at
    return None


def figure_span(text: str, offset: int, quoted: str, value: Any) -> tuple[int, int]:
    """The span (start, end offsets) of the quoted figure around ``offset`` (the number's
    position) in ``text``, else the number alone."""
    if quoted:
        start = text.find(quoted)
        while start >= 0:
            if start <= offset < start + len(quoted):
                return start, start + len(quoted)
            start = text.find(quoted, start + 1)
    return offset, offset + max(1, len(str(value)))


def narrative_place(paragraphs: list[dict[str, Any]], evidence: dict[str, Any]) -> tuple[int, int, int] | None:
    """(paragraph index, start, end) of a narrative evidence entry (``line``, ``column``,
    ``text``, ``value``) in the view's paragraphs, or None when it is in none of them."""
    if evidence.get("line") is None or evidence.get("column") is None:
        return None
    for index, paragraph in enumerate(paragraphs):
        offset = paragraph_offset(paragraph, evidence["line"], evidence["column"])
        if offset is not None:
            start, end = figure_span(paragraph["text"], offset, evidence.get("text") or "", evidence.get("value"))
            return index, start, end
    return None


def column_label(template: Template, table: str, column: str) -> str:
    """The printed heading of a table's column (its key when the template has no label)."""
    options = {"active": template.active_measures, "requests": template.request_columns, "appeals": template.appeal_outcomes,
               "statistics": template.statistics.measures if template.statistics else ()}[table]
    return next((o.label for o in options if o.key == column), column)


def table_layout(template: Template, table: str, keys: set[str]) -> tuple[list[str], list[tuple[str, list[str | None]]]]:
    """A template table as printed: its column headings and its rows, each (row label, the cell
    key in each column or None). A 统计表 keeps only the rows with a key in ``keys`` (the
    report's cells); an empty row list means the report has no such table."""
    specs = [s for s in template.cells.values() if s.table == table]
    rows = list(dict.fromkeys(s.row for s in specs if table != "statistics" or s.key in keys))
    columns = list(dict.fromkeys(s.column for s in specs))
    where = {(s.row, s.column): s.key for s in specs}
    return ([column_label(template, table, c) for c in columns],
            [(template.row_labels[table, row], [where.get((row, c)) for c in columns]) for row in rows])


def pointed(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The evidence entries (``records`` finding evidence) a finding is marked at: all of them,
    except that of a sum over more than four table cells the cells holding 0 are left out — they
    add nothing, and a whole column of marked zeros hides the cell that is wrong (表三's （七）总计
    against 21 outcome rows). The first table cell (the total, or the cell the finding is about)
    is always kept."""
    table = [e for e in evidence if e.get("source") == "table"]
    if len(table) <= 4:
        return list(evidence)
    first = table[0]
    return [e for e in evidence if e.get("source") != "table" or e is first or e.get("value") != 0]
