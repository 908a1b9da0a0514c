"""The report against the template it must follow (issue 9, template conformance): the notice it
says it was written to (a report on 2021 or later follows 国办公开办函〔2021〕30号; one compiled
under the superseded 2019 notice alone was written to the old format), and section 五, which the
template asks to state the year's problems and how they are being fixed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl
from auditor.template import GENERATIONS, load_template, normalize_label

rules = RuleSet()

_OPEN, _CLOSE = "〔[【(（﹝［〖", "〕]】)）﹞］〗"


@cache
def _citation(notice: str) -> re.Pattern[str]:
    """A notice's number as reports print it, blanks removed: "国办公开办函〔2021〕30号", with any of the
    usual brackets ([2021], （2021）, 【2021】, ﹝2021﹞) and 第 before the number."""
    match = re.fullmatch(r"(\D+?)〔(\d{4})〕(\d+)号", notice)
    if match is None:
        raise ValueError(f"a template notice that is not a document number: {notice!r}")
    office, year, number = match.groups()
    opening, closing = re.escape(_OPEN), re.escape(_CLOSE)
    return re.compile(rf"{re.escape(office)}[{opening}]{year}[{closing}]第?{number}号")


@rules.rule(
    "M011", "superseded-notice-cited", "warning",
    "A report on 2021 or later says it was written to the superseded 国办公开办函〔2019〕60号 and never names "
    "国办公开办函〔2021〕30号, the template for reports from 2021.",
    kind="metadata",
    source="国办公开办函〔2021〕30号 (the template for reports on 2021 and later) replacing 国办公开办函〔2019〕60号",
    rationale=(
        "Reports name the notice whose format they follow (\"根据…国办公开办函〔2021〕30号要求编制\"). A report on a year "
        "a later template covers that names only an earlier template's notice — by number in any bracket style "
        "(〔2019〕, [2019], ﹝2019﹞, 第60号, broken over lines), and not the current one by number or by its title "
        "(关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知) — was written to the old format, or "
        "copied from a report that was; the finding quotes the citation. Reports that name both notices (a history "
        "of the format) are not reported. The tables' own generation is M003's."
    ),
    examples=[
        Example(True, paragraphs=("本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于政府信息公开"
                                  "工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求编制。",),
                year=2022, note="a report on 2022 compiled to the 2019 notice"),
        Example(False, file="corpora/flattened/2023-pingtan-page.txt", note="cites 国办公开办函〔2021〕30号"),
        Example(False, paragraphs=("本报告根据国办公开办函[2019]60号和国办公开办函〔2021〕30号要求编制。",), year=2022,
                note="names both"),
    ],
)
def superseded_notice_cited(document: Document) -> Iterator[Hit]:
    report = document.report
    if report.year is None or "函" not in report.text:
        return  # no notice cited by number: nothing superseded to name
    kept = [i for i, c in enumerate(report.text) if not c.isspace()]  # a PDF line may break inside a citation
    text = "".join(report.text[i] for i in kept)
    current = next((g for g in GENERATIONS if load_template(g).covers(report.year)), None)
    if current is None or not load_template(current).notice:
        return  # a free-form report's year: no notice
    named = re.sub(r"[《》〈〉<>]", "", text)
    if _citation(load_template(current).notice).search(text) or any(t in named for t in load_template(current).notice_titles):
        return  # the right notice named, by number or by title
    for generation in GENERATIONS:
        template = load_template(generation)
        if generation == current or not template.notice or template.years[1] >= report.year:
            continue
        cited = _citation(template.notice).search(text)
        if cited is None:
            continue
        position = report.position_of(kept[cited.start()])
        yield Hit(Message("a report on {year} cites “{cited}”, the notice of the format for reports on {first}–{last}, "
                          "and not {current}", year=report.year, cited=cited.group(), first=template.years[0],
                          last=template.years[1], current=load_template(current).notice),
                  position, (Evidence("report", "report.notice", template.years[0], position, cited.group()),))
        return


PROBLEMS = 4  # the template's section 五, 政府信息公开工作存在的主要问题及改进情况 (0-based)
_PROBLEMS_EMPTY = ("测试县人民政府办公室2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我办认真贯彻落实《条例》，主动公开政府信息120条。\n"
                   "五、政府信息公开工作存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n")
_NOT_TEXT = re.compile(r"[\W_]+")  # blanks and punctuation
_NUMBERED_AFTER = re.compile(r"\s*[六七八九]\s*[、.．]")  # a level-1 heading numbered after 五


@rules.rule(
    "M012", "problems-section-empty", "warning",
    "Section 五 (政府信息公开工作存在的主要问题及改进情况) is empty or says next to nothing (“无。”).",
    kind="metadata", generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 五、政府信息公开工作存在的主要问题及改进情况 (and the 2019 试行 template's 五)",
    rationale=(
        "The template asks every report to state the problems of its disclosure work and what it did about last "
        "year's; evaluators mark a section 五 left empty or answered with “无”. The section is the text between "
        "its heading (a level-1 heading whose title is the template's 五 or words it as reports do, 存在的主要问题及改进措施, "
        "whatever its number) and the heading of section 六 (numbered 六 or later, or titled as the template's 六) — "
        "paragraphs, tables and sub-headings (一、存在的问题 二、改进情况) alike; it is reported when it holds fewer than "
        "`min_characters` characters once blanks and punctuation are left out. A report whose section 五 or 六 heading "
        "the reader did not see is not judged."
    ),
    examples=[
        Example(True, text=_PROBLEMS_EMPTY, note="section 五 says only “无。”"),
        Example(False, file="corpora/pdf/2024-hongze-district.pdf", note="section 五 states two problems and the plan"),
        Example(False, file="corpora/holdout/2023-pingtan-jjp-page.html",
                note="平潭 金井片区 2023: “五、存在的主要问题及改进措施” states its problems"),
    ],
)
def problems_section_empty(document: Document, *, min_characters: int = 8) -> Iterator[Hit]:
    report = document.report
    title = normalize_label(document.template.sections[PROBLEMS])
    later = [normalize_label(t) for t in document.template.sections[PROBLEMS + 1 :]]
    words = [normalize_label(w) for w in document.template.problems_heading]
    chapters = sorted((s for s in report.sections if s.level == 1), key=lambda s: s.position)
    for i, section in enumerate(chapters):
        heading = normalize_label(section.heading)
        if not (heading.endswith(title) or any(w in heading for w in words)):
            continue
        # the section runs to the next template section (六), not to its own sub-headings ("一、存在的主要问题")
        end = next((c.position for c in chapters[i + 1 :]
                    if _NUMBERED_AFTER.match(c.heading) or any(normalize_label(c.heading).endswith(t) for t in later)), None)
        if end is None or not report.text:
            return  # no 六 seen: where the section ends cannot be told
        start = report.offset_of(section.position)
        printed = report.text.find(section.heading.strip(), start)
        start = printed + len(section.heading.strip()) if printed >= 0 else start  # after the heading (a crawl's one line holds all)
        text = report.text[start : report.offset_of(end)]  # paragraphs, tables and sub-headings alike
        content = _NOT_TEXT.sub("", text)
        if len(content) < min_characters:
            said = Message("says only “{text}”", text=" ".join(text.split())) if content else Message("is empty")
            yield Hit(Message("section “{heading}” {said}", heading=section.heading.strip(), said=said), section.position)
        return


@hookimpl
def auditor_register_rules(register):
    register(*rules)
