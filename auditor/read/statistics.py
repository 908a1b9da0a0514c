"""The old statistics table of pre-2019 reports (政府信息公开情况统计表), read from the report's text.

Reports on 2008–2018 end (or break off section 二/三) with a table of 指标 rows: a label, a unit
and the year's figure, in most provinces also 历年累计::

    指标名称 计量单位 2014年度 历年累计 主动公开文件数 条 2543 78967 其中：1、政府网站公开数 条 2543 78967 …

Every format prints it in its extracted text as such a sequence of rows — one per line from HTML,
DOCX and PDF grids, one long line from a crawler, with the two figures run together when the
crawler dropped the cell boundaries ("主动公开文件数条294981916其中：1、政府网站公开数条2949819162、…",
the next row's enumerator "2、" stuck to the digits). The rows and their label variants are data
(``[statistics]`` in ``template-pre2019.toml``); this module finds the table, reads each row's
figures, and cuts a run of digits into its two figures only where the digits settle it:

* no figure has a leading zero (a run with one such cut is read);
* the narrative states the row's figure for the year ("2017年全区主动公开政府信息2122条",
  ``[[statistics.statements]]``) and exactly one cut gives it;
* a row's parts (其中：1. … 2. …) never exceed it in either column, and equal it when the parts
  include the catch-all 其他/其它 row — used only to choose among cuts the digits leave open,
  recorded in ``assumed`` so that no rule then reports that sum.

历年累计 ≥ the year's figure is never used to cut: real reports break it (a 2017 report prints
107 | 74 as "10774"), and a cut chosen by it would misread exactly those.

A run still open after that stays unread (an ``UnreadableRow`` with its candidate cuts): unread
beats misread.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from auditor.i18n import Message
from auditor.model import Cell, Paragraph, Position, Problem, UnreadableRow
from auditor.read.digits import splits
from auditor.relations import Relation
from auditor.template import StatisticsItem, Template, load_template

MAX_HEADER = 120  # characters between a signature and the first row
MAX_LABEL = 60  # a row label, blanks between its characters included
MAX_COMBINATIONS = 20_000  # cuts tried together for one row and its parts
MAX_UNKNOWN_ROW = 40  # a row the template does not know: a short label and its figures, no prose
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PROSE = re.compile(r"[。；！？]|[一二三四五六七八九十]、")


@dataclass
class StatisticsRead:
    """What was read from a report's statistics table: its ``cells`` (every cell of each row
    printed; unread ones ``missing``), ``problems``, rows whose digits stayed open
    (``unreadable``) and the sums relied on to settle a cut (``assumed``)."""

    cells: dict[str, Cell] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[UnreadableRow] = field(default_factory=list)
    assumed: set[str] = field(default_factory=set)


@dataclass
class _Row:
    item: StatisticsItem
    figures: str  # as printed, without unit and the next row's enumerator
    offset: int  # where ``figures`` starts in the text
    cuts: list[tuple[float, ...]]  # every reading of the row's figures (one when settled)


@cache
def _patterns(generation: str) -> tuple[re.Pattern[str], dict[str, list[StatisticsItem]], re.Pattern[str], re.Pattern[str]]:
    table = load_template(generation).statistics
    assert table is not None
    variants: dict[str, list[StatisticsItem]] = {}
    for item in table.items:
        for label in item.labels:
            variants.setdefault(re.sub(r"\s", "", label), []).append(item)
    spaced = (r"\s*".join(map(re.escape, v)) for v in sorted(variants, key=len, reverse=True))
    labels = re.compile("|".join(spaced))
    signature = re.compile("|".join(r"\s*".join(map(re.escape, s)) for s in table.signatures))
    units = "|".join(map(re.escape, sorted(table.units, key=len, reverse=True)))
    # what stands between a row's label and its figures: a misprinted label's tail ("当面申请书条"), the
    # unit. No quantifier nests another: the figures after it are scanned in code (``_segment``).
    head = re.compile(rf"\s*(?:[\u4e00-\u9fff]{{1,2}}(?=\s*(?:{units})))?\s*[（(]?(?:{units})?[)）]?\s*")
    return labels, variants, signature, head


_FIGURE_CHARS = frozenset("0123456789.,．、 \t\u3000")
_ENUMERATOR_END = re.compile(r"\d\s*[、.．]\s*$")  # the next row's "2、" / "2." / "2．" stuck to the figures
_AFTER = re.compile(r"\s*(?:其中\s*[:：]?)?\s*(?:\d\s*[、.．])?\s*")  # what may stand before the next row's label
_DATE_AFTER = re.compile(r"\s*[年月日号]")


def _segment(segment: str, head: re.Pattern[str]) -> tuple[str, int, str]:
    """A row's text between its label and the next label, cut into its figures as printed, where
    they start in ``segment``, and what follows them (empty when the row is all figures). Linear:
    the figures are the longest run of digits, separators and blanks after the unit."""
    start = head.match(segment).end()  # type: ignore[union-attr]
    end = start
    while end < len(segment) and segment[end] in _FIGURE_CHARS:
        end += 1
    body, rest = segment[start:end], segment[end:]
    enumerator = _ENUMERATOR_END.search(body)
    if enumerator is not None:  # "179533042." → "17953304" and the next row's "2."
        body, rest = body[: enumerator.start()], body[enumerator.start():] + rest
    body = body.rstrip(" \t\u3000、.．,")
    if _DATE_AFTER.match(rest) and body.split():  # "0 0 2013年1月10日": the year is no figure
        tokens = body.split()
        body = body[: body.rfind(tokens[-1])].rstrip()
        rest = segment[start + len(body):]
    after = _AFTER.match(rest)
    return body, start, rest[after.end():] if after else rest


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _position(starts: list[int], offset: int, pages: Mapping[int, int] | None = None) -> Position:
    line = bisect.bisect_right(starts, offset)
    return Position(line, offset - starts[line - 1] + 1, (pages or {}).get(line))


def _measures(header: str, template: Template) -> list[str]:
    """The columns the header prints, in order: the year's figure, and 历年累计 when printed."""
    table = template.statistics
    assert table is not None
    cumulative = next((m for m in table.measures if m.key == "cumulative"), None)
    at = min((header.find(v) for v in (cumulative.labels if cumulative else ()) if v in header), default=-1)
    if at < 0:
        return ["year"]
    year_at = re.search(r"(?:19|20)\d{2}\s*年|本年|年度|统计数", header)
    return ["cumulative", "year"] if year_at is None or at < year_at.start() else ["year", "cumulative"]


def _in_context(items: list[StatisticsItem], previous: StatisticsItem | None) -> StatisticsItem:
    """The row a label names where two rows print it (其他): a part of the row before, or of the
    same row as the row before; else the first."""
    if len(items) > 1 and previous is not None:
        for wanted in (previous.key, previous.parent):
            found = next((i for i in items if wanted and i.parent == wanted), None)
            if found is not None:
                return found
    return items[0]


def _cuts(figures: str, measures: list[str]) -> list[tuple[float, ...]]:
    """Every reading of a row's printed figures: the numbers as printed when their count is the
    column count; every cut of a run of digits into its two figures, none with a leading zero."""
    tokens = [t.replace(",", "") for t in figures.split()]
    if not tokens:
        return []
    if len(tokens) == len(measures) and all(_NUMBER.fullmatch(t) for t in tokens):
        return [tuple(float(t) for t in tokens)]
    if len(tokens) != 1 or len(measures) != 2 or not tokens[0].isdigit():
        return []
    return [tuple(float(x) for x in way) for way in splits(tokens[0], (2,)).ways]


def _rows(text: str, start: int, template: Template) -> tuple[list[str], list[_Row]]:
    """The columns and rows of a table whose signature is at ``start`` ([] when no row follows)."""
    labels, variants, _, head = _patterns(template.generation)
    first = labels.search(text, start, start + MAX_HEADER + MAX_LABEL)  # bounded: a signature with no row after it costs little
    if first is None or first.start() - start > MAX_HEADER:
        return [], []
    matches = []
    for m in labels.finditer(text, first.start()):
        matches.append(m)
        if len(matches) > 3 * len(variants):
            break
    if not matches:
        return [], []
    measures = _measures(text[start:matches[0].start()], template)
    rows: list[_Row] = []
    for i, m in enumerate(matches):
        item = _in_context(variants[re.sub(r"\s", "", m.group())], rows[-1].item if rows else None)
        end = matches[i + 1].start() if i + 1 < len(matches) else min(len(text), m.end() + 60)
        segment = text[m.end():end]
        last = i + 1 == len(matches)
        group, at, rest = _segment(segment, head)
        if rest:  # this row's figures, then a row the template does not know, or the end of the table
            last = last or len(rest) > MAX_UNKNOWN_ROW or bool(_PROSE.search(rest))
        offset = m.end() + at
        if any(r.item.key == item.key for r in rows):
            break  # a label met again: the table is over (the narrative after it)
        rows.append(_Row(item, group, offset, _cuts(group, measures)))
        if last:
            break
    return measures, rows


@dataclass(frozen=True)
class RowStatement:
    """A narrative statement of a 统计表 row's figure for the report year: the row (``item``), the
    value (条/件), the words as printed, and where the value stands in its paragraph."""

    item: str
    value: int
    text: str
    paragraph: Paragraph
    offset: int
    measure: str = "year"  # or "cumulative" (历年累计)

    @property
    def position(self) -> Position:
        """Where the stated value is in the report."""
        return self.paragraph.position_at(self.offset)


@cache
def _statement_patterns(generation: str) -> tuple[tuple[tuple[str, re.Pattern[str], bool, str], ...], re.Pattern[str], re.Pattern[str]]:
    table = load_template(generation).statistics
    assert table is not None
    statements = tuple((item, re.compile(pattern), whole, measure) for item, pattern, whole, measure in table.statements)
    return statements, re.compile(table.clause_breaks), re.compile(f"(?:{table.whole_words})$")


def row_statements(paragraphs: Sequence[Paragraph], agency: str | None, template: Template) -> list[RowStatement]:
    """The narrative's statements of a 统计表 row's figure for the year (``[[statistics.statements]]``
    in ``template-pre2019.toml``): the 主动公开 total by the body as a whole ("2016年全区主动公开政府信息
    3460条", "其中2013年度我局共主动公开政府信息235条": the words before it in its clause are whole-body
    words, a year, the body's own name or a subsection heading; never a part of the body ("各乡镇",
    "区直各部门", "县政府公开办"), a category or 累计/历年), the requests by channel ("网上申请数3条"),
    行政复议 ("收到1份…行政复议申请")."""
    table = template.statistics
    if table is None or not table.statements:
        return []
    statements, breaks, whole = _statement_patterns(template.generation)
    agency = agency or ""
    found = []
    for paragraph in paragraphs:
        text = paragraph.text
        for item, pattern, whole_only, measure in statements:
            for m in pattern.finditer(text):
                if whole_only:
                    start = max((b.end() for b in breaks.finditer(text, max(0, m.start() - 80), m.start())),
                                default=max(0, m.start() - 80))
                    before = text[start:m.start()]
                    rest = before[: whole.search(before).start()].strip()  # type: ignore[union-attr]
                    named = bool(agency) and any(rest.endswith(agency[i:]) for i in range(max(1, len(agency) - 3)))
                    if rest and not named and not rest.endswith(table.heading_ends):
                        continue
                found.append(RowStatement(item, int(m.group("value")), m.group(), paragraph, m.start("value"), measure))
    return found


def _settle_by_narrative(rows: list[_Row], measures: list[str], statements: list[RowStatement]) -> None:
    """Choose the one cut of a run whose figures the narrative states for that row (its year's
    figure, its 历年累计, or both)."""
    for row in rows:
        if len(row.cuts) < 2:
            continue
        stated = [(measures.index(s.measure), s.value) for s in statements if s.item == row.item.key and s.measure in measures]
        fitting = [c for c in row.cuts if stated and all(c[i] == v for i, v in stated)]
        if not fitting:  # the statements disagree with each other: any one that settles it alone
            fitting = [c for c in row.cuts if any(c[i] == v for i, v in stated)]
        if len(fitting) == 1:
            row.cuts = fitting


def _settle(rows: list[_Row], template: Template, measures: list[str], read: StatisticsRead) -> None:
    """Choose among the cuts of rows left open by the digits, with each row's parts: never above
    it, equal to it when the 其他 part is printed. A row settled this way relies on that sum."""
    table = template.statistics
    assert table is not None
    by_key = {r.item.key: r for r in rows}
    for total in table.totals:
        family = [by_key[k] for k in (total, *(p.key for p in table.parts(total))) if k in by_key]
        if total not in by_key or len(family) < 2 or all(len(r.cuts) == 1 for r in family):
            continue
        if any(not r.cuts for r in family):
            continue
        sizes = 1
        for r in family:
            sizes *= len(r.cuts)
        if sizes > MAX_COMBINATIONS:
            continue
        exhaustive = any(r.item.other for r in family[1:])
        fitting = []
        for combination in itertools.product(*(r.cuts for r in family)):
            whole, parts = combination[0], combination[1:]
            sums = [sum(p[c] for p in parts) for c in range(len(measures))]
            if all(s == w if exhaustive else s <= w for s, w in zip(sums, whole)):
                fitting.append(combination)
        if not fitting:
            continue
        for index, r in enumerate(family):
            chosen = {c[index] for c in fitting}
            if len(r.cuts) > 1 and len(chosen) == 1:
                r.cuts = [chosen.pop()]
                if exhaustive:
                    read.assumed.add(Relation.of(Relation.STATISTICS_SUM, total))


def read_statistics(text: str, template: Template, paragraphs: Sequence[Paragraph] = (),
                    agency: str | None = None, pages: Mapping[int, int] | None = None) -> StatisticsRead:
    """Read the old statistics table of a pre-2019 report from its extracted ``text``; the
    narrative ``paragraphs`` (and the body's ``agency`` name) may settle a crawler's run of digits;
    ``pages`` maps a line of ``text`` to its PDF page (positions carry it).

    Returns the cells ``statistics.<item>.<measure>`` (``year``: the report year's figure,
    ``cumulative``: 历年累计; counts in 条/件, the fee in 元) of every row printed, with their
    positions in ``text``; an empty result when the template has no statistics table or the text
    prints none. Never raises on malformed text: a row it cannot read is a ``Problem`` and its
    cells are ``missing``.
    """
    read = StatisticsRead()
    if template.statistics is None:
        return read
    _, _, signature, _ = _patterns(template.generation)
    best: tuple[list[str], list[_Row]] = ([], [])
    for m in signature.finditer(text):
        measures, rows = _rows(text, m.end(), template)
        if len(rows) > len(best[1]):
            best = (measures, rows)
    measures, rows = best
    if len(rows) < 3:
        return read
    _settle_by_narrative(rows, measures, row_statements(paragraphs, agency, template))
    _settle(rows, template, measures, read)
    starts = _line_starts(text)
    for row in rows:
        keys = tuple(f"statistics.{row.item.key}.{m}" for m in measures)
        position = _position(starts, row.offset, pages)
        if len(row.cuts) == 1:
            tokens = row.figures.split()
            spaced = len(tokens) == len(measures)
            at = row.offset
            for key, value, token in zip(keys, row.cuts[0], tokens if spaced else [row.figures] * len(keys)):
                at = text.find(token, at) if spaced else row.offset
                number = int(value) if float(value).is_integer() else value
                status = "number" if spaced else "recovered"
                read.cells[key] = Cell(key, "statistics", number, status, token if spaced else row.figures,
                                       _position(starts, at, pages), None)
                at += len(token)
            continue
        for key in keys:
            read.cells[key] = Cell(key, "statistics", None, "missing" if row.figures else "blank", row.figures,
                                   position, None)
        label = f"{template.statistics.name} {row.item.label}"
        if len(row.cuts) > 1:
            read.unreadable.append(UnreadableRow(keys, tuple(row.cuts), row.figures, position))
            read.problems.append(Problem(
                Message("{label}: the digits “{digits}” can be cut into its {count} figures {ways} ways; not read",
                        label=label, digits=row.figures, count=len(measures), ways=len(row.cuts)), position, "statistics"))
        elif row.figures:
            read.problems.append(Problem(
                Message("{label}: “{digits}” is not {count} figure(s); not read", label=label, digits=row.figures,
                        count=len(measures)), position, "statistics"))
    return read
