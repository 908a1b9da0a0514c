"""Tables read as printed, then judged: crawled digit runs cut as printed when the digits and
spaces leave one way (whatever the arithmetic), a run no way makes add up reported in its own
right, signs kept, HTML values placed by where their cell starts when a row's column spans
differ from the header's, and pieces of tables left outside them never read as narrative."""

from __future__ import annotations

from auditor.document import Document
from auditor.model import Position
from auditor.read.digits import splits
from auditor.read.document import build_report, is_table_debris
from auditor.read.flattened import FlatTables, read_flat_tables
from auditor.read.html import html_rendition
from auditor.read.text import text_blocks
from auditor.template import load_template
from auditor_builtin import arithmetic

REPORT_HEAD = ("# 测试局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n2024年，测试局坚持以公开为常态、不公开为例外，"
               "全面推进政务公开工作，切实保障人民群众的知情权、参与权和监督权。\n\n")
HEAD_T3 = "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"


def flat(text: str, generation: str = "2021"):
    return read_flat_tables(FlatTables(text, Position(1, 1)), load_template(generation))


def test_digits_alone_fix_a_cut_whatever_the_arithmetic_says():
    # 2025-pingtan-htp: seven digits for seven cells, the 总计 left 0 by a filing tool
    assert splits("2000000", (7,)).plain == 1
    result = flat(HEAD_T3 + "一、本年新收政府信息公开申请数量2000000")
    [(_, row)] = result.rows
    assert [c.text for c in row.cells[-7:]] == ["2", "0", "0", "0", "0", "0", "0"]
    assert not any(c.recovered for c in row.cells) and result.assumed == set()  # the rules judge it


def test_a_row_sum_settles_a_row_and_the_columns_are_still_judged():
    # 2021-pingtan-zrz: the row sums hold, the 自然人 and 社会公益组织 columns do not
    assert splits("160 02 0 018", (7,)).plain == 3  # the spaces leave three cuts, the row sum one
    result = flat(HEAD_T3 + "一、本年新收政府信息公开申请数量160 02 0 018（七）总计180 0 0 0 018")
    cells = {row.cells[0].text: [c.text for c in row.cells[-7:]] for _, row in result.rows}
    assert cells["一、本年新收政府信息公开申请数量"] == ["16", "0", "0", "2", "0", "0", "18"]
    assert cells["（七）总计"] == ["18", "0", "0", "0", "0", "0", "18"]
    assert result.assumed == {"requests.row_total:new", "requests.row_total:total"}


def test_a_run_that_no_cut_makes_add_up_is_reported_with_its_likeliest_cut():
    result = flat(HEAD_T3 + "一、本年新收政府信息公开申请数量12000000")  # 12 for 自然人, 总计 left 0
    [row] = result.unreadable
    assert row.broken == "requests.row_total:new" and row.candidates == ()
    assert row.likeliest is not None and row.likeliest[-1] == 0
    text = (REPORT_HEAD + HEAD_T3 + "一、本年新收政府信息公开申请数量12000000二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（一）予以公开0000000\n")
    document = Document(build_report("<t>", text_blocks(text), text), (), load_template())
    [finding] = [f for f in arithmetic.rules.check(document) if f.rule == "A006"]
    assert "cannot be cut into 7 cells that add up" in finding.message
    assert finding.evidence[0].key == "requests.new.total"


def test_too_few_digits_for_the_cells_is_unreadable_not_an_arithmetic_error():
    # 2022-pingtan-jjp: 四、结转下年度 prints six values for seven cells (one blank)
    result = flat(HEAD_T3 + "四、结转下年度继续办理0 00000")
    assert result.rows == [] and result.unreadable == []
    assert "cannot be cut into 7 cells" in result.problems[0].message


def test_a_signed_change_keeps_its_sign():
    # 2019 表二 (五): 上一年项目数量 | 本年增/减 | 处理决定数量, "45-15 30" is 45 | -15 | 30
    assert splits("45-15 30", (3,), signed=(1,)).ways == [("45", "-15", "30")]
    assert splits("45-15 30", (3,)).ways == []  # a sign only where the template allows one
    result = flat("二、主动公开政府信息情况第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可45-15 30", "2019")
    row = result.rows[-1][1]
    assert [c.text for c in row.cells[-3:]] == ["45", "-15", "30"]


def test_a_long_impossible_run_is_cut_short_in_bounded_work():
    # decided by counting, not by search (an exponential search would not finish; no clock here)
    found = splits("9" * 60 + "1", (7,), sums=True)
    assert found.ways == [] and found.plain == 0 and found.complete


SHANGHAI_STYLE = """<html><body><div>
<p>测试市人民政府办公厅2019年政府信息公开工作年度报告</p><p>一、总体情况</p><p>本年度主动公开规章13件。</p>
<p>二、主动公开政府信息情况</p>
<table border="1">
<tr><td colspan="5">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="2">12</td><td>-3</td><td>45</td></tr>
<tr><td>其他对外管理服务事项</td><td colspan="2">7</td><td>2</td><td>30</td></tr>
</table>
<p>三、收到和处理政府信息公开申请情况</p></div></body></html>"""


def test_html_values_are_placed_by_where_their_cell_starts():
    # the header spans 本年增/减 over two columns, the data rows span 上一年项目数量 instead
    rendition = html_rendition(SHANGHAI_STYLE.encode(), "<t>")
    report = build_report("<t>", text_blocks(rendition.text, covered=rendition.covered), rendition.text)
    values = {k: report.cells[k].value for k in ("active.licensing.previous_items", "active.licensing.change",
                                                  "active.licensing.decisions", "active.other_services.change")}
    assert values == {"active.licensing.previous_items": 12, "active.licensing.change": -3,
                      "active.licensing.decisions": 45, "active.other_services.change": 2}


def test_pieces_of_tables_are_not_narrative():
    template = load_template()
    # 2025-shanghai-govoffice-converted: lines a PDF-to-Markdown converter cut loose from 表二
    for debris in ("22", "行政许可 0", "本年新收政府信息公开申请数量", "（七）总计 5", "0 0 2"):
        assert is_table_debris(debris, template), debris
    # 2024-shanghai-kewei-converted: a label cut into lines, with its value, joined into a paragraph
    assert is_table_debris("他处理2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请1", template)
    for prose in ("全年收到政府信息公开申请 2 件。", "2023年，无收取信息处理费情况", "平潭综合实验区财政金融局"):
        assert not is_table_debris(prose, template), prose
    text = REPORT_HEAD + "全年收到申请 2 件。\n\n行政许可 0\n\n22\n"
    report = build_report("<t>", text_blocks(text), text)
    assert [p.text for p in report.paragraphs][-1] == "全年收到申请 2 件。"
    assert [p.text for p in report.debris] == ["行政许可 0", "22"]


def test_the_year_that_begins_the_next_sentence_is_not_the_rows():
    # 2025-pingtan-scj (crawled text): "结转下年度继续办理2000002" then "2025年，我局共收到…" ran
    # together, and 行政事业性收费 "0" then "2025年，我局严格按照…"
    result = flat(HEAD_T3 + "四、结转下年度继续办理20000022025年，我局共收到公民、法人及其他组织提出的申请21件。")
    assert [[c.text for c in row.cells[-7:]] for _, row in result.rows] == [["2", "0", "0", "0", "0", "0", "2"]]
    assert result.problems == [] and result.unreadable == []
    fees = flat("二、主动公开政府信息情况第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费02025年，我局严格按照《条例》规定")
    assert [c.text for c in fees.rows[-1][1].cells[-1:]] == ["0"] and fees.problems == []
    # a run that is all a year-like number is still the row's when no 年 follows it
    assert [c.text for c in flat(HEAD_T3 + "四、结转下年度继续办理2000002。").rows[0][1].cells[-7:]] == \
        ["2", "0", "0", "0", "0", "0", "2"]


def test_the_enforcement_files_row_under_its_printed_name():
    # 2025-pingtan-scj: "7.属于行政执法案件" for the template's 7.属于行政执法案卷
    result = flat(HEAD_T3 + "（三）不予公开6.属于四类过程性信息00000007.属于行政执法案件30000038.属于行政查询事项0000000")
    cells = {row.cells[-8].text if len(row.cells) > 8 else row.cells[0].text: [c.text for c in row.cells[-7:]]
             for _, row in result.rows}
    assert ["3", "0", "0", "0", "0", "0", "3"] in cells.values() and result.problems == []


def test_a_minus_sign_of_any_width_is_read():
    # 2019 试行 表二 本年增/减, as pages print it: "-18", "－18" (full width), "−18" (U+2212, a newcomer's case)
    from auditor.read.grid import parse_value

    assert {parse_value(t) for t in ("-18", "－18", "\u221218")} == {(-18, "number")}
