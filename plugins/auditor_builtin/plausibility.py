"""Figures that are possible in the template but not for the body that prints them (issue 9,
plausibility): information for review, never an error."""

from __future__ import annotations

from collections.abc import Iterator

from auditor import Document, Evidence, Example, Hit, Message, RuleSet, hookimpl, join
from auditor.bodies import below_rule_making_level, innermost_region

rules = RuleSet()

# The 规章 cells that count what the body made: 2021 本年制发 / 本年废止 / 现行有效, 2019 本年新制作数量 (its
# 本年新公开数量 and 对外公开总数量 count what it published, a higher government's 规章 included).
MADE = frozenset({"active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force",
                  "active.regulations.created"})


@rules.rule(
    "P001", "regulations-without-rule-making-power", "info",
    "A body at county level or below (a 县, 区, 镇 or 街道, or a department of one) prints 规章 in 表二: only "
    "provinces, autonomous regions, municipalities, 设区的市 and 自治州 make 规章.",
    kind="plausibility", generations=("2021", "2019"),
    source="《中华人民共和国立法法》第九十三条 (地方政府规章); 国办公开办函〔2021〕30号 表二 第二十条第（一）项 规章",
    rationale=(
        "表二's 规章 row counts the 规章 the body made (本年制发, 现行有效). Only the people's governments of provinces, "
        "autonomous regions, municipalities, 设区的市 and 自治州 make 地方政府规章, so a county, a district, a town, a "
        "development zone or a department of one has none to count: a figure there is most often a 行政规范性文件 "
        "put in the wrong row. Only the cells that count what the body made are read (2021: 本年制发, 本年废止, 现行有效; "
        "2019: 本年新制作数量, not what it published). The body's level is read from the region its name opens with (洪泽区人民政府, "
        "平潭综合实验区公安局); a name ending with 市 is not judged (a 县级市 and a 设区的市 print alike), nor one "
        "that names no region. Information for review: a report may also list the 规章 of a higher government it "
        "implements."
    ),
    examples=[
        Example(True, cells={"active.regulations.issued": 1, "active.regulations.in_force": 3}, year=2023,
                note="测试县人民政府办公室 prints 规章 1 | 0 | 3"),
        Example(False, file="corpora/pdf/2024-huaian-city.pdf", note="淮安市人民政府 (a 设区的市): 规章 1 issued, 11 in force"),
        Example(False, file="corpora/html/2019-shanghai-govoffice-page.html",
                note="上海市人民政府办公厅 reports the municipal government's 规章 (13 made, 524 published)"),
        Example(False, file="corpora/pdf/2024-hongze-district.pdf", note="淮安市洪泽区人民政府: 规章 0"),
        Example(False, file="corpora/html/2020-pingtan-zone-page-2019template.html",
                note="平潭综合实验区 2020 (2019 template): 规章 0 made, 7 published (对外公开总数量), a higher government's"),
    ],
)
def regulations_without_rule_making_power(document: Document) -> Iterator[Hit]:
    report = document.report
    if not below_rule_making_level(report.agency):
        return
    printed = [c for k, c in report.cells.items() if k in MADE and c.value]
    if not printed:
        return
    template = document.template
    said = join(f"{template.label(c.key).split(' / ')[-1]} {c.value:g}" for c in printed)
    yield Hit(Message("{agency} (a body of {region}, below the level that makes 规章) prints 规章 in 表二: {said}",
                      agency=report.agency, region=innermost_region(report.agency), said=said),
              printed[0].position, tuple(Evidence.of_cell(c) for c in printed))


@rules.rule(
    "P002", "total-column-left-at-zero", "info",
    "表三's 总计 column is 0 in every row whose applicant columns hold requests: the column was left at its default, "
    "not filled (the rows' A003 findings have this one cause).",
    kind="plausibility", generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表三: 总计 = 自然人 + the five 法人或其他组织 columns (relation requests.row_total)",
    rationale=(
        "When every row of 表三 whose applicant columns add up to more than 0 prints 0 as its 总计 — at least two such "
        "rows —, the 总计 column was not filled in (a form's or a filing tool's default of 0) rather than miscounted "
        "row by row. One finding names the rows, so a reader fixes the column once; each row's A003 still says what "
        "its total should be. Rows whose cells are not all numbers are left out."
    ),
    examples=[
        Example(True, file="corpora/flattened/2024-pingtan-nyn-page.txt",
                note="平潭 农业农村局 2024: 新收 3, 予以公开 1, 保护第三方 2, （七）总计 3, each with 总计 0"),
        Example(False, file="corpora/html/2025-pingtan-nyn-page.html",
                note="平潭 农业农村局 2025: 总计 0 in some rows but 6 in 予以公开 (miscounted, not left unfilled)"),
        Example(False, file="corpora/pdf/2024-hongze-district.pdf", note="every 总计 filled"),
    ],
)
def total_column_left_at_zero(document: Document) -> Iterator[Hit]:
    template = document.template
    empty, filled = [], 0
    for instance in template.instances("requests.row_total"):
        cells = document.numbers([*instance.left, *instance.right])
        if cells is None:
            continue
        total, parts = cells[0], sum(c.value for c in cells[1:])
        if total.value != 0:
            filled += 1
        elif parts > 0:
            empty.append((total, parts))
    if len(empty) < 2 or filled:
        return
    rows = join(f"{template.label(t.key).split(' / ')[0]} ({parts:g})" for t, parts in empty)
    yield Hit(Message("表三's 总计 column is 0 in every row with requests: {rows}; the column looks left unfilled", rows=rows),
              empty[0][0].position, tuple(Evidence.of_cell(t) for t, _ in empty))


@hookimpl
def auditor_register_rules(register):
    register(*rules)
