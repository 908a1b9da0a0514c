"""Every rule on small cases, both ways: it fires on a broken report and stays quiet on a sound one."""

from __future__ import annotations

from auditor.audit import Document
from auditor.figures import extract_figures
from auditor.template import load_template
from auditor.testing import make_document, report_text
from auditor_builtin import arithmetic, claims, completeness, narrative
from auditor.testkit import audit
from conftest import read_text


def run(ruleset, values=None, sentences=()):
    return list(ruleset.rules.check(make_document(values, sentences)))


def rules_of(findings):
    return sorted(f.rule for f in findings)


TWO_GRANTED = {  # two requests from natural persons, both granted: every table adds up
    "requests.new.natural_person": 2, "requests.new.total": 2,
    "requests.granted.natural_person": 2, "requests.granted.total": 2,
    "requests.total.natural_person": 2, "requests.total.total": 2,
}


def test_sound_report_has_no_findings_at_all():
    document = make_document(TWO_GRANTED, ["全年收到政府信息公开申请 2 件，予以公开 2 件，未发生行政复议、行政诉讼。"])
    for ruleset in (arithmetic, completeness, narrative):
        assert list(ruleset.rules.check(document)) == []


def test_a001_requests_balance():
    findings = run(arithmetic, {**TWO_GRANTED, "requests.carried_forward.natural_person": 1,
                                "requests.carried_forward.total": 1})
    a001 = [f for f in findings if f.rule == "A001"]
    assert len(a001) == 2  # 自然人 and 总计 columns
    first = a001[0]
    assert first.message.startswith("表三 自然人: 本年新收 2 + 上年结转 0 = 2, but （七）总计 2 (line ")
    assert first.message.endswith("+ 结转下年度 1 = 3")
    assert [e.key for e in first.evidence] == [
        "requests.new.natural_person", "requests.carried_over.natural_person",
        "requests.total.natural_person", "requests.carried_forward.natural_person"]
    assert first.position == make_document(TWO_GRANTED).report.cells["requests.new.natural_person"].position


def test_a002_outcome_rows_add_up_to_total():
    findings = run(arithmetic, {"requests.granted.natural_person": 2, "requests.granted.total": 2})
    assert rules_of(findings) == ["A002", "A002"]
    assert findings[0].message == "（七）总计 / 自然人 is 0 but the outcome rows add up to 2"


def test_a003_applicant_columns_add_up_to_row_total():
    findings = run(arithmetic, {**TWO_GRANTED, "requests.granted.commercial_enterprise": 1,
                                "requests.total.commercial_enterprise": 1, "requests.new.commercial_enterprise": 1})
    assert rules_of(findings) == ["A003", "A003", "A003"]
    assert {f.evidence[0].key for f in findings} == {"requests.new.total", "requests.granted.total", "requests.total.total"}


def test_a004_appeal_totals_include_pending():
    assert run(arithmetic, {"review.pending": 1, "review.total": 1}) == []
    findings = run(arithmetic, {"review.upheld": 1, "litigation_direct.pending": 2, "litigation_direct.total": 1})
    assert [(f.rule, f.evidence[0].key) for f in findings] == [("A004", "review.total"), ("A004", "litigation_direct.total")]


def test_a005_counts_are_whole_numbers_fees_may_have_decimals():
    assert run(arithmetic, {"active.fees.amount": 1.25}) == []
    findings = run(arithmetic, {"active.licensing.decisions": 1.5})
    assert rules_of(findings) == ["A005"]


def test_arithmetic_skips_checks_with_blank_cells():
    findings = run(arithmetic, {"requests.new.natural_person": None, "requests.new.commercial_enterprise": 5})
    assert rules_of(findings) == ["A001"]  # the 商业企业 column; checks that need the blank cell are skipped


def test_a_blank_total_is_its_parts_sum_and_is_reported():
    findings = run(arithmetic, {"requests.new.total": None, "requests.new.natural_person": 5})
    assert rules_of(findings) == ["A001", "A001", "A007"]  # 自然人 and 总计 columns; the blank 总计 itself
    assert findings[1].message.endswith("(一、本年新收政府信息公开申请数量 / 总计 blank: the sum of its parts)")
    assert findings[2].message == "一、本年新收政府信息公开申请数量 / 总计 is blank but its parts add up to 5"
    assert run(arithmetic, {"requests.new.total": None}) == []  # a blank total over parts that are all 0


def test_m001_unreadable_rows_are_reported_by_table_and_row():
    row = "一、本年新收政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0"
    assert row in report_text()
    text = report_text().replace(row, "一、本年新收政府信息公开申请数量\t\t\t0\t0")
    report = read_text(text)
    document = Document(report, tuple(extract_figures(report)), load_template())
    findings = list(completeness.rules.check(document))
    assert [f.message for f in findings] == [
        "表三 一、本年新收政府信息公开申请数量: found 2 values, expected 7",
        "表三 一、本年新收政府信息公开申请数量: 7 cell(s) not found",
    ]
    assert findings[0].position.line == text.splitlines().index("一、本年新收政府信息公开申请数量\t\t\t0\t0") + 1


def test_m002_blank_and_marked_cells():
    assert run(completeness) == []
    findings = run(completeness, {"review.total": None, "requests.new.other": "/"})
    assert [f.message for f in findings] == ["一、本年新收政府信息公开申请数量 / 其他 is “/”, not a number",
                                             "行政复议 / 总计 is blank, not a number"]
    many = run(completeness, {"requests.new.other": "/", "requests.new.research_institution": None,
                              "requests.granted.other": None})
    assert [f.message for f in many] == [
        "表三: 3 cells are blank or “/”, not numbers (一、本年新收政府信息公开申请数量; （一）予以公开)"]
    assert len(many[0].evidence) == 3  # every cell is cited, for the page to mark


def test_n001_narrative_against_table():
    assert run(narrative, {"review.upheld": 1, "review.total": 1}, ["全年因政府信息公开被申请行政复议 1 件。"]) == []
    findings = run(narrative, {}, ["全年因政府信息公开被申请行政复议 1 件。"])
    assert rules_of(findings) == ["N001"]
    f = findings[0]
    assert f.severity == "error"
    assert [(e.source, e.key, e.value) for e in f.evidence] == [("narrative", "review.total", 1), ("table", "review.total", 0)]
    assert "1" in f.message and "0" in f.message and "line" in f.message


def test_n001_received_may_include_carried_over():
    values = {"requests.new.natural_person": 2, "requests.new.total": 2, "requests.carried_over.natural_person": 1,
              "requests.carried_over.total": 1, "requests.granted.natural_person": 3, "requests.granted.total": 3,
              "requests.total.natural_person": 3, "requests.total.total": 3}
    assert run(narrative, values, ["共收到政府信息公开申请 3 件。"]) == []
    assert run(narrative, values, ["共收到政府信息公开申请 2 件。"]) == []
    assert rules_of(run(narrative, values, ["共收到政府信息公开申请 4 件。"])) == ["N001"]


def test_n001_category_sums_and_partial_matches():
    values = {"requests.unavailable.not_held.total": 5, "requests.unavailable.needs_creation.total": 1}
    assert run(narrative, values, ["收到的政府信息公开申请中，无法提供 6 件。"]) == []
    findings = run(narrative, values, ["收到的政府信息公开申请中，无法提供 5 件。"])
    assert [(f.rule, f.severity) for f in findings] == [("N001", "warning")]
    assert findings[0].message.endswith("; 5 is only （四）无法提供·1.本机关不掌握相关政府信息 / 总计 (line 40:44)")


def test_n001_scope_word_makes_a_warning():
    findings = run(narrative, {}, ["全年共受理政府信息公开申请 3 件。"])
    assert [(f.rule, f.severity) for f in findings] == [("N001", "warning")]


def test_c001_denials_compare_as_zero():
    values = {"litigation_direct.pending": 1, "litigation_direct.total": 1}
    assert rules_of(run(claims, values, ["全年未发生因政府信息公开引起的行政诉讼。"])) == ["C001"]
    assert run(narrative, values, ["全年未发生因政府信息公开引起的行政诉讼。"]) == []  # a claim, not a count
    assert run(claims, {}, ["全年未发生因政府信息公开引起的行政诉讼。"]) == []


def test_c001_claims_in_words():
    pending = {"review.upheld": 5, "review.pending": 2, "review.total": 7}
    sentence = "信息公开类行政复议7件，均获维持。"
    [finding] = run(claims, pending, [sentence])
    assert finding.rule == "C001" and "尚未审结 2" in finding.message
    assert run(claims, {"review.upheld": 7, "review.total": 7}, [sentence]) == []
    carried = {**TWO_GRANTED, "requests.new.natural_person": 3, "requests.new.total": 3,
               "requests.carried_forward.natural_person": 1, "requests.carried_forward.total": 1}
    assert rules_of(run(claims, carried, ["收到的政府信息公开申请均已办结。"])) == ["C001"]
    assert run(claims, TWO_GRANTED, ["收到的政府信息公开申请均已办结。"]) == []
    # 2025-pingtan-scj: "所有申请均在法定期限内办结" beside 2 carried forward — said of timeliness: a warning
    timely = run(claims, carried, ["所有申请均在法定期限内办结，切实保障申请人合法权益。"])
    assert [(f.rule, f.severity) for f in timely] == [("C001", "warning")]
    assert run(claims, TWO_GRANTED, ["全年所有申请均在法定答复期限内办结，答复率和办结率均为100%。"]) == []
    # a claim about something else (calls of the 12345 hotline) says nothing of requests
    assert run(claims, carried, ["通过12345平台受理群众诉求2840件，均已办结。"]) == []


def test_n001_amount_at_stated_precision():
    assert run(narrative, {"active.fees.amount": 0.5234}, ["行政事业性收费 0.52 万元。"]) == []
    assert rules_of(run(narrative, {"active.fees.amount": 0.5234}, ["行政事业性收费 0.6 万元。"])) == ["N001"]


def test_n002_narrative_contradicts_itself():
    sentences = ["因政府信息公开申请行政复议 0 项。", "其中因依申请公开行政复议 1 项，行政复议 1 件。"]
    findings = [f for f in run(narrative, {}, sentences) if f.rule == "N002"]
    assert len(findings) == 1
    assert [(e.value, e.position.line) for e in findings[0].evidence] == [(1, 7), (0, 5)]
    assert run(narrative, {}, ["因政府信息公开申请行政复议 0 项。", "未发生政府信息公开行政复议。"]) == []


def test_figures_of_other_years_are_not_compared():
    assert run(narrative, {}, ["上年度行政复议 3 件。", "2022年行政复议 2 件。"]) == []


def _with_unreadable_row(sentences):
    from auditor.model import Position, UnreadableRow
    from auditor.read.flattened import splits

    document = make_document({}, sentences)
    keys = tuple(f"active.normative_documents.{m}" for m in ("issued", "repealed", "in_force"))
    candidates = tuple(tuple(int(v) for v in c) for c in splits("8855698", (3,)).ways)
    document.report.unreadable.append(UnreadableRow(keys, candidates, "8855698", Position(99, 1)))
    return document


def test_n003_and_n004_narrative_against_an_unreadable_row():
    settles = _with_unreadable_row(["集中发布现行有效行政规范性文件698件，本年度制发的规范性文件88件。"])
    found = [(f.rule, f.severity) for f in narrative.rules.check(settles) if f.rule in ("N003", "N004")]
    assert found == [("N004", "info")]
    message = next(f.message for f in narrative.rules.check(settles) if f.rule == "N004")
    assert message.endswith("本年制发件数 88 | 行政规范性文件 / 本年废止件数 55 | 行政规范性文件 / 现行有效件数 698")
    contradicts = _with_unreadable_row(["集中发布现行有效行政规范性文件393件。"])
    assert [f.rule for f in narrative.rules.check(contradicts) if f.rule in ("N003", "N004")] == ["N003"]
    silent = _with_unreadable_row(["全年行政复议 0 件。"])
    assert [f.rule for f in narrative.rules.check(silent) if f.rule in ("N003", "N004")] == []


def test_m005_heading_typo():
    text = report_text().replace("## 四、政府信息公开行政复议、行政诉讼情况", "## 四、政府信息公开行政法复议、行政诉讼情况")
    report = read_text(text)
    document = Document(report, tuple(extract_figures(report)), load_template())
    findings = [f for f in completeness.rules.check(document) if f.rule == "M005"]
    assert [f.message for f in findings] == [
        "heading “四、政府信息公开行政法复议、行政诉讼情况” differs from the template's “四、政府信息公开行政复议、行政诉讼情况”"]
    assert [f for f in completeness.rules.check(make_document()) if f.rule == "M005"] == []


def _numbered(*changes):
    """The sound report's text with headings changed (old, new)."""
    text = report_text(TWO_GRANTED, ["全年收到政府信息公开申请 2 件，予以公开 2 件。"])
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return audit(text, select=["M009"])


def test_m009_names_every_template_section_numbered_otherwise():
    """As in the real 2024 上海市科委 report: an extra part before the tables pushes their numbers."""
    findings = _numbered(("## 一、总体情况", "## 一、总体情况\n\n部门概况。\n\n## 二、工作机制保障"),
                         ("## 二、主动公开政府信息情况", "## 三、主动公开政府信息情况"),
                         ("## 三、收到和处理政府信息公开申请情况", "## 四、收到和处理政府信息公开申请情况"))
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert "“三、主动公开政府信息情况” (the template's 二)" in findings[0].message
    assert "“四、收到和处理政府信息公开申请情况” (the template's 三)" in findings[0].message
    assert "工作机制保障" not in findings[0].message  # a report's own part is not judged


def test_m009_quiet_on_added_words_and_on_titles_that_are_not_the_templates():
    assert _numbered() == []
    assert _numbered(("## 五、存在的主要问题及改进情况", "## 五、政府信息公开工作存在的主要问题及改进情况"),
                     ("## 四、政府信息公开行政复议、行政诉讼情况", "## 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")) == []


PARTITION = ("平潭县2012年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
             "各乡镇、县直各单位对政府信息进行了梳理和编目，{year}年制作、获取政府信息总数{whole}条，其中主动公开政府信息{a}条，"
             "作为依申请公开信息数{b}条，不予公开信息数{c}条。\n")


def test_n005_the_three_disclosure_attributes_cover_the_whole():
    """The real 2012 平潭县 report: 3978 made or obtained, its 主动公开 + 依申请公开 + 不予公开 2026 + 46 + 1854 = 3926."""
    findings = [f for f in audit(PARTITION.format(year=2012, whole=3978, a=2026, b=46, c=1854), select=["N005"])]
    assert [(f.rule, f.severity) for f in findings] == [("N005", "error")]
    assert "add up to 3926, not 3978" in findings[0].message and "公开属性" in findings[0].message


def test_n005_quiet_when_the_attributes_add_up_or_one_is_missing():
    """The same county's 2011 and 2013 reports add up (425 + 46 + 1402 = 1873); a list of two of
    the three attributes may leave the third out."""
    assert audit(PARTITION.format(year=2011, whole=1873, a=425, b=46, c=1402), select=["N005"]) == []
    two = PARTITION.format(year=2012, whole=3978, a=2026, b=46, c=1854).replace("，不予公开信息数1854条", "")
    assert audit(two, select=["N005"]) == []


SHARES_ACROSS = ("平潭综合实验区2012年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
                 "2012年，全区共主动公开政府信息1913条。其中，区直、县直各单位主动公开政府信息{a}条，占73%。"
                 "各乡镇主动公开政府信息{b}条{share}。\n")


def test_n005_a_list_with_shares_goes_on_in_the_next_sentence():
    """The real 2012 平潭综合实验区 report: 1397 (73%) and, in the next sentence, 534 (27%) of 1913 add up to 1931."""
    findings = audit(SHARES_ACROSS.format(a=1397, b=534, share="，占27%"), select=["N005"])
    assert [(f.rule, f.severity) for f in findings] == [("N005", "error")]
    assert "add up to 1931, not 1913" in findings[0].message


def test_n005_the_next_sentence_joins_only_a_list_with_shares_that_it_completes():
    assert audit(SHARES_ACROSS.format(a=1379, b=534, share="，占27%"), select=["N005"]) == []  # adds up
    assert audit(SHARES_ACROSS.format(a=1397, b=534, share=""), select=["N005"]) == []  # no share: another statement


SIGNED = ("平潭综合实验区市场监督管理局2018年度政府信息公开工作年度报告\n\n一、概述\n\n"
          "2018年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息389条，"
          "未收到政府信息公开申请，未发生因政府信息公开引起的行政复议、行政诉讼。\n\n"
          "平潭综合实验区市场监督管理局 {date} 附件下载\n")


def test_m010_a_report_signed_before_its_year_ended():
    """A real 2018 report (平潭综合实验区市场监督管理局, published 2019-01-22, found in a held-out trial) signed
    “2018年1月21日”; the same foot dated in the next January, or in late December, is quiet."""
    findings = audit(SIGNED.format(date="2018年1月21日"), select=["M010"])
    assert [(f.rule, f.severity) for f in findings] == [("M010", "warning")] and "2018年1月21日" in findings[0].message
    assert audit(SIGNED.format(date="2019年1月21日"), select=["M010"]) == []
    assert audit(SIGNED.format(date="2018年12月25日"), select=["M010"]) == []


NAMED_SHARE = ("平潭综合实验区财政金融局2017年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n\n"
               "（一）主动公开政府信息的数量2017年制作、获取政府信息总数70条，其中主动公开政府信息{a}条，"
               "作为依申请公开信息数{b}条，不予公开信息数0。{subject}占{share}%。\n")


def test_n006_a_share_that_names_a_part_of_the_list_before_it():
    """The real 2017 平潭 财政金融局 report: 69 of 70 is 98.57 %, printed as 98.55 % in a sentence of its own."""
    findings = audit(NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="98.55"), select=["N005", "N006"])
    assert [(f.rule, f.severity) for f in findings] == [("N006", "warning")]
    assert "98.57%, not the stated 98.55%" in findings[0].message
    assert audit(NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="98.57"), select=["N006"]) == []
    assert audit(NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="98.5"), select=["N006"]) == []  # truncated


def test_n006_a_share_naming_two_parts_is_of_their_sum():
    """The real 2019 平潭 金井片区 report: "主动公开及依申请公开政府信息占比高达90.62%" is (55 + 341) / 437."""
    text = ("平潭综合实验区金井片区管理局2019年政府信息公开工作年度报告\n\n一、总体情况\n\n"
            "全年共制发政府信息437条，其中，主动公开政府信息55条、依申请公开341条、不予公开41条，"
            "主动公开及依申请公开政府信息占比高达{share}%，较2018年上升1.14个百分点。\n")
    assert audit(text.format(share="90.62"), select=["N005", "N006"]) == []
    findings = audit(text.format(share="91.62"), select=["N006"])
    assert [f.rule for f in findings] == ["N006"] and "(55条 + 341条) over 437条 is 90.62%" in findings[0].message


def test_n006_a_share_whose_subject_says_more_than_the_parts_is_not_read():
    """A share of another property (全文电子化的主动公开信息), a count between the list and the share, or a
    part the list does not name leave the share unread."""
    assert audit(NAMED_SHARE.format(a=69, b=1, subject="全文电子化的主动公开信息", share="50"), select=["N006"]) == []
    between = NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="50").replace(
        "不予公开信息数0。", "不予公开信息数0。历年累计主动公开信息500条，")
    assert audit(between, select=["N006"]) == []
    unnamed = NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="50").replace("其中主动公开政府信息", "其中公开政府信息")
    assert audit(unnamed, select=["N006"]) == []


def test_n005_a_part_printed_as_a_bare_zero_belongs_to_its_list():
    """"不予公开信息数0" (the real 2017 财政金融局 report) is the third 公开属性: 69 + 1 + 0 = 70 is quiet, 69 + 2 + 0 is not."""
    assert audit(NAMED_SHARE.format(a=69, b=1, subject="主动公开的政府信息", share="98.57"), select=["N005"]) == []
    findings = audit(NAMED_SHARE.format(a=69, b=2, subject="主动公开的政府信息", share="98.57"), select=["N005"])
    assert [f.rule for f in findings] == ["N005"] and "add up to 71, not 70" in findings[0].message
