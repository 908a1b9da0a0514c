"""Lists the narrative announces with a count: "从以下三方面加以改进：一是…二是…" announces three
items and must list three. The items are counted by their ordinals (一是, 二是, … or （一）, （二）, …)
from the first one after the announcement to the section's end."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl
from auditor.figures.numbers import number_value

rules = RuleSet()

# "以下三方面", "以下六个方面", "以下3个方面", "以下两点": a count of what follows
_ANNOUNCED = re.compile(r"以下\s*([一二两三四五六七八九十]|\d{1,2})\s*个?\s*(方面|点)")
LEAD = 30  # characters between the announcement and its first item ("加以改进：", "抓好各项工作。")
REACH = 4000  # characters an announced list may run over
# A level-1 heading ("二、主动公开政府信息情况") ends the list; "（二）" does not
_HEADING = re.compile(r"(?<![（(〔\d一二三四五六七八九十])[一二三四五六七八九十]、")
_NUMERALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return _NUMERALS[n - 1] if n <= 10 else "十" + _NUMERALS[n - 11]


def _markers(style: str, n: int) -> tuple[str, ...]:
    """How item ``n`` of a list in ``style`` is printed."""
    if style == "是":
        return (f"{_ordinal(n)}是",)
    return (f"（{_ordinal(n)}）", f"({_ordinal(n)})")


def _count(text: str, start: int) -> tuple[int, str] | None:
    """How many items a list starting at ``start`` holds, and its style ("是": 一是…, "（）": （一）…),
    or None when no first item follows within ``LEAD`` characters."""
    lead = text[start : start + LEAD]
    firsts = [(lead.find(m), style) for style in ("是", "（）") for m in _markers(style, 1) if m in lead]
    if not firsts:
        return None
    at, style = min(firsts)
    at += start
    heading = _HEADING.search(text, at, at + REACH)
    end = heading.start() if heading else min(len(text), at + REACH)
    restart = min((i for m in _markers(style, 1) if (i := text.find(m, at + 2, end)) >= 0), default=end)
    end = min(end, restart)  # a second list of the same style begins
    count = 1
    while count < 20:
        nxt = [i for m in _markers(style, count + 1) if (i := text.find(m, at, end)) >= 0]
        if not nxt:
            break
        at, count = min(nxt), count + 1
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
        "level-1 heading (二、…), a second list of the same style, or 4,000 characters. A list that stops short of "
        "its count, or runs past it, is named. A warning: the missing item may stand in words the ordinals do not "
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
                first, last = _markers(style, 1)[0], _markers(style, listed)[0]
                yield Hit(Message("“{announcement}” announces {announced}, but the list gives {listed} ({first} … {last})",
                                  announcement=match.group(), announced=announced, listed=listed, first=first, last=last),
                          paragraph.position_at(match.start()),
                          (Evidence("narrative", "", announced, paragraph.position_at(match.start()), match.group()),))


@hookimpl
def auditor_register_rules(register):
    """Rule N008."""
    register(*rules)
