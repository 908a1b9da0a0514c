"""The template's arithmetic as data: ``[[relations]]`` in ``auditor/data/template-<generation>.toml``.

A ``Relation`` says sum(left) = sum(right) once per member of its scope (each 表三 column, each
表三 row, each 表四 group); a ``RelationInstance`` is one of those equations over cell keys. The
arithmetic rules (A001–A004), the flattened-row recovery, the test-report generator and the rule
catalogue all read them from the template, so the template's arithmetic is written in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

# what the relations read of an ``auditor.template.Template`` (not imported: the template imports this)
Template = Any

Scope = Literal["column", "row", "group"]
SCOPES: tuple[Scope, ...] = ("column", "row", "group")


@dataclass(frozen=True)
class RelationInstance:
    """One equation of a relation: ``sum(left) = sum(right)`` over cell keys (件), for the scope
    member ``member`` (a column, row or group key). ``id`` is what a reader records in
    ``Report.assumed`` when it relied on the equation to recover cells."""

    relation: str
    member: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def id(self) -> str:
        """``"<relation>:<member>"``, e.g. ``"requests.balance:natural_person"``."""
        return f"{self.relation}:{self.member}"

    @property
    def keys(self) -> tuple[str, ...]:
        """Every cell key of the equation, left side first."""
        return self.left + self.right

    def terms(self) -> tuple[tuple[str, int], ...]:
        """The equation as signed terms that add up to 0: ``(key, +1)`` left, ``(key, -1)`` right."""
        return tuple((k, 1) for k in self.left) + tuple((k, -1) for k in self.right)

    def holds(self, values: Mapping[str, float]) -> bool | None:
        """Whether the equation holds for ``values`` (key → number); None when a key has none."""
        if any(values.get(k) is None for k in self.keys):
            return None
        return sum(values[k] for k in self.left) == sum(values[k] for k in self.right)


@dataclass(frozen=True)
class Relation:
    """One of the template's arithmetic relations (REPORT-FORMAT.md, "Arithmetic"): ``name``
    (stable: ``requests.balance``, ``requests.outcome_total``, ``requests.row_total``,
    ``appeals.total``), the template ``clause`` it comes from, the scope it holds ``per``
    ("column", "row", "group") and its ``left`` and ``right`` terms — cell-key patterns with the
    placeholder ``{column}``/``{row}``/``{group}``, and ``*`` for every sub-row of a group.
    Raises ``ValueError`` for a declaration that is wrong (unknown scope, no terms, a term
    without the scope's placeholder)."""

    name: str
    clause: str
    per: Scope
    left: tuple[str, ...]
    right: tuple[str, ...]

    # the names of the built-in relations, and of the pre-2019 统计表's row = its parts (its
    # parts are the ``parent`` links of template-pre2019.toml, not a [[relations]] entry)
    BALANCE: ClassVar[str] = "requests.balance"
    OUTCOME_TOTAL: ClassVar[str] = "requests.outcome_total"
    ROW_TOTAL: ClassVar[str] = "requests.row_total"
    APPEAL_TOTAL: ClassVar[str] = "appeals.total"
    STATISTICS_SUM: ClassVar[str] = "statistics.sum"

    def __post_init__(self) -> None:
        if self.per not in SCOPES:
            raise ValueError(f"relation {self.name}: per = {self.per!r} is not one of {', '.join(SCOPES)}")
        if not self.left or not self.right:
            raise ValueError(f"relation {self.name}: it needs terms on both sides")
        placeholder = "{" + self.per + "}"
        missing = [t for t in self.left + self.right if placeholder not in t]
        if missing:
            raise ValueError(f"relation {self.name}: term {missing[0]!r} lacks {placeholder}")

    @classmethod
    def of_data(cls, entry: Mapping) -> Relation:
        """A relation from its ``[[relations]]`` table."""
        return cls(entry["name"], entry.get("clause", ""), entry["per"], tuple(entry["left"]), tuple(entry["right"]))

    @staticmethod
    def of(name: str, member: str) -> str:
        """The identifier of relation ``name`` for one member of its scope (``Report.assumed``)."""
        return f"{name}:{member}"

    def id(self, member: str) -> str:
        """The identifier of this relation for ``member`` (``Report.assumed``)."""
        return self.of(self.name, member)

    def members(self, template: Template) -> tuple[str, ...]:
        """The keys the relation holds per, in template order: 表三's columns or rows, 表四's groups."""
        if self.per == "column":
            return tuple(c.key for c in template.request_columns)
        if self.per == "row":
            return tuple(r.key for r in template.request_rows)
        return tuple(g.key for g in template.appeal_groups)

    def instance(self, template: Template, member: str, known: Collection[str] | None = None) -> RelationInstance:
        """The equation for ``member``: each term with the member put in, ``*`` patterns expanded
        over the template's cells, keys that are not ``known`` (default: the template's cells)
        left out — a report may print a group as one row the template does not have."""
        known = template.cells if known is None else known

        def expand(terms: tuple[str, ...]) -> tuple[str, ...]:
            keys: list[str] = []
            for term in terms:
                pattern = term.replace("{" + self.per + "}", member)
                keys += template.expand(pattern) if "*" in pattern else ([pattern] if pattern in known else [])
            return tuple(keys)

        return RelationInstance(self.name, member, expand(self.left), expand(self.right))

    def instances(self, template: Template) -> tuple[RelationInstance, ...]:
        """The equation for every member of the scope, in template order."""
        return tuple(self.instance(template, m) for m in self.members(template))
