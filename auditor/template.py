"""The national report template (国办公开办函〔2021〕30号) as typed data.

Every cell of the three standard tables has a canonical English key:

* table 二 (``active``): ``active.<item>.<measure>``, e.g. ``active.normative_documents.issued``
  (件) or ``active.fees.amount`` (万元);
* table 三 (``requests``): ``requests.<row>.<column>``, e.g. ``requests.new.total`` or
  ``requests.withheld.state_secret.natural_person`` (件);
* table 四 (``appeals``): ``<group>.<outcome>``, e.g. ``review.total`` or
  ``litigation_after_review.pending`` (件);
* the pre-2019 statistics table (``statistics``): ``statistics.<row>.<year|cumulative>``, e.g.
  ``statistics.requests.year`` (受理依申请公开信息总数 in the report year) or
  ``statistics.active.cumulative`` (主动公开信息数, 历年累计), from ``template-pre2019.toml``.

The Chinese labels and their variants come from ``auditor/data/template-<generation>.toml``; nothing
else in the code spells a template label.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources

from auditor.labels import Labels, best_match, normalize_label  # noqa: F401  (best_match: imported from here too)
from auditor.relations import Relation, RelationInstance  # noqa: F401  (Relation: imported from here too)


@dataclass(frozen=True)
class RowSpec(Labels):
    """A row of table 三; ``group`` is ``withheld``/``unavailable``/… for the numbered sub-rows."""

    group: str | None = None


@dataclass(frozen=True)
class ItemSpec(Labels):
    """An item (row) of table 二 with the measures (columns) it has and its unit (件 or 万元)."""

    measures: tuple[str, ...] = ()
    unit: str = "件"


@dataclass(frozen=True)
class StatisticsItem(Labels):
    """A row (指标) of the pre-2019 statistics table: its unit (条, 件, 元), the row it is a part of
    (``parent``, printed after 其中：), and whether it is the catch-all part (其他/其它 ``other``),
    which makes the printed list of its parent's parts exhaustive."""

    unit: str = "条"
    parent: str | None = None
    other: bool = False


@dataclass(frozen=True)
class StatisticsTable:
    """The pre-2019 statistics table (政府信息公开情况统计表) as data: its rows, its columns (the
    year's figure, 历年累计), the words that start it and the units printed in its rows."""

    name: str
    title: str
    items: tuple[StatisticsItem, ...]
    measures: tuple[Labels, ...]
    signatures: tuple[str, ...]
    units: tuple[str, ...]
    # how the narrative states a row's figure for the year: (item key, regular expression, whether
    # only the body as a whole may state it), and what marks a clause's start, the whole-body words
    # and heading ends (``[statistics.narrative]``, ``[[statistics.statements]]``)
    statements: tuple[tuple[str, str, bool, str], ...] = ()  # (item, pattern, whole body only, measure)
    clause_breaks: str = ""
    whole_words: str = ""
    heading_ends: tuple[str, ...] = ()

    def item(self, key: str) -> StatisticsItem:
        """The row ``key``; raises ``KeyError`` when the table has none."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def parts(self, parent: str) -> tuple[StatisticsItem, ...]:
        """The rows printed as parts of row ``parent`` (其中：1. … 2. …), in template order."""
        return tuple(i for i in self.items if i.parent == parent)

    @property
    def totals(self) -> tuple[str, ...]:
        """The rows that have parts, in template order."""
        return tuple(dict.fromkeys(i.parent for i in self.items if i.parent))


@dataclass(frozen=True)
class CellSpec:
    """One template cell: key, table name, row and column keys, Chinese label, unit."""

    key: str
    table: str
    row: str
    column: str
    label: str
    unit: str
    signed: bool = False  # may be negative (2019 表二 本年增/减)


@dataclass(frozen=True)
class Derived:
    """A quantity narratives state that is not a single cell (e.g. 不予公开 over its 8 rows).

    ``readings`` lists alternative sums of cell keys; a stated value agrees with the tables when
    it equals any reading (e.g. 收到申请 is 新收, or 新收 + 上年结转).
    """

    key: str
    label: str
    readings: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Template:
    """One template generation: tables, their label sets, every cell and derived quantities."""

    generation: str
    notice: str
    notice_titles: tuple[str, ...]
    years: tuple[int, int]
    detect: tuple[str, ...]
    names: dict[str, str]
    titles: dict[str, str]
    signatures: dict[str, tuple[str, ...]]
    active_items: tuple[ItemSpec, ...]
    active_measures: tuple[Labels, ...]
    request_rows: tuple[RowSpec, ...]
    request_columns: tuple[Labels, ...]
    request_groups: tuple[Labels, ...]
    request_sections: tuple[Labels, ...]
    appeal_groups: tuple[Labels, ...]
    appeal_outcomes: tuple[Labels, ...]
    derived: dict[str, Derived]
    title_words: tuple[str, ...]
    blanks: tuple[str, ...]
    processing_fee: tuple[str, ...]
    sections: tuple[str, ...]
    problems_heading: tuple[str, ...]
    active_header: str
    statistics: StatisticsTable | None = None
    cells: dict[str, CellSpec] = field(default_factory=dict)
    row_labels: dict[tuple[str, str], str] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)

    def relation(self, name: str) -> Relation:
        """The arithmetic relation ``name`` (``Relation.BALANCE`` …). Raises ``KeyError`` naming
        the generation when it has no such relation (pre-2019 reports have none)."""
        try:
            return self.relations[name]
        except KeyError:
            raise KeyError(f"template {self.generation} has no relation {name!r}") from None

    @cached_property
    def _instances(self) -> dict[str, tuple[RelationInstance, ...]]:
        return {name: r.instances(self) for name, r in self.relations.items()}

    def instances(self, name: str) -> tuple[RelationInstance, ...]:
        """Every equation of relation ``name``, one per column, row or group (see ``relation``)."""
        self.relation(name)
        return self._instances[name]

    def instance_of(self, name: str, member: str) -> RelationInstance:
        """The equation of relation ``name`` for one column, row or group key (see ``relation``)."""
        return self.relation(name).instance(self, member)

    @cached_property
    def _signature_pattern(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        marks = {normalize_label(s): name for name, sigs in reversed(self.signatures.items()) for s in sigs}
        if not marks:
            return None
        return re.compile("|".join(map(re.escape, sorted(marks, key=len, reverse=True)))), marks

    def signed_table(self, normalized: str) -> str | None:
        """The table whose signature (a title or a header only it prints) a normalized cell
        text holds, or None."""
        if self._signature_pattern is None:
            return None
        pattern, marks = self._signature_pattern
        match = pattern.search(normalized)
        return marks[match.group()] if match else None

    def table_name(self, table: str) -> str:
        """The short name a report gives table ``table`` (表二, 表三, 表四, or the pre-2019 统计表)."""
        if table == "statistics" and self.statistics is not None:
            return self.statistics.name
        return self.names.get(table, table)

    def table_names(self) -> dict[str, str]:
        """Every table of the generation, key → its name and title ("表三 三、收到和处理…")."""
        found = {name: f"{self.names[name]} {self.titles[name]}" for name in self.names}
        if self.statistics is not None:
            found["statistics"] = f"{self.statistics.name} {self.statistics.title}"
        return found

    def covers(self, year: int) -> bool:
        """True when reports on ``year`` are meant to use this generation."""
        return self.years[0] <= year <= self.years[1]

    @property
    def has_tables(self) -> bool:
        """True when the generation has the national tables (二, 三, 四); False for pre-2019
        reports, whose only table is the old statistics table (``statistics``)."""
        return any(spec.table != "statistics" for spec in self.cells.values())

    @cached_property
    def _expanded(self) -> dict[str, list[str]]:
        return {}

    def expand(self, pattern: str) -> list[str]:
        """Cell keys matching ``pattern`` (``*`` matches one dotted part or more), in template order.
        Each pattern is matched against the template once (a report of thousands of claims asks
        for the same few patterns)."""
        if "*" not in pattern:
            return [pattern] if pattern in self.cells else []
        found = self._expanded.get(pattern)
        if found is None:
            found = self._expanded[pattern] = [k for k in self.cells if fnmatch.fnmatchcase(k, pattern)]
        return list(found)

    def label(self, key: str) -> str:
        """Chinese label of a cell or derived key; the key itself when unknown."""
        if key in self.cells:
            return self.cells[key].label
        if key in self.derived:
            return self.derived[key].label
        return key

    def row(self, key: str) -> RowSpec:
        """The 表三 row with ``key``; raises ``KeyError`` when there is none."""
        for row in self.request_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @cached_property
    def _parts(self) -> dict[str, tuple[str, ...]]:
        parts: dict[str, tuple[str, ...]] = {}
        for name in self.relations:
            for equation in self.instances(name):
                if len(equation.left) == 1:
                    parts.setdefault(equation.left[0], equation.right)
        return parts

    def parts_of(self, key: str) -> tuple[str, ...]:
        """The cells a 总计 cell is the sum of, by the template's arithmetic (``relations``: the
        first relation whose one left term it is); () for a cell that is no total. A row's 总计 in
        表三 is the sum of its six applicant columns (（七）总计's included); （七）总计 of one applicant
        column is the sum of the outcome rows; a 表四 group's 总计 is 维持 + 纠正 + 其他 + 尚未审结."""
        return self._parts.get(key, ())

    def readings(self, key: str) -> tuple[tuple[str, ...], ...]:
        """Alternative lists of cell keys whose sum is the quantity ``key``; () when unknown."""
        if key in self.cells:
            return ((key,),)
        if key in self.derived:
            return tuple(
                tuple(k for part in reading for k in self.expand(part))
                for reading in self.derived[key].readings
            )
        return ()


def _labels(entries, cls=Labels, **extra) -> tuple:
    return tuple(
        cls(key=e["key"], labels=tuple(e["labels"]), **{k: e[k] for k in extra if k in e})
        for e in entries
    )


def _merge(base: dict, override: dict) -> dict:
    """``override`` deep-merged into ``base`` (tables merge, lists and values replace)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _template_data(generation: str) -> dict:
    try:
        text = resources.files("auditor.data").joinpath(f"template-{generation}.toml").read_text("utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"no template generation {generation!r} (known: {', '.join(GENERATIONS)})") from None
    data = tomllib.loads(text)
    if "base" in data:
        data = _merge(_template_data(data.pop("base")), data)
    return data


def _collapse_groups(requests: dict) -> list[dict]:
    """Rows of 表三 with each group in ``collapse_groups`` printed as one row (2019 试行 （六）其他处理)."""
    rows, done = [], set()
    groups = requests.get("groups", {})
    for row in requests.get("rows", []):
        group = row.get("group")
        if group in requests.get("collapse_groups", ()):
            if group not in done:
                rows.append({"key": group, "labels": groups[group]})
                done.add(group)
            continue
        rows.append(row)
    return rows


GENERATIONS = ("2021", "2019", "pre2019")


@cache
def load_template(generation: str = "2021") -> Template:
    """Load the template of ``generation`` (``"2021"``, ``"2019"`` or ``"pre2019"``).

    A generation file may name a ``base`` whose data it overrides. ``pre2019`` reports had no
    national tables: its template has none. Raises ``FileNotFoundError`` for an unknown generation.
    """
    data = _template_data(generation)
    tables = data.get("tables", {})
    active, requests, appeals = (tables.get(name, {}) for name in ("active", "requests", "appeals"))
    statistics = data.get("statistics")
    collapsed = set(requests.get("collapse_groups", ()))
    template = Template(
        generation=data["generation"],
        notice=data["notice"],
        notice_titles=tuple(data.get("notice_titles", ())),
        years=(data["years"][0], data["years"][1]),
        detect=tuple(data.get("detect", ())),
        names={name: t["name"] for name, t in tables.items()},
        titles={name: t["title"] for name, t in tables.items()},
        signatures={name: tuple(t["signatures"]) for name, t in tables.items()},
        active_items=tuple(
            ItemSpec(
                key=e["key"], labels=tuple(e["labels"]), measures=tuple(e["measures"]), unit=e["unit"]
            )
            for e in active.get("items", ())
        ),
        active_measures=_labels(active.get("measures", ())),
        request_rows=tuple(
            RowSpec(key=e["key"], labels=tuple(e["labels"]), group=e.get("group"))
            for e in _collapse_groups(requests)
        ),
        request_columns=_labels(requests.get("columns", ())),
        request_groups=tuple(
            Labels(k, tuple(v)) for k, v in requests.get("groups", {}).items() if k not in collapsed
        ),
        request_sections=tuple(Labels(k, tuple(v)) for k, v in requests.get("sections", {}).items()),
        appeal_groups=_labels(appeals.get("groups", ())),
        appeal_outcomes=_labels(appeals.get("outcomes", ())),
        derived={
            k: Derived(k, v["label"], tuple(tuple(r) for r in v["readings"]))
            for k, v in data.get("derived", {}).items()
        },
        title_words=tuple(data["report"]["title_words"]),
        blanks=tuple(data["report"].get("blanks", ())),
        processing_fee=tuple(data["report"].get("processing_fee", ())),
        sections=tuple(data["report"]["sections"]),
        problems_heading=tuple(data["report"].get("problems_heading", ())),
        active_header=active.get("header", ""),
        statistics=StatisticsTable(
            name=statistics["name"],
            title=statistics["title"],
            items=tuple(
                StatisticsItem(key=e["key"], labels=tuple(e["labels"]), unit=e.get("unit", "条"),
                               parent=e.get("parent"), other=bool(e.get("other", False)))
                for e in statistics["items"]
            ),
            measures=_labels(statistics["measures"]),
            signatures=tuple(statistics["signatures"]),
            units=tuple(statistics["units"]),
            statements=tuple((e["item"], e["pattern"], bool(e.get("whole", False)), e.get("measure", "year"))
                             for e in statistics.get("statements", ())),
            clause_breaks=statistics.get("narrative", {}).get("clause_breaks", ""),
            whole_words=statistics.get("narrative", {}).get("whole_words", ""),
            heading_ends=tuple(statistics.get("narrative", {}).get("heading_ends", ())),
        ) if statistics else None,
    )
    cells, row_labels = _cells(template, active, requests, appeals)
    return replace(template, cells=cells, row_labels=row_labels,
                   relations={r["name"]: Relation.of_data(r) for r in data.get("relations", ())})


def _cells(template: Template, active: dict, requests: dict, appeals: dict) -> tuple[dict, dict]:
    """Every cell of the generation's tables (key → ``CellSpec``) and each row's label."""
    cells: dict[str, CellSpec] = {}
    row_labels: dict[tuple[str, str], str] = {}
    measures = {m.key: m for m in template.active_measures}
    signed = {m["key"] for m in active.get("measures", ()) if m.get("signed")}
    for item in template.active_items:
        for m in item.measures:
            key = f"active.{item.key}.{m}"
            row_labels["active", item.key] = item.label
            cells[key] = CellSpec(key, "active", item.key, m, f"{item.label} / {measures[m].label}", item.unit, m in signed)
    for row in template.request_rows:
        group = next((g.label for g in template.request_groups if g.key == row.group), None)
        row_label = f"{group}·{row.label}" if group else row.label
        row_labels["requests", row.key] = row_label
        for col in template.request_columns:
            key = f"requests.{row.key}.{col.key}"
            cells[key] = CellSpec(key, "requests", row.key, col.key, f"{row_label} / {col.label}", requests["unit"])
    for group in template.appeal_groups:
        for outcome in template.appeal_outcomes:
            key = f"{group.key}.{outcome.key}"
            row_labels["appeals", group.key] = group.label
            cells[key] = CellSpec(key, "appeals", group.key, outcome.key, f"{group.label} / {outcome.label}", appeals["unit"])
    if template.statistics is not None:
        for item in template.statistics.items:
            row_labels["statistics", item.key] = item.label
            for m in template.statistics.measures:
                key = f"statistics.{item.key}.{m.key}"
                cells[key] = CellSpec(key, "statistics", item.key, m.key, f"{item.label} / {m.label}", item.unit)
    return cells, row_labels
