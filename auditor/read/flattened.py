"""Tables from flattened page text, where a crawler ran the cells of each row together.

"一、本年新收政府信息公开申请数量713000074" is 71 | 3 | 0 | 0 | 0 | 0 | 74, but only because 总计 must be
the sum of the other six. This module finds the template's labels in such text, takes the digit
run after each row label, and splits it into the row's cells only where the template's arithmetic
leaves exactly one split: within the row (表三 总计 = the applicant columns; 表四 总计 = the four
outcomes), else across rows (（七）总计 = the outcome rows; 一 + 二 = （七）总计 + 四). Cells split this
way are ``recovered``; the relations a split relied on are returned as assumed, so that no rule
reports them. A run that stays ambiguous is reported, with the number of splits, never guessed.
Spaces inside a run are kept as cell boundaries ("500000 5" is 5|0|0|0|0|0|5).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from bisect import bisect_right
from itertools import product
from math import prod

from auditor.model import Position, Problem, UnreadableRow
from auditor.read.grid import GridCell, GridRow, parse_value
from auditor.template import Relation, RowSpec, Template, load_template, normalize_label

MAX_DIGITS = 7  # a recovered count has at most 7 digits (9 999 999)
MAX_SPLITS = 5000
_QUOTES = "\"'“”‘’「」"
_NOTE = re.compile(r"^\s*[（(][^）)]{0,40}[)）]")  # "（区分处理的，只计这一情形，不计其他情形）"
_NOTES = re.compile(r"[（(][^（）()]{2,60}[)）]")
_RUN = re.compile(r"^[\s\d.]*\d[\s\d.]*(?:万元|元)?")


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
    return start, (end if end >= 0 else len(line))


# -- splitting digit runs --------------------------------------------------------------------


def _valid(piece: str, decimals: bool) -> bool:
    if "." in piece:
        whole, _, frac = piece.partition(".")
        return decimals and bool(whole) and bool(frac) and frac.isdigit() and _valid(whole, False)
    return piece.isdigit() and (piece == "0" or not piece.startswith("0")) and len(piece) <= MAX_DIGITS


@dataclass
class Splits:
    """The ways to cut a digit run into cells; ``complete`` is False when there were more than
    the limit (then the list proves nothing)."""

    ways: list[tuple[str, ...]]
    complete: bool


def splits(
    run: str,
    groups: Sequence[int],
    sums: bool = False,
    decimals: bool = False,
    limit: int = MAX_SPLITS,
) -> Splits:
    """Every way to cut ``run`` into cells: ``groups`` gives the cell count of each group (e.g.
    (7,) for a 表三 row, (5, 5, 5) for 表四); with ``sums``, each group's last cell is the sum of
    the others (a 总计), which also prunes the search. Whitespace in ``run`` is a boundary every
    split keeps; no cell has a leading zero; decimals only when allowed. Stops after ``limit``
    ways (``complete`` False)."""
    chunks = run.split()
    digits = "".join(chunks)
    forced, at = [], 0
    for chunk in chunks[:-1]:
        at += len(chunk)
        forced.append(at)
    bounds = forced + [len(digits)]
    widest = MAX_DIGITS + (8 if decimals else 0)
    found: list[tuple[str, ...]] = []
    cells: list[str] = []
    state = {"complete": True}

    def cell_ends(pos: int, stop: int):
        """Ends of a valid cell starting at ``pos``, not past ``stop`` nor a printed space."""
        if pos >= len(digits):
            return
        edge = min(bounds[bisect_right(bounds, pos)], stop, pos + widest)
        for end in range(pos + 1, edge + 1):
            piece = digits[pos:end]
            if _valid(piece, decimals):
                yield end, piece
            elif piece[0] == "0" and "." not in digits[pos:edge]:
                return

    def add_group(pos: int, group: int) -> None:
        if not state["complete"]:
            return
        if group == len(groups):
            if pos == len(digits):
                if len(found) >= limit:
                    state["complete"] = False
                else:
                    found.append(tuple(cells))
            return
        size = groups[group]
        if sums:
            for total_start in range(pos + size - 1, min(len(digits) - 1, pos + (size - 1) * widest) + 1):
                for end, total in cell_ends(total_start, len(digits)):
                    sum_cells(pos, total_start, size - 1, int(total), lambda: (cells.append(total), add_group(end, group + 1), cells.pop()))
        else:
            plain_cells(pos, size, group)

    def sum_cells(pos: int, stop: int, count: int, target: int, then) -> None:
        """Cells from ``pos`` to exactly ``stop`` adding up to ``target``, then ``then()``."""
        if count == 0:
            if pos == stop and target == 0:
                then()
            return
        for end, piece in cell_ends(pos, stop - count + 1):
            value = int(piece)
            if value > target:
                break
            cells.append(piece)
            sum_cells(end, stop, count - 1, target - value, then)
            cells.pop()

    def plain_cells(pos: int, count: int, group: int) -> None:
        if count == 0:
            add_group(pos, group + 1)
            return
        needed = count + sum(groups[group + 1 :])
        if not needed <= len(digits) - pos <= needed * widest:
            return  # the rest cannot make exactly the cells still needed
        for end, piece in cell_ends(pos, len(digits)):
            cells.append(piece)
            plain_cells(end, count - 1, group)
            cells.pop()

    add_group(0, 0)
    return Splits(found, state["complete"])


def _forced(run: str, groups: Sequence[int]) -> bool:
    """True when the run splits exactly one way even without arithmetic ("0000000")."""
    plain = splits(run, groups, limit=1)
    return plain.complete and len(plain.ways) == 1


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
    forced: bool = False  # only one split even without arithmetic ("0000000")
    complete: bool = True  # False: more splits than the limit, so nothing can be concluded


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
    return [(re.sub(r"\s|[" + _QUOTES + "]", "", text), kind, key) for text, kind, key in entries if text]


@cache
def _label_pattern(generation: str) -> tuple[re.Pattern[str], dict[str, list[tuple[str, object]]]]:
    """The template's labels as one pattern (longest first) and their readings, built once."""
    by_text: dict[str, list[tuple[str, object]]] = {}
    for label, kind, key in _lexicon(load_template(generation)):
        by_text.setdefault(label, []).append((kind, key))
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
            problems.append(Problem(_ambiguity(item, template), _at(block, item.run_start), item.table))
            keys = _keys(item, template)
            if keys and item.complete and len(item.candidates) > 1:
                values = tuple(tuple(parse_value(v)[0] for v in c) for c in item.candidates)
                unreadable.append(UnreadableRow(keys, values, item.run, _at(block, item.run_start)))  # type: ignore[arg-type]
            continue
        assumed.update(item.assumed)
        out.append((table_name, _grid_row(block, item)))
    return FlatResult(out, problems, assumed, unreadable)


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
        n = len(item.measures)  # type: ignore[attr-defined]
        decimals = item.unit != "件"  # type: ignore[attr-defined]
        found = splits(run, (n,), decimals=decimals)
        return _Row(table, labels, run, run_start, (n,), found.ways, what=item.label,  # type: ignore[attr-defined]
                    forced=found.complete and len(found.ways) == 1, complete=found.complete)
    if table == "requests" and token.kind in ("row", "group"):
        spec = token.key if token.kind == "row" else None
        n = len(template.request_columns)
        forced = _forced(run, (n,))
        checked = splits(run, (n,), sums=True)
        what = template.row_labels["requests", spec.key] if spec else token.text  # type: ignore[union-attr]
        row = _Row(table, labels, run, run_start, (n,), checked.ways, spec, what, forced=forced, complete=checked.complete)
        if not forced and spec is not None:
            row.assumed = (Relation.of(Relation.ROW_TOTAL, spec.key),)  # type: ignore[union-attr]
        return row
    if table == "appeals" and token.kind in ("outcome", "appeal_group"):
        groups = (len(template.appeal_outcomes),) * (1 if token.kind == "appeal_group" else len(template.appeal_groups))
        forced = _forced(run, groups)
        checked = splits(run, groups, sums=True)
        row = _Row(table, labels, run, run_start, groups, checked.ways, what=template.titles["appeals"],
                   forced=forced, complete=checked.complete)
        if not forced:
            row.assumed = tuple(Relation.of(Relation.APPEAL_TOTAL, g.key) for g in template.appeal_groups)
        return row
    return None


def _resolve_columns(rows: list[_Row], template: Template) -> None:
    """Settle ambiguous 表三 rows by the column relations: when every row a relation needs was
    read and exactly one combination of the open rows' splits satisfies it in every column."""
    by_key = {r.spec.key: r for r in rows if r.spec is not None}
    outcome_keys = [r.key for r in template.request_rows if r.key not in ("new", "carried_over", "total", "carried_forward")]
    relations = [
        (Relation.OUTCOME_TOTAL, [(k, 1) for k in outcome_keys] + [("total", -1)]),
        (Relation.BALANCE, [("new", 1), ("carried_over", 1), ("total", -1), ("carried_forward", -1)]),
    ]
    width = len(template.request_columns)
    changed = True
    while changed:
        changed = False
        for name, terms in relations:
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
                    row.assumed += tuple(Relation.of(name, c.key) for c in template.request_columns)
                changed = True


def _ambiguity(row: _Row, template: Template) -> str:
    name = template.names[row.table]
    cells = sum(row.groups)
    if not row.complete:
        return (f"{name} {row.what}: the digits {row.run!r} run together and split more than {MAX_SPLITS} ways "
                f"into {cells} cells, too many to tell, so the row is unreadable")
    if not row.candidates:
        return f"{name} {row.what}: the digits {row.run!r} run together and cannot be split into {cells} cells that add up"
    return (
        f"{name} {row.what}: the digits {row.run!r} run together; {len(row.candidates)} ways to split them into "
        f"{cells} cells fit the template's arithmetic, so the row is unreadable"
    )


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
