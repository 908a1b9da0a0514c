"""The streaming formats (text lines, JSON lines, CSV rows) and the one JSON document."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from auditor.formats import Formatter
from auditor.formats.safe import one_line, spreadsheet
from auditor.formats.stream import JsonArray, dumps
from auditor.i18n import Message
from auditor.records import results_json

RECORD_KEYS = ("path", "title", "agency", "year", "template", "findings", "errors")


def finding_line(path: str, finding: dict[str, Any]) -> str:
    """``path:line:col: severity rule message``; findings with no position are placed at 1:1."""
    line, column = finding["line"] or 1, finding["column"] or 1
    return one_line(f"{path}:{line}:{column}: {finding['severity']} {finding['rule']} {finding['message']}")


def summary(stats: Any, lang: str = "en") -> str:
    """The one-line summary of a run in ``lang`` (the command prints it on stderr unless --quiet)."""
    found = stats.findings
    cached = getattr(stats, "cached_reports", stats.cached)
    message = Message("{reports} report(s)", reports=stats.done - stats.unreadable)
    if cached:
        message += Message(", {count} from the cache", count=cached)
    message += Message(": {errors} error(s), {warnings} warning(s), {info} info", errors=found.get("error", 0),
                       warnings=found.get("warning", 0), info=found.get("info", 0))
    suppressed = getattr(stats, "suppressed", 0)
    if suppressed:
        message += Message(" ({count} more left out by the baseline)", count=suppressed)
    dismissed = getattr(stats, "dismissed", 0)
    if dismissed:
        message += Message(" ({count} more dismissed in reviews)", count=dismissed)
    return (message + Message("; {count} input(s) or rule(s) failed", count=stats.errors)).translate(lang)


class Text(Formatter):
    """``path:line:col: severity rule message`` per finding; errors on stderr."""

    name = "text"
    description = "one line per finding, as linters print them"

    def add(self, record: dict[str, Any]) -> None:
        for finding in record.get("findings", ()):
            self.write(finding_line(record["path"], finding) + "\n")
        for message in record["errors"]:
            self.err.write(one_line(f"{record['path']}: error: {message}") + "\n")
        self.out.flush()

class Json(Formatter):
    """One JSON document: ``{"reports": [...], "errors": [...]}`` (see the README), written as the
    records come (``auditor.formats.stream``): only the errors wait for the end."""

    name = "json"
    description = "one JSON document for the whole run"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reports: JsonArray | None = None
        self.errors: list[dict[str, str]] = []

    def _begin(self) -> JsonArray:
        if self.reports is None:
            self.write('{\n  "reports": [')
            self.reports = JsonArray(self.write, 2)
        return self.reports

    def add(self, record: dict[str, Any]) -> None:
        reports = self._begin()
        document = results_json([{k: record[k] for k in RECORD_KEYS if k in record} | {"readable": record["readable"]}])
        for report in document["reports"]:
            reports.add(report)
        self.errors.extend(document["errors"])
        self.out.flush()

    def close(self, stats: Any) -> None:
        self._begin().close()
        self.write(',\n  "errors": ' + dumps(self.errors, 1) + "\n}\n")


class JsonLines(Formatter):
    """One JSON object per input, streamed in input order: the report's result, or its error."""

    name = "jsonl"
    description = "one JSON line per input (result or error), streamed"

    def add(self, record: dict[str, Any]) -> None:
        if record["readable"]:
            line = {k: record[k] for k in RECORD_KEYS}
        else:
            line = {"path": record["path"], "error": record["errors"][0]}
        self.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out.flush()


CSV_COLUMNS = ["path", "agency", "year", "template", "kind", "rule", "severity", "line", "column", "page", "message", "evidence"]


def evidence_text(finding: dict[str, Any]) -> str:
    """Evidence in one cell: "narrative review.total=1 @13:48; table review.total=0 @80:9"."""
    return "; ".join(
        f"{e['source']} {e['key']}={e['value']} @{e['line']}:{e['column']}" for e in finding["evidence"]
    )


def finding_rows(record: dict[str, Any]) -> list[list[Any]]:
    """Rows of a record for tabular formats: one per finding and one per error."""
    base = [record["path"], record.get("agency"), record.get("year"), record.get("template")]
    rows = [
        base + ["finding", f["rule"], f["severity"], f["line"], f["column"], f["page"], f["message"], evidence_text(f)]
        for f in record.get("findings", ())
    ]
    rows += [base + ["error", "", "", None, None, None, message, ""] for message in record["errors"]]
    return rows


class Csv(Formatter):
    """One CSV row per finding or error (UTF-8 with a byte-order mark, so Excel shows Chinese)."""

    name = "csv"
    description = "one CSV row per finding or error"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.out.write("\ufeff".encode("utf-8"))
        self._row(CSV_COLUMNS)

    def _row(self, row: list[Any]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(["" if v is None else spreadsheet(v) for v in row])
        self.write(buffer.getvalue())

    def add(self, record: dict[str, Any]) -> None:
        for row in finding_rows(record):
            self._row(row)
        self.out.flush()
