"""The text reader: the shared Luohe report parsed exactly, and each layout quirk on small grids."""

from __future__ import annotations

import pytest

from auditor.errors import ReportReadError
from conftest import CORPORA
from auditor.model import Position
from auditor.read.decode import decode_text
from auditor.template import load_template
from conftest import read_text

TEMPLATE = load_template()

COLUMNS = ["natural_person", "commercial_enterprise", "research_institution",
           "social_welfare_organization", "legal_service_agency", "other", "total"]

# 表三 of the Luohe report as printed, row by row (line number, 7 values).
LUOHE_REQUESTS = {
    "new": (49, [2, 0, 0, 0, 0, 0, 2]),
    "carried_over": (50, [0] * 7),
    "granted": (51, [2, 0, 0, 0, 0, 0, 2]),
    "partially_granted": (52, [0] * 7),
    "withheld.state_secret": (53, [0] * 7),
    "withheld.prohibited_by_law": (54, [0] * 7),
    "withheld.security_stability": (55, [0] * 7),
    "withheld.third_party": (56, [0] * 7),
    "withheld.internal_affairs": (57, [0] * 7),
    "withheld.process_information": (58, [0] * 7),
    "withheld.enforcement_files": (59, [0] * 7),
    "withheld.query_items": (60, [0] * 7),
    "unavailable.not_held": (61, [0] * 7),
    "unavailable.needs_creation": (62, [0] * 7),
    "unavailable.unclear_after_correction": (63, [0] * 7),
    "not_processed.petition_complaint": (64, [0] * 7),
    "not_processed.repeated": (65, [0] * 7),
    "not_processed.publications": (66, [0] * 7),
    "not_processed.excessive": (67, [0] * 7),
    "not_processed.confirm_or_reissue": (68, [0] * 7),
    "other_handling.overdue_correction": (69, [0] * 7),
    "other_handling.overdue_fee": (70, [0] * 7),
    "other_handling.other": (71, [0] * 7),
    "total": (72, [2, 0, 0, 0, 0, 0, 2]),
    "carried_forward": (73, [0] * 7),
}
LUOHE_ACTIVE = {
    "active.regulations.issued": 31, "active.regulations.repealed": 31, "active.regulations.in_force": 31,
    "active.normative_documents.issued": 32, "active.normative_documents.repealed": 32,
    "active.normative_documents.in_force": 32, "active.licensing.decisions": 35,
    "active.punishment.decisions": 38, "active.coercion.decisions": 39, "active.fees.amount": 42,
}


def test_luohe_metadata(luohe):
    assert luohe.title == "示范区党政办 2023 年政府信息公开工作年度报告"
    assert luohe.agency == "示范区党政办"
    assert luohe.year == 2023
    assert luohe.template == "2021"
    assert [s.heading for s in luohe.sections][:3] == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况"]
    assert luohe.problems == []


def test_luohe_every_cell_read(luohe):
    assert len(luohe.cells) == len(TEMPLATE.cells) == 200
    assert {c.status for c in luohe.cells.values()} == {"number"}


def test_luohe_table_two(luohe):
    for key, line in LUOHE_ACTIVE.items():
        cell = luohe.cells[key]
        assert (cell.value, cell.position.line) == (0, line), key


@pytest.mark.parametrize("row", list(LUOHE_REQUESTS))
def test_luohe_table_three(luohe, row):
    line, values = LUOHE_REQUESTS[row]
    read = [luohe.cells[f"requests.{row}.{c}"] for c in COLUMNS]
    assert [c.value for c in read] == values
    assert {c.position.line for c in read} == {line}


def test_luohe_table_four(luohe):
    keys = [f"{g}.{o}" for g in ("review", "litigation_direct", "litigation_after_review")
            for o in ("upheld", "corrected", "other", "pending", "total")]
    assert [luohe.cells[k].value for k in keys] == [0] * 15
    assert [luohe.cells[k].position.column for k in keys] == list(range(1, 30, 2))
    assert {luohe.cells[k].position.line for k in keys} == {80}


def test_luohe_ragged_rows_positions(luohe):
    # "3.其他\t\t0…" and "(七) 总计\t2…" are shifted against the rows above them
    assert luohe.cells["requests.other_handling.other.natural_person"].position == Position(71, 7)
    assert luohe.cells["requests.total.natural_person"].position == Position(72, 8)
    assert luohe.cells["requests.total.total"].position == Position(72, 20)
    assert luohe.cells["requests.new.natural_person"].position == Position(49, 19)


def test_luohe_narrative_positions(luohe):
    paragraph = next(p for p in luohe.paragraphs if "其中行政复议" in p.text)
    assert paragraph.position == Position(13, 1)
    assert paragraph.section == "（二）依申请公开情况"
    assert paragraph.position_at(paragraph.text.index("行政复议 1")) == Position(13, 43)
    assert not any("\t" in p.text for p in luohe.paragraphs)


HEADER = "勾稽关系\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"


TITLE = "# 某县 2023 年政府信息公开工作年度报告\n\n"


def _requests(*rows: str) -> str:
    return TITLE + "### 三、收到和处理政府信息公开申请情况\n\n" + "\n".join([HEADER, *rows]) + "\n"


def test_blank_cells_are_blank_not_zero():
    report = read_text(_requests("一、本年新收政府信息公开申请数量\t\t\t1\t0\t0\t0\t0\t"))
    new = {c: report.cells[f"requests.new.{c}"] for c in COLUMNS}
    assert new["natural_person"].status == "blank" and new["natural_person"].value is None
    assert new["total"].status == "blank"
    assert new["commercial_enterprise"].value == 1


def test_non_number_marks_and_full_width_digits():
    report = read_text(_requests("二、上年结转政府信息公开申请数量\t\t/\t—\t无\t１２\t1,203\t0\t0"))
    cells = [report.cells[f"requests.carried_over.{c}"] for c in COLUMNS]
    assert [c.status for c in cells[:3]] == ["non_number"] * 3
    assert [c.value for c in cells[3:5]] == [12, 1203]


def test_group_label_applies_to_following_rows_and_shortened_labels():
    report = read_text(_requests(
        "三、本年度办理结果\t（四）无法提供\t1.本机关不掌握\t5\t0\t0\t0\t0\t0\t5",
        "\t\t2.没有现成信息需要另行制作\t1\t0\t0\t0\t0\t0\t1",
        "\t（六）其他处理\t1.申请人逾期不补正\t1\t0\t0\t0\t0\t0\t1",
        "3.其他\t\t2\t0\t0\t0\t0\t0\t2",
        "（七）总计\t9\t0\t0\t0\t0\t0\t9",
    ))
    assert report.cells["requests.unavailable.not_held.total"].value == 5
    assert report.cells["requests.unavailable.needs_creation.total"].value == 1
    assert report.cells["requests.other_handling.overdue_correction.total"].value == 1
    assert report.cells["requests.other_handling.other.total"].value == 2
    assert report.cells["requests.total.total"].value == 9


def test_space_separated_grid_and_markdown_pipe_table():
    spaced = read_text(
        TITLE + "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
        "行政复议     行政诉讼\n"
        "0 1 0 0 1 0 0 0 0 0 2 0 0 0 2\n"
    )
    assert spaced.cells["review.corrected"].value == 1
    assert spaced.cells["litigation_after_review.total"].value == 2
    piped = read_text(_requests().replace(HEADER, "| " + HEADER.replace("\t", " | ") + " |\n|---|---|---|")
                      + "| 一、本年新收政府信息公开申请数量 | | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    assert piped.cells["requests.new.total"].value == 3
    assert piped.cells["requests.new.natural_person"].position == Position(7, 24)


def test_wrong_value_count_is_a_problem_naming_table_and_row():
    report = read_text(_requests("一、本年新收政府信息公开申请数量\t\t1\t0\t0\t1"))
    assert report.cells["requests.new.total"].status == "missing"
    messages = [p.message for p in report.problems]
    assert "表三 一、本年新收政府信息公开申请数量: found 4 values, expected 7" in messages
    assert any(m.startswith("表三 一、本年新收政府信息公开申请数量: 7 cell(s) not found") for m in messages)
    assert any(m.startswith("表四") and "not found" in m for m in messages)


def test_table_two_header_order_is_honoured():
    report = read_text(
        TITLE + "## 二、主动公开政府信息情况\n\n第二十条第（一）项\n"
        "信息内容\t现行有效件数\t本年制发件数\t本年废止件数\n规章\t9\t1\t0\n"
        "信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t1.25\n"
    )
    assert report.cells["active.regulations.in_force"].value == 9
    assert report.cells["active.regulations.issued"].value == 1
    assert report.cells["active.fees.amount"].value == 1.25


def test_gb18030_is_detected_from_the_bytes():
    text = "# 某县 2023 年政府信息公开工作年度报告\n\n全年收到政府信息公开申请 12 件，其中予以公开 5 件。\n" * 3
    assert decode_text(text.encode("gb18030"), "x.txt") == text
    assert decode_text(text.encode("utf-8-sig"), "x.txt") == text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
])
def test_unreadable_bytes(data, reason):
    with pytest.raises(ReportReadError) as caught:
        decode_text(data, "bad.txt")
    assert caught.value.path == "bad.txt" and reason in caught.value.reason


SHREDDED = """# 某县人民政府 2025 年政府信息公开工作年度报告

## 三、收到和处理政府信息公开申请情况

| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
| 上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （一）予以公开 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |

（二）部分公开（区分处理的，只计这一情
形，不计其他情形）
| 1 | 0 | 0 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|---|
| 项目 | 本年新收件数 | 上年结转件数 | 予以公开 | 部分公开 | 不予公开 | 结转下年度 | 总计 |
| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 行政机关不再处理其政 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
— 5 —
| （七）总计 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |

## 四、政府信息公开行政复议、行政诉讼情况

### 行政诉讼（复议后起诉）
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|----------|----------|----------|----------|------|
| 1 | 0 | 0 | 1 | 2 |

## 五、存在的主要问题及改进情况

全年无其他问题。
"""


def test_shredded_markdown_from_converters_and_ocr():
    report = read_text(SHREDDED)
    cells = report.cells
    assert [cells[f"requests.new.{c}"].value for c in COLUMNS] == [5, 1, 0, 0, 0, 0, 6]  # 数据1..6 by order
    assert cells["requests.partially_granted.total"].value == 1  # label cut into text lines: placed by order
    assert cells["requests.withheld.state_secret.total"].value == 0  # bogus header row mid-table ignored
    assert cells["requests.withheld.prohibited_by_law.total"].status == "missing"  # a fragment of another row's label
    assert cells["requests.total.total"].value == 5  # across a page footer
    assert [cells[f"litigation_after_review.{o}"].value for o in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 0, 1, 2]
    assert not any("五、" in p.text or "无其他问题" in p.text for p in report.paragraphs if p.section and "四" in p.section)


def test_a_crawler_s_header_is_metadata_not_narrative(host):
    from auditor.audit import read_file

    # corpora/flattened/2022-pingtan-page.txt: "标题: …" (the title), "发布时间: 2023-02-20 15:07", "栏目: …",
    # "原文链接: …", then "==================== 正文 ====================" and the page's text
    report = read_file(CORPORA / "flattened" / "2022-pingtan-page.txt", host)
    assert (report.title, report.year) == ("平潭综合实验区2022年度政府信息公开工作年度报告", 2022)
    assert report.paragraphs[0].text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert report.paragraphs[0].position.line == 10
    assert any(p.text.startswith("发布时间: 2023-02-20") for p in report.debris)
    assert not any("原文链接" in p.text or "正文 ====" in p.text for p in report.paragraphs)
