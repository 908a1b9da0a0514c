"""The report's own dates against the year it reports on: a report is written after its year ends
(国办公开办函〔2021〕30号: published by 31 January of the next year), so the date at its foot
cannot fall inside that year, before December."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, Message, Position, RuleSet, hookimpl

rules = RuleSet()

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
FOOT = 60  # characters at the end of the report's text where the signature's date stands


@rules.rule(
    "M010", "dated-before-year-end", "warning",
    "The date at the report's foot falls before the year the report covers ended (a report on 2018 "
    "signed “2018年1月16日”): a slip for the next year, or a report copied with last year's date.",
    kind="metadata",
    source="国办公开办函〔2021〕30号 and the 条例 (art. 50): the annual report on a year is published by 31 January "
           "of the next year",
    examples=[
        Example(True, file="corpora/pre2019/2018-pingtan-hzs-page.txt",
                note="report on 2018, published 2019-01-16, signed “2018年1月16日”"),
        Example(False, file="corpora/html/2023-pingtan-zrz-page.html", note="report on 2023 signed in 2024"),
        Example(False, file="corpora/pre2019/2014-pingtan-gaj-page.txt", note="report on 2014 written 2014-12-25"),
    ],
    rationale=(
        "The last date at the end of the report's text (its signature: the body's name and \"2019年1月16日\") is "
        "compared with the year the title names. A report on a year is written once that year's figures are in: "
        "a date before December of that year (or in an earlier year) cannot be the report's own. Before 2019 some "
        "bodies wrote in late December (\"截止2014年12月25日\"), so December of the year itself is accepted. A "
        "warning: the date may be a slip for the next year, or kept from a report copied from the year before."
    ),
)
def dated_before_year_end(document: Document) -> Iterator[Hit]:
    report = document.report
    text = (report.text or "").rstrip()
    if report.year is None or not report.paragraphs or not text:
        return
    found = list(_DATE.finditer(text, max(0, len(text) - FOOT)))
    if not found:
        return
    date = found[-1]
    year, month = int(date.group(1)), int(date.group(2))
    if not 1 <= month <= 12 or (year, month) >= (report.year, 12):
        return
    line_start = text.rfind("\n", 0, date.start()) + 1
    position = Position(text.count("\n", 0, date.start()) + 1, date.start() - line_start + 1)
    yield Hit(Message("the report on {year} is dated “{date}” at its foot, before the year it covers ended",
                      year=report.year, date=date.group(0)),
              position,
              (Evidence("report", "report.year", report.year, None, report.title or ""),
               Evidence("report", "report.signed", year, position, date.group(0))))


@hookimpl
def auditor_register_rules(register):
    """Rule M010."""
    register(*rules)
