"""An Excel workbook (openpyxl): a findings sheet and a per-report summary sheet."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from auditor.formats import Formatter
from auditor.formats.basic import CSV_COLUMNS, finding_rows
from auditor.formats.safe import spreadsheet
from auditor.i18n import N_

SUMMARY_COLUMNS = ["path", "title", "agency", "year", "template", "errors", "warnings", "info", "failed"]
SHEETS = ("findings", "reports")
# the sheets' and columns' names and the words in their cells, translated in a Chinese run (msgids)
WORDS = (N_("findings"), N_("reports"), N_("path"), N_("agency"), N_("year"), N_("template"), N_("kind"), N_("rule"),
         N_("severity"), N_("line"), N_("column"), N_("page"), N_("message"), N_("evidence"), N_("title"),
         N_("errors"), N_("warnings"), N_("info"), N_("failed"), N_("finding"), N_("error"), N_("warning"))


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
        self.findings = None  # made with the first record: its header is in the run's language (``lang``)
        self.rows = 1
        # one short row per input, sorted worst first at the end: kept in a temporary SQLite file
        self.summary = sqlite3.connect("")  # "": a private temporary database on disk
        self.summary.execute("CREATE TABLE summary (errors INTEGER, warnings INTEGER, path TEXT, row TEXT)")
        self.inputs = 0

    def _sheet(self, name: str, columns: list[str]):
        sheet = self.book.create_sheet(self.gettext(name))
        sheet.freeze_panes = "A2"
        sheet.append([self.gettext(c) for c in columns])
        return sheet

    def _words(self, row: list[Any]) -> list[Any]:
        """A finding row with its kind (finding, error) and severity in the run's language."""
        if self.lang != "en":
            row = [*row[:4], self.gettext(row[4]), row[5], self.gettext(row[6]) if row[6] else row[6], *row[7:]]
        return row

    def add(self, record: dict[str, Any]) -> None:
        if self.findings is None:
            self.findings = self._sheet(SHEETS[0], CSV_COLUMNS)
        for row in finding_rows(record):
            self.findings.append([spreadsheet(v) for v in self._words(row)])
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

        if self.findings is None:
            self.findings = self._sheet(SHEETS[0], CSV_COLUMNS)
        self.findings.auto_filter.ref = f"A1:{get_column_letter(len(CSV_COLUMNS))}{self.rows}"
        sheet = self._sheet(SHEETS[1], SUMMARY_COLUMNS)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}{self.inputs + 1}"
        for (row,) in self.summary.execute("SELECT row FROM summary ORDER BY errors DESC, warnings DESC, path"):
            sheet.append(json.loads(row))
        self.summary.close()
        self.book.save(self.out)
