"""From a format's blocks (headings, text lines, table rows) to the typed ``Report``.

Every format reader yields the same three kinds of block in reading order; this module builds
sections, narrative paragraphs with positions, template cells and metadata from them, so the
model is the same whatever the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from auditor.bodies import strip_title_words
from auditor.i18n import Message
from auditor.errors import ReportReadError
from auditor.model import Paragraph, Position, Problem, Report, Section, UnreadableRow
from auditor.read.flattened import FlatTables, read_flat_tables
from auditor.read.grid import GridCell, GridRow, TableReader, parse_value
from auditor.read.statistics import read_statistics
from auditor.template import GENERATIONS, Template, load_template, normalize_label

_LEVEL1 = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_LEVEL2 = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")
_SENTENCE_END = tuple("。！？；：”」』）)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class Heading:
    """A heading line; ``markup_level`` is the format's own level (Markdown #, <h2>), or 0."""

    text: str
    position: Position
    markup_level: int = 0


@dataclass(frozen=True)
class TextLine:
    """A line of running text; consecutive lines that do not end a sentence form one paragraph."""

    text: str
    position: Position


@dataclass(frozen=True)
class Break:
    """A paragraph boundary (a blank line, the end of a <p>)."""


Block = Heading | TextLine | Break | GridRow | FlatTables


def heading_level(heading: Heading) -> int:
    """1 for "一、…", 2 for "（一）…", else the markup level (0 when none)."""
    if _LEVEL1.match(heading.text):
        return 1
    if _LEVEL2.match(heading.text):
        return 2
    return heading.markup_level


def detect_generation(blocks: list[Block], year: int | None) -> str:
    """The template generation the report's tables are printed in: ``"2021"``, ``"2019"`` or
    ``"pre2019"``.

    Decided by the words only one generation's tables print (``detect`` in the template files:
    本年新制作数量 / 第二十条第（九）项 for 2019, 本年制发件数 / 本年处理决定数量 for 2021); with
    neither, by the report year (reports on 2019–2020 use the 2019 template, earlier ones are
    free-form). A report whose printed tables disagree with its year keeps its printed
    generation; the completeness rules report the mismatch.
    """
    texts = []
    for block in blocks:
        if isinstance(block, GridRow):
            texts.extend(c.text for c in block.cells)
        elif isinstance(block, (FlatTables, Heading, TextLine)):
            texts.append(block.text)
    compact = re.sub(r"\s", "", "".join(texts))
    hits = {}
    for generation in GENERATIONS:
        words = load_template(generation).detect
        hits[generation] = sum(compact.count(re.sub(r"\s", "", w)) for w in words)
    printed = max(hits, key=lambda g: hits[g])
    if hits[printed]:
        return printed
    if year is not None:
        for generation in GENERATIONS:
            if load_template(generation).covers(year):
                return generation
    return GENERATIONS[0]


MAX_TEXT_CHARS = 100_000  # fifteen times the longest report of the corpora (6 700); auditing takes up to ~2 s per 100 000


def build_report(
    path: str, blocks: Iterable[Block], text: str = "", template: Template | None = None, notes: Iterable[Problem] = ()
) -> Report:
    """Build the ``Report`` of ``path`` from its blocks in reading order; ``text`` is the
    extracted text the blocks' positions refer to. The template generation is detected unless
    given; ``notes`` are problems the format reader saw (a truncated page). Raises
    ``ReportReadError`` when the blocks hold no report at all (no title, no section headings,
    no template table), or when ``text`` is longer than ``MAX_TEXT_CHARS``."""
    if len(text) > MAX_TEXT_CHARS:
        raise ReportReadError(path, Message("its text runs to {count:,} characters, more than the {most:,} a report can have "
                                            "(reports run to some 3,000–30,000): not audited", count=len(text),
                                            most=MAX_TEXT_CHARS))
    blocks = list(blocks)
    title, title_blocks = _find_title(blocks)
    agency, year = _agency_and_year(title)
    template = template or load_template(detect_generation(blocks, year))
    reader = TableReader(template)
    titles = {name: normalize_label(title) for name, title in template.titles.items()}
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    debris: list[Paragraph] = []
    pending: list[TextLine] = []
    problems: list[Problem] = list(notes)
    assumed: set[str] = set()
    unreadable: list[UnreadableRow] = []
    current: str | None = None
    table: str | None = None

    in_table_section = False  # the pending lines stand in 表二–四's sections

    def flush() -> None:
        if pending:
            joined, starts = "", []
            for line in pending:
                starts.append((len(joined), line.position))
                joined += line.text
            paragraph = Paragraph(joined, current, tuple(starts))
            prose = is_prose(joined) if in_table_section else not is_table_debris(joined, template)
            (paragraphs if prose else debris).append(paragraph)
            pending.clear()

    pages: dict[int, int] = {}  # line → page, for PDF: the old 统计表 is read from the text by line
    for block in blocks:
        for position in ((c.position for c in block.cells) if isinstance(block, GridRow)
                         else (getattr(block, "position", None),)):
            if position is not None and position.page is not None:
                pages.setdefault(position.line, position.page)
        if any(block is b for b in title_blocks):
            continue
        if isinstance(block, Heading):
            flush()
            level = heading_level(block)
            sections.append(Section(block.text.strip(), level, block.position))
            current = block.text.strip()
            norm = normalize_label(block.text)
            named = next((name for name, t in titles.items() if t and (t in norm or (len(norm) >= 4 and t.startswith(norm)))), None)
            named = named or (template.signed_table(norm) if level == 1 else None)  # "四、因政府信息公开工作被申请行政复议…"
            if named or (level == 1 and (table is None or _is_prose_heading(block.text, template))):
                table = named  # a short "三、本法提供" inside a table is a label fragment
            elif table is not None and level == 2 and _is_prose_heading(block.text, template):
                table = None  # 表二–四 have no sub-sections: "（一）…改进情况" is prose again
            reader.heading(block.text)
        elif isinstance(block, TextLine):
            if table is not None:  # in 表二–四's sections: a row printed as text, prose, or debris
                row = _spaced_row(block)
                if row is not None:
                    flush()
                    reader.add(row, table)
                    continue
            if not pending:
                in_table_section = table is not None
            pending.append(block)
            if block.text.rstrip().endswith(_SENTENCE_END):
                flush()
        elif isinstance(block, Break):
            flush()
        elif isinstance(block, FlatTables):
            flush()
            flat = read_flat_tables(block, template)
            for row_table, row in flat.rows:
                reader.add(row, row_table)
            problems += flat.problems
            assumed |= flat.assumed
            unreadable += flat.unreadable
        else:
            flush()
            reader.add(block, table)
    flush()
    explained = frozenset(k for row in unreadable for k in row.keys)
    cells, table_problems = reader.finish(explained) if template.has_tables else ({}, [])
    if template.statistics is not None:  # pre-2019: the old statistics table, read from the text
        statistics = read_statistics(text, template, paragraphs, agency, pages)
        cells.update(statistics.cells)
        table_problems += statistics.problems
        unreadable += statistics.unreadable
        assumed |= statistics.assumed
    known = _known_sections()
    prose = sum(len(p.text) for p in paragraphs if "。" in p.text)
    if not (cells  # a template table was found, read or not
            or sum(normalize_label(s.heading) in known for s in sections) >= 2
            or (title and prose >= 50)):
        what = Message("only a title") if title else Message("no report title, no section headings, no template table")
        raise ReportReadError(path, Message("does not look like a 政府信息公开工作年度报告: {what} (an image-only page?)",
                                            what=what))
    header = CRAWL_HEADER_END.search(text[:4000]) if text else None
    if header is not None:  # a crawler's header ("发布时间: …", "栏目: …", "原文链接: …") is metadata, not narrative
        end = text.count("\n", 0, header.start()) + 1
        debris += [p for p in paragraphs if p.position.line <= end]
        paragraphs = [p for p in paragraphs if p.position.line > end]
    if year is None:
        year = _first_year(paragraphs)
    return Report(
        path=path,
        title=title,
        agency=agency,
        year=year,
        template=template.generation,
        sections=sections,
        paragraphs=paragraphs,
        cells=cells,
        problems=problems + table_problems,
        assumed=assumed,
        unreadable=unreadable,
        debris=debris,
        text=text,
    )


# the line an archive's crawler prints between its header (标题, 发布时间, 栏目, 原文链接 …) and the page's text
CRAWL_HEADER_END = re.compile(r"^=+\s*正文\s*=+\s*$", re.MULTILINE)
_PROSE_MARK = re.compile(r"[。，；！？]")
_FULL_STOP = re.compile(r"[。！？]")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_DEBRIS_MARKS = re.compile(r"[\s\d.,，、%％/／\-—–|｜()（）:：]+")


def is_prose(text: str) -> bool:
    """True for a paragraph of prose in a table's section: a full stop and at least ten Chinese
    characters, not a parenthesised table note ("（本列数据的勾稽关系为：…）") — a label a converter
    cut into lines ("理结计这一情形，不计其他情形）") has no full stop."""
    stripped = text.strip()
    if stripped[:1] in "（(" and stripped[-1:] in "）)":
        return False
    return bool(_FULL_STOP.search(stripped)) and len(_CJK_CHAR.findall(stripped)) >= 10


def is_table_debris(text: str, template: Template) -> bool:
    """True for a paragraph that is a piece of a table left outside it by a converter or a
    crawler — numbers alone ("0 0 2"), a template label alone or with its numbers ("行政许可 0",
    "本年新收政府信息公开申请数量", "（七）总计 5"), or a piece of a label a converter cut into lines
    ("…未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请1"), any line of numbers that is no
    sentence — never a narrative statement. Prose (with sentence punctuation) is never debris."""
    stripped = text.strip()
    if not stripped or _PROSE_MARK.search(stripped):
        return False
    words = _DEBRIS_MARKS.sub("", normalize_label(stripped))
    if not words:
        return any(ch.isdigit() for ch in stripped)  # numbers and marks only
    if len(words) > 60:
        return False
    if any(ch.isdigit() for ch in stripped):
        return True  # no sentence, and numbers: the values of a row whose grid was lost
    labels = _template_labels(template.generation)
    return words in labels or (len(words) >= 6 and any(words in label or label in words for label in labels if len(label) >= 4))


@cache
def _template_labels(generation: str) -> frozenset[str]:
    """Every label of the template's rows, columns, items, measures, groups and outcomes, in
    the form ``is_table_debris`` compares (normalized, marks removed)."""
    template = load_template(generation)
    specs = [
        *template.active_items, *template.active_measures, *template.request_rows, *template.request_columns,
        *template.request_groups, *template.request_sections, *template.appeal_groups, *template.appeal_outcomes,
    ]
    texts = [v for spec in specs for v in spec.labels] + [template.active_header]
    return frozenset(_DEBRIS_MARKS.sub("", normalize_label(t)) for t in texts if t)


def _spaced_row(line: TextLine) -> GridRow | None:
    """A table row that lost its grid to single spaces ("行政许可 550", "本年度办理结果 （七）总计
    449 398 …"): label words, then numbers only, each word a cell; None for anything else."""
    words = [(m.group(), m.start()) for m in re.finditer(r"\S+", line.text)]
    kinds = [parse_value(w)[1] for w, _ in words]
    if len(words) < 2 or kinds[0] != "label" or kinds[-1] != "number":
        return None
    first_value = next(i for i, k in enumerate(kinds) if k != "label")
    if any(k == "label" for k in kinds[first_value:]) or re.search(r"[。，；]", line.text):
        return None
    cells = [GridCell(w, replace(line.position, column=line.position.column + at)) for w, at in words]
    return GridRow(tuple(cells))


def _is_prose_heading(text: str, template: Template) -> bool:
    """True for a "（一）…" heading of prose ("（一）2024 年工作中存在问题的改进情况"), not a
    table's row or group label ("(三) 不予公开") nor a label fragment a converter cut off ("（四）无")."""
    parts = [*template.request_rows, *template.request_groups, *template.appeal_groups, *template.active_items]
    return len(normalize_label(text)) >= 6 and not any(p.match_length(text) for p in parts)


_FIELD_PREFIX = re.compile(r"^\s*(?:标题|题目|title)\s*[:：]\s*", re.IGNORECASE)


@cache
def _title_words() -> tuple[str, ...]:
    """The words a report's title ends in, of every template generation, longest first."""
    words = {w for g in GENERATIONS for w in load_template(g).title_words}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _known_sections() -> frozenset[str]:
    """The section titles of every template generation (normalized)."""
    return frozenset(normalize_label(t) for g in GENERATIONS for t in load_template(g).sections)


# a cover letter's subject line names the report it sends: "关于报送《…局2016年 政府信息公开工作情况》的函"
_COVER = re.compile(r"^关于(?:报送|上报|印发|公布|发布)《(?P<title>[^《》]+)》的(?:函|通知|报告)$")


def _uncovered(text: str) -> str:
    """The report's title inside a cover letter's subject line, else ``text``."""
    found = _COVER.match(re.sub(r"\s", "", _FIELD_PREFIX.sub("", text)))
    return found.group("title") if found else text


def _is_title(text: str) -> bool:
    compact = re.sub(r"\s", "", _FIELD_PREFIX.sub("", _uncovered(text)))
    return (
        any(w in compact for w in _title_words()) and len(compact) < 80
        and not re.search(r"[《》。；，>›»]|通知|首页|当前位置|上一篇|下一篇", compact)  # citations, breadcrumbs, links
    )


def _short(text: str) -> bool:
    return len(text.strip()) <= 30 and not re.search(r"[。，；：、]", text)


def _find_title(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The report's title and the blocks it was printed in: one line, or a line broken in two
    ("洪泽区人民政府" / "2024 年政府信息公开工作年度报告"; "…政府信息公开" / "工作年度报告")."""
    lines = [b for b in blocks[:400] if isinstance(b, (Heading, TextLine))][:300]
    headings = [i for i, b in enumerate(lines) if isinstance(b, Heading) and b.markup_level and _is_title(b.text)]
    order = headings + [i for i in range(len(lines)) if i not in headings]  # a marked-up heading first
    for i in order:
        block = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else None
        parts: list[Block] | None = None
        if _is_title(block.text):
            parts = [block]
        elif following is not None and _short(block.text) and _short(following.text) and _is_title(block.text + following.text):
            parts = [block, following]
        if parts is None:
            continue
        text = "".join(_FIELD_PREFIX.sub("", _uncovered(p.text)).strip() for p in parts)
        previous = lines[i - 1] if i > 0 else None
        if previous is not None and _short(previous.text) and _agency_and_year(text)[0] is None:
            parts.insert(0, previous)  # the agency on its own line above
            text = previous.text.strip() + text
        return text, parts
    return None, []


def _agency_and_year(title: str | None) -> tuple[str | None, int | None]:
    """Agency and year from a title such as "示范区党政办 2023 年政府信息公开工作年度报告"."""
    if not title:
        return None, None
    compact = re.sub(r"\s", "", title)
    for word in _title_words():
        compact = compact.replace(word, "")
    match = _YEAR.search(compact)
    if match is None:
        return compact or None, None
    before, after = compact[: match.start()], compact[match.end() :]
    agency = strip_title_words((before or after).removeprefix("度").strip("《》")) or None
    if agency is not None and not re.search(r"[\u4e00-\u9fff]", agency):
        agency = None
    return agency, int(match.group(1))


def _first_year(paragraphs: list[Paragraph]) -> int | None:
    for paragraph in paragraphs:
        match = _YEAR.search(paragraph.text)
        if match:
            return int(match.group(1))
    return None
