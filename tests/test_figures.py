"""Figure extraction on real sentences from published reports.

Each case: a sentence, the report year, and every figure it states as (key, value, kind), in
reading order. Sentences come from the corpus reports and from reports quoted in REPORT-FORMAT.md.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from auditor.figures import load_rules, paragraph_figures, tokenizer
from auditor.template import load_template

CASES = [
    (  # a newcomer's variant of a real 平潭 page: a denial of one side of the applicants is not a denial of all
        "本年度未收到法人或其他组织提出的政府信息公开申请。",
        2024,
        [],
    ),
    (
        "本年度未收到自然人、法人或其他组织提出的政府信息公开申请。",
        2024,
        [("requests.received.total", 0, "absence")],
    ),
    (  # 平潭 农业农村局 2024: the applicants' split the table contradicts (表三 puts all 3 under 自然人)
        "2024年，我局共收到政府信息公开申请3份，其中法人申请1件、自然人申请2件，均依法予以办结。",
        2024,
        [(None, 2024, "year"), ("requests.received.total", 3, "count"), ("requests.received.legal_persons", 1, "count"),
         ("requests.received.natural_person", 2, "count")],
    ),
    (  # 平潭 管委会办公室 2025: 公开申请, with the scope word 受理 (34 against 新收 32: a warning)
        "2025年，实验区管委会（办公室）共受理公开申请34件，均在法定期限内予以办理。",
        2025,
        [(None, 2025, "year"), ("requests.received.total", 34, "count")],
    ),
    (  # a part of the applicants, not the 自然人 column (a newcomer's variant)
        "其中1名自然人申请10件。",
        2025,
        [(None, 1, "number"), (None, 10, "count")],
    ),
    (  # 平潭 公安局 2018 (corpora/pre2019/2018-pingtan-gaj-page.txt): the word order 公开政府信息申请
        "2018年，未收到公民提出的公开政府信息申请。",
        2018,
        [(None, 2018, "year"), ("requests.received.total", 0, "absence")],
    ),
    (  # 平潭 2014 (corpora/pre2019/2014-pingtan-page.txt): an application for 行政复议 is no request
        "2014年，未收到有关政府信息公开行政复议的申请。",
        2014,
        [(None, 2014, "year"), ("review.total", 0, "absence")],
    ),
    (  # the Luohe report, line 13: counts, a deadline, a year, an absence
        "2023 年，党政办收到依申请公开事项 2 项，均在 20 个工作日内予以答复，其中行政复议 1 项，未发生行政诉讼事项。",
        2023,
        [(None, 2023, "year"), ("requests.received.total", 2, "count"), (None, 20, "deadline"),
         ("review.total", 1, "count"), ("litigation.total", 0, "absence")],
    ),
    (  # the Luohe report, line 9: measure word before the term; absence over an enumeration; a
        # 行政复议 count in a list of published items, with nothing about 政府信息公开: unresolved
        "2023 年漯河市城乡一体化示范区党政综合办公室发 0 份规范性文件，无行政许可、行政处罚等信息，政府集中采购 0 项，行政复议 0 项。",
        2023,
        [(None, 2023, "year"), ("active.normative_documents.issued", 0, "count"),
         ("active.licensing.decisions", 0, "absence"), ("active.punishment.decisions", 0, "absence"),
         ("procurement.projects", 0, "count"), (None, 0, "count")],
    ),
    (  # Pingtan 2021: term after the measure word, 办结, 结转
        "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。",
        2021,
        [("requests.received.total", 70, "count"), ("requests.total.total", 69, "count"),
         ("requests.carried_forward.total", 1, "count")],
    ),
    (  # Pingtan 2022: context decides between 现行有效 and 制发
        "设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。",
        2022,
        [("active.normative_documents.in_force", 698, "count"), ("active.normative_documents.issued", 88, "count")],
    ),
    (  # a process term outranks the generic 依申请公开; 予以公开及部分公开 states their sum; shares
        "办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；"
        "无法提供31件，占38.27%；因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
        2023,
        [("requests.total.total", 81, "count"), ("requests.disclosed.total", 42, "count"), (None, 51.85, "share"),
         ("requests.withheld.total", 5, "count"), (None, 6.17, "share"),
         ("requests.unavailable.total", 31, "count"), (None, 38.27, "share"),
         ("review.total", 2, "count"), ("litigation.total", 7, "count")],
    ),
    (  # Shuyang 2025: 受理 is a scope word; the applicants' split is read only within one clause
        "全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，结转下一年 31 件。",
        2025,
        [("requests.received.total", 749, "count"), (None, 741, "count"), (None, 8, "count"),
         ("requests.handled.total", 718, "count"), ("requests.carried_forward.total", 31, "count")],
    ),
    (  # document numbers are references; 均为 distributes one value over an enumeration
        "根据国办公开办函〔2021〕30号要求，全年未收到政府信息公开申请，行政复议、行政诉讼均为 0 件。",
        2023,
        [(None, 2021, "reference"), (None, 30, "reference"), ("requests.received.total", 0, "absence"),
         ("review.total", 0, "count"), ("litigation.total", 0, "count")],
    ),
    (  # Chinese numerals, 两
        "全年共收到政府信息公开申请十二件，其中予以公开两件，部分公开三件。",
        2023,
        [("requests.received.total", 12, "count"), ("requests.granted.total", 2, "count"),
         ("requests.partially_granted.total", 3, "count")],
    ),
    (  # Chinese numerals without a measure word are not figures (一是 …, 进一步 …)
        "一是进一步完善制度，二是加强培训。",
        2023,
        [],
    ),
    (  # an absence with a year; the information processing fee (元) is not table 二's 万元 fee
        "2023年，无收取信息处理费情况。",
        2023,
        [(None, 2023, "year"), ("fees.information_processing", 0, "absence")],
    ),
    (  # 元 converted into table 二's 万元; full-width digits
        "全年行政事业性收费５２００元。",
        2023,
        [("active.fees.amount", 0.52, "amount")],
    ),
    (  # changes and another year's figures are kept but not comparable
        "较上年增加 3 件，上年度收到申请 5 件。",
        2023,
        [(None, 3, "change"), ("requests.received.total", 5, "count")],
    ),
    (  # dates are dates
        "统计期限为2023年1月1日至2023年12月31日。",
        2023,
        [(None, 2023, "year"), (None, 1, "date"), (None, 1, "date"), (None, 2023, "year"),
         (None, 12, "date"), (None, 31, "date")],
    ),
]


@pytest.mark.parametrize("sentence, year, expected", CASES, ids=[c[0][:16] for c in CASES])
def test_figures_of_real_sentences(sentence, year, expected):
    figures = paragraph_figures(sentence, year)
    assert [(f.key, f.value, f.kind) for f in figures] == expected


def test_positions_units_and_text():
    figures = paragraph_figures("2023 年，党政办收到依申请公开事项 2 项，其中行政复议 1 项。", 2023)
    review = figures[-1]
    assert (review.unit, review.text, review.position.column) == ("项", "行政复议 1 项", 32)
    assert figures[0].comparable is False  # a year


def test_scope_word_and_other_period_are_recorded():
    received = paragraph_figures("全县全年共受理政府信息公开申请 749 件。", 2025)[0]
    assert received.scope == "全县" and received.comparable  # the first scope word of the clause (受理 too)
    earlier = paragraph_figures("上年度收到申请 5 件。", 2023)[0]
    assert earlier.period == "other" and not earlier.comparable
    other_year = paragraph_figures("2022年收到申请 5 件。", 2023)[1]
    assert other_year.period == "other"


def test_every_quantity_key_is_known_to_the_template_or_documented_as_narrative_only():
    template = load_template()
    narrative_only = {"fees.information_processing", "procurement.projects"}
    for quantity in load_rules().quantities:
        assert quantity.key in template.cells or quantity.key in template.derived or quantity.key in narrative_only


def test_every_term_is_kept_whole_by_the_tokenizer():
    data = tomllib.loads(resources.files("auditor.data").joinpath("figures.toml").read_text("utf-8"))
    wanted = {t for q in data["quantity"] for t in q["terms"] + q.get("context", [])}
    wanted |= {w for name, ws in data["words"].items() if name != "conjunctions" for w in ws}
    assert {w for w in wanted if len(w) > 1} <= load_rules().vocabulary
    tokens = [t.text for t in tokenizer()("其中同意公开 3 件，转下一年度办理 1 件。")]
    assert "同意公开" in tokens and "转下一年度" in tokens


@pytest.mark.parametrize("sentence, scope", [
    # a newcomer's variants of the real 平潭 管委会办公室 2025 sentence: parts, other bodies' requests, the region's
    ("2025年共受理政府信息公开申请32件，其中通过网上平台提交的政府信息公开申请28件。", "其中"),
    ("其中，重复申请的政府信息公开申请2件已告知申请人。", "其中"),
    ("另转办其他机关的政府信息公开申请3件。", "另"),
    ("另有3件政府信息公开申请不属于本机关职责。", "另有"),
    ("全区共收到政府信息公开申请210件。", "全区"),
    ("指导下属单位办理政府信息公开申请15件。", "指导"),
    ("2025年共受理公开申请32件，其中通过网上平台提交的公开申请28件。", "其中"),
    ("另转办其他机关的公开申请3件。", "另"),
])
def test_a_part_or_another_scope_makes_a_figure_one_for_review(sentence, scope):
    [figure] = [f for f in paragraph_figures(sentence, 2025) if f.kind == "count"][-1:]
    assert figure.key is not None and figure.scope == scope


def test_a_part_marker_leaves_a_part_quantity_alone():
    [granted] = [f for f in paragraph_figures("本年度共办结政府信息公开申请32件，其中予以公开12件。", 2025) if f.value == 12]
    assert granted.key == "requests.granted.total" and granted.scope is None
