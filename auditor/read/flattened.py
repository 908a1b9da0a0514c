"""Tables from flattened page text, where a crawler ran the cells of each row together.

"一、本年新收政府信息公开申请数量713000074" is 71 | 3 | 0 | 0 | 0 | 0 | 74, but only because 总计 must be
the sum of the other six. This module finds the template's labels in such text, takes the digit
run after each row label and cuts it into the row's cells (``auditor.read.digits``):

- when the digits and the spaces between them leave one way ("0000000", "2000000" for seven
  cells, "160 02 0 018" where the spaces fix the rest), that is the reading, as printed, whatever
  the arithmetic says: the arithmetic rules then judge it;
- else, where the template's arithmetic leaves exactly one way — within the row (表三 总计 = the
  applicant columns; 表四 总计 = the four outcomes), else across rows (（七）总计 = the outcome
  rows; 一 + 二 = （七）总计 + 四) — the cells are ``recovered`` and the relations relied on are
  returned as assumed, so that no rule reports them;
- a run that no way makes add up is kept, with its likeliest cut, for a finding of its own (the
  printed digits cannot form a row that adds up); a run that stays ambiguous is reported with
  the number of ways, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product
from math import prod

from auditor.i18n import Message
from auditor.model import Position, Problem, UnreadableRow
from auditor.read.digits import MAX_SPLITS, likeliest, splits
from auditor.read.grid import GridCell, GridRow, parse_value
from auditor.relations import Relation
from auditor.template import RowSpec, Template, load_template, normalize_label

_QUOTES = "\"'“”‘’「」"
_NOTE = re.compile(r"^\s*[（(][^）)]{0,40}[)）]")  # "（区分处理的，只计这一情形，不计其他情形）"
_NOTES = re.compile(r"[（(][^（）()]{2,60}[)）]")
_RUN = re.compile(r"^[\s\d.\-−－]*\d[\s\d.]*(?:万元|元)?")


@dataclass(frozen=True)
class FlatTables:
    """A block of flattened table text and the position of its first character."""

    text: str
    position: Position


# -- finding flattened text ------------------------------------------------------------------


@cache
def _row_label_pattern() -> re.Pattern[str]:
    template = load_template("2021")
    labels = {normalize_label(v) for r in template.request_rows for v in r.labels if len(normalize_label(v)) >= 4}
    return re.compile("(?:" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")\s*\d")


def looks_flattened(line: str) -> bool:
    """True when at least three 表三 row labels in ``line`` have digits glued to them."""
    return len(_row_label_pattern().findall(line)) >= 3


def table_region(line: str) -> tuple[int, int] | None:
    """(start, end) of the tables in a flattened line: from table 二's title (or the first table
    signature) to the heading of section 五, or the end of the line."""
    template = load_template("2021")
    marks = [template.titles["active"], *template.signatures["active"][:2], template.titles["requests"]]
    starts = [i for i in (line.find(m) for m in marks) if i >= 0]
    if not starts:
        return None
    start = min(starts)
    end = line.find("五、" + template.sections[4], start)
    if end < 0:
        end = line.find(template.sections[4], start)
    if end < 0:  # section 五 in its own words ("五、存在的主要问题及明年工作计划"): the first 五、 after 表四's title
        appeals = line.find(template.titles["appeals"], start)
        end = line.find("五、", appeals) if appeals >= 0 else -1
    return start, (end if end >= 0 else len(line))


_SUBHEADING = re.compile(r"(?<!第)[（(][一二三四五六七八九十]{1,2}[)）]")
# A section's heading inside the tables' region, which may be followed by its prose before its table
_SECTION_HEAD = re.compile(r"[二三四]、\s*(?:主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议[、和与及]?行政诉讼情况)")
_TABLE_INSIDE = re.compile(r"结果维持|申请人情况|信息内容|第二十条|本列数据|\d{5,}")  # a table's header or digit run
_TABLE_TEXT = re.compile(r"第二十条第|[一二三四]、\s*(?:主动公开政府信息情况|收到和处理|政府信息公开行政复议)|（本列数据|申请人情况|信息内容")


@cache
def _row_and_group_labels() -> tuple[str, ...]:
    template = load_template("2021")
    labels = [*template.request_rows, *template.request_groups, *template.appeal_groups, *template.active_items]
    return tuple(normalize_label(v) for spec in labels for v in spec.labels if len(normalize_label(v)) >= 2)


def prose_spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of prose inside the tables' region of a flattened line, in order: a subsection that
    is not a template label ("(二)主动公开政府信息的主要类别…", not "（二）部分公开") up to its last
    full stop before the next table text, and the words after a section's heading up to theirs
    ("三、收到和处理政府信息公开申请情况2023年，共收到政府信息公开申请0条。" before 表三)."""
    spans: list[tuple[int, int]] = []
    labels = _row_and_group_labels()
    for match in _SUBHEADING.finditer(line, start, end):
        if spans and match.start() < spans[-1][1]:
            continue
        head = normalize_label(line[match.start() : match.start() + 24])
        if any(head.startswith(label) for label in labels):
            continue
        table = _TABLE_TEXT.search(line, match.end(), end)
        stop = line.rfind("。", match.start(), table.start() if table else end)
        if stop > match.start() + 8:
            spans.append((match.start(), stop + 1))
    for match in _SECTION_HEAD.finditer(line, start, end):  # "三、收到和处理政府信息公开申请情况2023年，共收到…0条。（本列数据"
        stop = line.find("。", match.end(), end)
        if stop > match.end() + 4 and not _TABLE_INSIDE.search(line, match.end(), stop) \
                and not any(a <= match.end() < b for a, b in spans):
            spans.append((match.end(), stop + 1))  # the heading's first sentence, when no table stands in it
    return sorted(spans)


# -- reading the flattened tables ------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # table, item, measure, header, outcome, group, row, appeal_group
    key: object
    text: str
    start: int  # in the flattened text
    end: int


# Which reading of a label wins, by table and by whether digits follow it ("总计" is a column
# header in 表三's head, the 总计 row with digits, an outcome in 表四).
_PREFERENCE = {
    ("active", True): ("table", "item", "measure", "header"),
    ("active", False): ("table", "measure", "header", "item"),
    ("requests", True): ("table", "row", "group", "header"),
    ("requests", False): ("table", "group", "header", "row"),
    ("appeals", True): ("table", "outcome", "appeal_group", "header"),
    ("appeals", False): ("table", "outcome", "appeal_group", "header"),
    (None, True): ("table",),
    (None, False): ("table",),
}


@dataclass
class _Row:
    table: str
    labels: list[_Token]
    run: str
    run_start: int
    groups: tuple[int, ...]
    candidates: list[tuple[str, ...]]
    spec: RowSpec | None = None
    what: str = ""
    assumed: tuple[str, ...] = ()
    forced: bool = False  # only one split even without arithmetic ("0000000"): read as printed
    complete: bool = True  # False: more splits than the limit, so nothing can be concluded
    plain: int = 0  # ways to cut the run into the cells, arithmetic ignored
    broken: str | None = None  # the relation no way satisfies
    likeliest: tuple[str, ...] | None = None  # then: the way nearest to adding up
    blank_possible: bool = False  # a cell that may be printed blank (本年增/减) adds ways to read the run


def _lexicon(template: Template) -> list[tuple[str, str, object]]:
    entries: list[tuple[str, str, object]] = []
    for name in template.names:
        for s in (template.titles[name], *template.signatures[name]):
            entries.append((s, "table", name))
    entries += [(v, "item", i) for i in template.active_items for v in i.labels]
    entries += [(v, "measure", m) for m in template.active_measures for v in m.labels]
    entries += [(template.active_header, "header", None)] if template.active_header else []
    entries += [(v, "header", None) for s in template.request_sections for v in s.labels]
    entries += [(v, "header", None) for c in template.request_columns for v in c.labels]
    entries += [(v, "group", g) for g in template.request_groups for v in g.labels]
    entries += [(v, "row", r) for r in template.request_rows for v in r.labels]
    entries += [(v, "appeal_group", g) for g in template.appeal_groups for v in g.labels]
    entries += [(v, "outcome", o) for o in template.appeal_outcomes for v in o.labels]
    compact = [(re.sub(r"\s|[" + _QUOTES + "]", "", text), kind, key) for text, kind, key in entries]
    return [(text, kind, key) for text, kind, key in compact if text]


@cache
def _label_pattern(generation: str) -> tuple[re.Pattern[str], dict[str, list[tuple[str, object]]]]:
    """The template's labels as one pattern (longest first) and their readings, built once."""
    by_text: dict[str, list[tuple[str, object]]] = {}
    for label, kind, key in _lexicon(load_template(generation)):
        by_text.setdefault(label, []).append((kind, key))
    if not by_text:  # a generation without request tables (pre-2019): a pattern that never matches
        return re.compile(r"(?!)"), by_text
    return re.compile("|".join(map(re.escape, sorted(by_text, key=len, reverse=True)))), by_text


def _tokens(text: str, template: Template) -> Iterator[list[_Token]]:
    """Label tokens of ``text`` (each with its possible readings), matched ignoring whitespace,
    longest label first."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace() and ch not in _QUOTES]
    compact = "".join(text[i] for i in keep)
    pattern, by_text = _label_pattern(template.generation)
    notes = [m.span() for m in _NOTES.finditer(text)]
    for match in pattern.finditer(compact):
        start, end = keep[match.start()], keep[match.end() - 1] + 1
        if any(ns < start and end <= ne for ns, ne in notes):
            continue  # "其他" inside "（区分处理的，只计这一情形，不计其他情形）" is not a label
        yield [_Token(kind, key, match.group(), start, end) for kind, key in by_text[match.group()]]


@dataclass
class FlatResult:
    """What a flattened block gave: grid rows (with their table), problems of the rows that could
    not be recovered, the relations the recovery assumed, and the rows left ambiguous."""

    rows: list[tuple[str, GridRow]]
    problems: list[Problem]
    assumed: set[str]
    unreadable: list[UnreadableRow]


def read_flat_tables(block: FlatTables, template: Template) -> FlatResult:
    """Recover the template tables of a flattened block (see the module docstring)."""
    text, problems, assumed = block.text, [], set()
    unreadable: list[UnreadableRow] = []
    rows: list[_Row] = []
    header: list[_Token] = []
    emitted: list[tuple[str, list[_Token] | _Row]] = []
    table: str | None = None
    group: _Token | None = None
    spans = list(_tokens(text, template))
    for i, options in enumerate(spans):
        end = options[0].end
        following = spans[i + 1][0].start if i + 1 < len(spans) else len(text)
        while end < following and text[end] in _QUOTES:
            end += 1
        note = _NOTE.match(text[end:following])
        if note:
            end += note.end()
        run_match = _RUN.match(text[end:following])
        run = run_match.group().strip() if run_match else ""
        run = re.sub(r"(?:万元|元)$", "", run).strip()
        run = re.sub(r"(?:^|\s+)\d{1,2}\.$", "", run)  # "1.申请人…": a sub-row's enumerator, not a value
        run = _without_next_year(run, text, end + (run_match.end() if run_match else 0), following)
        token = _choose(options, table, bool(run))
        if token is not None and token.kind == "table" and token.key == table:
            token = _choose([o for o in options if o.kind != "table"], table, bool(run))
        if token is None:
            continue
        if token.kind == "table":
            table, group, header = token.key, None, []  # type: ignore[assignment]
            continue
        if table is None:
            continue
        if token.kind == "group":
            group = token
            if not run:
                continue
        if not run:
            if token.kind in ("measure", "outcome", "header", "appeal_group"):
                header.append(token)
            continue
        if table == "appeals" and token.kind == "outcome":
            header.append(token)  # the 总计 before 表四's digits ends the header; it labels no row
        if header and table != "requests":  # 表三's head, run together, no longer shows column order
            emitted.append((table, header))
        header = []
        row = _row(table, token, group, run, end + len(text[end:following]) - len(text[end:following].lstrip()), template)
        if row is not None:
            rows.append(row)
            emitted.append((table, row))
        if token.kind == "row" and (token.key.group is None):  # type: ignore[union-attr]
            group = None
    _resolve_columns([r for r in rows if r.table == "requests"], template)
    out: list[tuple[str, GridRow]] = []
    for table_name, item in emitted:
        if isinstance(item, list):
            out.append((table_name, GridRow(tuple(GridCell(t.text, _at(block, t.start)) for t in item))))
            continue
        if len(item.candidates) != 1 or not item.complete:
            keys = _keys(item, template)
            if item.broken is None or not keys:
                problems.append(Problem(_ambiguity(item, template), _at(block, item.run_start), item.table,
                                        tuple(keys or ())))
            if keys and item.complete and (len(item.candidates) > 1 or item.broken):
                values = tuple(tuple(parse_value(v)[0] for v in c) for c in item.candidates)
                nearest = tuple(parse_value(v)[0] for v in item.likeliest) if item.likeliest else None
                unreadable.append(UnreadableRow(keys, values, item.run, _at(block, item.run_start),  # type: ignore[arg-type]
                                                item.broken, nearest))  # type: ignore[arg-type]
            continue
        assumed.update(item.assumed)
        out.append((table_name, _grid_row(block, item)))
    return FlatResult(out, problems, assumed, unreadable)


def _without_next_year(run: str, text: str, after: int, following: int) -> str:
    """A run less the year that begins the next sentence: "结转下年度继续办理2000002" then
    "2025年，我局…" runs together as "20000022025年"; the year (19xx or 20xx right before 年)
    is the prose's, not the row's."""
    year = _NEXT_YEAR.search(run)
    if year and text.startswith("年", after) and after < following:
        return run[: year.start()].rstrip()
    return run


_NEXT_YEAR = re.compile(r"(?:19|20)\d\d$")


def _keys(row: _Row, template: Template) -> tuple[str, ...]:
    """The template keys of a row's cells, in the order its digits print them."""
    token = row.labels[-1] if row.labels else None
    if row.table == "active" and token is not None and token.kind == "item":
        return tuple(f"active.{token.key.key}.{m}" for m in token.key.measures)  # type: ignore[attr-defined]
    if row.table == "requests" and row.spec is not None:
        return tuple(f"requests.{row.spec.key}.{c.key}" for c in template.request_columns)
    if row.table == "appeals" and len(row.groups) == len(template.appeal_groups):
        return tuple(f"{g.key}.{o.key}" for g in template.appeal_groups for o in template.appeal_outcomes)
    return ()


def _choose(options: list[_Token], table: str | None, digits: bool) -> _Token | None:
    """The reading of a label that fits the table it stands in and whether digits follow."""
    for kind in _PREFERENCE[table, digits]:
        for token in options:
            if token.kind == kind:
                return token
    return None


def _row(table: str, token: _Token, group: _Token | None, run: str, run_start: int, template: Template) -> _Row | None:
    ungrouped = token.kind == "row" and token.key.group is None  # type: ignore[attr-defined]
    labels = [token] if group is None or group is token or ungrouped else [group, token]
    if table == "appeals" and token.kind == "outcome":
        labels = []
    if table == "active" and token.kind == "item":
        item = token.key
        keys = [f"active.{item.key}.{m}" for m in item.measures]  # type: ignore[attr-defined]
        signed = [i for i, k in enumerate(keys) if template.cells[k].signed]
        decimals = item.unit != "件"  # type: ignore[attr-defined]
        found = splits(run, (len(keys),), decimals=decimals, signed=signed)
        ways = list(found.ways)
        if found.complete and run.strip("0 "):  # "215" may be "2 | | 15": 本年增/减 printed blank (2019 表二)
            for blank in signed:
                rest = splits(run, (len(keys) - 1,), decimals=decimals, signed=[i - (i > blank) for i in signed if i != blank])
                if rest.complete:
                    ways += [w[:blank] + ("",) + w[blank:] for w in rest.ways]
        return _Row(table, labels, run, run_start, (len(keys),), ways, what=item.label,  # type: ignore[attr-defined]
                    forced=found.complete and len(ways) == 1, complete=found.complete, plain=found.plain,
                    blank_possible=len(ways) > len(found.ways))
    if table == "requests" and token.kind in ("row", "group"):
        spec = token.key if token.kind == "row" else None
        what = template.row_labels["requests", spec.key] if spec else token.text  # type: ignore[union-attr]
        row_total = template.relations.get(Relation.ROW_TOTAL)
        relation = row_total.id(spec.key) if spec and row_total else None  # type: ignore[union-attr]
        return _cut(_Row(table, labels, run, run_start, (len(template.request_columns),), [], spec, what), relation)
    if table == "appeals" and token.kind in ("outcome", "appeal_group"):
        groups = (len(template.appeal_outcomes),) * (1 if token.kind == "appeal_group" else len(template.appeal_groups))
        row = _Row(table, labels, run, run_start, groups, [], what=template.titles["appeals"])
        appeal_total = template.relations.get(Relation.APPEAL_TOTAL)
        return _cut(row, *(e.id for e in appeal_total.instances(template)) if appeal_total else ())
    return None


def _cut(row: _Row, *relations: str | None) -> _Row:
    """Cut a row whose groups end in a 总计: as printed when the digits leave one way, else by the
    arithmetic (``relations`` name what that relies on)."""
    plain = splits(row.run, row.groups, limit=0).plain
    row.plain = plain
    if plain == 1:
        row.candidates, row.forced = splits(row.run, row.groups).ways, True
        return row
    if plain == 0:
        return row
    checked = splits(row.run, row.groups, sums=True)
    row.candidates, row.complete = checked.ways, checked.complete
    if checked.complete and len(checked.ways) == 1:
        row.assumed = tuple(r for r in relations if r)
    elif checked.complete and not checked.ways:
        row.broken = next((r for r in relations if r), None) or "arithmetic"
        row.likeliest = likeliest(row.run, row.groups)
    return row


def _resolve_columns(rows: list[_Row], template: Template) -> None:
    """Settle ambiguous 表三 rows by the column relations: when every row a relation needs was
    read and exactly one combination of the open rows' splits satisfies it in every column."""
    by_key = {r.spec.key: r for r in rows if r.spec is not None}
    relations = []  # each column relation as signed 表三 rows (the same in every column)
    for name in (Relation.OUTCOME_TOTAL, Relation.BALANCE):
        relation = template.relations.get(name)
        if relation is None or not template.request_columns:  # a generation without 表三's arithmetic
            return
        column = template.request_columns[0].key
        terms = relation.instance(template, column).terms()
        relations.append((relation, [(template.cells[k].row, sign) for k, sign in terms]))
    width = len(template.request_columns)
    changed = True
    while changed:
        changed = False
        for relation, terms in relations:
            members = [(by_key.get(k), sign) for k, sign in terms]
            if any(m is None or not m.candidates for m, _ in members):
                continue
            open_rows = [(m, s) for m, s in members if len(m.candidates) > 1]  # type: ignore[union-attr]
            if not open_rows or prod(len(m.candidates) for m, _ in open_rows) > MAX_SPLITS:  # type: ignore[union-attr]
                continue
            rest = [sum(int(m.candidates[0][j]) * s for m, s in members if len(m.candidates) == 1) for j in range(width)]  # type: ignore[union-attr]
            fitting = [
                combo
                for combo in product(*(m.candidates for m, _ in open_rows))  # type: ignore[union-attr]
                if all(rest[j] + sum(int(c[j]) * s for c, (_, s) in zip(combo, open_rows)) == 0 for j in range(width))
            ]
            if len(fitting) == 1:
                for (row, _), chosen in zip(open_rows, fitting[0]):
                    row.candidates, row.forced = [chosen], False
                    row.assumed += tuple(relation.id(c.key) for c in template.request_columns)
                changed = True


def _ambiguity(row: _Row, template: Template) -> Message:
    args = {"table": template.names[row.table], "row": row.what, "digits": repr(row.run), "cells": sum(row.groups)}
    if not row.complete:
        return Message("{table} {row}: the digits {digits} run together and split more than {most} ways into {cells} "
                       "cells, too many to tell, so the row is unreadable", most=MAX_SPLITS, **args)
    if row.plain == 0:
        return Message("{table} {row}: the digits {digits} cannot be cut into {cells} cells (a blank cell, or a cell "
                       "printed with letters?), so the row is unreadable", **args)
    if not row.candidates:
        return Message("{table} {row}: the digits {digits} run together and cannot be split into {cells} cells that add up",
                       **args)
    if row.table != "active":
        return Message("{table} {row}: the digits {digits} run together; {ways} ways to split them into {cells} cells fit "
                       "the template's arithmetic, so the row is unreadable", ways=len(row.candidates), **args)
    if row.blank_possible:
        return Message("{table} {row}: the digits {digits} run together; {ways} ways to split them into {cells} cells, "
                       "本年增/减 left blank among them, so the row is unreadable", ways=len(row.candidates), **args)
    return Message("{table} {row}: the digits {digits} run together; {ways} ways to split them into {cells} cells, so "
                   "the row is unreadable", ways=len(row.candidates), **args)


def _at(block: FlatTables, offset: int) -> Position:
    return Position(block.position.line, block.position.column + offset, block.position.page)


def _grid_row(block: FlatTables, row: _Row) -> GridRow:
    cells = [GridCell(t.text, _at(block, t.start)) for t in row.labels]
    values = row.candidates[0]
    digits_at = [i for i, ch in enumerate(row.run) if not ch.isspace()]
    offset = 0
    for value in values:
        start = row.run_start + digits_at[offset]
        cells.append(GridCell(value, _at(block, start), recovered=not row.forced))
        offset += len(value)
    return GridRow(tuple(cells))
