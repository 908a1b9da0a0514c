"""Template generations: 2021, 2019 试行 and pre-2019 free-form, told from the printed header and
cross-checked with the year."""

from __future__ import annotations

from auditor.audit import audit_file, read_file
from auditor.template import load_template
from auditor.testing import make_document, report_text
from auditor_builtin import arithmetic, completeness
from conftest import CORPORA, read_text


def test_templates_have_their_cells():
    assert len(load_template("2021").cells) == 200
    assert len(load_template("2019").cells) == 6 + 6 + 6 + 2 + 2 + 23 * 7 + 15
    pre2019 = load_template("pre2019")  # no national tables; the old 统计表: 21 rows of the common layout and 17 of the older one, × (year, 历年累计)
    assert not pre2019.has_tables and {s.table for s in pre2019.cells.values()} == {"statistics"}
    assert len(pre2019.cells) == (21 + 17) * 2
    # keys are shared where the meaning is shared
    assert "requests.other_handling.total" in load_template("2019").cells
    assert "requests.other_handling.total" in load_template("2021").derived
    assert "active.procurement.amount" in load_template("2019").cells


def test_2019_tables_are_detected_and_read():
    t2019 = load_template("2019")
    values = {"active.licensing.previous_items": 39, "active.licensing.change": -2, "active.licensing.decisions": 181,
              "active.procurement.projects": 135, "active.procurement.amount": 753944.32,
              "requests.other_handling.natural_person": 2, "requests.other_handling.total": 2,
              "requests.new.natural_person": 2, "requests.new.total": 2,
              "requests.total.natural_person": 2, "requests.total.total": 2}
    report = read_text(report_text(values, year=2020, template=t2019))
    assert report.template == "2019"
    assert {k: report.cells[k].value for k in values} == values
    assert {c.status for c in report.cells.values()} == {"number"}
    document = make_document(values, year=2020, template=t2019)
    assert [f.rule for plugin in (arithmetic, completeness) for f in plugin.rules.check(document)] == []


def test_2019_tables_in_a_2022_report_are_flagged():
    document = make_document({}, year=2022, template=load_template("2019"))
    assert document.report.template == "2019"
    findings = [f for f in completeness.rules.check(document) if f.rule == "M003"]
    assert [f.message for f in findings] == [
        "tables printed in the 2019 template (国办公开办函〔2019〕60号) in a report on 2022, which should use 国办公开办函〔2021〕30号"]
    assert [f.rule for f in completeness.rules.check(make_document({}, year=2022)) if f.rule == "M003"] == []


def test_the_2019_crawl_is_read_in_the_2019_template(host):
    report = read_file(CORPORA / "flattened" / "2019-pingtan-page-2019template.txt", host)
    assert (report.template, report.year) == ("2019", 2019)
    assert report.cells["requests.other_handling.total"].value == 0
    assert report.cells["requests.total.total"].value == 23


def test_free_form_reports_without_a_statistics_table_get_narrative_checks_only(host):
    result = audit_file(CORPORA / "pre2019" / "2013-pingtan-hjgtj-page.txt", host)
    assert result.report.template == "pre2019" and result.report.cells == {}
    assert [(f.rule, f.message) for f in result.findings] == [
        ("M004", "free-form report on 2013: no 统计表 found, narrative checks only")]


OLD_DEPARTMENT_REPORT = """平潭县国土资源局2013年度信息公开年度报告

一、概述
2013年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，把政府信息公开工作列入重要议事日程，全年主动公开政府信息178条。
二、主动公开政府信息情况
主动公开的政府信息主要包括机构职能、政策法规、规划计划等，共178条。
三、依申请公开政府信息情况
2013年，我局没有收到政府信息公开申请。
四、政府信息公开的收费及减免情况
我局无政府信息公开收费情况。
五、存在的主要问题和改进措施
政府信息公开工作的宣传力度有待加强。
"""


def test_an_old_report_titled_and_sectioned_in_its_own_words_is_read(host, tmp_path):
    """A department report of 2013 titled "…信息公开年度报告" with the headings of its era (一、概述 …):
    read as a free-form report, its narrative checked, not refused as "not a report"."""
    path = tmp_path / "2013-old.txt"
    path.write_text(OLD_DEPARTMENT_REPORT, "utf-8")
    result = audit_file(path, host)
    assert result.errors == []
    report = result.report
    assert (report.template, report.year, report.agency) == ("pre2019", 2013, "平潭县国土资源局")
    assert [f.rule for f in result.findings] == ["M004"]
