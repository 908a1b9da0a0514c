"""Rules, findings and the evidence they cite; ``RuleSet`` turns small rule functions into a plugin.

A rule is a generator function over an ``auditor.audit.Document`` that yields ``Hit``s; the
``RuleSet`` decorator carries the rule's stable ID, name, severity and one-line description and
stamps them on each finding::

    rules = RuleSet()

    @rules.rule("X001", "my-check", "error", "What it checks, and the template clause behind it.")
    def my_check(document):
        yield Hit("message naming both values", position, evidence)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from auditor.model import Cell, GridRef, Position

if TYPE_CHECKING:
    from auditor.audit import Document
    from auditor.figures import Figure

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# What a rule reports, for users (grouping findings) and for the accuracy benchmark (recall by
# kind): a template relation broken in the tables, a narrative figure against the tables, the
# narrative against itself, an itemised whole against its parts, a claim in words against the
# tables, the report's metadata (year, template generation), or what the reader could not read.
Kind = Literal[
    "table_arithmetic", "narrative_table", "narrative_narrative", "itemised_sum", "claim_in_words", "metadata", "reading",
]
KINDS: tuple[Kind, ...] = (
    "table_arithmetic", "narrative_table", "narrative_narrative", "itemised_sum", "claim_in_words", "metadata", "reading",
)


@dataclass(frozen=True)
class Rule:
    """A check's catalogue entry: stable ``id`` (never reused), ``name``, default severity, a
    one-line ``description`` that names the template clause or 勾稽关系 it enforces, and the
    ``kind`` of problem it reports (see ``KINDS``)."""

    id: str
    name: str
    severity: Severity
    description: str
    kind: Kind = "reading"


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
class Finding:
    """A finding of one rule in one report."""

    rule: str
    severity: Severity
    message: str
    position: Position | None
    evidence: tuple[Evidence, ...] = ()


RuleFunction = Callable[["Document"], Iterable[Hit]]


@dataclass
class RuleSet:
    """Collects decorated rule functions of one plugin; ``check`` runs them all."""

    functions: list[tuple[Rule, RuleFunction]] = field(default_factory=list)

    def rule(
        self, id: str, name: str, severity: Severity, description: str, kind: Kind = "reading"
    ) -> Callable[[RuleFunction], RuleFunction]:
        """Decorator registering a rule function under its stable ID."""
        if kind not in KINDS:
            raise ValueError(f"rule {id}: unknown kind {kind!r} (one of {', '.join(KINDS)})")

        def register(function: RuleFunction) -> RuleFunction:
            self.functions.append((Rule(id, name, severity, description, kind), function))
            return function

        return register

    @property
    def rules(self) -> list[Rule]:
        """The catalogue entries of this set's rules."""
        return [r for r, _ in self.functions]

    def check(self, document: Document) -> Iterator[Finding]:
        """Run every rule over ``document``."""
        for rule, function in self.functions:
            for hit in function(document):
                yield Finding(rule.id, hit.severity or rule.severity, hit.message, hit.position, hit.evidence)
