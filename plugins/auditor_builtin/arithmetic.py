"""Table arithmetic: the hard rules of the template (REPORT-FORMAT.md, "Arithmetic"), the same in
the 2021 and 2019 generations.

Every check compares exactly and is skipped when one of its cells is missing or not a number
(those are reported by the completeness rules, never read as 0 here), and when the reader
relied on the very relation to recover flattened cells (``Report.assumed``): it holds by
construction there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from auditor import Cell, Document, Evidence, Example, Hit, Message, RuleSet, hookimpl, join
from auditor.relations import Relation, RelationInstance
from auditor_builtin.samples import REPORT_HEAD, REPORT_REST, TWO_GRANTED

rules = RuleSet()


def _assumed(document: Document, equation: RelationInstance) -> bool:
    """True when the reader relied on the equation to recover cells: it holds by construction."""
    return equation.id in document.report.assumed


def _sum_check(document: Document, total_key: str, part_keys: Sequence[str], what: str) -> Iterator[Hit]:
    """A hit when cell ``total_key`` differs from the sum of ``part_keys``."""
    cells = document.numbers([total_key, *part_keys])
    if cells is None:
        return
    total, parts = cells[0], cells[1:]
    computed = sum(c.value for c in parts)  # type: ignore[misc]
    if computed != total.value:
        label = document.template.label(total_key)
        yield Hit(
            Message("{label} is {total} but {parts} add up to {computed}", label=label, total=total.value, parts=what,
                    computed=computed),
            total.position,
            tuple(Evidence.of_cell(c) for c in cells),
        )


def _printed_parts(document: Document, parts: Sequence[str], column: str) -> list[str]:
    """The outcome rows' keys as the report printed them: a group printed as one row (（六）其他处理
    in a 2021 report printed the 2019 way) stands for its sub-rows."""
    cells, template = document.report.cells, document.template
    printed: list[str] = []
    for key in parts:  # the relation's keys: cells of the template
        group, _, sub_row = template.cells[key].row.partition(".")
        group_key = f"requests.{group}.{column}"
        if sub_row and group_key in cells and group_key not in template.cells:
            if group_key not in printed:
                printed.append(group_key)
            continue
        printed.append(key)
    return printed


@rules.rule(
    "A001", "requests-balance", "error",
    "表三 勾稽关系, per column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理.", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表三 勾稽关系 (“第一项加第二项之和，等于第三项加第四项之和”); the 2019 试行 template's 表三 the same",
    examples=[
        Example(True, file="corpora/html/2023-pingtan-zrz-page.html", note="商业企业: 新收 0 + 结转 0, but （七）总计 1"),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "表三's 勾稽关系, printed in its corner cell (\"第一项加第二项之和，等于第三项加第四项之和\"), for each of the 7 columns: "
        "一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理. The finding points at the column's 本年新收 cell; its "
        "evidence holds the four cells."
    ),
)
def requests_balance(document: Document) -> Iterator[Hit]:
    template = document.template
    columns = {c.key: c for c in template.request_columns}
    for equation in template.instances(Relation.BALANCE):
        keys = list(equation.keys)  # 一 本年新收, 二 上年结转 = （七）总计, 四 结转下年度
        if _assumed(document, equation) or len(keys) != 4:
            continue
        column = columns[equation.member]
        new_row, carried_row, total_row, forward_row = (template.row(k.split(".")[1]) for k in keys)
        values = [document.cell_value(k) for k in keys]
        if any(v is None for v in values):
            continue
        (new, _, f1), (carried_over, _, f2), (total, _, f3), (carried_forward, _, f4) = values  # type: ignore[misc]
        left, right = new + carried_over, total + carried_forward
        if left == right:
            continue
        cells = [document.report.cells[k] for k in keys]
        filled = [document.template.label(k) for k, v in zip(keys, values) if v[2]]  # type: ignore[index]
        message = Message(
            "{table} {column}: {new} {new_value} + {carried_over} {carried_over_value} = {left}, but {total} "
            "{total_value} (line {line}) + {carried_forward} {carried_forward_value} = {right}",
            table=template.names["requests"], column=column.label, new=new_row.short, new_value=new,
            carried_over=carried_row.short, carried_over_value=carried_over, left=left,
            total=total_row.label, total_value=total, line=_line(cells[2]),
            carried_forward=forward_row.short, carried_forward_value=carried_forward, right=right)
        if filled:
            message += Message(" ({cells} blank: the sum of its parts)", cells=", ".join(filled))
        yield Hit(
            message,
            cells[0].position,
            tuple(Evidence.of_cell(c) for c in cells),
        )


@rules.rule(
    "A002", "requests-outcome-total", "error",
    "表三, per column: （七）总计 = the sum of the outcome rows （一）予以公开 … （六）其他处理.", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表三 三、本年度办理结果 （七）总计",
    examples=[
        Example(True, file="corpora/html/2020-pingtan-zrz-page.html", note="法律服务机构: （七）总计 0, the outcome rows 1"),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "表三, for each column: （七）总计 equals the sum of the 21 outcome rows （一）予以公开, （二）部分公开, （三）不予公开 1–8, "
        "（四）无法提供 1–3, （五）不予处理 1–5, （六）其他处理 1–3. Points at the （七）总计 cell."
    ),
)
def requests_outcome_total(document: Document) -> Iterator[Hit]:
    for equation in document.template.instances(Relation.OUTCOME_TOTAL):
        if not _assumed(document, equation):
            parts = _printed_parts(document, equation.right, equation.member)
            yield from _sum_check(document, equation.left[0], parts, Message("the outcome rows"))


@rules.rule(
    "A003", "requests-applicant-total", "error",
    "表三, per row: 总计 = 自然人 + the five 法人或其他组织 columns (商业企业 … 其他).", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表三 申请人情况 (自然人, 法人或其他组织 ×5, 总计)",
    examples=[
        Example(True, file="corpora/html/2023-pingtan-zrz-page.html", note="（二）部分公开 总计 8, the applicant columns 9"),
        Example(False, cells=TWO_GRANTED),
    ],
    rationale=(
        "表三, for each of the 25 rows: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 (the five 法人或其他组织 "
        "sub-columns; the template has no subtotal for them). Points at the row's 总计."
    ),
)
def requests_applicant_total(document: Document) -> Iterator[Hit]:
    template, cells = document.template, document.report.cells
    relation = template.relation(Relation.ROW_TOTAL)
    printed = sorted({k.split(".")[1] for k in cells if k.startswith("requests.") and k not in template.cells})  # a group as one row
    for equation in (*template.instances(Relation.ROW_TOTAL), *(relation.instance(template, r, cells) for r in printed)):
        if not _assumed(document, equation):
            yield from _sum_check(document, equation.left[0], equation.right, Message("the applicant columns"))


@rules.rule(
    "A004", "appeals-total", "error",
    "表四, per group (行政复议; 行政诉讼 未经复议直接起诉; 复议后起诉): 总计 = 维持 + 纠正 + 其他 + 尚未审结.", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表四 (行政复议; 行政诉讼 未经复议直接起诉 / 复议后起诉)",
    examples=[
        Example(True, file="corpora/html/2024-pingtan-shs-page.html", note="复议后起诉 总计 15, its outcomes 19"),
        Example(True, cells={"review.upheld": 1, "review.total": 2}),
        Example(False, cells={"review.pending": 1, "review.total": 1}),
    ],
    rationale=(
        "表四, for each group — 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (尚未审结 is "
        "part of the total). Points at the group's 总计."
    ),
)
def appeals_total(document: Document) -> Iterator[Hit]:
    template = document.template
    for equation in template.instances(Relation.APPEAL_TOTAL):
        if not _assumed(document, equation):
            what = join(template.cells[k].label.rpartition(" / ")[2] for k in equation.right)
            yield from _sum_check(document, equation.left[0], equation.right, what)


@rules.rule(
    "A005", "count-not-whole", "error",
    "Counts (件) are non-negative whole numbers; only amounts (表二's 行政事业性收费 in 万元) may have decimals.", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="国办公开办函〔2021〕30号 表二 (单位: 件; 行政事业性收费 万元)",
    examples=[
        Example(True, cells={"active.licensing.decisions": 1.5}),
        Example(False, cells={"active.fees.amount": 1.25}),
    ],
    rationale=(
        "Counts (件) are non-negative whole numbers; only 表二's 行政事业性收费 (万元) may have decimals."
    ),
)
def count_not_whole(document: Document) -> Iterator[Hit]:
    for key, cell in document.report.cells.items():
        spec = document.template.cells.get(key)
        if spec is None or spec.unit != "件" or cell.value is None:
            continue
        if (cell.value < 0 and not spec.signed) or cell.value != int(cell.value):
            yield Hit(Message("{label} is {text}, not a whole count of 件", label=spec.label, text=cell.text), cell.position, (Evidence.of_cell(cell),))


@rules.rule(
    "A006", "digits-cannot-add-up", "error",
    "A table row whose cells ran together in crawled text cannot be cut into cells that satisfy its "
    "总计 (表三: 总计 = the six applicant columns; 表四: 总计 = 维持 + 纠正 + 其他 + 尚未审结): whatever the "
    "cell boundaries were, the printed row does not add up.", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="表三 and 表四 row totals (国办公开办函〔2021〕30号), applied to rows flattened in crawled text",
    examples=[
        Example(True, text=REPORT_HEAD + "一、本年新收政府信息公开申请数量12000000" + REPORT_REST, note="12 for 自然人 with 总计 0: no cut adds up"),
        Example(False, text=REPORT_HEAD + "一、本年新收政府信息公开申请数量120000012" + REPORT_REST),
    ],
    rationale=(
        "A row of a flattened crawl ran together (\"一、本年新收政府信息公开申请数量12000000\") and no cut of its digits "
        "into the row's cells satisfies its 总计 (表三: 总计 = the six applicant columns; 表四: 总计 = 维持 + 纠正 + 其他 "
        "+ 尚未审结), although cuts into that many cells exist: whatever the cell boundaries were, the "
        "printed row does not add up. The message gives the cut nearest to adding up. A run with too few "
        "digits for its cells (a blank cell) is no such error: `M001` reports it."
    ),
)
def digits_cannot_add_up(document: Document) -> Iterator[Hit]:
    for row in document.report.unreadable:
        if row.broken is None:
            continue
        width = len(document.template.appeal_outcomes) if row.keys[0].split(".")[0] in _APPEAL_GROUPS else len(row.keys)
        totals = list(range(width - 1, len(row.keys), width))
        nearest = row.likeliest or ()
        shown = " | ".join(str(v) for v in nearest)
        gaps = [
            Message("{label} {value} but the others add up to {sum}", label=document.template.label(row.keys[t]),
                    value=nearest[t], sum=sum(nearest[t - width + 1 : t]))
            for t in totals
            if nearest and nearest[t] != sum(nearest[t - width + 1 : t])
        ]
        message = Message("the digits '{digits}' cannot be cut into {count} cells that add up", digits=row.text,
                          count=len(row.keys))
        if nearest:
            message += Message("; the nearest cut is {cut} ({gaps})", cut=shown, gaps=join(gaps, "; "))
        evidence = tuple(
            Evidence("table", row.keys[t], nearest[t] if nearest else None, row.position, row.text) for t in totals
        )
        yield Hit(message, row.position, evidence)


_APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")


@rules.rule(
    "A007", "total-left-blank", "error",
    "A 总计 cell is blank (or a mark such as “/”) while its parts hold counts that are not all 0: "
    "the printed total does not match them (表三 row 总计 = the applicant columns; （七）总计 = the "
    "outcome rows; 表四 总计 = 维持 + 纠正 + 其他 + 尚未审结).", kind="table_arithmetic",
    generations=("2021", "2019"),
    source="表三 row 总计 and （七）总计, 表四 总计 (国办公开办函〔2021〕30号)",
    examples=[
        Example(True, file="corpora/html/2019-shanghai-govoffice-page.html", note="（一）予以公开 总计 blank, its parts 272"),
        Example(False, cells={"requests.new.total": None}),
    ],
    rationale=(
        "A 总计 cell is blank or holds a mark (\"/\") while its parts hold counts that are not all 0 (表三 row "
        "总计 = the applicant columns; （七）总计 = the outcome rows; 表四 总计 = its four outcomes). Other checks "
        "that need the total use the sum of its parts and say so."
    ),
)
def total_left_blank(document: Document) -> Iterator[Hit]:
    for key, cell in document.report.cells.items():
        if cell.status not in ("blank", "non_number"):
            continue
        filled = document.cell_value(key)
        if filled is None or filled[0] == 0:
            continue
        shown = Message("“{text}”", text=cell.text) if cell.text else Message("blank")
        yield Hit(
            Message("{label} is {shown} but its parts add up to {sum}", label=document.template.label(key), shown=shown,
                    sum=filled[0]),
            cell.position,
            tuple(Evidence.of_cell(c) for c in filled[1]),
        )


def _line(cell: Cell) -> str:
    return str(cell.position.line) if cell.position else "?"


@hookimpl
def auditor_register_rules(register):
    """Rules A001–A007."""
    register(*rules)
