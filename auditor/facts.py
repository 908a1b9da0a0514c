"""What batch rules receive: each report of a batch as its facts — identity, template generation,
the template cells and, for rules that read it, the narrative — grouped by the body that published
it (the base of cross-year rules) or, for rules over a whole run, all in one group.

The facts of a report are rebuilt from its result record (``auditor.records``, with ``cells``),
so that they cross process boundaries and the result cache as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.bodies import body_keys
from auditor.changes import Statements
from auditor.figures.mentions import mentions
from auditor.model import Cell, GridRef, Paragraph, Position

if TYPE_CHECKING:
    from auditor.document import Document

NARRATIVE = "narrative"  # in a rule's ``reads``: the rule reads the narrative's text (``ReportFacts.narrative``)
TABLES = "tables"  # in a rule's ``reads``: the rule reads the tables' fingerprint (``ReportFacts.tables``)
STATED = "stated"  # in a rule's ``reads``: the rule reads ``ReportFacts.stated`` (``auditor.changes.Statements``)
FIRST_FIGURES = 3  # cells a fingerprint keeps, for a finding's position and evidence


@dataclass(frozen=True)
class TablesFingerprint:
    """What tells two reports' tables apart without carrying them: ``digest`` (SHA-256 of the
    template generation and every cell's key and value, blanks and unread cells included),
    ``cells`` (how many the reader found), ``figures`` (how many are numbers other than 0) and the
    ``first`` few of those in print order (for a finding's position and evidence)."""

    digest: str
    cells: int
    figures: int
    first: tuple[Cell, ...] = ()

    @classmethod
    def of(cls, template: str, cells: Mapping[str, Cell]) -> TablesFingerprint:
        import hashlib

        vector = repr((template, sorted((key, cell.value) for key, cell in cells.items())))
        figures = sorted((c for c in cells.values() if c.value), key=lambda c: (c.position is None, c.position or Position(0, 0)))
        return cls(hashlib.sha256(vector.encode("utf-8")).hexdigest(), len(cells), len(figures), tuple(figures[:FIRST_FIGURES]))


@dataclass(frozen=True)
class ReportFacts:
    """One report of a batch: ``path`` (as the run names it), ``title``, ``agency`` and ``year``
    as the title states them, its template generation (``template``: "2021", "2019", "pre2019")
    and its template cells by key (``auditor.model.Cell``: value in the key's unit, 件 or 万元,
    None when blank, missing or not a number; only the cells the batch's rules read), and the
    sentences of its narrative the rules quote (``mentions``, ``auditor.figures.mentions``); the
    narrative's paragraphs (``narrative``, ``auditor.model.Paragraph`` with their positions) only
    when a rule of the run reads ``NARRATIVE``; the tables' ``TablesFingerprint`` only when one
    reads ``TABLES``; its ``stated`` changes and quantities (``auditor.changes.Statements``) only
    when one reads ``STATED``."""

    path: str
    title: str | None
    agency: str | None
    year: int | None
    template: str | None
    cells: Mapping[str, Cell] = field(default_factory=dict)
    mentions: Mapping[str, str] = field(default_factory=dict)
    narrative: tuple[Paragraph, ...] = ()
    tables: TablesFingerprint | None = None
    stated: Statements | None = None

    @classmethod
    def of_record(cls, record: Mapping[str, Any], reads: Sequence[str] = ()) -> ReportFacts:
        """The facts of a readable report's record made with ``cells`` (``Settings.cells``); with
        ``reads`` (``fnmatch`` patterns of cell keys), only the cells they match."""
        cells = {c["key"]: _cell(c) for c in record.get("cells", ())
                 if not reads or any(fnmatchcase(c["key"], pattern) for pattern in reads)}
        tables = record.get("tables")
        if tables is not None:
            tables = TablesFingerprint(tables["digest"], tables["cells"], tables["figures"], tuple(map(_cell, tables["first"])))
        narrative = tuple(
            Paragraph(p["text"], p.get("section"), tuple((o, Position(line, column, p.get("page"))) for o, line, column in p["starts"]))
            for p in record.get("narrative") or ()
        )
        return cls(record["path"], record.get("title"), record.get("agency"), record.get("year"), record.get("template"),
                   cells, dict(record.get("mentions") or {}), narrative, tables,
                   Statements.from_json(record["stated"]) if record.get("stated") is not None else None)

    @classmethod
    def of_document(cls, document: Document) -> ReportFacts:
        """The facts of a document (as the test kit builds them): all of them."""
        report = document.report
        return cls(report.path, report.title, report.agency, report.year, report.template, dict(report.cells),
                   mentions(report), tuple(report.paragraphs), TablesFingerprint.of(report.template, report.cells),
                   document.statements())

    def value(self, key: str) -> int | float | None:
        """The number in cell ``key``, or None (blank, a mark, not read, not in the template)."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value


def _cell(c: Mapping[str, Any]) -> Cell:
    position = Position(c["line"], c["column"], c.get("page")) if c.get("line") is not None else None
    grid = GridRef(*c["grid"]) if c.get("grid") else None
    return Cell(c["key"], c["table"], c["value"], c["status"], c.get("text", ""), position, grid)


@dataclass(frozen=True)
class ReportGroup:
    """The reports of one body in a batch (``agency``: the body's key, ``auditor.bodies``), by
    year, then path."""

    agency: str
    reports: tuple[ReportFacts, ...]

    def by_year(self) -> dict[int, list[ReportFacts]]:
        """The group's reports by the year they cover (reports without a year left out)."""
        found: dict[int, list[ReportFacts]] = {}
        for report in self.reports:
            if report.year is not None:
                found.setdefault(report.year, []).append(report)
        return found


def group_reports(reports: Iterable[ReportFacts]) -> list[ReportGroup]:
    """The batch's reports grouped by body (``auditor.bodies.body_keys``: "洪泽区人民政府" and
    "淮安市洪泽区人民政府" are one body; reports whose title names no body are left out), in the
    order each body first appears."""
    reports = list(reports)
    keys = body_keys(r.agency for r in reports)
    groups: dict[str, list[ReportFacts]] = {}
    for report in reports:
        body = keys.get(report.agency)
        if body is not None:
            groups.setdefault(body, []).append(report)
    return [ReportGroup(body, tuple(sorted(members, key=lambda r: (r.year or 0, r.path)))) for body, members in groups.items()]


def groups_of(reports: Iterable[ReportFacts], scope: str) -> list[ReportGroup]:
    """The groups a rule of ``scope`` runs over: one per body for "batch" (``group_reports``),
    one of every report (agency "", by year, then path) for "run"."""
    if scope == "run":
        return [ReportGroup("", tuple(sorted(reports, key=lambda r: (r.year or 0, r.path))))]
    return group_reports(reports)
