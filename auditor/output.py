"""Output of a run: ``path:line:col: severity rule message`` lines, or one JSON document.

JSON shape (stable, documented in the README)::

    {"reports": [{"path", "title", "agency", "year", "template",
                  "findings": [{"rule", "severity", "message", "line", "column", "page",
                                "evidence": [{"source", "key", "value", "line", "column", "text",
                                              "page", "grid"}]}]}],
     "errors": [{"path", "message"}]}

Unreadable inputs appear only under ``errors``; a report whose plugin failed appears in both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from auditor.audit import AuditResult
from auditor.figures import Figure
from auditor.findings import Evidence, Finding
from auditor.model import Cell, Position, Report
from auditor.template import Template


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
    """One finding as JSON data."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        **_pos(finding.position),
        **_page(finding.position),
        "evidence": [evidence_json(e) for e in finding.evidence],
    }


def results_json(results: Iterable[AuditResult]) -> dict[str, Any]:
    """The JSON document of a run."""
    reports, errors = [], []
    for result in results:
        errors.extend({"path": result.path, "message": m} for m in result.errors)
        if result.report is None:
            continue
        report = result.report
        reports.append(
            {
                "path": result.path,
                "title": report.title,
                "agency": report.agency,
                "year": report.year,
                "template": report.template,
                "findings": [finding_json(f) for f in result.findings],
            }
        )
    return {"reports": reports, "errors": errors}


def render_json(results: Iterable[AuditResult]) -> str:
    """The JSON document as text (UTF-8, Chinese kept readable)."""
    return json.dumps(results_json(results), ensure_ascii=False, indent=2)


def finding_line(path: str, finding: Finding) -> str:
    """``path:line:col: severity rule message``; file-level findings are placed at 1:1."""
    line, column = (finding.position.line, finding.position.column) if finding.position else (1, 1)
    return f"{path}:{line}:{column}: {finding.severity} {finding.rule} {finding.message}"


def model_json(report: Report, figures: Sequence[Figure], template: Template) -> dict[str, Any]:
    """The typed model of a report as JSON data (``auditor parse --format json``).

    ``cells`` has one entry per template cell, in template order (200 for the 2021 template,
    198 for 2019, none for free-form reports), with status ``missing`` for cells not found;
    ``group_rows`` holds rows a report printed in place of template rows; ``figures`` every
    narrative figure, ``key`` null when unresolved.
    """
    def cell_json(key: str, cell: Cell | None, label: str, table: str) -> dict[str, Any]:
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
            "page": position.page if position else None,
            "grid": [grid.table, grid.row, grid.column] if grid else None,
        }

    cells = [cell_json(k, report.cells.get(k), s.label, s.table) for k, s in template.cells.items()]
    extra = [cell_json(k, c, k, c.table) for k, c in report.cells.items() if k not in template.cells]
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
