"""Results as plain JSON data: what workers send back, the cache stores and formatters read.

A *record* is the result for one input::

    {"path", "readable": true, "title", "agency", "year", "template",
     "findings": [{"rule", "severity", "message", "line", "column", "page",
                   "evidence": [{"source", "key", "value", "line", "column", "text", "page", "grid"}]}],
     "errors": [message, …],            # rules that failed or were stopped
     "view": {…}, "cells": […],         # only when a formatter or ``extract`` asks for them
     "mentions": {name: sentence},      # with "cells": sentences batch rules quote
     "narrative": [paragraph, …],       # when a batch rule reads it (``auditor.facts.NARRATIVE``)
     "tables": {digest, cells, figures, first},  # the same for ``auditor.facts.TABLES``
     "stated": {changes, quantities, counts}}   # the same for ``auditor.facts.STATED``

or, for an input that could not be read, ``{"path", "readable": false, "errors": [message]}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from typing import Any

from auditor.audit import AuditResult
from auditor.figures import Figure
from auditor.figures.mentions import mentions
from auditor.facts import NARRATIVE, STATED, TABLES, TablesFingerprint
from auditor.findings import Evidence, Finding
from auditor.i18n import Message
from auditor.model import Cell, Paragraph, Position, Report
from auditor.template import Template, load_template


def _pos(position: Position | None) -> dict[str, int | None]:
    return {"line": position.line if position else None, "column": position.column if position else None}


def _page(position: Position | None) -> dict[str, int | None]:
    return {"page": position.page if position else None}


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    """One evidence entry as JSON data; ``grid`` is [table, row, column] for a table cell."""
    grid = evidence.grid
    return {
        "source": evidence.source, "key": evidence.key, "value": evidence.value, **_pos(evidence.position),
        "text": evidence.text, **_page(evidence.position), "grid": [grid.table, grid.row, grid.column] if grid else None,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as JSON data; ``msg`` keeps a ``Message``'s language-free form, from which the
    output renders ``message`` in the user's language (``auditor.i18n.localize``)."""
    record = {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": str(finding.message),
        **_pos(finding.position),
        **_page(finding.position),
        "evidence": [evidence_json(e) for e in finding.evidence],
    }
    if isinstance(finding.message, Message):
        record["msg"] = finding.message.to_json()
    return record


def report_record(result: AuditResult, *, view: bool = False, cells: bool | tuple[str, ...] = False) -> dict[str, Any]:
    """The record of an audited (or unreadable) input; ``view`` adds the narrative and tables a
    reader sees (for the HTML report), ``cells`` every template cell (True, for ``extract``) or
    those matching its ``fnmatch`` patterns (for batch rules), with the narrative's ``mentions``
    (and its paragraphs when the patterns include ``NARRATIVE``, its tables' fingerprint with
    ``TABLES``)."""
    if result.report is None:
        return error_record(result.path, result.errors[0] if result.errors else "unreadable")
    report = result.report
    record: dict[str, Any] = {
        "path": result.path,
        "readable": True,
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "findings": [finding_json(f) for f in result.findings],
        "errors": list(result.errors),
    }
    template = load_template(report.template)
    if view:
        record["view"] = {
            "paragraphs": [paragraph_json(p) for p in report.paragraphs],
            "cells": [_cell_json(k, report.cells.get(k), s.label, s.table) for k, s in template.cells.items()],
            "tables": template.table_names(),
        }
    if cells:
        keys = [k for k in template.cells if cells is True or any(fnmatchcase(k, p) for p in cells)]
        record["cells"] = [_cell_json(k, report.cells.get(k), template.cells[k].label, template.cells[k].table) for k in keys]
        record["mentions"] = mentions(report)
        if cells is not True and NARRATIVE in cells:
            record["narrative"] = [paragraph_json(p) for p in report.paragraphs]
        if cells is not True and TABLES in cells:
            tables = TablesFingerprint.of(report.template, report.cells)
            record["tables"] = {"digest": tables.digest, "cells": tables.cells, "figures": tables.figures,
                                "first": [_cell_json(c.key, c, template.cells[c.key].label if c.key in template.cells else c.key, c.table)
                                          for c in tables.first]}
        if cells is not True and STATED in cells and result.document is not None:
            record["stated"] = result.document.statements().to_json()
    return record


def paragraph_json(paragraph: Paragraph) -> dict[str, Any]:
    """A narrative paragraph: its text, section, the page it starts on and where each of its
    lines starts (``[offset, line, column]``)."""
    return {"text": paragraph.text, "section": paragraph.section, "page": paragraph.position.page,
            "starts": [[o, q.line, q.column] for o, q in paragraph.line_starts]}


def error_record(path: str, message: str) -> dict[str, Any]:
    """The record of an input that could not be read; a ``Message`` keeps its language-free form
    in ``errors_msg`` (``auditor.i18n.localize``)."""
    record: dict[str, Any] = {"path": path, "readable": False, "errors": [str(message)]}
    if isinstance(message, Message):
        record["errors_msg"] = [message.to_json()]
    return record


_FINDING_FIELDS = {"rule": str, "severity": str, "message": str, "evidence": list}


def is_record(data: object) -> bool:
    """True when ``data`` has a record's shape (see the module docstring): what a cache entry
    must hold before it is trusted (an entry edited or damaged outside the tool is a miss)."""
    if not isinstance(data, dict) or not isinstance(data.get("readable"), bool):
        return False
    errors = data.get("errors")
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        return False
    if not data["readable"]:
        return bool(errors)
    findings = data.get("findings")
    if not isinstance(findings, list) or not all(isinstance(data.get(k), (str, type(None))) for k in ("title", "agency", "template")):
        return False
    return all(isinstance(f, dict) and all(isinstance(f.get(k), t) for k, t in _FINDING_FIELDS.items()) for f in findings)


def results_json(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The JSON document of a run: ``{"reports": [...], "errors": [{"path", "message"}]}``.
    Unreadable inputs appear only under ``errors``; a report one of whose rules failed in both."""
    reports, errors = [], []
    for record in records:
        errors.extend({"path": record["path"], "message": m} for m in record["errors"])
        if record["readable"]:
            reports.append({k: record[k] for k in ("path", "title", "agency", "year", "template", "findings")})
    return {"reports": reports, "errors": errors}


def _cell_json(key: str, cell: Cell | None, label: str, table: str) -> dict[str, Any]:
    position = cell.position if cell else None
    grid = cell.grid if cell else None
    return {
        "table": table,
        "key": key,
        "label": label,
        "value": cell.value if cell else None,
        "status": cell.status if cell else "missing",
        "text": cell.text if cell else "",
        **_pos(position),
        **_page(position),
        "grid": [grid.table, grid.row, grid.column] if grid else None,
    }




def model_json(report: Report, figures: Sequence[Figure], template: Template) -> dict[str, Any]:
    """The typed model of a report as JSON data (``auditor parse --format json``).

    ``cells`` has one entry per template cell, in template order (200 for the 2021 template,
    198 for 2019, none for free-form reports), with status ``missing`` for cells not found;
    ``group_rows`` holds rows a report printed in place of template rows; ``figures`` every
    narrative figure, ``key`` null when unresolved.
    """
    cells = [_cell_json(k, report.cells.get(k), s.label, s.table) for k, s in template.cells.items()]
    extra = [_cell_json(k, c, k, c.table) for k, c in report.cells.items() if k not in template.cells]
    return {
        "path": report.path,
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "cells": cells,
        "group_rows": extra,
        "figures": [
            {
                "key": f.key,
                "value": f.value,
                "unit": f.unit,
                "kind": f.kind,
                "text": f.text,
                **_pos(f.position),
                "page": f.position.page,
                "comparable": f.comparable,
            }
            for f in figures
        ],
        "problems": [{"message": p.message, **_pos(p.position), "table": p.table} for p in report.problems],
        "assumed": sorted(report.assumed),
    }
