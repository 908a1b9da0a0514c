"""Lists the narrative announces with a count: "从以下三方面加以改进：一是…二是…" announces three
items and must list three. The items are counted by their ordinals (一是, 二是, … or （一）, （二）, …)
from the first one after the announcement to the section's end."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl
from auditor.figures.numbers import number_value

rules = RuleSet()

# "以下三方面", "以下六个方面", "以下3个方面", "以下两点": a count of what follows
_ANNOUNCED = re.compile(r"以下\s*([一二两三四五六七八九十]|\d{1,2})\s*个?\s*(方面|点)")
LEAD = 30  # characters between the announcement and its first item ("加以改进：", "抓好各项工作。")
REACH = 4000  # characters an announced list may run over
# A level-1 heading ("二、主动公开政府信息情况") ends the list; "（二）" does not
# ("第一、二季度", "一、二级政务公开专区" are no headings)
_HEADING = re.compile(r"(?<![（(〔\d一二三四五六七八九十第])[一二三四五六七八九十]、(?![一二三四五六七八九十])")
_NUMERALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return _NUMERALS[n - 1] if n <= 10 else "十" + _NUMERALS[n - 11]


@cache
def _marker(style: str, n: int) -> re.Pattern[str]:
    """How item ``n`` of a list in ``style`` is printed ("二是"; "（二）" — not "第（二）项", a clause cited)."""
    if style == "是":
        return re.compile(f"(?<!第){_ordinal(n)}是")
    return re.compile(f"(?<!第)[（(]{_ordinal(n)}[)）]")


def _count(text: str, start: int) -> tuple[int, str] | None:
    """How many items a list starting at ``start`` holds, and its style ("是": 一是…, "（）": （一）…),
    or None when no first item follows within ``LEAD`` characters, or when a list of the same style
    starts again inside it (a list within an item: which items are the announced ones is not told)."""
    firsts = [(m.start(), style) for style in ("是", "（）") if (m := _marker(style, 1).search(text, start, start + LEAD))]
    if not firsts:
        return None
    at, style = min(firsts)
    heading = _HEADING.search(text, at, at + REACH)
    end = heading.start() if heading else min(len(text), at + REACH)
    if _marker(style, 1).search(text, at + 2, end):
        return None
    count = 1
    while count < 20:
        found = _marker(style, count + 1).search(text, at, end)
        if found is None:
            break
        at, count = found.start(), count + 1
    return count, style


@rules.rule(
    "N008", "announced-count-differs", "warning",
    "The narrative announces a number of items (“从以下三方面加以改进：一是…”) and lists another number of them.",
    kind="itemised_sum",
    source="the narrative's own announcement (REPORT-FORMAT.md, “a list whose parts miss the stated whole”)",
    examples=[
        Example(True, file="corpora/flattened/2025-pingtan-spp-page.txt",
                note="“从以下三方面加以改进：一是…二是…” and the page ends"),
        Example(True, file="corpora/pre2019/2016-pingtan-gwh-page.txt",
                note="“从以下六个方面抓好各项工作” then （一）–（五）"),
        Example(False, file="corpora/pre2019/2011-pingtan-czj-page.txt"),
    ],
    rationale=(
        "An announcement “以下N方面/N个方面/N点” followed within a few characters by a first item printed 一是 or （一） "
        "opens a list; its items are the ordinals that follow in order (二是, 三是 … or （二）, （三） …) up to the next "
        "level-1 heading (二、…; not 第一、二季度) or 4,000 characters; 第（四）项 cites a clause and is no item. A list "
        "that starts again inside (一是 … 具体做到：一是 …) is left alone. A list that stops short of its count, or runs "
        "past it, is named. A warning: the missing item may stand in words the ordinals do not "
        "mark, or a page may have lost its end."
    ),
)
def announced_count_differs(document: Document) -> Iterator[Hit]:
    for paragraph in document.report.paragraphs:
        text = paragraph.text
        for match in _ANNOUNCED.finditer(text):
            counted = _count(text, match.end())
            if counted is None:
                continue
            announced = int(number_value(match.group(1).replace("两", "二")))
            listed, style = counted
            if listed != announced:
                first, last = (f"{_ordinal(1)}是", f"{_ordinal(listed)}是") if style == "是" else (
                    f"（{_ordinal(1)}）", f"（{_ordinal(listed)}）")
                yield Hit(Message("“{announcement}” announces {announced}, but the list gives {listed} ({first} … {last})",
                                  announcement=match.group(), announced=announced, listed=listed, first=first, last=last),
                          paragraph.position_at(match.start()),
                          (Evidence("narrative", "", announced, paragraph.position_at(match.start()), match.group()),))


@hookimpl
def auditor_register_rules(register):
    """Rule N008."""
    register(*rules)
