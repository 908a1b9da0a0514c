"""From a format's blocks (headings, text lines, table rows) to the typed ``Report``.

Every format reader yields the same three kinds of block in reading order; this module builds
sections, narrative paragraphs with positions, template cells and metadata from them, so the
model is the same whatever the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.model import Paragraph, Position, Report, Section
from auditor.read.grid import GridRow, TableReader
from auditor.template import Template, load_template, normalize_label

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


Block = Heading | TextLine | Break | GridRow


def heading_level(heading: Heading) -> int:
    """1 for "一、…", 2 for "（一）…", else the markup level (0 when none)."""
    if _LEVEL1.match(heading.text):
        return 1
    if _LEVEL2.match(heading.text):
        return 2
    return heading.markup_level


def build_report(path: str, blocks: Iterable[Block], template: Template | None = None) -> Report:
    """Build the ``Report`` of ``path`` from its blocks in reading order."""
    template = template or load_template()
    reader = TableReader(template)
    titles = {name: normalize_label(title) for name, title in template.titles.items()}
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    pending: list[TextLine] = []
    current: str | None = None
    table: str | None = None
    title: str | None = None

    def flush() -> None:
        if pending:
            text, starts = "", []
            for line in pending:
                starts.append((len(text), line.position))
                text += line.text
            paragraphs.append(Paragraph(text, current, tuple(starts)))
            pending.clear()

    for block in blocks:
        if isinstance(block, Heading):
            flush()
            if title is None and _is_title(block.text, template):
                title = block.text.strip()
                continue
            sections.append(Section(block.text.strip(), heading_level(block), block.position))
            current = block.text.strip()
            norm = normalize_label(block.text)
            level = heading_level(block)
            if level == 1 or any(t in norm for t in titles.values()):
                table = next((name for name, t in titles.items() if t and t in norm), None)
        elif isinstance(block, TextLine):
            if title is None and not paragraphs and not pending and _is_title(block.text, template):
                title = block.text.strip()
                continue
            pending.append(block)
            if block.text.rstrip().endswith(_SENTENCE_END):
                flush()
        elif isinstance(block, Break):
            flush()
        else:
            flush()
            reader.add(block, table)
    flush()
    cells, problems = reader.finish()
    agency, year = _agency_and_year(title, template)
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
        problems=problems,
    )


def _is_title(text: str, template: Template) -> bool:
    compact = re.sub(r"\s", "", text)
    return any(w in compact for w in template.title_words) and len(compact) < 80


def _agency_and_year(title: str | None, template: Template) -> tuple[str | None, int | None]:
    """Agency and year from a title such as "示范区党政办 2023 年政府信息公开工作年度报告"."""
    if not title:
        return None, None
    compact = re.sub(r"\s", "", title)
    for word in template.title_words:
        compact = compact.replace(word, "")
    match = _YEAR.search(compact)
    if match is None:
        return compact or None, None
    before, after = compact[: match.start()], compact[match.end() :]
    agency = (before or after).removeprefix("度").strip("《》") or None
    return agency, int(match.group(1))


def _first_year(paragraphs: list[Paragraph]) -> int | None:
    for paragraph in paragraphs:
        match = _YEAR.search(paragraph.text)
        if match:
            return int(match.group(1))
    return None
