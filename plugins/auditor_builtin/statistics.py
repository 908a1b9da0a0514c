"""The old statistics table of pre-2019 reports (政府信息公开情况统计表): its own arithmetic.

The table (``[statistics]`` in ``template-pre2019.toml``, read by ``auditor.read.statistics``) lists
rows and, under 其中：, their parts: 主动公开 by channel (网站, 公报), 受理 requests by channel (当面,
传真, 电子邮件, 网上, 信函, 其它形式), 答复 by outcome (同意公开, 同意部分公开, 不予公开, 其他类型). Its
columns are the report year's figure and 历年累计, which includes the year. The narrative is held to
this table by the narrative rules (N001 …) through the template's derived quantities (受理 requests
are 受理依申请公开信息总数, never 对申请的答复总数: two rows, two quantities).

Every check is skipped when a cell is missing, and when the reader relied on the very relation to
cut a crawler's run of digits (``Report.assumed``).
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl, join
from auditor.read.statistics import row_statements
from auditor.relations import Relation

rules = RuleSet()

_REPORT = """平潭测试局2014年政府信息公开工作年度报告
一、概述
2014年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年受理政府信息公开申请{received}件，均已按时答复。
二、主动公开政府信息情况
2014年主动公开政府信息120条。
六、政府信息公开情况统计表
指标名称 计量单位 2014年度 历年累计
主动公开文件数 条 120 860
其中：1、政府网站公开数 条 120 860
2、政府公报公开数 条 0 0
受理依申请公开信息总数 条 {received} {cumulative}
其中：1、当面申请数 条 1 2
2、网上申请数 条 {online} 3
3、信函、传真申请数 条 1 {letter}
对申请的答复总数 条 {received} {cumulative}
其中：1、同意公开答复数 条 {granted} 7
2、同意部分公开答复数 条 0 0
3、不予公开答复数 条 0 0
4、其他类型答复数 条 0 0
行政复议数 件 0 0
行政诉讼数 件 0 0
"""
#: a consistent 2014 report: 受理 3 = 1 + 1 + 1, 7 = 2 + 3 + 2; 答复 3 = 3 + 0 + 0 + 0, 7 = 7
CONSISTENT = _REPORT.format(received=3, cumulative=7, online=1, letter=2, granted=3)


@rules.rule(
    "A008", "statistics-parts-sum", "error",
    "Pre-2019 统计表: a row's parts (其中：1. … 2. …) add up to more than the row, or to less when the "
    "parts include 其他/其它 (a warning when they fall short of a list without it).", kind="table_arithmetic",
    generations=("pre2019",),
    source="the old 政府信息公开情况统计表: 受理 by channel, 答复 by outcome, 主动公开 by channel (其中)",
    examples=[
        Example(True, file="corpora/pre2019/2018-pingtan-hjgtj-page.txt",
                note="受理政府信息公开申请总数 13 | 36, 当面 0 | 5 + 网上 2 | 6 + 信函传真 9 | 23 = 11 | 34 (warnings: no 其他 row)"),
        Example(True, text=_REPORT.format(received=3, cumulative=7, online=1, letter=2, granted=4),
                note="答复总数 3 but 同意公开 4: the parts exceed the whole"),
        Example(False, file="corpora/pre2019/2014-pingtan-page.txt", note="every row and its parts agree"),
        Example(False, text=CONSISTENT),
    ],
    rationale=(
        "The old statistics table prints a row and, under 其中：, its parts in both columns (the year's figure "
        "and 历年累计): 受理依申请公开信息总数 by channel, 对申请的答复总数 by outcome, 主动公开 by channel. Parts that "
        "add up to more than their row are an error. Parts that add up to less are an error when the list "
        "includes the catch-all 其他/其它 row (then it is exhaustive), and a warning otherwise: a request by "
        "telephone, or a notice-board disclosure, may fall in no listed channel. 受理 (requests received) "
        "and 答复 (answers) are different rows and never compared: answers include last year's requests."
    ),
)
def statistics_parts_sum(document: Document) -> Iterator[Hit]:
    table = document.template.statistics
    if table is None:
        return
    cells = document.report.cells
    for total in table.totals:
        if Relation.of(Relation.STATISTICS_SUM, total) in document.report.assumed:
            continue
        parts = [p for p in table.parts(total) if any(k.startswith(f"statistics.{p.key}.") for k in cells)]
        if not parts:
            continue
        exhaustive = any(p.other for p in parts)
        for measure in table.measures:
            found = document.numbers([f"statistics.{total}.{measure.key}", *(f"statistics.{p.key}.{measure.key}" for p in parts)])
            if found is None:
                continue
            whole, *pieces = found
            computed = sum(c.value for c in pieces)  # type: ignore[misc]
            if computed == whole.value:
                continue
            listed = " + ".join(f"{p.short} {c.value}" for p, c in zip(parts, pieces))
            severity = None if computed > whole.value or exhaustive else "warning"  # type: ignore[operator]
            row = table.item(total)
            message = Message("{table} {row} ({measure}) is {whole}, but its parts {listed} add up to {computed}",
                              table=table.name, row=row.label, measure=measure.label, whole=whole.value, listed=listed,
                              computed=computed)
            if severity is not None:
                message += Message(" (the list has no 其他 row: another channel may account for the difference)")
            yield Hit(
                message,
                whole.position,
                tuple(Evidence.of_cell(c) for c in found),
                severity,
            )


@rules.rule(
    "A009", "statistics-cumulative-below-year", "error",
    "Pre-2019 统计表: a row's 历年累计 is below the same row's figure for the report year, which it includes.",
    kind="table_arithmetic",
    generations=("pre2019",),
    source="the old 政府信息公开情况统计表: 历年累计 counts every year up to and including the report's",
    examples=[
        Example(True, file="corpora/pre2019/2017-pingtan-nyn-page.txt",
                note="“主动公开文件数条10774”: 107 | 74 (the narrative states 107), and 受理 “10”: 1 | 0"),
        Example(True, text=_REPORT.format(received=3, cumulative=7, online=1, letter=2, granted=3).replace(
            "主动公开文件数 条 120 860", "主动公开文件数 条 120 86"), note="主动公开 120 this year, 86 in all years"),
        Example(False, file="corpora/pre2019/2011-pingtan-page.txt", note="every 历年累计 at least the year's figure"),
        Example(False, text=CONSISTENT),
    ],
    rationale=(
        "历年累计 counts every year up to and including the report's, so it cannot be below the year's figure "
        "in the same row. Checked on runs a crawler ran together as well: the reader never cuts a run on this rule "
        "(a real 2017 report prints 107 | 74 as “10774”, and the narrative's 107 settles the cut)."
    ),
)
def statistics_cumulative_below_year(document: Document) -> Iterator[Hit]:
    table = document.template.statistics
    if table is None:
        return
    for item in table.items:
        found = document.numbers([f"statistics.{item.key}.year", f"statistics.{item.key}.cumulative"])
        if found is None:
            continue
        year, cumulative = found
        if cumulative.value < year.value:  # type: ignore[operator]
            yield Hit(
                Message("{table} {row}: {measure} {cumulative} is below the report year's {year}", table=table.name,
                        row=item.label, measure=table.measures[-1].label, cumulative=cumulative.value, year=year.value),
                cumulative.position,
                (Evidence.of_cell(year), Evidence.of_cell(cumulative)),
            )


@rules.rule(
    "N007", "narrative-statistics-row", "warning",
    "Pre-2019: the narrative states a 统计表 row's figure for the year — the body's 主动公开 total (“2013年主动公开"
    "政府信息4970条”), requests by channel (“网上申请数3条”) — and the table's differs, or fits none of the ways a "
    "crawler's run of digits can be cut.",
    kind="narrative_table",
    generations=("pre2019",),
    source="the old 政府信息公开情况统计表 (主动公开信息数, 受理申请 by channel) and sections 二, 三 of the report",
    examples=[
        Example(True, file="corpora/pre2019/2013-pingtan-zone-page.txt", note="prose 主动公开 4970, 统计表 72804"),
        Example(True, file="corpora/pre2019/2013-pingtan-county-page.txt", note="prose 网上申请数3条、信函申请数4条; 统计表 网上 4, 信函 0"),
        Example(True, text=CONSISTENT.replace("2014年主动公开政府信息120条", "2014年主动公开政府信息102条"),
                note="prose 102, table 120"),
        Example(False, file="corpora/pre2019/2014-pingtan-page.txt",
                note="“2014年主动公开政府信息 2543条” as in the table; the parts (区直各部门 1687, 各乡镇 856) are not the whole"),
        Example(False, file="corpora/pre2019/2018-pingtan-hjgtj-page.txt",
                note="“其中网上申请2件、信函传真申请9件” as in the table"),
        Example(False, text=CONSISTENT.replace("2014年主动公开政府信息120条。", "2014年主动公开政府信息120条，其中各乡镇主动公开政府信息30条。")),
    ],
    rationale=(
        "Sections 二 and 三 of a pre-2019 report state figures the 统计表 prints again: the items the body disclosed "
        "in the year (its first row) and the requests by channel. The 主动公开 total is compared only when the body "
        "as a whole states it: the words before 主动公开 in its clause are a year, 全区/全县/我局/共…, the body's own name "
        "or the subsection heading — a part of the body (各乡镇, 区直各部门, 县政府公开办), a category (其他应主动公开的信息) "
        "or a running total (累计, 历年) is another quantity. When a crawler ran a row's two figures together and they "
        "can be cut several ways, a stated figure that is one of the cuts settles the reading (the reader takes it) and "
        "one that is none of them is reported. A warning: the narrative may count 信息 where the table counts 文件."
    ),
)
def narrative_statistics_row(document: Document) -> Iterator[Hit]:
    table = document.template.statistics
    name = document.template.table_name("statistics")
    report = document.report
    for s in row_statements(report.paragraphs, report.agency, document.template):
        key = f"statistics.{s.item}.{s.measure}"
        cell = document.report.cells.get(key)
        label = table.item(s.item).short if table else s.item
        if s.measure != "year" and table is not None:
            label += " " + next(m.label for m in table.measures if m.key == s.measure)
        evidence = Evidence("narrative", key, s.value, s.position, s.text)
        if cell is not None and cell.value is not None:
            if s.value != cell.value:
                where = f"{cell.position.line}:{cell.position.column}" if cell.position else "?"
                yield Hit(Message("narrative states {label} {value} (“{text}”) but the {table} gives {cell} (line {where})",
                                  label=label, value=s.value, text=s.text, table=name, cell=cell.value, where=where),
                          s.position, (evidence, Evidence.of_cell(cell)))
            continue
        rows = [u for u in document.report.unreadable if key in u.keys]
        years = sorted({int(c[rows[0].keys.index(key)]) for c in rows[0].candidates}) if rows else []
        if years and s.value not in years:
            yield Hit(Message("narrative states {label} {value} (“{text}”) but the {table}'s run “{run}” cannot be cut to "
                              "give it (its cuts give {cuts})", label=label, value=s.value, text=s.text, table=name,
                              run=rows[0].text, cuts=join(map(str, years))), s.position, (evidence,))


@hookimpl
def auditor_register_rules(register):
    """Rules A008, A009 and N007."""
    register(*rules)
