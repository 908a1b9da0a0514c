"""The pre-2019 statistics table (政府信息公开情况统计表): read from the rows real reports print, spaced
and run together by a crawler, and held to its own sums and to the narrative — each case both ways."""

from __future__ import annotations

from auditor.audit import audit_file, read_file
from auditor.read.statistics import read_statistics
from auditor.template import Relation, load_template
from auditor_builtin.statistics import CONSISTENT
from conftest import CORPORA

PRE2019 = load_template("pre2019")

# corpora/pre2019/2014-pingtan-page.txt, as printed (spaced)
SPACED = ("七、平潭综合实验区政府信息公开情况统计表 指标名称 计量单位 2014年度 历年累计 主动公开文件数 条 2543 78967 "
          "其中：1、政府网站公开数 条 2543 78967 2、政府公报公开数 条 0 0 受理依申请公开信息总数 条 1 1 其中：1、当面申请数 条 0 0 "
          "2、网上申请数 条 0 0 3、信函、传真申请数 条 1 1 对申请的答复总数 条 1 1 其中：1、同意公开答复数 条 1 1 "
          "2、同意部分公开答复数 条 0 0 3、不予公开答复数 条 0 0 4、其他类型答复数 条 0 0 政府信息公开收费减免金额 元 0 0 "
          "接受行政诉讼、举报数 件 0 0 行政复议数 件 0 0 行政诉讼数 件 0 0 附件下载")
# corpora/pre2019/2012-pingtan-county-page.txt, as the crawler ran it together
FLATTENED = ("附件1：平潭县人民政府2012年政府信息公开情况统计表 指标名称计量单位2012年度历年累计主动公开信息数条20263542"
             "其中：1.网站公开条179533042.政府公报公开条07受理依申请公开信息总数条2121其中：1.当面申请数条18182.传真申请数条00"
             "3.电子邮件申请数条334.网上申请数条005.信函申请数条006.其它形式申请数条00对申请的答复数条2121其中：1.同意公开答复数条1717"
             "2.同意部分公开答复数条223.否决公开答复数条22行政复议数条00行政诉讼数条00行政申诉数条00")


def _values(read):
    return {k: c.value for k, c in read.cells.items() if c.value is not None}


def test_a_spaced_table_is_read_row_by_row_with_positions():
    read = read_statistics(SPACED, PRE2019)
    values = _values(read)
    assert values["statistics.active.year"] == 2543 and values["statistics.active.cumulative"] == 78967
    assert values["statistics.requests_letter_fax.year"] == 1 and values["statistics.answers_other.cumulative"] == 0
    assert values["statistics.review.year"] == 0 and len(values) == 32
    cell = read.cells["statistics.active.cumulative"]
    assert (cell.status, cell.text, SPACED[cell.position.column - 1:].startswith("78967")) == ("number", "78967", True)
    assert read.problems == [] and read.assumed == set()


def test_run_together_digits_are_cut_only_where_the_digits_or_the_sums_settle_them():
    read = read_statistics(FLATTENED, PRE2019)
    values = _values(read)
    # "07": no figure has a leading zero, so 0 | 7; the next row's enumerator "2." is not a digit of 网站公开
    assert (values["statistics.active_gazette.year"], values["statistics.active_gazette.cumulative"]) == (0, 7)
    # "2121" is 2 | 121 or 21 | 21; its parts 18|18 + 0 + 3|3 + 0 + 0 + 其它 0 settle 21 | 21 (with 其它, the list is whole)
    assert (values["statistics.requests.year"], values["statistics.requests_in_person.year"]) == (21, 18)
    assert Relation.of(Relation.STATISTICS_SUM, "requests") in read.assumed  # so A008 does not check what it assumed
    # "20263542": 20 | 263542, 202 | 63542 or 2026 | 3542 — and 网站公开 fits two of them: unread, not guessed
    assert "statistics.active.year" not in values and read.cells["statistics.active.year"].status == "missing"
    [row] = [u for u in read.unreadable if u.keys[0] == "statistics.active.year"]
    assert (2026, 3542) in row.candidates and (202, 63542) in row.candidates
    assert read.cells["statistics.requests.year"].status == "recovered"


def test_the_table_ends_before_a_date_and_skips_a_row_it_does_not_know():
    text = ("政府信息公开情况统计表 指标名称 计量单位 2014年度 历年累计 主动公开文件数 条 12 30 其中：1、政府网站公开数 条 12 30 "
            "2、政府公报公开数 条 0 0 新闻发布会场次 场 2 5 行政复议数 件 1 1 行政诉讼数 件 0 0 2015年1月10日")
    values = _values(read_statistics(text, PRE2019))
    assert values["statistics.review.year"] == 1 and values["statistics.litigation.cumulative"] == 0
    assert 2015 not in values.values() and 2 not in values.values()


def test_a_table_with_one_column_and_a_narrative_that_only_names_the_table():
    text = ("本报告由概述、主动公开情况和政府信息公开情况统计表共五个部分组成。主动公开信息数是衡量工作的指标。 "
            "附表 指标名称 单位 统计数 主动公开信息数 条 40 受理依申请公开信息总数 条 2 对申请的答复数 条 2 行政复议数 件 0")
    read = read_statistics(text, PRE2019)
    assert _values(read) == {"statistics.active.year": 40, "statistics.requests.year": 2, "statistics.answers.year": 2,
                             "statistics.review.year": 0}


def test_no_table_no_cells():
    assert read_statistics("一、概述 2013年，我局主动公开政府信息12条，未收到申请。", PRE2019).cells == {}


def test_an_html_table_of_a_pre2019_report(tmp_path, host):
    rows = [("指标名称", "计量单位", "2014年度", "历年累计"), ("主动公开文件数", "条", "120", "860"),
            ("受理依申请公开信息总数", "条", "3", "7"), ("其中：1、当面申请数", "条", "1", "2"), ("2、网上申请数", "条", "2", "3"),
            ("3、信函、传真申请数", "条", "1", "2"), ("行政复议数", "件", "0", "0")]
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    page = (f"<html><head><title>测试局2014年政府信息公开工作年度报告</title></head><body><h1>测试局2014年政府信息公开工作年度报告</h1>"
            f"<p>一、概述</p><p>2014年，我局全年受理政府信息公开申请3件，均已按时答复。</p><p>六、政府信息公开情况统计表</p>"
            f"<table>{table}</table></body></html>")
    path = tmp_path / "report.html"
    path.write_text(page, "utf-8")
    result = audit_file(path, host)
    assert result.report.template == "pre2019" and result.report.cells["statistics.requests.cumulative"].value == 7
    assert [(f.rule, f.severity) for f in result.findings if f.rule != "M004"] == [("A008", "error")]  # 1+2+1 = 4, more than 3


def test_requests_received_and_answers_are_two_rows(tmp_path, host):
    # the table: 受理 3, 答复 3; the narrative states 受理 3 and 答复 3 — then a 受理 of 5 that is wrong
    path = tmp_path / "consistent.txt"
    path.write_text(CONSISTENT, "utf-8")
    assert [f.rule for f in audit_file(path, host).findings] == ["M004"]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(CONSISTENT.replace("全年受理政府信息公开申请3件", "全年受理政府信息公开申请5件"), "utf-8")
    assert [f.rule for f in audit_file(wrong, host).findings if f.rule != "M004"] == ["N001"]


def test_the_corpus_table_that_does_not_add_up(host):
    report = read_file(CORPORA / "pre2019" / "2018-pingtan-hjgtj-page.txt", host)
    assert report.cells["statistics.requests.year"].value == 13
    result = audit_file(CORPORA / "pre2019" / "2018-pingtan-hjgtj-page.txt", host)
    assert sorted((f.rule, f.severity) for f in result.findings if f.rule == "A008") == [("A008", "warning")] * 2


def test_the_narrative_held_to_the_table_row_by_row(host):
    from auditor.audit import read_document
    from auditor.read.statistics import row_statements

    # corpora/pre2019/2013-pingtan-county-page.txt: "共收到…申请7条，网上申请数3条，信函申请数4条" against 网上 4, 信函 0
    result = audit_file(CORPORA / "pre2019" / "2013-pingtan-county-page.txt", host)
    assert sorted(f.message.split(" (")[0] for f in result.findings if f.rule == "N007") == [
        "narrative states 信函申请 4", "narrative states 网上申请 3"]
    # 2018-pingtan-hjgtj: "其中网上申请2件、信函传真申请9件" as the table prints them; the parts of the body
    # ("区直各部门主动公开政府信息1592条") are never its 主动公开 total
    document = read_document(CORPORA / "pre2019" / "2018-pingtan-zone-page.txt", host)
    assert [(s.item, s.value) for s in row_statements(document.report.paragraphs, document.report.agency, document.template)] == [("active", 2069)]
    document = read_document(CORPORA / "pre2019" / "2018-pingtan-hjgtj-page.txt", host)
    assert sorted((s.item, s.measure, s.value) for s in row_statements(document.report.paragraphs, document.report.agency, document.template)) == [
        ("active", "cumulative", 2504), ("active", "year", 477), ("requests_letter_fax", "year", 9), ("requests_online", "year", 2)]


def test_a_review_stated_before_its_words(host):
    from auditor.audit import read_document
    from auditor.read.statistics import row_statements

    # corpora/pre2019/2013-pingtan-zone-page.txt: "收到1份有关政府信息公开行政复议申请已及时处理" against 行政复议数 0
    document = read_document(CORPORA / "pre2019" / "2013-pingtan-zone-page.txt", host)
    assert [(s.item, s.value) for s in row_statements(document.report.paragraphs, document.report.agency, document.template) if s.item == "review"] == [("review", 1)]
    # a count of something else listed before the cases is not one of them: "…申请1件、行政复议案件2件"
    assert [s.item for s in row_statements(document.report.paragraphs, document.report.agency, document.template) if s.text.startswith("1件、")] == []


def test_a_run_is_never_cut_on_cumulative_at_least_the_year():
    # corpora/pre2019/2017-pingtan-nyn-page.txt prints 主动公开 107 | 74 as "10774" (历年累计 below the year):
    # the digits allow 10 | 774, 107 | 74, 1077 | 4; the narrative's "主动公开政府信息107条" settles it
    row = ("政府信息公开情况统计表 指标名称计量单位2017年度历年累计主动公开文件数条10774其中：1.政府网站公开数条107742."
           "政府公报公开数条00受理政府信息公开申请总数条10行政复议数件00行政诉讼数件00")
    unsettled = read_statistics(row, PRE2019)
    assert unsettled.cells["statistics.active.year"].status == "missing"  # not 10 | 774 by "cumulative ≥ year"
    assert (unsettled.cells["statistics.requests.year"].value, unsettled.cells["statistics.requests.cumulative"].value) == (1, 0)
    from auditor.model import Paragraph, Position
    narrative = [Paragraph("2017年，我局主动公开政府信息107条。", None, ((0, Position(1, 1)),))]
    settled = read_statistics(row, PRE2019, narrative, "平潭综合实验区农村发展局")
    assert (settled.cells["statistics.active.year"].value, settled.cells["statistics.active.cumulative"].value) == (107, 74)


def test_cumulative_below_the_year_in_a_real_report(host):
    result = audit_file(CORPORA / "pre2019" / "2017-pingtan-nyn-page.txt", host)
    assert sorted(f.message.split(":")[0] for f in result.findings if f.rule == "A009") == sorted([
        "统计表 主动公开信息数", "统计表 受理依申请公开信息总数", "统计表 同意部分公开答复数", "统计表 对申请的答复总数",
        "统计表 信函、传真申请数", "统计表 政府网站公开数"])


def test_a_docx_table_of_a_pre2019_report(tmp_path, host):
    import docx

    document = docx.Document()
    for line in ("测试局2014年政府信息公开工作年度报告", "一、概述", "2014年，我局全年受理政府信息公开申请3件，均已按时答复。",
                 "二、主动公开政府信息情况", "2014年主动公开政府信息120条。", "六、政府信息公开情况统计表"):
        document.add_paragraph(line)
    rows = [("指标名称", "计量单位", "2014年度", "历年累计"), ("主动公开文件数", "条", "120", "860"),
            ("其中：1、政府网站公开数", "条", "110", "850"), ("2、政府公报公开数", "条", "0", "0"),
            ("受理依申请公开信息总数", "条", "3", "7"), ("行政复议数", "件", "0", "0")]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "report.docx"
    document.save(path)
    result = audit_file(path, host)
    cells = result.report.cells
    assert (cells["statistics.active.year"].value, cells["statistics.active_website.cumulative"].value) == (120, 850)
    assert [(f.rule, f.severity) for f in result.findings if f.rule != "M004"] == [("A008", "warning")] * 2  # 110 + 0, 850 + 0


def test_a_pdf_table_of_a_pre2019_report(tmp_path, host):
    # a text-layer PDF in a standard CJK font (Adobe-GB1 STSong-Light: nothing embedded, no font file needed)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "report.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    y = 800
    for line in ("测试局2014年政府信息公开工作年度报告", "一、概述", "2014年，我局全年受理政府信息公开申请3件，均已按时答复。",
                 "二、主动公开政府信息情况", "2014年主动公开政府信息120条。", "六、政府信息公开情况统计表"):
        page.drawString(50, y, line)
        y -= 16
    for row in (("指标名称", "计量单位", "2014年度", "历年累计"), ("主动公开文件数", "条", "120", "860"),
                ("其中：1、政府网站公开数", "条", "120", "850"), ("2、政府公报公开数", "条", "0", "0"),
                ("受理依申请公开信息总数", "条", "3", "7"), ("行政复议数", "件", "0", "0")):
        for x, value in zip((50, 250, 330, 420), row):
            page.drawString(x, y, value)
        y -= 16
    page.save()
    result = audit_file(path, host)
    cells = result.report.cells
    assert (cells["statistics.active.year"].value, cells["statistics.requests.cumulative"].value) == (120, 7)
    assert cells["statistics.active.year"].position.page == 1
    assert [(f.rule, f.severity) for f in result.findings if f.rule != "M004"] == [("A008", "warning")]  # 850 + 0 < 860


def test_extract_writes_the_statistics_cells_under_their_own_keys(tmp_path):
    import csv

    from auditor.cli import main

    out = tmp_path / "cells.csv"
    assert main(["extract", "--no-cache", "--quiet", "-o", str(out), str(CORPORA / "pre2019" / "2014-pingtan-page.txt")]) == 0
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8-sig")) if r["table"] == "statistics"]
    by_key = {r["key"]: r for r in rows}
    assert by_key["statistics.active.cumulative"]["value"] == "78967"
    assert {r["template"] for r in rows} == {"pre2019"} and by_key["statistics.review.year"]["label"] == "行政复议数 / 本年度"


def test_a_cumulative_stated_in_prose_settles_the_cut_and_the_year_is_then_held_to_it(host):
    # corpora/pre2019/2017-pingtan-hjgtj-page.txt: "主动公开文件数条6262027" (6 | 262027, 62 | 62027, 626 | 2027 …);
    # the prose says "主动公开政府信息733条" (no cut gives it) and "历年累计主动公开政府信息2027条" (one cut does)
    result = audit_file(CORPORA / "pre2019" / "2017-pingtan-hjgtj-page.txt", host)
    cells = result.report.cells
    assert (cells["statistics.active.year"].value, cells["statistics.active.cumulative"].value) == (626, 2027)
    assert [f.message.split(" (")[0] for f in result.findings if f.rule == "N007"] == ["narrative states 主动公开信息数 733"]


def test_the_reader_s_work_is_bounded_on_hostile_text():
    # issue 13's classes: no pattern backtracks on a long run of digits, and a signature with no row
    # after it is not followed to the end of the text (100 000 of them would be quadratic). Each
    # finishes in well under a second (this reader's first pattern took 5.8 s on 24 digits, doubling with
    # each more): no timing asserted here.
    for text in ("统计表附表" * 100_000,
                 "统计表 指标名称 主动公开信息数 条 " + "1" * 200_000 + "x",
                 "统计表 指标名称 主动公开信息数 条 " + "1 " * 100_000 + "x 行政复议数 件 0 0"):
        assert read_statistics(text, PRE2019).cells == {}
