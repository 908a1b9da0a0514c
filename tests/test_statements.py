"""What the narrative states, read from real sentences of the corpus — both ways: the statement
that must resolve, or fire, and the one beside it that must not.

Each case names the report it comes from (corpora/…). These are the kinds of false link and of
miss an accuracy trial on unseen reports found (issue 7): counts of other things read as
requests, process words mapped to the wrong row, lists whose parts miss their whole, a paragraph
dated another year, crawled rows read only where the arithmetic allowed.
"""

from __future__ import annotations

import pytest

from auditor.figures import paragraph_figures
from auditor.testing import make_document
from auditor_builtin import arithmetic, completeness, narrative


def keyed(sentence: str, year: int = 2024, section: str | None = None) -> list[tuple[str | None, float]]:
    return [(f.key, f.value) for f in paragraph_figures(sentence, year, section) if f.kind in ("count", "absence")]


@pytest.mark.parametrize("sentence, expected", [
    (  # 2022-pingtan-jtj: calls to the 12345 hotline 受理 and 办理 — not requests
        "2022年，我局通过关联12345平台受理群众政策解答、维权服务等方面的诉求累计受理2840件，已办理2840件，办理率100%，满意率达99.8%以上。",
        [(None, 2840), (None, 2840)],
    ),
    (  # 2024-pingtan-czj: items of information (条), not requests
        "2024年制作、获取政府信息总数397条，其中主动公开政府信息61条，依申请公开信息数255条，不子公开信息数81条。",
        [(None, 397), (None, 61), (None, 255), (None, 81)],
    ),
    (  # 2024-pingtan-czj: 公开答复 is one outcome of the two handled, not a count of handled requests
        "2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件，其中公开答复1件，无法提供1件 。",
        [("requests.received.total", 2), ("requests.total.total", 2), (None, 1), ("requests.unavailable.total", 1)],
    ),
    (  # 2024-pingtan-gaj: 同意公开 is 予以公开
        "严格按照《条例》要求，做好申请公开登记、审核、办理、答复、归档等各项工作。其中，同意公开3件，占比37.5%；无法提供4件，占比50%。",
        [("requests.granted.total", 3), ("requests.unavailable.total", 4)],
    ),
    (  # 2024-huaian-city: 答复 counts answers; 上年度结转 is 上年结转; "顺延到下年度" is 结转下年度, not 办理
        "全年共收到政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。",
        [("requests.received.total", 3119), (None, 3050), ("requests.carried_over.total", 34),
         ("requests.carried_forward.total", 103)],
    ),
    (  # 2024-shanghai-kewei-converted: the 办理复文 of 人大建议 and 政协提案 — never requests
        "《上海市科委 2024 年度代表建议和政协提案办理工作总体情况》及主合办人大代表建议 50 件，主合办政协提案 85 件的办理复文。",
        [(None, 50), (None, 85)],
    ),
    (  # 2024-shanghai-kewei-converted: 同意公开答复 is 予以公开; 转下一年度办理答复 is 结转下年度, not 办理
        "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2件，无法提供的 10 件，不予处理 0 件，"
        "其他处理 14 件，转下一年度办理答复的有 1 件。",
        [("requests.granted.total", 9), ("requests.partially_granted.total", 0), ("requests.withheld.total", 2),
         ("requests.unavailable.total", 10), ("requests.not_processed.total", 0), ("requests.other_handling.total", 14),
         ("requests.carried_forward.total", 1)],
    ),
    (  # 2025-pingtan-scj: 区分处理后公开 is 部分公开; "无法提供相关信息答复 2 件" is left unread (信息 is
       # the last counted noun before the number; reading it needs the verb's object told from the count)
        "2025年，共受理政府信息公开申请21件，经分类处置后，给予同意公开答复 1 件，不予公开答复3件，区分处理后公开11件，"
        "因无法提供相关信息答复2件，其他处理2件，结转下年度继续办理2件，所有申请均在法定期限内办结。",
        [("requests.received.total", 21), ("requests.granted.total", 1), ("requests.withheld.total", 3),
         ("requests.partially_granted.total", 11), (None, 2), ("requests.other_handling.total", 2),
         ("requests.carried_forward.total", 2)],
    ),
])
def test_what_a_count_counts(sentence, expected):
    assert keyed(sentence) == expected


def test_a_count_of_all_the_years_is_not_this_years():
    # corpora/holdout/2023-pingtan-gwh: the documents of all years put in the library, not those issued in 2023
    sentence = "二是做好规范性文件清理发布、梳理历年区管委会和区管委会办公室印发的行政规范性文件228份，并于8月底前集中在信息公开专栏发布。"
    [figure] = [f for f in paragraph_figures(sentence, 2023) if f.value == 228]
    assert figure.period == "other" and not figure.comparable
    assert [f.comparable for f in paragraph_figures("2023年印发行政规范性文件21份。", 2023) if f.value == 21] == [True]


def test_a_case_count_needs_a_sign_that_it_is_about_disclosure():
    # 2023-luohe: "行政复议 0 项" in a list of what was published says nothing of 表四's cases …
    assert keyed("2023 年漯河市城乡一体化示范区党政综合办公室发 0 份规范性文件，政府集中采购 0 项，行政复议 0 项。", 2023)[-1] == (None, 0)
    # … while the same words in the paragraph on requests do
    assert keyed("2023 年，党政办收到依申请公开事项 2 项，均在 20 个工作日内予以答复，其中行政复议 1 项，未发生行政诉讼事项。", 2023) == [
        ("requests.received.total", 2), ("review.total", 1), ("litigation.total", 0)]
    # the section the sentence stands in is evidence too
    assert keyed("全年行政复议 1 件。", 2023, "（二）依申请公开情况") == [("review.total", 1)]
    assert keyed("全年行政复议 1 件。", 2023, "（一）主动公开情况") == [(None, 1)]


def test_subsections_run_together_in_crawled_text_give_the_context():
    text = "（一）主动公开方面全区主动公开信息5000条。（二）依申请公开方面办结81件，结转1件。"
    assert keyed(text, 2023) == [(None, 5000), ("requests.total.total", 81), ("requests.carried_forward.total", 1)]


BREAKDOWNS = [
    (  # 2023-pingtan-spp: 79 items, the listed categories (其他 among them) make 78
        "2023年我局共在“平潭综合实验区党工委管委会”门户网站公开政府信息79条，其中突发公共事件的应急预案、预警信息及应对情况7条；"
        "重大建设项目的批准和实施情况1条；国民经济和社会发展规划、专项规划、区域规划及相关政策1条；环境保护、公共卫生、安全生产、"
        "食品药品、产品质量的监督检查情况6条；扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况1条；"
        "其他应主动公开的政府信息62条。",
        2023, [("N005", "error")],
    ),
    (  # 2024-pingtan-czj: the parts of 61 make 76 (a part list inside a whole stated twice)
        "(二)主动公开政府信息的主要类别2024年，在主动公开的61条政府信息中，全文电子化的主动公开信息数共61条，其中:减税降费5条，"
        "财税金融等政策及解读共1条；财政预算、决算报告共7条；财政资金直达基层12条；其他文件共51条等。",
        2024, [("N005", "error")],
    ),
    (  # 2022-pingtan-jtj: 11 = 5 + 6 (a list without 其他 that adds up)
        "全年我局共收到政府信息公开申请11件，其中网络申请5件，信函申请6件，申请内容涉及物业管理、工程验收、城市建设和征地拆迁等。",
        2022, [],
    ),
    (  # 2023-pingtan: shares of the main outcomes only (96 %): a selection, not every outcome
        "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；无法提供31件，占38.27%；"
        "因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
        2023, [],
    ),
    (  # 2025-shuyang: 741 + 8 = 749; the list ends at "；共办理"
        "全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，结转下一年 31 件。",
        2025, [],
    ),
    (  # 2025-shanghai-govoffice-converted: 1191 = 208 + 20 + 564 + 80 + 319; the 157 in brackets is a part of 319
        "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含上年结转 189 件），均在法定期限内答复。其中，予以公开及部分公开 208 件"
        "（17.46%），不予公开 20 件（1.68%），因本机关不掌握等原因无法提供 564 件（47.36%），属信访、重复申请等不予处理 80 件（6.72%），"
        "其他处理 319 件（26.78%，含申请人主动撤回 157 件）。",
        2025, [],
    ),
    (  # 2024-huaian-city: each group's outcomes make its whole; the second list is the second whole's
        "政府信息公开行政复议 351件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；"
        "政府信息公开行政诉讼 46 件，其中结果维持 25件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。",
        2024, [],
    ),
    (  # the same with one part mistyped: 72 → 70
        "政府信息公开行政复议 351件，其中结果维持 70 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；"
        "政府信息公开行政诉讼 46 件，其中结果维持 25件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。",
        2024, [("N005", "error")],
    ),
    (  # 2011 平潭县财政局 (holdout): the bracket's list of 14 is 2 + 12; the 4 after the bracket is 14's sibling
        "2011年，在主动公开的20条政府信息中，机构职能、主要职能、办事程序信息共2条，均为会计科信息；为民办实事类信息14条（其中村级公益"
        "事业一事一议奖补项目2条；家电下乡进度通报12条）；规划计划类信息4条，均为季度财政收支公示信息。",
        2011, [],
    ),
    (  # the same with the bracket's parts mistyped: 2 + 13 is more than 14
        "2011年，在主动公开的20条政府信息中，机构职能、主要职能、办事程序信息共2条，均为会计科信息；为民办实事类信息14条（其中村级公益"
        "事业一事一议奖补项目2条；家电下乡进度通报13条）；规划计划类信息4条，均为季度财政收支公示信息。",
        2011, [("N005", "warning")],
    ),
    (  # 2015 平潭 财政金融局: 57 of the 65 are in full text (a property), 13 one category: no list adding to 70
        "2015年，在主动公开的65条政府信息中，全文电子化的主动公开信息数共57条，为民办实事类信息13条。",
        2015, [],
    ),
    (  # the same with the category larger than the whole
        "2015年，在主动公开的65条政府信息中，全文电子化的主动公开信息数共57条，为民办实事类信息73条。",
        2015, [("N005", "error")],
    ),
]


@pytest.mark.parametrize("sentence, year, expected", BREAKDOWNS, ids=range(len(BREAKDOWNS)))
def test_itemised_wholes_and_their_parts(sentence, year, expected):
    document = make_document(None, [sentence], year=year)
    found = [(f.rule, f.severity) for f in narrative.rules.check(document) if f.rule in ("N005", "N006")]
    assert found[: len(expected)] == expected and (expected or not found)


def test_a_rate_that_is_not_its_part_over_its_whole():
    document = make_document(None, ["全年共受理政府信息公开申请117件，办结171件，办结率100%。"], year=2024)
    assert [f.rule for f in narrative.rules.check(document) if f.rule == "N006"] == ["N006"]
    document = make_document(None, ["2022年，我局通过关联12345平台受理群众诉求累计受理2840件，已办理2840件，办理率100%。"], year=2024)
    assert [f for f in narrative.rules.check(document) if f.rule == "N006"] == []


def test_a_paragraph_dated_another_year():
    # 2024-pingtan-czj: "2023年，在主动公开的61条…" in a report on 2024
    document = make_document(None, ["2023年，在主动公开的61条政府信息中，全文电子化的主动公开信息数共61条。"], year=2024)
    [finding] = [f for f in completeness.rules.check(document) if f.rule == "M006"]
    assert "2024" in finding.message and "2023年，在主动公开的61条政府信息中" in finding.message
    for quiet in ("2024年，在主动公开的61条政府信息中，全文电子化的主动公开信息数共61条。",  # the right year
                  "较2023年，主动公开政府信息增加了12条。",  # a comparison, not the period
                  "2025年，我局将进一步规范政府信息主动公开。"):  # a plan
        assert [f for f in completeness.rules.check(make_document(None, [quiet], year=2024)) if f.rule == "M006"] == []
    # 2016 平潭 公安局 (a crawl run into one line): the next year's work, after the problems and improvements
    improvements = ("六、存在的主要问题及改进措施一年来，我局政府信息公开工作取得新成效。但我们也清醒地认识到，我局的政府信息公开工作还有"
                    "不少差距。{}年，我局围绕问题抓整改、抓提升，严格按照《中华人民共和国政府信息公开条例》谋划全年工作。")
    assert [f for f in completeness.rules.check(make_document(None, [improvements.format(2017)], year=2016)) if f.rule == "M006"] == []
    # … but last year's, there, is still a year copied from last year's report
    assert [f.rule for f in completeness.rules.check(make_document(None, [improvements.format(2015)], year=2016)) if f.rule == "M006"] == ["M006"]


def test_the_statistics_period_against_the_title():
    document = make_document(None, ["本报告中所列数据的统计期限为2023年1月1日至2023年12月31日。"], year=2024)
    assert [f.rule for f in completeness.rules.check(document) if f.rule != "M008"] == ["M006"]
    document = make_document(None, ["本报告中所列数据的统计期限为2024年1月1日至2024年12月31日。"], year=2024)
    assert [f.rule for f in completeness.rules.check(document) if f.rule != "M008"] == []


def test_an_arithmetic_rule_reads_nothing_a_crawl_left_ambiguous():
    # 2025-pingtan-htp: seven digits for seven cells: read as printed, and its 总计 of 0 is reported
    from auditor.read.flattened import FlatTables, read_flat_tables
    from auditor.model import Position
    from auditor.template import load_template

    row = "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量2000000"
    result = read_flat_tables(FlatTables(row, Position(1, 1)), load_template())
    [(table, grid)] = result.rows
    assert [c.text for c in grid.cells][-7:] == ["2", "0", "0", "0", "0", "0", "0"]
    assert not any(c.recovered for c in grid.cells) and result.assumed == set()


def test_a_denial_of_requests_beside_a_row_that_is_not_zero():
    # 2023-pingtan-spp: "（二）依申请公开情况。2023年未收到依申请公开事宜。" beside an all-zero 表三 …
    from auditor_builtin import claims

    sentence = "（二）依申请公开情况。2023年未收到依申请公开事宜。"
    assert list(claims.rules.check(make_document(None, [sentence], year=2023))) == []
    # … and the same words beside a 表三 that counts three new requests
    three = {"requests.new.natural_person": 3, "requests.new.total": 3, "requests.granted.natural_person": 3,
             "requests.granted.total": 3, "requests.total.natural_person": 3, "requests.total.total": 3}
    assert [f.rule for f in claims.rules.check(make_document(three, [sentence], year=2023))] == ["C001"]
