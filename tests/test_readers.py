"""Each reader on small hand-made files for each layout quirk, the same report in several formats,
and bad files: each gets a clear error naming the file, quickly."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

import pytest

from auditor.audit import audit_file, read_file
from auditor.errors import ReportReadError
from auditor.read.html import html_rendition
from auditor.testing import report_docx, report_html, report_text
from conftest import CORPORA, LUOHE

VALUES = {  # a consistent report with numbers in every table, a blank and a mark
    "active.normative_documents.issued": 12, "active.normative_documents.in_force": 140,
    "active.licensing.decisions": 2293, "active.fees.amount": 24.31,
    "requests.new.natural_person": 71, "requests.new.commercial_enterprise": 3, "requests.new.total": 74,
    "requests.carried_over.natural_person": 1, "requests.carried_over.total": 1,
    "requests.granted.natural_person": 21, "requests.granted.total": 21,
    "requests.unavailable.not_held.natural_person": 37, "requests.unavailable.not_held.total": 37,
    "requests.other_handling.other.natural_person": 14, "requests.other_handling.other.commercial_enterprise": 3,
    "requests.other_handling.other.total": 17,
    "requests.total.natural_person": 72, "requests.total.commercial_enterprise": 3, "requests.total.total": 75,
    "requests.withheld.query_items.research_institution": None, "requests.withheld.query_items.other": "/",
    "review.upheld": 1, "review.pending": 1, "review.total": 2,
    "litigation_after_review.corrected": 2, "litigation_after_review.total": 2,
}
NARRATIVE = ["全年共收到政府信息公开申请 74 件，办结 75 件，其中予以公开 21 件。", "因政府信息公开引起行政复议 2 件、行政诉讼 2 件。"]


def expected_values(template_cells) -> dict:
    out = {}
    for key in template_cells:
        value = VALUES.get(key, 0)
        out[key] = value if isinstance(value, (int, float)) else None
    return out


def read_bytes(host, path: str, data: bytes):
    return host.read(path, data)


def values_of(report) -> dict:
    return {k: c.value for k, c in report.cells.items()}


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_every_format_reads_the_same_report(host, fmt, tmp_path):
    data = {
        "txt": report_text(VALUES, NARRATIVE).encode("utf-8"),
        "html": report_html(VALUES, NARRATIVE),
        "docx": report_docx(VALUES, NARRATIVE),
    }[fmt]
    report = read_bytes(host, f"report.{fmt}", data)
    assert (report.title, report.agency, report.year, report.template) == (
        "测试县人民政府办公室 2023 年政府信息公开工作年度报告", "测试县人民政府办公室", 2023, "2021")
    assert values_of(report) == expected_values(report.cells)
    assert Counter(c.status for c in report.cells.values()) == {"number": 198, "blank": 1, "non_number": 1}
    assert report.problems == []
    path = tmp_path / f"report.{fmt}"
    path.write_bytes(data)
    findings = audit_file(path, host).findings
    assert [(f.rule, len(f.evidence)) for f in findings] == [("M002", 2)]  # one per table, both cells cited


def test_html_body_is_found_inside_a_full_page(host):
    report = read_bytes(host, "page.html", report_html(VALUES, NARRATIVE))
    text = " ".join(p.text for p in report.paragraphs)
    assert "首页" not in text and "主办单位" not in text and "分享到" not in text
    assert report.paragraphs[0].text == NARRATIVE[0]


def test_html_charset_from_meta_gbk(host):
    page = report_html(VALUES, NARRATIVE, charset="gbk")
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    report = read_bytes(host, "gbk.htm", page)
    assert report.title.startswith("测试县") and report.cells["requests.new.total"].value == 74


def test_html_layout_table_nbsp_and_repeated_header(host):
    page = report_html(VALUES, NARRATIVE).decode("utf-8")
    # the whole body inside a one-cell layout table
    page = page.replace("<div class='TRS_Editor'>", "<table class='layout'><tr><td><div class='TRS_Editor'>", 1)
    page = page.replace("</div><div class='footer'>", "</div></td></tr></table><div class='footer'>", 1)
    # the header of 表三 printed again in the middle of the table (a page break in the source)
    header = "<tr><td colspan='3'><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td><td><p>自&nbsp;然&nbsp;人</p></td></tr>"
    marker = "<tr><td rowspan='1' colspan='2' valign='center'><p><span>（七）总计"
    assert marker in page
    page = page.replace(marker, header + marker, 1)
    report = read_bytes(host, "layout.html", page.encode("utf-8"))
    assert values_of(report) == expected_values(report.cells)


def test_html_rowspan_label_reaches_every_row_and_colspan_leaves_blanks():
    page = (
        "<html><head><title>某县2023年政府信息公开工作年度报告</title></head><body>"
        "<table><tr><td rowspan='2'>（三）不予公开</td><td>1.属于国家秘密</td><td colspan='2'>1</td></tr>"
        "<tr><td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td></tr></table></body></html>"
    )
    lines = [line for line in html_rendition(page.encode(), "x.html").lines if "\t" in line]
    assert lines == ["（三）不予公开\t1.属于国家秘密\t1\t", "（三）不予公开\t2.其他法律行政法规禁止公开\t0\t0"]


def test_html_and_flattened_crawl_of_one_report_agree(host):
    """The 2024 Pingtan report as published (HTML) and as a crawler flattened it."""
    page = read_file(CORPORA / "html" / "2024-pingtan-article-body.html", host)
    flat = read_file(CORPORA / "flattened" / "2024-pingtan-page.txt", host)
    unreadable = {"active.normative_documents.issued", "active.normative_documents.repealed", "active.normative_documents.in_force"}
    assert {k: c.value for k, c in flat.cells.items() if k not in unreadable} == {
        k: c.value for k, c in page.cells.items() if k not in unreadable}
    assert {flat.cells[k].status for k in unreadable} == {"missing"}
    assert [page.cells[k].value for k in sorted(unreadable)] == [440, 62, 33]
    flat_findings = [(f.rule, f.message) for f in audit_file(CORPORA / "flattened" / "2024-pingtan-page.txt", host).findings]
    page_findings = [(f.rule, f.message) for f in audit_file(CORPORA / "html" / "2024-pingtan-article-body.html", host).findings]
    assert page_findings == []
    assert flat_findings == [
        ("M001", "表二 行政规范性文件: the digits '6233440' run together; 15 ways to split them into 3 cells, "
                 "so the row is unreadable"),
    ]  # said once: not again as "3 cell(s) not found"


def test_docx_of_the_seed_report_gives_the_same_findings(host, tmp_path):
    import docx

    document = docx.Document()
    lines = LUOHE.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            block = []
            while i < len(lines) and "\t" in lines[i]:
                block.append(lines[i].split("\t"))
                i += 1
            table = document.add_table(rows=len(block), cols=max(map(len, block)))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        if line.startswith("#"):
            document.add_heading(line.lstrip("#").strip(), level=min(3, len(line) - len(line.lstrip("#"))))
        elif line.strip():
            document.add_paragraph(line)
        i += 1
    path = tmp_path / "luohe.docx"
    document.save(path)
    from_docx = audit_file(path, host)
    from_text = audit_file(LUOHE, host)
    assert [(f.rule, f.severity) for f in from_docx.findings] == [(f.rule, f.severity) for f in from_text.findings]
    assert values_of(from_docx.report) == values_of(from_text.report)
    assert [[(e.source, e.key, e.value) for e in f.evidence] for f in from_docx.findings] == [
        [(e.source, e.key, e.value) for e in f.evidence] for f in from_text.findings]


PDFS = {  # a few cells of each corpus PDF, read off the printed page
    "2024-huaian-city.pdf": {"requests.new.total": 3119, "requests.carried_over.natural_person": 34,
                             "requests.other_handling.overdue_correction.total": 71, "requests.total.total": 3050,
                             "review.total": 351, "litigation_after_review.pending": 6, "active.punishment.decisions": 3985758,
                             "active.fees.amount": 96171.6},
    "2024-hongze-district.pdf": {"requests.new.total": 95, "requests.withheld.prohibited_by_law.total": 0,
                                 "requests.other_handling.total": 0, "review.total": 2, "active.licensing.decisions": 9487},
}


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_tables_split_across_pages(host, name):
    report = read_file(CORPORA / "pdf" / name, host)
    assert {k: report.cells[k].value for k in PDFS[name]} == PDFS[name]
    cells = [c for k, c in report.cells.items() if k.startswith("requests.") and c.position]
    assert {c.position.page for c in cells} == {4, 5} if name.startswith("2024-huaian") else {3, 4}


def _pdf(content: bytes) -> bytes:
    """A minimal one-page PDF whose page draws ``content`` (no text: as a scan has none)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


XXE = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/blank.bin", "w") as part:
            chunk = bytes(2**20)
            for _ in range(120):
                part.write(chunk)
    return out.getvalue()


BAD = {
    "scan.pdf": (lambda: _pdf(b"0 0 m 100 100 l S"), "no text layer (scanned); OCR not available"),
    "fake.pdf": (lambda: b"this is not a pdf at all", "not a PDF (no %PDF- signature)"),
    "broken.pdf": (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n", "the PDF is damaged: Unexpected EOF"),
    "notzip.docx": (lambda: b"PK\x03\x04 but not really a zip", "not a DOCX (not a zip archive, or a truncated one)"),
    "plain.docx": (lambda: "一、总体情况".encode(), "not a DOCX (not a zip archive, or a truncated one)"),
    "other.docx": (lambda: _zip({"content.xml": b"<x/>"}), "not a DOCX (no word/document.xml in the archive)"),
    "xxe.docx": (lambda: _zip({"word/document.xml": XXE, "[Content_Types].xml": b"<Types/>"}), "declares a DTD or XML entities: refused"),
    "bomb.docx": (_bomb, "refused as a zip bomb"),
    "old.doc": (lambda: b"\xd0\xcf\x11\xe0" + bytes(100), "old binary Word .doc is not supported"),
    "empty.html": (lambda: b"<html><body><div class='nav'>home</div></body></html>", "HTML page with no text"),
    "image.html": (lambda: "<html><head><title>某县2023年政府信息公开工作年度报告</title></head><body>"
                           "<h1>某县2023年政府信息公开工作年度报告</h1><img src='report.png'></body></html>".encode(),
                   "does not look like a 政府信息公开工作年度报告: only a title"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_get_a_clear_error(host, tmp_path, name):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = audit_file(path, host)
    assert result.report is None
    assert len(result.errors) == 1 and reason in result.errors[0], result.errors


def test_truncated_html_is_read_as_far_as_it_goes_and_says_so(host, tmp_path):
    page = report_html(VALUES, NARRATIVE)
    cut = page[: page.index("<span>行政诉讼</span>".encode())]  # cut inside 表四's header
    path = tmp_path / "cut.html"
    path.write_bytes(cut)
    result = audit_file(path, host)
    assert result.report is not None and result.errors == []
    assert result.report.cells["requests.total.total"].value == 75
    messages = [f.message for f in result.findings if f.rule == "M001"]
    assert messages[0] == "the HTML page ends before </html>: the file looks truncated"
    assert "表四 (四、政府信息公开行政复议、行政诉讼情况) not found" in messages


def test_a_50_mb_file_is_refused_at_once(host, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)
    with pytest.raises(ReportReadError, match="file is 50 MB, more than the 20 MB a report can be"):
        read_file(path, host)


def test_no_network_access_is_attempted(host, tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = report_html(VALUES, NARRATIVE).replace(b"<head>", b"<head><link rel='stylesheet' href='http://example.invalid/x.css'>"
                                                   b"<script src='http://example.invalid/x.js'></script>")
    path = tmp_path / "remote.html"
    path.write_bytes(page)
    assert audit_file(path, host).report is not None
    xxe = tmp_path / "xxe.docx"
    xxe.write_bytes(_zip({"word/document.xml": XXE.replace(b"file:///etc/passwd", b"http://example.invalid/x")}))
    assert audit_file(xxe, host).report is None


def test_html_states_its_structure_and_it_is_kept(tmp_path, host):
    # issue 11's three misreadings of a page re-parsed from its text: a paragraph "# 说明…" became a
    # section heading (and its figure left the narrative), a paragraph "1/2" was dropped as a page
    # footer, a paragraph "2021 2022 2023" became a table row
    page = ("<html><head><title>测试县人民政府办公室2023年政府信息公开工作年度报告</title></head><body>"
            "<h1>测试县人民政府办公室2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            "<p># 说明：本年度共收到政府信息公开申请3件。</p><p>1/2</p><p>2021 2022 2023</p>"
            "<p>二、主动公开政府信息情况</p><p>本年制发规范性文件2件。</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, "utf-8")
    report = read_file(path, host)
    assert [s.heading for s in report.sections] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert "# 说明：本年度共收到政府信息公开申请3件。" in [p.text for p in report.paragraphs]
    assert [p.text for p in report.debris] == ["1/2", "2021 2022 2023"]  # kept, in place, not narrative
    assert report.cells == {} or all(c.status == "missing" for c in report.cells.values())
    # the extracted text is unchanged, and positions point into it
    lines = report.text.splitlines()
    [paragraph] = [p for p in report.paragraphs if p.text.startswith("# 说明")]
    assert lines[paragraph.position.line - 1] == "# 说明：本年度共收到政府信息公开申请3件。"


def test_docx_merges_expand_as_html_spans_do():
    """One span expansion for both formats (issue 11): a vertical merge (vMerge) is a rowspan — a
    label reaches every row it covers, a number stays in its first row —, gridSpan a colspan."""
    import docx
    from docx.oxml.ns import qn

    from auditor.read.docx import _grid

    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "（三）不予公开"
    table.cell(0, 3).merge(table.cell(1, 3)).text = "7"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "1.属于国家秘密 0"
    for r, text in ((1, "2.其他法律行政法规禁止公开"), (2, "3.危及三安全一稳定")):
        table.cell(r, 1).text = text
    table.cell(1, 2).text, table.cell(2, 2).text, table.cell(2, 3).text = "0", "1", "2"
    grid = _grid(table._tbl, qn, 1000)
    assert [row[0] for row in grid] == ["（三）不予公开"] * 3  # the label reaches each sub-row
    assert grid[0][1:3] == ["1.属于国家秘密 0", None]  # a colspan's extra column has no cell
    assert [row[3] for row in grid] == ["7", None, "2"]  # a merged number is kept once
