"""The dataset ``auditor extract`` writes: one row per report × template cell, then the report's
indicators (``auditor.indicators``), as CSV (spreadsheet-safe cells) or Parquet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from auditor.formats.safe import spreadsheet
from auditor.indicators import indicators

COLUMNS = ["path", "agency", "year", "template", "table", "key", "label", "value", "status", "line", "column", "page"]


def dataset_rows(record: dict[str, Any]) -> Iterator[list]:
    """A report record's rows (``COLUMNS``; the record made with every cell): each template cell,
    then each indicator computed from the cells (table "indicators", status "computed" or "not
    computed"), for reports of the 2019 and 2021 templates."""
    head = [record["path"], record.get("agency"), record.get("year"), record.get("template")]
    cells = record.get("cells", ())
    for c in cells:
        yield [*head, c["table"], c["key"], c["label"], c["value"], c["status"], c["line"], c["column"], c["page"]]
    if record.get("template") in ("2021", "2019"):
        values = {c["key"]: c["value"] for c in cells}
        for indicator in indicators():
            value = indicator.value(values)
            yield [*head, "indicators", indicator.key, indicator.label, value,
                   "computed" if value is not None else "not computed", None, None, None]


def write_csv(rows: Iterable[list], path: str) -> None:
    """``rows`` to a UTF-8 CSV with a byte-order mark (Excel opens it as such), each text cell
    neutralised for spreadsheets (``auditor.formats.safe.spreadsheet``)."""
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else spreadsheet(v) for v in row])


def write_parquet(rows: Iterable[list], path: str) -> None:
    """``rows`` to a Parquet file (values as float64). Raises ImportError without pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: list[list] = [[] for _ in COLUMNS]
    for row in rows:
        for column, value in zip(columns, row):
            column.append(value)
    at = COLUMNS.index("value")
    columns[at] = [None if v is None else float(v) for v in columns[at]]
    pq.write_table(pa.table(dict(zip(COLUMNS, columns))), path)
