"""Lists of the categories of 主动公开 information that no word ties to their whole.

"(一)…2018年度，主动公开政府信息389条，历年累计主动公开政府信息1176条。(二)主动公开政府信息的主要类别…其中公示
公告类71条，…，其他应主动公开的政府信息6条。" lists the year's 主动公开 information by category, ending with the
template's catch-all category (其他应主动公开的政府信息); the whole is the year's 主动公开 count stated before the
list, in its subsection or the one before. The list names 其他, so its parts are all of some whole; but a body
may list one channel's or one group's documents only, so only parts that add up to more than the whole
contradict it (``Breakdown.etc``).
"""

from __future__ import annotations

import re

from auditor.breakdowns import Breakdown, Part
from auditor.figures import Figure
from auditor.model import Report

# The template's catch-all category, which ends a category list
_CATCH_ALL = re.compile(r"其他应主动公开的?(?:政府)?信息")
# The clause that states the year's whole says nothing narrower than the body and the year: "2018年度，主动公开政府
# 信息389条", "2014年主动公开政府信息 2543条", "其中主动公开信息数169" — not "公开栏主动公开政府信息200条" or
# "各乡镇主动公开政府信息856条", which count one channel or one group.
_WHOLE = re.compile(r"(?:主动公开政府信息的?数量\s*)?(?:(?:19|20)\d{2}\s*年度?|全年|本年度?|今年)?\s*(?:其中)?\s*"
                    r"(?:我(?:局|办|委|区|县|市|院)|本(?:局|机关|单位)|全(?:区|市|县|局))?"
                    r"\s*(?:共|累计|合计)?\s*主动公开(?:的)?(?:政府)?信息(?:数|总数)?\s*(?:共|为|达)?\s*")
_CLAUSE_START = re.compile(r"[，,。；;：:！？）)]")  # a subsection's title "（一）主动公开政府信息的数量" may lead
_CUMULATIVE = re.compile(r"累计|历年")
_LIST_START = re.compile(r"[。！？!?；;]")  # a list runs within its sentence, after its last ；
MIN_PARTS = 3
REACH = 1500  # characters before the list its whole may stand


def extract_category_lists(report: Report, figures: tuple[Figure, ...],
                           breakdowns: tuple[Breakdown, ...] = ()) -> tuple[Breakdown, ...]:
    """Category lists ending with 其他应主动公开的政府信息 (at least ``MIN_PARTS`` counts in one
    sentence or the clause after its last ；, in one measure word) that no breakdown holds, each with the year's 主动公开 count
    printed before it (the nearest count, within ``REACH`` characters of its paragraph or the two
    before, whose words end 主动公开政府信息 and are no cumulative count). ``etc`` is set: only parts
    adding up to more than the whole contradict it. Lists with no such whole are left out."""
    taken = {id(p.figure) for b in breakdowns for p in b.parts}
    by_paragraph: dict[int, list[Figure]] = {}
    for figure in figures:
        by_paragraph.setdefault(figure.paragraph, []).append(figure)
    found = []
    for index, items in sorted(by_paragraph.items()):
        text = report.paragraphs[index].text
        for i, last in enumerate(items):
            if last.kind != "count" or id(last) in taken or not _CATCH_ALL.search(text, max(0, last.start - 16), last.start):
                continue
            start = max((m.end() for m in _LIST_START.finditer(text, 0, last.start)), default=0)
            parts = [f for f in items[:i + 1] if f.start >= start and f.kind == "count" and f.unit == last.unit]
            if len(parts) < MIN_PARTS or any(id(p) in taken for p in parts):
                continue
            whole = _whole(report, by_paragraph, index, parts[0], last.unit, taken)
            if whole is None:
                continue
            labelled = tuple(Part(f, None, text[(parts[k - 1].end if k else start) : f.end]) for k, f in enumerate(parts))
            found.append(Breakdown(whole, labelled, "其他", etc=True))
    return tuple(found)


def _whole(report: Report, by_paragraph: dict[int, list[Figure]], index: int, first: Figure, unit: str | None,
           taken: set[int]) -> Figure | None:
    """The year's 主动公开 count printed before the list's first part, or None: not a part of
    another list ("各乡镇主动公开政府信息856条" is a part of the year's 2543), nor cumulative; printed
    in the list's measure word, or bare ("其中主动公开信息数169，")."""
    reach = REACH
    for at in range(index, max(-1, index - 3), -1):
        text = report.paragraphs[at].text
        end = first.start if at == index else len(text)
        candidates = [f for f in by_paragraph.get(at, ()) if f.end <= end and end - f.end <= reach]
        for figure in reversed(candidates):
            clause_start = max((m.end() for m in _CLAUSE_START.finditer(text, max(0, figure.start - 40), figure.start)),
                               default=max(0, figure.start - 40))
            clause = text[clause_start : figure.start]
            bare = figure.kind == "number" and figure.unit is None
            if ((figure.kind == "count" or bare) and figure.period == "current" and figure.unit in (unit, None)
                    and id(figure) not in taken and _WHOLE.fullmatch(clause) and not _CUMULATIVE.search(clause)):
                return figure
        reach -= end
        if reach <= 0:
            break
    return None
