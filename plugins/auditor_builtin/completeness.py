"""What the reader could not read, and which template the report uses: template cells missing,
tables not found, cells that are not numbers, tables of the wrong generation for the year,
free-form reports. A miss is always reported, never read as 0."""

from __future__ import annotations

from collections.abc import Iterator

import re
from difflib import SequenceMatcher
from functools import cache

from auditor import Document, Evidence, Example, Hit, Message, Position, RuleSet, hookimpl, join
from auditor.template import GENERATIONS, load_template, normalize_label
from auditor_builtin.samples import TWO_GRANTED

TYPO_RATIO = 0.88

rules = RuleSet()


@rules.rule(
    "M001", "table-unreadable", "warning",
    "A template table, row or cell could not be read from the report (named by table and row).", kind="reading",
    source="the three tables of 国办公开办函〔2021〕30号 (and the 2019 试行 template)",
    examples=[
        Example(True, file="corpora/flattened/2021-pingtan-page.txt", note="表二 行政规范性文件 “693665”: 10 ways to split it"),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "A template table, row or cell could not be read: a table not found, a row label not in the "
        "template, a row with the wrong number of values, cells not found. The message names the table "
        "and row."
    ),
)
def table_unreadable(document: Document) -> Iterator[Hit]:
    for problem in document.report.problems:
        cells = [document.report.cells.get(k) for k in problem.keys]  # the row's cells, left unread: where to point
        yield Hit(problem.message, problem.position,
                  tuple(Evidence("table", k, None, (c.position if c else None) or problem.position, c.text if c else "")
                        for k, c in zip(problem.keys, cells)))


@rules.rule(
    "M002", "cell-not-number", "warning",
    "Count cells of a template table are blank or hold a mark such as “/” or “—” instead of a number: "
    "one finding per table, naming the rows; blank is never read as 0.", kind="reading",
    source="国办公开办函〔2021〕30号: every cell of 表二–表四 holds a count (0 when there is none)",
    examples=[
        Example(True, cells={"review.total": None}),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "A template cell is blank or holds a mark (\"/\", \"—\", \"无\") instead of a number."
    ),
)
def cell_not_number(document: Document) -> Iterator[Hit]:
    by_table: dict[str, list] = {}
    for key, cell in document.report.cells.items():
        if cell.status in ("blank", "non_number"):
            by_table.setdefault(cell.table, []).append(cell)
    template = document.template
    for table, cells in by_table.items():
        rows = list(dict.fromkeys(template.row_labels.get((table, template.cells[c.key].row), c.key)
                                  if c.key in template.cells else c.key for c in cells))
        marks = sorted({c.text if len(c.text) <= 10 else c.text[:10] + "…" for c in cells if c.text})
        what = Message("blank")
        if marks:
            what += Message(" or {marks}", marks="/".join(f"“{m}”" for m in marks))
        shown = join(rows[:3], "; ")
        if len(rows) > 3:
            shown += Message("; … ({count} rows)", count=len(rows))
        if len(cells) == 1:
            text = cells[0].text if len(cells[0].text) <= 40 else cells[0].text[:40] + "…"
            message = Message("{label} is {shown}, not a number", label=template.label(cells[0].key),
                              shown=Message("“{text}”", text=text) if text else Message("blank"))
        else:
            message = Message("{table}: {count} cells are {what}, not numbers ({rows})",
                              table=template.table_name(table), count=len(cells), what=what, rows=shown)
        yield Hit(message, cells[0].position, tuple(Evidence.of_cell(c) for c in cells))


@rules.rule(
    "M003", "template-year-mismatch", "warning",
    "The tables are printed in a template generation not meant for the report's year "
    "(2019 试行 tables in a 2022 report; 国办公开办函〔2021〕30号 applies from reports on 2021).", kind="metadata",
    source="国办公开办函〔2019〕60号 (reports on 2019–2020) and 国办公开办函〔2021〕30号 (from reports on 2021)",
    examples=[
        Example(True, file="corpora/flattened/2021-pingtan-shs-page-mixedtemplate.txt", note="2019 tables in a report on 2021"),
        Example(False, year=2022),
    ],
    rationale=(
        "The tables are printed in a template generation not meant for the report's year: the 2019 试行 "
        "tables (国办公开办函〔2019〕60号, for reports on 2019 and 2020) in a report on 2021 or later, or the 2021 "
        "tables (国办公开办函〔2021〕30号) in an earlier report. The report is read in the generation it prints."
    ),
)
def template_year_mismatch(document: Document) -> Iterator[Hit]:
    report, template = document.report, document.template
    if report.year is None or not template.has_tables or template.covers(report.year):
        return
    meant = next((g for g in GENERATIONS if load_template(g).covers(report.year)), None)
    notice = load_template(meant).notice if meant else "none"
    yield Hit(
        Message("tables printed in the {generation} template ({notice}) in a report on {year}, which should use "
                "{meant}", generation=template.generation, notice=template.notice, year=report.year,
                meant=notice or Message("a free-form report")),
        None,
        (Evidence("report", "report.year", report.year, None, report.title or ""),
         Evidence("report", "report.template", template.years[0], None, template.notice)),
    )


@rules.rule(
    "M004", "free-form-report", "info",
    "A report from before the 2019 national template: no template tables; its old statistics table "
    "(统计表), when printed, is read and checked, and the narrative held to it.", kind="reading",
    generations=("pre2019",),
    source="the national template since 国办公开办函〔2019〕60号; before it, free-form reports",
    examples=[
        Example(True, file="corpora/pre2019/2012-pingtan-county-page.txt"),
        Example(True, file="corpora/pre2019/2013-pingtan-hjgtj-page.txt", note="no 统计表 printed"),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "A report from before the 2019 national template (or with no template tables and a year before "
        "2019): there are no template tables (二, 三, 四). Says whether its old statistics table was found and "
        "how many of its cells were read, so that a batch's silence on such a report is not mistaken for a "
        "clean table audit."
    ),
)
def free_form_report(document: Document) -> Iterator[Hit]:
    if document.template.has_tables:
        return
    year = document.report.year or "an unknown year"
    cells = [c for c in document.report.cells.values() if c.table == "statistics"]
    if not cells:
        yield Hit(Message("free-form report on {year}: no 统计表 found, narrative checks only", year=year), None)
        return
    read = sum(c.value is not None for c in cells)
    yield Hit(Message("free-form report on {year}: its 统计表 read ({read} of {count} cells), no template tables",
                      year=year, read=read, count=len(cells)), None)


@rules.rule(
    "M005", "heading-typo", "warning",
    "A section heading nearly matches the template's (四、政府信息公开行政法复议、行政诉讼情况 for "
    "四、政府信息公开行政复议、行政诉讼情况): a typo in the heading.", kind="reading",
    source="the six section headings of 国办公开办函〔2021〕30号",
    examples=[
        Example(True, file="corpora/html/2024-pingtan-shs-page.html", note="四、政府信息公开行政法复议、行政诉讼情况"),
        Example(False),
    ],
    rationale=(
        "A section heading (一、… to 六、…, or a table title) nearly matches the template's but differs from "
        "it (\"四、政府信息公开行政法复议、行政诉讼情况\"): a typo of the kind REPORT-FORMAT.md lists among real errors. "
        "Headings that add words on purpose (\"五、政府信息公开工作存在的主要问题及改进情况\") are far enough from the template's "
        "not to be flagged."
    ),
)
def heading_typo(document: Document) -> Iterator[Hit]:
    titles = [*load_template("2021").sections, *document.template.titles.values()]  # numbered titles win
    known = {normalize_label(t): t for t in titles}
    for section in document.report.sections:
        if section.level != 1:
            continue
        heading = normalize_label(section.heading)
        if heading in known:
            continue
        close = [(SequenceMatcher(None, heading, k).ratio(), t) for k, t in known.items()]
        ratio, title = max(close, default=(0.0, ""))
        if ratio >= TYPO_RATIO:
            yield Hit(Message("heading “{heading}” differs from the template's “{title}”", heading=section.heading,
                              title=title), section.position)


_NUMERAL = re.compile(r"\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*")
_NUMERALS = "一二三四五六七八九十"


@rules.rule(
    "M009", "section-numbering", "warning",
    "A template section's heading carries another number than the template gives it (its 表三 part "
    "numbered 二、 after an extra part, 六、其他需要报告的事项 numbered 五、).", kind="reading",
    generations=("2021", "2019"),
    source="the six numbered sections of 国办公开办函〔2021〕30号 (一、总体情况 … 六、其他需要报告的事项)",
    examples=[
        Example(True, file="corpora/markdown/2024-shanghai-kewei-converted.md",
                note="二–四 numbered 一–三 after six prose parts, 六 numbered 五"),
        Example(False, file="corpora/html/2024-pingtan-jtj-page.html"),
        Example(False, file="corpora/flattened/2021-pingtan-page.txt", note="二–四 inside the crawled table run: not judged"),
    ],
    rationale=(
        "The template numbers its sections 一 to 六, and readers (and evaluators' checklists) find a part by its "
        "number. A level-1 heading whose title is a template section's (“收到和处理政府信息公开申请情况”; a heading "
        "that adds words around it, “政府信息公开工作存在的主要问题及改进情况”, counts) but whose numeral differs "
        "is reported, all such headings of a report in one finding. Headings that are not the template's titles "
        "(a report's own parts, “二、工作机制保障”) are not judged, nor is a section the reader saw no heading for."
    ),
)
def section_numbering(document: Document) -> Iterator[Hit]:
    titles = [normalize_label(t) for t in document.template.sections]
    wrong, seen = [], set()
    for section in document.report.sections:
        numbered = _NUMERAL.match(section.heading) if section.level == 1 else None
        if numbered is None:
            continue
        body = normalize_label(section.heading[numbered.end():])
        place = next((n for n, t in enumerate(titles) if body == t or (len(t) >= 8 and t in body)), None)
        if place is None or place in seen:
            continue
        seen.add(place)
        if numbered.group(1) != _NUMERALS[place]:
            wrong.append((section, _NUMERALS[place]))
    if wrong:
        listed = join(Message("“{heading}” (the template's {numeral})", heading=s.heading.strip(), numeral=n)
                      for s, n in wrong)
        yield Hit(Message("sections numbered otherwise than the template: {listed}", listed=listed), wrong[0][0].position)


_PERIOD = re.compile(r"统计(?:期限|时限|时间|期间|区间)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_OPENS_SENTENCE = re.compile(r"\s*(?:[（(][一二三四五六七八九十]{1,2}[)）][^，,。；;]{0,24})?\s*")  # nothing, or a subsection's title
_PLAN = re.compile(r"将|计划|拟|力争|继续")
# the report naming itself in its preamble: "…结合我局实际，编制完成2023年度政府信息公开工作年度报告" (in a report on 2022)
_NAMES_ITSELF = re.compile(r"\s*(?:[。；;：:]|$|，\s*(?:本报告|现予|特此|予以公布))")  # the naming ends its sentence
_DATED = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月")
_SELF_NAMED = re.compile(r"(?:编制完成|编制公布|编制了|编制|现公布|现发布|特发布)\s*((?:19|20)\d{2})\s*年度?\s*"
                         r"(?:政府信息公开|政务公开)(?:工作)?\s*年度报告")
# the section on problems and improvements, run into one line by a crawler: a later year after it is a plan
_IMPROVEMENTS = re.compile(r"改进|整改|下一步|今后")
# "2023年，…" / "2023年度，…" / "2024年制作、获取政府信息总数467条" (match at the year's end)
_PERIOD_STATEMENT = re.compile(r"\s*年\s*度?\s*(?:[，,]|制作、?获取)")
# a pre-2019 统计表's year column, headed after its unit column ("指标名称 计量单位 2014年度 历年累计")
_STATISTICS_HEADER = re.compile(r"(?:计量单位|单位)\s*((?:19|20)\d{2})\s*年度?")
STATISTICS_HEADER_REACH = 80  # characters before the table's first figure that its header stands in


def _chapter_titles(document: Document) -> list[tuple[Position, str]]:
    return [(s.position, normalize_label(s.heading)) for s in document.report.sections if s.level == 1]


def _about_the_period(document: Document, paragraph_index: int, chapters: list[tuple[Position, str]]) -> bool:
    """True for a paragraph of the preamble or of sections 一–四 (not 五's plans or 六)."""
    position = document.report.paragraphs[paragraph_index].position
    before = [title for at, title in chapters if at <= position]
    if not before:
        return True
    return any(normalize_label(t) in before[-1] for t in load_template("2021").sections[:4])


@rules.rule(
    "M006", "report-year-mismatch", "warning",
    "The year the report covers is stated differently in two places: the title, the 统计期限, the "
    "report naming itself (“编制完成2023年度政府信息公开工作年度报告” in a report on 2022), the preamble, a statement of sections 一–四 that opens with the year (“2023年，在主动公开的61条政府"
    "信息中…” in a report on 2024) or a pre-2019 统计表's year column (“2017年度” in a report on 2018). Plans in "
    "section 五 (“2025年，我局将…”) are not statements of the period.",
    kind="metadata",
    source="the report's title and its 统计期限 (REPORT-FORMAT.md, “a year copied from last year”)",
    examples=[
        Example(True, file="corpora/flattened/2024-pingtan-czj-page.txt", note="“2023年，在主动公开的61条政府信息中” in a report on 2024"),
        Example(True, file="corpora/pre2019/2018-pingtan-gaj-page.txt", note="the 统计表's year column headed “2017年度” in a report on 2018"),
        Example(False),
    ],
    rationale=(
        "The year the report covers is stated differently in two places: the title against the 统计期限 "
        "(\"统计期限为2023年1月1日至2023年12月31日\" in a report titled 2024), the report's name for itself "
        "(\"编制完成2023年度政府信息公开工作年度报告\" in a report on 2022), or against a statement of the preamble "
        "or of sections 一–四 that opens with the year (\"(二)主动公开政府信息的主要类别2023年，在主动 公开的61条政府信息中…\" in a "
        "report on 2024), or against the year heading a pre-2019 统计表's year column (\"指标名称 计量单位 2017年度 历年累计\" "
        "in a report on 2018). A year after a comparison (\"较2023年\") and plans (\"2025年， 我局将…\", section 五) are "
        "not statements of the period covered."
    ),
)
def report_year_mismatch(document: Document) -> Iterator[Hit]:
    report = document.report
    if report.year is None:
        return
    stated = Evidence("report", "report.year", report.year, None, report.title or "")
    chapters = _chapter_titles(document)
    for index, paragraph in enumerate(report.paragraphs):
        for mark in _PERIOD.finditer(paragraph.text):
            years = [m for m in _YEAR.finditer(paragraph.text, mark.end(), mark.end() + 40)][:2]
            wrong = [m for m in years if int(m.group(1)) != report.year]
            if wrong:
                quote = paragraph.text[mark.start() : min(len(paragraph.text), mark.end() + 40)].split("。")[0]
                yield Hit(Message("the title says {year} but the statistics period says “{quote}”", year=report.year,
                                  quote=quote),
                          paragraph.position_at(wrong[0].start()),
                          (stated, Evidence("report", "report.period", int(wrong[0].group(1)), paragraph.position_at(wrong[0].start()), quote)))
    yield from _statistics_header_year(report, stated)
    for paragraph in report.paragraphs:
        for named in _SELF_NAMED.finditer(paragraph.text):
            if not _NAMES_ITSELF.match(paragraph.text, named.end()):
                continue  # "…编制完成2021年度政府信息公开工作年度报告并在门户网站公开": an account of last year's report
            sentence = paragraph.text[max(paragraph.text.rfind(m, 0, named.start()) for m in "。；;") + 1 : named.start()]
            if _DATED.search(sentence):
                continue  # "2022年1月，我局按时编制完成2021年度…": an event of the year, dated
            if int(named.group(1)) != report.year:
                at = paragraph.position_at(named.start(1))
                yield Hit(Message("the title says {year} but the report calls itself “{quote}”", year=report.year,
                                  quote=named.group()),
                          at, (stated, Evidence("report", "report.period", int(named.group(1)), at, named.group())))
    for figure in document.figures:
        if figure.kind != "year" or figure.value == report.year or not _about_the_period(document, figure.paragraph, chapters):
            continue
        text = report.paragraphs[figure.paragraph].text
        opening = max(text.rfind(mark, 0, figure.start) for mark in "。；;！？") + 1
        if not _PERIOD_STATEMENT.match(text, figure.end) or not _OPENS_SENTENCE.fullmatch(text[opening : figure.start]):
            continue  # the year must open its sentence ("较2023年，…" compares)
        sentence = text[figure.start :].split("。")[0][:40]
        if _PLAN.search(sentence[:20]):
            continue  # "2015年，我区将…": a plan, wherever it stands
        if figure.value > report.year and _IMPROVEMENTS.search(text, max(0, figure.start - 400), figure.start):
            continue  # "六、存在的主要问题及改进措施 … 2017年，我局围绕问题抓整改" in a report on 2016
        yield Hit(Message("the title says {year} but a statement of the period covered says “{sentence}”",
                          year=report.year, sentence=sentence),
                  figure.position, (stated, Evidence.of_figure(figure)))


def _statistics_header_year(report, stated: Evidence) -> Iterator[Hit]:
    """A pre-2019 统计表 whose year column is headed with another year than the report's
    ("单位2017年度历年累计" in a report on 2018): the header stands just before the first figure."""
    figures = [c.position for k, c in report.cells.items() if k.startswith("statistics.") and c.position is not None]
    if not figures or not report.text:
        return
    first = min(figures)
    offset = report.offset_of(first)
    start = max(0, offset - STATISTICS_HEADER_REACH)
    header = list(_STATISTICS_HEADER.finditer(report.text, start, offset))
    if not header or int(header[-1].group(1)) == report.year:
        return
    match = header[-1]
    position = report.position_of(match.start(1), first.page)
    quote = report.text[match.start(1) : match.end()]
    yield Hit(Message("the title says {year} but the 统计表's year column is headed “{quote}”", year=report.year, quote=quote),
              position, (stated, Evidence("report", "report.period", int(match.group(1)), position, quote)))


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


@rules.rule(
    "M007", "template-blank-left", "warning",
    "A template sentence printed with its blanks unfilled: the statistics period without its dates "
    "(“本报告所列数据的统计期限自至。”).", kind="metadata",
    source="the report's opening paragraph (“本报告所列数据统计期限自…年1月1日起至…年12月31日止”), every generation",
    examples=[
        Example(True, file="corpora/pre2019/2013-pingtan-county-page.txt", note="“本报告所列数据的统计期限自至。”"),
        Example(True, paragraphs=("本报告所列数据统计期限为 年 月 日至 年 月 日。",)),
        Example(False, paragraphs=("本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。",)),
        Example(False, file="corpora/pre2019/2012-pingtan-county-page.txt"),
    ],
    rationale=(
        "Reports are written from a template, and a blank left unfilled says the report was not finished: "
        "the statistics period printed without its dates (\"统计期限自至\", \"自 年 月 日至 年 月 日\", \"××年\"). "
        "The patterns are data (`blanks` in the template files)."
    ),
)
def template_blank_left(document: Document) -> Iterator[Hit]:
    patterns = _compiled(document.template.blanks)
    for paragraph in document.report.paragraphs:
        for pattern in patterns:
            for found in pattern.finditer(paragraph.text):
                yield Hit(Message("a template blank left unfilled: “{blank}”", blank=found.group().strip()),
                          paragraph.position_at(found.start()))


@rules.rule(
    "M008", "processing-fee-unreported", "info",
    "A report in the 2021 template that never says whether 信息处理费 was collected (section 六 states it, "
    "even when none).", kind="reading",
    generations=("2021",),
    source="《政府信息公开信息处理费管理办法》(国办函〔2020〕109号): the annual report publishes the 信息处理费 collected; "
           "国办公开办函〔2021〕30号 section 六、其他需要报告的事项",
    examples=[
        Example(False, paragraphs=("本年度未收取信息处理费。",)),
        Example(False, file="corpora/flattened/2022-pingtan-page.txt"),
        Example(True, file="corpora/flattened/2021-pingtan-zrz-page.txt", note="“六、其他需要报告的事项无”"),
        Example(False, file="corpora/html/2023-shuyang-fagaiju-page.html", note="“2023年度，县发展和改革局政府信息公开未发生收费情况。”"),
    ],
    rationale=(
        "Since 2021 a body reports in section 六 the 信息处理费 it collected for answering requests, \"未收取\" "
        "included (\"无收取信息处理费情况\", \"未发生收费情况\"). A report whose text never names the fee leaves the "
        "reader without it. Searched in the whole extracted text (the patterns are data: `processing_fee` in the "
        "template file). Info: the sentence may stand in a part of the page the reader could not read (an image)."
    ),
)
def processing_fee_unreported(document: Document) -> Iterator[Hit]:
    patterns = _compiled(document.template.processing_fee)
    report = document.report
    if not patterns or not report.paragraphs or not report.text:
        return
    if any(p.search(report.text) for p in patterns):
        return
    yield Hit(Message("the report never says whether 信息处理费 was collected (section 六 states it, even when none)"), None)


@hookimpl
def auditor_register_rules(register):
    """Rules M001–M009."""
    register(*rules)
