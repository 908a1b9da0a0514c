"""Cases found by trying to break the readers: each once read a wrong number silently."""

from __future__ import annotations

import io

from auditor.figures import paragraph_figures
from auditor.read.html import html_rendition, looks_like_html
from auditor.testing import report_docx, report_html, report_text
from conftest import read_text

OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def test_table_four_groups_in_the_order_printed():
    values = {"litigation_direct.upheld": 3, "litigation_direct.total": 3, "litigation_after_review.pending": 5,
              "litigation_after_review.total": 5}
    text = report_text(values)
    swapped = text.replace("未经复议直接起诉", "@").replace("复议后起诉", "未经复议直接起诉").replace("@", "复议后起诉")
    rows = swapped.splitlines()
    i = next(n for n, line in enumerate(rows) if line.startswith("1") or line.startswith("0\t0\t0\t0\t0\t3"))
    cells = rows[i].split("\t")
    rows[i] = "\t".join(cells[:5] + cells[10:] + cells[5:10])  # the data follow the printed header
    report = read_text("\n".join(rows))
    assert [report.cells[f"litigation_direct.{o}"].value for o in OUTCOMES] == [3, 0, 0, 0, 3]
    assert [report.cells[f"litigation_after_review.{o}"].value for o in OUTCOMES] == [0, 0, 0, 5, 5]


def test_table_three_columns_in_the_order_printed():
    header = "勾稽关系\t\t总计\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
    report = read_text(
        "# 某县 2023 年政府信息公开工作年度报告\n\n## 三、收到和处理政府信息公开申请情况\n\n"
        f"{header}\n一、本年新收政府信息公开申请数量\t\t9\t5\t4\t0\t0\t0\t0\n"
    )
    assert report.cells["requests.new.total"].value == 9
    assert report.cells["requests.new.natural_person"].value == 5


def test_footnote_marks_and_struck_text_are_not_digits():
    values = {"requests.new.natural_person": 37, "requests.new.total": 37}
    text = report_text(values).replace("\t37\t0\t0\t0\t0\t0\t37", "\t37①\t0\t0\t0\t0\t0\t37")
    assert read_text(text).cells["requests.new.natural_person"].value == 37
    page = report_html(values).replace(b"<span>37</span>", b"<span>37<sup>1</sup></span>", 1)
    page = page.replace(b"<span>37</span>", b"<span><del>2600</del>37</span>", 1)
    lines = html_rendition(page, "x.html").lines
    row = next(line for line in lines if line.startswith("一、本年新收"))
    assert row.split("\t")[3:] == ["37", "0", "0", "0", "0", "0", "37"]


def test_superscript_in_a_docx_cell_is_a_footnote_mark(host):
    import docx
    from docx.enum.text import WD_BREAK  # noqa: F401  (python-docx present)

    data = report_docx({"requests.new.natural_person": 26, "requests.new.total": 26})
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for cell in table._cells:
            if cell.text == "26":
                cell.paragraphs[0].add_run("1").font.superscript = True
    out = io.BytesIO()
    document.save(out)
    report = host.read("note.docx", out.getvalue())
    assert report.cells["requests.new.natural_person"].value == 26


def test_yuan_in_the_wan_yuan_cell_is_converted_and_said():
    text = report_text({"active.fees.amount": "1235元"})
    report = read_text(text)
    assert report.cells["active.fees.amount"].value == 0.1235
    assert any("printed in 元" in p.message for p in report.problems)


def test_a_table_inside_a_data_table_does_not_hide_it():
    values = {"requests.new.natural_person": 3, "requests.new.total": 3}
    page = report_html(values).replace(
        b"<span>3</span>", b"<span>3</span><table><tr><td>note</td><td>x</td></tr></table>", 1)
    lines = html_rendition(page, "x.html").lines
    assert any(line.startswith("一、本年新收") and line.split("\t")[3] == "3" for line in lines)


def test_single_space_rows_are_rows_not_headings():
    report = read_text(
        "# 某县 2023 年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n"
        "二、上年结转政府信息公开申请数量 7 5 6 4 2 3 27\n"
        "本年度办理结果 （七）总计 9 0 0 0 0 0 9\n"
    )
    assert report.cells["requests.carried_over.total"].value == 27
    assert report.cells["requests.total.total"].value == 9


def test_narrative_thousands_and_large_chinese_numerals():
    assert [(f.key, f.value) for f in paragraph_figures("共收到申请2,637件。", 2023)] == [("requests.received.total", 2637)]
    assert [(f.key, f.value) for f in paragraph_figures("共收到申请两千六百三十七件。", 2023)] == [("requests.received.total", 2637)]


def test_binary_data_is_never_taken_for_html():
    assert not looks_like_html(b"PK\x03\x04" + b"<p>" + bytes(100))
    assert not looks_like_html(b"\x00\x01<p>text")
    assert looks_like_html(b"<!DOCTYPE html><html><body><p>x</p></body></html>")


def test_a_very_long_paragraph_is_read_whole():
    # no wall-clock bound here (it failed on a loaded machine): benchmarks/fuzz.py bounds CPU time
    # per input, and a quadratic regression on 20 000 figures would not finish
    figures = paragraph_figures("行政复议16件，" * 20000, 2023)
    assert len(figures) == 20000
