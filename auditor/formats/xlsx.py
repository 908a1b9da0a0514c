"""An Excel workbook (openpyxl): a findings sheet and a per-report summary sheet."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from auditor.formats import Formatter
from auditor.formats.basic import CSV_COLUMNS, finding_rows
from auditor.formats.safe import spreadsheet

SUMMARY_COLUMNS = ["path", "title", "agency", "year", "template", "errors", "warnings", "info", "failed"]


class Xlsx(Formatter):
    """Sheet 发现 (findings): one row per finding or error; sheet 报告 (reports): one row per input
    with its counts by severity, worst first. Chinese text is kept as text (Excel shows it)."""

    name = "xlsx"
    description = "Excel workbook: findings sheet and per-report summary sheet"
    binary = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)  # rows stream to temporary files: no batch is held in memory
        self.findings = self.book.create_sheet("findings")
        self.findings.freeze_panes = "A2"
        self.findings.append(CSV_COLUMNS)
        self.rows = 1
        # one short row per input, sorted worst first at the end: kept in a temporary SQLite file
        self.summary = sqlite3.connect("")  # "": a private temporary database on disk
        self.summary.execute("CREATE TABLE summary (errors INTEGER, warnings INTEGER, path TEXT, row TEXT)")
        self.inputs = 0

    def add(self, record: dict[str, Any]) -> None:
        for row in finding_rows(record):
            self.findings.append([spreadsheet(v) for v in row])
            self.rows += 1
        counts = {s: sum(f["severity"] == s for f in record.get("findings", ())) for s in ("error", "warning", "info")}
        row = [spreadsheet(v) for v in (
            record["path"], record.get("title"), record.get("agency"), record.get("year"), record.get("template"),
            counts["error"], counts["warning"], counts["info"], "; ".join(record["errors"]),
        )]
        self.summary.execute("INSERT INTO summary VALUES (?, ?, ?, ?)",
                             (counts["error"], counts["warning"], row[0], json.dumps(row, ensure_ascii=False)))
        self.inputs += 1

    def close(self, stats: Any) -> None:
        from openpyxl.utils import get_column_letter

        self.findings.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{self.rows}"
        sheet = self.book.create_sheet("reports")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}{self.inputs + 1}"
        sheet.append(SUMMARY_COLUMNS)
        for (row,) in self.summary.execute("SELECT row FROM summary ORDER BY errors DESC, warnings DESC, path"):
            sheet.append(json.loads(row))
        self.summary.close()
        self.book.save(self.out)
