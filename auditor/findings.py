"""Findings and the evidence they cite: what a rule (``auditor.rules``) reports.

A rule function yields ``Hit``s — message, position, evidence, optionally a severity other than
the rule's default — and the host stamps each with the rule's ID and severity into a ``Finding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from auditor.model import Cell, GridRef, Position

if TYPE_CHECKING:
    from auditor.figures import Figure

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# What a rule reports, for users (grouping findings) and for the accuracy benchmark (recall by
# kind): a template relation broken in the tables, a narrative figure against the tables, the
# narrative against itself, an itemised whole against its parts, a claim in words against the
# tables, the report's metadata (year, template generation), what the reader could not read, an
# indicator past a threshold (not a contradiction: a figure evaluators watch, e.g. 复议纠错率), a
# report against last year's (cross_year), a report copied from another of the batch, a region's
# summary against its units' reports (region), a figure the body cannot have (plausibility: 规章
# from a county), or something else (a plugin's rule that declares no kind).
Kind = Literal[
    "table_arithmetic", "narrative_table", "narrative_narrative", "itemised_sum", "claim_in_words", "metadata", "reading",
    "indicator", "cross_year", "copied", "region", "plausibility", "other",
]
KINDS: tuple[Kind, ...] = (
    "table_arithmetic", "narrative_table", "narrative_narrative", "itemised_sum", "claim_in_words", "metadata", "reading",
    "indicator", "cross_year", "copied", "region", "plausibility", "other",
)


@dataclass(frozen=True)
class Evidence:
    """A value a finding rests on: from the ``narrative`` (a figure), a ``table`` (a cell), or
    the ``report``'s metadata (``report.year``: the year of the title; ``report.template``: the
    year the printed tables' template generation was issued for).

    ``value`` is a number in the key's unit (件, 万元) or None for a cell that is not a number;
    ``grid`` is the cell's table/row/column in the report's tables.
    """

    source: Literal["narrative", "table", "report"]
    key: str
    value: int | float | None
    position: Position | None
    text: str
    grid: GridRef | None = None

    @classmethod
    def of_cell(cls, cell: Cell) -> Evidence:
        """Evidence for a table cell."""
        return cls("table", cell.key, cell.value, cell.position, cell.text, cell.grid)

    @classmethod
    def of_figure(cls, figure: Figure) -> Evidence:
        """Evidence for a narrative figure."""
        return cls("narrative", figure.key or "", figure.value, figure.position, figure.text)


@dataclass(frozen=True)
class Hit:
    """What a rule function yields: message, where, the evidence, and optionally a severity that
    differs from the rule's default (e.g. a warning when a scope word makes a difference doubtful)."""

    message: str
    position: Position | None
    evidence: tuple[Evidence, ...] = ()
    severity: Severity | None = None


@dataclass(frozen=True)
class BatchHit:
    """What a batch rule yields: the ``path`` of the report the finding is about (as its
    ``auditor.facts.ReportFacts`` names it), and what a ``Hit`` holds."""

    path: str
    message: str
    position: Position | None
    evidence: tuple[Evidence, ...] = ()
    severity: Severity | None = None


@dataclass(frozen=True)
class Finding:
    """A finding of one rule in one report."""

    rule: str
    severity: Severity
    message: str
    position: Position | None
    evidence: tuple[Evidence, ...] = ()

    def problem(self) -> str | None:
        """What makes this finding invalid (a plugin built it wrong), or None."""
        if self.severity not in SEVERITIES:
            return f"rule {self.rule}: severity {self.severity!r} is not one of {', '.join(SEVERITIES)}"
        if self.position is not None and not isinstance(self.position, Position):
            return f"rule {self.rule}: position {self.position!r} is not a Position"
        if not isinstance(self.message, str):
            return f"rule {self.rule}: the message is {type(self.message).__name__}, not str"
        for number, item in enumerate(self.evidence or ()):
            if not isinstance(item, Evidence):
                hint = " (use Evidence.of_cell)" if type(item).__name__ == "Cell" else (
                    " (use Evidence.of_figure)" if type(item).__name__ == "Figure" else "")
                return f"rule {self.rule}: evidence item {number} is {type(item).__name__}, not Evidence{hint}"
        return None
